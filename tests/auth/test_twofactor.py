"""Two-factor sign-in: enrolment, codes, replay, recovery codes, roles that require it, reset."""

import re
import time

import pyotp
import pytest
import sqlalchemy as sa

from app.auth.models import RecoveryCode, User
from tests.conftest import PASSWORD, Client


@pytest.fixture(autouse=True)
def _no_delay(monkeypatch):
    monkeypatch.setattr("app.auth.routes.FAILED_LOGIN_DELAY", 0)


def main_of(html):
    """The page's own content (the header draws its bell as an SVG too)."""
    return html.split("<main", 1)[1]


def enrol(client):
    page = main_of(client.get("/profile/2fa").get_data(as_text=True))
    assert "<svg" in page and "otpauth" not in page.split("<svg")[0]
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    totp = pyotp.TOTP(secret)
    done = client.post("/profile/2fa", data={"code": totp.now()})
    assert done.status_code == 200, done.get_data(as_text=True)[:300]
    codes = re.findall(
        r"<li>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</li>", done.get_data(as_text=True)
    )
    assert len(codes) == 10
    return totp, codes


def password_step(app, user):
    client = Client(app)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/login/code"
    assert client.get("/visits/").status_code == 302  # the password alone opens nothing
    return client


def next_code(totp):
    return totp.at(time.time() + 30)  # the enrolment used this step's code


def test_enrol_then_sign_in_with_a_code_and_no_replay(app, db, users):
    client = Client(app, users["lawyer"])
    totp, _codes = enrol(client)
    stored = db.session.scalar(sa.select(User.totp_secret).where(User.id == users["lawyer"].id))
    assert stored  # kept (encrypted) for the checks, never shown again
    page = client.get("/profile/2fa", follow_redirects=True).get_data(as_text=True)
    assert "<svg" not in main_of(page)  # the QR code is not shown again
    client.post("/logout")

    client = password_step(app, users["lawyer"])
    code = next_code(totp)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    assert client.get("/visits/").status_code == 200

    # The same code, replayed within its window by someone who saw it, is refused.
    thief = password_step(app, users["lawyer"])
    page = thief.post("/login/code", data={"code": code})
    assert page.status_code == 200 and "вже використаний" in page.get_data(as_text=True)
    assert thief.get("/visits/").status_code == 302


def test_wrong_enrolment_code_turns_nothing_on(app, db, users):
    client = Client(app, users["lawyer"])
    client.get("/profile/2fa")
    response = client.post("/profile/2fa", data={"code": "000000"})
    assert response.status_code == 422 and "Код не збігається" in response.get_data(as_text=True)
    db.session.expire_all()
    assert users["lawyer"].totp_secret is None


def test_a_recovery_code_works_once(app, db, users):
    client = Client(app, users["lawyer"])
    _totp, codes = enrol(client)
    assert all(
        c not in h for c in codes for h in db.session.scalars(sa.select(RecoveryCode.code_hash))
    )
    client = password_step(app, users["lawyer"])
    assert client.post("/login/code", data={"code": codes[0].upper()}).status_code == 302
    again = password_step(app, users["lawyer"])
    assert again.post("/login/code", data={"code": codes[0]}).status_code == 200
    assert again.get("/visits/").status_code == 302


def test_wrong_codes_count_toward_the_lockout(app, db, users):
    client = Client(app, users["lawyer"])
    totp, _ = enrol(client)
    client = password_step(app, users["lawyer"])
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login/code", data={"code": "123456"})
    page = client.post("/login/code", data={"code": next_code(totp)})
    assert "заблоковано до" in page.get_data(as_text=True)
    assert client.get("/visits/").status_code == 302
    db.session.expire_all()
    assert users["lawyer"].is_locked()


def test_role_that_requires_2fa_reaches_only_enrolment(app, db, users, api_for, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_2FA", ("admin", "lawyer"))
    client = Client(app, users["lawyer"])
    for path in ("/", "/visits/", "/profile", "/acts/"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/profile/2fa"
    assert client.post("/authorities/new", data={"name": "X", "kind": "other"}).status_code == 302
    page = client.get("/profile/2fa").get_data(as_text=True)
    assert "Ваша роль вимагає" in page
    # API tokens are not affected.
    assert api_for(users["lawyer"]).get("/me").status_code == 200
    # A monitor is not required to.
    assert Client(app, users["monitor"]).get("/visits/").status_code == 200
    totp, _ = enrol(client)
    assert client.get("/visits/").status_code == 200
    # Turning it off is refused while the role requires it.
    client.post("/profile/2fa/disable", data={"confirm-password": PASSWORD})
    db.session.expire_all()
    assert users["lawyer"].totp_secret is not None


def test_turning_off_needs_the_password(app, db, users):
    client = Client(app, users["lawyer"])
    enrol(client)
    client.post("/profile/2fa/disable", data={"confirm-password": "wrong-password"})
    db.session.expire_all()
    assert users["lawyer"].totp_secret is not None
    client.post("/profile/2fa/disable", data={"confirm-password": PASSWORD})
    db.session.expire_all()
    assert users["lawyer"].totp_secret is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0


def test_reset_2fa_command(app, db, users):
    client = Client(app, users["lawyer"])
    enrol(client)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "reset-2fa", "lawyer@example.org"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert users["lawyer"].totp_secret is None
    assert client.get("/visits/").status_code == 302  # their sign-ins ended too
    assert Client(app, users["lawyer"]).get("/visits/").status_code == 200
    again = runner.invoke(args=["users", "reset-2fa", "lawyer@example.org"])
    assert again.exit_code != 0 and "no second factor" in again.output
    assert runner.invoke(args=["users", "reset-2fa", "nobody@example.org"]).exit_code != 0


def test_require_2fa_default_follows_the_public_address(tmp_path):
    from app import create_app

    https = create_app({"INSTANCE_PATH": str(tmp_path), "PUBLIC_BASE_URL": "https://x.example"})
    assert https.config["REQUIRE_2FA"] == ("admin", "lawyer")
    http = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert http.config["REQUIRE_2FA"] == ()
    chosen = create_app({"INSTANCE_PATH": str(tmp_path), "REQUIRE_2FA": "admin, monitor"})
    assert chosen.config["REQUIRE_2FA"] == ("admin", "monitor")
    with pytest.raises(RuntimeError, match="REQUIRE_2FA"):
        create_app({"INSTANCE_PATH": str(tmp_path), "REQUIRE_2FA": "king"})


def test_the_secret_is_stored_encrypted(app, db, users):
    client = Client(app, users["lawyer"])
    page = client.get("/profile/2fa").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    client.post("/profile/2fa", data={"code": pyotp.TOTP(secret).now()})
    stored = db.session.scalar(sa.select(User.totp_secret).where(User.id == users["lawyer"].id))
    assert stored and secret not in stored
