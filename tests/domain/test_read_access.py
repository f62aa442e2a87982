"""Who may read what (README, "Who may read what"): every kind of object × role × page and API.

A monitor reads the cases of the facilities of their own visits; lawyers and administrators
read everything; anything else is 404, the same as an id that does not exist."""

import io
from datetime import date, timedelta

import pytest

from app.core import clock
from app.core.clock import today
from app.domain.acts.operations import fire as fire_act
from app.domain.responses.operations import record_response

ROLES = ("own_monitor", "other_monitor", "lawyer", "admin")
ALLOWED = {"own_monitor": 200, "other_monitor": 404, "lawyer": 200, "admin": 200}


def _pdf():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def scene(db, users, registry, make_user, issued, make_act, run_jobs):
    """The monitor's colony with a sent act (documents, an e-mail, an answer with a file), and
    another monitor whose only visit is to another facility."""
    from app.domain.facilities.models import Facility
    from app.domain.visits.models import Visit

    other = make_user("monitor", email="other-monitor@example.org")
    elsewhere = Facility(
        name="ІТТ ГУНП у Львівській області",
        type="itt_police",
        region="UA-46",
        authority=registry["agency"],
    )
    db.session.add_all(
        [
            elsewhere,
            Visit(
                facility=elsewhere,
                started_on=date(2026, 2, 2),
                ended_on=date(2026, 2, 2),
                kind="planned",
                monitors=[other],
            ),
        ]
    )
    db.session.commit()
    act = make_act()
    fire_act(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    sent_on = today() - timedelta(days=5)
    with clock.pinned(sent_on):  # registered that day: the date of the number
        fire_act(act, "send", users["lawyer"], {"channel": "email", "sent_on": sent_on})
        db.session.commit()
    run_jobs()  # the registered documents, then the e-mail
    db.session.refresh(act)
    response = record_response(
        act,
        {
            "kind": "interim",
            "received_on": today(),
            "incoming_number": "12/вх",
            "text": "Розглядаємо",
            "positions": [],
        },
        [("answer.pdf", _pdf())],
        users["lawyer"],
    )
    db.session.commit()
    return {
        "rec": issued[0],
        "visit": registry["visit"],
        "facility": registry["facility"],
        "act": act,
        "document": act.latest("pdf"),
        "file": response.files[0],
        "users": {
            "own_monitor": users["monitor"],
            "other_monitor": other,
            "lawyer": users["lawyer"],
            "admin": users["admin"],
        },
    }


#: (what, page or API, path from the scene)
OBJECTS = [
    ("recommendation", "page", lambda s: f"/recommendations/{s['rec'].id}"),
    ("recommendation", "api", lambda s: f"/recommendations/{s['rec'].id}"),
    ("recommendation history", "api", lambda s: f"/recommendations/{s['rec'].id}/history"),
    ("recommendation transitions", "api", lambda s: f"/recommendations/{s['rec'].id}/transitions"),
    ("visit", "page", lambda s: f"/visits/{s['visit'].id}"),
    ("visit", "api", lambda s: f"/visits/{s['visit'].id}"),
    ("act", "page", lambda s: f"/acts/{s['act'].id}"),
    ("act", "api", lambda s: f"/acts/{s['act'].id}"),
    ("act history", "api", lambda s: f"/acts/{s['act'].id}/history"),
    ("act documents", "api", lambda s: f"/acts/{s['act'].id}/documents"),
    ("document", "page", lambda s: f"/documents/{s['document'].id}"),
    ("document", "api", lambda s: f"/documents/{s['document'].id}/content"),
    ("e-mails", "api", lambda s: f"/acts/{s['act'].id}/emails"),
    ("responses", "api", lambda s: f"/acts/{s['act'].id}/responses"),
    ("response file", "page", lambda s: f"/response-files/{s['file'].id}"),
    ("response file", "api", lambda s: f"/response-files/{s['file'].id}/content"),
    ("checklist", "page", lambda s: f"/facilities/{s['facility'].id}/checklist"),
    ("checklist PDF", "page", lambda s: f"/facilities/{s['facility'].id}/checklist.pdf"),
]


@pytest.mark.parametrize("role", ROLES)
def test_objects_by_role(db, scene, client_for, api_for, role):
    user = scene["users"][role]
    page, api = client_for(user), api_for(user)
    got = {}
    for what, where, path in OBJECTS:
        with (page if where == "page" else api).get(path(scene)) as response:
            got[(what, where)] = response.status_code
            if response.status_code == 404 and where == "api":
                assert response.get_json()["error"]["code"] == "not_found"
    assert got == {(what, where): ALLOWED[role] for what, where, _path in OBJECTS}


def test_a_refusal_is_the_same_as_a_missing_id(db, scene, client_for, api_for):
    other = scene["users"]["other_monitor"]
    api = api_for(other)
    refused = api.get(f"/recommendations/{scene['rec'].id}")
    missing = api.get("/recommendations/987654")
    assert (refused.status_code, refused.get_json()) == (missing.status_code, missing.get_json())
    page = client_for(other)
    refused = page.get(f"/acts/{scene['act'].id}")
    missing = page.get("/acts/987654")
    assert refused.status_code == missing.status_code == 404
    # the language switcher carries the page's own address back; nothing else may differ
    assert refused.get_data(as_text=True).replace(f'/acts/{scene["act"].id}"', '/acts/ID"') == (
        missing.get_data(as_text=True).replace('/acts/987654"', '/acts/ID"')
    )


LISTS = [
    ("recommendations", "page", "/recommendations/"),
    ("recommendations", "api", "/recommendations"),
    ("recommendations csv", "api", "/recommendations?format=csv"),
    ("search", "page", "/search?q=гарячої"),
    ("search", "api", "/search?q=гарячої"),
    ("search csv", "page", "/search?q=гарячої&format=csv"),
    ("visits", "api", "/visits"),
    ("visits", "page", "/visits/"),
    ("acts", "api", "/acts"),
    ("acts", "page", "/acts/"),
    ("facility timeline", "page", "FACILITY"),
    ("deadlines", "page", "/deadlines/"),
    ("deadlines csv", "page", "/deadlines/?format=csv"),
]


def _shows(scene, what, where, response):
    rec, visit, act = scene["rec"], scene["visit"], scene["act"]
    kind = what.split()[0]
    if where == "api" and "csv" not in what:
        ids = {item["id"] for item in response.get_json()["items"]}
        return {"recommendations": rec.id, "search": rec.id, "visits": visit.id, "acts": act.id}[
            kind
        ] in ids
    text = response.get_data(as_text=True)
    if kind == "deadlines":
        return act.outgoing_number in text if "csv" in what else f'/acts/{act.id}"' in text
    if "csv" in what or kind == "facility":
        return rec.text in text
    return {
        "recommendations": f'/recommendations/{rec.id}"',
        "search": f'/recommendations/{rec.id}"',
        "visits": f'/visits/{visit.id}"',
        "acts": f'/acts/{act.id}"',
    }[kind] in text


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_what_the_role_reads(db, scene, client_for, api_for, role):
    user = scene["users"][role]
    page, api = client_for(user), api_for(user)
    seen = {}
    for what, where, path in LISTS:
        path = f"/facilities/{scene['facility'].id}" if path == "FACILITY" else path
        with (page if where == "page" else api).get(path) as response:
            assert response.status_code == 200, (what, where, response.status_code)
            seen[(what, where)] = _shows(scene, what, where, response)
    expected = role != "other_monitor"
    assert seen == {(what, where): expected for what, where, _path in LISTS}


def test_the_office_may_share_everything_with_monitors(app, db, scene, api_for):
    api = api_for(scene["users"]["other_monitor"])
    app.config["MONITORS_SEE_ALL"] = True
    try:
        assert api.get(f"/acts/{scene['act'].id}").status_code == 200
        with api.get(f"/documents/{scene['document'].id}/content") as response:
            assert response.status_code == 200
    finally:
        app.config["MONITORS_SEE_ALL"] = False
    assert api.get(f"/acts/{scene['act'].id}").status_code == 404


def test_act_page_links_only_the_recommendations_the_monitor_reads(
    db, users, registry, make_user, make_rec, make_act, client_for
):
    from app.domain.facilities.models import Facility
    from app.domain.recommendations.operations import fire
    from app.domain.visits.models import Visit

    other = make_user("monitor")
    elsewhere = Facility(name="СІЗО", type="sizo", region="UA-30", authority=registry["agency"])
    visit = Visit(
        facility=elsewhere,
        started_on=date(2026, 2, 2),
        ended_on=date(2026, 2, 2),
        kind="planned",
        monitors=[other],
    )
    db.session.add_all([elsewhere, visit])
    db.session.commit()
    mine, theirs = make_rec("Наша установа"), make_rec("Інша установа", visit=visit)
    for rec in (mine, theirs):
        fire(rec, "issue", users["lawyer"])
    db.session.commit()
    act = make_act(recs=[mine, theirs])
    html = client_for(users["monitor"]).get(f"/acts/{act.id}").get_data(as_text=True)
    assert f'href="/recommendations/{mine.id}"' in html
    assert f'href="/recommendations/{theirs.id}"' not in html and f"№{theirs.id}" in html
    html = client_for(users["lawyer"]).get(f"/acts/{act.id}").get_data(as_text=True)
    assert f'href="/recommendations/{theirs.id}"' in html
