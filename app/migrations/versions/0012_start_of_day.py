"""indexes for the first start of a day at a million clients

- ``ix_clients_gap_last`` (usual_gap_days, last_purchase_on) of the live clients who
  bought: a start of day looks only at the clients who fell at risk since the last start
  (win-back), one range of last purchase days for each usual gap (the gap decides the
  day a client falls at risk), instead of every client who bought within the lapse.
- ``ix_clients_a_created`` (created_at) of the live A clients: a keep-in-touch call of
  a client with no positive contact comes due from the day the client was added.

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-01 18:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    gap_last = "deleted_at IS NULL AND last_purchase_on IS NOT NULL"
    a_created = "COALESCE(segment_override, segment) = 'A' AND deleted_at IS NULL"
    op.create_index("ix_clients_gap_last", "clients", ["usual_gap_days", "last_purchase_on"],
                    sqlite_where=sa.text(gap_last), postgresql_where=sa.text(gap_last))
    op.create_index("ix_clients_a_created", "clients", ["created_at"],
                    sqlite_where=sa.text(a_created), postgresql_where=sa.text(a_created))


def downgrade() -> None:
    op.drop_index("ix_clients_a_created", table_name="clients")
    op.drop_index("ix_clients_gap_last", table_name="clients")
