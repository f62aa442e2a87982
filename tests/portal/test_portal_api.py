"""The portal's JSON twin and the lawyer's queue through the API: answer, record, refuse."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from portal_support import answer, png_bytes

from app.core.audit import AuditEvent
from app.core.clock import today
from app.domain.portal.models import PortalLink
from app.domain.responses.models import Response, ResponseFile, ResponsePosition

RECEIVED = today() - timedelta(days=1)
EN = {"Accept-Language": "en"}


def count(db, model):
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_authority_answers_and_the_lawyer_records_it(
    db, users, issued, sent_act, token, api_for
):
    public = api_for(None)
    shown = public.get(f"/portal/{token}")
    assert shown.status_code == 200
    got = shown.get_json()
    assert got["act"]["outgoing_number"] == sent_act.outgoing_number
    assert [r["id"] for r in got["recommendations"]] == [r.id for r in issued]
    assert got["recommendations"][0]["facility"] == "ДУ «Бучанська виправна колонія (№ 85)»"

    posted = public.post(
        f"/portal/{token}/responses",
        json=answer(
            [
                (issued[0], "implemented", "Встановлено бойлери"),
                (issued[1], "in_progress", "Укриття облаштовується"),
            ]
        ),
    )
    assert posted.status_code == 201, posted.get_json()
    response = posted.get_json()
    assert (response["source"], response["status"], response["kind"]) == (
        "portal",
        "to_review",
        None,
    )
    assert response["responder"]["name"] == "Петро Іваненко"
    assert response["positions"][1]["planned_on"] == (today() + timedelta(days=60)).isoformat()
    audit = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.event == "portal.answer_submitted")
    )
    assert audit.subject_id == response["id"] and audit.ip == "127.0.0.1" and audit.user_agent

    # Nothing moved yet: only a recorded answer moves states.
    lawyer = api_for(users["lawyer"])
    assert lawyer.get(f"/acts/{sent_act.id}").get_json()["state"] == "sent"
    assert lawyer.get(f"/recommendations/{issued[0].id}").get_json()["state"] == "sent_to_authority"
    queue = lawyer.get("/responses?status=to_review").get_json()
    assert [r["id"] for r in queue["items"]] == [response["id"]] and queue["total"] == 1

    recorded = lawyer.post(
        f"/responses/{response['id']}/record",
        json={
            "kind": "substantive",
            "received_on": RECEIVED.isoformat(),
            "incoming_number": "77/3",
        },
    )
    assert recorded.status_code == 200, recorded.get_json()
    assert recorded.get_json()["status"] == "recorded"
    assert recorded.get_json()["recorded_by_id"] == users["lawyer"].id
    assert lawyer.get(f"/acts/{sent_act.id}").get_json()["state"] == "responded"
    for rec in issued:
        assert lawyer.get(f"/recommendations/{rec.id}").get_json()["state"] == "responded"
    history = lawyer.get(f"/acts/{sent_act.id}/history").get_json()
    assert history[-1]["transition"] == "respond" and "77/3" in history[-1]["comment"]
    assert lawyer.get("/responses?status=to_review").get_json()["total"] == 0
    # A second record is refused: it is no longer to review.
    again = lawyer.post(
        f"/responses/{response['id']}/record",
        json={
            "kind": "substantive",
            "received_on": RECEIVED.isoformat(),
            "incoming_number": "77/4",
        },
    )
    assert again.status_code == 409


def test_multipart_with_files_per_recommendation(db, issued, sent_act, token, api_for):
    import json

    body = answer([(issued[0], "implemented", "")])
    body["positions"] = json.dumps(body["positions"])
    import io

    body[f"files-{issued[0].id}"] = [(io.BytesIO(png_bytes()), "душ.png")]
    body["files"] = [(io.BytesIO(b"%PDF-1.4 letter"), "лист.pdf")]
    posted = api_for(None).post(f"/portal/{token}/responses", data=body)
    assert posted.status_code == 201, posted.get_json()
    files = {f["filename"]: f["recommendation_id"] for f in posted.get_json()["files"]}
    assert files == {"душ.png": issued[0].id, "лист.pdf": None}


def test_record_refuses_bad_values_and_keeps_it_waiting(
    db, users, issued, sent_act, token, api_for
):
    posted = api_for(None).post(
        f"/portal/{token}/responses", json=answer([(issued[0], "implemented", "")])
    )
    rid = posted.get_json()["id"]
    lawyer = api_for(users["lawyer"])
    bad = lawyer.post(
        f"/responses/{rid}/record",
        json={
            "kind": "substantive",
            "received_on": (today() + timedelta(days=2)).isoformat(),
            "incoming_number": "1",
        },
    )
    assert bad.status_code == 422 and "received_on" in bad.get_json()["error"]["fields"]
    monitor = api_for(users["monitor"]).post(
        f"/responses/{rid}/record",
        json={"kind": "substantive", "received_on": RECEIVED.isoformat(), "incoming_number": "1"},
    )
    assert monitor.status_code == 403
    assert lawyer.get(f"/responses/{rid}").get_json()["status"] == "to_review"
    assert lawyer.get(f"/acts/{sent_act.id}").get_json()["state"] == "sent"


def test_return_with_a_question_emails_the_authority(db, users, issued, sent_act, token, api_for):
    from app.mail.models import OutboxEmail

    posted = api_for(None).post(
        f"/portal/{token}/responses",
        json=answer([(issued[0], "implemented", "")], responder_email="ivanenko@example.org"),
    )
    rid = posted.get_json()["id"]
    lawyer = api_for(users["lawyer"])
    returned = lawyer.post(f"/responses/{rid}/return", json={"question": "Додайте фото душових."})
    assert returned.status_code == 200 and returned.get_json()["status"] == "returned"
    db.session.expire_all()
    email = db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id.desc())).first()
    assert "Додайте фото душових." in email.text_body and f"/respond/{token}" in email.text_body
    assert set(email.to_addrs) >= {"dkvs@example.org", "ivanenko@example.org"}
    # The link stays open for a new answer.
    assert api_for(None).get(f"/portal/{token}").status_code == 200
    assert lawyer.get(f"/acts/{sent_act.id}").get_json()["state"] == "sent"


def test_link_revoke_renew_and_the_404s(app, db, users, sent_act, token, api_for):
    lawyer, public = api_for(users["lawyer"]), api_for(None)
    shown = lawyer.get(f"/acts/{sent_act.id}/portal-link").get_json()
    assert shown["url"] == f"{app.config['PUBLIC_BASE_URL']}/respond/{token}"
    forged = token[:-1] + ("a" if token[-1] != "a" else "b")
    for bad in (forged, "x" * 24, "не-токен", "a" * 300):
        assert public.get(f"/portal/{bad}").status_code == 404
        assert public.post(f"/portal/{bad}/responses", json={}).status_code == 404

    assert lawyer.post(f"/acts/{sent_act.id}/portal-link/revoke").get_json() == {"revoked": 1}
    gone = public.get(f"/portal/{token}")
    assert gone.status_code == 404 and gone.get_json()["error"]["code"] == "not_found"
    assert lawyer.get(f"/acts/{sent_act.id}/portal-link").status_code == 404

    renewed = lawyer.post(f"/acts/{sent_act.id}/portal-link/renew")
    assert renewed.status_code == 201
    new = renewed.get_json()["url"].rsplit("/", 1)[1]
    assert new != token and public.get(f"/portal/{new}").status_code == 200
    assert public.get(f"/portal/{token}").status_code == 404

    # The clock set forward past PORTAL_LINK_DAYS: the same 404.
    from app.core import clock
    from app.core.db import utcnow

    later = utcnow() + timedelta(days=app.config["PORTAL_LINK_DAYS"] + 1)
    with clock.travel(later):
        assert public.get(f"/portal/{new}").status_code == 404
        assert count(db, PortalLink) == 2


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"positions": []}, "positions", "State a position on at least one recommendation."),
        (
            {"positions": [{"recommendation_id": 0, "position": "implemented"}]},
            "positions",
            "is not in this act",
        ),
        ({"positions": "implemented"}, "positions", "at least one recommendation"),
        ({"responder_name": ""}, "responder_name", "This field is required."),
        ({"responder_name": ["Петро"]}, "responder_name", "Text is expected."),
        ({"responder_email": "not-an-address"}, "responder_email", "Not a valid e-mail address."),
        ({"state": "recorded"}, "state", "Unknown field."),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_kept(
    db, issued, sent_act, token, api_for, change, field, message
):
    body = {**answer([(issued[0], "implemented", "")]), **change}
    got = api_for(None).post(f"/portal/{token}/responses", json=body, headers=EN)
    assert got.status_code == 422, got.get_json()
    assert any(message in m for m in got.get_json()["error"]["fields"][field])
    assert count(db, Response) == 0 and count(db, ResponsePosition) == 0


def test_text_with_a_nul_byte_is_refused_before_the_portal_reads_it(
    db, issued, sent_act, token, api_for
):
    """NUL bytes in any JSON text are the boundary's 400 (README, "Writes"), not a field error."""
    body = {**answer([(issued[0], "implemented", "")]), "responder_name": "x\x00"}
    got = api_for(None).post(f"/portal/{token}/responses", json=body, headers=EN)
    assert got.status_code == 400 and got.get_json()["error"]["code"] == "bad_request"
    assert count(db, Response) == 0 and count(db, ResponsePosition) == 0


@pytest.mark.parametrize(
    "position, planned, message",
    [
        ("done", None, "the position must be one of"),
        ("in_progress", "", "give the planned date"),
        ("in_progress", (today() - timedelta(days=1)).isoformat(), "cannot be in the past"),
        ("in_progress", "31.12.2030", "must be a date"),
    ],
)
def test_bad_positions(db, issued, sent_act, token, api_for, position, planned, message):
    item = {"recommendation_id": issued[0].id, "position": position, "comment": ""}
    if planned is not None:
        item["planned_on"] = planned
    got = api_for(None).post(
        f"/portal/{token}/responses", json={**answer([]), "positions": [item]}, headers=EN
    )
    assert got.status_code == 422
    assert any(message in m for m in got.get_json()["error"]["fields"]["positions"])
    assert count(db, Response) == 0


def test_a_recommendation_of_another_act_is_refused(
    db, users, registry, make_rec, issued, sent_act, token, api_for
):
    from app.domain.recommendations.operations import fire

    other = make_rec("Інша рекомендація")
    fire(other, "issue", users["lawyer"])
    db.session.commit()
    body = answer([(issued[0], "implemented", ""), (other, "implemented", "")])
    got = api_for(None).post(f"/portal/{token}/responses", json=body, headers=EN)
    assert got.status_code == 422
    assert got.get_json()["error"]["fields"]["positions"] == [
        f"Recommendation №{other.id} is not in this act."
    ]
    assert count(db, Response) == 0


def test_files_too_large_too_many_or_not_allowed(app, db, issued, sent_act, token, api_for):
    import io
    import json

    public = api_for(None)

    def post(files):
        body = answer([(issued[0], "implemented", "")])
        body["positions"] = json.dumps(body["positions"])
        body["files"] = files
        return public.post(f"/portal/{token}/responses", data=body, headers=EN)

    from werkzeug.test import EnvironBuilder

    body = answer([(issued[0], "implemented", "")])
    body["positions"] = json.dumps(body["positions"])
    body["files"] = [(io.BytesIO(b"\xff\xd8\xff" + b"0" * (100 * 1024 * 1024)), "big.jpg")]
    builder = EnvironBuilder(path=f"/api/v1/portal/{token}/responses", method="POST", data=body)
    environ = builder.get_environ()  # the 100 MB body is spooled to a temporary file
    try:
        db.session.commit()
        huge = app.test_client().open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()
    assert huge.status_code == 413 and huge.get_json()["error"]["code"] == "too_large"
    many = post([(io.BytesIO(png_bytes()), f"{n}.png") for n in range(500)])
    assert many.status_code == 413
    assert many.get_json()["error"]["message"] == "At most 20 files can be attached to one answer."
    script = post([(io.BytesIO(b"#!/bin/sh\nrm -rf /"), "photo.png")])
    assert script.status_code == 422 and "files" in script.get_json()["error"]["fields"]
    assert count(db, Response) == 0 and count(db, ResponseFile) == 0
    storage = app.config["STORAGE_DIR"]
    import os

    assert not os.path.exists(os.path.join(storage, "responses"))


def test_rate_limit_per_link(app, db, sent_act, token, api_for, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_LIMIT_PER_TOKEN", "3 per hour")
    public = api_for(None)
    codes = [public.get(f"/portal/{token}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_openapi_describes_the_portal(api_for, db):
    spec = api_for(None).get("/openapi.json").get_json()
    assert spec["paths"]["/portal/{token}/responses"]["post"]["security"] == []
    assert "/responses/{id}/record" in spec["paths"] and "/acts/{id}/portal-link" in spec["paths"]


def test_the_queue_exports_as_a_file(db, users, issued, sent_act, token, api_for):
    import csv
    import io

    api_for(None).post(f"/portal/{token}/responses", json=answer([(issued[0], "implemented", "")]))
    lawyer = api_for(users["lawyer"])
    got = lawyer.get("/responses?status=to_review&format=csv")
    assert got.status_code == 200
    rows = list(csv.reader(io.StringIO(got.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["№", "Акт", "Орган", "Джерело", "Стан розгляду"]
    assert rows[1][3:5] == ["посилання для відповіді", "на розгляді"] and len(rows) == 2
    assert lawyer.get("/responses?status=new").status_code == 422
    spec = lawyer.get("/openapi.json").get_json()
    assert "format" in [p.get("name") for p in spec["paths"]["/responses"]["get"]["parameters"]]
