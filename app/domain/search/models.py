"""Tables and indexes that search and statistics need at national scale.

The full-text machinery itself (an FTS5 table on SQLite, a GIN index on PostgreSQL, their
triggers) exists only in the migration: every object of it is named ``fts_…`` so that
autogenerate leaves it alone (see ``is_fts_name``).
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.recommendations.models import Recommendation
from app.extensions import db

#: Prefix of the database objects that exist in the migrations only (full-text search).
FTS_PREFIX = "fts_"


def is_fts_name(name):
    """True for the full-text tables, indexes and triggers the migrations own."""
    return bool(name) and name.startswith(FTS_PREFIX)


class RecommendationTiming(db.Model):
    """When a recommendation was first sent and first answered (Kyiv dates).

    Kept by database triggers on ``workflow_history`` (migration ``search``), so every way a
    history row is written keeps it right; the statistics read it instead of the history.
    """

    __tablename__ = "recommendation_timings"

    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    #: The Kyiv date of the first ``send``: the authority's clock starts.
    sent_on: Mapped[object | None] = mapped_column(sa.Date)
    #: The Kyiv date of the first ``respond``: the authority answered.
    responded_on: Mapped[object | None] = mapped_column(sa.Date)
    #: Written by the application, not the triggers: the authority's receipt of the act that
    #: carried it (its clock starts) ...
    received_on: Mapped[object | None] = mapped_column(sa.Date)
    #: ... and the sending (postmark) date of the substantive answer, or its receipt date when
    #: that is unknown. The statistics count timeliness and days to answer between these two.
    answered_on: Mapped[object | None] = mapped_column(sa.Date)


def _rollup_columns():
    return [
        sa.Column("dim", sa.String(20), primary_key=True),
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("visit_on", sa.Date, primary_key=True, index=True),
        *[sa.Column(m, sa.Integer, nullable=False) for m in ROLLUP_MEASURES],
    ]


#: The counts each row of the roll-up carries (see stats.MEASURES).
ROLLUP_MEASURES = ("total", "implemented", "partially", "overdue", "answered", "settled", "in_time")

#: The statistics roll-up (PostgreSQL; SQLite counts live): per grouping ("dim": state,
#: authority, region, facility_type, theme, days), its key and the day the visit started, the
#: counts of the recommendations past the draft state. Recounted day by day, for the days
#: named in ``stats_changed_days`` (see ``stats.refresh``).
rollup_days = sa.Table("stats_recommendation_days", db.metadata, *_rollup_columns())

#: The same sums per month (``visit_on`` is the month's first day): a dashboard period reads
#: its whole months here and only its partial months' days from ``stats_recommendation_days``.
rollup_months = sa.Table("stats_recommendation_months", db.metadata, *_rollup_columns())

#: The visit days whose counts changed since the last refresh. Written by database triggers
#: on recommendations, recommendation_timings, visits and facilities (PostgreSQL, migration
#: "incremental statistics roll-up"), so every way a row changes is seen; emptied by the refresh.
changed_days = sa.Table(
    "stats_changed_days",
    db.metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("visit_on", sa.Date, nullable=False),
)

#: One row: the Kyiv day the roll-up was counted for (overdue and settled depend on it) and
#: when it was last refreshed.
rollup_state = sa.Table(
    "stats_rollup_state",
    db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("counted_on", sa.Date, nullable=False),
    sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
)


#: Counting a theme (and a theme in a state) without reading the table.
sa.Index("ix_recommendations_theme_state", Recommendation.theme, Recommendation.state)
