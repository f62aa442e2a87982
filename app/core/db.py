"""Column types and helpers shared by every model."""

from datetime import UTC

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

from app.core.clock import now as utcnow  # noqa: F401 — the one clock, under the models' name


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite stores naive values)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def check_in(column, values):
    """A CHECK constraint text restricting ``column`` to ``values``."""
    quoted = ", ".join("'" + v + "'" for v in values)
    return f"{column} IN ({quoted})"
