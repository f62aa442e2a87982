"""sending in steps: registration date, documents and e-mail steps of an act; a person's
decision on an e-mail (cancelled, delivered by other means)

Revision ID: 7eab631f8a0c
Revises: 4d52418dda97
Create Date: 2026-11-30 16:56:51.793360

"""

import sqlalchemy as sa
from alembic import op

revision = "7eab631f8a0c"
down_revision = '4d52418dda97'
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('queued', 'sending', 'sent', 'failed', 'held')"
NEW_STATUSES = "status IN ('queued', 'sending', 'sent', 'failed', 'held', 'cancelled', 'delivered')"


def upgrade():
    with op.batch_alter_table("acts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("registered_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("documents_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("email_queued_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("email_error", sa.Text(), nullable=True))
    # Acts sent before: their number was given on the sending date.
    op.execute("UPDATE acts SET registered_on = sent_on WHERE outgoing_number IS NOT NULL")
    # Their e-mail was queued at sending, in the same transaction.
    op.execute(
        "UPDATE acts SET email_queued_at = updated_at "
        "WHERE channel = 'email' AND outgoing_number IS NOT NULL"
    )

    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("resolved_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("resolution_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("delivered_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_emails_resolved_by_id_users"),
            "users",
            ["resolved_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_constraint(batch_op.f("ck_outbox_emails_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_outbox_emails_status"), NEW_STATUSES)
        batch_op.create_check_constraint(
            batch_op.f("ck_outbox_emails_delivered_has_date"),
            "status <> 'delivered' OR delivered_on IS NOT NULL",
        )


def downgrade():
    op.execute(
        "UPDATE outbox_emails SET status = 'failed' WHERE status IN ('cancelled', 'delivered')"
    )
    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_outbox_emails_delivered_has_date"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_outbox_emails_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_outbox_emails_status"), OLD_STATUSES)
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_emails_resolved_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("delivered_on")
        batch_op.drop_column("resolution_note")
        batch_op.drop_column("resolved_by_id")
        batch_op.drop_column("resolved_at")

    with op.batch_alter_table("acts", schema=None) as batch_op:
        batch_op.drop_column("email_error")
        batch_op.drop_column("email_queued_at")
        batch_op.drop_column("documents_requested_at")
        batch_op.drop_column("registered_on")
