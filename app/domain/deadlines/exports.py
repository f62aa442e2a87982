"""The columns of the exported list of running terms (rows are acts); headers are msgids."""

from flask_babel import lazy_gettext as _l

from app.core.exports import Column
from app.domain.acts.exports import COLUMNS as ACT_COLUMNS


def _assumed(act):
    from flask_babel import gettext as _

    return _("assumed") if act.received_on_assumed else _("confirmed")


COLUMNS = [
    *ACT_COLUMNS[:8],
    Column(_l("Receipt by the authority"), _assumed, 14),
    Column(_l("Lawyer"), "executor.name", 24),
]
