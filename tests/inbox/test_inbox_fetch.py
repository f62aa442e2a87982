"""The office mailbox read from a real Dovecot: replies filed on their act, fetched once,
unmatched mail waiting and filed by a lawyer, automatic replies and bounces recognised."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.clock import today
from app.domain.inbox.fetch import fetch
from app.domain.inbox.models import InboxMessage
from app.domain.responses.models import Response
from app.mail.models import OutboxEmail
from tests.inbox.conftest import SMALL_PDF, reply


def _messages():
    return list(InboxMessage.query.order_by(InboxMessage.id))


def test_a_reply_with_a_pdf_becomes_a_response_to_review_on_its_act(
    app, db, users, email_act, mailbox, client_for
):
    act, sent = email_act
    mailbox.append(
        reply(
            sent,
            text="Повідомляємо, що рекомендації виконано.",
            files=[("vidpovid.pdf", SMALL_PDF, "application", "pdf")],
        )
    )
    counts = fetch()
    assert counts["filed"] == 1 and counts["new"] == 1
    (message,) = _messages()
    assert message.state == "filed" and message.matched_by == "references"
    response = db.session.get(Response, message.response_id)
    assert response.act_id == act.id
    assert (response.source, response.status) == ("email", "to_review")
    assert "рекомендації виконано" in response.text
    assert "пише:" not in response.text and "Надсилаємо" not in response.text  # quote cut
    assert [f.filename for f in response.files] == ["vidpovid.pdf"]
    assert act.state == "sent"  # nothing moves until a lawyer records it
    # the message left the inbox for the filed folder, only after the commit
    assert mailbox.uids("INBOX") == [] and len(mailbox.uids("Vidhuk/filed")) == 1
    lawyer = client_for(users["lawyer"])
    original = lawyer.get(f"/inbox/{message.id}/original")
    assert original.status_code == 200 and b"In-Reply-To" in original.data
    assert "Повідомляємо" in lawyer.get(f"/responses/{response.id}/review").get_data(as_text=True)
    home = lawyer.get("/").get_data(as_text=True)
    assert 'id="count-inbox"' in home


def test_the_same_fetch_twice_files_once(app, db, email_act, mailbox):
    act, sent = email_act
    mailbox.append(reply(sent))
    fetch()
    second = fetch()
    assert second["new"] == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_a_fetch_that_died_before_moving_reads_nothing_twice(app, db, email_act, mailbox):
    """The commit happened, the move did not (a worker killed between them): the next fetch
    finds the UID stored and only puts it away."""
    act, sent = email_act
    mailbox.append(reply(sent))
    app.config["IMAP_FILED_FOLDER"] = "Vidhuk/filed"
    from app.mail import imap

    original = imap.Mailbox.put_away
    imap.Mailbox.put_away = lambda self, uids, folder: None  # the worker dies before moving
    try:
        fetch()
    finally:
        imap.Mailbox.put_away = original
    assert len(mailbox.uids("INBOX")) == 1
    counts = fetch()
    assert counts["new"] == 0 and counts["put_away"] == 1
    assert mailbox.uids("INBOX") == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_the_server_down_then_up_loses_nothing(app, db, email_act, mailbox, dovecot):
    act, sent = email_act
    mailbox.append(reply(sent))
    dovecot.stop()
    with pytest.raises(OSError):
        fetch()
    assert _messages() == []
    dovecot.start()
    assert fetch()["filed"] == 1


def test_a_reply_matched_by_the_number_in_the_subject(app, db, email_act, mailbox):
    act, _sent = email_act
    mailbox.append(reply(None, subject=f"Відповідь на № {act.outgoing_number}", text="Текст"))
    fetch()
    (message,) = _messages()
    assert (message.state, message.matched_by, message.act_id) == ("filed", "number", act.id)


def test_a_reply_matched_by_the_plus_address(app, db, email_act, mailbox):
    act, _sent = email_act
    mailbox.append(
        reply(
            None,
            sender="someone@elsewhere.example",
            subject="Лист",
            to=f"npm+act-{act.id}@ombudsman.gov.ua",
        )
    )
    fetch()
    (message,) = _messages()
    assert (message.state, message.matched_by) == ("filed", "plus_address")


def test_plus_addressing_sets_the_reply_to(app, db, users, make_act, run_jobs, smtp_server):
    from app.domain.acts.sending import reply_address

    app.config["IMAP_PLUS_ADDRESSING"] = True
    try:
        act = make_act()
        assert reply_address(act) == f"npm+act-{act.id}@ombudsman.gov.ua"
    finally:
        app.config["IMAP_PLUS_ADDRESSING"] = False


def test_a_reply_from_the_authoritys_address_with_one_open_act(app, db, email_act, mailbox):
    act, _sent = email_act
    mailbox.append(reply(None, subject="Інформація", text="Надаємо інформацію."))
    fetch()
    (message,) = _messages()
    assert (message.state, message.matched_by, message.act_id) == ("filed", "sender", act.id)


def test_unmatched_mail_waits_and_a_lawyer_files_it(
    app, db, users, email_act, mailbox, client_for, api_for
):
    act, _sent = email_act
    mailbox.append(reply(None, sender="citizen@gmail.com", subject="Скарга", text="Прошу…"))
    fetch()
    (message,) = _messages()
    assert (message.state, message.reason_code) == ("unmatched", "no_match")
    api = api_for(users["lawyer"])
    listed = api.get("/inbox?state=unmatched").get_json()
    assert [m["id"] for m in listed["items"]] == [message.id]
    assert set(listed["items"][0]) >= {
        "id",
        "from",
        "subject",
        "received_at",
        "state",
        "attachments",
    }
    page = client_for(users["lawyer"]).get(f"/inbox/{message.id}?q={act.outgoing_number}")
    assert act.outgoing_number in page.get_data(as_text=True)
    filed = api.post(f"/inbox/{message.id}/file", json={"act_id": act.id})
    assert filed.status_code == 200, filed.get_json()
    assert filed.get_json()["state"] == "filed"
    again = api.post(f"/inbox/{message.id}/file", json={"act_id": act.id})
    assert again.status_code == 409
    response = db.session.get(Response, filed.get_json()["response_id"])
    assert (response.source, response.status, response.act_id) == ("email", "to_review", act.id)


def test_a_message_set_aside(app, db, users, email_act, mailbox, api_for):
    mailbox.append(reply(None, sender="spam@gmail.com", subject="Знижки"))
    fetch()
    (message,) = _messages()
    answer = api_for(users["lawyer"]).post(f"/inbox/{message.id}/ignore", json={"note": "спам"})
    assert answer.status_code == 200 and answer.get_json()["state"] == "ignored"


def test_an_automatic_reply_is_a_note_on_the_act_never_an_answer(
    app, db, users, email_act, mailbox, client_for
):
    act, sent = email_act
    mailbox.append(
        reply(
            sent,
            subject="Автовідповідь: у відпустці",
            text="Я у відпустці до 10.12.",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )
    fetch()
    (message,) = _messages()
    assert (message.state, message.act_id) == ("auto_reply", act.id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
    html = client_for(users["lawyer"]).get(f"/acts/{act.id}").get_data(as_text=True)
    assert f'id="auto-reply-{message.id}"' in html


@pytest.mark.parametrize(
    "headers, subject",
    [
        ({"X-Autoreply": "yes"}, "Re: лист"),
        ({"Precedence": "auto_reply"}, "Re: лист"),
        ({}, "Out of Office: back on Monday"),
        ({}, "Automatic reply: Подання"),
    ],
)
def test_automatic_replies_by_their_marks(app, db, email_act, mailbox, headers, subject):
    mailbox.append(reply(None, subject=subject, headers=headers))
    fetch()
    assert _messages()[0].state == "auto_reply"


def dsn(sent, reason="5.1.1 <dkvs@example.org>: Recipient address rejected: User unknown"):
    """A delivery failure report (RFC 3464) as Postfix sends it."""
    return (
        "From: MAILER-DAEMON@mail.example.org (Mail Delivery System)\r\n"
        "To: npm@ombudsman.gov.ua\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\n"
        "This is the mail system. Your message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mail.example.org\r\n\r\n"
        "Final-Recipient: rfc822; dkvs@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        f"Diagnostic-Code: smtp; 550 {reason}\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {sent['Message-ID']}\r\nSubject: {sent['Subject']}\r\n\r\n--B--\r\n"
    ).encode()


def test_a_bounce_marks_the_email_not_delivered_and_offers_the_post(
    app, db, users, email_act, mailbox, client_for
):
    act, sent = email_act
    mailbox.append(dsn(sent))
    fetch()
    (message,) = _messages()
    assert message.state == "bounce" and message.reason_code == "bounce"
    email = db.session.scalar(sa.select(OutboxEmail).where(OutboxEmail.subject_type == "acts"))
    assert email.status == "bounced" and "User unknown" in email.last_error
    db.session.refresh(act)
    assert act.deadline.suspended_on == act.sent_on  # the clock does not run
    lawyer = client_for(users["lawyer"])
    html = lawyer.get(f"/acts/{act.id}").get_data(as_text=True)
    assert f'id="not-delivered-{email.id}"' in html and 'id="send-by-post"' in html
    assert "User unknown" in html
    from app.domain.notifications import Notification

    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.kind == "email_bounced")
        )
        == 1
    )
    posted = lawyer.post(f"/acts/{act.id}/send-by-post", data={})
    assert posted.status_code == 303
    db.session.expire_all()
    assert act.channel == "post" and act.deadline.suspended_on is None
    assert act.received_on_assumed and act.deadline.pauses == []
    assert act.received_on == today() + timedelta(days=app.config["POST_DELIVERY_DAYS"])
    assert act.due_on is not None and act.due_on > act.received_on


def test_a_reply_to_a_deleted_act_waits_with_the_reason(app, db, users, mailbox, email_act):
    act, sent = email_act
    email = db.session.scalar(sa.select(OutboxEmail).where(OutboxEmail.subject_type == "acts"))
    email.subject_id = 10**6  # the act it was about is gone
    db.session.commit()
    mailbox.append(reply(sent, sender="other@elsewhere.example"))
    fetch()
    (message,) = _messages()
    assert (message.state, message.reason_code) == ("unmatched", "act_deleted")


def test_flask_mail_fetch_and_the_workers_periodic_fetch(app, db, email_act, mailbox):
    from app.core.jobs import PERIODIC
    from app.domain.inbox.fetch import fetch_job

    act, sent = email_act
    mailbox.append(reply(sent))
    result = app.test_cli_runner().invoke(args=["mail", "fetch"])
    assert result.exit_code == 0, result.output
    assert "filed=1" in result.output
    assert PERIODIC["mail-fetch"][0] == "app.domain.inbox.fetch.fetch_job"
    mailbox.append(reply(sent, subject="Друга відповідь"))
    assert fetch_job()["filed"] == 1
    app.config["IMAP_URL"] = None
    assert fetch_job() == {"skipped": "IMAP_URL not set"}


@pytest.mark.parametrize("how", ["imaps", "starttls"])
def test_imaps_and_starttls(app, db, tmp_path, how):
    """TLS from the first byte and STARTTLS, the server's certificate checked against a CA."""
    import trustme

    from tests.inbox.dovecot import DOVECOT, Dovecot

    if DOVECOT is None:
        pytest.skip("the dovecot binary is not installed (Debian package dovecot-imapd)")
    ca = trustme.CA()
    cert = ca.issue_cert("localhost")
    server = Dovecot(
        tls=(cert.private_key_and_cert_chain_pem.bytes(), cert.private_key_pem.bytes())
    ).start()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    saved = {k: app.config.get(k) for k in ("IMAP_URL", "IMAP_CA_FILE")}
    try:
        app.config["IMAP_CA_FILE"] = str(tmp_path / "ca.pem")
        app.config["IMAP_URL"] = server.tls_url() if how == "imaps" else server.starttls_url()
        from app.mail import imap

        with imap.connect() as box:
            box.append(reply(None, sender="x@gmail.com", subject="TLS").as_bytes())
        assert fetch()["unmatched"] == 1
        app.config["IMAP_CA_FILE"] = None  # an unknown CA: refused, nothing read
        import ssl

        with pytest.raises(ssl.SSLError):
            fetch()
    finally:
        app.config.update(saved)
        server.remove()


def test_without_a_filed_folder_messages_are_flagged_and_read_once(
    app, db, users, dovecot, mailbox, client_for
):
    app.config["IMAP_FILED_FOLDER"] = ""
    mailbox.append(reply(None, sender="citizen@gmail.com", subject="Питання громадянина"))
    assert fetch()["unmatched"] == 1
    assert len(mailbox.uids("INBOX")) == 1  # still there, flagged
    assert fetch()["new"] == 0
    page = client_for(users["lawyer"]).get("/inbox").get_data(as_text=True)
    assert "Питання громадянина" in page and 'id="tab-unmatched"' in page
    assert client_for(users["monitor"]).get("/inbox").status_code in (403, 404)
