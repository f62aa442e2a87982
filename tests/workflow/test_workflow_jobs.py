"""After-commit effects: enqueued once the transaction commits, never after a rollback."""

import pytest
import redis
from rq import SimpleWorker
from wf_support import LAWYER, Case

from app.core.jobs import AppWorker, get_queue, make_worker
from app.core.redis import get_redis
from app.extensions import db


class InProcessWorker(AppWorker, SimpleWorker):
    """Runs jobs in this process, inside the app context, so the test sees their effect."""


@pytest.fixture
def queue(app):
    try:
        get_redis(app).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis answers at {app.config['REDIS_URL']} (WORKFLOW_TEST_REDIS)")
    queue = get_queue("default", app)
    queue.empty()
    yield queue
    queue.empty()


def new_case(engine):
    case = Case(text="Provide shelter")
    engine.start(case, LAWYER)
    db.session.commit()
    return case


def test_after_commit_effect_is_pending_until_the_commit(engine):
    case = new_case(engine)
    history = engine.fire(case, "issue", LAWYER)
    (pending,) = db.session().info["vidhuk_jobs_after_commit"]
    assert pending[1:4] == (
        "app.workflow.jobs.run_after_commit",
        ("notify", "wf_support.Case", case.id, history.id),
        "default",
    )
    db.session.rollback()
    assert "vidhuk_jobs_after_commit" not in db.session().info


def test_rollback_enqueues_nothing(engine, queue):
    case = new_case(engine)
    engine.fire(case, "issue", LAWYER)
    assert queue.count == 0
    db.session.rollback()
    assert queue.count == 0
    db.session.commit()
    assert queue.count == 0


def test_commit_enqueues_and_a_worker_runs_the_effect(app, engine, queue):
    case = new_case(engine)
    engine.fire(case, "issue", LAWYER)
    assert queue.count == 0
    db.session.commit()
    assert queue.count == 1
    worker = make_worker(app, worker_class=InProcessWorker)
    assert worker.work(burst=True)
    db.session.expire_all()
    assert case.notified == 1
    assert queue.count == 0 and len(queue.failed_job_registry) == 0
