"""Facility pages: list, detail, create and edit."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core import features
from app.core.once import one_time_form
from app.core.security import roles_required
from app.domain import access
from app.domain.codes import FACILITY_TYPES, REGIONS
from app.domain.facilities import exports as facility_exports
from app.domain.facilities import queries
from app.domain.facilities.forms import FacilityForm
from app.domain.facilities.models import Facility
from app.domain.facilities.operations import save_facility
from app.domain.lists.pages import list_page
from app.extensions import db

bp = Blueprint("facilities", __name__, url_prefix="/facilities", template_folder="templates")
features.menu_entry(
    bp, "facilities.index", _l("Facilities"), ("admin", "lawyer", "monitor"), order=90
)


@bp.route("/")
@roles_required()
def index():
    a = request.args
    stmt = queries.list_stmt(
        a.get("q"), a.get("type"), a.get("region"), a.get("authority_id", type=int)
    )
    return list_page(
        stmt,
        "facilities/list.html",
        facility_exports.COLUMNS,
        "facilities",
        _l("Facilities"),
        export_stmt=stmt.options(*facility_exports.load_options()),
        types=FACILITY_TYPES,
        regions=REGIONS,
    )


@bp.route("/<int:facility_id>")
@roles_required()
def detail(facility_id):
    facility = db.get_or_404(Facility, facility_id)
    from app.domain.followup.queries import timeline

    # The registry entry is everyone's; its cases only for those who may read them.
    page = request.args.get("page", 1, type=int)
    found = timeline(facility.id, page) if access.reads_facility(facility.id) else None
    return render_template(
        "facilities/detail.html",
        facility=facility,
        timeline=found.rows if found else [],
        positions=found.positions if found else {},
        timeline_page=found,
    )


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:facility_id>/edit", methods=["GET", "POST"])
@roles_required("admin", "lawyer")
@one_time_form
def edit(facility_id=None):
    facility = db.get_or_404(Facility, facility_id) if facility_id else None
    form = FacilityForm(obj=facility)
    if form.validate_on_submit():
        facility = save_facility(form.data, facility, current_user)
        flash(_("Facility saved."), "success")
        return redirect(url_for("facilities.detail", facility_id=facility.id))
    status = 422 if form.errors else 200
    return render_template("facilities/form.html", form=form, facility=facility), status
