"""What a follow-up visit found about an earlier recommendation, and the photos it took."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, check_in, utcnow
from app.extensions import db

#: verified: done (the recommendation is verified); partly: some of it done (it stays open);
#: not_done: a repeated recommendation is drafted in the follow-up visit.
RESULTS = ("verified", "partly", "not_done")
PHOTO_TYPES = ("image/jpeg", "image/png")


class Finding(db.Model):
    __tablename__ = "findings"
    __table_args__ = (sa.CheckConstraint(check_in("result", RESULTS), name="result"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("visits.id", ondelete="CASCADE"), index=True
    )
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    result: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)

    visit = relationship("Visit")
    recommendation = relationship("Recommendation")
    created_by = relationship("User")
    photos = relationship(
        "FindingPhoto",
        back_populates="finding",
        cascade="all, delete-orphan",
        order_by="FindingPhoto.id",
    )


class FindingPhoto(db.Model):
    """A photo of the finding, re-encoded on upload (no EXIF: no location, no camera)."""

    __tablename__ = "finding_photos"
    __table_args__ = (
        sa.CheckConstraint(check_in("content_type", PHOTO_TYPES), name="content_type"),
        sa.CheckConstraint("size > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        sa.ForeignKey("findings.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    path: Mapped[str] = mapped_column(sa.String(400), unique=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)

    finding = relationship("Finding", back_populates="photos")
