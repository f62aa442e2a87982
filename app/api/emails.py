"""Decisions on e-mails that did not go out (send again, cancel, delivered by other means), the
outbox list, and a sent act's documents asked for again."""

from flask import g, request

from app.api import bp
from app.api.acts import ActSchema, EmailSchema, dump, dump_email
from app.api.common import get_or_404, json_body, paginated, roles
from app.api.openapi import doc, page
from app.api.schemas import Day, Input, Text
from app.domain.acts.emails import decide
from app.domain.acts.models import Act
from app.mail.models import OutboxEmail


class DecisionSchema(Input):
    """Why (``note``) and, for ``delivered``, when it reached the recipient."""

    note = Text(2000)
    delivered_on = Day()


@bp.get("/outbox")
@doc(
    "E-mails not sent (held, failed, delivery uncertain, stuck), newest first",
    response=page(EmailSchema),
    paged=True,
    errors=(401, 403, 422),
)
@roles("lawyer", "admin")
def outbox_list():
    """E-mails not sent (held, failed, delivery uncertain, stuck), newest first."""
    from app.mail.outbox import unsent_query

    return paginated(unsent_query(), dump_email)


@bp.get("/emails/<int:email_id>")
@doc("One e-mail", response=EmailSchema, errors=(401, 403, 404))
@roles("lawyer", "admin")
def emails_get(email_id):
    return dump_email(get_or_404(OutboxEmail, email_id))


@bp.post("/emails/<int:email_id>/<any(retry, cancel, delivered):action>")
@doc(
    "",
    response=EmailSchema,
    body=DecisionSchema,
    errors=(401, 403, 404, 409, 422),
    variants={
        "retry": "Send a failed (or delivery uncertain) e-mail again",
        "cancel": "Cancel an e-mail not sent (failed, held, waiting); `note`: why",
        "delivered": "Record that an e-mail not sent reached the recipient by other means "
        "(`note` and `delivered_on` required)",
    },
)
@roles("lawyer", "admin")
def emails_decide(email_id, action):
    email = get_or_404(OutboxEmail, email_id)
    if request.get_data(cache=True):
        data = DecisionSchema().load_request(json_body())
    else:
        data = {"note": None, "delivered_on": None}
    decide(email, action, g.api_user, data["note"], data["delivered_on"])
    return dump_email(email)


@bp.post("/acts/<int:act_id>/documents/retry")
@doc(
    "Make a sent act's registered documents again after a failure (then its e-mail); or queue "
    "its e-mail again when it could not be queued",
    response=ActSchema,
    errors=(401, 403, 404, 409),
)
@roles("lawyer")
def acts_documents_retry(act_id):
    from app.domain.acts.dispatch import retry_final_documents

    act = get_or_404(Act, act_id)
    retry_final_documents(act)
    return dump(act)
