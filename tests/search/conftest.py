"""Fixtures for search, statistics and exports: a second authority tree, facilities of other
types and regions, visits in two years, and a clock for the workflow history."""

from datetime import UTC, date, datetime

import pytest


@pytest.fixture
def clock(monkeypatch):
    """Set the time the workflow engine writes in history rows: clock(datetime in UTC)."""

    def set_to(moment):
        monkeypatch.setattr("app.workflow.engine.utcnow", lambda: moment)

    return set_to


@pytest.fixture
def world(db, registry, users):
    """The registry plus: the National Police with a regional HQ under it, a police ITT in Lviv
    Oblast (2025 follow-up visit) and a care home in Kyiv (2025 thematic visit)."""
    from app.domain.authorities.models import Authority
    from app.domain.facilities.models import Facility
    from app.domain.visits.models import Visit

    police = Authority(name="Національна поліція України", kind="agency")
    lviv_hq = Authority(name="ГУНП у Львівській області", kind="regional_body", parent=police)
    council = Authority(name="Київська міська рада", kind="local_council")
    itt = Facility(
        name="ІТТ ГУНП у Львівській області", type="itt_police", region="UA-46", authority=lviv_hq
    )
    home = Facility(
        name="Святошинський психоневрологічний інтернат",
        type="social_care_home",
        region="UA-30",
        authority=council,
    )
    itt_visit = Visit(
        facility=itt,
        started_on=date(2025, 6, 2),
        ended_on=date(2025, 6, 2),
        kind="follow_up",
        monitors=[users["monitor"]],
    )
    home_visit = Visit(
        facility=home,
        started_on=date(2025, 11, 20),
        ended_on=date(2025, 11, 21),
        kind="thematic",
        monitors=[users["monitor"]],
    )
    db.session.add_all([police, lviv_hq, council, itt, home, itt_visit, home_visit])
    db.session.commit()
    return {
        **registry,
        "police": police,
        "lviv_hq": lviv_hq,
        "council": council,
        "itt": itt,
        "home": home,
        "itt_visit": itt_visit,
        "home_visit": home_visit,
    }


@pytest.fixture
def advance(db, users, clock, send_recs, answer_act):
    """Move a recommendation along a path of transitions, each at a given UTC time, the way
    people do it: "send" sends a real act carrying it (dated that day; the recommendation keeps
    the due date it was made with), "respond" records the authority's answer to that act,
    "mark_overdue" is the system's.

    advance(rec, "issue", ("send", datetime), ("respond", datetime), "assess_implemented",
            ("verify", datetime, {"visit_id": follow_up.id}))
    """
    from app.core.clock import to_kyiv
    from app.domain.recommendations.operations import fire, update_recommendation

    def run(rec, *steps):
        for step in steps:
            name, moment, params = (
                (tuple(step) + (None, None))[:3] if isinstance(step, tuple) else (step, None, None)
            )
            moment = moment or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
            clock(moment)
            if name == "send":
                planned = rec.due_on
                # Handed over the day it was sent: the authority's receipt, from which the
                # days to answer are counted (by hand in test_stats), is the sending day.
                day = to_kyiv(moment).date()
                send_recs([rec], sent_on=day, received_on=day)
                if planned is not None and rec.due_on != planned:
                    # The figures are counted by hand against these dates: the lawyer sets
                    # the recommendation's own due date, as the page allows once it is sent.
                    update_recommendation(rec, {"due_on": planned}, users["lawyer"])
                    db.session.commit()
            elif name == "respond":
                answer_act(rec.acts[-1], received_on=to_kyiv(moment).date())
            else:
                actor = None if name == "mark_overdue" else users["lawyer"]
                if name == "withdraw":
                    params = {"comment": "—"}
                fire(rec, name, actor, params)
                db.session.commit()
            db.session.refresh(rec)
        return rec

    return run


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_rollup(app):
    """Figures always recounted (on PostgreSQL the roll-up is refreshed before each read)."""
    saved = app.config.get("STATS_MAX_AGE")
    app.config["STATS_MAX_AGE"] = 0
    yield
    if saved is None:
        app.config.pop("STATS_MAX_AGE", None)
    else:
        app.config["STATS_MAX_AGE"] = saved


@pytest.fixture
def cases(world, users, make_rec, advance):
    """Eleven recommendations whose figures are counted by hand in test_stats.py.

    Visits: V1 2026-03-10 planned prison colony UA-32; V2 2025-06-02 follow-up ITT UA-46;
    V3 2025-11-20 thematic care home UA-30.
    """
    w = world
    v1, v2, v3 = w["visit"], w["itt_visit"], w["home_visit"]

    def rec(key, text, theme, visit, authority, due_on=None):
        return make_rec(text, theme=theme, visit=visit, authority_id=w[authority].id, due_on=due_on)

    r = {
        "a": rec(
            "a",
            "Забезпечити доступ до питної води у камерах",
            "conditions",
            v1,
            "agency",
            date(2026, 4, 20),
        ),
        "b": rec(
            "b",
            "Припинити практику катування затриманих під час допитів",
            "treatment",
            v1,
            "agency",
            date(2026, 4, 20),
        ),
        "c": rec(
            "c",
            "Забезпечити медичний огляд кожної особи",
            "health",
            v1,
            "ministry",
            date(2026, 4, 21),
        ),
        "d": rec(
            "d", "Відремонтувати систему вентиляції", "conditions", v1, "agency", date(2026, 4, 20)
        ),
        "e": rec(
            "e",
            "Облаштувати укриття на час повітряної тривоги",
            "safety",
            v1,
            "agency",
            date(2099, 1, 1),
        ),
        "f": rec("f", "Запобігати катуванню та жорстокому поводженню", "safeguards", v1, "agency"),
        "g": rec(
            "g",
            "Документувати тілесні ушкодження; розслідувати скарги на катування",
            "treatment",
            v2,
            "lviv_hq",
            date(2025, 7, 1),
        ),
        "h": rec(
            "h",
            "Повідомляти родичів про затримання",
            "safeguards",
            v2,
            "lviv_hq",
            date(2025, 7, 10),
        ),
        "i": rec(
            "i",
            "Забезпечити розумне пристосування для осіб з інвалідністю",
            "vulnerable",
            v3,
            "council",
            date(2025, 12, 25),
        ),
        "j": rec("j", "Організувати щоденні прогулянки", "regime", v3, "council"),
        "k": rec("k", "Забезпечити ліками", "health", v3, "council"),
    }
    advance(
        r["a"],
        "issue",
        ("send", utc(2026, 3, 20, 10)),
        ("respond", utc(2026, 4, 10, 9)),
        "assess_implemented",
    )
    follow_up = _follow_up_visit(w, users)
    advance(
        r["b"],
        "issue",
        ("send", utc(2026, 3, 20, 10)),
        ("respond", utc(2026, 4, 25, 9)),
        "assess_implemented",
        ("verify", None, {"visit_id": follow_up.id}),
    )
    advance(
        r["c"],
        "issue",
        ("send", utc(2026, 3, 21, 10)),
        ("respond", utc(2026, 4, 21, 12)),
        "assess_partially_implemented",
    )
    advance(r["d"], "issue", ("send", utc(2026, 3, 20, 10)), "mark_overdue")
    advance(r["e"], "issue", ("send", utc(2026, 3, 20, 10)))
    advance(r["g"], "issue", ("send", utc(2025, 6, 5, 10)))
    # 22:30 UTC on 10 July is 01:30 on 11 July in Kyiv (summer time): one day late.
    advance(r["h"], "issue", ("send", utc(2025, 6, 10, 10)), ("respond", utc(2025, 7, 10, 22, 30)))
    advance(
        r["i"],
        "issue",
        ("send", utc(2025, 11, 25, 10)),
        ("respond", utc(2025, 12, 1, 9)),
        "assess_rejected",
    )
    advance(r["j"], "issue", "withdraw")
    advance(r["k"], "issue")
    return r


def _follow_up_visit(w, users):
    """The monitor's follow-up visit to the colony after the submissions of March 2026."""
    from app.domain.visits.models import Visit
    from app.extensions import db

    visit = Visit(
        facility=w["facility"],
        started_on=date(2026, 5, 12),
        ended_on=date(2026, 5, 12),
        kind="follow_up",
        monitors=[users["monitor"]],
    )
    db.session.add(visit)
    db.session.commit()
    return visit
