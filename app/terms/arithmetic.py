"""Legal-term arithmetic: when does a term end, and is it overdue?

Counting follows the Civil Code of Ukraine, Arts. 253-254:

* a term starts on the day after the triggering date (receipt of a submission, etc.);
* a term in days ends N calendar days after the trigger;
* a term in months ends on the same day-number in the last month of the term, or on that
  month's last day when it has no such day (31 January + 1 month -> 28/29 February);
* a term in working days ends on the N-th working day after the trigger;
* when the last day is not a working day the term ends on the next working day. Internal
  records practice uses the working day *before* instead, so the shift rule is a parameter
  (``"next"`` | ``"previous"`` | ``"none"``);
* the last day is still in time: a case is overdue from the day after its due date.

Everything here is pure: dates in, dates out, no clock and no database.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args

from .calendar import Calendar, _check_date

Unit = Literal["days", "working_days", "months"]
Shift = Literal["next", "previous", "none"]
UNITS: tuple[str, ...] = get_args(Unit)
SHIFTS: tuple[str, ...] = get_args(Shift)

# "15 days", "1 working day", "2 months"; the singular/plural forms are both accepted for any
# amount because they come from admins typing into a settings form.
_TERM_RE = re.compile(r"(\d+)\s+(working\s+)?(day|month)s?", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    """A legal term: a positive ``amount`` of ``unit`` (days, working days or months)."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 1:
            raise ValueError(f"term amount must be a positive integer, got {self.amount!r}")
        if self.unit not in UNITS:
            raise ValueError(f"unknown term unit {self.unit!r}; expected one of {UNITS}")

    @classmethod
    def parse(cls, text: str) -> Term:
        """Parse ``"N day(s)"``, ``"N working day(s)"`` or ``"N month(s)"`` (case-insensitive).

        Raises ValueError, naming the accepted forms, for any other string.
        """
        if not isinstance(text, str):
            raise TypeError(f"term must be a string, got {text!r}")
        match = _TERM_RE.fullmatch(text.strip())
        if match is None:
            raise ValueError(
                f"cannot parse term {text!r}: expected 'N days', 'N working days' or 'N months'"
                " with N a positive whole number, e.g. '15 days' or '1 month'"
            )
        amount_text, working, base = match.groups()
        if base.lower() == "month" and working:
            raise ValueError(f"cannot parse term {text!r}: there are no 'working months'")
        unit: Unit = "months" if base.lower() == "month" else "working_days" if working else "days"
        return cls(int(amount_text), unit)

    def __str__(self) -> str:
        noun = {"days": "day", "working_days": "working day", "months": "month"}[self.unit]
        return f"{self.amount} {noun}{'' if self.amount == 1 else 's'}"


def _add_months(d: date, months: int) -> date:
    """Same day-number ``months`` later, clamped to the last day of a shorter month."""
    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


def raw_end(trigger_on: date, term: Term, calendar: Calendar | None = None) -> date:
    """Last day of ``term`` counted from ``trigger_on``, before any non-working-day shift.

    ``calendar`` is needed only for working-day terms (ValueError without it): they are
    counted on working days, so their end is already a working day.
    """
    _check_date(trigger_on, "trigger_on")
    if term.unit == "days":
        return trigger_on + timedelta(days=term.amount)
    if term.unit == "months":
        return _add_months(trigger_on, term.amount)
    if calendar is None:
        raise ValueError(f"a calendar is needed to count a term of {term}")
    return calendar.add_working_days(trigger_on, term.amount)


def apply_shift(d: date, calendar: Calendar, shift: Shift = "next") -> date:
    """Move ``d`` off a non-working day: to the next or previous working day, or not at all."""
    if shift not in SHIFTS:
        raise ValueError(f"unknown shift rule {shift!r}; expected one of {SHIFTS}")
    if shift == "next":
        return calendar.next_working_day(d)
    if shift == "previous":
        return calendar.previous_working_day(d)
    return d


def due_date(trigger_on: date, term: Term, calendar: Calendar, shift: Shift = "next") -> date:
    """Due date of ``term`` triggered on ``trigger_on`` (Civil Code Arts. 253-254).

    The term starts the day after ``trigger_on``; its raw end (see :func:`raw_end`) is then
    moved off a non-working day according to ``shift``.
    """
    return apply_shift(raw_end(trigger_on, term, calendar), calendar, shift)


def paused_days(pauses: Iterable[tuple[date, date | None]]) -> int | None:
    """Total calendar days in closed pauses, or None if any pause is still open.

    Each pause is ``(suspended_on, resumed_on)`` and lasts ``resumed_on - suspended_on`` days.
    Raises ValueError if a pause ends before it starts or two pauses overlap (overlapping
    pauses would stop the clock twice for the same days).
    """
    spans = sorted(pauses, key=lambda pause: pause[0])
    total = 0
    previous_end: date | None = None
    for suspended_on, resumed_on in spans:
        _check_date(suspended_on, "suspended_on")
        if resumed_on is None:
            return None
        _check_date(resumed_on, "resumed_on")
        if resumed_on < suspended_on:
            raise ValueError(
                f"pause resumed on {resumed_on} before it was suspended on {suspended_on}"
            )
        if previous_end is not None and suspended_on < previous_end:
            raise ValueError(f"pause suspended on {suspended_on} overlaps the previous pause")
        total += (resumed_on - suspended_on).days
        previous_end = resumed_on
    return total


def due_date_with_pauses(
    trigger_on: date,
    term: Term,
    calendar: Calendar,
    shift: Shift = "next",
    pauses: Iterable[tuple[date, date | None]] = (),
) -> date | None:
    """Due date when the legal clock was suspended (зупинення строку) one or more times.

    Rule: the clock does not run while a term is suspended, so the *raw* end of the term
    (before any shift) moves later by the calendar days spent in pauses, each pause counting
    ``resumed_on - suspended_on`` days; the shift rule is applied to the moved date only.
    This holds for working-day terms too: the pause is still counted in calendar days.

    If a pause is still open (``resumed_on is None``) nobody knows when the term ends, so the
    result is None. Callers should record only pauses that began while the clock was running;
    this function does not second-guess them. Extensions (продовження) are not pauses: model
    them as a new or longer term.
    """
    total = paused_days(pauses)
    if total is None:
        return None
    end = raw_end(trigger_on, term, calendar) + timedelta(days=total)
    return apply_shift(end, calendar, shift)


def is_overdue(due_on: date | None, today: date) -> bool:
    """True from the day after ``due_on``; the due date itself is still in time.

    A due date of None (the clock is stopped) is never overdue.
    """
    if due_on is None:
        return False
    return _check_date(today, "today") > _check_date(due_on, "due_on")


def days_left(due_on: date | None, today: date) -> int | None:
    """Calendar days from ``today`` to ``due_on``: 0 on the due date, negative when overdue.

    None when the due date is unknown (an open pause).
    """
    if due_on is None:
        return None
    return (_check_date(due_on, "due_on") - _check_date(today, "today")).days


@dataclass(frozen=True)
class Step:
    """One step of counting a term: what happened on ``on``.

    ``code`` is one of ``received`` (the trigger), ``start`` (the first day of the term),
    ``raw_end`` (the end before any shift), ``paused`` (calendar days added for a suspension,
    ``days`` in ``detail``), ``day_off`` (a non-working last day skipped; ``detail`` says why),
    ``due`` (the last day). ``profile`` names the calendar in force on that day.
    """

    on: date
    code: str
    profile: str
    detail: str = ""
    days: int = 0


def explain(
    trigger_on: date,
    term: Term,
    calendar: Calendar,
    shift: Shift = "next",
    pauses: Iterable[tuple[date, date | None]] = (),
    language: str = "uk",
) -> tuple[date | None, list[Step]]:
    """The due date of :func:`due_date_with_pauses` and every step that led to it."""
    steps = [
        Step(trigger_on, "received", calendar.profile_on(trigger_on)),
        Step(trigger_on + timedelta(days=1), "start", calendar.profile_on(trigger_on)),
    ]
    end = raw_end(trigger_on, term, calendar)
    steps.append(Step(end, "raw_end", calendar.profile_on(end), str(term)))
    total = paused_days(pauses)
    if total is None:
        return None, steps
    if total:
        end += timedelta(days=total)
        steps.append(Step(end, "paused", calendar.profile_on(end), days=total))
    if shift != "none":
        step = timedelta(days=1 if shift == "next" else -1)
        while not calendar.is_working_day(end):
            reason = calendar.day_off_reason(end, language) or ""
            steps.append(Step(end, "day_off", calendar.profile_on(end), reason))
            end += step
    steps.append(Step(end, "due", calendar.profile_on(end), shift))
    return end, steps
