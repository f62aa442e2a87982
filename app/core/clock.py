"""Today's date as the Secretariat sees it (Europe/Kyiv)."""

import contextlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

KYIV = ZoneInfo("Europe/Kyiv")

#: A date that ``today()`` answers instead of the wall clock (``pinned``): a scene set on a past
#: day, as the register saw it then. None in normal running.
_pinned: date | None = None


def today() -> date:
    return _pinned or datetime.now(KYIV).date()


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


def to_kyiv(value: datetime) -> datetime:
    return value.astimezone(KYIV)
