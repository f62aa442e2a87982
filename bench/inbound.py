"""Reading the office mailbox: messages filed per second through the project's path against a
bare IMAP fetch of the same messages in the same run, and memory from 500 to 1,000 messages.

    .venv/bin/python bench/inbound.py [--messages 1000] [--database-url postgresql://…]
        [--redis-url redis://…]

Starts a throw-away Dovecot on loopback (Debian's dovecot-imapd), fills the mailbox with
``--messages`` replies (text with the quoted letter and a small PDF, as authorities send them),
then measures, in this order:

* the bare fetch: imap-tools reading every message as a plain script would
  (``MailBox.fetch(mark_seen=False)``, each message parsed), nothing stored;
* the project's path (``app.domain.inbox.fetch.fetch``): every message read, parsed, classified,
  matched, stored (.eml and row, each in its own transaction) and moved to the filed folder —
  first 500 messages, then the rest, with the process's peak memory (RSS) after each part.

Prints messages per second of each, their ratio (the issue asks ≤ 3×), and the peak RSS after
500 and after all messages. Figures only: they depend on the machine.
"""

import argparse
import resource
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from tests.inbox.dovecot import DOVECOT, Dovecot  # noqa: E402

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n" + b"0" * 20000


def message(n):
    msg = EmailMessage()
    msg["From"] = f"Служба {n} <sluzhba{n % 50}@example.org>"
    msg["To"] = "npm@ombudsman.gov.ua"
    msg["Subject"] = f"Re: Подання від 1 листопада 2026 р. № {n}/2025"
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain="example.org")
    quoted = "\n".join("> Надсилаємо подання щодо умов тримання. " * 2 for _ in range(40))
    msg.set_content(
        f"Повідомляємо, що рекомендації щодо подання № {n} опрацьовано.\n\n"
        f"1 листопада 2026 р. о 10:00 НПМ <npm@ombudsman.gov.ua> пише:\n{quoted}\n"
    )
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename=f"vidpovid-{n}.pdf")
    return msg.as_bytes()


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    if DOVECOT is None:
        sys.exit("dovecot is not installed (Debian package dovecot-imapd)")
    folder = Path(tempfile.mkdtemp(prefix="vidhuk-bench-inbound-"))
    server = Dovecot().start()
    try:
        config = {
            "DATABASE_URL": args.database_url or f"sqlite:///{folder / 'bench.db'}",
            "INSTANCE_PATH": str(folder / "instance"),
            "STORAGE_DIR": str(folder / "storage"),
            "SECRET_KEY": "bench",
            "REDIS_PREFIX": f"vidhuk-bench-{uuid.uuid4().hex[:8]}",
            "IMAP_URL": server.url,
            "IMAP_FILED_FOLDER": "Vidhuk/filed",
        }
        if args.redis_url:
            config["REDIS_URL"] = args.redis_url
        app = create_app(config)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            run(app, args.messages)
    finally:
        server.remove()


def run(app, count):
    from imap_tools import MailBoxUnencrypted

    from app.core.redis import get_redis
    from app.domain.inbox.fetch import fetch
    from app.mail import imap

    get_redis().ping()  # the fetch's lock: an embedded Redis starts once, before the timing
    settings = imap.settings()
    with imap.connect() as box:
        for n in range(count):
            box.append(message(n))
    started = time.perf_counter()
    with MailBoxUnencrypted(settings.host, settings.port) as bare:
        bare.login(settings.user, settings.password, initial_folder=settings.folder)
        read = sum(1 for m in bare.fetch(mark_seen=False) if m.subject)
    bare_seconds = time.perf_counter() - started
    assert read == count, read
    half = count // 2
    started = time.perf_counter()
    first = fetch(limit=half)
    rss_half = peak_rss_mb()
    rest = fetch()
    path_seconds = time.perf_counter() - started
    rss_all = peak_rss_mb()
    kept = first["new"] + rest["new"]
    assert kept == count, (first, rest)
    bare_rate, path_rate = count / bare_seconds, count / path_seconds
    print(f"messages: {count}")
    print(f"bare IMAP fetch (imap-tools, parsed): {bare_seconds:.2f} s, {bare_rate:.0f} msg/s")
    print(f"project path (read, match, store, move): {path_seconds:.2f} s, {path_rate:.0f} msg/s")
    print(f"ratio project/bare: {path_seconds / bare_seconds:.2f}x (goal <= 3x)")
    print(
        f"peak RSS after {half}: {rss_half:.1f} MB; after {count}: {rss_all:.1f} MB "
        f"(+{rss_all - rss_half:.1f} MB)"
    )
    print(f"outcomes: {first} then {rest}")


if __name__ == "__main__":
    main()
