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

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.orm import Session

from app import dialect
from app.errors import FieldError, ValidationError
from app.models import Client, Contact, Purchase, SegmentHistory, Setting, Task
from app.models.enums import Segment, TaskKind, TaskStatus
from app.services import settings as settings_service
from app.services.access import Action, require


class MoveReason(StrEnum):
    COMPETITOR_PRICES = "competitor_prices"
    DELIVERY = "delivery"
    PERSONALITY = "personality"
    OTHER = "other"


#: what the last regrouping left (raw in the settings, like the start of day's marker):
#: the day, the rules, the total and, for each line, where it fell (see _Line)
ABC_STATE = "internal.abc_state"
#: each client whose value, Trash state or purchases were written since the last
#: regrouping, with the value and Trash state it had then (the first write keeps them)
ABC_WAS = "sod_abc_was"
_ABC_TRIGGER = "sod_abc_{table}_{op}"  # a new body needs a new name (IF NOT EXISTS)
_ABC_TRIGGERS = 6
#: the cents of a stored value, as every sum here counts them (integers: exact)
_CENTS = "CAST(round({v} * 100) AS INTEGER)"
#: the ranked clients: those the shares are of
_RANKED = "deleted_at IS NULL AND value_12m > 0"
#: each ranked client's group (r: id, before = the cents ranked above them): A inside the
#: A share with enough purchase days in the window, B inside A + B, else C
_GROUPED = """
            SELECT r.id, CASE
                WHEN r.before * 100 < :pa AND (SELECT COUNT(DISTINCT p.purchased_on)
                     FROM purchases p WHERE p.client_id = r.id AND p.is_credit = :no
                       AND p.purchased_on > :since AND p.purchased_on <= :today) >= :min_days
                     THEN 'A'
                WHEN r.before * 100 < :pab THEN 'B' ELSE 'C' END AS segment"""


def _install_abc_watch(session: Session) -> None:
    """Triggers that note, once a regrouping left its state, the first write since of
    each client's value, Trash state or purchases, with the value the client had then:
    so the next regrouping knows how the total and the sums above each line moved
    without reading every client. Any writer of the file is caught."""
    session.execute(text(f"CREATE TABLE IF NOT EXISTS {ABC_WAS} (client_id INTEGER "
                         "PRIMARY KEY, value REAL, ranked INTEGER NOT NULL)"))
    on = f"WHEN EXISTS (SELECT 1 FROM settings WHERE key = '{ABC_STATE}')"
    was = f"INSERT OR IGNORE INTO {ABC_WAS} (client_id, value, ranked)"
    bodies = {
        ("clients", "insert"): f"{on} BEGIN {was} VALUES (NEW.id, NULL, 0); END",
        ("clients", "update"): (
            f"{on} AND (OLD.value_12m IS NOT NEW.value_12m OR OLD.deleted_at IS NOT "
            f"NEW.deleted_at OR OLD.id IS NOT NEW.id) BEGIN {was} VALUES (OLD.id, "
            "OLD.value_12m, OLD.deleted_at IS NULL AND OLD.value_12m > 0); END"),
        ("clients", "delete"): (
            f"{on} BEGIN {was} VALUES (OLD.id, OLD.value_12m, "
            "OLD.deleted_at IS NULL AND OLD.value_12m > 0); END")}
    for op, rows in (("insert", ("NEW",)), ("update", ("OLD", "NEW")), ("delete", ("OLD",))):
        # a purchase written: its client's purchase days may have changed
        bodies[("purchases", op)] = f"{on} BEGIN " + " ".join(
            f"{was} SELECT id, value_12m, deleted_at IS NULL AND value_12m > 0 "
            f"FROM clients WHERE id = {r}.client_id;" for r in rows) + " END"
    for (table, op), body in bodies.items():
        session.execute(text(
            f"CREATE TRIGGER IF NOT EXISTS {_ABC_TRIGGER.format(table=table, op=op)} "
            f"AFTER {op.upper()} ON {table} {body}"))


@dataclass
class _Line:
    """Where a share's line falls in the ranking (12-month value descending, then id):
    the first client not inside it (``None``: every ranked client is inside) and the
    cents of the clients ranked before that one."""

    value: float | None
    client_id: int | None
    before: int

    def above(self, value: float, client_id: int) -> bool:
        """Ranked before the line's client (inside the share)."""
        if self.client_id is None:
            return True
        return value > self.value or (value == self.value and client_id < self.client_id)


def _rules(session: Session) -> tuple[int, int, int, int]:
    g = settings_service.get
    return (g(session, "segment.a_revenue_share"), g(session, "segment.b_revenue_share"),
            g(session, "segment.a_min_purchases"), g(session, "value.window_days"))


def _load_state(session: Session, rules: tuple) -> dict | None:
    """The last regrouping's state, if it can be carried on: the same rules, the
    triggers all there (a table rebuilt by a migration loses its triggers)."""
    watching = session.scalar(text(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name GLOB 'sod_abc_*'"))
    if watching != _ABC_TRIGGERS:
        return None
    raw = session.scalar(text("SELECT value FROM settings WHERE key = :k"), {"k": ABC_STATE})
    try:
        state = json.loads(json.loads(raw)) if raw else None
        if state is None or tuple(state["rules"]) != rules:
            return None
        state["day"] = date.fromisoformat(state["day"])
        state["lines"] = [_Line(*line) for line in state["lines"]]
        state["total"] = int(state["total"])
    except (ValueError, TypeError, KeyError):
        return None
    return state


def _save_state(session: Session, today: date, rules: tuple, total: int,
                lines: list[_Line]) -> None:
    if dialect.is_sqlite(session):  # elsewhere the state tells only the day (the charts)
        _install_abc_watch(session)
        session.execute(text(f"DELETE FROM {ABC_WAS}"))
    raw = json.dumps({"day": today.isoformat(), "rules": list(rules), "total": total,
                      "lines": [[ln.value, ln.client_id, ln.before] for ln in lines]})
    # through the ORM, so the write is told as bookkeeping (app/changes.py), not a setting
    row = session.get(Setting, ABC_STATE)
    if row is None:
        session.add(Setting(key=ABC_STATE, value=json.dumps(raw)))
    else:
        row.value = json.dumps(raw)
    session.flush()


def _full_regroup(session: Session, today: date, rules: tuple) -> set[int]:
    a_pct, b_pct, min_days, window = rules
    since = today - timedelta(days=window)
    session.execute(text("CREATE TEMP TABLE IF NOT EXISTS abc_rank (n INTEGER PRIMARY KEY, "
                         "id INTEGER, value REAL, cents INTEGER, before INTEGER)"))
    session.execute(text("DELETE FROM abc_rank"))
    # ranked by value (ties by id); ``before``: the cents of the clients ranked before
    session.execute(text(f"""
        INSERT INTO abc_rank (id, value, cents, before)
        SELECT id, value_12m, cents, COALESCE(SUM(cents) OVER (ORDER BY value_12m DESC, id
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
        FROM (SELECT id, value_12m, {_CENTS.format(v='value_12m')} AS cents
              FROM clients WHERE {_RANKED})
        ORDER BY value_12m DESC, id"""))
    total = int(session.scalar(text("SELECT COALESCE(SUM(cents), 0) FROM abc_rank")))
    lines = []
    for pct in (a_pct, a_pct + b_pct):  # the first client on or past the line
        row = session.execute(text("SELECT value, id, before FROM abc_rank "
                                   "WHERE before * 100 >= :p ORDER BY n LIMIT 1"),
                              {"p": pct * total}).first()
        lines.append(_Line(row[0], row[1], row[2]) if row else _Line(None, None, total))
    # Only the rows whose group changes are written (a day moves a few of a million);
    # the purchase days are counted only for those inside the A share.
    changed = session.execute(text(f"""
        WITH grouped AS ({_GROUPED} FROM abc_rank r)
        UPDATE clients SET segment = grouped.segment
        FROM grouped WHERE grouped.id = clients.id
          AND clients.segment IS NOT grouped.segment
        RETURNING clients.id"""),
                    {"pa": a_pct * total, "pab": (a_pct + b_pct) * total,
                     "min_days": min_days, "since": since, "today": today, "no": False})
    moved = set(changed.scalars())
    session.execute(text("DELETE FROM abc_rank"))
    # everybody else (no revenue in the window, in the Trash) is C: two index ranges
    for rest in ("deleted_at IS NULL AND value_12m <= 0", "deleted_at IS NOT NULL"):
        moved.update(session.execute(text(f"""
            UPDATE clients SET segment = 'C' WHERE {rest} AND segment IS NOT 'C'
            RETURNING id""")).scalars())
    _save_state(session, today, rules, total, lines)
    return moved


def _full_regroup_portably(session: Session, today: date, rules: tuple) -> set[int]:
    """:func:`_full_regroup` on a server (PostgreSQL): the same ranking and shares in
    integer cents, ranked by window functions in one statement (no temporary table of
    SQLite's rowids); the state kept says only the day (an incremental regrouping rests
    on SQLite triggers), so every regrouping there ranks every client."""
    a_pct, b_pct, min_days, window = rules
    since = today - timedelta(days=window)
    cents = "CAST(round(value_12m * 100) AS BIGINT)"
    total = int(session.scalar(text(
        f"SELECT COALESCE(SUM({cents}), 0) FROM clients WHERE {_RANKED}")))
    changed = session.execute(text(f"""
        WITH ranked AS (
            SELECT id, COALESCE(SUM(cents) OVER (ORDER BY value_12m DESC, id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
            FROM (SELECT id, value_12m, {cents} AS cents FROM clients WHERE {_RANKED}) c),
        grouped AS ({_GROUPED} FROM ranked r)
        UPDATE clients SET segment = grouped.segment
        FROM grouped WHERE grouped.id = clients.id
          AND clients.segment IS DISTINCT FROM grouped.segment
        RETURNING clients.id"""),
                    {"pa": a_pct * total, "pab": (a_pct + b_pct) * total,
                     "min_days": min_days, "since": since, "today": today, "no": False})
    moved = set(changed.scalars())
    for rest in ("deleted_at IS NULL AND value_12m <= 0", "deleted_at IS NOT NULL"):
        moved.update(session.execute(text(f"""
            UPDATE clients SET segment = 'C' WHERE {rest} AND segment IS DISTINCT FROM 'C'
            RETURNING id""")).scalars())
    _save_state(session, today, rules, total, [])  # the day the groups are of
    return moved


#: more clients than this written since the last regrouping: every client is ranked again
REGROUP_IN_FULL = 200_000
_ROW = f"SELECT id, value_12m, {_CENTS.format(v='value_12m')} FROM clients WHERE deleted_at IS NULL"


def _at_or_after(session: Session, value: float | None, client_id: int | None):
    """The first ranked client at or after this place in the ranking (None: the end)."""
    if client_id is None:
        return None
    row = session.execute(text(f"{_ROW} AND value_12m = :v AND id >= :i ORDER BY id LIMIT 1"),
                          {"v": value, "i": client_id}).first()
    return row or _first_of_value(session, "value_12m < :v AND value_12m > 0 ORDER BY "
                                  "value_12m DESC", {"v": value}, first=True)


def _after(session: Session, row):
    """The ranked client after this one (None: it is the last)."""
    return _at_or_after(session, row[1], row[0] + 1)


def _before(session: Session, value: float | None, client_id: int | None):
    """The ranked client just before this place (None: it is the first)."""
    if client_id is None:  # the end: the last ranked client
        return _first_of_value(session, "value_12m > 0 ORDER BY value_12m", {}, first=False)
    row = session.execute(text(f"{_ROW} AND value_12m = :v AND id < :i "
                               "ORDER BY id DESC LIMIT 1"),
                          {"v": value, "i": client_id}).first()
    return row or _first_of_value(session, "value_12m > :v ORDER BY value_12m",
                                  {"v": value}, first=False)


def _first_of_value(session: Session, where: str, params: dict, *, first: bool):
    """The next value in a direction (an index seek), then its first or last client."""
    value = session.scalar(text(f"SELECT value_12m FROM clients WHERE deleted_at IS NULL "
                                f"AND {where} LIMIT 1"), params)
    if value is None:
        return None
    order = "id" if first else "id DESC"
    return session.execute(text(f"{_ROW} AND value_12m = :v ORDER BY {order} LIMIT 1"),
                           {"v": value}).first()


def _move_line(session: Session, line: _Line, share: int, total: int) -> _Line:
    """Where the line falls now, walked from where it fell: a client is inside while
    the cents ranked before it are under ``share`` percent of the total (exactly, in
    integers). ``line.before`` is already the cents now ranked before its place."""
    limit = share * total
    row = _at_or_after(session, line.value, line.client_id)
    before = line.before
    while row is not None and before * 100 < limit:  # that client is inside
        before += row[2]
        row = _after(session, row)
    value, cid = (row[1], row[0]) if row is not None else (None, None)
    while True:  # the client above the line is outside
        above = _before(session, value, cid)
        if above is None or (before - above[2]) * 100 < limit:
            break
        before -= above[2]
        value, cid = above[1], above[0]
    return _Line(value, cid, before)


def _between(session: Session, one: _Line, other: _Line) -> set[int]:
    """The ranked clients between two places of a line (a range of the value index)."""
    if (one.value, one.client_id) == (other.value, other.client_id):
        return set()
    hi, lo = sorted((one, other), key=lambda ln: (ln.client_id is None,
                                                  -(ln.value or 0), ln.client_id or 0))
    where, params = f"{_RANKED} AND value_12m <= :hi", {"hi": hi.value}
    if lo.client_id is not None:
        where, params["lo"] = where + " AND value_12m >= :lo", lo.value
    return {cid for cid, v in session.execute(text(
        f"SELECT id, value_12m FROM clients WHERE {where}"), params)
        if not hi.above(v, cid) and lo.above(v, cid)}


def _chunks(ids: list[int]):
    for at in range(0, len(ids), 10_000):  # SQLite takes ~32,000 parameters
        yield ids[at:at + 10_000]


def _clients_now(session: Session, ids: list[int]) -> dict[int, tuple]:
    """value (as stored), cents, ranked, deleted_at, segment of these clients."""
    rows = session.execute(text(
        f"SELECT id, value_12m, {_CENTS.format(v='value_12m')}, deleted_at, segment "
        "FROM clients WHERE id IN :ids").bindparams(bindparam("ids", expanding=True)),
        {"ids": ids})
    return {cid: (v, c or 0, deleted is None and v is not None and v > 0, deleted, seg)
            for cid, v, c, deleted, seg in rows}


def _incremental_regroup(session: Session, today: date, rules: tuple,
                         state: dict) -> set[int] | None:
    """Only what moved: the clients written since the last regrouping (their value, the
    Trash, their purchases: noted by triggers with what they had then), those whose
    purchase days entered or left the window, and those the lines passed over as the
    total moved. None: too much was written, rank everybody."""
    a_pct, b_pct, min_days, window = rules
    shares = (a_pct, a_pct + b_pct)
    was = {cid: (v, c, bool(r)) for cid, v, c, r in session.execute(text(
        f"SELECT client_id, value, {_CENTS.format(v='value')}, ranked FROM {ABC_WAS}"))}
    if len(was) > REGROUP_IN_FULL:
        return None
    lo, hi = sorted((state["day"], today))
    edge = timedelta(days=window)
    days_moved = set(session.scalars(text(
        "SELECT client_id FROM purchases WHERE purchased_on > :a AND purchased_on <= :b "
        "UNION SELECT client_id FROM purchases WHERE purchased_on > :c AND purchased_on <= :d"),
        {"a": lo - edge, "b": hi - edge, "c": lo, "d": hi}))
    look = sorted(set(was) | days_moved)
    now: dict[int, tuple] = {}
    for part in _chunks(look):
        now.update(_clients_now(session, part))
    total, lines = state["total"], state["lines"]
    moved_lines = [_Line(ln.value, ln.client_id, ln.before) for ln in lines]
    for cid, (v, c, ranked) in was.items():
        nv, nc, nranked = now[cid][:3] if cid in now else (None, 0, False)
        total += (nc if nranked else 0) - (c if ranked else 0)
        for ln in moved_lines:
            if nranked and ln.above(nv, cid):
                ln.before += nc
            if ranked and ln.above(v, cid):
                ln.before -= c
    moved_lines = [_move_line(session, ln, share, total)
                   for ln, share in zip(moved_lines, shares, strict=True)]
    again = set(look)
    for old, new in zip(lines, moved_lines, strict=True):
        again |= _between(session, old, new)
    for part in _chunks(sorted(again - set(now))):
        now.update(_clients_now(session, part))
    line_a, line_ab = moved_lines
    inside_a = [cid for cid in again if cid in now and now[cid][2]
                and line_a.above(now[cid][0], cid)]
    since = today - timedelta(days=window)
    days: dict[int, int] = {}
    for part in _chunks(sorted(inside_a)):
        days.update(session.execute(
            select(Purchase.client_id, func.count(func.distinct(Purchase.purchased_on)))
            .where(Purchase.client_id.in_(part), Purchase.is_credit.is_(False),
                   Purchase.purchased_on > since, Purchase.purchased_on <= today)
            .group_by(Purchase.client_id)).all())
    writes = []
    for cid in again:
        if cid not in now:
            continue  # erased
        v, _c, ranked, deleted, seg = now[cid]
        if ranked:
            group = ("A" if line_a.above(v, cid) and days.get(cid, 0) >= min_days else
                     "B" if line_ab.above(v, cid) else "C")
        elif deleted is not None or (v is not None and v <= 0):
            group = "C"
        else:
            continue  # no value at all: as the full regrouping, left alone
        if seg != group:
            writes.append({"cid": cid, "seg": group})
    if writes:
        session.execute(text("UPDATE clients SET segment = :seg WHERE id = :cid"), writes)
    _save_state(session, today, rules, total, moved_lines)
    return {w["cid"] for w in writes}


def assign_segments(session: Session, today: date | None = None, *,
                    full: bool = False) -> set[int]:
    """Regroup every client; returns the clients whose group changed.

    It scales with what moved: after a regrouping, the total and where each line fell
    are kept (``ABC_STATE``) and triggers note each client written since, with the
    value it had then; the next regrouping corrects the total and the cents above each
    line by those clients alone, walks each line to its new place along the value index,
    and regroups only the clients written, those whose purchase days entered or left
    the window, and those the lines passed over. Sums are in integer cents, so the
    share tests are exact and both ways give the same groups. ``full=True`` (and no
    state, changed rules, lost triggers, or too much written) ranks every client."""
    today = today or date.today()
    rules = _rules(session)
    if not dialect.is_sqlite(session):
        return _full_regroup_portably(session, today, rules)
    state = None if full else _load_state(session, rules)
    if state is not None:
        moved = _incremental_regroup(session, today, rules, state)
        if moved is not None:
            return moved
    return _full_regroup(session, today, rules)


def forget_regrouping(session: Session) -> None:
    """Before a write of every client (a full refresh): the triggers stop noting, and the
    next regrouping ranks everybody."""
    row = session.get(Setting, ABC_STATE)
    if row is not None:
        session.delete(row)
        session.flush()


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
    require(session, Action.SEGMENT_REVIEW)
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
