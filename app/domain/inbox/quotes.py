"""The reply's own words: the quoted message below (or interleaved in) a reply is cut off.

No maintained reply-parsing library handles Ukrainian attributions, so this is a rule set
(tested on Ukrainian, Russian and English mail clients in tests/inbox/test_quotes.py):

- an attribution line: «30 листопада 2026 р. о 10:00 Іван <i@x.ua> пише:», "On Mon, … wrote:"
  (also wrapped over two lines), «… написал(а):», "Am … schrieb:";
- Outlook's header block: "From:" / «Від:» / «От:» followed within a few lines by "Sent:" /
  "Date:" / «Надіслано:» / «Дата:» / «Отправлено:»;
- separators: "-----Original Message-----", «-----Оригінальне повідомлення-----», a line of
  underscores (Outlook), «-------- Пересланное сообщение --------»;
- lines beginning with ">" anywhere.
"""

import re

ATTRIBUTION = re.compile(
    r"(\b(wrote|writes|schrieb|a écrit|escribió)\s*:\s*$)"
    r"|(\b(пише|написав|написала|писав|писала|пишет|написал|написала|написал\(а\))\s*:\s*$)",
    re.IGNORECASE,
)
ATTRIBUTION_START = re.compile(r"^\s*(on|am|le|el|\d{1,2}[./ ]|\w+,\s*\d)", re.IGNORECASE)
HEADER_FROM = re.compile(r"^\s*\*?(from|від|от|van|von)\s*:\*?\s*\S", re.IGNORECASE)
HEADER_NEXT = re.compile(
    r"^\s*\*?(sent|date|to|subject|надіслано|відправлено|дата|кому|тема|отправлено|"
    r"гесендет|gesendet|an|betreff)\s*:",
    re.IGNORECASE,
)
SEPARATOR = re.compile(
    r"^\s*(-{2,}\s*(original message|оригінальне повідомлення|исходное сообщение|"
    r"пересланное сообщение|переслане повідомлення|forwarded message|"
    r"ursprüngliche nachricht)\s*-{2,}|_{20,})\s*$",
    re.IGNORECASE,
)


def strip_quoted(text: str) -> str:
    """``text`` up to the first quoted part, without quoted lines; the whole text when cutting
    would leave nothing (a forwarded letter with no words of its own)."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _first_quote(lines)
    kept = [line for line in lines[:cut] if not line.lstrip().startswith(">")]
    result = "\n".join(kept).strip()
    return result or (text or "").strip()


def _first_quote(lines):
    for i, line in enumerate(lines):
        if SEPARATOR.match(line):
            return i
        if ATTRIBUTION.search(line) and (ATTRIBUTION_START.match(line) or len(line) < 200):
            return i
        if (
            i + 1 < len(lines)
            and ATTRIBUTION_START.match(line)
            and ATTRIBUTION.search(line.rstrip() + " " + lines[i + 1].strip())
        ):
            return i
        if HEADER_FROM.match(line) and _header_block(lines, i):
            return i
        if line.lstrip().startswith(">") and _rest_is_quote(lines, i):
            return i
    return len(lines)


def _header_block(lines, i):
    following = [line for line in lines[i + 1 : i + 6] if line.strip()]
    return sum(1 for line in following if HEADER_NEXT.match(line)) >= 2


def _rest_is_quote(lines, i):
    """From ``i`` on only quoted or blank lines: the quote at the bottom."""
    return all(not line.strip() or line.lstrip().startswith(">") for line in lines[i:])
