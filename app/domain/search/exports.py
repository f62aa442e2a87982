"""The columns of the exported recommendation, authority and facility lists and of the
dashboard's tables (headers are msgids; the files carry them in Ukrainian). Acts' and visits'
columns live with their features (acts/exports.py, visits/exports.py)."""

from flask_babel import lazy_gettext as _l

from app.core.exports import Column
from app.core.exports import coded as _coded
from app.domain import codes


def _state(rec):
    from app.workflow import get_engine

    return get_engine().label("recommendation", rec.state)


RECOMMENDATION_COLUMNS = [
    Column("№", "id", 8),
    Column(_l("Recommendation"), "text", 80),
    Column(_l("Theme"), _coded(codes.THEMES, "theme"), 24),
    Column(_l("Priority"), _coded(codes.PRIORITIES, "priority"), 12),
    Column(_l("State"), _state, 20),
    Column(_l("Due on"), "due_on", 12),
    Column(_l("Facility"), "facility.name", 40),
    Column(_l("Facility type"), _coded(codes.FACILITY_TYPES, "facility.type"), 28),
    Column(_l("Region"), _coded(codes.REGIONS, "facility.region"), 22),
    Column(_l("Addressee"), "authority.name", 40),
    Column(_l("Visit date"), "visit.started_on", 12),
    Column(_l("Kind of visit"), _coded(codes.VISIT_KINDS, "visit.kind"), 14),
    Column(_l("Repeats"), "previous_id", 10),
]

AUTHORITY_COLUMNS = [
    Column("№", "id", 8),
    Column(_l("Name"), "name", 50),
    Column(_l("Kind"), _coded(codes.AUTHORITY_KINDS, "kind"), 28),
    Column(_l("E-mail"), "email", 28),
    Column(_l("Postal address"), "postal_address", 40),
    Column(_l("Supervising authority"), "parent.name", 40),
]

FACILITY_COLUMNS = [
    Column("№", "id", 8),
    Column(_l("Name"), "name", 50),
    Column(_l("Type"), _coded(codes.FACILITY_TYPES, "type"), 28),
    Column(_l("Region"), _coded(codes.REGIONS, "region"), 22),
    Column(_l("Address"), "address", 40),
    Column(_l("Capacity (places)"), "capacity", 10),
    Column(_l("Supervising authority"), "authority.name", 40),
]

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
