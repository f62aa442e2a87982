"""Login, lockout, logout, passwords, tokens, the users CLI and user management."""

import sqlalchemy as sa

from app.auth.models import ApiToken, User


def test_login_and_logout(db, users, client_for, password):
    client = client_for()
    response = client.post("/login", data={"email": "LAWYER@example.org ", "password": password})
    assert response.status_code == 302
    assert client.get("/visits/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/visits/").status_code == 302


def test_wrong_password_is_refused_with_a_message(db, users, client_for):
    response = client_for().post("/login", data={"email": "lawyer@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "Неправильна електронна пошта або пароль." in response.get_data(as_text=True)


def test_unknown_account_gets_the_same_message(db, client_for):
    response = client_for().post("/login", data={"email": "who@example.org", "password": "x"})
    assert "Неправильна електронна пошта або пароль." in response.get_data(as_text=True)


def test_repeated_failures_lock_the_account(app, db, users, client_for, password, monkeypatch):
    monkeypatch.setattr("app.auth.routes.FAILED_LOGIN_DELAY", 0)
    client = client_for()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"email": "lawyer@example.org", "password": "bad"})
    response = client.post("/login", data={"email": "lawyer@example.org", "password": password})
    assert response.status_code == 200
    assert "заблоковано до" in response.get_data(as_text=True)
    user = db.session.scalar(sa.select(User).where(User.email == "lawyer@example.org"))
    assert user.is_locked()
    # Once the lock has passed the right password works again.
    user.locked_until = None
    db.session.commit()
    response = client.post("/login", data={"email": "lawyer@example.org", "password": password})
    assert response.status_code == 302


def test_inactive_user_cannot_log_in(db, make_user, client_for, password):
    user = make_user("lawyer")
    user.is_active = False
    db.session.commit()
    response = client_for().post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 200


def test_passwords_are_hashed_with_argon2id(db, users, password):
    stored = users["lawyer"].password_hash
    assert stored.startswith("$argon2id$") and password not in stored


def test_open_redirect_is_refused(db, users, client_for, password):
    response = client_for().post(
        "/login?next=//evil.example/", data={"email": "lawyer@example.org", "password": password}
    )
    assert response.headers["Location"] == "/"


def test_users_cli_create_and_token(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "new@example.org", "--name", "Нова Юристка", "--role", "lawyer"],
        input="a-long-password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "new@example.org"))
    assert user.role == "lawyer" and user.name == "Нова Юристка"
    result = runner.invoke(args=["users", "token", "new@example.org"])
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert "\n" not in token and len(token) >= 40
    stored = db.session.scalars(sa.select(ApiToken.token_hash)).all()
    assert token not in stored and len(stored) == 1
    me = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.get_json()["email"] == "new@example.org"


def test_users_cli_refuses_bad_input(app, db, users):
    runner = app.test_cli_runner()
    cases = [
        (
            ["users", "create", "not-an-email", "--name", "X", "--role", "lawyer"],
            "long-enough-pw\n",
        ),
        (["users", "create", "x@example.org", "--name", "X", "--role", "boss"], "long-enough-pw\n"),
        (
            ["users", "create", "lawyer@example.org", "--name", "X", "--role", "lawyer"],
            "long-enough-pw\n",
        ),
        (["users", "create", "y@example.org", "--name", "X", "--role", "lawyer"], "short\n"),
        (["users", "token", "nobody@example.org"], ""),
    ]
    for args, stdin in cases:
        result = runner.invoke(args=args, input=stdin)
        assert result.exit_code != 0, args


def test_only_admins_manage_users(db, users, client_for):
    for role in ("lawyer", "monitor"):
        client = client_for(users[role])
        assert client.get("/users").status_code == 403
        assert client.get("/users/new").status_code == 403
        assert client.post("/users/new", data={}).status_code == 403
    assert client_for(users["admin"]).get("/users").status_code == 200


def test_admin_creates_and_edits_a_user(db, users, client_for):
    client = client_for(users["admin"])
    data = {
        "email": "m2@example.org",
        "name": "Олена",
        "role": "monitor",
        "phone": "",
        "is_active": "y",
        "password": "monitor-password",
    }
    assert client.post("/users/new", data=data).status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "m2@example.org"))
    assert user.role == "monitor"
    data.update(role="lawyer", password="")
    assert client.post(f"/users/{user.id}/edit", data=data).status_code == 302
    db.session.refresh(user)
    assert user.role == "lawyer" and user.password_hash  # password kept


def test_user_form_bad_input(db, users, client_for):
    client = client_for(users["admin"])
    bad = [
        (
            {"email": "not-mail", "name": "X", "role": "lawyer", "password": "long-enough-pw"},
            "email",
        ),
        (
            {
                "email": "lawyer@example.org",
                "name": "X",
                "role": "lawyer",
                "password": "long-enough-pw",
            },
            "вже існує",
        ),
        (
            {"email": "z@example.org", "name": "", "role": "lawyer", "password": "long-enough-pw"},
            "name",
        ),
        (
            {"email": "z@example.org", "name": "X", "role": "king", "password": "long-enough-pw"},
            "role",
        ),
        (
            {"email": "z@example.org", "name": "X", "role": "lawyer", "password": ""},
            "потрібен пароль",
        ),
        (
            {"email": "z@example.org", "name": "X", "role": "lawyer", "password": "short"},
            "password",
        ),
    ]
    for data, hint in bad:
        response = client.post("/users/new", data=data)
        assert response.status_code == 422, data
        assert "is-invalid" in response.get_data(as_text=True)
        assert hint in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 3


def test_admin_cannot_demote_themselves(db, users, client_for):
    admin = users["admin"]
    data = {"email": admin.email, "name": admin.name, "role": "lawyer", "is_active": "y"}
    response = client_for(admin).post(f"/users/{admin.id}/edit", data=data)
    assert response.status_code == 422
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_deactivating_a_user_revokes_their_tokens(db, users, client_for, api_for):
    api = api_for(users["lawyer"])
    assert api.get("/me").status_code == 200
    lawyer = users["lawyer"]
    data = {"email": lawyer.email, "name": lawyer.name, "role": "lawyer"}
    client_for(users["admin"]).post(f"/users/{lawyer.id}/edit", data=data)
    assert api.get("/me").status_code == 401


def test_profile_and_password_change(db, users, client_for, password):
    client = client_for(users["monitor"])
    response = client.post(
        "/profile",
        data={
            "which": "profile",
            "name": "Новий",
            "phone": "123",
            "locale": "en",
            "notify_mode": "each",
        },
    )
    assert response.status_code == 302
    db.session.refresh(users["monitor"])
    assert users["monitor"].locale == "en" and users["monitor"].notify_mode == "each"
    response = client.post(
        "/profile",
        data={
            "which": "password",
            "pw-current": "wrong",
            "pw-password": "another-password",
            "pw-confirm": "another-password",
        },
    )
    assert "current password is wrong" in response.get_data(as_text=True)
    response = client.post(
        "/profile",
        data={
            "which": "password",
            "pw-current": password,
            "pw-password": "another-password",
            "pw-confirm": "another-password",
        },
    )
    assert response.status_code == 302


def test_nobody_sees_password_hashes_or_tokens(db, users, client_for, api_for):
    api_for(users["lawyer"])
    html = (
        client_for(users["admin"]).get(f"/users/{users['lawyer'].id}/edit").get_data(as_text=True)
    )
    assert users["lawyer"].password_hash not in html
    token_hash = db.session.scalar(sa.select(ApiToken.token_hash))
    assert token_hash not in html
    body = api_for(users["admin"]).get("/me").get_data(as_text=True)
    assert "password" not in body and "token" not in body
