"""The new act's picker: why an act to an authority can carry none of its recommendations."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from app.domain.acts.operations import busy_holds, eligible_states
from app.domain.authorities.queries import subtree_ids
from app.domain.recommendations.models import Recommendation
from app.extensions import db

#: How many holding acts the explanation names.
ACTS_NAMED = 20


@dataclass
class Unavailable:
    """Recommendations to an authority and the bodies under it that an act cannot carry now."""

    #: All recommendations addressed to the authority or a body under it.
    total: int = 0
    #: [(act id, recommendations it holds)]: open acts that already carry eligible ones.
    held_by: list = field(default_factory=list)
    #: [(state, count)]: recommendations in states this kind of act does not carry.
    other_states: list = field(default_factory=list)


def why_none(authority_id, kind) -> Unavailable:
    """Count what keeps the recommendations of ``authority_id``'s subtree out of an act of
    ``kind``: states it does not carry, and other open acts holding them."""
    in_tree = Recommendation.authority_id.in_(subtree_ids(authority_id))
    by_state = db.session.execute(
        sa.select(Recommendation.state, sa.func.count())
        .where(in_tree)
        .group_by(Recommendation.state)
        .order_by(Recommendation.state)
    ).all()
    carried = eligible_states(kind)
    busy = busy_holds(kind)
    held_by = db.session.execute(
        sa.select(busy.c.act_id, sa.func.count())
        .join(Recommendation, Recommendation.id == busy.c.recommendation_id)
        .where(in_tree, Recommendation.state.in_(carried))
        .group_by(busy.c.act_id)
        .order_by(busy.c.act_id)
        .limit(ACTS_NAMED)
    ).all()
    return Unavailable(
        total=sum(n for _, n in by_state),
        held_by=[tuple(row) for row in held_by],
        other_states=[(state, n) for state, n in by_state if state not in carried],
    )
