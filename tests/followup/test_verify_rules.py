"""Verified only on a real follow-up visit: to the facility, after the recommendation was sent,
by a monitor of that visit; visits cannot start in the future or before the NPM existed."""

from datetime import date, timedelta

import pytest

from app.core.clock import today
from app.domain.recommendations.operations import fire
from app.domain.visits import EARLIEST_VISIT
from app.domain.visits.models import Visit
from app.workflow import get_engine


def visit_form(registry, started_on, **kw):
    return {
        "facility_id": registry["facility"].id,
        "started_on": started_on.isoformat(),
        "ended_on": started_on.isoformat(),
        "kind": "follow_up",
        **kw,
    }


@pytest.mark.parametrize(
    "started_on, message",
    [(date(2030, 1, 1), "майбутньому"), (date(2011, 12, 31), "01.01.2012")],
)
def test_visits_cannot_start_in_the_future_or_before_the_npm(
    db, users, registry, api_for, client_for, started_on, message
):
    api = api_for(users["monitor"])
    response = api.post("/visits", json=visit_form(registry, started_on))
    assert response.status_code == 422
    assert "started_on" in response.get_json()["error"]["fields"]
    page = client_for(users["monitor"]).post("/visits/new", data=visit_form(registry, started_on))
    assert page.status_code == 422 and message in page.get_data(as_text=True)
    assert db.session.query(Visit).count() == 1  # the registry's own
    assert api.post("/visits", json=visit_form(registry, EARLIEST_VISIT)).status_code == 201
    assert api.post("/visits", json=visit_form(registry, today())).status_code == 201


def _later_visit(registry, monitors, started_on, facility=None):
    from app.extensions import db

    visit = Visit(
        facility=facility or registry["facility"],
        started_on=started_on,
        ended_on=started_on,
        kind="follow_up",
        monitors=monitors,
    )
    db.session.add(visit)
    db.session.commit()
    return visit


def test_the_invented_visit_attack_fails(db, users, registry, api_for, make_rec, make_user):
    """A monitor of no visit of this recommendation makes up a follow-up visit and verifies a
    recommendation that was never sent."""
    intruder = make_user("monitor")
    rec = make_rec()
    fire(rec, "issue", users["lawyer"])
    db.session.commit()
    api = api_for(intruder)
    response = api.post("/visits", json=visit_form(registry, date(2030, 6, 1)))
    assert response.status_code == 422
    own = _later_visit(registry, [intruder], today())
    response = api.post(
        f"/recommendations/{rec.id}/transitions", json={"name": "verify", "visit_id": own.id}
    )
    assert response.status_code == 409
    db.session.refresh(rec)
    assert rec.state == "issued"


def test_verify_needs_a_visit_after_sending_by_its_monitor(
    db, users, registry, api_for, issued, send_recs, make_user, world_facility
):
    rec = issued[0]
    sent_on = today() - timedelta(days=20)
    send_recs([rec], sent_on=sent_on)
    monitor, other = users["monitor"], make_user("monitor")
    before = _later_visit(registry, [monitor], sent_on)  # the same day: not after
    elsewhere = _later_visit(registry, [monitor], today(), facility=world_facility)
    someone_elses = _later_visit(registry, [other], today() - timedelta(days=1))
    good = _later_visit(registry, [monitor], today() - timedelta(days=2))

    def verify(user, visit_id):
        return api_for(user).post(
            f"/recommendations/{rec.id}/transitions", json={"name": "verify", "visit_id": visit_id}
        )

    for visit in (before, elsewhere, someone_elses):
        response = verify(monitor, visit.id)
        assert response.status_code == 409, (visit, response.get_json())
    assert verify(monitor, 987654).status_code == 409
    db.session.refresh(rec)
    assert rec.state == "sent_to_authority"
    response = verify(monitor, good.id)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == "verified"
    last = get_engine().history(rec)[-1]
    assert last.transition == "verify" and last.params == {"visit_id": good.id}


def test_a_lawyer_also_names_the_follow_up_visit(db, users, registry, api_for, issued, send_recs):
    rec = issued[0]
    send_recs([rec], sent_on=today() - timedelta(days=20))
    api = api_for(users["lawyer"])
    response = api.post(f"/recommendations/{rec.id}/transitions", json={"name": "verify"})
    assert response.status_code == 422 and "visit_id" in response.get_json()["error"]["fields"]
    visit = _later_visit(registry, [users["monitor"]], today() - timedelta(days=1))
    response = api.post(
        f"/recommendations/{rec.id}/transitions", json={"name": "verify", "visit_id": visit.id}
    )
    assert response.status_code == 200


@pytest.fixture
def world_facility(db, registry):
    from app.domain.facilities.models import Facility

    facility = Facility(name="ІТТ", type="itt_police", region="UA-46", authority=registry["agency"])
    db.session.add(facility)
    db.session.commit()
    return facility
