"""Home pages by role, the facility's 'visit – change' timeline, the follow-up checklist."""

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.core.clock import today as kyiv_today
from app.domain.acts.operations import fire as fire_act
from app.domain.recommendations.models import Recommendation
from app.domain.recommendations.operations import fire
from app.domain.visits.models import Visit


@pytest.fixture
def later_visit(db, users, registry):
    visit = Visit(
        facility=registry["facility"],
        started_on=date(2026, 9, 15),
        ended_on=date(2026, 9, 16),
        kind="follow_up",
        monitors=[users["monitor"]],
    )
    db.session.add(visit)
    db.session.commit()
    return visit


def test_lawyer_home_counts_open_their_lists(db, users, make_act, run_jobs, client_for):
    a = make_act()
    client = client_for(users["lawyer"])
    html = client.get("/").get_data(as_text=True)
    assert "Моя робота сьогодні" in html
    assert 'id="count-to_generate"' in html
    fire_act(a, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    html = client.get("/").get_data(as_text=True)
    import re

    counts = dict(
        re.findall(r'id="count-(\w+)">\s*<div class="card-body"><div class="display-6">(\d+)', html)
    )
    assert counts == {
        "to_generate": "0",
        "to_send": "1",
        "emails_failed": "0",
        "deadlines_soon": "0",
        "overdue": "0",
        "to_assess": "0",
        "to_review": "0",
        "inbox": "0",
    }
    listed = client.get("/acts/?state=draft&mine=1&documents=ready").get_data(as_text=True)
    assert f"/acts/{a.id}" in listed
    assert f"/acts/{a.id}" not in client.get("/acts/?state=draft&mine=1&documents=todo").get_data(
        as_text=True
    )
    client.post("/lang/en")
    assert "My work today" in client.get("/").get_data(as_text=True)


def test_monitor_home_shows_visits_and_open_recommendations(
    db, users, registry, issued, client_for
):
    html = client_for(users["monitor"]).get("/").get_data(as_text=True)
    assert "Мої візити" in html and registry["facility"].name in html
    assert "Видано: 3" in html and "відкритих: 3" in html


def test_admin_home_is_the_users_list(db, users, client_for):
    response = client_for(users["admin"]).get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/users")


def test_facility_timeline_links_repeats_acts_and_answers(
    db, users, registry, issued, make_act, later_visit, make_rec, client_for
):
    act = make_act(recs=issued[:1])
    repeat = make_rec(
        "Укриття досі немає", theme="safety", visit=later_visit, previous_id=issued[1].id
    )
    html = (
        client_for(users["monitor"])
        .get(f"/facilities/{registry['facility'].id}")
        .get_data(as_text=True)
    )
    assert "Візит – зміна" in html and "10.03.2026" in html and "15.09.2026" in html
    assert f"/acts/{act.id}" in html
    assert f'href="/recommendations/{issued[1].id}"' in html
    assert f'href="/recommendations/{repeat.id}"' in html


def test_facility_timeline_shows_ten_visits_at_a_time(db, users, registry, client_for, make_rec):
    """A facility visited for years opens on its latest ten visits; earlier ones on the next
    page, in date order, each with its recommendations."""
    visits = [
        Visit(
            facility=registry["facility"],
            started_on=date(2014 + i, 5, 5),
            ended_on=date(2014 + i, 5, 5),
            kind="planned",
            monitors=[users["monitor"]],
        )
        for i in range(11)
    ]
    db.session.add_all(visits)
    db.session.commit()
    oldest = make_rec("Найдавніша рекомендація", visit=visits[0])
    client = client_for(users["lawyer"])
    html = client.get(f"/facilities/{registry['facility'].id}").get_data(as_text=True)
    shown = re.findall(r"<strong>(\d\d\.\d\d\.\d{4})", html)
    # 12 visits in all (the registry's of 2026 too): the latest ten, oldest first
    assert shown == [f"05.05.{y}" for y in range(2016, 2025)] + ["10.03.2026"]
    assert 'id="timeline-earlier"' in html and 'id="timeline-later"' not in html
    assert oldest.text not in html
    html = client.get(f"/facilities/{registry['facility'].id}?page=2").get_data(as_text=True)
    assert re.findall(r"<strong>(\d\d\.\d\d\.\d{4})", html) == ["05.05.2014", "05.05.2015"]
    assert oldest.text in html and 'id="timeline-later"' in html
    assert 'id="timeline-earlier"' not in html
    for bad in ("0", "-3", "x", "99999999999"):
        assert client.get(f"/facilities/{registry['facility'].id}?page={bad}").status_code == 200


def test_checklist_page_and_pdf(db, users, registry, issued, client_for):
    fire(issued[2], "withdraw", users["lawyer"], {"comment": "неактуально"})
    db.session.commit()
    client = client_for(users["monitor"])
    facility = registry["facility"]
    html = client.get(f"/facilities/{facility.id}/checklist").get_data(as_text=True)
    assert issued[0].text in html and issued[1].text in html and issued[2].text not in html
    with client.get(f"/facilities/{facility.id}/checklist.pdf") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        reader = PdfReader(io.BytesIO(response.data))
        text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Контрольний перелік" in text and facility.name in text
    assert "гарячої води" in text and "укриття" in text and "адвоката" not in text
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


def test_checklist_with_nothing_open_says_so(db, users, registry, client_for):
    html = (
        client_for(users["lawyer"])
        .get(f"/facilities/{registry['facility'].id}/checklist")
        .get_data(as_text=True)
    )
    assert "нічого не відкрито" in html.lower() or "Для цієї установи нічого не відкрито" in html


def test_findings_verify_and_repeat(
    db, users, registry, issued, later_visit, client_for, send_recs
):
    send_recs(issued[:1], sent_on=date(2026, 9, 1))  # sent before the follow-up visit
    client = client_for(users["monitor"])
    response = client.post(
        f"/facilities/{registry['facility'].id}/checklist",
        data={
            "visit_id": later_visit.id,
            f"finding-{issued[0].id}": "verified",
            f"finding-{issued[1].id}": "not_done",
        },
    )
    assert response.status_code == 302, client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(Recommendation, issued[0].id).state == "verified"
    repeated = db.session.scalar(
        sa.select(Recommendation).where(Recommendation.previous_id == issued[1].id)
    )
    assert (
        repeated.visit_id == later_visit.id
        and repeated.state == "draft"
        and repeated.text == issued[1].text
    )
    assert db.session.get(Recommendation, issued[2].id).state == "issued"


def test_findings_refused_to_a_monitor_of_another_visit(
    db, users, registry, issued, later_visit, client_for, make_user
):
    path = f"/facilities/{registry['facility'].id}/checklist"
    data = {"visit_id": later_visit.id, f"finding-{issued[0].id}": "verified"}
    # No visit to the facility: its checklist is not theirs to know of (404, as a missing id).
    stranger = make_user("monitor")
    assert client_for(stranger).post(path, data=data).status_code == 404
    # A visit of their own to the facility: they read the checklist but may not record the
    # findings of a visit they were not on.
    other = make_user("monitor")
    db.session.add(
        Visit(
            facility=registry["facility"],
            started_on=date(2026, 5, 5),
            ended_on=date(2026, 5, 5),
            kind="planned",
            monitors=[other],
        )
    )
    db.session.commit()
    assert client_for(other).get(path).status_code == 200
    response = client_for(other).post(path, data=data)
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Recommendation, issued[0].id).state == "issued"


@pytest.mark.parametrize(
    "path", ["/facilities/9999", "/visits/9999", "/acts/9999", "/facilities/9999/checklist"]
)
@pytest.mark.parametrize("lang,text", [("uk", "Не знайдено"), ("en", "Not found")])
def test_missing_records_are_404_in_the_users_language(db, users, client_for, path, lang, text):
    client = client_for(users["monitor"])
    client.post(f"/lang/{lang}")
    response = client.get(path)
    assert response.status_code == 404 and text in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/outbox", "/acts/new", "/calendar", "/users"])
def test_monitor_opening_a_lawyers_page_gets_403(db, users, client_for, path):
    response = client_for(users["monitor"]).get(path)
    assert response.status_code == 403 and "Доступ заборонено" in response.get_data(as_text=True)


def test_outbox_page_shows_unsent_emails(db, users, make_act, run_jobs, client_for):
    act = make_act()
    fire_act(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    fire_act(act, "send", users["lawyer"], {"channel": "email", "sent_on": kyiv_today()})
    db.session.commit()
    run_jobs()  # the registered documents, then the e-mail into the outbox
    html = client_for(users["lawyer"]).get("/outbox").get_data(as_text=True)
    assert "dkvs@example.org" in html and "SMTP не налаштовано" in html


PAGES = {
    "home": (
        "/",
        {"uk": "Моя робота сьогодні", "en": "My work today"},
        {"uk": "Мої візити і що змінилося", "en": "My visits and what became of them"},
    ),
    "timeline": ("/facilities/{facility}", {"uk": "Візит – зміна", "en": "Visit – change"}, None),
    "checklist": (
        "/facilities/{facility}/checklist",
        {"uk": "Контрольний перелік для повторного візиту", "en": "Follow-up checklist"},
        None,
    ),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["admin", "lawyer", "monitor"])
@pytest.mark.parametrize("lang", ["uk", "en"])
def test_every_page_for_every_role_in_both_languages(
    db, users, registry, issued, client_for, page, role, lang
):
    path, texts, monitor_texts = PAGES[page]
    client = client_for(users[role])
    client.post(f"/lang/{lang}")
    response = client.get(path.format(facility=registry["facility"].id))
    if page == "home" and role == "admin":
        assert response.status_code == 302  # administrators start from the users list
        return
    assert response.status_code == 200
    expected = (monitor_texts if role == "monitor" and monitor_texts else texts)[lang]
    html = response.get_data(as_text=True)
    assert expected in html and f'lang="{lang}"' in html
