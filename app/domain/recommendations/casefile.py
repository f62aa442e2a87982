"""The case file of a recommendation: one timeline of everything that happened to it.

Its state history (assessments and follow-up findings among it), the acts that carry it with
their documents, attachments and e-mails, the authority's answers (with the position on this
recommendation and the files), and the recommendations that repeat it or that it repeats. Each
kind of record is read with one query whatever its number, so the page costs the same number of
queries for one act or fifty. Only what the reader may read is shown (``app.domain.access``).
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.domain import access
from app.domain.acts.emails import STATUS_LABELS as EMAIL_STATUS_LABELS
from app.domain.acts.models import Act, ActAttachment, Document, act_recommendations
from app.domain.recommendations.models import Recommendation
from app.domain.responses.forms import KIND_LABELS as RESPONSE_KIND_LABELS
from app.domain.responses.models import Response, ResponsePosition
from app.domain.responses.review_routes import SOURCE_LABELS as REVIEW_SOURCE_LABELS
from app.domain.responses.review_routes import STATUS_LABELS as REVIEW_STATUS_LABELS
from app.domain.visits.models import Visit
from app.extensions import db
from app.mail.models import OutboxEmail
from app.workflow.models import WorkflowHistory

#: The labels the timeline shows, from the features that own them.
LABELS = {
    "source": REVIEW_SOURCE_LABELS,
    "response_status": REVIEW_STATUS_LABELS,
    "response_kind": RESPONSE_KIND_LABELS,
    "email_status": EMAIL_STATUS_LABELS,
}

#: Act transitions shown in a recommendation's file (the others repeat the case's own history).
ACT_EVENTS = ("close", "cancel")
#: Order of records made at the same moment: the cause before what it caused.
_ORDER = {
    "act": 0,
    "history": 1,
    "act_event": 2,
    "attachment": 3,
    "documents": 4,
    "email": 5,
    "response": 6,
    "repeat": 7,
}


@dataclass
class Entry:
    """One line of the timeline; ``kind`` says which of the other fields it fills."""

    at: datetime
    kind: str
    history: WorkflowHistory | None = None
    act: Act | None = None
    response: Response | None = None
    position: object = None
    files: list = field(default_factory=list)
    visit: Visit | None = None
    email: OutboxEmail | None = None
    documents: list = field(default_factory=list)
    rec: Recommendation | None = None


@dataclass
class CaseFile:
    entries: list
    #: {user id: name} of everyone named in the timeline.
    names: dict
    acts: list
    previous: Recommendation | None
    repeats: list
    #: {act id: its link, "Подання № 12/2026"} (made once: the timeline names acts often).
    act_links: dict = field(default_factory=dict)


def case_file(rec) -> CaseFile:
    """Everything about ``rec`` the request's user may read, oldest first."""
    history = rec.history()
    acts = _acts(rec)
    act_ids = [a.id for a in acts]
    by_act = {a.id: a for a in acts}
    named = {h.params.get("response_id") for h in history if h.params}
    responses = _responses(rec, act_ids, {i for i in named if isinstance(i, int)})
    visits = _visits(history)
    previous, repeats = _repeats(rec)
    entries = [_history_entry(h, by_act, responses, visits, rec) for h in history]
    entries += [Entry(a.created_at, "act", act=a) for a in acts]
    entries += [
        Entry(h.at, "act_event", history=h, act=by_act[h.subject_id]) for h in _act_events(act_ids)
    ]
    entries += _document_entries(_documents(act_ids), by_act)
    entries += [
        Entry(f.created_at, "attachment", act=by_act[f.act_id], files=[f])
        for f in _attachments(act_ids)
    ]
    entries += [
        Entry(e.created_at, "email", email=e, act=by_act[e.subject_id]) for e in _emails(act_ids)
    ]
    entries += [
        _response_entry(r.created_at, r, rec, by_act)
        for r in responses.values()
        if r.id not in named
    ]
    entries += [Entry(r.created_at, "repeat", rec=r) for r in repeats]
    entries.sort(key=lambda e: (e.at, _ORDER[e.kind]))
    names = _names(history, responses.values())
    return CaseFile(entries, names, acts, previous, repeats, {a.id: act_link(a) for a in acts})


def act_link(act):
    """<a> to the act, named by its kind and number (or as a draft); escaped."""
    from flask import url_for
    from flask_babel import gettext as _
    from markupsafe import Markup

    from app.domain.acts.forms import kind_label

    number = f"№ {act.outgoing_number}" if act.outgoing_number else f"({_('draft')} №{act.id})"
    return Markup('<a href="{}">{} {}</a>').format(
        url_for("acts.detail", act_id=act.id), kind_label(act.kind), number
    )


def _history_entry(h, by_act, responses, visits, rec):
    params = h.params or {}
    entry = Entry(h.at, "history", history=h)
    entry.act = by_act.get(params.get("act_id"))
    entry.visit = visits.get(params.get("visit_id"))
    response = responses.get(params.get("response_id"))
    if response is not None:
        entry = _response_entry(h.at, response, rec, by_act, history=h)
    return entry


def _response_entry(at, response, rec, by_act, history=None):
    position = next((p for p in response.positions if p.recommendation_id == rec.id), None)
    files = [f for f in response.files if f.recommendation_id in (None, rec.id)]
    kind = "history" if history is not None else "response"
    return Entry(
        at,
        kind,
        history=history,
        response=response,
        position=position,
        files=files,
        act=by_act.get(response.act_id),
    )


def _acts(rec):
    stmt = (
        sa.select(Act)
        .join(act_recommendations, act_recommendations.c.act_id == Act.id)
        .where(act_recommendations.c.recommendation_id == rec.id)
        .order_by(Act.id)
    )
    return list(db.session.scalars(access.scope(stmt, Act)))


def _act_events(act_ids):
    if not act_ids:
        return []
    return db.session.scalars(
        sa.select(WorkflowHistory)
        .where(
            WorkflowHistory.subject_type == Act.__table__.name,
            WorkflowHistory.subject_id.in_(act_ids),
            WorkflowHistory.transition.in_(ACT_EVENTS),
        )
        .order_by(WorkflowHistory.id)
    ).all()


def _documents(act_ids):
    if not act_ids:
        return []
    return db.session.scalars(
        sa.select(Document).where(Document.act_id.in_(act_ids)).order_by(Document.id)
    ).all()


def _document_entries(documents, by_act):
    """Per act: its registered documents, or — not yet registered — its latest versions."""
    entries = []
    for act_id, act in by_act.items():
        own = [d for d in documents if d.act_id == act_id]
        shown = [d for d in own if d.is_final] or _latest_versions(own)
        if shown:
            entries.append(
                Entry(min(d.created_at for d in shown), "documents", act=act, documents=shown)
            )
    return entries


def _attachments(act_ids):
    """The files sent with the acts (the visit report, photos)."""
    if not act_ids:
        return []
    return db.session.scalars(
        sa.select(ActAttachment).where(ActAttachment.act_id.in_(act_ids)).order_by(ActAttachment.id)
    ).all()


def _latest_versions(documents):
    latest = {}
    for doc in documents:
        latest[doc.format] = doc
    return sorted(latest.values(), key=lambda d: d.format, reverse=True)


def _emails(act_ids):
    if not act_ids:
        return []
    return db.session.scalars(
        sa.select(OutboxEmail)
        .where(OutboxEmail.subject_type == "acts", OutboxEmail.subject_id.in_(act_ids))
        .order_by(OutboxEmail.id)
    ).all()


def _responses(rec, act_ids, named) -> dict:
    """The answers to the acts that concern ``rec``: those its history names, those with a
    position on it, and those with no positions at all (a letter about the whole act)."""
    if not act_ids:
        return {}
    positions = sa.select(ResponsePosition.id).where(ResponsePosition.response_id == Response.id)
    rows = db.session.scalars(
        sa.select(Response)
        .where(
            Response.act_id.in_(act_ids),
            sa.or_(
                Response.id.in_(named),
                positions.where(ResponsePosition.recommendation_id == rec.id).exists(),
                ~positions.exists(),
            ),
        )
        .options(selectinload(Response.positions), selectinload(Response.files))
        .order_by(Response.id)
    ).all()
    return {r.id: r for r in rows}


def _visits(history) -> dict:
    ids = {h.params.get("visit_id") for h in history if h.params and h.params.get("visit_id")}
    if not ids:
        return {}
    stmt = sa.select(Visit).where(Visit.id.in_([i for i in ids if isinstance(i, int)]))
    return {v.id: v for v in db.session.scalars(access.scope(stmt, Visit))}


def _repeats(rec):
    """(the recommendation ``rec`` repeats, the ones repeating it), as far as readable."""
    stmt = (
        sa.select(Recommendation)
        .where(sa.or_(Recommendation.previous_id == rec.id, Recommendation.id == rec.previous_id))
        .options(joinedload(Recommendation.visit))
        .order_by(Recommendation.id)
    )
    found = db.session.scalars(access.scope(stmt, Recommendation)).all()
    previous = next((r for r in found if r.id == rec.previous_id), None)
    return previous, [r for r in found if r.previous_id == rec.id]


def _names(history, responses):
    ids = {h.actor_id for h in history if h.actor_id}
    ids |= {r.recorded_by_id for r in responses if r.recorded_by_id}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))).all())
