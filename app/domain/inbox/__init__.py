"""The office mailbox: e-mails that come back (answers, automatic replies, delivery failures).

Every message read from the mailbox is kept here with its state and the reason for it, and its
original (.eml) is stored: nothing that arrives is dropped. A reply matched to an act becomes a
response to review on it (``source: email``); the rest waits for a lawyer on the inbox page.
"""

from flask_babel import lazy_gettext as _l

#: unmatched: matched no act (or could not be filed on it), waits for a lawyer; filed: became a
#: response to review on an act; auto_reply: an automatic reply (out of office), a note on the
#: act it concerns; bounce: a delivery failure report; ignored: set aside by a lawyer.
STATES = ("unmatched", "filed", "auto_reply", "bounce", "ignored")
STATE_LABELS = {
    "unmatched": _l("unmatched"),
    "filed": _l("filed"),
    "auto_reply": _l("automatic replies"),
    "bounce": _l("delivery failures"),
    "ignored": _l("ignored"),
}
#: How a message found its act.
MATCHES = ("references", "number", "plus_address", "sender", "manual")
MATCH_LABELS = {
    "references": _l("a reply to the act's e-mail"),
    "number": _l("the outgoing number"),
    "plus_address": _l("the act's reply address"),
    "sender": _l("the sender's address"),
    "manual": _l("filed by a lawyer"),
}
#: Why a message is in its state; shown with ``reason_detail``.
REASONS = {
    "no_match": _l("It matches no act: file it on one or set it aside."),
    "ambiguous": _l("It could belong to several acts: %(detail)s"),
    "act_deleted": _l("The act it answers no longer exists."),
    "act_closed": _l("The act it answers does not take answers now (%(detail)s)."),
    "too_large": _l("The message is too large to read (%(detail)s); the original is kept."),
    "too_many_attachments": _l(
        "The message has too many attachments (%(detail)s); the original is kept."
    ),
    "malformed": _l("The message could not be read (%(detail)s); the original is kept."),
    "auto_reply": _l("An automatic reply (%(detail)s)."),
    "bounce": _l("A delivery failure report: %(detail)s"),
    "bounce_unknown": _l("A delivery failure report about no e-mail of ours: %(detail)s"),
    "ignored": _l("Set aside: %(detail)s"),
}
