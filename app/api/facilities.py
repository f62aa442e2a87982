"""/facilities: the facility registry."""

import sqlalchemy as sa
from flask import g, request
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates_schema
from sqlalchemy.orm import selectinload

from app.api import bp
from app.api.common import choice_arg, get_or_404, int_arg, json_body, roles
from app.api.openapi import doc, page
from app.api.schemas import Choice, Count, Input, RefId, Text, code, nullable
from app.api.search import list_or_export
from app.domain.authorities.models import Authority
from app.domain.codes import FACILITY_TYPES, REGIONS
from app.domain.facilities import queries
from app.domain.facilities.models import Facility
from app.domain.facilities.operations import save_facility
from app.domain.search.exports import FACILITY_COLUMNS
from app.extensions import db


class FacilitySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    type = code(FACILITY_TYPES)
    region = code(REGIONS)
    address = fields.String()
    capacity = nullable(fields.Integer)
    authority_id = nullable(fields.Integer)


class FacilityInputSchema(Input):
    name = Text(300, needed=True)
    type = Choice(FACILITY_TYPES)
    region = Choice(REGIONS)
    address = Text(500)
    capacity = Count(0, 100000)
    authority_id = RefId(metadata={"description": "The supervising authority"})

    @validates_schema(skip_on_field_errors=False)
    def _unique_in_region(self, data, **kwargs):
        errors = {}
        if data.get("authority_id") is not None and not db.session.get(
            Authority, data["authority_id"]
        ):
            errors["authority_id"] = [_l("No such authority.")]
        if data.get("name"):
            other = db.session.scalar(
                sa.select(Facility).where(
                    Facility.name == data["name"].strip(), Facility.region == data.get("region")
                )
            )
            if other is not None and other is not self.record:
                errors["name"] = [_l("A facility with this name already exists in this region.")]
        if errors:
            raise ValidationError(errors)


class FacilityQuery(Schema):
    q = fields.String()
    type = code(FACILITY_TYPES)
    region = code(REGIONS)
    authority_id = fields.Integer()


dump = FacilitySchema().dump


@bp.get("/facilities")
@doc(
    "List facilities",
    response=page(FacilitySchema),
    query=FacilityQuery,
    exports=True,
    errors=(401, 422),
)
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
@doc("One facility", response=FacilitySchema, errors=(401, 404))
def facilities_get(facility_id):
    return dump(get_or_404(Facility, facility_id))


@bp.post("/facilities")
@doc(
    "Create a facility",
    response=FacilitySchema,
    status=201,
    body=FacilityInputSchema,
    errors=(400, 401, 403, 422),
)
@roles("admin", "lawyer")
def facilities_create():
    data = FacilityInputSchema().load_request(json_body())
    facility = save_facility(data, actor=g.api_user)
    return dump(facility), 201


@bp.patch("/facilities/<int:facility_id>")
@doc(
    "Change a facility (fields left out keep their values)",
    response=FacilitySchema,
    body=FacilityInputSchema,
    errors=(400, 401, 403, 404, 409, 422),
)
@roles("admin", "lawyer")
def facilities_update(facility_id):
    facility = get_or_404(Facility, facility_id)
    data = FacilityInputSchema().load_request(json_body(), facility)
    save_facility(data, facility, g.api_user)
    return dump(facility)
