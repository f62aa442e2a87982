"""The monitor's home stays small as the years pass: the same number of queries and a page well
under 100 KB whether the monitor has 3 visits or 200."""

import re
from datetime import date, timedelta

import sqlalchemy as sa

from app.extensions import db as _db

REC_LINK = re.compile(r'href="/recommendations/\d+"')


def build(api_monitor, api_lawyer, api_admin, registry, n_facilities, n_visits, n_issued):
    facilities = [registry["facility"].id]
    for i in range(1, n_facilities):
        body = api_admin.post(
            "/facilities",
            json={
                "name": f"Установа № {n_visits}-{i}",
                "type": "sizo",
                "region": "UA-32",
                "authority_id": registry["agency"].id,
            },
        ).get_json()
        facilities.append(body["id"])
    rec_ids = []
    start = date(2024, 1, 1)
    for i in range(n_visits):
        day = start + timedelta(days=3 * i)
        visit = api_monitor.post(
            "/visits",
            json={
                "facility_id": facilities[i % len(facilities)],
                "started_on": day.isoformat(),
                "ended_on": day.isoformat(),
                "kind": "planned",
            },
        )
        assert visit.status_code == 201, visit.get_json()
        rec = api_monitor.post(
            "/recommendations",
            json={
                "visit_id": visit.get_json()["id"],
                "text": f"Забезпечити належні умови тримання, пункт {i} " + "довгий текст " * 20,
                "theme": "conditions",
            },
        )
        assert rec.status_code == 201, rec.get_json()
        rec_ids.append(rec.get_json()["id"])
    for rec_id in rec_ids[:n_issued]:
        fired = api_lawyer.post(f"/recommendations/{rec_id}/transitions", json={"name": "issue"})
        assert fired.status_code == 200, fired.get_json()


def measure(client):
    count = [0]

    def count_query(*_args):
        count[0] += 1

    engine = _db.engine
    sa.event.listen(engine, "before_cursor_execute", count_query)
    try:
        response = client.get("/")
    finally:
        sa.event.remove(engine, "before_cursor_execute", count_query)
    assert response.status_code == 200
    return count[0], response.get_data(as_text=True)


def test_monitor_home_does_not_grow_with_the_database(db, users, registry, api_for, client_for):
    monitor, lawyer, admin = (api_for(users[r]) for r in ("monitor", "lawyer", "admin"))
    page = client_for(users["monitor"])
    build(monitor, lawyer, admin, registry, n_facilities=2, n_visits=3, n_issued=2)
    small_queries, small_html = measure(page)

    build(monitor, lawyer, admin, registry, n_facilities=25, n_visits=200, n_issued=60)
    queries, html = measure(page)

    assert queries == small_queries, "the number of queries grows with the monitor's visits"
    assert len(html.encode()) < 100_000
    assert "Усі мої візити (204)" in html
    assert len(REC_LINK.findall(html)) == 25  # one page of open recommendations
    assert "Знайдено: 62" in html
    second = page.get("/?page=3").get_data(as_text=True)
    assert len(REC_LINK.findall(second)) == 12
