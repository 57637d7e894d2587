"""calendar indexes; indexes that did not earn their bytes

- ``ix_tasks_day`` (due_on, priority): the calendar's day list reads a day's open tasks
  in the order it shows them (priority, id) a page at a time.
- ``ix_tasks_month`` (due_on, client_id, kind, status): the month summary counts a
  month's calls from this index alone (no read of the table), each day's clients in
  order: at a million clients a month holds hundreds of thousands of tasks.
- ``ix_personal_dates_client_id`` becomes ``ix_personal_dates_client`` (client_id,
  month, day): the same look-ups of a client's dates, and the month summary counts the
  dates of the clients in the Trash from the index alone.
- ``ix_contacts_meeting_at``, partial (``meeting_at IS NOT NULL``): the calendar's
  meetings of a day or a month; most calls book none.
- ``ix_purchases_membership_id`` becomes partial (``membership_id IS NOT NULL``): 95 % of
  purchases sell no membership and a NULL is never looked up (a membership's sale line
  and the foreign key's cascade look up one membership's id).
- ``ix_clients_email`` is dropped: no query compares the e-mail as stored; an import's
  look-ups go through ``ix_clients_email_lower``.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-01 17:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_tasks_day', 'tasks', ['due_on', 'priority'])
    op.create_index('ix_tasks_month', 'tasks', ['due_on', 'client_id', 'kind', 'status'])
    op.create_index('ix_contacts_meeting_at', 'contacts', ['meeting_at'],
                    sqlite_where=sa.text('meeting_at IS NOT NULL'),
                    postgresql_where=sa.text('meeting_at IS NOT NULL'))
    op.drop_index('ix_purchases_membership_id', table_name='purchases')
    op.create_index('ix_purchases_membership_id', 'purchases', ['membership_id'],
                    sqlite_where=sa.text('membership_id IS NOT NULL'),
                    postgresql_where=sa.text('membership_id IS NOT NULL'))
    op.drop_index('ix_clients_email', table_name='clients')
    op.drop_index('ix_personal_dates_client_id', table_name='personal_dates')
    op.create_index('ix_personal_dates_client', 'personal_dates',
                    ['client_id', 'month', 'day'])


def downgrade() -> None:
    op.drop_index('ix_personal_dates_client', table_name='personal_dates')
    op.create_index('ix_personal_dates_client_id', 'personal_dates', ['client_id'])
    op.create_index('ix_clients_email', 'clients', ['email'])
    op.drop_index('ix_purchases_membership_id', table_name='purchases')
    op.create_index('ix_purchases_membership_id', 'purchases', ['membership_id'])
    op.drop_index('ix_contacts_meeting_at', table_name='contacts')
    op.drop_index('ix_tasks_month', table_name='tasks')
    op.drop_index('ix_tasks_day', table_name='tasks')
