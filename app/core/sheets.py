"""Reading spreadsheets people upload (XLSX, CSV) as a stream of rows, defensively.

``open_sheet(path, filename)`` returns a ``Sheet`` whose ``rows()`` yields ``(number, values)``
one row at a time (memory stays flat whatever the size), or raises ``SheetError`` with a message
a person can act on. XLSX: the archive is checked before openpyxl reads it (entries, declared
uncompressed size: no zip bomb), opened read-only with the values cached by the program that
saved it (formulas are never evaluated), the sheet named ``preferred`` or else the first visible
one. CSV: UTF-8 with or without BOM, or Windows-1251; ``,`` ``;`` or tab, detected from the
header line.
"""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

#: Limits; the caller may pass others (the application's configuration).
MAX_ENTRIES = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


class SheetError(ValueError):
    """The file cannot be read as a spreadsheet; ``message`` says why (translatable)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Sheet:
    """An open spreadsheet: its kind, the sheet read (XLSX) and how (CSV encoding/delimiter)."""

    kind: str
    rows_iter: object
    name: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    closer: object = None

    def rows(self) -> Iterator[tuple[int, list]]:
        """``(row number as the program shows it, cell values)``, blank rows skipped."""
        for number, values in self.rows_iter:
            if any(v not in (None, "") for v in values):
                yield number, list(values)

    def close(self):
        if self.closer is not None:
            self.closer()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_sheet(path, filename, preferred=None, limits=None) -> Sheet:
    """Open ``path`` (uploaded as ``filename``) as an XLSX or CSV sheet."""
    limits = limits or {}
    with open(path, "rb") as fh:
        head = fh.read(8)
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not head:
        raise SheetError(_l("The file is empty."))
    if head.startswith(OLE2):
        raise SheetError(
            _l("This is an old Excel file (.xls) or another binary format: save it as .xlsx.")
        )
    if head.startswith(ZIP):
        return _xlsx(path, preferred, limits)
    if suffix in ("xlsx", "xlsm"):
        raise SheetError(_l("The file is not an XLSX workbook (it is damaged or of another kind)."))
    if suffix not in ("csv", "txt", ""):
        raise SheetError(_l("Only .xlsx and .csv files can be imported."))
    return _csv(path)


def _xlsx(path, preferred, limits) -> Sheet:
    _check_archive(path, limits)
    from openpyxl import load_workbook

    fh = open(path, "rb")  # noqa: SIM115 (closed by Sheet.close); a path's suffix would be checked
    try:
        book = load_workbook(fh, read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many kinds on damaged files
        fh.close()
        raise SheetError(_l("The XLSX file could not be read: it is damaged.")) from None

    def close():
        book.close()
        fh.close()

    sheets = list(book.worksheets)
    chosen = next((s for s in sheets if preferred and s.title == preferred), None)
    if chosen is None:
        chosen = next(
            (s for s in sheets if getattr(s, "sheet_state", "visible") == "visible"), None
        )
    if chosen is None:
        close()
        raise SheetError(_l("The workbook has no visible sheet."))
    if not hasattr(chosen, "iter_rows"):
        close()
        raise SheetError(_l("The sheet “%(name)s” is a chart, not a table.", name=chosen.title))
    rows = _xlsx_rows(chosen)
    return Sheet("xlsx", rows, name=chosen.title, closer=close)


def _xlsx_rows(sheet):
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_xlsx_value(v) for v in row]
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
        raise SheetError(_l("The XLSX file could not be read: it is damaged.")) from exc


def _xlsx_value(value):
    if isinstance(value, datetime):
        return value.date() if (value.hour, value.minute, value.second) == (0, 0, 0) else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _check_archive(path, limits):
    max_entries = limits.get("entries", MAX_ENTRIES)
    max_size = limits.get("uncompressed", MAX_UNCOMPRESSED)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise SheetError(
            _l("The file is not an XLSX workbook (it is damaged or of another kind).")
        ) from None
    if len(infos) > max_entries:
        raise SheetError(_l("The workbook has too many parts (%(n)s): not imported.", n=len(infos)))
    total = sum(i.file_size for i in infos)
    if total > max_size:
        raise SheetError(
            _l(
                "The workbook unpacks to %(mb)s MB, more than the %(limit)s MB allowed.",
                mb=total // (1024 * 1024),
                limit=max_size // (1024 * 1024),
            )
        )
    if not any(i.filename == "xl/workbook.xml" for i in infos):
        raise SheetError(_l("The file is not an XLSX workbook (it is damaged or of another kind)."))


def _csv(path) -> Sheet:
    encoding = _encoding(path)
    fh = open(path, encoding=encoding, newline="")  # noqa: SIM115 (closed by Sheet.close)
    first = fh.readline()
    fh.seek(0)
    if encoding == "utf-8-sig" or first.startswith("\ufeff"):
        first = first.lstrip("\ufeff")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    reader = csv.reader(fh, delimiter=delimiter)

    def rows():
        try:
            for number, values in enumerate(reader, start=1):
                if number == 1 and values:
                    values[0] = values[0].lstrip("\ufeff")
                yield number, values
        except csv.Error as exc:
            raise SheetError(
                _l("The CSV file could not be read: %(error)s", error=str(exc))
            ) from None

    return Sheet("csv", rows(), encoding=encoding, delimiter=delimiter, closer=fh.close)


def _encoding(path) -> str:
    """UTF-8 (with its BOM: utf-8-sig) when the whole file decodes as UTF-8, else Windows-1251.
    NUL bytes mean a binary or UTF-16 file: refused."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, bom = True, False
    with open(path, "rb") as fh:
        first = True
        while chunk := fh.read(1024 * 1024):
            if b"\x00" in chunk:
                raise SheetError(
                    _l(
                        "The file contains NUL bytes: it is not a text CSV file "
                        "(save it as “CSV UTF-8” or as .xlsx)."
                    )
                )
            if first:
                bom, first = chunk.startswith(codecs.BOM_UTF8), False
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if utf8:
        return "utf-8-sig" if bom else "utf-8"
    return "cp1251"


def parse_date(value):
    """A date from a cell: a date, an Excel serial number, YYYY-MM-DD or DD.MM.YYYY; None when
    the value is none of these."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # 1900-01-01 .. 9999-12-31 in Excel's count
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date() if hasattr(from_excel(value), "date") else None
        return None
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d %H:%M:%S"):
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return parsed if parsed.year >= 1900 else None
    return None


def csv_bytes(rows, delimiter=",") -> bytes:
    """Rows as CSV text in UTF-8 with a BOM (what spreadsheet programs read as Unicode)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
