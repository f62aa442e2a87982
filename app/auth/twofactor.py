"""Two-factor sign-in: TOTP (RFC 6238) with pyotp, one-time recovery codes, the QR code as SVG
made on the server."""

import base64
import hashlib
import hmac
import io
import re
import secrets

import pyotp
import segno
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from markupsafe import Markup

from app.auth.models import RecoveryCode
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.security import hash_token
from app.extensions import db

ISSUER = "Vidhuk"
RECOVERY_CODES = 10
#: No 0/o, 1/l/i: recovery codes are typed from paper. 16 of 31 characters: 79 random bits.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _fernet():
    digest = hashlib.sha256(b"vidhuk-totp:" + current_app.config["SECRET_KEY"].encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret):
    """The TOTP secret as stored: encrypted with a key derived from SECRET_KEY, so a copy of
    the database alone does not give anyone the users' second factor."""
    return _fernet().encrypt(secret.encode()).decode()


def unseal(stored):
    """The stored secret in clear, or None when SECRET_KEY changed (then `users reset-2fa`)."""
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def new_secret():
    return pyotp.random_base32()  # 160 bits


def provisioning_uri(secret, email):
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri):
    """The otpauth URI as an SVG image (no external service sees the secret), markup to put in
    the page as is: segno draws only paths, the URI is not in it as text."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False)
    return Markup(out.getvalue().decode())


def roles_requiring_2fa():
    return current_app.config["REQUIRE_2FA"]


def must_use_2fa(user):
    return user.role in roles_requiring_2fa()


def _digits(code):
    return re.sub(r"\s", "", code or "")


def matching_step(secret, code, last_step=None, now=None):
    """The time-step ``code`` belongs to (this one or a neighbour, for clock drift), unless it
    is not a valid code or that step was already used: codes are never accepted twice."""
    code = _digits(code)
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now or utcnow())
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _normal_recovery(code):
    return re.sub(r"[^a-z0-9]", "", (code or "").lower())


def _new_recovery_codes(user):
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_token(raw)))
    db.session.flush()
    return codes


def enable(user, secret, code, actor):
    """Confirm enrolment with a first code; returns the recovery codes (shown once) or None."""
    step = matching_step(secret, code)
    if step is None:
        return None
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = seal(secret), utcnow(), step
    codes = _new_recovery_codes(user)
    record_audit("2fa.enabled", actor, subject=user)
    return codes


def regenerate_recovery_codes(user, actor):
    codes = _new_recovery_codes(user)
    record_audit("2fa.recovery_codes_renewed", actor, subject=user)
    return codes


def disable(user, actor, event="2fa.disabled"):
    """Remove the second factor (the user turning it off, or an administrator's reset)."""
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record_audit(event, actor, subject=user)


def check_second_factor(user, code):
    """'totp' or 'recovery' when ``code`` passes (and is used up), None otherwise. The caller
    holds the user's row lock, so two requests cannot both use one code."""
    secret = unseal(user.totp_secret)
    step = matching_step(secret, code, user.totp_last_step) if secret else None
    if step is not None:
        user.totp_last_step = step
        return "totp"
    normal = _normal_recovery(code)
    if len(normal) != 16:
        return None
    used = db.session.execute(
        sa.update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == hash_token(normal),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return "recovery" if used.rowcount == 1 else None


def recovery_codes_left(user):
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
