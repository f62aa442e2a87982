"""Closing, cancelling and withdrawing ask for confirmation and a reason (pages and API); the
send form keeps its input and shows each error under its field."""

import re
from datetime import timedelta

from app.core.clock import today as kyiv_today
from app.domain.acts.models import Act
from app.domain.recommendations.models import Recommendation
from app.workflow import get_engine


def _history_comment(subject):
    return get_engine().history(subject)[-1].comment


def test_close_asks_for_a_reason_and_names_the_unassessed(db, users, sent_act, client_for):
    client = client_for(users["lawyer"])
    html = client.get(f"/acts/{sent_act.id}").get_data(as_text=True)
    # The act page offers «Закрити…» as a step to a confirmation page (a GET form), not a post.
    assert re.search(r'<form method="get" action="/acts/\d+/transitions/confirm"', html)
    assert 'value="close">Закрити…</button>' in html
    page = client.get(f"/acts/{sent_act.id}/transitions/confirm?name=close")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Закрити акт реагування?" in text and "Причина" in text
    assert "Не оцінено рекомендацій цього акта: 3" in text
    for rec in sent_act.recommendations:
        assert f"/recommendations/{rec.id}" in text
    # No reason: the same page again, the error under the field, nothing closed.
    refused = client.post(
        f"/acts/{sent_act.id}/transitions", data={"name": "close", "comment": "  "}
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Вкажіть причину" in text and "Закрити акт реагування?" in text
    db.session.refresh(sent_act)
    assert sent_act.state == "sent"
    done = client.post(
        f"/acts/{sent_act.id}/transitions",
        data={"name": "close", "comment": "Орган повідомив про виконання"},
    )
    assert done.status_code == 302
    db.session.refresh(sent_act)
    assert sent_act.state == "closed"
    assert _history_comment(sent_act) == "Орган повідомив про виконання"
    # Nothing left to confirm.
    assert client.get(f"/acts/{sent_act.id}/transitions/confirm?name=close").status_code == 404


def test_close_needs_a_reason_in_the_api(db, users, sent_act, api_for):
    lawyer = api_for(users["lawyer"])
    response = lawyer.post(f"/acts/{sent_act.id}/transitions", json={"name": "close"})
    assert response.status_code == 422
    assert "comment" in response.get_json()["error"]["fields"]
    response = lawyer.post(
        f"/acts/{sent_act.id}/transitions", json={"name": "close", "comment": "Виконано"}
    )
    assert response.status_code == 200 and response.get_json()["state"] == "closed"


def test_cancel_a_draft_through_its_confirmation(db, users, make_act, client_for):
    act = make_act()
    client = client_for(users["lawyer"])
    text = client.get(f"/acts/{act.id}/transitions/confirm?name=cancel").get_data(as_text=True)
    assert "Скасувати проєкт акта?" in text and "Не оцінено рекомендацій" not in text
    assert client.post(f"/acts/{act.id}/transitions", data={"name": "cancel"}).status_code == 422
    response = client.post(
        f"/acts/{act.id}/transitions", data={"name": "cancel", "comment": "Помилковий адресат"}
    )
    assert response.status_code == 302
    assert db.session.get(Act, act.id).state == "cancelled"


def test_confirmation_refused_to_whoever_may_not_fire_it(db, users, sent_act, client_for):
    monitor = client_for(users["monitor"])
    assert monitor.get(f"/acts/{sent_act.id}/transitions/confirm?name=close").status_code == 404
    lawyer = client_for(users["lawyer"])
    assert lawyer.get(f"/acts/{sent_act.id}/transitions/confirm?name=send").status_code == 404


def test_withdraw_is_confirmed_with_a_reason(db, users, issued, client_for):
    rec = issued[0]
    client = client_for(users["lawyer"])
    html = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert 'value="withdraw">Зняти з контролю…</button>' in html
    text = client.get(f"/recommendations/{rec.id}/transitions/confirm?name=withdraw").get_data(
        as_text=True
    )
    assert "Зняти рекомендацію з контролю?" in text and "Втратила актуальність" in text
    refused = client.post(f"/recommendations/{rec.id}/transitions", data={"name": "withdraw"})
    assert refused.status_code == 422 and "Вкажіть причину" in refused.get_data(as_text=True)
    response = client.post(
        f"/recommendations/{rec.id}/transitions",
        data={"name": "withdraw", "comment": "Установу ліквідовано"},
    )
    assert response.status_code == 302
    rec = db.session.get(Recommendation, rec.id)
    assert rec.state == "no_longer_relevant"
    assert _history_comment(rec) == "Установу ліквідовано"


def test_send_form_prefilled_and_keeps_input_on_errors(db, users, make_act, client_for, run_jobs):
    act = make_act()
    client = client_for(users["lawyer"])
    client.post(f"/acts/{act.id}/transitions", data={"name": "generate"})
    run_jobs()
    html = client.get(f"/acts/{act.id}").get_data(as_text=True)
    assert re.search(rf'name="sent_on"[^>]*value="{kyiv_today().isoformat()}"', html)
    future = (kyiv_today() + timedelta(days=3)).isoformat()
    response = client.post(
        f"/acts/{act.id}/transitions",
        data={"name": "send", "channel": "post", "sent_on": future},
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "sent_on:" not in text
    assert re.search(r'id="sent_on-err">Дата надсилання не може бути в майбутньому', text)
    assert re.search(rf'name="sent_on"[^>]*value="{future}"', text)
    assert re.search(r'<option selected value="post">|<option value="post" selected', text)
    bad = client.post(
        f"/acts/{act.id}/transitions",
        data={"name": "send", "channel": "post", "sent_on": "31.02.2026"},
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert 'value="31.02.2026"' in text and 'id="sent_on-err"' in text
    assert "Not a valid" not in text
    assert db.session.get(Act, act.id).state == "draft"
