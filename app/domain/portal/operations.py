"""Portal operations: the authority's answer through its link becomes a response to review."""

from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.audit import record_audit
from app.core.clock import today
from app.core.db import utcnow
from app.core.errors import OperationError
from app.core.i18n import fmt_date, fmt_datetime
from app.domain.responses import POSITION_LABELS, POSITIONS
from app.domain.responses import operations as responses
from app.domain.responses.forms import COMMENT_MAX, NUMBER_MAX, TEXT_MAX
from app.domain.responses.models import Response, ResponsePosition
from app.extensions import db

#: Fields of a portal answer besides ``positions`` (and, with multipart, the files).
FIELDS = (
    "responder_name",
    "responder_position",
    "responder_phone",
    "responder_email",
    "sender_number",
    "text",
)
#: Keys of one position.
POSITION_KEYS = {"recommendation_id", "position", "comment", "planned_on"}
LIMITS = {
    "responder_name": 200,
    "responder_position": 200,
    "responder_phone": 40,
    "responder_email": 254,
    "sender_number": NUMBER_MAX,
    "text": TEXT_MAX,
}
REQUIRED = ("responder_name", "responder_position")


def submit(link, data, files):
    """Store the authority's answer through ``link`` as a response to review; flush only.

    ``data``: the FIELDS and ``positions`` (``[{"recommendation_id", "position", "comment",
    "planned_on"}]``); ``files``: ``[(recommendation_id or None, upload)]``. Everything is checked
    before anything is written: any problem raises an OperationError and nothing is kept.
    """
    act = link.act
    limit = current_app.config["PORTAL_MAX_FILES"]
    if len(files) > limit:
        message = _l("At most %(n)s files can be attached to one answer.", n=limit)
        raise OperationError(message, status=413, fields={"files": [message]})
    uploads = responses.read_uploads([f for _rec, f in files])
    problems = {}
    values = _clean(data, problems)
    positions = _clean_positions(act, data.get("positions"), problems)
    carried = {r.id for r in act.recommendations}
    if any(rec_id is not None and rec_id not in carried for rec_id, _f in files):
        problems.setdefault("files", []).append(
            _l("Files can be attached only to this act's recommendations.")
        )
    typed = responses.check_types(uploads, problems)
    if problems:
        raise OperationError(fields=problems)
    targets = [rec_id for rec_id, _f in files]
    response = new_answer_to_review(
        act,
        "portal",
        values,
        positions,
        [(*typed_file, rec_id) for typed_file, rec_id in zip(typed, targets, strict=True)],
        portal_link_id=link.id,
    )
    link.last_used_at = utcnow()
    db.session.flush()
    record_audit(
        "portal.answer_submitted",
        actor_label=values["responder_name"],
        subject=response,
        details={
            "act_id": act.id,
            "link_id": link.id,
            "positions": len(positions),
            "files": len(typed),
        },
    )
    _notify_lawyer(act, response)
    if response.responder_email:
        _send_receipt(act, response)
    return response


def new_answer_to_review(act, source, values, positions=(), files=(), portal_link_id=None):
    """An answer that came by itself (``source`` portal or email) as a response to review on
    ``act``; flush only. ``values``: the Response's own fields (responder_…, text);
    ``positions``: checked dicts; ``files``: checked ``(name, content, content_type,
    recommendation_id or None)``. The one way such an answer is written."""
    response = Response(
        act_id=act.id,
        source=source,
        status="to_review",
        portal_link_id=portal_link_id,
        created_at=utcnow(),
        **values,
    )
    db.session.add(response)
    db.session.flush()
    for p in positions:
        response.positions.append(ResponsePosition(**p))
    for n, (name, content, content_type, rec_id) in enumerate(files, 1):
        stored = responses.store_file(act, response, n, name, content, content_type)
        stored.recommendation_id = rec_id
        response.files.append(stored)
    db.session.flush()
    return response


def _clean(data, problems):
    out = {}
    for name in FIELDS:
        value = data.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str) or "\x00" in value:
            problems[name] = [_l("Text is expected.")]
            out[name] = ""
            continue
        value = value.strip()
        if len(value) > LIMITS[name]:
            problems[name] = [_l("At most %(n)s characters.", n=LIMITS[name])]
        elif not value and name in REQUIRED:
            problems[name] = [_l("This field is required.")]
        out[name] = value
    if out["responder_email"] and "responder_email" not in problems:
        try:
            out["responder_email"] = validate_email(
                out["responder_email"], check_deliverability=False
            ).normalized
        except EmailNotValidError:
            problems["responder_email"] = [_l("Not a valid e-mail address.")]
    return out


def _clean_positions(act, raw, problems):
    if not isinstance(raw, list) or not raw:
        problems["positions"] = [_l("State a position on at least one recommendation.")]
        return []
    carried = {r.id for r in act.recommendations}
    seen, out, messages = set(), [], []
    for item in raw:
        if not isinstance(item, dict) or set(item) - POSITION_KEYS:
            messages.append(
                _l(
                    "Each position is an object with recommendation_id, position, "
                    "comment and planned_on."
                )
            )
            continue
        rec_id = responses.as_int(item.get("recommendation_id"))
        position, comment = item.get("position"), item.get("comment") or ""
        planned_on, planned_problem = _planned(item.get("planned_on"), position)
        if rec_id is None:
            messages.append(_l("recommendation_id must be a whole number."))
        elif rec_id not in carried:
            messages.append(_l("Recommendation №%(id)s is not in this act.", id=rec_id))
        elif rec_id in seen:
            messages.append(_l("Recommendation №%(id)s has more than one position.", id=rec_id))
        elif position not in POSITIONS:
            messages.append(
                _l(
                    "Recommendation №%(id)s: the position must be one of: %(codes)s.",
                    id=rec_id,
                    codes=", ".join(POSITIONS),
                )
            )
        elif not isinstance(comment, str) or len(comment) > COMMENT_MAX or "\x00" in comment:
            messages.append(
                _l(
                    "Recommendation №%(id)s: a comment of at most %(n)s characters.",
                    id=rec_id,
                    n=COMMENT_MAX,
                )
            )
        elif planned_problem:
            messages.append(
                _l("Recommendation №%(id)s: %(problem)s", id=rec_id, problem=planned_problem)
            )
        else:
            seen.add(rec_id)
            out.append(
                {
                    "recommendation_id": rec_id,
                    "position": position,
                    "comment": comment.strip(),
                    "planned_on": planned_on,
                }
            )
    if messages:
        problems["positions"] = messages
    return out


def _planned(value, position):
    """(date or None, problem or None): in_progress needs a planned date from today on."""
    if value in (None, ""):
        if position == "in_progress":
            return None, _l("give the planned date of completion.")
        return None, None
    try:
        planned = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        planned = None
    if planned is None:
        return None, _l("the planned date must be a date (YYYY-MM-DD).")
    if position != "in_progress":
        return None, None
    if planned < today():
        return None, _l("the planned date cannot be in the past.")
    return planned, None


def _notify_lawyer(act, response):
    from app.domain.notifications import notify

    executor = act.executor
    with force_locale(executor.locale or "uk"):
        number = act.outgoing_number or f"#{act.id}"
        subject = _("Answer to review: act %(number)s", number=number)
        text = _(
            "%(authority)s answered act %(number)s through its link (%(name)s, "
            "%(position)s). Review the answer to record it.",
            authority=act.authority.name,
            number=number,
            name=response.responder_name,
            position=response.responder_position,
        )
    notify(executor, "response_to_review", subject, text, link=f"/responses/{response.id}/review")


def receipt_lines(response):
    """What the authority submitted, one line per recommendation (the receipt, page and e-mail)."""
    recs = {r.id: r for r in response.act.recommendations}
    lines = []
    for p in response.positions:
        number = response.act.recommendations.index(recs[p.recommendation_id]) + 1
        line = f"{number}. {POSITION_LABELS[p.position]}"
        if p.planned_on:
            line += " — " + _("planned by %(date)s", date=fmt_date(p.planned_on))
        if p.comment:
            line += f": {p.comment}"
        lines.append(line)
    return lines


def _send_receipt(act, response):
    from app.mail.outbox import queue_email

    with force_locale("uk"):
        files = [f.filename for f in response.files]
        text = "\n".join(
            [
                _(
                    "Your answer to act № %(number)s of %(date)s has been received and is being "
                    "reviewed.",
                    number=act.outgoing_number,
                    date=fmt_date(act.sent_on),
                ),
                "",
                _("Received at: %(at)s", at=fmt_datetime(response.created_at)),
                _(
                    "Answered by: %(name)s, %(position)s",
                    name=response.responder_name,
                    position=response.responder_position,
                ),
                "",
                *receipt_lines(response),
                "",
                _("Files: %(names)s", names=", ".join(files) if files else "—"),
            ]
        )
        subject = _("Answer received: act № %(number)s", number=act.outgoing_number)
    queue_email(
        response.responder_email,
        subject,
        text,
        reply_to=current_app.config["ISSUER"]["email"],
        subject_type="responses",
        subject_id=response.id,
    )
