"""The recommendations API: list filters, create, patch where the state allows, transitions, history."""

from datetime import timedelta

import pytest

from app.core.clock import today as kyiv_today
from app.domain.recommendations.operations import fire


def test_monitor_creates_a_draft_in_their_visit(db, users, registry, api_for):
    api = api_for(users["monitor"])
    response = api.post(
        "/recommendations",
        json={
            "visit_id": registry["visit"].id,
            "text": "Забезпечити прогулянки щодня",
            "theme": "regime",
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["state"] == "draft" and body["priority"] == "medium"
    assert body["facility_id"] == registry["facility"].id
    assert body["authority_id"] == registry["agency"].id and body["act_ids"] == []
    assert set(body) >= {
        "id",
        "visit_id",
        "facility_id",
        "authority_id",
        "text",
        "theme",
        "priority",
        "state",
        "due_on",
        "act_ids",
        "previous_id",
    }
    history = api.get(f"/recommendations/{body['id']}/history").get_json()
    assert len(history) == 1
    assert history[0]["transition"] == "create" and history[0]["from"] is None
    assert history[0]["to"] == "draft" and history[0]["actor"] == users["monitor"].id
    assert history[0]["at"].endswith("+00:00")


def test_roles_for_creating(db, users, registry, api_for, make_user):
    payload = {"visit_id": registry["visit"].id, "text": "Т", "theme": "health"}
    assert api_for(make_user("monitor")).post("/recommendations", json=payload).status_code == 403
    assert api_for(users["admin"]).post("/recommendations", json=payload).status_code == 403
    assert api_for(users["lawyer"]).post("/recommendations", json=payload).status_code == 201


@pytest.mark.parametrize(
    "change,field",
    [
        ({"text": ""}, "text"),
        ({"theme": "weather"}, "theme"),
        ({"priority": "whenever"}, "priority"),
        ({"visit_id": None}, "visit_id"),
        ({"visit_id": 424242}, "visit_id"),
        ({"authority_id": 424242}, "authority_id"),
        ({"previous_id": 424242}, "previous_id"),
        ({"due_on": "31.12.2026"}, "due_on"),
        ({"state": "implemented"}, "state"),
    ],
)
def test_create_bad_input(db, users, registry, api_for, change, field):
    payload = {"visit_id": registry["visit"].id, "text": "Текст", "theme": "health", **change}
    response = api_for(users["lawyer"]).post("/recommendations", json=payload)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_list_filters(db, users, registry, api_for, make_rec, send_recs):
    a = make_rec("Про катування у кімнатах", theme="treatment")
    b = make_rec("Про харчування", theme="conditions")
    for rec in (a, b):
        fire(rec, "issue", users["lawyer"])
    db.session.commit()
    send_recs([a])
    a.due_on = kyiv_today() - timedelta(days=2)
    db.session.commit()
    api = api_for(users["monitor"])

    def ids(query):
        response = api.get(f"/recommendations?{query}")
        assert response.status_code == 200, response.get_json()
        return [r["id"] for r in response.get_json()["items"]]

    assert ids("state=issued") == [b.id]
    assert ids("theme=treatment") == [a.id]
    assert ids("overdue=true") == [a.id]
    assert ids(f"authority_id={registry['agency'].id}&facility_id={registry['facility'].id}") == [
        b.id,
        a.id,
    ]
    assert ids(f"visit_id={registry['visit'].id}&q=КАТУВАННЯ") == [a.id]
    assert ids("authority_id=999") == []
    for bad in ("state=lost", "theme=x", "overdue=maybe", "facility_id=one"):
        assert api.get(f"/recommendations?{bad}").status_code == 422


def test_patch_only_where_the_state_allows(db, users, registry, api_for, make_rec, send_recs):
    rec = make_rec()
    lawyer = api_for(users["lawyer"])
    response = lawyer.patch(
        f"/recommendations/{rec.id}", json={"text": "Новий текст", "due_on": "2026-12-31"}
    )
    assert response.status_code == 200
    assert (
        response.get_json()["text"] == "Новий текст"
        and response.get_json()["due_on"] == "2026-12-31"
    )
    fire(rec, "issue", users["lawyer"])
    db.session.commit()
    send_recs([rec])
    response = lawyer.patch(f"/recommendations/{rec.id}", json={"text": "Після надсилання"})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "locked"
    assert "text" in response.get_json()["error"]["message"]
    response = lawyer.patch(f"/recommendations/{rec.id}", json={"priority": "urgent"})
    assert response.status_code == 200
    monitor = api_for(users["monitor"])
    assert monitor.patch(f"/recommendations/{rec.id}", json={"priority": "low"}).status_code == 409


def test_transitions_available_and_fired(db, users, registry, api_for, make_rec):
    rec = make_rec()
    lawyer = api_for(users["lawyer"])
    available = lawyer.get(f"/recommendations/{rec.id}/transitions").get_json()
    assert available == [
        {"name": "issue", "label": "Видати", "to": "issued"},
        {"name": "withdraw", "label": "Зняти з контролю", "to": "no_longer_relevant"},
    ]
    assert api_for(users["monitor"]).get(f"/recommendations/{rec.id}/transitions").get_json() == []
    response = lawyer.post(
        f"/recommendations/{rec.id}/transitions", json={"name": "issue", "comment": "Так"}
    )
    assert response.status_code == 200 and response.get_json()["state"] == "issued"
    history = lawyer.get(f"/recommendations/{rec.id}/history").get_json()
    assert [(h["transition"], h["from"], h["to"], h["comment"]) for h in history] == [
        ("create", None, "draft", None),
        ("issue", "draft", "issued", "Так"),
    ]


def test_transition_errors(db, users, registry, api_for, make_rec):
    rec = make_rec()
    lawyer = api_for(users["lawyer"])
    response = lawyer.post(
        f"/recommendations/{rec.id}/transitions", json={"name": "assess_rejected"}
    )
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "wrong_state" and "Чернетка" in error["message"]
    response = api_for(users["monitor"]).post(
        f"/recommendations/{rec.id}/transitions", json={"name": "issue"}
    )
    assert response.status_code == 403
    response = lawyer.post(f"/recommendations/{rec.id}/transitions", json={"name": "withdraw"})
    assert response.status_code == 422 and "comment" in response.get_json()["error"]["fields"]
    response = lawyer.post(f"/recommendations/{rec.id}/transitions", json={"name": "fly"})
    assert response.status_code == 422
    response = lawyer.post(f"/recommendations/{rec.id}/transitions", json={"comment": "x"})
    assert response.status_code == 422 and "name" in response.get_json()["error"]["fields"]
    assert lawyer.get("/recommendations/999/transitions").status_code == 404
    assert lawyer.get(f"/recommendations/{rec.id}").get_json()["state"] == "draft"


def test_stale_version_is_a_conflict(app, db, users, registry, make_rec):
    """Two sessions load the same draft; the second issue finds the case changed."""
    from app.domain.recommendations.models import Recommendation
    from app.extensions import db as _db
    from app.workflow import Conflict

    rec = make_rec()
    with app.app_context():
        other = _db.session.get(Recommendation, rec.id)
        fire(other, "issue", users["lawyer"])
        _db.session.commit()
        _db.session.remove()
    with pytest.raises(Conflict):
        fire(rec, "withdraw", users["lawyer"], {"comment": "закрито"})
    db.session.rollback()


def test_patch_with_nulls_is_an_answer_never_a_500(db, users, registry, api_for, make_rec):
    """null for a field that must have a value: the authority falls back to the facility's (as
    when created); the others are field errors; nothing changes on a refusal."""
    rec = make_rec(authority_id=registry["ministry"].id)
    lawyer = api_for(users["lawyer"])
    response = lawyer.patch(f"/recommendations/{rec.id}", json={"authority_id": None})
    assert response.status_code == 200
    assert response.get_json()["authority_id"] == registry["facility"].authority_id
    for name in ("text", "theme", "priority", "visit_id"):
        response = lawyer.patch(f"/recommendations/{rec.id}", json={name: None})
        assert response.status_code == 422, (name, response.get_json())
        assert name in response.get_json()["error"]["fields"], name
    response = lawyer.patch(f"/recommendations/{rec.id}", json={"due_on": None})
    assert response.status_code == 200 and response.get_json()["due_on"] is None
