"""Legal-term arithmetic for Vidhuk: working-day calendars and due dates.

Pure code with no Flask, database or other ``app`` imports, so that it can be used and tested
on its own::

    from app.terms import Calendar, Term, due_date
    due_date(date(2025, 2, 28), Term.parse("15 days"), Calendar())  # -> date(2025, 3, 17)
"""

from .arithmetic import (
    SHIFTS,
    UNITS,
    Shift,
    Step,
    Term,
    Unit,
    apply_shift,
    days_left,
    due_date,
    due_date_with_pauses,
    explain,
    is_overdue,
    paused_days,
    raw_end,
)
from .calendar import (
    DEFAULT_PERIODS,
    MARTIAL_LAW,
    MARTIAL_LAW_CALENDAR_FROM,
    PEACETIME,
    PROFILES,
    Calendar,
)

__all__ = [
    "DEFAULT_PERIODS",
    "MARTIAL_LAW",
    "MARTIAL_LAW_CALENDAR_FROM",
    "PEACETIME",
    "PROFILES",
    "SHIFTS",
    "UNITS",
    "Calendar",
    "Shift",
    "Step",
    "Term",
    "Unit",
    "apply_shift",
    "days_left",
    "due_date",
    "due_date_with_pauses",
    "explain",
    "is_overdue",
    "paused_days",
    "raw_end",
]
