"""the calendar's counts per day, kept up to date by triggers

The tables and triggers of app/services/calendar_store.py (per day: the calls due as the
calendar lists them, the calls logged, the meetings booked; per month and day of the
year: the personal dates), filled from the rows already there; from then on every write
keeps them exact, whoever writes. The month summary and a day's total read 30-31 rows
instead of counting a month of tasks.

Dropped: ``ix_tasks_month`` (due_on, client_id, kind, status), which served that count,
and ``ix_tasks_source`` (source_kind, source_id), which no query uses (a task's source is
found by ``source_key``, its row by the source table's key). Both were written on every
task the start of a day makes: 3,700 of the 28,400 pages a morning wrote at a million.

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-01 20:00:00
"""
from __future__ import annotations

from alembic import op

from app.services import calendar_store

revision = '0015'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_tasks_month", table_name="tasks")
    op.drop_index("ix_tasks_source", table_name="tasks")
    calendar_store.install(op.get_bind())


def downgrade() -> None:
    calendar_store.drop(op.get_bind())
    op.create_index("ix_tasks_source", "tasks", ["source_kind", "source_id"])
    op.create_index("ix_tasks_month", "tasks", ["due_on", "client_id", "kind", "status"])
