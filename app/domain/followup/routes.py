"""Home pages by role, the facility's follow-up checklist (page and A4 PDF) and its findings."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core import features
from app.core.errors import OperationError, flash_refusal
from app.core.once import one_time_form
from app.core.pagination import paginate
from app.core.security import roles_required
from app.domain import access
from app.domain.followup import operations as ops
from app.domain.followup import queries
from app.domain.followup.models import RESULTS
from app.domain.recommendations.models import Recommendation
from app.domain.visits.models import Visit
from app.extensions import db

bp = Blueprint("followup", __name__, template_folder="templates")
features.menu_entry(bp, "followup.outbox", _l("Outbox"), ("admin", "lawyer"), order=80)

FINDING_LABELS = {
    "verified": _l("verified"),
    "partly": _l("partly done"),
    "not_done": _l("still not done"),
}


def home_page(user):
    """The first page: a lawyer's work, a monitor's visits and facilities, users for admins."""
    if user.role == "lawyer":
        return render_template("followup/home_lawyer.html", counts=queries.lawyer_counts(user))
    if user.role == "monitor":
        return render_template(
            "followup/home_monitor.html",
            visits=queries.monitor_visits(user),
            facilities=queries.monitor_facilities(user),
            recs=paginate(queries.monitor_open_recommendations(user)),
        )
    return redirect(url_for("auth.users"))


features.home_page(bp, home_page)


@bp.route("/outbox")
@roles_required("lawyer", "admin")
def outbox():
    """E-mails not sent: held without SMTP settings, failed, or stuck."""
    from app.domain.acts.emails import STEP_LABELS, EmailDecisionForm, actions_for
    from app.mail.outbox import unsent_query

    emails = db.session.scalars(unsent_query().limit(500)).all()
    return render_template(
        "followup/outbox.html",
        emails=emails,
        email_actions=actions_for,
        email_labels=STEP_LABELS,
        decision_form=EmailDecisionForm(formdata=None),
        back="outbox",
    )


@bp.route("/facilities/<int:facility_id>/checklist", methods=["GET", "POST"])
@roles_required("lawyer", "monitor", "admin")
@one_time_form
def checklist(facility_id):
    facility = access.facility_timeline_or_404(facility_id)
    if request.method == "POST":
        return _record(facility)
    recs, positions = queries.checklist(facility.id)
    return render_template(
        "followup/checklist.html",
        facility=facility,
        recs=recs,
        positions=positions,
        visits=queries.follow_up_visits(facility.id, current_user),
        findings=queries.latest_findings([r.id for r in recs]),
        finding_labels=FINDING_LABELS,
        photo_accept=".jpg,.jpeg,.png",
    )


@bp.route("/finding-photos/<int:photo_id>")
@roles_required("lawyer", "monitor", "admin")
def photo(photo_id):
    """A finding's photo, for those who may read its recommendation."""
    from app.core import storage
    from app.domain.followup.models import FindingPhoto

    item = db.session.get(FindingPhoto, photo_id)
    if item is None:
        abort(404)
    access.load_or_404(Recommendation, item.finding.recommendation_id)
    return storage.send(
        item.path,
        sha256=item.sha256,
        mimetype=item.content_type,
        download_name=item.filename,
        as_attachment=False,
    )


@bp.route("/facilities/<int:facility_id>/checklist.pdf")
@roles_required("lawyer", "monitor", "admin")
def checklist_pdf(facility_id):
    from app.domain.followup.pdf import checklist_pdf as render

    facility = access.facility_timeline_or_404(facility_id)
    recs, positions = queries.checklist(facility.id)
    pdf = render(facility, recs, positions)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="checklist-{facility.id}.pdf"'},
    )


def _record(facility):
    if current_user.role not in ("lawyer", "monitor"):
        abort(403)
    visit = db.session.get(Visit, request.form.get("visit_id", type=int) or 0)
    if visit is None or visit.facility_id != facility.id:
        flash(_("Choose the follow-up visit."), "error")
        return redirect(url_for("followup.checklist", facility_id=facility.id)), 303
    findings = {}
    for key, value in request.form.items():
        rec_id = key.removeprefix("finding-")
        if key.startswith("finding-") and value in RESULTS and rec_id.isdecimal():
            rec = db.session.get(Recommendation, int(rec_id)) if len(rec_id) < 10 else None
            if rec is not None:
                photos = [
                    (f.filename or "photo", f.read(ops.MAX_PHOTO_BYTES + 1))
                    for f in request.files.getlist(f"photos-{rec_id}")
                    if f.filename
                ]
                findings[rec] = {
                    "result": value,
                    "note": request.form.get(f"note-{rec_id}", ""),
                    "photos": photos,
                }
    try:
        repeated = ops.record_findings(visit, findings, current_user)
    except OperationError as exc:
        if exc.status == 403:
            raise
        flash_refusal(exc)
        return redirect(url_for("followup.checklist", facility_id=facility.id)), 303
    flash(
        _(
            "Findings saved: %(n)s; repeated recommendations drafted: %(m)s.",
            n=len(findings),
            m=len(repeated),
        ),
        "success",
    )
    return redirect(url_for("visits.detail", visit_id=visit.id, _anchor="recommendations"))
