"""The recommendation case."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, check_in, utcnow
from app.domain.codes import PRIORITIES, THEMES
from app.domain.recommendations import STATES
from app.extensions import db
from app.workflow import WorkflowSubjectMixin


class Recommendation(WorkflowSubjectMixin, db.Model):
    __tablename__ = "recommendations"
    __workflow__ = "recommendation"
    __table_args__ = (
        sa.CheckConstraint(check_in("state", STATES), name="state"),
        sa.CheckConstraint(check_in("theme", THEMES), name="theme"),
        sa.CheckConstraint(check_in("priority", PRIORITIES), name="priority"),
        sa.CheckConstraint("length(text) > 0", name="text_not_empty"),
        sa.CheckConstraint("previous_id IS NULL OR previous_id <> id", name="not_own_previous"),
        sa.Index("ix_recommendations_authority_state", "authority_id", "state"),
        sa.Index("ix_recommendations_facility_state", "facility_id", "state"),
        # An index, not a table constraint: adding it needs no rebuild of the table on SQLite.
        sa.Index("uq_recommendations_external_id", "external_id", unique=True),
        # Also ix_expr_recommendations_open_order (overdue first, then by due date: the
        # monitor's home page), an expression index that lives in the migrations only.
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("visits.id", ondelete="RESTRICT"), index=True
    )
    #: Copied from the visit, so lists and statistics need no join through visits.
    facility_id: Mapped[int] = mapped_column(sa.ForeignKey("facilities.id", ondelete="RESTRICT"))
    #: The addressee: the facility's head or its supervising authority.
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(sa.Text)
    theme: Mapped[str] = mapped_column(sa.String(20))
    priority: Mapped[str] = mapped_column(sa.String(10), default="medium")
    #: The earlier recommendation this one repeats (a follow-up visit found the same problem).
    previous_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="RESTRICT"), index=True
    )
    #: The authority's legal term for this recommendation (set when an act carrying it is sent).
    due_on: Mapped[object | None] = mapped_column(sa.Date, index=True)
    #: The identifier the recommendation had in a spreadsheet it was imported from: importing
    #: the same identifier again updates this row instead of adding another.
    external_id: Mapped[str | None] = mapped_column(sa.String(100))
    #: An act of the past carrying it (before the register of this application): its outgoing
    #: number and date, and the date of the answer — history, outside today's gap-free register.
    legacy_outgoing_number: Mapped[str | None] = mapped_column(sa.String(60))
    legacy_sent_on: Mapped[object | None] = mapped_column(sa.Date)
    legacy_answered_on: Mapped[object | None] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: The lawyer who looks after the case (assigned on the list, one case or many at once).
    lawyer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    visit = relationship("Visit", backref="recommendations")
    facility = relationship("Facility")
    authority = relationship("Authority")
    previous = relationship("Recommendation", remote_side=[id], backref="repeated_by")
    created_by = relationship("User", foreign_keys=[created_by_id])
    lawyer = relationship("User", foreign_keys=[lawyer_id])

    def __repr__(self):
        return f"<Recommendation {self.id} {self.state}>"
