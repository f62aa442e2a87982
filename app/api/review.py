"""/responses: every answer by status and source; recording or returning one that waits."""

import sqlalchemy as sa
from flask import g, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from app.api import bp
from app.api.common import get_or_404, json_body, roles
from app.api.errors import ApiError
from app.api.openapi import doc, page
from app.api.responses import ResponseInputSchema, ResponseSchema, dump
from app.api.schemas import code
from app.api.search import list_or_export
from app.core.exports import Column
from app.domain.responses import SOURCES, STATUSES, review
from app.domain.responses.forms import KIND_LABELS
from app.domain.responses.models import Response
from app.domain.responses.review_routes import SOURCE_LABELS, STATUS_LABELS


class ReviewQuery(Schema):
    status = code(STATUSES)
    source = code(SOURCES)


class ReturnSchema(Schema):
    question = fields.String(required=True, metadata={"description": "E-mailed to the authority"})


@bp.get("/responses")
@doc(
    "Every answer, by status (to_review: waiting for a lawyer) and source",
    response=page(ResponseSchema),
    query=ReviewQuery,
    exports=True,
    errors=(401, 422),
)
def responses_index():
    status, source = request.args.get("status"), request.args.get("source")
    fields = {}
    if status and status not in STATUSES:
        fields["status"] = [_("Must be one of: %(codes)s.", codes=", ".join(STATUSES))]
    if source and source not in SOURCES:
        fields["source"] = [_("Must be one of: %(codes)s.", codes=", ".join(SOURCES))]
    if fields:
        raise ApiError(422, fields=fields)
    stmt = sa.select(Response).order_by(Response.created_at, Response.id)
    if status:
        stmt = stmt.where(Response.status == status)
    if source:
        stmt = stmt.where(Response.source == source)
    return list_or_export(stmt, dump, COLUMNS, "responses")


def _kyiv_day(r):
    from app.core.clock import to_kyiv

    return to_kyiv(r.created_at).date()


#: The columns of ``GET /responses?format=csv|xlsx``.
COLUMNS = [
    Column("№", "id", 8),
    Column(_l("Act"), "act.outgoing_number", 14),
    Column(_l("Authority"), "act.authority.name", 40),
    Column(_l("Source"), lambda r: str(SOURCE_LABELS[r.source]), 18),
    Column(_l("Review status"), lambda r: str(STATUS_LABELS[r.status]), 18),
    Column(_l("Arrived"), _kyiv_day, 12),
    Column(_l("From"), "responder_name", 30),
    Column(_l("Kind of answer"), lambda r: str(KIND_LABELS[r.kind]) if r.kind else "", 16),
    Column(_l("Received on"), "received_on", 12),
    Column(_l("Incoming number"), "incoming_number", 16),
]


@bp.get("/responses/<int:response_id>")
@doc("One answer", response=ResponseSchema, errors=(401, 404))
def responses_one(response_id):
    return dump(get_or_404(Response, response_id))


@bp.post("/responses/<int:response_id>/record")
@doc(
    "Record an answer that waits for review (then it moves states as a manual one)",
    response=ResponseSchema,
    body=ResponseInputSchema,
    errors=(400, 401, 403, 404, 409, 422),
)
@roles("lawyer")
def responses_record(response_id):
    response = get_or_404(Response, response_id)
    body = json_body()
    data = ResponseInputSchema().load_request(body)
    if "text" not in body:
        data.pop("text")
    if data["positions"] is None or "positions" not in body:
        data.pop("positions")
    review.record_reviewed(response, data, g.api_user)
    return dump(response)


@bp.post("/responses/<int:response_id>/return")
@doc(
    "Return an answer to the authority with a question (e-mailed; the link stays open)",
    response=ResponseSchema,
    body=ReturnSchema,
    errors=(400, 401, 403, 404, 409, 422),
)
@roles("lawyer")
def responses_return(response_id):
    response = get_or_404(Response, response_id)
    body = json_body()
    if not isinstance(body, dict) or set(body) - {"question"}:
        raise ApiError(422, fields={"question": [_("A JSON object with “question” is expected.")]})
    review.return_to_authority(response, body.get("question"), g.api_user)
    return dump(response)
