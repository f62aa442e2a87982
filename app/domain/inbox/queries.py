"""Reading the inbox: lists by state, counts, acts to file a message on."""

import sqlalchemy as sa

from app.domain.acts.models import Act
from app.domain.authorities.models import Authority
from app.domain.inbox import STATES
from app.domain.inbox.models import InboxMessage
from app.domain.responses import OPEN_ACT_STATES
from app.extensions import db


def by_state(state):
    return (
        sa.select(InboxMessage)
        .where(InboxMessage.state == state)
        .order_by(InboxMessage.received_at.desc(), InboxMessage.id.desc())
    )


def counts():
    rows = db.session.execute(
        sa.select(InboxMessage.state, sa.func.count()).group_by(InboxMessage.state)
    ).all()
    found = dict(rows)
    return {state: found.get(state, 0) for state in STATES}


def waiting_count():
    """Messages a lawyer has to look at: unmatched ones and delivery failures not set aside."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(InboxMessage)
        .where(InboxMessage.state.in_(("unmatched", "bounce")))
    )


def acts_to_file_on(q, limit=20):
    """Acts that take answers, by outgoing number or authority name (``q``)."""
    stmt = (
        sa.select(Act)
        .join(Authority, Authority.id == Act.authority_id)
        .where(Act.state.in_(OPEN_ACT_STATES))
        .order_by(Act.sent_on.desc(), Act.id.desc())
        .limit(limit)
    )
    q = (q or "").strip()[:200]
    if q:
        like = "%" + q.replace("\\", "").replace("%", "").replace("_", "") + "%"
        stmt = stmt.where(sa.or_(Act.outgoing_number.ilike(like), Authority.name.ilike(like)))
    return db.session.scalars(stmt).all()
