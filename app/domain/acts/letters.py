"""From an act to its letter: the template context, and the DOCX and PDF made from it.

The wording of a letter's legal basis and term comes from app/domain/acts/kinds.py and the term
of its kind in workflows/act.yaml — the same setting the deadline counts with.
"""

from pathlib import Path

from flask import current_app
from markupsafe import Markup

from app.core.i18n import long_date
from app.domain.acts import kinds, letter_admin
from app.domain.privacy.operations import applies_review
from app.letters import render


def term_of(kind):
    """The Term of an act kind, as the deadline clock counts it."""
    from app.domain.deadlines.calendar import term_for
    from app.workflow import get_engine

    return term_for(get_engine().current("act"), kind)[0]


def visits_phrase(count):
    """«моніторингового візиту» for one visit, «моніторингових візитів» for several."""
    return "моніторингового візиту" if count == 1 else "моніторингових візитів"


def default_heading(kind, facilities, visits=2):
    return kinds.heading(kind, facilities, visits_phrase(visits))


def person_name(name):
    """«Власне ім'я ПРІЗВИЩЕ» (ДСТУ 4163:2020) from «Ім'я Прізвище»; an upper-case word is
    taken as the surname as it is."""
    words = (name or "").split()
    if len(words) < 2:
        return name or ""
    if any(w.isupper() and len(w) > 1 for w in words):
        return " ".join(words)
    return f"{words[0]} {words[-1].upper()}"


def addressee(authority):
    """One dative block for the head (position including the organisation, then the name);
    the organisation in the nominative only when no head is entered."""
    if authority.head_title:
        lines = [authority.head_title, authority.head_name]
    else:
        lines = [authority.name]
    return {
        "lines": [line for line in lines if line],
        "organisation": "" if authority.head_title else authority.name,
        "title_dative": authority.head_title,
        "name_dative": authority.head_name,
        "address": authority.postal_address,
    }


def _ignored(act):
    """The acts the authority left unanswered, oldest first (reminders and what they remind of)."""
    chain, node, seen = [], act.previous_act, set()
    while node is not None and node.id not in seen:
        seen.add(node.id)
        if node.outgoing_number:
            chain.append(
                {
                    "title": kinds.kind_of(node.kind).title.lower(),
                    "outgoing_number": node.outgoing_number,
                    "date_text": long_date(node.sent_on),
                    "due_text": long_date(node.due_on) if node.due_on else "",
                }
            )
        node = node.previous_act
    return list(reversed(chain))


def is_escalation(act):
    previous = act.previous_act
    return (
        act.kind == "initiative_letter"
        and previous is not None
        and previous.authority_id != act.authority_id
    )


@applies_review  # personal data replaced when the lawyer chose to anonymise
def context(act) -> dict:
    """The template context of ``act`` (the contract in app/letters/render.py)."""
    authority, executor = act.authority, act.executor
    registered = act.outgoing_number is not None
    previous = act.previous_act
    escalation = is_escalation(act)
    term = term_of(act.kind)
    visits = {rec.visit_id for rec in act.recommendations}
    reminded = previous
    while reminded is not None and reminded.kind == "reminder" and reminded.previous_act:
        reminded = reminded.previous_act
    basis_kind = reminded.kind if act.kind == "reminder" and reminded is not None else act.kind
    return {
        "kind": act.kind,
        "escalation": escalation,
        "date": act.sent_on,
        "date_text": long_date(act.sent_on) if registered else "",
        "outgoing_number": act.outgoing_number,
        "reference": {"number": act.reference_number, "date_text": long_date(act.reference_on)}
        if act.reference_number and act.reference_on
        else None,
        "addressee": addressee(authority),
        "heading": act.heading,
        "opening": act.opening or "",
        "legal_basis": kinds.ESCALATION_BASIS if escalation else kinds.kind_of(act.kind).basis,
        "reminded_basis": kinds.kind_of(basis_kind).basis,
        "visits_text": visits_phrase(len(visits)),
        "recommendations": [
            {
                "number": number,
                "text": rec.text,
                "facility": rec.facility.name,
                "visit_text": visit_dates(rec.visit.started_on, rec.visit.ended_on),
            }
            for number, rec in enumerate(act.recommendations, start=1)
        ],
        "closing": act.closing or "",
        "term_text": kinds.term_text(act.kind, term, escalation),
        "warning_text": kinds.KUPAP_WARNING if act.kind == "reminder" or escalation else "",
        "attachments": [
            {"title": a.title, "sheets": a.sheets} for a in getattr(act, "attachments", [])
        ],
        "signatory": {"position": act.signatory_position, "name": act.signatory_name},
        "executor": {
            "name": person_name(executor.name),
            "phone": executor.phone,
            "email": executor.email,
        },
        "issuer": letter_admin.issuer(),
        "previous_act": {
            "title": kinds.kind_of(previous.kind).title.lower(),
            "outgoing_number": previous.outgoing_number,
            "date_text": long_date(previous.sent_on),
            "authority": previous.authority.name,
        }
        if previous is not None and previous.outgoing_number
        else None,
        "ignored": _ignored(act) if escalation else [],
        "portal": _portal(act),
    }


def _portal(act):
    """The authority's answer link for a letter sent by post (None otherwise)."""
    from app.domain.portal.links import letter_block

    return letter_block(act)


def visit_dates(started_on, ended_on):
    """«11 березня 2025 р.», «11–12 березня 2025 р.», «28 лютого – 1 березня 2025 р.»."""
    if ended_on is None or started_on == ended_on:
        return long_date(started_on)
    end = long_date(ended_on)
    if started_on.year == ended_on.year and started_on.month == ended_on.month:
        return f"{started_on.day}–{end}"
    start = long_date(started_on)
    if started_on.year == ended_on.year:
        start = start.rsplit(" ", 2)[0]  # «28 лютого 2025 р.» → «28 лютого»
    return f"{start} – {end}"


def template_name(act):
    return kinds.template_for("escalation" if is_escalation(act) else act.kind)


def render_letter(act) -> tuple[str, bytes, bytes]:
    """(Markdown, DOCX, PDF) of the act's letter; raises LetterError on a template problem."""
    return render_prepared(prepare(act))


def prepare(act) -> dict:
    """Everything the letter needs from the database, as plain values: a job reads it, ends its
    transaction, and renders (``render_prepared``) without holding the database."""
    letter = context(act)  # personal data already replaced when the lawyer anonymised
    return {
        "kind": act.kind,
        "template": template_name(act),
        "overrides": letter_admin.overrides(),
        "letter": letter,
        "title": f"{letter['heading']} — {act.outgoing_number or 'проєкт'}",
    }


def render_prepared(prepared) -> tuple[str, bytes, bytes]:
    templates = Path(current_app.config["LETTER_TEMPLATES_DIR"])
    letter = prepared["letter"]
    markdown = render.render_markdown(
        prepared["template"], {"letter": letter}, templates, prepared["overrides"]
    )
    docx = render.render_docx(markdown, templates / "reference.docx")
    portal = letter.get("portal")
    letterhead = {**letter["issuer"], "title": prepared["title"]}
    figures = _qr_figure(portal) if portal else None
    pdf = render.render_pdf(markdown, templates / "letter.css", letterhead, add_figures=figures)
    if portal:
        docx = _qr_docx(docx, portal)
    return markdown, docx, pdf


def _qr_figure(portal):
    """The answer link's QR code after the paragraph that prints its short URL (PDF)."""
    from app.domain.portal import qr

    markup = qr.svg(portal["url"])
    return lambda fragment: qr.insert_after(fragment, portal["short_url"], markup)


def _qr_docx(docx, portal):
    from app.domain.portal import qr

    return qr.add_to_docx(docx, portal["short_url"], portal["url"])


def preview_html(act) -> Markup:
    """An HTML preview of the letter for the act page (the same Markdown as the documents),
    sanitised: it carries text users typed."""
    templates = Path(current_app.config["LETTER_TEMPLATES_DIR"])
    markdown = render.render_markdown(
        template_name(act), {"letter": context(act)}, templates, letter_admin.overrides()
    )
    return Markup(render.render_preview(markdown))  # sanitised by nh3 in render_preview
