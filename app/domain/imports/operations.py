"""Importing recommendations from a spreadsheet: whole or nothing, idempotent by identifier.

Pass one streams the sheet, checks every row against the registries and spills the checked
rows to a temporary file (memory stays flat); with any error, or in a dry run, it stops there.
Pass two writes them in batches: missing visits, new recommendations and their history
(``create`` then ``import``, with the file and row) in bulk, updates one by one through the
workflow engine. The caller commits once.
"""

import pickle
import tempfile
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core.audit import record_audit
from app.core.sheets import SheetError, open_sheet
from app.domain.authorities.models import Authority
from app.domain.facilities.models import Facility
from app.domain.imports.columns import BY_KEY, COLUMNS, SHEET_NAME, Lookups, header_key
from app.domain.imports.rows import RowError, check_row
from app.domain.recommendations.models import Recommendation
from app.domain.visits.models import Visit
from app.extensions import db
from app.workflow import get_engine

BATCH = 1000
_CONCURRENT = _l("Another import saved the same identifiers meanwhile: nothing saved, try again.")
#: Errors listed at most; the import fails with the first one anyway.
MAX_ERRORS = 500


@dataclass
class Report:
    """What an import did or would do (INTERFACE.md: rows, created, updated, errors)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)
    #: How the file was read: the sheet, the encoding, each header and the column it names.
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    headers: list = field(default_factory=list)
    #: The first rows as read (for the preview page).
    preview: list = field(default_factory=list)
    visits_created: int = 0
    dry_run: bool = False

    @property
    def ok(self):
        return not self.errors

    def as_dict(self):
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "errors": [e.as_dict() for e in self.errors],
        }


def import_recommendations(path, filename, actor, dry_run=False, preview_rows=0) -> Report:
    """Import the sheet at ``path`` (uploaded as ``filename``) as ``actor`` (None: the system).

    Returns the report; nothing is written when it has errors or in a dry run. The caller
    commits (or rolls back) once."""
    report = Report(dry_run=dry_run)
    limits = {
        "entries": current_app.config["IMPORT_MAX_ENTRIES"],
        "uncompressed": current_app.config["IMPORT_MAX_UNCOMPRESSED"],
    }
    try:
        sheet = open_sheet(path, filename, preferred=SHEET_NAME, limits=limits)
    except SheetError as exc:
        report.errors.append(RowError(0, "", str(exc.message)))
        return report
    with sheet, tempfile.TemporaryFile() as spill:
        report.sheet, report.encoding, report.delimiter = (
            sheet.name,
            sheet.encoding,
            sheet.delimiter,
        )
        try:
            visits = _check(sheet, report, spill, preview_rows)
        except SheetError as exc:
            report.errors.append(RowError(0, "", str(exc.message)))
        if report.errors or dry_run:
            return report
        spill.seek(0)
        try:
            _write(spill, visits, report, filename, actor)
        except sa.exc.IntegrityError:  # another import wrote the same identifiers meanwhile
            report.errors.append(RowError(0, "", str(_CONCURRENT)))
            return report
    record_audit(
        "import.recommendations",
        actor,
        details={
            "file": filename,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "visits_created": report.visits_created,
        },
    )
    return report


def _check(sheet, report, spill, preview_rows) -> dict:
    """Pass one. Returns the visits the rows need: (facility_id, date) → kind."""
    engine = get_engine()
    lookups = Lookups(
        db.session.scalars(sa.select(Facility)).all(),
        db.session.scalars(sa.select(Authority)).all(),
        engine,
    )
    rows = sheet.rows()
    keys = _header(rows, report)
    if keys is None:
        return {}
    max_rows = current_app.config["IMPORT_MAX_ROWS"]
    seen, batch, visits = {}, [], {}
    for number, values in rows:
        report.rows += 1
        if report.rows > max_rows:
            report.errors.append(RowError(number, "", str(_too_many(max_rows))))
            return {}
        cells = {k: values[i] if i < len(values) else None for i, k in keys.items()}
        values = check_row(number, cells, lookups, report.errors)
        if len(report.preview) < preview_rows:
            report.preview.append((number, _preview(cells, values)))
        if values is not None and _unique(values, number, seen, report):
            visits.setdefault(
                (values["facility_id"], values["visit_started_on"]), values["visit_kind"]
            )
            batch.append((number, values))
        if len(report.errors) >= MAX_ERRORS:
            report.errors.append(RowError(number, "", str(_l("Too many errors: stopped here."))))
            return {}
        if len(batch) >= BATCH:
            _spill(batch, spill, report)
            batch = []
    if batch:
        _spill(batch, spill, report)
    if report.rows == 0 and not report.errors:
        report.errors.append(RowError(0, "", str(_l("The sheet has no rows under its header."))))
    return visits


#: Where a column's value is after checking (the others keep their key).
_READ_AS = {"facility": "facility_id", "authority": "authority_id"}


def _preview(cells, values):
    """``[(key, as written, as read)]`` of a row; as read is None when the row has errors."""
    out = []
    for key, raw in cells.items():
        read = None if values is None else values.get(_READ_AS.get(key, key))
        out.append((key, raw, read))
    return out


def _header(rows, report):
    """The header row: column index → key; errors for missing or repeated columns."""
    first = next(rows, None)
    if first is None:
        report.errors.append(RowError(0, "", str(_l("The sheet is empty."))))
        return None
    number, values = first
    keys = {}
    for i, header in enumerate(values):
        key = header_key(header) if header not in (None, "") else None
        report.headers.append((header, key))
        if key is None:
            continue
        if key in keys.values():
            report.errors.append(RowError(number, BY_KEY[key].header, str(_l("Repeated column."))))
        keys[i] = key
    for column in COLUMNS:
        if column.required and column.key not in keys.values():
            report.errors.append(RowError(number, column.header, str(_l("The column is missing."))))
    return None if report.errors else keys


def _unique(values, number, seen, report):
    external_id = values["external_id"]
    if external_id is None:
        return True
    if external_id in seen:
        report.errors.append(
            RowError(
                number,
                BY_KEY["external_id"].header,
                str(_l("Repeats the identifier of row %(row)s.", row=seen[external_id])),
            ),
        )
        return False
    seen[external_id] = number
    return True


def _spill(batch, spill, report):
    """Find which rows update an existing recommendation; write the batch to the spill file."""
    ids = [v["external_id"] for _n, v in batch if v["external_id"]]
    existing = (
        dict(
            db.session.execute(
                sa.select(Recommendation.external_id, Recommendation.id).where(
                    Recommendation.external_id.in_(ids)
                )
            ).all()
        )
        if ids
        else {}
    )
    for _number, values in batch:
        values["id"] = existing.get(values["external_id"])
        report.updated += values["id"] is not None
    report.created += sum(1 for _n, v in batch if v["id"] is None)
    pickle.dump(batch, spill, protocol=pickle.HIGHEST_PROTOCOL)


def _too_many(limit):
    return _l("The sheet has more than %(n)s rows: split it into several files.", n=limit)


def _write(spill, visits, report, filename, actor):
    """Pass two: visits, then the recommendations batch by batch."""
    visit_ids = _visits(visits, actor, report)
    engine = get_engine()
    version = engine.new_case_version("recommendation")
    initial = engine.current("recommendation").initial
    while True:
        try:
            batch = pickle.load(spill)
        except EOFError:
            break
        new = [(n, v) for n, v in batch if v["id"] is None]
        _insert(new, visit_ids, version, initial, filename, actor)
        existing = [(n, v) for n, v in batch if v["id"] is not None]
        if existing:
            recs = db.session.scalars(
                sa.select(Recommendation).where(
                    Recommendation.id.in_([v["id"] for _n, v in existing])
                )
            )
            by_id = {rec.id: rec for rec in recs}
            for number, values in existing:
                _update(by_id[values["id"]], values, visit_ids, number, filename, actor)
        db.session.flush()


def _visits(wanted, actor, report) -> dict:
    """(facility_id, date) → visit id; the missing visits are created (one day long)."""
    found = {}
    facility_ids = sorted({f for f, _d in wanted})
    for start in range(0, len(facility_ids), BATCH):
        chunk = facility_ids[start : start + BATCH]
        for visit_id, facility_id, started_on in db.session.execute(
            sa.select(Visit.id, Visit.facility_id, Visit.started_on)
            .where(Visit.facility_id.in_(chunk))
            .order_by(Visit.id)
        ):
            found.setdefault((facility_id, started_on), visit_id)
    missing = [key for key in wanted if key not in found]
    if missing:
        created = (
            db.session.execute(
                Visit.__table__.insert().returning(Visit.id, sort_by_parameter_order=True),
                [
                    {
                        "facility_id": f,
                        "started_on": d,
                        "ended_on": d,
                        "kind": wanted[(f, d)],
                        "summary": "",
                        "participants": "",
                        "created_by_id": actor.id if actor is not None else None,
                    }
                    for f, d in missing
                ],
            )
            .scalars()
            .all()
        )
        found.update(zip(missing, created, strict=True))
        report.visits_created = len(created)
    return found


def _legacy(values):
    return {
        "legacy_outgoing_number": values["outgoing_number"],
        "legacy_sent_on": values["sent_on"],
        "legacy_answered_on": values["answered_on"],
    }


def _fields(values, visit_ids):
    return {
        "visit_id": visit_ids[(values["facility_id"], values["visit_started_on"])],
        "facility_id": values["facility_id"],
        "authority_id": values["authority_id"],
        "text": values["text"],
        "theme": values["theme"],
        "priority": values["priority"],
        "external_id": values["external_id"],
        **_legacy(values),
    }


def _insert(rows, visit_ids, version, initial, filename, actor):
    if not rows:
        return
    actor_id = actor.id if actor is not None else None
    table = Recommendation.__table__
    ids = (
        db.session.execute(
            table.insert().returning(table.c.id, sort_by_parameter_order=True),
            [
                {
                    **_fields(v, visit_ids),
                    "state": v["state"],
                    "workflow_version": version,
                    "version": 1,
                    "created_by_id": actor_id,
                }
                for _n, v in rows
            ],
        )
        .scalars()
        .all()
    )
    entries = []
    for rec_id, (number, values) in zip(ids, rows, strict=True):
        comment, params = provenance(filename, number, values)
        entries.append((rec_id, version, "create", None, initial, None, {}))
        entries.append((rec_id, version, "import", initial, values["state"], comment, params))
    get_engine().record_entries(Recommendation, entries, actor)


def _update(rec, values, visit_ids, number, filename, actor):
    comment, params = provenance(filename, number, values)
    get_engine().enter(rec, values["state"], actor, comment, params)
    for name, value in _fields(values, visit_ids).items():
        if getattr(rec, name) != value:
            setattr(rec, name, value)


def provenance(filename, number, values):
    """The history comment and parameters of an imported row (always in Ukrainian: records)."""

    def fmt_date(value):
        return value.strftime("%d.%m.%Y")

    parts = [f"Імпортовано з файлу «{filename}», рядок {number}"]
    if values["outgoing_number"] or values["sent_on"]:
        sent = f" від {fmt_date(values['sent_on'])}" if values["sent_on"] else ""
        parts.append(f"акт минулих років: вих. № {values['outgoing_number'] or '—'}{sent}")
    if values["answered_on"]:
        parts.append(f"відповідь від {fmt_date(values['answered_on'])}")
    params = {"file": filename, "row": number}
    for key in ("outgoing_number", "sent_on", "answered_on"):
        if values[key]:
            params[key] = values[key] if isinstance(values[key], str) else values[key].isoformat()
    return "; ".join(parts) + ".", params
