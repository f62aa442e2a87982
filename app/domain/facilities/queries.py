"""Reading facilities."""

import sqlalchemy as sa

from app.domain.facilities.models import Facility
from app.extensions import db


def list_stmt(q=None, type_=None, region=None, authority_id=None):
    stmt = sa.select(Facility).order_by(Facility.name, Facility.id)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Facility.name).like(like), sa.func.lower(Facility.address).like(like)
            )
        )
    if type_:
        stmt = stmt.where(Facility.type == type_)
    if region:
        stmt = stmt.where(Facility.region == region)
    if authority_id:
        stmt = stmt.where(Facility.authority_id == authority_id)
    return stmt


def all_for_choices():
    return db.session.execute(
        sa.select(Facility.id, Facility.name, Facility.region).order_by(Facility.name)
    ).all()
