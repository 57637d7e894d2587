"""Moving a single-PC database file onto an office server (issue 17):
``clientcare migrate-to-postgres --from FILE.sqlite --to URL``.

The target's schema is made by the same Alembic migrations as a file's; every table of
the models is copied in the order of its foreign keys, in batches (Core ``insert`` of many
rows), all in one transaction: a failure leaves the target as it was. A client referred by
a client added after them is copied without the referral first and given it after the
table (the server checks a foreign key at each row). The ids' sequences then continue
after the highest id copied, and every table's rows are counted on both sides before the
commit: a difference rolls the whole copy back.

The figures SQLite keeps by triggers (chart_*, calendar_*) and its search index are not
copied: the server computes those from the rows (app/dialect.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Integer, Table, bindparam, func, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from app.db import open_database
from app.errors import DomainError
from app.models import Base
from app.server import connection_error, parse_url, server_engine, shown_url, upgrade_schema

#: rows read from the file and written to the server at a time
BATCH = 5_000


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int

    @property
    def equal(self) -> bool:
        return self.source == self.target


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _counts(conn: Connection) -> dict[str, int]:
    return {t.name: conn.scalar(select(func.count()).select_from(t)) or 0 for t in _tables()}


def _self_references(table: Table) -> list[str]:
    """The columns of ``table`` that refer to its own rows (clients.referred_by_id)."""
    return [fk.parent.key for fk in table.foreign_keys if fk.column.table is table]


def _copy_table(source: Connection, target: Connection, table: Table, batch: int,
                progress: Callable[[str, int], None] | None) -> int:
    keys = [c.key for c in table.columns]
    later = _self_references(table)
    # set with the references, as copied: an UPDATE would stamp them (``onupdate``)
    stamps = [c.key for c in table.columns if c.onupdate is not None]
    pk = list(table.primary_key.columns)
    deferred: list[dict] = []
    copied = 0
    result = source.execution_options(yield_per=batch).execute(
        select(*table.columns).order_by(*pk))
    for rows in result.partitions():
        values = [dict(zip(keys, row, strict=True)) for row in rows]
        for v in values:
            if any(v[k] is not None for k in later):
                deferred.append({"_id": v[pk[0].key], **{k: v[k] for k in later + stamps}})
                for k in later:
                    v[k] = None
        target.execute(table.insert(), values)
        copied += len(values)
        if progress is not None:
            progress(table.name, copied)
    if deferred:
        stmt = (update(table).where(pk[0] == bindparam("_id"))
                .values({k: bindparam(k) for k in later + stamps}))
        for i in range(0, len(deferred), batch):
            target.execute(stmt, deferred[i:i + batch])
    return copied


def _reset_sequences(target: Connection) -> None:
    """Each table's id sequence continues after the highest id copied."""
    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer) or pk[0].autoincrement is False:
            continue
        seq = target.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                            {"t": table.name, "c": pk[0].name})
        if seq is None:
            continue
        target.execute(text(f"SELECT setval(:s, COALESCE((SELECT MAX({pk[0].name}) FROM "
                            f"{table.name}), 1), (SELECT MAX({pk[0].name}) FROM "
                            f"{table.name}) IS NOT NULL)"), {"s": seq})


def migrate_to_server(source: Path | str, url: str, *, replace: bool = False,
                      batch: int = BATCH,
                      progress: Callable[[str, int], None] | None = None) -> list[TableCount]:
    """Copy the database file ``source`` into the server database ``url`` (which must be
    empty, or ``replace``: its rows are deleted first, in the same transaction). Returns
    every table's count in the file and on the server (equal, or nothing is committed)."""
    parsed = parse_url(url)
    db = open_database(Path(source), create=False)  # refuses what is not ours, or damaged
    engine = server_engine(parsed)
    try:
        upgrade_schema(engine, parsed)
        try:
            with db.engine.connect() as src, src.begin(), engine.begin() as dst:
                there = _counts(dst)
                if any(there.values()):
                    if not replace:
                        full = sum(1 for n in there.values() if n)
                        raise DomainError("server.not_empty", f"{shown_url(parsed)} already "
                                          f"holds data in {full} table(s); nothing was "
                                          "copied (--replace deletes it first)",
                                          url=shown_url(parsed), tables=full)
                    dst.exec_driver_sql("TRUNCATE " + ", ".join(t.name for t in _tables())
                                        + " RESTART IDENTITY CASCADE")
                for table in _tables():
                    _copy_table(src, dst, table, batch, progress)
                _reset_sequences(dst)
                before, after = _counts(src), _counts(dst)
                counts = [TableCount(t.name, before[t.name], after[t.name]) for t in _tables()]
                wrong = [c for c in counts if not c.equal]
                if wrong:  # the transaction is rolled back: the server is as it was
                    raise DomainError(
                        "server.count_mismatch", "the copy's row counts differ from the "
                        f"file's ({', '.join(c.table for c in wrong)}); nothing was kept",
                        tables=", ".join(c.table for c in wrong))
        except OperationalError as exc:
            raise connection_error(parsed, exc) from exc
    finally:
        engine.dispose()
        db.close()
    return counts
