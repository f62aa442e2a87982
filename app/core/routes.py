"""Home, language switch, health check and the HTML error pages."""

from flask import Blueprint, jsonify, redirect, render_template, request, session
from flask_login import current_user, login_required
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

from app.core import features
from app.core.errors import OperationError
from app.core.i18n import fmt_count
from app.core.storage import StorageError
from app.extensions import db

bp = Blueprint(
    "core",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/core",
)


@bp.route("/")
@login_required
def index():
    return features.home(current_user)


@bp.route("/lang/<code>", methods=["POST"])
def set_language(code):
    """POST with the CSRF token: another site cannot change anybody's language."""
    from flask import abort, current_app

    from app.core.security import safe_next

    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
    return redirect(safe_next(request.form.get("next")), 303)


@bp.route("/healthz")
def healthz():
    """Database and Redis must answer (503 otherwise). ``worker``: some worker of the cluster
    sent a heartbeat ('stale' otherwise); ``worker_here``: one on this machine did ('none');
    ``scheduler``: every queue's scheduled jobs and retries have a live scheduler ('none')."""
    from flask import current_app

    from app.core.jobs import cluster_status

    status = {"database": "ok", "redis": "ok", "worker": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        status["database"] = "unavailable"
    try:
        status.update(cluster_status(current_app))
    except Exception:
        status.update(redis="unavailable", worker="stale", worker_here="none", scheduler="none")
    healthy = status["database"] == "ok" and status["redis"] == "ok"
    return jsonify(status), 200 if healthy else 503


#: Status codes with a page of their own; others fall back to the closest one.
ERROR_PAGES = {400, 403, 404, 409, 413, 500}


@bp.app_errorhandler(HTTPException)
def http_error(error):
    """HTML error pages in the user's language; JSON for anything under /api/."""
    code = error.code or 500
    if error.response is not None and not request.path.startswith("/api/"):
        return error.response  # a page made for this refusal (e.g. too many sign-in attempts)
    respond = features.error_responder(request.path)
    if respond is not None:
        return respond(code)
    page = code if code in ERROR_PAGES else (500 if code >= 500 else 400)
    return render_template(f"errors/{page}.html"), code


@bp.app_errorhandler(OperationError)
def operation_error(error):
    """A refusal no page caught (the work is already rolled back): the error page of its status
    with its message; the API's format under /api/."""
    respond = features.error_responder(request.path)
    if respond is not None:
        fields = error.field_messages() if error.fields and error.status == 422 else None
        return respond(error.status, error.code, error.message or None, fields)
    code = error.status
    page = code if code in ERROR_PAGES else (500 if code >= 500 else 400)
    return render_template(f"errors/{page}.html", message=error.message), code


@bp.app_errorhandler(StorageError)
def storage_error(error):
    """A stored file that cannot be read: a clear message (409), never a 500."""
    db.session.rollback()
    respond = features.error_responder(request.path)
    if respond is not None:
        return respond(409, "file_unavailable", str(error.message))
    return render_template("errors/file.html", error=error), 409


@bp.app_errorhandler(500)
def server_error(error):
    db.session.rollback()
    respond = features.error_responder(request.path)
    if respond is not None:
        return respond(500)
    return render_template("errors/500.html"), 500


@bp.app_template_filter("markdown")
def markdown_filter(text):
    from app.core.markdown import render

    return render(text)


# A global, not a context variable: the pager macro, imported without the page's context,
# writes its counts with it.
bp.app_template_global("fmt_count")(fmt_count)


@bp.app_context_processor
def inject_helpers():
    from flask_babel import get_locale

    from app.core.i18n import fmt_date, fmt_datetime, fmt_number, fmt_size
    from app.core.once import token_input

    return {
        "fmt_date": fmt_date,
        "fmt_datetime": fmt_datetime,
        "fmt_number": fmt_number,
        "fmt_size": fmt_size,
        "get_locale": get_locale,
        "one_time_token": token_input,
        "nav_items": lambda more=False: features.menu(getattr(current_user, "role", None), more),
    }
