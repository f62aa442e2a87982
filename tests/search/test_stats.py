"""The dashboard's figures against counts made by hand on the ``cases`` fixture (conftest.py).

Non-draft recommendations: a b c d e (2026, prison colony UA-32) and g h i j k (2025).
Implemented (implemented + verified): a, b. Partially: c. Overdue: d (state), g (sent, due
2025-07-01 passed). Answered: a b c h i. Term settled: a b c d g h i (e is due in 2099).
Answered in time: a (10.04 ≤ 20.04), c (21.04 ≤ 21.04), i; not b (25.04), not h (Kyiv date
11.07 > 10.07, though 10.07 in UTC). Days to answer: a 21, b 36, c 31, h 31, i 6 → median 31.
"""

from datetime import date

import pytest

from app.domain.search import stats

COUNTS = ("total", "implemented", "partially", "overdue", "answered", "settled", "in_time")


def counted(rows):
    return {row.key: tuple(getattr(row, m) for m in COUNTS) for row in rows}


def test_figures_by_state_and_totals(cases):
    fig = stats.figures()
    assert counted(fig.tables["state"]) == {
        "issued": (1, 0, 0, 0, 0, 0, 0),
        "sent_to_authority": (2, 0, 0, 1, 0, 1, 0),
        "overdue": (1, 0, 0, 1, 0, 1, 0),
        "responded": (1, 0, 0, 0, 1, 1, 0),
        "implemented": (1, 1, 0, 0, 1, 1, 1),
        "partially_implemented": (1, 0, 1, 0, 1, 1, 1),
        "rejected": (1, 0, 0, 0, 1, 1, 1),
        "verified": (1, 1, 0, 0, 1, 1, 0),
        "no_longer_relevant": (1, 0, 0, 0, 0, 0, 0),
    }
    assert [row.key for row in fig.tables["state"]][:3] == [
        "issued",
        "sent_to_authority",
        "overdue",
    ]
    t = fig.totals
    assert (t.total, t.implemented, t.partially, t.overdue, t.answered, t.settled, t.in_time) == (
        10,
        2,
        1,
        2,
        5,
        7,
        3,
    )
    assert t.rate == 20.0
    assert t.in_time_share == round(300 / 7, 1)
    assert fig.median_days == 31


def test_rates_by_authority_region_type_theme_and_year(cases, world):
    fig = stats.figures()
    assert counted(fig.tables["authority"]) == {
        world["agency"].id: (4, 2, 0, 1, 2, 3, 1),
        world["council"].id: (3, 0, 0, 0, 1, 1, 1),
        world["lviv_hq"].id: (2, 0, 0, 1, 1, 2, 0),
        world["ministry"].id: (1, 0, 1, 0, 1, 1, 1),
    }
    labels = {row.key: row.label for row in fig.tables["authority"]}
    assert labels[world["lviv_hq"].id] == "ГУНП у Львівській області"
    assert counted(fig.tables["region"]) == {
        "UA-32": (5, 2, 1, 1, 3, 4, 2),
        "UA-46": (2, 0, 0, 1, 1, 2, 0),
        "UA-30": (3, 0, 0, 0, 1, 1, 1),
    }
    assert {r.key: r.total for r in fig.tables["facility_type"]} == {
        "prison_colony": 5,
        "itt_police": 2,
        "social_care_home": 3,
    }
    themes = counted(fig.tables["theme"])
    assert themes["conditions"] == (2, 1, 0, 1, 1, 2, 1)
    assert themes["treatment"] == (2, 1, 0, 1, 1, 2, 0)
    assert themes["health"] == (2, 0, 1, 0, 1, 1, 1)
    assert sum(v[0] for v in themes.values()) == 10
    assert counted(fig.tables["year"]) == {
        2025: (5, 0, 0, 1, 2, 3, 1),
        2026: (5, 2, 1, 1, 3, 4, 2),
    }
    rates = {row.key: row.rate for row in fig.tables["region"]}
    assert rates == {"UA-32": 40.0, "UA-46": 0.0, "UA-30": 0.0}


def test_period_takes_the_visits_that_started_in_it(cases):
    fig = stats.figures(date(2026, 1, 1), date(2026, 12, 31))
    assert fig.totals.total == 5
    assert {r.key for r in fig.tables["year"]} == {2026}
    assert fig.median_days == 31  # a 21, b 36, c 31
    only_v3 = stats.figures(date(2025, 11, 1), date(2025, 11, 30))
    assert (only_v3.totals.total, only_v3.totals.in_time, only_v3.median_days) == (3, 1, 6)
    assert stats.figures(date(2030, 1, 1)).totals.total == 0


def test_figures_follow_a_new_transition(cases, advance, db):
    advance(cases["h"], "assess_implemented")
    assert stats.figures().totals.implemented == 3


def test_median_of_a_histogram():
    assert stats.median({}) is None
    assert stats.median({5: 1}) == 5
    assert stats.median({1: 1, 3: 1}) == 2
    assert stats.median({6: 1, 21: 1, 31: 2, 36: 1}) == 31
    assert stats.median({1: 3, 10: 1}) == 1
    assert stats.median({1: 2, 10: 2}) == 5.5


@pytest.mark.postgres
def test_rollup_equals_the_live_count(cases):
    names = stats.GROUPINGS + ("days",)
    assert stats.rollup_counts(names) == stats.live_counts(names)
    start, end = date(2025, 6, 1), date(2025, 6, 30)
    assert stats.rollup_counts(names, start, end) == stats.live_counts(names, start, end)


def test_dashboard_page_draws_each_chart_beside_its_table(cases, client_for, users):
    body = client_for(users["monitor"]).get("/dashboard").get_data(as_text=True)
    assert body.split("<main", 1)[1].count("<svg") == 8  # the header's bell aside
    assert "cdn" not in body.lower().replace("bootstrap", "")
    assert 'id="authority-table"' in body and "ГУНП у Львівській області" in body
    assert "Львівська область" in body  # region labels in Ukrainian
    assert "/dashboard/authority.csv" in body and "/dashboard/timeliness.xlsx" in body
    period = client_for(users["lawyer"]).get("/dashboard?from=2026-01-01&to=2026-12-31")
    assert period.status_code == 200
    assert "/dashboard/state.csv?from=2026-01-01&amp;to=2026-12-31" in period.get_data(as_text=True)
    wrong = client_for(users["lawyer"]).get("/dashboard?from=31.12.2026")
    assert wrong.status_code == 200 and "РРРР-ММ-ДД" in wrong.get_data(as_text=True)


def test_dashboard_needs_a_login(client_for, db):
    assert client_for().get("/dashboard").status_code == 302


def test_stats_api(cases, world, api_for, users):
    api = api_for(users["monitor"])
    body = api.get("/stats/recommendations?group_by=authority").get_json()
    items = {item["key"]: item for item in body["items"]}
    agency = items[world["agency"].id]
    assert {k: agency[k] for k in ("total", "implemented", "overdue", "answered_in_time")} == {
        "total": 4,
        "implemented": 2,
        "overdue": 1,
        "answered_in_time": 1,
    }
    assert agency["label"] == "Державна кримінально-виконавча служба України"
    states = api.get("/stats/recommendations").get_json()["items"]
    assert {i["key"]: i["total"] for i in states}["sent_to_authority"] == 2
    period = api.get("/stats/recommendations?group_by=region&from=2025-01-01&to=2025-12-31")
    assert {i["key"]: i["total"] for i in period.get_json()["items"]} == {"UA-46": 2, "UA-30": 3}
    en = api.get("/stats/recommendations?group_by=theme", headers={"Accept-Language": "en"})
    assert {i["key"]: i["label"] for i in en.get_json()["items"]}["safety"] == "Safety and shelters"


def test_stats_api_refuses_wrong_values(api_for, users):
    api = api_for(users["lawyer"])
    response = api.get("/stats/recommendations?group_by=colour&from=2025-13-01")
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"group_by", "from"}
    assert api.get("/stats/recommendations?format=pdf").status_code == 422
    assert api_for(None).get("/stats/recommendations").status_code == 401
