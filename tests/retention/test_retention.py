"""Retention deletes only what expired, and nothing of an act under legal hold."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core import storage
from app.core.audit import AuditEvent
from app.core.clock import today as kyiv_today
from app.core.db import utcnow
from app.domain import retention
from app.domain.acts.models import Act, Document
from app.domain.acts.operations import fire
from app.domain.responses.models import ResponseFile
from app.domain.responses.operations import record_response
from app.mail.models import OutboxEmail


@pytest.fixture
def two_acts(db, users, issued, make_act, run_jobs, smtp_server, client_for):
    """Two acts sent by e-mail and answered with a file; the first is under legal hold."""
    smtp_server.start()
    acts = [make_act(recs=[issued[0]]), make_act(recs=[issued[1]])]
    for act in acts:
        fire(act, "generate", users["lawyer"])
        db.session.commit()
        run_jobs()
        fire(act, "send", users["lawyer"], {"channel": "email", "sent_on": kyiv_today()})
        db.session.commit()
        run_jobs()
        data = {
            "received_on": kyiv_today(),
            "incoming_number": f"вх-{act.id}",
            "kind": "interim",
            "text": "Розглядаємо.",
            "positions": [],
        }
        record_response(act, data, [("лист.pdf", _pdf())], users["lawyer"])
        db.session.commit()
    client = client_for(users["lawyer"])
    response = client.post(f"/acts/{acts[0].id}/legal-hold", data={"reason": "Позов до суду"})
    assert response.status_code == 302
    db.session.expire_all()
    return [db.session.get(Act, a.id) for a in acts]


def _pdf():
    from tests.responses.resp_support import pdf_bytes

    return pdf_bytes()


def _ids(db, model, column):
    return sorted(db.session.execute(sa.select(column)).scalars().all())


def _paths(db, model, act):
    if model is Document:
        stmt = sa.select(Document.path).where(Document.act_id == act.id)
    else:
        from app.domain.responses.models import Response

        stmt = sa.select(ResponseFile.path).join(Response).where(Response.act_id == act.id)
    return db.session.scalars(stmt).all()


def test_deletes_only_what_expired_and_nothing_held(db, two_acts):
    held, free = two_acts
    assert held.legal_hold_reason == "Позов до суду"
    free_docs, held_docs = _paths(db, Document, free), _paths(db, Document, held)
    free_files, held_files = _paths(db, ResponseFile, free), _paths(db, ResponseFile, held)
    assert free_docs and held_docs and free_files and held_files
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 2
    days = {"documents": 30, "response_files": 30, "emails": 60, "audit": 30}
    counts = retention.purge(now=utcnow() + timedelta(days=31), days=days)
    db.session.commit()
    retention.remove_files()
    assert counts["documents"] == len(free_docs)
    assert counts["response_files"] == len(free_files)
    assert counts["emails"] == 0  # not expired yet
    assert _paths(db, Document, free) == [] and _paths(db, ResponseFile, free) == []
    assert sorted(_paths(db, Document, held)) == sorted(held_docs)
    assert _paths(db, ResponseFile, held) == held_files
    for path in free_docs + free_files:
        assert not storage.absolute(path).exists()
    for path in held_docs + held_files:
        assert storage.absolute(path).exists()
    audit_subjects = db.session.execute(sa.select(AuditEvent.subject_type, AuditEvent.subject_id))
    assert ("acts", held.id) in set(audit_subjects)
    counts = retention.purge(now=utcnow() + timedelta(days=61), days=days)
    db.session.commit()
    emails = db.session.scalars(sa.select(OutboxEmail)).all()
    assert counts["emails"] == 1 and [(e.subject_type, e.subject_id) for e in emails] == [
        ("acts", held.id)
    ]


def test_nothing_is_deleted_when_kept_for_ever(db, two_acts):
    counts = retention.purge(now=utcnow() + timedelta(days=3650))
    db.session.commit()
    assert counts == {"import_uploads": 0}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 8


def test_release_and_the_run_is_audited(app, db, two_acts, client_for, users):
    held, _free = two_acts
    client = client_for(users["lawyer"])
    client.post(f"/acts/{held.id}/legal-hold", data={"release": "1"})
    db.session.expire_all()
    assert db.session.get(Act, held.id).legal_hold_reason is None
    app.config["RETENTION_DAYS"], saved = {"documents": 1}, app.config["RETENTION_DAYS"]
    try:
        result = app.test_cli_runner().invoke(args=["retention", "run"])
    finally:
        app.config["RETENTION_DAYS"] = saved
    assert result.exit_code == 0 and "documents: 0" in result.output
    db.session.rollback()
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.event == "retention.purged"))
    assert event.details == {"documents": 0, "import_uploads": 0}
    events = db.session.scalars(sa.select(AuditEvent.event)).all()
    assert "act.legal_hold_set" in events and "act.legal_hold_released" in events


def test_legal_hold_needs_a_reason_and_a_lawyer(db, users, make_act, client_for):
    act = make_act()
    client_for(users["lawyer"]).post(f"/acts/{act.id}/legal-hold", data={"reason": " "})
    db.session.expire_all()
    assert db.session.get(Act, act.id).legal_hold_reason is None
    response = client_for(users["monitor"]).post(f"/acts/{act.id}/legal-hold", data={"reason": "x"})
    assert response.status_code == 403


def test_documents_wait_for_their_unsent_email(db, users, make_act, run_jobs):
    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    fire(act, "send", users["lawyer"], {"channel": "email", "sent_on": kyiv_today()})
    db.session.commit()
    run_jobs()
    email = db.session.scalar(sa.select(OutboxEmail))
    assert email.status in retention.ACTIVE_EMAIL_STATES  # no SMTP server configured
    days = {"documents": 1, "emails": 1}
    counts = retention.purge(now=utcnow() + timedelta(days=5), days=days)
    db.session.commit()
    assert counts["documents"] == 0 and counts["emails"] == 0
    assert len(_paths(db, Document, act)) == 4
