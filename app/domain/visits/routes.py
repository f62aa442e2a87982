"""Visit pages: list, detail, create and edit."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core import features
from app.core.once import one_time_form
from app.core.security import roles_required
from app.domain import access
from app.domain.codes import REGIONS, VISIT_KINDS
from app.domain.lists.pages import list_page
from app.domain.visits import exports as visit_exports
from app.domain.visits import queries
from app.domain.visits.exports import VISIT_COLUMNS
from app.domain.visits.forms import VisitForm
from app.domain.visits.models import Visit
from app.domain.visits.operations import can_edit_visit, save_visit
from app.domain.visits.pages import render_visit

bp = Blueprint("visits", __name__, url_prefix="/visits", template_folder="templates")
features.export_columns(bp, "visits", VISIT_COLUMNS)
features.menu_entry(bp, "visits.index", _l("Visits"), ("admin", "lawyer", "monitor"), order=10)


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
    return list_page(
        stmt,
        "visits/list.html",
        visit_exports.COLUMNS,
        "visits",
        _l("Visits"),
        export_stmt=stmt.options(*visit_exports.load_options()),
        kinds=VISIT_KINDS,
        regions=REGIONS,
        mine=mine,
    )


@bp.route("/<int:visit_id>")
@roles_required()
def detail(visit_id):
    return render_visit(access.load_or_404(Visit, visit_id))


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
        flash(_("Visit saved."), "success")
        return redirect(url_for("visits.detail", visit_id=visit.id))
    status = 422 if form.errors else 200
    return render_template("visits/form.html", form=form, visit=visit), status
