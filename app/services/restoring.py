"""Restoring a backup, as one use case: the file is put back (app/services/backups.py
``restore``), then the erasure log beside it is applied to it again, so a restored
backup never brings back a person erased at their request.

It lives above both app/db.py (which opens and migrates, and backs up before a
migration) and app/services/backups.py, so neither of those imports the other's callers.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from app.db import open_database
from app.progress import NO_PROGRESS, Progress
from app.services import backups
from app.services.access import Action, Actor, require
from app.services.backups import BackupInfo
from app.services.erasure import clean_backup, compact, logged, read_log, reapply_erasures


def restore_backup(db_path: Path, backup: Path, now: datetime | None = None, *,
                   progress: Progress = NO_PROGRESS, actor: Actor | None = None
                   ) -> BackupInfo | None:
    """Put ``backup`` in place of the (closed) database at ``db_path`` and apply the
    erasure log to it; returns the backup made of the replaced file, if one was made
    (see :func:`app.services.backups.restore`). ``actor``: who signed in (the owner's
    step when logins are on)."""
    require(actor, Action.BACKUPS)
    saved = backups.restore(db_path, backup, now, progress=progress)
    reapply_after_restore(db_path)
    return saved


def reapply_after_restore(db_path: Path) -> int:
    """Once a backup is in place: open the restored file (migrating it if older), apply
    the erasure log, compact. The backup made before a migration is cleaned too.
    Returns the clients erased again."""
    entries = read_log(db_path)
    if not entries:
        return 0
    db = open_database(db_path)
    try:
        with db.session() as s:
            n = reapply_erasures(s, entries)
            entries = logged(s)
    finally:
        db.close()
    if db.backup_made is not None:
        clean_backup(db.backup_made, entries)
    compact(db_path)
    return n
