"""Tests for app.terms: due dates under Civil Code Arts. 253-254 and the working-day calendar.

Every expected date in CASES was worked out by hand on a printed calendar (weekdays and the
Ukrainian holiday lists were checked, not copied from the code under test). The comment on each
row shows the working.
"""

from datetime import date, datetime

import holidays
import pytest

from app.terms import (
    Calendar,
    Term,
    days_left,
    due_date,
    due_date_with_pauses,
    is_overdue,
    paused_days,
    raw_end,
)

D = date
# Single-profile calendars isolate one set of rules; DEFAULT is peacetime until 2022-03-23
# (Law 2136-IX suspended the holidays from 24 March 2022).
ML = Calendar([(D(1991, 8, 24), "martial_law")])
PT = Calendar([(D(1991, 8, 24), "peacetime")])
DEFAULT = Calendar()
# Hypothetical: martial law ends and peacetime returns on 2025-08-21.
PEACE_AGAIN = Calendar([*DEFAULT.periods, (D(2025, 8, 21), "peacetime")])


def case(trigger, term, expected, *, cal=DEFAULT, shift="next", pauses=None, id):
    return pytest.param(trigger, term, cal, shift, pauses, expected, id=id)


CASES = [
    # --- months: same day-number, or the last day of a shorter month --------------------------
    case(D(2024, 1, 31), "1 month", D(2024, 2, 29), id="jan31-leap"),  # Thu
    case(D(2023, 1, 31), "1 month", D(2023, 2, 28), id="jan31-nonleap"),  # Tue
    case(D(2024, 2, 29), "1 month", D(2024, 3, 29), id="feb29+1m"),  # Fri
    case(D(2023, 4, 30), "1 month", D(2023, 5, 30), id="apr30+1m"),  # Tue
    case(D(2023, 5, 31), "1 month", D(2023, 6, 30), id="may31+1m"),  # Fri
    case(D(2023, 10, 31), "1 month", D(2023, 11, 30), id="oct31+1m"),  # Thu
    case(D(2024, 12, 31), "2 months", D(2025, 2, 28), id="dec31+2m-new-year"),  # Fri
    case(D(2023, 8, 31), "6 months", D(2024, 2, 29), id="aug31+6m-leap"),  # Thu
    # 31 Mar + 1 month -> Sun 30 Apr 2023; 1 May is a working day under martial law.
    case(D(2023, 3, 31), "1 month", D(2023, 5, 1), id="mar31+1m-sun-next"),
    case(D(2023, 3, 31), "1 month", D(2023, 4, 28), shift="previous", id="mar31+1m-sun-prev"),
    case(D(2023, 3, 31), "1 month", D(2023, 4, 30), shift="none", id="mar31+1m-sun-none"),
    # Fri 1 Jan 2021 (holiday), Sat 2, Sun 3 -> Mon 4 Jan (peacetime).
    case(D(2020, 12, 1), "1 month", D(2021, 1, 4), id="ends-new-year-2021"),
    # --- the 15-day request term and weekend endings, each shift rule -------------------------
    case(D(2025, 3, 3), "15 days", D(2025, 3, 18), cal=ML, id="request-15d-weekday"),  # Tue
    case(D(2025, 2, 28), "15 days", D(2025, 3, 17), cal=ML, id="sat-next"),  # Sat 15 -> Mon 17
    case(D(2025, 2, 28), "15 days", D(2025, 3, 14), cal=ML, shift="previous", id="sat-prev"),
    case(D(2025, 2, 28), "15 days", D(2025, 3, 15), cal=ML, shift="none", id="sat-none"),
    case(D(2025, 3, 1), "15 days", D(2025, 3, 17), cal=ML, id="sun-next"),  # Sun 16 -> Mon 17
    case(D(2025, 3, 1), "15 days", D(2025, 3, 14), cal=ML, shift="previous", id="sun-prev"),
    case(D(2025, 3, 1), "15 days", D(2025, 3, 16), cal=ML, shift="none", id="sun-none"),
    # --- peacetime holidays vs martial law --------------------------------------------------------
    # 21 Feb 2021 + 15 = Mon 8 Mar 2021, Women's Day -> Tue 9 Mar.
    case(D(2021, 2, 21), "15 days", D(2021, 3, 9), id="8mar-2021-peacetime"),
    case(D(2021, 2, 21), "15 days", D(2021, 3, 8), cal=ML, id="8mar-2021-if-martial"),
    # Wed 8 Mar 2023 is an ordinary working day under martial law ...
    case(D(2023, 2, 21), "15 days", D(2023, 3, 8), id="8mar-2023-martial"),
    # ... and would be a day off in peacetime (holidays' "workday" category) -> Thu 9 Mar.
    case(D(2023, 2, 21), "15 days", D(2023, 3, 9), cal=PT, id="8mar-2023-if-peace"),
    # Tue 24 Aug 2021 Independence Day -> Wed 25.
    case(D(2021, 7, 24), "1 month", D(2021, 8, 25), id="24aug-2021-next"),
    # Backwards: Mon 23 Aug 2021 was a Cabinet-transferred day off, then Sun, Sat -> Fri 20.
    case(D(2021, 7, 24), "1 month", D(2021, 8, 20), shift="previous", id="24aug-2021-prev"),
    case(D(2023, 7, 24), "1 month", D(2023, 8, 24), id="24aug-2023-martial"),  # Thu
    # 17 Dec 2018 + 15 = Tue 1 Jan 2019 -> Wed 2 Jan.
    case(D(2018, 12, 17), "15 days", D(2019, 1, 2), id="1jan-2019"),
    # Sat 24 Aug 2019; Sun 25; Mon 26 is the observed day off (KZpP Art. 67) -> Tue 27.
    case(D(2019, 8, 9), "15 days", D(2019, 8, 27), id="observed-26aug-2019"),
    # Sat 21 Dec 2019 was worked in exchange for Mon 30 Dec -> the Saturday is a working day.
    case(D(2019, 12, 6), "15 days", D(2019, 12, 21), id="cabinet-working-saturday"),
    # Mon 30 and Tue 31 Dec 2019 transferred days off, Wed 1 Jan holiday -> Thu 2 Jan 2020.
    case(D(2019, 12, 15), "15 days", D(2020, 1, 2), id="cabinet-days-off-new-year"),
    # --- early 2022: peacetime days off until 23 March 2022 ------------------------------------
    # 20 Feb 2022 + 15 = Mon 7 Mar 2022, the transferred day off; Tue 8 Mar holiday -> Wed 9.
    case(D(2022, 2, 20), "15 days", D(2022, 3, 9), id="before-switch-7mar"),
    case(D(2022, 2, 20), "15 days", D(2022, 3, 7), cal=ML, id="7mar-if-martial-calendar"),
    case(D(2022, 2, 8), "1 month", D(2022, 3, 9), id="before-switch-8mar"),  # Tue holiday
    case(D(2022, 2, 21), "15 days", D(2022, 3, 9), id="issue-21feb-2022"),
    # Peace returns on Thu 21 Aug 2025: 21(1) 22(2), Sun 24 holiday -> Mon 25 observed,
    # 26(3) 27(4) 28(5).
    case(D(2025, 8, 20), "5 working days", D(2025, 8, 28), cal=PEACE_AGAIN, id="wd-peace-again"),
    case(D(2025, 8, 20), "5 working days", D(2025, 8, 27), id="wd-martial-24aug"),
    # --- working-day terms ------------------------------------------------------------------------
    # Thu 13 Mar 2025: Fri 14(1), Mon 17(2) ... Thu 20(5).
    case(D(2025, 3, 13), "5 working days", D(2025, 3, 20), cal=ML, id="wd-over-weekend"),
    case(D(2025, 3, 14), "5 working days", D(2025, 3, 21), cal=ML, id="wd-from-friday"),
    case(D(2025, 3, 15), "5 working days", D(2025, 3, 21), cal=ML, id="wd-from-saturday"),
    case(D(2025, 3, 14), "1 working day", D(2025, 3, 17), cal=ML, id="wd-one"),
    # Thu 4 Mar 2021: Fri 5(1), Mon 8 holiday, 9(2) 10(3) 11(4) 12(5).
    case(D(2021, 3, 4), "5 working days", D(2021, 3, 12), id="wd-over-8mar-2021"),
    case(D(2021, 3, 4), "5 working days", D(2021, 3, 11), cal=ML, id="wd-8mar-2021-martial"),
    # Fri 27 Dec 2019: Sat 28 worked(1), 30-31 Dec + 1 Jan off, 2(2) 3(3), Mon 6 transferred off,
    # Tue 7 Christmas, 8(4) 9(5).
    case(D(2019, 12, 27), "5 working days", D(2020, 1, 9), id="wd-new-year-2020"),
    # Peacetime in 2023 (hypothetical): Sun 1 Jan holiday -> Mon 2 observed -> Tue 3 Jan.
    case(D(2022, 12, 30), "1 working day", D(2023, 1, 3), cal=PT, id="wd-observed-2023-peace"),
    # --- overrides --------------------------------------------------------------------------------
    case(
        D(2025, 3, 3),
        "15 days",
        D(2025, 3, 19),
        cal=Calendar(ML.periods, {D(2025, 3, 18): False}),
        id="override-extra-day-off",
    ),
    case(
        D(2025, 3, 3),
        "15 days",
        D(2025, 3, 17),
        cal=Calendar(ML.periods, {D(2025, 3, 18): False}),
        shift="previous",
        id="override-day-off-prev",
    ),
    case(
        D(2025, 2, 28),
        "15 days",
        D(2025, 3, 15),
        cal=Calendar(ML.periods, {D(2025, 3, 15): True}),
        id="override-working-saturday",
    ),
    # Fri 14(1), Mon 17 off, 18(2) 19(3) 20(4) 21(5).
    case(
        D(2025, 3, 13),
        "5 working days",
        D(2025, 3, 21),
        cal=Calendar(ML.periods, {D(2025, 3, 17): False}),
        id="override-wd-day-off",
    ),
    # Fri 14(1), Sat 15 worked(2), 17(3) 18(4) 19(5).
    case(
        D(2025, 3, 13),
        "5 working days",
        D(2025, 3, 19),
        cal=Calendar(ML.periods, {D(2025, 3, 15): True}),
        id="override-wd-saturday",
    ),
    case(
        D(2021, 2, 21),
        "15 days",
        D(2021, 3, 8),
        cal=Calendar(PT.periods, {D(2021, 3, 8): True}),
        id="override-holiday-worked",
    ),
    # An administrator may still declare a day a working day (here 8 Mar 2022).
    case(
        D(2022, 2, 8),
        "1 month",
        D(2022, 3, 8),
        cal=Calendar(overrides={D(2022, 3, 8): True}),
        id="override-8mar-2022",
    ),
    # --- pauses (suspensions) ---------------------------------------------------------------------
    # Raw end Tue 18 Mar 2025 + 7 paused days = Tue 25 Mar.
    case(
        D(2025, 3, 3),
        "15 days",
        D(2025, 3, 25),
        pauses=[(D(2025, 3, 5), D(2025, 3, 12))],
        id="pause-one",
    ),
    # 7 + 4 paused days: 18 Mar + 11 = Sat 29 Mar -> Mon 31 / Fri 28.
    case(
        D(2025, 3, 3),
        "15 days",
        D(2025, 3, 31),
        pauses=[(D(2025, 3, 20), D(2025, 3, 24)), (D(2025, 3, 5), D(2025, 3, 12))],
        id="pause-two",
    ),
    case(
        D(2025, 3, 3),
        "15 days",
        D(2025, 3, 28),
        shift="previous",
        pauses=[(D(2025, 3, 5), D(2025, 3, 12)), (D(2025, 3, 20), D(2025, 3, 24))],
        id="pause-two-prev",
    ),
    # Raw end Thu 29 Feb 2024 + 1 day = Fri 1 Mar.
    case(
        D(2024, 1, 31),
        "1 month",
        D(2024, 3, 1),
        pauses=[(D(2024, 2, 10), D(2024, 2, 11))],
        id="pause-month-leap",
    ),
    # Thu 3 Apr 2025 + 10 days = Sun 13 Apr -> Mon 14 Apr.
    case(
        D(2025, 3, 3),
        "1 month",
        D(2025, 4, 14),
        pauses=[(D(2025, 3, 10), D(2025, 3, 20))],
        id="pause-month-sunday",
    ),
    case(
        D(2025, 3, 3),
        "15 days",
        D(2025, 3, 18),
        pauses=[(D(2025, 3, 5), D(2025, 3, 5))],
        id="pause-zero-length",
    ),
    case(
        D(2025, 3, 3),
        "15 days",
        None,
        pauses=[(D(2025, 3, 5), D(2025, 3, 12)), (D(2025, 3, 14), None)],
        id="pause-open",
    ),
]


@pytest.mark.parametrize(("trigger", "term", "cal", "shift", "pauses", "expected"), CASES)
def test_due_date_table(trigger, term, cal, shift, pauses, expected):
    parsed = Term.parse(term)
    if pauses is None:
        assert due_date(trigger, parsed, cal, shift) == expected
        # With no pauses the two functions must agree.
        assert due_date_with_pauses(trigger, parsed, cal, shift, []) == expected
    else:
        assert due_date_with_pauses(trigger, parsed, cal, shift, pauses) == expected


def test_table_is_big_enough():
    assert len(CASES) >= 35


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 month", Term(1, "months")),
        ("2 months", Term(2, "months")),
        ("15 days", Term(15, "days")),
        ("1 day", Term(1, "days")),
        ("5 working days", Term(5, "working_days")),
        ("  1 Working Day ", Term(1, "working_days")),
    ],
)
def test_term_parse_and_str(text, expected):
    assert Term.parse(text) == expected
    assert Term.parse(str(expected)) == expected
    assert str(expected) == " ".join(text.split()).lower()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "15",
        "days",
        "0 days",
        "-1 days",
        "1.5 months",
        "2 weeks",
        "5 working months",
        "P1M",
        "fifteen days",
        "15days",
        "15 days extra",
    ],
)
def test_term_parse_errors(text):
    with pytest.raises(ValueError, match="term"):
        Term.parse(text)


@pytest.mark.parametrize(
    ("amount", "unit"), [(0, "days"), (-3, "months"), (True, "days"), (1, "weeks")]
)
def test_term_rejects_bad_fields(amount, unit):
    with pytest.raises(ValueError):
        Term(amount, unit)


def test_unknown_profile():
    with pytest.raises(ValueError, match="unknown calendar profile 'wartime'"):
        Calendar([(D(2022, 2, 24), "wartime")])


def test_bad_periods():
    with pytest.raises(ValueError):
        Calendar([])
    with pytest.raises(ValueError):
        Calendar([(D(2022, 1, 1), "peacetime"), (D(2022, 1, 1), "martial_law")])


def test_default_profiles():
    assert DEFAULT.profile_on(D(2022, 2, 24)) == "peacetime"
    assert DEFAULT.profile_on(D(2022, 3, 23)) == "peacetime"
    assert DEFAULT.profile_on(D(2022, 3, 24)) == "martial_law"
    assert DEFAULT.profile_on(D(2030, 1, 1)) == "martial_law"
    assert DEFAULT.profile_on(D(1990, 1, 1)) == "peacetime"  # before the first period
    assert Calendar() == DEFAULT and hash(Calendar()) == hash(DEFAULT)


def test_calendar_navigation():
    assert ML.next_working_day(D(2025, 3, 15)) == D(2025, 3, 17)
    assert ML.next_working_day(D(2025, 3, 14)) == D(2025, 3, 14)
    assert ML.previous_working_day(D(2025, 3, 16)) == D(2025, 3, 14)
    # (Fri 14, Thu 20]: 17 18 19 20.
    assert ML.working_days_between(D(2025, 3, 14), D(2025, 3, 20)) == 4
    assert ML.working_days_between(D(2025, 3, 20), D(2025, 3, 14)) == -4
    assert ML.working_days_between(D(2025, 3, 14), D(2025, 3, 14)) == 0
    # (Thu 4, Fri 12 Mar 2021] in peacetime: 5 9 10 11 12 (Mon 8 is a holiday).
    assert PT.working_days_between(D(2021, 3, 4), D(2021, 3, 12)) == 5
    with pytest.raises(ValueError):
        ML.add_working_days(D(2025, 3, 14), 0)


def test_is_overdue_and_days_left():
    due = D(2025, 3, 17)
    assert not is_overdue(due, D(2025, 3, 16)) and days_left(due, D(2025, 3, 16)) == 1
    assert not is_overdue(due, due) and days_left(due, due) == 0  # the last day is in time
    assert is_overdue(due, D(2025, 3, 18)) and days_left(due, D(2025, 3, 18)) == -1
    assert days_left(due, D(2025, 4, 1)) == -15
    assert not is_overdue(None, D(2025, 4, 1)) and days_left(None, D(2025, 4, 1)) is None


def test_argument_errors():
    with pytest.raises(ValueError, match="calendar"):
        raw_end(D(2025, 3, 3), Term(5, "working_days"))
    assert raw_end(D(2025, 2, 28), Term(15, "days")) == D(2025, 3, 15)
    with pytest.raises(ValueError, match="shift"):
        due_date(D(2025, 3, 3), Term(15, "days"), ML, "later")
    with pytest.raises(ValueError, match="before"):
        paused_days([(D(2025, 3, 5), D(2025, 3, 1))])
    with pytest.raises(ValueError, match="overlaps"):
        paused_days([(D(2025, 3, 1), D(2025, 3, 10)), (D(2025, 3, 5), D(2025, 3, 12))])
    with pytest.raises(TypeError):
        ML.is_working_day(datetime(2025, 3, 3, 12, 0))


def test_holidays_package_assumptions():
    """Pin the holidays-package behaviour calendar.py relies on, so an upgrade is noticed."""
    assert len(holidays.country_holidays("UA", years=2025)) == 0
    assert D(2025, 8, 24) in holidays.country_holidays("UA", years=2025, categories=("workday",))
    assert len(holidays.country_holidays("UA", years=2021, categories=("workday",))) == 0
    assert D(2019, 8, 26) in holidays.country_holidays("UA", years=2019)  # observed Monday
    assert D(2019, 12, 21) in holidays.country_holidays("UA", years=2019).weekend_workdays


def test_observed_rule_matches_package():
    """calendar.py adds Art. 67 observed days for "workday" holidays with its own helper.

    For 2000-2021 the package computes them itself ("public" category), so feeding the helper
    the statutory holidays of those years must give exactly the package's observed days.
    """
    from app.terms.calendar import _observed_days

    for year in range(2000, 2022):
        with_observed = holidays.country_holidays("UA", years=year, language="en_US")
        plain = holidays.country_holidays("UA", years=year, language="en_US", observed=False)
        statutory = {d for d, name in plain.items() if "substituted" not in name}
        package_observed = {d for d, name in with_observed.items() if "(observed)" in name}
        assert _observed_days(statutory, statutory) == package_observed, year
