"""Every creating form carries a one-time token: a second submit of the same form (Back and
submit again, a double click) creates nothing and shows what the first one made."""

import threading

import pytest
import sqlalchemy as sa
from page_forms import as_data, read_form

from app.auth.models import User
from app.domain.acts.models import Act
from app.domain.authorities.models import Authority
from app.domain.facilities.models import Facility
from app.domain.recommendations.models import Recommendation
from app.domain.visits.models import Visit

ALREADY = "Цю форму вже надіслано; ось що було збережено."


def _visit(s):
    return dict(
        role="lawyer",
        page=f"/visits/new?facility_id={s['facility'].id}",
        action="",
        model=Visit,
        data={
            "facility_id": s["facility"].id,
            "started_on": "2026-04-01",
            "ended_on": "2026-04-02",
            "kind": "planned",
            "monitor_ids": [s["monitor"].id],
        },
    )


def _authority(s):
    return dict(
        role="lawyer",
        page="/authorities/new",
        action="",
        model=Authority,
        data={"name": "Департамент охорони здоров'я КМДА", "kind": "regional_body"},
    )


def _facility(s):
    return dict(
        role="admin",
        page="/facilities/new",
        action="",
        model=Facility,
        data={"name": "Київський слідчий ізолятор", "type": "sizo", "region": "UA-30"},
    )


def _user(s):
    return dict(
        role="admin",
        page="/users/new",
        action="",
        model=User,
        data={
            "email": "new.monitor@example.org",
            "name": "Нова Моніторка",
            "role": "monitor",
            "password": "long-enough-password",
        },
    )


def _act(s):
    return dict(
        role="lawyer",
        page=f"/acts/new?authority_id={s['agency'].id}&kind=submission",
        action="",
        model=Act,
        data={
            "kind": "submission",
            "authority_id": s["agency"].id,
            "recommendation_ids": [r.id for r in s["issued"]],
        },
    )


def _quick_entry(s):
    visit = s["visit"].id
    return dict(
        role="lawyer",
        page=f"/visits/{visit}",
        action=f"/visits/{visit}/recommendations",
        model=Recommendation,
        data={"rows-0-text": "Забезпечити доступ до душу щодня", "rows-0-theme": "conditions"},
    )


def _findings(s):
    facility = s["facility"].id
    return dict(
        role="lawyer",
        page=f"/facilities/{facility}/checklist",
        action="",
        model=Recommendation,
        data={"visit_id": s["later_visit"].id, f"finding-{s['issued'][0].id}": "not_done"},
    )


FORMS = {
    "visit": _visit,
    "authority": _authority,
    "facility": _facility,
    "user": _user,
    "act": _act,
    "quick_entry": _quick_entry,
    "findings": _findings,
}


@pytest.fixture
def scene(db, users, registry, issued):
    from datetime import date

    later = Visit(
        facility=registry["facility"],
        started_on=date(2026, 9, 1),
        ended_on=date(2026, 9, 1),
        kind="follow_up",
        monitors=[users["monitor"]],
    )
    db.session.add(later)
    db.session.commit()
    return {**registry, "issued": issued, "monitor": users["monitor"], "later_visit": later}


@pytest.fixture
def csrf_on(app):
    previous = app.config["WTF_CSRF_ENABLED"]
    yield lambda: app.config.update(WTF_CSRF_ENABLED=True)
    app.config["WTF_CSRF_ENABLED"] = previous


def _count(db, model):
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _filled_form(client, case):
    page = client.get(case["page"])
    assert page.status_code == 200
    fields = read_form(page.get_data(as_text=True), case["action"])
    assert any(name == "form_token" and value for name, value in fields), "no one-time token"
    return as_data(fields, **case["data"])


@pytest.mark.parametrize("name", FORMS)
def test_a_second_submit_creates_nothing(db, users, scene, client_for, csrf_on, name):
    case = FORMS[name](scene)
    client = client_for(users[case["role"]])
    csrf_on()
    before = _count(db, case["model"])
    data = _filled_form(client, case)
    target = case["action"] or case["page"].split("?")[0]
    first = client.post(target, data=data)
    assert first.status_code in (302, 303), first.get_data(as_text=True)[:3000]
    assert _count(db, case["model"]) == before + 1
    second = client.post(target, data=data)
    assert second.status_code == 303 and second.location == first.location
    assert ALREADY in client.get(second.location).get_data(as_text=True)
    assert _count(db, case["model"]) == before + 1
    # A new form (a fresh page) creates again: the token, not the content, decides.
    if name in ("visit", "quick_entry"):
        third = client.post(target, data=_filled_form(client, case))
        assert third.status_code in (302, 303)
        assert _count(db, case["model"]) == before + 2


def test_a_form_with_errors_can_be_corrected_and_sent_with_its_token(db, users, scene, client_for):
    case = _visit(scene)
    client = client_for(users["lawyer"])
    data = _filled_form(client, case)
    wrong = client.post("/visits/new", data={**data, "ended_on": "2026-03-01"})
    assert wrong.status_code == 422
    assert client.post("/visits/new", data=data).status_code == 302
    assert _count(db, Visit) == 3  # the scene's two visits and this one


def test_a_double_click_creates_one(db, users, scene, client_for):
    case = _visit(scene)
    clients = [client_for(users["lawyer"]), client_for(users["lawyer"])]
    data = _filled_form(clients[0], case)
    start = threading.Barrier(2)
    answers = []

    def click(client):
        start.wait()
        answers.append(client.post("/visits/new", data=data))

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(a.status_code for a in answers) == [302, 303]
    assert answers[0].location == answers[1].location
    assert _count(db, Visit) == 3


def test_an_edit_form_has_no_token_so_sending_it_again_saves_again(db, users, scene, client_for):
    client = client_for(users["lawyer"])
    authority = scene["agency"]
    fields = read_form(client.get(f"/authorities/{authority.id}/edit").get_data(as_text=True))
    assert dict(fields).get("form_token") == ""
    data = as_data(fields, name="Державна кримінально-виконавча служба")
    assert client.post(f"/authorities/{authority.id}/edit", data=data).status_code == 302
    again = as_data(fields, name="ДКВС України")  # Back, another change, send
    assert client.post(f"/authorities/{authority.id}/edit", data=again).status_code == 302
    db.session.refresh(authority)
    assert authority.name == "ДКВС України"
