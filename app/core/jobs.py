"""Background jobs on RQ: queues, enqueue-after-commit, the worker and periodic jobs."""

import importlib
import logging
import os
import threading
import time
from datetime import UTC

from flask import current_app
from rq import Queue, Retry, Worker
from rq.job import Job
from rq.scheduler import RQScheduler
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.redis import get_redis

log = logging.getLogger(__name__)

#: Every queue a worker listens to, most urgent first.
QUEUES = ("mail", "letters", "default")

#: name -> (dotted path of the job function, interval in seconds, queue)
PERIODIC = {}
#: dotted path -> JobOptions of every function declared with ``@job``
JOBS = {}

#: The time limit of a job that declares none (RQ stops the work horse after it).
DEFAULT_TIMEOUT = 600

_PENDING = "vidhuk_jobs_after_commit"


def get_queue(name="default", app=None):
    app = app or current_app._get_current_object()
    return Queue(
        f"{app.config['REDIS_PREFIX']}:{name}",
        connection=get_redis(app),
        default_timeout=DEFAULT_TIMEOUT,
    )


class JobOptions:
    """How a job function runs, declared once where it is defined: its queue, its hard time
    limit (seconds) and how often RQ runs it again after a crash (``intervals``: the waits)."""

    def __init__(self, func, queue, timeout, retries, intervals):
        # RQ imports the function by its dotted path in the worker.
        self.path = f"{func.__module__}.{func.__qualname__}"
        self.queue = queue
        self.timeout = timeout
        self.retry = Retry(max=retries, interval=list(intervals)) if retries else None

    def rq_options(self, queue=None, job_id=None):
        """Keyword arguments of ``Queue.enqueue`` for one call."""
        options = {"job_id": job_id, "job_timeout": self.timeout}
        if self.retry is not None:
            options["retry"] = self.retry
        return queue or self.queue, options


def job(queue="default", timeout=DEFAULT_TIMEOUT, retries=0, intervals=()):
    """Declare a background job: ``func.enqueue(*args, job_id=)`` now, ``func.enqueue_after_commit``
    once the transaction commits, ``func.enqueue_in(delay, *args, job_id=)`` later — each with the
    declared queue, time limit and retries. The function stays a plain function."""

    def declare(func):
        options = JobOptions(func, queue, timeout, retries, intervals)

        def enqueue(*args, job_id=None, queue=None, app=None):
            name, kwargs = options.rq_options(queue, job_id)
            return get_queue(name, app).enqueue(options.path, *args, **kwargs)

        def enqueue_in(delay, *args, job_id=None, queue=None):
            name, kwargs = options.rq_options(queue, job_id)
            return get_queue(name).enqueue_in(delay, options.path, *args, **kwargs)

        def after_commit(*args, job_id=None, queue=None):
            name, kwargs = options.rq_options(queue, job_id)
            enqueue_after_commit(options.path, *args, queue=name, **kwargs)

        JOBS[options.path] = func.job_options = options
        func.enqueue = enqueue
        func.enqueue_in = enqueue_in
        func.enqueue_after_commit = after_commit
        return func

    return declare


def enqueue_after_commit(func, *args, queue="default", job_id=None, **kwargs):
    """Enqueue once the current transaction has committed; never if it rolls back.

    A job enqueued before its rows are committed could run before they exist. If Redis is down
    at that moment the job is logged and dropped: work that must not be lost is also recorded in
    the database (an outbox row, a status column) and picked up by a periodic job. Job functions
    declared with ``@job`` call this through ``func.enqueue_after_commit``.
    """
    from app.extensions import db

    app = current_app._get_current_object()
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any query still drops the job
    session.info.setdefault(_PENDING, []).append((app, func, args, queue, job_id, kwargs))


@event.listens_for(Session, "after_commit")
def _flush_pending(session):
    pending = session.info.pop(_PENDING, [])
    for app, func, args, queue, job_id, kwargs in pending:
        try:
            get_queue(queue, app).enqueue(func, *args, job_id=job_id, **kwargs)
        except Exception:  # Redis down: the database record is the truth, a sweep retries
            log.exception("could not enqueue %s; it will be picked up later", func)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session, previous_transaction):
    if not previous_transaction.nested:  # a savepoint's rollback keeps the outer work
        session.info.pop(_PENDING, None)


def periodic(name, every, **options):
    """Declare a job (``options`` as for ``job``) that the workers enqueue every ``every``
    seconds."""

    def register(func):
        func = job(**options)(func)
        PERIODIC[name] = (func.job_options.path, every, func.job_options.queue)
        return func

    return register


def enqueue_due_periodic(app):
    """Enqueue each periodic job whose interval has passed; one worker wins per interval."""
    conn = get_redis(app)
    prefix = app.config["REDIS_PREFIX"]
    for name, (path, every, queue) in PERIODIC.items():
        if conn.set(f"{prefix}:periodic:{name}", str(time.time()), nx=True, ex=every):
            ident = f"periodic-{name}-{int(time.time())}"
            declared = JOBS.get(path)
            kwargs = declared.rq_options(queue, ident)[1] if declared else {"job_id": ident}
            get_queue(queue, app).enqueue(path, **kwargs)


#: How often a worker checks that some scheduler holds each queue's lock (RQ's default is ten
#: minutes: a stopped worker's retries and scheduled jobs would wait that long).
MAINTENANCE_SECONDS = 20


class BoundScheduler(RQScheduler):
    """RQ's scheduler process, bound to the worker that forked it.

    RQ runs the scheduler in a child process that renews its queue locks forever: when its worker
    is killed with SIGKILL the child lives on as an orphan and keeps the locks, so no other
    worker's scheduler takes over. This one checks every second that its worker still lives and
    otherwise releases the locks and ends.
    """

    worker_pid = None

    def start(self):
        self.worker_pid = os.getpid()
        return super().start()

    def work(self):
        self._install_signal_handlers()
        self.register_birth()
        while True:
            if self._stop_requested or self._orphaned():
                self.stop()
                break
            if self.should_reacquire_locks:
                self.acquire_locks()
            self.heartbeat()
            self.enqueue_scheduled_jobs()
            time.sleep(self.interval)

    def _orphaned(self):
        if self.worker_pid is None or os.getppid() == self.worker_pid:
            return False
        self.log.warning("worker %s is gone: the scheduler releases its locks", self.worker_pid)
        return True


class AppJob(Job):
    """A job run in one transaction: committed when the function returns, rolled back when it
    raises (before RQ records the outcome)."""

    def _execute(self):
        from app.core.transaction import committed

        return committed(super()._execute)()


class AppWorker(Worker):
    """An RQ worker that runs each job inside the Flask application context."""

    app = None
    parent_pid = None

    def _start_scheduler(
        self, burst=False, logging_level="INFO", date_format=None, log_format=None
    ):
        """As RQ's own, with a scheduler that dies with this worker."""
        from rq.defaults import DEFAULT_LOGGING_DATE_FORMAT, DEFAULT_LOGGING_FORMAT

        self.scheduler = BoundScheduler(
            self.queues,
            connection=self.connection,
            logging_level=logging_level,
            date_format=date_format or DEFAULT_LOGGING_DATE_FORMAT,
            log_format=log_format or DEFAULT_LOGGING_FORMAT,
            serializer=self.serializer,
        )
        self.scheduler.acquire_locks()
        if not self.scheduler.acquired_locks:
            return
        if burst:
            try:
                self.scheduler.register_birth()
                self.scheduler.enqueue_scheduled_jobs()
            finally:
                self.scheduler.release_locks()
                self.scheduler.register_death()
        else:
            self.scheduler.start()

    def perform_job(self, job, queue):
        from app.extensions import db

        with self.app.app_context():
            if os.getpid() != self.parent_pid:
                # A forked work horse must not reuse the parent's pooled connections.
                db.engine.dispose(close=False)
            try:
                return super().perform_job(job, queue)
            finally:
                db.session.remove()


#: Libraries the jobs use, imported once when a worker is made rather than halfway through a
#: job: CPython 3.11's import lock can fail an import made while the garbage collector runs
#: (``KeyError: <thread id>`` from importlib), and a document job hit exactly that on its first
#: PDF. A work horse forked from the worker finds them loaded.
PRELOAD = ("weasyprint", "pypdf", "docx", "openpyxl", "pymorphy3")


def preload_libraries():
    for name in PRELOAD:
        importlib.import_module(name)


def make_worker(app, worker_class=AppWorker, name=None):
    preload_libraries()
    queues = [get_queue(q, app) for q in QUEUES]
    cls = type(worker_class.__name__, (worker_class,), {"app": app, "parent_pid": os.getpid()})
    return cls(
        queues,
        connection=get_redis(app),
        name=name,
        maintenance_interval=MAINTENANCE_SECONDS,
        job_class=AppJob,
    )


def run_worker(app, burst=False, logging_level="INFO"):
    """Run jobs from every queue, with RQ's scheduler and our periodic jobs."""
    worker = make_worker(app)
    enqueue_due_periodic(app)
    if not burst:
        stop = threading.Event()

        def beat():
            while not stop.wait(15):
                try:
                    with app.app_context():
                        enqueue_due_periodic(app)
                except Exception:
                    log.exception("periodic jobs could not be enqueued")

        threading.Thread(target=beat, name="periodic", daemon=True).start()
    try:
        worker.work(burst=burst, with_scheduler=True, logging_level=logging_level)
    finally:
        if not burst:
            stop.set()


def worker_is_alive(app, max_age=120, hostname=None):
    """True when some worker (on ``hostname``, if given) sent a heartbeat in ``max_age`` s."""
    return any(_beats(app, max_age, hostname))


def cluster_status(app, max_age=120):
    """What /healthz reports of the workers: all of them, this machine's, and the scheduler."""
    import socket

    here = socket.gethostname()
    alive = list(_beats(app, max_age))
    conn = get_redis(app)
    locks = [conn.get(RQScheduler.get_locking_key(get_queue(q, app).name)) for q in QUEUES]
    return {
        "worker": "ok" if alive else "stale",
        "worker_here": "ok" if here in alive else "none",
        "workers": len(set(alive)),
        "scheduler": "ok" if all(locks) else "none",
    }


def _beats(app, max_age, hostname=None):
    """The hostnames of live workers, once per worker."""
    from datetime import datetime

    now = datetime.now(UTC)
    seen = set()
    for queue in QUEUES:
        for worker in Worker.all(queue=get_queue(queue, app)):
            beat = worker.last_heartbeat
            if worker.name in seen or not beat:
                continue
            if (now - beat.replace(tzinfo=beat.tzinfo or UTC)).total_seconds() >= max_age:
                continue
            if hostname is None or worker.hostname == hostname:
                seen.add(worker.name)
                yield worker.hostname
