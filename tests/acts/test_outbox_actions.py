"""A failed or uncertain e-mail: sent again, cancelled, or recorded as delivered by other means,
from the act page, the outbox page (in the lawyers' menu) and the API; each decision recorded."""

import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.core.clock import today as kyiv_today
from app.domain.acts.operations import fire
from app.mail.models import OutboxEmail


def failed_email(db, users, make_act, run_jobs, smtp_server):
    """An act sent by e-mail that the authority's server refuses: its e-mail ends failed."""
    smtp_server.handler.reject = {"dkvs@example.org"}
    smtp_server.start()
    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    fire(act, "send", users["lawyer"], {"channel": "email"})
    db.session.commit()
    run_jobs()
    db.session.expire_all()
    email = db.session.scalar(sa.select(OutboxEmail))
    assert email.status == "failed" and email.error_code == "rejected"
    return act, email


def test_act_page_retry_then_cancel_with_a_note(
    db, users, make_act, run_jobs, smtp_server, client_for
):
    act, email = failed_email(db, users, make_act, run_jobs, smtp_server)
    client = client_for(users["lawyer"])
    html = client.get(f"/acts/{act.id}").get_data(as_text=True)
    assert "Надіслати ще раз" in html and "Доставлено іншим способом" in html
    assert "не надіслано" in html
    smtp_server.handler.reject = set()  # the address was fixed on their side
    response = client.post(f"/emails/{email.id}/retry", data={"back": "act"})
    assert response.status_code == 303 and response.location.endswith(f"/acts/{act.id}")
    run_jobs()
    db.session.refresh(email)
    assert email.status == "sent" and email.resolved_by_id == users["lawyer"].id
    assert len(smtp_server.messages) == 1
    # A sent e-mail takes no decision any more.
    response = client.post(f"/emails/{email.id}/cancel", follow_redirects=True)
    assert "Закрити можна лише ненадісланий лист" in response.get_data(as_text=True)
    events = db.session.scalars(sa.select(AuditEvent.event).order_by(AuditEvent.id)).all()
    assert "email.retry" in events


def test_outbox_in_the_menu_cancel_and_delivered_by_other_means(
    db, users, make_act, run_jobs, smtp_server, client_for
):
    act, email = failed_email(db, users, make_act, run_jobs, smtp_server)
    client = client_for(users["lawyer"])
    home = client.get("/").get_data(as_text=True)
    assert 'href="/outbox"' in home and "Вихідна пошта" in home
    html = client.get("/outbox").get_data(as_text=True)
    assert f"/emails/{email.id}/delivered" in html
    response = client.post(
        f"/emails/{email.id}/delivered",
        data={"back": "outbox", "note": "", "delivered_on": kyiv_today().isoformat()},
        follow_redirects=True,
    )
    assert "Зазначте, як і ким його доставлено." in response.get_data(as_text=True)
    response = client.post(
        f"/emails/{email.id}/delivered",
        data={"note": "Вручено нарочно, вх. № 12/5", "delivered_on": kyiv_today().isoformat()},
    )
    assert response.status_code == 303 and response.location.endswith("/outbox")
    db.session.refresh(email)
    assert email.status == "delivered" and email.delivered_on == kyiv_today()
    assert email.resolution_note == "Вручено нарочно, вх. № 12/5"
    assert f"/emails/{email.id}/" not in client.get("/outbox").get_data(as_text=True)
    page = client.get(f"/acts/{act.id}").get_data(as_text=True)
    assert "доставлено іншим способом" in page and "Вручено нарочно" in page
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.event == "email.delivered"))
    assert audit.details["act_id"] == act.id and audit.actor_id == users["lawyer"].id
    assert client_for(users["monitor"]).post(f"/emails/{email.id}/cancel").status_code == 403


def test_api_decisions_on_an_email(db, users, make_act, run_jobs, smtp_server, api_for):
    act, email = failed_email(db, users, make_act, run_jobs, smtp_server)
    api = api_for(users["lawyer"])
    (item,) = api.get("/outbox").get_json()["items"]
    assert item["id"] == email.id and item["status"] == "failed"
    assert api.get(f"/acts/{act.id}").get_json()["email_status"] == "failed"
    response = api.post(f"/emails/{email.id}/delivered", json={"note": "Факсом"})
    assert response.status_code == 422 and "delivered_on" in response.get_json()["error"]["fields"]
    response = api.post(
        f"/emails/{email.id}/delivered", json={"note": "Факсом", "delivered_on": "2099-12-31"}
    )
    assert response.status_code == 422 and "delivered_on" in response.get_json()["error"]["fields"]
    response = api.post(f"/emails/{email.id}/cancel", json={"note": "Надіслано поштою"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "cancelled" and body["resolution_note"] == "Надіслано поштою"
    assert body["resolved_by_id"] == users["lawyer"].id
    response = api.post(f"/emails/{email.id}/retry")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "wrong_status"
    assert api.get(f"/acts/{act.id}").get_json()["email_status"] == "cancelled"
    assert api.get("/outbox").get_json()["items"] == []
    assert api_for(users["monitor"]).post(f"/emails/{email.id}/retry").status_code == 403
    assert api.post("/emails/999999/cancel").status_code == 404
