"""Reading acts."""

import sqlalchemy as sa

from app.domain.acts.models import Act, Document
from app.extensions import db


def list_stmt(state=None, kind=None, authority_id=None, q=None, executor_id=None, documents=None):
    from app.domain.access import scope

    stmt = scope(sa.select(Act), Act).order_by(Act.id.desc())
    if executor_id:
        stmt = stmt.where(Act.executor_id == executor_id)
    if documents == "todo":
        stmt = stmt.where(Act.documents_status.in_(("none", "failed")))
    elif documents in ("none", "pending", "ready", "failed"):
        stmt = stmt.where(Act.documents_status == documents)
    if state:
        stmt = stmt.where(Act.state == state)
    if kind:
        stmt = stmt.where(Act.kind == kind)
    if authority_id:
        stmt = stmt.where(Act.authority_id == authority_id)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(sa.func.lower(Act.heading).like(like), Act.outgoing_number.like(like))
        )
    return stmt


def documents_of(act_id):
    return db.session.scalars(
        sa.select(Document).where(Document.act_id == act_id).order_by(Document.id)
    ).all()


def unassessed(act):
    """The act's recommendations whose answer is not assessed yet, in the act's order."""
    from app.domain.states import group

    return [r for r in act.recommendations if r.state in group("recommendation", "unassessed")]
