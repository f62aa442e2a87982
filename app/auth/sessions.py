"""Sign-ins as rows: the session and remember-me cookies carry a random token whose hash is a
row of login_sessions, so ending the row (logout, password change, deactivation, 2FA reset)
makes every copy of those cookies worthless. A remember-me cookie is exchanged for a new one
each time it restores a sign-in."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, request

from app.auth.models import LoginSession, User
from app.core.db import utcnow
from app.core.security import hash_token, new_token
from app.extensions import db


def _lifetime(remember):
    config = current_app.config
    if remember:
        return config["REMEMBER_COOKIE_DURATION"]
    return timedelta(seconds=int(config["PERMANENT_SESSION_LIFETIME"]))


def start_session(user, remember=False):
    """Open a sign-in for ``user``; ``user.get_id()`` then returns its token for Flask-Login."""
    token = new_token()
    row = LoginSession(
        user=user,
        token_hash=hash_token(token),
        expires_at=utcnow() + _lifetime(remember),
        is_remembered=bool(remember),
        ip=request.remote_addr if has_request_context() else None,
        user_agent=request.user_agent.string[:300] if has_request_context() else None,
    )
    db.session.add(row)
    db.session.flush()
    user.login_session, user.login_session_token = row, token
    return token


def load_session_user(token):
    """The active user of a live sign-in, or None (ended, expired, forged, deactivated)."""
    if not token or not isinstance(token, str) or len(token) > 100:
        return None
    row = db.session.scalar(
        sa.select(LoginSession).where(LoginSession.token_hash == hash_token(token))
    )
    if row is None or row.ended_at is not None or row.expires_at <= utcnow():
        return None
    user = row.user
    if not user.is_active:
        return None
    user.login_session, user.login_session_token = row, token
    return user


def rotate_session(user):
    """Replace the sign-in a remember-me cookie restored: the old cookie stops working."""
    old = user.login_session
    remember = old.is_remembered if old is not None else True
    if old is not None:
        old.ended_at = utcnow()
    return start_session(user, remember)


def end_session(user):
    if user.login_session is not None and user.login_session.ended_at is None:
        user.login_session.ended_at = utcnow()


def end_all_sessions(user, keep=None):
    """End every sign-in of ``user`` (but ``keep``, the one making the change)."""
    stmt = sa.update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)
    )
    if keep is not None:
        stmt = stmt.where(LoginSession.id != keep.id)
    db.session.execute(stmt.values(ended_at=utcnow()).execution_options(synchronize_session=False))


def user_by_id_for_update(user_id):
    """The user row, locked until the transaction ends (PostgreSQL; SQLite writers already hold
    the database's write lock), so concurrent sign-in attempts on one account take turns."""
    return db.session.scalar(
        sa.select(User)
        .where(User.id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
