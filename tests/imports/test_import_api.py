"""The import contract (INTERFACE.md "Import of legacy spreadsheets") through the API."""

import io

import sqlalchemy as sa
from openpyxl import load_workbook

from app.core.audit import AuditEvent
from app.domain.recommendations.models import Recommendation
from app.domain.visits.models import Visit
from tests.imports.support import AGENCY, FACILITY, HEADERS, rows, upload, xlsx


def _count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_dry_run_reports_and_saves_nothing(db, registry, users, api_for):
    api = api_for(users["lawyer"])
    response = upload(api, xlsx(rows(3)), dry_run=True)
    assert response.status_code == 200, response.json
    assert response.json == {"rows": 3, "created": 3, "updated": 0, "errors": []}
    assert _count(db, Recommendation) == 0
    assert _count(db, Visit) == 1


def test_import_creates_visits_history_and_one_audit_row(db, registry, users, api_for):
    api = api_for(users["lawyer"])
    response = upload(api, xlsx(rows(2)), filename="архів-2023.xlsx")
    assert response.status_code == 201, response.json
    assert response.json == {"rows": 2, "created": 2, "updated": 0, "errors": []}
    recs = db.session.scalars(sa.select(Recommendation).order_by(Recommendation.id)).all()
    assert [(r.external_id, r.state, r.theme, r.priority) for r in recs] == [
        ("R-1", "issued", "health", "high"),
        ("R-2", "issued", "health", "high"),
    ]
    visit = recs[0].visit
    assert (visit.started_on.isoformat(), visit.kind, visit.created_by_id) == (
        "2023-03-10",
        "planned",
        users["lawyer"].id,
    )
    assert recs[1].visit_id == visit.id and visit.id != registry["visit"].id
    history = api.get(f"/recommendations/{recs[1].id}/history").json
    assert [(h["transition"], h["from"], h["to"]) for h in history] == [
        ("create", None, "draft"),
        ("import", "draft", "issued"),
    ]
    assert history[1]["actor"] is not None
    assert history[1]["comment"] == "Імпортовано з файлу «архів-2023.xlsx», рядок 3."
    audits = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.event == "import.recommendations")
    ).all()
    assert len(audits) == 1
    assert audits[0].actor_id == users["lawyer"].id
    assert audits[0].details["file"] == "архів-2023.xlsx"
    assert (audits[0].details["created"], audits[0].details["rows"]) == (2, 2)


def test_any_error_saves_nothing_and_names_the_unknown(db, registry, users, api_for):
    api = api_for(users["lawyer"])
    data = rows(3)
    data[1][1] = "СІЗО, якого немає"
    data[2][3] = "Невідомий орган"
    audited = _count(db, AuditEvent)  # the scene's own (users, registry, the API token)
    response = upload(api, xlsx(data))
    assert response.status_code == 422
    body = response.json
    assert (body["rows"], body["created"], body["updated"]) == (3, 1, 0)
    assert {(e["row"], e["column"]) for e in body["errors"]} == {(3, "Установа"), (4, "Орган")}
    messages = " ".join(e["message"] for e in body["errors"])
    assert "СІЗО, якого немає" in messages and "Невідомий орган" in messages
    assert _count(db, Recommendation) == 0
    assert _count(db, Visit) == 1
    assert _count(db, AuditEvent) == audited


def test_reimport_by_identifier_updates_instead_of_duplicating(db, registry, users, api_for):
    api = api_for(users["lawyer"])
    assert upload(api, xlsx(rows(2))).status_code == 201
    data = rows(3)
    data[0][4] = "Виправлений текст рекомендації"
    data[0][7] = "implemented"
    response = upload(api, xlsx(data))
    assert response.json == {"rows": 3, "created": 1, "updated": 2, "errors": []}
    assert _count(db, Recommendation) == 3
    rec = db.session.scalar(sa.select(Recommendation).where(Recommendation.external_id == "R-1"))
    db.session.refresh(rec)
    assert (rec.text, rec.state) == ("Виправлений текст рекомендації", "implemented")
    history = api.get(f"/recommendations/{rec.id}/history").json
    assert [h["transition"] for h in history] == ["create", "import", "import"]
    assert [h["to"] for h in history][-1] == "implemented"


def test_ukrainian_labels_names_and_date_forms(db, registry, users, api_for):
    api = api_for(users["lawyer"])
    headers = [
        "ідентифікатор",
        "facility",
        "Дата візиту",
        "authority",
        "Текст",
        "Тема",
        "Пріоритет",
        "Стан",
        "Вихідний номер",
        "Дата надсилання",
        "Дата відповіді",
    ]
    data = [
        [
            "A-1",
            'ду "бучанська  виправна колонія (№ 85)"',
            "10.03.2023",
            AGENCY.upper(),
            "Текст",
            "Медичне забезпечення",
            "Високий",
            "Надіслано",
            "1234/2023",
            "20.03.2023",
            "2023-04-18",
        ],
        [
            "A-2",
            registry["facility"].id,
            44995,
            registry["ministry"].id,
            "Текст 2",
            "матеріально-побутові умови",
            "Low",
            "Відповідь отримано",
            None,
            None,
            None,
        ],
    ]
    response = upload(api, xlsx(data, headers))
    assert response.status_code == 201, response.json
    one, two = db.session.scalars(sa.select(Recommendation).order_by(Recommendation.id)).all()
    assert (one.theme, one.priority, one.state) == ("health", "high", "sent_to_authority")
    assert (one.facility_id, one.authority_id) == (registry["facility"].id, registry["agency"].id)
    assert one.legacy_outgoing_number == "1234/2023"
    assert (one.legacy_sent_on.isoformat(), one.legacy_answered_on.isoformat()) == (
        "2023-03-20",
        "2023-04-18",
    )
    assert one.visit.started_on.isoformat() == "2023-03-10"
    assert (two.theme, two.priority, two.state) == ("conditions", "low", "responded")
    assert two.authority_id == registry["ministry"].id
    assert two.visit.started_on.isoformat() == "2023-03-10"  # 44995 in Excel's count
    assert one.visit_id == two.visit_id
    comment = api.get(f"/recommendations/{one.id}/history").json[1]["comment"]
    assert "вих. № 1234/2023 від 20.03.2023" in comment and "відповідь від 18.04.2023" in comment
    assert one.acts == []  # the act of the past is history, not an act in today's register


def test_csv_windows_1251_with_semicolons(db, registry, users, api_for):
    api = api_for(users["lawyer"])
    lines = [";".join(HEADERS)] + [
        f'R-{i};"{FACILITY}";10.03.2023;;Забезпечити, щоб «вода» була {i};Медичне забезпечення;'
        f"Середній;Видано"
        for i in (1, 2)
    ]
    content = "\r\n".join(lines).encode("cp1251")
    response = upload(api, content, filename="старі.csv")
    assert response.status_code == 201, response.json
    texts = db.session.scalars(sa.select(Recommendation.text).order_by(Recommendation.id)).all()
    assert texts == ["Забезпечити, щоб «вода» була 1", "Забезпечити, щоб «вода» була 2"]
    rec = db.session.scalar(sa.select(Recommendation).limit(1))
    assert rec.authority_id == registry["agency"].id  # the facility's authority by default
    assert (rec.priority, rec.state) == ("medium", "issued")


def test_csv_utf8_with_bom_and_commas(db, registry, users, api_for):
    api = api_for(users["lawyer"])
    content = "\ufeff" + ",".join(HEADERS) + "\n" + f'X-1,"{FACILITY}",2023-03-10,,Текст,safety,,\n'
    response = upload(api, content.encode("utf-8"), filename="a.csv")
    assert response.status_code == 201, response.json
    assert db.session.scalar(sa.select(Recommendation.state)) == "draft"


def test_only_admins_and_lawyers_import(db, registry, users, api_for):
    response = upload(api_for(users["monitor"]), xlsx(rows(1)))
    assert response.status_code == 403
    response = api_for(users["lawyer"]).post(
        "/imports", data={"kind": "visits"}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"file", "kind"}


def test_template_is_the_empty_sheet(db, users, api_for):
    response = api_for(users["admin"]).get("/imports/template?format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    sheet = book["Рекомендації"]
    all_rows = list(sheet.iter_rows(values_only=True))
    assert set(HEADERS) <= set(all_rows[0])
    assert "Вихідний номер" in all_rows[0] and "Дата відповіді" in all_rows[0]
    assert len(all_rows) == 1
    assert "Значення" in book.sheetnames
