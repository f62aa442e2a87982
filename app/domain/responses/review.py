"""Answers that came by themselves (portal, e-mail): a lawyer records them or returns them.

Only a recorded answer moves states; recording one gives it what a manual answer has (kind,
date of receipt, incoming number, positions) and then moves the act and its recommendations
exactly as ``record_response`` does.
"""

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core.audit import record_audit
from app.core.clock import to_kyiv
from app.core.db import utcnow
from app.core.errors import OperationError
from app.core.i18n import long_date
from app.domain.responses import operations as ops
from app.domain.responses.models import Response, ResponsePosition
from app.extensions import db

QUESTION_MAX = 4000


def _not_to_review():
    """The answer was already recorded or returned (by someone else, perhaps) (409)."""
    return OperationError(_l("This answer was already recorded or returned."), status=409)


def record_reviewed(response, data, actor):
    """Record an answer that waits for review; flush only, the caller commits.

    ``data``: ``kind``, ``received_on`` (date), ``incoming_number``, optionally ``text`` (kept
    when absent) and ``positions`` (``[{"recommendation_id", "position", "comment"}]``, which
    replace the submitted ones when given).
    """
    act = response.act
    ops.check_can_record(act, actor)
    _check_waiting(response)
    given = data.get("positions")
    current = [
        {"recommendation_id": p.recommendation_id, "position": p.position, "comment": p.comment}
        for p in response.positions
    ]
    problems = {}
    values = ops.clean_registration(
        act,
        {
            **data,
            "text": data.get("text", response.text),
            "positions": current if given is None else given,
        },
        problems,
    )
    if given is not None and not values["positions"] and "positions" not in problems:
        problems["positions"] = [_l("State a position on at least one recommendation.")]
    if problems:
        raise OperationError(fields=problems)
    _claim(
        response,
        actor,
        status="recorded",
        **{k: values[k] for k in ("kind", "received_on", "incoming_number", "text")},
    )
    if given is not None:
        _replace_positions(response, values["positions"])
    db.session.flush()
    ops._move(act, response, actor)
    record_audit(
        "response.recorded",
        actor,
        subject=response,
        details={"act_id": act.id, "source": response.source},
    )
    return response


def return_to_authority(response, question, actor):
    """Send the answer back with the lawyer's question: the authority is e-mailed (the outbox),
    its link stays open for a new answer; nothing moves."""
    from app.domain.portal import links
    from app.mail.outbox import queue_email

    act = response.act
    ops.check_can_record(act, actor)
    _check_waiting(response)
    question = question.strip() if isinstance(question, str) else ""
    if not question or len(question) > QUESTION_MAX or "\x00" in question:
        message = _l("Write the question (at most %(n)s characters).", n=QUESTION_MAX)
        raise OperationError(message, fields={"question": [message]})
    to = [a for a in (act.authority.email, response.responder_email) if a]
    if not to:
        message = _l("Neither the authority nor the person who answered has an e-mail address.")
        raise OperationError(message, fields={"question": [message]})
    _claim(response, actor, status="returned", review_note=question)
    link = links.ensure_link(act, actor)
    url = links.url_of(links.token_of(link))
    text = (
        f"Щодо {_kind(act.kind)} від {long_date(act.sent_on)} № {act.outgoing_number}.\n\n"
        f"Вашу відповідь від {long_date(to_kyiv(response.created_at).date())} "
        f"({response.responder_name}, {response.responder_position}) повернуто з питанням:\n\n"
        f"{question}\n\n"
        f"Просимо надати уточнену відповідь за тим самим посиланням:\n{url}\n\n"
        f"Виконавець: {act.executor.name}, {act.executor.phone}, {act.executor.email}\n"
        f"{current_app.config['ISSUER']['name']}\n"
    )
    queue_email(
        to=list(dict.fromkeys(to)),
        text=text,
        subject=f"Питання щодо відповіді на № {act.outgoing_number}",
        reply_to=current_app.config["ISSUER"]["email"],
        subject_type="acts",
        subject_id=act.id,
    )
    record_audit("response.returned", actor, subject=response, details={"act_id": act.id})
    return response


def _check_waiting(response):
    if response.status != "to_review":
        raise _not_to_review()


def _claim(response, actor, **values):
    """Move the answer out of the queue with a conditional UPDATE: of two lawyers acting on it
    at once, the second gets 409 and changes nothing."""
    values |= {"reviewed_at": utcnow(), "recorded_by_id": actor.id}
    done = db.session.execute(
        sa.update(Response)
        .where(Response.id == response.id, Response.status == "to_review")
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if done != 1:
        raise _not_to_review()
    db.session.refresh(response, list(values))


def _replace_positions(response, positions):
    planned = {p.recommendation_id: p.planned_on for p in response.positions}
    response.positions.clear()
    db.session.flush()
    for p in positions:
        response.positions.append(
            ResponsePosition(**p, planned_on=planned.get(p["recommendation_id"]))
        )


def _kind(kind):
    return {
        "submission": "подання",
        "request": "запиту",
        "reminder": "нагадування",
        "initiative_letter": "листа",
    }[kind]
