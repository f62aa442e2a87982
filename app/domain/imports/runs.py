"""Large imports run in a worker, and the import's page follows them without a reload.

A confirmed upload larger than ``IMPORT_BACKGROUND_BYTES`` (``IMPORT_BACKGROUND_KB``, 256) is
imported by a job; its state (queued → running → done or failed, with the counts or the errors)
is kept in Redis for a day under the upload's random token, readable only by its uploader. Smaller ones are imported in
the request, as before. The job is whole or nothing like any import, and safe to run twice: a
finished run does nothing.
"""

import json

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.core.jobs import job
from app.core.redis import get_redis
from app.domain.imports import uploads

#: How long the state of a run is kept (seconds).
KEEP_SECONDS = 24 * 3600
#: Errors kept for the page (the rest are counted).
ERRORS_KEPT = 50
RUNNING = ("queued", "running")


def in_background(path) -> bool:
    """Whether the upload at ``path`` is large enough to be imported by a worker."""
    return path.stat().st_size > current_app.config["IMPORT_BACKGROUND_BYTES"]


def start(token, filename, actor):
    """Queue the import of upload ``token``; its page then shows the run."""
    _save(token, {"state": "queued", "user_id": actor.id, "filename": filename})
    run.enqueue(token, actor.id, job_id=f"import-{token}")


def status(token, actor):
    """The run of upload ``token`` as a dict, or None (unknown, expired, someone else's)."""
    if not isinstance(token, str) or not uploads.valid_token(token):
        return None
    raw = get_redis().get(_key(token))
    state = json.loads(raw) if raw else None
    return state if state and state.get("user_id") == actor.id else None


@job(timeout=3600)
def run(token, user_id):
    """Job: import the upload, commit or roll back, and record how it ended."""
    from app.auth.models import User
    from app.domain.imports.operations import import_recommendations
    from app.extensions import db

    user = db.session.get(User, user_id)
    state = status(token, user) if user is not None else None
    if state is None or state["state"] not in RUNNING:
        return "nothing to do"
    with force_locale(user.locale or "uk"):  # the messages the page will show its uploader
        return _import(token, state, user, import_recommendations)


def _import(token, state, user, import_recommendations):
    from app.extensions import db

    found = uploads.load(token, user)
    if found is None:
        gone = _("The uploaded file is no longer here: upload it again.")
        return _end(token, state, "failed", errors=[gone])
    _save(token, {**state, "state": "running"})
    report = import_recommendations(*found, user)
    if not report.ok:
        db.session.rollback()
        errors = [_row_error(e) for e in report.errors]
        return _end(token, state, "failed", errors=errors)
    db.session.commit()  # saved before the page is told it is done
    uploads.discard(token)
    return _end(token, state, "done", created=report.created, updated=report.updated)


def _row_error(error):
    where = _("row %(row)s", row=error.row) if error.row else ""
    return " · ".join(part for part in (where, error.column, error.message) if part)


def _end(token, state, outcome, errors=(), **counts):
    errors = list(errors)
    _save(
        token,
        {
            **state,
            "state": outcome,
            **counts,
            "errors": errors[:ERRORS_KEPT],
            "more_errors": max(0, len(errors) - ERRORS_KEPT),
        },
    )
    return outcome


def _save(token, state):
    get_redis().set(_key(token), json.dumps(state), ex=KEEP_SECONDS)


def _key(token):
    return f"{current_app.config['REDIS_PREFIX']}:import-run:{token}"
