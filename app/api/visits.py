"""/visits: monitoring visits; monitors create and edit the visits they take part in."""

import sqlalchemy as sa
from flask import g, request
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates_schema
from sqlalchemy.orm import selectinload

from app.api import bp
from app.api.common import choice_arg, get_or_404, int_arg, json_body, roles
from app.api.errors import ApiError
from app.api.openapi import doc, page
from app.api.schemas import Choice, Day, Input, RefId, RefIds, Text, code, ids
from app.api.search import list_or_export
from app.auth.models import User
from app.domain.codes import REGIONS, VISIT_KINDS
from app.domain.facilities.models import Facility
from app.domain.visits import queries
from app.domain.visits.exports import VISIT_COLUMNS
from app.domain.visits.models import Visit
from app.domain.visits.operations import can_edit_visit, save_visit
from app.extensions import db


class VisitSchema(Schema):
    id = fields.Integer()
    facility_id = fields.Integer()
    started_on = fields.Date()
    ended_on = fields.Date()
    kind = code(VISIT_KINDS)
    monitor_ids = ids()
    participants = fields.List(fields.String(), attribute="participant_list")
    summary = fields.String()


class VisitInputSchema(Input):
    facility_id = RefId(needed=True)
    started_on = Day(needed=True)
    ended_on = Day(needed=True)
    kind = Choice(VISIT_KINDS)
    monitor_ids = RefIds(blank_keeps=True, metadata={"description": "Users with the role monitor"})
    participants = Text(
        5000,
        lines=True,
        metadata={"description": "Outside participants: a list of names, or one name per line"},
    )
    summary = Text(20000)

    @validates_schema(skip_on_field_errors=False)
    def _consistent(self, data, **kwargs):
        errors = {}
        facility_id = data.get("facility_id")
        if facility_id is not None and db.session.get(Facility, facility_id) is None:
            errors["facility_id"] = [_l("No such facility.")]
        started, ended = data.get("started_on"), data.get("ended_on")
        if started is not None and (problem := _start_problem(started)):
            errors["started_on"] = [problem]
        if started and ended and ended < started:
            errors["ended_on"] = [_l("A visit cannot end before it starts.")]
        monitors = set(data.get("monitor_ids") or [])
        if monitors - _monitors_among(monitors):
            errors["monitor_ids"] = [_l("Only monitors can be members of a visit team.")]
        if errors:
            raise ValidationError(errors)


def _start_problem(started):
    from app.core.clock import today
    from app.core.i18n import fmt_date
    from app.domain.visits import EARLIEST_VISIT

    if started > today():
        return _l("A visit cannot start in the future.")
    if started < EARLIEST_VISIT:
        return _l("The NPM visits from %(date)s on.", date=fmt_date(EARLIEST_VISIT))
    return None


def _monitors_among(user_ids):
    if not user_ids:
        return set()
    stmt = sa.select(User.id).where(User.id.in_(user_ids), User.role == "monitor")
    return set(db.session.scalars(stmt))


class VisitQuery(Schema):
    q = fields.String()
    facility_id = fields.Integer()
    kind = code(VISIT_KINDS)
    region = code(REGIONS)
    monitor_id = fields.Integer()


dump = VisitSchema().dump


@bp.get("/visits")
@doc("List visits", response=page(VisitSchema), query=VisitQuery, exports=True, errors=(401, 422))
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
@doc("One visit", response=VisitSchema, errors=(401, 404))
def visits_get(visit_id):
    return dump(get_or_404(Visit, visit_id))


@bp.post("/visits")
@doc(
    "Create a visit (a monitor is always on its team)",
    response=VisitSchema,
    status=201,
    body=VisitInputSchema,
    errors=(400, 401, 403, 422),
)
@roles("admin", "lawyer", "monitor")
def visits_create():
    visit = save_visit(VisitInputSchema().load_request(json_body()), g.api_user)
    return dump(visit), 201


@bp.patch("/visits/<int:visit_id>")
@doc(
    "Change a visit (its monitors, lawyers, admins)",
    response=VisitSchema,
    body=VisitInputSchema,
    errors=(400, 401, 403, 404, 409, 422),
)
@roles("admin", "lawyer", "monitor")
def visits_update(visit_id):
    visit = get_or_404(Visit, visit_id)
    if not can_edit_visit(g.api_user, visit):
        raise ApiError(403)
    save_visit(VisitInputSchema().load_request(json_body(), visit), g.api_user, visit)
    return dump(visit)
