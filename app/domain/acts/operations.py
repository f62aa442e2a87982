"""Act operations: draft an act from recommendations, edit it, fire its transitions."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.errors import OperationError
from app.domain.acts import holds
from app.domain.acts.letters import default_heading
from app.domain.acts.models import Act, ActHold, act_recommendations
from app.domain.authorities.models import Authority
from app.domain.authorities.queries import subtree_ids
from app.domain.recommendations.models import Recommendation
from app.extensions import db
from app.workflow import get_engine

EDITABLE = (
    "heading",
    "opening",
    "closing",
    "reference_number",
    "reference_on",
    "signatory_position",
    "signatory_name",
)


def eligible_states(kind):
    """A reminder carries overdue recommendations; other acts carry issued ones."""
    return ("overdue", "sent_to_authority") if kind == "reminder" else ("issued",)


def busy_holds(kind):
    """Holds (recommendation, act) that keep a recommendation out of a new act of ``kind``: any
    open act's, or — for a reminder, which follows a sent act — a draft's."""
    busy = sa.select(ActHold.recommendation_id, ActHold.act_id).join(Act, Act.id == ActHold.act_id)
    if kind == "reminder":
        busy = busy.where(Act.state == "draft")
    return busy.subquery()


def eligible_recommendations(authority_id, kind):
    """Recommendations an act of ``kind`` to the authority may carry: addressed to it or to a
    body under it (a ministry answers for its services), not held by another act, except — for
    a reminder — by the sent act it would follow."""
    return db.session.scalars(
        sa.select(Recommendation)
        .where(
            Recommendation.authority_id.in_(subtree_ids(authority_id)),
            Recommendation.state.in_(eligible_states(kind)),
            Recommendation.id.not_in(sa.select(busy_holds(kind).c.recommendation_id)),
        )
        .order_by(Recommendation.id)
    ).all()


def _check_recommendations(kind, authority_id, ids, act=None, escalation=False, follows=None):
    if not ids:
        raise OperationError(
            fields={"recommendation_ids": [_l("An act must carry at least one recommendation.")]}
        )
    recs = {
        r.id: r
        for r in db.session.scalars(sa.select(Recommendation).where(Recommendation.id.in_(ids)))
    }
    problems, held = [], holds.holders(ids)
    answerable = set(db.session.scalars(subtree_ids(authority_id)))
    for rec_id in ids:
        rec = recs.get(rec_id)
        if rec is None:
            problems.append(_l("There is no recommendation №%(id)s.", id=rec_id))
        elif rec.authority_id not in answerable and not (
            escalation and rec.authority.parent_id == authority_id
        ):
            problems.append(
                _l("Recommendation №%(id)s is addressed to another authority.", id=rec_id)
            )
        elif rec.state not in eligible_states("reminder" if escalation else kind):
            problems.append(
                _l("Recommendation №%(id)s cannot go in this act in its state.", id=rec_id)
            )
        elif held.get(rec_id) not in (None, follows, act.id if act is not None else None):
            problems.append(
                _l(
                    "Recommendation №%(id)s is already in another open act (№%(act)s).",
                    id=rec_id,
                    act=held[rec_id],
                )
            )
    if problems:
        raise OperationError(fields={"recommendation_ids": problems})
    return [recs[i] for i in ids]


def create_act(kind, authority_id, recommendation_ids, actor, **values):
    """Draft an act to an authority carrying the given recommendations (validated)."""
    if db.session.get(Authority, authority_id) is None:
        raise OperationError(fields={"authority_id": [_l("No such authority.")]})
    ids = list(dict.fromkeys(recommendation_ids))
    escalation = values.get("escalation", False)
    follows = None
    if kind == "reminder" or escalation:
        follows = holds.followed_act(ids, values.get("previous_act_id"))
    recs = _check_recommendations(kind, authority_id, ids, escalation=escalation, follows=follows)
    from app.domain.acts.letter_admin import settings

    signing = settings()
    act = Act(
        kind=kind,
        authority_id=authority_id,
        heading=values.get("heading")
        or default_heading(
            "escalation" if values.get("escalation") else kind,
            {r.facility.name for r in recs},
            len({r.visit_id for r in recs}),
        ),
        opening=values.get("opening") or "",
        closing=values.get("closing") or "",
        reference_number=values.get("reference_number") or None,
        reference_on=values.get("reference_on"),
        previous_act_id=follows,
        signatory_position=signing["signatory_position"],
        signatory_name=signing["signatory_name"],
        executor_id=actor.id if actor is not None else values["executor_id"],
        created_by_id=actor.id if actor is not None else None,
    )
    get_engine().start(act, actor)
    _set_recommendations(act, recs)
    holds.take(act, [r.id for r in recs])
    return act


def update_act(act, data, actor):
    """Change the free parts (and the recommendations) of a draft; the documents must then be
    generated again."""
    engine = get_engine()
    locked = [f for f in data if not engine.can_edit(act, actor, f)]
    if locked:
        raise OperationError(fields={f: [_l("Cannot be changed in this state.")] for f in locked})
    for name in EDITABLE:
        if name in data:
            setattr(act, name, data[name] if data[name] is not None else _blank(name))
    if "recommendation_ids" in data:
        ids = list(dict.fromkeys(data["recommendation_ids"]))
        before = {r.id for r in act.recommendations}
        recs = _check_recommendations(
            act.kind, act.authority_id, ids, act, follows=act.previous_act_id
        )
        _set_recommendations(act, recs)
        holds.give_up(act, before - set(ids))
        holds.take(act, ids)
    if act.documents_status != "none":
        act.documents_status, act.documents_token = "none", None
    db.session.flush()
    return act


def may_edit(act, actor):
    """Whether the act's workflow opens some of its fields to ``actor`` in its state."""
    return bool(get_engine().editable_fields(act, actor))


def may_edit_draft(act, actor):
    """Whoever may edit the draft (lawyers: the act's workflow opens the fields to them)."""
    return act.state == "draft" and may_edit(act, actor)


def delete_draft(act, actor):
    """Discard a draft act: the row, its history, its documents and their files (once the
    transaction commits). Its recommendations are free for another act."""
    from app.core import storage
    from app.domain.acts.models import Document

    if act.state != "draft":
        raise OperationError(
            _l("Only a draft act can be deleted; cancel it instead."), status=409, code="not_draft"
        )
    if not may_edit_draft(act, actor):
        raise OperationError(status=403)
    if db.session.scalar(sa.select(Act.id).where(Act.previous_act_id == act.id).limit(1)):
        raise OperationError(
            _l("Another act follows this draft; it cannot be deleted."),
            status=409,
            code="not_draft",
        )
    for doc in db.session.scalars(sa.select(Document).where(Document.act_id == act.id)):
        storage.remove_after_commit(doc.path, db.session())
        db.session.delete(doc)
    db.session.flush()
    db.session.expire(act, ["documents"])
    act.delete_with_history()


def fire(act, transition, actor, params=None, requested=False):
    """Fire a workflow transition on ``act``; ``requested`` as in recommendations' ``fire``."""
    return get_engine().fire(act, transition, actor, params or {}, requested=requested)


def _set_recommendations(act, recs):
    db.session.execute(act_recommendations.delete().where(act_recommendations.c.act_id == act.id))
    db.session.execute(
        act_recommendations.insert(),
        [
            {"act_id": act.id, "recommendation_id": r.id, "position": n}
            for n, r in enumerate(recs, 1)
        ],
    )
    db.session.expire(act, ["recommendations"])
    db.session.flush()


def _blank(name):
    return None if name in ("reference_number", "reference_on") else ""
