"""Acts: generation waits for the lawyer's decision on personal data; exports anonymise."""

import csv
import io

import sqlalchemy as sa
from docx import Document as DocxDocument
from pypdf import PdfReader

from app.core import storage
from app.core.audit import AuditEvent
from app.domain.acts.models import Act
from app.domain.privacy.operations import public_heading
from app.domain.recommendations.operations import fire

OPENING = "Під час візиту засуджений Петренко І.В. (тел. +380 67 123 45 67) повідомив про побиття."


def _docx_text(act):
    doc = [d for d in act.documents if d.format == "docx"][-1]
    return "\n".join(p.text for p in DocxDocument(io.BytesIO(storage.read(doc.path))).paragraphs)


def _generate(api, act):
    return api.post(f"/acts/{act.id}/transitions", json={"name": "generate"})


def test_generation_refused_until_anonymised(
    db, users, make_rec, make_act, api_for, client_for, run_jobs
):
    rec = make_rec("Забезпечити Петренку І.В. консультацію лікаря-травматолога")
    fire(rec, "issue", users["lawyer"])
    db.session.commit()
    act = make_act(recs=[rec], opening=OPENING, heading="Про скаргу Петренка І.В.")
    api = api_for(users["lawyer"])
    refused = _generate(api, act)
    assert refused.status_code == 409
    assert "персональн" in refused.json["error"]["message"].lower()
    client = client_for(users["lawyer"])
    page = client.get(f"/acts/{act.id}").get_data(as_text=True)
    assert '<mark class="personal-data"' in page and "Петренко І.В." in page
    assert 'value="generate"' not in page
    response = client.post(f"/acts/{act.id}/personal-data", data={"decision": "anonymise"})
    assert response.status_code == 302
    assert _generate(api, act).status_code == 200
    run_jobs()
    db.session.expire_all()
    act = db.session.get(Act, act.id)
    text = _docx_text(act)
    assert "Петренк" not in text and "+380" not in text
    assert "засуджений особа 1 (тел. [телефон])" in text
    assert "Забезпечити особа 1 консультацію" in text  # the same person, the same label
    assert "Про скаргу особа 1" in text
    pdf = [d for d in act.documents if d.format == "pdf"][-1]
    reader = PdfReader(io.BytesIO(storage.read(pdf.path)))
    pdf_text = " ".join(page.extract_text() for page in reader.pages)
    assert "Петренк" not in pdf_text + str(reader.metadata.title)
    assert public_heading(act) == "Про скаргу особа 1"  # what the act's e-mail will say
    events = db.session.scalars(sa.select(AuditEvent.event)).all()
    assert "act.personal_data_anonymise" in events


def test_consent_needs_a_note_and_is_recorded(db, users, make_act, client_for, api_for):
    act = make_act(opening=OPENING)
    client = client_for(users["lawyer"])
    client.post(f"/acts/{act.id}/personal-data", data={"decision": "consent", "note": ""})
    db.session.expire_all()
    assert db.session.get(Act, act.id).personal_data_review is None
    client.post(
        f"/acts/{act.id}/personal-data",
        data={"decision": "consent", "note": "Письмова згода Петренка І.В. від 02.03.2026"},
    )
    db.session.expire_all()
    review = db.session.get(Act, act.id).personal_data_review
    assert review["decision"] == "consent" and review["by"] == users["lawyer"].id
    audit = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.event == "act.personal_data_consent")
    )
    assert audit.subject_id == act.id and "Письмова згода" in audit.details["note"]
    api = api_for(users["lawyer"])
    assert _generate(api, act).status_code == 200


def test_changed_texts_need_a_new_decision(db, users, make_act, client_for, api_for):
    from app.domain.acts.operations import update_act

    act = make_act(opening=OPENING)
    client_for(users["lawyer"]).post(
        f"/acts/{act.id}/personal-data", data={"decision": "anonymise"}
    )
    db.session.expire_all()
    act = db.session.get(Act, act.id)
    update_act(act, {"closing": "Контактна особа: Сидоренко О.О., 0501112233."}, users["lawyer"])
    db.session.commit()
    assert _generate(api_for(users["lawyer"]), act).status_code == 409


def test_acts_without_personal_data_generate_as_before(db, users, make_act, api_for):
    act = make_act()
    assert _generate(api_for(users["lawyer"]), act).status_code == 200


def test_exports_anonymise_on_request(db, users, make_rec, api_for, client_for):
    make_rec("Перевести Коваленка І.П. до лікарні; РНОКПП 3012345670")
    make_rec("Коваленко Іван Петрович потребує інсуліну")
    api = api_for(users["lawyer"])
    plain = api.get("/recommendations?format=csv").get_data(as_text=True)
    assert "Коваленка І.П." in plain
    hidden = api.get("/recommendations?format=csv&anonymise=true").get_data(as_text=True)
    texts = [row[1] for row in csv.reader(io.StringIO(hidden.lstrip("\ufeff")))][1:]
    assert sorted(texts) == sorted(
        ["Перевести особа 1 до лікарні; РНОКПП [РНОКПП]", "особа 1 потребує інсуліну"]
    )
    page = client_for(users["lawyer"]).get("/search?format=xlsx&anonymise=true")
    assert page.status_code == 200
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(page.data), read_only=True)
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert not any("Коваленк" in str(c) for c in cells)
    assert "anonymise" in client_for(users["lawyer"]).get("/search").get_data(as_text=True)
