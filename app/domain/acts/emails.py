"""A person's decisions on an e-mail that did not go out: send again, cancel, or record that it
was delivered by other means. Each is kept on the e-mail (who, when, note) and in the audit log."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional

from app.core.audit import record_audit
from app.domain.forms import ModelForm
from app.mail import outbox
from app.mail.models import OutboxEmail

ACTIONS = ("retry", "cancel", "delivered")
ACTION_LABELS = {
    "retry": _l("Send again"),
    "cancel": _l("Cancel the e-mail"),
    "delivered": _l("Delivered by other means"),
}
STATUS_LABELS = {
    "queued": _l("waiting to be sent"),
    "sending": _l("being sent"),
    "sent": _l("sent"),
    "failed": _l("not sent"),
    "held": _l("held"),
    "cancelled": _l("cancelled"),
    "delivered": _l("delivered by other means"),
    "bounced": _l("not delivered"),
}

#: The e-mail step of a sent act (app.domain.acts.dispatch.email_step) beyond the statuses.
STEP_LABELS = {
    **STATUS_LABELS,
    "waiting": _l("waiting for the registered documents"),
    "not_queued": _l("could not be queued"),
}


class EmailActionError(Exception):
    """A decision the e-mail cannot take now: 409 (its status) or 422 (a field)."""

    def __init__(self, status, field, message):
        super().__init__(str(message))
        self.status, self.field, self.message = status, field, message


class EmailDecisionForm(ModelForm):
    """The note and date of a decision (the API takes the same names)."""

    note = StringField(_l("Note"), validators=[Optional(), Length(max=2000)])
    delivered_on = DateField(_l("Delivered on"), validators=[Optional()])


def actions_for(email: OutboxEmail) -> list[str]:
    """The decisions a person may take on ``email`` now (for the buttons)."""
    if email.status == "failed":
        return list(ACTIONS)
    if email.status in outbox.CLOSABLE:
        return ["cancel", "delivered"]
    return []


def decide(email: OutboxEmail, action: str, actor, note=None, delivered_on=None) -> OutboxEmail:
    """Take ``action`` on ``email`` for ``actor``; flushes, the caller commits."""
    if action not in ACTIONS:
        raise EmailActionError(404, "action", _l("Not found."))
    try:
        if action == "retry":
            outbox.retry(email, actor.id, note)
        elif action == "cancel":
            outbox.cancel(email, actor.id, note)
        else:
            outbox.mark_delivered(email, delivered_on, note, actor.id)
    except outbox.MailError as exc:
        raise EmailActionError(
            409 if exc.field == "status" else 422, exc.field, exc.message
        ) from None
    details = {"action": action, "note": email.resolution_note, "status": email.status}
    if email.subject_type == "acts":
        details["act_id"] = email.subject_id
    if delivered_on is not None:
        details["delivered_on"] = delivered_on.isoformat()
    record_audit(f"email.{action}", actor, subject=email, details=details)
    return email
