"""import of legacy spreadsheets, personal-data review and legal hold on acts

Recommendations get ``external_id`` (the identifier in a spreadsheet they were imported from,
unique) and the outgoing number, sending date and answer date of an act of the past. Acts get
the personal-data review of their texts and a legal hold (which stops retention).

Only columns and an index are added (plain ALTER TABLE ADD COLUMN / CREATE INDEX): the
recommendations table is not rebuilt on SQLite, so its full-text triggers stay, and the
PostgreSQL roll-up view reads none of these columns.

Revision ID: fe9fab63fc0e
Revises: df835f5a98f3
Create Date: 2026-11-30 16:57:02.996580

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fe9fab63fc0e'
down_revision = 'df835f5a98f3'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('acts', sa.Column('personal_data_review', sa.JSON(), nullable=True))
    op.add_column('acts', sa.Column('legal_hold_reason', sa.Text(), nullable=True))
    op.add_column('acts', sa.Column('legal_hold_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('recommendations', sa.Column('external_id', sa.String(length=100), nullable=True))
    op.add_column(
        'recommendations', sa.Column('legacy_outgoing_number', sa.String(length=60), nullable=True)
    )
    op.add_column('recommendations', sa.Column('legacy_sent_on', sa.Date(), nullable=True))
    op.add_column('recommendations', sa.Column('legacy_answered_on', sa.Date(), nullable=True))
    op.create_index(
        'uq_recommendations_external_id', 'recommendations', ['external_id'], unique=True
    )


def downgrade():
    # DROP COLUMN needs SQLite 3.35+; none of these columns is indexed but external_id.
    op.drop_index('uq_recommendations_external_id', table_name='recommendations')
    for column in ('legacy_answered_on', 'legacy_sent_on', 'legacy_outgoing_number', 'external_id'):
        op.drop_column('recommendations', column)
    for column in ('legal_hold_at', 'legal_hold_reason', 'personal_data_review'):
        op.drop_column('acts', column)
