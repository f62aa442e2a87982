"""What happens once an act is registered: the e-mail to the authority (by e-mail), or nothing
more than the record (by post)."""

from flask import current_app

from app.core.i18n import long_date
from app.domain.portal.links import email_paragraph as portal_paragraph


def after_registration(act, ctx):
    if act.channel == "email":
        queue_act_email(act)


def queue_act_email(act):
    """Put the act's e-mail in the outbox in this transaction: the final PDF (and the DOCX when
    the settings say so), a Ukrainian subject and body with the number and date."""
    from app.mail.outbox import queue_email

    final = [d for d in act.documents if d.is_final]
    formats = ("pdf", "docx") if current_app.config["MAIL_ATTACH_DOCX"] else ("pdf",)
    attachments = [
        {"path": d.path, "filename": d.filename, "content_type": d.content_type, "sha256": d.sha256}
        for d in final
        if d.format in formats
    ]
    date_text = long_date(act.sent_on)
    subject = f"{_kind_title(act.kind)} від {date_text} № {act.outgoing_number}"
    issuer = current_app.config["ISSUER"]
    text = (
        f"{act.authority.head_title}\n{act.authority.head_name}\n\n"
        f"Надсилаємо {_kind_accusative(act.kind)} {issuer['name']} від {date_text} "
        f"№ {act.outgoing_number} «{act.heading}».\n"
        "Документ додано до листа у форматі PDF.\n\n"
        "Відповідь просимо надіслати на цю адресу з посиланням на номер і дату документа.\n\n"
        f"{portal_paragraph(act)}"
        f"Виконавець: {act.executor.name}, {act.executor.phone}, {act.executor.email}\n"
        f"{issuer['name']}\n{issuer['address']}\n"
    )
    return queue_email(
        to=act.authority.email,
        subject=subject,
        text=text,
        reply_to=current_app.config["ISSUER"]["email"],
        attachments=attachments,
        subject_type="acts",
        subject_id=act.id,
    )


def _kind_title(kind):
    return {"submission": "Подання", "request": "Запит", "reminder": "Нагадування",
            "initiative_letter": "Лист"}[kind]  # fmt: skip


def _kind_accusative(kind):
    return {"submission": "подання", "request": "запит", "reminder": "нагадування",
            "initiative_letter": "лист"}[kind]  # fmt: skip
