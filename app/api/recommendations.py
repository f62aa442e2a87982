"""/recommendations: the cases, their transitions and history."""

from flask import g, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validates_schema
from sqlalchemy.orm import selectinload

from app.api import bp, transitions
from app.api.common import choice_arg, get_or_404, int_arg, json_body, roles
from app.api.errors import ApiError
from app.api.openapi import doc, page
from app.api.schemas import Choice, Day, Input, RefId, Text, code, nullable
from app.api.search import file_format, list_or_export
from app.domain.authorities.models import Authority
from app.domain.codes import PRIORITIES, THEMES
from app.domain.recommendations import STATES, queries
from app.domain.recommendations import operations as ops
from app.domain.recommendations.forms import TEXT_MAX
from app.domain.recommendations.models import Recommendation
from app.domain.search.exports import RECOMMENDATION_COLUMNS
from app.domain.search.queries import RANK_LIMIT
from app.domain.visits.models import Visit
from app.extensions import db


class RecommendationSchema(Schema):
    id = fields.Integer()
    visit_id = fields.Integer()
    facility_id = fields.Integer()
    authority_id = fields.Integer()
    text = fields.String()
    theme = code(THEMES)
    priority = code(PRIORITIES)
    state = code(STATES)
    due_on = nullable(fields.Date)
    act_ids = fields.Function(
        lambda r: [a.id for a in r.acts],
        metadata={
            "type": "array",
            "items": {"type": "integer"},
            "description": "The acts that carry it, oldest first",
        },
    )
    previous_id = nullable(fields.Integer)


class RecommendationInputSchema(Input):
    """POST needs ``visit_id``; a PATCH may not move a recommendation to another visit."""

    visit_id = RefId()
    text = Text(TEXT_MAX, needed=True, metadata={"description": "Markdown"})
    theme = Choice(THEMES)
    priority = Choice(PRIORITIES, default="medium")
    authority_id = RefId(metadata={"description": "Left out: the facility's authority"})
    previous_id = RefId(metadata={"description": "The earlier recommendation it repeats"})
    due_on = Day()

    @validates_schema(skip_on_field_errors=False)
    def _references(self, data, **kwargs):
        errors = {}
        visit_id = data.get("visit_id")
        if visit_id is None and self.record is None:  # also after a value that is no id
            errors["visit_id"] = [_l("This field is required.")]
        visit = db.session.get(Visit, visit_id) if visit_id is not None else None
        if visit_id is not None and visit is None:
            errors["visit_id"] = [_l("No such visit.")]
        if data.get("authority_id") is not None and not db.session.get(
            Authority, data["authority_id"]
        ):
            errors["authority_id"] = [_l("No such authority.")]
        if data.get("previous_id") is not None and (problem := _repeat_problem(data, visit)):
            errors["previous_id"] = [problem]
        if errors:
            raise ValidationError(errors)


def _repeat_problem(data, visit):
    previous = db.session.get(Recommendation, data["previous_id"])
    if previous is None:
        return _l("No such recommendation.")
    if visit is not None and (
        previous.facility_id != visit.facility_id or previous.visit.started_on >= visit.started_on
    ):
        return _l("Only a recommendation of an earlier visit to the same facility can be repeated.")
    return None


class RecommendationQuery(Schema):
    state = code(STATES)
    authority_id = fields.Integer()
    facility_id = fields.Integer()
    visit_id = fields.Integer()
    theme = code(THEMES)
    overdue = fields.Boolean()
    q = fields.String()


dump = RecommendationSchema().dump


@bp.get("/recommendations")
@doc(
    "List recommendations",
    response=page(RecommendationSchema),
    query=RecommendationQuery,
    exports=True,
    errors=(401, 422),
)
def recommendations_list():
    overdue = request.args.get("overdue")
    if overdue not in (None, "", "true", "false"):
        raise ApiError(422, fields={"overdue": [_("Must be true or false.")]})
    stmt = queries.list_stmt(
        choice_arg("state", STATES),
        int_arg("authority_id"),
        int_arg("facility_id"),
        int_arg("visit_id"),
        choice_arg("theme", THEMES),
        overdue == "true",
        request.args.get("q"),
    )
    # Counted only as far as the ranking needs: the API's page counts every row itself.
    stmt, _ranked, _counted = queries.ranked(stmt, request.args.get("q"), cap=RANK_LIMIT)
    if file_format():
        from app.domain.recommendations.exports import load_options

        stmt = stmt.options(*load_options())
    else:
        stmt = stmt.options(
            *(selectinload(getattr(Recommendation, r)) for r in ("facility", "authority", "visit"))
        )
    return list_or_export(stmt, dump, RECOMMENDATION_COLUMNS, "recommendations")


@bp.get("/recommendations/<int:rec_id>")
@doc("One recommendation", response=RecommendationSchema, errors=(401, 404))
def recommendations_get(rec_id):
    return dump(get_or_404(Recommendation, rec_id))


@bp.post("/recommendations")
@doc(
    "Draft a recommendation (state draft)",
    response=RecommendationSchema,
    status=201,
    body=RecommendationInputSchema,
    errors=(400, 401, 403, 422),
)
@roles("lawyer", "monitor")
def recommendations_create():
    values = RecommendationInputSchema().load_request(json_body())
    visit = db.session.get(Visit, values["visit_id"])
    data = {k: v for k, v in values.items() if k in ops.FIELDS}
    rec = ops.create_recommendation(visit, data, g.api_user)
    return dump(rec), 201


@bp.patch("/recommendations/<int:rec_id>")
@doc(
    "Change a recommendation where its state allows (fields left out keep their values)",
    response=RecommendationSchema,
    body=RecommendationInputSchema,
    errors=(400, 401, 403, 404, 409, 422),
)
@roles("lawyer", "monitor", "admin")
def recommendations_update(rec_id):
    rec = get_or_404(Recommendation, rec_id)
    values = RecommendationInputSchema().load_request(json_body(), rec)
    if values["visit_id"] != rec.visit_id:
        raise ApiError(
            422, fields={"visit_id": [_("A recommendation cannot move to another visit.")]}
        )
    sent = set(request.get_json()) & set(ops.FIELDS)
    ops.update_recommendation(rec, {k: values[k] for k in sent}, g.api_user)
    return dump(rec)


@bp.delete("/recommendations/<int:rec_id>")
@doc(
    "Delete a draft recommendation with its history (only in the state draft)",
    status=204,
    description="Deleted",
    errors=(401, 403, 404, 409),
)
def recommendations_delete(rec_id):
    rec = get_or_404(Recommendation, rec_id)
    ops.delete_draft(rec, g.api_user)
    return "", 204


transitions.register("recommendations", Recommendation, RecommendationSchema, ops.fire)
