"""The one clock: now (UTC) and today's date as the Secretariat sees it (Europe/Kyiv).

Tests and benchmarks set it (``pinned`` for a day, ``travel`` to a moment) instead of patching
functions module by module; every model default and operation reads it through ``now()`` (which
``app.core.db.utcnow`` is) and ``today()``.
"""

import contextlib
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

KYIV = ZoneInfo("Europe/Kyiv")

#: A date that ``today()`` answers instead of the wall clock (``pinned``): a scene set on a past
#: day, as the register saw it then. None in normal running.
_pinned: date | None = None
#: How far ``now()`` is set from the wall clock (``travel``); zero in normal running.
_offset = timedelta(0)


def now() -> datetime:
    """The current moment, timezone-aware UTC."""
    return datetime.now(UTC) + _offset


def today() -> date:
    return _pinned or now().astimezone(KYIV).date()


@contextlib.contextmanager
def pinned(day: date):
    """Within the block, ``today()`` is ``day`` in every thread (tests and benchmarks replaying
    the register on a given day; a request never pins)."""
    global _pinned
    saved, _pinned = _pinned, day
    try:
        yield day
    finally:
        _pinned = saved


@contextlib.contextmanager
def travel(moment: datetime):
    """Within the block the clock starts at ``moment`` (aware) in every thread and runs on from
    there (jobs, timeouts and retries keep working); ``today()`` is its date in Kyiv unless a day
    is pinned as well."""
    global _offset
    if moment.tzinfo is None:
        raise ValueError("travel() needs an aware datetime")
    saved, _offset = _offset, moment - datetime.now(UTC)
    try:
        yield moment
    finally:
        _offset = saved


def to_kyiv(value: datetime) -> datetime:
    return value.astimezone(KYIV)
