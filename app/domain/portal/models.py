"""An act's answer link: only the token's sha256 and the nonce it is derived from are stored."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, utcnow
from app.extensions import db


class PortalLink(db.Model):
    """A personal link ``/respond/TOKEN`` through which the act's authority answers."""

    __tablename__ = "portal_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(sa.ForeignKey("acts.id", ondelete="CASCADE"), index=True)
    #: Random; the token is an HMAC of it under a key derived from SECRET_KEY (never stored).
    nonce: Mapped[str] = mapped_column(sa.String(64))
    #: sha256 of the token, how a request finds its link.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[object] = mapped_column(UTCDateTime())
    revoked_at: Mapped[object | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    last_used_at: Mapped[object | None] = mapped_column(UTCDateTime())

    act = relationship("Act")

    def is_open(self, now):
        return self.revoked_at is None and self.expires_at > now
