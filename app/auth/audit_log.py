"""Reading the audit log (the page and the API share the filters and the serialisation)."""

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core.audit import AuditEvent
from app.core.clock import KYIV

#: The events the application records, with their names for the page.
EVENT_LABELS = {
    "login.succeeded": _l("Signed in"),
    "login.failed": _l("Sign-in failed"),
    "login.locked": _l("Sign-in locked after failed attempts"),
    "login.refused_locked": _l("Sign-in refused: locked"),
    "login.2fa_failed": _l("Wrong second-factor code"),
    "logout": _l("Signed out"),
    "session.ended": _l("Session ended"),
    "session.ended_others": _l("Other sessions ended"),
    "2fa.enabled": _l("Second factor turned on"),
    "2fa.disabled": _l("Second factor turned off"),
    "2fa.reset": _l("Second factor reset"),
    "2fa.recovery_code_used": _l("Recovery code used"),
    "2fa.recovery_codes_renewed": _l("Recovery codes renewed"),
    "user.created": _l("User created"),
    "user.updated": _l("User changed"),
    "user.role_changed": _l("Role changed"),
    "user.password_changed": _l("Password changed"),
    "token.created": _l("API token created"),
    "token.revoked": _l("API token revoked"),
    "feed.link_created": _l("Calendar feed link created"),
    "feed.link_revoked": _l("Calendar feed link revoked"),
    "calendar.day_saved": _l("Calendar day saved"),
    "calendar.day_deleted": _l("Calendar day deleted"),
    "calendar.period_saved": _l("Calendar period saved"),
    "authority.created": _l("Authority added"),
    "authority.updated": _l("Authority changed"),
    "facility.created": _l("Facility added"),
    "facility.updated": _l("Facility changed"),
    "act.legal_hold_set": _l("Legal hold set on an act"),
    "act.legal_hold_released": _l("Legal hold released"),
    "import.recommendations": _l("Recommendations imported"),
    "portal.answer_submitted": _l("Answer submitted through the link"),
    "portal_link.renewed": _l("Answer link renewed"),
    "portal_link.revoked": _l("Answer link revoked"),
    "response.recorded": _l("Answer recorded after review"),
    "response.returned": _l("Answer returned with a question"),
    "retention.purged": _l("Records deleted at the end of retention"),
    "email.retry": _l("E-mail sent again"),
    "email.cancel": _l("E-mail cancelled"),
    "email.delivered": _l("E-mail delivered by other means"),
}
#: The events the filter accepts.
EVENT_CODES = set(EVENT_LABELS)
#: What an event is about (the table of its subject) and the keys of its details, for the page.
SUBJECT_LABELS = {
    "users": _l("user"),
    "api_tokens": _l("API token"),
    "authorities": _l("authority"),
    "facilities": _l("facility"),
    "acts": _l("act"),
    "responses": _l("answer"),
    "portal_links": _l("answer link"),
    "calendar_days": _l("calendar day"),
}
DETAIL_LABELS = {
    "role": _l("role"),
    "method": _l("method"),
    "email": _l("e-mail"),
    "name": _l("name"),
    "reason": _l("reason"),
    "until": _l("until"),
    "day": _l("day"),
    "session": _l("session"),
    "links": _l("links"),
    "link_id": _l("link"),
    "act_id": _l("act"),
    "user_id": _l("user"),
    "unknown": _l("unknown address"),
    "seconds": _l("seconds"),
}
#: How a person signed in (the ``method`` of a sign-in).
METHOD_LABELS = {
    "password": _l("password"),
    "totp": _l("password and one-time code"),
    "recovery": _l("password and recovery code"),
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
