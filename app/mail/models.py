"""The outbox: one row per e-mail, written in the transaction of the change that causes it."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, synonym

from app.core.db import UTCDateTime, check_in, utcnow
from app.extensions import db

#: queued: waiting for a job (next_attempt_at); sending: claimed by a job; sent: the server
#: accepted it; failed: given up, a person must look; held: not sent, SMTP is not configured;
#: cancelled: a person decided it is not to be sent; delivered: a person recorded that it reached
#: the recipient by other means (``delivered_on``, ``resolution_note``); bounced: sent, but the
#: recipient's mail system reported it undeliverable (a DSN read from the office mailbox).
STATUSES = ("queued", "sending", "sent", "failed", "held", "cancelled", "delivered", "bounced")

#: Why the e-mail is not (yet) sent; the text a lawyer reads is chosen at display time, in the
#: reader's language, from this code and the technical ``error_detail``.
ERROR_MESSAGES = {
    "not_configured": _l("not sent: SMTP not configured"),
    "retrying": _l("Not sent yet (a temporary error); it will be tried again: %(detail)s"),
    "interrupted": _l(
        "The sending was interrupted before the message reached the mail server; "
        "it will be tried again."
    ),
    "gave_up": _l("Not sent; attempts made: %(attempts)s. Last error: %(detail)s"),
    "rejected": _l("The mail server refused the message: %(detail)s"),
    "error": _l("Not sent: %(detail)s"),
    "attachment": _l("Not sent: an attached document is missing or has changed: %(detail)s"),
    "uncertain": _l(
        "Delivery uncertain: the connection was lost while the message was being handed to the "
        "mail server, so it may or may not have arrived. Check with the recipient before "
        "sending it again. (%(detail)s)"
    ),
    "bounced": _l("Not delivered: the recipient's mail system returned it: %(detail)s"),
}


class OutboxEmail(db.Model):
    """An e-mail and its delivery state; the sending job changes it only by conditional UPDATEs."""

    __tablename__ = "outbox_emails"
    __table_args__ = (
        sa.CheckConstraint(check_in("status", STATUSES), name="status"),
        sa.CheckConstraint(
            "error_code IS NULL OR " + check_in("error_code", tuple(ERROR_MESSAGES)),
            name="error_code",
        ),
        sa.CheckConstraint("attempts >= 0 AND max_attempts >= 1", name="attempts"),
        sa.CheckConstraint("status <> 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
        sa.CheckConstraint("status <> 'sending' OR claimed_at IS NOT NULL", name="sending_claimed"),
        sa.CheckConstraint(
            "status <> 'delivered' OR delivered_on IS NOT NULL", name="delivered_has_date"
        ),
        sa.Index("ix_outbox_emails_subject", "subject_type", "subject_id"),
        sa.Index("ix_outbox_emails_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Recipients, each a validated ASCII address: JSON lists of strings.
    to_addrs: Mapped[list] = mapped_column(sa.JSON)
    cc_addrs: Mapped[list] = mapped_column(sa.JSON, default=list)
    reply_to: Mapped[str | None] = mapped_column(sa.String(254))
    #: The From header; None means MAIL_FROM as configured when the message is sent.
    sender: Mapped[str | None] = mapped_column(sa.String(320))
    subject: Mapped[str] = mapped_column(sa.String(998))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    #: [{filename, content_type, path (relative to STORAGE_DIR), sha256, size}, ...]
    attachments: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: What caused the e-mail, generically (e.g. "acts", 12): mail knows no domain models.
    subject_type: Mapped[str | None] = mapped_column(sa.String(80))
    subject_id: Mapped[int | None] = mapped_column(sa.Integer)

    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    #: Attempts started so far; also the claim number that fences a job's later updates.
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    max_attempts: Mapped[int] = mapped_column(sa.Integer)
    #: When a queued e-mail is due; the dispatcher enqueues due rows that no job took.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the current attempt was claimed; with MAIL_LEASE_SECONDS, tells a dead worker.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set (and committed) just before the SMTP DATA command of the current attempt: from then
    #: on the server may have the message, so it is never sent again automatically.
    data_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A key of ERROR_MESSAGES, and the technical detail (SMTP reply, exception) untranslated.
    error_code: Mapped[str | None] = mapped_column(sa.String(20))
    error_detail: Mapped[str | None] = mapped_column(sa.Text)
    #: "<...@domain>", made at creation so every attempt sends the same Message-ID.
    message_id: Mapped[str] = mapped_column(sa.String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: A person's decision on an e-mail that failed or was held: retried, cancelled or delivered
    #: by other means; who, when, and their note (the last decision; each is also audited).
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    resolution_note: Mapped[str | None] = mapped_column(sa.Text)
    #: For "delivered by other means": the day the recipient got it (by hand, post, fax…).
    delivered_on: Mapped[object | None] = mapped_column(sa.Date)

    #: The API's name for the recipients.
    to = synonym("to_addrs")

    def __repr__(self) -> str:
        return f"<OutboxEmail {self.id} {self.status} {self.subject_type}#{self.subject_id}>"

    @property
    def last_error(self) -> str | None:
        """Why it is not sent, in the reader's language (None once sent or while all is well)."""
        message = ERROR_MESSAGES.get(self.error_code)
        if message is None:
            return None
        return str(message) % {"detail": self.error_detail or "", "attempts": self.attempts}
