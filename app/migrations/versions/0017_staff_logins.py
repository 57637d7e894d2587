"""staff logins and who changed what (issue 17)

``staff`` gets the argon2 hash of a password, the count of wrong ones in a row and the
time signing in is locked until (columns added in place). ``edit_log`` is
new: who saved which change of a client, complaint or contact. No large table is rebuilt.

Revision ID: 0017
Revises: 0016 (written against 0014; chained after the messages' 0016 at the merge)
Create Date: 2026-12-02 07:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ALTER TABLE ADD COLUMN, no rebuild: a rebuilt staff table would be dropped first,
    # and with foreign keys on that sets every call's and purchase's staff to NULL
    op.add_column("staff", sa.Column("password_hash", sa.String(length=200), nullable=True))
    op.add_column("staff", sa.Column("failed_logins", sa.Integer(), nullable=False,
                                     server_default="0"))
    op.add_column("staff", sa.Column("locked_until", sa.DateTime(), nullable=True))
    op.create_table(
        "edit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), server_default=sa.func.current_timestamp(),
                  nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"],
                                name="fk_edit_log_staff_id_staff", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_edit_log"),
    )
    op.create_index("ix_edit_log_client", "edit_log", ["client_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_edit_log_client", table_name="edit_log")
    op.drop_table("edit_log")
    # DROP COLUMN in place (SQLite 3.35+), no rebuild of staff: see upgrade()
    op.drop_column("staff", "locked_until")
    op.drop_column("staff", "failed_logins")
    op.drop_column("staff", "password_hash")
