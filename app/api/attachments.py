"""/acts/{id}/attachments and /act-attachments: files sent with an act (multipart uploads);
/authorities/dative: the dative forms offered for an authority's head."""

from flask import g, request
from flask_babel import gettext as _
from marshmallow import Schema, fields

from app.api import bp
from app.api.common import get_or_404, roles
from app.api.errors import ApiError
from app.api.openapi import doc
from app.core import storage
from app.domain.acts.attachments import add_attachment, remove_attachment
from app.domain.acts.models import Act, ActAttachment


class AttachmentSchema(Schema):
    id = fields.Integer()
    act_id = fields.Integer()
    title = fields.String()
    sheets = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    created_at = fields.DateTime()


class AttachmentUploadSchema(Schema):
    title = fields.String(required=True)
    sheets = fields.Integer(metadata={"description": "Sheets of paper («на N арк.»)"})
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class DativeQuery(Schema):
    position = fields.String()
    name = fields.String()


class DativeSchema(Schema):
    head_title = fields.String()
    head_name = fields.String()


dump = AttachmentSchema().dump


@bp.get("/acts/<int:act_id>/attachments")
@doc(
    "Files sent with the act («Додаток: … на N арк.»)",
    response=[AttachmentSchema],
    errors=(401, 404),
)
def attachments_list(act_id):
    return [dump(a) for a in get_or_404(Act, act_id).attachments]


@bp.post("/acts/<int:act_id>/attachments")
@doc(
    "Attach a file (PDF, DOCX, PNG, JPEG or TIFF, checked by content) to a draft",
    response=AttachmentSchema,
    status=201,
    form=AttachmentUploadSchema,
    errors=(400, 401, 403, 404, 409, 413, 422),
)
@roles("lawyer")
def attachments_create(act_id):
    act = get_or_404(Act, act_id)
    upload = request.files.get("file")
    if request.mimetype != "multipart/form-data" or upload is None:
        raise ApiError(400, _("Send the file as multipart/form-data in the field “file”."))
    attachment = add_attachment(
        act,
        request.form.get("title"),
        upload.filename,
        upload.read(),
        g.api_user,
        sheets=request.form.get("sheets"),
    )
    return dump(attachment), 201


@bp.delete("/acts/<int:act_id>/attachments/<int:attachment_id>")
@doc("Remove a file from a draft", status=204, description="Removed", errors=(401, 403, 404, 409))
@roles("lawyer")
def attachments_delete(act_id, attachment_id):
    attachment = get_or_404(ActAttachment, attachment_id)
    if attachment.act_id != act_id:
        raise ApiError(404)
    remove_attachment(attachment.act, attachment)
    return "", 204


@bp.get("/act-attachments/<int:attachment_id>/content")
@doc(
    "An attached file",
    description="The file",
    content=("application/octet-stream",),
    errors=(401, 404, 409),
)
def attachments_content(attachment_id):
    attachment = get_or_404(ActAttachment, attachment_id)
    return storage.send(
        attachment.path,
        sha256=attachment.sha256,
        mimetype=attachment.content_type,
        download_name=attachment.filename,
    )


@bp.get("/authorities/dative")
@doc(
    "Dative forms of a head's position and name (a suggestion)",
    response=DativeSchema,
    query=DativeQuery,
    errors=(401, 422),
)
def authorities_dative():
    """Dative forms of a head's position and name, to put in ``head_title`` and ``head_name``
    (a suggestion: check it)."""
    from app.domain.authorities.dative import suggest

    position, name = request.args.get("position", ""), request.args.get("name", "")
    if not position.strip() and not name.strip():
        raise ApiError(422, fields={"position": [_("Give a position or a name.")]})
    return suggest(position[:300], name[:200])
