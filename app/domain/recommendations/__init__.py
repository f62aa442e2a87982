"""Recommendations: the cases that move through the recommendation workflow."""

from app.domain import states as _states

#: The states of workflows/recommendation.yaml, kept in a CHECK constraint too.
STATES = _states.states("recommendation")

#: States in which a recommendation is still open: not final (verified, no longer relevant).
OPEN_STATES = _states.not_final("recommendation")
