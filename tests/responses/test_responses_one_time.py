"""Back and submit again on the answer form: one answer, not two (the one-time form token)."""

import io
from datetime import timedelta

import sqlalchemy as sa
from page_forms import read_form
from resp_support import pdf_bytes

from app.core.clock import today
from app.domain.responses.models import Response, ResponseFile


def test_the_answer_form_sent_twice_records_one_answer(db, users, issued, sent_act, client_for):
    client = client_for(users["lawyer"])
    page = client.get(f"/acts/{sent_act.id}").get_data(as_text=True)
    action = f"/acts/{sent_act.id}/responses"
    token = dict(read_form(page, action)).get("form_token")
    assert token
    pdf = pdf_bytes()

    def submit():
        return client.post(
            action,
            data={
                "form_token": token,
                "kind": "interim",
                "incoming_number": "12/3-4567",
                "received_on": (today() - timedelta(days=1)).isoformat(),
                "text": "Проміжна відповідь.",
                "files": [(io.BytesIO(pdf), "Відповідь.pdf")],
            },
        )

    first, second = submit(), submit()
    assert first.status_code == 302 and second.status_code == 303
    assert second.location == first.location
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ResponseFile)) == 1
    shown = client.get(second.location).get_data(as_text=True)
    assert "Цю форму вже надіслано; ось що було збережено." in shown
