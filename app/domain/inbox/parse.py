"""A raw message read into what the inbox needs; never raises on a malformed one."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.header import decode_header, make_header
from email.policy import compat32
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

import nh3

from app.domain.inbox.quotes import strip_quoted

MSGID = re.compile(r"<[^<>\s]+>")
#: Text parts longer than this are cut (a reply's own words are never this long).
TEXT_LIMIT = 200_000


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Parsed:
    message_id: str | None = None
    reply_ids: list = field(default_factory=list)  # In-Reply-To first, then References
    from_addr: str = ""
    from_name: str = ""
    recipients: list = field(default_factory=list)  # To, Cc, Delivered-To, X-Original-To
    subject: str = ""
    date: datetime | None = None
    text: str = ""  # the whole text part
    reply_text: str = ""  # without the quoted part
    attachments: list = field(default_factory=list)
    attachment_count: int = 0
    headers: dict = field(default_factory=dict)  # lower-cased name → value, the first of each
    message: object = None  # the email.message.Message
    problem: str | None = None  # why the structure could not be read fully


def header_text(value) -> str:
    """A header decoded (RFC 2047), unknown charsets replaced, line breaks removed."""
    if value is None:
        return ""
    try:
        text = str(make_header(decode_header(str(value))))
    except Exception:
        text = str(value)
    return " ".join(text.replace("\x00", "").split())


def headers_only(raw: bytes) -> Parsed:
    """The headers of a message too large to read whole."""
    end = raw.find(b"\r\n\r\n")
    end = raw.find(b"\n\n") if end < 0 else end
    head = raw[: end if end > 0 else min(len(raw), 65536)]
    return _headers(message_from_bytes(head + b"\r\n\r\n", policy=compat32))


def parse(raw: bytes, max_attachments: int) -> Parsed:
    """Headers, text, attachments (not decoded when there are more than ``max_attachments``)."""
    msg = message_from_bytes(raw, policy=compat32)
    parsed = _headers(msg)
    try:
        _body(msg, parsed, max_attachments)
    except Exception as exc:  # a structure email cannot walk: the original is kept anyway
        parsed.problem = f"{type(exc).__name__}: {exc}"[:300]
    if msg.defects and parsed.problem is None and not parsed.text and not parsed.attachments:
        parsed.problem = ", ".join(type(d).__name__ for d in msg.defects)[:300]
    parsed.reply_text = strip_quoted(parsed.text)
    return parsed


def _headers(msg) -> Parsed:
    parsed = Parsed(message=msg)
    for name, value in msg.items():
        parsed.headers.setdefault(name.lower(), header_text(value))
    get = parsed.headers.get
    ids = MSGID.findall(get("message-id", ""))
    parsed.message_id = ids[0][:998] if ids else None
    reply = MSGID.findall(get("in-reply-to", "")) + list(
        reversed(MSGID.findall(get("references", "")))
    )
    parsed.reply_ids = list(dict.fromkeys(reply))[:100]
    name, addr = parseaddr(get("from", ""))
    parsed.from_name, parsed.from_addr = name[:200], addr.strip().lower()[:320]
    values = [
        header_text(v)
        for key in ("to", "cc", "delivered-to", "x-original-to", "envelope-to")
        for v in msg.get_all(key, [])
    ]
    parsed.recipients = [a.lower() for _n, a in getaddresses(values) if "@" in a][:200]
    parsed.subject = get("subject", "")[:2000]
    parsed.date = _date(get("date"))
    return parsed


def _date(value):
    if not value:
        return None
    try:
        date = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if date.tzinfo is None:
        date = date.replace(tzinfo=UTC)
    return date.astimezone(UTC)


def _body(msg, parsed, max_attachments):
    plain, html = [], []
    for part in msg.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        filename = _filename(part)
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        if filename or disposition == "attachment" or not content_type.startswith("text/"):
            if content_type in ("message/delivery-status", "text/rfc822-headers"):
                continue
            parsed.attachment_count += 1
            if parsed.attachment_count <= max_attachments:
                data = part.get_payload(decode=True) or b""
                name = filename or f"attachment-{parsed.attachment_count}"
                parsed.attachments.append(Attachment(name, content_type, data))
            continue
        if content_type == "text/plain":
            plain.append(_decode(part))
        elif content_type == "text/html":
            html.append(_decode(part))
    text = "\n\n".join(t for t in plain if t.strip())
    if not text and html:
        text = _html_text("\n".join(html))
    parsed.text = text[:TEXT_LIMIT].replace("\x00", "")


def _filename(part):
    name = part.get_filename()
    return header_text(name)[:255] if name else ""


def _decode(part) -> str:
    data = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8", "cp1251"):
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def _html_text(html: str) -> str:
    html = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</tr>|</li>", "\n", html)
    text = nh3.clean(html, tags=set(), clean_content_tags={"script", "style", "head"})
    import html as _html

    return re.sub(r"\n{3,}", "\n\n", _html.unescape(text)).strip()
