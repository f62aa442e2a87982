"""Fetching the mailbox: every message read once, kept, then put away on the server.

1. List the folder's UIDs under its UIDVALIDITY. A UID already stored (same folder and
   UIDVALIDITY), or a message whose bytes are already stored (the server renumbered its UIDs),
   is not read again: it is only put away, which a fetch that died after its commit had not done.
2. Read the rest, FETCH_BATCH at a time; each message is kept in its own transaction
   (``operations.receive``). A message that cannot be kept (a bug, the database down) is
   rolled back and stays on the server for the next fetch; the others go on.
3. Only after the commit: move the stored messages to IMAP_FILED_FOLDER (or flag them).

Two fetches at once (a worker and ``flask mail fetch``) store a message once: the UID triple
is unique, and the loser of the race rolls back and moves on. A Redis lock keeps them apart
in the first place.
"""

import logging
import os

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.core.jobs import periodic
from app.core.redis import get_redis
from app.domain.inbox import operations
from app.domain.inbox.models import InboxMessage
from app.extensions import db
from app.mail import imap

log = logging.getLogger(__name__)
#: Seconds between fetches by the workers (IMAP_POLL_SECONDS; read when the app starts).
POLL_SECONDS = int(os.environ.get("IMAP_POLL_SECONDS") or 120)
LOCK_SECONDS = 900


class FetchBusy(RuntimeError):
    """Another fetch holds the lock."""


@periodic("mail-fetch", every=POLL_SECONDS, queue="mail")
def fetch_job():
    """The workers' periodic fetch; nothing to do without IMAP_URL."""
    if not current_app.config.get("IMAP_URL"):
        return {"skipped": "IMAP_URL not set"}
    try:
        return fetch()
    except FetchBusy:
        return {"skipped": "another fetch is running"}


def fetch(config=None, limit=None) -> dict:
    """Read new messages; returns counts by outcome (and ``put_away``, ``failed``)."""
    lock = get_redis().lock(
        f"{current_app.config['REDIS_PREFIX']}:inbox-fetch", timeout=LOCK_SECONDS, blocking=False
    )
    if not lock.acquire(blocking=False):
        raise FetchBusy("another fetch is running")
    try:
        with imap.connect(config) as box:
            return _fetch(box, limit)
    finally:
        try:
            lock.release()
        except Exception:
            pass


def _fetch(box, limit):
    counts = {"new": 0, "put_away": 0, "failed": 0}
    filed_folder = current_app.config.get("IMAP_FILED_FOLDER")
    uids = box.uids()
    if not filed_folder:
        uids = sorted(set(uids) - box.flagged())
    known = _known(box, uids)
    db.session.commit()
    box.put_away(sorted(known), filed_folder)
    counts["put_away"] += len(known)
    todo = [u for u in uids if u not in known][:limit]
    for start in range(0, len(todo), imap.FETCH_BATCH):
        batch = todo[start : start + imap.FETCH_BATCH]
        kept = []
        for uid, raw in box.fetch(batch):
            outcome = _keep(box, uid, raw)
            if outcome is None:
                counts["failed"] += 1
                continue
            counts[outcome] = counts.get(outcome, 0) + 1
            counts["new"] += outcome != "known"
            kept.append(uid)
        box.put_away(kept, filed_folder)
        _mark_moved(box, kept)
        counts["put_away"] += len(kept)
    return counts


def _known(box, uids):
    if not uids:
        return set()
    known = set()
    for start in range(0, len(uids), 500):
        chunk = uids[start : start + 500]
        known |= set(
            db.session.scalars(
                sa.select(InboxMessage.uid).where(
                    InboxMessage.folder == box.folder,
                    InboxMessage.uidvalidity == box.uidvalidity,
                    InboxMessage.uid.in_(chunk),
                )
            )
        )
    return known


def _keep(box, uid, raw):
    """The message's state once committed, 'known' when it was stored before, None on failure."""
    import hashlib

    sha256 = hashlib.sha256(raw).hexdigest()
    try:
        if db.session.scalar(
            sa.select(InboxMessage.id).where(InboxMessage.raw_sha256 == sha256).limit(1)
        ):
            db.session.rollback()
            return "known"
        message = operations.receive(box.folder, box.uidvalidity, uid, raw)
        state = message.state
        db.session.commit()
        return state
    except IntegrityError:  # a fetch running at the same time stored it first
        db.session.rollback()
        return "known"
    except Exception:
        db.session.rollback()
        log.exception("inbox: message UID %s could not be kept; it stays on the server", uid)
        return None


def _mark_moved(box, uids):
    if not uids:
        return
    from app.core.db import utcnow

    db.session.execute(
        sa.update(InboxMessage)
        .where(
            InboxMessage.folder == box.folder,
            InboxMessage.uidvalidity == box.uidvalidity,
            InboxMessage.uid.in_(uids),
        )
        .values(moved_at=utcnow())
    )
    db.session.commit()
