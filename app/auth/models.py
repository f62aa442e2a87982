"""User accounts and their API tokens."""

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth import ROLES
from app.core.db import UTCDateTime, check_in, utcnow
from app.extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(check_in("role", ROLES), name="role"),
        sa.CheckConstraint("notify_mode IN ('digest', 'each')", name="notify_mode"),
        sa.CheckConstraint("locale IN ('uk', 'en')", name="locale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(20))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: Shown as the letter's executor (виконавець).
    phone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    locale: Mapped[str] = mapped_column(sa.String(5), default="uk", server_default="uk")
    #: How the user hears of their work: one daily e-mail, or an e-mail per event.
    notify_mode: Mapped[str] = mapped_column(
        sa.String(10), default="digest", server_default="digest"
    )
    #: Consecutive failed logins; reset on success.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[object | None] = mapped_column(UTCDateTime())
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[object | None] = mapped_column(UTCDateTime())

    tokens = relationship("ApiToken", back_populates="user", cascade="all, delete-orphan")

    def __repr__(self):
        return f"<User {self.email} {self.role}>"

    @property
    def is_admin(self):
        return self.role == "admin"

    @property
    def is_lawyer(self):
        return self.role == "lawyer"

    @property
    def is_monitor(self):
        return self.role == "monitor"

    def is_locked(self, now=None):
        return bool(self.locked_until and self.locked_until > (now or utcnow()))


class ApiToken(db.Model):
    """A bearer token for the REST API; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[object | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[object | None] = mapped_column(UTCDateTime())

    user = relationship(User, back_populates="tokens")
