"""/acts and /documents: acts of response, their transitions, history, documents and e-mails."""

from flask import g, request, send_file
from sqlalchemy.orm import selectinload

from app.api import bp, transitions
from app.api.common import choice_arg, get_or_404, int_arg, roles, validated
from app.api.errors import ApiError
from app.api.search import list_or_export
from app.core import storage
from app.domain.acts import KINDS, STATES, queries
from app.domain.acts import operations as ops
from app.domain.acts.forms import ActForm
from app.domain.acts.models import Act, Document
from app.domain.search.exports import ACT_COLUMNS
from app.extensions import db


def _date(value):
    return value.isoformat() if value else None


def dump(a):
    return {
        "id": a.id,
        "kind": a.kind,
        "authority_id": a.authority_id,
        "recommendation_ids": [r.id for r in a.recommendations],
        "state": a.state,
        "outgoing_number": a.outgoing_number,
        "sent_on": _date(a.sent_on),
        "received_on": _date(a.received_on),
        "received_on_assumed": bool(a.received_on_assumed),
        "due_on": _date(a.due_on),
        "channel": a.channel,
        "heading": a.heading,
        "documents_status": a.documents_status,
        "documents_error": a.documents_error,
        "previous_act_id": a.previous_act_id,
    }


def dump_document(d):
    return {
        "id": d.id,
        "act_id": d.act_id,
        "format": d.format,
        "filename": d.filename,
        "sha256": d.sha256,
        "size": d.size,
        "version": d.version,
        "is_final": d.is_final,
        "created_at": d.created_at.isoformat(),
    }


@bp.get("/acts")
def acts_list():
    stmt = queries.list_stmt(
        choice_arg("state", STATES), choice_arg("kind", KINDS), int_arg("authority_id"),
        request.args.get("q"),
    )  # fmt: skip
    stmt = stmt.options(selectinload(Act.authority))
    return list_or_export(stmt, dump, ACT_COLUMNS, "acts")


@bp.get("/acts/<int:act_id>")
def acts_get(act_id):
    return dump(get_or_404(Act, act_id))


@bp.post("/acts")
@roles("lawyer")
def acts_create():
    form = validated(ActForm)
    values = {
        k: form.data[k]
        for k in ("heading", "opening", "closing", "reference_number", "reference_on")
    }
    try:
        act = ops.create_act(form.kind.data, form.authority_id.data, form.recommendation_ids.data or [],
                             g.api_user, **values)  # fmt: skip
    except ops.ActInputError as exc:
        raise ApiError(422, fields=exc.fields) from None
    db.session.commit()
    return dump(act), 201


@bp.get("/acts/<int:act_id>/documents")
def acts_documents(act_id):
    get_or_404(Act, act_id)
    return [dump_document(d) for d in queries.documents_of(act_id)]


@bp.get("/documents/<int:document_id>/content")
def documents_content(document_id):
    doc = get_or_404(Document, document_id)
    return send_file(storage.absolute(doc.path), mimetype=doc.content_type, as_attachment=True,
                     download_name=doc.filename)  # fmt: skip


@bp.get("/acts/<int:act_id>/emails")
def acts_emails(act_id):
    from app.mail.outbox import emails_for

    get_or_404(Act, act_id)
    return [dump_email(e) for e in emails_for("acts", act_id)]


def dump_email(e):
    return {
        "id": e.id,
        "to": e.to,
        "subject": e.subject,
        "status": e.status,
        "attempts": e.attempts,
        "message_id": e.message_id,
        "sent_at": e.sent_at.isoformat() if e.sent_at else None,
        "last_error": e.last_error,
    }


transitions.register("acts", Act, dump, ops.fire)
