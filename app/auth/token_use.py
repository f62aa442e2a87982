"""When each API token was last used: requests note it in Redis, a periodic job writes it to
the database. A read request never writes (nor waits for a writer) for this bookkeeping."""

import logging
from datetime import datetime, timedelta

import redis
import sqlalchemy as sa
from flask import current_app

from app.auth.models import ApiToken
from app.core.db import utcnow
from app.core.jobs import periodic
from app.core.redis import get_redis
from app.extensions import db

log = logging.getLogger(__name__)

#: A use is noted when the stored one is older than this: the column says "used this hour".
RESOLUTION = timedelta(hours=1)


def _key():
    return f"{current_app.config['REDIS_PREFIX']}:token-use"


def note_use(token):
    """Remember that ``token`` (an ApiToken) was used now; never fails the request."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < RESOLUTION:
        return
    try:
        get_redis().hset(_key(), str(token.id), now.isoformat())
    except Exception:  # Redis down: the time of last use is not worth an error
        log.warning("could not note the use of API token %s", token.id, exc_info=True)


@periodic("token-use", every=300)
def flush_token_use():
    """Write the noted uses to ``api_tokens.last_used_at``; returns how many were written."""
    conn = get_redis()
    key = _key()
    pending = f"{key}:flushing"
    # A flush that died keeps its entries under ``pending``: write those first.
    if not conn.exists(pending):
        try:
            conn.rename(key, pending)
        except redis.ResponseError:  # nothing noted since the last flush
            return 0
    written = 0
    for raw_id, raw_at in conn.hgetall(pending).items():
        used_at = datetime.fromisoformat(raw_at.decode())
        written += db.session.execute(
            sa.update(ApiToken)
            .where(
                ApiToken.id == int(raw_id),
                sa.or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < used_at),
            )
            .values(last_used_at=used_at)
        ).rowcount
    db.session.commit()
    conn.delete(pending)
    return written
