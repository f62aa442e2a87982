"""Answer pages: record an answer on the act page, assess it, download its files."""

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import features, storage
from app.core.errors import OperationError, flash_refusal, put_on_form
from app.core.once import one_time_form
from app.core.security import roles_required
from app.domain import access
from app.domain.acts.models import Act
from app.domain.acts.pages import act_page
from app.domain.responses import operations as ops
from app.domain.responses.forms import (
    AssessmentForm,
    ResponsePageForm,
)
from app.domain.responses.models import ResponseFile
from app.domain.responses.pages import act_section
from app.extensions import db

bp = Blueprint("responses", __name__, template_folder="templates")
features.page_section(bp, "act", act_section)


@bp.route("/acts/<int:act_id>/responses", methods=["POST"])
@roles_required("lawyer")
@one_time_form
def record(act_id):
    act = access.load_or_404(Act, act_id)
    form = ResponsePageForm()
    if not form.validate():
        return act_page(act, response_form=form), 422
    data = form.values() | {"positions": form.position_values()}
    try:
        ops.record_response(act, data, form.uploads(), current_user)
    except OperationError as exc:
        _show_errors(form, exc, ("files", "received_on", "incoming_number", "kind"))
        return act_page(db.session.get(Act, act_id), response_form=form), exc.status
    flash(_("The answer is recorded."), "success")
    return redirect(url_for("acts.detail", act_id=act_id, _anchor="responses"))


@bp.route("/acts/<int:act_id>/assessment", methods=["POST"])
@roles_required("lawyer")
def assessment(act_id):
    act = access.load_or_404(Act, act_id)
    form = AssessmentForm()
    recs = {r.id: r for r in act.recommendations}
    chosen = form.chosen() if form.validate() else None
    if chosen is not None and not chosen:
        form.form_errors.append(_("Choose an assessment for at least one recommendation."))
    elif chosen and any(rec_id not in recs for rec_id, _a, _c in chosen):
        form.form_errors.append(_("Only the act's recommendations can be assessed here."))
    if not chosen or form.form_errors:
        return act_page(act, assessment_form=form), 422
    try:
        ops.assess([(recs[i], a, c) for i, a, c in chosen], current_user)
    except OperationError as exc:
        put_on_form(form, OperationError(fields={"form": [str(exc) + _fields_text(exc)]}))
        return act_page(db.session.get(Act, act_id), assessment_form=form), exc.status
    flash(_("Assessed: %(n)s.", n=len(chosen)), "success")
    return redirect(url_for("acts.detail", act_id=act_id, _anchor="assessment"))


@bp.route("/response-files/<int:file_id>")
@roles_required()
def download(file_id):
    f = access.load_or_404(ResponseFile, file_id)
    return storage.send(
        f.path,
        sha256=f.sha256,
        mimetype=f.content_type,
        download_name=f.filename,
    )


def _show_errors(form, exc, shown):
    """Messages of the fields ``shown`` next to them, others above the form; an error without
    fields (a role, the act's state, a conflict) as a flash, since the form may not be shown."""
    if not exc.fields:
        flash_refusal(exc)
        return
    placed = {}
    for name, items in exc.field_messages().items():
        placed.setdefault(name if name in shown else "form", []).extend(items)
    put_on_form(form, OperationError(exc.message, fields=placed))


def _fields_text(exc):
    fields = getattr(exc, "fields", None) or {}
    return "".join(f" {', '.join(str(m) for m in v)}" for v in fields.values())
