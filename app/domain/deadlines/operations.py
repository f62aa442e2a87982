"""Deadline operations: start the clock at sending, confirm or correct the receipt date, extend,
pause, resume, stop. Every change recomputes the due date and leaves an event in the history.

The statutory due date is the term counted from the receipt, moved by the pauses; an extension
names a later last day (never an earlier one), and pauses that begin after it move it too.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core.clock import today
from app.core.db import utcnow
from app.core.errors import OperationError
from app.domain.deadlines.calendar import current_calendar, term_for
from app.domain.deadlines.models import Deadline, DeadlineEvent
from app.extensions import db
from app.terms import Term, apply_shift, due_date_with_pauses, paused_days


def _not_running():
    """The term is not running (409); ``fields`` names the state."""
    message = _l("The term of this act is not running.")
    return OperationError(message, status=409, fields={"state": [message]})


def receipt_date(act):
    """(receipt date, assumed): the confirmed date; else for post the sending date plus the
    delivery allowance, for e-mail the sending date until the mail server accepted it."""
    if act.received_on and not act.received_on_assumed:
        return act.received_on, False
    if act.channel == "post":
        return act.sent_on + timedelta(days=current_app.config["POST_DELIVERY_DAYS"]), True
    return act.sent_on, True


def start(act, definition, actor):
    """Open the act's deadline at sending (the workflow's term for its kind)."""
    term, shift = term_for(definition, act.kind)
    remind = definition.states["sent"].deadline.remind_before or 0
    received_on, assumed = receipt_date(act)
    act.received_on, act.received_on_assumed = received_on, assumed
    deadline = Deadline(
        act_id=act.id,
        trigger_on=received_on,
        term=str(term),
        shift=shift,
        remind_days=remind,
        pauses=[],
    )
    with db.session.no_autoflush:  # the calendar is read before the row can be written
        _recompute(deadline, act)
    db.session.add(deadline)
    _event(deadline, "created", actor, "", None)
    _record_receipt(act)
    return deadline


def change_receipt(act, received_on, actor, reason="", event="receipt_changed"):
    """The confirmed receipt date, also after the act went overdue: the term is counted again;
    an act whose new due date has not passed returns to sent, with its recommendations."""
    if act.sent_on is not None and received_on < act.sent_on:
        raise OperationError(
            fields={"received_on": [_l("The receipt date cannot be before the sending date.")]}
        )
    if received_on > today():
        raise OperationError(
            fields={"received_on": [_l("The receipt date cannot be in the future.")]}
        )
    deadline = _live(act)
    old = deadline.due_on
    act.received_on, act.received_on_assumed = received_on, False
    deadline.trigger_on = received_on
    _recompute(deadline, act)
    _event(deadline, event, actor, reason, old)
    _record_receipt(act)
    if deadline.fired_at is not None and (deadline.due_on is None or deadline.due_on >= today()):
        deadline.fired_at = None  # the sweep fires again if the new date passes
        if act.state == "overdue":
            _reopen(act, deadline, actor)
    elif deadline.fired_at is not None and act.state == "sent":
        deadline.fired_at = None  # it passed on an assumed date: the sweep acts on it now
    db.session.flush()


def _reopen(act, deadline, actor):
    from app.domain.acts.models import Act
    from app.domain.acts.operations import fire as fire_act
    from app.domain.recommendations.operations import fire as fire_rec

    fire_act(act, "reopen", None)
    for rec in act.recommendations:
        if rec.state == "overdue":
            fire_rec(rec, "reopen", None)
    # The reminder (or escalation) the sweep drafted when the term passed is moot now.
    comment = str(
        _l(
            "The term of act %(number)s runs again: its receipt date was corrected.",
            number=act.outgoing_number,
        )
    )
    for follow_up in db.session.scalars(
        sa.select(Act).where(Act.previous_act_id == act.id, Act.state == "draft")
    ):
        fire_act(follow_up, "cancel", None, {"comment": comment})
    _event(deadline, "reopened", actor, "", deadline.due_on)


def extend(act, until, actor, reason):
    """A later last day (продовження строку): never before the statutory due date; a day off
    moves to the next working day."""
    deadline = _open(act)
    if not reason:
        raise OperationError(
            fields={"reason": [_l("Give the reason (e.g. the authority's letter).")]}
        )
    statutory = statutory_due(deadline)
    if statutory is not None and until < statutory:
        message = _l(
            "An extension cannot end before the original due date (%(date)s).",
            date=statutory.strftime("%d.%m.%Y"),
        )
        raise OperationError(fields={"until": [message]})
    if until < today():
        raise OperationError(fields={"until": [_l("An extension cannot end before today.")]})
    old = deadline.due_on
    deadline.extended_to = apply_shift(until, current_calendar(), "next")
    deadline.extended_on = today()
    _recompute(deadline, act)
    _event(deadline, "extended", actor, reason, old)


def suspend(act, actor, reason, on=None):
    deadline = _open(act)
    if deadline.suspended_on is not None:
        raise OperationError(fields={"reason": [_l("The term is already suspended.")]})
    if not reason:
        raise OperationError(fields={"reason": [_l("Give the reason for the suspension.")]})
    old = deadline.due_on
    deadline.suspended_on = on or today()
    _recompute(deadline, act)
    _event(deadline, "suspended", actor, reason, old)


def resume(act, actor, reason="", on=None):
    deadline = _open(act)
    if deadline.suspended_on is None:
        raise OperationError(fields={"reason": [_l("The term is not suspended.")]})
    resumed = on or today()
    deadline.pauses = [*deadline.pauses, [deadline.suspended_on.isoformat(), resumed.isoformat()]]
    deadline.suspended_on = None
    _recompute(deadline, act)
    _event(deadline, "resumed", actor, reason, None)


def restart(act, received_on, actor, reason):
    """The act goes again another way (its e-mail was returned undelivered, it goes by post):
    the suspension that stopped the clock ends without counting, and the term runs from
    ``received_on``, assumed until the real receipt date is entered."""
    deadline = _live(act)
    old = deadline.due_on
    deadline.suspended_on = None
    act.received_on, act.received_on_assumed = received_on, True
    deadline.trigger_on = received_on
    _recompute(deadline, act)
    _event(deadline, "receipt_changed", actor, reason, old)
    _record_receipt(act)


def stop(act, reason="answered"):
    """The clock stops for good (the authority answered, the act was closed or cancelled)."""
    deadline = act.deadline
    if deadline is not None and deadline.is_open:
        deadline.cancelled_at = utcnow()
        _event(deadline, "cancelled", None, reason, deadline.due_on)


def _live(act):
    """The deadline of a sent or overdue act whose clock was not stopped (fired or not)."""
    deadline = act.deadline
    if deadline is None or act.state not in ("sent", "overdue") or deadline.cancelled_at:
        raise _not_running()
    return deadline


def _open(act):
    deadline = _live(act)
    if act.state != "sent" or deadline.fired_at is not None:
        raise _not_running()
    return deadline


def _pauses(deadline):
    pauses = [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in deadline.pauses]
    if deadline.suspended_on is not None:
        pauses.append((deadline.suspended_on, None))
    return pauses


def statutory_due(deadline):
    """The term counted from the receipt and moved by every pause, without extensions."""
    return due_date_with_pauses(
        deadline.trigger_on,
        Term.parse(deadline.term),
        current_calendar(),
        deadline.shift,
        _pauses(deadline),
    )


def _recompute(deadline, act):
    """Due date = the statutory one, or the extension moved by the pauses begun after it; the
    act and its recommendations show the same date."""
    with db.session.no_autoflush:  # the calendar is read while the row is half-changed
        _recompute_dates(deadline, act)


def _recompute_dates(deadline, act):
    calendar = current_calendar()
    due = statutory_due(deadline)
    if deadline.extended_to is not None:
        since = deadline.extended_on or deadline.extended_to
        later = [(a, b) for a, b in _pauses(deadline) if a >= since]
        extra = paused_days(later)
        if extra is None:
            due = None
        else:
            extended = apply_shift(deadline.extended_to + timedelta(days=extra), calendar)
            due = extended if due is None else max(due, extended)
    deadline.due_on = due
    deadline.remind_on = _remind_on(due, deadline.remind_days, calendar)
    if due is not None and deadline.reminded_at is not None and deadline.remind_on > today():
        deadline.reminded_at = None  # a later due date earns a new reminder
    act.due_on = due
    if act.kind != "reminder":
        for rec in act.recommendations:
            rec.due_on = due


def _remind_on(due, days, calendar):
    if due is None or not days:
        return None
    day, left = due, days
    while left:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day


def _record_receipt(act):
    """The statistics count from the receipt (recommendation_timings.received_on)."""
    from app.domain.search.timings import set_received

    set_received([rec.id for rec in act.recommendations], act.received_on)


def _event(deadline, kind, actor, reason, old):
    db.session.add(
        DeadlineEvent(
            deadline=deadline,
            kind=kind,
            actor_id=actor.id if actor else None,
            reason=reason or "",
            old_due_on=old,
            new_due_on=deadline.due_on,
        )
    )
    db.session.flush()


def recompute_open(actor=None):
    """After an administrator changed the calendar: every running term counted again."""
    from app.domain.deadlines.calendar import forget_calendar

    forget_calendar()
    changed = 0
    for deadline in db.session.scalars(
        sa.select(Deadline).where(Deadline.fired_at.is_(None), Deadline.cancelled_at.is_(None))
    ):
        old = deadline.due_on
        _recompute(deadline, deadline.act)
        if deadline.due_on != old:
            _event(deadline, "recounted", actor, "calendar changed", old)
            changed += 1
    return changed
