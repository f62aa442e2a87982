"""GET /audit: the audit log, for administrators (the same filters as the page)."""

from flask import request
from marshmallow import Schema, fields

from app.api import bp
from app.api.common import paginated, roles
from app.api.errors import ApiError
from app.api.openapi import doc, page
from app.api.schemas import nullable
from app.auth.audit_log import audit_filters, audit_stmt


class AuditEntrySchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    event = fields.String()
    actor_id = nullable(fields.Integer)
    actor = fields.String(attribute="actor_label")
    subject_type = nullable(fields.String)
    subject_id = nullable(fields.Integer)
    ip = nullable(fields.String)
    details = fields.Function(lambda row: row.details or {}, metadata={"type": "object"})


class AuditQuery(Schema):
    event = fields.String()
    user = fields.String()
    from_ = fields.Date(data_key="from")
    to = fields.Date()


@bp.get("/audit")
@doc(
    "The audit log, newest first (administrators); append-only",
    response=page(AuditEntrySchema),
    query=AuditQuery,
    paged=True,
    errors=(401, 403, 422),
)
@roles("admin")
def audit_list():
    filters, errors = audit_filters(request.args)
    if errors:
        raise ApiError(422, fields=errors)
    return paginated(audit_stmt(filters), AuditEntrySchema().dump)
