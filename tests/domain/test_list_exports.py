"""Every list page exports what it shows: ``format=xlsx`` or ``format=csv`` (``sep=;`` for
Excel in Ukrainian) with the page's filters, read back with openpyxl and the csv module."""

import csv
import io
from datetime import date

from openpyxl import load_workbook

from app.core.clock import today as kyiv_today
from app.domain.facilities.models import Facility
from app.domain.recommendations.operations import fire
from app.domain.visits.models import Visit


def read_csv(response, sep=";"):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert (
        response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    )
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")  # the BOM: Excel reads the Cyrillic as UTF-8
    return list(csv.reader(io.StringIO(text[1:]), delimiter=sep))


def read_xlsx(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def as_dicts(rows):
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_recommendations_with_acts_dates_position_and_assessment(
    db, users, sent_act, answer_act, client_for
):
    answer_act(sent_act, position="implemented")
    water, shelter, lawyer_access = sent_act.recommendations
    fire(water, "assess_implemented", users["lawyer"])
    db.session.commit()
    client = client_for(users["lawyer"])
    page = client.get("/recommendations/?theme=conditions").get_data(as_text=True)
    assert "format=xlsx" in page and "theme=conditions" in page and "sep=%3B" in page
    sheet, rows = read_xlsx(client.get("/recommendations/?theme=conditions&format=xlsx"))
    (row,) = as_dicts(rows)
    assert row["№"] == water.id
    assert row["Акти (вихідні номери)"] == sent_act.outgoing_number
    assert row["Дата надсилання"].date() == sent_act.sent_on
    assert row["Позиція органу"] == "Виконано"
    assert row["Оцінка"] == "Виконано" and row["Стан"] == "Виконано"
    assert row["Відповідь отримано"].date() == kyiv_today()
    rows = as_dicts(read_csv(client.get("/recommendations/?format=csv&sep=;")))
    assert {int(r["№"]) for r in rows} == {r.id for r in sent_act.recommendations}
    unassessed = next(r for r in rows if int(r["№"]) == shelter.id)
    assert unassessed["Позиція органу"] == "Виконано" and unassessed["Оцінка"] == ""
    assert unassessed["Дата надсилання"] == sent_act.sent_on.isoformat()


def test_recommendations_file_follows_the_search_and_guards_formulas(
    db, users, make_rec, client_for
):
    make_rec('=HYPERLINK("http://example.org";"укриття")')
    make_rec("Забезпечити доступ до води")
    client = client_for(users["lawyer"])
    (row,) = as_dicts(read_csv(client.get("/recommendations/?q=укриттям&format=csv&sep=;")))
    assert row["Рекомендація"].startswith("'=HYPERLINK")
    sheet, rows = read_xlsx(client.get("/recommendations/?q=укриттям&format=xlsx"))
    assert len(rows) == 2 and sheet.cell(2, 2).data_type == "s"
    # The comma-separated file stays what it was (the API's default).
    assert len(read_csv(client.get("/recommendations/?format=csv"), sep=",")) == 3


def test_acts_and_terms(db, users, sent_act, make_rec, client_for):
    client = client_for(users["lawyer"])
    rows = as_dicts(read_csv(client.get("/acts/?state=sent&format=csv&sep=;")))
    assert [r["Вихідний номер"] for r in rows] == [sent_act.outgoing_number]
    assert rows[0]["Юрист"] == users["lawyer"].name
    assert read_csv(client.get("/acts/?state=draft&format=csv&sep=;"))[1:] == []
    sheet, rows = read_xlsx(client.get("/deadlines/?format=xlsx"))
    (row,) = as_dicts(rows)
    assert row["Вихідний номер"] == sent_act.outgoing_number
    assert row["Строк"].date() == sent_act.due_on
    assert row["Одержання органом"] == "припущено"
    other = sent_act.authority.parent.id
    assert read_csv(client.get(f"/deadlines/?authority_id={other}&format=csv&sep=;"))[1:] == []


def test_facilities_and_visits(db, users, registry, client_for):
    hospital = Facility(
        name="КНП «Психіатрична лікарня»",
        type="psychiatric_hospital",
        region="UA-46",
        authority=registry["ministry"],
    )
    db.session.add_all(
        [
            hospital,
            Visit(
                facility=hospital,
                started_on=date(2026, 4, 2),
                ended_on=date(2026, 4, 2),
                kind="ad_hoc",
                monitors=[users["monitor"]],
            ),
        ]
    )
    db.session.commit()
    client = client_for(users["lawyer"])
    sheet, rows = read_xlsx(client.get("/facilities/?type=psychiatric_hospital&format=xlsx"))
    assert [r["Назва"] for r in as_dicts(rows)] == [hospital.name]
    rows = as_dicts(read_csv(client.get("/facilities/?format=csv&sep=;")))
    assert {r["Назва"] for r in rows} == {hospital.name, registry["facility"].name}
    rows = as_dicts(read_csv(client.get("/visits/?kind=ad_hoc&format=csv&sep=;")))
    assert [(r["Установа"], r["Дата початку"]) for r in rows] == [(hospital.name, "2026-04-02")]
    sheet, rows = read_xlsx(client.get("/visits/?format=xlsx"))
    assert len(rows) == 3 and users["monitor"].name in rows[1][6]


def test_a_monitor_exports_only_what_they_read(db, users, issued, registry, client_for):
    from app.domain.recommendations.operations import create_recommendation

    hospital = Facility(name="Інша установа", type="other", region="UA-46")
    elsewhere = Visit(
        facility=hospital, started_on=date(2026, 5, 1), ended_on=date(2026, 5, 1), kind="planned"
    )
    db.session.add_all([hospital, elsewhere])
    db.session.flush()
    hidden = create_recommendation(
        elsewhere,
        {"text": "Чужа рекомендація", "theme": "health", "authority_id": registry["agency"].id},
        users["lawyer"],
    )
    db.session.commit()
    rows = as_dicts(
        read_csv(client_for(users["monitor"]).get("/recommendations/?format=csv&sep=;"))
    )
    assert hidden.id not in {int(r["№"]) for r in rows} and len(rows) == len(issued)
