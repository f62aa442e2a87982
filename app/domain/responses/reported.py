"""Reported versus verified: what the authority says (its latest recorded position) beside what
a monitor found on a follow-up visit (the recommendation's state ``verified``)."""

import sqlalchemy as sa

from app.domain.responses.models import Response, ResponsePosition

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


def latest_position(rec_id):
    """A scalar subquery: the position of the latest recorded answer on recommendation
    ``rec_id`` (a column), or NULL (the statistics count it per recommendation, see
    app.domain.search.stats)."""
    return (
        sa.select(ResponsePosition.position)
        .join(Response, Response.id == ResponsePosition.response_id)
        .where(ResponsePosition.recommendation_id == rec_id, Response.status == "recorded")
        .order_by(Response.received_on.desc(), Response.id.desc())
        .limit(1)
        .scalar_subquery()
    )
