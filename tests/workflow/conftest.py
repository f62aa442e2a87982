"""A minimal Flask app, database and engine for the workflow engine's tests."""

import os
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from wf_support import TestBase, registry, users

from app.extensions import babel, db
from app.workflow import init_app

FIXTURES = Path(__file__).parent / "fixtures"
#: A real Redis; the jobs tests skip, saying so, when none answers there.
REDIS_URL = (
    os.environ.get("WORKFLOW_TEST_REDIS")
    or os.environ.get("TEST_REDIS_URL")
    or "redis://127.0.0.1:6379/14"
)


def _database_url(tmp_path_factory):
    """WORKFLOW_TEST_DB, else TEST_DATABASE_URL (unless VIDHUK_TEST_BACKEND=sqlite), else a
    temporary SQLite file."""
    url = os.environ.get("WORKFLOW_TEST_DB")
    if not url and os.environ.get("VIDHUK_TEST_BACKEND", "") != "sqlite":
        url = os.environ.get("TEST_DATABASE_URL")
    return url or "sqlite:///" + str(tmp_path_factory.mktemp("wf") / "test.db")


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """(url, engine options): on PostgreSQL a schema of our own, so parallel runs never meet."""
    url = _database_url(tmp_path_factory)
    options = {"pool_size": 25, "max_overflow": 5}
    schema = None
    if url.startswith("postgresql"):
        schema = f"wf_test_{uuid.uuid4().hex[:10]}"
        options["connect_args"] = {"options": f"-csearch_path={schema}"}
        admin = sa.create_engine(url)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = sa.create_engine(url, **options)
    TestBase.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(users.insert(), [{"id": 1}, {"id": 2}, {"id": 3}])
    engine.dispose()
    yield url, options
    if schema:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def flask_app(database):
    url, options = database
    app = Flask(__name__)
    app.config.update(
        TESTING=True,
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=options,
        BABEL_DEFAULT_LOCALE="en",
        REDIS_URL=REDIS_URL,
        REDISLITE_PATH=None,
        REDIS_PREFIX=f"wftest-{uuid.uuid4().hex[:8]}",
    )
    db.init_app(app)
    babel.init_app(app)
    yield app
    with app.app_context():
        db.engine.dispose()
    if "vidhuk_redis" in app.extensions:
        client = app.extensions["vidhuk_redis"]
        keys = list(client.scan_iter(f"*{app.config['REDIS_PREFIX']}*"))
        if keys:
            client.delete(*keys)
        client.close()


@pytest.fixture
def workflows_dir(tmp_path):
    """A copy of the valid fixtures that a test may edit."""
    target = tmp_path / "workflows"
    shutil.copytree(FIXTURES / "valid", target)
    return target


@pytest.fixture
def app(flask_app, workflows_dir):
    """The app with a fresh engine on ``workflows_dir``, in an app context; rows removed after."""
    init_app(flask_app, workflows_dir, registry)
    with flask_app.app_context():
        yield flask_app
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(TestBase.metadata.sorted_tables):
                if table is not users:
                    conn.execute(table.delete())


@pytest.fixture
def engine(app):
    return app.extensions["workflow"]
