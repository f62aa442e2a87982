"""The REST API, /api/v1: bearer tokens, JSON in and out, the same role rules as the pages."""

from flask import Blueprint, g, request
from werkzeug.exceptions import HTTPException

from app.api.errors import ApiError, error_response
from app.extensions import csrf, db

bp = Blueprint("api", __name__)
csrf.exempt(bp)

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


@bp.after_request
def commit_token_use(response):
    # The only write a read request makes is the token's last use; keep it.
    if request.method == "GET" and db.session.dirty:
        db.session.commit()
    return response


@bp.errorhandler(ApiError)
def handle_api_error(exc):
    db.session.rollback()
    return error_response(exc.status, exc.code, exc.message, exc.fields)


@bp.errorhandler(HTTPException)
def handle_http_error(exc):
    from app.api.errors import api_error_response

    db.session.rollback()
    return api_error_response(exc.code)


from app.api import (  # noqa: E402,F401
    acts,
    authorities,
    facilities,
    me,
    openapi,
    portal,
    recommendations,
    responses,
    review,
    search,
    visits,
)
