"""The act page, built here for every route that shows it (the act's own and the sections'
routes that show it again with a form's errors). Other features add their sections to it
(``features.page_section(bp, "act", builder)``): the answers, personal data, legal hold."""

from flask import render_template
from flask_login import current_user

from app.core import features
from app.core.clock import today
from app.domain.acts import operations as ops
from app.domain.acts.forms import SendForm
from app.domain.recommendations.forms import TransitionForm
from app.workflow import get_engine


def act_page(act, send_form=None, **sections):
    from app.domain.acts.dispatch import email_step
    from app.domain.acts.emails import STEP_LABELS, EmailDecisionForm, actions_for
    from app.domain.acts.letters import preview_html
    from app.domain.recommendations.queries import actor_names
    from app.letters.render import LetterError
    from app.mail.outbox import emails_for

    engine = get_engine()
    emails = emails_for("acts", act.id)
    history = engine.history(act)
    try:
        preview, preview_error = preview_html(act), None
    except LetterError as exc:
        preview, preview_error = None, str(exc)
    if send_form is None:
        send_form = SendForm(formdata=None)
        send_form.channel.data = "email" if act.authority.email else "post"
        send_form.sent_on.data = today()
    return render_template(
        "acts/detail.html", act=act, history=history, names=actor_names(history),
        transitions=engine.available(act, current_user), form=TransitionForm(), send_form=send_form,
        preview=preview, preview_error=preview_error, emails=emails, email_actions=actions_for,
        email_step=email_step(act, emails), decision_form=EmailDecisionForm(formdata=None),
        email_labels=STEP_LABELS, can_delete=ops.may_edit_draft(act, current_user),
        **features.sections("act", act, **sections),
    )  # fmt: skip
