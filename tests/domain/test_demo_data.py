"""The demo data (app/domain/demo/data.yaml) loaded through the operations: no page opens on
zeros — sent acts, answers, overdue deadlines, a repeat and a verified recommendation."""

import sqlalchemy as sa

from app.domain import demo
from tests.conftest import Client


def count(db, stmt):
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))


def signed_in(app, role):
    """A test client signed in with a demo account's own password."""
    _role, email, password = next(login for login in demo.logins() if login[0] == role)
    client = Client(app)  # each request in its own app context, as on a server
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def test_demo_data_fills_every_page(app, db):
    from app.domain.acts.models import Act
    from app.domain.recommendations.models import Recommendation
    from app.domain.responses.models import Response
    from app.domain.search import stats

    result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    stats.refresh()  # PostgreSQL's roll-up, as the workers refresh it

    assert count(db, sa.select(Act).where(Act.state.in_(("sent", "overdue", "responded")))) >= 3
    assert count(db, sa.select(Act).where(Act.state == "overdue")) >= 1
    assert count(db, sa.select(Act).where(Act.kind == "reminder")) >= 1  # drafted by the sweep
    assert count(db, sa.select(Response)) >= 2
    assert count(db, sa.select(Recommendation).where(Recommendation.state == "verified")) == 1
    repeat = db.session.scalar(
        sa.select(Recommendation).where(Recommendation.previous_id.is_not(None))
    )
    assert repeat is not None and repeat.state == "issued"
    assert repeat.visit.started_on > repeat.previous.visit.started_on
    sent = db.session.scalars(sa.select(Act).where(Act.outgoing_number.is_not(None))).all()
    assert all(a.sent_on <= a.received_on for a in sent)
    assert {a.sent_on.year for a in sent} >= {2025}  # sent in the past, the clock pinned

    client = signed_in(app, "lawyer")
    overdue = sent_act = None
    for a in sent:
        overdue = overdue or (a if a.state == "overdue" else None)
        sent_act = sent_act or (a if a.state == "responded" else None)
    pages = {
        "/deadlines/": overdue.outgoing_number,
        "/acts/?state=overdue": overdue.outgoing_number,
        "/acts/": sent_act.outgoing_number,
        f"/acts/{sent_act.id}": "12/3-1184",
        f"/recommendations/{repeat.id}": repeat.previous.visit.started_on.strftime("%d.%m.%Y"),
        "/dashboard": "Виконання підтверджено",
    }
    for path, text in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in response.get_data(as_text=True), path


def test_demo_logins_and_facility_types(app, db):
    runner = app.test_cli_runner()
    output = runner.invoke(args=["demo", "logins"]).output
    for role, email, password in demo.logins():
        assert email in output and password in output and role in output
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    from app.domain.facilities.models import Facility

    # "установа виконання покарань" is a prison colony, not a pre-trial centre (DOMAIN.md).
    names = db.session.scalars(sa.select(Facility.name).where(Facility.type == "sizo")).all()
    assert names and all("слідчий ізолятор" in n for n in names)
