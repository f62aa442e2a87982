"""The migration's full-text objects, answer timings kept by triggers, and autogenerate."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.domain.search.models import RecommendationTiming, is_fts_name

MINE = ("fts_", "recommendation_timings", "ix_recommendations_theme_state", "stats_")


def include_name(name, type_, parent_names):
    """The hook migrations/env.py and the models/migrations test use."""
    return not is_fts_name(name)


def _mine(diff):
    return [d for d in diff if any(m in repr(d) for m in MINE)]


def test_autogenerate_leaves_the_full_text_objects_alone(db):
    with db.engine.connect() as conn:
        plain = compare_metadata(MigrationContext.configure(conn), db.metadata)
        hooked = compare_metadata(
            MigrationContext.configure(conn, opts={"include_name": include_name}), db.metadata
        )
    assert _mine(plain), "the full-text objects exist outside the models"
    assert _mine(hooked) == []


def test_full_text_objects_exist(db):
    if db.engine.dialect.name == "postgresql":
        names = db.session.scalars(
            sa.text("SELECT indexname FROM pg_indexes WHERE tablename = 'recommendations'")
        ).all()
        assert "fts_recommendations_text" in names
        # The statistics roll-up: a table recounted for the visit days its triggers name.
        triggers = set(
            db.session.scalars(
                sa.text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            ).all()
        )
        assert {
            "stats_recommendations_added",
            "stats_recommendations_changed",
            "stats_timings",
            "stats_visits",
            "stats_facilities",
        } <= triggers
    else:
        # A later migration that rebuilds recommendations on SQLite drops these: it must
        # create them again (see the migration "search").
        triggers = set(
            db.session.scalars(
                sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).all()
        )
        assert {
            "fts_recommendations_ai",
            "fts_recommendations_ad",
            "fts_recommendations_au",
            "trg_recommendation_timings",
        } <= triggers


@pytest.mark.postgres
def test_postgres_search_uses_the_gin_index(cases, db):
    from werkzeug.datastructures import MultiDict

    from app.domain.search import queries
    from app.domain.search.filters import parse

    stmt = queries.search_stmt(parse(MultiDict({"q": "катуванню"}))[0])
    sql = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(db.session.scalars(sa.text(f"EXPLAIN {sql}")).all())
    assert "fts_recommendations_text" in plan


KYIV = ZoneInfo("Europe/Kyiv")
#: Instants around midnight in Kyiv and the switches to and from summer time.
INSTANTS = [
    datetime(2025, 3, 30, 0, 59, tzinfo=UTC),
    datetime(2025, 3, 30, 21, 30, tzinfo=UTC),
    datetime(2025, 6, 30, 20, 59, tzinfo=UTC),
    datetime(2025, 6, 30, 21, 0, tzinfo=UTC),
    datetime(2025, 10, 25, 21, 30, tzinfo=UTC),
    datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
    datetime(2025, 10, 26, 21, 30, tzinfo=UTC),
    datetime(2025, 12, 31, 22, 30, tzinfo=UTC),
    datetime(2028, 3, 26, 1, 0, tzinfo=UTC),
]


def _history(db, rec, transition, at):
    from app.workflow.models import WorkflowHistory

    db.session.add(
        WorkflowHistory(
            subject_type="recommendations",
            subject_id=rec.id,
            workflow="recommendation",
            workflow_version=rec.workflow_version,
            transition=transition,
            from_state=None,
            to_state="x",
            at=at,
            params={},
        )
    )
    db.session.commit()


def test_timings_are_kyiv_dates_of_the_first_send_and_answer(db, make_rec):
    for at in INSTANTS:
        rec = make_rec(f"Запис {at.isoformat()}")
        _history(db, rec, "send", at)
        _history(db, rec, "respond", at)
        timing = db.session.get(RecommendationTiming, rec.id)
        db.session.refresh(timing)
        expected = at.astimezone(KYIV).date()
        assert (timing.sent_on, timing.responded_on) == (expected, expected), at


def test_the_earliest_answer_counts(db, make_rec):
    rec = make_rec()
    _history(db, rec, "respond", datetime(2026, 5, 20, 9, tzinfo=UTC))
    _history(db, rec, "respond", datetime(2026, 5, 10, 9, tzinfo=UTC))
    _history(db, rec, "issue", datetime(2026, 5, 1, 9, tzinfo=UTC))
    timing = db.session.get(RecommendationTiming, rec.id)
    db.session.refresh(timing)
    assert (timing.sent_on, timing.responded_on) == (None, date(2026, 5, 10))
