"""Idempotency-Key on API POSTs: a repeat gets the first answer and creates nothing new."""

import threading
from datetime import timedelta

import sqlalchemy as sa

from app.core import idempotency
from app.core.db import utcnow
from app.domain.recommendations.models import Recommendation


def _count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _payload(registry, text="Забезпечити прогулянки щодня"):
    return {"visit_id": registry["visit"].id, "text": text, "theme": "regime"}


def test_a_repeat_returns_the_first_answer_and_creates_nothing(db, users, registry, api_for):
    api = api_for(users["monitor"])
    headers = {"Idempotency-Key": "rec-2026-03-10-a"}
    first = api.post("/recommendations", json=_payload(registry), headers=headers)
    assert first.status_code == 201, first.get_json()
    again = api.post("/recommendations", json=_payload(registry), headers=headers)
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(db, Recommendation) == 1
    # Without the key (or with another one) the API creates as before.
    other = api.post("/recommendations", json=_payload(registry), headers={"Idempotency-Key": "b"})
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]
    assert _count(db, Recommendation) == 2


def test_same_key_different_body_is_409(db, users, registry, api_for):
    api = api_for(users["monitor"])
    headers = {"Idempotency-Key": "k1"}
    assert api.post("/recommendations", json=_payload(registry), headers=headers).status_code == 201
    changed = api.post("/recommendations", json=_payload(registry, "Інший текст"), headers=headers)
    assert changed.status_code == 409
    assert changed.get_json()["error"]["code"] == "idempotency_key_reused"
    assert _count(db, Recommendation) == 1


def test_keys_are_per_user_and_expire_after_a_day(db, users, registry, api_for, make_user):
    headers = {"Idempotency-Key": "shared"}
    mine = api_for(users["monitor"]).post(
        "/recommendations", json=_payload(registry), headers=headers
    )
    theirs = api_for(users["lawyer"]).post(
        "/recommendations", json=_payload(registry), headers=headers
    )
    assert mine.status_code == theirs.status_code == 201
    assert mine.get_json()["id"] != theirs.get_json()["id"]
    db.session.execute(
        sa.update(idempotency.IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25))
    )
    db.session.commit()
    later = api_for(users["monitor"]).post(
        "/recommendations", json=_payload(registry), headers=headers
    )
    assert later.status_code == 201 and later.get_json()["id"] not in (
        mine.get_json()["id"],
        theirs.get_json()["id"],
    )
    assert idempotency.delete_expired() == 1  # the lawyer's; the monitor's was claimed anew
    assert _count(db, idempotency.IdempotencyKey) == 1


def test_a_refused_request_frees_its_key(db, users, registry, api_for):
    api = api_for(users["monitor"])
    headers = {"Idempotency-Key": "retry-me"}
    bad = api.post(
        "/recommendations", json={**_payload(registry), "theme": "weather"}, headers=headers
    )
    assert bad.status_code == 422
    good = api.post("/recommendations", json=_payload(registry), headers=headers)
    assert good.status_code == 201
    assert _count(db, Recommendation) == 1


def test_two_concurrent_repeats_create_one(db, users, registry, api_for):
    clients = [api_for(users["monitor"]) for _ in range(2)]
    payload = _payload(registry)
    results = []
    start = threading.Barrier(2)

    def send(api):
        start.wait()
        response = api.post(
            "/recommendations", json=payload, headers={"Idempotency-Key": "double-click"}
        )
        results.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send, args=(api,)) for api in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [status for status, _body in results] == [201, 201], results
    assert results[0][1] == results[1][1]
    db.session.rollback()  # a fresh snapshot: the threads committed after this session read
    assert _count(db, Recommendation) == 1


def test_blank_or_overlong_key_is_400(db, users, registry, api_for):
    api = api_for(users["monitor"])
    for key in (" ", "k" * 256):
        response = api.post(
            "/recommendations", json=_payload(registry), headers={"Idempotency-Key": key}
        )
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "bad_request"
    assert _count(db, Recommendation) == 0


def test_the_openapi_document_says_so(app, db):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    posts = [ops["post"] for ops in spec["paths"].values() if "post" in ops]
    assert posts and all(
        any(p.get("name") == "Idempotency-Key" for p in op.get("parameters", [])) for op in posts
    )
    for path in ("/recommendations/{id}", "/acts/{id}"):
        assert set(spec["paths"][path]["delete"]["responses"]) >= {"204", "403", "409"}
