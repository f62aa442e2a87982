"""Deadlines end to end: counted at sending, swept on expiry, reminded, extended, suspended."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.core import clock
from app.core.errors import OperationError
from app.domain.acts.models import Act
from app.domain.acts.operations import fire
from app.domain.deadlines import operations as dl
from app.domain.deadlines.models import Deadline, DeadlineEvent
from app.domain.deadlines.sweep import sweep
from app.domain.notifications import Notification
from app.workflow import get_engine


def sent_act(
    db,
    users,
    make_act,
    run_jobs,
    sent_on,
    channel="email",
    kind="submission",
    received_on=None,
    act=None,
    confirmed=True,
):
    """Send an act; by e-mail the receipt is the sending date, confirmed (as when the
    authority's server accepted it that day) unless ``confirmed`` is False."""
    if confirmed and channel == "email" and received_on is None:
        received_on = sent_on
    act = act or make_act(kind=kind)
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    with clock.pinned(sent_on):  # registered that day: the date of the number
        fire(
            act,
            "send",
            users["lawyer"],
            {"channel": channel, "sent_on": sent_on, "received_on": received_on},
        )
        db.session.commit()
    return act


def events(act):
    return [e.kind for e in act.deadline.events]


def test_overdue_on_the_day_after_the_due_date(db, users, registry, make_act, run_jobs):
    # Friday 30 January 2026 by e-mail: + 1 month = Saturday 28 February → Monday 2 March.
    act = sent_act(db, users, make_act, run_jobs, date(2026, 1, 30))
    assert act.due_on == date(2026, 3, 2) and act.deadline.remind_on == date(2026, 2, 25)
    report = sweep(date(2026, 2, 25))
    assert report["reminded"] == [act.outgoing_number] and report["expired"] == []
    note = db.session.scalar(sa.select(Notification).where(Notification.kind == "deadline_near"))
    assert note.user_id == users["lawyer"].id and act.outgoing_number in note.subject

    assert sweep(date(2026, 3, 2)) == {
        "reminded": [],
        "expired": [],
        "protocol": [],
        "errors": [],
    }  # still in time
    db.session.refresh(act)
    assert act.state == "sent"

    report = sweep(date(2026, 3, 3))
    assert report["expired"] == [act.outgoing_number]
    db.session.expire_all()
    act = db.session.get(Act, act.id)
    assert act.state == "overdue"
    last = get_engine().history(act)[-1]
    assert (last.transition, last.actor_id) == ("mark_overdue", None)
    for rec in act.recommendations:
        assert rec.state == "overdue"
        assert get_engine().history(rec)[-1].actor_id is None
    reminder = db.session.scalar(sa.select(Act).where(Act.previous_act_id == act.id))
    assert reminder.kind == "reminder" and reminder.state == "draft"
    assert reminder.authority_id == act.authority_id
    assert [r.id for r in reminder.recommendations] == [r.id for r in act.recommendations]
    told = db.session.scalar(sa.select(Notification).where(Notification.kind == "act_overdue"))
    assert told.user_id == users["lawyer"].id and f"/acts/{reminder.id}" == told.link
    assert events(act) == ["created", "reminded", "expired"]

    assert sweep(date(2026, 3, 3)) == {"reminded": [], "expired": [], "protocol": [], "errors": []}
    assert sweep(date(2026, 3, 10))["expired"] == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Act)) == 2


def test_expired_reminder_drafts_an_escalation_to_the_supervisor(
    db, users, registry, make_act, run_jobs
):
    act = sent_act(db, users, make_act, run_jobs, date(2026, 1, 30))
    sweep(date(2026, 3, 3))
    reminder = db.session.scalar(sa.select(Act).where(Act.previous_act_id == act.id))
    # Reminder sent Wednesday 4 March: 10 days → Saturday 14 March → Monday 16 March.
    reminder = sent_act(db, users, None, run_jobs, date(2026, 3, 4), act=reminder)
    assert reminder.due_on == date(2026, 3, 16)
    assert sweep(date(2026, 3, 17))["expired"] == [reminder.outgoing_number]
    escalation = db.session.scalar(sa.select(Act).where(Act.previous_act_id == reminder.id))
    assert escalation.authority_id == registry["ministry"].id and escalation.state == "draft"
    assert {r.id for r in escalation.recommendations} == {r.id for r in act.recommendations}


def test_answered_acts_are_not_swept(db, users, make_act, run_jobs):
    act = sent_act(db, users, make_act, run_jobs, date(2026, 1, 30))
    fire(act, "close", users["lawyer"], {"comment": "Відповідь оцінено"})
    db.session.commit()
    assert sweep(date(2026, 4, 1)) == {"reminded": [], "expired": [], "protocol": [], "errors": []}
    assert act.deadline.cancelled_at is not None and events(act)[-1] == "cancelled"


def test_receipt_date_recomputes(db, users, make_act, run_jobs):
    # By post on Wednesday 1 April, receipt unknown: + 5 days = 6 April; + 1 month = 6 May.
    act = sent_act(db, users, make_act, run_jobs, date(2026, 4, 1), channel="post")
    assert act.due_on == date(2026, 5, 6)
    dl.change_receipt(act, date(2026, 4, 3), users["lawyer"], "повідомлення про вручення")
    db.session.commit()
    # 3 April + 1 month = Sunday 3 May → Monday 4 May; the recommendations follow.
    assert act.due_on == date(2026, 5, 4) and act.received_on == date(2026, 4, 3)
    assert {r.due_on for r in act.recommendations} == {date(2026, 5, 4)}
    last = act.deadline.events[-1]
    assert (last.kind, last.old_due_on, last.new_due_on, last.reason) == (
        "receipt_changed",
        date(2026, 5, 6),
        date(2026, 5, 4),
        "повідомлення про вручення",
    )
    with pytest.raises(OperationError) as err:
        dl.change_receipt(act, date(2026, 3, 31), users["lawyer"])
    assert "received_on" in err.value.fields


def test_extension_and_suspension(db, users, make_act, run_jobs):
    act = sent_act(db, users, make_act, run_jobs, date(2026, 4, 1), channel="email")
    assert act.due_on == date(2026, 5, 1)  # Friday
    dl.suspend(act, users["lawyer"], "орган чекає на матеріали НПМ", on=date(2026, 4, 10))
    db.session.commit()
    assert act.due_on is None
    assert sweep(date(2026, 6, 1))["expired"] == []  # a stopped clock does not expire
    dl.resume(act, users["lawyer"], "матеріали надіслано", on=date(2026, 4, 20))
    db.session.commit()
    # Ten days paused: 1 May + 10 = 11 May (Monday).
    assert act.due_on == date(2026, 5, 11)
    with pytest.raises(OperationError):
        dl.extend(act, date(2020, 1, 1), users["lawyer"], "запізно")
    with pytest.raises(OperationError):
        dl.extend(act, date(2099, 1, 1), users["lawyer"], "")
    dl.extend(act, date(2099, 1, 15), users["lawyer"], "лист органу від 05.05.2026 № 12")
    db.session.commit()
    assert act.due_on == date(2099, 1, 15)
    assert events(act) == ["created", "suspended", "resumed", "extended"]
    with pytest.raises(OperationError):
        dl.resume(act, users["lawyer"])


def test_a_closed_case_cannot_be_suspended(db, users, make_act, run_jobs):
    act = sent_act(db, users, make_act, run_jobs, date(2026, 4, 1))
    fire(act, "close", users["lawyer"], {"comment": "Відповідь оцінено"})
    db.session.commit()
    with pytest.raises(OperationError) as err:
        dl.suspend(act, users["lawyer"], "причина")
    assert "state" in err.value.fields


def test_deadline_changes_through_the_act_page(db, users, make_act, run_jobs, client_for):
    act = sent_act(db, users, make_act, run_jobs, date(2026, 4, 1))
    client = client_for(users["lawyer"])
    response = client.post(
        f"/acts/{act.id}/deadline",
        data={"action": "extend", "due_on": "2027-02-02", "reason": "клопотання органу"},
    )
    assert response.status_code == 302
    html = client.get(f"/acts/{act.id}").get_data(as_text=True)
    assert "02.02.2027" in html and "клопотання органу" in html and "продовжено" in html
    response = client.post(
        f"/acts/{act.id}/deadline",
        data={"action": "extend", "due_on": "2001-01-01", "reason": "x"},
        follow_redirects=True,
    )
    assert "не може закінчуватися раніше за первісний" in response.get_data(as_text=True)
    assert (
        client_for(users["monitor"])
        .post(f"/acts/{act.id}/deadline", data={"action": "suspend"})
        .status_code
        == 403
    )


def test_deadlines_page_and_calendar_feed(db, users, make_act, run_jobs, client_for):
    act = sent_act(db, users, make_act, run_jobs, date(2026, 1, 30))
    client = client_for(users["lawyer"])
    client.post("/deadlines/feed-link", data={"action": "new"})  # the lawyer asks for a link
    html = client.get(f"/deadlines/?lawyer_id={users['lawyer'].id}").get_data(as_text=True)
    assert act.outgoing_number in html and "02.03.2026" in html and "прострочено на" in html
    assert act.outgoing_number not in client.get("/deadlines/?authority_id=999").get_data(
        as_text=True
    )
    import re

    feed = re.search(r'href="(http[^"]+\.ics)"', html).group(1)
    ics = client_for().get(feed.replace("http://localhost", "")).get_data(as_text=True)
    assert ics.startswith("BEGIN:VCALENDAR") and "DTSTART;VALUE=DATE:20260302" in ics
    assert "\r\n" in ics and all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    assert client_for().get("/deadlines/feed/forged.ics").status_code == 404


def test_admin_calendar_moves_running_terms(db, users, make_act, run_jobs, client_for):
    act = sent_act(db, users, make_act, run_jobs, date(2026, 4, 1))
    assert act.due_on == date(2026, 5, 1)
    client = client_for(users["admin"])
    response = client.post(
        "/calendar",
        data={
            "which": "day",
            "day-day": "2026-05-01",
            "day-is_working": "0",
            "day-note": "додатковий вихідний",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Act, act.id).due_on == date(2026, 5, 4)
    assert client_for(users["lawyer"]).get("/calendar").status_code == 403


def test_sweep_command(app, db, users, make_act, run_jobs):
    act = sent_act(db, users, make_act, run_jobs, date(2026, 1, 30))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["deadlines", "sweep", "--today", "2026-03-03"])
    assert result.exit_code == 0 and f"overdue: act {act.outgoing_number}" in result.output
    result = runner.invoke(args=["deadlines", "sweep", "--today", "2026-03-03"])
    assert "0 reminders, 0 expired, 0 errors" in result.output


@pytest.mark.postgres
def test_two_sweeps_at_once_fire_once(app, db, users, make_act, run_jobs):
    import threading

    act = sent_act(db, users, make_act, run_jobs, date(2026, 1, 30))
    barrier = threading.Barrier(2, timeout=60)
    reports = []

    def run():
        with app.app_context():
            barrier.wait()
            reports.append(sweep(date(2026, 3, 3)))
            from app.extensions import db as _db

            _db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(r["expired"]) for r in reports) == [0, 1]
    db.session.expire_all()
    history = [h.transition for h in get_engine().history(db.session.get(Act, act.id))]
    assert history.count("mark_overdue") == 1
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(Act).where(Act.kind == "reminder"))
        == 1
    )
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(DeadlineEvent)
            .where(DeadlineEvent.kind == "expired")
        )
        == 1
    )
    assert db.session.scalar(sa.select(Deadline.fired_at)) is not None
