"""What a flash message says after an action: what happened, not the name of the new state."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

RECOMMENDATION_DONE = {
    "issue": _l("The recommendation is issued."),
    "verify": _l("The implementation of the recommendation is verified."),
    "withdraw": _l("The recommendation is withdrawn."),
    "assess_implemented": _l("The recommendation is assessed as implemented."),
    "assess_partially_implemented": _l("The recommendation is assessed as partially implemented."),
    "assess_not_implemented": _l("The recommendation is assessed as not implemented."),
    "assess_rejected": _l("The recommendation is assessed as rejected."),
}

ACT_DONE = {
    "generate": _l("The documents are being generated; the page shows when they are ready."),
    "close": _l("The act is closed."),
    "cancel": _l("The draft act is cancelled."),
}

EMAIL_DONE = {
    "retry": _l("The e-mail is queued to be sent again."),
    "cancel": _l("The e-mail is cancelled; it will not be sent."),
    "delivered": _l("The e-mail is recorded as delivered by other means."),
}


def recommendation_done(transition):
    return str(RECOMMENDATION_DONE.get(transition) or _done("recommendation", transition))


def act_done(act, transition):
    if transition == "send":
        if act.channel == "email":
            return _(
                "The act is registered as № %(number)s; its e-mail is being sent (the page shows each step).",
                number=act.outgoing_number,
            )
        return _(
            "The act is registered as № %(number)s and recorded as sent by post.",
            number=act.outgoing_number,
        )
    return str(ACT_DONE.get(transition) or _done("act", transition))


def email_done(action):
    return str(EMAIL_DONE[action])


def _done(workflow, transition):
    """The action's own name from the workflow, in the page's language."""
    from flask_babel import get_locale

    from app.workflow import get_engine

    lang = "uk" if str(get_locale()) == "uk" else "en"
    for t in get_engine().current(workflow).transitions:
        if t.name == transition:
            return _("Done: “%(action)s”.", action=getattr(t.label, lang))
    return _("Done.")
