"""The user's own profile: details, password, two-factor sign-in, API tokens."""

from datetime import UTC, datetime, time

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from app.auth import operations as ops
from app.auth import sessions, twofactor
from app.auth.forms import CodeForm, ConfirmPasswordForm, PasswordForm, ProfileForm, TokenForm
from app.auth.models import ApiToken, LoginSession
from app.auth.routes import bp
from app.core.audit import record_audit
from app.core.clock import KYIV
from app.core.db import utcnow
from app.core.security import verify_password
from app.extensions import db


def _tokens(user):
    return db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ).all()


def _live_sessions(user):
    return db.session.scalars(
        sa.select(LoginSession)
        .where(
            LoginSession.user_id == user.id,
            LoginSession.ended_at.is_(None),
            LoginSession.expires_at > utcnow(),
        )
        .order_by(LoginSession.created_at.desc())
    ).all()


def _page(status=200, **forms):
    forms.setdefault("form", ProfileForm(obj=current_user))
    forms.setdefault("pw_form", PasswordForm(prefix="pw", user=current_user))
    forms.setdefault("token_form", TokenForm(prefix="token"))
    forms.setdefault("confirm_form", ConfirmPasswordForm(prefix="confirm"))
    forms.setdefault("others_form", ConfirmPasswordForm(prefix="others"))
    forms.setdefault("sign_ins", _live_sessions(current_user))
    page = render_template(
        "auth/profile.html",
        tokens=_tokens(current_user),
        codes_left=twofactor.recovery_codes_left(current_user),
        must_2fa=twofactor.must_use_2fa(current_user),
        **forms,
    )
    return page, status


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    pw_form = PasswordForm(prefix="pw", user=current_user)
    which = request.form.get("which")
    if which == "profile" and form.validate_on_submit():
        form.populate_obj(current_user)
        session["lang"] = current_user.locale
        flash(_("Profile saved."), "success")
        return redirect(url_for("auth.profile"))
    if which == "password" and pw_form.validate_on_submit():
        if not verify_password(current_user.password_hash, pw_form.current.data):
            pw_form.current.errors.append(_("The current password is wrong."))
        else:
            return _change_password(pw_form.password.data)
    status = 422 if (form.errors or pw_form.errors) and request.method == "POST" else 200
    return _page(status, form=form, pw_form=pw_form)


def _change_password(password):
    """Every sign-in ends, this one too; this browser gets a new one."""
    user, remember = current_user._get_current_object(), current_user.login_session.is_remembered
    ops.set_password(user, password, actor=user)
    sessions.start_session(user, remember)
    db.session.commit()  # the new sign-in is saved before the cookie names it
    login_user(user, remember=remember)
    flash(_("Password changed. You were signed out everywhere else."), "success")
    return redirect(url_for("auth.profile"))


@bp.route("/profile/tokens", methods=["POST"])
@login_required
def token_create():
    form = TokenForm(prefix="token")
    if not form.validate_on_submit():
        return _page(422, token_form=form)
    expires = form.expires_on.data
    expires_at = (
        datetime.combine(expires, time(23, 59, 59), KYIV).astimezone(UTC) if expires else None
    )
    value = ops.issue_token(current_user, form.name.data, expires_at, actor=current_user)
    return _page(200, new_token=value)


@bp.route("/profile/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def token_revoke(token_id):
    row = ops.own_row(ApiToken, token_id, current_user)
    if row is None:
        abort(404)
    ops.revoke_token(row, current_user)
    flash(_("The token was revoked."), "success")
    return redirect(url_for("auth.profile"))


@bp.route("/profile/2fa", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    if current_user.has_2fa:
        return redirect(url_for("auth.profile"))
    secret = session.get("totp_pending")
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session["totp_pending"] = twofactor.new_secret()
    form = CodeForm()
    if form.validate_on_submit():
        codes = twofactor.enable(current_user, secret, form.code.data, current_user)
        if codes is not None:
            session.pop("totp_pending", None)
            return render_template("auth/recovery_codes.html", codes=codes, enrolled=True)
        form.code.errors.append(_("The code does not match. Check the time on your phone."))
    uri = twofactor.provisioning_uri(secret, current_user.email)
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        secret=secret,
        qr=twofactor.qr_svg(uri),
        must=twofactor.must_use_2fa(current_user),
    ), 422 if form.errors else 200


def _password_confirmed(prefix="confirm"):
    form = ConfirmPasswordForm(prefix=prefix)
    if form.validate_on_submit() and verify_password(
        current_user.password_hash, form.password.data
    ):
        return True
    flash(_("The current password is wrong."), "error")
    return False


@bp.route("/profile/2fa/disable", methods=["POST"])
@login_required
def two_factor_disable():
    if not current_user.has_2fa:
        return redirect(url_for("auth.profile"))
    if twofactor.must_use_2fa(current_user):
        flash(_("Your role must sign in with a second factor; it cannot be turned off."), "error")
        return redirect(url_for("auth.profile")), 303
    if not _password_confirmed():
        return redirect(url_for("auth.profile")), 303
    twofactor.disable(current_user, current_user)
    flash(_("Two-factor sign-in is off."), "success")
    return redirect(url_for("auth.profile"))


@bp.route("/profile/2fa/recovery-codes", methods=["POST"])
@login_required
def recovery_codes():
    if not current_user.has_2fa or not _password_confirmed():
        return redirect(url_for("auth.profile")), 303
    codes = twofactor.regenerate_recovery_codes(current_user, current_user)
    return render_template("auth/recovery_codes.html", codes=codes, enrolled=False)


@bp.route("/profile/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def session_end(session_id):
    """Sign out one other browser or device (its cookies stop working)."""
    row = ops.own_row(LoginSession, session_id, current_user)
    if row is None:
        abort(404)
    if row.ended_at is None:
        row.ended_at = utcnow()
        record_audit(
            "session.ended", current_user, subject=current_user, details={"session": row.id}
        )
    flash(_("That sign-in was ended."), "success")
    return redirect(url_for("auth.profile"))


@bp.route("/profile/sessions/end-others", methods=["POST"])
@login_required
def sessions_end_others():
    """Sign out everywhere else, after the password is entered again."""
    if not _password_confirmed("others"):
        return redirect(url_for("auth.profile")), 303
    sessions.end_all_sessions(current_user, keep=current_user.login_session)
    record_audit("session.ended_others", current_user, subject=current_user)
    flash(_("You were signed out everywhere else."), "success")
    return redirect(url_for("auth.profile"))
