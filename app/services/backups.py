"""Backups of the database file, made with SQLite's online backup API (a consistent copy
even while the file is open and in WAL mode), kept in a ``backups`` folder beside it.

When: at start-up and at exit (the window), before a migration (app/db.py), before each
import and before a restore, and whenever the user asks. Each backup is named
``<database stem>-<kind>-<yyyymmdd>-<hhmmss>.sqlite`` and written under a temporary name
first, so a crash mid-copy never leaves a half backup that looks whole.

Rotation keeps, of the automatic backups, the newest of each of the last
``backup.keep_daily`` days (7) and the newest of each of the last ``backup.keep_weekly``
weeks (4), and always the newest one; backups the user made by hand, and the ones made
before a migration or a restore, are kept until the user deletes them.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.config import backup_dir_for
from app.errors import DomainError

log = logging.getLogger(__name__)

AUTOMATIC = ("start", "exit", "import")
KINDS = (*AUTOMATIC, "manual", "before-restore")
STAMP = "%Y%m%d-%H%M%S"
BUSY_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str  # start, exit, import, manual, before-restore, before-<revision>
    made_at: datetime
    size: int

    @property
    def automatic(self) -> bool:
        return self.kind in AUTOMATIC


def _pattern(db_path: Path) -> re.Pattern[str]:
    """This database's backups only: another database in the same folder has its own
    stem, and ``shop-old-start-…`` is not a backup of ``shop``."""
    kinds = "|".join(re.escape(k) for k in KINDS) + r"|before-[0-9a-z]+"
    return re.compile(rf"^{re.escape(db_path.stem)}-(?P<kind>{kinds})-"
                      rf"(?P<stamp>\d{{8}}-\d{{6}})(?:\.(?P<seq>\d+))?\.sqlite$")


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of a (possibly open) database, written atomically."""
    partial = target.with_name(target.name + ".partial")
    try:
        if not source.is_file() or source.stat().st_size == 0:
            raise OSError(f"{source} does not exist")  # never create an empty "backup"
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            dst = sqlite3.connect(str(partial))
            try:
                src.backup(dst)
                # one self-contained file: no -wal/-shm beside a backup, ever
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass  # its folder is not there (or not a folder): nothing was written
        raise DomainError("backup.failed", f"backup to {target} failed: {exc}",
                          path=str(target), detail=str(exc)) from exc
    return target


def make_backup(db_path: Path, kind: str, now: datetime | None = None) -> BackupInfo:
    now = (now or datetime.now()).replace(microsecond=0)
    name = f"{db_path.stem}-{kind}-{now.strftime(STAMP)}.sqlite"
    target = backup_dir_for(db_path) / name
    n = 1
    while target.exists():  # two in one second: keep both
        target = target.with_name(f"{db_path.stem}-{kind}-{now.strftime(STAMP)}.{n}.sqlite")
        n += 1
    copy_database(db_path, target)
    log.info("backup %s", target)
    return BackupInfo(target, kind, now, target.stat().st_size)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of this database, newest first."""
    folder = backup_dir_for(db_path)
    if not folder.is_dir():
        return []
    pat = _pattern(db_path)
    found = []
    for p in folder.iterdir():
        m = pat.match(p.name)
        if not m or not p.is_file():
            continue
        try:
            made = datetime.strptime(m["stamp"], STAMP)
        except ValueError:
            continue
        # several in one second are numbered .1, .2, ...: a higher number is newer
        found.append((made, int(m["seq"] or 0), BackupInfo(p, m["kind"], made,
                                                          p.stat().st_size)))
    found.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [b for _made, _seq, b in found]


def to_remove(backups: list[BackupInfo], keep_daily: int, keep_weekly: int) -> list[BackupInfo]:
    """Which automatic backups rotation deletes (``backups`` newest first)."""
    auto = [b for b in backups if b.automatic]
    keep: set[Path] = {auto[0].path} if auto else set()
    days: dict = {}
    weeks: dict = {}
    for b in auto:  # newest first: the first seen of a day or week is its newest
        days.setdefault(b.made_at.date(), b)
        weeks.setdefault(b.made_at.isocalendar()[:2], b)
    keep.update(b.path for b in list(days.values())[:keep_daily])
    keep.update(b.path for b in list(weeks.values())[:keep_weekly])
    return [b for b in auto if b.path not in keep]


def rotate(db_path: Path, keep_daily: int = 7, keep_weekly: int = 4) -> list[Path]:
    removed = []
    for b in to_remove(list_backups(db_path), keep_daily, keep_weekly):
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError as exc:  # a backup we cannot delete stays; nothing is lost
            log.warning("cannot remove old backup %s: %s", b.path, exc)
    return removed


def check_backup(path: Path) -> list[str]:
    """Problems that make a file unfit to restore: not SQLite, damaged, not ClientCare."""
    from app.db import SQLITE_HEADER, known_revisions
    try:
        with path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return ["not an SQLite database"]
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)  # no side files
        try:
            rows = [r[0] for r in con.execute("PRAGMA quick_check")]
            if rows != ["ok"]:
                return rows[:5]
            version = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except (OSError, sqlite3.Error) as exc:
        return [str(exc)]
    if version is None or version[0] not in known_revisions():
        return ["not a ClientCare database of a known version"]
    return []


def newest_good_backup(db_path: Path) -> BackupInfo | None:
    for b in list_backups(db_path):
        if not check_backup(b.path):
            return b
    return None


def restore(db_path: Path, backup: Path, now: datetime | None = None) -> BackupInfo | None:
    """Put ``backup`` in place of the database at ``db_path``, which must be closed.

    The current file is backed up first ("before-restore") when it can be read; a damaged
    one is moved aside as ``<name>.damaged-<stamp>`` instead, so nothing is lost either
    way. Returns the backup of the replaced file, if one was made."""
    problems = check_backup(backup)
    if problems:
        raise DomainError("backup.unusable", f"{backup} cannot be restored: {problems[0]}",
                          path=str(backup), detail="; ".join(problems))
    now = now or datetime.now()
    saved = None
    if db_path.exists() and db_path.stat().st_size:
        from app.db import quick_check
        try:
            damaged = bool(quick_check(db_path))
        except DomainError:
            damaged = True
        if damaged:
            aside = db_path.with_name(f"{db_path.name}.damaged-{now.strftime(STAMP)}")
            _move_with_journal(db_path, aside)
        else:
            saved = make_backup(db_path, "before-restore", now)
    try:
        src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except (OSError, sqlite3.Error) as exc:
        raise DomainError("backup.restore_failed", f"restore failed: {exc}",
                          path=str(db_path), detail=str(exc)) from exc
    from app.services.erasure import reapply_after_restore  # here: one hook, one place
    reapply_after_restore(db_path)  # a restored backup never brings an erased client back
    return saved


def _move_with_journal(path: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            shutil.move(str(p), str(target) + suffix)


def routine_backup(db, kind: str, now: datetime | None = None) -> BackupInfo:
    """A backup of an open database (at start-up, at exit, before an import, by hand),
    then rotation with the business's settings."""
    from app.services import settings as settings_service
    with db.sessions() as s:
        daily = settings_service.get(s, "backup.keep_daily")
        weekly = settings_service.get(s, "backup.keep_weekly")
    info = make_backup(db.path, kind, now)
    rotate(db.path, daily, weekly)
    return info
