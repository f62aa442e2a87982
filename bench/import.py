"""Importing a legacy spreadsheet: 10,000 rows, dry run and real, against reading the same sheet
with openpyxl in read-only mode alone; and the peak memory at 5,000 and 10,000 rows.

    PYTHONPATH=. .venv/bin/python bench/import.py [--database-url URL] [--rows 10000]

Without --database-url: SQLite in a temporary file. With a PostgreSQL URL (a database of its
own: its schema "public" is dropped and rebuilt). Prints seconds, the ratio import / openpyxl
(target: at most 5×) and the peak memory of each import (tracemalloc; it should stay flat as
the sheet doubles: rows are streamed and spilled, never held).
"""

import argparse
import gc
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed as seeding  # noqa: E402

HEADERS = [
    "Ідентифікатор",
    "Установа",
    "Дата візиту",
    "Орган",
    "Текст",
    "Тема",
    "Пріоритет",
    "Стан",
    "Вихідний номер",
    "Дата надсилання",
    "Дата відповіді",
]
THEMES = ["Медичне забезпечення", "conditions", "Правові гарантії", "safety", "Персонал"]
STATES = ["Видано", "sent_to_authority", "Відповідь отримано", "implemented", "Не виконано"]
FACILITIES = 60


def seed():
    """The small scene with ``FACILITIES`` colonies: the lawyer and the colonies' names."""
    base = seeding.small_scene(facilities=FACILITIES)
    return base.lawyer, [facility.name for facility in base.facilities]


def write_sheet(path, rows, names, prefix):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Рекомендації")
    sheet.append(HEADERS)
    for i in range(rows):
        year = 2019 + i % 5
        sheet.append(
            [
                f"{prefix}-{i}",
                names[i % len(names)],
                f"{10 + i % 15:02d}.03.{year}",
                "",
                f"Забезпечити належні умови тримання: рекомендація {i} з переліку за {year} рік "
                "щодо доступу до питної води, освітлення та вентиляції камер.",
                THEMES[i % 5],
                "Високий" if i % 3 else "low",
                STATES[i % 5],
                f"{100 + i}/{year}" if i % 2 else "",
                f"2{i % 9}.04.{year}" if i % 2 else "",
                f"{year}-06-1{i % 9}" if i % 4 == 1 else "",
            ]
        )
    book.save(path)


def read_only_baseline(path):
    from openpyxl import load_workbook

    start = time.perf_counter()
    with open(path, "rb") as fh:
        book = load_workbook(fh, read_only=True, data_only=True)
        count = sum(1 for _row in book["Рекомендації"].iter_rows(values_only=True))
        book.close()
    return time.perf_counter() - start, count


def run_import(path, user, dry_run, measure_memory=False):
    from app.domain.imports.operations import import_recommendations
    from app.extensions import db

    gc.collect()
    if measure_memory:
        tracemalloc.start()
    start = time.perf_counter()
    report = import_recommendations(str(path), path.name, user, dry_run=dry_run)
    if report.ok and not dry_run:
        db.session.commit()
    else:
        db.session.rollback()
    elapsed = time.perf_counter() - start
    peak = None
    if measure_memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert report.ok, report.errors[:5]
    return elapsed, report, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        app = seeding.bench_app(
            args.database_url, tmp, REDIS_URL="memory://", IMPORT_MAX_ROWS=1_000_000
        )
        seeding.fresh_database(app)
        with app.app_context():
            user, names = seed()
            half = args.rows // 2
            sheets = {}
            for rows, prefix in ((half, "M"), (args.rows, "T"), (args.rows, "R")):
                path = tmp / f"{prefix}-{rows}.xlsx"
                write_sheet(path, rows, names, prefix)
                sheets[prefix] = path
            print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")
            baseline, count = read_only_baseline(sheets["T"])
            dry, report, _ = run_import(sheets["T"], user, dry_run=True)
            real, report, _ = run_import(sheets["T"], user, dry_run=False)
            print(
                f"{args.rows} rows ({count - 1} read), openpyxl read-only alone: {baseline:.2f} s"
            )
            print(f"  import, dry run: {dry:.2f} s  ratio {dry / baseline:.1f}x")
            print(
                f"  import, real:    {real:.2f} s  ratio {real / baseline:.1f}x "
                f"(created {report.created}, visits created {report.visits_created})"
            )
            again, report, _ = run_import(sheets["T"], user, dry_run=False)
            print(
                f"  re-import (all updated): {again:.2f} s  ratio {again / baseline:.1f}x "
                f"(updated {report.updated})"
            )
            print("peak memory of the import (tracemalloc):")
            for prefix, rows in (("M", half), ("R", args.rows)):
                _t, _r, dry_peak = run_import(sheets[prefix], user, True, measure_memory=True)
                _t, _r, real_peak = run_import(sheets[prefix], user, False, measure_memory=True)
                print(
                    f"  {rows:>6} rows: dry run {dry_peak / 2**20:.1f} MiB, "
                    f"real {real_peak / 2**20:.1f} MiB"
                )


if __name__ == "__main__":
    main()
