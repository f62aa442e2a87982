"""The administrators' page for letters: templates, signatory and letterhead, with a preview and
the versions saved so far."""

import nh3
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from app.core import features
from app.core.audit import record_audit
from app.core.errors import OperationError
from app.core.security import roles_required
from app.domain.acts import letter_admin
from app.extensions import db

bp = Blueprint("letter_admin", __name__, template_folder="templates")
features.menu_entry(bp, "letter_admin.index", _l("Letter templates"), ("admin",), order=140)


@bp.route("/admin/letters")
@roles_required("admin")
def index():
    rows = [(name, letter_admin.versions(name)) for name in letter_admin.names()]
    return render_template("acts/letter_admin_index.html", rows=rows)


@bp.route("/admin/letters/<name>", methods=["GET", "POST"])
@roles_required("admin")
def edit(name):
    if name not in letter_admin.names():
        abort(404)
    body, comment = letter_admin.current(name), ""
    preview, error, status = None, None, 200
    if request.method == "POST":
        body = request.form.get("body", "")
        comment = request.form.get("comment", "")
        if request.form.get("restore"):
            body = letter_admin.default_text(name)
        try:
            if request.form.get("action") == "preview" and name != letter_admin.SETTINGS:
                preview = letter_admin.preview(name, body)
            else:
                version = letter_admin.save(name, body, current_user, comment)
                record_audit(
                    "letter_template_saved",
                    current_user,
                    subject=version,
                    details={"name": name, "version": version.version},
                )
                flash(_("Saved as version %(n)s.", n=version.version), "success")
                return redirect(url_for("letter_admin.edit", name=name))
        except OperationError as exc:
            db.session.rollback()  # the page shown again reads what is saved
            error, status = str(exc.message), 422
    if preview is None and error is None and name != letter_admin.SETTINGS:
        try:
            preview = letter_admin.preview(name, body)
        except OperationError as exc:
            error = str(exc.message)
    return render_template(
        "acts/letter_admin_edit.html",
        name=name,
        body=body,
        comment=comment,
        preview=Markup(nh3.clean(preview)) if preview else None,  # cleaned: markup as is
        error=error,
        versions=letter_admin.versions(name),
        is_settings=name == letter_admin.SETTINGS,
    ), status
