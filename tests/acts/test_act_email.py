"""Sending an act by e-mail: the outbox row queued by the letters job once the registered
documents are ready, the real SMTP delivery."""

import io

import sqlalchemy as sa
from pypdf import PdfReader

from app.core.clock import today
from app.domain.acts.operations import fire
from app.mail.models import OutboxEmail


def ready_act(db, users, make_act, run_jobs):
    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    assert act.documents_status == "ready"
    return act


def test_act_sent_by_email_arrives_with_its_pdf(
    app, db, users, make_act, run_jobs, smtp_server, api_for
):
    smtp_server.start()
    try:
        act = ready_act(db, users, make_act, run_jobs)
        fire(act, "send", users["lawyer"], {"channel": "email", "sent_on": today()})
        db.session.commit()
        run_jobs()
        assert len(smtp_server.messages) == 1
        message = smtp_server.messages[0].message
        assert act.outgoing_number in message["Subject"] and message["Subject"].startswith(
            "Подання"
        )
        assert message["To"] == "dkvs@example.org"
        assert message["Reply-To"] == app.config["ISSUER"]["email"]
        body = message.get_body(("plain",)).get_content()
        assert act.outgoing_number in body and "Надсилаємо подання" in body
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename().endswith(".pdf")
        pdf = PdfReader(io.BytesIO(attachment.get_content()))
        text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
        assert (
            act.outgoing_number in text and "Державна кримінально-виконавча служба України" in text
        )
        db.session.expire_all()
        email = db.session.scalar(sa.select(OutboxEmail))
        assert (
            email.status == "sent" and email.subject_type == "acts" and email.subject_id == act.id
        )
        response = api_for(users["lawyer"]).get(f"/acts/{act.id}/emails")
        (item,) = response.get_json()
        assert item["status"] == "sent" and item["message_id"] == email.message_id
        assert item["to"] == ["dkvs@example.org"] and item["attempts"] == 1
    finally:
        smtp_server.stop()


def test_by_post_there_is_no_email(db, users, make_act, run_jobs):
    act = ready_act(db, users, make_act, run_jobs)
    fire(act, "send", users["lawyer"], {"channel": "post", "sent_on": today()})
    db.session.commit()
    run_jobs()  # the registered documents; a letter for post queues no e-mail
    db.session.refresh(act)
    assert act.documents_status == "ready" and any(d.is_final for d in act.documents)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 0


def test_without_smtp_the_email_waits_in_the_outbox(app, db, users, make_act, run_jobs, client_for):
    assert not app.config["SMTP_HOST"]
    act = ready_act(db, users, make_act, run_jobs)
    fire(act, "send", users["lawyer"], {"channel": "email", "sent_on": today()})
    db.session.commit()
    run_jobs()
    email = db.session.scalar(sa.select(OutboxEmail))
    assert email.status == "held"
    html = client_for(users["lawyer"]).get(f"/acts/{act.id}").get_data(as_text=True)
    assert "не надіслано: SMTP не налаштовано" in html
