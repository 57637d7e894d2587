"""The calendar's counts per day, kept exactly up to date by SQL triggers.

The month summary and a day's total (app/services/calendar.py) read these small tables
(a row per day, a row per month and day of the year) instead of counting a month of
hundreds of thousands of tasks: at a million clients that count was a pass over 240,000
index entries, 0.5 s quiet and 1.7 s under load, where these are 30-31 rows.

* ``calendar_days`` (day): ``calls``, the day's open (or snoozed) tasks as the calendar
  lists them, of clients not in the Trash: one per client with a call due (all of its
  purposes are one call), one per internal to-do and per task of no client;
  ``done``, the calls logged that day; ``meetings``, the meetings booked for that day
  (both of clients not in the Trash).
* ``calendar_dates`` (month, day): the personal dates of clients not in the Trash, by the
  month and day stored (the calendar places 29 February on the 28th in a common year).

The triggers follow every writer (the card's ORM saves, the engine's Core batches, the
importer, erasure, a restore, plain sqlite3): a task written adds or takes off its day,
a call task only when it is the first or the last open call of its client that day (an
indexed look-up of ``ix_tasks_client_status``); a call or a personal date adds or takes
off one; a client put in the Trash (or back, or deleted) takes off (adds) everything of
theirs. ``counted`` below is the reference: the counts computed from the rows, which
:func:`rebuild` writes and the tests compare with what the triggers kept.
"""

from __future__ import annotations

from sqlalchemy import Connection

from app.services import kept_tables

#: the kinds done by doing them: a to-do of its own, never one call with others
#: (app.services.schedule.INTERNAL_KINDS; a test keeps the two equal)
INTERNAL = ("complaint_review", "gift", "quarterly_review")
OPEN = ("open", "snoozed")

TABLES = ("calendar_days", "calendar_dates")
TRIGGERS = ("calendar_task_insert", "calendar_task_delete", "calendar_task_update",
            "calendar_contact_insert", "calendar_contact_delete", "calendar_contact_update",
            "calendar_date_insert", "calendar_date_delete", "calendar_date_update",
            "calendar_client_trash", "calendar_client_delete")

_INTERNAL_SQL = ", ".join(f"'{k}'" for k in INTERNAL)
_OPEN_SQL = ", ".join(f"'{s}'" for s in OPEN)

CREATE_TABLES = (
    "CREATE TABLE IF NOT EXISTS calendar_days (day TEXT PRIMARY KEY, "
    "calls INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0, "
    "meetings INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS calendar_dates (month INTEGER NOT NULL, day INTEGER NOT NULL, "
    "n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (month, day)) WITHOUT ROWID",
)


def _live(cid: str, nullable: bool = False) -> str:
    """The client ``cid`` is not in the Trash (a task of no client counts)."""
    alive = f"EXISTS (SELECT 1 FROM clients c WHERE c.id = {cid} AND c.deleted_at IS NULL)"
    return f"({cid} IS NULL OR {alive})" if nullable else alive


def _is_call(r: str) -> str:
    return f"({r}.client_id IS NOT NULL AND {r}.kind NOT IN ({_INTERNAL_SQL}))"


def _open(r: str) -> str:
    return f"({r}.status IN ({_OPEN_SQL}))"


def _other_call(r: str, besides: str | None) -> str:
    """Another open call of ``r``'s client on ``r``'s day is in the table."""
    other = f" AND o.id != {besides}" if besides else ""
    return (f"EXISTS (SELECT 1 FROM tasks o WHERE o.client_id = {r}.client_id "
            f"AND o.status IN ({_OPEN_SQL}) AND o.due_on = {r}.due_on "
            f"AND o.kind NOT IN ({_INTERNAL_SQL}){other})")


def _add_day(day: str, column: str, n: str, when: str) -> str:
    return (f"INSERT INTO calendar_days (day, {column}) SELECT {day}, {n} WHERE {when} "
            f"ON CONFLICT (day) DO UPDATE SET {column} = {column} + excluded.{column};")


def _bump(day: str, n: str) -> str:
    """A day's calls changed by ``n``, unconditionally."""
    return (f"INSERT INTO calendar_days (day, calls) VALUES ({day}, {n}) "
            f"ON CONFLICT (day) DO UPDATE SET calls = calls + excluded.calls;")


def _add_date(r: str, n: str, when: str) -> str:
    return (f"INSERT INTO calendar_dates (month, day, n) SELECT {r}.month, {r}.day, {n} "
            f"WHERE {when} ON CONFLICT (month, day) DO UPDATE SET n = n + excluded.n;")


def _task_counted(r: str) -> str:
    return f"({_open(r)} AND {_live(f'{r}.client_id', nullable=True)})"


def _same_call(a: str = "OLD", b: str = "NEW") -> str:
    """The row counted as the same call before and after an update."""
    return (f"({_is_call(a)} AND {_is_call(b)} AND {_open(a)} AND {_open(b)} "
            f"AND {a}.client_id = {b}.client_id AND {a}.due_on = {b}.due_on)")


def _client_share(cid: str, sign: str) -> list[str]:
    """Everything of client ``cid`` added (sign 1) or taken off (-1): each day with an
    open call of theirs one call, each open to-do one; their calls, meetings and dates."""
    return [
        "INSERT INTO calendar_days (day, calls) SELECT t.due_on, "
        f"{sign} * (MAX(t.kind NOT IN ({_INTERNAL_SQL})) + TOTAL(t.kind IN ({_INTERNAL_SQL}))) "
        f"FROM tasks t WHERE t.client_id = {cid} AND t.status IN ({_OPEN_SQL}) "
        "GROUP BY t.due_on ON CONFLICT (day) DO UPDATE SET calls = calls + excluded.calls;",
        f"INSERT INTO calendar_days (day, done) SELECT substr(k.at, 1, 10), {sign} * COUNT(*) "
        f"FROM contacts k WHERE k.client_id = {cid} GROUP BY 1 "
        "ON CONFLICT (day) DO UPDATE SET done = done + excluded.done;",
        "INSERT INTO calendar_days (day, meetings) SELECT substr(k.meeting_at, 1, 10), "
        f"{sign} * COUNT(*) FROM contacts k WHERE k.client_id = {cid} "
        "AND k.meeting_at IS NOT NULL GROUP BY 1 "
        "ON CONFLICT (day) DO UPDATE SET meetings = meetings + excluded.meetings;",
        f"INSERT INTO calendar_dates (month, day, n) SELECT p.month, p.day, {sign} * COUNT(*) "
        f"FROM personal_dates p WHERE p.client_id = {cid} GROUP BY p.month, p.day "
        "ON CONFLICT (month, day) DO UPDATE SET n = n + excluded.n;",
    ]


def _trigger(name: str, when: str, body: list[str]) -> str:
    return f"CREATE TRIGGER {name} {when} BEGIN {' '.join(body)} END"


_TASK_COLUMNS = ("status", "due_on", "client_id", "kind")
_CONTACT_COLUMNS = ("at", "meeting_at", "client_id")
_DATE_COLUMNS = ("month", "day", "client_id")


def _changed(columns) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


def _contact(r: str, sign: str, when: str = "1") -> list[str]:
    return [_add_day(f"substr({r}.at, 1, 10)", "done", sign, when),
            _add_day(f"substr({r}.meeting_at, 1, 10)", "meetings", sign,
                     f"{when} AND {r}.meeting_at IS NOT NULL")]


CREATE_TRIGGERS = (
    # a task: its day gains a to-do, or a call when no other open call of the client
    # is there that day (the row itself left out)
    # (the test in WHEN and one VALUES row: a third cheaper than a conditional SELECT, on
    # the thousands of tasks a morning writes)
    _trigger("calendar_task_insert",
             f"AFTER INSERT ON tasks WHEN {_task_counted('NEW')} AND "
             f"(NOT {_is_call('NEW')} OR NOT {_other_call('NEW', 'NEW.id')})",
             [_bump("NEW.due_on", "1")]),
    _trigger("calendar_task_delete",
             f"AFTER DELETE ON tasks WHEN {_task_counted('OLD')} AND "
             f"(NOT {_is_call('OLD')} OR NOT {_other_call('OLD', None)})",
             [_bump("OLD.due_on", "-1")]),
    # a change: the old row's share taken off, the new row's added, unless both are the
    # same call (same client and day, both open)
    _trigger("calendar_task_update",
             f"AFTER UPDATE OF {', '.join(_TASK_COLUMNS)} ON tasks "
             f"WHEN {_changed(_TASK_COLUMNS)}",
             [_add_day("OLD.due_on", "calls", "-1",
                       f"{_task_counted('OLD')} AND NOT {_same_call()} AND "
                       f"(NOT {_is_call('OLD')} OR NOT {_other_call('OLD', None)})"),
              _add_day("NEW.due_on", "calls", "1",
                       f"{_task_counted('NEW')} AND NOT {_same_call()} AND "
                       f"(NOT {_is_call('NEW')} OR NOT {_other_call('NEW', 'NEW.id')})")]),
    _trigger("calendar_contact_insert",
             f"AFTER INSERT ON contacts WHEN {_live('NEW.client_id')}", _contact("NEW", "1")),
    _trigger("calendar_contact_delete",
             f"AFTER DELETE ON contacts WHEN {_live('OLD.client_id')}", _contact("OLD", "-1")),
    _trigger("calendar_contact_update",
             f"AFTER UPDATE OF {', '.join(_CONTACT_COLUMNS)} ON contacts "
             f"WHEN {_changed(_CONTACT_COLUMNS)}",
             _contact("OLD", "-1", _live("OLD.client_id"))
             + _contact("NEW", "1", _live("NEW.client_id"))),
    _trigger("calendar_date_insert",
             f"AFTER INSERT ON personal_dates WHEN {_live('NEW.client_id')}",
             [_add_date("NEW", "1", "1")]),
    _trigger("calendar_date_delete",
             f"AFTER DELETE ON personal_dates WHEN {_live('OLD.client_id')}",
             [_add_date("OLD", "-1", "1")]),
    _trigger("calendar_date_update",
             f"AFTER UPDATE OF {', '.join(_DATE_COLUMNS)} ON personal_dates "
             f"WHEN {_changed(_DATE_COLUMNS)}",
             [_add_date("OLD", "-1", _live("OLD.client_id")),
              _add_date("NEW", "1", _live("NEW.client_id"))]),
    # into the Trash or back: everything of the client's, taken off or added
    _trigger("calendar_client_trash",
             "AFTER UPDATE OF deleted_at ON clients "
             "WHEN (OLD.deleted_at IS NULL) != (NEW.deleted_at IS NULL)",
             _client_share("NEW.id", "(CASE WHEN NEW.deleted_at IS NULL THEN 1 ELSE -1 END)")),
    # deleted: before the row goes, while its rows are there (the rows deleted after it,
    # by cascade, belong to no live client then and take nothing off)
    _trigger("calendar_client_delete",
             "BEFORE DELETE ON clients WHEN OLD.deleted_at IS NULL",
             _client_share("OLD.id", "-1")),
)

#: the counts from the rows (the definitions the triggers keep)
_LIVE_TASK = "(t.client_id IS NULL OR c.deleted_at IS NULL)"
FILL = (
    "INSERT INTO calendar_days (day, calls) SELECT due_on, TOTAL(calls) + TOTAL(todos) "
    "FROM (SELECT t.due_on, "
    f"MAX(t.client_id IS NOT NULL AND t.kind NOT IN ({_INTERNAL_SQL})) AS calls, "
    f"TOTAL(NOT (t.client_id IS NOT NULL AND t.kind NOT IN ({_INTERNAL_SQL}))) AS todos "
    "FROM tasks t LEFT JOIN clients c ON c.id = t.client_id "
    f"WHERE t.status IN ({_OPEN_SQL}) AND {_LIVE_TASK} "
    "GROUP BY t.due_on, t.client_id) WHERE 1 GROUP BY due_on "
    "ON CONFLICT (day) DO UPDATE SET calls = calls + excluded.calls",
    "INSERT INTO calendar_days (day, done) SELECT substr(k.at, 1, 10), COUNT(*) "
    "FROM contacts k JOIN clients c ON c.id = k.client_id WHERE c.deleted_at IS NULL "
    "GROUP BY 1 ON CONFLICT (day) DO UPDATE SET done = done + excluded.done",
    "INSERT INTO calendar_days (day, meetings) SELECT substr(k.meeting_at, 1, 10), COUNT(*) "
    "FROM contacts k JOIN clients c ON c.id = k.client_id WHERE c.deleted_at IS NULL "
    "AND k.meeting_at IS NOT NULL GROUP BY 1 "
    "ON CONFLICT (day) DO UPDATE SET meetings = meetings + excluded.meetings",
    "INSERT INTO calendar_dates (month, day, n) SELECT p.month, p.day, COUNT(*) "
    "FROM personal_dates p JOIN clients c ON c.id = p.client_id WHERE c.deleted_at IS NULL "
    "GROUP BY p.month, p.day ON CONFLICT (month, day) DO UPDATE SET n = n + excluded.n",
)


_run = kept_tables.run
_KEPT = kept_tables.KeptTables(tuple(TABLES), tuple(TRIGGERS), tuple(CREATE_TABLES),
                               tuple(CREATE_TRIGGERS), tuple(FILL))
drop_triggers = _KEPT.drop_triggers
create_triggers = _KEPT.create_triggers
rebuild = _KEPT.rebuild  # every figure computed again from the rows
install = _KEPT.install  # a new database, or the migration that brought the tables
drop = _KEPT.drop


def installed(conn: Connection) -> bool:
    """The tables and every trigger are there (a table rebuilt by a migration drops its
    triggers: then the calendar counts its rows, as before)."""
    if conn.dialect.name != "sqlite":
        return False
    names = {r[0] for r in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE name GLOB 'calendar_*'")}
    return set(TABLES) <= names and set(TRIGGERS) <= names


def snapshot(conn: Connection) -> dict[str, list[tuple]]:
    """Every row with a count, for comparing what the triggers kept with a rebuild."""
    return {
        "calendar_days": sorted(tuple(r) for r in conn.exec_driver_sql(
            "SELECT day, calls, done, meetings FROM calendar_days "
            "WHERE calls != 0 OR done != 0 OR meetings != 0")),
        "calendar_dates": sorted(tuple(r) for r in conn.exec_driver_sql(
            "SELECT month, day, n FROM calendar_dates WHERE n != 0")),
    }
