"""Twenty people fire the same transition on the same case at once: exactly one wins."""

import threading

import pytest
import redis
from wf_support import LAWYER, Case

from app.core.jobs import get_queue
from app.extensions import db
from app.workflow import Conflict

THREADS = 20


@pytest.fixture
def postgres(database):
    if not database[0].startswith("postgresql"):
        pytest.skip(
            "PostgreSQL test skipped: set TEST_DATABASE_URL=postgresql+psycopg://... "
            "(or WORKFLOW_TEST_DB) to run it"
        )


def test_one_winner_and_nineteen_conflicts(app, engine, postgres):
    case = Case(text="Provide shelter")
    engine.start(case, LAWYER)
    db.session.commit()
    case_id = case.id
    queue = get_queue("default", app)
    try:
        queue.empty()
    except redis.exceptions.ConnectionError:
        queue = None
    barrier = threading.Barrier(THREADS, timeout=30)
    outcomes, lock = [], threading.Lock()

    def attempt():
        with app.app_context():  # its own session, as a request would have
            try:
                mine = db.session.get(Case, case_id)
                assert mine.state == "draft"
                barrier.wait()
                engine.fire(mine, "issue", LAWYER, {"comment": threading.current_thread().name})
                db.session.commit()
                outcome = "ok"
            except Conflict:
                db.session.rollback()
                outcome = "conflict"
            except Exception as exc:  # anything else fails the test below
                db.session.rollback()
                outcome = repr(exc)
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, name=f"t{i}") for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["conflict"] * (THREADS - 1) + ["ok"]
    db.session.expire_all()
    assert case.state == "issued" and case.version == 3  # the transition, then its effect
    assert [h.transition for h in engine.history(case)] == ["create", "issue"]
    if queue is not None:  # the after-commit job went out once: the losers' rolled back
        assert queue.count == 1
        queue.empty()
