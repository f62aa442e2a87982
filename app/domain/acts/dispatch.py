"""Sending an act in steps, none of which holds the register.

1. ``send`` (the request): the number, the dates, the history, the deadline, the
   recommendations — and a request for the final documents. Milliseconds; the row lock on the
   year's counter is held only for this.
2. The documents job (queue ``letters``, after the commit): the registered DOCX and PDF, with the
   number and the date, in its own transaction (``documents.generate``).
3. The e-mail step, by the same job in a further transaction: the act's e-mail into the outbox,
   once (a conditional UPDATE of ``email_queued_at``). The mail job sends it.

Each step is idempotent and keyed on the act, so a job run twice does each once, and a job that
died between steps is finished by ``recover`` (periodic): a documents request pending too long
with no live job is run again (or given up, failed with a message), and an act whose documents
are ready but whose e-mail was never queued gets it queued.
"""

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from app.core.db import utcnow
from app.core.jobs import job, periodic
from app.core.redis import get_redis
from app.domain.acts import documents
from app.domain.acts.models import Act
from app.extensions import db

log = logging.getLogger(__name__)

#: Job states in which a job will still run.
LIVE = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.STARTED, JobStatus.DEFERRED}
#: Defaults of the optional app.config keys (seconds).
DEFAULTS = {
    #: A documents request pending this long with no live job is run again.
    "DOCUMENTS_STUCK_SECONDS": 600,
    #: … and this long, given up (failed, with a message to generate again).
    "DOCUMENTS_GIVE_UP_SECONDS": 3600,
}
BATCH = 200


def setting(name):
    return current_app.config.get(name, DEFAULTS[name])


#: Rendering has a hard limit (pandoc and the PDF each stop after a minute); a crashed job (a
#: killed worker) is run again by RQ, and after these the recovery takes over.
@job(queue="letters", timeout=300, retries=2, intervals=(10, 60))
def run_documents(act_id, token=None):
    """Job: the act's documents for request ``token``, then (a sent act) its e-mail step."""
    outcome = documents.generate(act_id, token)
    queued = queue_email_step(act_id)
    return {"documents": outcome, "email": queued}


@job(queue="letters")
def queue_email_step(act_id) -> str:
    """Put a registered act's e-mail in the outbox once its final documents are ready; its own
    transaction, committed here. Safe to run any number of times, at once too."""
    from app.domain.acts.sending import queue_act_email
    from app.mail.outbox import MailError

    act = db.session.get(Act, act_id)
    if act is None or not _email_due(act):
        db.session.rollback()
        return "nothing to do"
    claimed = db.session.execute(
        sa.update(Act)
        .where(
            Act.id == act_id,
            Act.email_queued_at.is_(None),
            Act.email_error.is_(None),
            Act.documents_status == "ready",
        )
        .values(email_queued_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return "nothing to do"
    try:
        queue_act_email(act)
    except MailError as exc:
        db.session.rollback()
        with force_locale("uk"):
            message = _("The e-mail could not be queued: %(reason)s", reason=str(exc.message))
        db.session.execute(
            sa.update(Act)
            .where(Act.id == act_id, Act.email_queued_at.is_(None))
            .values(email_error=message)
        )
        db.session.commit()
        return "failed"
    db.session.commit()
    return "queued"


def _email_due(act) -> bool:
    return (
        act.channel == "email"
        and act.outgoing_number is not None
        and act.documents_status == "ready"
        and act.email_queued_at is None
        and act.email_error is None
        and any(d.is_final for d in act.documents)
    )


def email_step(act, emails=None):
    """Where the act's e-mail is: None (not sent, or by post), ``waiting`` (for the registered
    documents), ``not_queued`` (``email_error`` says why), or the status of its latest e-mail
    in the outbox (queued, sending, sent, failed, held, cancelled, delivered)."""
    if act.channel != "email" or act.outgoing_number is None:
        return None
    if act.email_error is not None:
        return "not_queued"
    if act.email_queued_at is None:
        return "waiting"
    if emails is None:
        from app.mail.outbox import emails_for

        emails = emails_for("acts", act.id)
    return emails[-1].status if emails else "waiting"


def retry_final_documents(act):
    """A lawyer's request to make a sent act's registered documents again after a failure (and
    then its e-mail, and to queue an e-mail that could not be queued). Flushes."""
    from app.core.errors import OperationError

    if act.outgoing_number is None:
        raise OperationError(
            _("The act is not registered yet."), status=409, code="nothing_to_retry"
        )
    if act.documents_status == "failed":
        documents.request_generation(act)
        return "documents"
    if act.email_error is not None:
        act.email_error = None
        db.session.flush()
        queue_email_step.enqueue_after_commit(act.id)
        return "email"
    raise OperationError(
        _("Nothing failed: there is nothing to try again."), status=409, code="nothing_to_retry"
    )


@periodic("acts-recover", every=300, queue="letters")
def recover(now=None) -> dict:
    """Finish what no job will: stuck documents requests, e-mails never queued."""
    now = now or utcnow()
    stuck_before = now - timedelta(seconds=setting("DOCUMENTS_STUCK_SECONDS"))
    give_up_before = now - timedelta(seconds=setting("DOCUMENTS_GIVE_UP_SECONDS"))
    rows = db.session.execute(
        sa.select(Act.id, Act.documents_token, Act.documents_requested_at)
        .where(
            Act.documents_status == "pending",
            sa.or_(Act.documents_requested_at.is_(None), Act.documents_requested_at < stuck_before),
        )
        .order_by(Act.id)
        .limit(BATCH)
    ).all()
    db.session.commit()
    counts = {"enqueued": 0, "given_up": 0, "emails": 0}
    for act_id, token, requested_at in rows:
        if _is_live(documents.job_id(act_id, token)):
            continue
        if requested_at is None or requested_at < give_up_before:
            if documents.fail_stuck(act_id, token) == "failed":
                counts["given_up"] += 1
        else:
            documents.enqueue_job(act_id, token)
            counts["enqueued"] += 1
    for act_id in _emails_not_queued():
        if queue_email_step(act_id) == "queued":
            counts["emails"] += 1
    if any(counts.values()):
        log.info("acts recovery: %s", counts)
    return counts


def _emails_not_queued():
    ids = db.session.scalars(
        sa.select(Act.id)
        .where(
            Act.channel == "email",
            Act.outgoing_number.is_not(None),
            Act.documents_status == "ready",
            Act.email_queued_at.is_(None),
            Act.email_error.is_(None),
        )
        .order_by(Act.id)
        .limit(BATCH)
    ).all()
    db.session.commit()
    return ids


def _is_live(ident) -> bool:
    try:
        return Job.fetch(ident, connection=get_redis()).get_status(refresh=False) in LIVE
    except NoSuchJobError:
        return False
