"""Reading the office mailbox over IMAP (imap-tools): by UID, under the folder's UIDVALIDITY.

``IMAP_URL`` names the server, the account and the folder:

    imaps://user:password@mail.example.org/INBOX            TLS from the first byte (993)
    imap://user:password@mail.example.org/INBOX?starttls=1  STARTTLS on 143
    imap://user:password@127.0.0.1:1143/INBOX               plain text (a test server on loopback)

The user name and password are URL-encoded (``%40`` for ``@``). This module knows nothing of
acts: it lists, reads and moves messages; app.domain.inbox decides what they are.
"""

import re
import ssl
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessage

#: Messages fetched in one IMAP command: few enough to keep memory flat, many enough to be fast.
FETCH_BATCH = 25
#: The keyword set on a message that cannot be moved (no filed folder configured).
FILED_KEYWORD = "$VidhukFiled"


class ImapConfigError(ValueError):
    """IMAP_URL cannot be understood."""


@dataclass(frozen=True)
class ImapSettings:
    scheme: str
    host: str
    port: int
    user: str
    password: str
    folder: str
    starttls: bool


def settings(url=None) -> ImapSettings | None:
    """The parsed IMAP_URL, or None when it is not set."""
    url = url if url is not None else current_app.config.get("IMAP_URL")
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ImapConfigError("IMAP_URL must be imap://… or imaps://… with a host")
    query = parse_qs(parts.query)
    starttls = (query.get("starttls") or ["0"])[0].lower() in ("1", "true", "yes")
    return ImapSettings(
        scheme=parts.scheme,
        host=parts.hostname,
        port=parts.port or (993 if parts.scheme == "imaps" else 143),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        starttls=starttls,
    )


class RawMessage(MailMessage):
    """A fetched message kept as its bytes (parsed later, by the domain, and only once)."""

    def __init__(self, fetch_data):
        raw, raw_uid, raw_flags = self._get_message_data_parts(fetch_data)
        self._raw_uid_data = raw_uid
        self._raw_flag_data = raw_flags
        self.raw = raw


class Mailbox:
    """An open, logged-in connection with the folder selected."""

    def __init__(self, box, config: ImapSettings):
        self.box = box
        self.config = config
        self.box.email_message_class = RawMessage
        status = box.folder.status(config.folder, ["UIDVALIDITY"])
        self.uidvalidity = int(status["UIDVALIDITY"])

    @property
    def folder(self):
        return self.config.folder

    def uids(self) -> list[int]:
        """Every UID in the folder now, ascending."""
        return sorted(int(u) for u in self.box.uids("ALL"))

    def fetch(self, uids):
        """(uid, raw bytes) of each message, FETCH_BATCH per command, never marked seen."""
        for start in range(0, len(uids), FETCH_BATCH):
            chunk = [str(u) for u in uids[start : start + FETCH_BATCH]]
            for message in self.box.fetch(uid_list=chunk, mark_seen=False, bulk=max(2, len(chunk))):
                yield int(message.uid), message.raw

    def put_away(self, uids, filed_folder):
        """Move the messages out of the folder read (or flag them when no folder is set)."""
        uids = [str(u) for u in uids]
        if not uids:
            return
        if filed_folder:
            filed_folder = self.server_name(filed_folder)
            if not self.box.folder.exists(filed_folder):
                self.box.folder.create(filed_folder)
            self.box.move(uids, filed_folder, chunks=200)
        else:
            self.box.flag(uids, [FILED_KEYWORD, "\\Seen"], True, chunks=200)

    def server_name(self, folder):
        """``folder`` ("Vidhuk/filed") with the server's hierarchy delimiter ("Vidhuk.filed")."""
        typ, data = self.box.client.list('""', '""')
        found = re.search(rb'\) "(.)"', data[0] or b"") if typ == "OK" and data else None
        delimiter = found.group(1).decode() if found else "/"
        return folder.replace("/", delimiter)

    def flagged(self) -> set[int]:
        """UIDs carrying the filed keyword (without a filed folder, these are done)."""
        return {int(u) for u in self.box.uids(f"KEYWORD {FILED_KEYWORD}")}

    def append(self, raw: bytes, folder=None):
        """Put a message in the folder (tests and the benchmark fill the mailbox this way)."""
        self.box.append(raw, folder or self.folder, flag_set=())


@contextmanager
def connect(config: ImapSettings | None = None, timeout=None):
    """A Mailbox for IMAP_URL; logged out at the end."""
    config = config or settings()
    if config is None:
        raise ImapConfigError("IMAP_URL is not set")
    timeout = timeout or current_app.config.get("IMAP_TIMEOUT", 60)
    context = ssl.create_default_context(cafile=current_app.config.get("IMAP_CA_FILE"))
    if config.scheme == "imaps":
        box = MailBox(config.host, config.port, timeout=timeout, ssl_context=context)
    elif config.starttls:
        box = MailBoxStartTls(config.host, config.port, timeout=timeout, ssl_context=context)
    else:
        box = MailBoxUnencrypted(config.host, config.port, timeout=timeout)
    box.login(config.user, config.password, initial_folder=config.folder)
    try:
        yield Mailbox(box, config)
    finally:
        try:
            box.logout()
        except Exception:  # the outcome is known; a failed LOGOUT changes nothing
            pass
