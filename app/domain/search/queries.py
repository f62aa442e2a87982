"""The search: one SELECT of recommendations for the filters, paged or streamed, never loaded
whole.

Plans on PostgreSQL. The GIN index answers the words; the other filters reach their own indexes
when they are lists of ids (so the planner can AND the bitmaps), which is why the facility and
authority filters are read first. A plan that walks the table in id order and computes
to_tsvector row by row until a page is full is fast for common words and takes seconds for rare
ones, and the planner cannot tell them apart (it takes words as independent). So the count goes
first, by bitmaps only; its result decides the page's plan: in id order when the words are
common (the page fills quickly), by bitmaps and a sort otherwise.
"""

from contextlib import contextmanager
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.domain.authorities.queries import subtree_ids
from app.domain.facilities.models import Facility
from app.domain.recommendations.models import Recommendation
from app.domain.recommendations.queries import overdue_clause
from app.domain.search.text import match_clause, rank_order
from app.domain.visits.models import Visit
from app.extensions import db

R = Recommendation


def search_stmt(f):
    """``select(Recommendation)`` for the filters ``f`` (a ``Filters``), in its order."""
    from app.domain.access import scope

    stmt = scope(sa.select(R), R).where(*conditions(f))
    if f.sort == "relevance":
        return stmt.order_by(*rank_order(f.words))
    if f.sort == "visit":
        stmt = stmt.join(Visit, Visit.id == R.visit_id)
    return stmt.order_by(*ORDERS[f.sort]())


def conditions(f):
    """The WHERE conditions of the filters; registries are reached by semi-joins (IN), so a
    count needs no join and the planner may start from whichever side is smaller."""
    where = []
    for column, value in (
        (R.state, f.state),
        (R.theme, f.theme),
        (R.facility_id, f.facility_id),
    ):
        if value:
            where.append(column == value)
    if f.authority_id:
        where.append(R.authority_id.in_(_ids(subtree_ids(f.authority_id))))
    facility = [
        c
        for c in (_eq(Facility.type, f.facility_type), _eq(Facility.region, f.region))
        if c is not None
    ]
    if facility:
        where.append(R.facility_id.in_(_ids(sa.select(Facility.id).where(*facility))))
    visit = [
        c
        for c in (
            _eq(Visit.kind, f.visit_kind),
            Visit.started_on >= f.visit_from if f.visit_from else None,
            Visit.started_on <= f.visit_to if f.visit_to else None,
        )
        if c is not None
    ]
    if visit:
        where.append(R.visit_id.in_(sa.select(Visit.id).where(*visit)))
    if f.due_from:
        where.append(R.due_on >= f.due_from)
    if f.due_to:
        where.append(R.due_on <= f.due_to)
    if f.overdue:
        where.append(overdue_clause())
    words = f.words
    if words:
        where.append(match_clause(words))
    return where


def _eq(column, value):
    return column == value if value else None


def _ids(stmt):
    """The ids a registry query selects, as literals (at most a few thousand facilities)."""
    return db.session.scalars(stmt).all() or [-1]


ORDERS = {
    "newest": lambda: (R.id.desc(),),
    "oldest": lambda: (R.id.asc(),),
    "due": lambda: (R.due_on.asc().nulls_last(), R.id.asc()),
    "visit": lambda: (Visit.started_on.desc(), R.id.desc()),
}

#: What a result row shows besides the recommendation: its facility and addressee.
ROW_OPTIONS = (selectinload(R.facility), selectinload(R.authority))


#: Pages order at most this many matches by relevance (ranking reads each match's text); more
#: are shown newest first, and the page says so.
RANK_LIMIT = 1000

#: Pages count the results up to this many and then say "more than": counting every match of
#: a common word would cost more than the page itself. (The API counts them all.)
COUNT_CAP = 10_000


def page(f, number, per_page, cap=COUNT_CAP):
    """One page of results (a Flask-SQLAlchemy Pagination, with ``more`` set when there are more
    than ``cap`` results and ``total`` stopped at ``cap``, and ``unranked`` when there were too
    many to order by relevance), facilities and addressees loaded."""
    counted = capped_count(search_stmt(f), f, cap)
    unranked = f.sort == "relevance" and counted > RANK_LIMIT
    stmt = search_stmt(replace(f, sort="newest") if unranked else f)
    with bitmaps_only(f if counted <= cap else None):
        result = db.paginate(
            stmt.options(*ROW_OPTIONS),
            page=number,
            per_page=per_page,
            error_out=False,
            count=False,
        )
    result.total, result.more = min(counted, cap), counted > cap
    result.unranked = unranked
    return result


def capped_count(stmt, f, cap=COUNT_CAP):
    """How many rows ``stmt`` selects, counted up to ``cap + 1`` (bitmaps only for words)."""
    first = stmt.with_only_columns(R.id).order_by(None).limit(cap + 1).subquery()
    with bitmaps_only(f):
        return db.session.scalar(sa.select(sa.func.count()).select_from(first))


@contextmanager
def bitmaps_only(f):
    """On PostgreSQL, when ``f`` has words: plans that use the indexes as bitmaps, never a walk
    that computes to_tsvector row by row (see the module's docstring)."""
    active = f is not None and f.words and db.engine.dialect.name == "postgresql"
    if active:
        prepare_bitmaps()
    try:
        yield
    finally:
        if active:
            for name in ("enable_seqscan", "enable_indexscan"):
                db.session.execute(sa.text(f"SET LOCAL {name} TO DEFAULT"))


def prepare_bitmaps():
    """Turn off scans other than bitmap scans until the end of the transaction."""
    for name in ("enable_seqscan", "enable_indexscan"):
        db.session.execute(sa.text(f"SET LOCAL {name} = off"))


def export_stmt(f):
    """The whole result for a file: streamed by the exporter, registries loaded per batch."""
    from app.domain.recommendations.exports import load_options

    return search_stmt(f).options(*load_options())


def export_prepare(f):
    """What the exporter runs before reading the result (bitmap plans when there are words)."""
    if f.words and db.engine.dialect.name == "postgresql":
        return prepare_bitmaps
    return None
