"""messages to clients: the owner's templates and every message sent or tried (issue 18)

``message_templates``: a template the owner wrote or edited (kind, language, channel,
subject, body); ClientCare's own templates in the four languages are in
app/services/messages/defaults.py and need no row (a row stands in for one).
``messages``: one row per message to a client (address, text, status, error, the
gateway's id, the SMS parts), linked to the contact logged when it went out. Two new
tables: nothing is rebuilt, every trigger stays.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02 07:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0014'
branch_labels = None
depends_on = None

_CHANNEL = sa.Enum('phone', 'sms', 'email', 'in_person', 'messenger', 'letter',
                   name='channel', native_enum=False, length=20, create_constraint=False)


def upgrade() -> None:
    op.create_table(
        "message_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("channel", _CHANNEL, nullable=False),
        sa.Column("subject", sa.String(length=200), server_default="", nullable=False),
        sa.Column("body", sa.Text(), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_message_templates"),
        sa.UniqueConstraint("kind", "language", "channel",
                            name="uq_message_templates_kind_language_channel"),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("channel", _CHANNEL, nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), server_default="", nullable=False),
        sa.Column("body", sa.Text(), server_default="", nullable=False),
        sa.Column("task_ids", sa.String(length=200), server_default="", nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("error_code", sa.String(length=60), nullable=True),
        sa.Column("error_detail", sa.Text(), nullable=True),
        sa.Column("gateway_id", sa.String(length=200), nullable=True),
        sa.Column("segments", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"],
                                name="fk_messages_client_id_clients", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"],
                                name="fk_messages_contact_id_contacts", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["template_id"], ["message_templates.id"],
                                name="fk_messages_template_id_message_templates",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"],
                                name="fk_messages_staff_id_staff", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
    )
    op.create_index("ix_messages_client", "messages", ["client_id", "created_at"])
    op.create_index("ix_messages_unsent", "messages", ["client_id", "created_at"],
                    sqlite_where=sa.text("status IN ('failed', 'pending')"),
                    postgresql_where=sa.text("status IN ('failed', 'pending')"))
    op.create_index("ix_messages_contact_id", "messages", ["contact_id"])


def downgrade() -> None:
    op.drop_index("ix_messages_contact_id", table_name="messages")
    op.drop_index("ix_messages_unsent", table_name="messages")
    op.drop_index("ix_messages_client", table_name="messages")
    op.drop_table("messages")
    op.drop_table("message_templates")
