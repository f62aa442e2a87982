"""The term calculator (GET /api/v1/terms/due and its page) against a table of due dates worked
out by hand. Each row is also counted by a small reference counter written here from the
Civil Code rules and a hand-kept list of days off, independent of app.terms."""

import calendar as stdlib_calendar
from datetime import date, timedelta

import pytest

D = date.fromisoformat
TERMS = {
    "submission": (1, "m"),
    "initiative_letter": (1, "m"),
    "request": (15, "d"),
    "reminder": (10, "d"),
}
MARTIAL_LAW_CALENDAR_FROM = D("2022-03-24")  # Law 2136-IX in force: holidays suspended
#: Weekday days off of the peacetime calendar met by the rows below (KZpP Arts. 67, 73 and the
#: Cabinet's transfers), kept by hand.
PEACETIME_DAYS_OFF = {
    D("2019-08-26"),  # Independence Day (Sat 24 Aug) observed
    D("2019-12-30"),
    D("2019-12-31"),  # days off transferred from Sat 21 and Sat 28 Dec
    D("2020-01-01"),
    D("2020-01-07"),
    D("2020-03-09"),  # New Year; Christmas; 8 Mar (Sun) observed
    D("2020-12-25"),  # Christmas
    D("2021-03-08"),  # Women's Day
    D("2021-05-03"),
    D("2021-05-04"),  # 1 May (Sat) and Easter (Sun 2 May) observed
    D("2021-06-28"),
    D("2021-08-24"),  # Constitution Day; Independence Day
    D("2022-03-07"),
    D("2022-03-08"),  # day off transferred from Sat 12 Mar; Women's Day
}


def reference_due(kind, received_on, peace_from=None):
    amount, unit = TERMS[kind]
    if unit == "m":
        month = received_on.month + amount
        year, month = received_on.year + (month - 1) // 12, (month - 1) % 12 + 1
        end = date(year, month, min(received_on.day, stdlib_calendar.monthrange(year, month)[1]))
    else:
        end = received_on + timedelta(days=amount)

    def day_off(d):
        peacetime = d < MARTIAL_LAW_CALENDAR_FROM or (peace_from is not None and d >= peace_from)
        return d.weekday() >= 5 or (peacetime and d in PEACETIME_DAYS_OFF | PEACE_2026)

    while day_off(end):
        end += timedelta(days=1)
    return end


#: Days off of the hypothetical peacetime after martial law ends (row set "peace returns").
PEACE_2026 = {D("2026-08-24")}  # Independence Day, a Monday

# (kind, received on, due on): hand-computed; the comment says how.
TABLE = [
    # --- martial law (from 24.03.2022): only Saturdays and Sundays are off -------------------
    ("submission", "2024-01-31", "2024-02-29"),  # 31 Jan + 1 month → 29 Feb (leap year), Thu
    ("submission", "2023-01-31", "2023-02-28"),  # → 28 Feb, Tue
    ("submission", "2025-01-31", "2025-02-28"),  # → 28 Feb, Fri
    ("submission", "2026-01-30", "2026-03-02"),  # → Sat 28 Feb → Mon 2 Mar
    ("submission", "2024-03-31", "2024-04-30"),  # April has no 31st → 30 Apr, Tue
    ("submission", "2025-05-31", "2025-06-30"),  # → 30 Jun, Mon
    ("initiative_letter", "2025-07-24", "2025-08-25"),  # Sun 24 Aug (no holiday) → Mon 25
    ("initiative_letter", "2024-12-31", "2025-01-31"),  # across the year, Fri
    ("submission", "2023-12-25", "2024-01-25"),  # Christmas is a working day, Thu
    ("request", "2025-02-28", "2025-03-17"),  # + 15 = Sat 15 Mar → Mon 17
    ("request", "2024-02-14", "2024-02-29"),  # + 15 = 29 Feb (leap), Thu
    ("request", "2023-02-14", "2023-03-01"),  # + 15 = 1 Mar (no 29 Feb), Wed
    ("request", "2024-12-24", "2025-01-08"),  # + 15 across New Year, Wed
    ("request", "2022-12-23", "2023-01-09"),  # + 15 = Sat 7 Jan (Christmas not off) → Mon 9
    ("reminder", "2025-03-05", "2025-03-17"),  # + 10 = Sat 15 → Mon 17
    ("reminder", "2026-03-04", "2026-03-16"),  # + 10 = Sat 14 → Mon 16
    ("reminder", "2024-08-14", "2024-08-26"),  # + 10 = Sat 24 Aug → Mon 26
    ("reminder", "2023-12-22", "2024-01-01"),  # + 10 = Mon 1 Jan, a working day
    ("submission", "2022-04-30", "2022-05-30"),  # Mon 30 May
    ("request", "2022-04-16", "2022-05-02"),  # + 15 = Sun 1 May → Mon 2 (1 May not off)
    # --- 2022: peacetime days off until 23 March, martial law from 24 March ----------------
    ("request", "2022-02-21", "2022-03-09"),  # + 15 = Tue 8 Mar, a holiday → Wed 9
    ("request", "2022-02-20", "2022-03-09"),  # Mon 7 Mar transferred day off, 8 Mar → Wed 9
    ("submission", "2022-02-08", "2022-03-09"),  # 8 Mar → 9 Mar
    ("submission", "2022-02-07", "2022-03-09"),  # 7 Mar → 9 Mar
    ("reminder", "2022-02-26", "2022-03-09"),  # + 10 = 8 Mar → 9 Mar
    ("submission", "2022-02-23", "2022-03-23"),  # Wed 23 Mar, the last peacetime day
    ("submission", "2022-02-24", "2022-03-24"),  # Thu 24 Mar, the first martial-law day
    ("request", "2022-03-08", "2022-03-23"),  # Wed
    ("reminder", "2022-03-12", "2022-03-22"),  # Tue
    ("request", "2022-03-10", "2022-03-25"),  # Fri
    # --- peacetime before 2022: holidays, observed days and transfers are off -------------
    ("submission", "2021-07-24", "2021-08-25"),  # Tue 24 Aug, Independence Day → Wed 25
    ("submission", "2019-07-24", "2019-08-27"),  # Sat 24, Sun 25, Mon 26 observed → Tue 27
    ("request", "2020-12-10", "2020-12-28"),  # Fri 25 Dec Christmas, weekend → Mon 28
    ("request", "2021-04-17", "2021-05-05"),  # Sun 2 May, Mon 3 and Tue 4 observed → Wed 5
    ("initiative_letter", "2021-05-28", "2021-06-29"),  # Mon 28 Jun Constitution Day → 29
    ("submission", "2020-01-31", "2020-03-02"),  # Sat 29 Feb (leap) → Mon 2 Mar
    ("submission", "2021-02-08", "2021-03-09"),  # Mon 8 Mar Women's Day → Tue 9
    ("request", "2019-12-15", "2020-01-02"),  # Mon 30, Tue 31 Dec transferred, 1 Jan → Thu 2
]


def test_the_table_is_long_enough_and_the_reference_agrees_with_it():
    assert len(TABLE) >= 30
    for kind, received_on, due_on in TABLE:
        assert reference_due(kind, D(received_on)) == D(due_on), (kind, received_on)


@pytest.fixture
def api(api_for, users):
    return api_for(users["lawyer"])


def test_every_due_date_of_the_table_through_the_api(api):
    for kind, received_on, due_on in TABLE:
        response = api.get(f"/terms/due?kind={kind}&received_on={received_on}")
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert body["due_on"] == due_on, (kind, received_on, body)
        assert body["due_on"] == reference_due(kind, D(received_on)).isoformat()
        assert [s["date"] for s in body["steps"]][:2] == [
            received_on,
            (D(received_on) + timedelta(days=1)).isoformat(),
        ]
        assert body["steps"][-1]["date"] == due_on


def test_steps_say_what_was_skipped_and_under_which_calendar(api):
    body = api.get("/terms/due?kind=request&received_on=2022-02-20").get_json()
    notes = {s["date"]: s["note"] for s in body["steps"]}
    assert "строк починається з наступного дня" in notes["2022-02-20"]
    assert "Календар: мирний час" in notes["2022-03-08"]
    assert "Міжнародний жіночий день" in notes["2022-03-08"]
    assert "перенесено з 12.03.2022" in notes["2022-03-07"]
    assert "Останній день строку" in notes["2022-03-09"]
    body = api.get("/terms/due?kind=reminder&received_on=2025-03-05").get_json()
    skipped = [s for s in body["steps"] if "Неробочий день" in s["note"]]
    assert [s["date"] for s in skipped] == ["2025-03-15", "2025-03-16"]
    assert "субота" in skipped[0]["note"] and "воєнний стан" in skipped[0]["note"]
    english = api.get(
        "/terms/due?kind=reminder&received_on=2025-03-05", headers={"Accept-Language": "en"}
    ).get_json()
    assert any("Saturday" in s["note"] and "martial law" in s["note"] for s in english["steps"])


def test_bad_questions_are_422(api):
    for query, field in (
        ("kind=letter&received_on=2025-01-01", "kind"),
        ("kind=request&received_on=01.01.2025", "received_on"),
        ("kind=request", "received_on"),
        ("kind=submission&received_on=2025-01-01&shift=previous", "shift"),
        ("kind=request&received_on=2025-01-01&shift=sideways", "shift"),
    ):
        response = api.get(f"/terms/due?{query}")
        assert response.status_code == 422, query
        assert field in response.get_json()["error"]["fields"], query
    # The Commissioner's own term (a request) may follow records practice.
    body = api.get("/terms/due?kind=request&received_on=2025-02-28&shift=previous").get_json()
    assert body["due_on"] == "2025-03-14"


def test_peace_returns_as_a_new_period_from_a_date(api, client_for, users):
    """Ending martial law: an administrator adds a peacetime period from a date; days before it
    keep the martial-law calendar."""
    assert api.get("/terms/due?kind=request&received_on=2026-08-09").get_json()["due_on"] == (
        "2026-08-24"
    )
    response = client_for(users["admin"]).post(
        "/calendar",
        data={
            "which": "period",
            "period-starts_on": "2026-08-20",
            "period-profile": "peacetime",
            "period-note": "воєнний стан припинено",
        },
    )
    assert response.status_code == 302
    peace = D("2026-08-20")
    for kind, received_on, due_on in (
        ("request", "2026-08-09", "2026-08-25"),  # Mon 24 Aug, Independence Day → Tue 25
        ("submission", "2026-07-24", "2026-08-25"),
        ("reminder", "2026-08-14", "2026-08-25"),
        ("request", "2026-07-30", "2026-08-14"),  # before the new period: unchanged, Fri
    ):
        assert reference_due(kind, D(received_on), peace_from=peace) == D(due_on)
        body = api.get(f"/terms/due?kind={kind}&received_on={received_on}").get_json()
        assert body["due_on"] == due_on, (kind, received_on)


def test_the_calculator_page(client_for, users):
    client = client_for(users["lawyer"])
    html = client.get("/terms/calculator?kind=request&received_on=2022-02-21").get_data(
        as_text=True
    )
    assert "09.03.2022" in html and "Міжнародний жіночий день" in html
    assert 'id="steps"' in html
    html = client.get("/terms/calculator?kind=request&received_on=x").get_data(as_text=True)
    assert "РРРР-ММ-ДД" in html
    assert client_for().get("/terms/calculator").status_code in (302, 401)
