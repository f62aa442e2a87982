"""Recommendation pages: a visit's quick entry and bulk issue, the case page, its transitions."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.core import features
from app.core.errors import OperationError, flash_refusal
from app.core.once import one_time_form
from app.core.pagination import paginate
from app.core.security import roles_required
from app.domain import access
from app.domain.codes import PRIORITIES, THEMES
from app.domain.confirm import posted_reason_form, reason_page, reason_transition
from app.domain.done_messages import recommendation_done
from app.domain.drafts import delete_draft_page
from app.domain.lists.pages import list_page
from app.domain.recommendations import STATES, listing, queries
from app.domain.recommendations import bulk as bulk_ops
from app.domain.recommendations import exports as rec_exports
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
features.menu_entry(
    bp, "recommendations.index", _l("Recommendations"), ("admin", "lawyer", "monitor"), order=20
)


@bp.route("/recommendations/")
@roles_required()
def index():
    return list_queue(request.args)


def list_queue(args, status=200):
    """The list as a queue: its filters, the user's saved filters, bulk actions and files."""
    stmt = queries.list_stmt(
        args.get("state") if args.get("state") in STATES else None,
        args.get("authority_id", type=int),
        args.get("facility_id", type=int),
        args.get("visit_id", type=int),
        args.get("theme") if args.get("theme") in THEMES else None,
        args.get("overdue") == "1",
        args.get("q"),
        current_user.id if args.get("mine") == "1" else None,
        assigned_arg(args),
    )
    stmt, ranked, counted = queries.ranked(stmt, args.get("q"))
    response = list_page(
        stmt,
        "recommendations/list.html",
        rec_exports.COLUMNS,
        "recommendations",
        _l("Recommendations"),
        export_stmt=stmt.options(*rec_exports.load_options()),
        page=paginate(stmt.options(*_row_options()), counted=counted),
        states=STATES,
        themes=THEMES,
        ranked=ranked,
        args=args,
        **listing.choices(args),
        bulk=listing.bulk_form(args),
    )
    return response if status == 200 else (response, status)


def _row_options():
    """What a row of the list shows besides the recommendation."""
    names = ("facility", "authority", "lawyer")
    return tuple(selectinload(getattr(Recommendation, name)) for name in names)


def assigned_arg(args):
    """The assigned lawyer filter: a user id, "none" (nobody assigned) or None."""
    value = args.get("lawyer_id") or None
    if value == "none":
        return value
    return int(value) if (value or "").isdigit() and len(value) <= 9 else None


@bp.route("/recommendations/bulk", methods=["POST"])
@roles_required("lawyer", "admin")
@one_time_form
def bulk():
    """Issue, assign or draft an act from the selected recommendations; each one reported."""
    form = listing.BulkForm()
    back = listing.back_url(form.back.data)
    if not form.validate():
        abort(400)
    try:
        outcome = bulk_ops.run(
            form.action.data,
            request.form.getlist("ids", type=int),
            current_user,
            lawyer_id=form.lawyer_id.data,
            kind=form.kind.data or "submission",
        )
    except OperationError as exc:
        flash_refusal(exc)
        return list_queue(listing.back_args(form.back.data), status=exc.status)
    listing.flash_outcome(form.action.data, outcome)
    if len(outcome.acts) == 1:
        return redirect(url_for("acts.detail", act_id=outcome.acts[0].id), 303)
    return redirect(back, 303)


@bp.route("/visits/<int:visit_id>/recommendations", methods=["POST"])
@roles_required("lawyer", "monitor")
@one_time_form
def quick_entry(visit_id):
    visit = access.load_or_404(Visit, visit_id, allow=ops.may_draft)
    form = QuickEntryForm()
    if request.form.get("add_row") and len(form.rows.entries) < form.rows.max_entries:
        form.rows.append_entry()  # another empty row; nothing is saved yet
        return _visit_page(visit, quick=form)
    if not form.validate():
        return _visit_page(visit, quick=form), 422
    for row in form.filled_rows():
        ops.create_recommendation(
            visit, {**row, "authority_id": form.authority_id.data}, current_user
        )
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
        flash_refusal(exc)
        return _visit_page(visit), exc.status
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
    rec = access.load_or_404(Recommendation, rec_id, allow=ops.may_edit)
    editable = get_engine().editable_fields(rec, current_user)
    form = RecommendationForm(obj=rec)
    if form.validate_on_submit():
        try:
            posted = {f: form.data[f] for f in ops.FIELDS if f in request.form}
            ops.update_recommendation(rec, posted, current_user)
        except OperationError as exc:
            flash_refusal(exc)
            return render_template(
                "recommendations/form.html", form=form, rec=rec, editable=editable
            ), exc.status
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
    reason = reason_transition(rec, form.name.data)
    if reason is not None and not (form.comment.data or "").strip():
        return _reason_page(rec, reason, posted_reason_form(reason.name)), 422
    params = {"comment": form.comment.data or None}
    if form.visit_id.data:
        params["visit_id"] = form.visit_id.data
    try:
        ops.fire(rec, form.name.data, current_user, params, requested=True)
    except WorkflowError as exc:
        flash_refusal(exc)
        return _detail_page(db.session.get(Recommendation, rec_id)), exc.status
    flash(recommendation_done(form.name.data), "success")
    return redirect(url_for("recommendations.detail", rec_id=rec.id))


@bp.route("/recommendations/<int:rec_id>/transitions/confirm")
@roles_required()
def confirm_transition(rec_id):
    """The confirmation, with its reason, of a step that cannot be undone (withdraw)."""
    rec = access.load_or_404(Recommendation, rec_id)
    reason = reason_transition(rec, request.args.get("name", ""))
    if reason is None:
        abort(404)
    return _reason_page(rec, reason)


def _reason_page(rec, transition, form=None):
    return reason_page(
        "recommendation",
        transition,
        form=form,
        action=url_for("recommendations.transition", rec_id=rec.id),
        back=url_for("recommendations.detail", rec_id=rec.id),
    )


def _detail_page(rec):
    from app.domain.recommendations.casefile import LABELS, case_file

    engine = get_engine()
    return render_template(
        "recommendations/detail.html",
        rec=rec,
        case=case_file(rec),
        case_labels=LABELS,
        transitions=engine.available(rec, current_user),
        can_edit=ops.may_edit(rec, current_user),
        can_delete=ops.may_edit_draft(rec, current_user),
        form=TransitionForm(),
        priorities=PRIORITIES,
    )


def _visit_page(visit, quick=None):
    return render_visit(visit, quick=quick)
