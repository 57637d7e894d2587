"""A/B/C groups (DOMAIN.md idea 8) and the quarterly review.

Groups come from the trailing-12-month revenue, Pareto-style: rank the clients by
12-month value; the clients who together make the first ``segment.a_revenue_share``
percent of the revenue (80 by default; the client who crosses the line included) are A,
the next ``segment.b_revenue_share`` percent (15) are B, everybody else — and anybody
with no revenue — C. Frequency counts too: an A client must have bought on at least
``segment.a_min_purchases`` different days in the window (3), otherwise B ("loyal for
years, buy much *and regularly*"). The owner's override on the card, with its reason
(required), always wins (lists show ``coalesce(segment_override, segment)``).

The quarterly review compares each client's group now with the group recorded at the
last review, lists those who moved, asks why (competitor prices, delivery trouble, a
personality conflict, other) and records every client's group for the quarter in
SegmentHistory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from app.errors import FieldError, ValidationError
from app.models import Client, Contact, SegmentHistory, Task
from app.models.enums import Segment, TaskKind, TaskStatus
from app.services import settings as settings_service


class MoveReason(StrEnum):
    COMPETITOR_PRICES = "competitor_prices"
    DELIVERY = "delivery"
    PERSONALITY = "personality"
    OTHER = "other"


def assign_segments(session: Session, today: date | None = None) -> set[int]:
    """Regroup every client; returns the clients whose group changed."""
    today = today or date.today()
    a_pct = settings_service.get(session, "segment.a_revenue_share")
    b_pct = settings_service.get(session, "segment.b_revenue_share")
    a, ab = a_pct / 100, (a_pct + b_pct) / 100  # 0.8 + 0.15 would be 0.9500000000000001
    min_days = settings_service.get(session, "segment.a_min_purchases")
    since = today - timedelta(days=settings_service.get(session, "value.window_days"))
    # Only the rows whose group changes are written (a day moves a few of a million).
    # The running revenue of the clients ranked before this one, as a share of all
    # revenue; the purchase days are counted only for those inside the A share.
    changed = session.execute(text("""
        WITH ranked AS (
            SELECT id, value_12m,
                   COALESCE(SUM(value_12m) OVER (ORDER BY value_12m DESC, id
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                       * 1.0 / (SELECT SUM(value_12m) FROM clients
                          WHERE deleted_at IS NULL AND value_12m > 0) AS before
            FROM clients WHERE deleted_at IS NULL AND value_12m > 0),
        grouped AS (
            SELECT id, CASE
                WHEN before < :a AND (SELECT COUNT(DISTINCT p.purchased_on) FROM purchases p
                     WHERE p.client_id = ranked.id AND p.is_credit = :no
                       AND p.purchased_on > :since AND p.purchased_on <= :today) >= :min_days
                     THEN 'A'
                WHEN before < :ab THEN 'B' ELSE 'C' END AS segment
            FROM ranked)
        UPDATE clients SET segment = grouped.segment
        FROM grouped WHERE grouped.id = clients.id
          AND clients.segment IS NOT grouped.segment
        RETURNING clients.id"""),
                    {"a": a, "ab": ab, "min_days": min_days, "since": since,
                     "today": today, "no": False})
    moved = set(changed.scalars())
    # everybody else (no revenue in the window, in the Trash) is C: two index ranges
    for rest in ("deleted_at IS NULL AND value_12m <= 0", "deleted_at IS NOT NULL"):
        moved.update(session.execute(text(f"""
            UPDATE clients SET segment = 'C' WHERE {rest} AND segment IS NOT 'C'
            RETURNING id""")).scalars())
    return moved


def quarter_of(d: date) -> str:
    return f"{d.year}Q{(d.month + 2) // 3}"


def previous_quarter(q: str) -> str:
    year, n = int(q[:4]), int(q[5])
    return f"{year - 1}Q4" if n == 1 else f"{year}Q{n - 1}"


@dataclass(frozen=True)
class ReviewRow:
    """A client whose group moved since the last review, with what the move is based on:
    12-month revenue and the minutes of logged calls in the same window."""

    client_id: int
    name: str
    previous: Segment | None
    segment: Segment
    value_12m: Decimal
    purchase_count: int
    call_minutes: int
    override_reason: str
    reason_kind: MoveReason | None
    reason: str


@dataclass(frozen=True)
class Review:
    quarter: str
    last_quarter: str | None  # the quarter of the last review; None = the first review
    rows: list[ReviewRow]
    done: bool  # this quarter was already recorded
    clients: int


def _minutes(session: Session, since: date):
    return (select(Contact.client_id,
                   (func.sum(func.coalesce(Contact.duration_seconds, 0)) / 60).label("m"))
            .where(Contact.at >= datetime.combine(since + timedelta(days=1),
                                                  datetime.min.time()))  # as purchases
            .group_by(Contact.client_id).subquery())


def review(session: Session, today: date) -> Review:
    """The clients whose group now differs from their group at the last review."""
    quarter = quarter_of(today)
    last = session.scalar(select(func.max(SegmentHistory.quarter))
                          .where(SegmentHistory.quarter < quarter))
    done = session.scalar(select(func.count()).select_from(SegmentHistory)
                          .where(SegmentHistory.quarter == quarter)) or 0
    since = today - timedelta(days=settings_service.get(session, "value.window_days"))
    seg = func.coalesce(Client.segment_override, Client.segment, Segment.C.value)
    clients = session.scalar(select(func.count()).select_from(Client)
                             .where(Client.deleted_at.is_(None))) or 0
    if last is None:
        return Review(quarter, None, [], bool(done), clients)
    before = (select(SegmentHistory.client_id, SegmentHistory.segment)
              .where(SegmentHistory.quarter == last).subquery())
    now_rec = (select(SegmentHistory.client_id, SegmentHistory.reason_kind,
                      SegmentHistory.reason)
               .where(SegmentHistory.quarter == quarter).subquery())
    minutes = _minutes(session, since)
    stmt = (select(Client.id, Client.name, before.c.segment, seg, Client.value_12m,
                   Client.purchase_count, func.coalesce(minutes.c.m, 0),
                   Client.segment_override_reason, now_rec.c.reason_kind, now_rec.c.reason)
            .join(before, before.c.client_id == Client.id)
            .join(minutes, minutes.c.client_id == Client.id, isouter=True)
            .join(now_rec, now_rec.c.client_id == Client.id, isouter=True)
            .where(Client.deleted_at.is_(None), before.c.segment != seg)
            .order_by(seg, Client.value_12m.desc(), Client.sort_name))
    rows = [ReviewRow(i, n, Segment(p), Segment(s), v or Decimal("0.00"), pc or 0, int(m),
                      orr or "", MoveReason(rk) if rk else None, r or "")
            for i, n, p, s, v, pc, m, orr, rk, r in session.execute(stmt)]
    return Review(quarter, last, rows, bool(done), clients)


@dataclass(frozen=True)
class MoveAnswer:
    client_id: int
    reason_kind: MoveReason | None
    reason: str = ""


def record_review(session: Session, today: date, answers: list[MoveAnswer]) -> int:
    """Record every client's group for this quarter (again, if the review is redone) with
    the reasons of the moves; close the quarter's review task. Returns clients recorded.
    A move needs its reason kind, and "other" needs the text."""
    quarter = quarter_of(today)
    by_client = {a.client_id: a for a in answers}
    last = session.scalar(select(func.max(SegmentHistory.quarter))
                          .where(SegmentHistory.quarter < quarter))
    previous = dict(session.execute(select(SegmentHistory.client_id, SegmentHistory.segment)
                                    .where(SegmentHistory.quarter == last)).all()) \
        if last else {}
    existing = {h.client_id: h for h in session.scalars(
        select(SegmentHistory).where(SegmentHistory.quarter == quarter))}
    since = today - timedelta(days=settings_service.get(session, "value.window_days"))
    minutes = _minutes(session, since)
    seg = func.coalesce(Client.segment_override, Client.segment, Segment.C.value)
    stmt = (select(Client.id, seg, Client.value_12m, func.coalesce(minutes.c.m, 0))
            .join(minutes, minutes.c.client_id == Client.id, isouter=True)
            .where(Client.deleted_at.is_(None)).order_by(Client.id))
    found = [(cid, Segment(s), value, int(mins)) for cid, s, value, mins
             in session.execute(stmt)]
    errors = []  # checked before anything is written, whatever the caller does next
    for cid, seg_now, _value, _mins in found:
        a = by_client.get(cid)
        if previous.get(cid) is None or previous[cid] == seg_now:
            continue
        if a is None or a.reason_kind is None:  # also a client who moved meanwhile
            errors.append(FieldError(f"reason:{cid}", "segment.reason_required",
                                     "say why the client moved"))
        elif a.reason_kind == MoveReason.OTHER and not a.reason.strip():
            errors.append(FieldError(f"reason:{cid}", "segment.reason_text_required",
                                     "describe the other reason"))
    if errors:
        raise ValidationError(errors)
    for cid, seg_now, value, mins in found:
        h = existing.get(cid) or SegmentHistory(client_id=cid, quarter=quarter)
        h.segment, h.previous = seg_now, previous.get(cid)
        h.value_12m, h.call_minutes = value, mins
        a = by_client.get(cid)
        moved = h.previous is not None and h.previous != h.segment
        h.reason_kind = a.reason_kind.value if a and moved and a.reason_kind else None
        h.reason = a.reason.strip() if a and moved else ""
        if cid not in existing:
            session.add(h)
    session.execute(update(Task).where(
        Task.kind == TaskKind.QUARTERLY_REVIEW.value,
        Task.status.in_([TaskStatus.OPEN.value, TaskStatus.SNOOZED.value]),
        Task.due_on <= today).values(status=TaskStatus.DONE.value, closed_at=datetime.now())
        .execution_options(synchronize_session=False))
    session.flush()
    return len(found)


def history(session: Session, client_id: int) -> list[SegmentHistory]:
    return list(session.scalars(select(SegmentHistory).where(
        SegmentHistory.client_id == client_id).order_by(SegmentHistory.quarter)))
