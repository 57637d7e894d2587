"""contact effects

What logging a call changed (the tasks it settled or closed, the phone a wrong-number
call replaced, the complaint it opened), with the state before, so that the last call
can be undone and a logged call corrected from the card's history exactly.

Revision ID: 0004_contact_effects
Revises: 0003
Create Date: 2026-12-01 09:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004_contact_effects'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'contact_effects',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=True),
        sa.Column('what', sa.String(length=20), nullable=False),
        sa.Column('before', sa.Text(), server_default='{}', nullable=False),
        sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'],
                                name=op.f('fk_contact_effects_contact_id_contacts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'],
                                name=op.f('fk_contact_effects_task_id_tasks'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_effects')),
    )
    with op.batch_alter_table('contact_effects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_effects_contact_id'), ['contact_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_contact_effects_task_id'), ['task_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('contact_effects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_effects_task_id'))
        batch_op.drop_index(batch_op.f('ix_contact_effects_contact_id'))
    op.drop_table('contact_effects')
