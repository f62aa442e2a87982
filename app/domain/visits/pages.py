"""The visit page, built here for every route that shows it. Other features add their sections
to it (``features.page_section(bp, "visit", builder)``): the recommendations with quick entry
and bulk issue."""

from flask import render_template
from flask_login import current_user

from app.core import features
from app.domain.visits.operations import can_edit_visit


def render_visit(visit, **forms):
    """The visit page; ``forms``: a section's form shown again with its errors (``quick``)."""
    return render_template(
        "visits/detail.html",
        visit=visit,
        can_edit=can_edit_visit(current_user, visit),
        **features.sections("visit", visit, **forms),
    )
