"""One-time tokens of the portal form, kept in Redis: a second submit of the same form (Back and
submit again, a double tap) is recognised and shows the first answer's receipt."""

import secrets

from flask import current_app

from app.core.redis import get_redis

#: How long a form page stays submittable.
TTL_SECONDS = 24 * 3600


def _key(kind, token):
    return f"{current_app.config['REDIS_PREFIX']}:portal:{kind}:{token}"


def issue(link_id):
    token = secrets.token_urlsafe(24)
    get_redis().set(_key("form", token), str(link_id), ex=TTL_SECONDS)
    return token


def consume(token, link_id):
    """True once per issued token of this link (GETDEL is atomic: two submits, one winner)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        return False
    value = get_redis().getdel(_key("form", token))
    return value is not None and value.decode() == str(link_id)


def remember(token, response_id):
    get_redis().set(_key("done", token), str(response_id), ex=TTL_SECONDS)


def first_answer(token):
    """The response id the token already produced, or None."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        return None
    value = get_redis().get(_key("done", token))
    return int(value) if value else None
