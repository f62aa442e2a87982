"""Reading the audit log (the page and the API share the filters and the serialisation)."""

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core.audit import AuditEvent
from app.core.clock import KYIV

#: The events the application records, for the filter's list.
EVENT_CODES = {
    "login.succeeded",
    "login.failed",
    "login.locked",
    "login.refused_locked",
    "login.2fa_failed",
    "logout",
    "session.ended",
    "session.ended_others",
    "2fa.enabled",
    "2fa.disabled",
    "2fa.reset",
    "2fa.recovery_code_used",
    "2fa.recovery_codes_renewed",
    "user.created",
    "user.updated",
    "user.role_changed",
    "user.password_changed",
    "token.created",
    "token.revoked",
    "feed.link_created",
    "feed.link_revoked",
    "calendar.day_saved",
    "calendar.day_deleted",
    "calendar.period_saved",
    "authority.created",
    "authority.updated",
    "facility.created",
    "facility.updated",
}


def audit_filters(args):
    """``event``, ``user`` (id or e-mail), ``from``/``to`` (YYYY-MM-DD) → (filters, errors)."""
    filters, errors = {}, {}
    for name in ("event", "user", "from", "to"):
        if "\x00" in (args.get(name) or ""):
            errors[name] = [_l("Contains characters that are not allowed.")]
    if errors:
        return filters, errors
    if args.get("event"):
        filters["event"] = args["event"].strip()[:64]
    user = (args.get("user") or "").strip()
    if user:
        filters["user"] = user[:254]
    for name in ("from", "to"):
        raw = (args.get(name) or "").strip()
        if not raw:
            continue
        try:
            filters[name] = datetime.strptime(raw, "%Y-%m-%d").date()
        except ValueError:
            errors[name] = [_l("A date as YYYY-MM-DD.")]
    return filters, errors


def audit_stmt(filters):
    stmt = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if "event" in filters:
        stmt = stmt.where(AuditEvent.event == filters["event"])
    if "user" in filters:
        value = filters["user"]
        if value.isdigit() and len(value) <= 18:
            uid = int(value)
            cond = sa.or_(
                AuditEvent.actor_id == uid,
                sa.and_(AuditEvent.subject_type == "users", AuditEvent.subject_id == uid),
            )
        else:
            email = value.lower()
            ids = sa.select(User.id).where(User.email == email).scalar_subquery()
            cond = sa.or_(
                AuditEvent.actor_label == email,
                AuditEvent.actor_id == ids,
                sa.and_(AuditEvent.subject_type == "users", AuditEvent.subject_id == ids),
            )
        stmt = stmt.where(cond)
    if "from" in filters:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(filters["from"], time(), KYIV))
    if "to" in filters:
        end = datetime.combine(filters["to"] + timedelta(days=1), time(), KYIV)
        stmt = stmt.where(AuditEvent.at < end)
    return stmt
