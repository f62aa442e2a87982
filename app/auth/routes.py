"""Signing in (password, then the second factor), signing out, and the rules every page obeys:
a sign-in is a row (cookies end with it), a role that needs two-factor sign-in reaches nothing
but enrolment until it is set up."""

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user, user_loaded_from_cookie

from app.auth import operations as ops
from app.auth import sessions, twofactor
from app.auth.forms import CodeForm, LoginForm
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.i18n import fmt_datetime
from app.core.security import safe_next
from app.extensions import db, limiter, login_manager

bp = Blueprint("auth", __name__, template_folder="templates")

#: Seconds every failed step costs the caller, to slow down guessing.
FAILED_LOGIN_DELAY = 0.5
#: How long the password step stays valid while the second factor is asked for.
PENDING_SECONDS = 300
#: What a signed-in user who still has to enrol a second factor may reach.
ENROLMENT_ENDPOINTS = {
    "auth.two_factor_setup",
    "auth.logout",
    "core.set_language",
    "core.healthz",
    "core.static",
    "static",
    "bootstrap.static",
}

login_manager.login_view = "auth.login"
login_manager.login_message = None


@login_manager.user_loader
def load_user(token):
    return sessions.load_session_user(token)


@user_loaded_from_cookie.connect
def _rotate_remember_cookie(app, user=None, **_kw):
    """A remember-me cookie is good for one restore: the browser gets a new one, the old dies."""
    token = sessions.rotate_session(user)
    db.session.commit()  # whatever the view then does, the old cookie is dead
    session["_user_id"] = token
    session["_remember"] = "set"


@bp.before_app_request
def require_second_factor():
    if request.path.startswith("/api/") or request.endpoint in ENROLMENT_ENDPOINTS:
        return None
    if (
        current_user.is_authenticated
        and not current_user.has_2fa
        and twofactor.must_use_2fa(current_user)
    ):
        return redirect(url_for("auth.two_factor_setup"))
    return None


def _sign_in_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed(response):
    return response.status_code != 302


def _too_many(_limit):
    return make_response(render_template("auth/too_many.html"), 429)


#: Both steps share one budget per address, spent by failures only.
sign_in_limit = limiter.shared_limit(
    _sign_in_limit, scope="sign-in", methods=["POST"], deduct_when=_failed, on_breach=_too_many
)


@bp.route("/login", methods=["GET", "POST"])
@sign_in_limit
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = ops.authenticate(form.email.data, form.password.data)
        except ops.AuthError as exc:
            db.session.commit()  # the failure count and the audit row, before the delay
            time.sleep(FAILED_LOGIN_DELAY)
            form.password.errors.append(_refusal(exc))
            return render_template("auth/login.html", form=form)
        target = safe_next(request.args.get("next"))
        if user.has_2fa:
            session.clear()
            session["pending_2fa"] = {
                "uid": user.id,
                "remember": bool(form.remember.data),
                "next": target,
                "at": time.time(),
            }
            return redirect(url_for("auth.second_factor"))
        return _sign_in(user, bool(form.remember.data), target)
    return render_template("auth/login.html", form=form)


def _refusal(exc):
    if exc.code == "locked":
        return _(
            "Too many failed attempts. The account is locked until %(time)s.",
            time=fmt_datetime(exc.until),
        )
    return _("Wrong e-mail or password.")


def _sign_in(user, remember, target, method="password"):
    ops.finish_login(user, remember, method)
    db.session.commit()  # the sign-in is saved before the cookie names it
    session.clear()  # a fresh session on login: no fixation
    login_user(user, remember=remember)
    session["lang"] = user.locale
    return redirect(target)


@bp.route("/login/code", methods=["GET", "POST"])
@sign_in_limit
def second_factor():
    pending = session.get("pending_2fa")
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop("pending_2fa", None)
        flash(_("Sign in again: the password step has expired."), "warning")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        user = sessions.user_by_id_for_update(pending["uid"])
        if user is None or not user.is_active or not user.has_2fa:
            session.pop("pending_2fa", None)
            return redirect(url_for("auth.login"))
        now = utcnow()
        method = (
            None if user.is_locked(now) else twofactor.check_second_factor(user, form.code.data)
        )
        if method is None:
            if user.is_locked(now):
                message = _refusal(ops.AuthError("locked", user.locked_until))
            else:
                ops.register_failure(user, now, "login.2fa_failed")
                message = _("The code is wrong or has already been used.")
            db.session.commit()  # the failure count and the audit row, before the delay
            time.sleep(FAILED_LOGIN_DELAY)
            form.code.errors.append(message)
            return render_template("auth/second_factor.html", form=form), 200
        if method == "recovery":
            record_audit("2fa.recovery_code_used", user, subject=user)
        return _sign_in(user, pending["remember"], safe_next(pending["next"]), method)
    return render_template("auth/second_factor.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        sessions.end_session(current_user)
        record_audit("logout", current_user, subject=current_user)
    session.clear()
    logout_user()  # after clear(): it asks for the remember-me cookie to be deleted
    return redirect(url_for("auth.login"))


from app.auth import admin, profile  # noqa: E402,F401  (their routes live on this blueprint)
