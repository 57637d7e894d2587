"""The first page of the client list, read with the standard library's sqlite3 before
SQLAlchemy, the models and the services are imported (they cost ~0.5 s at start-up).

The window paints this page first (``app/ui/app.py``), then imports the rest off the GUI
thread and attaches the real list to the same widgets. The reading is only for an
ordinary file: anything unusual (no file, not an SQLite file, another schema revision, a
restore or a recovery pending, locked, damaged, read-only) returns None and start-up runs
its usual path, with its messages and migrations. The SQL here mirrors the list's
(``app/services/clients.py``: ``status_expr``, ``_sort_key``, ``client_ids``,
``client_rows``); ``tests/test_quick_open.py`` proves both give the same page.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.client_list import ClientColumn, ClientQuery, ClientRow, StatusRules
from app.enums import ClientStatus, ComplaintStatus
from app.setting_values import stored_values

log = logging.getLogger(__name__)

#: the schema revision this code reads (the head of app/migrations/versions; a test
#: checks it against the migration chain, so a new migration cannot forget it)
HEAD_REVISION = "0018"

#: rows read before the first paint: a screenful on a tall screen, and some
FIRST_PAGE_ROWS = 100

SQLITE_HEADER = b"SQLite format 3\x00"
#: what a restore killed midway leaves beside the database (app/services/backups.py)
RESTORE_PARTIAL = ".restore-partial"


def not_writable(path: Path | str) -> str | None:
    """Why ClientCare could not write the database at ``path``: ``"file"`` (the file is
    read-only), ``"folder"`` (its folder is: SQLite needs to create its -wal and -shm
    files there, and the backups and the lock live there too), or None when both can be
    written or the file does not exist yet. The probe is ``os.access``; as root it always
    says "writable", so tests replace this function."""
    path = Path(path).expanduser()
    if not path.is_file():
        return None
    if not os.access(path, os.W_OK):
        return "file"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "folder"
    return None


@dataclass(frozen=True)
class FirstPage:
    """What the window paints first: the settings it shows with, the tag filter's
    choices, how many clients the list has, and its first rows in the query's order."""

    query: ClientQuery
    region: str
    currency: str
    rules: StatusRules
    tags: list[tuple[int, str]]
    count: int
    rows: list[ClientRow]

    @property
    def ids(self) -> list[int]:
        return [r.id for r in self.rows]


def usual_file(path: Path) -> bool:
    """The file is one the quick reading may read: it exists, is an SQLite file, and
    nothing waits to be finished on it (a restore, a rollback journal)."""
    try:
        if not path.is_file() or path.stat().st_size < len(SQLITE_HEADER):
            return False
        if Path(f"{path}{RESTORE_PARTIAL}").exists() or Path(f"{path}-journal").exists():
            return False
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


#: ``risk_expr`` of app/services/clients.py: the kept score while it is the client's
_RISK_SQL = ("(SELECT r.score FROM client_risk r WHERE r.client_id = c.id "
             "AND r.last_on = c.last_purchase_on)")


def _status_sql() -> str:
    """``status_expr`` of app/services/clients.py, in SQL with named parameters."""
    since = "(julianday(:today) - julianday(c.last_purchase_on))"
    return (f"CASE WHEN c.last_purchase_on IS NULL THEN '{ClientStatus.NEW.value}' "
            f"WHEN {since} > :lapsed THEN '{ClientStatus.LAPSED.value}' "
            f"WHEN coalesce({_RISK_SQL} >= :threshold, "
            f"{since} > coalesce(c.usual_gap_days * :multiplier, :default_gap)) "
            f"THEN '{ClientStatus.AT_RISK.value}' "
            f"WHEN c.purchase_count < :new_until THEN '{ClientStatus.NEW.value}' "
            f"ELSE '{ClientStatus.ACTIVE.value}' END")


_TAGS_SQL = ("(SELECT group_concat(t.name, ', ') FROM client_tags ct "
             "JOIN tags t ON t.id = ct.tag_id WHERE ct.client_id = c.id)")
_OPEN_COMPLAINT_SQL = (
    "EXISTS (SELECT 1 FROM complaints k WHERE k.client_id = c.id AND k.status NOT IN "
    f"('{ComplaintStatus.CLOSED_KEPT.value}', '{ComplaintStatus.CLOSED_LOST.value}'))")

#: the columns that put their NULLs last whatever the direction (as ``client_ids``)
_NULLS_LAST = (ClientColumn.LAST_PURCHASE, ClientColumn.NEXT_DUE, ClientColumn.PHONE,
               ClientColumn.SEGMENT, ClientColumn.TAGS)


def _sort_sql(column: ClientColumn) -> str:
    return {
        ClientColumn.NAME: "c.sort_name",
        ClientColumn.PHONE: "coalesce(c.phone, c.phone_unchecked)",
        ClientColumn.SEGMENT: "coalesce(c.segment_override, c.segment)",
        ClientColumn.STATUS: _status_sql(),
        ClientColumn.LAST_PURCHASE: "c.last_purchase_on",
        ClientColumn.VALUE_12M: "c.value_12m",
        ClientColumn.NEXT_DUE: "c.next_due_on",
        ClientColumn.TAGS: _TAGS_SQL,
        ClientColumn.RISK: _RISK_SQL,
    }[column]


def first_ids_sql(query: ClientQuery) -> str:
    """The ids of the list's first page for ``query`` (the start-up query: no search, no
    filter, not the Trash; only the sort and its direction vary), as ``client_ids``
    orders them. Only the sort key is computed for every client; the shown values are
    read for the page's rows alone (:data:`ROWS_SQL`), as the list does. Sorted by risk:
    the two walks of ``_risk_page`` (the scored clients by the score's index, then the
    others by id), one statement."""
    way = "DESC" if query.descending else "ASC"
    if query.sort == ClientColumn.RISK:
        fresh = "c.id = r.client_id AND c.last_purchase_on = r.last_on"
        return (f"SELECT id FROM (SELECT * FROM (SELECT r.client_id AS id, 0 AS part "
                f"FROM client_risk r CROSS JOIN clients c ON {fresh} "
                f"WHERE c.deleted_at IS NULL ORDER BY r.score {way}, r.client_id {way} "
                f"LIMIT :limit) UNION ALL SELECT * FROM (SELECT c.id AS id, 1 AS part "
                f"FROM clients c WHERE c.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM "
                f"client_risk r WHERE {fresh}) ORDER BY c.id {way} LIMIT :limit)) "
                "LIMIT :limit")
    key = _sort_sql(query.sort)
    order = [f"{key} {'DESC' if query.descending else 'ASC'}"]
    if query.sort != ClientColumn.NAME:
        order.append("c.sort_name ASC")
    order.append("c.id ASC")
    if query.sort in _NULLS_LAST:
        order.insert(0, f"({key}) IS NULL")
    return (f"SELECT c.id FROM clients c WHERE c.deleted_at IS NULL "
            f"ORDER BY {', '.join(order)} LIMIT :limit")


#: the shown values of some rows (``client_rows``); ``{ids}``: their placeholders
ROWS_SQL = (f"SELECT c.id, c.name, c.phone, coalesce(c.segment_override, c.segment), "
            f"{_status_sql()}, c.last_purchase_on, c.value_12m, c.next_due_on, {_TAGS_SQL}, "
            f"c.do_not_contact, c.deleted_at, {_OPEN_COMPLAINT_SQL}, c.phone_unchecked, "
            f"{_RISK_SQL} "
            "FROM clients c WHERE c.id IN ({ids})")


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


def _money(value: Any) -> Decimal:
    """As SQLAlchemy's Numeric(12, 2) reads it back from SQLite."""
    if value is None:
        return Decimal("0.00")  # pragma: no cover - the column is NOT NULL
    if isinstance(value, float):
        return Decimal(f"{value:.2f}")
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _row(r: tuple) -> ClientRow:
    return ClientRow(r[0], r[1], r[2], r[3], r[4], _day(r[5]), _money(r[6]), _day(r[7]),
                     r[8] or "", bool(r[9]), None, bool(r[11]), r[12], r[13])


def read_first_page(path: Path | str, query: ClientQuery | None = None, *,
                    limit: int = FIRST_PAGE_ROWS, today: date | None = None) -> FirstPage | None:
    """The first page of the list for ``query`` (default: sorted by name), read on a
    read-only connection (``mode=ro``), or None when the file is not an ordinary one at
    the current schema (the usual start then runs and says what is wrong). Side files
    (-wal, -shm) that only this reading created are removed again."""
    query = query or ClientQuery()
    if query != ClientQuery(sort=query.sort, descending=query.descending):
        return None  # only the start-up query (a sort, no filter) is read here
    path = Path(path).expanduser().resolve()
    if not usual_file(path) or not_writable(path) is not None:
        return None
    side = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    existed = [p.exists() for p in side]
    try:
        # timeout 0: a file busy with another writer is not waited for here
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0)
        try:
            return _read(con, query, limit, today)
        finally:
            con.close()
    except (sqlite3.Error, ValueError, ArithmeticError) as exc:
        log.info("no quick first page for %s: %s", path, exc)
        return None
    finally:
        for p, was in zip(side, existed, strict=True):
            try:
                if not was and p.exists() and (p.name.endswith("-shm")
                                                or p.stat().st_size == 0):
                    p.unlink(missing_ok=True)
            except OSError:
                pass


def _read(con: sqlite3.Connection, query: ClientQuery, limit: int,
          today: date | None) -> FirstPage | None:
    con.execute("BEGIN")  # one snapshot for every statement below
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None  # no such table: a new file, or another program's
    if row is None or row[0] != HEAD_REVISION:
        return None  # a migration is due (or a newer ClientCare wrote it)
    values = stored_values(con.execute("SELECT key, value FROM settings"))
    if values.get("security.logins"):
        return None  # everyone signs in first: no client is shown before that
    rules = StatusRules.from_values(values, today)
    params = {"today": rules.today.isoformat(), "lapsed": rules.lapsed_after_days,
              "multiplier": float(rules.gap_multiplier),
              "default_gap": rules.default_gap_days, "threshold": rules.risk_threshold,
              "new_until": rules.new_until_purchases, "limit": limit}
    ids = [r[0] for r in con.execute(first_ids_sql(query), params)]
    del params["limit"]
    params.update({f"id{i}": cid for i, cid in enumerate(ids)})
    found = {r[0]: _row(r) for r in con.execute(
        ROWS_SQL.format(ids=", ".join(f":id{i}" for i in range(len(ids))) or "NULL"), params)}
    rows = [found[cid] for cid in ids if cid in found]
    count = con.execute("SELECT count(*) FROM clients WHERE deleted_at IS NULL").fetchone()[0]
    tags = [(r[0], r[1]) for r in con.execute("SELECT id, name FROM tags ORDER BY key")]
    con.execute("COMMIT")
    return FirstPage(query=query, region=values["business.region"],
                     currency=values["business.currency"], rules=rules, tags=tags,
                     count=count, rows=rows)
