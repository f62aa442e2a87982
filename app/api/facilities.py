"""/facilities: the facility registry."""

from flask import g, request
from sqlalchemy.orm import selectinload

from app.api import bp
from app.api.common import choice_arg, get_or_404, int_arg, roles, validated
from app.api.search import list_or_export
from app.domain.codes import FACILITY_TYPES, REGIONS
from app.domain.facilities import queries
from app.domain.facilities.forms import FacilityForm
from app.domain.facilities.models import Facility
from app.domain.facilities.operations import save_facility
from app.domain.search.exports import FACILITY_COLUMNS


def dump(f):
    return {
        "id": f.id,
        "name": f.name,
        "type": f.type,
        "region": f.region,
        "address": f.address,
        "capacity": f.capacity,
        "authority_id": f.authority_id,
    }


@bp.get("/facilities")
def facilities_list():
    stmt = queries.list_stmt(
        request.args.get("q"),
        choice_arg("type", FACILITY_TYPES),
        choice_arg("region", REGIONS),
        int_arg("authority_id"),
    )
    stmt = stmt.options(selectinload(Facility.authority))
    return list_or_export(stmt, dump, FACILITY_COLUMNS, "facilities")


@bp.get("/facilities/<int:facility_id>")
def facilities_get(facility_id):
    return dump(get_or_404(Facility, facility_id))


@bp.post("/facilities")
@roles("admin", "lawyer")
def facilities_create():
    facility = save_facility(validated(FacilityForm), actor=g.api_user)
    return dump(facility), 201


@bp.patch("/facilities/<int:facility_id>")
@roles("admin", "lawyer")
def facilities_update(facility_id):
    facility = get_or_404(Facility, facility_id)
    save_facility(validated(FacilityForm, obj=facility), facility, g.api_user)
    return dump(facility)
