"""The visit page, built here for every route that shows it."""

from flask import render_template
from flask_login import current_user

from app.domain.visits.operations import can_edit_visit


def render_visit(visit, quick=None):
    """The visit page with its recommendations, quick entry and bulk issue."""
    from app.domain.recommendations import operations as rec_ops
    from app.domain.recommendations import queries as rec_queries
    from app.domain.recommendations.forms import IssueSelectedForm, QuickEntryForm

    may_draft = rec_ops.may_draft(current_user, visit) and current_user.role != "admin"
    if quick is None and may_draft:
        quick = QuickEntryForm(formdata=None)
        quick.authority_id.data = visit.facility.authority_id
    return render_template(
        "visits/detail.html",
        visit=visit,
        can_edit=can_edit_visit(current_user, visit),
        recommendations=rec_queries.of_visit(visit.id),
        quick=quick if may_draft else None,
        issue_form=IssueSelectedForm() if current_user.role == "lawyer" else None,
    )
