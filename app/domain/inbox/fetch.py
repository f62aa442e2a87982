"""Fetching the mailbox: every message read once, kept, then put away on the server.

1. List the folder's UIDs under its UIDVALIDITY. A UID already stored (same folder and
   UIDVALIDITY), or a message whose bytes are already stored (the server renumbered its UIDs),
   is not read again: it is only put away, which a fetch that died after its commit had not done.
2. Read the rest, FETCH_BATCH at a time, a batch in one transaction and each message in a
   savepoint of its own (``operations.receive``). A message that cannot be kept (a bug) is
   rolled back alone and stays on the server for the next fetch; the others go on.
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
    renumbered = _renumbered(box)
    for start in range(0, len(todo), imap.FETCH_BATCH):
        batch = todo[start : start + imap.FETCH_BATCH]
        outcomes = _keep_batch(box, batch, renumbered)
        kept = [uid for uid, outcome in outcomes if outcome is not None]
        for _uid, outcome in outcomes:
            if outcome is None:
                counts["failed"] += 1
            else:
                counts[outcome] = counts.get(outcome, 0) + 1
                counts["new"] += outcome != "known"
        box.put_away(kept, filed_folder)
        _mark_moved(box, kept)
        counts["put_away"] += len(kept)
    return counts


def _renumbered(box):
    """True when the folder held messages under another UIDVALIDITY: the server renumbered,
    so a message is also looked up by its bytes."""
    found = db.session.scalar(
        sa.select(InboxMessage.id)
        .where(InboxMessage.folder == box.folder, InboxMessage.uidvalidity != box.uidvalidity)
        .limit(1)
    )
    db.session.rollback()
    return found is not None


def _keep_batch(box, batch, renumbered):
    """Keep a batch in one transaction, each message in a savepoint of its own (one that fails
    is rolled back alone and stays on the server); if the commit fails, each message again in a
    transaction of its own. Returns (uid, state or 'known' or None) pairs."""
    outcomes = []
    try:
        for uid, raw in box.fetch(batch):
            outcomes.append((uid, _keep_in_savepoint(box, uid, raw, renumbered)))
        db.session.commit()
        return outcomes
    except Exception:
        db.session.rollback()
        log.warning("inbox: a batch could not be committed; keeping its messages one by one")
    return [(uid, _keep(box, uid, raw)) for uid, raw in box.fetch(batch)]


def _keep_in_savepoint(box, uid, raw, renumbered):
    try:
        with db.session.begin_nested():
            if renumbered and _stored_before(raw):
                return "known"
            return operations.receive(box.folder, box.uidvalidity, uid, raw).state
    except IntegrityError:  # a fetch running at the same time stored it first
        return "known"
    except Exception:
        log.exception("inbox: message UID %s could not be kept; it stays on the server", uid)
        return None


def _stored_before(raw):
    import hashlib

    sha256 = hashlib.sha256(raw).hexdigest()
    return (
        db.session.scalar(
            sa.select(InboxMessage.id).where(InboxMessage.raw_sha256 == sha256).limit(1)
        )
        is not None
    )


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
    try:
        if _stored_before(raw):
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
