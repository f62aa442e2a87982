"""Reading recommendations: filtered lists, a visit's cases, history with actor names."""

import sqlalchemy as sa

from app.auth.models import User
from app.core.clock import today
from app.domain.recommendations.models import Recommendation
from app.domain.search.text import match_clause, rank_order, terms
from app.extensions import db


def list_stmt(
    state=None,
    authority_id=None,
    facility_id=None,
    visit_id=None,
    theme=None,
    overdue=False,
    q=None,
    lawyer_id=None,
    assigned=None,
):
    """Recommendations matching the filters of INTERFACE.md, newest first (``lawyer_id``: in
    acts that lawyer executes; ``assigned``: the lawyer assigned to the case, "none" for cases
    nobody is assigned). ``q`` is the full-text search of app.domain.search (``ranked`` orders
    by relevance)."""
    from app.domain.access import scope

    stmt = scope(sa.select(Recommendation), Recommendation).order_by(Recommendation.id.desc())
    if lawyer_id:
        from app.domain.acts.models import Act, act_recommendations

        in_acts = (
            sa.select(act_recommendations.c.recommendation_id)
            .join(Act, Act.id == act_recommendations.c.act_id)
            .where(Act.executor_id == lawyer_id)
        )
        stmt = stmt.where(Recommendation.id.in_(in_acts))
    if state:
        stmt = stmt.where(Recommendation.state == state)
    if authority_id:
        stmt = stmt.where(Recommendation.authority_id == authority_id)
    if facility_id:
        stmt = stmt.where(Recommendation.facility_id == facility_id)
    if visit_id:
        stmt = stmt.where(Recommendation.visit_id == visit_id)
    if theme:
        stmt = stmt.where(Recommendation.theme == theme)
    if overdue:
        stmt = stmt.where(overdue_clause())
    if assigned == "none":
        stmt = stmt.where(Recommendation.lawyer_id.is_(None))
    elif assigned:
        stmt = stmt.where(Recommendation.lawyer_id == int(assigned))
    words = terms(q)
    if words:
        stmt = stmt.where(match_clause(words))
    return stmt


def ranked(stmt, q, cap=None):
    """``stmt`` (from ``list_stmt``) best match first when ``q`` has words and the matches are
    few enough to rank (app.domain.search.queries.RANK_LIMIT); (stmt, ranked or not, how many
    rows it selects up to ``cap`` — the page's count cap unless told; None without words)."""
    from app.core.pagination import COUNT_CAP
    from app.domain.search.filters import Filters
    from app.domain.search.queries import RANK_LIMIT, capped_count

    words = terms(q)
    if not words:
        return stmt, False, None
    counted = capped_count(stmt, Filters(q=q), cap or COUNT_CAP)
    if counted > RANK_LIMIT:
        return stmt, False, counted
    return stmt.order_by(None).order_by(*rank_order(words)), True, counted


def overdue_clause(on=None):
    """Overdue: marked so by the sweep, or sent and past its due date (the sweep is pending)."""
    on = on or today()
    return sa.or_(
        Recommendation.state == "overdue",
        sa.and_(Recommendation.state == "sent_to_authority", Recommendation.due_on < on),
    )


def of_visit(visit_id):
    return db.session.scalars(
        sa.select(Recommendation)
        .where(Recommendation.visit_id == visit_id)
        .order_by(Recommendation.id)
    ).all()


def actor_names(history):
    ids = {h.actor_id for h in history if h.actor_id}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))).all())
