"""Backups of the database file, made with SQLite's online backup API (a consistent copy
even while the file is open and in WAL mode), kept in a ``backups`` folder beside it or
in the folder chosen in Settings → Backups (app/config.py).

When: at start-up and at exit (the window; skipped when nothing changed since the last
backup), before a migration (app/db.py), before each import and before a restore, and
whenever the user asks. Each backup is named
``<prefix>-<kind>-<yyyymmdd>-<hhmmss>-<number>.sqlite``: the prefix is the database's
stem for a ``.sqlite`` file and its whole name otherwise (``shop.sqlite`` and ``shop.db``
in one folder keep separate lists); the number counts this database's backups up, so
their order is the order they were made in even when the system clock was wrong.

A backup is written under a temporary ``.partial`` name, checked with the full
``PRAGMA integrity_check``, synced to the disk, renamed into place and its folder synced:
every backup under its final name is whole and passed the check. A ``.partial`` left by a
killed process is removed at the next start (:func:`clean_partials`).

Rotation keeps, of the automatic backups (start, exit, import), the newest of each of the
last ``backup.keep_daily`` days and of the last ``backup.keep_weekly`` weeks *among the
backups themselves* (in the order they were made, not by the clock), and always the
newest backup; a backup taken before an import on the day of the newest backup is kept
too. Backups the user made by hand, and the ones made before a migration or a restore,
are kept until the user deletes them.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

from app.config import backup_dir_for, default_backup_dir, set_backup_dir
from app.errors import DomainError
from app.progress import NO_PROGRESS, Progress
from app.services import settings as settings_service
from app.services.access import Action, Actor, require
from app.sqlite_file import (
    SQLITE_HEADER,
    change_token,
    known_revisions,
    quick_check,
    write_checked_copy,
)

log = logging.getLogger(__name__)

#: automatic backups: the ones rotation may remove
AUTOMATIC = ("start", "exit", "import")
#: automatic backups that are skipped when the database did not change since the last one
SKIPPABLE = ("start", "exit")
KINDS = (*AUTOMATIC, "manual", "before-restore")
STAMP = "%Y%m%d-%H%M%S"
BUSY_TIMEOUT_S = 5.0
PARTIAL = ".partial"
RESTORE_PARTIAL = ".restore-partial"
#: a .partial this old was left by a killed backup (a running one writes all the time)
STALE_PARTIAL_S = 60.0
#: a backup dated this far after a newer one (or after now) means a wrong clock
CLOCK_SLACK = timedelta(days=1)
#: what a backup or a restore is doing, as the ``text`` of its progress reports (the
#: window puts them in words): copying pages (done of total), then checking the copy
STAGE_COPY = "backup.copy"
STAGE_VERIFY = "backup.verify"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str  # start, exit, import, manual, before-restore, before-<revision>
    made_at: datetime
    size: int
    #: the backup's number: higher was made later, whatever the clock said (0: old name)
    order: int = 0

    @property
    def automatic(self) -> bool:
        return self.kind in AUTOMATIC


def prefix(db_path: Path) -> str:
    """The name every backup of this database starts with."""
    return db_path.stem if db_path.suffix == ".sqlite" else db_path.name


def _pattern(db_path: Path) -> re.Pattern[str]:
    """This database's backups only: another database in the same folder has its own
    prefix, and ``shop-old-start-…`` is not a backup of ``shop``."""
    kinds = "|".join(re.escape(k) for k in KINDS) + r"|before-[0-9a-z]+"
    return re.compile(rf"^{re.escape(prefix(db_path))}-(?P<kind>{kinds})-"
                      rf"(?P<stamp>\d{{8}}-\d{{6}})(?:-(?P<order>\d+))?"
                      rf"(?:\.(?P<seq>\d+))?\.sqlite$")


def _folders(db_path: Path) -> list[Path]:
    """Where this database's backups are: the chosen folder, and the default one beside
    the database (backups made before another folder was chosen stay listed)."""
    chosen, default = backup_dir_for(db_path), default_backup_dir(db_path)
    return [chosen] if chosen == default else [chosen, default]


# --------------------------------------------------------------------------- disk sync


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows cannot open a folder)."""
    if os.name == "nt":  # pragma: no cover - NTFS journals the rename itself
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_pages(src: sqlite3.Connection, dst: sqlite3.Connection,
                progress: Progress = NO_PROGRESS) -> None:
    """SQLite's online backup, a few hundred pages at a time (a seam for the tests);
    ``progress`` hears the pages copied (:data:`STAGE_COPY`), then that the copy is
    being checked (:data:`STAGE_VERIFY`)."""
    def step(_status: int, remaining: int, total: int) -> None:
        if remaining:
            progress.report(total - remaining, total, STAGE_COPY)
        else:
            progress.report(0, None, STAGE_VERIFY)

    src.backup(dst, pages=256, progress=step)


def _write_copy(source: Path, partial: Path, *, verify: bool,
                progress: Progress = NO_PROGRESS) -> None:
    """``source`` (possibly open, in WAL) copied to ``partial`` as one self-contained
    DELETE-journal file, checked, and synced to the disk."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        copy = _copy_pages if progress is NO_PROGRESS else partial_copy(progress)
        write_checked_copy(src, partial, verify=verify, copy=copy)
    finally:
        src.close()


def partial_copy(progress: Progress):
    """:func:`_copy_pages` reporting to ``progress``."""
    return functools.partial(_copy_pages, progress=progress)


def copy_database(source: Path, target: Path, *, verify: bool = True,
                  progress: Progress = NO_PROGRESS) -> Path:
    """A consistent, verified copy of a (possibly open) database, written atomically:
    a temporary file, synced, renamed into place, its folder synced."""
    partial = target.with_name(target.name + PARTIAL)
    try:
        if not source.is_file() or source.stat().st_size == 0:
            raise OSError(f"{source} does not exist")  # never create an empty "backup"
        target.parent.mkdir(parents=True, exist_ok=True)
        if progress is NO_PROGRESS:
            _write_copy(source, partial, verify=verify)
        else:
            _write_copy(source, partial, verify=verify, progress=progress)
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except (OSError, sqlite3.Error) as exc:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass  # its folder is not there (or not a folder): nothing was written
        raise DomainError("backup.failed", f"backup to {target} failed: {exc}",
                          path=str(target), detail=str(exc)) from exc
    return target


def clean_partials(db_path: Path, older_than_s: float = STALE_PARTIAL_S) -> list[Path]:
    """Remove what a backup or a restore killed midway left: ``*.partial`` files of
    this database's backups and a ``.restore-partial`` beside the database."""
    db_path = Path(db_path)
    now = time.time()
    found = [p for folder in _folders(db_path) if folder.is_dir()
             for p in folder.glob(f"{glob_escape(prefix(db_path))}-*{PARTIAL}*")
             if p.name.endswith((PARTIAL, PARTIAL + "-journal"))]
    found += [Path(str(db_path) + RESTORE_PARTIAL + suffix)
              for suffix in ("", "-journal", "-wal", "-shm")]
    removed = []
    for p in found:
        try:
            if p.is_file() and now - p.stat().st_mtime >= older_than_s:
                p.unlink()
                removed.append(p)
        except OSError as exc:
            log.warning("cannot remove %s: %s", p, exc)
    return removed


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


# --------------------------------------------------------------------------- making, listing


def make_backup(db_path: Path, kind: str, now: datetime | None = None,
                progress: Progress = NO_PROGRESS) -> BackupInfo:
    now = (now or datetime.now()).replace(microsecond=0)
    existing = list_backups(db_path)
    order = max((b.order for b in existing), default=0) + 1
    base = f"{prefix(db_path)}-{kind}-{now.strftime(STAMP)}-{order:04d}"
    target = backup_dir_for(db_path) / f"{base}.sqlite"
    n = 1
    while target.exists():  # cannot happen with the number; never overwrite anyway
        target = target.with_name(f"{base}.{n}.sqlite")
        n += 1
    copy_database(db_path, target, progress=progress)
    log.info("backup %s", target)
    return BackupInfo(target, kind, now, target.stat().st_size, order)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of this database, newest first (in the order they were made)."""
    pat = _pattern(db_path)
    found = []
    seen: set[Path] = set()
    for folder in _folders(db_path):
        if not folder.is_dir():
            continue
        for p in folder.iterdir():
            m = pat.match(p.name)
            if not m or not p.is_file() or p.resolve() in seen:
                continue
            seen.add(p.resolve())
            try:
                made = datetime.strptime(m["stamp"], STAMP)
            except ValueError:
                continue
            order = int(m["order"] or 0)
            # several in one second are numbered .1, .2, ...: a higher number is newer
            found.append((order, made, int(m["seq"] or 0),
                          BackupInfo(p, m["kind"], made, p.stat().st_size, order)))
    found.sort(key=lambda t: t[:3], reverse=True)
    return [t[3] for t in found]


def to_remove(backups: list[BackupInfo], keep_daily: int, keep_weekly: int) -> list[BackupInfo]:
    """Which automatic backups rotation deletes. The days and weeks are those of the
    backups themselves, taken in the order the backups were made (their number), so a
    clock that was wrong for weeks never makes the new backups look old."""
    ordered = sorted(backups, key=lambda b: (b.order, b.made_at), reverse=True)
    if not ordered:
        return []
    keep: set[Path] = {ordered[0].path}  # the newest backup, whatever its kind
    auto = [b for b in ordered if b.automatic]
    if auto:
        keep.add(auto[0].path)
    newest_day = ordered[0].made_at.date()
    # a backup taken before an import today: its path was just shown to the user
    keep.update(b.path for b in auto if b.kind == "import" and b.made_at.date() == newest_day)
    days: dict = {}
    weeks: dict = {}
    for b in auto:  # newest first: the first seen of a day or week is its newest
        days.setdefault(b.made_at.date(), b)
        weeks.setdefault(b.made_at.isocalendar()[:2], b)
    keep.update(b.path for b in list(days.values())[:keep_daily])
    keep.update(b.path for b in list(weeks.values())[:keep_weekly])
    return [b for b in auto if b.path not in keep]


def clock_looks_wrong(backups: list[BackupInfo], now: datetime | None = None) -> bool:
    """True when the dates of the backups contradict their order or today: the newest
    backup is dated in the future, or a backup is dated well after a later one."""
    now = now or datetime.now()
    ordered = [b for b in sorted(backups, key=lambda b: (b.order, b.made_at), reverse=True)
               if b.order]
    if any(b.made_at > now + CLOCK_SLACK for b in backups):
        return True
    return any(older.made_at > newer.made_at + CLOCK_SLACK
               for newer, older in pairwise(ordered))


def rotate(db_path: Path, keep_daily: int = 7, keep_weekly: int = 4) -> list[Path]:
    removed = []
    for b in to_remove(list_backups(db_path), keep_daily, keep_weekly):
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError as exc:  # a backup we cannot delete stays; nothing is lost
            log.warning("cannot remove old backup %s: %s", b.path, exc)
    return removed


def delete_backup(db_path: Path, backup: Path, *, actor: Actor | None = None) -> None:
    """Delete one backup of this database (from the list in Settings → Backups)."""
    require(actor, Action.BACKUPS)
    if backup not in {b.path for b in list_backups(db_path)}:
        raise DomainError("backup.not_found", f"{backup} is not a backup of {db_path}",
                          path=str(backup))
    try:
        backup.unlink()
    except OSError as exc:
        raise DomainError("backup.delete_failed", f"cannot delete {backup}: {exc}",
                          path=str(backup), detail=str(exc)) from exc


def choose_folder(db_path: Path, folder: Path | None, *, actor: Actor | None = None) -> Path:
    """Keep this database's next backups in ``folder`` (None: beside the database).
    The folder must be writable; a probe file proves it before anything is stored."""
    require(actor, Action.BACKUPS)
    target = default_backup_dir(db_path) if folder is None else Path(folder).expanduser()
    probe = target / f".clientcare-probe-{os.getpid()}"
    try:
        target.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"x")
        probe.unlink()
        set_backup_dir(db_path, None if folder is None else target)
    except OSError as exc:
        raise DomainError("backup.folder", f"cannot keep backups in {target}: {exc}",
                          path=str(target), detail=str(exc)) from exc
    return backup_dir_for(db_path)


def check_backup(path: Path, *, full: bool = False) -> list[str]:
    """Problems that make a file unfit to restore: not SQLite, damaged, not ClientCare."""
    try:
        with path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return ["not an SQLite database"]
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)  # no side files
        try:
            pragma = "integrity_check" if full else "quick_check"
            rows = [r[0] for r in con.execute(f"PRAGMA {pragma}")]
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


def good_backups(db_path: Path) -> list[BackupInfo]:
    """Every backup fit to restore, newest first (the list a user picks from)."""
    return [b for b in list_backups(db_path) if not check_backup(b.path)]


# --------------------------------------------------------------------------- restore


def restore(db_path: Path, backup: Path, now: datetime | None = None,
            progress: Progress = NO_PROGRESS) -> BackupInfo | None:
    """Put ``backup`` in place of the database at ``db_path``, which must be closed.

    The current file is backed up first ("before-restore") when it can be read; a damaged
    one is moved aside as ``<name>.damaged-<stamp>`` instead, so nothing is lost either
    way. The backup is copied to a temporary file beside the database, synced, and only
    then renamed over it (and the folder synced): a restore killed at any moment leaves
    either the old file or the restored one, whole. Returns the backup of the replaced
    file, if one was made. ``progress`` hears the pages of the backup copied, then of the
    current file backed up."""
    problems = check_backup(backup)
    if problems:
        raise DomainError("backup.unusable", f"{backup} cannot be restored: {problems[0]}",
                          path=str(backup), detail="; ".join(problems))
    now = now or datetime.now()
    tmp = Path(str(db_path) + RESTORE_PARTIAL)
    try:
        for suffix in ("", "-journal"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        if progress is NO_PROGRESS:
            _write_copy(backup, tmp, verify=False)  # checked above
        else:
            _write_copy(backup, tmp, verify=False, progress=progress)
    except (OSError, sqlite3.Error) as exc:
        Path(str(tmp)).unlink(missing_ok=True)
        raise DomainError("backup.restore_failed", f"restore failed: {exc}",
                          path=str(db_path), detail=str(exc)) from exc
    saved = None
    try:
        if db_path.exists() and db_path.stat().st_size:
            try:
                damaged = bool(quick_check(db_path, recover=True))
            except DomainError:
                damaged = True
            if damaged:
                aside = db_path.with_name(f"{db_path.name}.damaged-{now.strftime(STAMP)}")
                _move_with_journal(db_path, aside)
            else:
                saved = make_backup(db_path, "before-restore", now, progress)
                _self_contained(db_path)
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise DomainError("backup.restore_failed", f"restore failed: {exc}",
                          path=str(db_path), detail=str(exc)) from exc
    except DomainError:
        tmp.unlink(missing_ok=True)
        raise
    # the erasure log is applied to the restored file by the use case that calls this
    # (app/services/restoring.py restore_backup), above both this module and app/db.py
    return saved


def _self_contained(path: Path) -> None:
    """Fold the -wal of a (closed) healthy database into the file and drop its side
    files, so renaming another file over it cannot pair that file with this -wal."""
    con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _move_with_journal(path: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            shutil.move(str(p), str(target) + suffix)


# --------------------------------------------------------------------------- routine


def unchanged_since_last_backup(db_path: Path) -> bool:
    """True when the newest backup holds the database's current change token: nothing
    was committed since it was made (app/db.py writes a new token with every change)."""
    backups = list_backups(db_path)
    if not backups:
        return False
    current = change_token(db_path)
    return current is not None and current == change_token(backups[0].path)


def keep_settings(db) -> tuple[int, int]:
    """(backup.keep_daily, backup.keep_weekly) of an open database."""
    with db.sessions() as s:
        return (settings_service.get(s, "backup.keep_daily"),
                settings_service.get(s, "backup.keep_weekly"))


def backup_and_rotate(db_path: Path, kind: str, keep_daily: int, keep_weekly: int,
                      now: datetime | None = None,
                      progress: Progress = NO_PROGRESS) -> BackupInfo | None:
    """A verified backup, then rotation. Uses only its own sqlite3 connections, so the
    window runs it in a background thread. A start or exit backup of a database that did
    not change since the last backup is skipped (returns None)."""
    if kind in SKIPPABLE and unchanged_since_last_backup(db_path):
        log.info("no %s backup: nothing changed since the last one", kind)
        return None
    info = make_backup(db_path, kind, now, progress)
    rotate(db_path, keep_daily, keep_weekly)
    if clock_looks_wrong(list_backups(db_path), now):
        log.warning("the system clock looks wrong: backup dates contradict their order")
    return info


def routine_backup(db, kind: str, now: datetime | None = None,
                   progress: Progress = NO_PROGRESS) -> BackupInfo | None:
    """A backup of an open database (at start-up, at exit, before an import, by hand),
    then rotation with the business's settings (see :func:`backup_and_rotate`)."""
    daily, weekly = keep_settings(db)
    return backup_and_rotate(db.path, kind, daily, weekly, now, progress)
