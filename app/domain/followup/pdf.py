"""The follow-up checklist as a printable A4 PDF (WeasyPrint, the letters' font)."""

from flask import render_template


def checklist_pdf(facility, recs, positions):
    from weasyprint import HTML

    from app.core.clock import today
    from app.letters.render import font_face_css

    html = render_template("followup/checklist_print.html", facility=facility, recs=recs,
                           positions=positions, fonts=font_face_css(), today=today())  # fmt: skip
    return HTML(string=html).write_pdf()
