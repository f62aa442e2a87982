"""/acts and /documents: acts of response, their transitions, history, documents and e-mails."""

from flask import g, request
from marshmallow import Schema, fields
from sqlalchemy.orm import selectinload

from app.api import bp, transitions
from app.api.common import choice_arg, get_or_404, int_arg, json_body, roles
from app.api.openapi import doc, page
from app.api.schemas import Choice, Day, Input, RefId, RefIds, Text, code, nullable
from app.api.search import list_or_export
from app.core import storage
from app.domain.acts import CHANNELS, DOCUMENTS_STATUSES, KINDS, STATES, queries
from app.domain.acts import operations as ops
from app.domain.acts.dispatch import email_step
from app.domain.acts.exports import ACT_COLUMNS
from app.domain.acts.models import Act, Document
from app.mail.models import STATUSES as MAIL_STATUSES

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ActSchema(Schema):
    id = fields.Integer()
    kind = code(KINDS)
    authority_id = fields.Integer()
    recommendation_ids = fields.Function(
        lambda a: [r.id for r in a.recommendations],
        metadata={"type": "array", "items": {"type": "integer"}},
    )
    state = code(STATES)
    outgoing_number = nullable(fields.String)
    registered_on = nullable(fields.Date)
    sent_on = nullable(fields.Date)
    received_on = nullable(fields.Date)
    received_on_assumed = fields.Function(
        lambda a: bool(a.received_on_assumed), metadata={"type": "boolean"}
    )
    due_on = nullable(fields.Date)
    channel = code(CHANNELS, allow_none=True)
    heading = fields.String()
    opening = fields.String()
    closing = fields.String()
    reference_number = nullable(fields.String)
    reference_on = nullable(fields.Date)
    documents_status = code(DOCUMENTS_STATUSES)
    documents_error = nullable(fields.String)
    email_status = fields.Function(
        email_step,
        metadata={
            "type": "string",
            "nullable": True,
            "enum": ["waiting", "not_queued", *MAIL_STATUSES],
        },
    )
    email_error = nullable(fields.String)
    previous_act_id = nullable(fields.Integer)


class ActInputSchema(Input):
    kind = Choice(KINDS)
    authority_id = RefId(needed=True)
    recommendation_ids = RefIds(required=True)
    heading = Text(500, metadata={"description": "Left out: made from the facilities"})
    opening = Text(20000)
    closing = Text(20000)
    reference_number = Text(60, metadata={"description": "In reply to the letter №"})
    reference_on = Day(metadata={"description": "In reply to the letter of"})


class DocumentSchema(Schema):
    id = fields.Integer()
    act_id = fields.Integer()
    format = fields.String(metadata={"enum": ["docx", "pdf"]})
    filename = fields.String()
    sha256 = fields.String()
    size = fields.Integer()
    version = fields.Integer()
    is_final = fields.Boolean()
    created_at = fields.DateTime()


class EmailSchema(Schema):
    id = fields.Integer()
    to = fields.Raw(metadata={"type": "array", "items": {"type": "string"}})
    subject = fields.String()
    status = code(MAIL_STATUSES)
    attempts = fields.Integer()
    message_id = nullable(fields.String)
    sent_at = nullable(fields.DateTime)
    last_error = nullable(fields.String)
    created_at = fields.DateTime()
    resolved_at = nullable(fields.DateTime)
    resolved_by_id = nullable(fields.Integer)
    resolution_note = nullable(fields.String)
    delivered_on = nullable(fields.Date)


class ActQuery(Schema):
    state = code(STATES)
    kind = code(KINDS)
    authority_id = fields.Integer()
    q = fields.String()


dump = ActSchema().dump
dump_document = DocumentSchema().dump
dump_email = EmailSchema().dump


@bp.get("/acts")
@doc("List acts", response=page(ActSchema), query=ActQuery, exports=True, errors=(401, 422))
def acts_list():
    stmt = queries.list_stmt(
        choice_arg("state", STATES),
        choice_arg("kind", KINDS),
        int_arg("authority_id"),
        request.args.get("q"),
    )
    stmt = stmt.options(selectinload(Act.authority))
    return list_or_export(stmt, dump, ACT_COLUMNS, "acts")


@bp.get("/acts/<int:act_id>")
@doc("One act", response=ActSchema, errors=(401, 404))
def acts_get(act_id):
    return dump(get_or_404(Act, act_id))


@bp.post("/acts")
@doc(
    "Draft an act (state draft)",
    response=ActSchema,
    status=201,
    body=ActInputSchema,
    errors=(400, 401, 403, 409, 422),
)
@roles("lawyer")
def acts_create():
    data = ActInputSchema().load_request(json_body())
    values = {
        k: data[k] for k in ("heading", "opening", "closing", "reference_number", "reference_on")
    }
    act = ops.create_act(
        data["kind"], data["authority_id"], data["recommendation_ids"], g.api_user, **values
    )
    return dump(act), 201


@bp.delete("/acts/<int:act_id>")
@doc(
    "Delete a draft act with its history (only in the state draft)",
    status=204,
    description="Deleted",
    errors=(401, 403, 404, 409),
)
def acts_delete(act_id):
    act = get_or_404(Act, act_id)
    ops.delete_draft(act, g.api_user)
    return "", 204


@bp.get("/acts/<int:act_id>/documents")
@doc("An act's documents, every version", response=[DocumentSchema], errors=(401, 404))
def acts_documents(act_id):
    get_or_404(Act, act_id)
    return [dump_document(d) for d in queries.documents_of(act_id)]


@bp.get("/documents/<int:document_id>/content")
@doc(
    "A document's file (DOCX or PDF)",
    description="The file",
    errors=(401, 404, 409),
    content=("application/pdf", DOCX),
)
def documents_content(document_id):
    document = get_or_404(Document, document_id)
    return storage.send(
        document.path,
        sha256=document.sha256,
        mimetype=document.content_type,
        download_name=document.filename,
    )


@bp.get("/acts/<int:act_id>/emails")
@doc("An act's e-mails, oldest first", response=[EmailSchema], errors=(401, 404))
def acts_emails(act_id):
    from app.mail.outbox import emails_for

    get_or_404(Act, act_id)
    return [dump_email(e) for e in emails_for("acts", act_id)]


transitions.register("acts", Act, ActSchema, ops.fire)
