"""The outgoing register: numbers unique and without gaps within a year.

The number is taken with one UPDATE … RETURNING on the year's counter row, inside the sending
transaction: the row lock (PostgreSQL) or the write lock (SQLite) holds a second sender until the
first commits, and a rollback gives the number back, so there is never a gap or a duplicate.
"""

import sqlalchemy as sa
from flask import current_app

from app.domain.acts.models import OutgoingCounter
from app.extensions import db


def next_number(year: int) -> tuple[int, str]:
    """Take the next number of ``year``; returns (sequence, formatted number)."""
    _ensure_year(year)
    seq = db.session.execute(
        sa.update(OutgoingCounter)
        .where(OutgoingCounter.year == year)
        .values(last_seq=OutgoingCounter.last_seq + 1)
        .returning(OutgoingCounter.last_seq)
    ).scalar_one()
    fmt = current_app.config["OUTGOING_NUMBER_FORMAT"]
    return seq, fmt.format(seq=seq, year=year, yy=f"{year % 100:02d}")


def _ensure_year(year):
    table = OutgoingCounter.__table__
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(table).values(year=year, last_seq=0).on_conflict_do_nothing())
