"""GET /audit: the audit log, for administrators (the same filters as the page)."""

from flask import request

from app.api import bp, openapi
from app.api.common import paginated, roles
from app.api.errors import ApiError
from app.auth.audit_log import audit_filters, audit_stmt, serialize


@bp.get("/audit")
@roles("admin")
def audit_list():
    filters, errors = audit_filters(request.args)
    if errors:
        raise ApiError(422, fields=errors)
    return paginated(audit_stmt(filters), serialize)


def _register_openapi():
    int_, str_ = {"type": "integer"}, {"type": "string"}
    nullable_int, nullable_str = {**int_, "nullable": True}, {**str_, "nullable": True}
    item = {
        "type": "object",
        "properties": {
            "id": int_,
            "at": {"type": "string", "format": "date-time"},
            "event": str_,
            "actor_id": nullable_int,
            "actor": str_,
            "subject_type": nullable_str,
            "subject_id": nullable_int,
            "ip": nullable_str,
            "details": {"type": "object"},
        },
    }
    page = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": item},
            "total": int_,
            "page": int_,
            "per_page": int_,
        },
    }
    params = [
        {"name": n, "in": "query", "schema": s}
        for n, s in (
            ("event", str_),
            ("user", str_),
            ("from", {"type": "string", "format": "date"}),
            ("to", {"type": "string", "format": "date"}),
            ("page", int_),
            ("per_page", int_),
        )
    ]
    openapi.EXTRA_PATHS.append(
        (
            "/audit",
            "get",
            {
                "summary": "The audit log, newest first (administrators); append-only",
                "parameters": params,
                "responses": {
                    "200": {
                        "description": "A page",
                        "content": {"application/json": {"schema": page}},
                    },
                    **{str(c): {"$ref": f"#/components/responses/E{c}"} for c in (401, 403, 422)},
                },
            },
        )
    )


_register_openapi()
