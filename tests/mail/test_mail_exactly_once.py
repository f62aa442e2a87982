"""The documented guarantee: never a duplicate, whatever dies when; an uncertain delivery is
reported to a person. Workers are killed for real (fork + SIGKILL) as well as simulated."""

import multiprocessing
import os
import signal
import threading
import warnings

import pytest
import redis
import sqlalchemy as sa

from app.core.jobs import get_queue
from app.mail import state
from app.mail.jobs import dispatch, send_email
from app.mail.models import OutboxEmail
from app.mail.outbox import SEND_JOB, queue_email, unsent_query


def _queued(db, smtp_server):
    smtp_server.configure()
    email_id = queue_email("head@dkvs.gov.ua", "Подання №12", "Текст подання.").id
    db.session.commit()  # and no read after it: this session holds no snapshot (SQLite)
    get_queue("mail").empty()  # the tests below decide which jobs run
    return email_id


def _expire_leases(app):
    app.config["MAIL_LEASE_SECONDS"] = 0


def _dispatch_and_work(work):
    get_queue("mail").enqueue("app.mail.jobs.dispatch")
    work()


def test_a_job_enqueued_twice_sends_once(db, smtp_server, work, reload):
    smtp_server.start()
    email_id = _queued(db, smtp_server)
    for _ in range(3):
        get_queue("mail").enqueue(SEND_JOB, email_id)
    work()
    assert len(smtp_server.messages) == 1
    assert reload(email_id).attempts == 1


def test_lease_expired_before_data_is_sent_again_once(app, db, smtp_server, work, reload):
    smtp_server.start()
    email_id = _queued(db, smtp_server)
    assert state.claim(email_id) is not None  # a worker claimed it, then died
    _expire_leases(app)
    _dispatch_and_work(work)
    row = reload(email_id)
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(smtp_server.messages) == 1


def test_lease_expired_after_data_started_is_failed_uncertain_never_resent(
    app, db, smtp_server, work, reload
):
    smtp_server.start()
    email_id = _queued(db, smtp_server)
    assert state.claim(email_id) is not None
    assert state.enter_data_phase(email_id, 1)  # it reached DATA, then died
    _expire_leases(app)
    _dispatch_and_work(work)
    _dispatch_and_work(work)
    row = reload(email_id)
    assert (row.status, row.error_code) == ("failed", "uncertain")
    assert row.last_error.startswith("Delivery uncertain")
    assert "Check with the recipient before sending it again" in row.last_error
    assert smtp_server.messages == []
    assert [e.id for e in db.session.scalars(unsent_query())] == [email_id]


def test_a_job_that_lost_its_claim_stops_before_data(app, db, smtp_server, reload):
    """The dispatcher takes back a row from a job it thinks dead; the job was only slow."""
    smtp_server.handler.stall_rcpt = 1
    smtp_server.start()
    email_id = _queued(db, smtp_server)
    slow = {}
    thread = threading.Thread(target=_send_in_context, args=(app, email_id, slow))
    thread.start()
    assert smtp_server.handler.reached_rcpt.wait(10)
    _expire_leases(app)
    assert dispatch()["requeued"] == 1
    assert send_email(email_id) == "sent"  # the job the dispatcher enqueued
    smtp_server.handler.release.set()
    thread.join(10)
    assert slow["result"] == "fenced"
    assert len(smtp_server.messages) == 1
    assert (reload(email_id).status, reload(email_id).attempts) == ("sent", 2)


def _send_in_context(app, email_id, result):
    with app.app_context():
        result["result"] = send_email(email_id)


def _kill_mid_send(app, email_id, reached):
    """Run the job in a forked worker process and SIGKILL it once the server got that far."""
    context = multiprocessing.get_context("fork")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (Python 3.12+)
        child = context.Process(target=_child_send, args=(app, email_id), daemon=True)
        child.start()
    try:
        assert reached.wait(10), "the worker did not get that far"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
    assert child.exitcode == -signal.SIGKILL


def _child_send(app, email_id):
    from app.extensions import db

    with app.app_context():
        db.engine.dispose(close=False)  # the parent's pooled connections are not ours
        send_email(email_id)


def test_worker_killed_before_data_is_sent_once_after_dispatch(app, db, smtp_server, work, reload):
    smtp_server.handler.stall_rcpt = 1
    smtp_server.start()
    email_id = _queued(db, smtp_server)
    _kill_mid_send(app, email_id, smtp_server.handler.reached_rcpt)
    smtp_server.handler.release.set()
    row = reload(email_id)
    assert (row.status, row.data_started_at) == ("sending", None)

    work()  # the lease has not expired: nothing happens yet
    assert reload(email_id).status == "sending"
    _expire_leases(app)
    _dispatch_and_work(work)
    row = reload(email_id)
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(smtp_server.messages) == 1


def test_worker_killed_during_data_is_never_resent(app, db, smtp_server, work, reload):
    smtp_server.handler.stall_data = 1  # the content arrives, the 250 never leaves
    smtp_server.start()
    email_id = _queued(db, smtp_server)
    _kill_mid_send(app, email_id, smtp_server.handler.reached_data)
    smtp_server.handler.release.set()
    assert reload(email_id).data_started_at is not None

    _expire_leases(app)
    _dispatch_and_work(work)
    _dispatch_and_work(work)
    row = reload(email_id)
    assert (row.status, row.error_code) == ("failed", "uncertain")
    assert len(smtp_server.messages) == 1  # the one the server got while the worker died


def test_a_dropped_connection_during_data_is_uncertain(db, smtp_server, work, reload):
    """The server got the message but its answer never came: no automatic resend."""
    smtp_server.handler.stall_data = 1
    smtp_server.start()
    smtp_server.app.config["MAIL_SMTP_TIMEOUT"] = 0.5
    email_id = _queued(db, smtp_server)
    assert send_email(email_id) == "failed"
    smtp_server.handler.release.set()
    row = reload(email_id)
    assert (row.status, row.error_code) == ("failed", "uncertain")
    assert "timed out" in row.last_error
    work()
    assert len(smtp_server.messages) == 1


def test_redis_down_at_commit_the_email_goes_out_once_redis_is_back(
    app, db, smtp_server, work, reload, dead_port
):
    smtp_server.start()
    client = app.extensions["vidhuk_redis"]
    app.extensions["vidhuk_redis"] = redis.Redis(port=dead_port, socket_connect_timeout=0.5)
    try:
        email = queue_email("head@dkvs.gov.ua", "Подання №12", "Текст подання.")
        db.session.commit()  # the enqueue after the commit fails: logged, dropped
        with pytest.raises(redis.ConnectionError):
            get_queue("mail").count  # noqa: B018  (Redis really is unreachable)
    finally:
        app.extensions["vidhuk_redis"] = client
    assert get_queue("mail").count == 0
    assert reload(email.id).status == "queued"

    assert dispatch()["enqueued"] == 1
    assert dispatch()["enqueued"] == 0  # a second dispatcher: its job is pending already
    work()
    work()
    assert reload(email.id).status == "sent"
    assert len(smtp_server.messages) == 1


def test_dispatchers_racing_change_each_row_once(app, db, smtp_server):
    email_id = _queued(db, smtp_server)
    assert state.claim(email_id) is not None
    _expire_leases(app)
    first, second = dispatch(), dispatch()
    assert (first["requeued"], second["requeued"]) == (1, 0)
    assert get_queue("mail").count == 1
    status, attempts = db.session.execute(
        sa.select(OutboxEmail.status, OutboxEmail.attempts).where(OutboxEmail.id == email_id)
    ).one()
    assert (status, attempts) == ("queued", 1)
