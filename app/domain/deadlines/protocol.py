"""КУпАП Art. 188-40: failing the Commissioner's lawful demands is an administrative offence; the
Secretariat draws up the protocol (Art. 255 item 8-1) within three months of the offence
(Art. 38 part 2). The offence is committed on the day after the term passed, so the window runs
from that day to the same date three months later. Overdue acts show it, and the sweep warns the
lawyer ``protocol_warning_days`` (workflows/act.yaml) before it closes.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app.domain.deadlines.models import Deadline, DeadlineEvent
from app.extensions import db
from app.terms import Term, raw_end

WINDOW = Term(3, "months")


def window(act):
    """(first day, last day) in which a protocol may be drawn up, or None: only for an act whose
    term passed without an answer (overdue)."""
    if act.state != "overdue" or act.due_on is None:
        return None
    committed = act.due_on + timedelta(days=1)
    return committed, raw_end(committed, WINDOW)


def warning_days():
    from app.workflow import get_engine

    return int(get_engine().current("act").settings.get("protocol_warning_days", 14))


def closing_ids(today):
    """Deadlines of overdue acts whose window closes within the warning days, not yet warned."""
    from app.domain.acts.models import Act

    warned = sa.select(DeadlineEvent.deadline_id).where(DeadlineEvent.kind == "protocol_warned")
    rows = db.session.execute(
        sa.select(Deadline.id, Act)
        .join(Act, Act.id == Deadline.act_id)
        .where(Act.state == "overdue", Deadline.due_on.is_not(None), Deadline.id.not_in(warned))
        .order_by(Deadline.due_on, Deadline.id)
    ).all()
    days = warning_days()
    due = []
    for deadline_id, act in rows:
        span = window(act)
        if span and span[1] - timedelta(days=days) <= today <= span[1]:
            due.append(deadline_id)
    db.session.commit()
    return due


def warn(deadline_id, today):
    from app.domain.notifications import notify

    deadline = db.session.scalars(
        sa.select(Deadline).where(Deadline.id == deadline_id).with_for_update()
    ).one()
    already = db.session.scalar(
        sa.select(sa.func.count()).where(
            DeadlineEvent.deadline_id == deadline_id, DeadlineEvent.kind == "protocol_warned"
        )
    )
    act = deadline.act
    span = window(act)
    if already or span is None:
        return None
    db.session.add(
        DeadlineEvent(deadline_id=deadline.id, kind="protocol_warned", new_due_on=span[1])
    )
    notify(
        act.executor,
        "deadline_near",
        _(
            "Protocol under КУпАП Art. 188-40 for act %(number)s: until %(date)s",
            number=act.outgoing_number,
            date=span[1].strftime("%d.%m.%Y"),
        ),
        _(
            "%(authority)s did not answer act %(number)s by %(due)s. A protocol on the "
            "administrative offence (КУпАП Art. 188-40) can be drawn up until %(date)s.",
            authority=act.authority.name,
            number=act.outgoing_number,
            due=act.due_on.strftime("%d.%m.%Y"),
            date=span[1].strftime("%d.%m.%Y"),
        ),
        link=f"/acts/{act.id}",
    )
    return act.outgoing_number
