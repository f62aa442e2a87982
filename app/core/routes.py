"""Home, language switch, health check and the HTML error pages."""

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import text
from werkzeug.exceptions import HTTPException

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
    from app.domain.home import home_for

    return home_for(current_user)


@bp.route("/lang/<code>")
def set_language(code):
    from flask import current_app

    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated and current_user.locale != code:
            current_user.locale = code
            db.session.commit()
    target = request.referrer or url_for("core.index")
    return redirect(target if target.startswith(request.host_url) else url_for("core.index"))


@bp.route("/healthz")
def healthz():
    """Database and Redis must answer (503 otherwise); a worker without heartbeat is 'stale'."""
    from flask import current_app

    from app.core.jobs import worker_is_alive
    from app.core.redis import get_redis

    status = {"database": "ok", "redis": "ok", "worker": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        status["database"] = "unavailable"
    try:
        get_redis().ping()
        if not worker_is_alive(current_app):
            status["worker"] = "stale"
    except Exception:
        status["redis"] = "unavailable"
        status["worker"] = "stale"
    healthy = status["database"] == "ok" and status["redis"] == "ok"
    return jsonify(status), 200 if healthy else 503


#: Status codes with a page of their own; others fall back to the closest one.
ERROR_PAGES = {400, 403, 404, 409, 413, 500}


@bp.app_errorhandler(HTTPException)
def http_error(error):
    """HTML error pages in the user's language; JSON for anything under /api/."""
    code = error.code or 500
    if request.path.startswith("/api/"):
        from app.api.errors import api_error_response

        return api_error_response(code)
    page = code if code in ERROR_PAGES else (500 if code >= 500 else 400)
    return render_template(f"errors/{page}.html"), code


@bp.app_errorhandler(500)
def server_error(error):
    db.session.rollback()
    if request.path.startswith("/api/"):
        from app.api.errors import api_error_response

        return api_error_response(500)
    return render_template("errors/500.html"), 500


@bp.app_template_filter("markdown")
def markdown_filter(text):
    from app.core.markdown import render

    return render(text)


@bp.app_context_processor
def inject_helpers():
    from flask_babel import get_locale

    from app.core.i18n import fmt_date, fmt_datetime
    from app.core.once import token_input

    return {
        "fmt_date": fmt_date,
        "fmt_datetime": fmt_datetime,
        "get_locale": get_locale,
        "one_time_token": token_input,
    }
