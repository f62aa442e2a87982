"""Figures for a period (see the package for the definitions); only groups reach Python.

PostgreSQL: a roll-up per grouping and visit day (stats_recommendation_days) and per month
(stats_recommendation_months) is summed over the period, whole months from the monthly rows.
Database triggers name the visit days whose counts changed (stats_changed_days); a periodic job
recounts only those days (``refresh``), and a page refreshes it itself when it is older than
STATS_MAX_AGE. SQLite: counted live, one narrow row per recommendation, then a GROUP BY per
grouping, in one statement.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.core.clock import KYIV, today
from app.core.db import utcnow
from app.domain import codes
from app.domain.authorities.models import Authority
from app.domain.facilities.models import Facility
from app.domain.recommendations import STATES
from app.domain.recommendations.models import Recommendation
from app.domain.recommendations.queries import overdue_clause
from app.domain.responses import POSITIONS
from app.domain.search import IMPLEMENTED_STATES, PARTIAL_STATES
from app.domain.search.models import (
    RecommendationTiming,
    changed_days,
    rollup_days,
    rollup_months,
    rollup_state,
)
from app.domain.visits.models import Visit
from app.extensions import db

R, F, V, T = Recommendation, Facility, Visit, RecommendationTiming
#: The groupings of the API's group_by and of the dashboard's tables.
GROUPINGS = ("state", "authority", "region", "facility_type", "theme", "year")
#: The counts every group carries, in the order of the tables.
MEASURES = ("total", "implemented", "partially", "overdue", "answered", "settled", "in_time")


@dataclass
class Group:
    """One row of a table: a key, its label and the counts."""

    key: object
    label: str
    total: int = 0
    implemented: int = 0
    partially: int = 0
    overdue: int = 0
    answered: int = 0
    settled: int = 0
    in_time: int = 0

    @property
    def rate(self):
        """Implementation rate in per cent (implemented / total), one decimal."""
        return _percent(self.implemented, self.total)

    @property
    def in_time_share(self):
        """Answered in time, in per cent of the recommendations whose term is settled."""
        return _percent(self.in_time, self.settled)


@dataclass
class Figures:
    """The dashboard: tables per grouping, the totals and the median days to answer."""

    tables: dict = field(default_factory=dict)
    totals: Group | None = None
    median_days: float | None = None
    #: [(position, reported, verified)]: the authorities' latest recorded positions, and how
    #: many of each a monitor verified on a follow-up visit.
    reported: list = field(default_factory=list)


#: Timeliness counts from the authority's receipt to the answer's sending (postmark) date (Civil
#: Code Art. 255 part 2), falling back to the history's dates where those are not known.
ANSWERED_ON = sa.func.coalesce(T.answered_on, T.responded_on)
CLOCK_FROM = sa.func.coalesce(T.received_on, T.sent_on)


def _percent(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _dimensions(dialect):
    from app.domain.responses.reported import VERIFIED, latest_position

    year = (
        sa.cast(sa.func.extract("year", V.started_on), sa.Integer)
        if dialect == "postgresql"
        else sa.cast(sa.func.strftime("%Y", V.started_on), sa.Integer)
    )
    days = (
        ANSWERED_ON - CLOCK_FROM
        if dialect == "postgresql"
        else sa.cast(sa.func.julianday(ANSWERED_ON) - sa.func.julianday(CLOCK_FROM), sa.Integer)
    )
    return {
        "state": R.state,
        "authority": R.authority_id,
        "region": F.region,
        "facility_type": F.type,
        "theme": R.theme,
        "year": year,
        "days": days,
        # The latest recorded answer's position; the same, only for the verified ones (the
        # CASE looks the answer up only for those).
        "reported": latest_position(R.id),
        "reported_verified": sa.case((R.state == VERIFIED, latest_position(R.id))),
    }


def _flags(on):
    """Per recommendation, 1 or 0 for each counted property (total is every row)."""

    def flag(condition):
        return sa.case((condition, 1), else_=0)

    return {
        "implemented": flag(R.state.in_(IMPLEMENTED_STATES)),
        "partially": flag(R.state.in_(PARTIAL_STATES)),
        "overdue": flag(overdue_clause(on)),
        "answered": flag(T.responded_on.is_not(None)),
        "settled": flag(
            sa.and_(
                T.sent_on.is_not(None),
                R.due_on.is_not(None),
                sa.or_(T.responded_on.is_not(None), R.due_on < on),
            )
        ),
        "in_time": flag(ANSWERED_ON <= R.due_on),
    }


def _base(select, start, end):
    """Recommendations past the draft state whose visit started in the period."""
    stmt = (
        select.select_from(R)
        .join(F, F.id == R.facility_id)
        .join(V, V.id == R.visit_id)
        .outerjoin(T, T.recommendation_id == R.id)
        .where(R.state != "draft")
    )
    if start:
        stmt = stmt.where(V.started_on >= start)
    if end:
        stmt = stmt.where(V.started_on <= end)
    return stmt


def counts(names, start=None, end=None):
    """{grouping: {key: {measure: n}}} for the groupings ``names`` (of GROUPINGS and "days"):
    from the roll-up on PostgreSQL, counted live on SQLite."""
    if db.engine.dialect.name == "postgresql":
        return rollup_counts(names, start, end)
    return live_counts(names, start, end)


def live_counts(names, start=None, end=None):
    """Counted from the tables: one narrow row per recommendation, computed once, then a
    GROUP BY per grouping over it (in one UNION ALL statement)."""
    dims = _dimensions(db.engine.dialect.name)
    flags = _flags(today())
    base = _base(
        sa.select(*[dims[n].label(n) for n in names], *[v.label(k) for k, v in flags.items()]),
        start,
        end,
    ).cte("base")
    if len(names) > 1:
        base = base.prefix_with("MATERIALIZED")
    parts = [
        sa.select(
            sa.literal(n).label("dim"),
            sa.cast(base.c[n], sa.String).label("k"),
            sa.func.count().label("total"),
            *[sa.func.sum(base.c[k]).label(k) for k in flags],
        ).group_by(base.c[n])
        for n in names
    ]
    stmt = parts[0] if len(parts) == 1 else sa.union_all(*parts)
    return _collect(names, db.session.execute(stmt).mappings())


#: The groupings stored in the roll-up ("year" is summed from the "state" rows).
STORED = (
    "state",
    "authority",
    "region",
    "facility_type",
    "theme",
    "days",
    "reported",
    "reported_verified",
)
#: What the dashboard reads beside its tables.
EXTRA = ("days", "reported", "reported_verified")


def rollup_counts(names, start=None, end=None):
    """Summed from the roll-up, refreshed first when too old (see ``refresh_if_stale``): the
    period's whole months from the monthly sums, only its partial months' days from the daily
    ones, so a page reads at most a few rows per key and month whatever the number of cases."""
    refresh_if_stale()
    wanted = [n for n in names if n != "year"] + (["state"] if "year" in names else [])
    rows = sa.union_all(
        *[
            sa.select(t.c.dim, t.c.key, t.c.visit_on, *[t.c[m] for m in MEASURES]).where(
                t.c.dim.in_(sorted(set(wanted))), *where
            )
            for t, where in _pieces(start, end)
        ]
    ).subquery("rows")
    sums = [sa.func.sum(rows.c[m]).label(m) for m in MEASURES]
    stored = [n for n in names if n != "year"]
    parts = []
    if stored:
        parts.append(
            sa.select(rows.c.dim, rows.c.key.label("k"), *sums)
            .where(rows.c.dim.in_(stored))
            .group_by(rows.c.dim, rows.c.key)
        )
    if "year" in names:
        year = sa.cast(sa.cast(sa.func.extract("year", rows.c.visit_on), sa.Integer), sa.String)
        parts.append(
            sa.select(sa.literal("year").label("dim"), year.label("k"), *sums)
            .where(rows.c.dim == "state")
            .group_by(year)
        )
    stmt = parts[0] if len(parts) == 1 else sa.union_all(*parts)
    return _collect(names, db.session.execute(stmt).mappings())


def _month_after(day):
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _pieces(start, end):
    """[(table, conditions)] that cover the period [start, end] once: its whole months from
    the monthly table, the days before the first and after the last whole month from the daily
    one (None: open)."""
    days, months = rollup_days.c.visit_on, rollup_months.c.visit_on
    first = start if start is None or start.day == 1 else _month_after(start)
    after = None if end is None else (end + timedelta(days=1)).replace(day=1)
    if first is not None and after is not None and first >= after:  # no whole month
        return [(rollup_days, [days >= start, days <= end])]
    whole = ([months >= first] if first else []) + ([months < after] if after else [])
    out = [(rollup_months, whole)]
    if start is not None and start < first:
        out.append((rollup_days, [days >= start, days < first]))
    if end is not None and after <= end:
        out.append((rollup_days, [days >= after, days <= end]))
    return out


def _collect(names, rows):
    out = {name: {} for name in names}
    for row in rows:
        if row["k"] is not None:  # days of recommendations not answered
            out[row["dim"]][_key(row["dim"], row["k"])] = {m: int(row[m] or 0) for m in MEASURES}
    return out


def rollup_time():
    """When the roll-up was last refreshed (None on SQLite, where figures are live, and before
    the first refresh)."""
    if db.engine.dialect.name != "postgresql":
        return None
    return db.session.execute(sa.select(rollup_state.c.refreshed_at)).scalar()


def refresh_if_stale():
    """Refresh the roll-up when it is older than STATS_MAX_AGE seconds (default 900) or from
    an earlier day in Kyiv: the periodic job normally keeps it fresher than that."""
    max_age = current_app.config.get("STATS_MAX_AGE", 900)
    at = rollup_time()
    if at is not None and at.astimezone(KYIV).date() == today():
        if (utcnow() - at).total_seconds() <= max_age:
            return False
    return refresh()


def refresh():
    """Bring the roll-up up to date now, in a transaction of its own (readers see the previous
    counts until it commits); skipped (False) when another process is refreshing it. A no-op
    on SQLite.

    Only the visit days named in ``stats_changed_days`` since the last refresh are recounted,
    and, when the Kyiv day moved on, the days of the recommendations whose term fell due in
    between (their "overdue" and "settled" depend on the day). The first refresh counts all."""
    if db.engine.dialect.name != "postgresql":
        return False
    on = today()
    with db.engine.begin() as conn:
        if not conn.execute(sa.text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": LOCK}).scalar():
            return False
        conn.execute(sa.text("SET LOCAL jit = off"))
        counted_on = conn.execute(sa.select(rollup_state.c.counted_on)).scalar()
        changed = _take_changed_days(conn)
        if counted_on is None:
            _recount(conn, None, on)
        else:
            if counted_on != on:
                changed |= _days_falling_due(conn, counted_on, on)
            if changed:
                _recount(conn, sorted(changed), on)
        _mark_refreshed(conn, on)
    return True


def _take_changed_days(conn):
    """Empty the change log, returning the distinct days it named. Rows written by
    transactions that commit later stay for the next refresh."""
    gone = sa.delete(changed_days).returning(changed_days.c.visit_on).cte("gone")
    return set(conn.scalars(sa.select(gone.c.visit_on).distinct()))


def _days_falling_due(conn, since, on):
    """Visit days of the recommendations whose term ends between the two Kyiv days."""
    low, high = min(since, on), max(since, on)
    return set(
        conn.scalars(
            sa.select(V.started_on)
            .distinct()
            .join(R, R.visit_id == V.id)
            .where(R.due_on >= low, R.due_on < high)
        )
    )


def _recount(conn, days, on):
    """Recount the daily rows of ``days`` (None: every day); the months that hold them lose
    the old rows' counts and gain the new ones'."""
    if days is None:
        conn.execute(sa.delete(rollup_days))
        conn.execute(sa.insert(rollup_days).from_select(_ROLLUP_COLUMNS, _daily_rows(None, on)))
        conn.execute(sa.delete(rollup_months))
        conn.execute(sa.insert(rollup_months).from_select(_ROLLUP_COLUMNS, _monthly_rows()))
        return
    conn.execute(_add_to_months(days, -1))
    conn.execute(sa.delete(rollup_days).where(rollup_days.c.visit_on.in_(days)))
    conn.execute(sa.insert(rollup_days).from_select(_ROLLUP_COLUMNS, _daily_rows(days, on)))
    conn.execute(_add_to_months(days, 1))
    months = sorted({d.replace(day=1) for d in days})
    conn.execute(
        sa.delete(rollup_months).where(
            rollup_months.c.visit_on.in_(months), rollup_months.c.total == 0
        )
    )


_ROLLUP_COLUMNS = ("dim", "key", "visit_on", *MEASURES)


def _add_to_months(days, sign):
    """Add (sign 1) or take away (-1) the daily rows of ``days`` to or from their months."""
    rows = _monthly_rows(days, sign)
    stmt = pg_insert(rollup_months).from_select(_ROLLUP_COLUMNS, rows)
    return stmt.on_conflict_do_update(
        index_elements=["dim", "key", "visit_on"],
        set_={m: rollup_months.c[m] + stmt.excluded[m] for m in MEASURES},
    )


def _daily_rows(days, on):
    """Per stored grouping, key and visit day: the counts (the live count's flags)."""
    dims = _dimensions("postgresql")
    flags = _flags(on)
    base = _base(
        sa.select(
            V.started_on.label("visit_on"),
            *[dims[n].label(n) for n in STORED],
            *[v.label(k) for k, v in flags.items()],
        ),
        None,
        None,
    )
    if days is not None:
        base = base.where(V.started_on.in_(days))
    base = base.cte("base").prefix_with("MATERIALIZED")
    return sa.union_all(
        *[
            sa.select(
                sa.literal(n, sa.String).label("dim"),
                sa.cast(base.c[n], sa.String).label("key"),
                base.c.visit_on,
                sa.func.count().label("total"),
                *[sa.func.sum(base.c[k]).label(k) for k in flags],
            )
            .where(base.c[n].is_not(None))
            .group_by(base.c[n], base.c.visit_on)
            for n in STORED
        ]
    )


def _monthly_rows(days=None, sign=1):
    """The daily rows of ``days`` (None: all) summed per month, times ``sign``."""
    d = rollup_days.c
    month = sa.cast(sa.func.date_trunc("month", d.visit_on), sa.Date)
    stmt = sa.select(
        d.dim, d.key, month.label("visit_on"), *[sign * sa.func.sum(d[m]) for m in MEASURES]
    )
    if days is not None:
        stmt = stmt.where(d.visit_on.in_(days))
    return stmt.group_by(d.dim, d.key, month)


def _mark_refreshed(conn, on):
    values = {"counted_on": on, "refreshed_at": utcnow()}
    stmt = pg_insert(rollup_state).values(id=1, **values)
    conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=values))


#: The advisory lock that lets one process refresh the roll-up at a time.
LOCK = 730_117_001


def _key(name, raw):
    if raw is None:
        return None
    return int(raw) if name in ("authority", "year", "days") else raw


def table(name, found):
    """The rows of grouping ``name`` from ``found`` ({key: counts}), labelled and ordered."""
    keys = [k for k in found if k is not None]
    labels = _labels(name, keys)
    rows = [Group(k, labels.get(k, str(k)), **found[k]) for k in keys]
    if name in ORDER:
        position = {code: i for i, code in enumerate(ORDER[name])}
        rows.sort(key=lambda g: position.get(g.key, len(position)))
    elif name == "year":
        rows.sort(key=lambda g: g.key)
    else:
        rows.sort(key=lambda g: (-g.total, str(g.label)))
    return rows


ORDER = {
    "state": STATES,
    "facility_type": tuple(codes.FACILITY_TYPES),
    "theme": tuple(codes.THEMES),
}


def _labels(name, keys):
    if name == "state":
        from app.workflow import get_engine

        return {k: get_engine().label("recommendation", k) for k in keys}
    if name == "authority":
        if not keys:
            return {}
        rows = db.session.execute(
            sa.select(Authority.id, Authority.name).where(Authority.id.in_(keys))
        )
        return dict(rows.all())
    tables = {"region": codes.REGIONS, "facility_type": codes.FACILITY_TYPES, "theme": codes.THEMES}
    if name in tables:
        return {k: str(codes.label(tables[name], k)) for k in keys}
    return {k: str(k) for k in keys}


def median(histogram):
    """The median of values given as {value: how many} (None when empty)."""
    n = sum(histogram.values())
    if not n:
        return None
    ordered, seen, low = sorted(histogram.items()), 0, None
    for value, count in ordered:
        if low is None and seen + count >= (n + 1) // 2:
            low = value
        if seen + count >= n // 2 + 1:
            return (low + value) / 2 if n % 2 == 0 else float(low)
        seen += count
    return float(low)


def figures(start=None, end=None):
    """Every table of the dashboard for the period, from one statement."""
    found = counts(GROUPINGS + EXTRA, start, end)
    result = Figures()
    for name in GROUPINGS:
        result.tables[name] = table(name, found[name])
    totals = Group(None, "")
    for counted in found["state"].values():
        for m in MEASURES:
            setattr(totals, m, getattr(totals, m) + counted[m])
    result.totals = totals
    days = {k: v["total"] for k, v in found["days"].items() if k is not None}
    result.median_days = median(days)
    reported, verified = found["reported"], found["reported_verified"]
    result.reported = [
        (p, reported.get(p, {}).get("total", 0), verified.get(p, {}).get("total", 0))
        for p in POSITIONS
    ]
    return result


def grouped(name, start=None, end=None):
    """The rows of one grouping (the API's group_by)."""
    return table(name, counts((name,), start, end)[name])
