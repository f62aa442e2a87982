"""Deadline operations: start the clock at sending, change the receipt date, extend, suspend,
resume, stop. Every change recomputes the due date and leaves an event in the history."""

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core.clock import today
from app.core.db import utcnow
from app.domain.deadlines.calendar import current_calendar, term_for
from app.domain.deadlines.models import Deadline, DeadlineEvent
from app.extensions import db
from app.terms import Term, due_date_with_pauses


class DeadlineError(Exception):
    """A change the deadline cannot take; ``fields`` maps fields to messages (422)."""

    def __init__(self, fields):
        super().__init__("deadline")
        self.fields = fields


def receipt_date(act):
    """When the addressee got the act: known, or the sending date (e-mail), or the sending date
    plus the delivery allowance (post)."""
    if act.received_on:
        return act.received_on
    if act.channel == "post":
        return act.sent_on + timedelta(days=current_app.config["POST_DELIVERY_DAYS"])
    return act.sent_on


def start(act, definition, actor):
    """Open the act's deadline at sending (the workflow's term for its kind)."""
    term, shift = term_for(definition, act.kind)
    remind = definition.states["sent"].deadline.remind_before or 0
    deadline = Deadline(act_id=act.id, trigger_on=receipt_date(act), term=str(term), shift=shift,
                        remind_days=remind, pauses=[])  # fmt: skip
    with db.session.no_autoflush:  # the calendar is read before the row can be written
        _recompute(deadline, act)
    db.session.add(deadline)
    _event(deadline, "created", actor, "", None)
    return deadline


def change_receipt(act, received_on, actor, reason=""):
    if received_on < act.sent_on:
        raise DeadlineError(
            {"received_on": [_l("The receipt date cannot be before the sending date.")]}
        )
    if received_on > today():
        raise DeadlineError({"received_on": [_l("The receipt date cannot be in the future.")]})
    deadline = _open(act)
    old = deadline.due_on
    act.received_on = received_on
    deadline.trigger_on = received_on
    _recompute(deadline, act)
    _event(deadline, "receipt_changed", actor, reason, old)


def extend(act, new_due_on, actor, reason):
    deadline = _open(act)
    if new_due_on < today():
        raise DeadlineError({"due_on": [_l("An extension cannot end before today.")]})
    if not reason:
        raise DeadlineError({"reason": [_l("Give the reason (e.g. the authority's letter).")]})
    old = deadline.due_on
    deadline.extended_to = new_due_on
    _recompute(deadline, act)
    _event(deadline, "extended", actor, reason, old)


def suspend(act, actor, reason, on=None):
    deadline = _open(act)
    if deadline.suspended_on is not None:
        raise DeadlineError({"reason": [_l("The term is already suspended.")]})
    if not reason:
        raise DeadlineError({"reason": [_l("Give the reason for the suspension.")]})
    old = deadline.due_on
    deadline.suspended_on = on or today()
    _recompute(deadline, act)
    _event(deadline, "suspended", actor, reason, old)


def resume(act, actor, reason="", on=None):
    deadline = _open(act)
    if deadline.suspended_on is None:
        raise DeadlineError({"reason": [_l("The term is not suspended.")]})
    resumed = on or today()
    deadline.pauses = [*deadline.pauses, [deadline.suspended_on.isoformat(), resumed.isoformat()]]
    deadline.suspended_on = None
    _recompute(deadline, act)
    _event(deadline, "resumed", actor, reason, None)


def stop(act, reason="answered"):
    """The clock stops for good (the authority answered, the act was closed or cancelled)."""
    deadline = act.deadline
    if deadline is not None and deadline.is_open:
        deadline.cancelled_at = utcnow()
        _event(deadline, "cancelled", None, reason, deadline.due_on)


def _open(act):
    deadline = act.deadline
    if deadline is None or act.state not in ("sent", "overdue") or not deadline.is_open:
        raise DeadlineError({"state": [_l("The term of this act is not running.")]})
    return deadline


def _recompute(deadline, act):
    """Due date = the term from the trigger, moved by the pauses, unless a lawyer extended it;
    the act and its recommendations show the same date."""
    pauses = [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in deadline.pauses]
    if deadline.suspended_on is not None:
        pauses.append((deadline.suspended_on, None))
    calendar = current_calendar()
    due = due_date_with_pauses(
        deadline.trigger_on, Term.parse(deadline.term), calendar, deadline.shift, pauses
    )
    if deadline.extended_to is not None:
        # An extension names the new last day; while suspended the day is unknown.
        due = None if deadline.suspended_on is not None else deadline.extended_to
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


def _event(deadline, kind, actor, reason, old):
    db.session.add(DeadlineEvent(deadline=deadline, kind=kind, actor_id=actor.id if actor else None,
                                 reason=reason or "", old_due_on=old, new_due_on=deadline.due_on))  # fmt: skip
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
