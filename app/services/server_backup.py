"""Backups of an office server's database (issue 17): PostgreSQL's own ``pg_dump``, run
when it is on the PATH, into a folder of this PC. The SQLite file's backups
(app/services/backups.py) stay as they are; a server's are dumps in pg_dump's custom
format, restored with ``pg_restore`` (README: "Office server").

Nothing here holds the password in a file or a command line: pg_dump reads it from the
``PGPASSWORD`` variable of its own process only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL

from app.config import data_dir
from app.errors import DomainError

#: pg_dump may take minutes on a million clients; beyond this it is stuck
DUMP_TIMEOUT_S = 3 * 60 * 60
SUFFIX = ".dump"


@dataclass(frozen=True)
class ServerBackup:
    path: Path
    size: int
    made: datetime


def pg_dump_program() -> str | None:
    """The pg_dump found on the PATH, or None (then the README says how to schedule one
    on the server itself)."""
    return shutil.which("pg_dump")


def backup_folder(url: URL) -> Path:
    """Where this PC keeps the dumps of that server's database."""
    host = (url.host or "localhost").replace(":", "_")
    return data_dir() / "server-backups" / f"{url.database}@{host}"


def list_dumps(folder: Path) -> list[ServerBackup]:
    """The dumps in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for p in folder.glob(f"*{SUFFIX}"):
        st = p.stat()
        found.append(ServerBackup(p, st.st_size, datetime.fromtimestamp(st.st_mtime)))
    return sorted(found, key=lambda b: (b.made, b.path.name), reverse=True)


def dump(url: URL, folder: Path | None = None, *, now: datetime | None = None,
         program: str | None = None) -> ServerBackup:
    """Run pg_dump of the database at ``url`` (custom format) into ``folder``. The file
    appears under its name only once pg_dump ended well; a failure leaves no partial
    file and raises ``server_backup.failed`` with what pg_dump said."""
    exe = program or pg_dump_program()
    if exe is None:
        raise DomainError("server_backup.no_pg_dump", "pg_dump is not on the PATH")
    folder = folder or backup_folder(url)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DomainError("server_backup.folder", f"cannot create {folder}: {exc}",
                          path=str(folder), detail=str(exc)) from exc
    stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H%M%S")
    target = folder / f"{url.database}-{stamp}{SUFFIX}"
    partial = target.with_suffix(".partial")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    args = [exe, "--format=custom", "--no-owner", f"--file={partial}",
            f"--host={url.host or 'localhost'}", f"--port={url.port or 5432}",
            f"--username={url.username or ''}", f"--dbname={url.database}"]
    try:
        run = subprocess.run(args, env=env, capture_output=True, text=True,
                             timeout=DUMP_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        partial.unlink(missing_ok=True)
        raise DomainError("server_backup.failed", f"pg_dump did not run: {exc}",
                          detail=str(exc)) from exc
    if run.returncode != 0:
        partial.unlink(missing_ok=True)
        detail = (run.stderr or run.stdout).strip().splitlines()
        raise DomainError("server_backup.failed", f"pg_dump failed: {detail[-1:]}",
                          detail=detail[-1] if detail else str(run.returncode))
    partial.replace(target)
    st = target.stat()
    return ServerBackup(target, st.st_size, datetime.fromtimestamp(st.st_mtime))


def restore_command(backup: Path, url: URL) -> str:
    """The command that puts a dump back (shown to the owner; restoring a shared
    database while other desks work on it is the server's administrator's step)."""
    return (f"pg_restore --clean --if-exists --no-owner --host={url.host or 'localhost'} "
            f"--port={url.port or 5432} --username={url.username or ''} "
            f"--dbname={url.database} \"{backup}\"")
