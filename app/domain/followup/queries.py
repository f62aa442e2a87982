"""Reading for the home pages, the facility timeline and the follow-up checklist."""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.core.clock import today
from app.domain import states as _states
from app.domain.acts.models import Act, act_recommendations
from app.domain.deadlines.models import Deadline
from app.domain.recommendations.models import Recommendation
from app.domain.visits.models import Visit, visit_monitors
from app.extensions import db

#: What is still to check on a visit: issued and not yet verified or closed.
CHECKLIST_STATES = _states.group("recommendation", "to_check")


def _count(stmt):
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))


def lawyer_counts(user, days=5):
    """The lawyer's work today, each a count; the keys name the lists they open."""
    mine = Act.executor_id == user.id
    soon = today() + timedelta(days=days + 2 * (days // 5 + 1))  # N working days, roughly
    return {
        "to_generate": _count(
            sa.select(Act.id).where(
                mine, Act.state == "draft", Act.documents_status.in_(("none", "failed"))
            )
        ),
        "to_send": _count(
            sa.select(Act.id).where(mine, Act.state == "draft", Act.documents_status == "ready")
        ),
        "emails_failed": _failed_emails(user),
        "deadlines_soon": _count(
            sa.select(Act.id)
            .join(Deadline, Deadline.act_id == Act.id)
            .where(
                mine, Act.state == "sent", Deadline.cancelled_at.is_(None), Deadline.due_on <= soon
            )
        ),
        "overdue": _count(sa.select(Act.id).where(mine, Act.state == "overdue")),
        "to_assess": _count(
            sa.select(Recommendation.id)
            .distinct()
            .join(act_recommendations, act_recommendations.c.recommendation_id == Recommendation.id)
            .join(Act, Act.id == act_recommendations.c.act_id)
            .where(mine, Recommendation.state == "responded")
        ),
        "to_review": _to_review(),
        "inbox": _inbox_waiting(),
    }


def _to_review():
    """Answers that came by themselves (portal, e-mail) and wait for a lawyer, on any act: the
    whole office's queue, since whoever is free reviews them."""
    from app.domain.responses.queries import count_to_review

    return count_to_review()


def _inbox_waiting():
    """Mail of the office mailbox that waits for a lawyer (unmatched, not delivered)."""
    from app.domain.inbox.queries import waiting_count

    return waiting_count()


def _failed_emails(user):
    from app.mail.models import OutboxEmail

    acts = sa.select(Act.id).where(Act.executor_id == user.id)
    return _count(
        sa.select(OutboxEmail.id).where(
            OutboxEmail.subject_type == "acts",
            OutboxEmail.subject_id.in_(acts),
            OutboxEmail.status.in_(("failed", "held")),
        )
    )


#: What the monitor's home shows at most of each list: the page's size never grows with the
#: database (a monitor of many years has thousands of visits).
HOME_NEXT_VISITS = 5
HOME_RECENT_VISITS = 10
HOME_FACILITIES = 15
#: ... chosen among the facilities of the monitor's latest this many visits ("now", not all
#: the years: counting the open cases of every facility ever visited grows with the database).
HOME_FACILITY_VISITS = 100


def _my_visits(user):
    return (
        sa.select(Visit.id)
        .join(visit_monitors, visit_monitors.c.visit_id == Visit.id)
        .where(visit_monitors.c.user_id == user.id)
    )


def monitor_visits(user):
    """The monitor's next visits (soonest first) and recent ones (newest first), each with its
    recommendations counted by state, and how many visits they have in all."""
    mine = _my_visits(user)
    now = today()
    upcoming = db.session.scalars(
        sa.select(Visit)
        .options(selectinload(Visit.facility))
        .where(Visit.id.in_(mine), Visit.started_on > now)
        .order_by(Visit.started_on, Visit.id)
        .limit(HOME_NEXT_VISITS)
    ).all()
    recent = db.session.scalars(
        sa.select(Visit)
        .options(selectinload(Visit.facility))
        .where(Visit.id.in_(mine), Visit.started_on <= now)
        .order_by(Visit.started_on.desc(), Visit.id.desc())
        .limit(HOME_RECENT_VISITS)
    ).all()
    counts = _by_state(Recommendation.visit_id, [v.id for v in upcoming + recent])
    return {
        "next": [(v, counts.get(v.id, {})) for v in upcoming],
        "recent": [(v, counts.get(v.id, {})) for v in recent],
        "total": _count(mine),
    }


def monitor_facilities(user):
    """Of the facilities of the monitor's latest visits (HOME_FACILITY_VISITS), those with most
    recommendations still open (at most HOME_FACILITIES), and how many facilities they visited
    in all."""
    from app.domain.facilities.models import Facility

    latest = (
        sa.select(Visit.facility_id)
        .where(Visit.id.in_(_my_visits(user)))
        .order_by(Visit.started_on.desc(), Visit.id.desc())
        .limit(HOME_FACILITY_VISITS)
        .subquery()
    )
    recent = sa.select(latest.c.facility_id).distinct()
    visited = sa.select(Visit.facility_id).where(Visit.id.in_(_my_visits(user))).distinct()
    open_count = sa.func.count(Recommendation.id)
    rows = db.session.execute(
        sa.select(Facility, open_count)
        .outerjoin(
            Recommendation,
            sa.and_(
                Recommendation.facility_id == Facility.id,
                Recommendation.state.in_(CHECKLIST_STATES),
            ),
        )
        .where(Facility.id.in_(recent))
        .group_by(Facility.id)
        .order_by(open_count.desc(), Facility.name)
        .limit(HOME_FACILITIES)
    ).all()
    return {"rows": rows, "total": _count(visited)}


#: Overdue first, then by due date (none last): literals, not parameters, so that PostgreSQL
#: reads the rows in the order of the index ix_expr_recommendations_open_order.
OPEN_ORDER = (
    sa.case(
        (Recommendation.state == sa.literal_column("'overdue'"), sa.literal_column("0")),
        else_=sa.literal_column("1"),
    ),
    Recommendation.due_on.is_(None),
    Recommendation.due_on,
    Recommendation.id,
)


def monitor_open_recommendations(user):
    """The still-open recommendations of the facilities the monitor visited, overdue first,
    then by due date: a statement for the home page's pager."""
    visited = sa.select(Visit.facility_id).where(Visit.id.in_(_my_visits(user))).distinct()
    return (
        sa.select(Recommendation)
        .options(selectinload(Recommendation.facility))
        .where(
            Recommendation.facility_id.in_(visited),
            Recommendation.state.in_(CHECKLIST_STATES),
        )
        .order_by(*OPEN_ORDER)
    )


def _by_state(column, keys):
    if not keys:
        return {}
    out = {}
    rows = db.session.execute(
        sa.select(column, Recommendation.state, sa.func.count())
        .where(column.in_(keys))
        .group_by(column, Recommendation.state)
    )
    for key, state, n in rows:
        out.setdefault(key, {})[state] = n
    return out


#: The facility page shows this many visits at a time (the latest first page; earlier ones on
#: the next pages): a facility visited for decades still opens as fast as a new one.
TIMELINE_VISITS = 10


@dataclass
class Timeline:
    """One page of a facility's visits, oldest first, each with its recommendations."""

    rows: list
    positions: dict
    page: int = 1
    #: Whether earlier (older) or later visits are on other pages.
    earlier: bool = False
    later: bool = False


def timeline(facility_id, page=1, per_page=TIMELINE_VISITS):
    """The facility's visits, a page at a time (page 1: the latest ``per_page``), oldest first,
    each with its recommendations, their acts and the authority's answers: the cycle
    'visit – change' at a glance."""
    page = max(1, min(page, 100_000))
    visits = db.session.scalars(
        sa.select(Visit)
        .where(Visit.facility_id == facility_id)
        .options(selectinload(Visit.monitors))
        .order_by(Visit.started_on.desc(), Visit.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    earlier = len(visits) > per_page
    visits = list(reversed(visits[:per_page]))
    recs = db.session.scalars(
        sa.select(Recommendation)
        .where(Recommendation.visit_id.in_([v.id for v in visits]))
        .options(selectinload(Recommendation.acts), selectinload(Recommendation.repeated_by))
        .order_by(Recommendation.id)
    ).all()
    positions = latest_positions([r.id for r in recs])
    by_visit = {}
    for rec in recs:
        by_visit.setdefault(rec.visit_id, []).append(rec)
    rows = [(v, by_visit.get(v.id, [])) for v in visits]
    return Timeline(rows, positions, page=page, earlier=earlier, later=page > 1)


def latest_positions(rec_ids):
    """{recommendation id: (position, comment, received_on)}: what the authority reports, from
    its latest recorded answer stating a position (answers still to review do not count)."""
    if not rec_ids:
        return {}
    from app.domain.responses.reported import latest_reported

    latest = latest_reported()
    rows = db.session.execute(sa.select(latest).where(latest.c.recommendation_id.in_(rec_ids)))
    return {r.recommendation_id: (r.position, r.comment, r.received_on) for r in rows}


def checklist(facility_id):
    """Every recommendation of earlier visits not yet verified or closed."""
    recs = db.session.scalars(
        sa.select(Recommendation)
        .join(Visit, Visit.id == Recommendation.visit_id)
        .where(
            Recommendation.facility_id == facility_id, Recommendation.state.in_(CHECKLIST_STATES)
        )
        .order_by(Visit.started_on, Recommendation.id)
    ).all()
    return recs, latest_positions([r.id for r in recs])


def follow_up_visits(facility_id, user):
    """Visits to the facility where ``user`` may enter findings (a lawyer: any)."""
    stmt = (
        sa.select(Visit).where(Visit.facility_id == facility_id).order_by(Visit.started_on.desc())
    )
    if user.role == "monitor":
        stmt = stmt.join(visit_monitors, visit_monitors.c.visit_id == Visit.id).where(
            visit_monitors.c.user_id == user.id
        )
    return db.session.scalars(stmt).all()


def latest_findings(rec_ids):
    """{recommendation id: its latest finding on a follow-up visit} (photos loaded)."""
    from app.domain.followup.models import Finding

    if not rec_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Finding)
        .options(selectinload(Finding.photos), selectinload(Finding.visit))
        .where(Finding.recommendation_id.in_(rec_ids))
        .order_by(Finding.id)
    ).all()
    return {f.recommendation_id: f for f in rows}
