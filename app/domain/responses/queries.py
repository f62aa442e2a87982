"""Reading answers: those of an act, the authority's latest positions, what awaits assessment."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.domain.responses.models import Response
from app.extensions import db


def responses_of(act_id):
    """The act's answers in the order they arrived, with their positions and files."""
    return db.session.scalars(
        sa.select(Response)
        .where(Response.act_id == act_id)
        .options(selectinload(Response.positions), selectinload(Response.files))
        .order_by(Response.received_on, Response.id)
    ).all()


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
