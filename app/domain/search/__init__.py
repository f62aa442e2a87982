"""Search, statistics and exports over recommendations (acts and responses join the same search).

Definitions used by every figure (pages, API, exports):

- A recommendation's date is the start date of its visit; periods and years use it.
- Statistics count recommendations that left the draft state (drafts are not yet the NPM's).
- Implemented: the states ``implemented`` and ``verified``; ``partially_implemented`` is counted
  on its own and not as implemented. Implementation rate = implemented / total.
- Overdue: in the state ``overdue``, or sent with its due date past (the sweep has not run yet).
- Sent on / responded on: the Kyiv dates of the first ``send`` and the first ``respond`` history
  rows (kept in ``recommendation_timings`` by database triggers on ``workflow_history``).
- Received on / answered on: the authority's receipt of the act and the sending (postmark) date
  of its substantive answer (or the answer's receipt date when that is unknown), written to
  ``recommendation_timings`` by the application; the history's dates stand in where they are
  missing (rows older than these columns).
- Answered in time: answered on or before ``due_on`` (an answer posted on the last day is in
  time, Civil Code Art. 255 part 2). The share answered in time is taken over the
  recommendations whose term is settled: sent, with a due date, and answered or past due.
- Days to answer: answered on − received on, in calendar days; the median is over answered ones.
"""

from app.domain import states as _states

#: States that count as implemented in every figure.
IMPLEMENTED_STATES = _states.group("recommendation", "implemented")
#: Counted on its own, never as implemented.
PARTIAL_STATES = _states.group("recommendation", "partially_implemented")
