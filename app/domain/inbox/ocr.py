"""Scanned answers: the text of a PDF without a text layer, recognised with OCRmyPDF
(Tesseract, Ukrainian and English), joins the full-text search.

A job per file (``recognise``), enqueued when an e-mail answer is filed; a periodic sweep
takes every PDF answer file not yet looked at (answers typed in or sent through the portal
too, and files whose job was lost). The recognised text is kept in ``scanned_texts``, which
the search reads (``search_source``).
"""

import io
import logging
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy as sa

from app.core import storage
from app.core.jobs import job, periodic
from app.domain.inbox.models import ScannedText
from app.domain.responses.files import PDF
from app.domain.responses.models import Response, ResponseFile
from app.extensions import db

log = logging.getLogger(__name__)
#: A PDF with fewer letters than this in its text layer counts as a scan.
MIN_TEXT = 20
OCR_TIMEOUT = 600
SWEEP_BATCH = 50


@job(timeout=OCR_TIMEOUT + 60)
def recognise(file_id) -> str:
    """Job: the file's text (its own layer, or OCR); once per file. Returns what it did."""
    stored = db.session.get(ResponseFile, file_id)
    if stored is None or stored.content_type != PDF:
        return "nothing to do"
    if db.session.get(ScannedText, file_id) is not None:
        return "done before"
    data = storage.read(stored.path, stored.sha256)
    db.session.rollback()  # no transaction stays open while OCR runs
    text = layer_text(data)
    if len(_letters(text)) >= MIN_TEXT:
        return _save(file_id, "has_text", text, "")
    try:
        return _save(file_id, "done", ocr(data), "")
    except Exception as exc:  # an unreadable PDF: recorded, not retried forever
        log.warning("OCR of response file %s failed: %s", file_id, exc)
        return _save(file_id, "failed", "", f"{type(exc).__name__}: {exc}"[:2000])


def layer_text(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join((page.extract_text() or "") for page in reader.pages[:200])
    except Exception:
        return ""


def ocr(data: bytes, languages="ukr+eng") -> str:
    """The text OCRmyPDF recognises in ``data`` (its sidecar file)."""
    with tempfile.TemporaryDirectory(prefix="vidhuk-ocr-") as folder:
        folder = Path(folder)
        (folder / "in.pdf").write_bytes(data)
        result = subprocess.run(
            [
                "ocrmypdf",
                "-l",
                languages,
                "--skip-text",
                "--output-type",
                "pdf",
                "--optimize",
                "0",
                "--jobs",
                "1",
                "--sidecar",
                str(folder / "text.txt"),
                str(folder / "in.pdf"),
                str(folder / "out.pdf"),
            ],
            capture_output=True,
            timeout=OCR_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr.decode("utf-8", "replace").strip()[-500:])
        return (folder / "text.txt").read_text("utf-8", "replace").replace("\f", "\n").strip()


def _letters(text):
    return [c for c in text or "" if c.isalpha()]


def _save(file_id, status, text, error):
    db.session.add(
        ScannedText(file_id=file_id, status=status, text=text.replace("\x00", ""), error=error)
    )
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        return "done before"
    return status


@periodic("ocr-sweep", every=600)
def sweep():
    """Enqueue recognition of PDF answer files never looked at (at most SWEEP_BATCH a run)."""
    ids = db.session.scalars(
        sa.select(ResponseFile.id)
        .outerjoin(ScannedText, ScannedText.file_id == ResponseFile.id)
        .where(ResponseFile.content_type == PDF, ScannedText.file_id.is_(None))
        .order_by(ResponseFile.id)
        .limit(SWEEP_BATCH)
    ).all()
    db.session.rollback()
    for file_id in ids:
        recognise.enqueue(file_id, job_id=f"ocr-{file_id}")
    return {"enqueued": len(ids)}


def search_source(dialect, words):
    """The recommendations of acts whose answers' scanned text has every term."""
    from app.domain.acts.models import act_recommendations
    from app.domain.search.text import pg_match, sqlite_match

    if dialect == "postgresql":
        texts = sa.select(ScannedText.file_id).where(pg_match(ScannedText.text, words))
    else:
        texts = sqlite_match("fts_scanned_texts", words)
    acts = (
        sa.select(Response.act_id)
        .join(ResponseFile, ResponseFile.response_id == Response.id)
        .where(ResponseFile.id.in_(texts))
    )
    return sa.select(act_recommendations.c.recommendation_id).where(
        act_recommendations.c.act_id.in_(acts)
    )


def register_search():
    from app.domain.search.text import SOURCES, Source

    if not any(s.name == "scanned answers" for s in SOURCES):
        SOURCES.append(Source("scanned answers", search_source))
