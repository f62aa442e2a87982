"""Visits and the monitors who took part."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, check_in, utcnow
from app.domain.codes import VISIT_KINDS
from app.extensions import db

visit_monitors = sa.Table(
    "visit_monitors",
    db.metadata,
    sa.Column("visit_id", sa.ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "user_id", sa.ForeignKey("users.id", ondelete="RESTRICT"), primary_key=True, index=True
    ),
)


class Visit(db.Model):
    __tablename__ = "visits"
    __table_args__ = (
        sa.CheckConstraint(check_in("kind", VISIT_KINDS), name="kind"),
        sa.CheckConstraint("ended_on >= started_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(
        sa.ForeignKey("facilities.id", ondelete="RESTRICT"), index=True
    )
    started_on: Mapped[object] = mapped_column(sa.Date, index=True)
    ended_on: Mapped[object] = mapped_column(sa.Date)
    kind: Mapped[str] = mapped_column(sa.String(20))
    summary: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: Outside participants (experts, interpreters), one name per line.
    participants: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    facility = relationship("Facility")
    monitors = relationship("User", secondary=visit_monitors, order_by="User.name")

    def __repr__(self):
        return f"<Visit {self.id} {self.started_on}>"

    @property
    def monitor_ids(self):
        return [u.id for u in self.monitors]

    @property
    def participant_list(self):
        return [line.strip() for line in self.participants.splitlines() if line.strip()]

    def has_member(self, user):
        return any(u.id == user.id for u in self.monitors)
