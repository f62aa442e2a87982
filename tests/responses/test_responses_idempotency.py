"""Idempotency-Key on a multipart answer: the parts decide whether it is a repeat, not the bytes
(clients make a new multipart boundary for every request)."""

import io

import sqlalchemy as sa
from resp_support import SENT_ON, pdf_bytes

from app.domain.responses.models import Response, ResponseFile


def _post(api, act, pdf, comment="Виконано"):
    positions = f'[{{"recommendation_id": {act.recommendations[0].id}, "position": "in_progress", "comment": "{comment}"}}]'
    data = {
        "received_on": SENT_ON.isoformat(),
        "incoming_number": "12/3",
        "kind": "interim",
        "positions": positions,
        "files": (io.BytesIO(pdf), "answer.pdf"),
    }
    return api.post(
        f"/acts/{act.id}/responses",
        data=data,
        headers={"Idempotency-Key": "answer-1"},
        content_type="multipart/form-data",
    )


def test_a_repeated_upload_records_one_answer(db, users, sent_act, api_for):
    api = api_for(users["lawyer"])
    pdf = pdf_bytes()
    first, second = _post(api, sent_act, pdf), _post(api, sent_act, pdf)
    assert first.status_code == 201, first.get_json()
    assert second.status_code == 201 and second.get_json() == first.get_json()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ResponseFile)) == 1
    other = _post(api, sent_act, pdf, comment="Інше")
    assert other.status_code == 409
    assert other.get_json()["error"]["code"] == "idempotency_key_reused"
