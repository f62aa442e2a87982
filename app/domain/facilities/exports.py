"""The columns of an exported list of facilities (the list page and the API); headers are
msgids, files carry them in Ukrainian."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.core.exports import Column
from app.domain import codes
from app.domain.facilities.models import Facility
from app.domain.recommendations.exports import coded


def load_options():
    """What the columns read besides the row, loaded a batch at a time."""
    return (selectinload(Facility.authority),)


COLUMNS = [
    Column("№", "id", 8),
    Column(_l("Name"), "name", 50),
    Column(_l("Type"), coded(codes.FACILITY_TYPES, "type"), 28),
    Column(_l("Region"), coded(codes.REGIONS, "region"), 22),
    Column(_l("Address"), "address", 40),
    Column(_l("Capacity (places)"), "capacity", 10),
    Column(_l("Supervising authority"), "authority.name", 40),
]
