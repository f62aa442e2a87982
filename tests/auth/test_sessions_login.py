"""Attacks on sign-in: replayed cookies after logout / password change / deactivation, the
remember-me cookie, parallel guessing, account enumeration, per-address limits, open redirects."""

import threading
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from app.auth.models import LoginSession, User
from tests.conftest import PASSWORD, Client


def _login(app, user, remember=True):
    client = Client(app)
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    return client


def _cookies(client):
    return {
        name: client.get_cookie(name).value
        for name in ("session", "remember_token")
        if client.get_cookie(name) is not None
    }


def _replay(app, cookies, path="/visits/"):
    other = Client(app)
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other.get(path).status_code


@pytest.fixture(autouse=True)
def _no_delay(monkeypatch):
    monkeypatch.setattr("app.auth.routes.FAILED_LOGIN_DELAY", 0)


def test_cookies_are_httponly_samesite_and_the_remember_cookie_is_no_user_id(app, db, users):
    client = Client(app)
    response = client.post(
        "/login", data={"email": users["lawyer"].email, "password": PASSWORD, "remember": "y"}
    )
    headers = response.headers.getlist("Set-Cookie")
    remember = next(h for h in headers if h.startswith("remember_token="))
    assert "HttpOnly" in remember and "SameSite=Lax" in remember
    assert all("HttpOnly" in h and "SameSite=Lax" in h for h in headers)
    value = client.get_cookie("remember_token").value
    assert not value.startswith(f"{users['lawyer'].id}|")  # was "id|digest", forever the same
    # Two sign-ins never share a cookie value.
    assert _cookies(_login(app, users["lawyer"]))["remember_token"] != value


def test_logout_ends_the_session_and_remember_cookies(app, db, users):
    client = _login(app, users["lawyer"])
    stolen = _cookies(client)
    assert _replay(app, stolen) == 200
    assert _replay(app, {"remember_token": stolen["remember_token"]}) == 200
    client.post("/logout")
    assert client.get("/visits/").status_code == 302
    assert _replay(app, stolen) == 302
    assert _replay(app, {"session": stolen["session"]}) == 302
    assert _replay(app, {"remember_token": stolen["remember_token"]}) == 302


def test_password_change_ends_every_other_sign_in(app, db, users):
    other_browser = _login(app, users["lawyer"])
    stolen = _cookies(other_browser)
    client = _login(app, users["lawyer"], remember=False)
    old_own = _cookies(client)
    new = "a-brand-new-passphrase"
    response = client.post(
        "/profile",
        data={"which": "password", "pw-current": PASSWORD, "pw-password": new, "pw-confirm": new},
    )
    assert response.status_code == 302
    assert client.get("/visits/").status_code == 200  # this browser got a new sign-in
    assert _replay(app, stolen) == 302
    assert _replay(app, {"remember_token": stolen["remember_token"]}) == 302
    assert _replay(app, old_own) == 302
    assert other_browser.get("/visits/").status_code == 302


def test_deactivation_ends_the_users_sign_ins(app, db, users):
    stolen = _cookies(_login(app, users["lawyer"]))
    admin = Client(app, users["admin"])
    lawyer = users["lawyer"]
    data = {"email": lawyer.email, "name": lawyer.name, "role": "lawyer", "phone": ""}
    assert admin.post(f"/users/{lawyer.id}/edit", data=data).status_code == 302
    assert _replay(app, stolen) == 302
    assert _replay(app, {"remember_token": stolen["remember_token"]}) == 302


def test_remember_cookie_rotates_and_the_old_one_dies(app, db, users):
    first = _cookies(_login(app, users["lawyer"]))["remember_token"]
    browser = Client(app)
    browser.set_cookie("remember_token", first)
    assert browser.get("/visits/").status_code == 200
    second = browser.get_cookie("remember_token").value
    assert second != first
    assert _replay(app, {"remember_token": first}) == 302  # a copy taken earlier is worthless
    assert _replay(app, {"remember_token": second}) == 200


@pytest.mark.postgres
def test_twenty_parallel_guesses_get_at_most_five_verifications(app, db, users, monkeypatch):
    from app.auth import operations as ops

    real, calls, lock = ops.verify_password, [], threading.Lock()

    def counting(stored, password):
        with lock:
            calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(ops, "verify_password", counting)
    barrier = threading.Barrier(20)
    outcomes = []

    def guess(n):
        with app.app_context():
            from app.extensions import db as _db

            barrier.wait()
            try:
                ops.authenticate("lawyer@example.org", f"wrong-{n}")
            except ops.AuthError as exc:
                outcomes.append(exc.code)
            _db.session.commit()
            _db.session.remove()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) <= app.config["LOGIN_MAX_FAILURES"]
    assert outcomes.count("invalid") <= 5 and outcomes.count("locked") >= 15
    db.session.expire_all()
    assert db.session.scalar(sa.select(User).where(User.email == "lawyer@example.org")).is_locked()


def test_unknown_accounts_hash_and_lock_like_real_ones(app, db, users, client_for, monkeypatch):
    from app.auth import operations as ops

    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "100 per minute")
    burned = []
    real_burn = ops.burn_hash
    monkeypatch.setattr(ops, "burn_hash", lambda pw: (burned.append(pw), real_burn(pw)))
    answers = {}
    for email in ("lawyer@example.org", "nobody@example.org"):
        client = client_for()
        pages = [
            client.post("/login", data={"email": email, "password": "bad-guess"}).get_data(
                as_text=True
            )
            for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1)
        ]
        answers[email] = ["заблоковано до" in p for p in pages]
    assert answers["lawyer@example.org"] == answers["nobody@example.org"] == [False] * 5 + [True]
    # The unknown e-mail paid a hash on every attempt; the locked account too once locked.
    assert burned.count("bad-guess") == 6 + 1


def test_one_address_cannot_lock_every_account(app, db, make_user, client_for, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    victims = [make_user("lawyer") for _ in range(5)]
    client = client_for()
    codes = [
        client.post("/login", data={"email": v.email, "password": "bad-guess"}).status_code
        for v in victims
    ]
    assert codes == [200, 200, 200, 429, 429]
    page = client.post("/login", data={"email": victims[4].email, "password": PASSWORD})
    assert page.status_code == 429 and "Забагато невдалих спроб" in page.get_data(as_text=True)
    db.session.expire_all()
    assert [v.failed_logins for v in victims] == [1, 1, 1, 0, 0]


def test_successful_sign_ins_do_not_spend_the_address_budget(app, db, users, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "2 per minute")
    for _ in range(4):
        _login(app, users["lawyer"])


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "http://evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "/\r\n/evil.example",
        " //evil.example",
        "evil.example",
        "/%2F%2Fevil.example/../..//evil.example".replace("%2F", "/"),
    ],
)
def test_login_never_redirects_off_site(app, db, users, client_for, target):
    query = quote(target, safe="")
    response = client_for().post(
        f"/login?next={query}", data={"email": "lawyer@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_follows_a_path_on_the_site(db, users, client_for):
    response = client_for().post(
        "/login?next=%2Facts%2F%3Fstate%3Ddraft",
        data={"email": "lawyer@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/acts/?state=draft"


def test_sign_in_events_are_audited(app, db, users, client_for):
    from app.core.audit import AuditEvent

    client_for().post("/login", data={"email": "lawyer@example.org", "password": "nope"})
    client = client_for(users["lawyer"])
    client.post("/logout")
    events = db.session.scalars(sa.select(AuditEvent.event).order_by(AuditEvent.id)).all()
    assert events[-3:] == ["login.failed", "login.succeeded", "logout"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginSession)) == 1


def test_profile_lists_sign_ins_and_ends_them(app, db, users):
    other = _login(app, users["lawyer"])
    third = _login(app, users["lawyer"], remember=False)
    client = _login(app, users["lawyer"], remember=False)
    page = client.get("/profile").get_data(as_text=True)
    assert page.count("/profile/sessions/") == 2 + 1  # two others, and "everywhere else"
    first = db.session.scalar(sa.select(LoginSession).order_by(LoginSession.id))
    assert client.post(f"/profile/sessions/{first.id}/end").status_code == 302
    assert other.get("/visits/").status_code == 302
    assert third.get("/visits/").status_code == 200
    # Someone else's sign-in is not theirs to end.
    monitor = _login(app, users["monitor"])
    mine = db.session.scalar(sa.select(sa.func.max(LoginSession.id)))
    assert client.post(f"/profile/sessions/{mine}/end").status_code == 404
    assert monitor.get("/visits/").status_code == 200
    # "Everywhere else" needs the password again.
    client.post("/profile/sessions/end-others", data={"others-password": "wrong"})
    assert third.get("/visits/").status_code == 200
    client.post("/profile/sessions/end-others", data={"others-password": PASSWORD})
    assert third.get("/visits/").status_code == 302
    assert client.get("/visits/").status_code == 200
