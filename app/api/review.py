"""/responses: every answer by status and source; recording or returning one that waits."""

import sqlalchemy as sa
from flask import g, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.api import bp, openapi
from app.api.common import get_or_404, json_body, roles
from app.api.errors import ApiError
from app.api.responses import dump
from app.api.search import list_or_export
from app.core.exports import Column
from app.domain.responses import SOURCES, STATUSES, review
from app.domain.responses.forms import KIND_LABELS, ResponseForm
from app.domain.responses.models import Response
from app.domain.responses.review_routes import SOURCE_LABELS, STATUS_LABELS


@bp.get("/responses")
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
def responses_one(response_id):
    return dump(get_or_404(Response, response_id))


@bp.post("/responses/<int:response_id>/record")
@roles("lawyer")
def responses_record(response_id):
    response = get_or_404(Response, response_id)
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(422, fields={"_": [_("A JSON object is expected.")]})
    body = dict(body)
    positions = body.pop("positions", None)
    form = ResponseForm.from_json(body)
    if not form.validate():
        raise ApiError(422, fields=form.errors)
    data = form.values()
    if "text" not in body:
        data.pop("text")
    if positions is not None:
        data["positions"] = positions
    review.record_reviewed(response, data, g.api_user)
    return dump(response)


@bp.post("/responses/<int:response_id>/return")
@roles("lawyer")
def responses_return(response_id):
    response = get_or_404(Response, response_id)
    body = json_body()
    if not isinstance(body, dict) or set(body) - {"question"}:
        raise ApiError(422, fields={"question": [_("A JSON object with “question” is expected.")]})
    review.return_to_authority(response, body.get("question"), g.api_user)
    return dump(response)


def _register_openapi():
    int_, str_ = {"type": "integer"}, {"type": "string"}
    ref = {"$ref": "#/components/schemas/Response"}
    id_param = [{"name": "id", "in": "path", "required": True, "schema": int_}]

    def errors(*codes):
        return {str(c): {"$ref": f"#/components/responses/E{c}"} for c in codes}

    def ok(description, schema=ref, code="200"):
        return {
            code: {"description": description, "content": {"application/json": {"schema": schema}}}
        }

    page = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": ref},
            "total": int_,
            "page": int_,
            "per_page": int_,
        },
    }
    openapi.EXTRA_PATHS.append(
        (
            "/responses",
            "get",
            {
                "summary": "Answers of every act; `status=to_review` is the queue of answers that came "
                "by themselves (portal, e-mail)",
                "parameters": [
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"type": "string", "enum": list(STATUSES)},
                    },
                    {
                        "name": "source",
                        "in": "query",
                        "schema": {"type": "string", "enum": list(SOURCES)},
                    },
                    {"$ref": "#/components/parameters/page"},
                    {"$ref": "#/components/parameters/per_page"},
                ],
                "responses": {**ok("A page", page), **errors(401, 422)},
            },
        )
    )
    openapi.EXTRA_PATHS.append(
        (
            "/responses/{id}",
            "get",
            {
                "summary": "One answer",
                "parameters": id_param,
                "responses": {**ok("The answer"), **errors(401, 404)},
            },
        )
    )
    record_body = {
        "type": "object",
        "required": ["kind", "received_on", "incoming_number"],
        "properties": {
            "kind": str_,
            "received_on": {"type": "string", "format": "date"},
            "incoming_number": str_,
            "text": str_,
            "positions": {"type": "array", "items": {"type": "object"}},
        },
    }
    openapi.EXTRA_PATHS.append(
        (
            "/responses/{id}/record",
            "post",
            {
                "summary": "Record an answer that waits for review (then it moves states as a manual one)",
                "parameters": id_param,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": record_body}},
                },
                "responses": {**ok("Recorded"), **errors(400, 401, 403, 404, 409, 422)},
            },
        )
    )
    openapi.EXTRA_PATHS.append(
        (
            "/responses/{id}/return",
            "post",
            {
                "summary": "Return an answer to the authority with a question (e-mailed; the link stays "
                "open)",
                "parameters": id_param,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["question"],
                                "properties": {"question": str_},
                            }
                        }
                    },
                },
                "responses": {**ok("Returned"), **errors(400, 401, 403, 404, 409, 422)},
            },
        )
    )


_register_openapi()
