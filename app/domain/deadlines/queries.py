"""Reading deadlines: the running ones, filtered, and one lawyer's for the calendar feed."""

from datetime import timedelta

import sqlalchemy as sa

from app.core.clock import today
from app.domain.acts.models import Act
from app.domain.deadlines.models import Deadline


def running_stmt(lawyer_id=None, authority_id=None, within_days=None, overdue_only=False):
    """Acts whose term runs (sent) or passed (overdue), soonest first."""
    stmt = (
        sa.select(Act, Deadline)
        .join(Deadline, Deadline.act_id == Act.id)
        .where(Act.state.in_(("sent", "overdue")), Deadline.cancelled_at.is_(None))
        .order_by(
            sa.func.coalesce(Deadline.due_on, sa.literal(today() + timedelta(days=36500))), Act.id
        )
    )
    if lawyer_id:
        stmt = stmt.where(Act.executor_id == lawyer_id)
    if authority_id:
        stmt = stmt.where(Act.authority_id == authority_id)
    if overdue_only:
        stmt = stmt.where(sa.or_(Act.state == "overdue", Deadline.due_on < today()))
    elif within_days is not None:
        stmt = stmt.where(Deadline.due_on <= today() + timedelta(days=within_days))
    return stmt
