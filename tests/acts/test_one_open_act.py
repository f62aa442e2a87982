"""One open act per recommendation, kept by the database; a reminder follows its act."""

import threading
from datetime import date

import pytest
import sqlalchemy as sa

from app.domain.acts.models import Act, ActHold, act_recommendations
from app.domain.acts.operations import fire
from app.domain.deadlines.sweep import sweep


def acts_carrying(db, rec_id):
    return db.session.scalars(
        sa.select(Act)
        .join(act_recommendations, act_recommendations.c.act_id == Act.id)
        .where(act_recommendations.c.recommendation_id == rec_id)
        .order_by(Act.id)
    ).all()


def test_a_second_act_is_refused_with_a_message(db, users, registry, api_for, issued):
    api = api_for(users["lawyer"])
    body = {
        "kind": "submission",
        "authority_id": registry["agency"].id,
        "recommendation_ids": [issued[0].id],
    }
    assert api.post("/acts", json=body).status_code == 201
    response = api.post("/acts", json={**body, "kind": "request"})
    assert response.status_code == 422
    (message,) = response.get_json()["error"]["fields"]["recommendation_ids"]
    assert f"№{issued[0].id}" in message and "відкритому акті" in message
    assert len(acts_carrying(db, issued[0].id)) == 1


def test_the_database_refuses_a_second_holder(db, users, registry, make_act, issued):
    act = make_act(recs=issued[:1])
    other = make_act(recs=issued[1:])
    rec_id = issued[0].id
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.insert(ActHold).values(recommendation_id=rec_id, act_id=other.id))
        db.session.flush()
    db.session.rollback()
    assert db.session.get(ActHold, rec_id).act_id == act.id


def test_cancelled_and_answered_acts_let_go(
    db, users, registry, make_act, issued, send_act, answer_act
):
    draft = make_act(recs=issued[:1])
    fire(draft, "cancel", users["lawyer"], {"comment": "Помилка"})
    db.session.commit()
    assert db.session.get(ActHold, issued[0].id) is None
    again = make_act(recs=issued[:1])  # free again
    assert db.session.get(ActHold, issued[0].id).act_id == again.id
    answer_act(send_act(again))
    assert db.session.get(ActHold, issued[0].id) is None


def test_a_reminder_follows_its_act_and_no_one_else_may(
    db, users, registry, make_act, issued, send_act, api_for
):
    act = send_act(make_act(), sent_on=date(2026, 1, 30))
    api = api_for(users["lawyer"])
    # The postal notice: a confirmed receipt (on an assumed one the sweep only asks for it).
    confirmed = api.post(f"/acts/{act.id}/deadline/receipt", json={"received_on": "2026-02-03"})
    assert confirmed.status_code == 200, confirmed.get_json()
    report = sweep(date(2026, 3, 10))
    assert report["expired"] == [act.outgoing_number]
    db.session.expire_all()
    (reminder,) = [a for a in acts_carrying(db, issued[0].id) if a.kind == "reminder"]
    assert reminder.previous_act_id == act.id and reminder.state == "draft"
    held = db.session.scalars(
        sa.select(ActHold.act_id).where(ActHold.recommendation_id.in_([r.id for r in issued]))
    ).all()
    assert set(held) == {reminder.id}
    # A second reminder of the same act, or a fresh act, cannot hold them too.
    response = api.post(
        "/acts",
        json={
            "kind": "reminder",
            "authority_id": registry["agency"].id,
            "recommendation_ids": [issued[0].id],
        },
    )
    assert response.status_code in (409, 422)
    assert len(acts_carrying(db, issued[0].id)) == 2
    # Cancelling the reminder gives the hold back to the overdue act it followed.
    fire(reminder, "cancel", users["lawyer"], {"comment": "Подзвонили"})
    db.session.commit()
    assert db.session.get(ActHold, issued[0].id).act_id == act.id
    # A lawyer's own reminder then follows that act.
    response = api.post(
        "/acts",
        json={
            "kind": "reminder",
            "authority_id": registry["agency"].id,
            "recommendation_ids": [issued[0].id],
        },
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["previous_act_id"] == act.id


@pytest.mark.postgres
def test_twenty_parallel_posts_make_one_act(app, db, users, registry, api_for, issued):
    clients = [api_for(users["lawyer"]) for _ in range(20)]
    body = {
        "kind": "submission",
        "authority_id": registry["agency"].id,
        "recommendation_ids": [issued[0].id],
    }
    barrier = threading.Barrier(len(clients), timeout=60)
    statuses = []

    def post(client):
        barrier.wait()
        response = client.post("/acts", json=body)
        statuses.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(code for code, _body in statuses)
    assert codes.count(201) == 1 and set(codes) <= {201, 409, 422}, statuses
    for code, answer in statuses:
        if code == 409:
            assert answer["error"]["code"] == "recommendation_held"
            assert f"№{issued[0].id}" in answer["error"]["message"]
    db.session.expire_all()
    assert len(acts_carrying(db, issued[0].id)) == 1
