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
    #: The TOTP secret, encrypted (twofactor.seal), once two-factor sign-in is confirmed
    #: (null: no second factor).
    totp_secret: Mapped[str | None] = mapped_column(sa.String(255))
    totp_enabled_at: Mapped[object | None] = mapped_column(UTCDateTime())
    #: The last TOTP time-step accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    #: Random key inside the iCalendar feed link (null: no link); a new one on password change.
    feed_key: Mapped[str | None] = mapped_column(sa.String(64))

    tokens = relationship("ApiToken", back_populates="user", cascade="all, delete-orphan")

    def __repr__(self):
        return f"<User {self.email} {self.role}>"

    @property
    def is_lawyer(self):
        return self.role == "lawyer"

    def is_locked(self, now=None):
        return bool(self.locked_until and self.locked_until > (now or utcnow()))

    @property
    def has_2fa(self):
        return self.totp_secret is not None

    #: The sign-in this user object was loaded through (set by the session loader).
    login_session = None

    def get_id(self):
        """Flask-Login keeps this in the session and the remember cookie: the sign-in's own
        random token, never the user id, so ending the sign-in ends both cookies."""
        return self.login_session_token

    login_session_token = None


class ApiToken(db.Model):
    """A bearer token for the REST API; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: What the owner calls it ("calendar sync", "import script").
    name: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[object | None] = mapped_column(UTCDateTime())
    #: Null: valid until revoked.
    expires_at: Mapped[object | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[object | None] = mapped_column(UTCDateTime())

    user = relationship(User, back_populates="tokens")

    def is_valid(self, now=None):
        now = now or utcnow()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class LoginSession(db.Model):
    """One sign-in on one browser. The session cookie and the remember-me cookie carry its
    random token (stored here hashed); logging out, changing the password or deactivation
    ends it, and the cookies stop working."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[object] = mapped_column(UTCDateTime())
    ended_at: Mapped[object | None] = mapped_column(UTCDateTime())
    #: Whether the user asked to be remembered (the cookie outlives the browser).
    is_remembered: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    ip: Mapped[str | None] = mapped_column(sa.String(64))
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))

    user = relationship(User)


class RecoveryCode(db.Model):
    """A one-time code for signing in without the authenticator; only its hash is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[object | None] = mapped_column(UTCDateTime())
