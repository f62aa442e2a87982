"""The outbox row: written in the caller's transaction, enqueued only after its commit."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.core.jobs import get_queue
from app.mail.models import OutboxEmail
from app.mail.outbox import MailError, emails_for, queue_email, retry, unsent_query


def test_nothing_is_enqueued_before_the_commit_nor_after_a_rollback(app, db, smtp_server):
    smtp_server.configure()
    queue = get_queue("mail")
    queue_email("head@dkvs.gov.ua", "Подання", "Текст")
    assert queue.count == 0  # the row is only flushed: a worker could not see it yet
    db.session.rollback()
    db.session.commit()
    assert queue.count == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 0

    email = queue_email("head@dkvs.gov.ua", "Подання", "Текст")
    assert queue.count == 0
    db.session.commit()
    assert queue.job_ids == [f"{app.config['REDIS_PREFIX']}-email-{email.id}-1"]


def test_without_smtp_settings_the_email_is_held_then_sent_once_they_are_set(
    db, smtp_server, work, reload
):
    email = queue_email("head@dkvs.gov.ua", "Подання", "Текст", subject_type="acts", subject_id=7)
    db.session.commit()
    assert get_queue("mail").count == 0
    row = reload(email.id)
    assert (row.status, row.attempts) == ("held", 0)
    assert row.last_error == "not sent: SMTP not configured"
    assert [e.id for e in db.session.scalars(unsent_query())] == [email.id]

    smtp_server.start()
    get_queue("mail").enqueue("app.mail.jobs.dispatch")
    work()
    row = reload(email.id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert len(smtp_server.messages) == 1
    assert list(db.session.scalars(unsent_query())) == []


def test_a_job_run_while_smtp_is_unconfigured_holds_the_email(app, db, smtp_server, work, reload):
    smtp_server.configure()
    email = queue_email("head@dkvs.gov.ua", "Подання", "Текст")
    db.session.commit()
    app.config["SMTP_HOST"] = None  # the settings were removed before the worker ran
    work()
    row = reload(email.id)
    assert (row.status, row.attempts, row.error_code) == ("held", 0, "not_configured")


def test_addresses_are_validated_and_normalized(db):
    email = queue_email(" Head@Міністерство.укр ; office@dkvs.gov.ua,", "Тема", "Текст")
    assert email.to == ["Head@" + "міністерство.укр".encode("idna").decode(), "office@dkvs.gov.ua"]
    with pytest.raises(MailError) as error:
        queue_email("head@dkvs", "Тема", "Текст")
    assert (error.value.field, str(error.value.message)) == (
        "to",
        "Not a valid e-mail address: head@dkvs",
    )
    with pytest.raises(MailError) as error:
        queue_email("head@dkvs.gov.ua", "Тема", "Текст", cc=["not an address"])
    assert error.value.field == "cc"
    with pytest.raises(MailError):
        queue_email([], "Тема", "Текст")


def test_attachments_stay_inside_storage_and_are_recorded(app, db, pdf_document):
    attachment, pdf = pdf_document
    email = queue_email("head@dkvs.gov.ua", "Тема", "Текст", attachments=[attachment])
    (recorded,) = email.attachments
    assert recorded == {**attachment, "size": len(pdf)}
    with pytest.raises(MailError, match="Attachment not found"):
        queue_email("a@dkvs.gov.ua", "Тема", "Текст", attachments=[{"path": "../secret_key"}])
    with pytest.raises(MailError, match="Attachment has changed"):
        queue_email(
            "a@dkvs.gov.ua", "Тема", "Текст", attachments=[{**attachment, "sha256": "0" * 64}]
        )


def test_message_ids_are_unique_and_fixed_at_creation(db):
    first = queue_email("head@dkvs.gov.ua", "Тема", "Текст")
    second = queue_email(
        "head@dkvs.gov.ua", "Тема", "Текст", sender="Секретаріат <npm@rada.gov.ua>"
    )
    assert first.message_id.startswith("<") and first.message_id.endswith("@ombudsman.gov.ua>")
    assert second.message_id.endswith("@rada.gov.ua>")
    assert first.message_id != second.message_id


def test_emails_for_a_subject(db):
    a = queue_email("head@dkvs.gov.ua", "1", "Текст", subject_type="acts", subject_id=1)
    queue_email("head@dkvs.gov.ua", "2", "Текст", subject_type="acts", subject_id=2)
    c = queue_email("head@dkvs.gov.ua", "3", "Текст", subject_type="acts", subject_id=1)
    queue_email("head@dkvs.gov.ua", "4", "Текст", subject_type="visits", subject_id=1)
    assert [e.id for e in emails_for("acts", 1)] == [a.id, c.id]


def test_a_lawyer_can_retry_a_failed_email_once(app, db, smtp_server, work, reload):
    smtp_server.handler.reject.add("old@dkvs.gov.ua")
    smtp_server.start()
    email = queue_email("old@dkvs.gov.ua", "Подання", "Текст")
    db.session.commit()
    work()
    row = reload(email.id)
    assert row.status == "failed"
    assert [e.id for e in db.session.scalars(unsent_query())] == [email.id]

    smtp_server.handler.reject.clear()  # the address was fixed on the server side
    retry(row)
    with pytest.raises(MailError):
        retry(row)  # a second click: it is queued already
    db.session.commit()
    work()
    row = reload(email.id)
    assert (row.status, row.attempts, row.max_attempts) == ("sent", 2, 1 + 4)
    assert len(smtp_server.messages) == 1


def test_the_database_refuses_impossible_rows(db):
    email = queue_email("head@dkvs.gov.ua", "Тема", "Текст")
    db.session.commit()
    for values in ({"status": "lost"}, {"status": "sent"}, {"status": "sending"}):
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(
                sa.update(OutboxEmail).where(OutboxEmail.id == email.id).values(**values)
            )
        db.session.rollback()


def test_the_dispatcher_is_a_periodic_job_on_the_mail_queue():
    from app.core.jobs import PERIODIC
    from app.mail import jobs  # noqa: F401  (importing it registers the dispatcher)

    assert PERIODIC["mail-dispatch"] == ("app.mail.jobs.dispatch", 60, "mail")


def test_mail_imports_nothing_from_the_domain():
    """app.mail is plumbing: it must not know acts, authorities or any other domain model."""
    package = Path(__file__).resolve().parents[2] / "app" / "mail"
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            assert not [n for n in names if n.startswith("app.domain")], (
                f"{path.name} imports {names}"
            )
    # Nor through what it imports: load it alone and look.
    code = (
        "import sys, app.mail.jobs, app.mail.outbox, app.mail.smtp, app.mail.state;"
        "print([m for m in sys.modules if m.startswith('app.domain')])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=package.parents[1],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"


def test_a_line_break_cannot_smuggle_a_header_into_the_subject(db):
    email = queue_email("head@dkvs.gov.ua", "Подання\r\nBcc: spy@example.org", "Текст")
    assert email.subject == "Подання Bcc: spy@example.org"
    with pytest.raises(MailError) as error:
        queue_email("head@dkvs.gov.ua", "Тема", "Текст", sender="НПМ <npm@>")
    assert error.value.field == "sender"
