"""Recommendations: the cases that move through the recommendation workflow."""

#: The states of workflows/recommendation.yaml, kept in a CHECK constraint too.
STATES = (
    "draft",
    "issued",
    "sent_to_authority",
    "overdue",
    "responded",
    "implemented",
    "partially_implemented",
    "not_implemented",
    "rejected",
    "verified",
    "no_longer_relevant",
)

#: States in which a recommendation is still open: not verified, not closed.
OPEN_STATES = STATES[:9]
