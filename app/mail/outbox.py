"""Putting e-mails in the outbox, in the caller's transaction, and reading the outbox back."""

import hashlib
import re
from datetime import timedelta
from email.utils import make_msgid, parseaddr

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core.db import utcnow
from app.core.errors import OperationError
from app.extensions import db
from app.mail.models import OutboxEmail

SEND_JOB = "app.mail.jobs.send_email"  # send_email's dotted path, for whoever enqueues by name

#: Defaults of the optional app.config keys of this package (seconds unless said otherwise).
DEFAULTS = {
    #: Wait before attempt 2, 3, ...; the last value repeats. Seven attempts over about ten hours.
    "MAIL_RETRY_DELAYS": (60, 300, 900, 3600, 3 * 3600, 6 * 3600),
    #: None: one more than the number of delays.
    "MAIL_MAX_ATTEMPTS": None,
    #: A claim older than this belongs to a dead worker. Longer than the RQ job timeout (600 s).
    "MAIL_LEASE_SECONDS": 900,
    #: Socket timeout of every SMTP command.
    "MAIL_SMTP_TIMEOUT": 60,
    #: A queued e-mail this far past due is shown as stuck (no worker is taking it).
    "MAIL_STUCK_SECONDS": 900,
    #: PEM file of the CA that signed the SMTP server's certificate; None: the system's CAs.
    "SMTP_CA_FILE": None,
}


class MailError(OperationError):
    """A bad argument to queue_email or a decision the e-mail cannot take; ``field`` names the
    value (422), or is ``status``: the e-mail's status does not allow it (409 ``wrong_status``)."""

    def __init__(self, message, field=None):
        wrong_status = field == "status"
        super().__init__(
            message,
            status=409 if wrong_status else 422,
            code="wrong_status" if wrong_status else None,
            fields={field: [message]} if field and not wrong_status else None,
        )
        self.field = field


def setting(name):
    return current_app.config.get(name, DEFAULTS[name])


def smtp_configured() -> bool:
    """True when SMTP_HOST is set; without it e-mails are held in the outbox."""
    return bool(current_app.config.get("SMTP_HOST"))


def max_attempts() -> int:
    return setting("MAIL_MAX_ATTEMPTS") or len(setting("MAIL_RETRY_DELAYS")) + 1


def job_id(email_id: int, attempt: int) -> str:
    """The RQ job id of attempt ``attempt``; the Redis prefix keeps installations apart."""
    prefix = re.sub(r"[^A-Za-z0-9_-]", "_", current_app.config.get("REDIS_PREFIX", "vidhuk"))
    return f"{prefix}-email-{email_id}-{attempt}"


def normalize_address(value, field="to") -> str:
    """The ASCII form of a bare address (IDN domains in punycode); MailError if invalid."""
    value = (value or "").strip()
    try:
        result = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise MailError(
            _l("Not a valid e-mail address: %(address)s", address=value), field
        ) from None
    return result.ascii_email or result.normalized


def _addresses(values, field):
    if isinstance(values, str):
        values = [v for v in re.split(r"[,;]", values) if v.strip()]
    return list(dict.fromkeys(normalize_address(v, field) for v in values))


def _attachment(item) -> dict:
    """Check one attachment: a stored file, its sha256 and size recorded now."""
    from app.core import storage

    try:
        data = storage.read(item["path"])
    except storage.StorageError as exc:
        raise MailError(
            _l("Attachment not found: %(path)s", path=item["path"]), "attachments"
        ) from exc
    sha256 = hashlib.sha256(data).hexdigest()
    if item.get("sha256") and item["sha256"] != sha256:
        raise MailError(_l("Attachment has changed: %(path)s", path=item["path"]), "attachments")
    return {
        "filename": item.get("filename") or item["path"].rsplit("/", 1)[-1],
        "content_type": item.get("content_type") or "application/octet-stream",
        "path": item["path"],
        "sha256": sha256,
        "size": len(data),
    }


def queue_email(
    to,
    subject,
    text,
    html=None,
    cc=(),
    reply_to=None,
    attachments=(),
    subject_type=None,
    subject_id=None,
    sender=None,
) -> OutboxEmail:
    """Add an e-mail to the outbox in the current transaction; it is sent after the commit.

    ``to``/``cc``: an address, a comma-separated string or a list. ``attachments``: dicts with
    ``path`` (relative to STORAGE_DIR) and optionally ``filename``, ``content_type``, ``sha256``
    (checked). Flushes, never commits. Raises MailError on a bad address or attachment. Without
    SMTP settings the e-mail is held ("not sent: SMTP not configured") until they are set.
    """
    recipients = _addresses(to, "to")
    if not recipients:
        raise MailError(_l("At least one recipient is needed."), "to")
    if sender:
        normalize_address(parseaddr(sender)[1], "sender")
    now = utcnow()
    email = OutboxEmail(
        to_addrs=recipients,
        cc_addrs=_addresses(cc, "cc"),
        reply_to=normalize_address(reply_to, "reply_to") if reply_to else None,
        sender=sender,
        subject=" ".join(subject.split()),  # a line break would end the header (injection)
        text_body=text,
        html_body=html,
        attachments=[_attachment(a) for a in attachments],
        subject_type=subject_type,
        subject_id=subject_id,
        max_attempts=max_attempts(),
        next_attempt_at=now,
        message_id=make_msgid(domain=_msgid_domain(sender)),
        created_at=now,
    )
    if smtp_configured():
        email.status = "queued"
    else:
        email.status, email.error_code = "held", "not_configured"
    db.session.add(email)
    db.session.flush()
    if email.status == "queued":
        _send_after_commit(email.id, job_id(email.id, 1))
    return email


def _send_after_commit(email_id, ident):
    from app.mail.jobs import send_email

    send_email.enqueue_after_commit(email_id, job_id=ident)


def _msgid_domain(sender):
    address = parseaddr(sender or current_app.config["MAIL_FROM"])[1]
    return address.rpartition("@")[2] or "localhost"


def emails_stmt(subject_type, subject_id):
    """The e-mails caused by one subject (e.g. "acts", 12), oldest first."""
    return (
        sa.select(OutboxEmail)
        .where(OutboxEmail.subject_type == subject_type, OutboxEmail.subject_id == subject_id)
        .order_by(OutboxEmail.created_at, OutboxEmail.id)
    )


def emails_for(subject_type, subject_id) -> list[OutboxEmail]:
    return list(db.session.scalars(emails_stmt(subject_type, subject_id)))


def unsent_query(now=None):
    """E-mails a person should look at, newest first: held, failed, retrying after an error,
    and stuck (queued long past due, or claimed by a worker that stopped answering)."""
    now = now or utcnow()
    stuck_before = now - timedelta(seconds=setting("MAIL_STUCK_SECONDS"))
    lease_before = now - timedelta(seconds=setting("MAIL_LEASE_SECONDS"))
    e = OutboxEmail
    return (
        sa.select(e)
        .where(
            sa.or_(
                e.status.in_(("held", "failed")),
                sa.and_(
                    e.status == "queued",
                    sa.or_(e.error_code.is_not(None), e.next_attempt_at < stuck_before),
                ),
                sa.and_(e.status == "sending", e.claimed_at < lease_before),
            )
        )
        .order_by(e.created_at.desc(), e.id.desc())
    )


#: Statuses in which a person may cancel an e-mail or record it delivered by other means (not
#: while a job is handing it to the server, nor once it is sent).
CLOSABLE = ("failed", "held", "queued")


def retry(email: OutboxEmail, actor_id=None, note=None) -> OutboxEmail:
    """A person's decision to try a failed e-mail again (a full series of attempts).

    Conditional, so two clicks queue it once; MailError if it is not failed. Flushes; the caller
    commits, and the job is enqueued after that. The Message-ID stays the same, so a recipient's
    mail system can recognise a copy that did arrive after an uncertain delivery.
    """
    result = db.session.execute(
        sa.update(OutboxEmail)
        .where(OutboxEmail.id == email.id, OutboxEmail.status == "failed")
        .values(
            status="queued",
            max_attempts=OutboxEmail.attempts + max_attempts(),
            next_attempt_at=utcnow(),
            data_started_at=None,
            claimed_at=None,
            error_code=None,
            error_detail=None,
            **_decision(actor_id, note),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise MailError(_l("Only an e-mail that failed can be sent again."), "status")
    db.session.refresh(email)
    _send_after_commit(email.id, job_id(email.id, email.attempts + 1))
    return email


def cancel(email: OutboxEmail, actor_id=None, note=None) -> OutboxEmail:
    """A person's decision that an unsent e-mail is not to be sent (failed, held or queued; a
    job that claims it later finds it cancelled and sends nothing). Conditional; flushes."""
    _close(email, "cancelled", _decision(actor_id, note))
    return email


def mark_delivered(email: OutboxEmail, delivered_on, note, actor_id=None) -> OutboxEmail:
    """A person's record that the message reached the recipient by other means (by hand, by
    post, another mailbox) on ``delivered_on``, with a note saying how. Conditional; flushes."""
    from app.core.clock import today

    if not (note or "").strip():
        raise MailError(_l("Say how and by whom it was delivered."), "note")
    if delivered_on is None:
        raise MailError(_l("Give the date of delivery."), "delivered_on")
    if delivered_on > today() or delivered_on < email.created_at.date() - timedelta(days=1):
        raise MailError(
            _l("The delivery date must be between the e-mail's creation and today."),
            "delivered_on",
        )
    _close(email, "delivered", {**_decision(actor_id, note), "delivered_on": delivered_on})
    return email


def _close(email, status, values):
    result = db.session.execute(
        sa.update(OutboxEmail)
        .where(OutboxEmail.id == email.id, OutboxEmail.status.in_(CLOSABLE))
        .values(status=status, next_attempt_at=None, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise MailError(
            _l("Only an e-mail that is not sent (failed, held or waiting) can be closed."),
            "status",
        )
    db.session.refresh(email)


def _decision(actor_id, note):
    return {
        "resolved_at": utcnow(),
        "resolved_by_id": actor_id,
        "resolution_note": (note or "").strip() or None,
    }
