"""What the act page shows of work that runs in the workers (documents, e-mail) and whether it
still runs: the page polls ``/acts/<id>/live`` for these parts until it is done."""

from app.core.clock import today
from app.domain.acts.dispatch import email_step
from app.domain.acts.emails import STEP_LABELS, EmailDecisionForm, actions_for
from app.domain.acts.forms import SendForm
from app.domain.recommendations.forms import TransitionForm
from app.mail.outbox import emails_for
from app.workflow import get_engine

#: E-mail steps after which a worker still has something to do.
EMAIL_RUNNING = ("queued", "sending")


def is_running(act, step) -> bool:
    """Whether a job still works on the act: its documents, or its e-mail on the way out."""
    if act.documents_status == "pending":
        return True
    return step in EMAIL_RUNNING or (step == "waiting" and act.documents_status == "ready")


def context(act, user, send_form=None) -> dict:
    """The template values of the act page's live parts (actions, documents, e-mails)."""
    emails = emails_for("acts", act.id)
    step = email_step(act, emails)
    if send_form is None:
        send_form = SendForm(formdata=None)
        send_form.channel.data = "email" if act.authority.email else "post"
        send_form.sent_on.data = today()
    return {
        "transitions": get_engine().available(act, user),
        "form": TransitionForm(),
        "send_form": send_form,
        "emails": emails,
        "email_step": step,
        "email_actions": actions_for,
        "email_labels": STEP_LABELS,
        "decision_form": EmailDecisionForm(formdata=None),
        "running": is_running(act, step),
        "documents_busy": act.documents_status == "pending",
    }
