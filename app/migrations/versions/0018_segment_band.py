"""the clients with no revenue kept in their own rows of chart_segments

The Charts' A/B/C picture shows the clients with no revenue in the window as a band of
their own. ``chart_segments`` kept each group's clients and cents; the band was counted
from the clients table at every report: at a million clients, where most may have no
purchase in the last twelve months, that was 0.8 s of the 3 s the report may take. Each
group's clients with no revenue now count in a row of their own (the group's name and
``:none``), kept by the same triggers; the table is filled again from the clients (one
GROUP BY), the other kept figures are left as they are.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 17:50:00
"""
from __future__ import annotations

from alembic import op

from app.services import chart_store

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

#: the triggers' bodies and the fill as 0011 made them (a group's row counted everyone)
_OLD_EFFECT = """
    INSERT INTO chart_segments (segment, clients, cents)
    SELECT COALESCE({r}.segment_override, {r}.segment, '-'), {s},
           {s} * CAST(round(COALESCE({r}.value_12m, 0) * 100) AS INTEGER)
     WHERE {r}.deleted_at IS NULL
    ON CONFLICT (segment) DO UPDATE SET
        clients = clients + excluded.clients, cents = cents + excluded.cents;"""
_OLD = (
    "DROP TRIGGER IF EXISTS chart_segment_insert",
    "DROP TRIGGER IF EXISTS chart_segment_delete",
    "DROP TRIGGER IF EXISTS chart_segment_update",
    "DELETE FROM chart_segments",
    """INSERT INTO chart_segments (segment, clients, cents)
       SELECT COALESCE(segment_override, segment, '-'), COUNT(*),
              SUM(CAST(round(COALESCE(value_12m, 0) * 100) AS INTEGER))
       FROM clients WHERE deleted_at IS NULL GROUP BY 1""",
    "CREATE TRIGGER chart_segment_insert AFTER INSERT ON clients BEGIN"
    + _OLD_EFFECT.format(r="NEW", s="1") + " END",
    "CREATE TRIGGER chart_segment_delete AFTER DELETE ON clients BEGIN"
    + _OLD_EFFECT.format(r="OLD", s="-1") + " END",
    """CREATE TRIGGER chart_segment_update
        AFTER UPDATE OF segment, segment_override, value_12m, deleted_at ON clients
        WHEN OLD.segment IS NOT NEW.segment OR OLD.segment_override IS NOT NEW.segment_override
          OR OLD.value_12m IS NOT NEW.value_12m OR OLD.deleted_at IS NOT NEW.deleted_at BEGIN"""
    + _OLD_EFFECT.format(r="OLD", s="-1") + _OLD_EFFECT.format(r="NEW", s="1") + " END",
)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":  # a server computes the figures from the rows
        chart_store.refill_segments(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for sql in _OLD:
            conn.exec_driver_sql(sql)
