"""An authority's answer to an act, its position on each recommendation, its attached files."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, check_in, utcnow
from app.domain.responses import KINDS, POSITIONS, SOURCES, STATUSES
from app.domain.responses.files import CONTENT_TYPES
from app.extensions import db


class Response(db.Model):
    """The authority's letter answering an act (вх. № … від …)."""

    __tablename__ = "responses"
    __table_args__ = (
        sa.CheckConstraint(check_in("kind", KINDS), name="kind"),
        sa.CheckConstraint("length(incoming_number) > 0", name="incoming_number_not_empty"),
        sa.CheckConstraint(check_in("source", SOURCES), name="source"),
        sa.CheckConstraint(check_in("status", STATUSES), name="status"),
        # Only an answer waiting for (or returned by) a lawyer may lack its registration.
        sa.CheckConstraint(
            "status <> 'recorded' OR (kind IS NOT NULL AND received_on IS NOT NULL "
            "AND incoming_number IS NOT NULL)",
            name="recorded_is_registered",
        ),
        sa.Index("ix_responses_status_created", "status", "created_at"),
        sa.Index("ix_responses_act_received", "act_id", "received_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(sa.ForeignKey("acts.id", ondelete="RESTRICT"))
    #: Null while the answer waits for review (the lawyer chooses it when recording).
    kind: Mapped[str | None] = mapped_column(sa.String(12))
    #: The date the Secretariat received (registered) the letter.
    received_on: Mapped[object | None] = mapped_column(sa.Date)
    #: The authority's dispatch or postmark date: an answer posted by the due date is in time
    #: (Civil Code Art. 255 part 2). None when unknown (the receipt date counts then).
    sent_on: Mapped[object | None] = mapped_column(sa.Date)
    #: The incoming registration number (вх. №), given when the answer is recorded.
    incoming_number: Mapped[str | None] = mapped_column(sa.String(60))
    #: The letter's text or a summary of it.
    text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    source: Mapped[str] = mapped_column(sa.String(10), default="manual", server_default="manual")
    status: Mapped[str] = mapped_column(
        sa.String(10), default="recorded", server_default="recorded"
    )
    #: Who answered, as they typed it on the portal (or the sender of an e-mail).
    responder_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    responder_position: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    responder_phone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    responder_email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    #: The authority's own outgoing number of its answer, if it gave one.
    sender_number: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    #: The portal link the answer came through.
    portal_link_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("portal_links.id", ondelete="SET NULL"), index=True
    )
    #: When a lawyer recorded or returned an answer that came by itself.
    reviewed_at: Mapped[object | None] = mapped_column(UTCDateTime())
    #: The lawyer's question when the answer was returned to the authority.
    review_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    act = relationship("Act")
    recorded_by = relationship("User")
    positions = relationship(
        "ResponsePosition",
        back_populates="response",
        order_by="ResponsePosition.recommendation_id",
        cascade="all, delete-orphan",
    )
    files = relationship(
        "ResponseFile",
        back_populates="response",
        order_by="ResponseFile.id",
        cascade="all, delete-orphan",
    )

    def __repr__(self):
        return f"<Response {self.id} act={self.act_id} {self.kind}>"

    @property
    def is_substantive(self):
        return self.kind == "substantive"

    @property
    def is_recorded(self):
        return self.status == "recorded"


class ResponsePosition(db.Model):
    """What the authority says it did about one recommendation of the act."""

    __tablename__ = "response_positions"
    __table_args__ = (
        sa.CheckConstraint(check_in("position", POSITIONS), name="position"),
        sa.UniqueConstraint(
            "response_id", "recommendation_id", name="uq_response_positions_response_rec"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("responses.id", ondelete="CASCADE"))
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[str] = mapped_column(sa.String(30))
    comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: When the authority plans to finish (a position "in_progress" given on the portal).
    planned_on: Mapped[object | None] = mapped_column(sa.Date)

    response = relationship(Response, back_populates="positions")
    recommendation = relationship(
        "Recommendation",
        backref=sa.orm.backref("response_positions", order_by="ResponsePosition.id", viewonly=True),
    )


class ResponseFile(db.Model):
    """A file attached to an answer (the scanned letter, its annexes); type checked by content."""

    __tablename__ = "response_files"
    __table_args__ = (
        sa.CheckConstraint(check_in("content_type", CONTENT_TYPES), name="content_type"),
        sa.CheckConstraint("size > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("responses.id", ondelete="CASCADE"), index=True
    )
    #: The recommendation the file is evidence for (portal answers); null: the whole answer.
    recommendation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="SET NULL")
    )
    #: The name to download it under (the uploaded name, its extension matching the content).
    filename: Mapped[str] = mapped_column(sa.String(255))
    #: Found from the content (magic bytes), never from the name or the client.
    content_type: Mapped[str] = mapped_column(sa.String(100))
    #: Relative to STORAGE_DIR.
    path: Mapped[str] = mapped_column(sa.String(400), unique=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)

    response = relationship(Response, back_populates="files")
