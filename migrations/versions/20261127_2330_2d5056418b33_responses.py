"""responses: the authority's answers to acts, positions on recommendations, attached files

Revision ID: 2d5056418b33
Revises: 6154d6176739
Create Date: 2026-11-27 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2d5056418b33'
down_revision = '07c7b1cebf8c'
branch_labels = None
depends_on = None

POSITIONS = "'implemented', 'partially_implemented', 'in_progress', 'not_implemented', 'rejected'"
CONTENT_TYPES = (
    "'application/pdf', "
    "'application/vnd.openxmlformats-officedocument.wordprocessingml.document', "
    "'image/png', 'image/jpeg', 'image/tiff'"
)


def upgrade():
    op.create_table('responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('act_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('incoming_number', sa.String(length=60), nullable=False),
    sa.Column('text', sa.Text(), server_default='', nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('substantive', 'interim', 'formal')", name=op.f('ck_responses_kind')),
    sa.CheckConstraint('length(incoming_number) > 0', name=op.f('ck_responses_incoming_number_not_empty')),
    sa.ForeignKeyConstraint(['act_id'], ['acts.id'], name=op.f('fk_responses_act_id_acts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_responses_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses'))
    )
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index('ix_responses_act_received', ['act_id', 'received_on'], unique=False)

    op.create_table('response_positions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=30), nullable=False),
    sa.Column('comment', sa.Text(), server_default='', nullable=False),
    sa.CheckConstraint(f"position IN ({POSITIONS})", name=op.f('ck_response_positions_position')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_response_positions_recommendation_id_recommendations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_response_positions_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_positions')),
    sa.UniqueConstraint('response_id', 'recommendation_id', name='uq_response_positions_response_rec')
    )
    with op.batch_alter_table('response_positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_positions_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('response_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('path', sa.String(length=400), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(f"content_type IN ({CONTENT_TYPES})", name=op.f('ck_response_files_content_type')),
    sa.CheckConstraint('size > 0', name=op.f('ck_response_files_size_positive')),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_response_files_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_files')),
    sa.UniqueConstraint('path', name=op.f('uq_response_files_path'))
    )
    with op.batch_alter_table('response_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_files_response_id'), ['response_id'], unique=False)


def downgrade():
    with op.batch_alter_table('response_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_files_response_id'))
    op.drop_table('response_files')
    with op.batch_alter_table('response_positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_positions_recommendation_id'))
    op.drop_table('response_positions')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index('ix_responses_act_received')
    op.drop_table('responses')
