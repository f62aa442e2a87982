"""/acts/{id}/deadline (the legal clock of an act) and /terms/due (the term calculator)."""

from datetime import date

from flask import g, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load

from app.api import bp
from app.api.common import get_or_404, json_body, roles
from app.api.errors import ApiError
from app.api.openapi import doc
from app.api.schemas import nullable
from app.domain.acts import KINDS
from app.domain.acts.models import Act
from app.domain.deadlines import operations as ops
from app.domain.deadlines import protocol
from app.domain.deadlines.calculator import CalculatorError, due_with_steps, explain_deadline

REQUIRED = _l("This field is required.")
NOT_A_DAY = _l("Give a date as YYYY-MM-DD.")
NOT_A_TEXT = _l("Give a text.")


class StepSchema(Schema):
    date = fields.String(metadata={"format": "date"})
    note = fields.String()


class DeadlineEventSchema(Schema):
    kind = fields.String()
    at = fields.DateTime()
    actor = nullable(fields.Integer, attribute="actor_id")
    reason = nullable(fields.String)
    old_due_on = nullable(fields.Date)
    new_due_on = nullable(fields.Date)


class DeadlineSchema(Schema):
    due_on = nullable(fields.Date)
    statutory_due_on = nullable(fields.Date)
    received_on = nullable(fields.Date)
    received_on_assumed = fields.Boolean()
    paused = fields.Boolean()
    extended_to = nullable(fields.Date)
    running = fields.Boolean()
    term = fields.String()
    shift = fields.String()
    protocol_until = nullable(fields.Date)
    steps = fields.List(fields.Dict(), metadata={"description": "How the term was counted"})
    events = fields.List(fields.Nested(DeadlineEventSchema))


def _day(description=None):
    """A required date; an empty one is missing, anything but YYYY-MM-DD is refused."""
    return fields.Date(
        required=True,
        metadata={"description": description} if description else {},
        error_messages={"required": REQUIRED, "null": REQUIRED, "invalid": NOT_A_DAY},
    )


class ReasonSchema(Schema):
    """Why (recorded in the deadline's history); other keys are ignored."""

    class Meta:
        unknown = EXCLUDE

    reason = fields.String(
        load_default="", error_messages={"invalid": NOT_A_TEXT, "null": NOT_A_TEXT}
    )

    @pre_load
    def _empty_is_missing(self, data, **kwargs):
        return {k: v for k, v in data.items() if v != "" or k == "reason"}

    @post_load
    def _stripped(self, data, **kwargs):
        return {**data, "reason": data["reason"].strip()}


class ReceiptSchema(ReasonSchema):
    received_on = _day()


class ExtensionSchema(ReasonSchema):
    until = _day("Not before the statutory due date")


#: What each action reads from the body.
BODIES = {
    "receipt": ReceiptSchema,
    "extend": ExtensionSchema,
    "pause": ReasonSchema,
    "resume": ReasonSchema,
}


class TermQuery(Schema):
    kind = fields.String(required=True, metadata={"enum": list(KINDS)})
    received_on = fields.Date(required=True)
    shift = fields.String(metadata={"enum": ["next", "previous", "none"]})


class DueSchema(Schema):
    due_on = fields.Date()
    steps = fields.List(fields.Nested(StepSchema))


def dump_deadline(act):
    deadline = act.deadline
    if deadline is None:
        raise ApiError(404, _("The act has no term: it was not sent."))
    window = protocol.window(act)
    return DeadlineSchema().dump(
        {
            "due_on": deadline.due_on,
            "statutory_due_on": ops.statutory_due(deadline),
            "received_on": act.received_on,
            "received_on_assumed": bool(act.received_on_assumed),
            "paused": deadline.suspended_on is not None,
            "extended_to": deadline.extended_to,
            "running": deadline.cancelled_at is None and act.state in ("sent", "overdue"),
            "term": deadline.term,
            "shift": deadline.shift,
            "protocol_until": window[1] if window else None,
            "steps": explain_deadline(deadline)[1],
            "events": deadline.events,
        }
    )


def _body(action):
    data = json_body()
    if not isinstance(data, dict):
        raise ApiError(422, fields={"body": [_("A JSON object is expected.")]})
    try:
        return BODIES[action]().load(data)
    except ValidationError as exc:
        raise ApiError(422, fields=exc.messages) from None


@bp.get("/acts/<int:act_id>/deadline")
@doc(
    "The legal clock of a sent act, with its history and how it was counted",
    response=DeadlineSchema,
    errors=(401, 404),
)
def deadline_get(act_id):
    return dump_deadline(get_or_404(Act, act_id))


@bp.post("/acts/<int:act_id>/deadline/<action>")
@doc(
    "",
    response=DeadlineSchema,
    errors=(400, 401, 403, 404, 409, 422),
    variants={
        "receipt": {
            "summary": "The confirmed receipt date (also after the act went overdue)",
            "body": ReceiptSchema,
        },
        "extend": {
            "summary": "Extend the term: never before the statutory due date",
            "body": ExtensionSchema,
        },
        "pause": {"summary": "Suspend the clock", "body": ReasonSchema},
        "resume": {"summary": "Resume the clock: the paused days are added", "body": ReasonSchema},
    },
)
@roles("lawyer")
def deadline_change(act_id, action):
    act = get_or_404(Act, act_id)
    if action not in BODIES:
        raise ApiError(404)
    data = _body(action)
    reason = data["reason"]
    if action == "receipt":
        ops.change_receipt(act, data["received_on"], g.api_user, reason)
    elif action == "extend":
        ops.extend(act, data["until"], g.api_user, reason)
    elif action == "pause":
        ops.suspend(act, g.api_user, reason)
    else:
        ops.resume(act, g.api_user, reason)
    return dump_deadline(act)


@bp.get("/terms/due")
@doc(
    "The term calculator: the due date and how it was counted",
    response=DueSchema,
    query=TermQuery,
    errors=(401, 422),
)
def terms_due():
    errors = {}
    received_on = None
    try:
        received_on = date.fromisoformat(request.args.get("received_on", ""))
    except ValueError:
        errors["received_on"] = [_("Give a date as YYYY-MM-DD.")]
    kind = request.args.get("kind", "")
    try:
        if received_on is not None:
            due, steps = due_with_steps(kind, received_on, request.args.get("shift") or None)
            return DueSchema().dump({"due_on": due, "steps": steps})
        due_with_steps(kind, date(2000, 1, 1), request.args.get("shift") or None)
    except CalculatorError as exc:
        errors.update({k: [str(m) for m in v] for k, v in exc.fields.items()})
    raise ApiError(422, fields=errors)
