"""Deadline sweep at scale: does its cost follow what is due, not what exists?

Fills N open deadlines (sent acts whose terms end far in the future) plus the same 1,000 due
ones (each act carrying a recommendation), then times one sweep that expires the 1,000: first
at 100,000 open deadlines, then at the larger size, and prints both times and their ratio.

    .venv/bin/python bench/sweep.py [--due 1000]            # SQLite: 100,000 then 200,000
    .venv/bin/python bench/sweep.py --database-url postgresql://postgres@127.0.0.1/bench \
        --sizes 100000 1000000                             # PostgreSQL: 100,000 then 1,000,000

The PostgreSQL database is emptied first (its public schema is dropped).
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed as seeding  # noqa: E402

DUE = 1000
TODAY = date(2026, 6, 1)


def seed_base():
    """The small scene; the workflow versions registered."""
    from app.extensions import db
    from app.workflow import get_engine

    base = seeding.small_scene()
    engine = get_engine()
    versions = {
        name: engine.versions.register(name, engine._current[name], engine._sources[name]).version
        for name in ("act", "recommendation")
    }
    db.session.commit()
    return base.lawyer.id, base.authority.id, base.facilities[0].id, base.visit.id, versions


def fill(app, start, count, due, base):
    """Insert acts [start, start+count) with their deadlines; the first ``due`` are expired."""
    import sqlalchemy as sa

    from app.domain.acts.models import Act, act_recommendations
    from app.domain.deadlines.models import Deadline
    from app.domain.recommendations.models import Recommendation
    from app.extensions import db

    lawyer_id, authority_id, facility_id, visit_id, versions = base
    batch = 20000
    with app.app_context():
        conn = db.session.connection()
        # Ids continue after what exists (the sweep itself drafts reminder acts).
        first = max(
            conn.scalar(sa.select(sa.func.max(Act.id))) or 0,
            conn.scalar(sa.select(sa.func.max(Recommendation.id))) or 0,
        )
        start, due_until = first, first + due
        for offset in range(start, start + count, batch):
            ids = range(offset + 1, min(offset + batch, start + count) + 1)
            conn.execute(
                Act.__table__.insert(),
                [
                    {
                        "id": i,
                        "kind": "submission",
                        "authority_id": authority_id,
                        "heading": f"Акт {i}",
                        "opening": "",
                        "closing": "",
                        "signatory_position": "У",
                        "signatory_name": "П",
                        "executor_id": lawyer_id,
                        "outgoing_number": f"{i}/2026",
                        "outgoing_year": 2026,
                        "outgoing_seq": i,
                        "sent_on": date(2026, 1, 5),
                        "channel": "email",
                        "due_on": _due(i, due_until),
                        "documents_status": "ready",
                        "state": "sent",
                        "workflow_version": versions["act"],
                        "version": 1,
                        "created_at": _now(),
                        "updated_at": _now(),
                    }
                    for i in ids
                ],
            )
            conn.execute(
                Deadline.__table__.insert(),
                [
                    {
                        "act_id": i,
                        "kind": "response",
                        "trigger_on": date(2026, 1, 5),
                        "term": "1 month",
                        "shift": "next",
                        "due_on": _due(i, due_until),
                        "pauses": [],
                        "remind_days": 0,
                        "created_at": _now(),
                    }
                    for i in ids
                ],
            )
        if due:
            conn.execute(
                Recommendation.__table__.insert(),
                [
                    {
                        "id": i,
                        "visit_id": visit_id,
                        "facility_id": facility_id,
                        "authority_id": authority_id,
                        "text": f"Рекомендація {i}",
                        "theme": "conditions",
                        "priority": "medium",
                        "state": "sent_to_authority",
                        "workflow_version": versions["recommendation"],
                        "version": 1,
                        "created_at": _now(),
                        "updated_at": _now(),
                    }
                    for i in range(start + 1, start + due + 1)
                ],
            )
            conn.execute(
                act_recommendations.insert(),
                [
                    {"act_id": i, "recommendation_id": i, "position": 1}
                    for i in range(start + 1, start + due + 1)
                ],
            )
        if db.engine.dialect.name == "postgresql":  # explicit ids do not move the sequences
            for table in ("acts", "recommendations"):
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        db.session.commit()


def _now():
    from app.core.db import utcnow

    return utcnow()


def _due(i, due_until):
    return TODAY - timedelta(days=1) if i <= due_until else TODAY + timedelta(days=400 + i % 300)


def timed_sweep(app, due):
    from app.domain.deadlines.sweep import sweep

    with app.app_context():
        began = time.perf_counter()
        report = sweep(TODAY)
        elapsed = time.perf_counter() - began
    assert len(report["expired"]) == due and not report["errors"], report["errors"][:3]
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--sizes", nargs=2, type=int)
    parser.add_argument("--due", type=int, default=DUE, help=f"deadlines due ({DUE:,})")
    args = parser.parse_args()
    sizes = args.sizes or ([100_000, 1_000_000] if args.database_url else [100_000, 200_000])
    app = seeding.bench_app(
        args.database_url,
        SQLITE_IMMEDIATE_OUTSIDE_REQUESTS=False,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL"),
    )
    seeding.fresh_database(app)
    with app.app_context():
        base = seed_base()
    times, filled = [], 0
    for size in sizes:
        t0 = time.perf_counter()
        fill(app, filled, size - filled, args.due, base)
        filled = size
        print(
            f"filled {size:,} open deadlines ({args.due:,} of them due) in {time.perf_counter() - t0:.1f} s"
        )
        times.append(timed_sweep(app, args.due))
        print(
            f"sweep at {size:,}: {times[-1] * 1000:.0f} ms for {args.due:,} expiries "
            f"({times[-1] / args.due * 1000:.2f} ms each)"
        )
    print(f"ratio {sizes[1]:,} / {sizes[0]:,}: {times[1] / times[0]:.2f} (aim: under 1.5)")


if __name__ == "__main__":
    main()
