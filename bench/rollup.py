"""The statistics roll-up at national scale (PostgreSQL): how long a refresh takes with nothing
changed, after N changed recommendations and on a new day, and how long the dashboard's sums
take, all-time and for a period.

    PYTHONPATH=. .venv/bin/python bench/rollup.py --database-url postgresql://…/bench_load

Uses a database filled by bench/pages.py or bench/load.py (--reuse there); migrates it first.
Changes are made the way any writer makes them (an UPDATE of a recommendation's term, seen by
the roll-up's triggers) and left in place.
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pages  # noqa: E402


def timed(call, rounds=1):
    spent = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        spent.append(time.perf_counter() - started)
    return statistics.median(spent)


def change(n):
    """Move the term of ``n`` random sent recommendations by a day."""
    from app.extensions import db

    db.session.execute(
        sa.text(
            "UPDATE recommendations SET due_on = due_on + 1 WHERE id IN (SELECT id FROM "
            "recommendations WHERE due_on IS NOT NULL ORDER BY random() LIMIT :n)"
        ),
        {"n": n},
    )
    db.session.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    from flask_migrate import upgrade

    from app.core import clock
    from app.domain.search import stats
    from app.extensions import db

    app = pages.make_app(args.database_url)
    with app.app_context():
        upgrade()
        count = db.session.execute(sa.text("SELECT count(*) FROM recommendations")).scalar()
        print(f"roll-up of {count:,} recommendations (seconds)")
        state = db.session.execute(sa.text("SELECT count(*) FROM stats_rollup_state")).scalar()
        db.session.rollback()
        if not state:
            print(f"  first refresh (every day)      {timed(stats.refresh):8.2f}")
        print(f"  nothing changed                {timed(stats.refresh, 5):8.3f}")
        for n in (1, 100, 1000):
            change(n)
            print(f"  after {n:>6,} changes           {timed(stats.refresh):8.3f}")
        tomorrow = clock.today() + timedelta(days=1)
        with clock.pinned(tomorrow):
            print(f"  a new day (terms falling due)  {timed(stats.refresh):8.3f}")
        stats.refresh()
        names = stats.GROUPINGS + ("days",)
        start, end = clock.today() - timedelta(days=400), clock.today()
        app.config["STATS_MAX_AGE"] = 10**9
        whole = timed(lambda: stats.rollup_counts(names), 5)
        period = timed(lambda: stats.rollup_counts(names, start, end), 5)
        print(f"  dashboard sums, all time       {whole:8.3f}")
        print(f"  dashboard sums, {start} – {end} {period:6.3f}")
        for table in ("stats_recommendation_days", "stats_recommendation_months"):
            rows = db.session.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
            print(f"  {table:<30} {rows:>8,} rows")
        db.session.rollback()
        db.engine.dispose()


if __name__ == "__main__":
    main()
