"""Answer links: created when an act is sent, found by the sha256 of their token.

The token is never stored. It is an HMAC-SHA256 of the link's random nonce under a key derived
from SECRET_KEY (120 bits, 24 lowercase base32 characters): the database holds the nonce and
the token's sha256, so a copy of the database alone yields no working link, while the lawyer's
page can still show the URL (recomputed). Changing SECRET_KEY makes every link unshowable (the
lawyer renews it) but not guessable.
"""

import base64
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from app.core.audit import record_audit
from app.core.db import utcnow
from app.domain.portal.models import PortalLink
from app.extensions import db

#: Act states in which the authority may answer through its link.
OPEN_ACT_STATES = ("sent", "overdue", "responded")
TOKEN_RE = re.compile(r"^[a-z2-7]{24}$")


def _key():
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, b"vidhuk portal link v1", hashlib.sha256).digest()


def _token(nonce):
    digest = hmac.new(_key(), nonce.encode(), hashlib.sha256).digest()[:15]
    return base64.b32encode(digest).decode().lower()


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def token_of(link):
    """The raw token of ``link``, or None when SECRET_KEY changed since it was made."""
    token = _token(link.nonce)
    return token if hmac.compare_digest(_hash(token), link.token_hash) else None


def url_of(token):
    return f"{current_app.config['PUBLIC_BASE_URL']}/respond/{token}"


def short_url_of(token):
    """The form printed in letters for typing by hand (the same page, a shorter path)."""
    return f"{current_app.config['PUBLIC_BASE_URL']}/r/{token}"


def open_link(act):
    """The act's link that is neither revoked nor expired, if any."""
    return db.session.scalar(
        sa.select(PortalLink)
        .where(
            PortalLink.act_id == act.id,
            PortalLink.revoked_at.is_(None),
            PortalLink.expires_at > utcnow(),
        )
        .order_by(PortalLink.id.desc())
        .limit(1)
    )


def ensure_link(act, actor=None):
    """The act's open link, made now when it has none (sending, rendering the final letter)."""
    return open_link(act) or _create(act, actor)


def renew(act, actor):
    """End the act's open links and make a new one (the lawyer's "renew")."""
    _end_open(act)
    link = _create(act, actor)
    record_audit("portal_link.renewed", actor, subject=act, details={"link_id": link.id})
    return link


def revoke(act, actor):
    """End the act's open links; the old URL then answers 404. Returns how many ended."""
    ended = _end_open(act)
    record_audit("portal_link.revoked", actor, subject=act, details={"links": ended})
    return len(ended)


def resolve(token):
    """The open link of an answerable act for ``token``; None for a forged, expired or revoked
    token alike (the caller shows the same 404)."""
    if not isinstance(token, str) or not TOKEN_RE.match(token):
        return None
    link = db.session.scalar(sa.select(PortalLink).where(PortalLink.token_hash == _hash(token)))
    if link is None or not link.is_open(utcnow()) or link.act.state not in OPEN_ACT_STATES:
        return None
    return link


def info(act):
    """``{"url", "short_url", "expires_at"}`` of the act's open link, or None."""
    link = open_link(act)
    token = token_of(link) if link is not None else None
    if token is None:
        return None
    return {"url": url_of(token), "short_url": short_url_of(token), "expires_at": link.expires_at}


def _create(act, actor):
    nonce = secrets.token_hex(32)
    link = PortalLink(
        act_id=act.id,
        nonce=nonce,
        token_hash=_hash(_token(nonce)),
        created_at=utcnow(),
        expires_at=utcnow() + timedelta(days=current_app.config["PORTAL_LINK_DAYS"]),
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(link)
    db.session.flush()
    return link


def _end_open(act):
    now = utcnow()
    links = db.session.scalars(
        sa.select(PortalLink).where(PortalLink.act_id == act.id, PortalLink.revoked_at.is_(None))
    ).all()
    for link in links:
        link.revoked_at = now
    db.session.flush()
    return [link.id for link in links]


def email_paragraph(act):
    """The paragraph of the act's e-mail that gives the authority its answer link (made now if
    the act has none open)."""
    link = ensure_link(act)
    token = token_of(link)
    return (
        "Відповідь щодо кожної рекомендації, з підтвердними документами і фото, можна надати "
        f"за особистим посиланням (без реєстрації), чинним до {_kyiv_date(link.expires_at)}:\n"
        f"{url_of(token)}\n\n"
    )


def letter_block(act):
    """``{"url", "short_url"}`` for the letter of an act sent by post (registered), else None."""
    if act.channel != "post" or act.outgoing_number is None:
        return None
    token = token_of(ensure_link(act))
    return {"url": url_of(token), "short_url": short_url_of(token)}


def _kyiv_date(value):
    from app.core.clock import to_kyiv

    return to_kyiv(value).strftime("%d.%m.%Y")
