"""Making an act's documents: a new version each time before sending, a final one at sending."""

import logging
import uuid

import sqlalchemy as sa

from app.core import storage
from app.domain.acts.letters import render_letter
from app.domain.acts.models import Act, Document
from app.extensions import db
from app.letters.render import LetterError

log = logging.getLogger(__name__)


def request_generation(act):
    """Mark the act's documents as wanted; the job that serves this request carries the token."""
    act.documents_status = "pending"
    act.documents_error = None
    act.documents_token = uuid.uuid4().hex
    return act.documents_token


def write_documents(act, final=False):
    """Render the letter and add a DOCX and a PDF version; files vanish if the transaction
    rolls back. Raises LetterError on a template or conversion problem (nothing written)."""
    _markdown, docx, pdf = render_letter(act)  # both rendered before anything is written
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


def generate(act_id):
    """Job body: make the documents for the pending request, once.

    A second run, a run for a superseded request, or a run after the act was sent does nothing:
    the final UPDATE only succeeds while the act still waits for this very request.
    """
    act = db.session.get(Act, act_id)
    if act is None or act.documents_status != "pending" or act.state != "draft":
        return "nothing to do"
    token = act.documents_token
    try:
        write_documents(act)
        outcome = {"documents_status": "ready", "documents_error": None}
    except LetterError as exc:
        db.session.rollback()
        log.warning("letter for act %s failed: %s", act_id, exc)
        outcome = {"documents_status": "failed", "documents_error": str(exc)}
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
    kind = {
        "submission": "Подання",
        "request": "Запит",
        "reminder": "Нагадування",
        "initiative_letter": "Лист",
    }[act.kind]
    return f"{kind} {number}.{fmt}"
