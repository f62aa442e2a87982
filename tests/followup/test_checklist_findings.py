"""Checklist findings on a phone's terms: a note, photos (checked by content, stored without
their metadata) and "partly done", which records the finding and verifies nothing."""

import io
from datetime import date

import sqlalchemy as sa
from PIL import Image

from app.core import storage
from app.domain.followup.models import Finding, FindingPhoto
from app.domain.recommendations.models import Recommendation
from app.domain.visits.models import Visit


def photo_with_metadata():
    """A JPEG whose EXIF names a camera and carries a location."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (50.0, 27.0, 1.0)}  # GPS
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def follow_up(db, users, registry):
    visit = Visit(
        facility=registry["facility"],
        started_on=date(2026, 9, 15),
        ended_on=date(2026, 9, 15),
        kind="follow_up",
        monitors=[users["monitor"]],
    )
    db.session.add(visit)
    db.session.commit()
    return visit


def test_verified_partly_and_not_done_with_notes_and_photos(
    db, users, registry, issued, client_for, send_recs
):
    send_recs(issued, sent_on=date(2026, 9, 1))
    visit = follow_up(db, users, registry)
    raw = photo_with_metadata()
    assert b"SecretCam" in raw
    client = client_for(users["monitor"])
    response = client.post(
        f"/facilities/{registry['facility'].id}/checklist",
        data={
            "visit_id": visit.id,
            f"finding-{issued[0].id}": "verified",
            f"finding-{issued[1].id}": "partly",
            f"note-{issued[1].id}": "Укриття є, але без вентиляції.",
            f"photos-{issued[1].id}": [(io.BytesIO(raw), "IMG_0042.jpg")],
            f"finding-{issued[2].id}": "not_done",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, client.get("/").get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert db.session.get(Recommendation, issued[0].id).state == "verified"
    partly = db.session.get(Recommendation, issued[1].id)
    assert partly.state == "sent_to_authority"  # "partly" verifies nothing
    assert not db.session.scalar(
        sa.select(Recommendation.id).where(Recommendation.previous_id == partly.id)
    )
    assert db.session.scalar(
        sa.select(Recommendation).where(Recommendation.previous_id == issued[2].id)
    )

    finding = db.session.scalar(sa.select(Finding).where(Finding.recommendation_id == partly.id))
    assert finding.result == "partly" and finding.note == "Укриття є, але без вентиляції."
    [photo] = finding.photos
    stored = storage.read(photo.path, photo.sha256)
    assert photo.content_type == "image/jpeg" and photo.filename == "IMG_0042.jpg"
    assert b"SecretCam" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif() and image.size == (64, 48)

    served = client.get(f"/finding-photos/{photo.id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg" and served.data == stored
    page = client.get(f"/facilities/{registry['facility'].id}/checklist").get_data(as_text=True)
    assert "Останній висновок (15.09.2026): виконано частково" in page
    assert "Укриття є, але без вентиляції." in page and f"/finding-photos/{photo.id}" in page
    assert 'class="table table-sm align-middle table-cards"' in page


def test_a_file_that_is_not_a_photo_saves_nothing(
    db, users, registry, issued, client_for, send_recs
):
    send_recs(issued[:1], sent_on=date(2026, 9, 1))
    visit = follow_up(db, users, registry)
    client = client_for(users["monitor"])
    response = client.post(
        f"/facilities/{registry['facility'].id}/checklist",
        data={
            "visit_id": visit.id,
            f"finding-{issued[0].id}": "partly",
            f"photos-{issued[0].id}": [(io.BytesIO(b"MZ\x90\x00 not a photo"), "photo.jpg")],
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "«photo.jpg» — не фото JPEG чи PNG." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FindingPhoto)) == 0


def test_another_monitors_photo_is_not_shown(
    db, users, registry, issued, client_for, send_recs, make_user
):
    send_recs(issued[:1], sent_on=date(2026, 9, 1))
    visit = follow_up(db, users, registry)
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG")
    client_for(users["monitor"]).post(
        f"/facilities/{registry['facility'].id}/checklist",
        data={
            "visit_id": visit.id,
            f"finding-{issued[0].id}": "partly",
            f"photos-{issued[0].id}": [(io.BytesIO(out.getvalue()), "a.png")],
        },
        content_type="multipart/form-data",
    )
    photo = db.session.scalar(sa.select(FindingPhoto))
    assert photo is not None and photo.content_type == "image/png"
    stranger = client_for(make_user("monitor", email="stranger@example.org"))
    assert stranger.get(f"/finding-photos/{photo.id}").status_code == 404
