"""Fifty busy users on two cores: gunicorn (gunicorn.conf.py) and a worker on PostgreSQL with
1,000,000 recommendations, driven by locust (headless) through the real login form.

    PYTHONPATH=. .venv/bin/python bench/load.py --database-url postgresql://…/bench_load
        [--count 1000000] [--users 50] [--seconds 120] [--reuse] [--redis-url redis://…/14]

The database is its own (its schema "public" is dropped and rebuilt unless --reuse finds it
filled). Prints requests/s, p50/p95 over all requests, errors, the slowest pages, the size of
a busy monitor's home page and the statistics roll-up refresh time when nothing changed, beside
the figures measured before this work (10–11 requests/s, p95 ≈ 9 s, monitor home 3.4 MB,
roll-up refresh 12 s).
"""

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import seed as seeding  # noqa: E402

BEFORE = {"rps": "10–11", "p95_ms": "≈ 9,000", "monitor_home": "3.4 MB", "rollup_s": "12"}


def prepare(url, count, reuse):
    app = seeding.bench_app(url, WTF_CSRF_ENABLED=False, SERVER_NAME="localhost")
    if not (reuse and seeding.filled(app, count)):
        rnd = random.Random(20261130)
        started = time.perf_counter()
        seeding.fresh_database(app)
        registry = seeding.seed_registry(app, rnd)
        seeding.bulk_load(app, seeding.generate(registry, count, rnd))
        print(f"filled {count:,} recommendations in {time.perf_counter() - started:.0f} s")
    else:
        from flask_migrate import upgrade

        with app.app_context():
            upgrade()
    return app


def people(app):
    """20 lawyers and 30 monitors who can log in (the monitors are the visits' own), an API
    token, and the ids the users click on."""
    import sqlalchemy as sa

    from app.auth.models import User
    from app.auth.operations import create_user, issue_token, set_password
    from app.extensions import db

    with app.app_context():
        lawyers = []
        for i in range(20):
            email = f"load-lawyer{i}@bench.local"
            user = db.session.scalar(sa.select(User).where(User.email == email))
            lawyers.append(user or create_user(email, f"Юрист {i}", "lawyer", seeding.PASSWORD))
        monitors = db.session.scalars(
            sa.select(User).where(User.role == "monitor").order_by(User.id).limit(30)
        ).all()
        for user in monitors:
            set_password(user, seeding.PASSWORD)
        token = issue_token(lawyers[0])
        db.session.commit()
        pick = "SELECT id FROM {} ORDER BY random() LIMIT 2000"
        ids = {
            "lawyers": [u.email for u in lawyers],
            "monitors": [u.email for u in monitors],
            "token": token,
            "recommendations": list(db.session.scalars(sa.text(pick.format("recommendations")))),
            "facilities": list(
                db.session.scalars(
                    sa.text("SELECT DISTINCT facility_id FROM visits ORDER BY 1 LIMIT 2000")
                )
            ),
        }
        ids["own"] = {user.email: own_cases(user.id) for user in monitors}
        busiest = db.session.execute(
            sa.text(
                "SELECT u.email FROM users u JOIN visit_monitors vm ON vm.user_id = u.id "
                "WHERE u.role = 'monitor' GROUP BY u.email ORDER BY count(*) DESC LIMIT 1"
            )
        ).scalar()
        set_password(
            db.session.scalar(sa.select(User).where(User.email == busiest)), seeding.PASSWORD
        )
        db.session.commit()
        return ids, busiest


def own_cases(user_id):
    """A monitor reads the cases of the facilities of their own visits: ids to click on."""
    import sqlalchemy as sa

    from app.extensions import db

    recs = db.session.scalars(
        sa.text(
            "SELECT r.id FROM recommendations r JOIN visit_monitors vm ON vm.visit_id = r.visit_id"
            " WHERE vm.user_id = :u ORDER BY random() LIMIT 60"
        ),
        {"u": user_id},
    ).all()
    facilities = db.session.scalars(
        sa.text(
            "SELECT DISTINCT v.facility_id FROM visits v JOIN visit_monitors vm"
            " ON vm.visit_id = v.id WHERE vm.user_id = :u LIMIT 60"
        ),
        {"u": user_id},
    ).all()
    return {"recommendations": list(recs), "facilities": list(facilities)}


def start(url, redis_url, port, instance):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "bench-load",
        "VIDHUK_INSTANCE": instance,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESSLOG": "",
    }
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--log-level", "WARNING"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).read()
            return [web, worker]
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def monitor_home_size(port, email):
    import http.cookiejar
    import re

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"email": email, "password": seeding.PASSWORD, "csrf_token": token}
    ).encode()
    opener.open(f"http://127.0.0.1:{port}/login", data=data).read()
    home = opener.open(f"http://127.0.0.1:{port}/")
    body = home.read()
    if home.url.rstrip("/").endswith("/login") or b'name="password"' in body:
        print(f"{email} could not sign in: the monitor home was not measured")
        return None
    return len(body)


def rollup_refresh(app):
    """Seconds the statistics roll-up takes to refresh when nothing changed since the last."""
    from app.domain.search import stats

    with app.app_context():
        stats.refresh()
        started = time.perf_counter()
        stats.refresh()
        return time.perf_counter() - started


def run_locust(port, ids, users, seconds, out):
    env = {
        **os.environ,
        "VIDHUK_LOAD_IDS": json.dumps(ids),
        "VIDHUK_LOAD_PASSWORD": seeding.PASSWORD,
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "load_users.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(max(1, users // 10)),
            "-t",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(out),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    with open(f"{out}_stats.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def report(rows, home_bytes, rollup_s, users, seconds):
    total = next(r for r in rows if r["Name"] == "Aggregated")
    pages_ = sorted(
        (r for r in rows if r["Name"] != "Aggregated"), key=lambda r: -float(r["95%"] or 0)
    )
    print(f"\n{users} users for {seconds} s (think time 1–4 s; 2 in 5 lawyers)")
    print(f"  requests/s      {float(total['Requests/s']):8.1f}   (before: {BEFORE['rps']})")
    print(
        f"  p50 / p95 ms    {total['50%']:>5} / {total['95%']:<6} (before: p95 {BEFORE['p95_ms']})"
    )
    print(f"  requests        {total['Request Count']:>8}   errors {total['Failure Count']}")
    home = "not measured" if home_bytes is None else f"{home_bytes / 1024:8.1f} KB"
    print(f"  monitor home    {home} (before: {BEFORE['monitor_home']})")
    print(
        f"  roll-up refresh {rollup_s:8.2f} s  with nothing changed (before: {BEFORE['rollup_s']} s)"
    )
    print("  slowest pages (p95 ms):")
    for row in pages_[:6]:
        print(f"    {row['Name']:<32} {row['95%']:>6}  ({row['Request Count']} requests)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("bench/load.py runs on PostgreSQL (as an office does)")
    app = prepare(args.database_url, args.count, args.reuse)
    ids, busiest = people(app)
    rollup_s = rollup_refresh(app)
    instance = tempfile.mkdtemp()
    procs = start(args.database_url, args.redis_url, args.port, instance)
    try:
        home = monitor_home_size(args.port, busiest)
        rows = run_locust(args.port, ids, args.users, args.seconds, Path(instance) / "locust")
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)
    report(rows, home, rollup_s, args.users, args.seconds)


if __name__ == "__main__":
    main()
