"""segment reasons

The owner's manual A/B/C group keeps its reason on the client; the quarterly review
keeps why a client moved as a kind (competitor prices, delivery trouble, personality
conflict, other) beside the free text, with the 12-month value and call minutes the
group was decided on.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('segment_override_reason', sa.Text(), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('segment_history', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_kind', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('value_12m', sa.Numeric(precision=12, scale=2),
                                      nullable=True))
        batch_op.add_column(sa.Column('call_minutes', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('segment_history', schema=None) as batch_op:
        batch_op.drop_column('call_minutes')
        batch_op.drop_column('value_12m')
        batch_op.drop_column('reason_kind')
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_column('segment_override_reason')
