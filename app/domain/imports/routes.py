"""The import page: upload → preview (how each column was read, errors per row) → confirm."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField

from app.core import features
from app.core.security import roles_required
from app.domain.imports import runs, uploads
from app.domain.imports.columns import BY_KEY, COLUMNS
from app.domain.imports.operations import import_recommendations
from app.extensions import db

bp = Blueprint("imports", __name__, template_folder="templates")
features.menu_entry(bp, "imports.index", _l("Import"), ("admin", "lawyer"), order=160)
PREVIEW_ROWS = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(FlaskForm):
    file = FileField(validators=[FileRequired()])


class ConfirmForm(FlaskForm):
    token = HiddenField()


@bp.route("/imports", methods=["GET", "POST"])
@roles_required("admin", "lawyer")
def index():
    form = UploadForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("imports/index.html", form=form, columns=COLUMNS), status
    upload = form.file.data
    try:
        token = uploads.save(upload.stream, upload.filename, current_user)
    finally:
        upload.close()  # a large upload is spooled to a temporary file of its own
    path, filename = uploads.load(token, current_user)
    report = import_recommendations(
        path, filename, current_user, dry_run=True, preview_rows=PREVIEW_ROWS
    )
    db.session.rollback()  # a preview keeps nothing
    if not report.ok:
        uploads.discard(token)
    confirm = ConfirmForm(formdata=None, token=token)
    return render_template(
        "imports/preview.html", report=report, filename=filename, confirm=confirm, by_key=BY_KEY
    ), (200 if report.ok else 422)


@bp.route("/imports/confirm", methods=["POST"])
@roles_required("admin", "lawyer")
def confirm():
    form = ConfirmForm()
    found = uploads.load(form.token.data, current_user) if form.validate_on_submit() else None
    if found is None:
        flash(_("The uploaded file is no longer here: upload it again."), "error")
        return redirect(url_for("imports.index"))
    path, filename = found
    if runs.in_background(path):  # a large sheet: a worker imports it, its page follows
        runs.start(form.token.data, filename, current_user)
        return redirect(url_for("imports.run_page", token=form.token.data)), 303
    report = import_recommendations(path, filename, current_user)
    if not report.ok:
        return render_template(
            "imports/preview.html", report=report, filename=filename, confirm=None, by_key=BY_KEY
        ), 422
    db.session.commit()  # the upload is discarded once its rows are saved
    uploads.discard(form.token.data)
    flash(
        _(
            "Imported: %(created)s created, %(updated)s updated.",
            created=report.created,
            updated=report.updated,
        ),
        "success",
    )
    return redirect(url_for("recommendations.index"))


@bp.route("/imports/runs/<token>")
@roles_required("admin", "lawyer")
def run_page(token):
    """A large import running in a worker: the page follows it without a reload."""
    state = runs.status(token, current_user) or abort(404)
    return render_template("imports/run.html", token=token, run=state)


@bp.route("/imports/runs/<token>/live")
@roles_required("admin", "lawyer")
def run_live(token):
    """The run's part of its page, polled while it is queued or running."""
    state = runs.status(token, current_user) or abort(404)
    return render_template("imports/_run.html", token=token, run=state)


@bp.route("/imports/template.<fmt>")
@roles_required("admin", "lawyer")
def template(fmt):
    from app.domain.imports.template import template_csv, template_xlsx
    from app.workflow import get_engine

    if fmt not in ("xlsx", "csv"):
        return redirect(url_for("imports.index"))
    data = template_xlsx(get_engine()) if fmt == "xlsx" else template_csv()
    response = Response(data, mimetype=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
    response.headers.set("Content-Disposition", "attachment", filename=f"recommendations.{fmt}")
    return response
