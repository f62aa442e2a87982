"""Response operations: record an authority's answer to an act, assess what it says."""

import secrets
from datetime import date, datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core import storage
from app.core.clock import today
from app.core.errors import OperationError
from app.core.i18n import fmt_date
from app.domain import states as _states
from app.domain.acts.operations import fire as fire_act
from app.domain.recommendations.operations import fire as fire_rec
from app.domain.responses import (
    ASSESSMENTS,
    AWAITING_ACT_STATES,
    AWAITING_STATES,
    KINDS,
    NOTE_TRANSITION,
    OPEN_ACT_STATES,
    POSITIONS,
)
from app.domain.responses import files as filetypes
from app.domain.responses.forms import COMMENT_MAX, KIND_LABELS, NUMBER_MAX, TEXT_MAX
from app.domain.responses.models import Response, ResponseFile, ResponsePosition
from app.extensions import db
from app.workflow import get_engine


class NotPermitted(OperationError):
    """Only lawyers record answers and assess them (403)."""

    status = 403


class ActNotOpen(OperationError):
    """The act was not sent, or is closed or cancelled (409)."""

    status = 409


class FileTooLarge(OperationError):
    """An attached file is over ``RESPONSE_FILE_MAX_BYTES`` (413)."""

    status = 413


def record_response(act, data, files, actor):
    """Record the authority's answer to ``act`` and flush (the request or job commits).

    ``data``: ``received_on`` (date), ``incoming_number``, ``kind``, ``text`` and ``positions``
    (``[{"recommendation_id", "position", "comment"}]``); ``files``: uploaded files (objects
    with ``filename`` and ``read``) or ``(filename, bytes)`` pairs. The files are stored with
    their sha256 and removed again if the transaction rolls back. A substantive answer fires
    ``respond`` on the act (sent or overdue) and on each recommendation still awaiting an
    answer; any other answer, or a further one, is recorded in the act's history only.
    The act's executor is notified.
    """
    check_can_record(act, actor)
    uploads = _read_files(files)
    problems = {}
    values = _clean(act, data, problems)
    typed = _check_types(uploads, problems)
    if problems:
        raise OperationError(fields=problems)
    response = Response(
        act_id=act.id,
        recorded_by_id=actor.id,
        **{k: values[k] for k in ("kind", "received_on", "sent_on", "incoming_number", "text")},
    )
    db.session.add(response)
    db.session.flush()
    for p in values["positions"]:
        response.positions.append(ResponsePosition(**p))
    for n, (name, content, content_type) in enumerate(typed, 1):
        response.files.append(_store(act, response, n, name, content, content_type))
    db.session.flush()
    _move(act, response, actor)
    _notify(act, response)
    return response


def check_can_record(act, actor):
    """Refuse a role other than lawyer (403) and an act not sent, or closed (409)."""
    _check_actor(actor)
    if act.state not in OPEN_ACT_STATES:
        raise ActNotOpen(
            _l(
                "An answer can be recorded only for an act that was sent; this act is “%(state)s”.",
                state=get_engine().state_label(act),
            )
        )


def assess(decisions, actor):
    """Fire ``assess_<assessment>`` for each ``(recommendation, assessment, comment)``.

    All or nothing: on any error the caller rolls the whole set back.
    """
    _check_actor(actor)
    for rec, assessment, comment in decisions:
        if assessment not in ASSESSMENTS:
            raise OperationError(
                fields={"assessment": [_l("Not a valid assessment: %(code)s.", code=assessment)]}
            )
        fire_rec(rec, ASSESSMENTS[assessment], actor, {"comment": comment} if comment else {})
    return [rec for rec, _a, _c in decisions]


def history_comment(response):
    """The reference to the answer written in the history, in the office's language."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "uk")):
        ref = _(
            "incoming № %(number)s of %(date)s",
            number=response.incoming_number,
            date=fmt_date(response.received_on),
        )
        if response.kind == "interim":
            return _("Interim answer, %(ref)s", ref=ref)
        if response.kind == "formal":
            return _("Formal answer (no substance), %(ref)s", ref=ref)
        return ref


#: Recommendation states in which an answer that moves nothing is still written in the history.
NOTED_STATES = _states.group("recommendation", "answer_noted")


def _check_actor(actor):
    if actor is None or actor.role != "lawyer":
        raise NotPermitted(_l("Only a lawyer records and assesses the authority's answers."))


def _move(act, response, actor):
    params = {"response_id": response.id, "comment": history_comment(response)}
    if response.is_substantive:
        from app.domain.search.timings import set_answered

        # "Answered in time" and "days to answer" count to the answer's sending date.
        set_answered(
            [r.id for r in act.recommendations if r.state in AWAITING_STATES],
            response.sent_on or response.received_on,
        )
    if response.is_substantive and act.state in AWAITING_ACT_STATES:
        fire_act(act, "respond", actor, params)
    else:
        fire_act(act, NOTE_TRANSITION, actor, params)
    for rec in act.recommendations:
        if response.is_substantive and rec.state in AWAITING_STATES:
            fire_rec(rec, "respond", actor, params)
        elif rec.state in NOTED_STATES:
            # Interim and formal answers, and later letters, enter each case's history too.
            fire_rec(rec, NOTE_TRANSITION, actor, params)


def _notify(act, response):
    from app.domain.notifications import notify

    executor = act.executor
    with force_locale(executor.locale or "uk"):
        number = act.outgoing_number or f"#{act.id}"
        subject = _("Answer received: act %(number)s", number=number)
        text = _(
            "%(authority)s answered act %(number)s (%(kind)s): incoming № %(incoming)s of "
            "%(date)s.",
            authority=act.authority.name,
            number=number,
            kind=str(KIND_LABELS[response.kind]).lower(),
            incoming=response.incoming_number,
            date=fmt_date(response.received_on),
        )
    notify(executor, "response_received", subject, text, link=f"/acts/{act.id}")


def _clean(act, data, problems):
    kind = data.get("kind")
    if kind not in KINDS:
        problems["kind"] = [_l("Must be one of: %(codes)s.", codes=", ".join(KINDS))]
    received_on = data.get("received_on")
    if not isinstance(received_on, date) or isinstance(received_on, datetime):
        problems["received_on"] = [_l("This field is required.")]
    elif act.sent_on is not None and received_on < act.sent_on:
        problems["received_on"] = [
            _l(
                "The answer cannot arrive before the act was sent (%(date)s).",
                date=fmt_date(act.sent_on),
            )
        ]
    elif received_on > today():
        problems["received_on"] = [_l("The date of receipt cannot be in the future.")]
    sent_on = _clean_sent_on(act, data.get("sent_on"), received_on, problems)
    number = data.get("incoming_number")
    number = number.strip() if isinstance(number, str) else ""
    if not number or len(number) > NUMBER_MAX:
        problems["incoming_number"] = [
            _l("Enter the incoming number (at most %(n)s characters).", n=NUMBER_MAX)
        ]
    text = data.get("text") or ""
    if not isinstance(text, str) or len(text) > TEXT_MAX:
        problems["text"] = [_l("Text of at most %(n)s characters.", n=TEXT_MAX)]
        text = ""
    return {
        "kind": kind,
        "received_on": received_on,
        "sent_on": sent_on,
        "incoming_number": number,
        "text": text.strip(),
        "positions": _clean_positions(act, data.get("positions") or [], problems),
    }


def _clean_sent_on(act, sent_on, received_on, problems):
    """The authority's dispatch (postmark) date: not before the act was sent, not after the
    answer arrived."""
    if sent_on is None or sent_on == "":
        return None
    if not isinstance(sent_on, date) or isinstance(sent_on, datetime):
        problems["sent_on"] = [_l("Give a date as YYYY-MM-DD.")]
    elif act.sent_on is not None and sent_on < act.sent_on:
        message = _l(
            "The answer cannot be sent before the act was (%(date)s).", date=fmt_date(act.sent_on)
        )
        problems["sent_on"] = [message]
    elif isinstance(received_on, date) and sent_on > received_on:
        problems["sent_on"] = [_l("The answer cannot be sent after it arrived.")]
    return sent_on


def _clean_positions(act, raw, problems):
    if not isinstance(raw, list):
        problems["positions"] = [_l("A list of positions is expected.")]
        return []
    carried = {r.id for r in act.recommendations}
    seen, out, messages = set(), [], []
    for item in raw:
        if not isinstance(item, dict) or set(item) - {"recommendation_id", "position", "comment"}:
            messages.append(
                _l("Each position is an object with recommendation_id, position and comment.")
            )
            continue
        rec_id, position = _as_int(item.get("recommendation_id")), item.get("position")
        comment = item.get("comment") or ""
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
        elif not isinstance(comment, str) or len(comment) > COMMENT_MAX:
            messages.append(
                _l(
                    "Recommendation №%(id)s: a comment of at most %(n)s characters.",
                    id=rec_id,
                    n=COMMENT_MAX,
                )
            )
        else:
            seen.add(rec_id)
            out.append(
                {"recommendation_id": rec_id, "position": position, "comment": comment.strip()}
            )
    if messages:
        problems["positions"] = messages
    return out


def _as_int(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _read_files(files):
    """(name, bytes) of each file; a file over the limit stops everything (413) before more is
    read."""
    limit = filetypes.max_bytes()
    out = []
    for f in files or []:
        if isinstance(f, tuple):
            name, content = f
        else:
            name, content = f.filename, f.read(limit + 1)
        if len(content) > limit:
            message = _l("“%(name)s” is larger than %(mb)s MB.", name=name, mb=_mb(limit))
            raise FileTooLarge(message, fields={"files": [message]})
        out.append((name, content))
    return out


def _mb(size):
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _check_types(uploads, problems):
    typed, messages = [], []
    for name, content in uploads:
        content_type = filetypes.sniff(content) if content else None
        if content_type is None:
            messages.append(
                _l("“%(name)s” is not a PDF, DOCX, PNG, JPEG or TIFF file.", name=name or "?")
            )
        else:
            typed.append((filetypes.display_name(name, content_type), content, content_type))
    if messages:
        problems["files"] = messages
    return typed


def _store(act, response, n, name, content, content_type):
    ext = filetypes.EXTENSIONS[content_type]
    # A random part: a path is never reused, even for an id a rolled-back insert gave out.
    relative = f"responses/{act.id}/{response.id}/{n}-{secrets.token_hex(6)}{ext}"
    meta = storage.store(relative, content, session=db.session())
    return ResponseFile(
        filename=name,
        content_type=content_type,
        path=meta["path"],
        sha256=meta["sha256"],
        size=meta["size"],
    )


# Shared with the answers that come by themselves (portal, e-mail): the same checks, one place.
read_uploads = _read_files
check_types = _check_types
store_file = _store
as_int = _as_int
clean_registration = _clean
