"""/acts and /documents: acts of response, their transitions, history, documents and e-mails."""

from flask import g, request
from sqlalchemy.orm import selectinload

from app.api import bp, transitions
from app.api.common import choice_arg, get_or_404, int_arg, roles, validated
from app.api.search import list_or_export
from app.core import storage
from app.domain.acts import KINDS, STATES, queries
from app.domain.acts import operations as ops
from app.domain.acts.dispatch import email_step
from app.domain.acts.exports import ACT_COLUMNS
from app.domain.acts.forms import ActForm
from app.domain.acts.models import Act, Document


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
        "registered_on": _date(a.registered_on),
        "sent_on": _date(a.sent_on),
        "received_on": _date(a.received_on),
        "received_on_assumed": bool(a.received_on_assumed),
        "due_on": _date(a.due_on),
        "channel": a.channel,
        "heading": a.heading,
        "opening": a.opening,
        "closing": a.closing,
        "reference_number": a.reference_number,
        "reference_on": _date(a.reference_on),
        "documents_status": a.documents_status,
        "documents_error": a.documents_error,
        "email_status": email_step(a),
        "email_error": a.email_error,
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
    act = ops.create_act(form.kind.data, form.authority_id.data, form.recommendation_ids.data or [],
                         g.api_user, **values)  # fmt: skip
    return dump(act), 201


@bp.delete("/acts/<int:act_id>")
def acts_delete(act_id):
    act = get_or_404(Act, act_id)
    ops.delete_draft(act, g.api_user)
    return "", 204


@bp.get("/acts/<int:act_id>/documents")
def acts_documents(act_id):
    get_or_404(Act, act_id)
    return [dump_document(d) for d in queries.documents_of(act_id)]


@bp.get("/documents/<int:document_id>/content")
def documents_content(document_id):
    doc = get_or_404(Document, document_id)
    return storage.send(
        doc.path,
        sha256=doc.sha256,
        mimetype=doc.content_type,
        download_name=doc.filename,
    )


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
        "created_at": e.created_at.isoformat(),
        "resolved_at": e.resolved_at.isoformat() if e.resolved_at else None,
        "resolved_by_id": e.resolved_by_id,
        "resolution_note": e.resolution_note,
        "delivered_on": _date(e.delivered_on),
    }


transitions.register("acts", Act, dump, ops.fire)
