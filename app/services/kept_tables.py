"""Small tables of figures kept exactly up to date by SQL triggers on every write (the
chart figures, app/services/chart_store.py; the calendar's counts,
app/services/calendar_store.py): the one way each is created, filled from the rows,
set aside and dropped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.engine import Connection


def run(conn: Connection, statements: Iterable[str]) -> None:
    for sql in statements:
        conn.exec_driver_sql(sql)


@dataclass(frozen=True)
class KeptTables:
    tables: tuple[str, ...]
    triggers: tuple[str, ...]
    create_tables: tuple[str, ...]
    create_triggers_sql: tuple[str, ...]
    fill: tuple[str, ...]

    def drop_triggers(self, conn: Connection) -> None:
        run(conn, [f"DROP TRIGGER IF EXISTS {t}" for t in self.triggers])

    def create_triggers(self, conn: Connection) -> None:
        self.drop_triggers(conn)
        run(conn, self.create_triggers_sql)

    def rebuild(self, conn: Connection) -> None:
        """Every figure computed again from the rows: the triggers are set aside while
        the tables fill (one pass of GROUP BYs, not a trigger per row)."""
        self.drop_triggers(conn)
        run(conn, self.create_tables)
        run(conn, [f"DELETE FROM {t}" for t in self.tables])
        run(conn, self.fill)
        self.create_triggers(conn)

    def install(self, conn: Connection) -> None:
        """The tables and triggers on a database (a new one, or by a migration), filled
        from what is there; another engine reads its rows directly."""
        if conn.dialect.name == "sqlite":
            self.rebuild(conn)

    def drop(self, conn: Connection) -> None:
        if conn.dialect.name != "sqlite":
            return  # install made nothing there
        self.drop_triggers(conn)
        run(conn, [f"DROP TABLE IF EXISTS {t}" for t in self.tables])
