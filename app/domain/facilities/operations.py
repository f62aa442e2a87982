"""Writing facilities."""

from app.domain.facilities.models import Facility
from app.extensions import db

FIELDS = ("name", "type", "region", "address", "capacity", "authority_id")


def save_facility(form, facility=None):
    """Create or update a facility from a validated form; flushes, does not commit."""
    if facility is None:
        facility = Facility()
        db.session.add(facility)
    for name in FIELDS:
        value = form.data[name]
        setattr(facility, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    return facility
