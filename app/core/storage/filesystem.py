"""Files under STORAGE_DIR: written atomically (temp file + rename), removed again if the
transaction that references them rolls back. One machine, or a shared network folder."""

import hashlib
import os
import tempfile
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.storage.base import CHUNK, StorageError

_WRITTEN = "vidhuk_files_written"
_DISCARDED = "vidhuk_files_discarded"


class Backend:
    name = "filesystem"

    def __init__(self, app):
        self.root = Path(app.config["STORAGE_DIR"])

    def path(self, relative):
        path = (self.root / relative).resolve()
        if self.root.resolve() not in path.parents:
            raise StorageError(relative, "outside")
        return path

    def write(self, relative, data, sha256, session=None):
        target = self.path(relative)
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
            on_rollback(session, lambda: target.unlink(missing_ok=True))

    def chunks(self, relative):
        """(bytes, recorded sha256 or None) pairs; the filesystem records no checksum."""
        try:
            fh = self.path(relative).open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise StorageError(relative, "missing") from exc
        with fh:
            while chunk := fh.read(CHUNK):
                yield chunk, None

    def exists(self, relative):
        return self.path(relative).is_file()

    def delete(self, relative):
        self.path(relative).unlink(missing_ok=True)

    def delete_after_commit(self, relative, session):
        target = self.path(relative)
        on_commit(session, lambda: target.unlink(missing_ok=True))

    def list(self):
        """(relative path, sha256) of every stored file."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith(".tmp-"):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                yield path.relative_to(self.root).as_posix(), digest


def on_rollback(session, undo):
    """Call ``undo`` if ``session``'s transaction rolls back (files outside the database)."""
    session.info.setdefault(_WRITTEN, []).append(undo)


def on_commit(session, action):
    """Call ``action`` once ``session``'s transaction commits (files to discard)."""
    session.info.setdefault(_DISCARDED, []).append(action)


@event.listens_for(Session, "after_commit")
def _keep_files(session):
    session.info.pop(_WRITTEN, None)
    for action in session.info.pop(_DISCARDED, []):
        action()


@event.listens_for(Session, "after_soft_rollback")
def _remove_files(session, previous_transaction):
    if previous_transaction.nested:
        return
    session.info.pop(_DISCARDED, None)
    for undo in session.info.pop(_WRITTEN, []):
        undo()
