"""Findings of a follow-up visit, entered from the checklist."""

import io
import uuid

from flask_babel import lazy_gettext as _l

from app.core import storage
from app.core.errors import OperationError
from app.domain.followup.models import RESULTS, Finding, FindingPhoto
from app.domain.followup.rules import too_early
from app.domain.recommendations.operations import create_recommendation, fire
from app.domain.visits.operations import can_edit_visit
from app.extensions import db

#: Photos a finding may carry, and how large each may be (a phone's photo, not a scan).
MAX_PHOTOS = 10
MAX_PHOTO_BYTES = 15 * 1024 * 1024
#: Photos are re-encoded no larger than this on their longer side.
MAX_PHOTO_SIDE = 2560
NOTE_MAX = 5000


def record_findings(visit, findings, actor):
    """``findings``: {recommendation: result} or {recommendation: {"result", "note", "photos"}}
    with result "verified", "partly" or "not_done"; photos are ``(filename, bytes)`` pairs.

    Verified ones are confirmed on this visit; "partly" is recorded and leaves the
    recommendation open; for the ones not done a repeated recommendation is drafted in this
    visit, linked to the earlier one. Each finding is kept with its note and photos. Findings
    count only from a visit after the recommendation's last sending. All or
    nothing (the caller rolls back on error); returns the repeated recommendations."""
    if not can_edit_visit(actor, visit):
        raise OperationError(status=403)
    if not findings:
        raise OperationError(_l("Mark at least one recommendation."))
    repeated = []
    for rec, value in findings.items():
        entry = value if isinstance(value, dict) else {"result": value}
        result, note = entry.get("result"), (entry.get("note") or "").strip()
        _check(visit, rec, result, note, entry.get("photos") or [])
        if result == "verified":
            comment = str(
                _l("Verified on the visit of %(date)s", date=visit.started_on.strftime("%d.%m.%Y"))
            )
            fire(rec, "verify", actor, {"visit_id": visit.id, "comment": comment})
        elif result == "not_done":
            repeated.append(_repeat(visit, rec, actor))
        finding = Finding(
            visit_id=visit.id,
            recommendation_id=rec.id,
            result=result,
            note=note,
            created_by_id=actor.id,
        )
        db.session.add(finding)
        db.session.flush()
        for name, data in entry.get("photos") or []:
            _add_photo(finding, name, data)
    db.session.flush()
    return repeated


def _check(visit, rec, result, note, photos):
    if rec.facility_id != visit.facility_id or rec.visit.started_on >= visit.started_on:
        raise OperationError(_l("Findings are entered on a later visit to the same facility."))
    early = too_early(rec, visit)
    if early is not None:
        raise OperationError(early)
    if result not in RESULTS:
        raise OperationError(_l("Unknown finding."))
    if len(note) > NOTE_MAX or "\x00" in note:
        raise OperationError(
            _l(
                "Recommendation №%(id)s: the note is longer than %(n)s characters or contains "
                "characters that are not allowed.",
                id=rec.id,
                n=NOTE_MAX,
            )
        )
    if len(photos) > MAX_PHOTOS:
        raise OperationError(
            _l("Recommendation №%(id)s: at most %(n)s photos.", id=rec.id, n=MAX_PHOTOS)
        )


def _repeat(visit, rec, actor):
    values = {
        "text": rec.text,
        "theme": rec.theme,
        "priority": rec.priority,
        "authority_id": rec.authority_id,
        "previous_id": rec.id,
    }
    return create_recommendation(visit, values, actor)


def _add_photo(finding, name, data):
    content_type, clean = clean_photo(name, data)
    ext = ".jpg" if content_type == "image/jpeg" else ".png"
    relative = f"findings/{finding.id}/{uuid.uuid4().hex}{ext}"
    meta = storage.store(relative, clean, session=db.session())
    stem = (name or "photo").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    filename = "".join(c for c in stem if c.isprintable()).strip(" .")[:150] or "photo"
    db.session.add(
        FindingPhoto(
            finding_id=finding.id, filename=filename + ext, content_type=content_type, **meta
        )
    )


def clean_photo(name, data):
    """(content type, bytes) of a photo checked by its content and re-encoded: no EXIF or other
    metadata (a photo's location stays on the phone), turned upright, at most MAX_PHOTO_SIDE."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    from app.domain.responses.files import JPEG, PNG, sniff

    if len(data) > MAX_PHOTO_BYTES:
        raise OperationError(
            _l(
                "“%(name)s” is larger than %(mb)s MB.",
                name=name,
                mb=MAX_PHOTO_BYTES // (1024 * 1024),
            )
        )
    kind = sniff(data)
    if kind not in (JPEG, PNG):
        raise OperationError(_l("“%(name)s” is not a JPEG or PNG photo.", name=name))
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            out = io.BytesIO()
            if kind == JPEG:
                upright.convert("RGB").save(out, "JPEG", quality=88)
            else:
                upright.save(out, "PNG")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise OperationError(_l("“%(name)s” could not be read as a photo.", name=name)) from exc
    return kind, out.getvalue()
