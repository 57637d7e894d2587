"""Column types of the house."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import BigInteger
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.types import TypeDecorator

_EPOCH = datetime(1970, 1, 1)
_US = timedelta(microseconds=1)


class _NowMicros(ColumnElement):
    """The moment of the write in whole seconds, as ``CURRENT_TIMESTAMP`` gives it (UTC,
    no zone), as microseconds, in the SQL of each engine."""

    type = BigInteger()
    inherit_cache = True


@compiles(_NowMicros, "sqlite")
def _now_micros_sqlite(element, compiler, **kw) -> str:
    # strftime('%s') rather than unixepoch(): any SQLite 3 has it
    return "(CAST(strftime('%s', 'now') AS INTEGER) * 1000000)"


@compiles(_NowMicros)
def _now_micros_other(element, compiler, **kw) -> str:
    # PostgreSQL: the seconds of the transaction's start in UTC (whatever the session's zone)
    return "(CAST(EXTRACT(EPOCH FROM date_trunc('second', CURRENT_TIMESTAMP)) AS BIGINT) * 1000000)"


#: the server default of an :class:`EpochMicros` column
NOW_MICROS = _NowMicros()


def to_micros(value: datetime) -> int:
    """Microseconds from 1970-01-01 00:00 of a wall-clock time (its zone, if any, left
    out, as the text DATETIME of SQLAlchemy's SQLite dialect leaves it out)."""
    return (value.replace(tzinfo=None) - _EPOCH) // _US


def from_micros(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


class EpochMicros(TypeDecorator):
    """A naive ``datetime`` stored as an INTEGER of microseconds from 1970-01-01 00:00:
    8 bytes a value, where the ISO text of ``DateTime`` takes 26 (issue [9]: the file's
    size). Every datetime comes back exactly as written (microseconds included); the
    order of the integers is the order of the times. A text found in the column (a row
    written by a script as ISO text) is read as the ISO time it says."""

    impl = BigInteger  # 64 bits (a 32-bit INTEGER elsewhere than SQLite would not hold it)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None or isinstance(value, int):
            return value
        if not isinstance(value, datetime):
            raise TypeError(f"a datetime is stored here, not {type(value).__name__}")
        return to_micros(value)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.fromisoformat(value)
        return from_micros(int(value))
