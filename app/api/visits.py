"""/visits: monitoring visits; monitors create and edit the visits they take part in."""

from flask import g, request
from sqlalchemy.orm import selectinload

from app.api import bp
from app.api.common import choice_arg, get_or_404, int_arg, roles, validated
from app.api.errors import ApiError
from app.api.search import list_or_export
from app.domain.codes import REGIONS, VISIT_KINDS
from app.domain.visits import queries
from app.domain.visits.exports import VISIT_COLUMNS
from app.domain.visits.forms import VisitForm
from app.domain.visits.models import Visit
from app.domain.visits.operations import can_edit_visit, save_visit


def dump(v):
    return {
        "id": v.id,
        "facility_id": v.facility_id,
        "started_on": v.started_on.isoformat(),
        "ended_on": v.ended_on.isoformat(),
        "kind": v.kind,
        "monitor_ids": v.monitor_ids,
        "participants": v.participant_list,
        "summary": v.summary,
    }


@bp.get("/visits")
def visits_list():
    stmt = queries.list_stmt(
        request.args.get("q"),
        int_arg("facility_id"),
        choice_arg("kind", VISIT_KINDS),
        choice_arg("region", REGIONS),
        int_arg("monitor_id"),
    )
    stmt = stmt.options(selectinload(Visit.facility), selectinload(Visit.monitors))
    return list_or_export(stmt, dump, VISIT_COLUMNS, "visits")


@bp.get("/visits/<int:visit_id>")
def visits_get(visit_id):
    return dump(get_or_404(Visit, visit_id))


@bp.post("/visits")
@roles("admin", "lawyer", "monitor")
def visits_create():
    visit = save_visit(validated(VisitForm), g.api_user)
    return dump(visit), 201


@bp.patch("/visits/<int:visit_id>")
@roles("admin", "lawyer", "monitor")
def visits_update(visit_id):
    visit = get_or_404(Visit, visit_id)
    if not can_edit_visit(g.api_user, visit):
        raise ApiError(403)
    save_visit(validated(VisitForm, obj=visit), g.api_user, visit)
    return dump(visit)
