"""Login, logout, the user's profile and the administrators' user management."""

import time

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import operations as ops
from app.auth.forms import LoginForm, PasswordForm, ProfileForm, UserForm
from app.auth.models import User
from app.core.i18n import fmt_datetime
from app.core.once import one_time_form
from app.core.pagination import paginate
from app.core.security import roles_required, verify_password
from app.extensions import db, login_manager

bp = Blueprint("auth", __name__, template_folder="templates")

#: Seconds every failed login costs the caller, to slow down guessing.
FAILED_LOGIN_DELAY = 0.5


@login_manager.user_loader
def load_user(user_id):
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.is_active else None


login_manager.login_view = "auth.login"
login_manager.login_message = None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = ops.authenticate(form.email.data, form.password.data)
        except ops.AuthError as exc:
            db.session.commit()  # keep the failure count
            time.sleep(FAILED_LOGIN_DELAY)
            if exc.code == "locked":
                msg = _(
                    "Too many failed attempts. The account is locked until %(time)s.",
                    time=fmt_datetime(exc.until),
                )
            else:
                msg = _("Wrong e-mail or password.")
            form.password.errors.append(msg)
        else:
            db.session.commit()
            session.clear()  # a fresh session on login: no fixation
            login_user(user, remember=form.remember.data)
            session["lang"] = user.locale
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


def _safe_next(target):
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("core.index")


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    pw_form = PasswordForm(prefix="pw")
    if request.form.get("which") == "profile" and form.validate_on_submit():
        form.populate_obj(current_user)
        db.session.commit()
        session["lang"] = current_user.locale
        flash(_("Profile saved."), "success")
        return redirect(url_for("auth.profile"))
    if request.form.get("which") == "password" and pw_form.validate_on_submit():
        if not verify_password(current_user.password_hash, pw_form.current.data):
            pw_form.current.errors.append(_("The current password is wrong."))
        else:
            ops.set_password(current_user, pw_form.password.data)
            db.session.commit()
            flash(_("Password changed."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form, pw_form=pw_form)


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
                form.email.data, form.name.data, form.role.data, form.password.data, form.phone.data
            )
        elif user.id == current_user.id and (form.role.data != "admin" or not form.is_active.data):
            form.role.errors.append(_("You cannot take away your own administrator rights."))
            return render_template("auth/user_form.html", form=form, user=user), 422
        else:
            ops.update_user(user, form.data)
        db.session.commit()
        flash(_("User saved."), "success")
        return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=user), 422 if form.errors else 200
