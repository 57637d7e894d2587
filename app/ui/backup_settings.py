"""Settings → Backups: the backups of this database, a backup now (made and verified in
the background), a restore of the backup the user picks (after backing up the current
file), deleting a backup, the folder backups go to, and the full integrity check.

Backups, the check and restores run as jobs on the one database executor
(:meth:`Ops.submit_task`), so a backup never runs beside an import or a restore: they
wait their turn. A backup shows its progress in the status bar; the check and a restore,
which the user waits for, in a progress dialog."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLocale,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import palette
from app.config import backup_dir_for
from app.db import Database, integrity_check, open_database
from app.errors import DomainError
from app.services import backups as backup_service
from app.services import restoring
from app.text import subst
from app.ui.executor import Job
from app.ui.formatting import fmt_datetime
from app.ui.ops import Ops, show_error
from app.ui.progress import show_progress
from app.ui.widgets import hint_label, make_table
from app.ui.worded_progress import CHECK_FILE, WordedProgress, submit_routine_backup

C = QCoreApplication
log = logging.getLogger(__name__)


def kind_label(kind: str) -> str:
    labels = {"start": C.translate("BackupSettings", "At start-up"),
              "exit": C.translate("BackupSettings", "At exit"),
              "import": C.translate("BackupSettings", "Before an import"),
              "manual": C.translate("BackupSettings", "Made by hand"),
              "before-restore": C.translate("BackupSettings", "Before a restore")}
    if kind in labels:
        return labels[kind]
    return C.translate("BackupSettings", "Before an update of ClientCare")


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return subst(C.translate("BackupSettings", "%1 KB"), max(1, size // 1024))
    return subst(C.translate("BackupSettings", "%1 MB"),
                 QLocale().toString(size / 1024 / 1024, "f", 1))


def _fill(table, backups: list[backup_service.BackupInfo], loc: QLocale) -> None:
    table.setRowCount(0)
    for b in backups:
        n = table.rowCount()
        table.insertRow(n)
        for col, text in enumerate((kind_label(b.kind), fmt_datetime(b.made_at, loc),
                                    size_text(b.size))):
            it = QTableWidgetItem(text)
            if col == 2:
                it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(n, col, it)


class BackupPickerDialog(QDialog):
    """The user picks the backup to restore; nothing is chosen for them, and the default
    button closes without a change."""

    def __init__(self, parent: QWidget | None, text: str,
                 backups: list[backup_service.BackupInfo]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Restore a backup"))
        self.backups = backups
        self.resize(640, 380)
        message = QLabel(text)
        message.setWordWrap(True)
        self.table = make_table([self.tr("Made"), self.tr("When"), self.tr("Size")],
                                "pickBackupTable", fit_columns=True)
        _fill(self.table, backups, self.locale())
        self.table.setCurrentCell(-1, -1)
        self.table.clearSelection()
        box = QDialogButtonBox()
        self.restore_button = box.addButton(self.tr("Restore the chosen backup"),
                                            QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restoreChosenButton")
        self.restore_button.setEnabled(False)
        self.restore_button.setAutoDefault(False)
        self.close_button = box.addButton(self.tr("Close without changes"),
                                          QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setObjectName("closeWithoutChangesButton")
        self.close_button.setDefault(True)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(
            lambda: self.restore_button.setEnabled(self.chosen() is not None))
        lay = QVBoxLayout(self)
        lay.addWidget(message)
        lay.addWidget(self.table, 1)
        lay.addWidget(box)

    def chosen(self) -> backup_service.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    @classmethod
    def ask(cls, parent: QWidget | None, text: str,
            backups: list[backup_service.BackupInfo]) -> backup_service.BackupInfo | None:
        dlg = cls(parent, text, backups)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.chosen()


def check_database(parent: QWidget | None, ops: Ops,
                   on_result: Callable[[bool], None] | None = None) -> Job:
    """The full integrity check, on the database executor (it reads the whole file)
    behind a progress dialog; then its verdict, and on problems the user may pick a
    backup to restore. ``on_result(ok)`` afterwards (True = in good order)."""
    path = ops.db.path

    def work(job: Job) -> list[str]:
        WordedProgress(job).report(0, None, CHECK_FILE)
        return integrity_check(path)

    def result(ok: bool) -> None:
        if on_result is not None:
            on_result(ok)

    def done(problems: list[str]) -> None:
        if not problems:
            QMessageBox.information(parent, C.translate("BackupSettings", "Check the database"),
                                    C.translate("BackupSettings",
                                                "The database is in good order."))
            result(True)
            return
        text = C.translate("BackupSettings", "The database has problems: %1").replace(
            "%1", "; ".join(problems[:3]))
        good = backup_service.good_backups(ops.db.path)
        if not good:
            QMessageBox.warning(parent, C.translate("BackupSettings", "Check the database"),
                                text + "\n\n" + C.translate(
                                    "BackupSettings", "There is no good backup to restore. "
                                    "Keep working carefully and contact support."))
            result(False)
            return
        chosen = BackupPickerDialog.ask(parent, text + "\n\n" + C.translate(
            "BackupSettings", "You may restore a backup: choose one in the list. The "
            "current file is backed up or kept aside first."), good)
        if chosen is not None:
            restore_backup(parent, ops, chosen.path)
        result(False)

    def failed(exc: DomainError) -> None:  # locked or unreadable: not a verdict on the file
        show_error(parent, exc)
        result(False)

    job = ops.submit_task(parent, work, label=C.translate(
        "BackupSettings", "Checking the database…"), on_done=done, on_error=failed)
    show_progress(parent, ops.executor, job)
    return job


def restore_backup(parent: QWidget | None, ops: Ops, backup: Path,
                   on_result: Callable[[bool], None] | None = None) -> Job | None:
    """On the database executor, after any work queued before it (a backup being made
    ends first): close the database, put the backup in its place (the current file is
    backed up first) and open it again; then, on the GUI thread, every page reloads
    (:meth:`Ops.replace_database` announces everything). On any failure the database is
    opened again as it was and the user is told. A database open read-only is never
    replaced (None, after saying so). ``on_result(ok)`` afterwards."""
    if ops.refuse_read_only(parent):
        return None
    db = ops.db
    path = db.path

    def work(job: Job) -> tuple[Database, DomainError | None]:
        db.close()
        error = None
        try:
            # the file, then the erasure log again
            restoring.restore_backup(path, backup, progress=WordedProgress(job),
                                     actor=db.actor)
        except DomainError as exc:
            error = exc
        reopened = open_database(path)
        ops.db = reopened  # for the jobs queued behind this one (Ops.submit)
        return reopened, error

    def done(value: tuple[Database, DomainError | None]) -> None:
        reopened, error = value
        ops.replace_database(reopened)
        if error is not None:
            show_error(parent, error)
        if on_result is not None:
            on_result(error is None)

    def failed(exc: DomainError) -> None:  # restored, but it does not open
        ops.database_unavailable(exc)
        show_error(parent, exc)
        if on_result is not None:
            on_result(False)

    ops.begin_replacing()  # nothing on this thread opens the file meanwhile
    job = ops.submit_task(parent, work, label=C.translate(
        "BackupSettings", "Restoring the backup…"), on_done=done, on_error=failed)
    show_progress(parent, ops.executor, job)
    return job


class BackupSettings(QWidget):
    backup_finished = Signal(object)  # BackupInfo or None
    check_finished = Signal(bool)  # True: the database is in good order
    restore_finished = Signal(bool)  # True: the backup was restored

    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.folder_label = QLabel()
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.clock_warning = QLabel()
        self.clock_warning.setObjectName("clockWarning")
        self.clock_warning.setWordWrap(True)
        self.clock_warning.setStyleSheet(f"color: {palette.WARNING};")
        self.table = make_table([self.tr("Made"), self.tr("When"), self.tr("Size")],
                                "backupsTable", fit_columns=True)
        self.status = QLabel()
        self.status.setObjectName("backupStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet(f"color: {palette.SUCCESS};")
        self.backup_button = QPushButton(self.tr("Back up now"))
        self.restore_button = QPushButton(self.tr("Restore the chosen backup…"))
        self.restore_button.setObjectName("restoreButton")
        self.delete_button = QPushButton(self.tr("Delete the chosen backup…"))
        self.delete_button.setObjectName("deleteBackupButton")
        self.check_button = QPushButton(self.tr("Check the database"))
        self.choose_folder_button = QPushButton(self.tr("Choose the folder…"))
        self.choose_folder_button.setObjectName("chooseBackupFolderButton")
        self.folder_button = QPushButton(self.tr("Open the folder"))
        # two rows, the backups' and the database's and folder's: one row of six was
        # wider than the page in Bulgarian at 1280x720 (a button's text cut)
        buttons = QVBoxLayout()
        for group in ((self.backup_button, self.restore_button, self.delete_button),
                      (self.check_button, self.choose_folder_button, self.folder_button)):
            row = QHBoxLayout()
            for b in group:
                row.addWidget(b)
            row.addStretch(1)
            buttons.addLayout(row)
        lay = QVBoxLayout(self)
        lay.addWidget(hint_label(self.tr(
            "ClientCare backs the database up when it starts and when it closes (unless "
            "nothing changed), before an update, before each import and before a restore, "
            "checks every backup, and keeps one backup a day and one a week (Settings, "
            "Rules). Keep the backups on another disk: choose the folder.")))
        lay.addWidget(self.folder_label)
        lay.addWidget(self.clock_warning)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        lay.addWidget(self.status)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.check_button.clicked.connect(self.check)
        self.choose_folder_button.clicked.connect(self.choose_folder)
        self.folder_button.clicked.connect(self._open_folder)
        self.reload()

    def reload(self) -> None:
        folder = backup_dir_for(self.ops.db.path)
        self.folder_label.setText(subst(self.tr("Folder: %1"), folder))
        self.backups = backup_service.list_backups(self.ops.db.path)
        _fill(self.table, self.backups, self.locale())
        self.clock_warning.setText(self.tr(
            "The dates of the backups do not fit the order they were made in, or lie in "
            "the future: check the computer's clock. Old backups are removed by their "
            "order, not by these dates.") if backup_service.clock_looks_wrong(self.backups) else "")
        self.clock_warning.setVisible(bool(self.clock_warning.text()))
        self.restore_button.setEnabled(bool(self.backups))
        self.delete_button.setEnabled(bool(self.backups))

    # ------------------------------------------------------------------ backing up

    def start_backup(self, kind: str, *, quiet: bool = True) -> Job:
        """A backup as a job on the database executor, its progress in the status bar
        (start-up: quiet, a failure is only logged). ``backup_finished`` afterwards."""
        def done(info: backup_service.BackupInfo | None) -> None:
            self._backup_done(info, None, quiet)

        def failed(exc: DomainError) -> None:
            log.warning("the %s backup failed: %s", kind, exc)
            self._backup_done(None, exc, quiet)

        return submit_routine_backup(self.ops, self, kind, self.tr("Backing up…"),
                                     on_done=done, on_error=failed)

    def back_up_now(self) -> Job | None:
        if self.ops.refuse_read_only(self):
            return None
        self.backup_button.setEnabled(False)
        self.status.setText(self.tr("Backing up and checking the copy…"))
        return self.start_backup("manual", quiet=False)

    def _backup_done(self, info, error, quiet: bool) -> None:
        self.backup_button.setEnabled(True)
        self.reload()
        if error is not None:
            if not quiet:
                self.status.setText("")
                show_error(self, error)
        elif info is not None and not quiet:
            self.status.setText(subst(self.tr("Backed up to %1."), info.path.name))
        self.backup_finished.emit(info)

    def check(self) -> Job:
        """The full check (File menu and this page), after any backup queued before it,
        so a restore chosen from the check never replaces a file being copied.
        ``check_finished`` says the verdict."""
        def result(ok: bool) -> None:
            self.reload()
            self.check_finished.emit(ok)

        return check_database(self.window(), self.ops, result)

    # ------------------------------------------------------------------ the list

    def selected(self) -> backup_service.BackupInfo | None:
        row = self.table.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def restore_selected(self) -> Job | None:
        """Restore the chosen backup after a yes: the job (``restore_finished``
        afterwards), or None when nothing is restored."""
        b = self.selected()
        if b is None:
            self.status.setText(self.tr("Choose a backup in the list first."))
            return None
        answer = QMessageBox.question(
            self, self.tr("Restore a backup"),
            subst(self.tr("Replace all data with the backup of %1?\n\nWhat is in the database "
                    "now is backed up first, so this can be undone by restoring that "
                    "backup."), fmt_datetime(b.made_at, self.locale())),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return None

        def result(ok: bool) -> None:
            self.reload()
            if ok:
                self.status.setText(self.tr("Restored the backup of %1.").replace(
                    "%1", fmt_datetime(b.made_at, self.locale())))
            self.restore_finished.emit(ok)

        # a job: it waits for a backup being made, never replacing a file being read
        return restore_backup(self, self.ops, b.path, result)

    def delete_selected(self) -> bool:
        if self.ops.refuse_read_only(self):  # the backups of a read-only file stay too
            return False
        b = self.selected()
        if b is None:
            self.status.setText(self.tr("Choose a backup in the list first."))
            return False
        answer = QMessageBox.question(
            self, self.tr("Delete a backup"),
            subst(self.tr("Delete the backup of %1 (%2)? It cannot be brought back."),
                  fmt_datetime(b.made_at, self.locale()), kind_label(b.kind)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.ops.wait()  # no backup is being written meanwhile
        try:
            backup_service.delete_backup(self.ops.db.path, b.path, actor=self.ops.db.actor)
        except DomainError as exc:
            show_error(self, exc)
            return False
        self.reload()
        self.status.setText(subst(self.tr("Deleted the backup of %1."),
                                  fmt_datetime(b.made_at, self.locale())))
        return True

    # ------------------------------------------------------------------ the folder

    def ask_folder(self) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("The folder for the backups"), str(backup_dir_for(self.ops.db.path)))
        return Path(chosen) if chosen else None

    def choose_folder(self) -> bool:
        if self.ops.refuse_read_only(self):
            return False
        folder = self.ask_folder()
        if folder is None:
            return False
        self.ops.wait()  # no backup is being written meanwhile
        try:
            backup_service.choose_folder(self.ops.db.path, folder, actor=self.ops.db.actor)
        except DomainError as exc:
            show_error(self, exc)
            return False
        self.reload()
        self.status.setText(subst(self.tr("New backups go to %1."), folder))
        return True

    def _open_folder(self) -> None:
        folder = backup_dir_for(self.ops.db.path)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.reload()
