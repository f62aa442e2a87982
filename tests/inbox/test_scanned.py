"""A scanned PDF answer (no text layer) is recognised (OCRmyPDF, Ukrainian) and found by search."""

import shutil

import pytest
import sqlalchemy as sa

from app.domain.inbox.fetch import fetch
from app.domain.inbox.models import ScannedText
from tests.inbox.conftest import reply, scanned_pdf

pytestmark = pytest.mark.skipif(
    shutil.which("ocrmypdf") is None, reason="ocrmypdf is not installed (Debian package ocrmypdf)"
)


def test_a_scanned_answers_ukrainian_text_is_found_by_search(
    app, db, users, email_act, mailbox, run_jobs, client_for
):
    act, sent = email_act
    scan = scanned_pdf(["Міністерство повідомляє:", "встановлено вентиляцію", "у камерах"])
    mailbox.append(
        reply(sent, text="Див. додаток.", files=[("scan.pdf", scan, "application", "pdf")])
    )
    fetch()
    run_jobs()
    (text,) = db.session.scalars(sa.select(ScannedText)).all()
    assert text.status == "done", text.error
    assert "вентиляц" in text.text.lower()
    page = client_for(users["lawyer"]).get("/search?q=вентиляцію").get_data(as_text=True)
    rec = act.recommendations[0]
    assert f"/recommendations/{rec.id}" in page
