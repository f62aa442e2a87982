"""letters and terms: receipt assumed, answers' sending date, act attachments, template versions

Revision ID: 74a22148d1eb
Revises: bb8eb08ba193
Create Date: 2026-11-30 16:59:17.393003

- acts.received_on_assumed: true while the receipt date is an estimate (post without a confirmed
  date; e-mail until the authority's server accepted it).
- responses.sent_on: the authority's dispatch (postmark) date (Civil Code Art. 255 part 2).
- recommendation_timings.received_on / answered_on, written by the application: the statistics
  count "answered in time" and "days to answer" from the receipt to the answer's sending date.
  On PostgreSQL the roll-up stats_recommendation_days reads them: it is dropped and created
  again with the new definition (and the old one on downgrade).
- act_attachments: files sent with an act («Додаток: … на N арк.»).
- letter_template_versions: administrators' versions of the letter templates and settings.
- deadlines.extended_on (pauses begun after an extension move it) and four new kinds of
  deadline events (accepted, reopened, assumed_passed, protocol_warned).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '74a22148d1eb'
down_revision = 'bb8eb08ba193'
branch_labels = None
depends_on = None


STATS_MEASURES = ("count(*) AS total, sum(implemented) AS implemented, sum(partially) AS partially, "
                  "sum(overdue) AS overdue, sum(answered) AS answered, sum(settled) AS settled, "
                  "sum(in_time) AS in_time")
STATS_VIEW = """CREATE MATERIALIZED VIEW stats_recommendation_days AS
WITH base AS MATERIALIZED (
    SELECT v.started_on AS visit_on, r.state, r.authority_id, f.region, f.type, r.theme,
           {days} AS days,
           (r.state IN ('implemented', 'verified'))::int AS implemented,
           (r.state = 'partially_implemented')::int AS partially,
           (r.state = 'overdue' OR (r.state = 'sent_to_authority' AND r.due_on < d.today))::int
               AS overdue,
           (t.responded_on IS NOT NULL)::int AS answered,
           (t.sent_on IS NOT NULL AND r.due_on IS NOT NULL
            AND (t.responded_on IS NOT NULL OR r.due_on < d.today))::int AS settled,
           coalesce({answered} <= r.due_on, false)::int AS in_time
    FROM recommendations r
    JOIN facilities f ON f.id = r.facility_id
    JOIN visits v ON v.id = r.visit_id
    LEFT JOIN recommendation_timings t ON t.recommendation_id = r.id
    CROSS JOIN (SELECT (now() AT TIME ZONE 'Europe/Kyiv')::date AS today) d
    WHERE r.state <> 'draft'
)
SELECT s.*, now() AS refreshed_at FROM (
    SELECT 'state'::text AS dim, state::text AS key, visit_on, {m}
        FROM base GROUP BY state, visit_on
    UNION ALL SELECT 'authority', authority_id::text, visit_on, {m}
        FROM base GROUP BY authority_id, visit_on
    UNION ALL SELECT 'region', region, visit_on, {m}
        FROM base GROUP BY region, visit_on
    UNION ALL SELECT 'facility_type', type, visit_on, {m}
        FROM base GROUP BY type, visit_on
    UNION ALL SELECT 'theme', theme, visit_on, {m}
        FROM base GROUP BY theme, visit_on
    UNION ALL SELECT 'days', days::text, visit_on, {m}
        FROM base WHERE days IS NOT NULL GROUP BY days, visit_on
) s"""
NEW_VIEW = STATS_VIEW.format(
    days="coalesce(t.answered_on, t.responded_on) - coalesce(t.received_on, t.sent_on)",
    answered="coalesce(t.answered_on, t.responded_on)",
    m=STATS_MEASURES,
)
OLD_VIEW = STATS_VIEW.format(
    days="t.responded_on - t.sent_on", answered="t.responded_on", m=STATS_MEASURES
)
STATS_VIEW_KEY = ("CREATE UNIQUE INDEX stats_recommendation_days_key "
                  "ON stats_recommendation_days (dim, key, visit_on)")


OLD_EVENTS = ("created", "receipt_changed", "extended", "suspended", "resumed", "reminded",
              "expired", "cancelled", "recounted")
NEW_EVENTS = OLD_EVENTS + ("accepted", "reopened", "assumed_passed", "protocol_warned")


def _kinds(values):
    return "kind IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _event_kinds(values):
    with op.batch_alter_table('deadline_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_deadline_events_kind'), type_='check')
        batch_op.create_check_constraint('kind', _kinds(values))


# Cases already under way: the receipt of the first act (not a reminder) that carried each
# recommendation, and the receipt date of the first substantive answer (no sending dates were
# recorded before this migration).
BACKFILL = """UPDATE recommendation_timings SET
    received_on = (SELECT min(a.received_on) FROM act_recommendations ar
                   JOIN acts a ON a.id = ar.act_id
                   WHERE ar.recommendation_id = recommendation_timings.recommendation_id
                     AND a.kind <> 'reminder' AND a.received_on IS NOT NULL),
    answered_on = (SELECT min(r.received_on) FROM act_recommendations ar
                   JOIN responses r ON r.act_id = ar.act_id
                   WHERE ar.recommendation_id = recommendation_timings.recommendation_id
                     AND r.kind = 'substantive')"""


def _is_postgresql():
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if _is_postgresql():
        op.execute("DROP MATERIALIZED VIEW IF EXISTS stats_recommendation_days")
    op.create_table('letter_template_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('comment', sa.String(length=300), server_default='', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_letter_template_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_template_versions')),
    sa.UniqueConstraint('name', 'version', name='uq_letter_template_versions_name_version')
    )
    op.create_table('act_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('act_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('sheets', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('path', sa.String(length=400), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(title) > 0', name=op.f('ck_act_attachments_title_not_empty')),
    sa.CheckConstraint('sheets >= 1', name=op.f('ck_act_attachments_sheets_positive')),
    sa.ForeignKeyConstraint(['act_id'], ['acts.id'], name=op.f('fk_act_attachments_act_id_acts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_act_attachments_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_act_attachments')),
    sa.UniqueConstraint('path', name=op.f('uq_act_attachments_path'))
    )
    with op.batch_alter_table('act_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_act_attachments_act_id'), ['act_id'], unique=False)

    with op.batch_alter_table('acts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_on_assumed', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('recommendation_timings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('answered_on', sa.Date(), nullable=True))

    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_on', sa.Date(), nullable=True))

    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extended_on', sa.Date(), nullable=True))
    _event_kinds(NEW_EVENTS)
    op.execute(BACKFILL)

    if _is_postgresql():
        op.execute(NEW_VIEW)
        op.execute(STATS_VIEW_KEY)


def downgrade():
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch "move and copy" of
    # recommendation_timings would break the trigger on workflow_history that writes it.
    if _is_postgresql():
        op.execute("DROP MATERIALIZED VIEW IF EXISTS stats_recommendation_days")
    op.execute("DELETE FROM deadline_events WHERE " + _kinds(NEW_EVENTS[len(OLD_EVENTS):]))
    _event_kinds(OLD_EVENTS)
    op.drop_column('deadlines', 'extended_on')
    op.drop_column('responses', 'sent_on')
    op.drop_column('recommendation_timings', 'answered_on')
    op.drop_column('recommendation_timings', 'received_on')
    op.drop_column('acts', 'received_on_assumed')
    op.drop_index(op.f('ix_act_attachments_act_id'), table_name='act_attachments')
    op.drop_table('act_attachments')
    op.drop_table('letter_template_versions')
    if _is_postgresql():
        op.execute(OLD_VIEW)
        op.execute(STATS_VIEW_KEY)
