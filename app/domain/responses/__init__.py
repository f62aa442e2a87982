"""Responses: the authority's answers to an act of response, and the lawyer's assessment."""

from flask_babel import lazy_gettext as _l

from app.domain import states as _states

#: substantive moves the case to "responded"; interim (проміжна) and formal (відписка) answers
#: are recorded in the history without moving anything.
KINDS = ("substantive", "interim", "formal")
#: What the authority says it did about a recommendation, and its label: the one table of
#: positions (the lawyer's assessments are some of them, see ASSESSMENTS).
POSITION_LABELS = {
    "implemented": _l("Implemented"),
    "partially_implemented": _l("Partially implemented"),
    "in_progress": _l("In progress"),
    "not_implemented": _l("Not implemented"),
    "rejected": _l("Rejected"),
}
POSITIONS = tuple(POSITION_LABELS)
#: How an answer reached the office: typed in by a lawyer, an e-mail reply, the authority's portal.
SOURCES = ("manual", "email", "portal")
#: to_review: arrived by itself and waits for a lawyer; recorded: moves states (every manual one
#: is recorded at once); returned: the lawyer sent it back to the authority with a question.
STATUSES = ("to_review", "recorded", "returned")
#: Act states in which an answer can be recorded.
OPEN_ACT_STATES = _states.group("act", "answerable")
#: Act states a substantive answer moves to "responded" (a later answer only adds history).
AWAITING_ACT_STATES = _states.group("act", "awaiting_answer")
#: Recommendation states a substantive answer moves to "responded".
AWAITING_STATES = _states.group("recommendation", "awaiting_answer")
#: The lawyer's assessments and the recommendation transitions that record them.
ASSESSMENTS = {
    "implemented": "assess_implemented",
    "partially_implemented": "assess_partially_implemented",
    "not_implemented": "assess_not_implemented",
    "rejected": "assess_rejected",
}
#: The act transition that records a non-substantive answer (or a further answer) in the
#: history without changing the state (workflows/act.yaml).
NOTE_TRANSITION = "note_interim_answer"
