"""Job functions for the worker-process tests."""

import time

from flask import current_app

from app.core.jobs import job
from app.core.redis import get_redis


def mark(key):
    get_redis(current_app).set(key, str(time.time()))


def slow(seconds):
    time.sleep(seconds)


@job(timeout=30)
def rename_user(user_id, name, fail=False):
    """Rename a user, then (``fail``) raise: the worker keeps the change only without error."""
    from app.auth.models import User
    from app.extensions import db

    db.session.get(User, user_id).name = name
    if fail:
        raise RuntimeError("refused after writing")
