"""Legal deadlines of acts: due dates counted as the law counts them."""

from flask_babel import lazy_gettext as _l

DEADLINE_EVENT_LABELS = {
    "created": _l("term started"),
    "receipt_changed": _l("receipt date entered"),
    "extended": _l("extended"),
    "suspended": _l("suspended"),
    "resumed": _l("resumed"),
    "reminded": _l("lawyer reminded"),
    "expired": _l("term passed"),
    "cancelled": _l("clock stopped"),
    "recounted": _l("recounted (calendar changed)"),
    "accepted": _l("accepted by the authority's mail server (receipt)"),
    "reopened": _l("term running again: the act is no longer overdue"),
    "assumed_passed": _l("term passed on an assumed receipt date: confirm the receipt"),
    "protocol_warned": _l("lawyer warned: the КУпАП 188-40 protocol window closes"),
}
