"""The REST API for authorities, facilities, visits and /me, exactly as INTERFACE.md writes it."""

import pytest
import sqlalchemy as sa

from app.domain.authorities.models import Authority
from app.domain.visits.models import Visit


def error_of(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/json"
    body = response.get_json()["error"]
    assert set(body) <= {"code", "message", "fields"} and body["message"]
    if code:
        assert body["code"] == code
    assert ("fields" in body) == (status == 422)
    return body


def test_me(db, users, api_for):
    body = api_for(users["monitor"]).get("/me").get_json()
    assert body == {
        "id": users["monitor"].id,
        "email": "monitor@example.org",
        "name": users["monitor"].name,
        "role": "monitor",
    }


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Basic abc", "Bearer "])
def test_401_without_a_valid_token(app, db, header):
    headers = {"Authorization": header} if header else {}
    error_of(app.test_client().get("/api/v1/authorities", headers=headers), 401, "unauthorized")


def test_list_pagination_and_filters(db, users, registry, api_for):
    for i in range(7):
        db.session.add(Authority(name=f"Рада {i}", kind="local_council"))
    db.session.commit()
    api = api_for(users["monitor"])
    body = api.get("/authorities?kind=local_council&page=2&per_page=3").get_json()
    assert body["total"] == 7 and body["page"] == 2 and body["per_page"] == 3
    assert [a["name"] for a in body["items"]] == ["Рада 3", "Рада 4", "Рада 5"]
    body = api.get(f"/authorities?parent_id={registry['ministry'].id}").get_json()
    assert [a["id"] for a in body["items"]] == [registry["agency"].id]
    item = api.get(f"/authorities/{registry['ministry'].id}").get_json()
    assert {"id", "name", "kind", "email", "head_title", "head_name", "parent_id"} <= set(item)
    assert api.get("/facilities?region=UA-32&type=prison_colony").get_json()["total"] == 1
    assert api.get("/facilities?q=БУЧАНСЬКА").get_json()["total"] == 1
    visits = api.get(f"/visits?facility_id={registry['facility'].id}").get_json()
    assert visits["items"][0]["monitor_ids"] == [users["monitor"].id]
    assert visits["items"][0]["started_on"] == "2026-03-10"


@pytest.mark.parametrize(
    "query,field",
    [
        ("page=0", "page"),
        ("per_page=1000", "per_page"),
        ("page=x", "page"),
        ("kind=church", "kind"),
        ("parent_id=abc", "parent_id"),
    ],
)
def test_bad_list_parameters(db, users, api_for, query, field):
    body = error_of(api_for(users["lawyer"]).get(f"/authorities?{query}"), 422, "invalid")
    assert field in body["fields"]


def test_create_and_patch_authority(db, users, registry, api_for):
    api = api_for(users["lawyer"])
    response = api.post(
        "/authorities",
        json={
            "name": "ГУНП в Одеській області",
            "kind": "regional_body",
            "email": "odesa@police.example",
            "parent_id": registry["agency"].id,
        },
    )
    assert response.status_code == 201
    created = response.get_json()
    assert created["parent_id"] == registry["agency"].id and created["head_title"] == ""
    response = api.patch(f"/authorities/{created['id']}", json={"head_name": "Артемові САВЧЕНКУ"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["head_name"] == "Артемові САВЧЕНКУ" and body["email"] == "odesa@police.example"
    response = api.patch(f"/authorities/{created['id']}", json={"parent_id": None})
    assert response.get_json()["parent_id"] is None


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"kind": "ministry"}, "name"),
        ({"name": "X", "kind": "bank"}, "kind"),
        ({"name": "X", "kind": "agency", "email": "nope"}, "email"),
        ({"name": "X", "kind": "agency", "parent_id": 99999}, "parent_id"),
        ({"name": "X", "kind": "agency", "colour": "red"}, "colour"),
        ({"name": {"a": 1}, "kind": "agency"}, "name"),
        ({"name": "x" * 301, "kind": "agency"}, "name"),
    ],
)
def test_authority_bad_input(db, users, api_for, payload, field):
    body = error_of(api_for(users["admin"]).post("/authorities", json=payload), 422, "invalid")
    assert field in body["fields"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Authority)) == 0


def test_malformed_json_is_400(db, users, api_for):
    api = api_for(users["admin"])
    error_of(api.post("/authorities", data="{not json", content_type="application/json"), 400)
    error_of(api.post("/authorities", data="name=x"), 400)
    body = error_of(api.post("/authorities", json=[1, 2]), 422)
    assert body["fields"]


def test_404_and_405_are_json(db, users, api_for):
    api = api_for(users["lawyer"])
    error_of(api.get("/authorities/424242"), 404, "not_found")
    error_of(api.get("/no-such-thing"), 404, "not_found")
    error_of(api.patch("/facilities/424242", json={}), 404)
    error_of(api.delete("/authorities/1"), 405)


def test_api_messages_in_english_on_request(db, users, api_for):
    api = api_for(users["lawyer"])
    uk = api.get("/authorities/424242").get_json()["error"]["message"]
    en = api.get("/authorities/424242", headers={"Accept-Language": "en"}).get_json()["error"][
        "message"
    ]
    assert uk == "Не знайдено." and en == "Not found."


def test_role_rules_on_registries(db, users, registry, api_for):
    monitor = api_for(users["monitor"])
    error_of(monitor.post("/authorities", json={"name": "X", "kind": "agency"}), 403, "forbidden")
    error_of(monitor.patch(f"/authorities/{registry['ministry'].id}", json={"name": "Y"}), 403)
    error_of(
        monitor.post("/facilities", json={"name": "X", "type": "sizo", "region": "UA-30"}), 403
    )
    error_of(monitor.patch(f"/facilities/{registry['facility'].id}", json={"capacity": 1}), 403)
    for role in ("admin", "lawyer"):
        api = api_for(users[role])
        response = api.post(
            "/facilities",
            json={
                "name": f"СІЗО {role}",
                "type": "sizo",
                "region": "UA-30",
                "capacity": 100,
                "authority_id": registry["agency"].id,
            },
        )
        assert response.status_code == 201


def test_facility_bad_input(db, users, registry, api_for):
    api = api_for(users["lawyer"])
    for payload, field in [
        ({"name": "X", "type": "sizo", "region": "UA-00"}, "region"),
        ({"name": "X", "type": "castle", "region": "UA-30"}, "type"),
        ({"name": "X", "type": "sizo", "region": "UA-30", "capacity": -1}, "capacity"),
        ({"name": "X", "type": "sizo", "region": "UA-30", "capacity": "ten"}, "capacity"),
        ({"name": "X", "type": "sizo", "region": "UA-30", "authority_id": 777}, "authority_id"),
        ({"type": "sizo", "region": "UA-30"}, "name"),
    ]:
        assert field in error_of(api.post("/facilities", json=payload), 422)["fields"]
    facility = registry["facility"]
    body = error_of(api.patch(f"/facilities/{facility.id}", json={"region": "UA-99"}), 422)
    assert "region" in body["fields"]
    assert api.get(f"/facilities/{facility.id}").get_json()["region"] == "UA-32"


def test_visits_by_monitor_and_role_rules(db, users, registry, api_for, make_user):
    monitor = api_for(users["monitor"])
    response = monitor.post(
        "/visits",
        json={
            "facility_id": registry["facility"].id,
            "started_on": "2026-06-01",
            "ended_on": "2026-06-02",
            "kind": "follow_up",
            "participants": ["Експертка Ганна"],
        },
    )
    assert response.status_code == 201, response.get_json()
    visit = response.get_json()
    assert visit["monitor_ids"] == [users["monitor"].id]
    assert visit["participants"] == ["Експертка Ганна"]
    # No visit to the facility: the visit is not theirs to know of (404, as a missing id).
    stranger = api_for(make_user("monitor"))
    error_of(stranger.patch(f"/visits/{visit['id']}", json={"summary": "x"}), 404, "not_found")
    # A visit of their own to the facility: they read this one but may not change it.
    colleague = make_user("monitor")
    created = api_for(users["lawyer"]).post(
        "/visits",
        json={
            "facility_id": registry["facility"].id,
            "started_on": "2026-05-05",
            "ended_on": "2026-05-05",
            "kind": "planned",
            "monitor_ids": [colleague.id],
        },
    )
    assert created.status_code == 201, created.get_json()
    other = api_for(colleague)
    assert other.get(f"/visits/{visit['id']}").status_code == 200
    error_of(other.patch(f"/visits/{visit['id']}", json={"summary": "x"}), 403)
    response = monitor.patch(f"/visits/{visit['id']}", json={"summary": "Підсумок"})
    assert response.get_json()["summary"] == "Підсумок"
    assert response.get_json()["ended_on"] == "2026-06-02"


@pytest.mark.parametrize(
    "change,field",
    [
        ({"ended_on": "2026-05-30"}, "ended_on"),
        ({"started_on": "2026-13-01"}, "started_on"),
        ({"kind": "party"}, "kind"),
        ({"facility_id": 9999}, "facility_id"),
        ({"monitor_ids": [123456]}, "monitor_ids"),
        ({"monitor_ids": "all"}, "monitor_ids"),
    ],
)
def test_visit_bad_input(db, users, registry, api_for, change, field):
    payload = {
        "facility_id": registry["facility"].id,
        "started_on": "2026-06-01",
        "ended_on": "2026-06-02",
        "kind": "planned",
        **change,
    }
    body = error_of(api_for(users["lawyer"]).post("/visits", json=payload), 422)
    assert field in body["fields"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 1
