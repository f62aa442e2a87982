"""Writing facilities."""

from app.core.audit import record_audit
from app.domain.facilities.models import Facility
from app.extensions import db

FIELDS = ("name", "type", "region", "address", "capacity", "authority_id")


def save_facility(data, facility=None, actor=None):
    """Create or update a facility from validated values (a page's form or an API body);
    flushes, does not commit."""
    is_new = facility is None
    before = {} if is_new else {name: getattr(facility, name) for name in FIELDS}
    if is_new:
        facility = Facility()
        db.session.add(facility)
    for name in FIELDS:
        value = data[name]
        setattr(facility, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    changes = {
        name: [before.get(name), getattr(facility, name)]
        for name in FIELDS
        if is_new or before[name] != getattr(facility, name)
    }
    if changes:
        event = "facility.created" if is_new else "facility.updated"
        record_audit(event, actor, subject=facility, details=changes)
    return facility
