"""Answers through the API: JSON and multipart with files, states and history, every refusal."""

import io
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from resp_support import SENT_ON, docx_bytes, pdf_bytes, png_bytes, zip_bytes

from app.core.clock import today
from app.domain.acts.operations import fire as fire_act
from app.domain.responses.models import Response, ResponseFile

EN = {"Accept-Language": "en"}
RECEIVED = today() - timedelta(days=1)


def body(recs=(), kind="substantive", **kw):
    return {
        "received_on": RECEIVED.isoformat(),
        "incoming_number": "5/17-2026",
        "kind": kind,
        "text": "Рекомендації виконано частково.",
        "positions": [
            {"recommendation_id": rec.id, "position": position, "comment": comment}
            for rec, position, comment in recs
        ],
        **kw,
    }


def multipart(recs=(), files=(), **kw):
    data = body(recs, **kw)
    data["positions"] = json.dumps(data["positions"])
    data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return data


def count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_substantive_answer_through_the_api(db, users, issued, sent_act, api_for):
    api = api_for(users["lawyer"])
    response = api.post(
        f"/acts/{sent_act.id}/responses",
        json=body(
            [
                (issued[0], "partially_implemented", "Ремонт триває"),
                (issued[1], "rejected", "Немає коштів"),
            ]
        ),
    )
    assert response.status_code == 201, response.get_json()
    got = response.get_json()
    assert {k: got[k] for k in ("act_id", "kind", "received_on", "incoming_number", "text")} == {
        "act_id": sent_act.id,
        "kind": "substantive",
        "received_on": RECEIVED.isoformat(),
        "incoming_number": "5/17-2026",
        "text": "Рекомендації виконано частково.",
    }
    assert got["positions"] == [
        {
            "recommendation_id": issued[0].id,
            "position": "partially_implemented",
            "comment": "Ремонт триває",
            "planned_on": None,
        },
        {
            "recommendation_id": issued[1].id,
            "position": "rejected",
            "comment": "Немає коштів",
            "planned_on": None,
        },
    ]
    assert got["files"] == [] and got["recorded_by_id"] == users["lawyer"].id
    assert (got["source"], got["status"]) == ("manual", "recorded")

    assert api.get(f"/acts/{sent_act.id}").get_json()["state"] == "responded"
    history = api.get(f"/acts/{sent_act.id}/history").get_json()
    assert (history[-1]["transition"], history[-1]["from"], history[-1]["to"]) == (
        "respond",
        "sent",
        "responded",
    )
    assert "5/17-2026" in history[-1]["comment"] and history[-1]["actor"] == users["lawyer"].id
    for rec in issued:
        assert api.get(f"/recommendations/{rec.id}").get_json()["state"] == "responded"
        assert api.get(f"/recommendations/{rec.id}/history").get_json()[-1]["to"] == "responded"
    listed = api.get(f"/acts/{sent_act.id}/responses").get_json()
    assert listed == [got]

    # Then the lawyer assesses through the recommendations' transitions.
    fired = api.post(
        f"/recommendations/{issued[0].id}/transitions",
        json={"name": "assess_partially_implemented"},
    )
    assert fired.status_code == 200 and fired.get_json()["state"] == "partially_implemented"


def test_an_interim_answer_through_the_api_moves_nothing(db, users, issued, sent_act, api_for):
    api = api_for(users["lawyer"])
    response = api.post(f"/acts/{sent_act.id}/responses", json=body(kind="interim"))
    assert response.status_code == 201
    assert api.get(f"/acts/{sent_act.id}").get_json()["state"] == "sent"
    last = api.get(f"/acts/{sent_act.id}/history").get_json()[-1]
    assert (last["transition"], last["from"], last["to"]) == ("note_interim_answer", "sent", "sent")
    assert "5/17-2026" in last["comment"]
    assert {api.get(f"/recommendations/{r.id}").get_json()["state"] for r in issued} == {
        "sent_to_authority"
    }


def test_files_through_multipart(db, users, issued, sent_act, api_for):
    api = api_for(users["lawyer"])
    pdf, docx, png = pdf_bytes(), docx_bytes(), png_bytes()
    response = api.post(
        f"/acts/{sent_act.id}/responses",
        data=multipart(
            [(issued[2], "implemented", "")],
            files=[("лист.pdf", pdf), ("довідка.docx", docx), ("скан", png)],
        ),
    )
    assert response.status_code == 201, response.get_json()
    got = response.get_json()
    assert got["positions"] == [
        {
            "recommendation_id": issued[2].id,
            "position": "implemented",
            "comment": "",
            "planned_on": None,
        }
    ]
    import hashlib

    assert [(f["filename"], f["content_type"], f["size"], f["sha256"]) for f in got["files"]] == [
        ("лист.pdf", "application/pdf", len(pdf), hashlib.sha256(pdf).hexdigest()),
        (
            "довідка.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            len(docx),
            hashlib.sha256(docx).hexdigest(),
        ),
        ("скан.png", "image/png", len(png), hashlib.sha256(png).hexdigest()),
    ]
    for f, content in zip(got["files"], (pdf, docx, png), strict=True):
        with api.get(f"/response-files/{f['id']}/content") as download:
            assert download.status_code == 200 and download.data == content
            assert download.mimetype == f["content_type"]
    assert api.get(f"/acts/{sent_act.id}").get_json()["state"] == "responded"


@pytest.mark.parametrize(
    "change, field, message",
    [
        (
            {"received_on": (SENT_ON - timedelta(days=1)).isoformat()},
            "received_on",
            "The answer cannot arrive before the act was sent",
        ),
        (
            {"received_on": (today() + timedelta(days=1)).isoformat()},
            "received_on",
            "The date of receipt cannot be in the future.",
        ),
        ({"received_on": "27.11.2026"}, "received_on", "Not a valid date value."),
        ({"kind": "final"}, "kind", "Not a valid choice"),
        ({"incoming_number": None}, "incoming_number", "This field is required."),
        (
            {"positions": [{"recommendation_id": 424242, "position": "implemented"}]},
            "positions",
            "Recommendation №424242 is not in this act.",
        ),
        (
            {"positions": [{"recommendation_id": 1, "position": "done"}]},
            "positions",
            "the position must be one of",
        ),
        ({"positions": {"1": "implemented"}}, "positions", "A list of positions is expected."),
        ({"state": "responded"}, "state", "Unknown field."),
    ],
)
def test_bad_json_is_422_with_the_field(db, users, sent_act, api_for, change, field, message):
    response = api_for(users["lawyer"]).post(
        f"/acts/{sent_act.id}/responses", json=body() | change, headers=EN
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and message in " ".join(error["fields"][field])
    assert count(db, Response) == 0 and sent_act.state == "sent"


def test_a_position_for_another_acts_recommendation_is_422(
    db, users, make_rec, issued, sent_act, api_for
):
    other = make_rec("Не з цього акта")
    response = api_for(users["lawyer"]).post(
        f"/acts/{sent_act.id}/responses", json=body([(other, "implemented", "")]), headers=EN
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["positions"] == [
        f"Recommendation №{other.id} is not in this act."
    ]


@pytest.mark.parametrize(
    "name, content",
    [
        ("letter.pdf", b"GIF89a\x01\x00\x01\x00"),
        ("report.docx", zip_bytes(["ppt/presentation.xml", "[Content_Types].xml"])),
        ("image.png", "Просто текст".encode()),
    ],
)
def test_a_file_of_another_type_is_422(db, users, sent_act, api_for, name, content):
    response = api_for(users["lawyer"]).post(
        f"/acts/{sent_act.id}/responses",
        data=multipart(files=[("ok.pdf", pdf_bytes()), (name, content)]),
        headers=EN,
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["files"] == [
        f"“{name}” is not a PDF, DOCX, PNG, JPEG or TIFF file."
    ]
    assert count(db, ResponseFile) == 0 and sent_act.state == "sent"


def test_a_file_over_the_limit_is_413(app, db, users, sent_act, api_for, monkeypatch):
    monkeypatch.setitem(app.config, "RESPONSE_FILE_MAX_BYTES", 50_000)
    big = pdf_bytes() + b"%" + b"0" * 50_000
    response = api_for(users["lawyer"]).post(
        f"/acts/{sent_act.id}/responses", data=multipart(files=[("big.pdf", big)]), headers=EN
    )
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "too_large" and "“big.pdf” is larger than" in error["message"]
    assert count(db, Response) == 0


def test_bad_multipart_values_are_422(db, users, sent_act, api_for):
    api = api_for(users["lawyer"])
    data = multipart() | {"positions": "[{not json"}
    response = api.post(f"/acts/{sent_act.id}/responses", data=data, headers=EN)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "positions": ["Must be a JSON array of positions."]
    }
    response = api.post(
        f"/acts/{sent_act.id}/responses", data=multipart() | {"colour": "red"}, headers=EN
    )
    assert response.status_code == 422 and "colour" in response.get_json()["error"]["fields"]


def test_acts_not_sent_or_finished_are_409(db, users, make_act, make_rec, send_act, api_for):
    from app.domain.recommendations.operations import fire as fire_rec

    draft = make_act()
    recs = [make_rec("Друга"), make_rec("Третя")]
    for rec in recs:
        fire_rec(rec, "issue", users["lawyer"])
    db.session.commit()
    cancelled = make_act(recs=recs[:1])
    fire_act(cancelled, "cancel", users["lawyer"], {"comment": "Помилка"})
    closed = send_act(make_act(recs=recs[1:]))
    fire_act(closed, "close", users["lawyer"], {"comment": "Відповідь оцінено"})
    db.session.commit()
    api = api_for(users["lawyer"])
    for act, state in ((draft, "Draft"), (cancelled, "Cancelled"), (closed, "Closed")):
        response = api.post(f"/acts/{act.id}/responses", json=body(), headers=EN)
        assert response.status_code == 409
        error = response.get_json()["error"]
        assert error["code"] == "conflict" and f"this act is “{state}”" in error["message"]
    assert count(db, Response) == 0


@pytest.mark.parametrize("role", ["monitor", "admin"])
def test_monitors_and_admins_are_403_but_may_read(db, users, sent_act, api_for, role):
    lawyer = api_for(users["lawyer"])
    lawyer.post(f"/acts/{sent_act.id}/responses", json=body(kind="interim"))
    api = api_for(users[role])
    response = api.post(f"/acts/{sent_act.id}/responses", json=body())
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    assert len(api.get(f"/acts/{sent_act.id}/responses").get_json()) == 1
    assert count(db, Response) == 1 and sent_act.state == "sent"


def test_unknown_act_and_no_token(db, users, sent_act, api_for):
    assert api_for(users["lawyer"]).get("/acts/999/responses").status_code == 404
    assert api_for(users["lawyer"]).post("/acts/999/responses", json=body()).status_code == 404
    assert api_for(None).get(f"/acts/{sent_act.id}/responses").status_code == 401
    response = api_for(users["lawyer"]).post(
        f"/acts/{sent_act.id}/responses",
        data="received_on=2026-11-01",
        content_type="text/plain",
    )
    assert response.status_code == 400


def test_the_openapi_document_describes_responses(app, db):
    from openapi_spec_validator import validate

    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    validate(spec)
    post = spec["paths"]["/acts/{id}/responses"]["post"]
    assert {"application/json", "multipart/form-data"} <= set(post["requestBody"]["content"])
    assert {"201", "409", "413", "422"} <= set(post["responses"])
    assert "get" in spec["paths"]["/acts/{id}/responses"]
    assert "/response-files/{id}/content" in spec["paths"]
    assert set(spec["components"]["schemas"]["ResponseInput"]["properties"]) == {
        "received_on",
        "sent_on",
        "incoming_number",
        "kind",
        "text",
        "positions",
    }
