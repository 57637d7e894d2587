"""What the calendar shows: per day the calls due, the meetings booked and the personal
dates (birthdays, name days, anniversaries of clients and their families), and the
items of one day. As on Today, the tasks due for one client on one day are one call
(listing all its purposes); internal to-dos count one each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Date, and_, case, cast, func, select
from sqlalchemy.orm import Session

from app import dialect
from app.models import Client, Contact, PersonalDate, Task
from app.models.enums import DateKind, Outcome, TaskKind, TaskStatus
from app.services import calendar_store
from app.services.schedule import INTERNAL_KINDS, yearly_occurrence


@dataclass
class DaySummary:
    calls: int = 0
    done: int = 0
    meetings: int = 0
    dates: int = 0


@dataclass(frozen=True)
class DayItem:
    """One line of a day: ``what`` is "call", "done", "meeting" or "date"."""

    what: str
    client_id: int | None
    client_name: str
    phone: str | None
    kind: str  # TaskKind for calls, DateKind for dates, Outcome for done calls
    at: datetime | None = None
    person: str = ""  # the relative whose date it is, "" for the client
    age: int | None = None
    label: str = ""
    task_id: int | None = None
    #: a call's purposes (every task due for the client that day), the first is ``kind``
    kinds: tuple[str, ...] = ()
    task_ids: tuple[int, ...] = ()
    #: why a call's tasks are on this day (``Task.reason`` codes, each once, "" left out)
    reasons: tuple[str, ...] = ()


def _call_key(client_id: int | None, kind: str, task_id: int) -> tuple:
    """Tasks of one key are one call: a client's calls of a day; a to-do stands alone."""
    if client_id is None or TaskKind(kind) in INTERNAL_KINDS:
        return ("todo", task_id)
    return ("call", client_id)


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


#: the SQL of the kinds done by doing them (a to-do of its own, never grouped into a call)
_INTERNAL = ", ".join(f"'{k.value}'" for k in sorted(INTERNAL_KINDS))
_OPEN = ", ".join(f"'{s.value}'" for s in (TaskStatus.OPEN, TaskStatus.SNOOZED))
#: rows of a day read per query while a page of items is gathered
_BATCH = 200


def _iso(d: date) -> str:
    return d.isoformat()


def month_summary(session: Session, year: int, month: int) -> dict[date, DaySummary]:
    """Each day's counts of the month. They are kept up to date on each write by the
    triggers of app/services/calendar_store.py, so this reads the month's 30-31 rows of
    ``calendar_days`` and ``calendar_dates`` (at a million clients a month holds 240,000
    open tasks: counting them took 0.5-1.7 s); where those triggers are missing (another
    database, a table rebuilt without them) the rows are counted (:func:`counted_summary`)."""
    return _summary(session, *_month_bounds(year, month))


def _summary(session: Session, first: date, last: date) -> dict[date, DaySummary]:
    """The counts of the days ``first``..``last`` (of one month) that have any."""
    conn = session.connection()
    if not calendar_store.installed(conn):
        return counted_summary(session, first, last)
    out: dict[date, DaySummary] = {}
    for day, calls, done, meetings in conn.exec_driver_sql(
            "SELECT day, calls, done, meetings FROM calendar_days WHERE day BETWEEN ? AND ? "
            "AND (calls != 0 OR done != 0 OR meetings != 0)", (_iso(first), _iso(last))):
        out[date.fromisoformat(day)] = DaySummary(calls=calls, done=done, meetings=meetings)
    for d, n in conn.exec_driver_sql(
            "SELECT day, n FROM calendar_dates WHERE month = ? AND n != 0", (first.month,)):
        on = _occurs(first.month, d, first.year)
        if on is not None and first <= on <= last:
            out.setdefault(on, DaySummary()).dates += n
    return out


def counted_summary(session: Session, first: date, last: date) -> dict[date, DaySummary]:
    """The counts of the days ``first``..``last`` (of one month) that have any, counted
    from the rows: one grouped query per source over an index that answers it alone (the
    tasks by due day and client, the contacts by time and by meeting time, the personal
    dates by month and day), without reading a client per row; what clients in the Trash
    have is counted apart, from those few clients, and taken off. The reference of the
    kept counts (the tests compare the two after every kind of write). On a server
    (PostgreSQL) the same counts in portable SQL (:func:`_counted_portably`)."""
    if not dialect.is_sqlite(session):
        return _counted_portably(session, first, last)
    nxt = last + timedelta(days=1)
    span = (_iso(first), _iso(last))
    conn = session.connection()
    out: dict[date, DaySummary] = defaultdict(DaySummary)
    calls: dict[str, int] = defaultdict(int)
    # a call per client and day, a to-do per task (as _call_key groups them), in one pass
    # over the index, which gives each day's clients in order (grouped without sorting)
    call = f"t.client_id IS NOT NULL AND t.kind NOT IN ({_INTERNAL})"
    for sign, source in ((1, f"tasks t WHERE +t.status IN ({_OPEN})"),
                         (-1, "clients c CROSS JOIN tasks t ON t.client_id = c.id "
                              f"WHERE c.deleted_at IS NOT NULL AND t.status IN ({_OPEN})")):
        for day, n in conn.exec_driver_sql(
                f"SELECT due_on, TOTAL(calls) + TOTAL(todos) FROM (SELECT t.due_on, "
                f"MAX({call}) AS calls, TOTAL(NOT ({call})) AS todos FROM {source} "
                "AND t.due_on BETWEEN ? AND ? GROUP BY t.due_on, t.client_id) GROUP BY due_on",
                span):
            calls[day] += sign * int(n)
    for day, n in calls.items():
        if n:
            out[date.fromisoformat(day)].calls = n
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    # the calls logged: a count per day over the index (grouping by the day of a time
    # sorted them all), the Trash's taken off
    done = {d: conn.exec_driver_sql(
        "SELECT COUNT(*) FROM contacts WHERE at >= ? AND at < ?",
        (_iso(d), _iso(d + timedelta(days=1)))).scalar() for d in days}
    for day, n in conn.exec_driver_sql(
            "SELECT substr(k.at, 1, 10), COUNT(*) FROM clients c "
            "CROSS JOIN contacts k ON k.client_id = c.id WHERE c.deleted_at IS NOT NULL "
            "AND k.at >= ? AND k.at < ? GROUP BY 1", (_iso(first), _iso(nxt))):
        done[date.fromisoformat(day)] -= n
    for day, n in done.items():
        if n:
            out[day].done = n
    # the meetings booked: few a month (most calls book none), each client read
    for day, n in conn.exec_driver_sql(
            "SELECT substr(k.meeting_at, 1, 10), COUNT(*) FROM contacts k "
            "CROSS JOIN clients c ON c.id = k.client_id WHERE c.deleted_at IS NULL "
            "AND k.meeting_at >= ? AND k.meeting_at < ? GROUP BY 1", (_iso(first), _iso(nxt))):
        out[date.fromisoformat(day)].meetings = n
    dates: dict[date, int] = defaultdict(int)
    # every date of the month from ix_personal_dates_month_day; the Trash's from its
    # clients through ix_personal_dates_client (client, month, day): no row read
    for sign, source in ((1, "personal_dates p WHERE 1"),
                         (-1, "clients c CROSS JOIN personal_dates p ON p.client_id = c.id "
                              "WHERE c.deleted_at IS NOT NULL")):
        for d, n in conn.exec_driver_sql(
                f"SELECT p.day, COUNT(*) FROM {source} AND p.month = ? GROUP BY p.day",
                (first.month,)):
            on = _occurs(first.month, d, first.year)
            if on is not None:
                dates[on] += sign * n
    for on, n in dates.items():
        if n and first <= on <= last:
            out[on].dates = n
    return dict(out)


def _counted_portably(session: Session, first: date, last: date) -> dict[date, DaySummary]:
    """:func:`counted_summary` in SQL any engine runs (its SQLite form leans on SQLite's
    TOTAL, unary ``+`` and times stored as text): the same counts, the clients in the
    Trash left out by a join instead of being taken off."""
    out: dict[date, DaySummary] = defaultdict(DaySummary)
    live = Client.deleted_at.is_(None)
    is_call = and_(Task.client_id.is_not(None),
                   Task.kind.not_in([k.value for k in INTERNAL_KINDS]))
    per_client = (select(Task.due_on.label("day"),
                         func.max(case((is_call, 1), else_=0)).label("calls"),
                         func.sum(case((is_call, 0), else_=1)).label("todos"))
                  .outerjoin(Client, Client.id == Task.client_id)
                  .where(Task.status.in_([TaskStatus.OPEN.value, TaskStatus.SNOOZED.value]),
                         Task.due_on.between(first, last), live)
                  .group_by(Task.due_on, Task.client_id).subquery())
    for day, n in session.execute(select(per_client.c.day,
                                         func.sum(per_client.c.calls + per_client.c.todos))
                                  .group_by(per_client.c.day)):
        if n:
            out[day].calls = int(n)
    start = datetime.combine(first, datetime.min.time())
    end = datetime.combine(last + timedelta(days=1), datetime.min.time())
    for column, attr in ((Contact.at, "done"), (Contact.meeting_at, "meetings")):
        on = cast(column, Date)
        stmt = (select(on, func.count()).join(Client, Client.id == Contact.client_id)
                .where(column >= start, column < end, live).group_by(on))
        for day, n in session.execute(stmt):
            if n:
                setattr(out[day], attr, int(n))
    dates: dict[date, int] = defaultdict(int)
    for d, n in session.execute(
            select(PersonalDate.day, func.count())
            .outerjoin(Client, Client.id == PersonalDate.client_id)
            .where(PersonalDate.month == first.month, live).group_by(PersonalDate.day)):
        on = _occurs(first.month, d, first.year)
        if on is not None:
            dates[on] += n
    for on, n in dates.items():
        if n and first <= on <= last:
            out[on].dates = n
    return dict(out)


# ---------------------------------------------------------------------------- a day, in pages

#: the parts of a day's list, in the order shown
SECTIONS = ("call", "meeting", "done", "date")


@dataclass
class DayCursor:
    """Where the next page of a day's list starts: the part, the last row read in it,
    and the clients whose call was listed already (their later tasks of the day were
    listed with their first)."""

    day: date
    section: int = 0
    after: tuple = ()
    listed: set[int] = field(default_factory=set)

    @property
    def done(self) -> bool:
        return self.section >= len(SECTIONS)


@dataclass(frozen=True)
class DayCounts:
    """How many items each part of a day lists (what ``day_page`` gives page by page)."""

    calls: int = 0
    meetings: int = 0
    done: int = 0
    dates: int = 0

    @property
    def total(self) -> int:
        return self.calls + self.meetings + self.done + self.dates


def _date_days(day: date) -> list[int]:
    """The stored days of ``day.month`` whose yearly date falls on ``day`` (29 February
    on the 28th in a common year)."""
    return [d for d in range(1, 32) if _occurs(day.month, d, day.year) == day]


def _occurs(month: int, d: int, year: int) -> date | None:
    try:
        return yearly_occurrence(month, d, year)
    except ValueError:
        return None


def day_counts(session: Session, day: date) -> DayCounts:
    """The totals of a day's list (what the month summary says of the day)."""
    d = _summary(session, day, day).get(day, DaySummary())
    return DayCounts(d.calls, d.meetings, d.done, d.dates)


def day_page(session: Session, cursor: DayCursor, limit: int = 100
             ) -> tuple[list[DayItem], DayCursor]:
    """The next ``limit`` items of a day's list from ``cursor``, in the order the list
    shows them (calls, then meetings, logged calls and personal dates), and the cursor of
    the page after. Each query reads the day's rows through an index in that order from
    where the page before stopped, so a screenful of a day of 138,000 calls costs what a
    screenful of a quiet day does."""
    cursor = DayCursor(cursor.day, cursor.section, cursor.after, set(cursor.listed))
    items: list[DayItem] = []
    while len(items) < limit and not cursor.done:
        part = SECTIONS[cursor.section]
        reader = {"call": _calls_page, "meeting": _meetings_page, "done": _done_page,
                  "date": _dates_page}[part]
        got, finished = reader(session, cursor, limit - len(items))
        items += got
        if finished:
            cursor.section += 1
            cursor.after = ()
    return items, cursor


def _calls_page(session: Session, cursor: DayCursor, want: int) -> tuple[list[DayItem], bool]:
    """The day's open tasks by (priority, id) from the cursor; a client's first task
    brings all of that client's tasks of the day as one call; a to-do stands alone."""
    conn = session.connection()
    day = _iso(cursor.day)
    heads: list[tuple] = []  # the key of each new item, in order
    finished = False
    while not finished and len(heads) < want:
        after = cursor.after or (-(2**62), -(2**62))
        rows = conn.exec_driver_sql(dialect.hand_sql(
            conn, "SELECT t.priority, t.id, t.client_id, t.kind FROM tasks t "
            "LEFT JOIN clients c ON c.id = t.client_id "
            f"WHERE t.due_on = ? AND +t.status IN ({_OPEN}) AND (t.priority, t.id) > (?, ?) "
            "AND (c.id IS NULL OR c.deleted_at IS NULL) ORDER BY t.priority, t.id LIMIT ?"),
            (day, after[0], after[1], _BATCH)).fetchall()
        for priority, tid, cid, kind in rows:
            cursor.after = (priority, tid)
            key = _call_key(cid, kind, tid)
            if key[0] == "call":
                if cid in cursor.listed:
                    continue
                cursor.listed.add(cid)
            heads.append(key)
            if len(heads) >= want:
                break
        else:  # every row read: the part ends when a batch came short
            finished = len(rows) < _BATCH
    clients = [k[1] for k in heads if k[0] == "call"]
    todos = [k[1] for k in heads if k[0] == "todo"]
    tasks: dict[tuple, list] = {k: [] for k in heads}
    cols = ("SELECT t.id, t.client_id, t.kind, t.note, t.reason, c.name, c.phone "
            "FROM tasks t LEFT JOIN clients c ON c.id = t.client_id ")
    # by the page's clients (+due_on: not through the day's index, which would read every
    # task of the day to find theirs)
    for ids, where in ((clients, "t.client_id IN ({}) AND +t.due_on = ? AND t.status IN "
                        f"({_OPEN}) AND t.kind NOT IN ({_INTERNAL})"),
                       (todos, "t.id IN ({}) AND +t.due_on = ?")):
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            sql = cols + "WHERE " + where.format(", ".join("?" * len(chunk))) + \
                " ORDER BY t.priority, t.id"
            for row in conn.exec_driver_sql(dialect.hand_sql(conn, sql), (*chunk, day)):
                key = _call_key(row[1], row[2], row[0])
                tasks[key].append(row)
    items = []
    for key in heads:
        group = tasks[key]
        if not group:
            continue
        tid, cid, kind, _note, _reason, name, phone = group[0]
        notes = "; ".join(dict.fromkeys(t[3] for t in group if t[3]))
        items.append(DayItem("call", cid, name or "", phone, TaskKind(kind), task_id=tid,
                             label=notes, kinds=tuple(TaskKind(t[2]) for t in group),
                             task_ids=tuple(t[0] for t in group),
                             reasons=tuple(dict.fromkeys(t[4] for t in group if t[4]))))
    return items, finished


def _contacts_page(session: Session, cursor: DayCursor, want: int, column: str):
    start = _iso(cursor.day)
    end = _iso(cursor.day + timedelta(days=1))
    conn = session.connection()
    # the cursor holds a time on every engine; SQLite compares the text it stores, written
    # by the column's own type (so the text compared is the text kept)
    stored = Contact.__table__.c[column].type.dialect_impl(conn.dialect).bind_processor(
        conn.dialect)
    if cursor.after:
        after = (stored(cursor.after[0]) if stored else cursor.after[0], cursor.after[1])
    else:  # before every time of the day
        after = ("" if dialect.is_sqlite(conn) else start, 0)
    rows = conn.exec_driver_sql(dialect.hand_sql(
        conn, f"SELECT k.id, k.{column}, k.note, k.outcome, k.purpose, c.id, c.name, c.phone "
        "FROM contacts k JOIN clients c ON c.id = k.client_id "
        f"WHERE k.{column} >= ? AND k.{column} < ? AND (k.{column}, k.id) > (?, ?) "
        f"AND c.deleted_at IS NULL ORDER BY k.{column}, k.id LIMIT ?"),
        (start, end, after[0], after[1], want)).fetchall()
    if rows:
        cursor.after = (_at(rows[-1][1]), rows[-1][0])
    return rows, len(rows) < want


def _at(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _meetings_page(session: Session, cursor: DayCursor, want: int):
    rows, finished = _contacts_page(session, cursor, want, "meeting_at")
    return [DayItem("meeting", cid, name, phone, "meeting", at=_at(at), label=note)
            for _kid, at, note, _o, _p, cid, name, phone in rows], finished


def _done_page(session: Session, cursor: DayCursor, want: int):
    rows, finished = _contacts_page(session, cursor, want, "at")
    return [DayItem("done", cid, name, phone, str(Outcome(outcome)), at=_at(at),
                    label=str(TaskKind(purpose)))
            for _kid, at, _note, outcome, purpose, cid, name, phone in rows], finished


def _dates_page(session: Session, cursor: DayCursor, want: int):
    day = cursor.day
    days = _date_days(day)
    after = cursor.after or (0, 0)
    conn = session.connection()
    rows = conn.exec_driver_sql(dialect.hand_sql(
        conn, "SELECT p.day, p.id, p.kind, p.label, p.year, c.id, c.name, c.phone, r.name "
        "FROM personal_dates p JOIN clients c ON c.id = p.client_id "
        "LEFT JOIN relatives r ON r.id = p.relative_id "
        f"WHERE p.month = ? AND p.day IN ({', '.join('?' * len(days))}) "
        "AND (p.day, p.id) > (?, ?) AND c.deleted_at IS NULL ORDER BY p.day, p.id LIMIT ?"),
        (day.month, *days, after[0], after[1], want)).fetchall()
    if rows:
        cursor.after = (rows[-1][0], rows[-1][1])
    items = [DayItem("date", cid, name, phone, DateKind(kind), person=rel or "",
                     age=day.year - year if year else None, label=label)
             for _d, _id, kind, label, year, cid, name, phone, rel in rows]
    return items, len(rows) < want


def day_items(session: Session, day: date) -> list[DayItem]:
    """The whole of a day's list (what the pages of ``day_page`` give one after the
    other): the calls, meetings, logged calls and personal dates."""
    items: list[DayItem] = []
    cursor = DayCursor(day)
    while not cursor.done:
        page, cursor = day_page(session, cursor, 1000)
        items += page
    return items
