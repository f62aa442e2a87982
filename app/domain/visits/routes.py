"""Visit pages: list, detail, create and edit."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.once import one_time_form
from app.core.pagination import paginate
from app.core.security import roles_required
from app.domain import access
from app.domain.codes import REGIONS, VISIT_KINDS
from app.domain.visits import queries
from app.domain.visits.forms import VisitForm
from app.domain.visits.models import Visit
from app.domain.visits.operations import can_edit_visit, save_visit
from app.extensions import db

bp = Blueprint("visits", __name__, url_prefix="/visits", template_folder="templates")


@bp.route("/")
@roles_required()
def index():
    a = request.args
    mine = a.get("mine") == "1"
    stmt = queries.list_stmt(
        a.get("q"),
        a.get("facility_id", type=int),
        a.get("kind"),
        a.get("region"),
        current_user.id if mine else a.get("monitor_id", type=int),
    )
    return render_template(
        "visits/list.html", page=paginate(stmt), kinds=VISIT_KINDS, regions=REGIONS, mine=mine
    )


@bp.route("/<int:visit_id>")
@roles_required()
def detail(visit_id):
    return render_visit(access.load_or_404(Visit, visit_id))


def render_visit(visit, quick=None):
    """The visit page with its recommendations, quick entry and bulk issue."""
    from app.domain.recommendations import operations as rec_ops
    from app.domain.recommendations import queries as rec_queries
    from app.domain.recommendations.forms import IssueSelectedForm, QuickEntryForm

    may_draft = rec_ops.may_draft(current_user, visit) and current_user.role != "admin"
    if quick is None and may_draft:
        quick = QuickEntryForm(formdata=None)
        quick.authority_id.data = visit.facility.authority_id
    return render_template(
        "visits/detail.html",
        visit=visit,
        can_edit=can_edit_visit(current_user, visit),
        recommendations=rec_queries.of_visit(visit.id),
        quick=quick if may_draft else None,
        issue_form=IssueSelectedForm() if current_user.role == "lawyer" else None,
    )


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:visit_id>/edit", methods=["GET", "POST"])
@roles_required("admin", "lawyer", "monitor")
@one_time_form
def edit(visit_id=None):
    visit = access.load_or_404(Visit, visit_id) if visit_id else None
    if visit is not None and not can_edit_visit(current_user, visit):
        abort(403)
    form = VisitForm(obj=visit)
    if visit is None and request.method == "GET":
        form.facility_id.data = request.args.get("facility_id", type=int)
        if current_user.role == "monitor":
            form.monitor_ids.data = [current_user.id]
    if form.validate_on_submit():
        visit = save_visit(form.data, current_user, visit)
        db.session.commit()
        flash(_("Visit saved."), "success")
        return redirect(url_for("visits.detail", visit_id=visit.id))
    status = 422 if form.errors else 200
    return render_template("visits/form.html", form=form, visit=visit), status
