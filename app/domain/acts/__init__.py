"""Acts of response: formal letters carrying recommendations to an authority."""

from flask_babel import lazy_gettext as _l

from app.domain import states as _states
from app.domain.acts import kinds as _kinds

#: The codes of the act kinds (their table: app/domain/acts/kinds.py).
KINDS = tuple(_kinds.KINDS)
#: The states of workflows/act.yaml, kept in a CHECK constraint too.
STATES = _states.states("act")
#: Documents of an act: none yet, being made by a job, made, or the job failed.
DOCUMENTS_STATUSES = ("none", "pending", "ready", "failed")
DOCUMENTS_STATUS_LABELS = {
    "none": _l("not generated"),
    "pending": _l("being generated…"),
    "ready": _l("ready"),
    "failed": _l("generation failed"),
}
CHANNELS = ("email", "post")
