"""Legal hold on an act: while it is set, retention deletes nothing of the act."""

from flask_babel import lazy_gettext as _l

from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import OperationError
from app.extensions import db


def set_hold(act, reason, actor):
    """Put the act (its documents, e-mails and responses) under legal hold, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise OperationError(_l("Give the reason for the legal hold."))
    if len(reason) > 1000:
        raise OperationError(_l("Longer than %(n)s characters.", n=1000))
    act.legal_hold_reason, act.legal_hold_at = reason, utcnow()
    record_audit("act.legal_hold_set", actor, subject=act, details={"reason": reason})
    db.session.flush()


def release_hold(act, actor):
    if act.legal_hold_reason is None:
        return
    record_audit(
        "act.legal_hold_released", actor, subject=act, details={"reason": act.legal_hold_reason}
    )
    act.legal_hold_reason, act.legal_hold_at = None, None
    db.session.flush()
