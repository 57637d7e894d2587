"""Settings → Backups on an office server (issue 17): pg_dump into a folder of this PC,
the dumps listed, and how to restore one. The same entry points the window uses on a
file (``back_up_now``, ``check``, ``backup_finished``), so the File menu works alike."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import palette
from app.errors import DomainError
from app.services import server_backup
from app.text import subst
from app.ui.executor import Job
from app.ui.formatting import fmt_datetime
from app.ui.ops import Ops, show_error
from app.ui.widgets import hint_label, make_table

log = logging.getLogger(__name__)
C = QCoreApplication


class ServerBackupSettings(QWidget):
    backup_finished = Signal(object)  # ServerBackup or None
    check_finished = Signal(bool)

    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.url = ops.db.engine.url
        self.folder = server_backup.backup_folder(self.url)
        self.program_label = QLabel()
        self.program_label.setObjectName("pgDumpProgram")
        self.program_label.setWordWrap(True)
        self.folder_label = QLabel(subst(self.tr("Folder: %1"), self.folder))
        self.folder_label.setWordWrap(True)
        self.table = make_table([self.tr("File"), self.tr("When"), self.tr("Size")],
                                "serverBackupsTable", fit_columns=True)
        self.status = QLabel()
        self.status.setObjectName("backupStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet(f"color: {palette.SUCCESS};")
        self.backup_button = QPushButton(self.tr("Back up now"))
        self.restore_button = QPushButton(self.tr("How to restore the chosen backup…"))
        self.restore_button.setObjectName("restoreHowButton")
        self.folder_button = QPushButton(self.tr("Open the folder"))
        row = QHBoxLayout()
        for b in (self.backup_button, self.restore_button, self.folder_button):
            row.addWidget(b)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(hint_label(self.tr(
            "This window works on an office server, so the server's database is backed "
            "up with PostgreSQL's pg_dump: here when you ask, and every night on the "
            "server itself when it is scheduled there (the README says how). Every PC "
            "keeps its own copies in the folder below.")))
        lay.addWidget(self.program_label)
        lay.addWidget(self.folder_label)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(self.status)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.show_restore)
        self.folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder))))
        self.reload()

    def reload(self) -> None:
        program = server_backup.pg_dump_program()
        self.program_label.setText(
            subst(self.tr("pg_dump: %1"), program) if program else self.tr(
                "pg_dump is not installed on this PC: install PostgreSQL's client programs "
                "to back up from here, or schedule pg_dump on the server."))
        self.backup_button.setEnabled(program is not None)
        self.backups = server_backup.list_dumps(self.folder)
        self.table.setRowCount(len(self.backups))
        loc = self.locale()
        for i, b in enumerate(self.backups):
            for col, text in enumerate((b.path.name, fmt_datetime(b.made, loc),
                                        loc.formattedDataSize(b.size))):
                self.table.setItem(i, col, QTableWidgetItem(text))
        self.restore_button.setEnabled(bool(self.backups))

    def back_up_now(self) -> Job | None:
        url = self.url
        self.backup_button.setEnabled(False)
        self.status.setText(self.tr("Backing up the server's database…"))

        def done(made: server_backup.ServerBackup) -> None:
            self.reload()
            self.status.setText(subst(self.tr("Backed up to %1."), made.path.name))
            self.backup_finished.emit(made)

        def failed(exc: DomainError) -> None:
            self.reload()
            self.status.setText("")
            show_error(self, exc)
            self.backup_finished.emit(None)

        # a subprocess, not a Session: the window's writes wait behind it on the executor,
        # so a dump of the server never runs beside an import of this window
        return self.ops.submit_task(self, lambda _job: server_backup.dump(url, self.folder),
                                    label=self.tr("Backing up the server's database…"),
                                    on_done=done, on_error=failed)

    def show_restore(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        backup = self.backups[rows[0].row()] if rows else (self.backups or [None])[0]
        if backup is None:
            return
        QMessageBox.information(self, self.tr("Restore a backup of the server"), subst(self.tr(
            "A restore replaces the shared database for every PC, so it is done on the "
            "server by whoever runs it, with every ClientCare window closed:\n\n%1\n\n"
            "Then open ClientCare again on each PC."),
            server_backup.restore_command(backup.path, self.url)))

    def check(self) -> None:
        """The file's integrity check has no meaning on a server: it says so."""
        QMessageBox.information(self, self.tr("Check the database"), self.tr(
            "The office server keeps its own database consistent (PostgreSQL checks every "
            "page it reads). Its administrator can check it with pg_amcheck."))
        self.check_finished.emit(True)
