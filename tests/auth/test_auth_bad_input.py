"""Every sign-in, profile, token and audit endpoint refuses bad input cleanly (never a 500) and
changes nothing."""

import pytest
import sqlalchemy as sa

from app.auth.models import ApiToken, LoginSession, User
from tests.conftest import PASSWORD, Client

NUL = "a\x00b"
HUGE = "x" * 100_000

PAGES = [
    ("/login", {"email": NUL, "password": PASSWORD}),
    ("/login", {"email": "lawyer@example.org", "password": HUGE}),
    ("/login", {"email": HUGE, "password": "x"}),
    ("/login?next=%00", {"email": "lawyer@example.org", "password": NUL}),
    ("/login/code", {"code": NUL}),
    ("/profile", {"which": "profile", "name": NUL, "locale": "xx", "notify_mode": "each"}),
    (
        "/profile",
        {
            "which": "password",
            "pw-current": PASSWORD,
            "pw-password": NUL * 10,
            "pw-confirm": NUL * 10,
        },
    ),
    ("/profile/tokens", {"token-name": NUL}),
    ("/profile/tokens", {"token-name": HUGE}),
    ("/profile/tokens", {"token-name": "x", "token-expires_on": "31.12.2999"}),
    ("/profile/tokens/999999/revoke", {}),
    ("/profile/sessions/999999/end", {}),
    ("/profile/sessions/end-others", {"others-password": NUL}),
    ("/profile/2fa", {"code": NUL}),
    ("/profile/2fa", {"code": HUGE}),
    ("/profile/2fa/disable", {"confirm-password": NUL}),
    ("/profile/2fa/recovery-codes", {"confirm-password": NUL}),
    ("/deadlines/feed-link", {"action": NUL}),
    ("/lang/xx", {}),
]


@pytest.mark.parametrize("path,data", PAGES)
def test_pages_refuse_bad_input(app, db, users, path, data, monkeypatch):
    monkeypatch.setattr("app.auth.routes.FAILED_LOGIN_DELAY", 0)
    client = Client(app, users["lawyer"]) if not path.startswith("/login") else Client(app)
    before = _state(db)
    response = client.post(path, data=data)
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    assert _state(db) == before


@pytest.mark.parametrize(
    "query",
    [
        "event=%00",
        "user=%00",
        "user=" + "9" * 40,
        "from=2026-02-30",
        "to=x",
        "page=-1",
        "per_page=100000",
        "user=a%27%20OR%201=1",
    ],
)
def test_audit_filters_refuse_bad_input(app, db, users, api_for, query):
    """A NUL byte is refused (400) by the request layer before the view; other bad filters
    give the page (or a 422 on the API). Either way nothing is written."""
    admin, api = Client(app, users["admin"]), api_for(users["admin"])
    before = _state(db)
    page, answer = admin.get(f"/audit?{query}"), api.get(f"/audit?{query}")
    if "%00" in query:
        assert page.status_code == 400 and '<html lang="uk">' in page.get_data(as_text=True)
        assert answer.status_code == 400 and answer.get_json()["error"]["code"]
    else:
        assert page.status_code == 200
        assert answer.status_code in (200, 422)
    assert _state(db) == before


def test_token_api_refuses_bad_bodies(app, db, users, api_for):
    api = api_for(users["lawyer"])
    for body in (
        {"name": NUL},
        {"name": {"nested": [1]}},
        {"name": "x", "expires_on": 10**30},
        {"name": "x", "expires_on": "9999-99-99"},
        "text",
        None,
    ):
        response = api.post("/tokens", json=body)
        assert response.status_code in (400, 422), body
    assert api.post("/tokens", data="not json").status_code == 400
    assert api.delete("/tokens/99999999999999999999").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 1


def _state(db):
    db.session.expire_all()
    users = db.session.execute(
        sa.select(
            User.id,
            User.name,
            User.password_hash,
            User.locale,
            User.totp_secret,
            User.feed_key,
            User.failed_logins,
        )
    ).all()
    tokens = db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken))
    ended = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(LoginSession)
        .where(LoginSession.ended_at.is_not(None))
    )
    return users, tokens, ended
