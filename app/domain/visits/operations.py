"""Writing visits."""

import sqlalchemy as sa

from app.auth.models import User
from app.domain.visits.models import Visit
from app.extensions import db

FIELDS = ("facility_id", "started_on", "ended_on", "kind", "summary", "participants")


class NotAMember(Exception):
    """A monitor may only create or edit visits they take part in."""


def save_visit(data, actor, visit=None):
    """Create or update a visit from validated values (a page's form or an API body); a monitor
    is always on their own team."""
    ids = set(data["monitor_ids"] or [])
    if actor.role == "monitor":
        if visit is not None and not visit.has_member(actor):
            raise NotAMember()
        ids.add(actor.id)
    if visit is None:
        visit = Visit(created_by_id=actor.id)
        db.session.add(visit)
    for name in FIELDS:
        value = data[name]
        setattr(visit, name, value.strip() if isinstance(value, str) else value)
    visit.monitors = (
        list(db.session.scalars(sa.select(User).where(User.id.in_(ids)))) if ids else []
    )
    db.session.flush()
    return visit


def can_edit_visit(user, visit):
    return user.role in ("admin", "lawyer") or (user.role == "monitor" and visit.has_member(user))
