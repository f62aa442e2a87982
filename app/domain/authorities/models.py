"""The authority registry."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, check_in, utcnow
from app.domain.codes import AUTHORITY_KINDS
from app.extensions import db


class Authority(db.Model):
    __tablename__ = "authorities"
    __table_args__ = (
        sa.CheckConstraint(check_in("kind", AUTHORITY_KINDS), name="kind"),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        sa.CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    postal_address: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    #: The head's position as a letter addresses it, in the dative: «Міністрові юстиції України».
    head_title: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    #: The head's name as a letter addresses it, in the dative: «Ользі СТЕФАНІШИНІЙ».
    head_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    #: The supervising authority (орган управління); escalation goes up this chain.
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("authorities.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    parent = relationship("Authority", remote_side=[id], back_populates="children")
    children = relationship("Authority", back_populates="parent", order_by="Authority.name")

    def __repr__(self):
        return f"<Authority {self.id} {self.name}>"

    def ancestors(self):
        """The chain of supervising authorities, nearest first."""
        chain, node, seen = [], self.parent, {self.id}
        while node is not None and node.id not in seen:
            chain.append(node)
            seen.add(node.id)
            node = node.parent
        return chain
