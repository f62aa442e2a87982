"""/acts/{id}/responses and /response-files: the authority's answers to an act, with files."""

from flask import g, request
from flask_babel import gettext as _
from marshmallow import Schema, fields

from app.api import bp
from app.api.common import form_positions, get_or_404, json_body, roles
from app.api.errors import ApiError
from app.api.openapi import doc
from app.api.schemas import Choice, Day, Input, Text, Whole, code, nullable
from app.core import storage
from app.domain.acts.models import Act
from app.domain.responses import KINDS, POSITIONS, SOURCES, STATUSES, queries
from app.domain.responses import operations as ops
from app.domain.responses.files import CONTENT_TYPES
from app.domain.responses.forms import NUMBER_MAX, TEXT_MAX
from app.domain.responses.models import ResponseFile

#: Form values a multipart request may carry besides ``positions`` (a JSON string) and files.
FORM_FIELDS = ("received_on", "sent_on", "incoming_number", "kind", "text")
#: Bodies read as form values (files need multipart); anything else must be JSON.
FORM_MIMETYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class PositionSchema(Schema):
    recommendation_id = fields.Integer(required=True)
    position = code(POSITIONS, required=True)
    comment = fields.String()
    planned_on = fields.Date(
        allow_none=True, metadata={"description": "Required for in_progress; not in the past"}
    )


class ResponseFileSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = code(CONTENT_TYPES)
    size = fields.Integer()
    sha256 = fields.String()
    recommendation_id = nullable(fields.Integer)


class ResponderSchema(Schema):
    name = fields.String(attribute="responder_name")
    position = fields.String(attribute="responder_position")
    phone = fields.String(attribute="responder_phone")
    email = fields.String(attribute="responder_email")


class ResponseSchema(Schema):
    id = fields.Integer()
    act_id = fields.Integer()
    kind = code(KINDS, allow_none=True)
    received_on = nullable(fields.Date)
    sent_on = nullable(fields.Date)
    incoming_number = nullable(fields.String)
    text = fields.String()
    positions = fields.List(fields.Nested(PositionSchema))
    files = fields.List(fields.Nested(ResponseFileSchema))
    recorded_by_id = nullable(fields.Integer)
    created_at = fields.DateTime()
    source = code(SOURCES)
    status = code(STATUSES)
    responder = Whole(ResponderSchema)
    sender_number = nullable(fields.String)
    review_note = nullable(fields.String)


class ResponseInputSchema(Input):
    """An answer as a lawyer records it (a JSON body, or the same names as form values)."""

    received_on = Day(needed=True, wrong_is_missing=False)
    sent_on = Day(metadata={"description": "The postmark or the authority's dispatch date"})
    incoming_number = Text(NUMBER_MAX, needed=True)
    kind = Choice(KINDS, default="substantive")
    text = Text(TEXT_MAX)
    positions = fields.Raw(
        load_default=list,
        allow_none=True,
        metadata={"type": "array", "items": {"$ref": "#/components/schemas/Position"}},
    )


class ResponseUploadSchema(Schema):
    """The multipart form of an answer with its files."""

    received_on = fields.Date(required=True)
    sent_on = fields.Date()
    incoming_number = fields.String(required=True)
    kind = code(KINDS)
    text = fields.String()
    positions = fields.String(metadata={"description": "The positions as a JSON array"})
    files = fields.List(fields.Raw(metadata={"type": "string", "format": "binary"}))


dump = ResponseSchema().dump


@bp.get("/acts/<int:act_id>/responses")
@doc(
    "The authority's answers to an act, in the order they arrived",
    response=[ResponseSchema],
    errors=(401, 404),
)
def responses_list(act_id):
    get_or_404(Act, act_id)
    return [dump(r) for r in queries.responses_of(act_id)]


@bp.post("/acts/<int:act_id>/responses")
@doc(
    "Record an answer (a substantive one moves the act and its recommendations to responded); "
    "files with multipart/form-data",
    response=ResponseSchema,
    status=201,
    body=ResponseInputSchema,
    form=ResponseUploadSchema,
    errors=(400, 401, 403, 404, 409, 413, 422),
)
@roles("lawyer")
def responses_create(act_id):
    act = get_or_404(Act, act_id)
    ops.check_can_record(act, g.api_user)
    if request.mimetype in FORM_MIMETYPES:
        data, uploads = _from_multipart()
    else:
        data, uploads = ResponseInputSchema().load_request(json_body()), []
    response = ops.record_response(act, data, uploads, g.api_user)
    return dump(response), 201


@bp.get("/response-files/<int:file_id>/content")
@doc(
    "A file attached to an answer",
    description="The file",
    errors=(401, 404, 409),
    content=CONTENT_TYPES,
)
def response_files_content(file_id):
    f = get_or_404(ResponseFile, file_id)
    return storage.send(
        f.path,
        sha256=f.sha256,
        mimetype=f.content_type,
        download_name=f.filename,
    )


def _from_multipart():
    unknown = (set(request.form) - {*FORM_FIELDS, "positions"}) | (set(request.files) - {"files"})
    if unknown:
        raise ApiError(422, fields={k: [_("Unknown field.")] for k in sorted(unknown)})
    values = {k: request.form[k] for k in FORM_FIELDS if k in request.form}
    data = ResponseInputSchema().load_request(values | {"positions": form_positions()})
    return data, [f for f in request.files.getlist("files") if f.filename]
