"""The Charts page's numbers read by hand-written SQL in plain sqlite3 from the figures
app/services/chart_store.py keeps (migration 0011): the like-for-like floor of the series
that read them (bench/bench_scale.py reports it beside bench/hand_sql.py's floor over the
raw rows).

The same rule as the app's: a period cut by the range (the current month up to today) is
read from the figures when no row lies in the part of it outside the range, and from the
raw rows (bench/hand_sql.py's query over that part) otherwise."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import hand_sql

from app.services.metrics import (
    CONVERSION_DAYS,
    RETENTION_MONTHS,
    By,
    ChannelRow,
    CohortConversion,
    CohortRetention,
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
    period_start,
    periods,
)


def _c(v) -> Decimal:
    return (Decimal(int(v or 0)) / 100).quantize(Decimal("0.01"))


def _outside(start: date, end: date, k: int, by: By):
    ps, pe = period_start(k, by), period_end(k, by)
    lo, hi = max(start, ps), min(end, pe)
    parts = [(a, b) for a, b in ((ps, lo - timedelta(days=1)), (hi + timedelta(days=1), pe))
             if a <= b]
    return lo, hi, parts


def _any(con: sqlite3.Connection, sql: str, parts, days: bool = False) -> bool:
    for a, b in parts:
        args = hand_sql._day_range(a, b) if days else (a.isoformat(), b.isoformat())
        if con.execute(sql, args).fetchone():
            return True
    return False


def _bought(con, parts) -> bool:
    return _any(con, "SELECT 1 FROM purchases WHERE purchased_on BETWEEN ? AND ? LIMIT 1",
                parts)


def _called(con, parts) -> bool:
    return _any(con, "SELECT 1 FROM contacts WHERE at >= ? AND at < ? LIMIT 1", parts, True)


def _months(k: int, by: By) -> list[int]:
    if by == By.MONTH:
        return [k]
    y, q = divmod(k, 10)
    return [y * 100 + m for m in range(3 * q - 2, 3 * q + 1)]


def repeat_share(con: sqlite3.Connection, start: date, end: date, by: By) -> list[RepeatShare]:
    got = {r[0]: r[1:] for r in con.execute(
        "SELECT month, n, n_ret, cents, cents_ret FROM chart_months WHERE month BETWEEN ? AND ?",
        (key_of(start, By.MONTH), key_of(end, By.MONTH)))}
    out = []
    for k in periods(start, end, by):
        lo, hi, parts = _outside(start, end, k, by)
        if _bought(con, parts):
            out.extend(hand_sql.repeat_share(con, lo, hi, by))
            continue
        rows = [got[m] for m in _months(k, by) if m in got]
        out.append(RepeatShare(k, sum(r[0] for r in rows), sum(r[1] for r in rows),
                               _c(sum(r[2] for r in rows)), _c(sum(r[3] for r in rows))))
    return out


def returning_clients(con: sqlite3.Connection, start: date, end: date, by: By
                      ) -> list[ReturningClients]:
    table, col = ("chart_months", "month") if by == By.MONTH else ("chart_quarters", "quarter")
    got = {r[0]: r[1:] for r in con.execute(
        f"SELECT {col}, clients, ret_clients FROM {table} WHERE {col} BETWEEN ? AND ?",
        (key_of(start, by), key_of(end, by)))}
    out = []
    for k in periods(start, end, by):
        lo, hi, parts = _outside(start, end, k, by)
        if _bought(con, parts):
            out.extend(hand_sql.returning_clients(con, lo, hi, by))
        else:
            c, r = got.get(k, (0, 0))
            out.append(ReturningClients(k, c, r))
    return out


def cohort_retention(con: sqlite3.Connection, start: date, end: date, as_of: date,
                     months: int = RETENTION_MONTHS) -> list[CohortRetention]:
    counts: dict[int, dict[int, int]] = {}
    for c, n, cnt in con.execute("""
            SELECT cohort, (month / 100 * 12 + month % 100) - (cohort / 100 * 12 + cohort % 100),
                   clients FROM chart_cohort_months WHERE cohort BETWEEN ? AND ?""",
                                 (key_of(start, By.MONTH), key_of(end, By.MONTH))):
        counts.setdefault(c, {})[n] = cnt
    now_index = as_of.year * 12 + as_of.month
    out = []
    for k in periods(start, end, By.MONTH):
        lo, hi, parts = _outside(start, end, k, By.MONTH)
        if _any(con, "SELECT 1 FROM chart_new_days WHERE day BETWEEN ? AND ? "
                "AND clients <> 0 LIMIT 1", parts):
            out.extend(hand_sql.cohort_retention(con, lo, hi, as_of, months))
            continue
        got = counts.get(k, {})
        first_index = (k // 100) * 12 + k % 100
        out.append(CohortRetention(k, got.get(0, 0), [
            got.get(n, 0) if first_index + n <= now_index else None for n in range(months)]))
    return out


def channels(con: sqlite3.Connection, start: date, end: date) -> list[ChannelRow]:
    rows: dict[str, list] = {}
    for name, n, referred in con.execute("""
            SELECT channel, SUM(clients), SUM(referred) FROM chart_new_days
            WHERE day BETWEEN ? AND ? GROUP BY channel HAVING SUM(clients) <> 0""",
                                         (start.isoformat(), end.isoformat())):
        rows[name] = [n, referred, 0, 0]
    whole = []
    for k in periods(start, end, By.MONTH):
        lo, hi, parts = _outside(start, end, k, By.MONTH)
        if not _bought(con, parts):
            whole.append(str(k))
            continue
        for name, revenue, ret in con.execute("""
                SELECT COALESCE(c.source_channel, ''), TOTAL(p.amount),
                       TOTAL(CASE WHEN p.purchased_on > c.first_purchase_on THEN p.amount END)
                FROM purchases p JOIN clients c ON c.id = p.client_id
                WHERE p.purchased_on BETWEEN ? AND ? GROUP BY 1""",
                                              (lo.isoformat(), hi.isoformat())):
            r = rows.setdefault(name, [0, 0, 0, 0])
            r[2] += int(hand_sql._money(revenue) * 100)
            r[3] += int(hand_sql._money(ret) * 100)
    if whole:
        for name, cents, ret in con.execute(f"""
                SELECT channel, SUM(cents), SUM(cents_ret) FROM chart_channel_months
                WHERE month IN ({", ".join(whole)}) GROUP BY channel HAVING SUM(cells) > 0"""):
            r = rows.setdefault(name, [0, 0, 0, 0])
            r[2] += cents
            r[3] += ret
    return sorted((ChannelRow(k, v[0], v[1], _c(v[2]), _c(v[3])) for k, v in rows.items()),
                  key=lambda r: (-r.new_clients, -r.revenue, r.channel))


def _counted(con: sqlite3.Connection, kind: str, start: date, end: date, by: By,
             raw: Callable) -> list[Counted]:
    got_m = {(m, label): n for m, label, n in con.execute(
        "SELECT month, label, n FROM chart_contact_months WHERE kind = ? AND n <> 0 "
        "AND month BETWEEN ? AND ?", (kind, key_of(start, By.MONTH), key_of(end, By.MONTH)))}
    got: dict[tuple[int, str], int] = {}
    for k in periods(start, end, by):
        lo, hi, parts = _outside(start, end, k, by)
        if _called(con, parts):
            got.update({(k, c.label): c.count for c in raw(con, lo, hi, by) if c.count})
            continue
        months = set(_months(k, by))
        for (m, label), n in got_m.items():
            if m in months:
                got[(k, label)] = got.get((k, label), 0) + n
    labels = sorted({label for (_k, label), n in got.items() if n})
    return [Counted(k, label, got.get((k, label), 0))
            for k in periods(start, end, by) for label in labels]


def call_outcomes(con, start, end, by) -> list[Counted]:
    return _counted(con, "outcome", start, end, by, hand_sql.call_outcomes)


def contact_tone(con, start, end, by) -> list[Counted]:
    return _counted(con, "tone", start, end, by, hand_sql.contact_tone)


def decline_reasons(con: sqlite3.Connection, start: date, end: date) -> list[Reason]:
    got: dict[str, int] = {}
    whole = []
    for k in periods(start, end, By.MONTH):
        lo, hi, parts = _outside(start, end, k, By.MONTH)
        if _called(con, parts):
            for r in hand_sql.decline_reasons(con, lo, hi):
                got[r.reason] = got.get(r.reason, 0) + r.count
        else:
            whole.append(str(k))
    if whole:
        for label, n in con.execute(f"""
                SELECT label, SUM(n) FROM chart_contact_months WHERE kind = 'declined'
                AND month IN ({", ".join(whole)}) GROUP BY label"""):
            got[label] = got.get(label, 0) + n
    return sorted((Reason(r, n) for r, n in got.items() if n),
                  key=lambda r: (-r.count, r.reason))


def second_purchase_conversion(con: sqlite3.Connection, start: date, end: date, as_of: date
                               ) -> list[CohortConversion]:
    got = {k: (n, c) for k, n, c in con.execute(f"""
        SELECT {hand_sql._key('day', By.MONTH)} AS k, SUM(clients), SUM(converted)
        FROM chart_first_days WHERE day BETWEEN ? AND ? GROUP BY k""",
                                                 (start.isoformat(), end.isoformat()))}
    out = []
    for k in periods(start, end, By.MONTH):
        done = period_end(k, By.MONTH) + timedelta(days=CONVERSION_DAYS) < as_of
        n, c = got.get(k, (0, 0))
        out.append(CohortConversion(k, n, c, done))
    return out


def segment_distribution(con: sqlite3.Connection) -> list[SegmentShare]:
    """The kept groups; the clients with no 12-month revenue (kept in each group's
    ":none" row): their own band."""
    got: dict[str, list[int]] = {}
    band = [0, 0]
    for s, n, c in con.execute(
            "SELECT segment, clients, cents FROM chart_segments WHERE clients <> 0"):
        row = band if s.endswith(":none") else got.setdefault(s, [0, 0])
        row[0] += n
        row[1] += c
    got["none"] = band
    return [SegmentShare(s, got.get(s, [0])[0], _c(got.get(s, [0, 0])[1]))
            for s in ("A", "B", "C", "none", "-") if s in "ABC" or got.get(s, [0])[0]]


def recovery_comparison(con: sqlite3.Connection, start: date, end: date
                        ) -> list[RecoveryGroup]:
    if con.execute("SELECT 1 FROM purchases WHERE purchased_on > ? LIMIT 1",
                   (end.isoformat(),)).fetchone():
        return hand_sql.recovery_comparison(con, start, end)
    repeated = """EXISTS (SELECT 1 FROM purchases p WHERE p.client_id = c.id
                          AND p.is_credit = 0 AND p.purchased_on > c.first_purchase_on
                          AND p.purchased_on BETWEEN :start AND :end)"""
    args = {"start": start.isoformat(), "end": end.isoformat(),
            "end_dt": hand_sql._day_range(start, end)[1]}
    kept = con.execute(f"""
        SELECT COUNT(*), TOTAL({repeated}) FROM clients c
        WHERE c.first_purchase_on IS NOT NULL AND c.id IN (
            SELECT client_id FROM complaints WHERE status = 'closed_kept'
               AND closed_at < :end_dt)""", args).fetchone()
    some = con.execute(f"""
        SELECT COUNT(*), TOTAL({repeated}) FROM clients c
        WHERE c.first_purchase_on <= :end AND c.id IN (SELECT client_id FROM complaints)""",
                       args).fetchone()
    everyone = con.execute("SELECT TOTAL(clients) FROM chart_first_days WHERE day <= ?",
                           (end.isoformat(),)).fetchone()[0]
    repeaters = con.execute("SELECT TOTAL(clients) FROM chart_last_days WHERE day >= ?",
                            (start.isoformat(),)).fetchone()[0]
    return [RecoveryGroup("recovered", int(kept[0]), int(kept[1])),
            RecoveryGroup("never_complained", int(everyone - some[0]),
                          int(repeaters - some[1]))]


def time_and_value(con: sqlite3.Connection, start: date, end: date, limit: int = 2000
                   ) -> tuple[list[TimeValueGroup], list[TimeValue]]:
    whole, sources, args = [], [], []
    for k in periods(start, end, By.MONTH):
        lo, hi, parts = _outside(start, end, k, By.MONTH)
        if _called(con, parts):
            sources.append("SELECT client_id, 1 AS calls, COALESCE(duration_seconds, 0) "
                           "AS seconds FROM contacts WHERE at >= ? AND at < ? "
                           "AND duration_seconds IS NOT NULL")
            args += list(hand_sql._day_range(lo, hi))
        else:
            whole.append(str(k))
    if whole:
        sources.insert(0, "SELECT client_id, calls, seconds FROM chart_call_months "
                          f"WHERE month IN ({', '.join(whole)})")
    rows = con.execute(f"""
        WITH pc AS MATERIALIZED (
            SELECT client_id AS id, SUM(seconds) AS sec, SUM(seconds) / 60.0 AS m
            FROM ({" UNION ALL ".join(sources)})
            GROUP BY client_id HAVING SUM(calls) > 0),
        tv AS MATERIALIZED (
            SELECT c.id AS id, c.name AS name,
                   CASE WHEN c.value_12m <= 0 THEN 'none'
                        ELSE COALESCE(c.segment_override, c.segment, '-') END AS seg,
                   pc.sec AS m, pc.m AS mm,
                   c.value_12m AS v FROM pc JOIN clients c ON c.id = pc.id)
        SELECT 0, seg, COUNT(*), SUM(m), SUM(v), NULL, NULL FROM tv GROUP BY seg
        UNION ALL
        SELECT * FROM (SELECT 1, seg, NULL, m, v, id, name FROM tv
                       ORDER BY mm / (COALESCE(v, 0) + 1) DESC, id LIMIT ?)""",
                       (*args, limit)).fetchall()
    groups = sorted((TimeValueGroup(s, n, Decimal(int(m or 0)) / 60, hand_sql._money(v))
                     for kind, s, n, m, v, _i, _nm in rows if kind == 0),
                    key=lambda g: g.segment)
    heavy = [TimeValue(i, nm, s, Decimal(int(m or 0)) / 60, hand_sql._money(v))
             for kind, s, _n, m, v, i, nm in rows if kind == 1]
    return groups, heavy


def dashboard(con: sqlite3.Connection, as_of: date) -> Dashboard:
    return hand_sql.dashboard(
        con, as_of, share_of=repeat_share, returning_of=returning_clients,
        new_sql="SELECT TOTAL(clients) FROM chart_new_days WHERE day BETWEEN ? AND ?")


def series(start: date, end: date, by: By, as_of: date, heavy_limit: int = 2000
           ) -> dict[str, Callable[[sqlite3.Connection], object]]:
    """The hand queries over the kept figures, by the name of the app's function (the
    complaints, which read their rows, are not here: their floor is hand_sql's)."""
    return {
        "second_purchase_conversion": lambda c: second_purchase_conversion(c, start, end,
                                                                           as_of),
        "segment_distribution": segment_distribution,
        "recovery_comparison": lambda c: recovery_comparison(c, start, end),
        "time_and_value": lambda c: time_and_value(c, start, end, limit=heavy_limit),
        "repeat_share": lambda c: repeat_share(c, start, end, by),
        "returning_clients": lambda c: returning_clients(c, start, end, by),
        "cohort_retention": lambda c: cohort_retention(c, start, end, as_of),
        "channels": lambda c: channels(c, start, end),
        "call_outcomes": lambda c: call_outcomes(c, start, end, by),
        "decline_reasons": lambda c: decline_reasons(c, start, end),
        "contact_tone": lambda c: contact_tone(c, start, end, by),
        "dashboard": lambda c: dashboard(c, as_of),
    }
