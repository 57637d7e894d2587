"""What differs between SQLite and PostgreSQL, in one place (issue 17, office mode).

The services build their queries from these pieces; each compiles to the SQL of the engine
the statement runs on (SQLAlchemy's ``@compiles``), so a query is written once. On SQLite
each piece compiles to exactly the text the query had before (the benchmarks' plans stay
the same); on PostgreSQL to its equivalent.

* :class:`days_between` - whole days from one date to another (``julianday(a) -
  julianday(b)`` on SQLite, date subtraction on PostgreSQL);
* :class:`joined_text` - the values of a group joined by a separator (``group_concat`` /
  ``string_agg``);
* :class:`unindexed` - a column the planner must not pick an index for (SQLite's unary
  ``+``; PostgreSQL's planner needs no such hint, and ``+`` is no operator on its text
  and time types);
* :class:`total` - the sum of a group, 0 without rows (SQLite's ``total``);
* :func:`least_of` - the smaller of two values (SQLite's two-argument ``min`` / ``LEAST``);
* :func:`hand_sql` - SQL written by hand for SQLite (its ``?`` and planner hints) in the
  form of another engine;
* :func:`is_sqlite`, :func:`has_search_index` - which engine a session or connection is on
  and whether it has the FTS5 search index (SQLite only: on PostgreSQL the client search
  scans with the same LIKE the index's candidates are checked with).

No Qt here (app/ui only).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Date, Float, String, cast
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


def dialect_name(bind: Session | Connection | Engine | Any) -> str:
    """The engine's dialect name (``sqlite``, ``postgresql``) of a session, connection,
    engine or SQLAlchemy dialect."""
    if isinstance(bind, Session):
        bind = bind.get_bind()
    dialect = getattr(bind, "dialect", bind)
    return dialect.name


def is_sqlite(bind) -> bool:
    return dialect_name(bind) == SQLITE


def has_search_index(bind) -> bool:
    """The FTS5 table ``client_search`` exists (app/models/search_index.py): SQLite only."""
    return is_sqlite(bind)


class days_between(FunctionElement):  # noqa: N801 - an SQL function's name
    """``later - earlier`` in days, of two dates (columns or ISO texts): a real number on
    SQLite (``julianday``), an integer on PostgreSQL (dates subtract to days there)."""

    type = Float()
    name = "days_between"
    inherit_cache = True


@compiles(days_between, SQLITE)
def _days_between_sqlite(element, compiler, **kw) -> str:
    later, earlier = element.clauses
    return (f"julianday({compiler.process(later, **kw)}) - "
            f"julianday({compiler.process(earlier, **kw)})")


@compiles(days_between)
def _days_between_other(element, compiler, **kw) -> str:
    later, earlier = element.clauses
    return (f"({compiler.process(cast(later, Date), **kw)} - "
            f"{compiler.process(cast(earlier, Date), **kw)})")


class joined_text(FunctionElement):  # noqa: N801 - an SQL function's name
    """The values of a group joined with ``separator``: ``joined_text(value, separator
    [, order])``. SQLite joins them in the order its plan reads the rows (a query that
    reads them along an index gets that index's order); PostgreSQL in the order of
    ``order`` when given (say the index's column, and both give the same text)."""

    type = String()
    name = "group_concat"  # the label SQLite's query had
    inherit_cache = True


@compiles(joined_text, SQLITE)
def _joined_sqlite(element, compiler, **kw) -> str:
    value, separator, *_order = element.clauses
    return f"group_concat({compiler.process(value, **kw)}, {compiler.process(separator, **kw)})"


@compiles(joined_text)
def _joined_other(element, compiler, **kw) -> str:
    value, separator, *order = element.clauses
    by = f" ORDER BY {compiler.process(order[0], **kw)}" if order else ""
    return (f"string_agg(CAST({compiler.process(value, **kw)} AS TEXT), "
            f"{compiler.process(separator, **kw)}{by})")


class unindexed(FunctionElement):  # noqa: N801 - an SQL function's name
    """A column the planner must not use an index for (SQLite: ``+column``); the column
    itself elsewhere."""

    name = "unindexed"
    inherit_cache = True

    @property
    def type(self):  # the column's own type, so comparisons bind as they would on it
        return next(iter(self.clauses)).type


@compiles(unindexed, SQLITE)
def _unindexed_sqlite(element, compiler, **kw) -> str:
    (col,) = element.clauses
    return "+" + compiler.process(col, **kw)


@compiles(unindexed)
def _unindexed_other(element, compiler, **kw) -> str:
    (col,) = element.clauses
    return compiler.process(col, **kw)


class total(FunctionElement):  # noqa: N801 - an SQL function's name
    """The sum of a group, 0 (not NULL) when it has no rows: SQLite's ``total`` (a real
    number), ``coalesce(sum(x), 0)`` elsewhere."""

    type = Float()
    name = "total"
    inherit_cache = True


@compiles(total, SQLITE)
def _total_sqlite(element, compiler, **kw) -> str:
    return f"total({compiler.process(element.clauses, **kw)})"


@compiles(total)
def _total_other(element, compiler, **kw) -> str:
    return f"coalesce(sum({compiler.process(element.clauses, **kw)}), 0)"


class _least(FunctionElement):
    name = "least_of"
    inherit_cache = True

    @property
    def type(self):
        return next(iter(self.clauses)).type


@compiles(_least, SQLITE)
def _least_sqlite(element, compiler, **kw) -> str:
    return f"min({compiler.process(element.clauses, **kw)})"


@compiles(_least)
def _least_other(element, compiler, **kw) -> str:
    return f"LEAST({compiler.process(element.clauses, **kw)})"


def least_of(*values):
    """The smallest of the values (NULL when one is NULL on SQLite; PostgreSQL's LEAST
    ignores NULLs: pass values that are not NULL)."""
    return _least(*values)


def today_sql(bind) -> str:
    """The local date of the server's clock as SQL (a migration's "today")."""
    return "DATE('now', 'localtime')" if is_sqlite(bind) else "CURRENT_DATE"


_HINT = re.compile(r"(?<=[\s(])\+(?=[A-Za-z_]\w*\.[A-Za-z_])")


def hand_sql(bind, sql: str) -> str:
    """Plain SQL written for SQLite (``?`` placeholders, the unary ``+`` that keeps its
    planner off an index, as in ``+t.status``) in the form of the bind's engine: on
    SQLite the text itself; elsewhere without the hints, in the driver's placeholders.
    For statements whose only ``+`` before a ``table.column`` are such hints."""
    if is_sqlite(bind):
        return sql
    return placeholders(bind, _HINT.sub("", sql))


def placeholders(bind, sql: str) -> str:
    """Plain SQL written with ``?`` placeholders in the paramstyle of the driver
    (psycopg: ``%s``; a literal ``%`` doubled). Only for SQL whose text holds no ``?``
    other than the placeholders."""
    if bind.dialect.paramstyle == "qmark":
        return sql
    return sql.replace("%", "%%").replace("?", "%s")


__all__ = ["POSTGRESQL", "SQLITE", "days_between", "dialect_name", "has_search_index",
           "hand_sql", "is_sqlite", "joined_text", "least_of", "placeholders", "today_sql", "total",
           "unindexed"]
