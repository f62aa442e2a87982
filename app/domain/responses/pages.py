"""The answers' section of the act page (responses/_act_section.html)."""

from types import SimpleNamespace

from flask_login import current_user

from app.domain.responses import OPEN_ACT_STATES, POSITION_LABELS, files, queries
from app.domain.responses.forms import (
    ASSESSMENT_LABELS,
    KIND_LABELS,
    AssessmentForm,
    ResponsePageForm,
)
from app.extensions import db


def act_section(act, response_form=None, assessment_form=None):
    """What ``responses/_act_section.html`` needs, as ``answers``: the act page passes it on."""
    responses = queries.responses_of(act.id, recorded_only=True)
    waiting = queries.to_review(act_id=act.id)
    recs = {r.id: r for r in act.recommendations}
    is_lawyer = getattr(current_user, "role", None) == "lawyer"
    may_record = is_lawyer and act.state in OPEN_ACT_STATES
    if may_record and response_form is None:
        response_form = ResponsePageForm.for_act(act)
    awaiting = queries.awaiting_assessment(act) if is_lawyer else []
    if awaiting and assessment_form is None:
        assessment_form = AssessmentForm.for_recommendations(
            awaiting, queries.latest_positions(responses)
        )
    return {
        "answers": SimpleNamespace(
            #: Drafts and cancelled acts never had an answer to show or record.
            visible=bool(responses) or act.state in OPEN_ACT_STATES or act.state == "closed",
            responses=responses,
            to_review=db.session.scalars(waiting).all() if is_lawyer else [],
            may_record=may_record,
            form=response_form,
            position_rows=_rows(response_form.positions if response_form else [], recs),
            assessment=assessment_form if awaiting or assessment_form else None,
            assessment_rows=_rows(assessment_form.rows if assessment_form else [], recs),
            kind_labels=KIND_LABELS,
            position_labels=POSITION_LABELS,
            assessment_labels=ASSESSMENT_LABELS,
            accept=files.ACCEPT,
        )
    }


def _rows(entries, recs):
    """(recommendation, row) for the rows whose recommendation is the act's."""
    out = []
    for row in entries:
        rec_id = row.recommendation_id.data
        rec = recs.get(int(rec_id)) if str(rec_id or "").isdigit() else None
        if rec is not None:
            out.append((rec, row))
    return out
