"""Helpers every API resource uses: auth, JSON bodies, query arguments, pagination, roles."""

from functools import wraps

from flask import g, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from app.api.errors import ApiError
from app.core.inputs import bounded_int, safe_loads
from app.core.pagination import BadPageArgs, page_args
from app.extensions import db


def roles(*allowed):
    """Allow the view to callers with one of ``allowed`` roles (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if g.api_user.role not in allowed:
                raise ApiError(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def json_body():
    if not request.is_json:
        raise ApiError(400, _("A JSON body with Content-Type: application/json is expected."))
    try:
        data = request.get_json()
    except BadRequest:
        raise ApiError(400, _("The body is not valid JSON.")) from None
    return data


def get_or_404(model, ident):
    """The row if it exists and the caller may read it (``app.domain.access``); 404 otherwise,
    the same either way."""
    from app.domain.access import can_read

    row = db.session.get(model, ident) if 0 < ident < 2**63 else None
    if row is None or not can_read(g.api_user, row):
        raise ApiError(404)
    return row


def paginated(stmt, serialize):
    try:
        page, per_page = page_args()
    except BadPageArgs as exc:
        raise ApiError(422, fields=exc.fields) from None
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)
    return {
        "items": [serialize(row) for row in result.items],
        "total": result.total,
        "page": page,
        "per_page": per_page,
    }


def int_arg(name):
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    try:
        return bounded_int(raw)
    except ValueError:
        raise ApiError(422, fields={name: [_("Must be a whole number.")]}) from None


def choice_arg(name, codes):
    value = request.args.get(name) or None
    if value is not None and value not in codes:
        raise ApiError(
            422, fields={name: [_("Must be one of: %(codes)s.", codes=", ".join(codes))]}
        )
    return value


def form_positions():
    """The ``positions`` field of a multipart body: a JSON array, depth-limited; 422 otherwise
    (answers recorded by lawyers and answers from the portal alike)."""
    try:
        return safe_loads(request.form.get("positions") or "[]")
    except ValueError:
        raise ApiError(
            422, fields={"positions": [_("Must be a JSON array of positions.")]}
        ) from None
