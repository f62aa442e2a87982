"""Workers as separate processes: a worker killed with SIGKILL leaves no scheduler behind holding
the locks, and scheduled jobs (retries) run within a minute once another worker is up; /healthz
tells this machine's worker from the cluster's."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from rq.job import Job
from rq.scheduler import RQScheduler

from app.core.jobs import QUEUES, get_queue
from app.core.redis import get_redis

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def spawn_worker(app, db):
    procs = []
    config = {
        "INSTANCE_PATH": app.instance_path,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": app.config["REDIS_URL"],
        "REDIS_PREFIX": app.config["REDIS_PREFIX"],
        "STORAGE_DIR": app.config["STORAGE_DIR"],
        "SECRET_KEY": "test-secret",
    }
    env = {
        **os.environ,
        "VIDHUK_TEST_CONFIG": json.dumps(config),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}",
    }

    def spawn():
        proc = subprocess.Popen(
            [sys.executable, "-m", "core.support.worker_proc"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(proc)
        return proc

    yield spawn
    for proc in procs:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the worker, its work horse, its scheduler
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


def lock_owners(app):
    conn = get_redis(app)
    return {conn.get(RQScheduler.get_locking_key(get_queue(q, app).name)) for q in QUEUES}


def wait_for(condition, seconds, step=0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


def test_a_killed_worker_leaves_no_orphan_scheduler_and_retries_still_run(app, db, spawn_worker):
    first = spawn_worker()
    owners = wait_for(lambda: (o := lock_owners(app)) and None not in o and o, 30)
    assert owners and len(owners) == 1, "the first worker's scheduler holds every queue's lock"

    busy = get_queue("default", app).enqueue("core.support.jobs.slow", 120)
    assert wait_for(lambda: busy.refresh() or busy.get_status() == "started", 30)

    os.kill(first.pid, signal.SIGKILL)  # kill -9 the worker in the middle of a job
    first.wait(timeout=10)
    # Its scheduler process notices within seconds and lets go of the locks.
    assert wait_for(lambda: lock_owners(app) == {None}, 15), "an orphan kept the scheduler locks"

    key = f"{app.config['REDIS_PREFIX']}:scheduled-ran:{uuid.uuid4().hex}"
    retry = get_queue("default", app).enqueue_in(
        timedelta(seconds=2), "core.support.jobs.mark", key
    )
    started = time.monotonic()
    spawn_worker()
    assert wait_for(lambda: get_redis(app).get(key), 60), "the scheduled job did not run"
    assert time.monotonic() - started < 60
    assert Job.fetch(retry.id, connection=get_redis(app)).get_status() == "finished"


def test_healthz_reports_this_machines_worker_and_the_scheduler(app, db, spawn_worker):
    body = app.test_client().get("/healthz").get_json()
    assert body["worker_here"] == "none" and body["scheduler"] == "none"
    spawn_worker()
    assert wait_for(lambda: app.test_client().get("/healthz").get_json()["scheduler"] == "ok", 30)
    body = app.test_client().get("/healthz").get_json()
    assert body == {
        "database": "ok",
        "redis": "ok",
        "worker": "ok",
        "worker_here": "ok",
        "workers": 1,
        "scheduler": "ok",
    }


def test_a_worker_stopped_normally_hands_the_scheduler_over_within_a_minute(app, db, spawn_worker):
    first = spawn_worker()
    owners = wait_for(lambda: (o := lock_owners(app)) and None not in o and o, 30)
    assert owners
    spawn_worker()
    time.sleep(2)  # the second worker is up, its scheduler refused: the locks are taken
    assert lock_owners(app) == owners

    first.send_signal(signal.SIGTERM)
    first.wait(timeout=30)
    started = time.monotonic()
    taken = wait_for(lambda: (o := lock_owners(app)) and None not in o and o != owners and o, 60)
    assert taken, "no scheduler took over"
    assert time.monotonic() - started < 60
