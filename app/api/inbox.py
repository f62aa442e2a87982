"""/inbox: the office mailbox's messages by state; filing one on an act, setting one aside."""

from flask import g
from flask_babel import gettext as _
from marshmallow import Schema, fields

from app.api import bp
from app.api.acts import ActSchema
from app.api.common import choice_arg, json_body, paginated, roles
from app.api.errors import ApiError
from app.api.openapi import doc, page
from app.api.schemas import code, nullable
from app.core import storage
from app.core.inputs import bounded_int
from app.domain.acts.models import Act
from app.domain.inbox import STATES, operations, queries
from app.domain.inbox.models import InboxMessage
from app.extensions import db


class InboxMessageSchema(Schema):
    id = fields.Integer()
    from_ = fields.String(attribute="from_addr", data_key="from")
    from_name = fields.String()
    subject = fields.String()
    received_at = fields.DateTime()
    state = code(STATES)
    reason = fields.Function(
        lambda m: m.reason or None, metadata={"type": "string", "nullable": True}
    )
    attachments = fields.Function(
        lambda m: [
            {k: a.get(k) for k in ("filename", "content_type", "size", "problem")}
            for a in m.attachments or []
        ],
        metadata={"type": "array", "items": {"type": "object"}},
    )
    act_id = nullable(fields.Integer)
    response_id = nullable(fields.Integer)
    email_id = nullable(fields.Integer, attribute="outbox_email_id")
    matched_by = nullable(fields.String)
    text = fields.String()


class InboxQuery(Schema):
    state = code(STATES)


class FileBody(Schema):
    act_id = fields.Integer(required=True)


class IgnoreBody(Schema):
    note = fields.String()


dump = InboxMessageSchema().dump


@bp.get("/inbox")
@doc(
    "Messages of the office mailbox by state (default: unmatched)",
    response=page(InboxMessageSchema),
    query=InboxQuery,
    paged=True,
    errors=(401, 403, 422),
)
@roles("lawyer", "admin")
def inbox_list():
    state = choice_arg("state", STATES) or "unmatched"
    return paginated(queries.by_state(state), dump)


@bp.get("/inbox/<int:message_id>")
@doc("One message", response=InboxMessageSchema, errors=(401, 403, 404))
@roles("lawyer", "admin")
def inbox_one(message_id):
    return dump(_message(message_id))


@bp.get("/inbox/<int:message_id>/original")
@doc("The original message (.eml)", content=["message/rfc822"], errors=(401, 403, 404, 409))
@roles("lawyer", "admin")
def inbox_original(message_id):
    message = _message(message_id)
    return storage.send(
        message.eml_path, mimetype="message/rfc822", download_name=f"message-{message.id}.eml"
    )


@bp.post("/inbox/<int:message_id>/file")
@doc(
    "File a waiting message on an act: a response to review",
    response=InboxMessageSchema,
    body=FileBody,
    errors=(400, 401, 403, 404, 409, 422),
)
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
@doc(
    "Set a message aside",
    response=InboxMessageSchema,
    body=IgnoreBody,
    errors=(400, 401, 403, 404, 409, 422),
)
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
@doc(
    "After the act's e-mail bounced: it goes by post, its term runs again",
    response=ActSchema,
    errors=(401, 403, 404, 409),
)
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
