"""The recommendation case through pages: drafting, quick entry, issuing, transitions, editing."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from app.domain.recommendations.models import Recommendation
from app.domain.recommendations.operations import fire
from app.workflow import get_engine


def recs(db):
    return db.session.scalars(sa.select(Recommendation).order_by(Recommendation.id)).all()


def test_monitor_drafts_several_at_once_in_their_visit(db, users, registry, client_for):
    visit = registry["visit"]
    client = client_for(users["monitor"])
    html = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert "Зберегти чернетки" in html
    data = {
        "authority_id": "",
        "rows-0-text": "Забезпечити доступ до **гарячої** води",
        "rows-0-theme": "conditions",
        "rows-0-priority": "high",
        "rows-2-text": "Облаштувати укриття",
        "rows-2-theme": "safety",
        "rows-2-priority": "urgent",
    }
    response = client.post(f"/visits/{visit.id}/recommendations", data=data)
    assert response.status_code == 302
    created = recs(db)
    assert [r.state for r in created] == ["draft", "draft"]
    assert {r.authority_id for r in created} == {registry["agency"].id}  # the facility's supervisor
    assert created[0].facility_id == registry["facility"].id
    history = get_engine().history(created[0])
    assert [(h.transition, h.from_state, h.to_state, h.actor_id) for h in history] == [
        ("create", None, "draft", users["monitor"].id)
    ]
    html = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert "<strong>гарячої</strong>" in html and "Чернетка" in html


def test_quick_entry_bad_input(db, users, registry, client_for):
    client = client_for(users["monitor"])
    visit = registry["visit"]
    cases = [
        ({}, "Напишіть хоча б одну рекомендацію."),
        ({"rows-0-text": "Текст", "rows-0-theme": ""}, "Оберіть тему."),
        ({"rows-0-text": "Текст", "rows-0-theme": "weather"}, "Оберіть тему."),
        ({"rows-0-text": "x" * 10001, "rows-0-theme": "health"}, "10000"),
        (
            {"rows-0-text": "Текст", "rows-0-theme": "health", "authority_id": "9999"},
            "Такого органу немає.",
        ),
    ]
    for data, hint in cases:
        response = client.post(f"/visits/{visit.id}/recommendations", data=data)
        assert response.status_code == 422, data
        assert hint in response.get_data(as_text=True), data
    assert recs(db) == []


def test_monitor_cannot_draft_in_someone_elses_visit(db, registry, client_for, make_user):
    from app.domain.visits.models import Visit

    visit = registry["visit"]
    data = {"rows-0-text": "X", "rows-0-theme": "health"}
    # No visit to the facility: the visit is not theirs to know of (404, as a missing id).
    stranger = make_user("monitor")
    assert (
        client_for(stranger).post(f"/visits/{visit.id}/recommendations", data=data).status_code
        == 404
    )
    # Another visit to the same facility: they read this visit but may not draft in it.
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
    response = client_for(other).post(f"/visits/{visit.id}/recommendations", data=data)
    assert response.status_code == 403
    page = client_for(other).get(f"/visits/{visit.id}")
    assert page.status_code == 200 and "Зберегти чернетки" not in page.get_data(as_text=True)
    assert recs(db) == []


def test_lawyer_issues_selected_drafts(db, users, registry, client_for, make_rec):
    a, _b, c = make_rec("Перша"), make_rec("Друга"), make_rec("Третя")
    client = client_for(users["lawyer"])
    response = client.post(
        f"/visits/{registry['visit'].id}/recommendations/issue",
        data={"ids": [a.id, c.id], "comment": "Погоджено"},
    )
    assert response.status_code == 302
    assert [r.state for r in recs(db)] == ["issued", "draft", "issued"]
    last = get_engine().history(a)[-1]
    assert (last.transition, last.actor_id, last.comment) == (
        "issue",
        users["lawyer"].id,
        "Погоджено",
    )


def test_issuing_is_all_or_nothing(db, users, registry, client_for, make_rec):
    a, b = make_rec("Перша"), make_rec("Друга")
    fire(b, "issue", users["lawyer"])
    db.session.commit()
    response = client_for(users["lawyer"]).post(
        f"/visits/{registry['visit'].id}/recommendations/issue", data={"ids": [a.id, b.id]}
    )
    assert response.status_code == 409
    assert "«Видати» зараз неможливо: справа у стані «Видано»" in response.get_data(as_text=True)
    db.session.refresh(a)
    assert a.state == "draft"


def test_monitors_and_admins_cannot_issue(db, users, registry, client_for, make_rec):
    rec = make_rec()
    for role in ("monitor", "admin"):
        client = client_for(users[role])
        response = client.post(
            f"/visits/{registry['visit'].id}/recommendations/issue", data={"ids": [rec.id]}
        )
        assert response.status_code == 403
        response = client.post(f"/recommendations/{rec.id}/transitions", data={"name": "issue"})
        assert response.status_code == 403, role
    db.session.refresh(rec)
    assert rec.state == "draft"


def test_recommendation_page_shows_buttons_and_history(db, users, registry, client_for, make_rec):
    rec = make_rec(actor=users["monitor"])
    client = client_for(users["lawyer"])
    html = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    buttons = re.findall(r'name="name" value="(\w+)"', html)
    assert buttons == ["issue", "withdraw"]
    response = client.post(
        f"/recommendations/{rec.id}/transitions",
        data={"name": "issue", "comment": "Юридично коректно"},
    )
    assert response.status_code == 302
    html = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Чернетка → Видано" in html and "Юридично коректно" in html
    assert users["lawyer"].name in html and users["monitor"].name in html
    # Never sent, so not yet verifiable on a follow-up visit.
    assert re.findall(r'name="name" value="(\w+)"', html) == ["withdraw"]
    # The monitor of the visit sees no buttons: nothing is theirs to do now.
    html = client_for(users["monitor"]).get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert re.findall(r'name="name" value="(\w+)"', html) == []


def test_wrong_state_names_the_current_state(db, users, registry, client_for, make_rec):
    rec = make_rec()
    response = client_for(users["lawyer"]).post(
        f"/recommendations/{rec.id}/transitions", data={"name": "assess_implemented"}
    )
    assert response.status_code == 409
    assert "справа у стані «Чернетка»" in response.get_data(as_text=True)


def test_internal_transition_refused_to_people(
    db, users, registry, client_for, make_rec, send_recs
):
    rec = make_rec()
    fire(rec, "issue", users["lawyer"])
    db.session.commit()
    send_recs([rec])
    response = client_for(users["lawyer"]).post(
        f"/recommendations/{rec.id}/transitions", data={"name": "mark_overdue"}
    )
    assert response.status_code == 403
    assert "не можна запросити" in response.get_data(as_text=True)
    db.session.refresh(rec)
    assert rec.state == "sent_to_authority"


def test_withdraw_needs_a_comment(db, users, registry, client_for, make_rec):
    rec = make_rec()
    client = client_for(users["lawyer"])
    response = client.post(f"/recommendations/{rec.id}/transitions", data={"name": "withdraw"})
    assert response.status_code == 422
    db.session.refresh(rec)
    assert rec.state == "draft"
    response = client.post(
        f"/recommendations/{rec.id}/transitions",
        data={"name": "withdraw", "comment": "Установу закрито"},
    )
    assert response.status_code == 302
    db.session.refresh(rec)
    assert rec.state == "no_longer_relevant"


def test_fields_editable_only_where_the_state_allows(
    db, users, registry, client_for, make_rec, send_recs
):
    rec = make_rec(actor=users["monitor"])
    monitor = client_for(users["monitor"])
    form = {
        "text": "Уточнений текст",
        "theme": "health",
        "priority": "high",
        "authority_id": str(rec.authority_id),
        "previous_id": "",
    }
    assert monitor.post(f"/recommendations/{rec.id}/edit", data=form).status_code == 302
    db.session.refresh(rec)
    assert rec.text == "Уточнений текст" and rec.theme == "health"
    fire(rec, "issue", users["lawyer"])
    db.session.commit()
    # Issued: the monitor may no longer edit; the lawyer may edit the text but not the due date.
    assert monitor.get(f"/recommendations/{rec.id}/edit").status_code == 403
    lawyer = client_for(users["lawyer"])
    html = lawyer.get(f"/recommendations/{rec.id}/edit").get_data(as_text=True)
    assert 'name="text"' in html and 'name="due_on"' not in html
    response = lawyer.post(f"/recommendations/{rec.id}/edit", data={**form, "text": "Ще точніше"})
    assert response.status_code == 302
    send_recs([rec])
    response = lawyer.post(
        f"/recommendations/{rec.id}/edit", data={**form, "text": "Після надсилання"}
    )
    assert response.status_code == 409
    assert "не можна змінити" in response.get_data(
        as_text=True
    ) or "cannot change" in response.get_data(as_text=True)
    db.session.refresh(rec)
    assert rec.text == "Ще точніше"


def test_monitor_verifies_on_a_later_visit_only(
    db, users, registry, client_for, make_rec, send_recs
):
    from datetime import timedelta

    from app.core.clock import today
    from app.domain.visits.models import Visit

    rec = make_rec()
    fire(rec, "issue", users["lawyer"])
    db.session.commit()
    send_recs([rec], sent_on=today() - timedelta(days=10))
    monitor = client_for(users["monitor"])
    response = monitor.post(f"/recommendations/{rec.id}/transitions", data={"name": "verify"})
    assert response.status_code == 422
    later = Visit(
        facility=registry["facility"],
        started_on=today() - timedelta(days=2),
        ended_on=today() - timedelta(days=2),
        kind="follow_up",
        monitors=[users["monitor"]],
    )
    db.session.add(later)
    db.session.commit()
    response = monitor.post(
        f"/recommendations/{rec.id}/transitions", data={"name": "verify", "visit_id": str(later.id)}
    )
    assert response.status_code == 302
    db.session.refresh(rec)
    assert rec.state == "verified"


def test_repeated_recommendation_links_the_earlier_one(db, users, registry, client_for, make_rec):
    from app.domain.visits.models import Visit

    earlier = make_rec("Облаштувати укриття", theme="safety")
    later = Visit(
        facility=registry["facility"],
        started_on=date(2026, 9, 1),
        ended_on=date(2026, 9, 2),
        kind="follow_up",
        monitors=[users["monitor"]],
    )
    db.session.add(later)
    db.session.commit()
    repeat = make_rec(
        "Укриття досі не облаштовано", theme="safety", visit=later, previous_id=earlier.id
    )
    html = client_for(users["monitor"]).get(f"/recommendations/{earlier.id}").get_data(as_text=True)
    assert f"/recommendations/{repeat.id}" in html
    # A later recommendation cannot be "repeated" by an earlier visit.
    client = client_for(users["lawyer"])
    response = client.post(
        f"/recommendations/{earlier.id}/edit",
        data={
            "text": earlier.text,
            "theme": "safety",
            "priority": "medium",
            "authority_id": str(earlier.authority_id),
            "previous_id": str(repeat.id),
        },
    )
    assert response.status_code == 422


def test_workflow_pages(db, users, client_for):
    client = client_for(users["monitor"])
    html = client.get("/workflows/").get_data(as_text=True)
    assert "recommendation" in html
    html = client.get("/workflows/recommendation").get_data(as_text=True)
    assert "Виконання підтверджено" in html and "assess_partially_implemented" in html
    assert "stateDiagram-v2" in html
    assert client.get("/workflows/nothing").status_code == 404


def test_list_page_filters(db, users, registry, client_for, make_rec):
    a = make_rec("Про харчування", theme="conditions")
    make_rec("Про медицину", theme="health")
    fire(a, "issue", users["lawyer"])
    db.session.commit()
    client = client_for(users["lawyer"])
    html = client.get("/recommendations/?state=issued").get_data(as_text=True)
    assert "Про харчування" in html and "Про медицину" not in html
    html = client.get("/recommendations/?theme=health&q=МЕДИЦ").get_data(as_text=True)
    assert "Про медицину" in html and "Про харчування" not in html


@pytest.mark.postgres
def test_twenty_people_fire_at_once_one_wins(app, db, users, make_rec):
    """On PostgreSQL: 20 threads issue the same draft; one wins, 19 are told it changed."""
    import threading

    from app.extensions import db as _db
    from app.workflow import Conflict, WrongState

    rec = make_rec()
    rec_id, lawyer_id = rec.id, users["lawyer"].id
    barrier = threading.Barrier(20, timeout=60)
    outcomes = []

    def attempt():
        with app.app_context():
            from app.auth.models import User

            subject = _db.session.get(Recommendation, rec_id)
            actor = _db.session.get(User, lawyer_id)
            barrier.wait()
            try:
                fire(subject, "issue", actor)
                _db.session.commit()
                outcomes.append("ok")
            except (Conflict, WrongState):
                _db.session.rollback()
                outcomes.append("conflict")
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 19 + ["ok"]
    db.session.expire_all()
    history = get_engine().history(db.session.get(Recommendation, rec_id))
    assert [h.transition for h in history] == ["create", "issue"]
