"""The sending job and the periodic dispatcher: every e-mail reaches the server at most once.

The protocol (docs/mail.md has the whole of it):

1. ``claim``: a conditional UPDATE queued → sending, attempts + 1, committed before any network
   traffic. A second job for the same e-mail (run twice, enqueued twice) finds it not queued and
   does nothing. ``attempts`` is the claim number: every later UPDATE of the job names it.
2. Connect, STARTTLS, login, MAIL FROM, RCPT TO. Nothing can be delivered yet, so any failure
   here is safe to retry.
3. ``enter_data_phase``: a conditional UPDATE sets data_started_at and commits, then DATA. If the
   claim was lost meanwhile (the dispatcher thought the worker dead), the job stops before DATA.
4. The server's 250 → sent. Any other reply is definite (4xx: retry, 5xx: failed). No reply (the
   connection dropped, a timeout, the worker killed) leaves the delivery uncertain: the row is
   failed 'uncertain' and a person decides; it is never resent automatically.

The dispatcher finds what no job will: queued rows that are due but have no job in Redis (Redis
was down at commit, or lost its data), rows held for want of SMTP settings once they are set,
and rows in 'sending' whose lease expired (step 3 decides: before DATA, queue again; after,
uncertain).
"""

import logging
from datetime import timedelta

import sqlalchemy as sa
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from app.core.db import utcnow
from app.core.jobs import job, periodic
from app.core.redis import get_redis
from app.extensions import db
from app.mail import hooks, smtp, state
from app.mail.models import OutboxEmail
from app.mail.outbox import job_id, smtp_configured

log = logging.getLogger(__name__)

#: Job states in which a job will still run (so the dispatcher adds no other).
PENDING = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.STARTED, JobStatus.DEFERRED}
#: Most rows one dispatcher run enqueues; the next run takes the rest.
DISPATCH_BATCH = 500


class _Fenced(Exception):
    """The claim was lost before DATA: another job or the dispatcher owns the row now."""


@job(queue="mail")
def send_email(email_id: int) -> str:
    """Send one outbox e-mail, at most once; safe to run any number of times.

    Returns what happened: sent, held, skipped (not queued or not due: another job has it,
    or it is done), fenced (lost the claim before DATA), retrying, failed.
    """
    if not smtp_configured():
        state.hold(email_id)
        return "held"
    email = state.claim(email_id)
    if email is None:
        return "skipped"
    attempt, last_attempt = email.attempts, email.max_attempts
    try:
        envelope, failure = smtp.envelope(email), None
    except Exception as exc:  # an attachment missing or changed: before any network traffic
        failure = smtp.classify_build_error(exc)
    # End the read transaction: none stays open during the SMTP conversation (and SQLite
    # refuses a later write from a read snapshot that another connection has overtaken).
    db.session.commit()
    if failure is None:
        try:
            failure = _converse(email_id, attempt, envelope)
        except _Fenced:
            log.warning("e-mail %s: claim %s lost before DATA; not sent", email_id, attempt)
            return "fenced"
    if failure is not None:
        return _after_failure(email_id, attempt, last_attempt, failure)
    # Outside the SMTP error handling: if this commit fails, the row stays 'sending' with
    # data_started_at set, and the dispatcher reports it uncertain; it is never resent.
    if state.mark_sent(email_id, attempt):
        hooks.run_sent_hooks(email_id)  # e.g. the act's receipt: the day the server accepted it
    log.info("e-mail %s sent (attempt %s)", email_id, attempt)
    return "sent"


def _converse(email_id, attempt, envelope):
    """The SMTP conversation: None once the server accepted the message, else a Failure."""
    data_started = False
    try:
        conn = smtp.connect()
        try:
            smtp.send_envelope(conn, envelope)
            if not state.enter_data_phase(email_id, attempt):
                raise _Fenced
            data_started = True
            smtp.send_data(conn, envelope)
        finally:
            smtp.close(conn)
    except _Fenced:
        raise
    except Exception as exc:
        return smtp.classify(exc, data_started)
    return None


def _after_failure(email_id, attempt, last_attempt, failure) -> str:
    log.warning("e-mail %s attempt %s: %s (%s)", email_id, attempt, failure.detail, failure.kind)
    if failure.kind != smtp.TEMPORARY:
        state.mark_failed(email_id, attempt, failure.code, failure.detail)
        return "failed"
    if attempt >= last_attempt:
        state.mark_failed(email_id, attempt, "gave_up", failure.detail)
        return "failed"
    delay = state.requeue(email_id, attempt, failure.detail)
    if delay is not None:
        _schedule(email_id, attempt + 1, delay)
    return "retrying"


def _schedule(email_id, attempt, delay):
    """The retry job, on RQ's scheduler. If Redis is down the dispatcher enqueues it when due."""
    try:
        send_email.enqueue_in(timedelta(seconds=delay), email_id, job_id=job_id(email_id, attempt))
    except Exception:
        log.exception("e-mail %s: retry not scheduled; the dispatcher will enqueue it", email_id)


@periodic("mail-dispatch", every=60, queue="mail")
def dispatch() -> dict:
    """Find outbox rows that no job will take and act on them; safe if two run at once."""
    counts = {}
    if smtp_configured():
        counts["released"] = state.release_held()
    else:
        counts["held"] = state.hold_queued()
    counts.update(state.expire_leases())
    counts["enqueued"] = _enqueue_due() if smtp_configured() else 0
    if any(counts.values()):
        log.info("mail dispatch: %s", counts)
    return counts


def _enqueue_due() -> int:
    """Enqueue a job for each due queued row that has none pending in Redis."""
    rows = db.session.execute(
        sa.select(OutboxEmail.id, OutboxEmail.attempts)
        .where(OutboxEmail.status == "queued", OutboxEmail.next_attempt_at <= utcnow())
        .order_by(OutboxEmail.next_attempt_at)
        .limit(DISPATCH_BATCH)
    ).all()
    db.session.commit()
    enqueued = 0
    for email_id, attempts in rows:
        ident = job_id(email_id, attempts + 1)
        if not _is_pending(ident):
            # Should a job with this id appear meanwhile, two jobs run: the claim lets one send.
            send_email.enqueue(email_id, job_id=ident)
            enqueued += 1
    return enqueued


def _is_pending(ident) -> bool:
    try:
        return Job.fetch(ident, connection=get_redis()).get_status(refresh=False) in PENDING
    except NoSuchJobError:
        return False
