"""Reported versus verified: what the authority says (its latest recorded position) beside what
a monitor found on a follow-up visit (the recommendation's state ``verified``)."""

import sqlalchemy as sa

from app.domain.recommendations.models import Recommendation
from app.domain.responses import POSITIONS
from app.domain.responses.models import Response, ResponsePosition
from app.domain.visits.models import Visit
from app.extensions import db

#: The recommendation state a follow-up visit gives when the monitor saw the change.
VERIFIED = "verified"


def latest_reported():
    """A subquery: each recommendation's latest position from a recorded answer
    (``recommendation_id``, ``position``, ``comment``, ``received_on``)."""
    ranked = (
        sa.select(
            ResponsePosition.recommendation_id,
            ResponsePosition.position,
            ResponsePosition.comment,
            Response.received_on,
            sa.func.row_number()
            .over(
                partition_by=ResponsePosition.recommendation_id,
                order_by=(Response.received_on.desc(), Response.id.desc()),
            )
            .label("n"),
        )
        .join(Response, Response.id == ResponsePosition.response_id)
        .where(Response.status == "recorded")
        .subquery()
    )
    return sa.select(ranked).where(ranked.c.n == 1).subquery()


def reported_vs_verified(start=None, end=None):
    """``[(position, reported, verified)]`` for recommendations whose visit started in the
    period: how many the authority reports in each position, and how many of those a monitor
    has verified on a visit."""
    latest = latest_reported()
    stmt = (
        sa.select(
            latest.c.position,
            sa.func.count(),
            sa.func.sum(sa.case((Recommendation.state == VERIFIED, 1), else_=0)),
        )
        .join(Recommendation, Recommendation.id == latest.c.recommendation_id)
        .join(Visit, Visit.id == Recommendation.visit_id)
        .group_by(latest.c.position)
    )
    if start:
        stmt = stmt.where(Visit.started_on >= start)
    if end:
        stmt = stmt.where(Visit.started_on <= end)
    found = {position: (n, int(v or 0)) for position, n, v in db.session.execute(stmt)}
    return [(p, *found.get(p, (0, 0))) for p in POSITIONS]
