"""Every number the Charts page shows, defined once (DOMAIN.md "Definitions the charts
use") and computed in the database with SQLAlchemy Core (GROUP BY, no loops over ORM
objects), in expressions that run on SQLite and on PostgreSQL.

Definitions used throughout:

* A client's **first purchase** is the earliest date of their purchases (credit lines,
  i.e. refunds, are not purchases). A purchase is **returning** when its date is after
  the client's first purchase date; everything bought on the first day is new.
* **Counts** count purchase lines, without credit lines. **Revenue** is the sum of all
  lines, credits included (a refund of 40 lowers the period's revenue by 40, as new or
  returning revenue by the date of the refund), so revenue stays true.
* A **period** is a month (key ``yyyymm``, e.g. 202611) or a quarter (key ``yyyyq``,
  e.g. 20264). Every period between ``start`` and ``end`` appears, with zeros where
  nothing happened.
* Purchases of clients in the Trash still count: the sale happened.
* **As of a day** (``report(..., as_of)``): only what is dated on or before it counts
  (purchases, second purchases, calls, complaints opened and closed, tasks done); the
  range ends there at the latest. A/B/C for a past day is computed for that day from
  the purchases then (the regrouping's rule, read-only); today's are the stored groups,
  with the day they were computed. Clients with no revenue in the trailing 12 months
  are their own band (``NO_PURCHASES``), in no group.
* Ratios are returned whole (floats of exact quotients), minutes as exact decimals:
  rounding is for the screen only.

On SQLite every series but the complaints reads the figures app/services/chart_store.py
keeps up to date by triggers (per client and month, per month, per day), so the report
does not grow with the rows; each also keeps its computation over the raw rows
(``from_rows=True``, and ``report(..., from_rows=True)``), the reference the tests
compare the figures with, and the path on another database.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    cast,
    distinct,
    exists,
    extract,
    func,
    or_,
    select,
    text,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from app.models import Client, Complaint, Contact, Purchase, Setting, Task
from app.models.enums import ComplaintStatus, Direction, Outcome, TaskKind, TaskStatus
from app.services import chart_store, parallel_read
from app.services import settings as settings_service
from app.services.access import Action, require
from app.services.segments import ABC_STATE

ZERO = Decimal("0.00")
CLOSED = (ComplaintStatus.CLOSED_KEPT.value, ComplaintStatus.CLOSED_LOST.value)
CONVERSION_DAYS = 90
RETENTION_MONTHS = 12


class By(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


# --------------------------------------------------------------------------- periods

def _int(expr) -> ColumnElement[int]:
    return cast(expr, Integer)


def period_key(col, by: By) -> ColumnElement[int]:
    """yyyymm or yyyyq of a date or datetime column, as an integer."""
    year = _int(extract("year", col))
    month = _int(extract("month", col))
    if by == By.MONTH:
        return year * 100 + month
    return year * 10 + (month + 2) // 3


def key_of(d: date, by: By) -> int:
    return d.year * 100 + d.month if by == By.MONTH else d.year * 10 + (d.month + 2) // 3


def period_start(key: int, by: By) -> date:
    if by == By.MONTH:
        return date(key // 100, key % 100, 1)
    return date(key // 10, 3 * (key % 10) - 2, 1)


def period_end(key: int, by: By) -> date:
    nxt = next_key(key, by)
    return period_start(nxt, by) - timedelta(days=1)


def next_key(key: int, by: By) -> int:
    if by == By.MONTH:
        y, m = divmod(key, 100)
        return (y + 1) * 100 + 1 if m == 12 else key + 1
    y, q = divmod(key, 10)
    return (y + 1) * 10 + 1 if q == 4 else key + 1


def periods(start: date, end: date, by: By) -> list[int]:
    out, k, last = [], key_of(start, by), key_of(end, by)
    while k <= last:
        out.append(k)
        k = next_key(k, by)
    return out


def default_range(as_of: date) -> tuple[date, date]:
    """The last 12 months: the first day of the month 11 months back, to ``as_of``."""
    y, m = as_of.year, as_of.month - 11
    if m <= 0:
        y, m = y - 1, m + 12
    return date(y, m, 1), as_of


def _month_index(col) -> ColumnElement[int]:
    return _int(extract("year", col)) * 12 + _int(extract("month", col))


def _days_between(session: Session, a, b) -> ColumnElement:
    """Whole days from date ``a`` to date ``b``."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(b) - func.julianday(a)
    return b - a  # PostgreSQL: date - date is an integer of days


def _hours_between(session: Session, a, b) -> ColumnElement:
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(b) - func.julianday(a)) * 24
    return extract("epoch", b - a) / 3600


def _ratio(part: int | Decimal, whole: int | Decimal) -> float | None:
    return None if not whole else float(Decimal(part) / Decimal(whole))


def _first_purchases():
    """client_id -> first_on: the earliest date of each client's purchases (no credits).

    Read from ``clients.first_purchase_on``, which the clients service keeps equal to
    ``min(purchased_on)`` of the client's non-credit purchases on every save and import
    (refresh_client_stats); a GROUP BY over all purchases per series cost ~150 ms each at
    500,000 purchases."""
    return (select(Client.id.label("client_id"), Client.first_purchase_on.label("first_on"))
            .where(Client.first_purchase_on.is_not(None)).subquery("fp"))


def _segment() -> ColumnElement[str]:
    """The group a client is in (the owner's override wins) as plain text, "-" = none."""
    return func.coalesce(type_coerce(Client.segment_override, String),
                         type_coerce(Client.segment, String), "-")


def _share(part: Decimal, whole: Decimal) -> float | None:
    """A revenue share, kept within [0, 1]: a refund can make one side negative."""
    if whole <= 0:
        return None
    return min(1.0, max(0.0, float(part / whole)))


def _money(v) -> Decimal:
    return Decimal(str(v or 0)).quantize(Decimal("0.01"))


# --------------------------------------------------------------------------- series

@dataclass(frozen=True)
class RepeatShare:
    """Repeat-purchase share of one period = returning / all, by count and by revenue."""

    period: int
    purchases: int
    returning_purchases: int
    revenue: Decimal
    returning_revenue: Decimal

    @property
    def share_count(self) -> float | None:
        return _ratio(self.returning_purchases, self.purchases)

    @property
    def share_revenue(self) -> float | None:
        return _share(self.returning_revenue, self.revenue)


def _repeat_share_rows(session: Session, start: date, end: date, by: By) -> list[RepeatShare]:
    fp = _first_purchases()
    P = Purchase
    key = period_key(P.purchased_on, by).label("k")
    returning = P.purchased_on > fp.c.first_on
    real = P.is_credit.is_(False)
    stmt = (select(key,
                   func.sum(case((real, 1), else_=0)),
                   func.sum(case((and_(real, returning), 1), else_=0)),
                   func.coalesce(func.sum(P.amount), 0),
                   func.coalesce(func.sum(case((returning, P.amount), else_=0)), 0))
            .join(fp, fp.c.client_id == P.client_id, isouter=True)
            .where(P.purchased_on.between(start, end))
            .group_by(key))
    got = {r[0]: r for r in session.execute(stmt)}
    return [RepeatShare(k, int(got[k][1] or 0), int(got[k][2] or 0), _money(got[k][3]),
                        _money(got[k][4])) if k in got else RepeatShare(k, 0, 0, ZERO, ZERO)
            for k in periods(start, end, by)]


@dataclass(frozen=True)
class ReturningClients:
    """Clients with any purchase in the period, split into returning (a returning purchase
    in the period) and new (only first-day purchases in it): new + returning = clients."""

    period: int
    clients: int
    returning: int

    @property
    def new(self) -> int:
        return self.clients - self.returning

    @property
    def rate(self) -> float | None:
        return _ratio(self.returning, self.clients)


def _returning_clients_rows(session: Session, start: date, end: date, by: By
                      ) -> list[ReturningClients]:
    fp = _first_purchases()
    P = Purchase
    key = period_key(P.purchased_on, by).label("k")
    returning_client = case((P.purchased_on > fp.c.first_on, P.client_id))
    stmt = (select(key, func.count(distinct(P.client_id)), func.count(distinct(returning_client)))
            .join(fp, fp.c.client_id == P.client_id)
            .where(P.purchased_on.between(start, end), P.is_credit.is_(False))
            .group_by(key))
    got = {r[0]: r for r in session.execute(stmt)}
    return [ReturningClients(k, int(got[k][1]), int(got[k][2])) if k in got
            else ReturningClients(k, 0, 0) for k in periods(start, end, by)]


@dataclass(frozen=True)
class CohortConversion:
    """Clients whose first purchase falls in the cohort month, and how many bought again
    within 90 days. ``complete`` is False while the 90 days of the cohort's last day have
    fully passed by ``as_of`` (until then the rate can still rise)."""

    cohort: int  # yyyymm
    clients: int
    converted: int
    complete: bool

    @property
    def rate(self) -> float | None:
        return _ratio(self.converted, self.clients)


def _second_purchase_conversion_rows(session: Session, start: date, end: date, as_of: date
                               ) -> list[CohortConversion]:
    fp = _first_purchases()
    P = Purchase
    again = (select(P.id).where(P.client_id == fp.c.client_id, P.is_credit.is_(False),
                                P.purchased_on > fp.c.first_on, P.purchased_on <= as_of,
                                _days_between(session, fp.c.first_on, P.purchased_on)
                                <= CONVERSION_DAYS).exists())
    key = period_key(fp.c.first_on, By.MONTH).label("k")
    stmt = (select(key, func.count(), func.sum(case((again, 1), else_=0)))
            .where(fp.c.first_on.between(start, end)).group_by(key))
    got = {r[0]: r for r in session.execute(stmt)}
    out = []
    for k in periods(start, end, By.MONTH):
        done = period_end(k, By.MONTH) + timedelta(days=CONVERSION_DAYS) < as_of
        out.append(CohortConversion(k, int(got[k][1]), int(got[k][2] or 0), done) if k in got
                   else CohortConversion(k, 0, 0, done))
    return out


@dataclass(frozen=True)
class CohortRetention:
    """Of the clients who first bought in the cohort month, how many bought (anything) in
    each month since: ``active[0]`` is the cohort month itself (= size), ``active[n]`` the
    n-th month after; None where that month is still in the future."""

    cohort: int
    size: int
    active: list[int | None] = field(default_factory=list)

    def rates(self) -> list[float | None]:
        return [None if a is None else _ratio(a, self.size) for a in self.active]


def _cohort_retention_rows(session: Session, start: date, end: date, as_of: date,
                     months: int = RETENTION_MONTHS) -> list[CohortRetention]:
    fp = _first_purchases()
    P = Purchase
    ckey = period_key(fp.c.first_on, By.MONTH).label("c")
    since = (_month_index(P.purchased_on) - _month_index(fp.c.first_on)).label("n")
    stmt = (select(ckey, since, func.count(distinct(P.client_id)))
            .join(fp, fp.c.client_id == P.client_id)
            .where(fp.c.first_on.between(start, end), P.is_credit.is_(False),
                   P.purchased_on <= as_of)
            .group_by(ckey, since))
    counts: dict[int, dict[int, int]] = {}
    for c, n, cnt in session.execute(stmt):
        counts.setdefault(c, {})[int(n)] = int(cnt)
    now_index = as_of.year * 12 + as_of.month
    out = []
    for k in periods(start, end, By.MONTH):
        got = counts.get(k, {})
        first_index = (k // 100) * 12 + k % 100
        active = [got.get(n, 0) if first_index + n <= now_index else None
                  for n in range(months)]
        out.append(CohortRetention(k, got.get(0, 0), active))
    return out


@dataclass(frozen=True)
class ChannelRow:
    """Per source channel (as typed on the card; "" = not recorded): clients whose first
    purchase was in the range, how many of them were referred by another client, and the
    repeat-purchase share of the range's revenue of all clients from that channel."""

    channel: str
    new_clients: int
    referred: int
    revenue: Decimal
    returning_revenue: Decimal

    @property
    def share_revenue(self) -> float | None:
        return _share(self.returning_revenue, self.revenue)


def _channels_rows(session: Session, start: date, end: date) -> list[ChannelRow]:
    fp = _first_purchases()
    ch = func.coalesce(Client.source_channel, "").label("ch")
    new_stmt = (select(ch, func.count(), func.sum(case((Client.referred_by_id.is_not(None), 1),
                                                       else_=0)))
                .join(fp, fp.c.client_id == Client.id)
                .where(fp.c.first_on.between(start, end)).group_by(ch))
    rows: dict[str, list] = {}
    for name, n, referred in session.execute(new_stmt):
        rows[name] = [int(n), int(referred or 0), ZERO, ZERO]
    for name, revenue, ret in session.execute(_channel_revenue(session, start, end)):
        r = rows.setdefault(name, [0, 0, ZERO, ZERO])
        r[2], r[3] = _money(revenue), _money(ret)
    return sorted((ChannelRow(k, *v) for k, v in rows.items()),
                  key=lambda r: (-r.new_clients, -r.revenue, r.channel))


def _channel_revenue(session: Session, start: date, end: date):
    """Per channel with lines in [start, end]: their revenue and its returning part."""
    fp = _first_purchases()
    P = Purchase
    ch = func.coalesce(Client.source_channel, "").label("ch")
    return (select(ch, func.coalesce(func.sum(P.amount), 0),
                   func.coalesce(func.sum(case((P.purchased_on > fp.c.first_on, P.amount),
                                               else_=0)), 0))
            .select_from(P).join(Client, Client.id == P.client_id)
            .join(fp, fp.c.client_id == P.client_id, isouter=True)
            .where(P.purchased_on.between(start, end)).group_by(ch))


#: the band beside A/B/C: clients with no revenue in the trailing 12 months (DOMAIN.md),
#: whatever group they were given, are not counted in any group
NO_PURCHASES = "none"
SEGMENT_BANDS = ("A", "B", "C", NO_PURCHASES, "-")


@dataclass(frozen=True)
class SegmentShare:
    """A/B/C: clients (not in the Trash) and their 12-month revenue per group, the
    owner's override counted where set; clients with no revenue in the 12 months are
    the band ``NO_PURCHASES`` beside C, not in a group; clients with revenue and no
    group yet are under "-"."""

    segment: str
    clients: int
    revenue_12m: Decimal


def _bands(got: dict[str, tuple[int, Decimal]]) -> list[SegmentShare]:
    return [SegmentShare(s, *got.get(s, (0, ZERO))) for s in SEGMENT_BANDS
            if s in ("A", "B", "C") or got.get(s, (0,))[0]]


def _segment_distribution_rows(session: Session) -> list[SegmentShare]:
    seg = case((Client.value_12m <= 0, NO_PURCHASES), else_=_segment()).label("seg")
    stmt = (select(seg, func.count(), func.coalesce(func.sum(Client.value_12m), 0))
            .where(Client.deleted_at.is_(None)).group_by(seg))
    return _bands({s: (int(n), _money(v)) for s, n, v in session.execute(stmt)})


def groups_day(session: Session) -> date | None:
    """The day the stored A/B/C groups were computed (the last regrouping), None if
    they never were."""
    raw = session.scalar(select(Setting.value).where(Setting.key == ABC_STATE))
    try:
        return date.fromisoformat(json.loads(json.loads(raw))["day"]) if raw else None
    except (ValueError, TypeError, KeyError):
        return None


def _groups_as_of_sql(session: Session, day: date) -> tuple[str, dict]:
    """WITH clauses ending in ``asof(id, seg, cents)``: every client known on ``day``
    (added by then or with a purchase by then, not in the Trash then) with their
    12-month value in cents and their group as app/services/segments.py's regrouping
    would have given it that day, from the purchases dated by then (the owner's
    override counted; no revenue: the band ``NO_PURCHASES``)."""
    g = settings_service.get
    a_pct, b_pct = g(session, "segment.a_revenue_share"), g(session, "segment.b_revenue_share")
    params = {"since": day - timedelta(days=g(session, "value.window_days")), "day": day,
              "known": _day_after(day), "no": False, "a": a_pct, "ab": a_pct + b_pct,
              "min_days": g(session, "segment.a_min_purchases"), "band": NO_PURCHASES}
    sql = """
        WITH v AS (
            SELECT client_id AS id, CAST(round(SUM(amount) * 100) AS INTEGER) AS cents,
                   COUNT(DISTINCT CASE WHEN is_credit = :no THEN purchased_on END) AS days
            FROM purchases WHERE purchased_on > :since AND purchased_on <= :day
            GROUP BY client_id),
        live AS (
            SELECT c.id AS id, COALESCE(v.cents, 0) AS cents, COALESCE(v.days, 0) AS days,
                   c.segment_override AS ov
            FROM clients c LEFT JOIN v ON v.id = c.id
            WHERE (c.deleted_at IS NULL OR c.deleted_at >= :known)
              AND (c.created_at < :known OR c.first_purchase_on <= :day)),
        ranked AS (
            SELECT id, cents, days, ov, COALESCE(SUM(cents) OVER (
                       ORDER BY cents DESC, id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
            FROM live WHERE cents > 0),
        total AS (SELECT COALESCE(SUM(cents), 0) AS t FROM ranked),
        asof AS (
            SELECT r.id AS id, r.cents AS cents, COALESCE(r.ov, CASE
                       WHEN r.before * 100 < :a * total.t AND r.days >= :min_days THEN 'A'
                       WHEN r.before * 100 < :ab * total.t THEN 'B' ELSE 'C' END) AS seg
            FROM ranked r, total
            UNION ALL
            SELECT id, cents, :band FROM live WHERE cents <= 0)"""
    return sql, params


def _segments_as_of(session: Session, day: date) -> list[SegmentShare]:
    sql, params = _groups_as_of_sql(session, day)
    rows = session.execute(text(sql + " SELECT seg, COUNT(*), SUM(cents) FROM asof "
                                      "GROUP BY seg"), params)
    return _bands({s: (int(n), _cents(c)) for s, n, c in rows})


@dataclass(frozen=True)
class Counted:
    """A count per period and label (an outcome, a tone)."""

    period: int
    label: str
    count: int


def _counted(session: Session, stmt, start: date, end: date, by: By) -> list[Counted]:
    got = {(int(k), str(label)): int(n) for k, label, n in session.execute(stmt)}
    labels = sorted({label for _k, label in got})
    return [Counted(k, label, got.get((k, label), 0))
            for k in periods(start, end, by) for label in labels]


def _day_after(d: date) -> datetime:
    """Midnight after day ``d``: a moment is on or before ``d`` when it is earlier."""
    return datetime.combine(d + timedelta(days=1), datetime.min.time())


def _between_days(col, start: date, end: date):
    return and_(col >= datetime.combine(start, datetime.min.time()),
                col < datetime.combine(end + timedelta(days=1), datetime.min.time()))


def _call_outcomes_rows(session: Session, start: date, end: date, by: By) -> list[Counted]:
    """Logged calls (outbound contacts) per period and outcome."""
    key = period_key(Contact.at, by).label("k")
    stmt = (select(key, Contact.outcome, func.count())
            .where(_between_days(Contact.at, start, end),
                   Contact.direction == Direction.OUTBOUND.value)
            .group_by(key, Contact.outcome))
    return _counted(session, stmt, start, end, by)


def _contact_tone_rows(session: Session, start: date, end: date, by: By) -> list[Counted]:
    """Contacts per period by the tone staff recorded (contacts without a tone left out)."""
    key = period_key(Contact.at, by).label("k")
    stmt = (select(key, Contact.tone, func.count())
            .where(_between_days(Contact.at, start, end), Contact.tone.is_not(None))
            .group_by(key, Contact.tone))
    return _counted(session, stmt, start, end, by)


@dataclass(frozen=True)
class Reason:
    reason: str
    count: int


def _decline_reasons_rows(session: Session, start: date, end: date) -> list[Reason]:
    """Why clients declined, most frequent first ("" = no reason given)."""
    reason = func.coalesce(Contact.decline_reason, "").label("r")
    stmt = (select(reason, func.count()).where(
        Contact.outcome == Outcome.DECLINED.value, _between_days(Contact.at, start, end))
        .group_by(reason).order_by(func.count().desc(), reason))
    return [Reason(r, int(n)) for r, n in session.execute(stmt)]


@dataclass(frozen=True)
class ComplaintCategory:
    category: str
    complaints: int
    kept: int
    lost: int


@dataclass(frozen=True)
class ComplaintSummary:
    """Complaints opened in the range: by category with kept/lost, and the median hours
    from opening to resolution of those resolved (the median is taken of the durations
    the database computes; SQLite has no median aggregate)."""

    categories: list[ComplaintCategory]
    opened: int
    kept: int
    lost: int
    median_resolution_hours: float | None


def complaints(session: Session, start: date, end: date, as_of: date | None = None, *,
               from_rows: bool = False) -> ComplaintSummary:
    """As of ``as_of`` (default: ``end``): a complaint counts as kept or lost only if it
    was closed by then, its resolution time only if it was resolved by then. (Read from
    the rows either way; ``from_rows``: through the ORM's statements, the reference.)"""
    if _aggregated(session) and not from_rows:
        return _complaints_sqlite(session, start, end, as_of or end)
    C = Complaint
    in_range = _between_days(C.opened_at, start, end)
    known = _day_after(as_of or end)
    closed = or_(C.closed_at.is_(None), C.closed_at < known)  # no day recorded: as stored
    kept = func.sum(case((and_(C.status == ComplaintStatus.CLOSED_KEPT.value, closed), 1),
                         else_=0))
    lost = func.sum(case((and_(C.status == ComplaintStatus.CLOSED_LOST.value, closed), 1),
                         else_=0))
    stmt = (select(C.category, func.count(), kept, lost).where(in_range)
            .group_by(C.category).order_by(func.count().desc(), C.category))
    cats = [ComplaintCategory(c, int(n), int(k or 0), int(lo or 0))
            for c, n, k, lo in session.execute(stmt)]
    hours = [float(h) for h in session.scalars(
        select(_hours_between(session, C.opened_at, C.resolved_at))
        .where(in_range, C.resolved_at.is_not(None), C.resolved_at < known))]
    return ComplaintSummary(cats, sum(c.complaints for c in cats), sum(c.kept for c in cats),
                            sum(c.lost for c in cats),
                            statistics.median(hours) if hours else None)


def _complaints_sqlite(session: Session, start: date, end: date, as_of: date
                       ) -> ComplaintSummary:
    """:func:`complaints` in SQLite's own SQL, the same statements the ORM builds on
    SQLite, with no result objects on the way (10,000 resolution times at a million)."""
    span = (_moment(start), _moment(end + timedelta(days=1)))
    known = _moment(as_of + timedelta(days=1))
    closed = "(closed_at IS NULL OR closed_at < ?)"  # no day recorded: as stored
    cats = [ComplaintCategory(c, int(n), int(k or 0), int(lo or 0)) for c, n, k, lo in _sql(
        session, f"""SELECT category, COUNT(*) AS n,
                            SUM(status = '{ComplaintStatus.CLOSED_KEPT.value}' AND {closed}),
                            SUM(status = '{ComplaintStatus.CLOSED_LOST.value}' AND {closed})
                     FROM complaints WHERE opened_at >= ? AND opened_at < ?
                     GROUP BY category ORDER BY n DESC, category""", known, known, *span)]
    hours = [h for (h,) in _sql(
        session, "SELECT (julianday(resolved_at) - julianday(opened_at)) * 24 "
        "FROM complaints WHERE opened_at >= ? AND opened_at < ? "
        "AND resolved_at IS NOT NULL AND resolved_at < ?", *span, known)]
    return ComplaintSummary(cats, sum(c.complaints for c in cats), sum(c.kept for c in cats),
                            sum(c.lost for c in cats),
                            statistics.median(hours) if hours else None)


@dataclass(frozen=True)
class RecoveryGroup:
    """Repeat-purchase rate of a group = clients of the group with a returning purchase
    in the range / clients of the group. "recovered": a complaint closed with the client
    kept by the end of the range; "never_complained": clients who bought before the end
    of the range and never complained."""

    group: str
    clients: int
    repeaters: int

    @property
    def rate(self) -> float | None:
        return _ratio(self.repeaters, self.clients)


def _recovery_comparison_rows(session: Session, start: date, end: date,
                              as_of: date | None = None) -> list[RecoveryGroup]:
    fp = _first_purchases()
    P = Purchase
    end_dt = datetime.combine(end + timedelta(days=1), datetime.min.time())
    repeated = (select(P.id).where(P.client_id == fp.c.client_id, P.is_credit.is_(False),
                                   P.purchased_on > fp.c.first_on,
                                   P.purchased_on.between(start, end)).exists())
    recovered = exists().where(Complaint.client_id == fp.c.client_id,
                               Complaint.status == ComplaintStatus.CLOSED_KEPT.value,
                               Complaint.closed_at < end_dt)
    # "never complained" as of ``as_of`` (None: ever)
    complained = exists().where(Complaint.client_id == fp.c.client_id,
                                *(() if as_of is None else
                                  (Complaint.opened_at < _day_after(max(as_of, end)),)))
    out = []
    for name, cond in (("recovered", recovered),
                       ("never_complained", and_(~complained, fp.c.first_on <= end))):
        n, rep = session.execute(select(func.count(), func.sum(case((repeated, 1), else_=0)))
                                 .select_from(fp).where(cond)).one()
        out.append(RecoveryGroup(name, int(n), int(rep or 0)))
    return out


@dataclass(frozen=True)
class TimeValue:
    """Logged call minutes in the range against the client's 12-month revenue."""

    client_id: int
    name: str
    segment: str
    minutes: Decimal
    value_12m: Decimal


@dataclass(frozen=True)
class TimeValueGroup:
    segment: str
    clients: int
    minutes: Decimal
    revenue_12m: Decimal


def _time_and_value_rows(session: Session, start: date, end: date, limit: int = 2000
                   ) -> tuple[list[TimeValueGroup], list[TimeValue]]:
    """Per group: clients with logged call time, their minutes and 12-month revenue; and
    the clients who take the most minutes per unit of revenue first (``limit`` of them),
    "who takes much time and brings little"."""
    seg = case((Client.value_12m <= 0, NO_PURCHASES), else_=_segment()).label("seg")
    seconds = func.sum(func.coalesce(Contact.duration_seconds, 0)).label("sec")
    per_client = (select(Client.id, Client.name, seg, seconds, Client.value_12m)
                  .join(Contact, Contact.client_id == Client.id)
                  .where(_between_days(Contact.at, start, end),
                         Contact.duration_seconds.is_not(None))
                  .group_by(Client.id, Client.name, seg, Client.value_12m))
    sub = per_client.subquery()
    groups = [TimeValueGroup(s, int(n), _minutes(sec), _money(v))
              for s, n, sec, v in session.execute(
                  select(sub.c.seg, func.count(), func.sum(sub.c.sec),
                         func.sum(sub.c.value_12m)).group_by(sub.c.seg).order_by(sub.c.seg))]
    heavy = per_client.order_by(
        ((seconds / 60.0) / (func.coalesce(Client.value_12m, 0) + 1)).desc(),
        Client.id).limit(limit)
    clients = [TimeValue(i, name, s, _minutes(sec), _money(v))
               for i, name, s, sec, v in session.execute(heavy)]
    return groups, clients


def _minutes(seconds) -> Decimal:
    """Whole seconds as minutes, exactly (to 28 significant digits: 1/3 of a minute is
    0.333...; rounded only on screen)."""
    return Decimal(int(seconds or 0)) / Decimal(60)


def _time_and_value_as_of(session: Session, start: date, end: date, limit: int,
                          as_of: date) -> tuple[list[TimeValueGroup], list[TimeValue]]:
    """:func:`time_and_value` with each client's 12-month value and group as of
    ``as_of`` (from the purchases dated by then), from the rows."""
    sql, params = _groups_as_of_sql(session, as_of)
    params.update(lo=datetime.combine(start, datetime.min.time()), hi=_day_after(end),
                  limit=limit)
    rows = session.execute(text(sql + """,
        pc AS (SELECT client_id AS id, SUM(COALESCE(duration_seconds, 0)) AS sec
               FROM contacts WHERE at >= :lo AND at < :hi AND duration_seconds IS NOT NULL
               GROUP BY client_id),
        tv AS (SELECT c.id AS id, c.name AS name,
                      COALESCE(a.seg, CASE WHEN COALESCE(v.cents, 0) <= 0 THEN :band
                                           ELSE 'C' END) AS seg,
                      pc.sec AS sec, COALESCE(v.cents, 0) AS cents
               FROM pc JOIN clients c ON c.id = pc.id
               LEFT JOIN asof a ON a.id = pc.id LEFT JOIN v ON v.id = pc.id)
        SELECT 0, seg, COUNT(*), SUM(sec), SUM(cents), NULL, NULL FROM tv GROUP BY seg
        UNION ALL
        SELECT * FROM (SELECT 1, seg, CAST(NULL AS INTEGER), sec, cents, id, name FROM tv
                       ORDER BY (sec / 60.0) / (cents / 100.0 + 1) DESC, id LIMIT :limit) AS top
        """), params).all()
    groups = sorted((TimeValueGroup(s, int(n), _minutes(sec), _cents(c))
                     for kind, s, n, sec, c, _i, _name in rows if kind == 0),
                    key=lambda g: g.segment)
    clients = [TimeValue(i, name, s, _minutes(sec), _cents(c))
               for kind, s, _n, sec, c, i, name in rows if kind == 1]
    return groups, clients


@dataclass(frozen=True)
class Dashboard:
    """The strip on top of the Charts page: the month of ``as_of`` so far."""

    month: int
    repeat_share_revenue: float | None
    repeat_share_count: float | None
    returning_rate: float | None
    clients_buying: int
    new_clients: int
    open_complaints: int
    overdue_calls: int


def dashboard(session: Session, as_of: date, *, from_rows: bool = False,
              today: date | None = None) -> Dashboard:
    """``today``: the app's day (default: the clock's); a day before it is seen as it
    was then (complaints and calls closed since counted open)."""
    first = as_of.replace(day=1)
    share = repeat_share(session, first, as_of, By.MONTH, from_rows=from_rows)[0]
    ret = returning_clients(session, first, as_of, By.MONTH, from_rows=from_rows)[0]
    if from_rows or not _aggregated(session):
        fp = _first_purchases()
        new = session.scalar(select(func.count()).select_from(fp)
                             .where(fp.c.first_on.between(first, as_of))) or 0
    else:
        new = _sql(session, "SELECT TOTAL(clients) FROM chart_new_days "
                   "WHERE day BETWEEN ? AND ?", _iso(first), _iso(as_of))[0][0]
    past = as_of < (today or date.today())
    if not from_rows and _aggregated(session):
        open_complaints, overdue = _open_counts_sqlite(session, as_of, past)
        return Dashboard(key_of(as_of, By.MONTH), share.share_revenue, share.share_count,
                         ret.rate, ret.clients, int(new), open_complaints, overdue)
    known = _day_after(as_of)
    still_open = Complaint.status.not_in(CLOSED)
    task_open = Task.status.in_([TaskStatus.OPEN.value, TaskStatus.SNOOZED.value])
    if past:
        # a past day: what was open then, closed or done since included; opened since
        # left out (today and later the stored status is the day's)
        still_open = or_(still_open, Complaint.closed_at >= known)
        task_open = or_(task_open, Task.closed_at >= known)
    open_complaints = session.scalar(select(func.count()).select_from(Complaint)
                                     .where(still_open, Complaint.opened_at < known)) or 0
    overdue = session.scalar(select(func.count()).select_from(Task).where(
        task_open, Task.due_on < as_of,
        Task.kind.not_in([TaskKind.COMPLAINT_REVIEW.value,
                          TaskKind.QUARTERLY_REVIEW.value]))) or 0
    return Dashboard(key_of(as_of, By.MONTH), share.share_revenue, share.share_count,
                     ret.rate, ret.clients, int(new), int(open_complaints), int(overdue))


def _open_counts_sqlite(session: Session, as_of: date, past: bool) -> tuple[int, int]:
    """The dashboard's open complaints and overdue calls in SQLite's SQL (what the ORM
    builds for :func:`dashboard`, with no statement to build each time)."""
    known = _moment(as_of + timedelta(days=1))
    closed = ", ".join(f"'{v}'" for v in CLOSED)
    still_open, still_args = f"status NOT IN ({closed})", []
    task_open, task_args = "status IN (?, ?)", [TaskStatus.OPEN.value, TaskStatus.SNOOZED.value]
    if past:
        still_open, still_args = f"({still_open} OR closed_at >= ?)", [known]
        task_open, task_args = f"({task_open} OR closed_at >= ?)", [*task_args, known]
    reviews = (TaskKind.COMPLAINT_REVIEW.value, TaskKind.QUARTERLY_REVIEW.value)
    complaints_open = _sql(session, f"SELECT COUNT(*) FROM complaints WHERE {still_open} "
                           "AND opened_at < ?", *still_args, known)[0][0]
    overdue = _sql(session, f"SELECT COUNT(*) FROM tasks WHERE {task_open} AND due_on < ? "
                   "AND kind NOT IN (?, ?)", *task_args, _iso(as_of), *reviews)[0][0]
    return int(complaints_open or 0), int(overdue or 0)


# --------------------------------------------------------------------------- aggregates

# The series below read the figures app/services/chart_store.py keeps by triggers (on
# SQLite; elsewhere, and with ``from_rows=True``, they compute from the raw rows: the
# reference the tests compare them with). The figures are per calendar month; a period
# cut by the range (the current month up to ``as_of``) is read from the figures when no
# row lies in the part of it outside the range (one indexed look-up each side, so the
# figures are exactly the range's), and from the raw rows of that period otherwise.


def _aggregated(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _sql(session: Session, sql: str, *args) -> list:
    """Plain SQL on the session's SQLite connection, in its transaction (pending changes
    flushed first, as ``session.execute`` does). These read a few dozen kept rows: going
    through SQLAlchemy's execution (its events, its result objects) would be most of
    their time, so the statement goes to the driver's own connection."""
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    raw = session.connection().connection.dbapi_connection
    if isinstance(raw, sqlite3.Connection):
        return raw.execute(sql, args).fetchall()
    return session.connection().exec_driver_sql(sql, args).fetchall()


def _iso(d: date) -> str:
    return d.isoformat()


def _moment(d: date) -> str:
    """Midnight of ``d`` as SQLite stores a date-time."""
    return f"{d.isoformat()} 00:00:00.000000"


def _months_of(key: int, by: By) -> list[int]:
    if by == By.MONTH:
        return [key]
    y, q = divmod(key, 10)
    return [y * 100 + m for m in range(3 * q - 2, 3 * q + 1)]


def _cut(start: date, end: date, key: int, by: By) -> tuple[date, date, list[tuple[date, date]]]:
    """The part of period ``key`` inside [start, end] and the parts of it outside."""
    ps, pe = period_start(key, by), period_end(key, by)
    lo, hi = max(start, ps), min(end, pe)
    outside = [(a, b) for a, b in ((ps, lo - timedelta(days=1)), (hi + timedelta(days=1), pe))
               if a <= b]
    return lo, hi, outside


def _purchases_in(session: Session, parts: list[tuple[date, date]]) -> bool:
    return any(_sql(session, "SELECT 1 FROM purchases WHERE purchased_on BETWEEN ? AND ? "
                    "LIMIT 1", _iso(a), _iso(b)) for a, b in parts)


def _purchases_after(session: Session, day: date) -> bool:
    return bool(_sql(session, "SELECT 1 FROM purchases WHERE purchased_on > ? LIMIT 1",
                     _iso(day)))


def _contacts_in(session: Session, parts: list[tuple[date, date]]) -> bool:
    return any(_sql(session, "SELECT 1 FROM contacts WHERE at >= ? AND at < ? LIMIT 1",
                    _moment(a), _moment(b + timedelta(days=1))) for a, b in parts)


def _new_clients_in(session: Session, parts: list[tuple[date, date]]) -> bool:
    return any(_sql(session, "SELECT 1 FROM chart_new_days WHERE day BETWEEN ? AND ? "
                    "AND clients <> 0 LIMIT 1", _iso(a), _iso(b)) for a, b in parts)


def _month_rows(session: Session, table: str, columns: str, start: date, end: date,
                extra: str = "") -> list:
    return _sql(session, f"SELECT month, {columns} FROM {table} WHERE month BETWEEN ? AND ? "
                f"{extra}", key_of(start, By.MONTH), key_of(end, By.MONTH))


def _keys(keys: list[int]) -> str:
    """An IN list of integers (period keys, ids; never text from outside)."""
    return ", ".join(str(int(k)) for k in keys)


def _cents(v) -> Decimal:
    return (Decimal(int(v or 0)) / 100).quantize(Decimal("0.01"))


def repeat_share(session: Session, start: date, end: date, by: By, *,
                 from_rows: bool = False) -> list[RepeatShare]:
    if from_rows or not _aggregated(session):
        return _repeat_share_rows(session, start, end, by)
    got = {r[0]: r[1:] for r in _month_rows(session, "chart_months",
                                            "n, n_ret, cents, cents_ret", start, end)}
    out = []
    for k in periods(start, end, by):
        lo, hi, outside = _cut(start, end, k, by)
        if _purchases_in(session, outside):
            out.extend(_repeat_share_rows(session, lo, hi, by))
            continue
        rows = [got[m] for m in _months_of(k, by) if m in got]
        out.append(RepeatShare(k, sum(int(r[0]) for r in rows), sum(int(r[1]) for r in rows),
                               _cents(sum(int(r[2]) for r in rows)),
                               _cents(sum(int(r[3]) for r in rows))))
    return out


def returning_clients(session: Session, start: date, end: date, by: By, *,
                      from_rows: bool = False) -> list[ReturningClients]:
    if from_rows or not _aggregated(session):
        return _returning_clients_rows(session, start, end, by)
    if by == By.MONTH:
        got = {r[0]: r[1:] for r in _month_rows(session, "chart_months",
                                                "clients, ret_clients", start, end)}
    else:
        got = {r[0]: r[1:] for r in _sql(
            session, "SELECT quarter, clients, ret_clients FROM chart_quarters "
            "WHERE quarter BETWEEN ? AND ?", key_of(start, by), key_of(end, by))}
    out = []
    for k in periods(start, end, by):
        lo, hi, outside = _cut(start, end, k, by)
        if _purchases_in(session, outside):
            out.extend(_returning_clients_rows(session, lo, hi, by))
        else:
            c, r = got.get(k, (0, 0))
            out.append(ReturningClients(k, int(c), int(r)))
    return out


def cohort_retention(session: Session, start: date, end: date, as_of: date,
                     months: int = RETENTION_MONTHS, *, from_rows: bool = False
                     ) -> list[CohortRetention]:
    if from_rows or not _aggregated(session):
        return _cohort_retention_rows(session, start, end, as_of, months)
    counts: dict[int, dict[int, int]] = {}
    for c, m, n in _sql(session, "SELECT cohort, month, clients FROM chart_cohort_months "
                        "WHERE cohort BETWEEN ? AND ?", key_of(start, By.MONTH),
                        key_of(end, By.MONTH)):
        since = (m // 100 * 12 + m % 100) - (c // 100 * 12 + c % 100)
        counts.setdefault(c, {})[since] = int(n)
    now_index = as_of.year * 12 + as_of.month
    month_of = as_of.replace(day=1)
    if _purchases_in(session, [(as_of + timedelta(days=1),
                                period_end(key_of(as_of, By.MONTH), By.MONTH))]):
        # the month of ``as_of`` has purchases after it: its column from its rows so far
        for c, got_c in counts.items():
            got_c.pop(now_index - (c // 100 * 12 + c % 100), None)
        # driven by the month's purchases (ix_purchases_date), each client by its key
        for c, n in _sql(session, """
                SELECT CAST(substr(c.first_purchase_on, 1, 4) AS INTEGER) * 100
                       + CAST(substr(c.first_purchase_on, 6, 2) AS INTEGER) AS k,
                       COUNT(DISTINCT p.client_id)
                FROM purchases p JOIN clients c ON c.id = p.client_id
                WHERE p.purchased_on BETWEEN ? AND ? AND p.is_credit = 0
                  AND c.first_purchase_on BETWEEN ? AND ?
                GROUP BY k""", _iso(month_of), _iso(as_of), _iso(start), _iso(end)):
            counts.setdefault(int(c), {})[now_index - (c // 100 * 12 + c % 100)] = int(n)
    out = []
    for k in periods(start, end, By.MONTH):
        lo, hi, outside = _cut(start, end, k, By.MONTH)
        if _new_clients_in(session, outside):
            out.extend(_cohort_retention_rows(session, lo, hi, as_of, months))
            continue
        got = counts.get(k, {})
        first_index = (k // 100) * 12 + k % 100
        active = [got.get(n, 0) if first_index + n <= now_index else None
                  for n in range(months)]
        out.append(CohortRetention(k, got.get(0, 0), active))
    return out


def channels(session: Session, start: date, end: date, *, from_rows: bool = False
             ) -> list[ChannelRow]:
    if from_rows or not _aggregated(session):
        return _channels_rows(session, start, end)
    rows: dict[str, list] = {}
    for name, n, referred in _sql(
            session, "SELECT channel, SUM(clients), SUM(referred) FROM chart_new_days "
            "WHERE day BETWEEN ? AND ? GROUP BY channel HAVING SUM(clients) <> 0",
            _iso(start), _iso(end)):
        rows[name] = [int(n), int(referred or 0), 0, 0]
    whole = []
    for k in periods(start, end, By.MONTH):
        lo, hi, outside = _cut(start, end, k, By.MONTH)
        if not _purchases_in(session, outside):
            whole.append(k)
            continue
        for name, revenue, ret in session.execute(_channel_revenue(session, lo, hi)):
            row = rows.setdefault(name, [0, 0, 0, 0])
            row[2] += int(_money(revenue) * 100)
            row[3] += int(_money(ret) * 100)
    if whole:
        for name, cells, cents, ret in _sql(
                session, "SELECT channel, SUM(cells), SUM(cents), SUM(cents_ret) "
                f"FROM chart_channel_months WHERE month IN ({_keys(whole)}) "
                "GROUP BY channel"):
            if not cells:
                continue
            row = rows.setdefault(name, [0, 0, 0, 0])
            row[2] += int(cents)
            row[3] += int(ret)
    return sorted((ChannelRow(k, v[0], v[1], _cents(v[2]), _cents(v[3]))
                   for k, v in rows.items()),
                  key=lambda r: (-r.new_clients, -r.revenue, r.channel))


def _counted_months(session: Session, kind: str, start: date, end: date, by: By,
                    rows_fn) -> list[Counted]:
    # the kept months summed into their periods; a cut period with calls outside the
    # range read from its rows instead
    kept: dict[tuple[int, str], int] = {}
    for m, label, n in _month_rows(session, "chart_contact_months", "label, n", start, end,
                                   f"AND kind = '{kind}' AND n <> 0"):
        k = int(m) if by == By.MONTH else key_of(period_start(int(m), By.MONTH), by)
        kept[(k, str(label))] = kept.get((k, str(label)), 0) + int(n)
    got: dict[tuple[int, str], int] = {}
    from_rows = set()
    for k in periods(start, end, by):
        lo, hi, outside = _cut(start, end, k, by)
        if _contacts_in(session, outside):
            from_rows.add(k)
            for c in rows_fn(session, lo, hi, by):
                if c.count:
                    got[(k, c.label)] = c.count
    for (k, label), n in kept.items():
        if k not in from_rows:
            got[(k, label)] = n
    labels = sorted({label for (_k, label), n in got.items() if n})
    return [Counted(k, label, got.get((k, label), 0))
            for k in periods(start, end, by) for label in labels]


def call_outcomes(session: Session, start: date, end: date, by: By, *,
                  from_rows: bool = False) -> list[Counted]:
    """Logged calls (outbound contacts) per period and outcome."""
    if from_rows or not _aggregated(session):
        return _call_outcomes_rows(session, start, end, by)
    return _counted_months(session, "outcome", start, end, by, _call_outcomes_rows)


def contact_tone(session: Session, start: date, end: date, by: By, *,
                 from_rows: bool = False) -> list[Counted]:
    """Contacts per period by the tone staff recorded (contacts without a tone left out)."""
    if from_rows or not _aggregated(session):
        return _contact_tone_rows(session, start, end, by)
    return _counted_months(session, "tone", start, end, by, _contact_tone_rows)


def decline_reasons(session: Session, start: date, end: date, *, from_rows: bool = False
                    ) -> list[Reason]:
    """Why clients declined, most frequent first ("" = no reason given)."""
    if from_rows or not _aggregated(session):
        return _decline_reasons_rows(session, start, end)
    got: dict[str, int] = {}
    whole = []
    for k in periods(start, end, By.MONTH):
        lo, hi, outside = _cut(start, end, k, By.MONTH)
        if _contacts_in(session, outside):
            for r in _decline_reasons_rows(session, lo, hi):
                got[r.reason] = got.get(r.reason, 0) + r.count
        else:
            whole.append(k)
    if whole:
        for label, n in _sql(
                session, "SELECT label, SUM(n) FROM chart_contact_months "
                f"WHERE kind = 'declined' AND month IN ({_keys(whole)}) GROUP BY label"):
            got[label] = got.get(label, 0) + int(n)
    return sorted((Reason(r, n) for r, n in got.items() if n),
                  key=lambda r: (-r.count, r.reason))



def second_purchase_conversion(session: Session, start: date, end: date, as_of: date, *,
                               from_rows: bool = False) -> list[CohortConversion]:
    if from_rows or not _aggregated(session):
        return _second_purchase_conversion_rows(session, start, end, as_of)
    got = {int(k): (int(n), int(c)) for k, n, c in _sql(
        session, "SELECT CAST(substr(day, 1, 4) AS INTEGER) * 100 "
        "+ CAST(substr(day, 6, 2) AS INTEGER) AS k, SUM(clients), SUM(converted) "
        "FROM chart_first_days WHERE day BETWEEN ? AND ? GROUP BY k",
        _iso(start), _iso(end))}
    # a second purchase dated after ``as_of`` is not known then: the cohorts whose 90
    # days reach past it are counted from their rows (only when such purchases exist)
    later = _purchases_after(session, as_of)
    out = []
    for k in periods(start, end, By.MONTH):
        done = period_end(k, By.MONTH) + timedelta(days=CONVERSION_DAYS) < as_of
        if later and period_end(k, By.MONTH) + timedelta(days=CONVERSION_DAYS) > as_of:
            lo, hi, _outside = _cut(start, end, k, By.MONTH)
            out.extend(_second_purchase_conversion_rows(session, lo, hi, as_of))
            continue
        n, c = got.get(k, (0, 0))
        out.append(CohortConversion(k, n, c, done))
    return out


def segment_distribution(session: Session, as_of: date | None = None, *,
                         from_rows: bool = False) -> list[SegmentShare]:
    """The groups as stored (computed on :func:`groups_day`), or with ``as_of`` the
    groups computed for that day from the purchases known then (from the rows: the
    regrouping's own rule, read-only)."""
    if as_of is not None:
        return _segments_as_of(session, as_of)
    if from_rows or not _aggregated(session):
        return _segment_distribution_rows(session)
    # each group's clients with revenue, and those with none (kept in rows of their own:
    # the band, whatever their group)
    got: dict[str, list[int]] = {}
    band = [0, 0]
    for s, n, c in _sql(session, "SELECT segment, clients, cents FROM chart_segments "
                                 "WHERE clients <> 0"):
        row = band if s.endswith(chart_store.NO_REVENUE) else got.setdefault(s, [0, 0])
        row[0] += int(n)
        row[1] += int(c)
    got[NO_PURCHASES] = band
    return _bands({s: (n, _cents(c)) for s, (n, c) in got.items()})


def recovery_comparison(session: Session, start: date, end: date,
                        as_of: date | None = None, *,
                        from_rows: bool = False) -> list[RecoveryGroup]:
    """From the kept figures while nothing was bought after ``end`` (a client's last
    purchase then tells whether they bought again in the range): the clients who
    complained (by ``as_of``; None: ever) are read directly (a few), everyone else by
    difference."""
    if (from_rows or not _aggregated(session)
            or _sql(session, "SELECT 1 FROM purchases WHERE purchased_on > ? LIMIT 1",
                    _iso(end))):
        return _recovery_comparison_rows(session, start, end, as_of)
    repeated = ("EXISTS (SELECT 1 FROM purchases p WHERE p.client_id = c.id "
                "AND p.is_credit = 0 AND p.purchased_on > c.first_purchase_on "
                "AND p.purchased_on BETWEEN ? AND ?)")
    span = (_iso(start), _iso(end))
    kept_n, kept_rep = _sql(session, f"""
        SELECT COUNT(*), TOTAL({repeated}) FROM clients c
        WHERE c.first_purchase_on IS NOT NULL AND c.id IN (
            SELECT client_id FROM complaints WHERE status = ? AND closed_at < ?)""",
                            *span, ComplaintStatus.CLOSED_KEPT.value,
                            _moment(end + timedelta(days=1)))[0]
    some_n, some_rep = _sql(session, f"""
        SELECT COUNT(*), TOTAL({repeated}) FROM clients c
        WHERE c.first_purchase_on <= ? AND c.id IN (
            SELECT client_id FROM complaints WHERE opened_at < ?)""",
                            *span, _iso(end),
                            "9999-12-31" if as_of is None
                            else _moment(max(as_of, end) + timedelta(days=1)))[0]
    everyone = _sql(session, "SELECT TOTAL(clients) FROM chart_first_days WHERE day <= ?",
                    _iso(end))[0][0]
    repeaters = _sql(session, "SELECT TOTAL(clients) FROM chart_last_days WHERE day >= ?",
                     _iso(start))[0][0]
    return [RecoveryGroup("recovered", int(kept_n), int(kept_rep)),
            RecoveryGroup("never_complained", int(everyone) - int(some_n),
                          int(repeaters) - int(some_rep))]



def time_and_value(session: Session, start: date, end: date, limit: int = 2000,
                   as_of: date | None = None, *, from_rows: bool = False
                   ) -> tuple[list[TimeValueGroup], list[TimeValue]]:
    """Per group: clients with logged call time, their minutes and 12-month revenue; and
    the clients who take the most minutes per unit of revenue first (``limit`` of them),
    "who takes much time and brings little". From the per-client monthly call seconds
    (a cut month with calls outside the range: that month's calls read directly)
    (:func:`_time_and_value_part`). With ``as_of``: the values and groups of that day
    (:func:`_time_and_value_as_of`); the stored ones otherwise (a client with no revenue
    is in the band ``NO_PURCHASES``)."""
    if as_of is not None:
        return _time_and_value_as_of(session, start, end, limit, as_of)
    if from_rows or not _aggregated(session):
        return _time_and_value_rows(session, start, end, limit)
    return _time_and_value_merged(session, [_time_and_value_part(session, start, end, limit)],
                                  limit)


#: one client-id range's share of :func:`time_and_value`: per group [clients, seconds,
#: cents of 12-month value]; its ``limit`` heaviest clients as (key, id, group, seconds,
#: value)
_TimeValuePart = tuple[dict[str, list[int]], list[tuple]]


def _time_and_value_part(session: Session, start: date, end: date, limit: int,
                         ids: tuple[int, int] | None = None) -> _TimeValuePart:
    """:func:`time_and_value` over the kept call months of the clients whose id is in
    ``ids`` (both ends included; None: everyone), in one statement: the per-client
    seconds are computed once for both results, and the names are read afterwards for
    the few clients shown (:func:`_time_and_value_merged`). The parts of disjoint id
    ranges add up to the whole: the report computes two halves at once
    (app/services/parallel_read.py)."""
    whole, parts = [], []
    for k in periods(start, end, By.MONTH):
        lo, hi, outside = _cut(start, end, k, By.MONTH)
        if _contacts_in(session, outside):
            parts.append((lo, hi))
        else:
            whole.append(k)
    who, who_args = ("", []) if ids is None else (" AND client_id BETWEEN ? AND ?", list(ids))
    sources = []
    args: list = []
    if whole:
        # the months kept whole are consecutive (only the first and last can be cut):
        # a range of the primary key, cheaper than a list to look each month up in;
        # a month whose calls were all taken back keeps a row of zeros
        consecutive = whole == periods(period_start(whole[0], By.MONTH),
                                       period_start(whole[-1], By.MONTH), By.MONTH)
        months = "BETWEEN ? AND ?" if consecutive else f"IN ({_keys(whole)})"
        sources.append("SELECT client_id, seconds FROM chart_call_months "
                       f"WHERE month {months} AND calls > 0{who}")
        args += [whole[0], whole[-1], *who_args] if consecutive else who_args
    for lo, hi in parts:
        sources.append("SELECT client_id, duration_seconds AS seconds FROM contacts "
                       f"WHERE at >= ? AND at < ? AND duration_seconds IS NOT NULL{who}")
        args += [_moment(lo), _moment(hi + timedelta(days=1)), *who_args]
    if not sources:
        return {}, []
    union = " UNION ALL ".join(sources)
    rows = _sql(session, f"""
        WITH pc AS MATERIALIZED (
            SELECT k.client_id AS id, SUM(k.seconds) AS sec
            FROM ({union}) AS k GROUP BY k.client_id),
        tv AS MATERIALIZED (
            SELECT c.id AS id,
                   CASE WHEN c.value_12m <= 0 THEN '{NO_PURCHASES}'
                        ELSE COALESCE(c.segment_override, c.segment, '-') END AS seg,
                   pc.sec AS sec, c.value_12m AS v
            FROM pc JOIN clients c ON c.id = pc.id)
        SELECT 0, seg, COUNT(*), SUM(sec), SUM(CAST(ROUND(v * 100) AS INTEGER)), NULL
        FROM tv GROUP BY seg
        UNION ALL
        SELECT * FROM (SELECT 1, seg, id, sec, v, (sec / 60.0) / (COALESCE(v, 0) + 1) AS key
                       FROM tv ORDER BY key DESC, id LIMIT ?)""", *args, limit)
    groups = {seg: [int(n), int(sec or 0), int(cents or 0)]
              for kind, seg, n, sec, cents, _key in rows if kind == 0}
    heavy = [(key, i, seg, sec, v) for kind, seg, i, sec, v, key in rows if kind == 1]
    return groups, heavy


def _heaviest_first(row: tuple) -> tuple:
    """The order of ``ORDER BY key DESC, id`` in SQLite: no key (a value of -1: a
    division by zero) after every key."""
    key, client_id = row[0], row[1]
    return (key is None, -(key or 0.0), client_id)


def _time_and_value_merged(session: Session, parts: list[_TimeValuePart], limit: int
                           ) -> tuple[list[TimeValueGroup], list[TimeValue]]:
    """The parts of :func:`_time_and_value_part` added up: the groups' sums, the
    ``limit`` heaviest clients of all parts (each part holds its own ``limit``
    heaviest), with their names."""
    totals: dict[str, list[int]] = {}
    heavy: list[tuple] = []
    for groups, top in parts:
        for seg, figures in groups.items():
            got = totals.setdefault(seg, [0, 0, 0])
            for j, x in enumerate(figures):
                got[j] += x
        heavy += top
    heavy = sorted(heavy, key=_heaviest_first)[:limit]
    names = dict(_sql(session, "SELECT id, name FROM clients WHERE id IN "
                               f"({_keys([row[1] for row in heavy])})")) if heavy else {}
    groups = [TimeValueGroup(s, n, _minutes(sec), _cents(cents))
              for s, (n, sec, cents) in sorted(totals.items())]
    clients = [TimeValue(i, names.get(i, ""), s, _minutes(sec), _money(v))
               for _key, i, s, sec, v in heavy]
    return groups, clients


# --------------------------------------------------------------------------- everything

@dataclass(frozen=True)
class Report:
    start: date
    end: date
    by: By
    as_of: date
    dashboard: Dashboard
    repeat_share: list[RepeatShare]
    returning_clients: list[ReturningClients]
    second_purchase: list[CohortConversion]
    cohorts: list[CohortRetention]
    channels: list[ChannelRow]
    segments: list[SegmentShare]
    call_outcomes: list[Counted]
    decline_reasons: list[Reason]
    contact_tone: list[Counted]
    complaints: ComplaintSummary
    recovery: list[RecoveryGroup]
    time_groups: list[TimeValueGroup]
    time_clients: list[TimeValue]
    #: the day the A/B/C groups (segments, time_groups, time_clients) are of: the
    #: stored groups' day, or ``as_of`` when they were computed for it
    segments_on: date | None = None
    #: the last period when the range ends before it does (the month so far)
    partial_period: int | None = None


def report(session: Session, start: date, end: date, by: By, as_of: date,
           heavy_limit: int = 50, *, from_rows: bool = False,
           today: date | None = None) -> Report:
    """Every series as of ``as_of``: only what is dated on or before it counts
    (purchases, calls, complaints and their closing), so the range ends at ``as_of``
    at the latest (``start`` must not be after it). The A/B/C groups: before today,
    computed for ``as_of`` from the purchases known then; today (or later) the stored
    groups, with the day they were computed (``segments_on``).

    The kept figures hold whole months: with nothing dated after ``as_of`` (the usual
    case, today) they are ``as_of``'s figures; otherwise a month cut by ``as_of`` is
    read from its rows, the kept months before it from the figures. ``heavy_limit``
    clients of the call-time chart (the page draws more of them than the command line
    prints). ``from_rows``: every series computed from the raw rows (the reference),
    not from app/services/chart_store.py's figures. ``today``: the app's day (default:
    the clock's)."""
    require(session, Action.CHARTS)
    end = min(end, as_of)
    if start > end:
        raise ValueError(f"the range starts on {start}, after as_of {as_of}")
    raw = {"from_rows": from_rows}
    today = today or date.today()
    past = as_of < today
    groups_as_of = as_of if past else None
    split = not from_rows and not past and _aggregated(session)
    halves = _id_halves(session) if split else None
    if halves is None:
        tv: list[Callable[[Session], Any]] = [
            lambda s: time_and_value(s, start, end, heavy_limit, groups_as_of, **raw)]
    else:  # the longest series, in two halves that the two readers compute at once
        tv = [lambda s, h=h: _time_and_value_part(s, start, end, heavy_limit, h)
              for h in halves]
    series: list[Callable[[Session], Any]] = [
        *tv,
        lambda s: recovery_comparison(s, start, end, as_of, **raw),
        lambda s: complaints(s, start, end, as_of, **raw),
        lambda s: dashboard(s, as_of, **raw, today=today),
        lambda s: repeat_share(s, start, end, by, **raw),
        lambda s: returning_clients(s, start, end, by, **raw),
        lambda s: second_purchase_conversion(s, start, end, as_of, **raw),
        lambda s: cohort_retention(s, start, end, as_of, **raw),
        lambda s: channels(s, start, end, **raw),
        lambda s: segment_distribution(s, groups_as_of, **raw),
        lambda s: call_outcomes(s, start, end, by, **raw),
        lambda s: decline_reasons(s, start, end, **raw),
        lambda s: contact_tone(s, start, end, by, **raw),
        lambda s: as_of if past else groups_day(s)]
    done = parallel_read.run(session, series) if split else [f(session) for f in series]
    if halves is None:
        (groups, heavy), rest = done[0], done[1:]
    else:
        (groups, heavy), rest = _time_and_value_merged(session, done[:2], heavy_limit), done[2:]
    (recovery, complaint_figures, board, repeat, returning, second, cohorts, channel_figures,
     segments, outcomes, declines, tone, segments_on) = rest
    last = periods(start, end, by)[-1]
    return Report(start, end, by, as_of, board, repeat, returning, second, cohorts,
                  channel_figures, segments, outcomes, declines, tone, complaint_figures,
                  recovery, groups, heavy, segments_on,
                  last if period_end(last, by) > end else None)


def _id_halves(session: Session) -> list[tuple[int, int]] | None:
    """The clients' ids in two ranges of about as many clients each (ids are given in
    order and few are erased), or None when there are too few to be worth two readers."""
    lo, hi = _sql(session, "SELECT MIN(id), MAX(id) FROM clients")[0]
    if lo is None or hi - lo < 2 * _SPLIT_AT_LEAST:
        return None
    middle = (lo + hi) // 2
    return [(lo, middle), (middle + 1, hi)]


#: below this many clients per half the report is read by one connection: a second one
#: costs more to open than it saves
_SPLIT_AT_LEAST = 20_000


_PROPERTIES = ("share_count", "share_revenue", "new", "rate")


def to_jsonable(obj: Any) -> Any:
    """Dataclasses (with their computed shares), Decimals as strings, dates as ISO."""
    if hasattr(obj, "__dataclass_fields__"):
        out = {k: to_jsonable(getattr(obj, k)) for k in asdict(obj)}
        for p in _PROPERTIES:
            if hasattr(type(obj), p):
                out[p] = to_jsonable(getattr(obj, p))
        if isinstance(obj, CohortRetention):
            out["rates"] = obj.rates()
        return out
    if isinstance(obj, list | tuple):
        return [to_jsonable(x) for x in obj]
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    return obj  # floats whole: json writes the shortest text that reads back the same
