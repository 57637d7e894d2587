"""Opening the database: checks, pragmas, backups and migrations.

``open_database(path)`` is the one way in. It never leaves a half-migrated or altered
file behind: a file that is not a ClientCare database, a damaged one, or one written by a
newer ClientCare is refused with a :class:`DatabaseOpenError` whose ``code`` the UI turns
into a translated message. Before migrating an older file it copies it to a backup with
SQLite's online backup API.
"""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from app import sqlite_file
from app.checkpointer import Checkpointer
from app.errors import DatabaseOpenError, DomainError
from app.models import Base, Client
from app.quick_open import not_writable  # noqa: F401 - its one home is light (start-up)
from app.services import calendar_store, chart_store, history
from app.services.backups import copy_database, make_backup
from app.services.erasure import logged, read_log  # the erasure log's one home
from app.sqlite_file import (  # noqa: F401 - the file-level facts, re-exported here
    BUSY_TIMEOUT_MS,
    CANNOT_OPEN,
    DAMAGED,
    DISK_FULL,
    IO,
    LOCKED,
    MIGRATIONS_DIR,
    NEEDS_RECOVERY,
    READ_ONLY,
    SQLITE_HEADER,
    alembic_command,
    alembic_config,
    change_token,
    classify,
    connect_read_only,
    current_revision,
    head_revision,
    integrity_check,
    known_revisions,
    open_error,
    quick_check,
    read_only_connection,
    write_checked_copy,
)

log = logging.getLogger(__name__)

#: ``FULL``: a commit that returned survives a power cut, not only a crash of the app
#: (WAL with NORMAL may roll back the commits since the last checkpoint). The benchmark
#: (bench/bench_clients.py) sets it to NORMAL once to measure the cost.
SYNCHRONOUS = "FULL"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={sqlite_file.BUSY_TIMEOUT_MS}")
    cur.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
    if sys.platform == "darwin":  # macOS's fsync does not reach the disk's platter
        cur.execute("PRAGMA fullfsync=ON")
        cur.execute("PRAGMA checkpoint_fullfsync=ON")
    cur.execute("PRAGMA secure_delete=ON")  # erased data is overwritten, not left in free space
    cur.close()


def write_error(exc: BaseException) -> DomainError:
    """A failed read or write of an open database as the user's message: busy, read-only
    and disk full have their own; the rest is "the database reported an error"."""
    orig = getattr(exc, "orig", None) or exc
    kind = classify(orig)
    text = str(orig)
    if kind == LOCKED:
        return DomainError("db.locked_write", "the database is busy in another program; "
                           "nothing was changed, try again in a moment", detail=text)
    if kind in (READ_ONLY, CANNOT_OPEN):
        return DomainError("db.read_only_write", "the database cannot be written "
                           "(read-only); nothing was changed", detail=text)
    if kind == DISK_FULL:
        return DomainError("db.disk_full", "the disk is full; nothing was changed",
                           detail=text)
    return DomainError("db.unexpected", f"the database reported an error: {text}",
                       detail=text)


def _track_changes(engine: Engine) -> None:
    """Every commit that changed a row also writes a new random change token into the
    file's header (``PRAGMA user_version``, in the same transaction), so "changed since
    the last backup" is one comparison: a backup carries the token of the moment it was
    made (app/services/backups.py). SQLite's own counters cannot say it: ``data_version``
    and ``total_changes`` are per connection, and the header's change counter does not
    move in WAL mode."""

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        raw = conn.connection.dbapi_connection
        if isinstance(raw, sqlite3.Connection):
            conn.info["changes_at_begin"] = raw.total_changes

    @event.listens_for(engine, "commit")
    def _commit(conn) -> None:
        raw = conn.connection.dbapi_connection
        before = conn.info.pop("changes_at_begin", None)
        if not isinstance(raw, sqlite3.Connection) or before is None \
                or raw.total_changes == before:
            return
        raw.execute(f"PRAGMA user_version={secrets.randbelow(2**31 - 1) + 1}")


@dataclass
class Database:
    """An open ClientCare database: its path, engine and session factory."""

    path: Path | None  # None: a database on a server (app/server.py), not a file
    engine: Engine
    sessions: sessionmaker[Session]
    backup_made: Path | None = None
    #: opened with :func:`open_read_only`: SQLite refuses every write (``mode=ro``)
    read_only: bool = False
    #: why it is read-only, for the window: "file", "folder" or "asked" (``--read-only``)
    read_only_reason: str | None = None
    _side_files: list[tuple[Path, bool]] | None = None
    #: the WAL's checkpoints, on a thread of their own (app/checkpointer.py)
    checkpointer: Checkpointer | None = None
    #: a server's database (office mode): its URL without the password, for the window
    url: str | None = None

    #: the person signed in (app/services/access.py), None: nobody (logins off)
    actor: object | None = None

    def __post_init__(self) -> None:
        # who changed what, on every database: the signed-in person, or nobody
        history.install(self.sessions)

    def sign_in(self, actor) -> None:
        """Every session opened from now on works as ``actor``: the services check its
        role and record its name on what it changes (app/services/history.py)."""
        self.actor = actor
        self.sessions.configure(info={"actor": actor})
        history.install(self.sessions)

    @property
    def on_server(self) -> bool:
        return self.path is None

    @property
    def title(self) -> str:
        """What the window's title names: the file, or the server's database."""
        if self.path is not None:
            return self.path.name
        from sqlalchemy.engine import make_url  # the URL was parsed when it was opened

        url = make_url(self.url or "")
        return f"{url.database} @ {url.host or 'localhost'}"

    @property
    def where(self) -> str:
        """The file's full path, or the server's URL (never its password)."""
        return str(self.path) if self.path is not None else (self.url or "")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error."""
        with self.sessions() as s, s.begin():
            yield s

    def close(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.close()
            self.checkpointer = None
        self.engine.dispose()
        if self._side_files:  # a read-only open leaves the folder as it found it
            _remove_new_side_files(self._side_files)
            self._side_files = None


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


def inspect_read_only(path: Path | str) -> str | None:
    """What :func:`open_database` checks before it changes anything, on a read-only
    connection and without migrating or switching the journal mode: raises the same
    refusals (missing, not a database, another program's, newer, damaged, locked).
    Returns the file's schema revision. ``clientcare check`` uses it, so checking a file
    never modifies it."""
    path = Path(path).expanduser().resolve()
    if not _check_file(path):
        raise DatabaseOpenError("db.missing", f"{path} does not exist", path=str(path))
    try:
        with read_only_connection(path) as con:
            tables = {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            current = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                current = row[0] if row else None
    except sqlite3.Error as exc:
        raise open_error(path, exc) from exc
    if current is None and tables - {"alembic_version"}:
        raise DatabaseOpenError("db.not_clientcare",
                                f"{path} is an SQLite file of another program", path=str(path))
    if current is not None and current not in known_revisions():
        raise DatabaseOpenError(
            "db.newer", f"{path} was written by a newer ClientCare (schema {current})",
            path=str(path), revision=current)
    return current


def backup_to(source: Path, target: Path) -> Path:
    """Copy a live database with SQLite's online backup API (consistent even in WAL),
    written under a temporary name first (app/services/backups.py)."""
    return copy_database(source, target)


def _make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", future=True)
    _track_changes(engine)
    return engine


def open_database(path: Path | str, *, create: bool = True, check: bool = True) -> Database:
    """Open (or create) the database at ``path``, migrating an older one after a backup.
    ``check=False``: no quick check first (the window runs it in the background once
    its client list is painted, app/ui/app.py); the header is checked all the same, and
    a file too damaged to read its schema is refused as damaged. (A server's database,
    office mode, is opened by :func:`app.server.open_server`.)"""
    path = Path(path).expanduser().resolve()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseOpenError("db.folder", f"cannot create the folder {path.parent}: {exc}",
                                path=str(path.parent), detail=str(exc)) from exc
    existed = _check_file(path)
    if not existed and not create:
        raise DatabaseOpenError("db.missing", f"{path} does not exist", path=str(path))
    if existed and check:
        problems = quick_check(path, recover=True)
        if problems:
            raise DatabaseOpenError("db.damaged", f"{path} is damaged: {problems[0]}",
                                    path=str(path), detail="; ".join(problems[:5]))
    engine = _make_engine(path)
    # no checkpoint inside a commit: the Checkpointer below does them beside the work
    event.listen(engine, "connect", _no_auto_checkpoint)
    backup_made: Path | None = None
    try:
        # Only read until we know the file is ours: a refused file stays byte for byte.
        with engine.connect() as conn:
            current = current_revision(conn)
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
                chart_store.install(conn)
                calendar_store.install(conn)
                alembic_command().stamp(alembic_config(conn), "head")
        elif current != head:
            backup_made = make_backup(path, f"before-{head}").path
            with engine.begin() as conn:
                alembic_command().upgrade(alembic_config(conn), "head")
    except DatabaseOpenError:
        engine.dispose()
        raise
    except sqlite3.Error as exc:  # pragma: no cover - via SQLAlchemy below
        engine.dispose()
        raise open_error(path, exc) from exc
    except Exception as exc:
        engine.dispose()
        orig = getattr(exc, "orig", None)
        if isinstance(orig, sqlite3.Error):
            raise open_error(path, orig) from exc
        raise
    sessions = sessionmaker(engine, expire_on_commit=False)
    checkpointer = Checkpointer(path, BUSY_TIMEOUT_MS, SYNCHRONOUS)
    event.listen(engine, "commit", lambda _conn: checkpointer.poke())
    checkpointer.poke()  # what the opening wrote (a migration) is checkpointed too
    return Database(path=path, engine=engine, sessions=sessions, backup_made=backup_made,
                    checkpointer=checkpointer)


def _no_auto_checkpoint(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")


# --------------------------------------------------------------------------- read-only


def _side(path: Path) -> list[tuple[Path, bool]]:
    return [(p, p.exists()) for p in (Path(f"{path}-wal"), Path(f"{path}-shm"))]


def _remove_new_side_files(side: list[tuple[Path, bool]]) -> None:
    """Remove the -wal/-shm a read-only connection created (an empty -wal and its
    index): never a file that was there before, never a -wal holding pages."""
    for p, was in side:
        try:
            if not was and p.exists() and (p.name.endswith("-shm") or p.stat().st_size == 0):
                p.unlink(missing_ok=True)
        except OSError:  # a read-only folder: SQLite could not have created them either
            pass


def _probe_read_only(path: Path) -> None:
    """Open once, read the schema: an unopenable file (or one a killed writer left
    mid-save, which a read-only open cannot recover) fails here, not in the window."""
    with read_only_connection(path) as con:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()


def open_read_only(path: Path | str, *, reason: str = "asked") -> Database:
    """Open a ClientCare database so that nothing can change it: SQLite's ``mode=ro``,
    no migration, no journal-mode switch, no backup, no change token, no erasure applied
    again. Refused (DatabaseOpenError) like :func:`open_database` refuses (missing, not
    ours, newer, damaged, locked), and besides:

    * ``db.older_read_only``: an older schema cannot be updated without writing;
    * ``db.erasure_owed_read_only``: the erasure log says a person erased at their
      request is back in this file (a backup copied over it by hand). Showing them would
      break the promise made to that person, and a read-only file cannot be corrected,
      so it is refused; copied to a folder that can be written, it opens and the
      erasure is applied again.
    """
    path = Path(path).expanduser().resolve()
    if not _check_file(path):
        raise DatabaseOpenError("db.missing", f"{path} does not exist", path=str(path))
    side = _side(path)
    try:
        try:
            _probe_read_only(path)
        except sqlite3.Error as exc:
            raise open_error(path, exc) from exc
        current = _revision_read_only(path)
        problems = _quick_check_read_only(path)
        if problems:
            raise DatabaseOpenError("db.damaged", f"{path} is damaged: {problems[0]}",
                                    path=str(path), detail="; ".join(problems[:5]))
        if current != head_revision():
            raise DatabaseOpenError(
                "db.older_read_only", f"{path} was saved by an older ClientCare and must "
                "be updated, which cannot be done read-only", path=str(path))
        engine = create_engine(f"sqlite:///{path}", creator=lambda: connect_read_only(path))
        db = Database(path=path, engine=engine,
                      sessions=sessionmaker(engine, expire_on_commit=False),
                      read_only=True, read_only_reason=reason, _side_files=side)
        try:
            owed = erasures_owed(db)
        except Exception:
            db.close()
            raise
        if owed:
            db.close()
            raise DatabaseOpenError(
                "db.erasure_owed_read_only", f"{path} holds {owed} client(s) erased at "
                "their request; it cannot be corrected read-only", path=str(path),
                count=owed)
        return db
    except BaseException:
        _remove_new_side_files(side)
        raise


def _revision_read_only(path: Path) -> str:
    """The schema revision, read on a read-only connection; refuses what is not ours."""
    try:
        with read_only_connection(path) as con:
            tables = {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            row = (con.execute("SELECT version_num FROM alembic_version").fetchone()
                   if "alembic_version" in tables else None)
    except sqlite3.Error as exc:
        raise open_error(path, exc) from exc
    current = row[0] if row else None
    if current is None:
        raise DatabaseOpenError("db.not_clientcare" if tables - {"alembic_version"}
                                else "db.older_read_only",
                                f"{path} is not a ClientCare database yet", path=str(path))
    if current not in known_revisions():
        raise DatabaseOpenError(
            "db.newer", f"{path} was written by a newer ClientCare (schema {current})",
            path=str(path), revision=current)
    return current


def _quick_check_read_only(path: Path) -> list[str]:
    return quick_check(path)  # read-only, never recovers: a hot journal is refused


def erasures_owed(db: Database) -> int:
    """How many clients of the erasure log (in the file and beside it) are back in
    this database with their data: what :func:`app.services.erasure.reapply_on_open`
    would erase again. Reads only."""
    entries = read_log(db.path)
    with db.sessions() as s:
        entries |= logged(s)
        if not entries:
            return 0
        return len(list(s.scalars(select(Client.id).where(
            Client.id.in_(list(entries)), Client.erased_at.is_(None)))))


def copy_read_only(source: Path, target: Path) -> Path:
    """Copy a database that cannot be written (a read-only folder or file) to
    ``target`` with SQLite's backup API, read through :func:`connect_read_only`;
    written under a temporary name, checked, synced, renamed. The source is not
    touched. An existing ``target`` is refused (never replaced)."""
    source, target = Path(source).resolve(), Path(target).resolve()
    if target.exists():
        raise DatabaseOpenError("db.copy_exists", f"{target} exists", path=str(target))
    partial = target.with_name(target.name + ".partial")
    side = _side(source)
    try:
        src = connect_read_only(source)
        try:
            write_checked_copy(src, partial)
        finally:
            src.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
        raise DatabaseOpenError("db.copy_failed", f"cannot copy {source} to {target}: {exc}",
                                path=str(target), detail=str(exc)) from exc
    finally:
        _remove_new_side_files(side)
    return target


