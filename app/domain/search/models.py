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


#: Counting a theme (and a theme in a state) without reading the table.
sa.Index("ix_recommendations_theme_state", Recommendation.theme, Recommendation.state)
