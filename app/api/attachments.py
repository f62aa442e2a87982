"""/acts/{id}/attachments and /act-attachments: files sent with an act (multipart uploads);
/authorities/dative: the dative forms offered for an authority's head."""

from flask import g, request
from flask_babel import gettext as _

from app.api import bp, openapi
from app.api.common import get_or_404, roles
from app.api.errors import ApiError
from app.core import storage
from app.domain.acts.attachments import add_attachment, remove_attachment
from app.domain.acts.models import Act, ActAttachment


def dump(a):
    return {
        "id": a.id,
        "act_id": a.act_id,
        "title": a.title,
        "sheets": a.sheets,
        "filename": a.filename,
        "content_type": a.content_type,
        "size": a.size,
        "sha256": a.sha256,
        "created_at": a.created_at.isoformat(),
    }


@bp.get("/acts/<int:act_id>/attachments")
def attachments_list(act_id):
    return [dump(a) for a in get_or_404(Act, act_id).attachments]


@bp.post("/acts/<int:act_id>/attachments")
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
@roles("lawyer")
def attachments_delete(act_id, attachment_id):
    attachment = get_or_404(ActAttachment, attachment_id)
    if attachment.act_id != act_id:
        raise ApiError(404)
    remove_attachment(attachment.act, attachment)
    return "", 204


@bp.get("/act-attachments/<int:attachment_id>/content")
def attachments_content(attachment_id):
    attachment = get_or_404(ActAttachment, attachment_id)
    return storage.send(
        attachment.path,
        sha256=attachment.sha256,
        mimetype=attachment.content_type,
        download_name=attachment.filename,
    )


def _register_openapi():
    id_param = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    item = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "act_id": {"type": "integer"},
            "title": {"type": "string"},
            "sheets": {"type": "integer"},
            "filename": {"type": "string"},
            "content_type": {"type": "string"},
            "size": {"type": "integer"},
            "sha256": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
        },
    }

    def errors(*codes):
        return {str(c): {"$ref": f"#/components/responses/E{c}"} for c in codes}

    openapi.EXTRA_PATHS.append(
        (
            "/acts/{id}/attachments",
            "get",
            {
                "summary": "Files sent with the act («Додаток: … на N арк.»)",
                "parameters": id_param,
                "responses": {
                    "200": {
                        "description": "Attachments",
                        "content": {
                            "application/json": {"schema": {"type": "array", "items": item}}
                        },
                    },
                    **errors(401, 404),
                },
            },
        )
    )
    openapi.EXTRA_PATHS.append(
        (
            "/acts/{id}/attachments",
            "post",
            {
                "summary": "Attach a file (PDF, DOCX, PNG, JPEG or TIFF, checked by content) to a draft",
                "parameters": id_param,
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["title", "file"],
                                "properties": {
                                    "title": {"type": "string"},
                                    "sheets": {"type": "integer"},
                                    "file": {"type": "string", "format": "binary"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "Attached",
                        "content": {"application/json": {"schema": item}},
                    },
                    **errors(400, 401, 403, 404, 409, 422),
                },
            },
        )
    )
    openapi.EXTRA_PATHS.append(
        (
            "/act-attachments/{id}/content",
            "get",
            {
                "summary": "An attached file",
                "parameters": id_param,
                "responses": {
                    "200": {
                        "description": "The file",
                        "content": {
                            "application/octet-stream": {
                                "schema": {"type": "string", "format": "binary"}
                            }
                        },
                    },
                    **errors(401, 404),
                },
            },
        )
    )


_register_openapi()


@bp.get("/authorities/dative")
def authorities_dative():
    """Dative forms of a head's position and name, to put in ``head_title`` and ``head_name``
    (a suggestion: check it)."""
    from app.domain.authorities.dative import suggest

    position, name = request.args.get("position", ""), request.args.get("name", "")
    if not position.strip() and not name.strip():
        raise ApiError(422, fields={"position": [_("Give a position or a name.")]})
    return suggest(position[:300], name[:200])


openapi.EXTRA_PATHS.append(
    (
        "/authorities/dative",
        "get",
        {
            "summary": "Dative forms of a head's position and name (a suggestion)",
            "parameters": [
                {"name": "position", "in": "query", "schema": {"type": "string"}},
                {"name": "name", "in": "query", "schema": {"type": "string"}},
            ],
            "responses": {
                "200": {
                    "description": "head_title and head_name in the dative",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "422": {"$ref": "#/components/responses/E422"},
            },
        },
    )
)
