"""Making an act's documents: a new version each time before sending, a final one at sending.

Every request (``request_generation``) gets a token and a job keyed on the act and that token,
enqueued after the commit. The job makes the documents once and ends the request ``ready`` or
``failed`` with a message the lawyer reads; a request whose job never ran (Redis was down) or
died is found by the periodic recovery in ``app.domain.acts.dispatch``.
"""

import logging
import re
import uuid

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.core import storage
from app.core.db import utcnow
from app.domain.acts import kinds
from app.domain.acts.letters import prepare, render_letter, render_prepared
from app.domain.acts.models import Act, Document
from app.extensions import db
from app.letters.render import LetterError

log = logging.getLogger(__name__)


def job_id(act_id, token) -> str:
    """The RQ job id of one documents request: one job per act and request."""
    prefix = re.sub(r"[^A-Za-z0-9_-]", "_", current_app.config.get("REDIS_PREFIX", "vidhuk"))
    return f"{prefix}-act-{act_id}-documents-{token}"


def request_generation(act):
    """Mark the act's documents as wanted and enqueue their job after the commit; returns the
    token of the request (the job serves this request only)."""
    act.documents_status = "pending"
    act.documents_error = None
    act.documents_token = uuid.uuid4().hex
    act.documents_requested_at = utcnow()
    db.session.flush()
    enqueue_job(act.id, act.documents_token, after_commit=True)
    return act.documents_token


def enqueue_job(act_id, token, after_commit=False):
    """The documents job of the request ``token`` (the act's e-mail step follows it)."""
    from app.domain.acts.dispatch import run_documents

    put = run_documents.enqueue_after_commit if after_commit else run_documents.enqueue
    return put(act_id, token, job_id=job_id(act_id, token))


def write_documents(act, final=False, rendered=None):
    """Render the letter (unless ``rendered`` is given) and add a DOCX and a PDF version; files
    vanish if the transaction rolls back. Raises LetterError on a template or conversion problem
    (nothing written)."""
    _markdown, docx, pdf = rendered or render_letter(act)  # both made before anything is written
    session = db.session()
    made = []
    for fmt, data in (("docx", docx), ("pdf", pdf)):
        version = _next_version(act.id, fmt)
        name = f"act-{act.id}-v{version}{'-final' if final else ''}.{fmt}"
        info = storage.store(f"acts/{act.id}/{name}", data, session=session)
        doc = Document(
            act_id=act.id,
            format=fmt,
            version=version,
            filename=_filename(act, fmt),
            is_final=final,
            **info,
        )
        session.add(doc)
        made.append(doc)
    session.flush()
    return made


def generate(act_id, token=None):
    """Job body: make the documents of the pending request, once (the final, registered ones
    for a sent act, a new draft version otherwise).

    A second run, a run for a superseded request, or a draft's run after the act was sent does
    nothing: the final UPDATE only succeeds while the act still waits for this very request.
    Every failure ends the request ``failed`` with a message; only a crash of the worker itself
    leaves it pending, for RQ's retries and then the recovery.
    """
    act = db.session.get(Act, act_id)
    if act is None or act.documents_status != "pending":
        return "nothing to do"
    if token is not None and act.documents_token != token:
        return "nothing to do"
    final = act.outgoing_number is not None
    if not final and act.state != "draft":
        return "nothing to do"
    token = act.documents_token
    try:
        prepared = prepare(act)
        # End the transaction before rendering: a job's transaction holds SQLite's write lock
        # (and any reader's snapshot) for as long as it is open; the render takes a second.
        db.session.commit()
        rendered = render_prepared(prepared)
        act = db.session.get(Act, act_id)
        write_documents(act, final=final, rendered=rendered)
        outcome = {"documents_status": "ready", "documents_error": None}
    except LetterError as exc:
        db.session.rollback()
        log.warning("letter for act %s failed: %s", act_id, exc)
        outcome = {"documents_status": "failed", "documents_error": str(exc)}
    except Exception as exc:  # pandoc timeout, storage, a lost connection: anything else
        db.session.rollback()
        log.exception("documents of act %s failed", act_id)
        outcome = {"documents_status": "failed", "documents_error": failure_message(exc)}
    return _finish(act_id, token, outcome)


def fail_stuck(act_id, token):
    """Give up a request no job has served for too long: failed, with a message (committed)."""
    with force_locale("uk"):
        message = _(
            "The documents were not made: the job did not finish in time (the queue or the "
            "worker stopped). Generate them again; if this repeats, tell the administrator."
        )
    return _finish(act_id, token, {"documents_status": "failed", "documents_error": message})


def failure_message(exc) -> str:
    """What the lawyer reads when the documents could not be made for a technical reason."""
    detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    with force_locale("uk"):
        return _(
            "The documents could not be made because of a technical error (%(detail)s). "
            "Generate them again; if this repeats, tell the administrator.",
            detail=detail[:500],
        )


def _finish(act_id, token, outcome):
    done = db.session.execute(
        sa.update(Act)
        .where(Act.id == act_id, Act.documents_token == token, Act.documents_status == "pending")
        .values(**outcome, version=Act.version + 1)
    ).rowcount
    if done != 1:
        db.session.rollback()  # someone else served it, or the act changed: keep nothing
        return "superseded"
    db.session.commit()
    return outcome["documents_status"]


def _next_version(act_id, fmt):
    current = db.session.scalar(
        sa.select(sa.func.max(Document.version)).where(
            Document.act_id == act_id, Document.format == fmt
        )
    )
    return (current or 0) + 1


def _filename(act, fmt):
    number = (act.outgoing_number or f"проєкт-{act.id}").replace("/", "-")
    return f"{kinds.kind_of(act.kind).title} {number}.{fmt}"
