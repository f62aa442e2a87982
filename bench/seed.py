"""What the benchmarks seed, in one place: an app on a database of its own (emptied and migrated),
the small scene most benchmarks start from (a lawyer, a monitor, an authority under a ministry,
facilities, a visit), and the national-scale fill of bench/pages.py and bench/load.py (users,
authorities, ~4,000 facilities, then visits, recommendations and their history loaded in bulk).
"""

import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from app.domain import codes  # noqa: E402

PASSWORD = "bench-password-1"
THEMES = list(codes.THEMES)
REGIONS = list(codes.REGIONS)
#: (facility type, share, supervising agency)
TYPES = [
    ("police_custody", 30, "Національна поліція України"),
    ("itt_police", 8, "Національна поліція України"),
    ("prison_colony", 6, "Міністерство юстиції України"),
    ("sizo", 2, "Міністерство юстиції України"),
    ("juvenile_colony", 1, "Міністерство юстиції України"),
    ("social_care_home", 20, "Міністерство соціальної політики України"),
    ("psychiatric_hospital", 8, "Міністерство охорони здоров'я України"),
    ("children_institution", 15, "Міністерство освіти і науки України"),
    ("military", 4, "Міністерство оборони України"),
    ("border_guard", 3, "Державна прикордонна служба України"),
    ("migrant_centre", 1, "Державна міграційна служба України"),
    ("other", 2, "Міністерство юстиції України"),
]
#: (state, share) of recommendations whose visit is more than a year old; newer ones are earlier
#: in their cycle.
OLD_STATES = [
    ("implemented", 28),
    ("partially_implemented", 14),
    ("not_implemented", 12),
    ("rejected", 5),
    ("verified", 14),
    ("no_longer_relevant", 4),
    ("responded", 8),
    ("overdue", 10),
    ("sent_to_authority", 5),
]
NEW_STATES = [
    ("draft", 8),
    ("issued", 12),
    ("sent_to_authority", 30),
    ("overdue", 15),
    ("responded", 20),
    ("implemented", 8),
    ("partially_implemented", 5),
    ("not_implemented", 2),
]
PATHS = {
    "draft": [],
    "issued": ["issue"],
    "sent_to_authority": ["issue", "send"],
    "overdue": ["issue", "send", "mark_overdue"],
    "responded": ["issue", "send", "respond"],
    "no_longer_relevant": ["issue", "send", "withdraw"],
}
for _s in ("implemented", "partially_implemented", "not_implemented", "rejected"):
    PATHS[_s] = ["issue", "send", "respond", f"assess_{_s}"]
PATHS["verified"] = ["issue", "send", "respond", "assess_implemented", "verify"]
VERBS = [
    "Забезпечити",
    "Вжити заходів щодо",
    "Невідкладно усунути",
    "Провести перевірку щодо",
    "Розробити план заходів щодо",
    "Припинити практику",
    "Організувати",
    "Унеможливити",
]
OBJECTS = {
    "treatment": [
        "катування та жорстокого поводження із затриманими",
        "запобігання катуванню під час затримання",
        "розслідування фактів катування",
        "застосування спецзасобів без документування",
        "поводження з особами",
    ],
    "safeguards": [
        "доступу до адвоката з моменту затримання",
        "повідомлення родичів про затримання",
        "ведення журналів обліку затриманих",
        "роз'яснення прав затриманим",
    ],
    "conditions": [
        "доступу до питної води",
        "належного освітлення та вентиляції камер",
        "ремонту санітарних вузлів",
        "забезпечення постільною білизною",
        "опалення приміщень у зимовий період",
    ],
    "regime": [
        "щоденних прогулянок на свіжому повітрі",
        "побачень з родичами",
        "телефонних дзвінків",
        "доступу до бібліотеки та дозвілля",
    ],
    "health": [
        "медичного огляду при поступленні",
        "доступу до лікаря-психіатра",
        "забезпечення ліками",
        "медичного документування тілесних ушкоджень",
    ],
    "staff": [
        "навчання персоналу з прав людини",
        "укомплектування штату медичних працівників",
        "психологічної підтримки персоналу",
    ],
    "vulnerable": [
        "умов тримання осіб з інвалідністю",
        "розумного пристосування приміщень",
        "захисту дітей від насильства",
        "тримання жінок окремо від чоловіків",
    ],
    "legal": [
        "внесення змін до нормативних актів",
        "приведення інструкцій у відповідність до закону",
    ],
    "safety": [
        "облаштування укриття на час повітряної тривоги",
        "евакуації під час обстрілів",
        "пожежної безпеки приміщень",
    ],
}
PLACES = [
    "у камерах",
    "в ізоляторі",
    "у спальних корпусах",
    "у блоці № {n}",
    "у відділенні № {n}",
    "на території установи",
    "у палатах",
    "під час конвоювання",
]


def bench_app(url=None, folder=None, **config):
    """The app as a benchmark runs it: its own instance folder and storage under ``folder`` (a
    new temporary one by default), SQLite there unless ``url`` names a database. ``config``
    adds to or overrides the defaults. The database is not touched: see ``fresh_database``."""
    from app import create_app

    folder = Path(folder or tempfile.mkdtemp(prefix="vidhuk-bench-"))
    settings = {
        "DATABASE_URL": url or f"sqlite:///{folder / 'bench.db'}",
        "INSTANCE_PATH": str(folder / "instance"),
        "STORAGE_DIR": str(folder / "storage"),
        "SECRET_KEY": "bench",
        "PASSWORD_HASH_PARAMS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
    }
    settings.update(config)
    return create_app(settings)


def fresh_database(app):
    """Empty the benchmark's database (on PostgreSQL its schema "public" is dropped) and migrate it."""
    from flask_migrate import upgrade

    from app.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
        upgrade()


def small_scene(facilities=1):
    """A lawyer and a monitor (password ``PASSWORD``), an agency with an e-mail address and a
    head under a ministry, ``facilities`` colonies it supervises and a visit by the monitor to
    the first; committed. Call inside an app context."""
    from app.auth.operations import create_user
    from app.domain.authorities.models import Authority
    from app.domain.facilities.models import Facility
    from app.domain.visits.models import Visit
    from app.extensions import db

    lawyer = create_user("lawyer@bench.local", "Юрист Бенчмарк", "lawyer", PASSWORD)
    monitor = create_user("monitor@bench.local", "Монітор", "monitor", PASSWORD)
    ministry = Authority(
        name="Міністерство юстиції України", kind="ministry", email="minjust@example.org"
    )
    authority = Authority(
        name="Державна кримінально-виконавча служба України",
        kind="agency",
        email="dkvs@example.org",
        head_title="Голові",
        head_name="Іванову І. І.",
        parent=ministry,
    )
    places = [
        Facility(
            name=f"ДУ «Виправна колонія (№ {i + 1})»",
            type="prison_colony",
            region="UA-32",
            authority=authority,
        )
        for i in range(facilities)
    ]
    visit = Visit(
        facility=places[0],
        started_on=date(2026, 1, 10),
        ended_on=date(2026, 1, 11),
        kind="planned",
        monitors=[monitor],
    )
    db.session.add_all([ministry, authority, *places, visit])
    db.session.commit()
    return SimpleNamespace(
        lawyer=lawyer, monitor=monitor, authority=authority, facilities=places, visit=visit
    )


# The national-scale fill (bench/pages.py, bench/load.py).


def seed_registry(app, rnd):
    """Users, authorities, ~4,000 facilities; one recommendation made by the app (pins the
    workflow version). Returns what the bulk fill needs."""
    from app.auth.operations import create_user
    from app.domain.authorities.models import Authority
    from app.domain.facilities.models import Facility
    from app.domain.recommendations.operations import create_recommendation
    from app.domain.visits.models import Visit
    from app.extensions import db

    with app.app_context():
        lawyer = create_user("lawyer@bench.local", "Юрист", "lawyer", PASSWORD)
        monitors = [create_user(f"m{i}@bench.local", f"Монітор {i}", "monitor") for i in range(40)]
        agencies = {name: Authority(name=name, kind="ministry") for _t, _s, name in TYPES}
        regional = {}
        for name, agency in agencies.items():
            for region in REGIONS:
                regional[(name, region)] = Authority(
                    name=f"{name} — {region}",
                    kind="regional_body",
                    parent=agency,
                )
        db.session.add_all([*agencies.values(), *regional.values()])
        weights = [share for _t, share, _a in TYPES]
        facilities = []
        for i in range(4000):
            kind, _share, agency = rnd.choices(TYPES, weights)[0]
            region = rnd.choice(REGIONS)
            facilities.append(
                Facility(
                    name=f"Установа {kind} № {i + 1}",
                    type=kind,
                    region=region,
                    authority=regional[(agency, region)],
                )
            )
        db.session.add_all(facilities)
        db.session.flush()
        first = Visit(
            facility=facilities[0],
            started_on=date(2016, 1, 11),
            ended_on=date(2016, 1, 11),
            kind="planned",
            monitors=monitors[:2],
        )
        db.session.add(first)
        db.session.flush()
        rec = create_recommendation(
            first, {"text": "Забезпечити доступ до питної води", "theme": "conditions"}, lawyer
        )
        db.session.commit()
        return {
            "lawyer_id": lawyer.id,
            "monitor_ids": [m.id for m in monitors],
            "facilities": [(f.id, f.authority_id, f.authority.parent_id) for f in facilities],
            "workflow_version": rec.workflow_version,
            "first_visit": first.id,
        }


def generate(seed, count, rnd):
    """Rows of visits, visit_monitors, recommendations and workflow_history (ids from 2)."""
    visits, members, recs, history = [], [], [], []
    today, hid = date(2026, 11, 27), 10
    per_visit = 10
    for vi in range(count // per_visit):
        vid = vi + 2
        fid, auth, parent = rnd.choice(seed["facilities"])
        start = date(2016, 1, 1) + timedelta(days=rnd.randrange(3950))
        kind = rnd.choices(list(codes.VISIT_KINDS), [50, 20, 15, 10, 5])[0]
        visits.append((vid, fid, start, start + timedelta(days=rnd.choice((0, 0, 1, 2))), kind))
        for uid in rnd.sample(seed["monitor_ids"], 2):
            members.append((vid, uid))
        old = (today - start).days > 365
        for k in range(per_visit):
            rid = vi * per_visit + k + 2
            theme = rnd.choices(THEMES, [14, 12, 22, 10, 14, 6, 9, 5, 8])[0]
            text = (
                f"{rnd.choice(VERBS)} {rnd.choice(OBJECTS[theme])} "
                f"{rnd.choice(PLACES).format(n=rnd.randrange(1, 30))}."
            )
            table = OLD_STATES if old else NEW_STATES
            state = rnd.choices([s for s, _w in table], [w for _s, w in table])[0]
            created = datetime.combine(start, datetime.min.time(), UTC) + timedelta(days=2, hours=8)
            sent = created + timedelta(days=rnd.randrange(5, 30))
            due = (sent + timedelta(days=31)).date() if "send" in PATHS[state] else None
            recs.append(
                (
                    rid,
                    vid,
                    fid,
                    auth if rnd.random() < 0.7 else parent,
                    text,
                    theme,
                    rnd.choice(("urgent", "high", "medium", "medium", "low")),
                    due,
                    seed["lawyer_id"],
                    created,
                    created,
                    state,
                    seed["workflow_version"],
                    1,
                )
            )
            at, previous = created, None
            for name in ["create", *PATHS[state]]:
                if name == "send":
                    at = sent
                elif name == "respond":
                    at = sent + timedelta(days=rnd.choice((9, 15, 20, 28, 30, 35, 45, 60, 90)))
                elif name != "create":
                    at = at + timedelta(days=rnd.randrange(3, 40))
                to = _to_state(name, state)
                history.append(
                    (
                        hid,
                        "recommendations",
                        rid,
                        "recommendation",
                        seed["workflow_version"],
                        name,
                        previous,
                        to,
                        None if name == "mark_overdue" else seed["lawyer_id"],
                        at,
                    )
                )
                hid, previous = hid + 1, to
    return visits, members, recs, history


def _to_state(transition, final):
    targets = {
        "create": "draft",
        "issue": "issued",
        "send": "sent_to_authority",
        "mark_overdue": "overdue",
        "respond": "responded",
        "verify": "verified",
        "withdraw": "no_longer_relevant",
    }
    if transition.startswith("assess_"):
        return transition[len("assess_") :]
    return targets.get(transition, final)


REC_COLS = (
    "id, visit_id, facility_id, authority_id, text, theme, priority, due_on, "
    "created_by_id, created_at, updated_at, state, workflow_version, version"
)
HIST_COLS = (
    "id, subject_type, subject_id, workflow, workflow_version, transition, "
    "from_state, to_state, actor_id, at"
)


def bulk_load(app, rows):
    from app.extensions import db

    visits, members, recs, history = rows
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            _load_postgres(db.engine, visits, members, recs, history)
        else:
            _load_sqlite(db.engine, visits, members, recs, history)


def _load_sqlite(engine, visits, members, recs, history):
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("BEGIN")
        stamp = lambda v: v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # noqa: E731
        cur.executemany(
            "INSERT INTO visits (id, facility_id, started_on, ended_on, kind, summary, "
            "participants, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '', '', "
            "'2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')",
            [(v[0], v[1], v[2].isoformat(), v[3].isoformat(), v[4]) for v in visits],
        )
        cur.executemany("INSERT INTO visit_monitors (visit_id, user_id) VALUES (?, ?)", members)
        cur.executemany(
            f"INSERT INTO recommendations ({REC_COLS}) VALUES ({', '.join('?' * 14)})",
            [
                r[:7] + (r[7] and r[7].isoformat(), r[8], stamp(r[9]), stamp(r[10])) + r[11:]
                for r in recs
            ],
        )
        cur.executemany(
            f"INSERT INTO workflow_history ({HIST_COLS}, params) "
            f"VALUES ({', '.join('?' * 10)}, '{{}}')",
            [h[:9] + (stamp(h[9]),) for h in history],
        )
        cur.execute("COMMIT")
        cur.execute("ANALYZE")
    finally:
        raw.close()


LOADED_AT = datetime(2026, 11, 27, tzinfo=UTC)


def _load_postgres(engine, visits, members, recs, history):
    tables = ("visits", "visit_monitors", "recommendations", "workflow_history")
    with engine.begin() as conn:
        indexes = conn.execute(
            sa.text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(:t) "
                "AND (indexname LIKE 'ix_%' OR indexname LIKE 'fts_%')"
            ),
            {"t": list(tables)},
        ).all()
        for name, _definition in indexes:
            conn.execute(sa.text(f'DROP INDEX "{name}"'))
        conn.execute(
            sa.text("ALTER TABLE workflow_history DISABLE TRIGGER trg_recommendation_timings")
        )
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for table, cols, data in (
            (
                "visits",
                "id, facility_id, started_on, ended_on, kind, created_at, updated_at",
                [v + (LOADED_AT, LOADED_AT) for v in visits],
            ),
            ("visit_monitors", "visit_id, user_id", members),
            ("recommendations", REC_COLS, recs),
            ("workflow_history", HIST_COLS + ", params", [h + ("{}",) for h in history]),
        ):
            with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in data:
                    copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as conn:
        for _name, definition in indexes:
            conn.execute(sa.text(definition))
        conn.execute(
            sa.text(
                "INSERT INTO recommendation_timings (recommendation_id, sent_on, responded_on) "
                "SELECT subject_id, (min(at) FILTER (WHERE transition = 'send') AT TIME ZONE "
                "'Europe/Kyiv')::date, (min(at) FILTER (WHERE transition = 'respond') AT TIME ZONE "
                "'Europe/Kyiv')::date FROM workflow_history WHERE subject_type = 'recommendations' "
                "AND transition IN ('send', 'respond') GROUP BY subject_id "
                "ON CONFLICT DO NOTHING"
            )
        )
        conn.execute(
            sa.text("ALTER TABLE workflow_history ENABLE TRIGGER trg_recommendation_timings")
        )
        for table in tables:
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            ) if table != "visit_monitors" else None
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))


def filled(app, count):
    from app.extensions import db

    with app.app_context():
        try:
            have = db.session.execute(sa.text("SELECT count(*) FROM recommendations")).scalar()
        except sa.exc.DBAPIError:
            return False
        finally:
            db.session.rollback()
    return have >= count
