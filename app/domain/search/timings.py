"""The application's part of ``recommendation_timings``: the receipt of the act that carried a
recommendation and the sending date of the substantive answer. (The triggers keep ``sent_on``
and ``responded_on`` from the history; they never touch these two columns.)"""

import sqlalchemy as sa

from app.domain.search.models import RecommendationTiming
from app.extensions import db


def _upsert(rec_ids, **values):
    if not rec_ids:
        return
    db.session.flush()
    table = RecommendationTiming.__table__
    changed = db.session.execute(
        sa.update(table).where(table.c.recommendation_id.in_(rec_ids)).values(**values)
    ).rowcount
    if changed != len(rec_ids):
        have = set(
            db.session.scalars(
                sa.select(table.c.recommendation_id).where(table.c.recommendation_id.in_(rec_ids))
            )
        )
        missing = [{"recommendation_id": i, **values} for i in rec_ids if i not in have]
        if missing:
            db.session.execute(sa.insert(table), missing)


def set_received(rec_ids, received_on):
    """The authority received the act carrying these recommendations on ``received_on``."""
    _upsert(list(rec_ids), received_on=received_on)


def set_answered(rec_ids, answered_on):
    """The substantive answer about these recommendations was sent on ``answered_on``; the
    earliest answer counts."""
    rec_ids = list(rec_ids)
    if not rec_ids:
        return
    table = RecommendationTiming.__table__
    db.session.flush()
    earlier = set(
        db.session.scalars(
            sa.select(table.c.recommendation_id).where(
                table.c.recommendation_id.in_(rec_ids),
                table.c.answered_on.is_not(None),
                table.c.answered_on <= answered_on,
            )
        )
    )
    _upsert([i for i in rec_ids if i not in earlier], answered_on=answered_on)
