"""Saving and deleting a user's filters of a list page."""

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.core.errors import OperationError, flash_refusal
from app.core.once import one_time_form
from app.core.security import roles_required
from app.domain.lists import saved

bp = Blueprint(
    "lists",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/lists/static",
)


@bp.route("/saved-filters", methods=["POST"])
@roles_required()
@one_time_form
def save_filter():
    form = saved.SaveFilterForm()
    page = form.page.data if form.page.data in saved.PAGES else None
    if page is None:
        abort(400)
    back = url_for(page) + ("?" + form.query.data if form.query.data else "")
    if not form.validate():
        for messages in form.errors.values():
            for message in messages:
                flash(str(message), "error")
        return redirect(back, 303)
    try:
        saved.save(current_user, page, form.name.data, form.query.data)
    except OperationError as exc:
        flash_refusal(exc)
        return redirect(back, 303)
    flash(_("Filter «%(name)s» saved.", name=form.name.data.strip()), "success")
    return redirect(back, 303)


@bp.route("/saved-filters/<int:filter_id>/delete", methods=["POST"])
@roles_required()
def delete_filter(filter_id):
    if not FlaskForm().validate():  # the CSRF token
        abort(400)
    try:
        gone = saved.delete(current_user, filter_id)
    except OperationError as exc:
        abort(exc.status)
    flash(_("Filter «%(name)s» deleted.", name=gone.name), "success")
    return redirect(url_for(gone.page), 303)
