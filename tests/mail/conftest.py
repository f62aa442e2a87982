"""Fixtures of the mail tests: a real SMTP server on loopback (aiosmtpd), a worker with the
scheduler, mail settings restored after each test, and a real PDF on disk."""

import hashlib
import socket
import time
from pathlib import Path

import pytest

from app.mail.models import OutboxEmail

#: app.config keys a test may change; each test starts from these values.
MAIL_CONFIG = {
    "SMTP_HOST": None,
    "SMTP_PORT": 25,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": False,
    "SMTP_CA_FILE": None,
    "MAIL_FROM": "НПМ <npm@ombudsman.gov.ua>",
    "MAIL_RETRY_DELAYS": (1, 2, 3),
    "MAIL_MAX_ATTEMPTS": None,
    "MAIL_LEASE_SECONDS": 900,
    "MAIL_SMTP_TIMEOUT": 5,
}


@pytest.fixture(autouse=True)
def mail_config(app, db):
    """Known mail settings for each test, the app's own restored after; RQ keys of the test gone."""
    from app.core.redis import get_redis

    saved = {key: app.config.get(key, _MISSING) for key in MAIL_CONFIG}
    app.config.update(MAIL_CONFIG)
    yield app.config
    for key, value in saved.items():
        if value is _MISSING:
            app.config.pop(key, None)
        else:
            app.config[key] = value
    # Job hashes and registries are keyed by job id / queue name under "rq:", outside the prefix
    # the db fixture cleans; ids restart with each test, so a stale job would look pending.
    conn = get_redis(app)
    for key in conn.scan_iter(f"rq:*{app.config['REDIS_PREFIX']}*"):
        conn.delete(key)


_MISSING = object()


@pytest.fixture(autouse=True)
def english_reader(app, db):
    """Messages are read in a request, as a lawyer reads them on a page (in English here)."""
    with app.test_request_context("/", query_string={"lang": "en"}):
        yield


@pytest.fixture
def dead_port():
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def work(app, db):
    """Run the queued jobs, and scheduled ones that are due, on a real in-process RQ worker."""
    from rq import SimpleWorker

    from app.core.jobs import AppWorker, make_worker

    class InProcessWorker(AppWorker, SimpleWorker):
        pass

    def run():
        db.session.commit()  # the worker's own session must see what the test wrote
        make_worker(app, worker_class=InProcessWorker).work(burst=True, with_scheduler=True)
        db.session.expire_all()

    return run


def minimal_pdf(text: str) -> bytes:
    """A small valid one-page PDF (Helvetica, ASCII text), readable by any PDF reader."""
    content = b"BT /F1 18 Tf 72 760 Td (" + text.encode("ascii") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


@pytest.fixture
def pdf_document(app):
    """A PDF under STORAGE_DIR, as the letters package leaves one: (attachment dict, bytes)."""
    data = minimal_pdf("Act No. 12/2026: submission to the State Criminal Executive Service")
    relative = f"acts/12/{time.monotonic_ns()}/podannia.pdf"
    path = Path(app.config["STORAGE_DIR"]) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    attachment = {
        "path": relative,
        "filename": "Подання №12.pdf",
        "content_type": "application/pdf",
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return attachment, data


@pytest.fixture
def reload(db):
    """Read an outbox row afresh, as a page would after the jobs ran."""

    def get(email_id):
        db.session.commit()
        db.session.expire_all()
        return db.session.get(OutboxEmail, email_id)

    return get
