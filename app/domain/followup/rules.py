"""When findings of a follow-up visit count: only from visits after the recommendation's last
sending; an open act that still asks about a verified recommendation says so."""

from flask_babel import lazy_gettext as _l

from app.domain import states as _states

#: Act states in which the act still asks the authority about its recommendations.
OPEN_ACT_STATES = _states.not_final("act")


def last_sending(rec):
    """The act that last sent ``rec`` to the authority (the latest sending date), or None."""
    sent = [act for act in rec.acts if act.sent_on is not None]
    return max(sent, key=lambda act: (act.sent_on, act.id)) if sent else None


def too_early(rec, visit):
    """Why the findings of ``visit`` cannot count for ``rec`` (a message), or None. A visit
    counts only when it started after the last act carrying ``rec`` was sent: what a monitor
    saw before that, the authority was still being asked about."""
    act = last_sending(rec)
    if act is None or visit.started_on > act.sent_on:
        return None
    number = act.outgoing_number or f"№{act.id}"
    return _l(
        "Findings count only from visits after the sending: recommendation №%(id)s was sent "
        "with act %(act)s on %(sent)s, and the visit of %(visit)s did not start after that day.",
        id=rec.id,
        act=number,
        sent=act.sent_on.strftime("%d.%m.%Y"),
        visit=visit.started_on.strftime("%d.%m.%Y"),
    )


def verified_in_open_act(act):
    """The recommendations ``act`` carries that a follow-up visit verified while the act is
    still open (it asks the authority about what is already confirmed)."""
    if act.state not in OPEN_ACT_STATES:
        return []
    return [rec for rec in act.recommendations if rec.state == "verified"]
