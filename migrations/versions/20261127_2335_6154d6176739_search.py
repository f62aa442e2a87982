"""search: full-text index of recommendations, answer timings, indexes for statistics

Revision ID: 6154d6176739
Revises: 2d5056418b33
Create Date: 2026-11-27 23:00:00

Full text, by dialect (every object named fts_…, which autogenerate must leave alone):
- PostgreSQL: a GIN index on to_tsvector('simple', text); queries use prefix terms (катуван:*).
- SQLite: an FTS5 table with external content on recommendations (tokenizer unicode61, which
  folds the case of Cyrillic), kept by three triggers. A later migration that rebuilds the
  recommendations table on SQLite (batch "move and copy") drops these triggers with the old
  table: it must create them again (copy SQLITE_FTS_TRIGGERS) and run the 'rebuild' command.

recommendation_timings (sent_on, responded_on as Kyiv dates) is kept by a trigger on
workflow_history, and filled here from the history already written.

PostgreSQL also gets stats_recommendation_days, a materialized roll-up of the statistics per
grouping and visit day (app.domain.search.stats reads it and refreshes it; the definitions are
those of app.domain.search). A later migration that changes a column it reads (recommendations:
state, authority_id, theme, due_on, facility_id, visit_id; facilities: region, type; visits:
started_on; recommendation_timings) must drop it first and create it again (STATS_VIEW).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6154d6176739'
down_revision = '2d5056418b33'
branch_labels = None
depends_on = None


# The Kyiv date of a UTC timestamp stored by SQLite ('YYYY-MM-DD HH:MM:SS.ffffff'): UTC+3 from
# the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC, else UTC+2 (the
# EU rule Ukraine follows). PostgreSQL uses its time-zone database instead.
SQLITE_KYIV_DATE = """date({x}, CASE
    WHEN {x} >= date(strftime('%Y', {x}) || '-03-25', 'weekday 0') || ' 01:00:00'
     AND {x} < date(strftime('%Y', {x}) || '-10-25', 'weekday 0') || ' 01:00:00'
    THEN '+3 hours' ELSE '+2 hours' END)"""
PG_KYIV_DATE = "(({x}) AT TIME ZONE 'Europe/Kyiv')::date"

SQLITE_FTS_TABLE = (
    "CREATE VIRTUAL TABLE fts_recommendations USING fts5("
    "text, content='recommendations', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')"
)
SQLITE_FTS_TRIGGERS = [
    """CREATE TRIGGER fts_recommendations_ai AFTER INSERT ON recommendations BEGIN
        INSERT INTO fts_recommendations(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER fts_recommendations_ad AFTER DELETE ON recommendations BEGIN
        INSERT INTO fts_recommendations(fts_recommendations, rowid, text)
        VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER fts_recommendations_au AFTER UPDATE OF text ON recommendations BEGIN
        INSERT INTO fts_recommendations(fts_recommendations, rowid, text)
        VALUES ('delete', old.id, old.text);
        INSERT INTO fts_recommendations(rowid, text) VALUES (new.id, new.text);
    END""",
]

TIMING_UPSERT = """INSERT INTO recommendation_timings (recommendation_id, sent_on, responded_on)
    VALUES (NEW.subject_id,
            CASE WHEN NEW.transition = 'send' THEN {day} END,
            CASE WHEN NEW.transition = 'respond' THEN {day} END)
    ON CONFLICT (recommendation_id) DO UPDATE SET
        sent_on = COALESCE({earliest_sent}, recommendation_timings.sent_on, excluded.sent_on),
        responded_on = COALESCE({earliest_responded}, recommendation_timings.responded_on,
                                excluded.responded_on)"""
TIMING_WHEN = "NEW.subject_type = 'recommendations' AND NEW.transition IN ('send', 'respond')"

SQLITE_TIMING_TRIGGER = f"""CREATE TRIGGER trg_recommendation_timings
    AFTER INSERT ON workflow_history WHEN {TIMING_WHEN} BEGIN
    {TIMING_UPSERT.format(
        day=SQLITE_KYIV_DATE.format(x="NEW.at"),
        earliest_sent="min(recommendation_timings.sent_on, excluded.sent_on)",
        earliest_responded="min(recommendation_timings.responded_on, excluded.responded_on)",
    )};
END"""

PG_TIMING_FUNCTION = f"""CREATE FUNCTION recommendation_timings_track() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    {TIMING_UPSERT.format(
        day=PG_KYIV_DATE.format(x="NEW.at"),
        earliest_sent="LEAST(recommendation_timings.sent_on, excluded.sent_on)",
        earliest_responded="LEAST(recommendation_timings.responded_on, excluded.responded_on)",
    )};
    RETURN NULL;
END $$"""
PG_TIMING_TRIGGER = f"""CREATE TRIGGER trg_recommendation_timings
    AFTER INSERT ON workflow_history FOR EACH ROW WHEN ({TIMING_WHEN})
    EXECUTE FUNCTION recommendation_timings_track()"""

STATS_MEASURES = ("count(*) AS total, sum(implemented) AS implemented, sum(partially) AS partially, "
                  "sum(overdue) AS overdue, sum(answered) AS answered, sum(settled) AS settled, "
                  "sum(in_time) AS in_time")
STATS_VIEW = f"""CREATE MATERIALIZED VIEW stats_recommendation_days AS
WITH base AS MATERIALIZED (
    SELECT v.started_on AS visit_on, r.state, r.authority_id, f.region, f.type, r.theme,
           t.responded_on - t.sent_on AS days,
           (r.state IN ('implemented', 'verified'))::int AS implemented,
           (r.state = 'partially_implemented')::int AS partially,
           (r.state = 'overdue' OR (r.state = 'sent_to_authority' AND r.due_on < d.today))::int
               AS overdue,
           (t.responded_on IS NOT NULL)::int AS answered,
           (t.sent_on IS NOT NULL AND r.due_on IS NOT NULL
            AND (t.responded_on IS NOT NULL OR r.due_on < d.today))::int AS settled,
           coalesce(t.responded_on <= r.due_on, false)::int AS in_time
    FROM recommendations r
    JOIN facilities f ON f.id = r.facility_id
    JOIN visits v ON v.id = r.visit_id
    LEFT JOIN recommendation_timings t ON t.recommendation_id = r.id
    CROSS JOIN (SELECT (now() AT TIME ZONE 'Europe/Kyiv')::date AS today) d
    WHERE r.state <> 'draft'
)
SELECT s.*, now() AS refreshed_at FROM (
    SELECT 'state'::text AS dim, state::text AS key, visit_on, {STATS_MEASURES}
        FROM base GROUP BY state, visit_on
    UNION ALL SELECT 'authority', authority_id::text, visit_on, {STATS_MEASURES}
        FROM base GROUP BY authority_id, visit_on
    UNION ALL SELECT 'region', region, visit_on, {STATS_MEASURES}
        FROM base GROUP BY region, visit_on
    UNION ALL SELECT 'facility_type', type, visit_on, {STATS_MEASURES}
        FROM base GROUP BY type, visit_on
    UNION ALL SELECT 'theme', theme, visit_on, {STATS_MEASURES}
        FROM base GROUP BY theme, visit_on
    UNION ALL SELECT 'days', days::text, visit_on, {STATS_MEASURES}
        FROM base WHERE days IS NOT NULL GROUP BY days, visit_on
) s"""
# REFRESH ... CONCURRENTLY needs a unique index on plain columns.
STATS_VIEW_KEY = ("CREATE UNIQUE INDEX stats_recommendation_days_key "
                  "ON stats_recommendation_days (dim, key, visit_on)")

BACKFILL = """INSERT INTO recommendation_timings (recommendation_id, sent_on, responded_on)
    SELECT h.subject_id,
           {sent},
           {responded}
    FROM workflow_history h JOIN recommendations r ON r.id = h.subject_id
    WHERE h.subject_type = 'recommendations' AND h.transition IN ('send', 'respond')
    GROUP BY h.subject_id"""


def _backfill(day):
    sent = day.format(x="min(CASE WHEN h.transition = 'send' THEN h.at END)")
    responded = day.format(x="min(CASE WHEN h.transition = 'respond' THEN h.at END)")
    return BACKFILL.format(sent=sent, responded=responded)


def upgrade():
    op.create_table('recommendation_timings',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('responded_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_timings_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', name=op.f('pk_recommendation_timings'))
    )
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.create_index('ix_recommendations_theme_state', ['theme', 'state'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX fts_recommendations_text ON recommendations "
            "USING gin (to_tsvector('simple'::regconfig, text))"
        )
        op.execute(PG_TIMING_FUNCTION)
        op.execute(PG_TIMING_TRIGGER)
        op.execute(_backfill(PG_KYIV_DATE))
        op.execute(STATS_VIEW)
        op.execute(STATS_VIEW_KEY)
    else:
        op.execute(SQLITE_FTS_TABLE)
        for trigger in SQLITE_FTS_TRIGGERS:
            op.execute(trigger)
        op.execute("INSERT INTO fts_recommendations(fts_recommendations) VALUES ('rebuild')")
        op.execute(SQLITE_TIMING_TRIGGER)
        op.execute(_backfill(SQLITE_KYIV_DATE))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP MATERIALIZED VIEW IF EXISTS stats_recommendation_days")
        op.execute("DROP TRIGGER IF EXISTS trg_recommendation_timings ON workflow_history")
        op.execute("DROP FUNCTION IF EXISTS recommendation_timings_track()")
        op.execute("DROP INDEX IF EXISTS fts_recommendations_text")
    else:
        op.execute("DROP TRIGGER IF EXISTS trg_recommendation_timings")
        for name in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS fts_recommendations_{name}")
        op.execute("DROP TABLE IF EXISTS fts_recommendations")
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_index('ix_recommendations_theme_state')
    op.drop_table('recommendation_timings')
