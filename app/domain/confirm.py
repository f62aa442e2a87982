"""The confirmation step of a transition that cannot be undone and asks for a reason (an act's
close and cancel, a recommendation's withdraw): a page of its own, no script needed, whose
required reason becomes the comment in the case's history. One builder for both features."""

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.workflow import get_engine

REASON_MAX = 5000

#: (workflow, transition) → (the page's question, what the step does, the confirming button).
WORDING = {
    ("act", "close"): (
        _l("Close the act of response?"),
        _l(
            "A closed act cannot be reopened: its term stops and its recommendations no longer "
            "wait for this act. Close it when the authority's answer is assessed or nothing "
            "more is expected."
        ),
        _l("Close the act"),
    ),
    ("act", "cancel"): (
        _l("Cancel the draft act?"),
        _l("A cancelled act is never sent; its recommendations may go into another act."),
        _l("Cancel the act"),
    ),
    ("recommendation", "withdraw"): (
        _l("Withdraw the recommendation from monitoring?"),
        _l(
            "The recommendation becomes «No longer relevant» for good: no act, term or "
            "follow-up visit will concern it again."
        ),
        _l("Withdraw from monitoring"),
    ),
}


class ReasonForm(FlaskForm):
    """The confirmation: the transition's name and the reason kept in the history."""

    name = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(
        _l("Reason"),
        description=_l("Kept in the case's history."),
        validators=[
            DataRequired(message=_l("Give the reason: it is kept in the case's history.")),
            Length(max=REASON_MAX),
        ],
    )


def reason_transition(subject, name):
    """The transition ``name`` when the current user may fire it now and it asks for a reason
    (else None)."""
    for t in get_engine().available(subject, current_user):
        if t.name == name and t.needs_reason:
            return t
    return None


def wording(workflow, transition):
    """(question, explanation, button) of the confirmation page."""
    known = WORDING.get((workflow, transition.name))
    if known:
        return known
    return (_l("Confirm: %(label)s?", label=transition.label), "", transition.label)


def reason_page(workflow, transition, *, action, back, form=None, warning=None, items=()):
    """The confirmation page; ``form`` carries the input and errors of a refused submit;
    ``warning`` and ``items`` (label, url) list what the user should know before confirming."""
    if form is None:
        form = ReasonForm(formdata=None)
        form.name.data = transition.name
    question, explanation, button = wording(workflow, transition)
    return render_template(
        "confirm_transition.html",
        form=form,
        question=question,
        explanation=explanation,
        button=button,
        action=action,
        back=back,
        warning=warning,
        items=items,
    )


def posted_reason_form(name):
    """The confirmation as posted, validated: its errors and input go back on the page."""
    form = ReasonForm()
    form.name.data = name
    form.validate()
    return form
