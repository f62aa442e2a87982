"""Working-day calendar for counting legal terms in Ukraine.

A :class:`Calendar` answers one question: is a given date a working day? The answer depends on
the *profile* in force on that date and on an admin-editable table of *overrides*.

Profiles
--------
``martial_law``
    Only Saturdays and Sundays are days off. Law 2136-IX, Art. 6 part 6, suspends KZpP
    Art. 67 parts 3-5 (moving a holiday off a weekend; Cabinet transfers of working days) and
    Arts. 71-73 (public holidays) for as long as martial law lasts.
``peacetime``
    Saturdays and Sundays plus the days off that KZpP Arts. 67 and 73 give in peacetime.

What the ``holidays`` package (0.109) returns for Ukraine, checked for 1991-2030
-------------------------------------------------------------------------------
* The default category (``"public"``) holds the holidays that were *actually* days off. That is
  everything up to 2021, the early part of 2022 (1 and 7 January, 8 March) and nothing for
  2023 and later (e.g. ``country_holidays("UA", years=2025)`` is empty).
* ``categories=("workday",)`` holds the Art. 73 holidays that martial law made working days:
  nothing up to 2021, Easter to Christmas in 2022, the full Art. 73 list from 2023 onwards.
  **``"workday"`` alone is therefore not a peacetime calendar for 2021 and earlier**, so the
  peacetime profile takes the union of both categories.
* "Observed" days (Art. 67 part 3: a holiday that falls on a Saturday or Sunday moves the day
  off to the next working day, e.g. Sat 24 Aug 2019 -> Mon 26 Aug 2019) are in the
  ``"public"`` category only. The package never adds them to ``"workday"`` holidays, because
  martial law suspends Art. 67 part 3 as well. They *should* count in peacetime, since they
  are statutory, so for ``"workday"`` holidays this module adds them itself with the package's
  own rule (next day that is neither a weekend nor a holiday). For 2000-2021 that rule gives
  exactly the package's observed days (checked against ``observed=True``).
* Cabinet transfers ("Day off (substituted from DD.MM.YYYY)", e.g. Mon 30 Dec 2019) are also in
  ``"public"``. The Saturdays worked in exchange are in the instance's documented
  ``weekend_workdays`` set (e.g. Sat 21 Dec 2019). Both halves are used: state bodies worked to
  these schedules, and using only the day off would count one working day too few. The last
  transfer the package knows of is 7 March 2022 for Saturday 12 March 2022.

Note on 2022: martial law was declared on 24 February 2022, but the rule that suspends the
holidays (Law 2136-IX, Art. 6 part 6) came into force on 24 March 2022: until then the peacetime
calendar held, so 7 March (the transferred day off) and 8 March 2022 were days off. The default
periods below therefore switch to the martial-law calendar on 24 March 2022. The end of martial
law is a new period from a date (entered by an administrator), never a change of the profile
of days already counted.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType

import holidays

MARTIAL_LAW = "martial_law"
PEACETIME = "peacetime"
PROFILES: tuple[str, ...] = (MARTIAL_LAW, PEACETIME)

#: Periods used when a Calendar is built without any: peacetime from independence, the
#: martial-law calendar from the day Law 2136-IX came into force.
MARTIAL_LAW_CALENDAR_FROM = date(2022, 3, 24)
DEFAULT_PERIODS: tuple[tuple[date, str], ...] = (
    (date(1991, 8, 24), PEACETIME),
    (MARTIAL_LAW_CALENDAR_FROM, MARTIAL_LAW),
)

_ONE_DAY = timedelta(days=1)


def _is_weekend(d: date) -> bool:
    return d.weekday() >= 5


def _observed_days(holiday_dates: Iterable[date], taken: Iterable[date]) -> set[date]:
    """Days off that KZpP Art. 67 part 3 adds for holidays falling on a Saturday or Sunday.

    Same rule as the ``holidays`` package (``SAT_SUN_TO_NEXT_WORKDAY``): the first later day
    that is not a weekend, not in ``taken`` (other days off) and not already used by an earlier
    observed day. Holidays are handled in date order so that chains resolve the same way.
    """
    busy = set(taken) | set(holiday_dates)
    observed: set[date] = set()
    for holiday in sorted(holiday_dates):
        if _is_weekend(holiday):
            day = holiday + _ONE_DAY
            while _is_weekend(day) or day in busy:
                day += _ONE_DAY
            observed.add(day)
            busy.add(day)
    return observed


@functools.cache
def _peacetime_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Return ``(days_off, working_weekend_days)`` of the peacetime profile for ``year``.

    ``days_off`` holds weekdays and weekend days alike: callers only look at it for
    Monday-Friday, so holidays that fall on a weekend do no harm there.
    Cached per year because building the ``holidays`` objects is the expensive part.
    """
    public = holidays.country_holidays("UA", years=year, categories=("public",))
    suspended = holidays.country_holidays("UA", years=year, categories=("workday",))
    days_off = set(public) | set(suspended)
    # The package applies Art. 67 part 3 to "public" holidays only; do it for the others.
    days_off |= _observed_days(suspended, days_off)
    # The set also holds cross-year entries (e.g. 28 Dec 1996 in every year); keep this year's.
    working_weekends = frozenset(d for d in public.weekend_workdays if d.year == year)
    return frozenset(days_off), working_weekends


@functools.cache
def _holiday_names(year: int, language: str) -> Mapping[date, str]:
    names = dict(
        holidays.country_holidays("UA", years=year, categories=("public",), language=language)
    )
    for d, name in holidays.country_holidays(
        "UA", years=year, categories=("workday",), language=language
    ).items():
        names.setdefault(d, name)
    return MappingProxyType(names)


def _holiday_name(d: date, language: str) -> str:
    """The name of a peacetime day off on a weekday; an observed day names its holiday."""
    names = _holiday_names(d.year, language)
    if d in names:
        return names[d]
    # An observed day the module added itself (KZpP Art. 67 part 3): name the holiday behind it.
    for back in range(1, 4):
        earlier = d - timedelta(days=back)
        if earlier in names and _is_weekend(earlier):
            suffix = " (перенесений вихідний)" if language == "uk" else " (observed)"
            return names[earlier] + suffix
    return "holiday"


def _check_profile(profile: str) -> str:
    if profile not in PROFILES:
        raise ValueError(f"unknown calendar profile {profile!r}; expected one of {PROFILES}")
    return profile


def _check_date(value: object, name: str) -> date:
    # datetime is a subclass of date but cannot be compared with one, so reject it early.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime.date, got {value!r}")
    return value


class Calendar:
    """Which days are working days, by profile periods and overrides.

    ``periods``: ``(starts_on, profile)`` pairs, in any order; each profile is in force from its
    date until the next period starts. Dates before the earliest period use the earliest
    profile (there is no "no calendar" state to fall back on). Defaults to
    :data:`DEFAULT_PERIODS`.

    ``overrides``: ``date -> bool`` (True = working day, False = day off); they win over the
    profile, e.g. for a one-off day off or a working Saturday entered by an admin.

    Instances are cheap to build (holiday lists are cached per year module-wide) and are not
    meant to be mutated.
    """

    __slots__ = ("_overrides", "_profiles", "_starts")

    def __init__(
        self,
        periods: Iterable[tuple[date, str]] | None = None,
        overrides: Mapping[date, bool] | None = None,
    ) -> None:
        items = sorted(DEFAULT_PERIODS if periods is None else periods)
        if not items:
            raise ValueError("a calendar needs at least one period")
        starts = [_check_date(start, "period start") for start, _ in items]
        if len(set(starts)) != len(starts):
            raise ValueError("two calendar periods start on the same date")
        self._starts: tuple[date, ...] = tuple(starts)
        self._profiles: tuple[str, ...] = tuple(_check_profile(p) for _, p in items)
        checked = {_check_date(d, "override date"): bool(v) for d, v in (overrides or {}).items()}
        self._overrides: Mapping[date, bool] = MappingProxyType(checked)

    @property
    def periods(self) -> tuple[tuple[date, str], ...]:
        """The periods, sorted by start date."""
        return tuple(zip(self._starts, self._profiles, strict=True))

    @property
    def overrides(self) -> Mapping[date, bool]:
        """Read-only view of the overrides."""
        return self._overrides

    def __repr__(self) -> str:
        return f"Calendar(periods={list(self.periods)!r}, overrides={dict(self._overrides)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Calendar):
            return NotImplemented
        return self.periods == other.periods and dict(self._overrides) == dict(other._overrides)

    def __hash__(self) -> int:
        # Hashable so callers can use a calendar as a cache key.
        return hash((self.periods, frozenset(self._overrides.items())))

    def profile_on(self, d: date) -> str:
        """Name of the profile in force on ``d``."""
        index = bisect.bisect_right(self._starts, _check_date(d, "d")) - 1
        return self._profiles[max(index, 0)]

    def is_working_day(self, d: date) -> bool:
        """True if ``d`` is a working day (overrides first, then the profile's rules)."""
        override = self._overrides.get(_check_date(d, "d"))
        if override is not None:
            return override
        if self.profile_on(d) == MARTIAL_LAW:
            return not _is_weekend(d)
        days_off, working_weekends = _peacetime_year(d.year)
        if _is_weekend(d):
            return d in working_weekends
        return d not in days_off

    def day_off_reason(self, d: date, language: str = "uk") -> str | None:
        """Why ``d`` is not a working day, in words (None when it is one).

        ``"override"`` for an administrator's day off, ``"weekend"`` for a Saturday or Sunday,
        else the name of the holiday, observed day or transferred day off (from the ``holidays``
        package, in ``language``: ``uk`` or ``en_US``).
        """
        if self.is_working_day(d):
            return None
        if self._overrides.get(d) is False:
            return "override"
        if _is_weekend(d):
            return "weekend"
        return _holiday_name(d, language)

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def previous_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the last working day before it."""
        while not self.is_working_day(d):
            d -= _ONE_DAY
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``d`` itself is never counted), ``n >= 1``."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        current = _check_date(d, "d")
        while n:
            current += _ONE_DAY
            if self.is_working_day(current):
                n -= 1
        return current

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in the half-open range ``(a, b]``: after ``a``, up to and including ``b``.

        This is the inverse of :meth:`add_working_days`:
        ``working_days_between(a, add_working_days(a, n)) == n``. Negative when ``b < a``.
        """
        _check_date(a, "a")
        _check_date(b, "b")
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        current = a
        while current < b:
            current += _ONE_DAY
            count += self.is_working_day(current)
        return count
