"""From an act to its letter: the template context, and the DOCX and PDF made from it."""

from pathlib import Path

from flask import current_app

from app.core.i18n import long_date
from app.letters import render

LEGAL_BASIS = {
    "submission": "Відповідно до пункту 1 статті 15 Закону України «Про Уповноваженого "
    "Верховної Ради України з прав людини»",
    "request": "Відповідно до статті 22 Закону України «Про Уповноваженого Верховної Ради "
    "України з прав людини»",
    "reminder": "Відповідно до статей 15 і 22 Закону України «Про Уповноваженого Верховної Ради "
    "України з прав людини»",
    "initiative_letter": "Відповідно до статті 13 Закону України «Про Уповноваженого Верховної "
    "Ради України з прав людини»",
}

TERM_TEXT = {
    "submission": "Про результати розгляду подання та вжиті заходи прошу повідомити "
    "у місячний строк.",
    "request": "Інформацію прошу надати у п’ятнадцятиденний строк з дня отримання запиту.",
    "reminder": "Прошу невідкладно, у десятиденний строк, повідомити про результати розгляду.",
    "initiative_letter": "Про результати розгляду прошу поінформувати у місячний строк.",
}


def default_heading(kind, facilities):
    names = ", ".join(sorted(facilities))
    return {
        "submission": f"Про вжиття заходів за результатами моніторингових візитів ({names})",
        "request": f"Про надання інформації щодо виконання рекомендацій ({names})",
        "reminder": "Про невиконання вимог Уповноваженого",
        "initiative_letter": f"Щодо забезпечення прав осіб, позбавлених свободи ({names})",
        "escalation": "Про невиконання підпорядкованим органом вимог Уповноваженого",
    }[kind]


def context(act) -> dict:
    """The template context of ``act`` (the contract in app/letters/render.py)."""
    authority, executor = act.authority, act.executor
    registered = act.outgoing_number is not None
    previous = act.previous_act
    return {
        "kind": act.kind,
        "date": act.sent_on,
        "date_text": long_date(act.sent_on) if registered else "",
        "outgoing_number": act.outgoing_number,
        "reference": {"number": act.reference_number, "date_text": long_date(act.reference_on)}
        if act.reference_number and act.reference_on
        else None,
        "addressee": {
            "organisation": authority.name,
            "title_dative": authority.head_title,
            "name_dative": authority.head_name,
            "address": authority.postal_address,
        },
        "heading": act.heading,
        "opening": act.opening or "",
        "legal_basis": LEGAL_BASIS[act.kind],
        "recommendations": [
            {
                "number": number,
                "text": rec.text,
                "facility": rec.facility.name,
                "visit_text": _visit_text(rec.visit),
            }
            for number, rec in enumerate(act.recommendations, start=1)
        ],
        "closing": act.closing or "",
        "term_text": TERM_TEXT[act.kind],
        "attachments": [],
        "signatory": {"position": act.signatory_position, "name": act.signatory_name},
        "executor": {"name": executor.name, "phone": executor.phone, "email": executor.email},
        "issuer": current_app.config["ISSUER"],
        "previous_act": {
            "outgoing_number": previous.outgoing_number,
            "date_text": long_date(previous.sent_on),
        }
        if previous is not None and previous.outgoing_number
        else None,
        "portal": _portal(act),
    }


def _portal(act):
    from app.domain.portal.links import letter_block

    return letter_block(act)


def _visit_text(visit):
    if visit.started_on == visit.ended_on:
        return long_date(visit.started_on)
    return f"{long_date(visit.started_on)} – {long_date(visit.ended_on)}"


def render_letter(act) -> tuple[str, bytes, bytes]:
    """(Markdown, DOCX, PDF) of the act's letter; raises LetterError on a template problem."""
    templates = Path(current_app.config["LETTER_TEMPLATES_DIR"])
    letter = context(act)
    markdown = render.render_markdown(render.template_for(act.kind), {"letter": letter}, templates)
    docx = render.render_docx(markdown, templates / "reference.docx")
    title = f"{act.heading} — {act.outgoing_number or 'проєкт'}"
    portal = letter.get("portal")
    letterhead = {**letter["issuer"], "title": title}
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


def preview_html(act) -> str:
    """An HTML preview of the letter for the act page (the same Markdown as the documents)."""
    from app.letters import pandoc

    templates = Path(current_app.config["LETTER_TEMPLATES_DIR"])
    markdown = render.render_markdown(
        render.template_for(act.kind), {"letter": context(act)}, templates
    )
    return pandoc.markdown_to_html(markdown)
