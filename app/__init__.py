"""Vidhuk: follow-up of the National Preventive Mechanism's recommendations."""

from app.core.transaction import Flask


def create_app(config=None):
    """Build the application: config → extensions → workflows → blueprints → CLI."""
    app = Flask(__name__, instance_path=_instance_path(config))
    from app.config import load_config

    load_config(app, config)
    _init_extensions(app)
    _init_workflows(app)
    _register_blueprints(app)
    _register_cli(app)
    _register_jobs()
    return app


def _instance_path(config):
    import os
    from pathlib import Path

    if config and config.get("INSTANCE_PATH"):
        return str(config["INSTANCE_PATH"])
    return os.environ.get("VIDHUK_INSTANCE") or str(
        Path(__file__).resolve().parent.parent / "instance"
    )


def _init_extensions(app):
    from flask_bootstrap import Bootstrap5

    from app import models  # noqa: F401  (the whole schema, for Alembic and relationships)
    from app.core import headers, i18n, inputs
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate

    inputs.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_root() / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    Bootstrap5(app)
    login_manager.init_app(app)
    headers.init_app(app)
    _init_limiter(app, limiter)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _tune_sqlite(app)


def _init_limiter(app, limiter):
    """Rate limits are kept in the application's Redis, shared by every web process. Without a
    configured Redis (a single process, e.g. `flask run`) they are counted in memory."""
    url = app.config["REDIS_URL"] or "memory://"
    if url.startswith("unix://"):
        url = "redis+" + url
    app.config.setdefault("RATELIMIT_STORAGE_URI", url)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", app.config["REDIS_PREFIX"] + ":limits")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter.init_app(app)
    if app.config["PROXY_COUNT"]:
        # Behind a reverse proxy: per-address limits and the audit log need the client's address.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _tune_sqlite(app):
    """SQLite as a serious backend: foreign keys, WAL, waits instead of 'locked' errors,
    SAVEPOINTs that work (SQLAlchemy's pysqlite recipe) and Unicode-aware lower()."""
    from sqlalchemy import event

    from app.extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()
        # The built-in lower() folds ASCII only; Ukrainian search needs Unicode folding.
        dbapi_conn.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Writers take the write lock when they begin: with WAL, a transaction that read first
        # and wrote after another writer committed would fail instead of waiting its turn.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _writes(app) else "BEGIN")


def _writes(app):
    """Requests that may write, and jobs and commands (unless configured off, as in tests,
    whose own session only reads between requests)."""
    from flask import has_request_context, request

    if has_request_context():
        return request.method not in ("GET", "HEAD", "OPTIONS")
    return app.config.get("SQLITE_IMMEDIATE_OUTSIDE_REQUESTS", True)


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def _init_workflows(app):
    from app.domain import workflows

    workflows.init_app(app)


def _register_blueprints(app):
    from app.api import bp as api_bp
    from app.auth.routes import bp as auth_bp
    from app.core.routes import bp as core_bp
    from app.domain import register_blueprints

    app.register_blueprint(core_bp)
    app.register_blueprint(auth_bp)
    register_blueprints(app)
    app.register_blueprint(api_bp, url_prefix="/api/v1")


def _register_jobs():
    """Modules whose periodic jobs the workers enqueue."""
    from app.auth import token_use as _token_use  # noqa: F401
    from app.core import idempotency as _idempotency  # noqa: F401
    from app.domain import notifications as _digests  # noqa: F401
    from app.domain import retention as _retention  # noqa: F401
    from app.domain.acts import dispatch as _act_dispatch  # noqa: F401
    from app.domain.deadlines import sweep as _sweep  # noqa: F401
    from app.domain.inbox import fetch as _inbox_fetch  # noqa: F401
    from app.domain.inbox import ocr as _inbox_ocr  # noqa: F401
    from app.domain.search import jobs as _search_jobs  # noqa: F401
    from app.mail import jobs as _mail_jobs  # noqa: F401


def _register_cli(app):
    from app.auth.cli import users_cli
    from app.core.cli import register as register_core_cli
    from app.core.transaction import commit_commands
    from app.domain.cli import register as register_domain_cli

    app.cli.add_command(users_cli)
    register_core_cli(app)
    register_domain_cli(app)
    commit_commands(app.cli)


def _root():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent
