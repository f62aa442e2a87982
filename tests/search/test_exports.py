"""CSV and XLSX files of lists and of the dashboard's tables, read back."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from app.core.exports import BadFormat, Column, export_response, requested_format

#: Headers whose Ukrainian the catalog already has (the files are always in Ukrainian).
HEADERS = ["№", "Рекомендація", "Тема", "Пріоритет", "Стан", "Строк", "Установа"]


def read_csv(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def test_search_as_csv(cases, client_for, users):
    response = client_for(users["monitor"]).get("/search?q=катуванню&sort=oldest&format=csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert ".csv" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][: len(HEADERS)] == HEADERS
    assert [r[0] for r in rows[1:]] == [str(cases[k].id) for k in ("b", "f", "g")]
    g = dict(zip(rows[0], rows[3], strict=True))
    assert g["Рекомендація"].startswith("Документувати тілесні ушкодження")
    assert (g["Тема"], g["Стан"], g["Строк"]) == ("Поводження", "Надіслано", "2025-07-01")
    assert (g["Регіон"], g["Адресат"]) == ("Львівська область", "ГУНП у Львівській області")
    assert g["Установа"] == "ІТТ ГУНП у Львівській області"


def test_search_as_xlsx_whatever_the_page_language(cases, client_for, users):
    client = client_for(users["lawyer"])
    response = client.get("/search?region=UA-30&sort=oldest&format=xlsx&lang=en")
    sheet, rows = read_xlsx(response)
    assert rows[0][: len(HEADERS)] == HEADERS
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.title == "Рекомендації"
    assert [r[0] for r in rows[1:]] == [cases[k].id for k in ("i", "j", "k")]
    i = dict(zip(rows[0], rows[1], strict=True))
    assert i["Строк"].date() == date(2025, 12, 25)  # a real date cell
    assert i["Стан"] == "Відхилено"


def test_formulas_stay_text(db, make_rec, client_for, users):
    rec = make_rec('=HYPERLINK("http://x","click") забезпечити воду')
    client = client_for(users["lawyer"])
    rows = read_csv(client.get("/search?format=csv"))
    assert rows[1][1].startswith("'=HYPERLINK")
    sheet, _rows = read_xlsx(client.get("/search?format=xlsx"))
    cell = sheet["B2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
    assert sheet["A2"].value == rec.id


def test_search_export_takes_the_whole_list(db, make_rec, client_for, users):
    for n in range(45):
        make_rec(f"Рекомендація номер {n} щодо води")
    rows = read_csv(client_for(users["lawyer"]).get("/search?q=води&per_page=10&format=csv"))
    assert len(rows) == 46


def test_dashboard_tables_as_files(cases, world, client_for, users):
    client = client_for(users["monitor"])
    rows = read_csv(client.get("/dashboard/authority.csv"))
    assert rows[0][:2] == ["Код", "Назва"]
    by_key = {r[0]: r for r in rows[1:]}
    agency = by_key[str(world["agency"].id)]
    assert agency[1] == "Державна кримінально-виконавча служба України"
    assert agency[2:9] == ["4", "2", "0", "1", "2", "3", "1"]
    assert agency[9] == "50.0"
    sheet, rows = read_xlsx(client.get("/dashboard/timeliness.xlsx?from=2026-01-01&to=2026-12-31"))
    assert rows[1][:4] == [5, 3, 4, 2] and rows[1][5] == 31
    regions = read_csv(client.get("/dashboard/region.csv?from=2025-01-01&to=2025-12-31"))
    assert {r[0]: r[2] for r in regions[1:]} == {"UA-46": "2", "UA-30": "3"}
    assert client.get("/dashboard/colour.csv").status_code == 404


def test_api_lists_as_files(cases, world, api_for, users):
    api = api_for(users["monitor"])
    rows = read_csv(api.get("/search?q=катування&overdue=true&format=csv"))
    assert [r[0] for r in rows[1:]] == [str(cases["g"].id)]
    _sheet, rows = read_xlsx(api.get("/stats/recommendations?group_by=region&format=xlsx"))
    assert {r[0]: r[2] for r in rows[1:]} == {"UA-32": 5, "UA-46": 2, "UA-30": 3}


def test_export_response_with_rows_columns_and_paths(app, db):
    class Thing:
        def __init__(self, name, when, inner=None):
            self.name, self.when, self.inner = name, when, inner

    columns = [
        Column("Назва", "name"),
        Column("Дата", "when"),
        Column("Вкладене", "inner.name"),
        Column("Довжина", lambda t: len(t.name)),
    ]
    things = [Thing("@cmd", date(2026, 1, 2), Thing("всередині", None)), Thing("просто", None)]
    with app.test_request_context():
        rows = read_csv(export_response(things, columns, "things", "csv"))
        assert rows == [
            ["Назва", "Дата", "Вкладене", "Довжина"],
            ["'@cmd", "2026-01-02", "всередині", "4"],
            ["просто", "", "", "6"],
        ]
        _sheet, rows = read_xlsx(export_response(iter(things), columns, "things", "xlsx", "A/B"))
        assert rows[1][0] == "@cmd" and rows[1][1].date() == date(2026, 1, 2)
        with pytest.raises(BadFormat):
            export_response(things, columns, "things", "pdf")


def test_requested_format():
    assert requested_format({}) is None
    assert requested_format({"format": "xlsx"}) == "xlsx"
    with pytest.raises(BadFormat):
        requested_format({"format": "json"})


def test_column_sets_of_the_other_lists(app, world):
    from types import SimpleNamespace

    from app.domain.acts.exports import ACT_COLUMNS
    from app.domain.search import exports
    from app.domain.visits.exports import VISIT_COLUMNS

    act = SimpleNamespace(
        id=7,
        kind="submission",
        state="draft",
        authority=world["agency"],
        outgoing_number=None,
        sent_on=None,
        received_on=None,
        due_on=date(2026, 5, 1),
        heading="Про вжиття заходів",
        executor=SimpleNamespace(name="Юрист"),
    )
    cases = [
        (exports.AUTHORITY_COLUMNS, [world["agency"]], "Міністерство юстиції України"),
        (exports.FACILITY_COLUMNS, [world["itt"]], "Львівська область"),
        (VISIT_COLUMNS, [world["itt_visit"]], "Повторний"),
        (ACT_COLUMNS, [act], "Державна кримінально-виконавча служба України"),
    ]
    with app.test_request_context():
        for columns, rows, expected in cases:
            got = read_csv(export_response(rows, columns, "list", "csv"))
            assert len(got) == 2 and len(got[1]) == len(columns)
            assert expected in got[1], (got, expected)
