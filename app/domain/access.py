"""Who may read what: one loader and one list filter per resource, for pages, API and templates.

- Lawyers and administrators read everything.
- A monitor reads what concerns the facilities of their visits (the visits they are on the team
  of): those facilities' timelines and checklists, every visit to them, the recommendations made
  for them, the acts carrying such a recommendation with their documents, e-mails, answers and
  answer files. With ``MONITORS_SEE_ALL`` the office shares everything with every monitor.
- The registries (authorities, the list of facilities and their details) and the aggregated
  statistics (counts, never a case) are for every signed-in user.
- Anything else is answered 404, exactly as an id that does not exist: a refusal must not tell
  the caller that the object is there.

Lists pass their SELECT through ``scope`` (the recommendation lists, search, exports, visits,
acts); single objects are read with ``load_or_404`` (routes and API) or tested with ``can_read``
(templates: ``may_read``). Outside a request (jobs, the command line) nothing is restricted.
"""

import sqlalchemy as sa
from flask import abort, current_app, g, has_request_context

from app.extensions import db

#: Roles that read every case.
READ_ALL_ROLES = ("admin", "lawyer")


def actor():
    """The signed-in user of this request (API token or session), or None outside a request."""
    if not has_request_context():
        return None
    user = g.get("api_user")
    if user is not None:
        return user
    from flask_login import current_user

    return current_user if getattr(current_user, "is_authenticated", False) else None


def sees_all(user) -> bool:
    """Whether ``user`` reads every case (None: the system)."""
    if user is None:
        return not has_request_context()
    return user.role in READ_ALL_ROLES or bool(current_app.config.get("MONITORS_SEE_ALL"))


def facility_ids(user):
    """SELECT of the facilities of the visits ``user`` is a monitor of."""
    from app.domain.visits.models import Visit, visit_monitors

    return (
        sa.select(Visit.facility_id)
        .join(visit_monitors, visit_monitors.c.visit_id == Visit.id)
        .where(visit_monitors.c.user_id == user.id)
    )


def _act_ids(user):
    """SELECT of the acts carrying a recommendation of ``user``'s facilities."""
    from app.domain.acts.models import act_recommendations
    from app.domain.recommendations.models import Recommendation

    return (
        sa.select(act_recommendations.c.act_id)
        .join(Recommendation, Recommendation.id == act_recommendations.c.recommendation_id)
        .where(Recommendation.facility_id.in_(facility_ids(user)))
    )


def _conditions():
    from app.domain.acts.models import Act
    from app.domain.facilities.models import Facility
    from app.domain.recommendations.models import Recommendation
    from app.domain.visits.models import Visit

    return {
        Recommendation: lambda u: Recommendation.facility_id.in_(facility_ids(u)),
        Visit: lambda u: Visit.facility_id.in_(facility_ids(u)),
        Act: lambda u: Act.id.in_(_act_ids(u)),
        Facility: lambda u: Facility.id.in_(facility_ids(u)),
    }


def scope(stmt, model, user=None):
    """``stmt`` (a SELECT of ``model``) restricted to what the request's user may read."""
    user = user if user is not None else actor()
    if sees_all(user):
        return stmt
    if user is None:
        return stmt.where(sa.false())
    return stmt.where(_conditions()[model](user))


def can_read(user, obj) -> bool:
    """Whether ``user`` may read ``obj`` (a case, or a document, e-mail, answer or file of an
    act); registries are readable by everyone signed in."""
    if sees_all(user):
        return True
    if user is None:
        return False
    target, model = _case_of(obj)
    if target is None:
        return True  # a registry entry
    condition = _conditions()[model](user)
    return db.session.scalar(sa.select(sa.literal(True)).where(model.id == target, condition))


def load_or_404(model, ident, user=None, allow=None):
    """The row ``model`` ``ident`` if it exists and the request's user may read it; 404 (the
    same as a missing row) otherwise. ``allow(row, user)``, when given, is the action's own
    rule (e.g. ``may_edit``): a readable row it refuses is a 403 ``OperationError``, so a route
    loads and authorises in one call."""
    user = user if user is not None else actor()
    row = db.session.get(model, ident) if _valid_id(ident) else None
    if row is None or not can_read(user, row):
        abort(404)
    if allow is not None and not allow(row, user):
        from app.core.errors import OperationError

        raise OperationError(status=403)
    return row


def facility_timeline_or_404(facility_id, user=None):
    """A facility whose timeline and checklist (its cases) the user may read."""
    from app.domain.facilities.models import Facility

    facility = db.session.get(Facility, facility_id) if _valid_id(facility_id) else None
    if facility is None or not reads_facility(facility.id, user):
        abort(404)
    return facility


def reads_facility(facility_id, user=None) -> bool:
    """Whether the user may read the cases of facility ``facility_id`` (timeline, checklist)."""
    user = user if user is not None else actor()
    if sees_all(user):
        return True
    if user is None:
        return False
    found = db.session.scalar(
        sa.select(sa.literal(True)).where(sa.literal(facility_id).in_(facility_ids(user)))
    )
    return bool(found)


def _case_of(obj):
    """(id, model) of the case ``obj`` belongs to, whose rule decides; (None, None) for a
    registry entry. Anything else is a programming error: nothing is readable by default."""
    from app.domain.acts.models import Act, ActAttachment, Document
    from app.domain.authorities.models import Authority
    from app.domain.facilities.models import Facility
    from app.domain.recommendations.models import Recommendation
    from app.domain.responses.models import Response, ResponseFile
    from app.domain.visits.models import Visit
    from app.mail.models import OutboxEmail

    if isinstance(obj, (Authority, Facility)):
        return None, None
    if isinstance(obj, (Recommendation, Visit, Act)):
        return obj.id, type(obj)
    if isinstance(obj, (Document, Response, ActAttachment)):
        return obj.act_id, Act
    if isinstance(obj, ResponseFile):
        return obj.response.act_id, Act
    if isinstance(obj, OutboxEmail) and obj.subject_type == "acts":
        return obj.subject_id, Act
    raise TypeError(f"no read rule for {type(obj).__name__}")


def _valid_id(ident) -> bool:
    return isinstance(ident, int) and not isinstance(ident, bool) and 0 < ident < 2**63
