"""lists as queues: the lawyer assigned to a recommendation, users' saved filters

Revision ID: 5c1d2e7a9b30
Revises: 95a584d7d61a
Create Date: 2026-11-30 20:15:00

"""
from alembic import op
import sqlalchemy as sa

#: As in 6154d6176739 (a rebuild of the table on SQLite drops its triggers).
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

# revision identifiers, used by Alembic.
revision = '5c1d2e7a9b30'
down_revision = '95a584d7d61a'
branch_labels = None
depends_on = None


def upgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lawyer_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_recommendations_lawyer_id_users'), 'users', ['lawyer_id'], ['id'],
            ondelete='SET NULL',
        )
    if sqlite:
        # The rebuilt table lost the full-text triggers of the old one (see 6154d6176739).
        for trigger in SQLITE_FTS_TRIGGERS:
            op.execute(trigger)
        op.execute("INSERT INTO fts_recommendations(fts_recommendations) VALUES ('rebuild')")
    op.create_index(
        op.f('ix_recommendations_lawyer_id'), 'recommendations', ['lawyer_id'], unique=False
    )
    op.create_table('saved_filters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('query', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_saved_filters_name_not_empty')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_filters_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_filters')),
    sa.UniqueConstraint('user_id', 'page', 'name', name='uq_saved_filters_user_page_name')
    )


def downgrade():
    op.drop_table('saved_filters')
    op.drop_index(op.f('ix_recommendations_lawyer_id'), table_name='recommendations')
    with op.batch_alter_table('recommendations', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_recommendations_lawyer_id_users'), type_='foreignkey'
        )
        batch_op.drop_column('lawyer_id')
    if op.get_bind().dialect.name == 'sqlite':
        for trigger in SQLITE_FTS_TRIGGERS:
            op.execute(trigger)
        op.execute("INSERT INTO fts_recommendations(fts_recommendations) VALUES ('rebuild')")
