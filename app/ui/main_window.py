"""The main window: navigation on the left, one page at a time on the right."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__, palette
from app.text import subst
from app.ui.calendar_page import CalendarPage
from app.ui.charts_page import ChartsPage, ChartsTab
from app.ui.clients_page import ClientsPage
from app.ui.complaints_page import ComplaintsPage
from app.ui.data_dialogs import export_tables
from app.ui.import_wizard import run_import_wizard
from app.ui.ops import Ops
from app.ui.settings_page import SettingsPage
from app.ui.today_page import TodayPage


class Page(IntEnum):
    """The pages of the navigation, in their order (Ctrl+1 … Ctrl+6)."""

    CLIENTS = 0
    TODAY = 1
    CALENDAR = 2
    COMPLAINTS = 3
    CHARTS = 4
    SETTINGS = 5

class MainWindow(QMainWindow):
    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setObjectName("mainWindow")
        title = subst(self.tr("ClientCare — %1"), ops.db.path.name)
        if ops.db.read_only:
            title += " " + self.tr("(read-only)")
        self.setWindowTitle(title)
        self.resize(1280, 720)
        self.setMinimumSize(QSize(900, 560))

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.nav.setSpacing(2)
        self.pages = QStackedWidget()
        self.clients_page = ClientsPage(ops)
        self.today_page = TodayPage(ops)
        self.today_page.client_open_requested.connect(self.clients_page.open_client)
        self.calendar_page = CalendarPage(ops)
        self.calendar_page.client_open_requested.connect(self.clients_page.open_client)
        self.complaints_page = ComplaintsPage(ops)
        self.settings_page = SettingsPage(ops)
        self.charts_page = ChartsPage(ops)
        self.charts_page.client_open_requested.connect(self.clients_page.open_client)
        self.today_page.quarterly_review_requested.connect(self.show_quarterly_review)
        entries = {
            Page.CLIENTS: (self.tr("Clients"), self.clients_page),
            Page.TODAY: (self.tr("Today"), self.today_page),
            Page.CALENDAR: (self.tr("Calendar"), self.calendar_page),
            Page.COMPLAINTS: (self.tr("Complaints"), self.complaints_page),
            Page.CHARTS: (self.tr("Charts"), self.charts_page),
            Page.SETTINGS: (self.tr("Settings"), self.settings_page),
        }
        for i in Page:
            title, page = entries[i]
            item = QListWidgetItem(title)
            item.setSizeHint(QSize(150, 34))
            item.setToolTip(subst(self.tr("%1 (Ctrl+%2)"), title, i + 1))
            self.nav.addItem(item)
            self.pages.addWidget(page)
            act = QAction(self)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.triggered.connect(lambda _=False, row=i: self.nav.setCurrentRow(row))
            self.addAction(act)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(Page.CLIENTS)

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(4, 4, 4, 0)
        self.read_only_banner = QLabel(self.read_only_text())
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet(
            f"QLabel#readOnlyBanner {{ background: {palette.BANNER_BACKGROUND}; "
            f"color: {palette.BANNER_TEXT}; border: 1px solid {palette.BANNER_BORDER}; "
            "border-radius: 3px; padding: 6px 10px; }")
        self.read_only_banner.setVisible(ops.db.read_only)
        column.addWidget(self.read_only_banner)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        column.addLayout(row, 1)
        self.setCentralWidget(central)
        self._menus()
        self.statusBar().showMessage(
            subst(self.tr("Read-only: %1"), ops.db.path) if ops.db.read_only
            else str(ops.db.path))
        self.clients_page.table.setFocus()

    def read_only_text(self) -> str:
        """Why nothing can be saved, in words (empty when the database is writable)."""
        db = self.ops.db
        if not db.read_only:
            return ""
        why = {"file": self.tr("the file is read-only"),
               "folder": self.tr("its folder is read-only")}.get(
            db.read_only_reason or "", self.tr("as asked at start"))
        return subst(self.tr("Nothing can be saved: this database is open read-only (%1). You "
                       "can look and search; no backup is made. To work on it, copy the "
                       "file to a folder you can write to and open the copy."), why)

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        backup_act = file_menu.addAction(self.tr("&Back up now"))
        backup_act.triggered.connect(self._back_up_now)
        check_act = file_menu.addAction(self.tr("&Check the database…"))
        check_act.triggered.connect(self.settings_page.backups.check)
        import_act = file_menu.addAction(self.tr("&Import…"))
        import_act.triggered.connect(
            lambda: self.ops.refuse_read_only(self) or run_import_wizard(self, self.ops))
        export_act = file_menu.addAction(self.tr("&Export…"))
        export_act.triggered.connect(lambda: export_tables(self, self.ops))
        file_menu.addSeparator()
        quit_act = file_menu.addAction(self.tr("&Quit"))
        quit_act.setShortcut(QKeySequence.StandardKey.Quit)
        quit_act.triggered.connect(self.close)
        clients = self.menuBar().addMenu(self.tr("&Clients"))
        new_act = clients.addAction(self.tr("&New client"))
        new_act.setShortcut(QKeySequence.StandardKey.New)
        new_act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the page owns Ctrl+N
        new_act.triggered.connect(self._new_client)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = help_menu.addAction(self.tr("&About ClientCare"))
        about.triggered.connect(self._about)

    def _new_client(self) -> None:
        self.nav.setCurrentRow(Page.CLIENTS)
        self.clients_page.new_client()

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About ClientCare"), subst(self.tr(
            "<h3>ClientCare %1</h3><p>Keep the clients you already have.</p>"
            "<p>Database: %2</p>"), __version__, self.ops.db.path))

    def show_quarterly_review(self) -> None:
        self.nav.setCurrentRow(Page.CHARTS)
        self.charts_page.tabs.setCurrentIndex(ChartsTab.REVIEW)

    def _back_up_now(self) -> None:
        if self.ops.refuse_read_only(self):
            return
        backups = self.settings_page.backups

        def done(info) -> None:
            backups.backup_finished.disconnect(done)
            if info is not None:
                self.statusBar().showMessage(subst(self.tr("Backed up to %1"), info.path), 10000)

        if backups.back_up_now() is not None:
            backups.backup_finished.connect(done)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if not self.ops.db.read_only:  # a file that could not change needs no new backup
            self.settings_page.backups.back_up_at_exit()
        self.ops.db.close()
        super().closeEvent(event)
