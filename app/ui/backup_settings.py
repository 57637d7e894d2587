"""Settings → Backups: the backups of this database, a backup now, a restore (after
backing up the current file), and the full integrity check."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QMessageBox, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget,
)

from app.config import backup_dir_for
from app.db import integrity_check, open_database
from app.errors import DomainError
from app.services import backups as svc
from app.ui.formatting import fmt_datetime
from app.ui.ops import Ops, show_error
from app.ui.widgets import hint_label, make_table

C = QCoreApplication


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
        return C.translate("BackupSettings", "%1 KB").replace("%1", str(max(1, size // 1024)))
    return C.translate("BackupSettings", "%1 MB").replace(
        "%1", QLocale().toString(size / 1024 / 1024, "f", 1))


def check_database(parent: QWidget | None, ops: Ops) -> bool:
    """The full integrity check; on problems, offer the newest good backup. True = ok."""
    problems = integrity_check(ops.db.path)
    if not problems:
        QMessageBox.information(parent, C.translate("BackupSettings", "Check the database"),
                                C.translate("BackupSettings",
                                            "The database is in good order."))
        return True
    newest = svc.newest_good_backup(ops.db.path)
    text = C.translate("BackupSettings", "The database has problems: %1").replace(
        "%1", "; ".join(problems[:3]))
    if newest is None:
        QMessageBox.warning(parent, C.translate("BackupSettings", "Check the database"),
                            text + "\n\n" + C.translate(
                                "BackupSettings", "There is no good backup to restore. "
                                "Keep working carefully and contact support."))
        return False
    answer = QMessageBox.question(
        parent, C.translate("BackupSettings", "Check the database"),
        text + "\n\n" + C.translate("BackupSettings", "Restore the newest good backup, of "
                                                      "%1? The current file is kept aside.")
        .replace("%1", fmt_datetime(newest.made_at)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    if answer == QMessageBox.StandardButton.Yes:
        restore_backup(parent, ops, newest.path)
    return False


def restore_backup(parent: QWidget | None, ops: Ops, backup: Path) -> bool:
    """Close the database, put the backup in its place, open it again and tell every
    page to reload. On any failure the database is opened again as it was."""
    path = ops.db.path
    ops.db.close()
    try:
        svc.restore(path, backup)
    except DomainError as exc:
        ops.replace_database(open_database(path))
        show_error(parent, exc)
        return False
    try:
        ops.replace_database(open_database(path))
    except DomainError as exc:
        show_error(parent, exc)
        return False
    return True


class BackupSettings(QWidget):
    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.folder_label = QLabel()
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.table = make_table([self.tr("Made"), self.tr("When"), self.tr("Size")],
                                "backupsTable", fit_columns=True)
        self.status = QLabel()
        self.status.setObjectName("backupStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #047857;")
        self.backup_button = QPushButton(self.tr("Back up now"))
        self.restore_button = QPushButton(self.tr("Restore the chosen backup…"))
        self.restore_button.setObjectName("restoreButton")
        self.check_button = QPushButton(self.tr("Check the database"))
        self.folder_button = QPushButton(self.tr("Open the folder"))
        buttons = QHBoxLayout()
        for b in (self.backup_button, self.restore_button, self.check_button,
                  self.folder_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(hint_label(self.tr(
            "ClientCare backs the database up when it starts and when it closes, before "
            "an update and before each import, and keeps one backup a day and one a week "
            "(Settings, Rules). Copy the folder to another disk now and then.")))
        lay.addWidget(self.folder_label)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        lay.addWidget(self.status)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.check_button.clicked.connect(lambda: check_database(self, self.ops))
        self.folder_button.clicked.connect(self._open_folder)
        self.reload()

    def reload(self) -> None:
        folder = backup_dir_for(self.ops.db.path)
        self.folder_label.setText(self.tr("Folder: %1").replace("%1", str(folder)))
        self.backups = svc.list_backups(self.ops.db.path)
        t = self.table
        t.setRowCount(0)
        loc = self.locale()
        for b in self.backups:
            n = t.rowCount()
            t.insertRow(n)
            for col, text in enumerate((kind_label(b.kind), fmt_datetime(b.made_at, loc),
                                        size_text(b.size))):
                it = QTableWidgetItem(text)
                if col == 2:
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                        | Qt.AlignmentFlag.AlignVCenter)
                t.setItem(n, col, it)
        self.restore_button.setEnabled(bool(self.backups))

    def back_up_now(self) -> svc.BackupInfo | None:
        try:
            info = svc.routine_backup(self.ops.db, "manual")
        except DomainError as exc:
            show_error(self, exc)
            return None
        self.reload()
        self.status.setText(self.tr("Backed up to %1.").replace("%1", info.path.name))
        return info

    def selected(self) -> svc.BackupInfo | None:
        row = self.table.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def restore_selected(self) -> bool:
        b = self.selected()
        if b is None:
            self.status.setText(self.tr("Choose a backup in the list first."))
            return False
        answer = QMessageBox.question(
            self, self.tr("Restore a backup"),
            self.tr("Replace all data with the backup of %1?\n\nWhat is in the database "
                    "now is backed up first, so this can be undone by restoring that "
                    "backup.").replace("%1", fmt_datetime(b.made_at, self.locale())),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        if not restore_backup(self, self.ops, b.path):
            return False
        self.reload()
        self.status.setText(self.tr("Restored the backup of %1.").replace(
            "%1", fmt_datetime(b.made_at, self.locale())))
        return True

    def _open_folder(self) -> None:
        folder = backup_dir_for(self.ops.db.path)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.reload()
