"""Stored files (generated letters, uploaded answers, attachments) behind one interface.

The backend is STORAGE_BACKEND: ``filesystem`` (STORAGE_DIR, one machine), ``database`` (a table
of chunks: every machine sees the files, backups include them) or ``s3`` (an S3-compatible
store). After ``flask storage migrate --to BACKEND`` the database records the backend in use and
that record wins over the environment, so every machine switches together.

Files are written in the caller's transaction: a rolled-back operation leaves no file behind.
Every read checks the sha256 recorded with the file; a missing or damaged file raises
``StorageError``, which pages and the API turn into a clear message, never a 500.
"""

import hashlib
import io
import tempfile

from flask import current_app, send_file

from app.core.storage.base import StorageError

BACKENDS = ("filesystem", "database", "s3")
_SPOOL_BYTES = 8 * 1024 * 1024


def backend(name=None):
    """The backend ``name``, or the one in use."""
    from app.core.storage import database, filesystem, s3

    name = name or active_name()
    return {"filesystem": filesystem, "database": database, "s3": s3}[name].Backend(current_app)


def active_name():
    """The backend in use: the database's record after a migration, else STORAGE_BACKEND."""
    from app.core.storage.database import recorded_backend

    return recorded_backend() or current_app.config["STORAGE_BACKEND"]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store(relative: str, data: bytes, session=None) -> dict:
    """Write ``data`` at ``relative``; returns path, sha256 and size.

    With ``session``, the file goes when that session's transaction rolls back.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    backend().write(_clean(relative), data, sha256, session=session)
    return {"path": relative, "sha256": sha256, "size": len(data)}


def read(relative: str, sha256: str | None = None) -> bytes:
    """The file's bytes, checked against ``sha256`` (or the one the backend recorded)."""
    with open_verified(relative, sha256) as fh:
        return fh.read()


def open_verified(relative: str, sha256: str | None = None):
    """A file object with the whole content, checked before it is returned (spooled to a
    temporary file past a few megabytes: large files are never held in memory)."""
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)
    digest = hashlib.sha256()
    try:
        recorded = None
        for chunk, sha256_recorded in backend().chunks(_clean(relative)):
            recorded = sha256_recorded
            digest.update(chunk)
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    expected = sha256 or recorded
    if expected and digest.hexdigest() != expected:
        spool.close()
        raise StorageError(relative, "damaged")
    spool.seek(0)
    return spool


def send(relative, *, sha256=None, mimetype=None, download_name=None, as_attachment=True):
    """A Flask response with the file, checked first (large files stream from a temporary file
    that is closed when the response is)."""
    fh = open_verified(relative, sha256)
    size = fh.seek(0, 2)
    fh.seek(0)
    if size <= _SPOOL_BYTES:
        with fh:
            fh = io.BytesIO(fh.read())
    response = send_file(
        fh, mimetype=mimetype, as_attachment=as_attachment, download_name=download_name
    )
    response.call_on_close(fh.close)
    return response


def exists(relative: str) -> bool:
    return backend().exists(_clean(relative))


def delete(relative: str) -> None:
    """Remove the file now (retention, discarded drafts); a missing file is not an error."""
    backend().delete(_clean(relative))


def remove_after_commit(relative: str, session) -> None:
    """Delete the file once ``session``'s transaction commits (kept if it rolls back)."""
    backend().delete_after_commit(_clean(relative), session)


def root():
    """STORAGE_DIR, the folder of the ``filesystem`` backend."""
    from pathlib import Path

    return Path(current_app.config["STORAGE_DIR"])


def absolute(relative: str):
    """The file's place under STORAGE_DIR (``filesystem`` backend only; others use ``send``)."""
    from app.core.storage.filesystem import Backend as Filesystem

    return Filesystem(current_app).path(_clean(relative))


def _clean(relative: str) -> str:
    """A relative path with no way out of the storage: no absolute paths, no '..'."""
    parts = [p for p in str(relative).replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts) or str(relative).startswith("/"):
        raise StorageError(relative, "outside")
    return "/".join(parts)
