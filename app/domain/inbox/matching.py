"""Which act a reply answers, tried in order:

1. In-Reply-To / References naming the Message-ID of an e-mail of ours about an act;
2. the act's outgoing number in the subject, then in the body (the quoted letter included);
3. the plus-address of the act's Reply-To (``inbox+act-123@…``), when the mailbox has one;
4. the sender: an authority with that address, or (not a public mail service) that domain,
   with exactly one act open (sent or overdue).

A message that names an act which no longer exists, or one that takes no answers now, is not
filed: it waits with that reason. Several candidates at one step: it waits, "ambiguous".
"""

import re
from dataclasses import dataclass

import sqlalchemy as sa

from app.domain.acts.models import Act
from app.domain.authorities.models import Authority
from app.domain.responses import AWAITING_ACT_STATES, OPEN_ACT_STATES
from app.extensions import db
from app.mail.models import OutboxEmail

NUMBER = re.compile(r"(?:№|\bN[oº°]?\.?|#)\s*([0-9][\w/.\-]{0,58})", re.IGNORECASE)
DIGITS = re.compile(r"[0-9/.\-]+")
#: Only the beginning of a long body is searched for numbers (the quoted letter is near the top).
TEXT_SCAN = 20_000
PLUS = re.compile(r"\+act-(\d{1,18})@", re.IGNORECASE)
#: Domains shared by many people: the sender's domain says nothing about the authority there.
PUBLIC_DOMAINS = frozenset(
    "gmail.com ukr.net i.ua meta.ua outlook.com hotmail.com live.com yahoo.com icloud.com "
    "proton.me protonmail.com bigmir.net email.ua gmx.net gmx.com mail.com yandex.ru".split()
)


@dataclass
class Match:
    act: Act | None = None
    how: str | None = None
    reason: str | None = None  # no_match, ambiguous, act_deleted, act_closed
    detail: str = ""
    email: OutboxEmail | None = None  # ours, which the message replies to


def match(parsed) -> Match:
    for step in (_by_references, _by_number, _by_plus_address, _by_sender):
        found = step(parsed)
        if found is not None:
            return _check_open(found)
    return Match(reason="no_match")


def outbox_emails(ids):
    """Our e-mails with these Message-IDs, newest first."""
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(OutboxEmail)
            .where(OutboxEmail.message_id.in_(ids))
            .order_by(OutboxEmail.id.desc())
        )
    )


def _by_references(parsed):
    for email in outbox_emails(parsed.reply_ids):
        act_id = _act_id_of(email)
        if act_id is None:
            continue
        act = db.session.get(Act, act_id)
        if act is None:
            return Match(reason="act_deleted", email=email, how="references")
        return Match(act=act, how="references", email=email)
    return None


def _act_id_of(email):
    if email.subject_type == "acts":
        return email.subject_id
    if email.subject_type == "responses" and email.subject_id:
        from app.domain.responses.models import Response

        response = db.session.get(Response, email.subject_id)
        return response.act_id if response else None
    return None


def _by_number(parsed):
    """The outgoing numbers in the subject, then in the body (one query for both)."""
    found = [_numbers(parsed.subject), _numbers(parsed.text)]
    wanted = list(dict.fromkeys(found[0] + found[1]))
    if not wanted:
        return None
    acts = list(db.session.scalars(sa.select(Act).where(Act.outgoing_number.in_(wanted))))
    for numbers in found:
        candidates = [a for a in acts if a.outgoing_number in numbers]
        if len(candidates) > 1:
            candidates = [a for a in candidates if _sender_is(parsed, a.authority)] or candidates
        if len(candidates) == 1:
            return Match(act=candidates[0], how="number")
        if len(candidates) > 1:
            return Match(
                reason="ambiguous", detail=", ".join(a.outgoing_number for a in candidates)
            )
    return None


def _numbers(text):
    """Candidate numbers after "№", "No", "N" or "#": as written, and without a suffix the
    authority may add ("12/2026-вих" → "12/2026")."""
    found = []
    for number in NUMBER.findall((text or "")[:TEXT_SCAN]):
        found.append(number.rstrip(".-"))
        found.append(DIGITS.match(number).group().rstrip(".-/"))
    return list(dict.fromkeys(n for n in found if n))[:50]


def _by_plus_address(parsed):
    for address in parsed.recipients:
        found = PLUS.search(address)
        if found:
            act = db.session.get(Act, int(found.group(1)))
            if act is None:
                return Match(reason="act_deleted", how="plus_address")
            return Match(act=act, how="plus_address")
    return None


def _by_sender(parsed):
    address = parsed.from_addr
    if "@" not in address:
        return None
    domain = address.rpartition("@")[2]
    email = sa.func.lower(Authority.email)
    condition = email == address
    if domain not in PUBLIC_DOMAINS:
        condition = sa.or_(condition, email.like("%@" + _like_escaped(domain), escape="\\"))
    found = list(db.session.scalars(sa.select(Authority).where(condition)))
    authorities = [a for a in found if a.email.lower() == address] or found
    if not authorities:
        return None
    acts = list(
        db.session.scalars(
            sa.select(Act).where(
                Act.authority_id.in_([a.id for a in authorities]),
                Act.state.in_(AWAITING_ACT_STATES),
            )
        )
    )
    if len(acts) == 1:
        return Match(act=acts[0], how="sender")
    if len(acts) > 1:
        return Match(reason="ambiguous", detail=", ".join(a.outgoing_number or "" for a in acts))
    return None


def _like_escaped(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sender_is(parsed, authority):
    email = (authority.email or "").lower()
    return bool(email) and (
        parsed.from_addr == email or parsed.from_addr.endswith("@" + email.rpartition("@")[2])
    )


def _check_open(found):
    if found.act is not None and found.act.state not in OPEN_ACT_STATES:
        from app.workflow import get_engine

        found.reason, found.detail = "act_closed", str(get_engine().state_label(found.act))
    return found
