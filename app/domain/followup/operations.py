"""Findings of a follow-up visit, entered from the checklist."""

from flask_babel import lazy_gettext as _l

from app.core.errors import OperationError
from app.domain.followup.rules import too_early
from app.domain.recommendations.operations import create_recommendation, fire
from app.domain.visits.operations import can_edit_visit


def record_findings(visit, findings, actor):
    """``findings``: {recommendation: "verified" | "not_done"}. Verified ones are confirmed on
    this visit; for the ones still not done a repeated recommendation is drafted in this visit,
    linked to the earlier one. Findings count only from a visit after the recommendation's last
    sending. All or nothing (the caller rolls back on error)."""
    if not can_edit_visit(actor, visit):
        raise OperationError(status=403)
    if not findings:
        raise OperationError(_l("Mark at least one recommendation."))
    repeated = []
    for rec, finding in findings.items():
        if rec.facility_id != visit.facility_id or rec.visit.started_on >= visit.started_on:
            raise OperationError(_l("Findings are entered on a later visit to the same facility."))
        early = too_early(rec, visit)
        if early is not None:
            raise OperationError(early)
        if finding == "verified":
            note = str(
                _l("Verified on the visit of %(date)s", date=visit.started_on.strftime("%d.%m.%Y"))
            )
            fire(rec, "verify", actor, {"visit_id": visit.id, "comment": note})
        elif finding == "not_done":
            repeated.append(
                create_recommendation(
                    visit,
                    {
                        "text": rec.text,
                        "theme": rec.theme,
                        "priority": rec.priority,
                        "authority_id": rec.authority_id,
                        "previous_id": rec.id,
                    },
                    actor,
                )
            )
        else:
            raise OperationError(_l("Unknown finding."))
    return repeated
