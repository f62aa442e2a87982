"""Building spreadsheets for the import tests."""

import io

from openpyxl import Workbook

HEADERS = [
    "Ідентифікатор",
    "Установа",
    "Дата візиту",
    "Орган",
    "Текст",
    "Тема",
    "Пріоритет",
    "Стан",
]
FACILITY = "ДУ «Бучанська виправна колонія (№ 85)»"
AGENCY = "Державна кримінально-виконавча служба України"


def rows(n=3, start=1):
    return [
        [
            f"R-{i}",
            FACILITY,
            "2023-03-10",
            AGENCY,
            f"Рекомендація номер {i}",
            "health",
            "high",
            "issued",
        ]
        for i in range(start, start + n)
    ]


def xlsx(data, headers=HEADERS, title="Рекомендації", before=None):
    book = Workbook()
    sheet = book.active
    if before is not None:
        sheet.title = before
        sheet.sheet_state = "hidden"
        sheet.append(["прихований аркуш"])
        sheet = book.create_sheet(title)
    else:
        sheet.title = title
    sheet.append(headers)
    for row in data:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(api, content, filename="import.xlsx", dry_run=False):
    return api.post(
        "/imports",
        data={
            "file": (io.BytesIO(content), filename),
            "kind": "recommendations",
            "dry_run": "true" if dry_run else "false",
        },
        content_type="multipart/form-data",
    )
