"""Recommendation operations: draft, edit where the state allows, fire transitions."""

from flask_babel import lazy_gettext as _l

from app.core.errors import OperationError
from app.domain.recommendations.models import Recommendation
from app.extensions import db
from app.workflow import get_engine

#: Fields a form or the API may write; which of them are open depends on the state and role.
FIELDS = ("text", "theme", "priority", "authority_id", "previous_id", "due_on")


def _fields_locked(fields, state_label):
    """The state locks some of the fields the actor tried to change (409 ``locked``)."""
    message = _l(
        "In the state “%(state)s” you cannot change: %(fields)s.",
        state=state_label,
        fields=", ".join(fields),
    )
    return OperationError(message, status=409, code="locked")


def may_draft(visit, actor):
    """Lawyers draft anywhere; monitors in the visits they took part in. Administrators keep
    the registries and draft nothing."""
    return actor.role == "lawyer" or (actor.role == "monitor" and visit.has_member(actor))


def may_edit(rec, actor):
    """Whether ``actor`` may edit ``rec`` now: the workflow opens some field to the role in the
    current state; monitors only in the visits they took part in."""
    if not get_engine().editable_fields(rec, actor):
        return False
    return actor.role != "monitor" or rec.visit.has_member(actor)


def create_recommendation(visit, data, actor):
    """Draft a recommendation in ``visit``; its history starts with its creation."""
    if not may_draft(visit, actor):
        raise OperationError(status=403)
    values = {name: _clean(data.get(name)) for name in FIELDS if name in data}
    values["authority_id"] = values.get("authority_id") or visit.facility.authority_id
    values["priority"] = values.get("priority") or "medium"
    rec = Recommendation(
        visit_id=visit.id, facility_id=visit.facility_id, created_by_id=actor.id, **values
    )
    get_engine().start(rec, actor)  # sets the state and pins the definition before the INSERT
    db.session.add(rec)
    db.session.flush()
    return rec


def update_recommendation(rec, data, actor):
    """Apply the changed fields; every changed field must be editable in the current state."""
    if actor.role == "monitor" and not rec.visit.has_member(actor):
        raise OperationError(status=403)
    if "authority_id" in data and data["authority_id"] is None:  # as when created: the facility's
        data = {**data, "authority_id": rec.visit.facility.authority_id}
    changes = {
        name: _clean(data[name])
        for name in FIELDS
        if name in data and _clean(data[name]) != getattr(rec, name)
    }
    engine = get_engine()
    locked = sorted(name for name in changes if not engine.can_edit(rec, actor, name))
    if locked:
        raise _fields_locked(locked, engine.state_label(rec))
    for name, value in changes.items():
        setattr(rec, name, value)
    db.session.flush()
    return rec


def fire(rec, transition, actor, params=None, requested=False):
    """Fire a workflow transition on ``rec``; monitors act only within their visits.

    ``requested``: asked for by name through a transitions endpoint (API or page), where the
    internal transitions (fired by sending, answering, the sweep) are refused.
    """
    if actor is not None and actor.role == "monitor" and transition != "verify":
        if not rec.visit.has_member(actor):
            raise OperationError(status=403)
    return get_engine().fire(rec, transition, actor, params or {}, requested=requested)


def issue_many(recs, actor, comment=None):
    """Issue several drafts at once: all of them, or none (the caller rolls back on error)."""
    for rec in recs:
        fire(rec, "issue", actor, {"comment": comment} if comment else {})
    return recs


def may_edit_draft(rec, actor):
    """Whoever may edit the draft: the workflow opens fields to the role; monitors only in the
    visits they took part in."""
    return rec.state == "draft" and may_edit(rec, actor)


def delete_draft(rec, actor):
    """Discard a draft: the row and its history go; no statistics ever count it."""
    import sqlalchemy as sa

    if rec.state != "draft":
        raise OperationError(
            _l("Only a draft can be deleted; withdraw it instead."), status=409, code="not_draft"
        )
    if not may_edit_draft(rec, actor):
        raise OperationError(status=403)
    repeated_by = sa.select(Recommendation.id).where(Recommendation.previous_id == rec.id)
    if rec.acts or db.session.scalar(repeated_by.limit(1)) is not None:
        raise OperationError(
            _l("Other records refer to this draft; it cannot be deleted."),
            status=409,
            code="not_draft",
        )
    rec.delete_with_history()


def _clean(value):
    return value.strip() if isinstance(value, str) else value


def assign_lawyer(rec, lawyer, actor):
    """Make ``lawyer`` (an active lawyer, or None: nobody) the one who looks after ``rec``.

    Lawyers and administrators assign; a case that ended (a final state) is not reassigned."""
    from app.core.errors import OperationError
    from app.domain.states import final

    if actor is None or actor.role not in ("lawyer", "admin"):
        raise OperationError(_l("Only lawyers and administrators assign cases."), status=403)
    if lawyer is not None and (lawyer.role != "lawyer" or not lawyer.is_active):
        raise OperationError(
            _l("Cases are assigned to active lawyers."), fields={"lawyer_id": ["?"]}
        )
    if rec.state in final("recommendation"):
        raise OperationError(
            _l(
                "The case has ended (%(state)s): it is not assigned any more.",
                state=get_engine().state_label(rec),
            ),
            status=409,
            code="wrong_state",
        )
    rec.lawyer_id = lawyer.id if lawyer is not None else None
    db.session.flush()
    return rec
