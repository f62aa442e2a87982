"""Bad mail in the office mailbox: each message is kept with a clear state and reason, nothing
crashes the fetch, nothing is lost, nothing is filed twice."""

import os

import sqlalchemy as sa

from app.domain.inbox.fetch import fetch
from app.domain.inbox.models import InboxMessage
from app.domain.responses.models import Response, ResponseFile
from tests.inbox.conftest import SMALL_PDF, reply


def _by_subject():
    return {m.subject: m for m in InboxMessage.query.order_by(InboxMessage.id)}


def _raw_reply(sent, subject, body_headers, body):
    head = (
        f"From: dkvs@example.org\r\nTo: npm@ombudsman.gov.ua\r\nSubject: {subject}\r\n"
        f"Message-ID: <{subject}@example.org>\r\nIn-Reply-To: {sent['Message-ID']}\r\n"
        "MIME-Version: 1.0\r\n"
    )
    return head.encode() + body_headers.encode() + b"\r\n" + body


def test_bad_mail_is_kept_with_its_reason_and_the_fetch_goes_on(
    app, db, users, email_act, mailbox, api_for
):
    act, sent = email_act
    big = reply(
        sent,
        subject="big",
        files=[("big.pdf", b"%PDF-1.4\n" + os.urandom(37 * 2**20), "application", "pdf")],
    )
    many = reply(
        sent,
        subject="many",
        files=[(f"{n}.pdf", SMALL_PDF, "application", "pdf") for n in range(300)],
    )
    zipped = reply(
        sent, subject="zip", files=[("docs.zip", b"PK\x03\x04" + b"\0" * 100, "application", "zip")]
    )
    renamed = reply(
        sent, subject="exe", files=[("scan.pdf", b"MZ\x90\x00" + b"\0" * 200, "application", "pdf")]
    )
    charset = _raw_reply(
        sent,
        "charset",
        'Content-Type: text/plain; charset="x-no-such-charset"\r\n',
        "Відповідь у кодуванні windows-1251".encode("cp1251"),
    )
    malformed = _raw_reply(
        sent,
        "malformed",
        'Content-Type: multipart/mixed; boundary="nope"\r\n',
        b"--other\r\nContent-Type: text/plain\r\n\r\nbroken\r\n--nope\r\nContent-Type: "
        b'application/pdf; name="x.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!@@@',
    )
    stranger = reply(None, sender="unknown@elsewhere.example", subject="stranger")
    for message in (big, many, zipped, renamed, charset, malformed, stranger):
        mailbox.append(message)
    assert len(big.as_bytes()) > 50 * 10**6

    counts = fetch()
    assert counts["failed"] == 0 and counts["new"] == 7, counts
    kept = _by_subject()
    assert set(kept) == {"big", "many", "zip", "exe", "charset", "malformed", "stranger"}
    assert (kept["big"].state, kept["big"].reason_code) == ("unmatched", "too_large")
    assert (kept["many"].state, kept["many"].reason_code) == ("unmatched", "too_many_attachments")
    for name in ("zip", "exe"):
        assert kept[name].state == "filed"
        (entry,) = kept[name].attachments
        assert entry["problem"] == "type"
        assert not db.session.get(Response, kept[name].response_id).files
    assert kept["charset"].state == "filed"
    assert "windows-1251" in kept["charset"].text and "Відповідь" in kept["charset"].text
    assert kept["malformed"].state in ("filed", "unmatched")
    assert kept["stranger"].state == "unmatched" and kept["stranger"].reason_code == "no_match"
    assert mailbox.uids("INBOX") == []  # every message read, kept and put away

    # the large one can be opened and filed by a lawyer; its original is whole
    api = api_for(users["lawyer"])
    original = api.get(f"/inbox/{kept['big'].id}/original")
    try:
        assert original.status_code == 200 and len(original.data) == kept["big"].size
    finally:
        original.close()
    filed = api.post(f"/inbox/{kept['many'].id}/file", json={"act_id": act.id})
    assert filed.status_code == 200, filed.get_json()
    files = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ResponseFile)
        .where(ResponseFile.response_id == filed.get_json()["response_id"])
    )
    assert files == app.config["INBOX_MAX_ATTACHMENTS"]

    assert fetch()["new"] == 0  # and again: nothing is read twice


def test_two_fetches_at_once_file_once(app, db, email_act, mailbox):
    import threading

    act, sent = email_act
    for n in range(5):
        mailbox.append(reply(sent, subject=f"r{n}"))
    from app.domain.inbox.fetch import FetchBusy

    outcomes = []

    def run():
        with app.app_context():
            try:
                outcomes.append(fetch())
            except FetchBusy:
                outcomes.append("busy")

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fetch()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 5
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxMessage)) == 5
