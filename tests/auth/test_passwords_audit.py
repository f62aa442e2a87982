"""Password rules on every way in, and the append-only audit log (page and API)."""

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.core.audit import AuditEvent
from tests.conftest import PASSWORD, Client


@pytest.mark.parametrize(
    "password,message",
    [
        ("short", "щонайменше 10 символів"),
        ("qwertyuiop", "найпоширеніших"),
        ("password123", "найпоширеніших"),
        ("1234567890", "найпоширеніших"),
        ("olena.koval-2026!", "адресу електронної пошти"),
        ("my-kovalenko-pass", "ваше ім’я"),
    ],
)
def test_weak_passwords_are_refused_everywhere(app, db, users, password, message):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "olena.koval@example.org",
            "--name",
            "Олена Kovalenko",
            "--role",
            "lawyer",
        ],
        input=password + "\n",
    )
    assert result.exit_code != 0 and message in result.output
    admin = Client(app, users["admin"])
    data = {
        "email": "olena.koval@example.org",
        "name": "Олена Kovalenko",
        "role": "lawyer",
        "password": password,
    }
    response = admin.post("/users/new", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(User).where(User.email == data["email"])) is None
    lawyer = users["lawyer"]
    lawyer.email, lawyer.name = "olena.koval@example.org", "Олена Kovalenko"
    db.session.commit()
    client = Client(app, lawyer)
    response = client.post(
        "/profile",
        data={
            "which": "password",
            "pw-current": PASSWORD,
            "pw-password": password,
            "pw-confirm": password,
        },
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert Client(app, lawyer).get("/visits/").status_code == 200  # the old one still works


def test_the_common_list_ships_with_the_package():
    from app.auth.passwords import common_passwords

    assert len(common_passwords()) > 5000 and "iloveyou" in common_passwords()


def db_events():
    from app.extensions import db

    return db.session.scalars(sa.select(AuditEvent.event).order_by(AuditEvent.id)).all()


def test_admin_actions_are_audited(app, db, users, registry):
    admin = Client(app, users["admin"])
    lawyer = users["lawyer"]
    admin.post(
        f"/users/{lawyer.id}/edit",
        data={"email": lawyer.email, "name": lawyer.name, "role": "admin", "is_active": "y"},
    )
    admin.post("/authorities/new", data={"name": "Нова служба", "kind": "agency"})
    admin.post(
        "/calendar",
        data={
            "which": "day",
            "day-day": "2026-12-31",
            "day-is_working": "0",
            "day-note": "вихідний",
        },
    )
    events = db_events()
    for expected in (
        "user.role_changed",
        "user.updated",
        "authority.created",
        "calendar.day_saved",
    ):
        assert expected in events
    row = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.event == "user.role_changed"))
    assert row.actor_id == users["admin"].id and row.details == {"role": ["lawyer", "admin"]}
    assert row.subject_type == "users" and row.subject_id == lawyer.id and row.ip == "127.0.0.1"


def test_audit_page_is_for_admins_filtered_and_paginated(app, db, users, client_for):
    client_for().post("/login", data={"email": "monitor@example.org", "password": "wrong"})
    admin = Client(app, users["admin"])
    assert Client(app, users["lawyer"]).get("/audit").status_code == 403
    page = admin.get("/audit?event=login.failed").get_data(as_text=True)
    assert "monitor@example.org" in page and "login.succeeded" not in page.split("<tbody>")[1]
    page = admin.get("/audit?user=admin@example.org").get_data(as_text=True)
    assert "login.succeeded" in page and "monitor@example.org" not in page.split("<tbody>")[1]
    page = admin.get("/audit?from=2001-01-01&to=2001-01-02").get_data(as_text=True)
    assert "Нічого не знайдено" in page
    assert admin.get("/audit?from=yesterday&page=x").status_code == 200


def test_audit_api(app, db, users, api_for):
    Client(app, users["lawyer"])
    api = api_for(users["admin"])
    body = api.get("/audit?event=login.succeeded&per_page=1").get_json()
    assert set(body) == {"items", "total", "page", "per_page"} and body["total"] == 1
    item = body["items"][0]
    assert item["event"] == "login.succeeded" and item["actor"] == "lawyer@example.org"
    assert api.get("/audit?from=31.12.2026").status_code == 422
    assert api_for(users["lawyer"]).get("/audit").status_code == 403
    assert api_for(users["monitor"]).get("/audit").status_code == 403


def test_the_audit_log_cannot_be_edited_or_deleted(app, db, users, api_for):
    api = api_for(users["admin"])
    admin = Client(app, users["admin"])
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    first = db.session.scalar(sa.select(AuditEvent.id).order_by(AuditEvent.id))
    for call in (api.delete, api.patch, api.put, api.post):
        assert call(f"/audit/{first}").status_code in (404, 405)
    assert api.post("/audit", json={"event": "x"}).status_code == 405
    assert admin.post("/audit").status_code == 405
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) >= rows


@pytest.mark.postgres
def test_postgresql_refuses_to_change_audit_rows(db, users):
    from sqlalchemy.exc import DBAPIError

    for statement in ("UPDATE audit_events SET event = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(sa.text(statement))
        db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 3
