"""The Charts page's numbers computed by hand-written SQL in plain sqlite3: the floor each
series of app/services/metrics.py is measured against (bench/bench_scale.py).

Each query is written from the definitions (/work/shared/DOMAIN.md "Definitions the charts
use", the docstrings of app/services/metrics.py), one statement per number, with no ORM
and no SQLAlchemy; the rows are put into the same dataclasses the app returns, so
tests/test_bench_hand_sql.py can prove on the demo database that every number equals the
app's. A client's first purchase is ``clients.first_purchase_on`` (the app keeps it equal
to the earliest non-credit purchase day); dates are compared as the ISO text they are
stored as.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from app.services import metrics
from app.services.metrics import (
    CONVERSION_DAYS,
    RETENTION_MONTHS,
    By,
    ChannelRow,
    CohortConversion,
    CohortRetention,
    ComplaintCategory,
    ComplaintSummary,
    Counted,
    Dashboard,
    Reason,
    RecoveryGroup,
    RepeatShare,
    ReturningClients,
    SegmentShare,
    TimeValue,
    TimeValueGroup,
    key_of,
    period_end,
    periods,
)

ZERO = Decimal("0.00")


def _money(v) -> Decimal:
    return Decimal(str(v or 0)).quantize(Decimal("0.01"))


def _key(col: str, by: By) -> str:
    """yyyymm or yyyyq of an ISO date or date-time column."""
    y, m = f"CAST(substr({col}, 1, 4) AS INTEGER)", f"CAST(substr({col}, 6, 2) AS INTEGER)"
    return f"({y} * 100 + {m})" if by == By.MONTH else f"({y} * 10 + ({m} + 2) / 3)"


def _day_range(start: date, end: date) -> tuple[str, str]:
    """[start 00:00, end + 1 day 00:00) as stored date-times."""
    return (f"{start.isoformat()} 00:00:00.000000",
            f"{(end + timedelta(days=1)).isoformat()} 00:00:00.000000")


def repeat_share(con: sqlite3.Connection, start: date, end: date, by: By) -> list[RepeatShare]:
    got = {r[0]: r for r in con.execute(f"""
        SELECT {_key('p.purchased_on', by)} AS k,
               SUM(p.is_credit = 0),
               SUM(p.is_credit = 0 AND p.purchased_on > c.first_purchase_on),
               TOTAL(p.amount),
               TOTAL(CASE WHEN p.purchased_on > c.first_purchase_on THEN p.amount END)
        FROM purchases p JOIN clients c ON c.id = p.client_id
        WHERE p.purchased_on BETWEEN ? AND ?
        GROUP BY k""", (start.isoformat(), end.isoformat()))}
    return [RepeatShare(k, int(got[k][1] or 0), int(got[k][2] or 0), _money(got[k][3]),
                        _money(got[k][4])) if k in got else RepeatShare(k, 0, 0, ZERO, ZERO)
            for k in periods(start, end, by)]


def returning_clients(con: sqlite3.Connection, start: date, end: date, by: By
                      ) -> list[ReturningClients]:
    got = {r[0]: r for r in con.execute(f"""
        SELECT {_key('p.purchased_on', by)} AS k, COUNT(DISTINCT p.client_id),
               COUNT(DISTINCT CASE WHEN p.purchased_on > c.first_purchase_on
                                   THEN p.client_id END)
        FROM purchases p JOIN clients c ON c.id = p.client_id
        WHERE p.purchased_on BETWEEN ? AND ? AND p.is_credit = 0
          AND c.first_purchase_on IS NOT NULL
        GROUP BY k""", (start.isoformat(), end.isoformat()))}
    return [ReturningClients(k, int(got[k][1]), int(got[k][2])) if k in got
            else ReturningClients(k, 0, 0) for k in periods(start, end, by)]


def second_purchase_conversion(con: sqlite3.Connection, start: date, end: date, as_of: date
                               ) -> list[CohortConversion]:
    got = {r[0]: r for r in con.execute(f"""
        SELECT {_key('c.first_purchase_on', By.MONTH)} AS k, COUNT(*),
               SUM(EXISTS (SELECT 1 FROM purchases p
                           WHERE p.client_id = c.id AND p.is_credit = 0
                             AND p.purchased_on > c.first_purchase_on
                             AND p.purchased_on <= date(c.first_purchase_on, '+{CONVERSION_DAYS} days')))
        FROM clients c WHERE c.first_purchase_on BETWEEN ? AND ?
        GROUP BY k""", (start.isoformat(), end.isoformat()))}  # noqa: E501
    out = []
    for k in periods(start, end, By.MONTH):
        done = period_end(k, By.MONTH) + timedelta(days=CONVERSION_DAYS) < as_of
        out.append(CohortConversion(k, int(got[k][1]), int(got[k][2] or 0), done) if k in got
                   else CohortConversion(k, 0, 0, done))
    return out


def cohort_retention(con: sqlite3.Connection, start: date, end: date, as_of: date,
                     months: int = RETENTION_MONTHS) -> list[CohortRetention]:
    idx = "CAST(substr({0}, 1, 4) AS INTEGER) * 12 + CAST(substr({0}, 6, 2) AS INTEGER)"
    counts: dict[int, dict[int, int]] = {}
    for c, n, cnt in con.execute(f"""
            SELECT {_key('c.first_purchase_on', By.MONTH)} AS ck,
                   ({idx.format('p.purchased_on')}) - ({idx.format('c.first_purchase_on')}) AS n,
                   COUNT(DISTINCT p.client_id)
            FROM purchases p JOIN clients c ON c.id = p.client_id
            WHERE c.first_purchase_on BETWEEN ? AND ? AND p.is_credit = 0
            GROUP BY ck, n""", (start.isoformat(), end.isoformat())):
        counts.setdefault(c, {})[int(n)] = int(cnt)
    now_index = as_of.year * 12 + as_of.month
    out = []
    for k in periods(start, end, By.MONTH):
        got = counts.get(k, {})
        first_index = (k // 100) * 12 + k % 100
        out.append(CohortRetention(k, got.get(0, 0), [
            got.get(n, 0) if first_index + n <= now_index else None for n in range(months)]))
    return out


def channels(con: sqlite3.Connection, start: date, end: date) -> list[ChannelRow]:
    span = (start.isoformat(), end.isoformat())
    rows: dict[str, list] = {}
    for name, n, referred in con.execute("""
            SELECT COALESCE(source_channel, ''), COUNT(*), SUM(referred_by_id IS NOT NULL)
            FROM clients WHERE first_purchase_on BETWEEN ? AND ?
            GROUP BY 1""", span):
        rows[name] = [int(n), int(referred or 0), ZERO, ZERO]
    for name, revenue, ret in con.execute("""
            SELECT COALESCE(c.source_channel, ''), TOTAL(p.amount),
                   TOTAL(CASE WHEN p.purchased_on > c.first_purchase_on THEN p.amount END)
            FROM purchases p JOIN clients c ON c.id = p.client_id
            WHERE p.purchased_on BETWEEN ? AND ?
            GROUP BY 1""", span):
        r = rows.setdefault(name, [0, 0, ZERO, ZERO])
        r[2], r[3] = _money(revenue), _money(ret)
    return sorted((ChannelRow(k, *v) for k, v in rows.items()),
                  key=lambda r: (-r.new_clients, -r.revenue, r.channel))


def segment_distribution(con: sqlite3.Connection) -> list[SegmentShare]:
    """By group, the clients with no 12-month revenue as their own band."""
    got = {r[0]: r for r in con.execute("""
        SELECT CASE WHEN value_12m <= 0 THEN 'none'
                    ELSE COALESCE(segment_override, segment, '-') END,
               COUNT(*), TOTAL(value_12m)
        FROM clients WHERE deleted_at IS NULL GROUP BY 1""")}
    return [SegmentShare(s, int(got[s][1]) if s in got else 0,
                         _money(got[s][2]) if s in got else ZERO)
            for s in ("A", "B", "C", "none", "-") if s in "ABC" or s in got]


def _counted(rows, start: date, end: date, by: By) -> list[Counted]:
    got = {(int(k), str(label)): int(n) for k, label, n in rows}
    labels = sorted({label for _k, label in got})
    return [Counted(k, label, got.get((k, label), 0))
            for k in periods(start, end, by) for label in labels]


def call_outcomes(con: sqlite3.Connection, start: date, end: date, by: By) -> list[Counted]:
    rows = con.execute(f"""
        SELECT {_key('at', by)} AS k, outcome, COUNT(*) FROM contacts
        WHERE at >= ? AND at < ? AND direction = 'outbound'
        GROUP BY k, outcome""", _day_range(start, end)).fetchall()
    return _counted(rows, start, end, by)


def contact_tone(con: sqlite3.Connection, start: date, end: date, by: By) -> list[Counted]:
    rows = con.execute(f"""
        SELECT {_key('at', by)} AS k, tone, COUNT(*) FROM contacts
        WHERE at >= ? AND at < ? AND tone IS NOT NULL
        GROUP BY k, tone""", _day_range(start, end)).fetchall()
    return _counted(rows, start, end, by)


def decline_reasons(con: sqlite3.Connection, start: date, end: date) -> list[Reason]:
    return [Reason(r, int(n)) for r, n in con.execute("""
        SELECT COALESCE(decline_reason, '') AS r, COUNT(*) AS n FROM contacts
        WHERE outcome = 'declined' AND at >= ? AND at < ?
        GROUP BY r ORDER BY n DESC, r""", _day_range(start, end))]


def complaints(con: sqlite3.Connection, start: date, end: date) -> ComplaintSummary:
    span = _day_range(start, end)
    cats = [ComplaintCategory(c, int(n), int(k or 0), int(lo or 0)) for c, n, k, lo in
            con.execute("""
                SELECT category, COUNT(*) AS n, SUM(status = 'closed_kept'),
                       SUM(status = 'closed_lost')
                FROM complaints WHERE opened_at >= ? AND opened_at < ?
                GROUP BY category ORDER BY n DESC, category""", span)]
    hours = [float(h) for (h,) in con.execute("""
        SELECT (julianday(resolved_at) - julianday(opened_at)) * 24 FROM complaints
        WHERE opened_at >= ? AND opened_at < ? AND resolved_at IS NOT NULL""", span)]
    return ComplaintSummary(cats, sum(c.complaints for c in cats), sum(c.kept for c in cats),
                            sum(c.lost for c in cats),
                            statistics.median(hours) if hours else None)


def recovery_comparison(con: sqlite3.Connection, start: date, end: date
                        ) -> list[RecoveryGroup]:
    repeated = """EXISTS (SELECT 1 FROM purchases p WHERE p.client_id = c.id
                          AND p.is_credit = 0 AND p.purchased_on > c.first_purchase_on
                          AND p.purchased_on BETWEEN :start AND :end)"""
    args = {"start": start.isoformat(), "end": end.isoformat(),
            "end_dt": _day_range(start, end)[1]}
    out = []
    for name, cond in (
            ("recovered", """EXISTS (SELECT 1 FROM complaints k WHERE k.client_id = c.id
                             AND k.status = 'closed_kept' AND k.closed_at < :end_dt)"""),
            ("never_complained", """NOT EXISTS (SELECT 1 FROM complaints k
                                                WHERE k.client_id = c.id)
                                    AND c.first_purchase_on <= :end""")):
        n, rep = con.execute(f"""SELECT COUNT(*), SUM({repeated}) FROM clients c
                                 WHERE c.first_purchase_on IS NOT NULL AND {cond}""",
                             args).fetchone()
        out.append(RecoveryGroup(name, int(n), int(rep or 0)))
    return out


def time_and_value(con: sqlite3.Connection, start: date, end: date, limit: int = 2000
                   ) -> tuple[list[TimeValueGroup], list[TimeValue]]:
    per_client = """
        SELECT c.id AS id, c.name AS name,
               CASE WHEN c.value_12m <= 0 THEN 'none'
                    ELSE COALESCE(c.segment_override, c.segment, '-') END AS seg,
               SUM(k.duration_seconds) AS sec, SUM(k.duration_seconds) / 60.0 AS m,
               c.value_12m AS v
        FROM contacts k JOIN clients c ON c.id = k.client_id
        WHERE k.at >= :a AND k.at < :b AND k.duration_seconds IS NOT NULL
        GROUP BY c.id"""
    a, b = _day_range(start, end)
    groups = [TimeValueGroup(s, int(n), Decimal(int(sec or 0)) / 60, _money(v))
              for s, n, sec, v in con.execute(
                  f"SELECT seg, COUNT(*), SUM(sec), SUM(v) FROM ({per_client}) "
                  "GROUP BY seg ORDER BY seg", {"a": a, "b": b})]
    heavy = [TimeValue(i, name, s, Decimal(int(sec or 0)) / 60, _money(v))
             for i, name, s, sec, v in con.execute(
                 f"SELECT id, name, seg, sec, v FROM ({per_client}) "
                 "ORDER BY m / (COALESCE(v, 0) + 1) DESC, id LIMIT :n",
                 {"a": a, "b": b, "n": limit})]
    return groups, heavy


#: the month's new clients, from the clients' first purchase day
NEW_CLIENTS_SQL = "SELECT COUNT(*) FROM clients WHERE first_purchase_on BETWEEN ? AND ?"


def dashboard(con: sqlite3.Connection, as_of: date, *, share_of=None, returning_of=None,
              new_sql: str = NEW_CLIENTS_SQL) -> Dashboard:
    """The month's dashboard; bench/hand_sql_agg.py passes its own repeat share,
    returning clients and new-client count (over the kept figures)."""
    first = as_of.replace(day=1)
    share = (share_of or repeat_share)(con, first, as_of, By.MONTH)[0]
    ret = (returning_of or returning_clients)(con, first, as_of, By.MONTH)[0]
    new = con.execute(new_sql, (first.isoformat(), as_of.isoformat())).fetchone()[0]
    open_complaints = con.execute("SELECT COUNT(*) FROM complaints WHERE status NOT IN "
                                  "('closed_kept', 'closed_lost')").fetchone()[0]
    overdue = con.execute("""
        SELECT COUNT(*) FROM tasks WHERE status IN ('open', 'snoozed') AND due_on < ?
           AND kind NOT IN ('complaint_review', 'quarterly_review')""",
                          (as_of.isoformat(),)).fetchone()[0]
    return Dashboard(key_of(as_of, By.MONTH), share.share_revenue, share.share_count,
                     ret.rate, ret.clients, int(new), int(open_complaints), int(overdue))


def app_series(start: date, end: date, by: By, as_of: date, heavy_limit: int = 2000
               ) -> dict[str, Callable[[Session], object]]:
    """The app's own function of each series (app/services/metrics.py), called as the
    Charts page calls it (``heavy_limit`` 2,000), by the same names as :func:`series`."""
    return {
        "repeat_share": lambda s: metrics.repeat_share(s, start, end, by),
        "returning_clients": lambda s: metrics.returning_clients(s, start, end, by),
        "second_purchase_conversion": lambda s: metrics.second_purchase_conversion(
            s, start, end, as_of),
        "cohort_retention": lambda s: metrics.cohort_retention(s, start, end, as_of),
        "channels": lambda s: metrics.channels(s, start, end),
        "segment_distribution": metrics.segment_distribution,
        "call_outcomes": lambda s: metrics.call_outcomes(s, start, end, by),
        "decline_reasons": lambda s: metrics.decline_reasons(s, start, end),
        "contact_tone": lambda s: metrics.contact_tone(s, start, end, by),
        "complaints": lambda s: metrics.complaints(s, start, end),
        "recovery_comparison": lambda s: metrics.recovery_comparison(s, start, end),
        "time_and_value": lambda s: metrics.time_and_value(s, start, end, limit=heavy_limit),
        "dashboard": lambda s: metrics.dashboard(s, as_of, today=as_of),
    }


def series(start: date, end: date, by: By, as_of: date, heavy_limit: int = 2000
           ) -> dict[str, Callable[[sqlite3.Connection], object]]:
    """Each hand query by the name of the app's function, ready to call on a connection."""
    return {
        "repeat_share": lambda c: repeat_share(c, start, end, by),
        "returning_clients": lambda c: returning_clients(c, start, end, by),
        "second_purchase_conversion": lambda c: second_purchase_conversion(c, start, end,
                                                                           as_of),
        "cohort_retention": lambda c: cohort_retention(c, start, end, as_of),
        "channels": lambda c: channels(c, start, end),
        "segment_distribution": segment_distribution,
        "call_outcomes": lambda c: call_outcomes(c, start, end, by),
        "decline_reasons": lambda c: decline_reasons(c, start, end),
        "contact_tone": lambda c: contact_tone(c, start, end, by),
        "complaints": lambda c: complaints(c, start, end),
        "recovery_comparison": lambda c: recovery_comparison(c, start, end),
        "time_and_value": lambda c: time_and_value(c, start, end, limit=heavy_limit),
        "dashboard": lambda c: dashboard(c, as_of),
    }
