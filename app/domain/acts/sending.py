"""The e-mail that carries a registered act to the authority (queued by the documents job once
the registered documents are ready: app.domain.acts.dispatch)."""

from flask import current_app

from app.core.i18n import long_date
from app.domain.acts.kinds import kind_of
from app.domain.acts.letters import addressee, person_name
from app.domain.portal.links import email_paragraph as portal_paragraph


def queue_act_email(act):
    """Put the act's e-mail in the outbox in this transaction: the final PDF (and the DOCX when
    the settings say so), a Ukrainian subject and body with the number and date."""
    from app.domain.privacy.operations import public_heading
    from app.mail.outbox import queue_email

    final = [d for d in act.documents if d.is_final]
    formats = ("pdf", "docx") if current_app.config["MAIL_ATTACH_DOCX"] else ("pdf",)
    attachments = [
        {"path": d.path, "filename": d.filename, "content_type": d.content_type, "sha256": d.sha256}
        for d in final
        if d.format in formats
    ]
    date_text = long_date(act.registered_on or act.sent_on)
    subject = f"{kind_of(act.kind).title} від {date_text} № {act.outgoing_number}"
    from app.domain.acts.letter_admin import issuer as current_issuer

    issuer = current_issuer()
    greeting = "\n".join(addressee(act.authority)["lines"])
    text = (
        f"{greeting}\n\n"
        f"Надсилаємо {kind_of(act.kind).accusative} {issuer['name_genitive']} від {date_text} "
        f"№ {act.outgoing_number} «{public_heading(act)}».\n"
        "Документ додано до листа у форматі PDF.\n\n"
        "Відповідь просимо надіслати на цю адресу з посиланням на номер і дату документа.\n\n"
        f"{portal_paragraph(act)}"
        f"Виконавець: {person_name(act.executor.name)}, {act.executor.phone}, {act.executor.email}\n"
        f"{issuer['name']}\n{issuer['address']}\n"
    )
    return queue_email(
        to=act.authority.email,
        subject=subject,
        text=text,
        reply_to=reply_address(act),
        attachments=attachments,
        subject_type="acts",
        subject_id=act.id,
    )


def reply_address(act):
    """The office address replies go to; with IMAP_PLUS_ADDRESSING, ``npm+act-12@…`` so that a
    reply finds its act even without the number or the references."""
    address = current_app.config["ISSUER"]["email"]
    if not current_app.config.get("IMAP_PLUS_ADDRESSING"):
        return address
    local, _at, domain = address.rpartition("@")
    return f"{local.split('+')[0]}+act-{act.id}@{domain}"


def register_mail_hooks(app):
    from app.mail.hooks import on_sent

    on_sent(app, "acts", accepted_by_server)


def accepted_by_server(act_id, accepted_at):
    """The authority's mail server accepted the act's e-mail: that (Kyiv) day is the receipt
    and the term is counted from it, unless a confirmed receipt date was entered already."""
    from app.core.clock import to_kyiv
    from app.domain.acts.models import Act
    from app.domain.deadlines import operations as deadlines
    from app.extensions import db

    act = db.session.get(Act, act_id)
    if act is None or act.channel != "email" or not act.received_on_assumed:
        return
    if act.state not in ("sent", "overdue") or act.deadline is None:
        return
    day = max(to_kyiv(accepted_at).date(), act.sent_on)
    deadlines.change_receipt(act, day, None, "", event="accepted")
