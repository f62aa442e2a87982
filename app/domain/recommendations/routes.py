"""Recommendation pages: a visit's quick entry and bulk issue, the case page, its transitions."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core import features
from app.core.once import one_time_form
from app.core.pagination import paginate
from app.core.security import roles_required
from app.domain import access
from app.domain.codes import PRIORITIES, THEMES
from app.domain.drafts import delete_draft_page
from app.domain.recommendations import STATES, queries
from app.domain.recommendations import operations as ops
from app.domain.recommendations.forms import (
    IssueSelectedForm,
    QuickEntryForm,
    RecommendationForm,
    TransitionForm,
)
from app.domain.recommendations.models import Recommendation
from app.domain.recommendations.pages import visit_section
from app.domain.visits.models import Visit
from app.domain.visits.pages import render_visit
from app.extensions import db
from app.workflow import WorkflowError, get_engine

bp = Blueprint("recommendations", __name__, template_folder="templates")
features.page_section(bp, "visit", visit_section)
features.menu_entry(bp, "recommendations.index", _l("Recommendations"), ("admin", "lawyer", "monitor"), order=20)


@bp.route("/recommendations/")
@roles_required()
def index():
    a = request.args
    stmt = queries.list_stmt(
        a.get("state") if a.get("state") in STATES else None, a.get("authority_id", type=int),
        a.get("facility_id", type=int), a.get("visit_id", type=int),
        a.get("theme") if a.get("theme") in THEMES else None, a.get("overdue") == "1", a.get("q"),
        current_user.id if a.get("mine") == "1" else None,
    )  # fmt: skip
    return render_template(
        "recommendations/list.html", page=paginate(stmt), states=STATES, themes=THEMES
    )


@bp.route("/visits/<int:visit_id>/recommendations", methods=["POST"])
@roles_required("lawyer", "monitor")
@one_time_form
def quick_entry(visit_id):
    visit = access.load_or_404(Visit, visit_id)
    if not ops.may_draft(current_user, visit):
        abort(403)
    form = QuickEntryForm()
    if not form.validate():
        return _visit_page(visit, quick=form), 422
    for row in form.filled_rows():
        ops.create_recommendation(
            visit, {**row, "authority_id": form.authority_id.data}, current_user
        )
    db.session.commit()
    flash(_("%(n)s recommendations drafted.", n=len(form.filled_rows())), "success")
    return redirect(url_for("visits.detail", visit_id=visit.id, _anchor="recommendations"))


@bp.route("/visits/<int:visit_id>/recommendations/issue", methods=["POST"])
@roles_required("lawyer")
def issue_selected(visit_id):
    visit = access.load_or_404(Visit, visit_id)
    form = IssueSelectedForm()
    ids = request.form.getlist("ids", type=int)
    recs = db.session.scalars(
        sa.select(Recommendation).where(
            Recommendation.visit_id == visit.id, Recommendation.id.in_(ids)
        )
    ).all()
    if not form.validate() or not recs:
        flash(_("Select the recommendations to issue."), "warning")
        return redirect(url_for("visits.detail", visit_id=visit.id))
    try:
        ops.issue_many(recs, current_user, form.comment.data)
    except WorkflowError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _visit_page(visit), exc.status
    db.session.commit()
    flash(_("%(n)s recommendations issued.", n=len(recs)), "success")
    return redirect(url_for("visits.detail", visit_id=visit.id, _anchor="recommendations"))


@bp.route("/recommendations/<int:rec_id>")
@roles_required()
def detail(rec_id):
    rec = access.load_or_404(Recommendation, rec_id)
    return _detail_page(rec)


@bp.route("/recommendations/<int:rec_id>/edit", methods=["GET", "POST"])
@roles_required("lawyer", "monitor", "admin")
def edit(rec_id):
    rec = access.load_or_404(Recommendation, rec_id)
    editable = get_engine().editable_fields(rec, current_user)
    if not editable or (current_user.role == "monitor" and not rec.visit.has_member(current_user)):
        abort(403)
    form = RecommendationForm(obj=rec)
    if form.validate_on_submit():
        try:
            posted = {f: form.data[f] for f in ops.FIELDS if f in request.form}
            ops.update_recommendation(rec, posted, current_user)
        except ops.FieldsLocked as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
            return render_template(
                "recommendations/form.html", form=form, rec=rec, editable=editable
            ), 409
        db.session.commit()
        flash(_("Recommendation saved."), "success")
        return redirect(url_for("recommendations.detail", rec_id=rec.id))
    status = 422 if form.errors else 200
    return render_template(
        "recommendations/form.html", form=form, rec=rec, editable=editable
    ), status


@bp.route("/recommendations/<int:rec_id>/delete", methods=["GET", "POST"])
@roles_required("lawyer", "monitor", "admin")
def delete(rec_id):
    """Discard a draft, after the user confirms on a page of its own."""
    rec = access.load_or_404(Recommendation, rec_id)
    return delete_draft_page(
        rec,
        ops,
        title=_("Delete the draft recommendation?"),
        text=rec.text,
        back=url_for("recommendations.detail", rec_id=rec.id),
        done=url_for("visits.detail", visit_id=rec.visit_id, _anchor="recommendations"),
    )


@bp.route("/recommendations/<int:rec_id>/transitions", methods=["POST"])
@roles_required()
def transition(rec_id):
    rec = access.load_or_404(Recommendation, rec_id)
    form = TransitionForm()
    if not form.validate():
        abort(400)
    params = {"comment": form.comment.data or None}
    if form.visit_id.data:
        params["visit_id"] = form.visit_id.data
    try:
        ops.fire(rec, form.name.data, current_user, params, requested=True)
    except ops.NotPermitted:
        abort(403)
    except WorkflowError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _detail_page(db.session.get(Recommendation, rec_id)), exc.status
    db.session.commit()
    flash(_("Done: %(state)s.", state=get_engine().state_label(rec)), "success")
    return redirect(url_for("recommendations.detail", rec_id=rec.id))


def _detail_page(rec):
    engine = get_engine()
    history = engine.history(rec)
    return render_template(
        "recommendations/detail.html",
        rec=rec,
        history=history,
        names=queries.actor_names(history),
        transitions=engine.available(rec, current_user),
        can_edit=bool(engine.editable_fields(rec, current_user)),
        can_delete=ops.may_edit_draft(rec, current_user),
        form=TransitionForm(),
        priorities=PRIORITIES,
    )


def _visit_page(visit, quick=None):
    return render_visit(visit, quick=quick)
