"""erasure log

The clients erased at their request (the client's number and the date, nothing
personal), so that restoring an older backup erases them again.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-01 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004_contact_effects'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'erasures',
        sa.Column('client_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('erased_on', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('client_id', name=op.f('pk_erasures')),
    )
    # clients erased before the log existed are logged too
    op.execute("INSERT INTO erasures (client_id, erased_on) "
               "SELECT id, date(erased_at) FROM clients WHERE erased_at IS NOT NULL")


def downgrade() -> None:
    op.drop_table('erasures')
