"""The REST API, /api/v1: bearer tokens, JSON in and out, the same role rules as the pages."""

from flask import Blueprint, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from app.api.errors import ApiError, operation_error_response, respond
from app.core import features
from app.core.errors import OperationError
from app.extensions import csrf, db

bp = Blueprint("api", __name__)
csrf.exempt(bp)
features.error_format(bp, "/api/", respond)

#: Endpoints that answer without a token.
PUBLIC = {"api.openapi"}


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC:
        return None
    from app.auth.operations import user_for_token

    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise ApiError(401)
    g.api_user = user
    return None


@bp.before_request
def replay_repeated_post():
    """``Idempotency-Key`` on a POST: a repeat gets the first answer and runs nothing."""
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or key is None or request.endpoint in PUBLIC:
        return None
    from flask_babel import gettext as _

    from app.core import idempotency

    key = key.strip()
    if not key or len(key) > idempotency.MAX_KEY_LENGTH:
        raise ApiError(400, _("Idempotency-Key must be 1 to 255 characters long."))
    fingerprint = idempotency.request_hash(request)
    try:
        stored = idempotency.claim(g.api_user.id, key, fingerprint)
    except idempotency.KeyReused:
        raise ApiError(
            409,
            _("This Idempotency-Key was used for a different request."),
            "idempotency_key_reused",
        ) from None
    except idempotency.KeyBusy:
        raise ApiError(
            409,
            _("A request with this Idempotency-Key is still running."),
            "idempotency_key_in_progress",
        ) from None
    if stored is not None:
        status, body = stored
        return Response(
            body, status, mimetype="application/json", headers={"Idempotent-Replayed": "true"}
        )
    g.idempotency_key = key
    return None


@bp.after_request
def remember_answer(response):
    key = g.pop("idempotency_key", None)
    if key is not None:
        from app.core import idempotency

        try:
            idempotency.finish(
                g.api_user.id, key, response.status_code, response.get_data(as_text=True)
            )
        except Exception:  # the answer stands; a repeat may then run again or wait
            db.session.rollback()
            current_app.logger.exception("could not store the answer for an Idempotency-Key")
    return response


@bp.errorhandler(OperationError)
def handle_operation_error(exc):
    return operation_error_response(exc)


@bp.errorhandler(HTTPException)
def handle_http_error(exc):
    from app.api.errors import api_error_response

    return api_error_response(exc.code)


from app.api import (  # noqa: E402,F401
    acts,
    attachments,
    audit,
    authorities,
    deadlines,
    emails,
    facilities,
    imports,
    inbox,
    me,
    openapi,
    portal,
    recommendations,
    responses,
    review,
    search,
    tokens,
    visits,
)
