"""Reading answers: those of an act, the authority's latest positions, what awaits assessment."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.domain.responses.models import Response
from app.extensions import db


def responses_of(act_id, recorded_only=False):
    """The act's answers in the order they arrived, with their positions and files (only the
    recorded ones, which moved states, with ``recorded_only``)."""
    stmt = (
        sa.select(Response)
        .where(Response.act_id == act_id)
        .options(selectinload(Response.positions), selectinload(Response.files))
        .order_by(Response.received_on, Response.created_at, Response.id)
    )
    if recorded_only:
        stmt = stmt.where(Response.status == "recorded")
    return db.session.scalars(stmt).all()


def to_review(source=None, act_id=None, executor_id=None):
    """The statement listing answers that wait for a lawyer, oldest first (every source)."""
    from app.domain.acts.models import Act

    stmt = (
        sa.select(Response)
        .where(Response.status == "to_review")
        .options(selectinload(Response.positions), selectinload(Response.files))
        .order_by(Response.created_at, Response.id)
    )
    if source:
        stmt = stmt.where(Response.source == source)
    if act_id:
        stmt = stmt.where(Response.act_id == act_id)
    if executor_id:
        stmt = stmt.join(Act, Act.id == Response.act_id).where(Act.executor_id == executor_id)
    return stmt


def count_to_review(executor_id=None):
    stmt = to_review(executor_id=executor_id).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt))


def latest_positions(responses):
    """{recommendation id: position} from the latest answer that states one for it."""
    latest = {}
    for response in responses:
        for p in response.positions:
            latest[p.recommendation_id] = p.position
    return latest


def awaiting_assessment(act):
    """The act's recommendations the authority answered and the lawyer has not assessed."""
    return [r for r in act.recommendations if r.state == "responded"]
