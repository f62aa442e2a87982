"""Acts, the recommendations they carry, their documents and the outgoing-number register."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, check_in, utcnow
from app.domain.acts import CHANNELS, DOCUMENTS_STATUSES, KINDS, STATES
from app.extensions import db
from app.workflow import WorkflowSubjectMixin

act_recommendations = sa.Table(
    "act_recommendations",
    db.metadata,
    sa.Column("act_id", sa.ForeignKey("acts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "recommendation_id",
        sa.ForeignKey("recommendations.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
    #: The recommendation's number in the letter.
    sa.Column("position", sa.Integer, nullable=False),
)


class Act(WorkflowSubjectMixin, db.Model):
    __tablename__ = "acts"
    __workflow__ = "act"
    __table_args__ = (
        sa.CheckConstraint(check_in("kind", KINDS), name="kind"),
        sa.CheckConstraint(check_in("state", STATES), name="state"),
        sa.CheckConstraint(
            check_in("documents_status", DOCUMENTS_STATUSES), name="documents_status"
        ),
        sa.CheckConstraint(f"channel IS NULL OR {check_in('channel', CHANNELS)}", name="channel"),
        sa.CheckConstraint(
            "received_on IS NULL OR received_on >= sent_on", name="received_after_sent"
        ),
        sa.CheckConstraint(
            "outgoing_number IS NULL OR state <> 'draft'", name="draft_has_no_number"
        ),
        sa.UniqueConstraint("outgoing_year", "outgoing_seq", name="uq_acts_outgoing_year_seq"),
        sa.Index("ix_acts_authority_state", "authority_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id", ondelete="RESTRICT"))
    #: «Про …», the letter's heading.
    heading: Mapped[str] = mapped_column(sa.String(500))
    #: Free parts of the letter a lawyer may edit before generating (Markdown).
    opening: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    closing: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The letter answered («На № … від …»), when there is one.
    reference_number: Mapped[str | None] = mapped_column(sa.String(60))
    reference_on: Mapped[object | None] = mapped_column(sa.Date)
    #: For reminders and escalations: the act whose term passed.
    previous_act_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("acts.id", ondelete="RESTRICT")
    )
    signatory_position: Mapped[str] = mapped_column(sa.String(300))
    signatory_name: Mapped[str] = mapped_column(sa.String(200))
    #: The lawyer shown as executor (виконавець); their name, phone and e-mail go in the letter.
    executor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    outgoing_number: Mapped[str | None] = mapped_column(sa.String(60), unique=True)
    outgoing_year: Mapped[int | None]
    outgoing_seq: Mapped[int | None]
    #: The date of the outgoing number: the day the act was registered (sent). Numbers follow
    #: these dates; the letter bears this date (ДСТУ 4163: the date of registration).
    registered_on: Mapped[object | None] = mapped_column(sa.Date)
    sent_on: Mapped[object | None] = mapped_column(sa.Date)
    received_on: Mapped[object | None] = mapped_column(sa.Date)
    #: True while ``received_on`` is an estimate (post: sending + POST_DELIVERY_DAYS; e-mail:
    #: the sending date until the authority's server accepted the message).
    received_on_assumed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    channel: Mapped[str | None] = mapped_column(sa.String(10))
    due_on: Mapped[object | None] = mapped_column(sa.Date, index=True)
    documents_status: Mapped[str] = mapped_column(
        sa.String(10), default="none", server_default="none"
    )
    #: Why the last generation failed, shown to the lawyer.
    documents_error: Mapped[str | None] = mapped_column(sa.Text)
    #: Identifies the generation request a job serves, so a stale or repeated job does nothing.
    documents_token: Mapped[str | None] = mapped_column(sa.String(40))
    #: When the current documents were asked for; a request pending too long with no live job
    #: is run again (or given up) by the periodic recovery.
    documents_requested_at: Mapped[object | None] = mapped_column(UTCDateTime())
    #: When the act's e-mail was put in the outbox (after its registered documents were made);
    #: set by the one transaction that queues it, so it is queued once.
    email_queued_at: Mapped[object | None] = mapped_column(UTCDateTime())
    #: Why the e-mail could not be put in the outbox (shown to the lawyer, Ukrainian).
    email_error: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: How the personal data found in the act's texts was resolved: {"decision": "anonymise" |
    #: "consent", "note", "fingerprint" (of the texts screened), "by", "at"}; None: not yet.
    personal_data_review: Mapped[dict | None] = mapped_column(sa.JSON)
    #: A legal hold (litigation, an inquiry): while set, retention deletes nothing of the act —
    #: its documents, e-mails and responses. The reason is required.
    legal_hold_reason: Mapped[str | None] = mapped_column(sa.Text)
    legal_hold_at: Mapped[object | None] = mapped_column(UTCDateTime())
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    authority = relationship("Authority")
    executor = relationship("User", foreign_keys=[executor_id])
    previous_act = relationship("Act", remote_side=[id])
    recommendations = relationship(
        "Recommendation",
        secondary=act_recommendations,
        order_by=act_recommendations.c.position,
        backref=sa.orm.backref("acts", order_by="Act.id"),
    )
    documents = relationship("Document", back_populates="act", order_by="Document.id")
    attachments = relationship("ActAttachment", back_populates="act", order_by="ActAttachment.id")

    def __repr__(self):
        return f"<Act {self.id} {self.kind} {self.state}>"

    def latest(self, fmt):
        docs = [d for d in self.documents if d.format == fmt]
        return docs[-1] if docs else None


class Document(db.Model):
    """A generated file of an act; every generation before sending adds a version."""

    __tablename__ = "documents"
    __table_args__ = (
        sa.CheckConstraint("format IN ('docx', 'pdf')", name="format"),
        sa.UniqueConstraint("act_id", "format", "version", name="uq_documents_act_format_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(sa.ForeignKey("acts.id", ondelete="RESTRICT"), index=True)
    format: Mapped[str] = mapped_column(sa.String(5))
    version: Mapped[int]
    filename: Mapped[str] = mapped_column(sa.String(200))
    #: Relative to STORAGE_DIR.
    path: Mapped[str] = mapped_column(sa.String(400), unique=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    #: The registered version: carries the outgoing number and was (or is being) sent.
    is_final: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)

    act = relationship(Act, back_populates="documents")

    @property
    def content_type(self):
        return {
            "pdf": "application/pdf",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }[self.format]


class OutgoingCounter(db.Model):
    """The outgoing register: the last number given in each year (gap-free, one row a year)."""

    __tablename__ = "outgoing_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(default=0)


class ActHold(db.Model):
    """Which act holds a recommendation open (a draft, or sent and awaiting the answer): at most
    one at a time, by the primary key. A reminder or escalation takes the hold over from the act
    it follows; answering, closing or cancelling an act releases it (see ``holds``)."""

    __tablename__ = "act_holds"

    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    act_id: Mapped[int] = mapped_column(sa.ForeignKey("acts.id", ondelete="CASCADE"), index=True)


class ActAttachment(db.Model):
    """A file sent with the act (the visit report, photos): «Додаток: … на N арк.»."""

    __tablename__ = "act_attachments"
    __table_args__ = (
        sa.CheckConstraint("sheets >= 1", name="sheets_positive"),
        sa.CheckConstraint("length(title) > 0", name="title_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(sa.ForeignKey("acts.id", ondelete="CASCADE"), index=True)
    #: How the attachment note names it: «звіт за результатами моніторингового візиту».
    title: Mapped[str] = mapped_column(sa.String(300))
    #: Sheets of paper it takes (арк.), counted for a PDF, entered otherwise.
    sheets: Mapped[int] = mapped_column(default=1)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    #: Relative to STORAGE_DIR.
    path: Mapped[str] = mapped_column(sa.String(400), unique=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)

    act = relationship(Act, back_populates="attachments")


class LetterTemplateVersion(db.Model):
    """An administrator's version of a letter template or of the letter settings (the
    letterhead and signatory, as JSON under the name ``settings``); the newest wins over the
    file in letter_templates/."""

    __tablename__ = "letter_template_versions"
    __table_args__ = (
        sa.UniqueConstraint("name", "version", name="uq_letter_template_versions_name_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    version: Mapped[int]
    body: Mapped[str] = mapped_column(sa.Text)
    comment: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)

    created_by = relationship("User")
