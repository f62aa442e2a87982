"""Decisions on e-mails that did not go out (send again, cancel, delivered by other means), the
outbox list, and a sent act's documents asked for again."""

from flask import g

from app.api import bp
from app.api.acts import dump, dump_email
from app.api.common import get_or_404, paginated, roles, validated
from app.domain.acts import KINDS
from app.domain.acts.emails import EmailDecisionForm, decide
from app.domain.acts.models import Act
from app.mail.models import OutboxEmail


@bp.get("/outbox")
@roles("lawyer", "admin")
def outbox_list():
    """E-mails not sent (held, failed, delivery uncertain, stuck), newest first."""
    from app.mail.outbox import unsent_query

    return paginated(unsent_query(), dump_email)


@bp.get("/emails/<int:email_id>")
@roles("lawyer", "admin")
def emails_get(email_id):
    return dump_email(get_or_404(OutboxEmail, email_id))


@bp.post("/emails/<int:email_id>/<any(retry, cancel, delivered):action>")
@roles("lawyer", "admin")
def emails_decide(email_id, action):
    email = get_or_404(OutboxEmail, email_id)
    form = (
        validated(EmailDecisionForm)
        if _has_body()
        else EmailDecisionForm(formdata=None, meta={"csrf": False})
    )
    decide(email, action, g.api_user, form.note.data, form.delivered_on.data)
    return dump_email(email)


@bp.post("/acts/<int:act_id>/documents/retry")
@roles("lawyer")
def acts_documents_retry(act_id):
    from app.domain.acts.dispatch import retry_final_documents

    act = get_or_404(Act, act_id)
    retry_final_documents(act)
    return dump(act)


def _has_body():
    from flask import request

    return bool(request.get_data(cache=True))


def _register_openapi():
    """Acts, their documents and e-mails, and the decisions on e-mails, in the OpenAPI document."""
    from app.api import openapi
    from app.api.openapi import BOOL, DATE, DATETIME, INT, STR, nullable
    from app.domain.acts import CHANNELS, DOCUMENTS_STATUSES
    from app.mail.models import STATUSES

    text, date_ = nullable(STR), nullable(DATE)
    email_steps = ["waiting", "not_queued", *STATUSES]
    openapi.EXTRA_SCHEMAS["Act"] = {
        "properties": {
            "id": INT, "kind": {"type": "string", "enum": list(KINDS)}, "authority_id": INT,
            "recommendation_ids": {"type": "array", "items": INT}, "state": STR,
            "outgoing_number": text, "registered_on": date_, "sent_on": date_,
            "received_on": date_, "received_on_assumed": BOOL, "due_on": date_,
            "channel": nullable({"type": "string", "enum": list(CHANNELS)}), "heading": STR,
            "documents_status": {"type": "string", "enum": list(DOCUMENTS_STATUSES)},
            "documents_error": text,
            "email_status": nullable({"type": "string", "enum": email_steps}),
            "email_error": text, "previous_act_id": nullable(INT),
            "opening": STR, "closing": STR, "reference_number": text, "reference_on": date_,
        },
        "required": ["kind", "authority_id", "recommendation_ids"],
        "read_only": ("id", "state", "outgoing_number", "registered_on", "sent_on",
                      "received_on", "received_on_assumed", "due_on", "channel",
                      "documents_status", "documents_error", "email_status", "email_error",
                      "previous_act_id"),
    }  # fmt: skip
    openapi.EXTRA_SCHEMAS["Email"] = {
        "properties": {
            "id": INT, "to": {"type": "array", "items": STR}, "subject": STR,
            "status": {"type": "string", "enum": list(STATUSES)}, "attempts": INT,
            "message_id": STR, "sent_at": nullable(DATETIME), "last_error": text,
            "created_at": DATETIME, "resolved_at": nullable(DATETIME),
            "resolved_by_id": nullable(INT), "resolution_note": text, "delivered_on": date_,
        },
        "required": ["to", "subject"],  # (no EmailInput is accepted anywhere)
        "read_only": ("id",),
    }  # fmt: skip
    openapi.RESOURCES.append(("/acts", "Act", ("list", "get", "create"), {
        "state": STR, "kind": {"type": "string", "enum": list(KINDS)}, "authority_id": INT,
        "q": STR}))  # fmt: skip
    openapi.WORKFLOW_RESOURCES.append(("/acts", "Act"))
    ref = openapi._ref
    id_param = [{"name": "id", "in": "path", "required": True, "schema": INT}]
    decision = {"type": "object", "additionalProperties": False,
                "properties": {"note": STR, "delivered_on": DATE}}  # fmt: skip

    def op(summary, schema, *errors, body=None):
        out = {"summary": summary, "parameters": id_param,
               "responses": {"200": {"description": "OK", **openapi._json(schema)},
                             **openapi._errors(401, 404, *errors)}}  # fmt: skip
        if body is not None:
            out["requestBody"] = {"required": False, **openapi._json(body)}
        return out

    document = {"type": "object", "properties": {
        "id": INT, "act_id": INT, "format": {"type": "string", "enum": ["docx", "pdf"]},
        "filename": STR, "sha256": STR, "size": INT, "version": INT, "is_final": BOOL,
        "created_at": DATETIME}}  # fmt: skip
    emails = {"type": "array", "items": ref("Email")}
    openapi.EXTRA_PATHS.extend([
        ("/acts/{id}/documents", "get", op("An act's documents, every version", {
            "type": "array", "items": document})),
        ("/acts/{id}/emails", "get", op("An act's e-mails, oldest first", emails)),
        ("/acts/{id}/documents/retry", "post", op(
            "Make a sent act's registered documents again after a failure (then its e-mail); "
            "or queue its e-mail again when it could not be queued", ref("Act"), 403, 409)),
        ("/outbox", "get", {"summary": "E-mails not sent (held, failed, uncertain, stuck)",
                            "parameters": [{"$ref": "#/components/parameters/page"},
                                           {"$ref": "#/components/parameters/per_page"}],
                            "responses": {"200": {"description": "A page", **openapi._json(
                                openapi._page("Email"))}, **openapi._errors(401, 403, 422)}}),
        ("/emails/{id}", "get", op("One e-mail", ref("Email"), 403)),
        ("/emails/{id}/retry", "post", op(
            "Send a failed (or delivery uncertain) e-mail again", ref("Email"), 403, 409, 422,
            body=decision)),
        ("/emails/{id}/cancel", "post", op(
            "Cancel an e-mail not sent (failed, held, waiting); `note`: why", ref("Email"),
            403, 409, 422, body=decision)),
        ("/emails/{id}/delivered", "post", op(
            "Record that an e-mail not sent reached the recipient by other means "
            "(`note` and `delivered_on` required)", ref("Email"), 403, 409, 422, body=decision)),
    ])  # fmt: skip


_register_openapi()
