"""The audit log: security events and administrators' actions, append-only.

One call, ``record_audit``, adds a row in the caller's transaction (so an action and its audit
row are committed together or not at all). Rows are never updated or deleted by the
application; on PostgreSQL a trigger refuses UPDATE and DELETE outright.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import UTCDateTime, utcnow
from app.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_event_at", "event", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: A dotted code, e.g. ``login.failed``, ``user.role_changed``, ``token.revoked``.
    event: Mapped[str] = mapped_column(sa.String(64))
    #: Who did it (null: the system, or someone not signed in such as an authority's portal).
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: The e-mail typed or the user acted upon, kept as text so it survives the user row.
    actor_label: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    subject_type: Mapped[str | None] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    ip: Mapped[str | None] = mapped_column(sa.String(64))
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)


def record_audit(
    event,
    actor=None,
    *,
    actor_label=None,
    subject=None,
    subject_type=None,
    subject_id=None,
    details=None,
    request=None,
):
    """Add one audit row in the current transaction and return it.

    ``subject`` may be a model instance (its table name and id are used); ``request`` defaults
    to the current Flask request when there is one (IP and user agent are taken from it).
    """
    from flask import has_request_context
    from flask import request as current_request

    if subject is not None:
        subject_type = subject_type or subject.__tablename__
        subject_id = subject_id if subject_id is not None else subject.id
    if request is None and has_request_context():
        request = current_request
    row = AuditEvent(
        event=event,
        actor_id=getattr(actor, "id", None),
        actor_label=(actor_label if actor_label is not None else getattr(actor, "email", ""))[:254],
        subject_type=subject_type,
        subject_id=subject_id,
        ip=(request.remote_addr if request is not None else None),
        user_agent=(request.user_agent.string[:300] if request is not None else None),
        details=dict(details or {}),
    )
    db.session.add(row)
    return row
