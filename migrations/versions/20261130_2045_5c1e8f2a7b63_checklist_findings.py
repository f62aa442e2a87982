"""checklist findings: what a follow-up visit found (verified, partly, not done), a note, photos

Revision ID: 5c1e8f2a7b63
Revises: 3b7d2c1e9a40
Create Date: 2026-11-30 20:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e8f2a7b63'
down_revision = '3b7d2c1e9a40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("result IN ('verified', 'partly', 'not_done')", name=op.f('ck_findings_result')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_findings_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_findings_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_findings_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_findings'))
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_findings_recommendation_id'), ['recommendation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_visit_id'), ['visit_id'], unique=False)

    op.create_table('finding_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('path', sa.String(length=400), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("content_type IN ('image/jpeg', 'image/png')", name=op.f('ck_finding_photos_content_type')),
    sa.CheckConstraint('size > 0', name=op.f('ck_finding_photos_size_positive')),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], name=op.f('fk_finding_photos_finding_id_findings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_photos')),
    sa.UniqueConstraint('path', name=op.f('uq_finding_photos_path'))
    )
    with op.batch_alter_table('finding_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_photos_finding_id'), ['finding_id'], unique=False)


def downgrade():
    with op.batch_alter_table('finding_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_photos_finding_id'))
    op.drop_table('finding_photos')
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_findings_visit_id'))
        batch_op.drop_index(batch_op.f('ix_findings_recommendation_id'))
    op.drop_table('findings')
