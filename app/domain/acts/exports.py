"""The columns of the exported list of acts (headers are msgids; the files carry them in
Ukrainian)."""

from flask_babel import lazy_gettext as _l

from app.core.exports import Column
from app.domain.acts import kinds


def _act_kind(act):
    return str(kinds.label(act.kind))


def _act_state(act):
    from app.workflow import get_engine

    return get_engine().label("act", act.state)


ACT_COLUMNS = [
    Column("№", "id", 8),
    Column(_l("Kind"), _act_kind, 20),
    Column(_l("Addressee"), "authority.name", 40),
    Column(_l("State"), _act_state, 18),
    Column(_l("Outgoing number"), "outgoing_number", 14),
    Column(_l("Sent on"), "sent_on", 12),
    Column(_l("Received on"), "received_on", 12),
    Column(_l("Due on"), "due_on", 12),
]
