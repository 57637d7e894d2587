"""Opening the database: checks, pragmas, backups and migrations.

``open_database(path)`` is the one way in. It never leaves a half-migrated or altered
file behind: a file that is not a ClientCare database, a damaged one, or one written by a
newer ClientCare is refused with a :class:`DatabaseOpenError` whose ``code`` the UI turns
into a translated message. Before migrating an older file it copies it to a backup with
SQLite's online backup API.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from app.config import backup_dir_for
from app.errors import DatabaseOpenError
from app.models import Base

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def alembic_config(connection=None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA secure_delete=ON")  # erased data is overwritten, not left in free space
    cur.close()


@dataclass
class Database:
    """An open ClientCare database: its path, engine and session factory."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    backup_made: Path | None = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error."""
        with self.sessions() as s, s.begin():
            yield s

    def close(self) -> None:
        self.engine.dispose()


def _check_file(path: Path) -> bool:
    """Returns True when the file exists with content; raises on a file that is no
    SQLite database. Never modifies the file."""
    if path.is_dir():
        raise DatabaseOpenError("db.is_folder", f"{path} is a folder", path=str(path))
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except PermissionError as exc:
        raise DatabaseOpenError("db.no_permission", f"cannot read {path}: {exc}",
                                path=str(path)) from exc
    except OSError as exc:
        raise DatabaseOpenError("db.io", f"cannot read {path}: {exc}", path=str(path),
                                detail=str(exc)) from exc
    if header != SQLITE_HEADER:
        raise DatabaseOpenError("db.not_database", f"{path} is not a ClientCare database",
                                path=str(path))
    return True


def _check(path: Path, pragma: str) -> list[str]:
    """Run a check pragma on a read-only connection; an empty list means healthy.
    Side files (-wal, -shm) that only this look created are removed again."""
    side = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    existed = [p.exists() for p in side]
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            rows = [r[0] for r in con.execute(f"PRAGMA {pragma}").fetchall()]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    for p, was in zip(side, existed, strict=True):
        # a -shm this look created is only an index of the (empty) -wal: remove both
        if not was and p.exists() and (p.name.endswith("-shm") or p.stat().st_size == 0):
            p.unlink(missing_ok=True)
    return [] if rows == ["ok"] else rows


def quick_check(path: Path) -> list[str]:
    """``PRAGMA quick_check``: fast, run at every open."""
    return _check(path, "quick_check")


def integrity_check(path: Path) -> list[str]:
    """The full ``PRAGMA integrity_check`` (from the menu, and after a crash)."""
    return _check(path, "integrity_check")


def backup_to(source: Path, target: Path) -> Path:
    """Copy a live database with SQLite's online backup API (consistent even in WAL),
    written under a temporary name first (app/services/backups.py)."""
    from app.services.backups import copy_database
    return copy_database(source, target)


def _make_engine(path: Path) -> Engine:
    return create_engine(f"sqlite:///{path}", future=True)


def open_database(path: Path | str, *, create: bool = True) -> Database:
    """Open (or create) the database at ``path``, migrating an older one after a backup."""
    path = Path(path).expanduser().resolve()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseOpenError("db.folder", f"cannot create the folder {path.parent}: {exc}",
                                path=str(path.parent), detail=str(exc)) from exc
    existed = _check_file(path)
    if not existed and not create:
        raise DatabaseOpenError("db.missing", f"{path} does not exist", path=str(path))
    if existed:
        problems = quick_check(path)
        if problems:
            raise DatabaseOpenError("db.damaged", f"{path} is damaged: {problems[0]}",
                                    path=str(path), detail="; ".join(problems[:5]))
    engine = _make_engine(path)
    backup_made: Path | None = None
    try:
        # Only read until we know the file is ours: a refused file stays byte for byte.
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            tables = set(inspect(conn).get_table_names())
        head = head_revision()
        if current is None and tables - {"alembic_version"}:
            raise DatabaseOpenError("db.not_clientcare",
                                    f"{path} is an SQLite file of another program",
                                    path=str(path))
        if current is not None and current not in known_revisions():
            raise DatabaseOpenError(
                "db.newer", f"{path} was written by a newer ClientCare (schema {current})",
                path=str(path), revision=current)
        with engine.connect() as conn:
            mode = conn.exec_driver_sql("PRAGMA journal_mode=WAL").scalar()
            log.debug("journal mode %s", mode)
        if current is None:
            Base.metadata.create_all(engine)
            with engine.begin() as conn:
                command.stamp(alembic_config(conn), "head")
        elif current != head:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            backup_made = backup_to(
                path, backup_dir_for(path) / f"{path.stem}-before-{head}-{stamp}.sqlite")
            with engine.begin() as conn:
                command.upgrade(alembic_config(conn), "head")
    except DatabaseOpenError:
        engine.dispose()
        raise
    except sqlite3.OperationalError as exc:  # pragma: no cover - via SQLAlchemy below
        engine.dispose()
        raise _operational(path, exc) from exc
    except Exception as exc:
        engine.dispose()
        orig = getattr(exc, "orig", None)
        if isinstance(orig, sqlite3.OperationalError):
            raise _operational(path, orig) from exc
        if isinstance(orig, sqlite3.DatabaseError):
            raise DatabaseOpenError("db.damaged", f"{path} is damaged: {orig}",
                                    path=str(path), detail=str(orig)) from exc
        raise
    sessions = sessionmaker(engine, expire_on_commit=False)
    return Database(path=path, engine=engine, sessions=sessions, backup_made=backup_made)


def _operational(path: Path, exc: sqlite3.OperationalError) -> DatabaseOpenError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseOpenError("db.locked", f"{path} is locked by another program",
                                 path=str(path))
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return DatabaseOpenError("db.read_only", f"{path} cannot be written: {exc}",
                                 path=str(path), detail=str(exc))
    return DatabaseOpenError("db.io", f"{path}: {exc}", path=str(path), detail=str(exc))
