"""Retention: records older than their kind's period are deleted, except under legal hold.

Periods come from the configuration (``RETENTION_*_DAYS``, 0 = keep for ever): answers' files,
e-mails (only those done with: sent, failed, cancelled, bounced…), generated documents, the
audit log. An act under legal hold keeps all of its own (documents, e-mails, answers' files,
audit rows about it). The workers run ``purge`` daily; ``flask retention run`` runs it by hand.
Each run logs its counts and writes them to the audit log.
"""

import logging
from datetime import timedelta

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.core import storage
from app.core.audit import AuditEvent, record_audit
from app.core.db import utcnow
from app.core.jobs import periodic
from app.domain.acts.models import Act, Document
from app.domain.responses.models import Response, ResponseFile
from app.extensions import db
from app.mail.models import OutboxEmail

log = logging.getLogger(__name__)
KINDS = ("response_files", "emails", "documents", "audit")
#: E-mail states that still have work to do (or wait for a person): never deleted.
ACTIVE_EMAIL_STATES = ("queued", "sending", "held", "uncertain")


def held_acts():
    """A SELECT of the ids of acts under legal hold."""
    return sa.select(Act.id).where(Act.legal_hold_reason.is_not(None))


def purge(now=None, days=None) -> dict:
    """Delete what expired; return ``{kind: count}`` (kinds kept for ever are left out).
    Files are removed after the commit (a rolled-back run removes none)."""
    from flask import current_app

    now = now or utcnow()
    days = days or current_app.config["RETENTION_DAYS"]
    counts, files = {}, []
    for kind in KINDS:
        if days.get(kind):
            cutoff = now - timedelta(days=days[kind])
            counts[kind] = _PURGERS[kind](cutoff, files)
    from app.domain.imports.uploads import purge_expired

    counts["import_uploads"] = purge_expired()
    db.session.flush()
    db.session.info.setdefault("retention_files", []).extend(files)
    return counts


def remove_files(session=None):
    """Delete the files of the rows a committed purge removed."""
    session = session or db.session
    for path in session.info.pop("retention_files", []):
        try:
            storage.absolute(path).unlink(missing_ok=True)
        except (OSError, ValueError):
            log.warning("retention: could not delete %s", path)


def _response_files(cutoff, files):
    stmt = (
        sa.select(ResponseFile.id, ResponseFile.path)
        .join(Response, Response.id == ResponseFile.response_id)
        .where(ResponseFile.created_at < cutoff, Response.act_id.not_in(held_acts()))
    )
    return _delete(ResponseFile, stmt, files)


def _documents(cutoff, files):
    # An e-mail still to be sent carries the act's documents: they wait for it.
    waiting = sa.select(OutboxEmail.subject_id).where(
        OutboxEmail.subject_type == "acts", OutboxEmail.status.in_(ACTIVE_EMAIL_STATES)
    )
    stmt = sa.select(Document.id, Document.path).where(
        Document.created_at < cutoff,
        Document.act_id.not_in(held_acts()),
        Document.act_id.not_in(waiting),
    )
    return _delete(Document, stmt, files)


def _emails(cutoff, files):
    held = sa.and_(OutboxEmail.subject_type == "acts", OutboxEmail.subject_id.in_(held_acts()))
    result = db.session.execute(
        sa.delete(OutboxEmail)
        .where(
            OutboxEmail.created_at < cutoff,
            OutboxEmail.status.not_in(ACTIVE_EMAIL_STATES),
            sa.not_(held),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _audit(cutoff, files):
    held = sa.and_(AuditEvent.subject_type == "acts", AuditEvent.subject_id.in_(held_acts()))
    if db.engine.dialect.name == "postgresql":
        # The append-only trigger lets this transaction, and only it, delete expired rows.
        db.session.execute(sa.text("SET LOCAL vidhuk.audit_retention = 'on'"))
    result = db.session.execute(
        sa.delete(AuditEvent)
        .where(AuditEvent.at < cutoff, sa.not_(held))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _delete(model, stmt, files):
    rows = db.session.execute(stmt).all()
    ids = [row.id for row in rows]
    for start in range(0, len(ids), 1000):
        db.session.execute(
            sa.delete(model)
            .where(model.id.in_(ids[start : start + 1000]))
            .execution_options(synchronize_session=False)
        )
    files.extend(row.path for row in rows)
    return len(ids)


_PURGERS = {
    "response_files": _response_files,
    "emails": _emails,
    "documents": _documents,
    "audit": _audit,
}


def run(actor=None) -> dict:
    """One retention run as a boundary: purge, audit, commit, then delete the files."""
    try:
        counts = purge()
        record_audit("retention.purged", actor, details=counts)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    remove_files()
    log.info("retention: deleted %s", ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts


@periodic("retention", every=24 * 3600)
def retention_job():
    """The daily run in the workers."""
    return run()


retention_cli = AppGroup("retention", help="Deleting records whose retention period ended.")


@retention_cli.command("run")
def run_command():
    """Delete what expired now (answers' files, e-mails, documents, audit log); print counts."""
    counts = run()
    for kind, count in counts.items():
        click.echo(f"{kind}: {count}")
