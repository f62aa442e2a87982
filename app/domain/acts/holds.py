"""One open act per recommendation, kept by the database (table ``act_holds``).

An act holds the recommendations it carries from drafting until it is answered, closed or
cancelled. Two independent acts can never hold the same recommendation: the second INSERT
fails on the primary key, also when twenty requests race. A reminder or an escalation follows
the act whose term passed and takes the hold over from it (a conditional UPDATE, so two of
them cannot both follow the same act); cancelling it gives the hold back to that act while the
act still awaits its answer.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.errors import OperationError
from app.domain import states as _states
from app.domain.acts.models import Act, ActHold
from app.extensions import db

#: Act states that hold their recommendations open.
HOLDING_STATES = _states.group("act", "holding")


def holders(rec_ids) -> dict[int, int]:
    """{recommendation id: id of the act holding it} for those held."""
    if not rec_ids:
        return {}
    rows = db.session.execute(
        sa.select(ActHold.recommendation_id, ActHold.act_id).where(
            ActHold.recommendation_id.in_(list(rec_ids))
        )
    )
    return dict(rows.all())


def followed_act(rec_ids, previous_act_id=None) -> int | None:
    """The act a follow-up (reminder, escalation) of these recommendations follows: the one
    given, or the single sent act holding them."""
    if previous_act_id is not None:
        return previous_act_id
    held = set(holders(rec_ids).values())
    if len(held) != 1:
        return None
    (act_id,) = held
    act = db.session.get(Act, act_id)
    return act_id if act is not None and act.state in ("sent", "overdue") else None


def take(act, rec_ids) -> None:
    """Hold ``rec_ids`` for ``act``: taken over from the act it follows, inserted otherwise.
    Refuses (409 ``recommendation_held``, the transaction stays usable) when another act holds
    one."""
    rec_ids = list(rec_ids)
    if not rec_ids:
        return
    if act.previous_act_id is not None:
        db.session.execute(
            sa.update(ActHold)
            .where(ActHold.recommendation_id.in_(rec_ids), ActHold.act_id == act.previous_act_id)
            .values(act_id=act.id)
        )
    mine = {r for r, a in holders(rec_ids).items() if a == act.id}
    missing = [r for r in rec_ids if r not in mine]
    if not missing:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(
                sa.insert(ActHold), [{"recommendation_id": r, "act_id": act.id} for r in missing]
            )
    except sa.exc.IntegrityError:
        message = _held_message(missing, act)
        raise OperationError(
            message,
            status=409,
            code="recommendation_held",
            fields={"recommendation_ids": [message]},
        ) from None


def give_up(act, rec_ids) -> None:
    """The draft no longer carries ``rec_ids``: release them."""
    if rec_ids:
        db.session.execute(
            sa.delete(ActHold).where(
                ActHold.act_id == act.id, ActHold.recommendation_id.in_(list(rec_ids))
            )
        )


def release(act, ctx=None) -> None:
    """The act stops holding (answered, closed, cancelled). A cancelled follow-up gives the
    hold back to the act it follows while that one still awaits its answer."""
    previous = act.previous_act
    if ctx is not None and ctx.name == "cancel" and previous is not None:
        if previous.state in ("sent", "overdue"):
            db.session.execute(
                sa.update(ActHold).where(ActHold.act_id == act.id).values(act_id=previous.id)
            )
            return
    db.session.execute(sa.delete(ActHold).where(ActHold.act_id == act.id))


def _held_message(rec_ids, act):
    found = {r: a for r, a in holders(rec_ids).items() if a != act.id}
    rec_id, other = next(iter(found.items()), (rec_ids[0], None))
    return _l(
        "Recommendation №%(id)s is already carried by act №%(act)s, which is open: one act at "
        "a time.",
        id=rec_id,
        act=other or "?",
    )
