"""Pages at national scale: the filtered list, a search, the dashboard, a facility page and a
recommendation's case file (an ordinary case, and heavy ones with 30 acts and 30 answers: the
same queries, see bench/cases.py), each timed through the app (Flask test client, logged in)
beside the same queries in raw SQL.

    PYTHONPATH=. .venv/bin/python bench/pages.py [--database-url URL] [--count N]
        [--rounds 30] [--reuse]

Without --database-url: SQLite in a temporary file, 200,000 recommendations. With a PostgreSQL
URL (a database of its own: its schema "public" is dropped and rebuilt): 1,000,000. --reuse
keeps a filled PostgreSQL database from an earlier run. Prints p50 and p95 in milliseconds and
the ratio page / raw SQL (p50 and p95).
"""

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases  # noqa: E402  (acts and answers for the case-file pages)
import seed as seeding  # noqa: E402

MEASURES = """count(*) AS total,
    sum(CASE WHEN r.state IN ('implemented', 'verified') THEN 1 ELSE 0 END) AS implemented,
    sum(CASE WHEN r.state = 'partially_implemented' THEN 1 ELSE 0 END) AS partially,
    sum(CASE WHEN r.state = 'overdue' OR (r.state = 'sent_to_authority' AND r.due_on < :today)
        THEN 1 ELSE 0 END) AS overdue,
    sum(CASE WHEN t.responded_on IS NOT NULL THEN 1 ELSE 0 END) AS answered,
    sum(CASE WHEN t.sent_on IS NOT NULL AND r.due_on IS NOT NULL
        AND (t.responded_on IS NOT NULL OR r.due_on < :today) THEN 1 ELSE 0 END) AS settled,
    sum(CASE WHEN t.responded_on <= r.due_on THEN 1 ELSE 0 END) AS in_time"""
BASE = """FROM recommendations r JOIN facilities f ON f.id = r.facility_id
    JOIN visits v ON v.id = r.visit_id
    LEFT JOIN recommendation_timings t ON t.recommendation_id = r.id
    WHERE r.state <> 'draft' {period}"""
SQLITE_DIMS = [
    "r.state",
    "r.authority_id",
    "f.region",
    "f.type",
    "r.theme",
    "CAST(strftime('%Y', v.started_on) AS INTEGER)",
    "CAST(julianday(t.responded_on) - julianday(t.sent_on) AS INTEGER)",
]


def raw_dashboard(dialect, period):
    """The dashboard's statements, written by hand: on PostgreSQL the roll-up's freshness and
    its sums over the period; on SQLite the live count."""
    if dialect == "postgresql":
        # All time: the monthly sums; a period: its days (the app reads whole months instead).
        table = "stats_recommendation_days" if period else "stats_recommendation_months"
        where = "AND visit_on >= :start AND visit_on <= :end" if period else ""
        sums = ", ".join(
            f"sum({m})"
            for m in (
                "total",
                "implemented",
                "partially",
                "overdue",
                "answered",
                "settled",
                "in_time",
            )
        )
        return [
            "SELECT refreshed_at FROM stats_rollup_state",
            f"SELECT dim, key, {sums} FROM {table} WHERE dim IN ('state', "
            f"'authority', 'region', 'facility_type', 'theme', 'days') {where} GROUP BY dim, key "
            f"UNION ALL SELECT 'year', CAST(CAST(extract(year FROM visit_on) AS INTEGER) AS TEXT), "
            f"{sums} FROM {table} WHERE dim = 'state' {where} GROUP BY 2",
        ]
    where = "AND v.started_on >= :start AND v.started_on <= :end" if period else ""
    base = BASE.format(period=where)
    flags = ", ".join(f"{d} AS d{i}" for i, d in enumerate(SQLITE_DIMS))
    sums = MEASURES.replace("count(*) AS total,", "").replace("sum(", "(")
    branches = " UNION ALL ".join(
        f"SELECT '{i}' AS dim, CAST(d{i} AS TEXT) AS k, count(*) AS total, sum(implemented), "
        f"sum(partially), sum(overdue), sum(answered), sum(settled), sum(in_time) "
        f"FROM base GROUP BY d{i}"
        for i in range(len(SQLITE_DIMS))
    )
    return [f"WITH base AS MATERIALIZED (SELECT {flags}, {sums} {base}) {branches}"]


def list_raw(state, theme):
    """/recommendations/: the exact count and the first page (the page loads names per row)."""
    cond = "r.state = :state AND r.theme = :theme"

    def run(conn, dialect):
        params = {"state": state, "theme": theme}
        conn.execute(sa.text(f"SELECT count(*) FROM recommendations r WHERE {cond}"), params).all()
        conn.execute(sa.text(PAGE.format(cond=cond)), params).all()

    return run


PAGE = (
    "SELECT r.id, r.text, r.state, r.due_on, f.name, a.name FROM recommendations r "
    "JOIN facilities f ON f.id = r.facility_id JOIN authorities a ON a.id = r.authority_id "
    "WHERE {cond} ORDER BY r.id DESC LIMIT 20"
)
PAGE_RANKED = (
    "SELECT r.id, r.text, r.state, r.due_on, f.name, a.name FROM recommendations r "
    "JOIN facilities f ON f.id = r.facility_id "
    "JOIN authorities a ON a.id = r.authority_id WHERE {cond} "
    "ORDER BY {rank}, r.id DESC LIMIT 20"
)
CAP = 10_000
#: Matches ranked by relevance at most (app.domain.search.queries.RANK_LIMIT).
RANK_LIMIT = 1000


def rank_sql(dialect):
    """The relevance of r's text to :q, best first (as app.domain.search.text.rank_order)."""
    if dialect == "postgresql":
        return (
            "ts_rank(to_tsvector('simple'::regconfig, r.text), "
            "to_tsquery('simple'::regconfig, :q)) DESC"
        )
    return (
        "(SELECT rank FROM fts_recommendations WHERE fts_recommendations MATCH :q AND rowid = r.id)"
    )


def words_sql(dialect, words):
    """(condition, params) of the full-text match, as app.domain.search.text.match_clause."""
    if dialect == "postgresql":
        return (
            "to_tsvector('simple'::regconfig, r.text) @@ to_tsquery('simple'::regconfig, :q)",
            {"q": " & ".join(f"{w}:*" for w in words)},
        )
    return (
        "r.id IN (SELECT rowid FROM fts_recommendations WHERE fts_recommendations MATCH :q)",
        {"q": " ".join(f'"{w}"*' for w in words)},
    )


def queue_raw(words=(), **equal):
    """/recommendations/ with filters (and words: the capped count that decides whether the page
    is ranked, then best match first): the exact count and the first page."""

    def run(conn, dialect):
        where = [f"r.{k} = :{k}" if v != "none" else f"r.{k} IS NULL" for k, v in equal.items()]
        params = {k: v for k, v in equal.items() if v != "none"}
        if words:
            cond, extra = words_sql(dialect, words)
            where.append(cond)
            params.update(extra)
        cond = " AND ".join(where) or "1 = 1"
        ranked = False
        if words:
            ranked = (
                conn.execute(
                    sa.text(
                        f"SELECT count(*) FROM (SELECT r.id FROM recommendations r WHERE {cond} "
                        f"LIMIT {RANK_LIMIT + 1}) s"
                    ),
                    params,
                ).scalar()
                <= RANK_LIMIT
            )
        conn.execute(sa.text(f"SELECT count(*) FROM recommendations r WHERE {cond}"), params).all()
        page = PAGE_RANKED.format(cond=cond, rank=rank_sql(dialect)) if ranked else PAGE
        conn.execute(sa.text(page.format(cond=cond)), params).all()
        conn.rollback()

    return run


def search_raw(words=(), **facility):
    """/search: facility ids first, the count up to CAP (bitmaps only on PostgreSQL when there
    are words), then the first page, in the plan the count chose."""

    def run(conn, dialect):
        where, params = [], {}
        if facility:
            cols = " AND ".join(f"{k} = :{k}" for k in facility)
            ids = [
                r[0]
                for r in conn.execute(sa.text(f"SELECT id FROM facilities WHERE {cols}"), facility)
            ] or [-1]
            where.append(f"r.facility_id IN ({', '.join(map(str, ids))})")
        postgres = dialect == "postgresql"
        if words and postgres:
            where.append(
                "to_tsvector('simple'::regconfig, r.text) @@ to_tsquery('simple'::regconfig, :q)"
            )
            params["q"] = " & ".join(f"{w}:*" for w in words)
        elif words:
            where.append(
                "r.id IN (SELECT rowid FROM fts_recommendations WHERE fts_recommendations MATCH :q)"
            )
            params["q"] = " ".join(f'"{w}"*' for w in words)
        cond = " AND ".join(where) or "1 = 1"
        bitmaps = bool(words) and postgres
        if bitmaps:
            conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
            conn.execute(sa.text("SET LOCAL enable_indexscan = off"))
        count = conn.execute(
            sa.text(
                f"SELECT count(*) FROM (SELECT r.id FROM recommendations r WHERE {cond} "
                f"LIMIT {CAP + 1}) s"
            ),
            params,
        ).scalar()
        if bitmaps and count > CAP:
            conn.execute(sa.text("SET LOCAL enable_seqscan TO DEFAULT"))
            conn.execute(sa.text("SET LOCAL enable_indexscan TO DEFAULT"))
        # Words: best match first when the matches are few enough to rank.
        page = (
            PAGE_RANKED.format(cond=cond, rank=rank_sql(dialect))
            if (words and count <= RANK_LIMIT)
            else PAGE.format(cond=cond)
        )
        conn.execute(sa.text(page), params).all()
        conn.rollback()

    return run


def sql_raw(statements, params):
    def run(conn, dialect):
        for sql in statements:
            conn.execute(sa.text(sql), {k: v for k, v in params.items() if f":{k}" in sql}).all()
        conn.rollback()

    return run


def scenarios(dialect, facility_ids, authority_ids=(), case_ids=((), ())):
    """name → [(page URL, raw function)] (variants, used in turn)."""
    today = {"today": date.today()}
    out = {
        "list": [],
        "queue": [],
        "queue q": [],
        "filtered": [],
        "search": [],
        "dashboard": [],
        "facility": [],
        "lists": [],
        "case": [],
        "case-heavy": [],
    }
    for name, ids in zip(("case", "case-heavy"), case_ids, strict=True):
        out[name] = [(f"/recommendations/{i}", sql_raw(cases.CASE_SQL, {"id": i})) for i in ids]
    for aid, state in zip(
        authority_ids, ("overdue", "responded", "sent_to_authority", "issued"), strict=False
    ):
        out["queue"].append(
            (
                f"/recommendations/?authority_id={aid}&state={state}",
                queue_raw(authority_id=aid, state=state),
            )
        )
    for fid, theme in zip(facility_ids, ("health", "safety"), strict=False):
        out["queue"].append(
            (
                f"/recommendations/?facility_id={fid}&lawyer_id=none&theme={theme}",
                queue_raw(facility_id=fid, lawyer_id="none", theme=theme),
            )
        )
    for q, words, state in (
        ("укриття тривоги", ["укрит", "тривог"], None),
        ("катуванню", ["катуван"], "overdue"),
        ("питної води", ["питн", "вод"], None),
    ):
        url = f"/recommendations/?q={q}" + (f"&state={state}" if state else "")
        out["queue q"].append((url, queue_raw(words, **({"state": state} if state else {}))))
    for url, sql in (
        (
            "/facilities/?type=police_custody",
            "SELECT count(*) FROM facilities WHERE type = "
            "'police_custody'; SELECT * FROM facilities WHERE type = 'police_custody' "
            "ORDER BY name LIMIT 20",
        ),
        (
            "/visits/",
            "SELECT count(*) FROM visits; SELECT * FROM visits ORDER BY started_on DESC LIMIT 20",
        ),
        ("/acts/", "SELECT count(*) FROM acts; SELECT * FROM acts ORDER BY id DESC LIMIT 20"),
        ("/deadlines/", "SELECT count(*) FROM deadlines; SELECT * FROM deadlines LIMIT 20"),
    ):
        out["lists"].append((url, sql_raw(sql.split("; "), {})))
    for state, theme in (
        ("sent_to_authority", "conditions"),
        ("implemented", "health"),
        ("overdue", "treatment"),
        ("responded", "safety"),
    ):
        out["list"].append(
            (f"/recommendations/?state={state}&theme={theme}", list_raw(state, theme))
        )
    for kind, region in (
        ("police_custody", "UA-32"),
        ("social_care_home", "UA-46"),
        ("prison_colony", "UA-12"),
        ("children_institution", "UA-63"),
    ):
        out["filtered"].append(
            (f"/search?facility_type={kind}&region={region}", search_raw(type=kind, region=region))
        )
    for q, words, region in (
        ("катуванню", ["катуван"], None),
        ("питної води", ["питн", "вод"], "UA-32"),
        ("укриття тривоги", ["укрит", "тривог"], None),
        ("Катування", ["катуван"], "UA-46"),
        ("катування укриття", ["катуван", "укрит"], None),
    ):
        url = f"/search?q={q}" + (f"&region={region}" if region else "")
        out["search"].append((url, search_raw(words, **({"region": region} if region else {}))))
    out["dashboard"].append(("/dashboard", sql_raw(raw_dashboard(dialect, False), today)))
    out["dashboard"].append(
        (
            "/dashboard?from=2025-01-01&to=2025-12-31",
            sql_raw(
                raw_dashboard(dialect, True),
                {**today, "start": date(2025, 1, 1), "end": date(2025, 12, 31)},
            ),
        )
    )
    for fid in facility_ids:
        out["facility"].append(
            (
                f"/facilities/{fid}",
                sql_raw(
                    [
                        "SELECT * FROM facilities WHERE id = :id",
                        "SELECT * FROM authorities WHERE id = (SELECT authority_id FROM facilities WHERE id = :id)",
                        "SELECT * FROM visits WHERE facility_id = :id ORDER BY started_on DESC",
                        # The timeline: the facility's recommendations with their acts.
                        "SELECT r.*, ar.act_id FROM recommendations r LEFT JOIN act_recommendations ar "
                        "ON ar.recommendation_id = r.id WHERE r.facility_id = :id ORDER BY r.id",
                    ],
                    {"id": fid},
                ),
            )
        )
    return out


def measure(app, rounds):
    """{scenario: (page times, raw times)} in milliseconds."""
    from app.extensions import db

    client = app.test_client()
    response = client.post(
        "/login", data={"email": "lawyer@bench.local", "password": seeding.PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    with app.app_context():
        dialect = db.engine.dialect.name
        facility_ids = [
            row[0]
            for row in db.session.execute(
                sa.text("SELECT id FROM facilities ORDER BY id LIMIT 4 OFFSET 100")
            )
        ]
        authority_ids = [
            row[0]
            for row in db.session.execute(
                sa.text(
                    "SELECT authority_id FROM facilities GROUP BY authority_id "
                    "ORDER BY count(*) DESC LIMIT 4"
                )
            )
        ]
        engine = db.engine
    results = {}
    with engine.connect() as conn:
        for name, variants in scenarios(
            dialect, facility_ids, authority_ids, cases.case_ids(app)
        ).items():
            if not variants:
                continue
            pages, raws = [], []
            for i in range(rounds + 3):
                url, raw = variants[i % len(variants)]
                started = time.perf_counter()
                response = client.get(url)
                page_ms = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    print(f"{name}: {url} answered {response.status_code}; not measured")
                    break
                started = time.perf_counter()
                raw(conn, dialect)
                raw_ms = (time.perf_counter() - started) * 1000
                if i >= 3:  # the first rounds warm the caches
                    pages.append(page_ms)
                    raws.append(raw_ms)
            results[name] = (pages, raws)
    return results


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(results, label):
    print(f"\n{label}")
    print(
        f"{'':10} {'page p50':>9} {'page p95':>9} {'raw p50':>9} {'raw p95':>9} "
        f"{'ratio p50':>9} {'ratio p95':>9}"
    )
    for name, (pages, raws) in results.items():
        if not pages:
            continue
        p50, p95, r50, r95 = (
            percentile(pages, 50),
            percentile(pages, 95),
            percentile(raws, 50),
            percentile(raws, 95),
        )
        print(
            f"{name:10} {p50:9.1f} {p95:9.1f} {r50:9.1f} {r95:9.1f} "
            f"{p50 / r50:9.2f} {p95 / r95:9.2f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--count", type=int)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="keep a filled PostgreSQL database")
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args()
    postgres = (args.database_url or "").startswith("postgres")
    count = args.count or (1_000_000 if postgres else 200_000)
    app = seeding.bench_app(args.database_url, WTF_CSRF_ENABLED=False, SERVER_NAME="localhost")
    if not (args.reuse and seeding.filled(app, count)):
        rnd = random.Random(args.seed)
        started = time.perf_counter()
        seeding.fresh_database(app)
        registry = seeding.seed_registry(app, rnd)
        rows = seeding.generate(registry, count, rnd)
        seeding.bulk_load(app, rows)
        cases.fill(app, registry["lawyer_id"])
        print(
            f"filled {count:,} recommendations, {len(rows[0]):,} visits, "
            f"{len(rows[3]):,} history rows in {time.perf_counter() - started:.0f} s"
        )
    else:
        from flask_migrate import upgrade

        with app.app_context():
            upgrade()  # migrations added since the database was filled
    if postgres:
        started = time.perf_counter()
        with app.app_context():
            from app.domain.search import stats

            stats.refresh()  # what the periodic job does every minute
        print(f"statistics roll-up refreshed in {time.perf_counter() - started:.1f} s")
    results = measure(app, args.rounds)
    report(
        results,
        f"{'PostgreSQL' if postgres else 'SQLite'}, {count:,} recommendations, "
        f"{args.rounds} rounds, milliseconds",
    )
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()


if __name__ == "__main__":
    main()
