"""The columns of an exported list of acts (the list page and the API); headers are msgids,
files carry them in Ukrainian."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.core.exports import Column
from app.domain.acts.models import Act


def load_options():
    """What the columns read besides the row, loaded a batch at a time."""
    return (selectinload(Act.authority), selectinload(Act.executor))


def _kind(act):
    from app.domain.acts import kinds

    return str(kinds.label(act.kind))


def _state(act):
    from app.workflow import get_engine

    return get_engine().label("act", act.state)


COLUMNS = [
    Column("№", "id", 8),
    Column(_l("Kind"), _kind, 20),
    Column(_l("Addressee"), "authority.name", 40),
    Column(_l("State"), _state, 18),
    Column(_l("Outgoing number"), "outgoing_number", 14),
    Column(_l("Sent on"), "sent_on", 12),
    Column(_l("Received on"), "received_on", 12),
    Column(_l("Due on"), "due_on", 12),
    Column(_l("Heading"), "heading", 40),
    Column(_l("Lawyer"), "executor.name", 24),
]

#: The name the API reads them by.
ACT_COLUMNS = COLUMNS
