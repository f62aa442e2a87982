"""Bad input, the command line and the page: clear errors or a correct import, never half."""

import io
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from app.domain.recommendations.models import Recommendation
from tests.imports.support import FACILITY, HEADERS, rows, upload, xlsx


def _count(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Recommendation))


def _messages(response):
    return " ".join(e["message"] for e in response.json["errors"])


@pytest.fixture
def api(db, registry, users, api_for):
    return api_for(users["lawyer"])


def test_empty_file_and_empty_sheet(api, db):
    response = upload(api, b"", filename="a.xlsx")
    assert response.status_code == 422 and response.json["errors"][0]["row"] == 0
    response = upload(api, b"", filename="a.csv")
    assert response.status_code == 422 and response.json["rows"] == 0
    response = upload(api, xlsx([], headers=[]))
    assert response.status_code == 422
    response = upload(api, xlsx([]))
    assert response.status_code == 422 and response.json["errors"][0]["row"] == 0


def test_old_xls_renamed_and_garbage(api, db):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    response = upload(api, ole, filename="old.xlsx")
    assert response.status_code == 422
    assert ".xls" in _messages(response)
    response = upload(api, b"PK\x03\x04 not really a zip", filename="x.xlsx")
    assert response.status_code == 422 and response.json["errors"][0]["column"] == ""
    response = upload(api, b"%PDF-1.7 binary", filename="x.pdf")
    assert response.status_code == 422


def test_zip_bomb_is_refused_before_reading(api, app, db):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (24 * 1024 * 1024))
    assert len(out.getvalue()) < 100 * 1024
    limit = app.config["IMPORT_MAX_UNCOMPRESSED"]
    app.config["IMPORT_MAX_UNCOMPRESSED"] = 16 * 1024 * 1024
    try:
        response = upload(api, out.getvalue())
    finally:
        app.config["IMPORT_MAX_UNCOMPRESSED"] = limit
    assert response.status_code == 422
    assert "16" in _messages(response) and "24" in _messages(response)


def test_hidden_sheet_is_skipped_and_named(api, db, client_for, users):
    content = xlsx(rows(2), title="Аркуш2", before="Старе")
    assert upload(api, content, dry_run=True).json["created"] == 2
    client = client_for(users["lawyer"])
    page = client.post(
        "/imports",
        data={"file": (io.BytesIO(content), "a.xlsx")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 200
    assert "«Аркуш2»" in page.get_data(as_text=True) or "“Аркуш2”" in page.get_data(as_text=True)


def test_formulas_merged_cells_text_and_number_dates(api, db):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(["F-1", FACILITY, "10.03.2023", None, '=CONCAT("a","b")', "health", None, None])
    sheet.append(["F-2", FACILITY, 44995, None, "Текст", "health", None, None])
    sheet.append(["F-3", FACILITY, "2023-13-45", None, "Текст", "health", None, None])
    sheet.append(["F-4", None, "10.03.2023", None, "Текст", "health", None, None])
    sheet.merge_cells("B4:B5")
    out = io.BytesIO()
    book.save(out)
    response = upload(api, out.getvalue())
    assert response.status_code == 422
    errors = {(e["row"], e["column"]): e["message"] for e in response.json["errors"]}
    assert set(errors) == {(2, "Текст"), (4, "Дата візиту"), (5, "Установа")}
    assert "Формула" in errors[(2, "Текст")]
    assert "2023-13-45" in errors[(4, "Дата візиту")]
    assert _count(db) == 0


def test_huge_cells_and_nul_bytes(api, db):
    data = rows(2)
    data[0][4] = "дуже довгий текст " * 2000
    data[1][1] = "Установа " * 100
    response = upload(api, xlsx(data))
    assert response.status_code == 422
    assert {(e["row"], e["column"]) for e in response.json["errors"]} == {
        (2, "Текст"),
        (3, "Установа"),
    }
    data = rows(2)
    data[1][4] = "текст\x00з нулем"
    response = upload(api, _csv(data), filename="nul.csv")
    assert response.status_code == 422 and "NUL" in _messages(response)
    response = upload(api, "Text;1\n2;3".encode("utf-16"), filename="a.csv")
    assert response.status_code == 422 and "NUL" in _messages(response)
    assert _count(db) == 0


def test_duplicate_identifiers_in_one_file(api, db):
    data = rows(2)
    data[1][0] = data[0][0]
    response = upload(api, xlsx(data))
    assert response.status_code == 422
    assert response.json["errors"][0]["row"] == 3
    assert "2" in response.json["errors"][0]["message"]


def test_missing_columns_are_named(api, db):
    response = upload(api, xlsx([["x"]], headers=["Ідентифікатор"]))
    assert {e["column"] for e in response.json["errors"]} == {
        "Установа",
        "Дата візиту",
        "Текст",
        "Тема",
    }


def test_too_many_rows_stops_clearly(api, app, db):
    app.config["IMPORT_MAX_ROWS"], limit = 5, app.config["IMPORT_MAX_ROWS"]
    try:
        response = upload(api, xlsx(rows(8)))
    finally:
        app.config["IMPORT_MAX_ROWS"] = limit
    assert response.status_code == 422
    assert "5" in _messages(response) and _count(db) == 0


def _csv(data, delimiter=";"):
    lines = [delimiter.join(HEADERS)]
    for row in data:
        lines.append(delimiter.join('"' + str(v).replace('"', '""') + '"' for v in row))
    return ("\n".join(lines)).encode("utf-8")


def test_cli_exit_codes(app, db, registry, users, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(rows(2)))
    bad = tmp_path / "bad.csv"
    data = rows(2)
    data[1][5] = "невідома тема"
    bad.write_bytes(_csv(data))
    runner = app.test_cli_runner()
    db.session.commit()
    result = runner.invoke(args=["import", "recommendations", str(bad)])
    assert result.exit_code == 1
    assert "row 3" in result.output and "невідома тема" in result.output
    result = runner.invoke(args=["import", "recommendations", str(good), "--dry-run"])
    assert result.exit_code == 0 and "would create: 2" in result.output
    db.session.rollback()
    assert _count(db) == 0
    result = runner.invoke(
        args=["import", "recommendations", str(good), "--user", users["lawyer"].email]
    )
    assert result.exit_code == 0, result.output
    assert "created: 2" in result.output
    db.session.rollback()
    assert _count(db) == 2
    result = runner.invoke(args=["import", "recommendations", str(good)])
    assert result.exit_code == 0 and "updated: 2" in result.output


def test_page_upload_preview_confirm(db, registry, users, client_for):
    client = client_for(users["lawyer"])
    assert client.get("/imports").status_code == 200
    assert client_for(users["monitor"]).get("/imports").status_code == 403
    content = xlsx(rows(3))
    page = client.post(
        "/imports",
        data={"file": (io.BytesIO(content), "a.xlsx")},
        content_type="multipart/form-data",
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="import-preview"' in html and "Рекомендація номер 3" in html
    assert "<code>facility</code>" in html
    assert f'<small class="text-muted read-as">→ №{registry["facility"].id}</small>' in html
    assert _count(db) == 0
    token = html.split('name="token" type="hidden" value="')[1].split('"')[0]
    other = client_for(users["admin"]).post("/imports/confirm", data={"token": token})
    assert other.status_code == 302 and _count(db) == 0  # not the uploader's token
    done = client.post("/imports/confirm", data={"token": token})
    assert done.status_code == 302
    db.session.rollback()
    assert _count(db) == 3
    again = client.post("/imports/confirm", data={"token": token})
    assert again.status_code == 302
    db.session.rollback()
    assert _count(db) == 3


def test_page_shows_errors_per_row(db, registry, users, client_for):
    data = rows(2)
    data[0][6] = "надзвичайний"
    page = client_for(users["lawyer"]).post(
        "/imports",
        data={"file": (io.BytesIO(xlsx(data)), "a.xlsx")},
        content_type="multipart/form-data",
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="import-errors"' in html and "надзвичайний" in html
    assert "imports/confirm" not in html


def test_fifty_thousand_rows_and_an_error_in_the_last(app, db, registry, tmp_path):
    lines = [";".join(HEADERS)]
    line = f'R-{{}};"{FACILITY}";10.03.2023;;Забезпечити доступ до води {{}};health;high;issued'
    lines += [line.format(i, i) for i in range(50_000)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    runner = app.test_cli_runner()
    db.session.commit()
    result = runner.invoke(args=["import", "recommendations", str(path), "--dry-run"])
    assert result.exit_code == 0
    assert "rows: 50000, would create: 50000, updated: 0, errors: 0" in result.output
    lines[-1] = lines[-1].replace("health", "здоров'я")
    path.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(args=["import", "recommendations", str(path)])
    assert result.exit_code == 1
    assert "row 50001, Тема:" in result.output and "nothing saved" in result.output
    db.session.rollback()
    assert _count(db) == 0


def test_formulas_give_their_saved_values_never_run(api, db):
    """A spreadsheet program saves each formula's result beside it: that value is imported."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Рекомендації"
    sheet.append(HEADERS)
    sheet.append(
        [
            "F-1",
            FACILITY,
            "10.03.2023",
            None,
            "=UPPER(A2)",
            "health",
            None,
            None,
        ]
    )
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    saved = io.BytesIO()
    with zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                formula = '<c r="E2"><f>UPPER(A2)</f><v></v></c>'
                assert formula.encode() in data
                cached = (
                    '<c r="E2" t="str"><f>CONCAT("Забезпечити ","воду")</f><v>Збережене</v></c>'
                )
                data = data.replace(formula.encode(), cached.encode())
            target.writestr(info, data)
    response = upload(api, saved.getvalue())
    assert response.status_code == 201, response.json
    assert db.session.scalar(sa.select(Recommendation.text)) == "Збережене"
