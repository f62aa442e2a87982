"""Checking one row of the recommendations sheet: from cells to values, or errors."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.domain.imports.columns import (
    BY_KEY,
    DATE_KEYS,
    MAX_SHORT,
    MAX_TEXT,
    normalise,
    read_date,
    text_of,
)


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


def check_row(number, cells, lookups, errors) -> dict | None:
    """``cells``: key → raw value. Returns the row's values, or None after adding its errors."""
    before = len(errors)

    def fail(key, message):
        errors.append(RowError(number, BY_KEY[key].header, str(message)))

    for key, value in cells.items():
        if isinstance(value, str) and "\x00" in value:
            fail(key, _l("The cell contains a NUL character."))
        limit = MAX_TEXT if key == "text" else MAX_SHORT
        if isinstance(value, str) and len(value) > limit:
            fail(key, _l("Longer than %(n)s characters.", n=limit))
    if len(errors) > before:
        return None
    out = {
        "external_id": text_of(cells.get("external_id")) or None,
        "text": text_of(cells.get("text")),
        "outgoing_number": text_of(cells.get("outgoing_number")) or None,
    }
    if out["external_id"] and len(out["external_id"]) > 100:
        fail("external_id", _l("Longer than %(n)s characters.", n=100))
    if not out["text"]:
        fail("text", _empty())
    if out["outgoing_number"] and len(out["outgoing_number"]) > 60:
        fail("outgoing_number", _l("Longer than %(n)s characters.", n=60))
    facilities, facility_ids = lookups.facilities, lookups.facility_ids
    out["facility_id"] = _reference(
        cells.get("facility"), facilities, facility_ids, "facility", fail
    )
    out["authority_id"] = _authority(cells.get("authority"), out["facility_id"], lookups, fail)
    for key in DATE_KEYS:
        out[key] = _date(key, cells.get(key), fail)
    out["theme"] = _coded("theme", cells.get("theme"), lookups.themes, fail, required=True)
    out["priority"] = _coded("priority", cells.get("priority"), lookups.priorities, fail)
    out["priority"] = out["priority"] or "medium"
    out["state"] = _coded("state", cells.get("state"), lookups.states, fail) or "draft"
    out["visit_kind"] = _coded("visit_kind", cells.get("visit_kind"), lookups.visit_kinds, fail)
    out["visit_kind"] = out["visit_kind"] or "planned"
    if out["sent_on"] and out["answered_on"] and out["answered_on"] < out["sent_on"]:
        fail("answered_on", _l("The answer cannot be dated before the act was sent."))
    return None if len(errors) > before else out


def _empty():
    return _l(
        "Empty. (A formula whose result was never saved reads as empty: open the file in a "
        "spreadsheet program and save it again.)"
    )


def _reference(value, by_name, ids, key, fail):
    text = text_of(value)
    if not text:
        fail(key, _empty())
        return None
    if isinstance(value, int) or text.isdigit():
        if int(text) in ids:
            return int(text)
    found = by_name.get(normalise(text), [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        fail(key, _l("Several records are named “%(name)s”: give the number instead.", name=text))
    elif key == "facility":
        fail(key, _l("Unknown facility “%(name)s”: add it to the registry first.", name=text))
    else:
        fail(key, _l("Unknown authority “%(name)s”: add it to the registry first.", name=text))
    return None


def _authority(value, facility_id, lookups, fail):
    if text_of(value):
        return _reference(value, lookups.authorities, lookups.authority_ids, "authority", fail)
    if facility_id is None:
        return None
    authority_id = lookups.facility_ids.get(facility_id)
    if authority_id is None:
        fail("authority", _l("The facility has no supervising authority: fill in the column."))
    return authority_id


def _date(key, value, fail):
    if value in (None, ""):
        if BY_KEY[key].required:
            fail(key, _empty())
        return None
    parsed = read_date(value)
    if parsed is None:
        fail(key, _l("“%(value)s” is not a date (YYYY-MM-DD or DD.MM.YYYY).", value=value))
    return parsed


def _coded(key, value, lookup, fail, required=False):
    text = text_of(value)
    if not text:
        if required:
            fail(key, _empty())
        return None
    code = lookup.get(normalise(text))
    if code is None:
        fail(key, _l("“%(value)s” is not one of the values of this column.", value=text))
    return code
