"""The columns of the exported list of visits (headers are msgids; the files carry them in
Ukrainian)."""

from flask_babel import lazy_gettext as _l

from app.core.exports import Column
from app.core.exports import coded as _coded
from app.domain import codes

VISIT_COLUMNS = [
    Column("№", "id", 8),
    Column(_l("Facility"), "facility.name", 50),
    Column(_l("Region"), _coded(codes.REGIONS, "facility.region"), 22),
    Column(_l("Started on"), "started_on", 12),
    Column(_l("Ended on"), "ended_on", 12),
    Column(_l("Kind of visit"), _coded(codes.VISIT_KINDS, "kind"), 14),
    Column(_l("Monitors"), lambda v: ", ".join(u.name for u in v.monitors), 30),
    Column(_l("Summary"), "summary", 60),
]
