"""Findings count only from visits after the recommendation's last sending (a reminder sent
later still asks about it), in the workflow guard and in the checklist's findings alike; an open
act that still asks about a verified recommendation warns."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.clock import today
from app.domain.acts.operations import create_act
from app.domain.recommendations.models import Recommendation
from app.domain.visits.models import Visit


def _visit(db, registry, users, started_on):
    visit = Visit(
        facility=registry["facility"],
        started_on=started_on,
        ended_on=started_on,
        kind="follow_up",
        monitors=[users["monitor"]],
    )
    db.session.add(visit)
    db.session.commit()
    return visit


@pytest.fixture
def reminded(db, users, registry, issued, send_recs, send_act):
    """issued[0] sent in a submission 40 days ago, then in a reminder 10 days ago."""
    rec = issued[0]
    first = send_recs([rec], sent_on=today() - timedelta(days=40))
    reminder = create_act("reminder", rec.authority_id, [rec.id], users["lawyer"])
    db.session.commit()
    assert reminder.previous_act_id == first.id
    send_act(reminder, sent_on=today() - timedelta(days=10))
    return rec, first, reminder


def test_the_guard_counts_only_visits_after_the_last_sending(
    db, users, registry, reminded, api_for
):
    rec, first, reminder = reminded
    between = _visit(db, registry, users, today() - timedelta(days=20))  # after the submission
    api = api_for(users["monitor"])
    path = f"/recommendations/{rec.id}/transitions"
    response = api.post(path, json={"name": "verify", "visit_id": between.id})
    assert response.status_code == 409
    message = response.get_json()["error"]["message"]
    assert "лише з візитів після надсилання" in message
    assert (
        reminder.outgoing_number in message and between.started_on.strftime("%d.%m.%Y") in message
    )
    db.session.refresh(rec)
    assert rec.state == "sent_to_authority"
    after = _visit(db, registry, users, today() - timedelta(days=5))
    response = api.post(path, json={"name": "verify", "visit_id": after.id})
    assert response.status_code == 200, response.get_json()


def test_checklist_findings_from_an_earlier_visit_are_refused_whole(
    db, users, registry, issued, reminded, client_for
):
    rec = reminded[0]
    between = _visit(db, registry, users, today() - timedelta(days=20))
    client = client_for(users["monitor"])
    path = f"/facilities/{registry['facility'].id}/checklist"
    for finding in ("verified", "not_done"):
        response = client.post(
            path,
            data={
                "visit_id": between.id,
                f"finding-{rec.id}": finding,
                f"finding-{issued[1].id}": "not_done",
            },
        )
        assert response.status_code == 303
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Висновки зараховуються лише з візитів після надсилання" in page
        assert f"рекомендацію №{rec.id}" in page
    db.session.expire_all()
    assert db.session.get(Recommendation, rec.id).state == "sent_to_authority"
    repeats = sa.select(sa.func.count()).where(Recommendation.previous_id.is_not(None))
    assert db.session.scalar(repeats) == 0  # nothing of the refused findings was kept


def test_an_open_act_warns_when_a_carried_recommendation_is_verified(
    db, users, registry, issued, reminded, client_for
):
    rec, first, reminder = reminded
    after = _visit(db, registry, users, today() - timedelta(days=5))
    client = client_for(users["monitor"])
    response = client.post(
        f"/facilities/{registry['facility'].id}/checklist",
        data={"visit_id": after.id, f"finding-{rec.id}": "verified"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Recommendation, rec.id).state == "verified"
    lawyer = client_for(users["lawyer"])
    html = lawyer.get(f"/acts/{reminder.id}").get_data(as_text=True)
    assert 'id="verified-warning"' in html and f'href="/recommendations/{rec.id}"' in html
    assert "Повторний візит підтвердив виконання рекомендацій" in html
    # An act carrying nothing verified does not warn.
    other = create_act("submission", registry["agency"].id, [issued[1].id], users["lawyer"])
    db.session.commit()
    assert 'id="verified-warning"' not in lawyer.get(f"/acts/{other.id}").get_data(as_text=True)
