"""A/B/C groups (DOMAIN.md idea 8).

The first cut ranks clients by their 12-month value: the top ``segment.a_share`` percent
of the clients who bought anything in the window are A, the next ``segment.b_share``
percent B, everybody else C. An owner's override on the card always wins (the list
shows ``coalesce(segment_override, segment)``). The quarterly review builds on this.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.services import settings as settings_service


def assign_segments(session: Session) -> None:
    a = settings_service.get(session, "segment.a_share") / 100
    b = settings_service.get(session, "segment.b_share") / 100
    session.execute(text("UPDATE clients SET segment = 'C'"))
    session.execute(text("""
        WITH ranked AS (
            SELECT id, PERCENT_RANK() OVER (ORDER BY value_12m DESC) AS pr
            FROM clients WHERE deleted_at IS NULL AND value_12m > 0)
        UPDATE clients SET segment = CASE WHEN ranked.pr < :a THEN 'A'
                                          WHEN ranked.pr < :ab THEN 'B' ELSE 'C' END
        FROM ranked WHERE ranked.id = clients.id"""), {"a": a, "ab": a + b})
