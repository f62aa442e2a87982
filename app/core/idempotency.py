"""Idempotency keys: a POST repeated with the same key by the same user within a day gets the
first answer again and changes nothing. Kept in the database, so every web process shares them.

A request claims its key by inserting the row (committed at once, so a concurrent repeat sees
it), runs, and stores its answer; an answer that is not a success releases the key, so a
corrected request may use it again.
"""

import hashlib
import json
import time
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import UTCDateTime, utcnow
from app.core.jobs import periodic
from app.extensions import db

#: How long a key is remembered.
LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255
#: How long a repeat waits for the first request (still running) to answer.
WAIT_SECONDS = 10.0


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(MAX_KEY_LENGTH))
    #: sha256 of the method, path and body (JSON compared by value, multipart by its parts).
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    #: Null while the first request is still running.
    response_status: Mapped[int | None] = mapped_column(sa.Integer)
    response_body: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class KeyReused(Exception):
    """The key was used for a different request (409 idempotency_key_reused)."""


class KeyBusy(Exception):
    """The first request with the key is still running (409 idempotency_key_in_progress)."""


def request_hash(request):
    """What makes two requests "the same": method, path, query and body by value."""
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.query_string.decode("latin-1")):
        digest.update(part.encode() + b"\0")
    digest.update(_body_fingerprint(request))
    return digest.hexdigest()


def _body_fingerprint(request):
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        parts = sorted(request.form.items(multi=True))
        for name, upload in request.files.items(multi=True):
            content = upload.stream.read()
            upload.stream.seek(0)
            parts.append((name, upload.filename or "", hashlib.sha256(content).hexdigest()))
        return json.dumps(sorted(parts, key=repr), ensure_ascii=False).encode()
    data = request.get_data(cache=True)
    if request.is_json:
        try:
            return json.dumps(json.loads(data), sort_keys=True, ensure_ascii=False).encode()
        except (ValueError, RecursionError):
            pass
    return data


def claim(user_id, key, fingerprint):
    """Claim ``key``: None when this request is the first (it runs); the stored (status, body)
    when it is a repeat; KeyReused or KeyBusy otherwise. Commits the claim."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        db.session.add(IdempotencyKey(user_id=user_id, key=key, request_hash=fingerprint))
        try:
            db.session.commit()
            return None
        except IntegrityError:
            db.session.rollback()
        row = _find(user_id, key)
        if row is None:
            continue  # released meanwhile: claim again
        if row.created_at < utcnow() - LIFETIME:
            _release(row.id)  # expired: the key is free again
            continue
        if row.request_hash != fingerprint:
            raise KeyReused()
        if row.response_status is not None:
            return row.response_status, row.response_body
        if time.monotonic() > deadline:
            raise KeyBusy()
        db.session.rollback()
        time.sleep(0.05)


def _find(user_id, key):
    return db.session.scalar(
        sa.select(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
        )
    )


def finish(user_id, key, status, body):
    """Store a success for repeats to get; anything else releases the key. Commits."""
    row = _find(user_id, key)
    if row is None:
        return
    if 200 <= status < 300:
        row.response_status, row.response_body = status, body
        db.session.commit()
    else:
        _release(row.id)


def _release(row_id):
    db.session.execute(sa.delete(IdempotencyKey).where(IdempotencyKey.id == row_id))
    db.session.commit()


@periodic("idempotency-expiry", every=3600)
def delete_expired():
    """Forget keys older than a day; returns how many."""
    count = db.session.execute(
        sa.delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - LIFETIME)
    ).rowcount
    db.session.commit()
    return count
