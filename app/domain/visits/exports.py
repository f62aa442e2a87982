"""The columns of an exported list of visits (the list page and the API); headers are msgids,
files carry them in Ukrainian."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.core.exports import Column
from app.domain import codes
from app.domain.recommendations.exports import coded
from app.domain.visits.models import Visit


def load_options():
    """What the columns read besides the row, loaded a batch at a time."""
    return (selectinload(Visit.facility), selectinload(Visit.monitors))


COLUMNS = [
    Column("№", "id", 8),
    Column(_l("Facility"), "facility.name", 50),
    Column(_l("Region"), coded(codes.REGIONS, "facility.region"), 22),
    Column(_l("Started on"), "started_on", 12),
    Column(_l("Ended on"), "ended_on", 12),
    Column(_l("Kind of visit"), coded(codes.VISIT_KINDS, "kind"), 14),
    Column(_l("Monitors"), lambda v: ", ".join(u.name for u in v.monitors), 30),
    Column(_l("Summary"), "summary", 60),
]

#: The name the API reads them by.
VISIT_COLUMNS = COLUMNS
