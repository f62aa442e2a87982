"""Every change of an outbox row's delivery state: conditional UPDATEs, each committed at once.

Each UPDATE names the state it expects (and, for a job, its claim number in ``attempts``), so
when two jobs, a job and the dispatcher, or two dispatchers race, exactly one of them wins and
the others change nothing. The database, not Redis, is the truth.
"""

from datetime import timedelta

import sqlalchemy as sa

from app.core.db import utcnow
from app.extensions import db
from app.mail.models import OutboxEmail
from app.mail.outbox import setting

#: A retry job may be started a little before next_attempt_at by a worker whose clock runs ahead.
CLOCK_SKEW = timedelta(seconds=5)


def _update(*where, **values) -> int:
    """UPDATE outbox_emails SET values WHERE where; COMMIT; the number of rows changed."""
    result = db.session.execute(
        sa.update(OutboxEmail)
        .where(*where)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


def hold(email_id) -> bool:
    """queued → held, when SMTP is not configured (no attempt is counted)."""
    e = OutboxEmail
    return bool(
        _update(e.id == email_id, e.status == "queued", status="held", error_code="not_configured")
    )


def claim(email_id):
    """queued (and due) → sending, with attempts + 1: the row, or None if another job has it.

    Committed before any network traffic, so a second job for the same e-mail finds it taken.
    """
    e, now = OutboxEmail, utcnow()
    claimed = _update(
        e.id == email_id,
        e.status == "queued",
        sa.or_(e.next_attempt_at.is_(None), e.next_attempt_at <= now + CLOCK_SKEW),
        status="sending",
        attempts=e.attempts + 1,
        claimed_at=now,
        data_started_at=None,
    )
    return db.session.get(OutboxEmail, email_id) if claimed else None


def enter_data_phase(email_id, attempt) -> bool:
    """Record, before the DATA command, that the server may get the message from now on.

    False means the claim was lost (the dispatcher took the row back from a job it thought
    dead): the job must then not send DATA, or the e-mail could go out twice.
    """
    e = OutboxEmail
    return bool(
        _update(
            e.id == email_id,
            e.status == "sending",
            e.attempts == attempt,
            e.data_started_at.is_(None),
            data_started_at=utcnow(),
        )
    )


def mark_sent(email_id, attempt) -> bool:
    """→ sent. Also over a 'failed: uncertain' the dispatcher wrote meanwhile: the server's 250
    is the better knowledge. Not once another claim has started (attempts moved on)."""
    e = OutboxEmail
    return bool(
        _update(
            e.id == email_id,
            e.attempts == attempt,
            e.status.in_(("sending", "failed", "queued")),
            status="sent",
            sent_at=utcnow(),
            next_attempt_at=None,
            error_code=None,
            error_detail=None,
        )
    )


def mark_failed(email_id, attempt, code, detail) -> bool:
    """sending → failed: a person must decide (see outbox.retry)."""
    e = OutboxEmail
    return bool(
        _update(
            e.id == email_id,
            e.status == "sending",
            e.attempts == attempt,
            status="failed",
            next_attempt_at=None,
            error_code=code,
            error_detail=detail,
        )
    )


def retry_delay(attempt) -> float:
    """Seconds to wait after failed attempt ``attempt`` (1, 2, ...): growing, the last repeats."""
    delays = setting("MAIL_RETRY_DELAYS")
    return float(delays[min(attempt, len(delays)) - 1])


def requeue(email_id, attempt, detail):
    """sending → queued after a temporary failure: the delay in seconds, or None if not ours."""
    e, delay = OutboxEmail, retry_delay(attempt)
    changed = _update(
        e.id == email_id,
        e.status == "sending",
        e.attempts == attempt,
        status="queued",
        next_attempt_at=utcnow() + timedelta(seconds=delay),
        error_code="retrying",
        error_detail=detail,
    )
    return delay if changed else None


def release_held() -> int:
    """held → queued, due now: SMTP has been configured since."""
    e = OutboxEmail
    return _update(
        e.status == "held",
        status="queued",
        next_attempt_at=utcnow(),
        error_code=None,
        error_detail=None,
    )


def hold_queued() -> int:
    """queued → held: SMTP settings were removed."""
    e = OutboxEmail
    return _update(e.status == "queued", status="held", error_code="not_configured")


def expire_leases() -> dict:
    """Rows left in 'sending' by a worker that died (its claim is older than the lease).

    If DATA had started the server may have the message: failed, 'uncertain', never resent
    automatically. Otherwise nothing can have arrived, so it is queued again (or given up after
    the last attempt).
    """
    e, now = OutboxEmail, utcnow()
    expired = (
        e.status == "sending",
        e.claimed_at < now - timedelta(seconds=setting("MAIL_LEASE_SECONDS")),
    )
    detail = "the worker stopped while sending"
    uncertain = _update(
        *expired,
        e.data_started_at.is_not(None),
        status="failed",
        next_attempt_at=None,
        error_code="uncertain",
        error_detail=detail,
    )
    before_data = (*expired, e.data_started_at.is_(None))
    requeued = _update(
        *before_data,
        e.attempts < e.max_attempts,
        status="queued",
        next_attempt_at=now,
        error_code="interrupted",
        error_detail=None,
    )
    gave_up = _update(
        *before_data,
        e.attempts >= e.max_attempts,
        status="failed",
        next_attempt_at=None,
        error_code="gave_up",
        error_detail=detail,
    )
    return {"uncertain": uncertain, "requeued": requeued, "gave_up": gave_up}
