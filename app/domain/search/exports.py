"""The columns of the dashboard's tables (headers are msgids; the files carry them in
Ukrainian). Each feature declares the columns of its own list in its package
(``app.domain.<feature>.exports.COLUMNS``); they are named here too for older imports."""

from flask_babel import lazy_gettext as _l

from app.core.exports import Column
from app.domain.acts.exports import COLUMNS as ACT_COLUMNS  # noqa: F401
from app.domain.authorities.exports import COLUMNS as AUTHORITY_COLUMNS  # noqa: F401
from app.domain.facilities.exports import COLUMNS as FACILITY_COLUMNS  # noqa: F401
from app.domain.recommendations.exports import COLUMNS as RECOMMENDATION_COLUMNS  # noqa: F401
from app.domain.visits.exports import COLUMNS as VISIT_COLUMNS  # noqa: F401

#: A table of the dashboard: rows are stats.Group.
GROUP_COLUMNS = [
    Column(_l("Code"), "key", 14),
    Column(_l("Name"), "label", 40),
    Column(_l("Total"), "total", 10),
    Column(_l("Implemented"), "implemented", 12),
    Column(_l("Partially implemented"), "partially", 12),
    Column(_l("Overdue"), "overdue", 12),
    Column(_l("Answered"), "answered", 12),
    Column(_l("Term settled"), "settled", 12),
    Column(_l("Answered in time"), "in_time", 12),
    Column(_l("Implementation rate, %"), "rate", 12),
    Column(_l("Answered in time, %"), "in_time_share", 12),
]

#: The timeliness table: one row, the period's totals and the median.
TIMELINESS_COLUMNS = [
    Column(_l("Total"), "total", 10),
    Column(_l("Answered"), "answered", 12),
    Column(_l("Term settled"), "settled", 12),
    Column(_l("Answered in time"), "in_time", 12),
    Column(_l("Answered in time, %"), "in_time_share", 12),
    Column(_l("Median days to answer"), "median_days", 14),
]
