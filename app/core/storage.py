"""Files under STORAGE_DIR: written atomically, with sha256, removed again if the transaction
that references them rolls back (so a failed operation leaves no file behind)."""

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

_WRITTEN = "vidhuk_files_written"
_DISCARDED = "vidhuk_files_discarded"


def root() -> Path:
    return Path(current_app.config["STORAGE_DIR"])


def absolute(relative: str) -> Path:
    path = (root() / relative).resolve()
    if root().resolve() not in path.parents:
        raise ValueError(f"path outside the storage: {relative}")
    return path


def store(relative: str, data: bytes, session=None) -> dict:
    """Write ``data`` at ``relative`` (temp file + rename); returns path, sha256 and size.

    With ``session``, the file is deleted if that session's transaction rolls back.
    """
    target = absolute(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if session is not None:
        session.info.setdefault(_WRITTEN, []).append(target)
    return {"path": relative, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def read(relative: str) -> bytes:
    return absolute(relative).read_bytes()


def remove_after_commit(relative: str, session) -> None:
    """Delete the file at ``relative`` once ``session``'s transaction commits (kept otherwise)."""
    session.info.setdefault(_DISCARDED, []).append(absolute(relative))


@event.listens_for(Session, "after_commit")
def _keep_files(session):
    session.info.pop(_WRITTEN, None)
    for path in session.info.pop(_DISCARDED, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_soft_rollback")
def _remove_files(session, previous_transaction):
    if previous_transaction.nested:
        return
    session.info.pop(_DISCARDED, None)
    for path in session.info.pop(_WRITTEN, []):
        path.unlink(missing_ok=True)
