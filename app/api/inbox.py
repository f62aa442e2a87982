"""/inbox: the office mailbox's messages by state; filing one on an act, setting one aside."""

from flask import g
from flask_babel import gettext as _

from app.api import bp
from app.api.common import choice_arg, json_body, paginated, roles
from app.api.errors import ApiError
from app.core import storage
from app.core.inputs import bounded_int
from app.domain.acts.models import Act
from app.domain.inbox import STATES, operations, queries
from app.domain.inbox.models import InboxMessage
from app.extensions import db


def dump(message):
    return {
        "id": message.id,
        "from": message.from_addr,
        "from_name": message.from_name,
        "subject": message.subject,
        "received_at": message.received_at.isoformat(),
        "state": message.state,
        "reason": message.reason or None,
        "attachments": [
            {k: a.get(k) for k in ("filename", "content_type", "size", "problem")}
            for a in message.attachments or []
        ],
        "act_id": message.act_id,
        "response_id": message.response_id,
        "email_id": message.outbox_email_id,
        "matched_by": message.matched_by,
        "text": message.text,
    }


@bp.get("/inbox")
@roles("lawyer", "admin")
def inbox_list():
    state = choice_arg("state", STATES) or "unmatched"
    return paginated(queries.by_state(state), dump)


@bp.get("/inbox/<int:message_id>")
@roles("lawyer", "admin")
def inbox_one(message_id):
    return dump(_message(message_id))


@bp.get("/inbox/<int:message_id>/original")
@roles("lawyer", "admin")
def inbox_original(message_id):
    message = _message(message_id)
    return storage.send(
        message.eml_path, mimetype="message/rfc822", download_name=f"message-{message.id}.eml"
    )


@bp.post("/inbox/<int:message_id>/file")
@roles("lawyer")
def inbox_file(message_id):
    message = _message(message_id)
    body = _object()
    act_id = body.get("act_id")
    try:
        act_id = bounded_int(act_id) if not isinstance(act_id, bool) else None
    except (TypeError, ValueError):
        act_id = None
    if act_id is None or act_id < 1:
        raise ApiError(422, fields={"act_id": [_("Must be a whole number.")]})
    act = db.session.get(Act, act_id)
    if act is None:
        raise ApiError(422, fields={"act_id": [_("No such act.")]})
    operations.file_on(message, act, g.api_user)
    return dump(message)


@bp.post("/inbox/<int:message_id>/ignore")
@roles("lawyer")
def inbox_ignore(message_id):
    message = _message(message_id)
    body = _object()
    note = body.get("note", "")
    if note is not None and not isinstance(note, str):
        raise ApiError(422, fields={"note": [_("Text is expected.")]})
    operations.ignore(message, g.api_user, note)
    return dump(message)


@bp.post("/acts/<int:act_id>/send-by-post")
@roles("lawyer")
def acts_send_by_post(act_id):
    from app.api.acts import dump as dump_act
    from app.api.common import get_or_404

    act = get_or_404(Act, act_id)
    operations.send_by_post(act, g.api_user)
    return dump_act(act)


def _object():
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(422, fields={"_": [_("A JSON object is expected.")]})
    return body


def _message(message_id):
    message = db.session.get(InboxMessage, message_id) if 0 < message_id < 2**63 else None
    if message is None:
        raise ApiError(404)
    return message


def _register_openapi():
    from app.api import openapi

    int_, str_ = {"type": "integer"}, {"type": "string"}
    id_param = [{"name": "id", "in": "path", "required": True, "schema": int_}]
    message = {
        "type": "object",
        "properties": {
            "id": int_, "from": str_, "from_name": str_, "subject": str_,
            "received_at": {"type": "string", "format": "date-time"},
            "state": {"type": "string", "enum": list(STATES)},
            "reason": openapi.nullable(str_),
            "attachments": {"type": "array", "items": {"type": "object"}},
            "act_id": openapi.nullable(int_), "response_id": openapi.nullable(int_),
            "email_id": openapi.nullable(int_), "matched_by": openapi.nullable(str_),
            "text": str_,
        },
    }  # fmt: skip
    page = {
        "type": "object",
        "properties": {"items": {"type": "array", "items": message}, "total": int_,
                       "page": int_, "per_page": int_},
    }  # fmt: skip

    def errors(*codes):
        return {str(c): {"$ref": f"#/components/responses/E{c}"} for c in codes}

    def ok(description, schema=message):
        return {"200": {"description": description,
                        "content": {"application/json": {"schema": schema}}}}  # fmt: skip

    def body(properties, required=()):
        schema = {"type": "object", "properties": properties}
        if required:
            schema["required"] = list(required)
        return {"required": True, "content": {"application/json": {"schema": schema}}}

    paths = [
        ("/inbox", "get", {
            "summary": "Messages of the office mailbox by state (default: unmatched)",
            "parameters": [
                {"name": "state", "in": "query",
                 "schema": {"type": "string", "enum": list(STATES)}},
                {"$ref": "#/components/parameters/page"},
                {"$ref": "#/components/parameters/per_page"},
            ],
            "responses": {**ok("A page", page), **errors(401, 403, 422)},
        }),
        ("/inbox/{id}", "get", {
            "summary": "One message", "parameters": id_param,
            "responses": {**ok("The message"), **errors(401, 403, 404)},
        }),
        ("/inbox/{id}/original", "get", {
            "summary": "The original message (.eml)", "parameters": id_param,
            "responses": {"200": {"description": "message/rfc822"}, **errors(401, 403, 404, 409)},
        }),
        ("/inbox/{id}/file", "post", {
            "summary": "File a waiting message on an act: a response to review",
            "parameters": id_param, "requestBody": body({"act_id": int_}, ["act_id"]),
            "responses": {**ok("Filed"), **errors(400, 401, 403, 404, 409, 422)},
        }),
        ("/inbox/{id}/ignore", "post", {
            "summary": "Set a message aside", "parameters": id_param,
            "requestBody": body({"note": str_}),
            "responses": {**ok("Set aside"), **errors(400, 401, 403, 404, 409, 422)},
        }),
        ("/acts/{id}/send-by-post", "post", {
            "summary": "After the act's e-mail bounced: it goes by post, its term runs again",
            "parameters": id_param,
            "responses": {"200": {"description": "The act"},
                          **errors(401, 403, 404, 409)},
        }),
    ]  # fmt: skip
    openapi.EXTRA_PATHS.extend(paths)


_register_openapi()
