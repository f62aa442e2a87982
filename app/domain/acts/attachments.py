"""Files sent with an act (the visit report, photos): «Додаток: … на N арк.» in the letter.

Attached while the act is a draft; the type is found from the content (PDF, DOCX, PNG, JPEG,
TIFF), never from the name; a PDF's sheets are its pages, other files take the number given.
"""

import io
import secrets

from flask_babel import lazy_gettext as _l

from app.core import storage
from app.core.errors import OperationError
from app.domain.acts.models import ActAttachment
from app.domain.responses import files as filetypes
from app.extensions import db

TITLE_MAX = 300
SHEETS_MAX = 10000


def _not_draft():
    message = _l("Files can be attached only to a draft act.")
    return OperationError(message, status=409, fields={"state": [message]})


def add_attachment(act, title, name, content, actor, sheets=None):
    """Attach a file to a draft act and flush; the letter then needs generating again."""
    if act.state != "draft":
        raise _not_draft()
    problems = {}
    title = (title or "").strip()
    if not title or len(title) > TITLE_MAX:
        problems["title"] = [
            _l("Name the attachment as the letter should (at most %(n)s characters).", n=TITLE_MAX)
        ]
    if len(content) > filetypes.max_bytes():
        problems["file"] = [_l("The file is too large.")]
    content_type = filetypes.sniff(content) if content else None
    if content_type is None:
        problems["file"] = [_l("“%(name)s” is not a PDF, DOCX, PNG, JPEG or TIFF file.", name=name)]
    counted = _sheets(content) if content_type == filetypes.PDF else None
    if counted is None:
        counted = _given_sheets(sheets, problems)
    if problems:
        raise OperationError(fields=problems)
    filename = filetypes.display_name(name, content_type)
    relative = f"attachments/{act.id}/{secrets.token_hex(8)}{filetypes.EXTENSIONS[content_type]}"
    stored = storage.store(relative, content, db.session)
    attachment = ActAttachment(
        act_id=act.id,
        title=title,
        sheets=counted,
        filename=filename,
        content_type=content_type,
        created_by_id=actor.id,
        **stored,
    )
    db.session.add(attachment)
    _documents_outdated(act)
    db.session.flush()
    return attachment


def remove_attachment(act, attachment):
    if act.state != "draft":
        raise _not_draft()
    db.session.delete(attachment)
    _documents_outdated(act)
    db.session.flush()


def _documents_outdated(act):
    if act.documents_status != "none":
        act.documents_status, act.documents_token = "none", None
    db.session.expire(act, ["attachments"])


def _sheets(content):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return max(len(PdfReader(io.BytesIO(content)).pages), 1)
    except (PdfReadError, ValueError, OSError):
        return None


def _given_sheets(sheets, problems):
    if sheets in (None, ""):
        return 1
    try:
        value = int(sheets)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= SHEETS_MAX:
        problems["sheets"] = [_l("Sheets: a whole number from 1 to %(n)s.", n=SHEETS_MAX)]
    return value
