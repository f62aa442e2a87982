"""One-time form tokens: a creating form submitted twice (Back and submit again, a double click)
creates once; the second submit is sent to what the first one made.

Each such form carries a random ``form_token`` (``OneTimeFormMixin`` adds the hidden field;
``hidden_tag()`` renders it). The view, decorated with ``@one_time_form``, claims the token in
Redis (shared by every web process) before it runs: a success (a redirect to what was made)
keeps the token → that address for a day; anything else (the form shown again with its errors)
frees the token, so the corrected form can be sent with it.
"""

import logging
import secrets
import time
from functools import wraps

from flask import current_app, flash, make_response, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms import HiddenField

from app.core import transaction
from app.core.redis import get_redis
from app.extensions import db

log = logging.getLogger(__name__)

FIELD = "form_token"
LIFETIME = 24 * 3600
#: A claim outlives any request; a crashed one frees its token after this.
PENDING_TTL = 120
#: How long a second submit waits for the first (a double click) to finish.
WAIT_SECONDS = 10.0
_PENDING = b"pending"


def new_token():
    return secrets.token_urlsafe(18)


class OneTimeFormMixin:
    """Adds the hidden one-time token to a form (a fresh one when the form is first shown).

    A form editing a record (built with ``obj``) gets none: sending an edit again (Back,
    change, send) must save the change, not be taken for a repeat."""

    form_token = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.form_token.data and kwargs.get("obj") is None:
            self.form_token.data = new_token()


def token_input():
    """The hidden field for forms built in a template without a form class."""
    return Markup(f'<input type="hidden" name="{FIELD}" value="{escape(new_token())}">')


def one_time_form(view):
    """Make the view's POST idempotent per form token (see the module docstring)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        token = request.form.get(FIELD) if request.method == "POST" else None
        if not token or len(token) > 100 or not current_user.is_authenticated:
            return view(*args, **kwargs)
        key = f"{current_app.config['REDIS_PREFIX']}:form-once:{current_user.id}:{token}"
        try:
            made = _claim(get_redis(), key)
        except _Busy:
            flash(_("This form is still being saved. Reload the page in a moment."), "warning")
            return redirect(request.referrer or request.url, 303)
        except Exception:  # Redis down: the form works, without the protection
            log.warning("one-time form token not checked", exc_info=True)
            return view(*args, **kwargs)
        if made is not None:
            flash(_("This form was already sent; here is what it saved."), "info")
            return redirect(made, 303)
        try:
            # Committed here: the address is remembered only for work that was saved.
            response = transaction.finish(make_response(view(*args, **kwargs)))
        except BaseException:
            _forget(key)
            raise
        if 300 <= response.status_code < 400 and response.location:
            _remember(key, response.location)
        else:
            _forget(key)
        return response

    return wrapped


class _Busy(Exception):
    pass


def _claim(conn, key):
    """None when this submit is the first (it runs); else the address the first one made."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not conn.set(key, _PENDING, nx=True, ex=PENDING_TTL):
        made = conn.get(key)
        if made is not None and made != _PENDING:
            return made.decode()
        if time.monotonic() > deadline:
            raise _Busy()
        # Waiting must hold no transaction: on SQLite it may hold the write lock that the
        # first submit needs to finish.
        db.session.rollback()
        time.sleep(0.05)
    return None


def _remember(key, location):
    try:
        get_redis().set(key, location, ex=LIFETIME)
    except Exception:
        log.warning("one-time form token not stored", exc_info=True)


def _forget(key):
    try:
        get_redis().delete(key)
    except Exception:
        log.warning("one-time form token not freed", exc_info=True)
