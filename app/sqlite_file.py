"""The database file itself, below every layer that opens it: SQLite's header, the
schema revisions Alembic knows, the read-only checks (quick and full), the change token,
and the one checked copy every backup, restore and read-only copy writes through.

Nothing here opens a Session or knows about backups: ``app/db.py`` (opening, migrating)
and ``app/services/backups.py`` both build on it, so neither imports the other's
callers (no import circle).
"""

from __future__ import annotations

import ast
import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, inspect, text

from app.errors import DatabaseOpenError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


SQLITE_HEADER = b"SQLite format 3\x00"


BUSY_TIMEOUT_MS = 5000


def alembic_config(connection=None):
    """Alembic's configuration for app/migrations (``connection``: migrate on it)."""
    # lazy: start-up, alembic takes ~0.3 s to import and is needed only to create or
    # migrate a file, never to open one that is up to date
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def alembic_command():
    """alembic.command (stamp, upgrade), imported when a file is created or migrated."""
    # lazy: start-up, see alembic_config
    from alembic import command
    return command


@functools.cache
def revisions() -> dict[str, str | None]:
    """Every schema revision of app/migrations/versions and the one it follows, read
    from the scripts' ``revision`` and ``down_revision`` lines without importing alembic
    (a test checks it against alembic's own reading)."""
    found: dict[str, str | None] = {}
    for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        values: dict[str, object] = {}
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name) \
                    and node.targets[0].id in ("revision", "down_revision"):
                values[node.targets[0].id] = ast.literal_eval(node.value)
        if isinstance(values.get("revision"), str):
            down = values.get("down_revision")
            found[values["revision"]] = down if isinstance(down, str) else None
    return found


def head_revision() -> str:
    """The newest schema revision: the one no other revision follows."""
    graph = revisions()
    heads = set(graph) - {down for down in graph.values() if down}
    assert len(heads) == 1, heads
    return heads.pop()


def known_revisions() -> set[str]:
    return set(revisions())


def current_revision(conn: Connection) -> str | None:
    """The revision a file is at (its ``alembic_version`` row), read on an SQLAlchemy
    connection without alembic; None for a file without one (new, or not ours)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


#: what an SQLite error means for the user; only "damaged" says anything about the file
DAMAGED, LOCKED, READ_ONLY, CANNOT_OPEN, DISK_FULL, IO = (
    "damaged", "locked", "read_only", "cannot_open", "disk_full", "io")


def classify(exc: BaseException) -> str:
    """The kind of an SQLite error, by its result code (``sqlite_errorname``) and, for
    errors without one, by its text. A busy, read-only or unopenable file is not a
    damaged file: only SQLITE_CORRUPT and SQLITE_NOTADB are."""
    name = (getattr(exc, "sqlite_errorname", "") or "").upper()
    text = str(exc).lower()
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or (
            not name and ("malformed" in text or "not a database" in text)):
        return DAMAGED
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or (
            not name and ("locked" in text or "busy" in text)):
        return LOCKED
    if name.startswith("SQLITE_READONLY") or (
            not name and ("readonly" in text or "read-only" in text)):
        return READ_ONLY
    if name.startswith("SQLITE_CANTOPEN") or (not name and "unable to open" in text):
        return CANNOT_OPEN
    if name.startswith("SQLITE_FULL") or (not name and "full" in text):
        return DISK_FULL
    return IO


def change_token(path: Path) -> int | None:
    """The change token of a database or backup file (read-only), or None when it was
    never marked."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True,
                              timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            token = con.execute("PRAGMA user_version").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return token or None


#: a read-only connection cannot finish what a killed writer left (a hot rollback journal,
#: a WAL to recover): that is no damage, and a read-write open finishes it
NEEDS_RECOVERY = ("SQLITE_READONLY_ROLLBACK", "SQLITE_READONLY_RECOVERY")


def _recover(path: Path) -> None:
    """SQLite's own recovery, as any read-write open does it: roll back a hot journal of
    a transaction that never committed, or rebuild the WAL index. No committed data
    changes."""
    con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        con.execute("PRAGMA schema_version").fetchone()
    finally:
        con.close()


@contextmanager
def read_only_connection(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection (``mode=ro``: nothing can be written, no migration, no
    journal-mode switch). Side files (-wal, -shm) that only this look created are
    removed again. A file that is locked, busy, read-only or cannot be opened raises a
    DatabaseOpenError with its own code; real damage is raised as sqlite3.DatabaseError."""
    side = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    existed = [p.exists() for p in side]
    try:
        con = connect_read_only(path)  # immutable in a read-only folder (see there)
        try:
            yield con
        finally:
            con.close()
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorname", "") in NEEDS_RECOVERY:
            raise DatabaseOpenError(
                "db.needs_recovery", f"{path} was left mid-save by a program that stopped; "
                "open it in ClientCare first, which finishes SQLite's recovery",
                path=str(path), detail=str(exc)) from exc
        if classify(exc) != DAMAGED:
            raise open_error(path, exc) from exc
        raise
    finally:
        for p, was in zip(side, existed, strict=True):
            # a -shm this look created is only an index of the (empty) -wal: remove both
            if not was and p.exists() and (p.name.endswith("-shm") or p.stat().st_size == 0):
                p.unlink(missing_ok=True)


def _check(path: Path, pragma: str, *, recover: bool = False) -> list[str]:
    """Run a check pragma on a read-only connection; an empty list means healthy, a
    list of problems means the file is damaged. A file that is locked, busy, read-only
    or cannot be opened is *not* called damaged: that raises a DatabaseOpenError with its
    own code (db.locked, db.read_only, db.cannot_open). A file a killed writer left with
    a hot journal is recovered first when ``recover`` (the open does), else refused as
    db.needs_recovery (``clientcare check`` changes nothing)."""
    for attempt in (1, 2):
        try:
            with read_only_connection(path) as con:
                rows = [r[0] for r in con.execute(f"PRAGMA {pragma}").fetchall()]
        except DatabaseOpenError as exc:
            if exc.code != "db.needs_recovery" or not recover or attempt == 2:
                raise
            _recover(path)
            continue
        except sqlite3.Error as exc:
            rows = [str(exc)]
        return [] if rows == ["ok"] else rows
    raise AssertionError("unreachable")  # pragma: no cover


def quick_check(path: Path, *, recover: bool = False) -> list[str]:
    """``PRAGMA quick_check``: fast, run at every open (which recovers first)."""
    return _check(path, "quick_check", recover=recover)


def integrity_check(path: Path) -> list[str]:
    """The full ``PRAGMA integrity_check`` (from the menu, and after a crash)."""
    return _check(path, "integrity_check")


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write (``mode=ro``). A WAL database in a read-only
    folder without its -shm file cannot be opened so (SQLite cannot create the index);
    then, only when no -wal file exists (so every committed page is in the file itself),
    it is opened ``immutable=1``: SQLite reads the file as it is, without locks."""
    uri = Path(path).as_uri()
    try:
        return sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)
    except sqlite3.OperationalError as exc:
        wal = Path(f"{path}-wal")
        if classify(exc) != CANNOT_OPEN or (wal.exists() and wal.stat().st_size > 0):
            raise
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True,
                           timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)


def write_checked_copy(src: sqlite3.Connection, partial: Path, *, verify: bool = True,
                       copy: Callable[[sqlite3.Connection, sqlite3.Connection], None]
                       | None = None) -> None:
    """The database behind ``src`` copied to ``partial`` with SQLite's backup API as one
    self-contained DELETE-journal file, checked with the full integrity check (when
    ``verify``) and synced to the disk. Backups, restores and the copy of a read-only
    file all write through here."""
    dst = sqlite3.connect(str(partial))
    try:
        (copy or (lambda s, d: s.backup(d)))(src, dst)
        # one self-contained file: no -wal/-shm beside a copy, ever
        dst.execute("PRAGMA journal_mode=DELETE")
        if verify:
            rows = [r[0] for r in dst.execute("PRAGMA integrity_check")]
            if rows != ["ok"]:
                raise sqlite3.DatabaseError("the copy fails the integrity check: "
                                            + "; ".join(rows[:3]))
    finally:
        dst.close()
    fd = os.open(partial, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_error(path: Path, exc: BaseException) -> DatabaseOpenError:
    """Why a file could not be opened or checked, as a DatabaseOpenError."""
    kind = classify(exc)
    if kind == DAMAGED:
        return DatabaseOpenError("db.damaged", f"{path} is damaged: {exc}", path=str(path),
                                 detail=str(exc))
    if kind == LOCKED:
        return DatabaseOpenError("db.locked", f"{path} is locked by another program",
                                 path=str(path), detail=str(exc))
    if kind == READ_ONLY:
        return DatabaseOpenError("db.read_only", f"{path} cannot be written: {exc}",
                                 path=str(path), detail=str(exc))
    if kind == CANNOT_OPEN:
        return DatabaseOpenError("db.cannot_open", f"{path} cannot be opened: {exc}",
                                 path=str(path), detail=str(exc))
    if kind == DISK_FULL:
        return DatabaseOpenError("db.disk_full", f"{path}: the disk is full",
                                 path=str(path), detail=str(exc))
    return DatabaseOpenError("db.io", f"{path}: {exc}", path=str(path), detail=str(exc))

