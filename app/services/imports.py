"""The use case "an import", shared by the import wizard and ``clientcare import``.

After the file was read (:func:`app.services.io.importer.read_table`) and checked
(:func:`~app.services.io.importer.plan_import`), importing it is, in this order and in the
caller's one transaction (all or nothing):

1. a backup of the database ("import"), so the state before the import can be restored;
2. the column mapping remembered for files with the same headings;
3. the rows written (:func:`~app.services.io.importer.apply_import`), with the marketing
   consent given for the whole file (:class:`~app.services.io.importer.FileConsent`) in
   the consent log, when the user recorded one;
4. the statistics of the imported clients made again, the A/B/C groups assigned as the
   start of a day assigns them (every client's place in the ranking: those the import
   moved), and the schedule of the clients written or regrouped (done by
   ``apply_import``).

``progress`` hears each stage (the ``STAGE_*`` texts of the importer and of the backups)
and may stop the work between batches of rows: the transaction then rolls back and
nothing of the import is kept (the backup stays: it holds the state before).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from app.progress import NO_PROGRESS, Progress
from app.services import backups
from app.services import settings as settings_service
from app.services.access import Action, require
from app.services.io import importer
from app.services.io.importer import FileConsent, Plan, RawTable, Report


@dataclass(frozen=True)
class ImportResult:
    report: Report
    #: the backup made just before (None: none was asked for)
    backup: Path | None


def import_plan(session: Session, db_path: Path | None, table: RawTable, kind: str,
                mapping: dict[int, str], plan: Plan, region: str, *,
                duplicates: dict[int, str] | None = None, create_unknown: bool = False,
                today: date | None = None, progress: Progress = NO_PROGRESS,
                backup: bool = True, default_duplicates: str = "skip",
                consent: FileConsent | None = None) -> ImportResult:
    """Back up, remember the mapping, write ``plan`` (with ``consent`` for the whole
    file), group and regenerate the schedule of the imported clients, in ``session``'s
    transaction (the caller commits). On a server (``db_path`` None) no file is copied:
    the import is one transaction, so a refused file leaves the database as it was."""
    require(session, Action.IMPORT)
    importer.check_consent_kind(plan, consent)  # before the backup: nothing is done
    made = None
    if backup and db_path is not None:
        progress.check()
        daily = settings_service.get(session, "backup.keep_daily")
        weekly = settings_service.get(session, "backup.keep_weekly")
        made = backups.backup_and_rotate(db_path, "import", daily, weekly,
                                         progress=progress)
        progress.check()
    importer.remember_mapping(session, table, kind, mapping)
    session.flush()  # the transaction writes from here: the new clients' ids are ours
    report = importer.apply_import(session, plan, region, duplicates=duplicates,
                                   create_unknown=create_unknown, today=today,
                                   progress=progress, default_duplicates=default_duplicates,
                                   consent=consent)
    return ImportResult(report, made.path if made is not None else None)
