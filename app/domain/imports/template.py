"""The empty sheet to fill in: the columns, a sample row, and a sheet of allowed values."""

import io

from flask_babel import force_locale

from app.core.sheets import csv_bytes
from app.domain import codes
from app.domain.imports.columns import COLUMNS, SHEET_NAME

SAMPLE = {
    "external_id": "2023-045",
    "facility": "ДУ «Бучанська виправна колонія (№ 85)»",
    "visit_started_on": "10.03.2023",
    "visit_kind": "Плановий",
    "authority": "",
    "text": "Забезпечити доступ до питної води у всіх секторах",
    "theme": "Матеріально-побутові умови",
    "priority": "Високий",
    "state": "Надіслано",
    "outgoing_number": "1234/2023",
    "sent_on": "20.03.2023",
    "answered_on": "18.04.2023",
}


def template_xlsx(engine) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    sheet.append([c.header for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for i, column in enumerate(COLUMNS):
        sheet.column_dimensions[cell_letter(i)].width = 60 if column.key == "text" else 20
    values = book.create_sheet("Значення")
    values.append(["Стовпець", "Обов'язковий", "Що означає", "Значення (код або назва)"])
    for cell in values[1]:
        cell.font = Font(bold=True)
    with force_locale("uk"):
        for column in COLUMNS:
            allowed = _allowed(column.key, engine)
            values.append(
                [column.header, "так" if column.required else "ні", str(column.meaning), allowed]
            )
    values.column_dimensions["C"].width = 60
    values.column_dimensions["D"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    return csv_bytes([[c.header for c in COLUMNS], [SAMPLE[c.key] for c in COLUMNS]], ";")


def _allowed(key, engine):
    tables = {"theme": codes.THEMES, "priority": codes.PRIORITIES, "visit_kind": codes.VISIT_KINDS}
    if key in tables:
        return "; ".join(f"{code} — {label}" for code, label in tables[key].items())
    if key == "state":
        states = engine.current("recommendation").states
        return "; ".join(f"{code} — {s.label.uk}" for code, s in states.items())
    if key in ("visit_started_on", "sent_on", "answered_on"):
        return "РРРР-ММ-ДД або ДД.ММ.РРРР"
    return ""


def cell_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
