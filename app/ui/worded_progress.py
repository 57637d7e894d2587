"""Progress of a service in the user's words.

A service cannot translate, so it reports a stage code as the ``text`` of
:meth:`app.progress.Progress.report` (``importer.STAGE_ROWS``, ``backups.STAGE_COPY``, ...);
:class:`WordedProgress` stands between the service and its :class:`~app.ui.executor.Job`
and turns each code into a sentence ("Importing: 1,200 of 10,000 rows…") that the
progress dialog and the status bar show. It runs on the worker thread:
``QCoreApplication.translate`` and ``QLocale`` formatting are thread-safe, no widget is
touched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QObject

from app.errors import DomainError
from app.services import backups
from app.text import subst
from app.ui.executor import Job

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.ui.ops import Ops

#: a stage code -> its sentence for (done, total); total may be None (not known)
Words = dict[str, Callable[[int, int | None], str]]

CHECK_FILE = "check.file"


def _number(n: int) -> str:
    return QLocale().toString(int(n))


def _percent(done: int, total: int | None) -> str:
    return _number(round(100 * done / total)) if total else "0"


class Progress(QObject):
    """The translation context of these words (``Progress.tr``: plurals included)."""


# the counted noun takes the plural form of the total ("из 21 строки", "z 5 wierszy");
# lupdate reads a plain name as the count, not an expression
def _importing(done: int, total: int | None) -> str:
    n = int(total or done)
    return subst(Progress.tr("Importing: %1 of %Ln row(s) written…", "", n), _number(done))


def _exporting(done: int, total: int | None) -> str:
    n = int(total or done)
    return subst(Progress.tr("Exporting: %1 of %Ln row(s) written…", "", n), _number(done))


def _exporting_events(done: int, total: int | None) -> str:
    n = int(total or done)
    return subst(Progress.tr("Exporting the calendar: %1 of %Ln event(s)…", "", n), _number(done))


def standard_words() -> Words:
    """The sentence of every stage the services report."""
    # lazy: start-up (the window's backups use this module before the first paint; the
    # importer's module is large and only needed once something is imported or exported)
    from app.services.io import export, ics, importer
    q = QCoreApplication
    return {
        importer.STAGE_CHECK: lambda d, t: subst(q.translate(
            "Progress", "Reading and checking the file: row %1 of %2…"),
            _number(d), _number(t or d)),
        importer.STAGE_ROWS: _importing,
        importer.STAGE_SCHEDULE: lambda d, t: q.translate(
            "Progress", "Planning the calls of the imported clients…"),
        backups.STAGE_COPY: lambda d, t: subst(q.translate(
            "Progress", "Copying the database: %1 %…"), _percent(d, t)),
        backups.STAGE_VERIFY: lambda d, t: q.translate("Progress", "Checking the copy…"),
        export.STAGE_ROWS: _exporting,
        ics.STAGE_EVENTS: _exporting_events,
        CHECK_FILE: lambda d, t: q.translate(
            "Progress", "Checking every page of the database…"),
    }


class WordedProgress:
    """:class:`app.progress.Progress` for a service, reporting to ``job`` in words."""

    def __init__(self, job: Job, words: Words | None = None) -> None:
        self.job = job
        self.words = words if words is not None else standard_words()

    def report(self, done: int, total: int | None = None, text: str | None = None) -> None:
        word = self.words.get(text) if text is not None else None
        self.job.report(done, total, word(done, total) if word is not None else text)

    def check(self) -> None:
        self.job.check()


def submit_routine_backup(ops: Ops, parent: QWidget | None, kind: str, label: str, *,
                          on_done: Callable[[backups.BackupInfo | None], None] | None = None,
                          on_error: Callable[[DomainError], None] | None = None) -> Job:
    """The one way the window makes a routine backup ("start", "exit", "manual"): a job
    on the database executor, after the work queued before it, its pages copied reported
    in words (skipped by the service when nothing changed since the last backup)."""
    db = ops.db
    return ops.submit_task(
        parent, lambda job: backups.routine_backup(db, kind, progress=WordedProgress(job)),
        label=label, on_done=on_done, on_error=on_error)
