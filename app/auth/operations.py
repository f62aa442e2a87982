"""Account operations: users, authentication with lockout, passwords, API tokens."""

import hashlib
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from app.auth import sessions
from app.auth.models import ApiToken, User
from app.auth.passwords import MIN_PASSWORD, password_problems  # noqa: F401  (re-exported)
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.security import (
    burn_hash,
    hash_password,
    hash_token,
    needs_rehash,
    new_token,
    verify_password,
)
from app.extensions import db


class AuthError(Exception):
    """A login that did not succeed; ``code`` is 'invalid' or 'locked'."""

    def __init__(self, code, until=None):
        super().__init__(code)
        self.code = code
        self.until = until


def find_user(email):
    email = (email or "").strip().lower()
    if "\x00" in email:
        return None
    return db.session.scalar(sa.select(User).where(User.email == email))


def create_user(email, name, role, password=None, phone="", locale="uk", actor=None):
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
    record_audit("user.created", actor, subject=user, details={"email": user.email, "role": role})
    return user


def update_user(user, data, actor=None):
    """Apply an administrator's edit; deactivation ends the user's sign-ins and API tokens."""
    before = {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "is_active": user.is_active,
    }
    user.email = data["email"].strip().lower()
    user.name = data["name"].strip()
    user.role = data["role"]
    user.phone = data.get("phone") or ""
    user.is_active = bool(data["is_active"])
    changes = {
        key: [old, getattr(user, key)] for key, old in before.items() if getattr(user, key) != old
    }
    if "role" in changes:
        record_audit("user.role_changed", actor, subject=user, details={"role": changes["role"]})
    if changes:
        record_audit("user.updated", actor, subject=user, details=changes)
    if data.get("password"):
        set_password(user, data["password"], actor)
    if not user.is_active:
        revoke_tokens(user, actor)
        sessions.end_all_sessions(user)


def set_password(user, password, actor=None, keep=None):
    """A new password ends every other sign-in and renews the calendar feed link."""
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    if user.feed_key is not None:
        user.feed_key = new_token()
    sessions.end_all_sessions(user, keep=keep)
    record_audit("user.password_changed", actor, subject=user)


def authenticate(email, password):
    """Check the password step; return the user or raise AuthError.

    The account's row is locked while the password is checked, so parallel guesses take turns
    and the lockout holds. Unknown e-mails cost the same hash and are "locked" after as many
    attempts, so neither timing nor messages tell which accounts exist.
    """
    now = utcnow()
    found = find_user(email)
    if found is None:
        burn_hash(password)
        _count_unknown(email, now)  # raises
    user = sessions.user_by_id_for_update(found.id)
    if user.is_locked(now):
        burn_hash(password)
        record_audit("login.refused_locked", actor_label=user.email, subject=user)
        raise AuthError("locked", user.locked_until)
    if not verify_password(user.password_hash, password) or not user.is_active:
        register_failure(user, now, "login.failed")
        raise AuthError("invalid")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def register_failure(user, now=None, event="login.failed"):
    """Count a failed step (password or second factor) of a locked row; lock at the limit."""
    now = now or utcnow()
    record_audit(event, actor_label=user.email, subject=user)
    user.failed_logins += 1
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = now + timedelta(seconds=current_app.config["LOGIN_LOCK_SECONDS"])
        user.failed_logins = 0
        until = user.locked_until.isoformat()
        record_audit("login.locked", actor_label=user.email, subject=user, details={"until": until})


def _count_unknown(email, now):
    """Failures on an e-mail without an account, counted in Redis like a real account's."""
    from app.core.redis import get_redis

    config = current_app.config
    email = (email or "").strip().lower().replace("\x00", "")
    record_audit("login.failed", actor_label=email, details={"unknown": True})
    key = f"{config['REDIS_PREFIX']}:login-unknown:{hashlib.sha256(email.encode()).hexdigest()}"
    conn = get_redis()
    until = conn.get(key + ":locked")
    if until is not None and float(until) > now.timestamp():
        raise AuthError("locked", datetime.fromtimestamp(float(until), UTC))
    count = conn.incr(key)
    conn.expire(key, 24 * 3600)
    if count >= config["LOGIN_MAX_FAILURES"]:
        lock = now + timedelta(seconds=config["LOGIN_LOCK_SECONDS"])
        conn.set(key + ":locked", lock.timestamp(), ex=config["LOGIN_LOCK_SECONDS"])
        conn.delete(key)
    raise AuthError("invalid")


def finish_login(user, remember, method="password"):
    """Every step passed: reset the counter and open the sign-in; returns its token."""
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    token = sessions.start_session(user, remember)
    record_audit("login.succeeded", user, subject=user, details={"method": method})
    return token


def issue_token(user, name="", expires_at=None, actor=None):
    """Create a new API token for ``user`` and return its clear text (shown once)."""
    token = new_token()
    row = ApiToken(
        user=user,
        token_hash=hash_token(token),
        name=(name or "").strip()[:100],
        expires_at=expires_at,
    )
    db.session.add(row)
    db.session.flush()
    record_audit(
        "token.created", actor or user, subject=row, details={"user_id": user.id, "name": row.name}
    )
    return token


def user_for_token(token):
    if not token or len(token) > 200:
        return None
    row = db.session.scalar(
        sa.select(ApiToken).where(
            ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None)
        )
    )
    now = utcnow()
    if row is None or not row.is_valid(now) or not row.user.is_active:
        return None
    from app.auth.token_use import note_use

    note_use(row)  # in Redis: the request itself never writes for its bookkeeping
    return row.user


def revoke_token(row, actor):
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record_audit(
            "token.revoked", actor, subject=row, details={"user_id": row.user_id, "name": row.name}
        )


def revoke_tokens(user, actor=None):
    for token in user.tokens:
        if token.revoked_at is None:
            revoke_token(token, actor)


def own_row(model, row_id, user):
    """The user's own row, or None (also for ids no database column can hold)."""
    row = db.session.get(model, row_id) if 0 < row_id < 2**63 else None
    return row if row is not None and row.user_id == user.id else None
