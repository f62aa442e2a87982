"""One row per message read from the office mailbox, whatever became of it."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, check_in, utcnow
from app.domain.inbox import MATCHES, REASONS, STATES
from app.extensions import db


class InboxMessage(db.Model):
    """A message of the mailbox: where it was (folder, UIDVALIDITY, UID), what it is, where it
    went. The UID triple is unique: a message is stored once however often it is fetched."""

    __tablename__ = "inbox_messages"
    __table_args__ = (
        sa.CheckConstraint(check_in("state", STATES), name="state"),
        sa.CheckConstraint(
            "matched_by IS NULL OR " + check_in("matched_by", MATCHES), name="matched_by"
        ),
        sa.CheckConstraint(
            "reason_code IS NULL OR " + check_in("reason_code", tuple(REASONS)), name="reason"
        ),
        sa.UniqueConstraint("folder", "uidvalidity", "uid", name="uq_inbox_messages_uid"),
        sa.Index("ix_inbox_messages_state_received", "state", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    folder: Mapped[str] = mapped_column(sa.String(200))
    uidvalidity: Mapped[int] = mapped_column(sa.BigInteger)
    uid: Mapped[int] = mapped_column(sa.BigInteger)
    #: The sha256 of the raw message: a message seen again under a new UIDVALIDITY is known.
    raw_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    message_id: Mapped[str | None] = mapped_column(sa.String(998), index=True)
    from_addr: Mapped[str] = mapped_column(sa.String(320), default="", server_default="")
    from_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    subject: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The message's Date header (the server's arrival time when it has none or a bad one).
    received_at: Mapped[object] = mapped_column(UTCDateTime())
    fetched_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    #: The original, downloadable: the storage path of the .eml.
    eml_path: Mapped[str] = mapped_column(sa.String(400), unique=True)
    #: The reply's own text without the quoted part (for reading and for the response).
    text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: [{"filename", "content_type", "size", "problem"}]: problem None when it was accepted.
    attachments: Mapped[list] = mapped_column(sa.JSON, default=list)
    state: Mapped[str] = mapped_column(sa.String(12))
    reason_code: Mapped[str | None] = mapped_column(sa.String(24))
    reason_detail: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    matched_by: Mapped[str | None] = mapped_column(sa.String(16))
    act_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("acts.id", ondelete="SET NULL"), index=True
    )
    response_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("responses.id", ondelete="SET NULL")
    )
    #: The e-mail of ours a bounce or automatic reply is about.
    outbox_email_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outbox_emails.id", ondelete="SET NULL"), index=True
    )
    filed_at: Mapped[object | None] = mapped_column(UTCDateTime())
    filed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: When the message was moved to the filed folder (or flagged) on the server.
    moved_at: Mapped[object | None] = mapped_column(UTCDateTime())

    act = relationship("Act")
    response = relationship("Response")
    outbox_email = relationship("OutboxEmail")
    filed_by = relationship("User")

    def __repr__(self):
        return f"<InboxMessage {self.id} {self.state} uid={self.uid}>"

    @property
    def reason(self):
        """Why it is in its state, in the reader's language."""
        message = REASONS.get(self.reason_code)
        if message is None:
            return ""
        return str(message) % {"detail": self.reason_detail or ""}

    @property
    def accepted_attachments(self):
        return [a for a in self.attachments or [] if not a.get("problem")]


class ScannedText(db.Model):
    """The text recognised (OCR) in a PDF answer without a text layer; it joins the search."""

    __tablename__ = "scanned_texts"
    __table_args__ = (
        sa.CheckConstraint(check_in("status", ("done", "has_text", "failed")), name="status"),
    )

    #: One row per response file (also the full-text index's row id).
    file_id: Mapped[int] = mapped_column(
        sa.ForeignKey("response_files.id", ondelete="CASCADE"), primary_key=True
    )
    #: done: recognised; has_text: the PDF had a text layer (its text is kept); failed: see error.
    status: Mapped[str] = mapped_column(sa.String(10))
    text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    error: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)

    file = relationship("ResponseFile")
