"""Home, language switch, health check and the HTML error pages."""

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from app.extensions import db

bp = Blueprint(
    "core", __name__, template_folder="templates", static_folder="static", static_url_path="/static/core"
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


def _error_page(code):
    def handler(error):
        if request.path.startswith("/api/"):
            from app.api.errors import api_error_response

            return api_error_response(code)
        return render_template(f"errors/{code}.html"), code

    return handler


@bp.app_errorhandler(400)
def bad_request(error):
    return _error_page(400)(error)


@bp.app_errorhandler(403)
def forbidden(error):
    return _error_page(403)(error)


@bp.app_errorhandler(404)
def not_found(error):
    return _error_page(404)(error)


@bp.app_errorhandler(413)
def too_large(error):
    return _error_page(413)(error)


@bp.app_errorhandler(500)
def server_error(error):
    db.session.rollback()
    return _error_page(500)(error)


@bp.app_context_processor
def inject_helpers():
    from flask_babel import get_locale

    from app.core.i18n import fmt_date, fmt_datetime

    return {"fmt_date": fmt_date, "fmt_datetime": fmt_datetime, "get_locale": get_locale}
