"""Answers through the act page: recording with files, the assessment form, roles, bad input."""

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from resp_support import SENT_ON, docx_bytes, pdf_bytes, png_bytes

from app.core.clock import today
from app.domain.acts.operations import fire as fire_act
from app.domain.responses.models import Response, ResponseFile
from app.workflow import get_engine

RECEIVED = today() - timedelta(days=3)


def form(recs=(), kind="substantive", received_on=RECEIVED, number="12/3-4567", files=()):
    data = {
        "received_on": received_on.isoformat(),
        "incoming_number": number,
        "kind": kind,
        "text": "ДКВС повідомляє: гаряча вода є з 1 листопада.",
        "files": [(io.BytesIO(content), name) for name, content in files],
    }
    for n, (rec, position, comment) in enumerate(recs):
        data |= {
            f"positions-{n}-recommendation_id": str(rec.id),
            f"positions-{n}-position": position,
            f"positions-{n}-comment": comment,
        }
    return data


def history_text(html):
    return re.search(r'<ol class="history.*?</ol>', html, re.S).group(0)


def count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_act_page_offers_the_form_with_a_row_per_recommendation(
    db, users, issued, sent_act, client_for
):
    html = client_for(users["lawyer"]).get(f"/acts/{sent_act.id}?lang=en").get_data(as_text=True)
    assert "Record the answer" in html and 'enctype="multipart/form-data"' in html
    assert f'action="/acts/{sent_act.id}/responses"' in html
    for n, rec in enumerate(issued):
        assert f'name="positions-{n}-recommendation_id" type="hidden" value="{rec.id}"' in html
    assert "No answer recorded yet." in html
    assert "Assess the recommendations" not in html  # nothing answered yet


def test_a_lawyer_records_an_answer_with_files_through_the_page(
    db, users, issued, sent_act, client_for
):
    client = client_for(users["lawyer"])
    pdf, docx, png = pdf_bytes(), docx_bytes(), png_bytes()
    data = form(
        [(issued[0], "implemented", "Гаряча вода є"), (issued[1], "in_progress", "")],
        files=[("Відповідь ДКВС.pdf", pdf), ("додаток.docx", docx), ("фото.png", png)],
    )
    data["positions-2-recommendation_id"] = str(issued[2].id)  # a row left without a position
    response = client.post(f"/acts/{sent_act.id}/responses", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/acts/{sent_act.id}#responses")

    db.session.expire_all()
    assert sent_act.state == "responded"
    assert [r.state for r in issued] == ["responded"] * 3
    answer = db.session.scalar(sa.select(Response))
    assert [(p.recommendation_id, p.position) for p in answer.positions] == [
        (issued[0].id, "implemented"),
        (issued[1].id, "in_progress"),
    ]

    html = client.get(f"/acts/{sent_act.id}?lang=en").get_data(as_text=True)
    assert f"Incoming № 12/3-4567 of {RECEIVED.strftime('%-d %b %Y')}" in html
    assert "ДКВС повідомляє: гаряча вода є з 1 листопада." in html
    assert "Implemented" in html and "In progress" in html and "Гаряча вода є" in html
    history = history_text(html)
    assert "Record the answer" in history and "Sent → Answered" in history
    assert "12/3-4567" in history and RECEIVED.strftime("%d.%m.%Y") in history
    for f, content in zip(answer.files, (pdf, docx, png), strict=True):
        assert f'href="/response-files/{f.id}"' in html and f.filename in html
        with client.get(f"/response-files/{f.id}") as download:
            assert download.status_code == 200 and download.data == content
            assert download.mimetype == f.content_type
            assert download.headers["Content-Disposition"].startswith("attachment")
    # The assessment form is there, pre-selected from the authority's position where it maps.
    assert "Assess the recommendations" in html
    assert re.search(r'name="rows-0-decision">.*?<option selected value="implemented">', html, re.S)
    in_progress = re.search(r'name="rows-1-decision">(.*?)</select>', html, re.S)[1]
    assert '<option selected value="">' in in_progress  # "in progress" is no assessment


def test_an_interim_answer_through_the_page_moves_nothing(db, users, issued, sent_act, client_for):
    client = client_for(users["lawyer"])
    response = client.post(f"/acts/{sent_act.id}/responses", data=form(kind="interim"))
    assert response.status_code == 302
    db.session.expire_all()
    assert sent_act.state == "sent" and {r.state for r in issued} == {"sent_to_authority"}
    html = client.get(f"/acts/{sent_act.id}?lang=en").get_data(as_text=True)
    history = history_text(html)
    assert "Answer without a change of state: Sent → Sent" in history
    assert "12/3-4567" in history
    assert "Interim" in html and "Record the answer" in html  # the form stays for the next one


def test_the_lawyer_assesses_together_on_the_act_page(db, users, issued, sent_act, client_for):
    client = client_for(users["lawyer"])
    client.post(
        f"/acts/{sent_act.id}/responses",
        data=form([(issued[0], "implemented", ""), (issued[2], "rejected", "")]),
    )
    data = {
        "rows-0-recommendation_id": issued[0].id,
        "rows-0-decision": "implemented",
        "rows-0-comment": "Перевірено за фото",
        "rows-1-recommendation_id": issued[1].id,
        "rows-1-decision": "",
        "rows-2-recommendation_id": issued[2].id,
        "rows-2-decision": "not_implemented",
    }
    response = client.post(f"/acts/{sent_act.id}/assessment", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert [r.state for r in issued] == ["implemented", "responded", "not_implemented"]
    last = get_engine().history(issued[0])[-1]
    assert (last.transition, last.comment) == ("assess_implemented", "Перевірено за фото")
    html = client.get(f"/acts/{sent_act.id}?lang=en").get_data(as_text=True)
    assert f'name="rows-0-recommendation_id" type="hidden" value="{issued[1].id}"' in html
    assert "rows-1-recommendation_id" not in html  # only the one still to assess


def test_an_assessment_is_all_or_nothing(db, users, issued, sent_act, client_for):
    from app.domain.recommendations.operations import fire as fire_rec

    client = client_for(users["lawyer"])
    client.post(f"/acts/{sent_act.id}/responses", data=form())
    fire_rec(issued[1], "assess_rejected", users["lawyer"])  # someone assessed it meanwhile
    db.session.commit()
    data = {
        "rows-0-recommendation_id": issued[0].id,
        "rows-0-decision": "implemented",
        "rows-1-recommendation_id": issued[1].id,
        "rows-1-decision": "rejected",
    }
    response = client.post(f"/acts/{sent_act.id}/assessment?lang=en", data=data)
    assert response.status_code == 409
    assert "is not possible now" in response.get_data(as_text=True)
    db.session.expire_all()
    assert issued[0].state == "responded"
    response = client.post(
        f"/acts/{sent_act.id}/assessment?lang=en", data={"rows-0-recommendation_id": issued[0].id}
    )
    assert response.status_code == 422
    assert "Choose an assessment for at least one recommendation." in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "change, status, message",
    [
        (
            {"received_on": (SENT_ON - timedelta(days=1)).isoformat()},
            422,
            "The answer cannot arrive before the act was sent",
        ),
        (
            {"received_on": (today() + timedelta(days=1)).isoformat()},
            422,
            "The date of receipt cannot be in the future.",
        ),
        ({"received_on": "вчора"}, 422, "Not a valid date value."),
        ({"incoming_number": ""}, 422, "This field is required."),
        (
            {"files": [(io.BytesIO(b"MZ\x90\x00 an executable"), "letter.pdf")]},
            422,
            "“letter.pdf” is not a PDF, DOCX, PNG, JPEG or TIFF file.",
        ),
        (
            {"positions-0-recommendation_id": "99999", "positions-0-position": "implemented"},
            422,
            "Recommendation №99999 is not in this act.",
        ),
        (
            {"positions-0-recommendation_id": "1", "positions-0-position": "done"},
            422,
            "Not a valid choice",
        ),
    ],
)
def test_bad_input_on_the_page(db, users, sent_act, client_for, change, status, message):
    response = client_for(users["lawyer"]).post(
        f"/acts/{sent_act.id}/responses?lang=en", data=form() | change
    )
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert message in html and "<details" in html and " open>" in html  # the form shows why
    assert count(db, Response) == 0 and sent_act.state == "sent"


def test_a_file_over_the_limit_on_the_page_is_413(
    app, db, users, sent_act, client_for, monkeypatch
):
    # Under werkzeug's 500 KB spooling threshold: its test client leaves bigger bodies' temporary
    # files open, which the suite's warnings-as-errors would report.
    monkeypatch.setitem(app.config, "RESPONSE_FILE_MAX_BYTES", 400 * 1024)
    big = pdf_bytes() + b"%" + b"x" * (400 * 1024)
    response = client_for(users["lawyer"]).post(
        f"/acts/{sent_act.id}/responses?lang=en", data=form(files=[("скан.pdf", big)])
    )
    assert response.status_code == 413
    assert "“скан.pdf” is larger than 0.4 MB." in response.get_data(as_text=True)
    assert count(db, ResponseFile) == 0


def test_a_draft_act_takes_no_answer(db, users, make_act, client_for):
    act = make_act()
    client = client_for(users["lawyer"])
    html = client.get(f"/acts/{act.id}?lang=en").get_data(as_text=True)
    assert "Record the answer" not in html and "Answers of the authority" not in html
    response = client.post(f"/acts/{act.id}/responses?lang=en", data=form())
    assert response.status_code == 409
    assert "An answer can be recorded only for an act that was sent" in response.get_data(
        as_text=True
    )
    assert count(db, Response) == 0


@pytest.mark.parametrize("role", ["monitor", "admin"])
def test_monitors_and_admins_see_answers_but_cannot_record_or_assess(
    db, users, issued, sent_act, client_for, role
):
    lawyer = client_for(users["lawyer"])
    lawyer.post(f"/acts/{sent_act.id}/responses", data=form(files=[("a.pdf", pdf_bytes())]))
    client = client_for(users[role])
    html = client.get(f"/acts/{sent_act.id}?lang=en").get_data(as_text=True)
    assert "12/3-4567" in html
    assert "Record the answer" not in html.split('<ol class="history')[0]
    assert "Assess the recommendations" not in html
    assert client.post(f"/acts/{sent_act.id}/responses", data=form()).status_code == 403
    data = {"rows-0-recommendation_id": issued[0].id, "rows-0-decision": "implemented"}
    assert client.post(f"/acts/{sent_act.id}/assessment", data=data).status_code == 403
    file_id = db.session.scalar(sa.select(ResponseFile.id))
    with client.get(f"/response-files/{file_id}") as download:
        assert download.status_code == 200 and download.data[:5] == b"%PDF-"
    assert count(db, Response) == 1
    db.session.expire_all()
    assert issued[0].state == "responded"


def test_downloads_need_a_login(db, users, sent_act, client_for):
    client_for(users["lawyer"]).post(
        f"/acts/{sent_act.id}/responses", data=form(files=[("a.pdf", pdf_bytes())])
    )
    file_id = db.session.scalar(sa.select(ResponseFile.id))
    response = client_for().get(f"/response-files/{file_id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_closed_act_shows_answers_without_the_form(db, users, sent_act, client_for):
    client = client_for(users["lawyer"])
    client.post(f"/acts/{sent_act.id}/responses", data=form())
    fire_act(sent_act, "close", users["lawyer"], {"comment": "Відповідь оцінено"})
    db.session.commit()
    html = client.get(f"/acts/{sent_act.id}?lang=en").get_data(as_text=True)
    assert "12/3-4567" in html and f'action="/acts/{sent_act.id}/responses"' not in html
