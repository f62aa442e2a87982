"""Registration in date order, and sending in steps: the number in the request, the registered
documents and the e-mail by a letters job, a periodic recovery for whatever a job left undone."""

import io
import socket
import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from docx import Document as DocxDocument

from app.core import clock, storage
from app.core.db import utcnow
from app.domain.acts import dispatch, documents
from app.domain.acts.models import Act, Document
from app.domain.acts.operations import create_act, fire
from app.mail.models import OutboxEmail
from app.workflow import InvalidParams

NOV30 = date(2026, 11, 30)


def ready(db, act, users, run_jobs):
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "ready", act.documents_error
    return act


def count(db, model, *where):
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


@pytest.fixture
def redis_down(app):
    """Point the app at a closed port while the block runs: enqueueing fails, as with Redis
    down at the moment of the commit."""
    from contextlib import contextmanager

    from app.core.redis import connect, get_redis

    @contextmanager
    def down():
        real = get_redis(app)
        with socket.socket() as sock:  # a port nobody listens on
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        app.extensions["vidhuk_redis"] = connect(f"redis://127.0.0.1:{port}/0")
        try:
            yield
        finally:
            app.extensions["vidhuk_redis"] = real

    return down


def test_numbers_follow_registration_dates_and_backdating_is_refused(
    db, users, registry, issued, make_act, api_for, run_jobs
):
    first = ready(db, make_act(recs=issued[:1]), users, run_jobs)
    second = ready(db, make_act(recs=issued[1:2]), users, run_jobs)
    api = api_for(users["lawyer"])
    with clock.pinned(NOV30):
        response = api.post(
            f"/acts/{first.id}/transitions", json={"name": "send", "channel": "post"}
        )
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert body["registered_on"] == body["sent_on"] == "2026-11-30"
        assert body["outgoing_number"] == "1/2026" and body["received_on_assumed"] is True
        # A letter dated 01.10 would take number 2 after one dated 30.11: refused.
        for payload, field in (
            ({"sent_on": "2026-10-01"}, "sent_on"),
            ({"sent_on": "0001-01-01"}, "sent_on"),
            ({"sent_on": "2026-12-01"}, "sent_on"),
            ({"received_on": "2099-12-31"}, "received_on"),
            ({"received_on": "2026-11-29"}, "received_on"),
        ):
            response = api.post(
                f"/acts/{second.id}/transitions",
                json={"name": "send", "channel": "post", **payload},
            )
            assert response.status_code == 422, payload
            assert list(response.get_json()["error"]["fields"]) == [field], payload
        db.session.refresh(second)
        assert second.state == "draft" and second.outgoing_number is None
        with pytest.raises(InvalidParams) as err:
            fire(second, "send", users["lawyer"], {"channel": "post", "sent_on": date(2026, 10, 1)})
        assert "реєстрації (30.11.2026)" in str(err.value.fields["sent_on"][0])
        db.session.rollback()
    with clock.pinned(date(2026, 12, 1)):
        body = api.post(
            f"/acts/{second.id}/transitions", json={"name": "send", "channel": "post"}
        ).get_json()
        assert (body["outgoing_number"], body["registered_on"]) == ("2/2026", "2026-12-01")
    # Later, too: a receipt date in 2099 or before the sending is refused.
    from app.core.errors import OperationError
    from app.domain.deadlines.operations import change_receipt

    db.session.refresh(first)
    for bad in (date(2099, 12, 31), date(1, 1, 1)):
        with pytest.raises(OperationError):
            change_receipt(first, bad, users["lawyer"])
        db.session.rollback()
    acts = db.session.scalars(sa.select(Act).order_by(Act.outgoing_seq)).all()
    assert [a.registered_on for a in acts] == sorted(a.registered_on for a in acts)


def test_sending_numbers_at_once_then_a_job_makes_documents_then_the_email(
    app, db, users, make_act, run_jobs, smtp_server, api_for
):
    smtp_server.start()
    act = ready(db, make_act(), users, run_jobs)
    fire(act, "send", users["lawyer"], {"channel": "email"})
    db.session.commit()
    # Committed: the number, the history, the deadline; not yet the documents nor the e-mail.
    assert act.state == "sent" and act.outgoing_number and act.due_on is not None
    assert act.sent_on == act.registered_on == clock.today()
    assert not [d for d in act.documents if d.is_final]
    assert count(db, OutboxEmail) == 0
    api = api_for(users["lawyer"])
    body = api.get(f"/acts/{act.id}").get_json()
    assert (body["documents_status"], body["email_status"]) == ("pending", "waiting")
    run_jobs()
    body = api.get(f"/acts/{act.id}").get_json()
    assert (body["documents_status"], body["email_status"]) == ("ready", "sent")
    db.session.refresh(act)
    finals = {d.format: d for d in act.documents if d.is_final}
    text = "\n".join(
        p.text for p in DocxDocument(io.BytesIO(storage.read(finals["docx"].path))).paragraphs
    )
    assert act.outgoing_number in text
    (message,) = smtp_server.messages
    assert act.outgoing_number in message.message["Subject"]
    # The job run again (and the recovery) make nothing twice.
    token = act.documents_token
    for _ in range(2):
        assert dispatch.run_documents(act.id, token) == {
            "documents": "nothing to do",
            "email": "nothing to do",
        }
    assert dispatch.recover(now=utcnow() + timedelta(hours=2)) == {
        "enqueued": 0,
        "given_up": 0,
        "emails": 0,
    }
    run_jobs()
    assert count(db, Document, Document.act_id == act.id, Document.is_final) == 2
    assert count(db, OutboxEmail) == 1 and len(smtp_server.messages) == 1


def test_a_job_lost_before_the_documents_is_run_by_the_recovery(
    app, db, users, make_act, run_jobs, smtp_server, redis_down
):
    smtp_server.start()
    act = ready(db, make_act(), users, run_jobs)
    with redis_down():  # the job of the sending is never enqueued
        fire(act, "send", users["lawyer"], {"channel": "email"})
        db.session.commit()
    run_jobs()
    db.session.refresh(act)
    assert act.state == "sent" and act.documents_status == "pending"
    assert dispatch.recover()["enqueued"] == 0  # not stuck yet: a worker may be busy
    assert dispatch.recover(now=utcnow() + timedelta(minutes=11))["enqueued"] == 1
    assert dispatch.recover(now=utcnow() + timedelta(minutes=11))["enqueued"] == 0  # it is live
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "ready" and act.email_queued_at is not None
    assert count(db, Document, Document.act_id == act.id, Document.is_final) == 2
    assert count(db, OutboxEmail) == 1 and len(smtp_server.messages) == 1


def test_a_job_that_died_between_documents_and_email_is_finished_by_the_recovery(
    app, db, users, make_act, run_jobs, smtp_server, redis_down
):
    smtp_server.start()
    act = ready(db, make_act(), users, run_jobs)
    with redis_down():
        fire(act, "send", users["lawyer"], {"channel": "email"})
        db.session.commit()
    # The job's first step, committed; then the worker dies before the e-mail step.
    assert documents.generate(act.id, act.documents_token) == "ready"
    assert count(db, OutboxEmail) == 0
    db.session.refresh(act)
    assert dispatch.email_step(act) == "waiting"
    assert dispatch.recover() == {"enqueued": 0, "given_up": 0, "emails": 1}
    assert dispatch.recover() == {"enqueued": 0, "given_up": 0, "emails": 0}
    run_jobs()
    assert count(db, Document, Document.act_id == act.id, Document.is_final) == 2
    assert count(db, OutboxEmail) == 1 and len(smtp_server.messages) == 1


def test_documents_requested_while_redis_was_down_are_made_by_the_periodic_job(
    db, users, make_act, run_jobs, redis_down
):
    act = make_act()
    with redis_down():
        fire(act, "generate", users["lawyer"])
        db.session.commit()
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "pending"
    assert dispatch.recover(now=utcnow() + timedelta(minutes=11))["enqueued"] == 1
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "ready" and len(act.documents) == 2


def test_a_request_no_job_serves_for_an_hour_ends_failed_with_a_message(
    db, users, make_act, redis_down
):
    act = make_act()
    with redis_down():
        fire(act, "generate", users["lawyer"])
        db.session.commit()
    assert dispatch.recover(now=utcnow() + timedelta(hours=2))["given_up"] == 1
    db.session.refresh(act)
    assert act.documents_status == "failed"
    assert act.documents_error.startswith("Документи не сформовано: завдання не завершилося")


def test_a_failure_other_than_the_template_ends_failed_with_a_message(
    app, db, users, make_act, run_jobs, tmp_path
):
    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the storage folder should be")
    saved, app.config["STORAGE_DIR"] = app.config["STORAGE_DIR"], str(blocked)
    try:
        run_jobs()
    finally:
        app.config["STORAGE_DIR"] = saved
    db.session.refresh(act)
    assert act.documents_status == "failed" and act.documents == []
    assert act.documents_error.startswith(
        "Документи не вдалося сформувати через технічну помилку (NotADirectoryError"
    )
    ready(db, act, users, run_jobs)  # generating again works


def test_failed_registered_documents_can_be_made_again_from_the_act_page(
    app, db, users, make_act, run_jobs, client_for, tmp_path
):
    act = ready(db, make_act(), users, run_jobs)
    fire(act, "send", users["lawyer"], {"channel": "post"})
    db.session.commit()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    saved, app.config["STORAGE_DIR"] = app.config["STORAGE_DIR"], str(blocked)
    try:
        run_jobs()
    finally:
        app.config["STORAGE_DIR"] = saved
    client = client_for(users["lawyer"])
    html = client.get(f"/acts/{act.id}").get_data(as_text=True)
    assert "Зареєстровані документи" in html and "технічну помилку" in html
    assert "Спробувати ще раз" in html
    response = client.post(f"/acts/{act.id}/documents/retry")
    assert response.status_code == 303
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "ready" and {d.format for d in act.documents if d.is_final} == {
        "docx",
        "pdf",
    }
    response = client.post(f"/acts/{act.id}/documents/retry", follow_redirects=True)
    assert "Помилок немає" in response.get_data(as_text=True)


@pytest.mark.postgres
def test_twenty_sends_at_once_get_twenty_numbers(app, db, users, registry, make_rec, run_jobs):
    """On PostgreSQL: 20 lawyers' requests send 20 acts at the same moment: numbers 1..20 in
    the registration day's order, no gap, no twin; then every act gets its documents."""
    from app.domain.recommendations.operations import fire as fire_rec
    from app.extensions import db as _db

    ids = []
    for i in range(20):
        rec = make_rec(f"Рекомендація {i}")
        fire_rec(rec, "issue", users["lawyer"])
        db.session.commit()
        act = create_act("submission", registry["agency"].id, [rec.id], users["lawyer"])
        db.session.commit()
        fire(act, "generate", users["lawyer"])
        db.session.commit()
        ids.append(act.id)
    run_jobs()
    lawyer_id = users["lawyer"].id  # read here: the test's session is not for the threads
    barrier = threading.Barrier(len(ids), timeout=300)  # a loaded machine starts threads slowly
    errors = []

    def send_one(act_id):
        with app.app_context():
            from app.auth.models import User

            try:
                act = _db.session.get(Act, act_id)
                lawyer = _db.session.get(User, lawyer_id)
            except Exception:
                barrier.abort()  # the others stop waiting at once
                raise
            barrier.wait()
            try:
                fire(act, "send", lawyer, {"channel": "post"})
                _db.session.commit()
            except Exception as exc:  # noqa: BLE001 — collected and asserted below
                _db.session.rollback()
                errors.append(exc)
            finally:
                _db.session.remove()

    with clock.pinned(NOV30):
        threads = [threading.Thread(target=send_one, args=(i,)) for i in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Act.outgoing_seq, Act.registered_on).where(Act.id.in_(ids))
    ).all()
    assert sorted(seq for seq, _ in rows) == list(range(1, 21))
    assert {on for _, on in rows} == {NOV30}
    run_jobs()
    assert count(db, Document, Document.is_final) == 40
