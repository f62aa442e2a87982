"""Fixtures of the inbox tests: a real Dovecot on loopback, an act sent by e-mail through the
real SMTP sink, and replies built as mail clients write them."""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest

from app.core.clock import today
from app.core.db import utcnow
from app.domain.acts.operations import fire
from tests.inbox.dovecot import DOVECOT, Dovecot

INBOX_CONFIG = {
    "IMAP_URL": None,
    "IMAP_FILED_FOLDER": "Vidhuk/filed",
    "IMAP_PLUS_ADDRESSING": False,
    "INBOX_MAX_BYTES": 30 * 1024 * 1024,
    "INBOX_MAX_ATTACHMENTS": 50,
}


@pytest.fixture
def dovecot(app, db):
    if DOVECOT is None:
        pytest.skip("the dovecot binary is not installed (Debian package dovecot-imapd)")
    saved = {key: app.config.get(key) for key in INBOX_CONFIG}
    server = Dovecot().start()
    app.config.update(INBOX_CONFIG, IMAP_URL=server.url)
    yield server
    server.remove()
    app.config.update(saved)


@pytest.fixture
def mailbox(app, dovecot):
    """Put messages in the office mailbox (IMAP APPEND) and look at its folders."""
    from app.mail import imap

    class Box:
        def append(self, message, folder="INBOX"):
            raw = message if isinstance(message, bytes) else bytes(message)
            with imap.connect() as box:
                box.append(raw, folder)

        def uids(self, folder="INBOX"):
            with imap.connect() as box:
                folder = box.server_name(folder)
                if not box.box.folder.exists(folder):
                    return []
                box.box.folder.set(folder)
                return box.uids()

    return Box()


@pytest.fixture
def email_act(db, users, make_act, run_jobs, smtp_server):
    """An act sent by e-mail today through the real SMTP sink: (act, the message as sent)."""
    smtp_server.start()
    act = make_act()
    fire(act, "generate", users["lawyer"])
    db.session.commit()
    run_jobs()
    db.session.refresh(act)
    fire(act, "send", users["lawyer"], {"channel": "email", "sent_on": today()})
    db.session.commit()
    run_jobs()
    assert len(smtp_server.messages) == 1
    return act, smtp_server.messages[-1].message


def reply(
    sent=None,
    *,
    sender="dkvs@example.org",
    subject=None,
    text="Відповідь.",
    files=(),
    headers=None,
    to="npm@ombudsman.gov.ua",
):
    """A reply as a mail client writes it: Re: subject, In-Reply-To, the quoted letter."""
    msg = EmailMessage()
    msg["From"] = f"Служба <{sender}>"
    msg["To"] = to
    msg["Subject"] = subject if subject is not None else f"Re: {sent['Subject']}"
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = make_msgid(domain="example.org")
    if sent is not None:
        msg["In-Reply-To"] = sent["Message-ID"]
        msg["References"] = sent["Message-ID"]
    for name, value in (headers or {}).items():
        msg[name] = value
    quoted = ""
    if sent is not None:
        body = sent.get_body(("plain",)).get_content()
        quoted = "\n\n30 листопада 2026 р. о 10:00 НПМ <npm@ombudsman.gov.ua> пише:\n" + "\n".join(
            "> " + line for line in body.splitlines()
        )
    msg.set_content(text + quoted)
    for name, data, maintype, subtype in files:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def scanned_pdf(lines):
    """An image-only PDF (no text layer) of ``lines`` rendered at 300 dpi, as a scanner makes."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 48)
    image = Image.new("L", (2480, 300 + 90 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((150, 150 + 90 * n), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, "PDF", resolution=300.0)
    return out.getvalue()


#: The smallest file the content check takes for a PDF (an answer's scan is larger in life).
SMALL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
