"""The in-app list of notifications (what the e-mails and digests say) and marking them read."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.pagination import paginate
from app.domain import notifications as notes
from app.extensions import db

bp = Blueprint("notifications", __name__, template_folder="templates")


@bp.route("/notifications")
@login_required
def index():
    unread_only = request.args.get("unread") == "1"
    page = paginate(notes.listing(current_user, unread_only=unread_only))
    return render_template(
        "notifications/index.html",
        page=page,
        unread_only=unread_only,
        unread=notes.unread_count(current_user),
    )


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_read():
    """Mark the ticked ones read (``ids``), or every one (``all``)."""
    if request.form.get("all"):
        changed = notes.mark_read(current_user)
    else:
        ids = [int(i) for i in request.form.getlist("ids") if i.isdecimal() and len(i) < 10]
        if not ids:
            flash(_("Tick the notifications to mark as read."), "error")
            return redirect(url_for("notifications.index"), 303)
        changed = notes.mark_read(current_user, ids)
    flash(_("Marked as read: %(n)s.", n=changed), "success")
    return redirect(url_for("notifications.index"), 303)


@bp.route("/notifications/<int:note_id>/open", methods=["POST"])
@login_required
def open_note(note_id):
    """Mark one notification read and go to the page it is about."""
    note = db.session.get(notes.Notification, note_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    notes.mark_read(current_user, [note.id])
    link = note.link if note.link.startswith("/") and not note.link.startswith("//") else ""
    return redirect(link or url_for("notifications.index"), 303)
