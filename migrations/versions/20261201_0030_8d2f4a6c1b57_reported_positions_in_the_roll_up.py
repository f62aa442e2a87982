"""reported positions in the statistics roll-up: on PostgreSQL the dashboard's "reported versus
verified" is read from the roll-up (dimensions `reported` and `reported_verified`) instead of
ranking every answer per view; triggers on answers and their positions name the visit days to
recount, and the next refresh recounts everything once (the new dimensions).

Revision ID: 8d2f4a6c1b57
Revises: 5b1e2c7d9a40
Create Date: 2026-12-01 00:30:00

"""
from alembic import op

revision = "8d2f4a6c1b57"
down_revision = "5b1e2c7d9a40"
branch_labels = None
depends_on = None

# A position added, changed or removed, or an answer recorded, returned, re-dated or deleted,
# can change a recommendation's latest recorded position: its visit day is recounted.
TRIGGERS = """
CREATE FUNCTION stats_log_position() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO stats_changed_days (visit_on)
            SELECT v.started_on FROM recommendations r JOIN visits v ON v.id = r.visit_id
            WHERE r.id = OLD.recommendation_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO stats_changed_days (visit_on)
            SELECT v.started_on FROM recommendations r JOIN visits v ON v.id = r.visit_id
            WHERE r.id = NEW.recommendation_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER stats_positions AFTER INSERT OR UPDATE OR DELETE ON response_positions
    FOR EACH ROW EXECUTE FUNCTION stats_log_position();

CREATE FUNCTION stats_log_response() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stats_changed_days (visit_on)
        SELECT DISTINCT v.started_on FROM response_positions p
        JOIN recommendations r ON r.id = p.recommendation_id JOIN visits v ON v.id = r.visit_id
        WHERE p.response_id = NEW.id;
    RETURN NULL;
END $$;
-- (a deleted answer takes its positions with it: their own trigger names the days)
CREATE TRIGGER stats_responses AFTER UPDATE ON responses FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.received_on IS DISTINCT FROM NEW.received_on)
    EXECUTE FUNCTION stats_log_response();
"""
DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS stats_responses ON responses;
DROP TRIGGER IF EXISTS stats_positions ON response_positions;
DROP FUNCTION IF EXISTS stats_log_response();
DROP FUNCTION IF EXISTS stats_log_position();
"""


def _is_postgresql():
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if _is_postgresql():
        op.execute(TRIGGERS)
        op.execute("DELETE FROM stats_rollup_state")  # the next refresh counts every day


def downgrade():
    if _is_postgresql():
        op.execute(DROP_TRIGGERS)
        op.execute("DELETE FROM stats_recommendation_days WHERE dim LIKE 'reported%'")
        op.execute("DELETE FROM stats_recommendation_months WHERE dim LIKE 'reported%'")
