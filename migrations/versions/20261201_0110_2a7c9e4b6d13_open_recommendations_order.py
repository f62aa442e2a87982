"""open recommendations' order: an index in the order of a monitor's home page (overdue first,
then by due date), so its first page is read in order instead of sorting every open case of
the monitor's facilities. PostgreSQL only (the office's database; SQLite's small registers sort
in no time, and its reflection cannot read an expression index).

Revision ID: 2a7c9e4b6d13
Revises: 8d2f4a6c1b57
Create Date: 2026-12-01 01:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = "2a7c9e4b6d13"
down_revision = "8d2f4a6c1b57"
branch_labels = None
depends_on = None


def _is_postgresql():
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if not _is_postgresql():
        return
    op.create_index(
        "ix_expr_recommendations_open_order",
        "recommendations",
        [
            sa.text("(CASE WHEN state = 'overdue' THEN 0 ELSE 1 END)"),
            sa.text("(due_on IS NULL)"),
            "due_on",
            "id",
        ],
    )


def downgrade():
    if not _is_postgresql():
        return
    op.drop_index("ix_expr_recommendations_open_order", table_name="recommendations")
