"""A person's decisions on an e-mail that did not go out: send again, cancel, or record that it
was delivered by other means. Each is kept on the e-mail (who, when, note) and in the audit log."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional

from app.core.audit import record_audit
from app.core.errors import OperationError
from app.core.forms import DateWithin
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
    "held": _l("waiting: sending e-mail is not set up (SMTP)"),
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


class EmailDecisionForm(ModelForm):
    """The note and date of a decision (the API takes the same names)."""

    note = StringField(_l("Note"), validators=[Optional(), Length(max=2000)])
    delivered_on = DateField(_l("Delivered on"), validators=[Optional(), DateWithin()])


def actions_for(email: OutboxEmail) -> list[str]:
    """The decisions a person may take on ``email`` now (for the buttons)."""
    if email.status == "failed":
        return list(ACTIONS)
    if email.status in outbox.CLOSABLE:
        return ["cancel", "delivered"]
    return []


def decide(email: OutboxEmail, action: str, actor, note=None, delivered_on=None) -> OutboxEmail:
    """Take ``action`` on ``email`` for ``actor``; flushes. Refuses with ``MailError`` (409 when
    the e-mail's status does not allow it, 422 naming a field) or 404 for an unknown action."""
    if action not in ACTIONS:
        raise OperationError(_l("Not found."), status=404)
    if action == "retry":
        outbox.retry(email, actor.id, note)
    elif action == "cancel":
        outbox.cancel(email, actor.id, note)
    else:
        outbox.mark_delivered(email, delivered_on, note, actor.id)
    details = {"action": action, "note": email.resolution_note, "status": email.status}
    if email.subject_type == "acts":
        details["act_id"] = email.subject_id
    if delivered_on is not None:
        details["delivered_on"] = delivered_on.isoformat()
    record_audit(f"email.{action}", actor, subject=email, details=details)
    return email
