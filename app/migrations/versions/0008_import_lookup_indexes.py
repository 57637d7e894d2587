"""indexes for an import's look-ups of e-mails and card numbers

An import finds the clients a file's rows name by their e-mail and card number whatever
the letter case, a batch of rows at a time, in SQL: ``lower(email) IN (...)`` and
``lower(external_ref) IN (...)``. These two expression indexes make those look-ups
indexed (before, every client's keys were read into memory for each import).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 15:05:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_clients_email_lower', 'clients', [sa.text('lower(email)')])
    op.create_index('ix_clients_external_ref_lower', 'clients',
                    [sa.text('lower(external_ref)')])


def downgrade() -> None:
    op.drop_index('ix_clients_external_ref_lower', table_name='clients')
    op.drop_index('ix_clients_email_lower', table_name='clients')
