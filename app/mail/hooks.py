"""What other parts of the application do once the mail server accepted an e-mail.

The mail layer knows nothing of them: a part registers a function for the ``subject_type`` of
its e-mails, and the sending job calls it with ``(subject_id, accepted_at)`` after recording the
e-mail as sent, in a transaction of its own. A failing hook is logged and rolled back; the
e-mail stays sent.
"""

import logging

from flask import current_app

from app.extensions import db

log = logging.getLogger(__name__)
_KEY = "vidhuk_mail_sent_hooks"


def on_sent(app, subject_type, hook):
    """Call ``hook(subject_id, accepted_at)`` when an e-mail about ``subject_type`` is accepted."""
    app.extensions.setdefault(_KEY, {}).setdefault(subject_type, []).append(hook)


def run_sent_hooks(email_id):
    from app.mail.models import OutboxEmail

    email = db.session.get(OutboxEmail, email_id)
    if email is None or email.status != "sent" or email.subject_id is None:
        return
    for hook in current_app.extensions.get(_KEY, {}).get(email.subject_type, []):
        try:
            hook(email.subject_id, email.sent_at)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("e-mail %s: a hook after sending failed", email_id)
