"""Screening an act's texts, recording the lawyer's decision, anonymising its letter."""

import functools
import hashlib
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.core import personal_data
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import OperationError
from app.extensions import db
from app.workflow import registry

DECISIONS = ("anonymise", "consent")
KIND_LABELS = {
    "name": _l("name"),
    "tax_number": _l("tax number (RNOKPP)"),
    "passport": _l("passport number"),
    "phone": _l("phone number"),
    "birth_date": _l("date of birth"),
    "address": _l("address"),
    "case_number": _l("case number"),
}


@dataclass
class Screened:
    """One text of the act with what was found in it."""

    label: object
    text: str
    findings: list

    @property
    def pieces(self):
        return personal_data.highlight(self.text, self.findings)


def act_texts(act):
    """The texts of the act that go into its letter, with where they come from."""
    texts = [(_l("Heading"), act.heading or ""), (_l("Opening"), act.opening or "")]
    for number, rec in enumerate(act.recommendations, start=1):
        texts.append((_l("Recommendation %(n)s", n=number), rec.text or ""))
    texts.append((_l("Closing"), act.closing or ""))
    return texts


def screen(act) -> list[Screened]:
    """The act's texts that contain personal data."""
    out = []
    for label, text in act_texts(act):
        findings = personal_data.find(text)
        if findings:
            out.append(Screened(label, text, findings))
    return out


def fingerprint(act) -> str:
    digest = hashlib.sha256()
    for _label, text in act_texts(act):
        digest.update(text.encode("utf-8") + b"\x00")
    return digest.hexdigest()


def current_decision(act):
    """The recorded decision if it covers the texts as they are now, else None."""
    review = act.personal_data_review or None
    if review and review.get("fingerprint") == fingerprint(act):
        return review
    return None


def decide(act, decision, note, actor):
    """Record the lawyer's decision on the personal data found in the act's current texts."""
    note = (note or "").strip()
    if decision not in DECISIONS:
        raise OperationError(
            fields={"decision": [_l("Choose to anonymise or to confirm consent.")]}
        )
    if decision == "consent" and not note:
        raise OperationError(fields={"note": [_l("Say whose consent it is and how it was given.")]})
    if len(note) > 2000:
        raise OperationError(fields={"note": [_l("Longer than %(n)s characters.", n=2000)]})
    found = screen(act)
    act.personal_data_review = {
        "decision": decision,
        "note": note,
        "fingerprint": fingerprint(act),
        "by": actor.id,
        "at": utcnow().isoformat(),
        "findings": sum(len(s.findings) for s in found),
    }
    if act.documents_status != "none":  # documents made before the decision are superseded
        act.documents_status, act.documents_token = "none", None
    record_audit(
        f"act.personal_data_{decision}",
        actor,
        subject=act,
        details={"note": note, "findings": act.personal_data_review["findings"]},
    )
    db.session.flush()
    return act


def anonymise_letter(act, letter: dict) -> dict:
    """The letter's context with the personal data replaced, when the lawyer chose so."""
    review = current_decision(act)
    if review is None or review["decision"] != "anonymise":
        return letter
    anonymise = personal_data.Anonymiser()
    letter = dict(letter)
    letter["heading"] = anonymise(letter["heading"])
    letter["opening"] = anonymise(letter["opening"])
    letter["recommendations"] = [
        {**rec, "text": anonymise(rec["text"])} for rec in letter["recommendations"]
    ]
    letter["closing"] = anonymise(letter["closing"])
    return letter


def public_heading(act) -> str:
    """The act's heading as it may leave the office (anonymised when the lawyer chose so)."""
    review = current_decision(act)
    if review is not None and review["decision"] == "anonymise":
        return personal_data.Anonymiser()(act.heading)
    return act.heading


def applies_review(context):
    """Decorates the function that builds a letter's context from an act: the letter then
    carries the anonymised texts when the lawyer chose to anonymise."""

    @functools.wraps(context)
    def wrapped(act, *args, **kwargs):
        return anonymise_letter(act, context(act, *args, **kwargs))

    return wrapped


@registry.guard("personal_data_resolved")
def personal_data_resolved(act, ctx):
    """Generation waits until the personal data found is anonymised or consented to."""
    if current_decision(act) is None and screen(act):
        return _l(
            "Personal data was found in the act's texts: anonymise it or confirm the "
            "person's consent (section “Personal data”) before generating the documents."
        )
    return None
