"""CSV and XLSX files of any list: rows are read from the database in batches and written to a
temporary file as they come (never all in memory), which is then sent.

A list is exported with ``export_response(stmt_or_rows, columns, filename, fmt)``: ``columns``
are ``Column(header, value)``, where ``value`` is an attribute or key name (dotted for related
rows: ``"facility.name"``) or a function of the row. Headers and labels are rendered in
Ukrainian whatever the page's language (INTERFACE.md: "Ukrainian headers").

CSV: UTF-8 with a byte-order mark (so spreadsheet programs read Cyrillic), comma-separated, or
semicolon-separated with ``sep=;`` (what Excel in a Ukrainian locale opens as columns: its
decimal separator is the comma), dates as YYYY-MM-DD; a text cell starting with = + - @ gets a
leading apostrophe, so no program runs it as a formula. XLSX: one sheet, bold frozen header, real dates and numbers; text is
always text (never a formula).

With ``anonymise`` (by default the request's ``anonymise=true``), every text cell passes
through ``app.core.personal_data.Anonymiser``, one per file: the same person is «особа N»
throughout the file.
"""

import csv
import io
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import Response
from flask_babel import force_locale

from app.core.clock import to_kyiv
from app.extensions import db

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Rows fetched from the database at a time.
BATCH = 1000
#: Cells starting with these are formulas to spreadsheet programs (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: CSV field separators a request may ask for with ``sep``.
SEPARATORS = (",", ";")


@dataclass(frozen=True)
class Column:
    """A column of a file: its header and how to get its value from a row."""

    header: object
    value: object
    #: Width in the XLSX sheet, in characters.
    width: int = 14

    def get(self, row):
        if callable(self.value):
            return self.value(row)
        for part in self.value.split("."):
            if row is None:
                return None
            row = row[part] if isinstance(row, Mapping) else getattr(row, part)
        return row


def coded(labels, path):
    """A column value: the label of the code at ``path`` (dotted) in ``labels`` (code → label);
    an unknown code as it is, none as an empty cell."""

    def get(row):
        value = row
        for part in path.split("."):
            value = getattr(value, part) if value is not None else None
        return str(labels.get(value, value)) if value else ""

    return get


class BadFormat(ValueError):
    """The requested file format is not one of FORMATS."""


def requested_format(args, name="format"):
    """None (no file wanted), "csv" or "xlsx" from query-string ``args``; BadFormat otherwise."""
    value = args.get(name) or None
    if value is not None and value not in FORMATS:
        raise BadFormat(value)
    return value


def requested_separator(args, name="sep"):
    """The CSV separator from query-string ``args`` (a comma unless ``;`` is asked for)."""
    value = args.get(name) or ","
    if value not in SEPARATORS:
        raise BadFormat(value)
    return value


def rows(source, prepare=None):
    """The rows of a SELECT (streamed, BATCH at a time; ORM entities when it selects one) or
    of any iterable. ``prepare()`` runs first, in the same transaction (settings for the plan)."""
    if not isinstance(source, sa.Select):
        yield from source
        return
    if prepare is not None:
        prepare()
    result = db.session.execute(source.execution_options(yield_per=BATCH))
    described = source.column_descriptions
    entity = len(described) == 1 and isinstance(described[0].get("expr"), type)
    try:
        yield from (result.scalars() if entity else result)
    finally:
        result.close()


def export_response(
    source,
    columns,
    filename,
    fmt,
    title=None,
    locale="uk",
    prepare=None,
    anonymise=None,
    separator=",",
):
    """The download of ``source`` (a SELECT or rows) as ``fmt`` ("csv" or "xlsx");
    ``prepare()``, when given, runs just before the SELECT (which a CSV runs while streaming).
    ``anonymise``: replace personal data in text cells (None: as the request's ``anonymise``).
    ``separator``: of the CSV's fields (one of SEPARATORS)."""
    if fmt not in FORMATS:
        raise BadFormat(fmt)
    if anonymise is None:
        anonymise = wants_anonymised()
    if anonymise:
        columns = _anonymised(columns)
    with force_locale(locale):
        headers = [str(c.header) for c in columns]
        title = str(title or filename)
    if fmt == "csv":
        out = _csv_file(source, columns, headers, locale, prepare, separator)
    else:
        out = _xlsx_file(source, columns, headers, title, locale, prepare)
    size = out.seek(0, 2)
    out.seek(0)
    response = Response(_chunks(out), mimetype=FORMATS[fmt])
    response.headers["Content-Length"] = str(size)
    response.headers.set("Content-Disposition", "attachment", filename=f"{filename}.{fmt}")
    return response


def wants_anonymised(args=None) -> bool:
    """Whether the request asks for personal data to be replaced (``anonymise=true``)."""
    from flask import has_request_context, request

    if args is None:
        if not has_request_context():
            return False
        args = request.args
    return (args.get("anonymise") or "").lower() in ("true", "1", "on", "yes")


def _anonymised(columns):
    from app.core.personal_data import Anonymiser

    anonymise = Anonymiser()
    return [Column(c.header, lambda row, c=c: anonymise(c.get(row)), c.width) for c in columns]


def _chunks(out, size=256 * 1024):
    """The file's bytes, piece by piece; the file is closed (and so deleted) at the end."""
    try:
        while chunk := out.read(size):
            yield chunk
    finally:
        out.close()


def _csv_file(source, columns, headers, locale, prepare, separator=","):
    if separator not in SEPARATORS:
        raise BadFormat(separator)
    out = tempfile.TemporaryFile()
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=separator)
    writer.writerow(headers)
    with force_locale(locale):
        for row in rows(source, prepare):
            writer.writerow([_csv_value(c.get(row)) for c in columns])
    text.flush()
    text.detach()
    out.seek(0)
    return out


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return to_kyiv(value).strftime("%Y-%m-%d %H:%M") if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _xlsx_file(source, columns, headers, title, locale, prepare):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    with force_locale(locale):
        for row in rows(source, prepare):
            sheet.append([_xlsx_value(sheet, c.get(row), WriteOnlyCell) for c in columns])
    out = tempfile.TemporaryFile()
    book.save(out)
    out.seek(0)
    return out


def _xlsx_value(sheet, value, cell_class):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, datetime):
        cell = cell_class(
            sheet, value=to_kyiv(value).replace(tzinfo=None) if value.tzinfo else value
        )
        cell.number_format = "DD.MM.YYYY HH:MM"
        return cell
    if isinstance(value, date):
        cell = cell_class(sheet, value=value)
        cell.number_format = "DD.MM.YYYY"
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.startswith("="):
        cell = cell_class(sheet, value=text)
        cell.data_type = "s"  # text, not a formula
        return cell
    return text


def _sheet_title(title):
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip()
    return (cleaned or "Sheet")[:31]
