"""The recommendations' section of the visit page: the list, quick entry and bulk issue."""

from flask_login import current_user

from app.domain.recommendations import operations as ops
from app.domain.recommendations import queries
from app.domain.recommendations.forms import IssueSelectedForm, QuickEntryForm


def visit_section(visit, quick=None):
    may_draft = ops.may_draft(visit, current_user)
    if quick is None and may_draft:
        quick = QuickEntryForm(formdata=None)
        quick.authority_id.data = visit.facility.authority_id
    return {
        "recommendations": queries.of_visit(visit.id),
        "quick": quick if may_draft else None,
        "issue_form": IssueSelectedForm() if current_user.role == "lawyer" else None,
    }
