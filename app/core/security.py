"""Password hashing (Argon2id, memory-hard), API token hashing, role checks for pages and the
safe redirect target."""

import hashlib
import secrets
from functools import wraps
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, url_for
from flask_login import current_user

_default_hasher = PasswordHasher()  # Argon2id with the library's recommended parameters


def _hasher():
    """The configured hasher; tests may lower the cost with PASSWORD_HASH_PARAMS."""
    from flask import current_app, has_app_context

    params = has_app_context() and current_app.config.get("PASSWORD_HASH_PARAMS")
    return PasswordHasher(**params) if params else _default_hasher


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def burn_hash(password: str) -> None:
    """Spend the time of a verification without one: unknown and locked accounts answer as
    slowly as real ones, so timing tells nothing."""
    _hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if not stored:
        burn_hash(password)
        return False
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher().check_needs_rehash(stored)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Tokens carry 256 random bits, so a fast hash is enough to make a stolen table useless."""
    return hashlib.sha256(token.encode()).hexdigest()


def roles_required(*roles):
    """Page decorator: login required, and one of ``roles`` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from app.extensions import login_manager

                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def safe_next(target):
    """Only a path on this site: no scheme, no host, no backslash or control characters (which
    browsers drop or turn into '/', making '/\\t/evil' or '/\\\\evil' mean //evil)."""
    fallback = url_for("core.index")
    if not target or not target.startswith("/") or len(target) > 2000:
        return fallback
    if any(ch == "\\" or ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return fallback
    parts = urlsplit(target)
    if target.startswith("//") or parts.scheme or parts.netloc:
        return fallback
    return target
