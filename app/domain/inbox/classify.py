"""What a message is before it is matched: an automatic reply, a delivery failure, or mail.

Automatic replies: RFC 3834 ``Auto-Submitted`` (anything but ``no``), ``X-Autoreply``,
``X-Autorespond``, ``Precedence: auto_reply``, Microsoft's ``X-Auto-Response-Suppress`` with an
out-of-office subject, and the common out-of-office subjects in Ukrainian, Russian and English.

Delivery failures: a DSN (RFC 3464, ``multipart/report; report-type=delivery-status``) read with
the standard library — the failed recipients, the action, the status and the diagnostic, the
original's Message-ID from the returned message or headers — and, for the non-standard reports
some servers still send, flufl.bounce's detectors for the failed addresses.
"""

import re
from dataclasses import dataclass, field
from email import message_from_bytes, message_from_string
from email.policy import compat32

from flufl.bounce import all_failures

from app.domain.inbox.parse import MSGID, header_text

OUT_OF_OFFICE = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|abwesenheit|"
    r"автовідповідь|автоматична відповідь|автоответ|автоматический ответ|"
    r"відсутн|нет на месте|вне офиса|у відпустці|в отпуске|auto:|autoreply|"
    r"réponse automatique|risposta automatica)",
    re.IGNORECASE,
)
BOUNCE_SUBJECT = re.compile(
    r"(undeliver|delivery (status notification|failure|has failed)|returned mail|"
    r"mail delivery (failed|system)|failure notice|недоставлен|не доставлен|не вдалося доставити)",
    re.IGNORECASE,
)
BOUNCE_SENDER = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)


def auto_reply_reason(headers: dict, subject: str) -> str | None:
    """Why the message is an automatic reply (the header or subject that says so), or None."""
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"[:200]
    for name in ("x-autoreply", "x-autorespond", "x-autoresponse"):
        if headers.get(name):
            return f"{name}: {headers[name]}"[:200]
    if headers.get("precedence", "").strip().lower() == "auto_reply":
        return "Precedence: auto_reply"
    if OUT_OF_OFFICE.search(subject or ""):
        return subject[:200]
    return None


@dataclass
class Bounce:
    """What a delivery failure report says."""

    original_ids: list = field(default_factory=list)  # Message-IDs of the e-mail it reports
    recipients: list = field(default_factory=list)  # the failed addresses
    reason: str = ""
    permanent: bool = True


def bounce_of(parsed) -> Bounce | None:
    """The delivery failure ``parsed`` reports, or None when it is not one.

    A delayed-delivery notice (Action: delayed) is not a failure: None.
    """
    msg = parsed.message
    content_type = (msg.get_content_type() or "") if msg is not None else ""
    is_report = content_type == "multipart/report" and (
        (msg.get_param("report-type") or "").lower() == "delivery-status"
    )
    sender_says = BOUNCE_SENDER.match(parsed.from_addr or "") or BOUNCE_SUBJECT.search(
        parsed.subject or ""
    )
    if not is_report and not sender_says:
        return None
    bounce = Bounce()
    if is_report:
        actions = _read_dsn(msg, bounce)
        if actions and "failed" not in actions:
            return None
    _flufl_recipients(msg, bounce)
    bounce.original_ids = _original_ids(msg, parsed)
    if not bounce.recipients and not bounce.original_ids:
        return None if not is_report else bounce
    if not bounce.reason:
        bounce.reason = _first_lines(parsed.text)
    return bounce


def _read_dsn(msg, bounce):
    actions = set()
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in _status_blocks(part):
            action = block.get("action", "").lower()
            actions.add(action)
            if action != "failed":
                continue
            recipient = block.get("final-recipient") or block.get("original-recipient") or ""
            address = recipient.split(";", 1)[-1].strip().strip("<>").lower()
            if address and address not in bounce.recipients:
                bounce.recipients.append(address)
            status = block.get("status", "")
            diagnostic = block.get("diagnostic-code", "").split(";", 1)[-1].strip()
            detail = " ".join(x for x in (status, diagnostic) if x)
            if detail and not bounce.reason:
                bounce.reason = detail[:1000]
            bounce.permanent = not status.startswith("4")
    return actions


def _status_blocks(part):
    """The per-recipient fields of a delivery-status part (a list of header-like blocks)."""
    payload = part.get_payload()
    blocks = []
    if isinstance(payload, list):  # email parses the blocks as messages
        for sub in payload:
            blocks.append({k.lower(): header_text(v) for k, v in sub.items()})
    else:
        text = payload if isinstance(payload, str) else ""
        for chunk in re.split(r"\n\s*\n", text):
            fields = message_from_string(chunk.strip() + "\n\n")
            blocks.append({k.lower(): header_text(v) for k, v in fields.items()})
    return [b for b in blocks if b.get("action") or b.get("final-recipient")]


def _flufl_recipients(msg, bounce):
    try:
        _temporary, permanent = all_failures(msg)
    except Exception:  # a detector tripping on a broken report changes nothing
        return
    for raw in sorted(permanent):
        address = raw.decode("utf-8", "replace").strip().strip("<>").lower()
        if "@" in address and address not in bounce.recipients:
            bounce.recipients.append(address)


def _original_ids(msg, parsed):
    """The Message-ID of the returned message (message/rfc822 or text/rfc822-headers part), or
    one quoted in the report's text."""
    ids = []
    for part in msg.walk():
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if inner is not None:
                ids += MSGID.findall(header_text(inner.get("Message-ID")))
        elif content_type == "text/rfc822-headers":
            data = part.get_payload(decode=True) or b""
            headers = message_from_bytes(data + b"\n\n", policy=compat32)
            ids += MSGID.findall(header_text(headers.get("Message-ID")))
    if not ids:
        for match in re.finditer(r"(?im)^\s*message-id:\s*(<[^<>\s]+>)", parsed.text or ""):
            ids.append(match.group(1))
    return list(dict.fromkeys(ids))[:10]


def _first_lines(text):
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return " ".join(lines[:4])[:1000]
