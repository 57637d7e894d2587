"""membership sale

A membership's price is a sale: a purchase line linked to the membership
(purchases.membership_id), so it counts in revenue, visits and the client's status
like any purchase. Memberships priced before this revision get their line now, dated
their start (or today, for one that starts later).

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('membership_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_purchases_membership_id'), ['membership_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_purchases_membership_id_memberships'),
                                    'memberships', ['membership_id'], ['id'],
                                    ondelete='CASCADE')
    op.execute(
        "INSERT INTO purchases (client_id, purchased_on, amount, item, quantity, note, "
        "is_credit, membership_id) "
        "SELECT client_id, MIN(starts_on, DATE('now', 'localtime')), price, plan, 1, '', 0, id "
        "FROM memberships WHERE price IS NOT NULL AND price > 0")


def downgrade() -> None:
    op.execute("DELETE FROM purchases WHERE membership_id IS NOT NULL")
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_purchases_membership_id_memberships'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_purchases_membership_id'))
        batch_op.drop_column('membership_id')
