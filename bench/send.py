"""Sending an act: the request that registers it against the old path that rendered the final
DOCX and PDF inside the same transaction (holding the year's counter row).

    .venv/bin/python bench/send.py [--sends 40] [--inline 10] [--parallel 20]
        [--database-url postgresql://postgres@127.0.0.1:5432/bench] [--redis-url redis://…]

On a fresh database (a temporary SQLite file by default; the given PostgreSQL database's public
schema is dropped and made again), prints:

* the send request (POST /api/v1/acts/{id}/transitions, by e-mail) in ms, p50/p95, and the old
  path measured in the same run: the same transition with the registered documents rendered
  inline before the commit (the renderer is called here, in the bench; the app has no such
  option), and their ratio;
* ``--parallel`` requests sending at once (threads), each path: wall time, and the numbers
  given — how many, gaps, duplicates.

Figures only: timings depend on the machine. The documents and e-mails of the new path are made
by the workers later; here no worker runs (the jobs wait in Redis under a throw-away prefix).
"""

import argparse
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed as seeding  # noqa: E402

from app.extensions import db  # noqa: E402


def scene(count):
    """The small scene and ``count`` draft acts whose draft documents count as ready (the guard
    of ``send``; their rendering is not what is measured)."""
    from app.auth.operations import issue_token
    from app.domain.acts.models import Act
    from app.domain.acts.operations import create_act
    from app.domain.recommendations.operations import create_recommendation, fire

    base = seeding.small_scene()
    lawyer, authority, visit = base.lawyer, base.authority, base.visit
    ids = []
    for i in range(count):
        rec = create_recommendation(
            visit,
            {"text": f"Забезпечити доступ до питної води ({i})", "theme": "conditions"},
            lawyer,
        )
        fire(rec, "issue", lawyer)
        ids.append(create_act("submission", authority.id, [rec.id], lawyer).id)
    db.session.execute(sa.update(Act).where(Act.id.in_(ids)).values(documents_status="ready"))
    token = issue_token(lawyer)
    db.session.commit()
    return lawyer.id, token, ids


def send_request(client, token, act_id):
    started = time.perf_counter()
    response = client.post(
        f"/api/v1/acts/{act_id}/transitions",
        json={"name": "send", "channel": "email"},
        headers={"Authorization": f"Bearer {token}"},
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.get_json()
    return elapsed


def send_inline(app, lawyer_id, act_id):
    """The old path: the transition, then the registered documents rendered and stored before
    the commit, while the counter row stays locked."""
    from app.auth.models import User
    from app.domain.acts import documents
    from app.domain.acts.models import Act
    from app.domain.acts.operations import fire

    with app.app_context():
        started = time.perf_counter()
        act = db.session.get(Act, act_id)
        fire(act, "send", db.session.get(User, lawyer_id), {"channel": "email"})
        documents.write_documents(act, final=True)
        db.session.commit()
        elapsed = time.perf_counter() - started
        db.session.remove()
    return elapsed


def at_once(run, ids):
    barrier = threading.Barrier(len(ids), timeout=120)
    errors = []

    def one(act_id):
        barrier.wait()
        try:
            run(act_id)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in ids]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, errors


def numbers_report(app, ids):
    from app.domain.acts.models import Act

    with app.app_context():
        seqs = sorted(db.session.scalars(sa.select(Act.outgoing_seq).where(Act.id.in_(ids))))
        db.session.remove()
    given = [s for s in seqs if s is not None]
    gaps = (given[-1] - given[0] + 1 - len(set(given))) if given else 0
    return len(given), gaps, len(given) - len(set(given))


def ms(values, q):
    values = sorted(values)
    return 1000 * values[min(len(values) - 1, int(q * len(values)))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=40)
    parser.add_argument("--inline", type=int, default=10)
    parser.add_argument("--parallel", type=int, default=20)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="vidhuk-bench-send-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    redis = {"REDIS_URL": args.redis_url} if args.redis_url else {}
    app = seeding.bench_app(
        url,
        folder,
        REDIS_PREFIX=f"vidhuk-bench-{uuid.uuid4().hex[:8]}",
        RATELIMIT_ENABLED=False,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 30, "max_overflow": 10},
        **redis,
    )
    seeding.fresh_database(app)
    total = 2 + args.sends + args.inline + 2 * args.parallel
    with app.app_context():
        lawyer_id, token, ids = scene(total)
        db.session.remove()
    client = app.test_client()
    send_request(client, token, ids[0])  # warm-up, not measured: first request, first render
    send_inline(app, lawyer_id, ids[1])
    ids = ids[2:]
    sends, rest = ids[: args.sends], ids[args.sends :]
    inline, rest = rest[: args.inline], rest[args.inline :]
    par_new, par_old = rest[: args.parallel], rest[args.parallel :]
    new = [send_request(client, token, i) for i in sends]
    old = [send_inline(app, lawyer_id, i) for i in inline]
    print(f"database: {url.split(':')[0]}")
    print(
        f"send request   n={len(new):4d}  p50 {ms(new, 0.5):8.1f} ms  p95 {ms(new, 0.95):8.1f} ms"
    )
    print(
        f"old, inline    n={len(old):4d}  p50 {ms(old, 0.5):8.1f} ms  p95 {ms(old, 0.95):8.1f} ms"
    )
    print(
        f"ratio p95 old/new: {ms(old, 0.95) / ms(new, 0.95):.1f}x  (target: request p95 < 150 ms)"
    )
    if args.parallel:
        wall_new, err_new = at_once(lambda i: send_request(app.test_client(), token, i), par_new)
        wall_old, err_old = at_once(lambda i: send_inline(app, lawyer_id, i), par_old)
        for label, wall, errors, group in (
            ("requests", wall_new, err_new, par_new),
            ("old, inline", wall_old, err_old, par_old),
        ):
            given, gaps, twins = numbers_report(app, group)
            print(
                f"{len(group)} at once, {label:11s}: {wall * 1000:8.0f} ms wall, numbers {given}, "
                f"gaps {gaps}, duplicates {twins}, errors {len(errors)}"
            )
        print(f"ratio wall old/new: {wall_old / wall_new:.1f}x")
        given, gaps, twins = numbers_report(app, ids)  # after the two warm-ups
        print(f"whole run: {given} numbers, gaps {gaps}, duplicates {twins}")
        if err_new or err_old or gaps or twins:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
