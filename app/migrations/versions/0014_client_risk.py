"""the kept churn-risk scores (issue 15 [10])

``client_risk``: one row per client with a purchase day, written by
app/services/risk_store.py ``refresh_risk`` (after the start of a day, after an import,
``clientcare risk --keep``); the list sorted by risk walks ``ix_client_risk_score``. A
new table: no table is rebuilt, so every trigger stays.

Revision ID: 0014
Revises: 0013 (written against 0012; chained at the merge)
Create Date: 2026-12-01 20:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'  # chained at the merge (written against 0012)
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_risk",
        sa.Column("client_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("level", sa.String(length=6), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("since_days", sa.Integer(), nullable=False),
        sa.Column("gap_days", sa.Integer(), nullable=False),
        sa.Column("ratio", sa.Float(), nullable=False),
        sa.Column("purchase_days", sa.Integer(), nullable=False),
        sa.Column("value_cents", sa.Integer(), nullable=False),
        sa.Column("value_level", sa.String(length=6), nullable=False),
        sa.Column("expected_gap", sa.Integer(), nullable=True),
        sa.Column("model", sa.String(length=10), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("last_on", sa.Date(), nullable=False),
        sa.Column("horizon", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"],
                                name="fk_client_risk_client_id_clients", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("client_id", name="pk_client_risk"),
    )
    op.create_index("ix_client_risk_score", "client_risk", ["score", "client_id"])


def downgrade() -> None:
    op.drop_index("ix_client_risk_score", table_name="client_risk")
    op.drop_table("client_risk")
