"""The page that discards a draft (an act or a recommendation) after the user confirms it: one
builder for both features' routes."""

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import OperationError, flash_refusal
from app.core.forms import ConfirmForm


def delete_draft_page(obj, ops, *, title, text, back, done):
    """GET: the confirmation page; POST: ``ops.delete_draft`` and commit, then ``done``.

    ``ops`` is the feature's operations module (``may_edit_draft``, ``delete_draft``,
    ``OperationError``); ``back`` is where a refusal returns to.
    """
    if not ops.may_edit_draft(obj, current_user):
        abort(409 if obj.state != "draft" else 403)
    if request.method == "GET":
        return render_template(
            "confirm_delete.html", form=ConfirmForm(), title=title, text=text, cancel=back
        )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ops.delete_draft(obj, current_user)
    except OperationError as exc:
        flash_refusal(exc)
        return redirect(back)
    flash(_("The draft is deleted."), "success")
    return redirect(done)
