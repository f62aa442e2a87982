"""The dashboard stays bounded as the register grows: the same number of queries and a page of
about the same size whether 11 recommendations are counted or hundreds, of forty authorities,
in every region and over ten years."""

from datetime import date

import sqlalchemy as sa

from app.domain import codes
from app.domain.search import stats
from app.extensions import db as _db


def measure(page, url="/dashboard"):
    count = [0]

    def count_query(*_args):
        count[0] += 1

    stats.refresh()  # what the workers do (PostgreSQL); nothing to do on SQLite
    sa.event.listen(_db.engine, "before_cursor_execute", count_query)
    try:
        response = page.get(url)
    finally:
        sa.event.remove(_db.engine, "before_cursor_execute", count_query)
    assert response.status_code == 200
    return count[0], response.get_data()


def grow(api_admin, make_rec, advance, n_authorities=40, per_authority=5):
    """Authorities, each with a facility in its own region and type and visits over ten years;
    a few recommendations each, issued and some withdrawn."""
    regions, types, themes = list(codes.REGIONS), list(codes.FACILITY_TYPES), list(codes.THEMES)
    from app.domain.visits.models import Visit

    for a in range(n_authorities):
        authority = api_admin.post(
            "/authorities", json={"name": f"Орган влади № {a}", "kind": "agency"}
        ).get_json()
        facility = api_admin.post(
            "/facilities",
            json={
                "name": f"Установа № {a}",
                "type": types[a % len(types)],
                "region": regions[a % len(regions)],
                "authority_id": authority["id"],
            },
        ).get_json()
        day = date(2016 + a % 10, 1 + a % 12, 1 + a % 28)
        visit = api_admin.post(
            "/visits",
            json={
                "facility_id": facility["id"],
                "started_on": day.isoformat(),
                "ended_on": day.isoformat(),
                "kind": "planned",
            },
        )
        assert visit.status_code == 201, visit.get_json()
        visit = _db.session.get(Visit, visit.get_json()["id"])
        for i in range(per_authority):
            rec = make_rec(
                f"Рекомендація {a}-{i}: забезпечити належні умови",
                theme=themes[(a + i) % len(themes)],
                visit=visit,
                authority_id=authority["id"],
                due_on=date(2026, 1, 1 + i),
            )
            advance(rec, "issue", *(["withdraw"] if i % 2 else []))


def test_dashboard_does_not_grow_with_the_register(
    cases, users, client_for, api_for, make_rec, advance
):
    page = client_for(users["lawyer"])
    small_queries, small = measure(page)
    period = "/dashboard?from=2016-03-15&to=2025-11-20"
    small_period_queries, _ = measure(page, period)

    grow(api_for(users["admin"]), make_rec, advance)
    queries, html = measure(page)
    period_queries, period_html = measure(page, period)

    assert queries == small_queries, "the number of queries grows with the register"
    assert period_queries == small_period_queries
    assert "Орган влади №".encode() in period_html  # the grown register is counted
    # Charts keep the top authorities: the page grows by a few table rows, not per case.
    assert len(html) < 200_000 and len(period_html) < 200_000
    assert len(html) < 2 * len(small) + 60_000
