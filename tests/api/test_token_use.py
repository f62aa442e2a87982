"""Reads never fail for bookkeeping: GET /me answers while another connection holds the write
lock; the token's last use reaches the database later, by a periodic job."""

import threading

import sqlalchemy as sa

from app.auth.models import ApiToken
from app.auth.token_use import flush_token_use


def _hold_write_lock(db):
    """Another connection holding what a writer needs: SQLite's write lock (BEGIN IMMEDIATE),
    on PostgreSQL a lock that lets readers in and keeps writers of api_tokens out."""
    engine = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
    conn = engine.connect()
    if engine.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")
        conn.exec_driver_sql("LOCK TABLE api_tokens IN EXCLUSIVE MODE")
    return engine, conn


def test_me_answers_while_a_writer_holds_the_database(db, users, api_for):
    api = api_for(users["lawyer"])
    engine, conn = _hold_write_lock(db)
    answers = []
    try:
        thread = threading.Thread(target=lambda: answers.append(api.get("/me")))
        thread.start()
        thread.join(5)
        assert answers, "GET /me waited for the writer"
    finally:
        conn.rollback()
        conn.close()
        engine.dispose()
        thread.join(30)
    assert answers[0].status_code == 200, answers[0].get_data(as_text=True)
    assert answers[0].get_json()["email"] == users["lawyer"].email


def test_last_use_is_written_by_the_periodic_job_at_most_hourly(db, users, api_for, app):
    from app.core.redis import get_redis

    api = api_for(users["lawyer"])
    token = db.session.scalar(sa.select(ApiToken))
    assert token.last_used_at is None
    assert api.get("/me").status_code == 200
    db.session.refresh(token)
    assert token.last_used_at is None  # the request wrote nothing
    assert flush_token_use() == 1
    db.session.refresh(token)
    first = token.last_used_at
    assert first is not None
    assert api.get("/me").status_code == 200  # within the hour: not even noted
    key = f"{app.config['REDIS_PREFIX']}:token-use"
    assert not get_redis().exists(key)
    assert flush_token_use() == 0
    db.session.refresh(token)
    assert token.last_used_at == first
