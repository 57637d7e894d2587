"""pre-aggregated figures of the Charts page, kept up to date by triggers

The tables and triggers of app/services/chart_store.py (per client and month: purchase
lines, amounts, first-purchase month and channel; per month and quarter: the repeat
share's counts and cents, clients buying and returning; cohorts by month; revenue by
channel; new clients by day and channel; calls by outcome, tone and decline reason),
filled from the rows already there. Every later write keeps them exact through the
triggers, whoever writes (the card, the importer's Core batches, the demo, erasure).

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-01 17:30:00
"""
from __future__ import annotations

from alembic import op

from app.services import chart_store

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    chart_store.install(op.get_bind())


def downgrade() -> None:
    chart_store.drop(op.get_bind())
