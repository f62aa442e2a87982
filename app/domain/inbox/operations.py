"""What becomes of a message read from the mailbox, and a lawyer's decisions on one.

``receive`` keeps every message (its original stored as .eml) with a state and the reason for
it, in the caller's transaction: a reply matched to an act becomes a response to review there
(through the same path as the portal's answers), a delivery failure marks our e-mail bounced
and stops the act's clock, an automatic reply becomes a note on the act. Nothing moves an act
or a recommendation until a lawyer records the response.
"""

import hashlib
import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core import storage
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import OperationError
from app.domain.inbox import classify, matching, parse
from app.domain.inbox.models import InboxMessage
from app.domain.responses import files as filetypes
from app.domain.responses.forms import TEXT_MAX
from app.extensions import db

#: Defaults of the optional app.config keys of the inbox.
DEFAULTS = {"INBOX_MAX_BYTES": 30 * 1024 * 1024, "INBOX_MAX_ATTACHMENTS": 50}
#: States a lawyer may file a message from, and set one aside from.
FILEABLE = ("unmatched", "ignored", "auto_reply")
IGNORABLE = ("unmatched", "auto_reply", "bounce")


def setting(name):
    return current_app.config.get(name, DEFAULTS[name])


def receive(folder, uidvalidity, uid, raw: bytes) -> InboxMessage:
    """Keep the message ``uid`` of ``folder`` and act on it; flush only, the caller commits."""
    message = InboxMessage(
        folder=folder,
        uidvalidity=uidvalidity,
        uid=uid,
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        fetched_at=utcnow(),
        eml_path=f"inbox/{uidvalidity}/{uid}-{secrets.token_hex(6)}.eml",
        attachments=[],
    )
    storage.store(message.eml_path, raw, session=db.session())
    if len(raw) > setting("INBOX_MAX_BYTES"):
        parsed = parse.headers_only(raw)
        _describe(message, parsed)
        _wait(message, "too_large", _mb(len(raw)))
    else:
        parsed = parse.parse(raw, setting("INBOX_MAX_ATTACHMENTS"))
        _describe(message, parsed)
        _sort(message, parsed)
    db.session.add(message)
    db.session.flush()
    return message


def _describe(message, parsed):
    message.message_id = parsed.message_id
    message.from_addr, message.from_name = parsed.from_addr, parsed.from_name
    message.subject = parsed.subject
    message.received_at = parsed.date or utcnow()
    message.text = (parsed.reply_text or "")[:TEXT_MAX]


def _sort(message, parsed):
    limit = setting("INBOX_MAX_ATTACHMENTS")
    message.attachments = [_attachment_entry(a) for a in parsed.attachments]
    bounce = classify.bounce_of(parsed)
    if bounce is not None:
        _record_bounce(message, bounce)
        return
    auto = classify.auto_reply_reason(parsed.headers, parsed.subject)
    if auto is not None:
        _record_auto_reply(message, parsed, auto)
        return
    if parsed.attachment_count > limit:
        _wait(message, "too_many_attachments", f"{parsed.attachment_count} > {limit}")
        return
    if parsed.problem and not parsed.text and not parsed.attachments:
        _wait(message, "malformed", parsed.problem)
        return
    found = matching.match(parsed)
    if found.act is None or found.reason:
        _wait(message, found.reason or "no_match", found.detail)
        message.act_id = found.act.id if found.act is not None else None
        message.outbox_email_id = found.email.id if found.email is not None else None
        return
    _file(message, parsed, found.act, found.how)


def _attachment_entry(attachment):
    limit = filetypes.max_bytes()
    content_type = filetypes.sniff(attachment.data) if attachment.data else None
    problem = None
    if len(attachment.data) > limit:
        problem = "too_large"
    elif content_type is None:
        problem = "type"
    return {
        "filename": attachment.filename,
        "content_type": content_type or attachment.content_type,
        "size": len(attachment.data),
        "problem": problem,
    }


#: Why an attachment did not become a response file (it stays in the original .eml).
ATTACHMENT_PROBLEMS = {
    "type": _l("not a PDF, DOCX, PNG, JPEG or TIFF file: kept in the original message only"),
    "too_large": _l("too large: kept in the original message only"),
}


def _wait(message, reason, detail=""):
    message.state, message.reason_code, message.reason_detail = "unmatched", reason, detail or ""


def _file(message, parsed, act, how, actor=None):
    """The reply becomes a response to review on ``act``."""
    from app.domain.portal.operations import new_answer_to_review

    files = []
    for attachment, entry in zip(parsed.attachments, message.attachments, strict=False):
        if entry["problem"] is None:
            name = filetypes.display_name(attachment.filename, entry["content_type"])
            files.append((name, attachment.data, entry["content_type"], None))
    values = {
        "responder_name": (parsed.from_name or parsed.from_addr)[:200],
        "responder_email": parsed.from_addr[:254],
        "text": _response_text(message, parsed),
    }
    response = new_answer_to_review(act, "email", values, (), files)
    message.state, message.reason_code, message.reason_detail = "filed", None, ""
    message.act_id, message.response_id, message.matched_by = act.id, response.id, how
    message.filed_at, message.filed_by_id = utcnow(), actor.id if actor else None
    db.session.flush()
    _after_filing(act, response)
    return response


def _response_text(message, parsed):
    subject = parsed.subject or ""
    text = message.text or ""
    return (f"{subject}\n\n{text}" if subject else text).strip()[:TEXT_MAX]


def _after_filing(act, response):
    from app.domain.inbox.ocr import recognise

    _notify(
        act,
        "response_to_review",
        _l("Answer to review: act %(number)s"),
        _l(
            "An e-mail from %(sender)s was filed on act %(number)s. Review it to record the answer."
        ),
        f"/responses/{response.id}/review",
        sender=response.responder_email or response.responder_name,
    )
    for stored in response.files:
        if stored.content_type == filetypes.PDF:
            recognise.enqueue_after_commit(stored.id)


def _notify(act, kind, subject, text, link, **values):
    from app.domain.notifications import notify

    executor = act.executor
    with force_locale(executor.locale or "uk"):
        number = act.outgoing_number or f"#{act.id}"
        notify(
            executor,
            kind,
            str(subject) % {"number": number, **values},
            str(text) % {"number": number, **values},
            link=link,
        )


# --- delivery failures and automatic replies ------------------------------------------------


def _record_bounce(message, bounce):
    message.state, message.reason_detail = "bounce", bounce.reason[:2000]
    email = _reported_email(bounce)
    if email is None:
        message.reason_code = "bounce_unknown"
        return
    message.reason_code, message.outbox_email_id = "bounce", email.id
    if email.subject_type == "acts":
        message.act_id = email.subject_id
    marked = db.session.execute(
        sa.update(email.__class__)
        .where(email.__class__.id == email.id, email.__class__.status.in_(("sent", "delivered")))
        .values(status="bounced", error_code="bounced", error_detail=bounce.reason[:2000])
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(email)
    if marked and email.subject_type == "acts":
        _undelivered(email.subject_id, bounce.reason)


def _reported_email(bounce):
    from app.mail.models import OutboxEmail

    found = matching.outbox_emails(bounce.original_ids)
    if found:
        return found[0]
    for address in bounce.recipients:
        candidates = db.session.scalars(
            sa.select(OutboxEmail)
            .where(OutboxEmail.status.in_(("sent", "bounced")), OutboxEmail.subject_type == "acts")
            .order_by(OutboxEmail.sent_at.desc(), OutboxEmail.id.desc())
            .limit(200)
        )
        for email in candidates:
            if address in [a.lower() for a in email.to_addrs + email.cc_addrs]:
                return email
    return None


def _undelivered(act_id, reason):
    """The act's e-mail did not arrive: its clock stops (suspended from the sending day) and
    the lawyer is told; the act page offers sending it by post."""
    from app.domain.acts.models import Act
    from app.domain.deadlines import operations as deadlines

    act = db.session.get(Act, act_id)
    if act is None:
        return
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "uk")):
        why = _("The e-mail was not delivered: %(reason)s", reason=reason)[:2000]
    if act.deadline is not None and act.deadline.suspended_on is None:
        try:
            with db.session.begin_nested():
                deadlines.suspend(act, None, why, on=act.sent_on)
        except OperationError:
            pass  # the term no longer runs (answered, overdue and swept): nothing to stop
    _notify(
        act,
        "email_bounced",
        _l("Not delivered: act %(number)s"),
        _l(
            "The e-mail with act %(number)s was not delivered: %(reason)s. Its term is "
            "suspended; send the act by post from its page."
        ),
        f"/acts/{act.id}",
        reason=reason,
    )


def _record_auto_reply(message, parsed, why):
    message.state, message.reason_code, message.reason_detail = "auto_reply", "auto_reply", why
    found = matching.match(parsed)
    if found.act is not None:
        message.act_id = found.act.id
    if found.email is not None:
        message.outbox_email_id = found.email.id


# --- a lawyer's decisions --------------------------------------------------------------------


def file_on(message, act, actor):
    """File a waiting message on ``act`` as a response to review; flush only. Conditional: of
    two lawyers filing it at once, the second gets 409 and nothing is filed twice."""
    from app.domain.responses.operations import check_can_record

    try:
        check_can_record(act, actor)
    except OperationError as exc:
        raise OperationError(exc.message, status=exc.status, code="not_open") from None
    claimed = db.session.execute(
        sa.update(InboxMessage)
        .where(InboxMessage.id == message.id, InboxMessage.state.in_(FILEABLE))
        .values(state="filed")
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise OperationError(_l("This message was already filed."), status=409, code="filed")
    db.session.refresh(message)
    raw = storage.read(message.eml_path)
    parsed = parse.parse(raw, setting("INBOX_MAX_ATTACHMENTS"))
    parsed.attachments = parsed.attachments[: setting("INBOX_MAX_ATTACHMENTS")]
    message.attachments = [_attachment_entry(a) for a in parsed.attachments]
    response = _file(message, parsed, act, "manual", actor)
    record_audit(
        "inbox.filed", actor, subject=message, details={"act_id": act.id, "response": response.id}
    )
    return response


def ignore(message, actor, note=""):
    """Set a message aside (spam, a letter for someone else); it stays in the inbox."""
    note = (note or "").strip() if isinstance(note, str) else ""
    if len(note) > 2000 or "\x00" in note:
        problem = _l("A note of at most %(n)s characters.", n=2000)
        raise OperationError(problem, fields={"note": [problem]})
    done = db.session.execute(
        sa.update(InboxMessage)
        .where(InboxMessage.id == message.id, InboxMessage.state.in_(IGNORABLE))
        .values(state="ignored", reason_code="ignored", reason_detail=note or actor.name)
        .execution_options(synchronize_session=False)
    ).rowcount
    if done != 1:
        raise OperationError(
            _l("Only a message that waits can be set aside."), status=409, code="state"
        )
    db.session.refresh(message)
    record_audit("inbox.ignored", actor, subject=message, details={"note": note})
    return message


def send_by_post(act, actor):
    """After a delivery failure: the act goes by post today. Its term runs from the day the
    letter is assumed delivered (today + POST_DELIVERY_DAYS) until its receipt date is entered
    (the days the undelivered e-mail was out do not count); flush only."""
    from datetime import timedelta

    from app.core.clock import today
    from app.domain.deadlines import operations as deadlines

    if actor is None or actor.role != "lawyer":
        raise OperationError(_l("Only a lawyer sends acts."), status=403, code="forbidden")
    if not bounced_emails(act):
        raise OperationError(
            _l("The act's e-mail was not returned undelivered."), status=409, code="state"
        )
    if act.channel == "post":
        raise OperationError(_l("The act is already sent by post."), status=409, code="state")
    act.channel = "post"
    assumed = today() + timedelta(days=current_app.config["POST_DELIVERY_DAYS"])
    if act.deadline is not None:
        try:
            deadlines.restart(
                act, assumed, actor, _("Sent by post after the e-mail was not delivered.")
            )
        except OperationError as exc:
            raise OperationError(fields=exc.fields, status=409, code="state") from None
    else:
        act.received_on, act.received_on_assumed = assumed, True
    db.session.flush()
    record_audit("act.sent_by_post", actor, subject=act, details={"assumed_receipt": str(assumed)})
    return act


def bounced_emails(act):
    from app.mail.outbox import emails_for

    return [e for e in emails_for("acts", act.id) if e.status == "bounced"]


def act_notes(act):
    """What the inbox has to say on an act's page: undelivered e-mails, automatic replies."""
    notes = db.session.scalars(
        sa.select(InboxMessage)
        .where(InboxMessage.act_id == act.id, InboxMessage.state.in_(("auto_reply", "bounce")))
        .order_by(InboxMessage.received_at)
    ).all()
    return {
        "bounced": bounced_emails(act),
        "auto_replies": [m for m in notes if m.state == "auto_reply"],
        "by_post": act.channel == "post",
    }


def _mb(size):
    return f"{size / (1024 * 1024):.1f} MB"
