"""task rule due date

A task remembers the date its rule asked for, so that when the source moves (a
purchase re-dated, a membership frozen) the open task moves with it, while a task
the staff snoozed or the contact cap moved keeps its own due date.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 07:47:33.135163
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule_due_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('rule_due_on')

