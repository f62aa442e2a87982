"""PostgreSQL's statistics roll-up is refreshed incrementally: triggers name the visit days a
change touches, a refresh recounts only those (and, when the Kyiv day moves on, the days of the
terms that fell due), and the dashboard sums whole months from the monthly rows."""

import time
from datetime import date

import pytest
import sqlalchemy as sa

from app.core import clock
from app.domain.search import stats

pytestmark = pytest.mark.postgres

NAMES = stats.GROUPINGS + stats.EXTRA


def changed_days(db):
    return set(db.session.scalars(sa.text("SELECT visit_on FROM stats_changed_days")))


def recount_matches_live(*period):
    assert stats.refresh()
    assert stats.rollup_counts(NAMES, *period) == stats.live_counts(NAMES, *period)


def test_a_transition_names_its_visit_day_and_the_refresh_recounts_it(cases, db, users):
    from app.domain.recommendations.operations import fire

    withdrawn = cases["j"].state  # j was withdrawn; k, of the same visit, follows

    def counted():
        return db.session.execute(
            sa.text(
                "SELECT coalesce(sum(total), 0) FROM stats_recommendation_days WHERE dim = 'state'"
                " AND key = :k AND visit_on = '2025-11-20'"
            ),
            {"k": withdrawn},
        ).scalar()

    recount_matches_live()
    assert changed_days(db) == set() and counted() == 1
    fire(cases["k"], "withdraw", users["lawyer"], {"comment": "—"})
    db.session.commit()
    assert changed_days(db) == {date(2025, 11, 20)}
    recount_matches_live()
    assert changed_days(db) == set()
    assert cases["k"].state == withdrawn and counted() == 2


def test_nothing_changed_is_a_quick_refresh(cases, db):
    recount_matches_live()
    started = time.perf_counter()
    assert stats.refresh()
    assert time.perf_counter() - started < 1
    assert stats.rollup_time() is not None


def test_the_next_day_recounts_the_terms_that_fell_due(cases, db):
    # g (sent, due 2025-07-01) is overdue from the day after; on 2025-06-30 it is not yet.
    with clock.pinned(date(2025, 6, 30)):
        recount_matches_live()
        overdue = stats.rollup_counts(["authority"])["authority"]
        assert overdue[cases["g"].authority_id]["overdue"] == 0
    with clock.pinned(date(2025, 7, 2)):
        recount_matches_live()
        overdue = stats.rollup_counts(["authority"])["authority"]
        assert overdue[cases["g"].authority_id]["overdue"] == 1


def test_a_visits_new_date_and_a_facilitys_new_region_are_recounted(
    cases, db, world, api_for, users
):
    recount_matches_live()
    moved = api_for(users["admin"]).patch(
        f"/visits/{world['home_visit'].id}",
        json={"started_on": "2024-02-03", "ended_on": "2024-02-04"},
    )
    assert moved.status_code == 200, moved.get_json()
    assert {date(2025, 11, 20), date(2024, 2, 3)} <= changed_days(db)
    recount_matches_live()
    assert 2024 in stats.rollup_counts(["year"])["year"]
    regioned = api_for(users["admin"]).patch(
        f"/facilities/{world['itt'].id}", json={"region": "UA-12"}
    )
    assert regioned.status_code == 200, regioned.get_json()
    assert date(2025, 6, 2) in changed_days(db)
    recount_matches_live()
    assert "UA-12" in stats.rollup_counts(["region"])["region"]


PERIODS = [
    (date(2025, 6, 1), date(2025, 6, 30)),  # one whole month
    (date(2025, 6, 2), date(2025, 6, 2)),  # one day
    (date(2025, 6, 3), date(2026, 3, 10)),  # partial months around whole ones
    (date(2025, 1, 1), None),
    (None, date(2025, 11, 20)),
    (date(2025, 11, 21), date(2026, 3, 9)),  # nothing
]


def test_periods_sum_whole_months_and_their_edges(cases, db):
    for period in PERIODS:
        recount_matches_live(*period)


def test_months_hold_the_sums_of_their_days(cases, db):
    assert stats.refresh()
    sums = "sum(total), sum(overdue), sum(in_time)"
    days = db.session.execute(
        sa.text(
            f"SELECT dim, key, date_trunc('month', visit_on)::date, {sums} "
            "FROM stats_recommendation_days GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        )
    ).all()
    months = db.session.execute(
        sa.text(
            f"SELECT dim, key, visit_on, {sums} FROM stats_recommendation_months "
            "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        )
    ).all()
    assert days == months and months


def test_a_refresh_rolled_back_keeps_the_changes_for_the_next(cases, db, users, monkeypatch):
    from app.domain.recommendations.operations import fire

    recount_matches_live()
    fire(cases["k"], "withdraw", users["lawyer"], {"comment": "—"})
    db.session.commit()

    def broken(*_args):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(stats, "_mark_refreshed", broken)
    with pytest.raises(RuntimeError):
        stats.refresh()
    assert changed_days(db) == {date(2025, 11, 20)}
    monkeypatch.undo()
    recount_matches_live()


def test_the_workers_job_refreshes(cases, db):
    from app.domain.search.jobs import refresh_stats

    assert refresh_stats() == {"refreshed": True}
    assert stats.rollup_counts(NAMES) == stats.live_counts(NAMES)


def test_an_answers_position_names_its_visit_day(cases, db, answer_act):
    """An interim answer moves no state, but its position is the latest reported one: the
    trigger on positions names the visit day, and the recount shows it on the dashboard."""
    recount_matches_live()

    def in_progress():
        found = stats.rollup_counts(["reported"])["reported"]
        return found.get("in_progress", {}).get("total", 0)

    before = in_progress()
    answer_act(cases["e"].acts[-1], date(2026, 4, 1), position="in_progress", kind="interim")
    assert date(2026, 3, 10) in changed_days(db)
    recount_matches_live()
    assert in_progress() == before + 1
    reported = dict((p, (n, v)) for p, n, v in stats.figures().reported)
    assert reported["in_progress"][0] == before + 1
