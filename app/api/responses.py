"""/acts/{id}/responses and /response-files: the authority's answers to an act, with files."""

from flask import g, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.api import bp, openapi
from app.api.common import form_positions, get_or_404, json_body, roles
from app.api.errors import ApiError
from app.core import storage
from app.domain.acts.models import Act
from app.domain.responses import KINDS, POSITIONS, SOURCES, STATUSES, queries
from app.domain.responses import operations as ops
from app.domain.responses.files import CONTENT_TYPES
from app.domain.responses.forms import ResponseForm
from app.domain.responses.models import ResponseFile

#: Form values a multipart request may carry besides ``positions`` (a JSON string) and files.
FORM_FIELDS = ("received_on", "sent_on", "incoming_number", "kind", "text")
#: Bodies read as form values (files need multipart); anything else must be JSON.
FORM_MIMETYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def dump(r):
    return {
        "id": r.id,
        "act_id": r.act_id,
        "kind": r.kind,
        "received_on": r.received_on.isoformat() if r.received_on else None,
        "sent_on": r.sent_on.isoformat() if r.sent_on else None,
        "incoming_number": r.incoming_number,
        "text": r.text,
        "positions": [
            {
                "recommendation_id": p.recommendation_id,
                "position": p.position,
                "comment": p.comment,
                "planned_on": p.planned_on.isoformat() if p.planned_on else None,
            }
            for p in r.positions
        ],
        "files": [dump_file(f) for f in r.files],
        "recorded_by_id": r.recorded_by_id,
        "created_at": r.created_at.isoformat(),
        "source": r.source,
        "status": r.status,
        "responder": {
            "name": r.responder_name,
            "position": r.responder_position,
            "phone": r.responder_phone,
            "email": r.responder_email,
        },
        "sender_number": r.sender_number,
        "review_note": r.review_note,
    }


def dump_file(f):
    return {
        "id": f.id,
        "filename": f.filename,
        "content_type": f.content_type,
        "size": f.size,
        "sha256": f.sha256,
        "recommendation_id": f.recommendation_id,
    }


@bp.get("/acts/<int:act_id>/responses")
def responses_list(act_id):
    get_or_404(Act, act_id)
    return [dump(r) for r in queries.responses_of(act_id)]


@bp.post("/acts/<int:act_id>/responses")
@roles("lawyer")
def responses_create(act_id):
    act = get_or_404(Act, act_id)
    ops.check_can_record(act, g.api_user)
    if request.mimetype in FORM_MIMETYPES:
        form, positions, uploads = _from_multipart()
    else:
        form, positions, uploads = _from_json()
    response = ops.record_response(
        act, form.values() | {"positions": positions}, uploads, g.api_user
    )
    return dump(response), 201


@bp.get("/response-files/<int:file_id>/content")
def response_files_content(file_id):
    f = get_or_404(ResponseFile, file_id)
    return storage.send(
        f.path,
        sha256=f.sha256,
        mimetype=f.content_type,
        download_name=f.filename,
    )


def _from_json():
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(422, fields={"_": [_("A JSON object is expected.")]})
    body = dict(body)
    positions = body.pop("positions", [])
    return _valid(ResponseForm.from_json(body)), positions, []


def _from_multipart():
    unknown = (set(request.form) - {*FORM_FIELDS, "positions"}) | (set(request.files) - {"files"})
    if unknown:
        raise ApiError(422, fields={k: [_("Unknown field.")] for k in sorted(unknown)})
    positions = form_positions()
    formdata = MultiDict([(k, v) for k, v in request.form.items(multi=True) if k in FORM_FIELDS])
    form = ResponseForm(formdata=formdata, meta={"csrf": False})
    uploads = [f for f in request.files.getlist("files") if f.filename]
    return _valid(form), positions, uploads


def _valid(form):
    if not form.validate():
        raise ApiError(422, fields=form.errors)
    return form


def _register_openapi():
    int_, str_ = {"type": "integer"}, {"type": "string"}
    date = {"type": "string", "format": "date"}
    position = {
        "type": "object",
        "required": ["recommendation_id", "position"],
        "properties": {
            "recommendation_id": int_,
            "position": {"type": "string", "enum": list(POSITIONS)},
            "comment": str_,
            "planned_on": {**date, "nullable": True},
        },
    }
    file_ = {
        "type": "object",
        "properties": {
            "id": int_, "filename": str_, "content_type": {"type": "string", "enum": list(CONTENT_TYPES)},
            "size": int_, "sha256": str_, "recommendation_id": {**int_, "nullable": True},
        },
    }  # fmt: skip
    openapi.EXTRA_SCHEMAS["Response"] = {
        "properties": {
            "id": int_, "act_id": int_,
            "kind": {"type": "string", "enum": list(KINDS), "nullable": True},
            "received_on": {**date, "nullable": True}, "sent_on": {**date, "nullable": True},
            "incoming_number": {**str_, "nullable": True},
            "text": str_,
            "positions": {"type": "array", "items": position},
            "files": {"type": "array", "items": file_},
            "recorded_by_id": {**int_, "nullable": True},
            "created_at": {"type": "string", "format": "date-time"},
            "source": {"type": "string", "enum": list(SOURCES)},
            "status": {"type": "string", "enum": list(STATUSES)},
            "responder": {"type": "object", "properties": {
                "name": str_, "position": str_, "phone": str_, "email": str_}},
            "sender_number": str_, "review_note": str_,
        },
        "required": ["received_on", "incoming_number", "kind"],
        "read_only": ("id", "act_id", "files", "recorded_by_id", "created_at", "source", "status",
                      "responder", "sender_number", "review_note"),
    }  # fmt: skip
    multipart = {
        "type": "object",
        "required": ["received_on", "incoming_number", "kind"],
        "properties": {
            "received_on": date, "sent_on": date, "incoming_number": str_,
            "kind": {"type": "string", "enum": list(KINDS)}, "text": str_,
            "positions": {"type": "string", "description": "The positions as a JSON array."},
            "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
        },
    }  # fmt: skip
    ref = {"$ref": "#/components/schemas/Response"}
    id_param = [{"name": "id", "in": "path", "required": True, "schema": int_}]

    def errors(*codes):
        return {str(c): {"$ref": f"#/components/responses/E{c}"} for c in codes}

    openapi.EXTRA_PATHS.append(("/acts/{id}/responses", "get", {
        "summary": "The authority's answers to an act, in the order they arrived",
        "parameters": id_param,
        "responses": {"200": {"description": "Answers", "content": {"application/json": {
            "schema": {"type": "array", "items": ref}}}}, **errors(401, 404)},
    }))  # fmt: skip
    openapi.EXTRA_PATHS.append(("/acts/{id}/responses", "post", {
        "summary": "Record an answer (a substantive one moves the act and its recommendations "
                   "to responded); files with multipart/form-data",
        "parameters": id_param,
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ResponseInput"}},
            "multipart/form-data": {"schema": multipart}}},
        "responses": {"201": {"description": "Recorded", "content": {"application/json": {
            "schema": ref}}}, **errors(400, 401, 403, 404, 409, 413, 422)},
    }))  # fmt: skip
    openapi.EXTRA_PATHS.append(("/response-files/{id}/content", "get", {
        "summary": "A file attached to an answer",
        "parameters": id_param,
        "responses": {"200": {"description": "The file", "content": {
            t: {"schema": {"type": "string", "format": "binary"}} for t in CONTENT_TYPES}},
            **errors(401, 404)},
    }))  # fmt: skip


_register_openapi()
