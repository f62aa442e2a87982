"""Transitions per second through the workflow engine against a bare UPDATE + INSERT.

    PYTHONPATH=. .venv/bin/python bench/transitions.py [--subjects 2000] [--rounds 2]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--profile]

Always runs on SQLite in a temporary file (WAL, as the app configures it), and also on the
given database. Every transition is committed on its own, as a request would.
"""

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.db import utcnow  # noqa: E402
from app.extensions import NAMING_CONVENTION, db  # noqa: E402
from app.workflow import Registry, WorkflowSubjectMixin, init_app  # noqa: E402
from app.workflow.models import WorkflowDefinitionSnapshot, WorkflowHistory  # noqa: E402

DEFINITION = """\
name: bench
initial: open
states:
  open: {label: {uk: Відкрито, en: Open}, editable: {clerk: [title]}}
  closed: {label: {uk: Закрито, en: Closed}}
transitions:
  - name: close
    label: {uk: Закрити, en: Close}
    from: open
    to: closed
    roles: [clerk]
    guards: [has_title]
    params: {reason: {type: choice, choices: [done, moot]}}
  - name: reopen
    label: {uk: Відкрити знову, en: Reopen}
    from: closed
    to: open
    roles: [clerk]
"""

registry = Registry()


@registry.guard("has_title")
def has_title(subject, ctx):
    return None if subject.title else "no title"


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


users = sa.Table("users", Base.metadata, sa.Column("id", sa.Integer, primary_key=True))
for _table in (WorkflowDefinitionSnapshot.__table__, WorkflowHistory.__table__):
    _table.to_metadata(Base.metadata)


class Subject(WorkflowSubjectMixin, Base):
    __tablename__ = "subjects"
    __workflow__ = "bench"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))


@dataclass(frozen=True)
class Actor:
    id: int
    role: str


CLERK = Actor(1, "clerk")
PROFILE_SORT = "cumulative"


def make_app(url, workflows_dir):
    """A bare Flask app on ``url``; on PostgreSQL in a schema of its own, dropped afterwards."""
    options, schema = {}, None
    if url.startswith("postgresql"):
        schema = f"wf_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(url)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        options["connect_args"] = {"options": f"-csearch_path={schema}"}
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS=options)
    db.init_app(app)
    with app.app_context():
        if url.startswith("sqlite"):
            sa.event.listen(db.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(db.engine)
        with db.engine.begin() as conn:
            conn.execute(users.insert().values(id=CLERK.id))
    init_app(app, workflows_dir, registry)
    return app, schema


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def start_subjects(engine, count):
    subjects = []
    for i in range(count):
        subject = Subject(title=f"case {i}")
        engine.start(subject, CLERK)
        subjects.append(subject)
        if i % 500 == 499:
            db.session.commit()
    db.session.commit()
    return subjects


def _moves(rounds):
    for r in range(rounds):
        yield ("close", {"reason": "done"}) if r % 2 == 0 else ("reopen", None)


def run_engine(engine, subjects, rounds):
    """Fire close/reopen on every (loaded) subject, one commit per transition."""
    count, began = 0, time.perf_counter()
    for name, params in _moves(rounds):
        for subject in subjects:
            engine.fire(subject, name, CLERK, params)
            db.session.commit()
            count += 1
    return count / (time.perf_counter() - began)


def run_requests(engine, ids, rounds):
    """As requests do it: a fresh session loads the subject by id, fires, commits."""
    count, began = 0, time.perf_counter()
    for name, params in _moves(rounds):
        for subject_id in ids:
            engine.fire(db.session.get(Subject, subject_id), name, CLERK, params)
            db.session.commit()
            db.session.remove()
            count += 1
    return count / (time.perf_counter() - began)


UPDATE = sa.text(
    "UPDATE subjects SET state = :state, version = version + 1 WHERE id = :id AND version = :v"
)
INSERT = sa.text(
    "INSERT INTO workflow_history (subject_type, subject_id, workflow, workflow_version,"
    " transition, from_state, to_state, actor_id, at, comment, params)"
    " VALUES ('subjects', :id, 'bench', 1, :t, :f, :to, :actor, :at, NULL, :params)"
)


def run_bare(subjects, rounds):
    """The same transitions as hand-written SQL: a versioned UPDATE and an INSERT, committed.

    ``subjects`` are (id, state, version) as the engine's runs left them."""
    versions = {i: v for i, _s, v in subjects}
    states = {i: s for i, s, _v in subjects}
    at = utcnow()
    if db.engine.dialect.name == "sqlite":
        at = at.replace(tzinfo=None)
    count = 0
    with db.engine.connect() as conn:
        began = time.perf_counter()
        for _ in range(rounds):
            for subject_id, version in versions.items():
                old = states[subject_id]
                new = "open" if old == "closed" else "closed"
                done = conn.execute(UPDATE, {"state": new, "id": subject_id, "v": version})
                assert done.rowcount == 1
                conn.execute(
                    INSERT,
                    {
                        "id": subject_id,
                        "t": "x",
                        "f": old,
                        "to": new,
                        "actor": CLERK.id,
                        "at": at,
                        "params": "{}",
                    },
                )
                conn.commit()
                versions[subject_id], states[subject_id] = version + 1, new
                count += 1
        return count / (time.perf_counter() - began)


def _current_rows():
    rows = db.session.execute(sa.select(Subject.id, Subject.state, Subject.version))
    state = [tuple(row) for row in rows]
    db.session.remove()
    return state


def _timed_runs(engine, count, rounds, repeat, profile):
    """Best of ``repeat`` for each way, all on the same rows (noise only ever slows a run)."""
    db.session().expire_on_commit = False
    ids = [s.id for s in start_subjects(engine, count)]
    best = [0.0, 0.0, 0.0]
    for attempt in range(repeat):
        db.session.remove()
        db.session().expire_on_commit = False  # objects stay loaded, as within a request
        subjects = db.session.scalars(sa.select(Subject).order_by(Subject.id)).all()
        profiler = cProfile.Profile() if profile and attempt == 0 else None
        if profiler:
            profiler.enable()
        kept = run_engine(engine, subjects, rounds)
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats(PROFILE_SORT).print_stats(45)
        db.session.remove()
        loaded = run_requests(engine, ids, rounds)
        bare = run_bare(_current_rows(), rounds)
        best = [max(b, r) for b, r in zip(best, (kept, loaded, bare), strict=True)]
    return best


def bench(url, count, rounds, repeat=3, profile=False):
    """(engine with loaded objects, engine loading each by id, bare SQL) transitions/s."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "bench.yaml").write_text(DEFINITION)
        app, schema = make_app(url, tmp)
        try:
            with app.app_context():
                result = _timed_runs(app.extensions["workflow"], count, rounds, repeat, profile)
                db.session.remove()
                db.engine.dispose()
        finally:
            if schema:
                drop = sa.create_engine(url)
                with drop.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                drop.dispose()
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2, help="transitions per subject, even")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    parser.add_argument("--database-url")
    parser.add_argument("--profile", action="store_true", help="cProfile the engine's run")
    args = parser.parse_args(argv)
    if args.rounds % 2:
        parser.error(
            "--rounds must be even: each way closes and reopens, leaving the subjects "
            "open for the next"
        )
    with tempfile.TemporaryDirectory() as tmp:
        urls = ["sqlite:///" + str(Path(tmp) / "bench.db")]
        if args.database_url:
            urls.append(args.database_url)
        n = args.subjects * args.rounds
        print(
            f"{args.subjects} subjects x {args.rounds} rounds = {n} transitions per run,"
            f" best of {args.repeat}"
        )
        for url in urls:
            kept, loaded, bare = bench(url, args.subjects, args.rounds, args.repeat, args.profile)
            name = sa.engine.make_url(url).get_backend_name()
            print(
                f"{name:>10}: engine {kept:7.0f}/s (loaded), {loaded:7.0f}/s (load by id each)"
                f" | bare UPDATE+INSERT {bare:7.0f}/s | ratio bare/engine {bare / kept:.2f}x"
                f" ({bare / loaded:.2f}x with the load)"
            )


if __name__ == "__main__":
    main()
