"""Reading authorities: filtered lists and the subtree under an authority."""

import sqlalchemy as sa

from app.domain.authorities.models import Authority
from app.extensions import db


def list_stmt(q=None, kind=None, parent_id=None):
    stmt = sa.select(Authority).order_by(Authority.name, Authority.id)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Authority.name).like(like), sa.func.lower(Authority.email).like(like)
            )
        )
    if kind:
        stmt = stmt.where(Authority.kind == kind)
    if parent_id:
        stmt = stmt.where(Authority.parent_id == parent_id)
    return stmt


def subtree_ids(authority_id):
    """The ids of an authority and every authority under it (a recursive query)."""
    tree = sa.select(Authority.id).where(Authority.id == authority_id).cte(recursive=True)
    tree = tree.union_all(sa.select(Authority.id).where(Authority.parent_id == tree.c.id))
    return sa.select(tree.c.id)


def all_for_choices():
    return db.session.execute(
        sa.select(Authority.id, Authority.name).order_by(Authority.name)
    ).all()
