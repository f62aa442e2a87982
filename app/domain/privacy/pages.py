"""The personal-data and legal-hold sections of the act page (their forms post to routes.py)."""

from flask_wtf import FlaskForm

from app.domain.privacy import operations as ops


def act_sections(act):
    """What the two sections of the act page need."""
    screened = ops.screen(act)
    return {
        "privacy": {
            "screened": screened,
            "decision": ops.current_decision(act),
            "stale": act.personal_data_review is not None and ops.current_decision(act) is None,
            "kind_labels": ops.KIND_LABELS,
            "form": FlaskForm(formdata=None),
        }
    }
