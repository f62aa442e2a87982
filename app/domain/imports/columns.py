"""The columns of the recommendations sheet: headers, codes, and how each cell is read."""

import re
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.core.sheets import parse_date
from app.domain import codes

#: The name of the sheet in the template (a workbook's sheet of that name is read first).
SHEET_NAME = "Рекомендації"
#: Longest text accepted in a cell (Excel's own limit is 32,767).
MAX_TEXT = 20000
MAX_SHORT = 300


@dataclass(frozen=True)
class ImportColumn:
    """A column: its key (also accepted as the header), its Ukrainian header, whether it must be
    there, and what it means (shown in the template and the preview)."""

    key: str
    header: str
    required: bool
    meaning: object


COLUMNS = (
    ImportColumn(
        "external_id",
        "Ідентифікатор",
        False,
        _l("your identifier of the recommendation; importing it again updates it"),
    ),
    ImportColumn("facility", "Установа", True, _l("facility: its name or number")),
    ImportColumn(
        "visit_started_on",
        "Дата візиту",
        True,
        _l("first day of the visit; the visit is created when missing"),
    ),
    ImportColumn("visit_kind", "Вид візиту", False, _l("kind of visit (planned by default)")),
    ImportColumn(
        "authority",
        "Орган",
        False,
        _l("addressee: name or number (by default the facility's authority)"),
    ),
    ImportColumn("text", "Текст", True, _l("text of the recommendation")),
    ImportColumn("theme", "Тема", True, _l("theme: code or label")),
    ImportColumn("priority", "Пріоритет", False, _l("priority: code or label (medium by default)")),
    ImportColumn("state", "Стан", False, _l("state: code or label (draft by default)")),
    ImportColumn(
        "outgoing_number",
        "Вихідний номер",
        False,
        _l("outgoing number of the act of the past that carried it"),
    ),
    ImportColumn("sent_on", "Дата надсилання", False, _l("date that act was sent")),
    ImportColumn("answered_on", "Дата відповіді", False, _l("date the authority answered")),
)
BY_KEY = {c.key: c for c in COLUMNS}
DATE_KEYS = ("visit_started_on", "sent_on", "answered_on")

_QUOTES = re.compile(r"[«»\"„“”‘’'ʼ`´]")
_SPACES = re.compile(r"\s+")


def normalise(text) -> str:
    """Names compared as people mean them: case, quotes, apostrophes and spaces ignored."""
    text = _QUOTES.sub("", str(text)).replace("\u00a0", " ")
    return _SPACES.sub(" ", text).strip().casefold()


def header_key(header) -> str | None:
    """The column a header names (its Ukrainian header or its code), or None."""
    wanted = normalise(str(header).replace("*", ""))
    for column in COLUMNS:
        if wanted in (normalise(column.header), column.key):
            return column.key
    return None


def coded_lookup(table: dict) -> dict:
    """code, Ukrainian label and English label (normalised) → code."""
    lookup = {}
    for code, label in table.items():
        lookup[normalise(code)] = code
        for locale in ("uk", "en"):
            with force_locale(locale):
                lookup[normalise(str(label))] = code
    return lookup


def state_lookup(engine) -> dict:
    definition = engine.current("recommendation")
    lookup = {}
    for code, state in definition.states.items():
        lookup[normalise(code)] = code
        lookup[normalise(state.label.uk)] = code
        lookup[normalise(state.label.en)] = code
    return lookup


class Lookups:
    """Everything a row is checked against, loaded once per import."""

    def __init__(self, facilities, authorities, engine):
        self.facilities = _by_name(facilities)
        self.facility_ids = {f.id: f.authority_id for f in facilities}
        self.authorities = _by_name(authorities)
        self.authority_ids = {a.id for a in authorities}
        self.themes = coded_lookup(codes.THEMES)
        self.priorities = coded_lookup(codes.PRIORITIES)
        self.visit_kinds = coded_lookup(codes.VISIT_KINDS)
        self.states = state_lookup(engine)


def _by_name(rows):
    names = {}
    for row in rows:
        names.setdefault(normalise(row.name), []).append(row.id)
    return names


def text_of(value) -> str:
    """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def read_date(value):
    return parse_date(value)
