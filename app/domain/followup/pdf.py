"""The follow-up checklist as a printable A4 PDF (WeasyPrint, the letters' font)."""

from pathlib import Path

from flask import current_app, render_template


def checklist_pdf(facility, recs, positions):
    """The checklist PDF. Its text comes from users: WeasyPrint may fetch nothing but the
    letters' own files (the same fetcher as the letters)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from app.core.clock import today
    from app.letters.render import font_face_css, url_fetcher

    fetcher = url_fetcher(Path(current_app.config["LETTER_TEMPLATES_DIR"]))
    fonts = FontConfiguration()
    font_css = CSS(string=font_face_css(), font_config=fonts, url_fetcher=fetcher)
    html = render_template(
        "followup/checklist_print.html",
        facility=facility,
        recs=recs,
        positions=positions,
        today=today(),
    )
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[font_css], font_config=fonts
    )
