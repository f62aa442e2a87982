"""The columns of an exported list of recommendations (the list page, the search, the API):
the case, its registries, the acts that carried it with their numbers and dates, the
authority's last position and the lawyer's assessment. Headers are msgids; files carry them in
Ukrainian."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.core.exports import Column
from app.domain import codes
from app.domain.recommendations.models import Recommendation as R


def load_options():
    """What the columns read besides the row, loaded a batch at a time."""
    from app.domain.responses.models import ResponsePosition

    return (
        *(selectinload(getattr(R, name)) for name in ("facility", "authority", "visit", "acts")),
        selectinload(R.lawyer),
        selectinload(R.response_positions).selectinload(ResponsePosition.response),
    )


def coded(table, path):
    """A column value: the label of the code at ``path`` (dotted) in ``table``."""

    def get(row):
        value = row
        for part in path.split("."):
            value = getattr(value, part) if value is not None else None
        return str(codes.label(table, value)) if value else ""

    return get


def _state(rec):
    from app.workflow import get_engine

    return get_engine().label("recommendation", rec.state)


def _sent_acts(rec):
    return [a for a in rec.acts if a.outgoing_number]


def _act_numbers(rec):
    return "; ".join(a.outgoing_number for a in _sent_acts(rec))


def _last_sent_on(rec):
    dates = [a.sent_on for a in _sent_acts(rec) if a.sent_on]
    return max(dates) if dates else None


def _last_position(rec):
    recorded = [p for p in rec.response_positions if p.response.status == "recorded"]
    return recorded[-1] if recorded else None


def _position(rec):
    from app.domain.responses.forms import POSITION_LABELS

    last = _last_position(rec)
    return str(POSITION_LABELS.get(last.position, last.position)) if last else ""


def _answered_on(rec):
    last = _last_position(rec)
    return last.response.received_on if last else None


def _assessment(rec):
    from app.domain.responses import ASSESSMENTS

    return _state(rec) if rec.state in (*ASSESSMENTS, "verified") else ""


COLUMNS = [
    Column("№", "id", 8),
    Column(_l("Recommendation"), "text", 80),
    Column(_l("Theme"), coded(codes.THEMES, "theme"), 24),
    Column(_l("Priority"), coded(codes.PRIORITIES, "priority"), 12),
    Column(_l("State"), _state, 20),
    Column(_l("Due on"), "due_on", 12),
    Column(_l("Facility"), "facility.name", 40),
    Column(_l("Facility type"), coded(codes.FACILITY_TYPES, "facility.type"), 28),
    Column(_l("Region"), coded(codes.REGIONS, "facility.region"), 22),
    Column(_l("Addressee"), "authority.name", 40),
    Column(_l("Visit date"), "visit.started_on", 12),
    Column(_l("Kind of visit"), coded(codes.VISIT_KINDS, "visit.kind"), 14),
    Column(_l("Repeats"), "previous_id", 10),
    Column(_l("Acts (outgoing numbers)"), _act_numbers, 18),
    Column(_l("Sent on"), _last_sent_on, 12),
    Column(_l("Position of the authority"), _position, 22),
    Column(_l("Answer received on"), _answered_on, 12),
    Column(_l("Assessment"), _assessment, 22),
    Column(_l("Lawyer"), "lawyer.name", 24),
]
