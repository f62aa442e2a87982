"""The deadline sweep: reminders before the due date, and what happens when a term passes.

Run by the workers every few minutes and by `flask deadlines sweep [--today DATE]`. It selects
only what is due (indexed on the open deadlines' dates), and handles each deadline in a
transaction of its own, claimed by a conditional UPDATE: an interrupted sweep leaves every case
swept or not, never half; two sweeps at once, or the same sweep twice, fire nothing twice.
"""

import logging

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.clock import today as kyiv_today
from app.core.db import utcnow
from app.core.jobs import periodic
from app.domain.deadlines import protocol
from app.domain.deadlines.models import Deadline, DeadlineEvent
from app.extensions import db

log = logging.getLogger(__name__)


def sweep(today=None):
    """Fire every reminder and expiry due on ``today``; returns a report of what was done."""
    today = today or kyiv_today()
    report = {"reminded": [], "expired": [], "protocol": [], "errors": []}
    for deadline_id in _due_ids(Deadline.remind_on, Deadline.reminded_at, today, inclusive=True):
        _each(deadline_id, _remind, today, report["reminded"], report)
    for deadline_id in _due_ids(Deadline.due_on, Deadline.fired_at, today, inclusive=False):
        _each(deadline_id, _expire, today, report["expired"], report)
    for deadline_id in protocol.closing_ids(today):
        _each(deadline_id, protocol.warn, today, report["protocol"], report)
    return report


@periodic("deadline-sweep", every=300)
def scheduled_sweep():
    report = sweep()
    return {k: len(v) for k, v in report.items()}


def _due_ids(column, done_column, today, inclusive):
    due = column <= today if inclusive else column < today
    stmt = sa.select(Deadline.id).where(
        due, done_column.is_(None), Deadline.cancelled_at.is_(None), Deadline.suspended_on.is_(None)
    )
    if column is Deadline.remind_on:
        stmt = stmt.where(Deadline.fired_at.is_(None), Deadline.due_on >= today)
    return list(db.session.scalars(stmt.order_by(column, Deadline.id)))


def _each(deadline_id, handler, today, done, report):
    try:
        result = handler(deadline_id, today)
        db.session.commit()
    except Exception as exc:  # one case's failure must not stop the others
        db.session.rollback()
        log.exception("deadline %s: %s failed", deadline_id, handler.__name__)
        report["errors"].append((deadline_id, str(exc)))
        return
    if result is not None:
        done.append(result)


def _claim(deadline_id, column):
    """Take the deadline for this step; False when another sweep already did."""
    return (
        db.session.execute(
            sa.update(Deadline)
            .where(Deadline.id == deadline_id, column.is_(None), Deadline.cancelled_at.is_(None))
            .values({column: utcnow()})
        ).rowcount
        == 1
    )


def _remind(deadline_id, today):
    from app.domain.notifications import notify

    if not _claim(deadline_id, Deadline.reminded_at):
        return None
    deadline = db.session.get(Deadline, deadline_id)
    act = deadline.act
    days = (deadline.due_on - today).days
    notify(
        act.executor,
        "deadline_near",
        _(
            "The term of act %(number)s ends on %(date)s (%(days)s days left)",
            number=act.outgoing_number,
            date=deadline.due_on.strftime("%d.%m.%Y"),
            days=days,
        ),
        _(
            "%(authority)s has not answered act %(number)s yet.",
            authority=act.authority.name,
            number=act.outgoing_number,
        ),
        link=f"/acts/{act.id}",
    )
    db.session.add(
        DeadlineEvent(deadline_id=deadline.id, kind="reminded", new_due_on=deadline.due_on)
    )
    return act.outgoing_number


def _expire(deadline_id, today):
    """The term passed without a substantive answer: overdue, a reminder (or escalation) drafted,
    the lawyer told — all in this one transaction."""
    from app.domain.acts.operations import fire as fire_act
    from app.domain.recommendations.operations import fire as fire_rec
    from app.workflow import get_engine

    if not _claim(deadline_id, Deadline.fired_at):
        return None
    deadline = db.session.get(Deadline, deadline_id)
    act = deadline.act
    if act.state != "sent":
        return None
    if act.received_on_assumed and not _settings().get("act_on_assumed_receipt", False):
        # Nobody knows the authority had the act that long: ask the lawyer for the receipt
        # date instead of declaring it overdue (confirming it lets the next sweep act).
        db.session.add(
            DeadlineEvent(
                deadline_id=deadline.id, kind="assumed_passed", old_due_on=deadline.due_on
            )
        )
        _tell_lawyer_assumed(act)
        return act.outgoing_number
    expiry = get_engine().deadline_for(act).on_expiry  # the deadline's on_expiry in act.yaml
    if expiry:
        fire_act(act, expiry, None)
    for rec in act.recommendations:
        if rec.state == "sent_to_authority":
            fire_rec(rec, "mark_overdue", None)
    db.session.add(
        DeadlineEvent(deadline_id=deadline.id, kind="expired", old_due_on=deadline.due_on)
    )
    drafted = _draft_follow_up(act)
    _tell_lawyer(act, drafted)
    return act.outgoing_number


def _settings():
    from app.workflow import get_engine

    return get_engine().current("act").settings.get("on_expiry", {})


def _tell_lawyer_assumed(act):
    from app.domain.notifications import notify

    notify(
        act.executor,
        "act_overdue",
        _("Confirm the receipt date of act %(number)s", number=act.outgoing_number),
        _(
            "The term of act %(number)s counted from an assumed receipt date (%(date)s) has "
            "passed. Enter the date %(authority)s received it: the act is marked overdue only "
            "on a confirmed date.",
            number=act.outgoing_number,
            date=act.received_on.strftime("%d.%m.%Y"),
            authority=act.authority.name,
        ),
        link=f"/acts/{act.id}",
    )


def _draft_follow_up(act):
    """A reminder to the same authority; when a reminder itself expired, a letter to the
    supervising authority. What is drafted automatically is set in workflows/act.yaml."""
    from app.domain.acts.operations import create_act

    settings = _settings()
    from app.domain.acts.holds import holders

    # What this act still holds open (a lawyer may have drafted a follow-up already).
    held = holders([r.id for r in act.recommendations])
    recs = [
        r.id
        for r in act.recommendations
        if r.state in ("overdue", "sent_to_authority") and held.get(r.id) == act.id
    ]
    if not recs:
        return None
    if act.kind != "reminder" and settings.get("draft_reminder"):
        return create_act(
            "reminder",
            act.authority_id,
            recs,
            None,
            executor_id=act.executor_id,
            previous_act_id=act.id,
        )
    supervisor = act.authority.parent
    if act.kind == "reminder" and settings.get("draft_escalation") and supervisor is not None:
        return create_act(
            "initiative_letter",
            supervisor.id,
            recs,
            None,
            executor_id=act.executor_id,
            previous_act_id=act.id,
            escalation=True,
        )
    return None


def _tell_lawyer(act, drafted):
    from app.domain.notifications import notify

    text = _(
        "%(authority)s did not answer act %(number)s within the term.",
        authority=act.authority.name,
        number=act.outgoing_number,
    )
    if drafted is not None:
        text += " " + _(
            "A draft “%(heading)s” to %(authority)s waits for you.",
            heading=drafted.heading,
            authority=drafted.authority.name,
        )
    notify(
        act.executor,
        "act_overdue",
        _("Act %(number)s is overdue", number=act.outgoing_number),
        text,
        link=f"/acts/{drafted.id if drafted else act.id}",
    )
