"""API tokens (named, listed, revoked one by one, expiring), the calendar feed link, the
language switch that another site cannot trigger."""

import re
from datetime import timedelta

import sqlalchemy as sa

from app.auth.models import ApiToken, User
from app.core.db import utcnow
from tests.conftest import PASSWORD, Api, Client


def test_tokens_page_creates_lists_and_revokes_one_by_one(app, db, users):
    client = Client(app, users["lawyer"])
    made = []
    for name in ("sync", "import"):
        page = client.post("/profile/tokens", data={"token-name": name}).get_data(as_text=True)
        made.append(re.search(r'id="new-token">([^<]+)<', page).group(1))
    page = client.get("/profile").get_data(as_text=True)
    assert "sync" in page and "import" in page and made[0] not in page
    sync = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "sync"))
    assert client.post(f"/profile/tokens/{sync.id}/revoke").status_code == 302
    assert Api(app, made[0]).get("/me").status_code == 401
    assert Api(app, made[1]).get("/me").status_code == 200
    # Someone else's token is not theirs to revoke.
    other = Client(app, users["monitor"])
    imp = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "import"))
    assert other.post(f"/profile/tokens/{imp.id}/revoke").status_code == 404
    assert Api(app, made[1]).get("/me").status_code == 200


def test_token_form_refuses_a_past_expiry(app, db, users):
    client = Client(app, users["lawyer"])
    response = client.post(
        "/profile/tokens", data={"token-name": "x", "token-expires_on": "2001-01-01"}
    )
    assert response.status_code == 422 and "в майбутньому" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_expired_tokens_are_refused(app, db, users):
    from app.auth.operations import issue_token

    old = issue_token(users["lawyer"], "old", utcnow() - timedelta(seconds=1))
    fresh = issue_token(users["lawyer"], "fresh", utcnow() + timedelta(days=1))
    db.session.commit()
    assert Api(app, old).get("/me").status_code == 401
    assert Api(app, fresh).get("/me").status_code == 200


def test_tokens_api(app, db, users, api_for):
    api = api_for(users["lawyer"])
    created = api.post("/tokens", json={"name": "ci", "expires_on": "2999-12-31"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["name"] == "ci" and body["expires_at"].startswith("2999-12-31")
    listed = api.get("/tokens").get_json()
    assert listed["total"] == 2 and {"items", "total", "page", "per_page"} <= set(listed)
    assert all("token" not in item for item in listed["items"])
    for bad in (
        {},
        {"name": ""},
        {"name": "x" * 101},
        {"name": "x", "expires_on": "2001-01-01"},
        {"name": "x", "expires_on": "tomorrow"},
        {"name": ["x"]},
        [],
    ):
        response = api.post("/tokens", json=bad)
        assert response.status_code == 422, bad
    assert api.get("/tokens").get_json()["total"] == 2
    other = api_for(users["monitor"])
    assert other.delete(f"/tokens/{body['id']}").status_code == 404
    assert Api(app, body["token"]).delete(f"/tokens/{body['id']}").status_code == 204
    assert Api(app, body["token"]).get("/me").status_code == 401
    assert api.get("/me").status_code == 200


def test_users_token_command_with_name_and_expiry(app, db, users):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "token", "lawyer@example.org", "--name", "backup", "--expires", "2999-01-31"]
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert result.stdout == token + "\n"
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "backup"))
    assert row.expires_at is not None
    assert Api(app, token).get("/me").status_code == 200
    bad = runner.invoke(args=["users", "token", "lawyer@example.org", "--expires", "2001-01-01"])
    assert bad.exit_code != 0


def _feed_link(client, action="new"):
    client.post("/deadlines/feed-link", data={"action": action})
    html = client.get("/deadlines/").get_data(as_text=True)
    match = re.search(r'href="http://localhost(/deadlines/feed/[^"]+\.ics)"', html)
    return match.group(1) if match else None


def test_feed_link_is_revocable_and_renewed_with_the_password(app, db, users):
    client = Client(app, users["lawyer"])
    assert _feed_link(client, "none") is None  # no link until the lawyer asks for one
    first = _feed_link(client)
    assert Client(app).get(first).status_code == 200
    second = _feed_link(client)
    assert second != first and Client(app).get(first).status_code == 404
    assert _feed_link(client, "revoke") is None
    assert Client(app).get(second).status_code == 404
    third = _feed_link(client)
    new = "another-long-passphrase"
    client.post(
        "/profile",
        data={"which": "password", "pw-current": PASSWORD, "pw-password": new, "pw-confirm": new},
    )
    assert Client(app).get(third).status_code == 404
    assert Client(app).get("/deadlines/feed/forged.ics").status_code == 404


def test_language_is_not_changed_by_a_get_from_another_site(app, db, users):
    client = Client(app, users["lawyer"])
    assert client.get("/lang/en").status_code == 405
    db.session.expire_all()
    assert users["lawyer"].locale == "uk"


def test_language_switch_needs_the_csrf_token(app, db, users, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client = Client(app)
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(
        "/login", data={"email": "lawyer@example.org", "password": PASSWORD, "csrf_token": csrf}
    )
    assert client.post("/lang/en").status_code == 400  # a forged cross-site form
    db.session.expire_all()
    assert users["lawyer"].locale == "uk"
    page = client.get("/visits/").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/lang/en".*?</form>', page, re.S).group(0)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = client.post("/lang/en", data={"csrf_token": token, "next": "/visits/"})
    assert response.status_code == 303 and response.headers["Location"] == "/visits/"
    assert 'lang="en"' in client.get("/visits/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, users["lawyer"].id).locale == "en"
    off_site = client.post("/lang/uk", data={"csrf_token": token, "next": "//evil.example"})
    assert off_site.headers["Location"] == "/"
