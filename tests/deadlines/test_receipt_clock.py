"""The clock runs from receipt: the mail server's acceptance for e-mail, a confirmed or assumed
date for post; receipt corrected after overdue; extensions and pauses; answers' sending dates
in the statistics. Through the API of INTERFACE.md wherever it offers the operation."""

from datetime import date as date_
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core import clock
from app.core.clock import today
from app.domain.acts.models import Act
from app.domain.acts.operations import fire
from app.domain.deadlines import operations as dl
from app.domain.deadlines.calendar import current_calendar
from app.domain.deadlines.sweep import sweep
from app.domain.notifications import Notification
from app.terms import Term, due_date
from app.workflow import get_engine


def generated(db, users, make_act, run_jobs, kind="submission", recs=None):
    act = make_act(kind=kind, recs=recs)
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "ready", act.documents_error
    return act


def send(db, users, act, channel, sent_on, received_on=None):
    """Register and send the act on ``sent_on``: the register's day then (a letter is dated the
    day of its number)."""
    params = {"channel": channel, "sent_on": sent_on}
    if received_on is not None:
        params["received_on"] = received_on
    with clock.pinned(sent_on):
        fire(act, "send", users["lawyer"], params)
        db.session.commit()
    return act


def term_from(received_on, term="1 month"):
    return due_date(received_on, Term.parse(term), current_calendar())


@pytest.fixture
def api(api_for, users):
    return api_for(users["lawyer"])


def test_email_clock_starts_when_the_authority_server_accepts(
    app, db, users, make_act, run_jobs, smtp_server, api
):
    smtp_server.start()
    act = generated(db, users, make_act, run_jobs)
    sent_on = today() - timedelta(days=3)
    send(db, users, act, "email", sent_on)
    body = api.get(f"/acts/{act.id}/deadline").get_json()
    # Until the server accepts it, the receipt is the sending date, and only an assumption.
    assert body["received_on"] == sent_on.isoformat() and body["received_on_assumed"] is True
    run_jobs()  # the mail job: the server answers 250 today
    assert len(smtp_server.messages) == 1
    db.session.expire_all()
    act = db.session.get(Act, act.id)
    assert act.received_on == today() and act.received_on_assumed is False
    assert act.due_on == term_from(today())
    body = api.get(f"/acts/{act.id}/deadline").get_json()
    assert body["received_on"] == today().isoformat() and body["received_on_assumed"] is False
    assert body["due_on"] == body["statutory_due_on"] == term_from(today()).isoformat()
    assert [e["kind"] for e in body["events"]] == ["created", "accepted"]
    assert body["events"][-1]["actor"] is None
    listed = api.get(f"/acts/{act.id}").get_json()
    assert listed["received_on"] == today().isoformat() and listed["received_on_assumed"] is False


def test_post_without_receipt_is_assumed_and_not_declared_overdue(
    app, db, users, make_act, run_jobs, api
):
    sent_on = today() - timedelta(days=60)
    act = send(db, users, generated(db, users, make_act, run_jobs), "post", sent_on)
    assumed = sent_on + timedelta(days=app.config["POST_DELIVERY_DAYS"])
    body = api.get(f"/acts/{act.id}/deadline").get_json()
    assert body["received_on"] == assumed.isoformat() and body["received_on_assumed"] is True
    assert act.due_on == term_from(assumed) < today()
    report = sweep(today())
    assert report["expired"] == [act.outgoing_number]
    db.session.expire_all()
    act = db.session.get(Act, act.id)
    # The term passed only on an assumed date: nothing overdue, nothing drafted, a question.
    assert act.state == "sent" and {r.state for r in act.recommendations} == {"sent_to_authority"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Act)) == 1
    note = db.session.scalar(sa.select(Notification).where(Notification.kind == "act_overdue"))
    assert "Підтвердьте дату отримання" in note.subject
    assert [e.kind for e in act.deadline.events][-1] == "assumed_passed"
    assert sweep(today())["expired"] == []  # once
    # The confirmed date (the postal notice): the term passed indeed; the next sweep acts.
    response = api.post(
        f"/acts/{act.id}/deadline/receipt",
        json={"received_on": (sent_on + timedelta(days=2)).isoformat(), "reason": "повідомлення"},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["received_on_assumed"] is False
    assert sweep(today())["expired"] == [act.outgoing_number]
    db.session.expire_all()
    act = db.session.get(Act, act.id)
    assert act.state == "overdue"
    assert db.session.scalar(sa.select(Act).where(Act.previous_act_id == act.id)).kind == (
        "reminder"
    )


def test_the_setting_lets_the_sweep_act_on_an_assumed_receipt(
    app, db, users, make_act, run_jobs, monkeypatch
):
    settings = get_engine().current("act").settings["on_expiry"]
    monkeypatch.setitem(settings, "act_on_assumed_receipt", True)
    sent_on = today() - timedelta(days=60)
    act = send(db, users, generated(db, users, make_act, run_jobs), "post", sent_on)
    sweep(today())
    db.session.expire_all()
    assert db.session.get(Act, act.id).state == "overdue"


def test_receipt_corrected_after_overdue_returns_the_act_to_sent(
    app, db, users, make_act, run_jobs, api
):
    sent_on = today() - timedelta(days=50)
    act = send(db, users, generated(db, users, make_act, run_jobs), "post", sent_on)
    # The postal notice came back: received the day after it was posted.
    response = api.post(
        f"/acts/{act.id}/deadline/receipt",
        json={"received_on": str(sent_on + timedelta(days=1)), "reason": "повідомлення"},
    )
    assert response.status_code == 200, response.get_json()
    sweep(today())
    db.session.expire_all()
    act = db.session.get(Act, act.id)
    assert act.state == "overdue" and {r.state for r in act.recommendations} == {"overdue"}
    assert "protocol-window" in _act_page(users, act)
    body = api.get(f"/acts/{act.id}/deadline").get_json()
    assert body["protocol_until"] is not None
    for bad in (sent_on - timedelta(days=1), today() + timedelta(days=1)):
        response = api.post(f"/acts/{act.id}/deadline/receipt", json={"received_on": str(bad)})
        assert response.status_code == 422
        assert "received_on" in response.get_json()["error"]["fields"]
    # The real receipt was two days ago: the month has not passed.
    received = today() - timedelta(days=2)
    response = api.post(
        f"/acts/{act.id}/deadline/receipt",
        json={"received_on": received.isoformat(), "reason": "рекомендоване повідомлення"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["due_on"] == term_from(received).isoformat() and body["protocol_until"] is None
    assert [e["kind"] for e in body["events"]][-2:] == ["receipt_changed", "reopened"]
    db.session.expire_all()
    act = db.session.get(Act, act.id)
    assert act.state == "sent"
    assert {r.state for r in act.recommendations} == {"sent_to_authority"}
    assert {r.due_on for r in act.recommendations} == {term_from(received)}
    last = get_engine().history(act)[-1]
    assert (last.transition, last.from_state, last.to_state, last.actor_id) == (
        "reopen",
        "overdue",
        "sent",
        None,
    )
    for rec in act.recommendations:
        assert get_engine().history(rec)[-1].transition == "reopen"
    # The reminder drafted when the term passed is cancelled, with the reason.
    reminder = db.session.scalar(sa.select(Act).where(Act.previous_act_id == act.id))
    assert reminder.state == "cancelled"
    assert "дату отримання виправлено" in get_engine().history(reminder)[-1].comment
    # It runs again: the sweep fires when the new date passes, not before.
    assert sweep(today())["expired"] == []
    assert sweep(term_from(received) + timedelta(days=1))["expired"] == [act.outgoing_number]


def _act_page(users, act):
    from flask import current_app

    from tests.conftest import Client

    return Client(current_app, users["lawyer"]).get(f"/acts/{act.id}").get_data(as_text=True)


def test_extension_rules(app, db, users, make_act, run_jobs, api, client_for):
    received = today() - timedelta(days=1)
    act = send(
        db,
        users,
        generated(db, users, make_act, run_jobs, kind="request"),
        "email",
        received,
        received_on=received,
    )
    statutory = term_from(received, "15 days")
    assert act.due_on == statutory
    url = f"/acts/{act.id}/deadline"
    response = api.post(
        f"{url}/extend", json={"until": str(statutory - timedelta(days=1)), "reason": "клопотання"}
    )
    assert response.status_code == 422 and "until" in response.get_json()["error"]["fields"]
    assert "первісний" in response.get_json()["error"]["fields"]["until"][0]
    assert api.post(f"{url}/extend", json={"until": "2099-01-01"}).status_code == 422  # reason
    assert api.post(f"{url}/extend", json={"until": "soon", "reason": "x"}).status_code == 422
    # A Saturday moves to the Monday after it.
    saturday = statutory + timedelta(days=(5 - statutory.weekday()) % 7 or 7)
    response = api.post(f"{url}/extend", json={"until": str(saturday), "reason": "лист органу"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    monday = saturday + timedelta(days=2)
    assert body["due_on"] == monday.isoformat() and body["extended_to"] == monday.isoformat()
    assert body["statutory_due_on"] == statutory.isoformat()
    # Pause and resume through the API (the same day: nothing added).
    assert api.post(f"{url}/pause", json={"reason": "запит органу"}).get_json()["paused"]
    assert api.post(f"{url}/pause", json={"reason": "ще раз"}).status_code == 422
    assert api.post(f"{url}/resume", json={}).get_json()["due_on"] == monday.isoformat()
    # A pause after the extension counts: five paused days move the extended date.
    start = today()
    dl.suspend(act, users["lawyer"], "орган чекає на матеріали", on=start)
    db.session.commit()
    assert api.get(url).get_json()["paused"] is True and act.due_on is None
    dl.resume(act, users["lawyer"], "матеріали надіслано", on=start + timedelta(days=5))
    db.session.commit()
    expected = current_calendar().next_working_day(monday + timedelta(days=5))
    assert act.due_on == expected
    body = api.get(url).get_json()
    assert body["due_on"] == expected.isoformat() and body["paused"] is False
    assert [e["kind"] for e in body["events"]] == [
        "created",
        "extended",
        "suspended",
        "resumed",
        "suspended",
        "resumed",
    ]
    assert any(s["code"] == "extended" for s in body["steps"])
    # The act page links to the explanation of its date.
    page = client_for(users["lawyer"]).get(f"/acts/{act.id}").get_data(as_text=True)
    assert f"/acts/{act.id}/deadline/explanation" in page
    html = client_for(users["lawyer"]).get(f"/acts/{act.id}/deadline/explanation")
    assert expected.strftime("%d.%m.%Y") in html.get_data(as_text=True)


def test_deadline_endpoints_refuse_what_they_must(db, users, make_act, run_jobs, api, api_for):
    draft = make_act()
    assert api.get(f"/acts/{draft.id}/deadline").status_code == 404
    assert api.post(f"/acts/{draft.id}/deadline/pause", json={"reason": "x"}).status_code == 409
    assert api.get("/acts/999999/deadline").status_code == 404
    act = send(db, users, generated(db, users, lambda **kw: draft, run_jobs), "post", today())
    monitor = api_for(users["monitor"])
    assert monitor.post(f"/acts/{act.id}/deadline/pause", json={"reason": "x"}).status_code == 403
    assert api.post(f"/acts/{act.id}/deadline/sideways", json={}).status_code == 404
    assert api.post(f"/acts/{act.id}/deadline/receipt", data="x").status_code == 400
    assert api.post(f"/acts/{act.id}/deadline/receipt", json=[1]).status_code == 422


def test_statutory_terms_never_shift_back(db):
    from app.domain.deadlines.calendar import term_for

    definition = get_engine().current("act")
    with pytest.raises(ValueError, match="statutory"):
        term_for(definition, "submission", shift="previous")
    assert term_for(definition, "request", shift="previous")[1] == "previous"


def test_answered_in_time_counts_from_receipt_to_the_postmark(
    app, db, users, registry, make_rec, make_act, run_jobs, api_for
):
    """Two acts, received on the same day: one answer posted on the last day (arrived later:
    in time), one posted the day after (late). Days to answer run from the receipt."""
    from app.core.errors import OperationError
    from app.domain.recommendations.operations import fire as fire_rec
    from app.domain.responses.operations import record_response
    from app.domain.search import stats

    received = today() - timedelta(days=40)
    due = term_from(received)
    acts = []
    for n in range(2):
        rec = make_rec(f"Рекомендація {n}")
        fire_rec(rec, "issue", users["lawyer"])
        db.session.commit()
        act = generated(db, users, make_act, run_jobs, recs=[rec])
        acts.append(send(db, users, act, "post", received, received_on=received))
    for act, sent_on in zip(acts, (due, due + timedelta(days=1)), strict=True):
        record_response(
            act,
            {
                "kind": "substantive",
                "received_on": due + timedelta(days=3),
                "sent_on": sent_on,
                "incoming_number": f"вх-{act.id}",
                "text": "",
                "positions": [],
            },
            [],
            users["lawyer"],
        )
        db.session.commit()
    counts = stats.live_counts(["authority", "days"])
    agency = counts["authority"][registry["agency"].id]
    assert agency["answered"] == 2 and agency["in_time"] == 1
    days = {k: v["total"] for k, v in counts["days"].items()}
    assert days == {(due - received).days: 1, (due - received).days + 1: 1}
    if db.engine.dialect.name == "postgresql":
        stats.refresh()
        assert stats.rollup_counts(["authority", "days"]) == counts
    body = api_for(users["lawyer"]).get("/stats/recommendations?group_by=authority").get_json()
    item = next(i for i in body["items"] if i["key"] == registry["agency"].id)
    assert item["answered_in_time"] == 1
    # The answer's sending date is checked against the act and its arrival.
    with pytest.raises(OperationError) as err:
        record_response(
            acts[0],
            {
                "kind": "interim",
                "received_on": today(),
                "sent_on": today() + timedelta(days=1),
                "incoming_number": "вх-x",
                "text": "",
                "positions": [],
            },
            [],
            users["lawyer"],
        )
    assert "sent_on" in err.value.fields


def test_protocol_window_is_shown_and_warned_before_it_closes(
    db, users, make_act, run_jobs, client_for
):
    """КУпАП 188-40: the protocol may be drawn up within three months of the day after the
    term passed; the lawyer hears of it protocol_warning_days (14) before the window closes."""
    act = send(
        db,
        users,
        generated(db, users, make_act, run_jobs),
        "post",
        date_(2026, 1, 30),
        received_on=date_(2026, 1, 30),
    )
    assert act.due_on == date_(2026, 3, 2)
    sweep(date_(2026, 3, 3))
    db.session.expire_all()
    act = db.session.get(Act, act.id)
    assert act.state == "overdue"
    page = client_for(users["lawyer"]).get(f"/acts/{act.id}").get_data(as_text=True)
    assert "з 03.03.2026 до 03.06.2026" in page
    assert sweep(date_(2026, 5, 19))["protocol"] == []  # 15 days before: not yet
    assert sweep(date_(2026, 5, 20))["protocol"] == [act.outgoing_number]
    assert sweep(date_(2026, 5, 21))["protocol"] == []  # once
    note = db.session.scalar(sa.select(Notification).where(Notification.subject.contains("188-40")))
    assert note.user_id == users["lawyer"].id and "03.06.2026" in note.subject
    assert [e.kind for e in act.deadline.events][-1] == "protocol_warned"
