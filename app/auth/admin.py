"""Administrators: user management and the audit log."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth import operations as ops
from app.auth.audit_log import (
    DETAIL_LABELS,
    EVENT_LABELS,
    METHOD_LABELS,
    SUBJECT_LABELS,
    audit_filters,
    audit_stmt,
)
from app.auth.forms import UserForm
from app.auth.models import User
from app.auth.routes import bp
from app.core import features
from app.core.once import one_time_form
from app.core.pagination import paginate
from app.core.security import roles_required
from app.extensions import db

features.menu_entry(bp, "auth.users", _l("Users"), ("admin",), order=110)
features.menu_entry(bp, "auth.audit", _l("Audit log"), ("admin",), order=130)


@bp.route("/users")
@roles_required("admin")
def users():
    q = request.args.get("q", "").strip()
    stmt = sa.select(User).order_by(User.name)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(sa.or_(sa.func.lower(User.name).like(like), User.email.like(like)))
    if request.args.get("role"):
        stmt = stmt.where(User.role == request.args["role"])
    return render_template("auth/users.html", page=paginate(stmt), q=q)


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
@one_time_form
def user_edit(user_id=None):
    user = db.get_or_404(User, user_id) if user_id else None
    form = UserForm(obj=user, user=user)
    if form.validate_on_submit():
        if user is None:
            user = ops.create_user(
                form.email.data,
                form.name.data,
                form.role.data,
                form.password.data,
                form.phone.data,
                actor=current_user,
            )
        elif user.id == current_user.id and (form.role.data != "admin" or not form.is_active.data):
            form.role.errors.append(_("You cannot take away your own administrator rights."))
            return render_template("auth/user_form.html", form=form, user=user), 422
        else:
            ops.update_user(user, form.data, actor=current_user)
        flash(_("User saved."), "success")
        return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=user), 422 if form.errors else 200


@bp.route("/audit")
@roles_required("admin")
def audit():
    filters, errors = audit_filters(request.args)
    return render_template(
        "auth/audit.html",
        page=paginate(audit_stmt(filters)),
        errors=errors,
        events=sorted(EVENT_LABELS.items(), key=lambda item: str(item[1])),
        event_labels=EVENT_LABELS,
        subject_labels=SUBJECT_LABELS,
        detail_labels=DETAIL_LABELS,
        method_labels=METHOD_LABELS,
    )
