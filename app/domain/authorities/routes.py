"""Authority pages: list, detail, create and edit."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core import features
from app.core.once import one_time_form
from app.core.pagination import paginate
from app.core.security import roles_required
from app.domain.authorities import queries
from app.domain.authorities.forms import AuthorityForm
from app.domain.authorities.models import Authority
from app.domain.authorities.operations import save_authority
from app.domain.codes import AUTHORITY_KINDS
from app.extensions import db

bp = Blueprint("authorities", __name__, url_prefix="/authorities", template_folder="templates")
features.menu_entry(
    bp, "authorities.index", _l("Authorities"), ("admin", "lawyer", "monitor"), order=100
)


@bp.route("/")
@roles_required()
def index():
    args = request.args
    stmt = queries.list_stmt(args.get("q"), args.get("kind"), args.get("parent_id", type=int))
    return render_template("authorities/list.html", page=paginate(stmt), kinds=AUTHORITY_KINDS)


@bp.route("/<int:authority_id>")
@roles_required()
def detail(authority_id):
    authority = db.get_or_404(Authority, authority_id)
    return render_template("authorities/detail.html", authority=authority)


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:authority_id>/edit", methods=["GET", "POST"])
@roles_required("admin", "lawyer")
@one_time_form
def edit(authority_id=None):
    authority = db.get_or_404(Authority, authority_id) if authority_id else None
    form = AuthorityForm(obj=authority)
    if request.method == "POST" and request.form.get("suggest_dative"):
        # Fill the dative fields from the nominative ones; nothing is saved yet.
        from app.domain.authorities.dative import suggest

        offered = suggest(request.form.get("head_position"), request.form.get("head_person"))
        form.head_title.data = offered["head_title"] or form.head_title.data
        form.head_name.data = offered["head_name"] or form.head_name.data
        return render_template("authorities/form.html", form=form, authority=authority)
    if form.validate_on_submit():
        authority = save_authority(form.data, authority, current_user)
        flash(_("Authority saved."), "success")
        return redirect(url_for("authorities.detail", authority_id=authority.id))
    status = 422 if form.errors else 200
    return render_template("authorities/form.html", form=form, authority=authority), status
