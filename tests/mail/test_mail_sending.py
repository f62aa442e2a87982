"""Sending over a real SMTP server on loopback: what arrives, retries, refusals, TLS and login."""

import hashlib
import io
import time

import pytest
from pypdf import PdfReader

from app.mail.jobs import send_email
from app.mail.outbox import queue_email

SUBJECT = "Подання НПМ щодо ДУ «Лук'янівський слідчий ізолятор» — виконання рекомендацій"
TEXT = "Шановний пане Голово!\n\nНадсилаємо подання за результатами візиту.\n"
HTML = "<p>Шановний пане Голово!</p><p>Надсилаємо <b>подання</b> за результатами візиту.</p>"


def test_an_email_with_a_pdf_arrives_as_written(db, smtp_server, work, pdf_document, reload):
    attachment, pdf = pdf_document
    smtp_server.start()
    email = queue_email(
        ["head@dkvs.gov.ua", "Office@DKVS.gov.ua"],
        SUBJECT,
        TEXT,
        html=HTML,
        cc="lawyer@ombudsman.gov.ua",
        reply_to="lawyer@ombudsman.gov.ua",
        attachments=[attachment],
        subject_type="acts",
        subject_id=12,
    )
    db.session.commit()
    work()

    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received.mail_from == "npm@ombudsman.gov.ua"
    assert sorted(received.rcpt_tos) == [
        "Office@dkvs.gov.ua",
        "head@dkvs.gov.ua",
        "lawyer@ombudsman.gov.ua",
    ]
    msg = received.message
    assert msg["Subject"] == SUBJECT
    assert msg["From"] == "НПМ <npm@ombudsman.gov.ua>"
    assert msg["Reply-To"] == "lawyer@ombudsman.gov.ua"
    assert msg["Date"]
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == TEXT
    assert "<b>подання</b>" in msg.get_body(("html",)).get_content()
    (part,) = list(msg.iter_attachments())
    assert part.get_filename() == "Подання №12.pdf"
    assert part.get_content_type() == "application/pdf"
    data = part.get_content()
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256(pdf).hexdigest()
    assert "Act No. 12/2026" in PdfReader(io.BytesIO(data)).pages[0].extract_text()

    row = reload(email.id)
    assert msg["Message-ID"] == row.message_id
    assert row.message_id.endswith("@ombudsman.gov.ua>")
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert row.sent_at is not None and row.sent_at.tzinfo is not None


def test_smtp_down_is_retried_with_growing_delays_then_delivered_once(
    db, smtp_server, work, reload
):
    smtp_server.configure()  # nobody listens on the port: connection refused
    email = queue_email("head@dkvs.gov.ua", SUBJECT, TEXT)
    db.session.commit()
    message_id = email.message_id

    waits = []
    for attempt in (1, 2):
        before = time.time()
        work()
        row = reload(email.id)
        assert (row.status, row.attempts, row.error_code) == ("queued", attempt, "retrying")
        assert "Connection refused" in row.last_error
        waits.append(row.next_attempt_at.timestamp() - before)
        time.sleep(max(0.0, row.next_attempt_at.timestamp() - time.time()) + 1.05)
    assert waits[0] < waits[1]  # 1 s, then 2 s (MAIL_RETRY_DELAYS of the tests)

    smtp_server.start()
    work()
    work()  # nothing left to do: still one message
    row = reload(email.id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, None)
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0].message["Message-ID"] == message_id


def test_after_the_last_attempt_the_email_is_failed_and_says_why(
    app, db, smtp_server, work, reload
):
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    smtp_server.configure()
    email = queue_email("head@dkvs.gov.ua", SUBJECT, TEXT)
    db.session.commit()
    work()
    row = reload(email.id)
    assert (row.status, row.attempts, row.error_code) == ("failed", 1, "gave_up")
    assert row.last_error.startswith("Not sent; attempts made: 1. Last error: ConnectionRefused")


def test_a_refused_recipient_fails_at_once_and_nothing_is_sent(db, smtp_server, work, reload):
    from app.core.jobs import get_queue

    smtp_server.handler.reject.add("nobody@dkvs.gov.ua")
    smtp_server.start()
    email = queue_email(["head@dkvs.gov.ua", "nobody@dkvs.gov.ua"], SUBJECT, TEXT)
    db.session.commit()
    work()
    row = reload(email.id)
    assert (row.status, row.attempts, row.error_code) == ("failed", 1, "rejected")
    assert "nobody@dkvs.gov.ua: 550 5.1.1" in row.last_error
    assert row.last_error.startswith("The mail server refused the message")
    assert smtp_server.messages == []  # not even to the recipient that was accepted
    queue = get_queue("mail")
    assert queue.count == 0 and queue.scheduled_job_registry.count == 0


def test_the_job_run_twice_sends_one_message(db, smtp_server, reload):
    smtp_server.start()
    email = queue_email("head@dkvs.gov.ua", SUBJECT, TEXT)
    db.session.commit()
    assert send_email(email.id) == "sent"
    assert send_email(email.id) == "skipped"
    assert len(smtp_server.messages) == 1
    assert reload(email.id).attempts == 1


def test_a_changed_attachment_is_not_sent(app, db, smtp_server, work, pdf_document, reload):
    from pathlib import Path

    attachment, _pdf = pdf_document
    smtp_server.start()
    email = queue_email("head@dkvs.gov.ua", SUBJECT, TEXT, attachments=[attachment])
    db.session.commit()
    (Path(app.config["STORAGE_DIR"]) / attachment["path"]).write_bytes(b"%PDF-1.4 another")
    work()
    row = reload(email.id)
    assert (row.status, row.error_code) == ("failed", "attachment")
    assert "Подання №12.pdf: sha256 differs" in row.last_error
    assert smtp_server.messages == []


def _authenticator(accounts):
    from aiosmtpd.smtp import AuthResult

    def check(server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode()
        ok = accounts.get(login) == auth_data.password.decode()
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535

    return check


NO_TLS_WARNING = "ignore:Requiring AUTH while not requiring TLS:UserWarning"


@pytest.mark.filterwarnings(NO_TLS_WARNING)
def test_login_without_tls(app, db, smtp_server, reload):
    smtp_server.start(
        authenticator=_authenticator({"npm": "parol-1"}),
        auth_required=True,
        auth_require_tls=False,
    )
    app.config.update(SMTP_USERNAME="npm", SMTP_PASSWORD="parol-1")
    email = queue_email("head@dkvs.gov.ua", SUBJECT, TEXT)
    db.session.commit()
    assert send_email(email.id) == "sent"
    assert len(smtp_server.messages) == 1

    app.config["SMTP_PASSWORD"] = "wrong"
    other = queue_email("head@dkvs.gov.ua", SUBJECT, TEXT)
    db.session.commit()
    assert send_email(other.id) == "failed"
    assert reload(other.id).last_error.startswith("Not sent: 535")


@pytest.fixture
def tls(tmp_path):
    """A throw-away CA and a certificate for 127.0.0.1 (trustme)."""
    trustme = pytest.importorskip("trustme", reason="STARTTLS test needs trustme (pip install)")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return ca, cert, str(ca_file)


def test_starttls_and_login(app, db, smtp_server, tls, reload):
    import ssl

    _ca, cert, ca_file = tls
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    smtp_server.start(
        tls_context=context,
        require_starttls=True,
        authenticator=_authenticator({"npm": "s3cret"}),
        auth_required=True,
    )
    app.config.update(
        SMTP_STARTTLS=True, SMTP_USERNAME="npm", SMTP_PASSWORD="s3cret", SMTP_CA_FILE=ca_file
    )
    email = queue_email("head@dkvs.gov.ua", SUBJECT, TEXT)
    db.session.commit()
    assert send_email(email.id) == "sent"
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0].message["Subject"] == SUBJECT

    # An untrusted certificate is a configuration error: failed at once, nothing sent.
    app.config["SMTP_CA_FILE"] = None
    other = queue_email("head@dkvs.gov.ua", SUBJECT, TEXT)
    db.session.commit()
    assert send_email(other.id) == "failed"
    assert "certificate verify failed" in reload(other.id).last_error
    assert len(smtp_server.messages) == 1


@pytest.mark.filterwarnings(NO_TLS_WARNING)
def test_starttls_asked_but_not_offered_sends_nothing_in_clear(app, db, smtp_server, reload):
    smtp_server.start(
        authenticator=_authenticator({"npm": "s3cret"}), auth_required=True, auth_require_tls=False
    )
    app.config.update(SMTP_STARTTLS=True, SMTP_USERNAME="npm", SMTP_PASSWORD="s3cret")
    email = queue_email("head@dkvs.gov.ua", SUBJECT, TEXT)
    db.session.commit()
    assert send_email(email.id) == "failed"
    row = reload(email.id)
    assert row.error_code == "error" and "STARTTLS" in row.last_error
    assert smtp_server.messages == []
