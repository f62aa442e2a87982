"""Registry pages: lists with search, filters and pagination; detail; forms; role rules; bad input."""

import sqlalchemy as sa

from app.domain.authorities.models import Authority
from app.domain.facilities.models import Facility
from app.domain.visits.models import Visit


def count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_every_role_reads_the_registries(db, users, registry, client_for):
    r = registry
    for role in ("admin", "lawyer", "monitor"):
        client = client_for(users[role])
        for path, text in [
            ("/authorities/", r["ministry"].name),
            (f"/authorities/{r['agency'].id}", r["ministry"].name),
            ("/facilities/", r["facility"].name),
            (f"/facilities/{r['facility'].id}", "Державна кримінально-виконавча служба України"),
            ("/visits/", "10.03.2026"),
            (f"/visits/{r['visit'].id}", "Переповненість."),
        ]:
            response = client.get(path)
            assert response.status_code == 200, (role, path)
            assert text in response.get_data(as_text=True), (role, path)


def test_list_search_filters_and_pagination(db, users, registry, client_for):
    for i in range(30):
        db.session.add(Authority(name=f"Обласна рада {i:02d}", kind="local_council"))
    db.session.commit()
    client = client_for(users["lawyer"])
    html = client.get("/authorities/?kind=local_council&per_page=10&page=2").get_data(as_text=True)
    assert "Обласна рада 10" in html and "Обласна рада 09" not in html
    assert "Знайдено: 30" in html
    html = client.get("/authorities/?q=юстиції").get_data(as_text=True)
    assert "Міністерство юстиції України" in html and "Обласна рада" not in html
    html = client.get("/facilities/?region=UA-46").get_data(as_text=True)
    assert "Бучанська" not in html and "Нічого не знайдено." in html
    html = client.get("/facilities/?type=prison_colony&region=UA-32").get_data(as_text=True)
    assert "Бучанська" in html
    html = client.get("/visits/?q=бучанська").get_data(as_text=True)
    assert "10.03.2026" in html
    html = client.get("/visits/?kind=remote").get_data(as_text=True)
    assert "10.03.2026" not in html


def test_monitor_sees_own_visits(db, users, registry, client_for, make_user):
    other = make_user("monitor")
    html = client_for(other).get("/visits/?mine=1").get_data(as_text=True)
    assert "10.03.2026" not in html
    html = client_for(users["monitor"]).get("/visits/?mine=1").get_data(as_text=True)
    assert "10.03.2026" in html


def test_lawyer_creates_and_edits_authority(db, users, registry, client_for):
    client = client_for(users["lawyer"])
    data = {
        "name": "ГУНП у Львівській області",
        "kind": "regional_body",
        "email": "Lviv@Police.example",
        "postal_address": "Львів",
        "head_title": "Начальникові ГУНП",
        "head_name": "Олегові ПАВЛЕНКУ",
        "parent_id": str(registry["ministry"].id),
    }
    response = client.post("/authorities/new", data=data)
    assert response.status_code == 302
    row = db.session.scalar(sa.select(Authority).where(Authority.name == data["name"]))
    assert row.email == "lviv@police.example" and row.parent_id == registry["ministry"].id
    data["head_name"] = "Іванові КРАВЧУКУ"
    assert client.post(f"/authorities/{row.id}/edit", data=data).status_code == 302
    db.session.refresh(row)
    assert row.head_name == "Іванові КРАВЧУКУ"


def test_authority_form_bad_input(db, users, registry, client_for):
    client = client_for(users["admin"])
    ministry = registry["ministry"]
    base = {"name": "Новий орган", "kind": "agency", "email": "", "parent_id": ""}
    cases = [
        ({"name": ""}, "name"),
        ({"name": "x" * 301}, "name"),
        ({"kind": "church"}, "kind"),
        ({"email": "not an address"}, "email"),
        ({"parent_id": "999999"}, "Такого органу немає."),
        ({"name": ministry.name}, "вже існує"),
    ]
    for change, hint in cases:
        response = client.post("/authorities/new", data={**base, **change})
        assert response.status_code == 422, change
        html = response.get_data(as_text=True)
        assert "is-invalid" in html and hint in html, change
    # A cycle in the hierarchy: the ministry cannot be supervised by its own agency.
    response = client.post(
        f"/authorities/{ministry.id}/edit",
        data={"name": ministry.name, "kind": "ministry", "parent_id": str(registry["agency"].id)},
    )
    assert response.status_code == 422
    assert "підпорядкованому" in response.get_data(as_text=True)
    assert count(db, Authority) == 2


def test_monitor_cannot_change_registries(db, users, registry, client_for):
    client = client_for(users["monitor"])
    for path in (
        "/authorities/new",
        f"/authorities/{registry['ministry'].id}/edit",
        "/facilities/new",
        f"/facilities/{registry['facility'].id}/edit",
    ):
        assert client.get(path).status_code == 403
        assert client.post(path, data={"name": "x"}).status_code == 403


def test_facility_form_create_and_bad_input(db, users, registry, client_for):
    client = client_for(users["lawyer"])
    good = {
        "name": "ІТТ ГУНП у Львівській області",
        "type": "itt_police",
        "region": "UA-46",
        "address": "Львів",
        "capacity": "60",
        "authority_id": str(registry["agency"].id),
    }
    assert client.post("/facilities/new", data=good).status_code == 302
    cases = [
        ({"name": ""}, "name"),
        ({"type": "castle"}, "type"),
        ({"region": "UA-99"}, "region"),
        ({"capacity": "-5"}, "capacity"),
        ({"capacity": "many"}, "capacity"),
        ({"authority_id": "424242"}, "Такого органу немає."),
        ({}, "вже існує"),
    ]
    for change, hint in cases:
        response = client.post("/facilities/new", data={**good, **change})
        assert response.status_code == 422, change
        assert hint in response.get_data(as_text=True), change
    assert count(db, Facility) == 2


def test_monitor_creates_a_visit_and_is_on_its_team(db, users, registry, client_for):
    client = client_for(users["monitor"])
    data = {
        "facility_id": str(registry["facility"].id),
        "started_on": "2026-05-04",
        "ended_on": "2026-05-05",
        "kind": "follow_up",
        "participants": "Д-р Лікар\nПерекладач",
        "summary": "Перевірка",
    }
    response = client.post("/visits/new", data=data)
    assert response.status_code == 302
    visit = db.session.scalar(sa.select(Visit).where(Visit.kind == "follow_up"))
    assert visit.monitor_ids == [users["monitor"].id]
    assert visit.participant_list == ["Д-р Лікар", "Перекладач"]


def test_monitor_edits_only_visits_they_took_part_in(db, users, registry, client_for, make_user):
    from datetime import date

    visit = registry["visit"]
    data = {
        "facility_id": str(visit.facility_id),
        "started_on": "2026-03-10",
        "ended_on": "2026-03-12",
        "kind": "planned",
        "summary": "Змінено",
    }
    # No visit to the facility: the visit is not theirs to know of (404, as a missing id).
    stranger = make_user("monitor")
    assert client_for(stranger).get(f"/visits/{visit.id}/edit").status_code == 404
    assert client_for(stranger).post(f"/visits/{visit.id}/edit", data=data).status_code == 404
    # Another visit to the same facility: they read this visit but may not edit it.
    other = make_user("monitor")
    db.session.add(
        Visit(
            facility=registry["facility"],
            started_on=date(2026, 5, 5),
            ended_on=date(2026, 5, 5),
            kind="follow_up",
            monitors=[other],
        )
    )
    db.session.commit()
    assert client_for(other).get(f"/visits/{visit.id}").status_code == 200
    assert client_for(other).get(f"/visits/{visit.id}/edit").status_code == 403
    assert client_for(other).post(f"/visits/{visit.id}/edit", data=data).status_code == 403
    assert (
        client_for(users["monitor"]).post(f"/visits/{visit.id}/edit", data=data).status_code == 302
    )
    db.session.refresh(visit)
    assert visit.summary == "Змінено" and users["monitor"] in visit.monitors


def test_visit_form_bad_input(db, users, registry, client_for):
    client = client_for(users["lawyer"])
    good = {
        "facility_id": str(registry["facility"].id),
        "started_on": "2026-05-04",
        "ended_on": "2026-05-05",
        "kind": "planned",
    }
    cases = [
        ({"ended_on": "2026-05-01"}, "не може завершитися раніше"),
        ({"started_on": "04.05.2026"}, "started_on"),
        ({"started_on": ""}, "started_on"),
        ({"kind": "secret"}, "kind"),
        ({"facility_id": ""}, "facility_id"),
        ({"facility_id": "99999"}, "Такої установи немає."),
        ({"monitor_ids": str(users["lawyer"].id)}, "лише монітори"),
    ]
    for change, hint in cases:
        response = client.post("/visits/new", data={**good, **change})
        assert response.status_code == 422, change
        assert hint in response.get_data(as_text=True), change
    assert count(db, Visit) == 1


def test_unknown_records_give_404(db, users, client_for):
    client = client_for(users["lawyer"])
    for path in ("/authorities/999", "/facilities/999", "/visits/999", "/visits/999/edit"):
        assert client.get(path).status_code == 404


def test_demo_load_is_idempotent(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    from app.domain.recommendations.models import Recommendation

    counts = [count(db, m) for m in (Authority, Facility, Visit, Recommendation)]
    assert counts[3] >= 10
    assert counts[0] >= 20 and counts[1] >= 40 and counts[2] >= 15
    hierarchy = db.session.scalar(
        sa.select(sa.func.count()).where(Authority.parent_id.is_not(None))
    )
    assert hierarchy >= 10
    regions = db.session.scalar(sa.select(sa.func.count(sa.distinct(Facility.region))))
    types = db.session.scalar(sa.select(sa.func.count(sa.distinct(Facility.type))))
    assert regions >= 10 and types >= 10
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert [count(db, m) for m in (Authority, Facility, Visit, Recommendation)] == counts
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "not loaded" in result.output
