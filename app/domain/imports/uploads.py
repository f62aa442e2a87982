"""Uploaded sheets kept on the server between the preview and the confirmation.

A sheet is stored under the storage folder as ``imports/TOKEN`` with a small JSON note (who
uploaded it, its name, when); the confirmation names the token, never the file again. A token
is random, checked against a strict pattern (it never decides a path), and only its uploader
may use it. Confirmed or abandoned uploads are deleted (abandoned ones by the retention job).
"""

import json
import re
import secrets
import time

from flask import current_app

from app.core import storage

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def save(stream, filename, actor) -> str:
    """Keep the uploaded ``stream`` (a file object); return its token."""
    token = secrets.token_urlsafe(32)
    folder = storage.absolute("imports")
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / token, "wb") as out:
        while chunk := stream.read(1024 * 1024):
            out.write(chunk)
    note = {"user_id": actor.id, "filename": filename, "at": time.time()}
    (folder / f"{token}.json").write_text(json.dumps(note))
    return token


def valid_token(token) -> bool:
    """Whether ``token`` has the shape of an upload's token (it never decides a path)."""
    return isinstance(token, str) and bool(_TOKEN.match(token))


def load(token, actor):
    """``(path, filename)`` of the upload ``token`` by ``actor``, or None (unknown, someone
    else's, or expired)."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    folder = storage.absolute("imports")
    try:
        note = json.loads((folder / f"{token}.json").read_text())
    except (OSError, ValueError):
        return None
    if note.get("user_id") != actor.id or _expired(note):
        return None
    path = folder / token
    return (path, note["filename"]) if path.exists() else None


def discard(token):
    if isinstance(token, str) and _TOKEN.match(token):
        folder = storage.absolute("imports")
        for name in (token, f"{token}.json"):
            (folder / name).unlink(missing_ok=True)


def purge_expired() -> int:
    """Delete uploads older than IMPORT_UPLOAD_HOURS; return how many."""
    folder = storage.absolute("imports")
    if not folder.exists():
        return 0
    count = 0
    for note_path in folder.glob("*.json"):
        try:
            note = json.loads(note_path.read_text())
        except (OSError, ValueError):
            note = {"at": 0}
        if _expired(note):
            discard(note_path.stem)
            count += 1
    return count


def _expired(note):
    return time.time() - float(note.get("at", 0)) > current_app.config["IMPORT_UPLOAD_HOURS"] * 3600
