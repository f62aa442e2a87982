"""inbox: messages read from the office mailbox, scanned answers' text (full-text indexed),
e-mails returned undelivered (status bounced)

Revision ID: 5b1e2c7d9a40
Revises: 6eee4f465822
Create Date: 2026-11-30 21:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5b1e2c7d9a40"
down_revision = "6eee4f465822"
branch_labels = None
depends_on = None

OLD_STATUSES = (
    "status IN ('queued', 'sending', 'sent', 'failed', 'held', 'cancelled', 'delivered')"
)
NEW_STATUSES = (
    "status IN ('queued', 'sending', 'sent', 'failed', 'held', 'cancelled', 'delivered', "
    "'bounced')"
)
CODES = "'not_configured', 'retrying', 'interrupted', 'gave_up', 'rejected', 'error', 'attachment', 'uncertain'"
OLD_CODES = f"error_code IS NULL OR error_code IN ({CODES})"
NEW_CODES = f"error_code IS NULL OR error_code IN ({CODES}, 'bounced')"

STATES = "state IN ('unmatched', 'filed', 'auto_reply', 'bounce', 'ignored')"
MATCHES = (
    "matched_by IS NULL OR matched_by IN "
    "('references', 'number', 'plus_address', 'sender', 'manual')"
)
REASONS = (
    "reason_code IS NULL OR reason_code IN ('no_match', 'ambiguous', 'act_deleted', "
    "'act_closed', 'too_large', 'too_many_attachments', 'malformed', 'auto_reply', 'bounce', "
    "'bounce_unknown', 'ignored')"
)

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE fts_scanned_texts USING fts5("
    "text, content='scanned_texts', content_rowid='file_id', "
    "tokenize='unicode61 remove_diacritics 2')",
    """CREATE TRIGGER fts_scanned_texts_ai AFTER INSERT ON scanned_texts BEGIN
        INSERT INTO fts_scanned_texts(rowid, text) VALUES (new.file_id, new.text);
    END""",
    """CREATE TRIGGER fts_scanned_texts_ad AFTER DELETE ON scanned_texts BEGIN
        INSERT INTO fts_scanned_texts(fts_scanned_texts, rowid, text)
        VALUES ('delete', old.file_id, old.text);
    END""",
    """CREATE TRIGGER fts_scanned_texts_au AFTER UPDATE OF text ON scanned_texts BEGIN
        INSERT INTO fts_scanned_texts(fts_scanned_texts, rowid, text)
        VALUES ('delete', old.file_id, old.text);
        INSERT INTO fts_scanned_texts(rowid, text) VALUES (new.file_id, new.text);
    END""",
]


def upgrade():
    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_outbox_emails_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_outbox_emails_status"), NEW_STATUSES)
        batch_op.drop_constraint(batch_op.f("ck_outbox_emails_error_code"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_outbox_emails_error_code"), NEW_CODES)

    op.create_table(
        "inbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("folder", sa.String(length=200), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("uid", sa.BigInteger(), nullable=False),
        sa.Column("raw_sha256", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=998), nullable=True),
        sa.Column("from_addr", sa.String(length=320), server_default="", nullable=False),
        sa.Column("from_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("subject", sa.Text(), server_default="", nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("eml_path", sa.String(length=400), nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("reason_code", sa.String(length=24), nullable=True),
        sa.Column("reason_detail", sa.Text(), server_default="", nullable=False),
        sa.Column("matched_by", sa.String(length=16), nullable=True),
        sa.Column("act_id", sa.Integer(), nullable=True),
        sa.Column("response_id", sa.Integer(), nullable=True),
        sa.Column("outbox_email_id", sa.Integer(), nullable=True),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("filed_by_id", sa.Integer(), nullable=True),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(STATES, name=op.f("ck_inbox_messages_state")),
        sa.CheckConstraint(MATCHES, name=op.f("ck_inbox_messages_matched_by")),
        sa.CheckConstraint(REASONS, name=op.f("ck_inbox_messages_reason")),
        sa.ForeignKeyConstraint(["act_id"], ["acts.id"], name=op.f("fk_inbox_messages_act_id_acts"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["filed_by_id"], ["users.id"], name=op.f("fk_inbox_messages_filed_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["outbox_email_id"], ["outbox_emails.id"], name=op.f("fk_inbox_messages_outbox_email_id_outbox_emails"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["response_id"], ["responses.id"], name=op.f("fk_inbox_messages_response_id_responses"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_messages")),
        sa.UniqueConstraint("eml_path", name=op.f("uq_inbox_messages_eml_path")),
        sa.UniqueConstraint("folder", "uidvalidity", "uid", name="uq_inbox_messages_uid"),
    )
    with op.batch_alter_table("inbox_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_messages_act_id"), ["act_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inbox_messages_message_id"), ["message_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inbox_messages_outbox_email_id"), ["outbox_email_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inbox_messages_raw_sha256"), ["raw_sha256"], unique=False)
        batch_op.create_index("ix_inbox_messages_state_received", ["state", "received_at"], unique=False)

    op.create_table(
        "scanned_texts",
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("error", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('done', 'has_text', 'failed')", name=op.f("ck_scanned_texts_status")),
        sa.ForeignKeyConstraint(["file_id"], ["response_files.id"], name=op.f("fk_scanned_texts_file_id_response_files"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("file_id", name=op.f("pk_scanned_texts")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX fts_scanned_texts_text ON scanned_texts "
            "USING gin (to_tsvector('simple'::regconfig, text))"
        )
    else:
        for statement in SQLITE_FTS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS fts_scanned_texts_text")
    else:
        for name in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS fts_scanned_texts_{name}")
        op.execute("DROP TABLE IF EXISTS fts_scanned_texts")
    op.drop_table("scanned_texts")
    with op.batch_alter_table("inbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_inbox_messages_state_received")
        batch_op.drop_index(batch_op.f("ix_inbox_messages_raw_sha256"))
        batch_op.drop_index(batch_op.f("ix_inbox_messages_outbox_email_id"))
        batch_op.drop_index(batch_op.f("ix_inbox_messages_message_id"))
        batch_op.drop_index(batch_op.f("ix_inbox_messages_act_id"))
    op.drop_table("inbox_messages")
    op.execute("UPDATE outbox_emails SET status = 'sent', error_code = NULL WHERE status = 'bounced'")
    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_outbox_emails_error_code"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_outbox_emails_error_code"), OLD_CODES)
        batch_op.drop_constraint(batch_op.f("ck_outbox_emails_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_outbox_emails_status"), OLD_STATUSES)
