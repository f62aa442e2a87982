"""The MIME message of an outbox row, and the SMTP conversation split around the DATA command."""

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, parseaddr

from flask import current_app

from app.mail.outbox import setting

TEMPORARY, PERMANENT, UNCERTAIN = "temporary", "permanent", "uncertain"


class AttachmentError(Exception):
    """An attached file is missing or no longer matches the sha256 recorded in the outbox."""


@dataclass(frozen=True)
class Failure:
    """How an attempt failed: ``kind`` decides what happens next, ``code`` (a key of
    models.ERROR_MESSAGES) what a person reads, with ``detail``."""

    kind: str
    code: str
    detail: str


@dataclass(frozen=True)
class Envelope:
    """What one attempt sends, read from the row before any network traffic."""

    sender: str
    recipients: tuple
    payload: bytes


def build_message(email) -> EmailMessage:
    """The message: UTF-8 text (and HTML alternative), attachments checked against sha256."""
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["Subject"] = email.subject
    msg["From"] = email.sender or current_app.config["MAIL_FROM"]
    msg["To"] = ", ".join(email.to_addrs)
    if email.cc_addrs:
        msg["Cc"] = ", ".join(email.cc_addrs)
    if email.reply_to:
        msg["Reply-To"] = email.reply_to
    # Both fixed at creation: every attempt sends the very same message.
    msg["Date"] = format_datetime(email.created_at)
    msg["Message-ID"] = email.message_id
    msg.set_content(email.text_body, charset="utf-8")
    if email.html_body:
        msg.add_alternative(email.html_body, subtype="html", charset="utf-8")
    for item in email.attachments:
        maintype, _, subtype = item["content_type"].partition("/")
        msg.add_attachment(
            _read_attachment(item),
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=item["filename"],
        )
    return msg


def _read_attachment(item) -> bytes:
    from app.core import storage

    try:
        return storage.read(item["path"], item["sha256"])
    except storage.StorageError as exc:
        if exc.reason == "damaged":
            raise AttachmentError(
                f"{item['filename']}: sha256 differs from the one recorded"
            ) from exc
        raise AttachmentError(f"{item['filename']}: file not found ({exc.reason})") from exc


def envelope(email) -> Envelope:
    msg = build_message(email)
    sender = parseaddr(str(msg["From"]))[1]
    recipients = tuple(dict.fromkeys([*email.to_addrs, *email.cc_addrs]))
    return Envelope(sender, recipients, msg.as_bytes(policy=SMTP_POLICY))


def connect() -> smtplib.SMTP:
    """An open, greeted connection: STARTTLS when SMTP_STARTTLS, login when SMTP_USERNAME."""
    config = current_app.config
    conn = smtplib.SMTP(
        config["SMTP_HOST"], config["SMTP_PORT"], timeout=setting("MAIL_SMTP_TIMEOUT")
    )
    try:
        conn.ehlo()
        if config.get("SMTP_STARTTLS"):
            # Raises SMTPNotSupportedError if the server does not offer it: credentials and
            # letters never go out in clear text when TLS was asked for.
            conn.starttls(context=ssl.create_default_context(cafile=setting("SMTP_CA_FILE")))
            conn.ehlo()
        if config.get("SMTP_USERNAME"):
            conn.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
    except BaseException:
        close(conn)
        raise
    return conn


def send_envelope(conn: smtplib.SMTP, env: Envelope) -> None:
    """MAIL FROM and RCPT TO. Any refused recipient stops the message: a partial send, then a
    resend once the address is fixed, would give the others a duplicate."""
    code, reply = conn.mail(env.sender)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, env.sender)
    refused = {}
    for rcpt in env.recipients:
        code, reply = conn.rcpt(rcpt)
        if code not in (250, 251):
            refused[rcpt] = (code, reply)
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)


def send_data(conn: smtplib.SMTP, env: Envelope) -> None:
    """DATA: returns when the server answered 250, raises SMTPDataError on any other reply."""
    conn.data(env.payload)


def close(conn: smtplib.SMTP) -> None:
    """QUIT politely, but a failure here changes nothing: the outcome is already known."""
    try:
        conn.quit()
    except Exception:
        conn.close()


def classify(exc: BaseException, data_started: bool) -> Failure:
    """Temporary (retry), permanent (give up now) or uncertain (the server may have it)."""
    detail = describe(exc)
    refusal = (smtplib.SMTPSenderRefused, smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)
    if isinstance(exc, smtplib.SMTPResponseException):
        # A reply, even after DATA, is definite: only 250 means the server took the message.
        if 500 <= exc.smtp_code < 600:
            return Failure(PERMANENT, "rejected" if isinstance(exc, refusal) else "error", detail)
        return Failure(TEMPORARY, "retrying", detail)
    if data_started:
        return Failure(UNCERTAIN, "uncertain", detail)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        if max(code for code, _reply in exc.recipients.values()) >= 500:
            return Failure(PERMANENT, "rejected", detail)
        return Failure(TEMPORARY, "retrying", detail)
    if isinstance(exc, ssl.SSLCertVerificationError | UnicodeError):
        return Failure(PERMANENT, "error", detail)  # untrusted certificate, non-ASCII password
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return Failure(TEMPORARY, "retrying", detail)
    if isinstance(exc, smtplib.SMTPException):  # (an OSError too, so tested first)
        return Failure(PERMANENT, "error", detail)  # STARTTLS/AUTH not offered: configuration
    if isinstance(exc, OSError):
        return Failure(TEMPORARY, "retrying", detail)  # refused, timeout, reset, DNS, TLS hiccup
    return Failure(TEMPORARY, "retrying", detail)


def classify_build_error(exc: BaseException) -> Failure:
    """A message that cannot be built will not build next time either, unless the disk hiccuped."""
    if isinstance(exc, AttachmentError):
        return Failure(PERMANENT, "attachment", describe(exc))
    if isinstance(exc, OSError):
        return Failure(TEMPORARY, "retrying", describe(exc))
    return Failure(PERMANENT, "error", describe(exc))


def describe(exc: BaseException) -> str:
    """One line a person can act on: the SMTP reply or the exception's message."""
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        return f"{exc.smtp_code} {text}".strip()
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{rcpt}: {code} {reply.decode('utf-8', 'replace') if isinstance(reply, bytes) else reply}"
            for rcpt, (code, reply) in exc.recipients.items()
        )
    if isinstance(exc, AttachmentError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
