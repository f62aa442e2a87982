"""The application shell: health, schema from migrations, language, CSRF, cookies, error pages."""

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


def not_full_text(name, type_, parent_names):
    """As migrations/env.py: the full-text objects (named fts_...) and expression indexes
    (ix_expr_...) exist in migrations only."""
    return not (name or "").startswith(("fts_", "ix_expr_"))


def test_models_and_migrations_agree(db):
    """The schema built by the migrations is exactly what the models declare."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": not_full_text})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_healthz_reports_database_redis_and_worker(app, db):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok" and body["redis"] == "ok"
    assert body["worker"] == "stale"  # no worker runs in tests


def test_healthz_sees_a_live_worker(app, db):
    from app.core.jobs import make_worker

    worker = make_worker(app)
    worker.register_birth()
    worker.heartbeat()
    try:
        assert app.test_client().get("/healthz").get_json()["worker"] == "ok"
    finally:
        worker.register_death()


def test_healthz_503_when_redis_is_down(app, db):
    import redis

    saved = app.extensions["vidhuk_redis"]
    app.extensions["vidhuk_redis"] = redis.Redis(
        host="127.0.0.1", port=1, socket_connect_timeout=0.2
    )
    try:
        response = app.test_client().get("/healthz")
    finally:
        app.extensions["vidhuk_redis"] = saved
    assert response.status_code == 503
    assert response.get_json()["redis"] == "unavailable"


def test_login_page_is_ukrainian_by_default(db, client_for):
    html = client_for().get("/login").get_data(as_text=True)
    assert 'lang="uk"' in html
    assert "Увійти" in html and "Пароль" in html


def test_english_switch(db, client_for):
    client = client_for()
    client.post("/lang/en")
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in html and "Log in" in html and "Password" in html
    client.post("/lang/uk")
    assert "Пароль" in client.get("/login").get_data(as_text=True)


def test_every_message_has_a_ukrainian_translation():
    from babel.messages.pofile import read_po

    with open("app/translations/uk/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh)
    missing = [m.id for m in catalog if m.id and not m.string and not m.fuzzy]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []


def test_every_source_string_is_in_the_catalog(tmp_path):
    """Strings added in the code without running `make extract` would stay English."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    with open("app/translations/uk/LC_MESSAGES/messages.po", "rb") as fh:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
    found = {
        (msg if isinstance(msg, str) else msg[0])
        for _f, _l, msg, _c, _x in extract_from_dir("app", method_map, keywords=keywords)
    }
    assert sorted(found - known) == []


def test_csrf_is_enforced_on_forms(app, db, users):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = client.post("/login", data={"email": users["admin"].email, "password": "x"})
        assert response.status_code == 400
        html = client.get("/login").get_data(as_text=True)
        assert 'name="csrf_token"' in html
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_session_cookie_flags(app, db, users, password):
    response = app.test_client().post(
        "/login", data={"email": users["lawyer"].email, "password": password}
    )
    cookie = response.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookies_when_served_over_https(tmp_path):
    from app import create_app

    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "PUBLIC_BASE_URL": "https://vidhuk.example.org"}
    )
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_configuration_from_environment(tmp_path, monkeypatch):
    from app import create_app

    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/vidhuk")
    monkeypatch.setenv("REDIS_URL", "redis://cache.example:6379/2")
    monkeypatch.setenv("STORAGE_DIR", str(tmp_path / "files"))
    monkeypatch.setenv("CALENDAR_PROFILE", "peacetime")
    monkeypatch.setenv("SMTP_HOST", "mail.example")
    monkeypatch.setenv("SMTP_STARTTLS", "true")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "inst")})
    cfg = app.config
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/vidhuk"
    assert cfg["REDIS_URL"] == "redis://cache.example:6379/2"
    assert cfg["STORAGE_DIR"] == str(tmp_path / "files")
    assert cfg["CALENDAR_PROFILE"] == "peacetime"
    assert cfg["SMTP_HOST"] == "mail.example" and cfg["SMTP_PORT"] == 587
    # The secret key is generated once and kept in the instance folder.
    assert (tmp_path / "inst" / "secret_key").read_text() == cfg["SECRET_KEY"]
    again = create_app({"INSTANCE_PATH": str(tmp_path / "inst")})
    assert again.config["SECRET_KEY"] == cfg["SECRET_KEY"]


def test_bad_calendar_profile_stops_the_app(tmp_path, monkeypatch):
    from app import create_app

    monkeypatch.setenv("CALENDAR_PROFILE", "holiday")
    with pytest.raises(RuntimeError, match="CALENDAR_PROFILE"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


@pytest.mark.parametrize("lang,text", [("uk", "Не знайдено"), ("en", "Not found")])
def test_404_page_in_the_users_language(app, db, users, client_for, lang, text):
    client = client_for(users["lawyer"])
    client.post(f"/lang/{lang}")
    response = client.get("/facilities/999999")
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def test_403_page_for_a_role_without_rights(db, users, client_for):
    response = client_for(users["monitor"]).get("/users")
    assert response.status_code == 403
    assert "Доступ заборонено" in response.get_data(as_text=True)


def test_pages_need_login(app, db):
    response = app.test_client().get("/visits/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_assets_are_served_locally(app, db):
    html = app.test_client().get("/login").get_data(as_text=True)
    assert "cdn" not in html.lower()
    with app.test_client().get("/bootstrap/static/css/bootstrap.min.css") as response:
        assert response.status_code == 200


def test_jobs_are_enqueued_only_after_commit(app, db, run_jobs):
    from app.core.jobs import enqueue_after_commit, get_queue

    queue = get_queue("default")
    enqueue_after_commit("os.getcwd")
    assert queue.count == 0
    db.session.rollback()
    db.session.commit()
    assert queue.count == 0  # dropped with the rollback
    enqueue_after_commit("os.getcwd")
    db.session.commit()
    assert queue.count == 1
    run_jobs()
    assert queue.count == 0


def test_a_declared_job_runs_in_one_transaction(app, db, users, run_jobs):
    """@job declares the queue and time limit once; the worker commits what a job did when it
    returns and keeps nothing of a job that raised."""
    from core.support.jobs import rename_user

    assert (rename_user.job_options.queue, rename_user.job_options.timeout) == ("default", 30)
    rename_user.enqueue(users["lawyer"].id, "Оксана Нова")
    rename_user.enqueue(users["monitor"].id, "Не збережеться", True)
    run_jobs()
    db.session.expire_all()
    assert users["lawyer"].name == "Оксана Нова"
    assert users["monitor"].name != "Не збережеться"


def test_periodic_jobs_are_enqueued_once_per_interval(app, db, monkeypatch):
    from app.core import jobs

    assert {"mail-dispatch", "deadline-sweep", "notification-digest"} <= set(jobs.PERIODIC)
    monkeypatch.setattr(jobs, "PERIODIC", {"test-tick": ("os.getcwd", 300, "default")})
    jobs.enqueue_due_periodic(app)
    jobs.enqueue_due_periodic(app)  # a second worker in the same interval: nothing more
    assert jobs.get_queue("default").count == 1
    jobs.get_queue("default").empty()


def test_openapi_is_valid_openapi_3(app, db):
    from openapi_spec_validator import validate

    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = json.loads(response.data)
    validate(spec)
    for path in ("/authorities", "/facilities/{id}", "/visits", "/me"):
        assert path in spec["paths"]
