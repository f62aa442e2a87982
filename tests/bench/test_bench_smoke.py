"""Every benchmark runs end to end with tiny counts, as a person runs it (a script), so that none
rots unnoticed; their figures are not asserted, only that they print them.

On the SQLite pass they run on their default, a temporary SQLite file. On the PostgreSQL pass
they run on a scratch database of their own beside the test database (the benchmarks drop and
rebuild its schema), and the load test — PostgreSQL only, gunicorn, a worker and locust — runs too.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import BACKEND, PG_URL
from tests.core.support import free_port

ROOT = Path(__file__).resolve().parents[2]

#: (script, tiny arguments, what its report prints)
BENCHES = [
    ("pages.py", ["--count", "200", "--rounds", "1"], ["dashboard", "ratio p95"]),
    (
        "send.py",
        ["--sends", "2", "--inline", "1", "--parallel", "2"],
        ["ratio p95 old/new", "whole run: 7 numbers, gaps 0, duplicates 0"],
    ),
    ("sweep.py", ["--sizes", "200", "400", "--due", "20"], ["sweep at 400: ", "ratio 400 / 200"]),
    ("import.py", ["--rows", "200"], ["import, real:", "(updated 200)", "peak memory"]),
    (
        "transitions.py",
        ["--subjects", "20", "--rounds", "2", "--repeat", "1"],
        ["40 transitions per run", "ratio bare/engine"],
    ),
]


def run(script, args, timeout=300):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def database_args():
    """No argument on SQLite; on PostgreSQL a scratch database, dropped afterwards."""
    if BACKEND != "postgres":
        yield []
        return
    url = sa.engine.make_url(PG_URL)
    scratch = f"{url.database}_bench"
    admin = sa.create_engine(
        url.set(drivername="postgresql+psycopg", database="postgres"),
        isolation_level="AUTOCOMMIT",
        poolclass=sa.pool.NullPool,
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{scratch}"'))
    yield ["--database-url", url.set(database=scratch).render_as_string(hide_password=False)]
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.parametrize(("script", "args", "prints"), BENCHES, ids=[b[0] for b in BENCHES])
def test_benchmark_runs_with_tiny_counts(script, args, prints, database_args):
    out = run(script, [*args, *database_args])
    for text in prints:
        assert text in out, out


def test_letters_benchmark_renders_a_few_letters():
    out = run("letters.py", ["--count", "2"])
    assert "DOCX ratio" in out and "PDF" in out, out


@pytest.mark.postgres
def test_load_benchmark_serves_a_few_users(database_args):
    redis = os.environ.get("TEST_REDIS_URL")
    if not redis:
        pytest.skip("bench/load.py needs a Redis server its processes share: set TEST_REDIS_URL")
    out = run(
        "load.py",
        [
            *database_args,
            "--count",
            "200",
            "--users",
            "2",
            "--seconds",
            "3",
            "--port",
            str(free_port()),
            "--redis-url",
            redis,
        ],
        timeout=600,
    )
    assert "requests/s" in out, out
