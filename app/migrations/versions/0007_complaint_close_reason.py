"""complaint close reason

A complaint is closed only after its call-back, unless the user closes it without the
call-back and says why: that reason is kept on the complaint.

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-01 09:20:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('close_reason', sa.Text(), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('close_reason')
