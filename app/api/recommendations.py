"""/recommendations: the cases, their transitions and history."""

from flask import g, request
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.api import bp, transitions
from app.api.common import choice_arg, get_or_404, int_arg, roles, validated
from app.api.errors import ApiError
from app.api.search import file_format, list_or_export
from app.domain.codes import THEMES
from app.domain.recommendations import STATES, queries
from app.domain.recommendations import operations as ops
from app.domain.recommendations.forms import RecommendationForm
from app.domain.recommendations.models import Recommendation
from app.domain.search.exports import RECOMMENDATION_COLUMNS
from app.domain.visits.models import Visit
from app.extensions import db


def dump(r):
    return {
        "id": r.id,
        "visit_id": r.visit_id,
        "facility_id": r.facility_id,
        "authority_id": r.authority_id,
        "text": r.text,
        "theme": r.theme,
        "priority": r.priority,
        "state": r.state,
        "due_on": r.due_on.isoformat() if r.due_on else None,
        "act_ids": act_ids(r),
        "previous_id": r.previous_id,
    }


def act_ids(rec):
    """The acts that carry the recommendation, oldest first."""
    return [a.id for a in rec.acts]


@bp.get("/recommendations")
def recommendations_list():
    overdue = request.args.get("overdue")
    if overdue not in (None, "", "true", "false"):
        raise ApiError(422, fields={"overdue": [_("Must be true or false.")]})
    stmt = queries.list_stmt(
        choice_arg("state", STATES), int_arg("authority_id"), int_arg("facility_id"),
        int_arg("visit_id"), choice_arg("theme", THEMES), overdue == "true", request.args.get("q"),
    )  # fmt: skip
    stmt, _ranked = queries.ranked(stmt, request.args.get("q"))
    if file_format():
        from app.domain.recommendations.exports import load_options

        stmt = stmt.options(*load_options())
    else:
        stmt = stmt.options(
            *(selectinload(getattr(Recommendation, r)) for r in ("facility", "authority", "visit"))
        )
    return list_or_export(stmt, dump, RECOMMENDATION_COLUMNS, "recommendations")


@bp.get("/recommendations/<int:rec_id>")
def recommendations_get(rec_id):
    return dump(get_or_404(Recommendation, rec_id))


@bp.post("/recommendations")
@roles("lawyer", "monitor")
def recommendations_create():
    form = validated(RecommendationForm, need_visit=True)
    visit = db.session.get(Visit, form.visit_id.data)
    data = {k: v for k, v in form.data.items() if k in ops.FIELDS}
    rec = ops.create_recommendation(visit, data, g.api_user)
    return dump(rec), 201


@bp.patch("/recommendations/<int:rec_id>")
@roles("lawyer", "monitor", "admin")
def recommendations_update(rec_id):
    rec = get_or_404(Recommendation, rec_id)
    form = validated(RecommendationForm, obj=rec)
    if form.visit_id.data != rec.visit_id:
        raise ApiError(
            422, fields={"visit_id": [_("A recommendation cannot move to another visit.")]}
        )
    sent = set(request.get_json()) & set(ops.FIELDS)
    ops.update_recommendation(rec, {k: form.data[k] for k in sent}, g.api_user)
    return dump(rec)


@bp.delete("/recommendations/<int:rec_id>")
def recommendations_delete(rec_id):
    rec = get_or_404(Recommendation, rec_id)
    ops.delete_draft(rec, g.api_user)
    return "", 204


transitions.register("recommendations", Recommendation, dump, ops.fire)
