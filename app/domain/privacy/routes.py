"""The personal-data and legal-hold sections of the act page: their forms post here."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.core import features
from app.core.errors import OperationError, flash_refusal
from app.core.security import roles_required
from app.domain.acts.models import Act
from app.domain.privacy import operations as ops
from app.domain.privacy.hold import release_hold, set_hold
from app.domain.privacy.pages import act_sections
from app.extensions import db

bp = Blueprint("privacy", __name__, template_folder="templates")
features.page_section(bp, "act", act_sections)


@bp.route("/acts/<int:act_id>/personal-data", methods=["POST"])
@roles_required("lawyer")
def decide(act_id):
    act = db.get_or_404(Act, act_id)
    if act.state != "draft" or not FlaskForm().validate_on_submit():
        flash(_("The decision can be recorded only on a draft act."), "error")
        return redirect(url_for("acts.detail", act_id=act_id)), 303
    try:
        ops.decide(act, request.form.get("decision"), request.form.get("note"), current_user)
    except OperationError as exc:
        flash_refusal(exc)
        return redirect(url_for("acts.detail", act_id=act_id) + "#personal-data"), 303
    flash(_("Decision on personal data recorded."), "success")
    return redirect(url_for("acts.detail", act_id=act_id) + "#personal-data")


@bp.route("/acts/<int:act_id>/legal-hold", methods=["POST"])
@roles_required("lawyer")
def legal_hold(act_id):
    act = db.get_or_404(Act, act_id)
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("acts.detail", act_id=act_id)), 303
    try:
        if request.form.get("release"):
            release_hold(act, current_user)
        else:
            set_hold(act, request.form.get("reason"), current_user)
    except OperationError as exc:
        flash_refusal(exc)
        return redirect(url_for("acts.detail", act_id=act_id) + "#legal-hold"), 303
    flash(_("Legal hold updated."), "success")
    return redirect(url_for("acts.detail", act_id=act_id) + "#legal-hold")
