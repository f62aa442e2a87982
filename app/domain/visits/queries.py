"""Reading visits."""

import sqlalchemy as sa

from app.domain.facilities.models import Facility
from app.domain.visits.models import Visit, visit_monitors
from app.extensions import db


def list_stmt(
    q=None, facility_id=None, kind=None, region=None, monitor_id=None, since=None, until=None
):
    from app.domain.access import scope

    stmt = scope(sa.select(Visit), Visit).join(Facility)
    stmt = stmt.order_by(Visit.started_on.desc(), Visit.id.desc())
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(sa.func.lower(Facility.name).like(like), sa.func.lower(Visit.summary).like(like))
        )
    if facility_id:
        stmt = stmt.where(Visit.facility_id == facility_id)
    if kind:
        stmt = stmt.where(Visit.kind == kind)
    if region:
        stmt = stmt.where(Facility.region == region)
    if monitor_id:
        members = sa.select(visit_monitors.c.visit_id).where(visit_monitors.c.user_id == monitor_id)
        stmt = stmt.where(Visit.id.in_(members))
    if since:
        stmt = stmt.where(Visit.started_on >= since)
    if until:
        stmt = stmt.where(Visit.started_on <= until)
    return stmt


def monitor_choices():
    from app.auth.models import User

    return db.session.execute(
        sa.select(User.id, User.name)
        .where(User.role == "monitor", User.is_active.is_(True))
        .order_by(User.name)
    ).all()
