"""Account operations: create users, authenticate with lockout, issue and check API tokens."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from app.auth.models import ApiToken, User
from app.core.db import utcnow
from app.core.security import hash_password, hash_token, needs_rehash, new_token, verify_password
from app.extensions import db

MIN_PASSWORD = 10


class AuthError(Exception):
    """A login that did not succeed; ``code`` is 'invalid' or 'locked'."""

    def __init__(self, code, until=None):
        super().__init__(code)
        self.code = code
        self.until = until


def find_user(email):
    email = (email or "").strip().lower()
    return db.session.scalar(sa.select(User).where(User.email == email))


def create_user(email, name, role, password=None, phone="", locale="uk"):
    """Create an account; the caller has validated the values."""
    user = User(
        email=email.strip().lower(),
        name=name.strip(),
        role=role,
        phone=phone or "",
        locale=locale,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user, data):
    """Apply an administrator's edit; a deactivated user loses their API tokens."""
    user.email = data["email"].strip().lower()
    user.name = data["name"].strip()
    user.role = data["role"]
    user.phone = data.get("phone") or ""
    user.is_active = bool(data["is_active"])
    if data.get("password"):
        set_password(user, data["password"])
    if not user.is_active:
        revoke_tokens(user)


def set_password(user, password):
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None


def authenticate(email, password):
    """Return the user, or raise AuthError. Failed attempts lock the account for a while.

    The counter is updated with a single UPDATE so parallel guesses cannot slip past the limit.
    """
    user = find_user(email)
    now = utcnow()
    if user is not None and user.is_locked(now):
        raise AuthError("locked", user.locked_until)
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        if user is not None:
            _count_failure(user, now)
        raise AuthError("invalid")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _count_failure(user, now):
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    lock = timedelta(seconds=current_app.config["LOGIN_LOCK_SECONDS"])
    db.session.execute(
        sa.update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
    )
    db.session.refresh(user)
    if user.failed_logins >= limit:
        user.locked_until = now + lock
        user.failed_logins = 0


def issue_token(user):
    """Create a new API token for ``user`` and return its clear text (shown once)."""
    token = new_token()
    db.session.add(ApiToken(user=user, token_hash=hash_token(token)))
    db.session.flush()
    return token


def user_for_token(token):
    if not token:
        return None
    row = db.session.scalar(
        sa.select(ApiToken).where(
            ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None or not row.user.is_active:
        return None
    from app.auth.token_use import note_use

    note_use(row)  # in Redis: the request itself never writes for its bookkeeping
    return row.user


def revoke_tokens(user):
    for token in user.tokens:
        if token.revoked_at is None:
            token.revoked_at = utcnow()
