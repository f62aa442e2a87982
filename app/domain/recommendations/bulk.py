"""Actions on recommendations selected on the list: issue them, assign them to a lawyer, or draft
an act from them. Each goes through the ordinary operation (workflow transitions through the
engine, acts through the acts operations) and is whole or nothing on its own (a savepoint per
recommendation, per act); whatever is refused — by its state, by access — is reported with the
reason, never skipped in silence."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core.errors import OperationError
from app.domain.recommendations import operations as ops
from app.domain.recommendations.models import Recommendation
from app.extensions import db
from app.workflow import WorkflowError, get_engine

ACTIONS = ("issue", "assign", "act")
#: Acts a selection may become (a reminder follows an act of its own, from the act page).
ACT_KINDS = ("submission", "request", "initiative_letter")
#: At most this many recommendations at once.
MAX_SELECTED = 500


@dataclass
class Outcome:
    """What became of each selected recommendation."""

    done: list = field(default_factory=list)
    #: (recommendation id, reason) of each refused one.
    refused: list = field(default_factory=list)
    #: The acts drafted (action "act").
    acts: list = field(default_factory=list)


def run(action, ids, actor, lawyer_id=None, kind="submission"):
    """Do ``action`` to the recommendations ``ids`` as ``actor``; commit is the caller's."""
    if action not in ACTIONS:
        raise OperationError(_l("Choose an action."), fields={"action": [_l("Choose an action.")]})
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise OperationError(_l("Select the recommendations first."), fields={"ids": ["?"]})
    if len(ids) > MAX_SELECTED:
        raise OperationError(
            _l("At most %(n)s recommendations at once.", n=MAX_SELECTED), fields={"ids": ["?"]}
        )
    recs, outcome = _readable(ids)
    if action == "issue":
        for rec in recs:
            _each(outcome, rec, lambda r: ops.fire(r, "issue", actor, {}, requested=True))
    elif action == "assign":
        lawyer = _lawyer(lawyer_id)
        for rec in recs:
            _each(outcome, rec, lambda r: ops.assign_lawyer(r, lawyer, actor))
    else:
        _draft_acts(outcome, recs, actor, kind)
    return outcome


def _readable(ids):
    """The recommendations the user may read, in the order selected; the others refused."""
    from app.domain.access import scope

    found = {
        r.id: r
        for r in db.session.scalars(
            scope(sa.select(Recommendation), Recommendation).where(Recommendation.id.in_(ids))
        )
    }
    outcome = Outcome()
    for missing in (i for i in ids if i not in found):
        outcome.refused.append((missing, str(_l("Not found, or not yours to read."))))
    return [found[i] for i in ids if i in found], outcome


def _lawyer(lawyer_id):
    """The lawyer to assign: an active lawyer, or None when ``lawyer_id`` is "none"."""
    if lawyer_id == "none":
        return None
    lawyer = db.session.get(User, lawyer_id) if str(lawyer_id or "").isdigit() else None
    if lawyer is None or lawyer.role != "lawyer" or not lawyer.is_active:
        message = _l("Choose the lawyer to assign.")
        raise OperationError(message, fields={"lawyer_id": [message]})
    return lawyer


def _each(outcome, rec, step):
    """Run ``step(rec)`` in a savepoint: done, or rolled back and refused with the reason."""
    try:
        with db.session.begin_nested():
            step(rec)
    except OperationError as exc:  # a workflow refusal is one too
        forbidden = exc.status == 403 and not isinstance(exc, WorkflowError)
        reason = _l("You may not do this to this recommendation.") if forbidden else exc
        outcome.refused.append((rec.id, str(reason)))
    else:
        outcome.done.append(rec.id)


def _draft_acts(outcome, recs, actor, kind):
    """One act per addressee, carrying the selected recommendations that may go into it."""
    from app.domain.acts import operations as acts
    from app.domain.acts.models import ActHold

    if kind not in ACT_KINDS:
        message = _l("Choose the kind of act.")
        raise OperationError(message, fields={"kind": [message]})
    held = set(
        db.session.scalars(
            sa.select(ActHold.recommendation_id).where(
                ActHold.recommendation_id.in_([r.id for r in recs])
            )
        )
    )
    by_authority = {}
    for rec in recs:
        if rec.state not in acts.eligible_states(kind):
            outcome.refused.append((rec.id, _not_ready(rec)))
        elif rec.id in held:
            outcome.refused.append((rec.id, str(_l("Another open act already carries it."))))
        else:
            by_authority.setdefault(rec.authority_id, []).append(rec)
    for authority_id, group in by_authority.items():
        ids = [r.id for r in group]
        try:
            with db.session.begin_nested():
                act = acts.create_act(kind, authority_id, ids, actor)
        except OperationError as exc:
            fields = exc.fields or {}
            reason = " ".join(str(m) for messages in fields.values() for m in messages)
            outcome.refused += [(i, reason or exc.message) for i in ids]
        else:
            outcome.acts.append(act)
            outcome.done += ids


def _not_ready(rec):
    return str(
        _l(
            "Only issued recommendations go into a new act; this one is «%(state)s».",
            state=get_engine().state_label(rec),
        )
    )
