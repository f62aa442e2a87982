"""The facility registry."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, check_in, utcnow
from app.domain.codes import FACILITY_TYPES, REGIONS
from app.extensions import db


class Facility(db.Model):
    __tablename__ = "facilities"
    __table_args__ = (
        sa.CheckConstraint(check_in("type", FACILITY_TYPES), name="type"),
        sa.CheckConstraint(check_in("region", REGIONS), name="region"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity"),
        sa.CheckConstraint("length(name) > 0", name="name_not_empty"),
        sa.UniqueConstraint("name", "region", name="uq_facilities_name_region"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    type: Mapped[str] = mapped_column(sa.String(30), index=True)
    region: Mapped[str] = mapped_column(sa.String(5), index=True)
    address: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    capacity: Mapped[int | None]
    #: The supervising authority (ministry, agency, regional body or council).
    authority_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("authorities.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    authority = relationship("Authority", backref="facilities")

    def __repr__(self):
        return f"<Facility {self.id} {self.name}>"
