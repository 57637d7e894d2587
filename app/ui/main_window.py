"""The main window: navigation on the left, one page at a time on the right.

Only the client list is built with the window (it is what start-up paints first); every
other page is built the first time it is shown (or asked for: ``window.today_page``).
Closing asks the open editors first, then waits for the work in progress and makes the
exit backup on the database executor behind a small dialog, then closes the database.

At start-up the window is first built without the database door (``MainWindow(None,
path=...)``, the module imports only Qt and light modules) and paints the list's first
page; :meth:`MainWindow.attach` then gives it the door: the menus and the other pages
wait until then (a page asked for meanwhile is shown once attached).
"""

from __future__ import annotations

import logging
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressDialog,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import palette
from app.text import subst
from app.ui import window_state
from app.ui.clients_page import ClientsPage

if TYPE_CHECKING:
    from app.ui.calendar_page import CalendarPage
    from app.ui.complaints_page import ComplaintsPage
    from app.ui.executor import Job
    from app.ui.ops import Ops
    from app.ui.settings_page import SettingsPage
    from app.ui.today_page import TodayPage

log = logging.getLogger(__name__)

#: where the window keeps its size, place and bars (QSettings)
STATE_KEY = "mainWindow"


class Page(IntEnum):
    """The pages, in the order of the navigation (Ctrl+1 … Ctrl+6)."""

    CLIENTS = 0
    TODAY = 1
    CALENDAR = 2
    COMPLAINTS = 3
    CHARTS = 4
    SETTINGS = 5


# lazy imports, for start-up speed: only the client list is built before the first
# paint, so the other pages (and matplotlib, ~0.6 s, for Charts) are imported when they
# are first shown, and the import and export dialogs when first asked for
def _today_page(ops: Ops) -> QWidget:
    from app.ui.printing import DayListActions  # lazy: start-up
    from app.ui.today_page import TodayPage  # lazy: start-up
    page = TodayPage(ops)
    page.print_actions = DayListActions(page)  # Print…, Save as PDF…, Ctrl+P
    return page


def _calendar_page(ops: Ops) -> QWidget:
    from app.ui.calendar_page import CalendarPage  # lazy: start-up
    return CalendarPage(ops)


def _complaints_page(ops: Ops) -> QWidget:
    from app.ui.complaints_page import ComplaintsPage  # lazy: start-up
    return ComplaintsPage(ops)


def _charts_page(ops: Ops) -> QWidget:
    from app.ui.charts_page import ChartsPage  # lazy: start-up (matplotlib)
    return ChartsPage(ops)


def _settings_page(ops: Ops) -> QWidget:
    from app.ui.settings_page import SettingsPage  # lazy: start-up
    return SettingsPage(ops)


def _import(window: QWidget, ops: Ops) -> None:
    from app.ui.import_wizard import run_import_wizard  # lazy: start-up
    if not ops.refuse_read_only(window) and run_import_wizard(window, ops) is not None:
        risk = getattr(window, "risk", None)
        if risk is not None:  # the imported purchases: the risk scores again
            risk.refresh()


def _export(window: QWidget, ops: Ops) -> None:
    from app.ui.data_dialogs import export_tables  # lazy: start-up
    export_tables(window, ops)


class MainWindow(QMainWindow):
    def __init__(self, ops: Ops | None, parent=None, *, path: Path | None = None) -> None:
        """The window on ``ops``; or, with ``ops=None``, the window of the database at
        ``path`` (writable) before the door is attached (:meth:`attach`)."""
        super().__init__(parent)
        self.ops = ops
        name = ops.db.title if ops is not None else Path(path or "").name
        where = ops.db.where if ops is not None else str(path)
        read_only = ops is not None and ops.db.read_only
        self.setObjectName("mainWindow")
        title = subst(self.tr("ClientCare — %1"), name)
        if read_only:
            title += " " + self.tr("(read-only)")
        self.setWindowTitle(title)
        self.resize(1280, 720)
        self.setMinimumSize(QSize(900, 560))
        #: set when the database was found damaged and not restored: no exit backup
        self.skip_exit_backup = False
        self._closing = False  # the close was asked and is under way (backup, jobs)
        self._may_close = False  # everything is done: the next close really closes
        self._closing_dialog: QProgressDialog | None = None
        self._close_asked = False  # closed before the door was attached: close then
        self._page_asked: Page | None = None  # shown before attached: build it then

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.nav.setSpacing(2)
        self.pages = QStackedWidget()
        self._built: dict[Page, QWidget] = {}
        self._builders = {
            Page.CLIENTS: lambda: ClientsPage(self.ops),
            Page.TODAY: lambda: _today_page(self.ops),
            Page.CALENDAR: lambda: _calendar_page(self.ops),
            Page.COMPLAINTS: lambda: _complaints_page(self.ops),
            Page.CHARTS: lambda: _charts_page(self.ops),
            Page.SETTINGS: lambda: _settings_page(self.ops),
        }
        titles = {
            Page.CLIENTS: self.tr("Clients"),
            Page.TODAY: self.tr("Today"),
            Page.CALENDAR: self.tr("Calendar"),
            Page.COMPLAINTS: self.tr("Complaints"),
            Page.CHARTS: self.tr("Charts"),
            Page.SETTINGS: self.tr("Settings"),
        }
        for page in Page:
            title = titles[page]
            item = QListWidgetItem(title)
            item.setSizeHint(QSize(150, 34))
            item.setToolTip(subst(self.tr("%1 (Ctrl+%2)"), title, page + 1))
            self.nav.addItem(item)
            holder = QWidget()  # stands in until the page is first shown
            holder.setObjectName(f"pageHolder{page.name.title()}")
            self.pages.addWidget(holder)
            act = QAction(self)
            act.setShortcut(QKeySequence(f"Ctrl+{page + 1}"))
            act.triggered.connect(lambda _=False, row=int(page): self.nav.setCurrentRow(row))
            self.addAction(act)
        self.nav.currentRowChanged.connect(self._show_page)
        self.nav.setCurrentRow(Page.CLIENTS)

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(4, 4, 4, 0)
        self.read_only_banner = QLabel(self.read_only_text() if ops is not None else "")
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet(
            f"QLabel#readOnlyBanner {{ background: {palette.BANNER_BACKGROUND}; "
            f"color: {palette.BANNER_TEXT}; border: 1px solid {palette.BANNER_BORDER}; "
            "border-radius: 3px; padding: 6px 10px; }")
        self.read_only_banner.setVisible(read_only)
        column.addWidget(self.read_only_banner)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        column.addLayout(row, 1)
        self.setCentralWidget(central)
        self._waiting = self._menus()  # the menu entries that need the door
        self.busy = None
        self.statusBar().showMessage(
            subst(self.tr("Read-only: %1"), where) if read_only else where)
        window_state.restore_window_state(STATE_KEY, self)
        self.clients_page.table.setFocus()
        if ops is not None:
            self._attach_window(ops)
        else:
            for act in self._waiting:
                act.setEnabled(False)

    # ------------------------------------------------------------------ the door, attached
    @property
    def attached(self) -> bool:
        return self.ops is not None

    def attach(self, ops: Ops) -> None:
        """Give the window built without it its database door: the client list reads
        through it (its first page stays until the same rows arrive), the menus work, a
        page asked for meanwhile is shown, a close asked for meanwhile goes on."""
        self.ops = ops
        self._attach_window(ops)
        for act in self._waiting:
            act.setEnabled(True)
        self.clients_page.attach(ops)
        if self._page_asked is not None:
            self._show_page(self._page_asked)
        if self._close_asked:
            self.close()

    def _attach_window(self, ops: Ops) -> None:
        from app.ui.progress import BusyIndicator  # lazy: start-up (imported once attached)
        from app.ui.risk_refresh import RiskRefresher  # lazy: start-up
        self.busy = BusyIndicator(ops.executor)
        self.statusBar().addPermanentWidget(self.busy)
        # the risk scores, recomputed after the start of a day and after an import
        self.risk = RiskRefresher(ops, self)
        self.risk_line = QLabel()
        self.risk_line.setObjectName("riskProgress")
        self.statusBar().addPermanentWidget(self.risk_line)
        self.risk.progressed.connect(self.risk_line.setText)
        self.apply_role(ops.db.actor)
        ops.go_live()

    def apply_role(self, actor) -> None:
        """The person signed in: named in the status bar, and the pages and menu entries
        their role may not use are greyed with the reason (the services refuse those
        actions all the same, app/services/access.py)."""
        from app.services.access import Action  # lazy: start-up

        if actor is None:
            return
        from app.ui.labels import role_label  # lazy: start-up
        line = QLabel(subst(self.tr("Signed in: %1 (%2)"), actor.name, role_label(actor.role)))
        line.setObjectName("signedIn")
        self.statusBar().addPermanentWidget(line)
        closed = {Page.CHARTS: (Action.CHARTS, self.tr("The charts are for managers and the "
                                                       "owner.")),
                  Page.SETTINGS: (Action.SETTINGS, self.tr("The settings are the owner's."))}
        for page, (action, why) in closed.items():
            if not actor.may(action):
                item = self.nav.item(page)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(why)
        for act, action in ((self._import_act, Action.IMPORT),
                            (self._export_act, Action.EXPORT)):
            if not actor.may(action):
                act.setEnabled(False)
                self._waiting = [a for a in self._waiting if a is not act]
        self._password_act.setVisible(True)

    # ------------------------------------------------------------------ pages, built when first shown
    def page(self, which: Page) -> QWidget:
        """The page, built now if it was not yet (its first show, or a caller's need)."""
        built = self._built.get(which)
        if built is not None:
            return built
        page = self._builders[which]()
        self._built[which] = page
        holder = self.pages.widget(which)
        current = self.pages.currentIndex()
        self.pages.insertWidget(which, page)
        self.pages.removeWidget(holder)
        holder.deleteLater()
        if current == which:
            self.pages.setCurrentIndex(which)
        self._connect(which, page)
        if which != Page.CLIENTS:  # the start froze the list with the window
            # lazy: start-up (the quick start paints the list before the executor's
            # module is imported); a page lives as long as the window: out of the
            # collector's reach once built, so no later full collection walks it (nor
            # the modules its first build imported)
            from app.ui.executor import keep_for_good
            QTimer.singleShot(0, keep_for_good)  # the next turn: the build is over
        return page

    def built_pages(self) -> list[Page]:
        return list(self._built)

    def _connect(self, which: Page, page: QWidget) -> None:
        if which in (Page.TODAY, Page.CALENDAR, Page.CHARTS):
            page.client_open_requested.connect(self.clients_page.open_client)
        if which == Page.TODAY:
            page.quarterly_review_requested.connect(self.show_quarterly_review)

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        if self.ops is None and row != Page.CLIENTS:
            self._page_asked = Page(row)  # built and shown once attached
            return
        self._page_asked = None
        item = self.nav.item(row)
        if not item.flags() & Qt.ItemFlag.ItemIsEnabled:  # closed to this role (Ctrl+N)
            self.statusBar().showMessage(item.toolTip(), 8000)
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(self.pages.currentIndex())
            self.nav.blockSignals(False)
            return
        self.page(Page(row))
        self.pages.setCurrentIndex(row)

    @property
    def clients_page(self) -> ClientsPage:
        return self.page(Page.CLIENTS)

    @property
    def today_page(self) -> TodayPage:
        return self.page(Page.TODAY)

    @property
    def calendar_page(self) -> CalendarPage:
        return self.page(Page.CALENDAR)

    @property
    def complaints_page(self) -> ComplaintsPage:
        return self.page(Page.COMPLAINTS)

    @property
    def charts_page(self):  # -> ChartsPage (imported when first built)
        return self.page(Page.CHARTS)

    @property
    def settings_page(self) -> SettingsPage:
        return self.page(Page.SETTINGS)

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

    def _menus(self) -> list[QAction]:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        backup_act = file_menu.addAction(self.tr("&Back up now"))
        backup_act.triggered.connect(self._back_up_now)
        check_act = file_menu.addAction(self.tr("&Check the database…"))
        check_act.triggered.connect(lambda: self.settings_page.backups.check())
        import_act = file_menu.addAction(self.tr("&Import…"))
        import_act.triggered.connect(
            lambda: _import(self, self.ops))
        export_act = file_menu.addAction(self.tr("&Export…"))
        export_act.triggered.connect(lambda: _export(self, self.ops))
        self._import_act, self._export_act = import_act, export_act
        file_menu.addSeparator()
        self._password_act = file_menu.addAction(self.tr("Change my &password…"))
        self._password_act.setObjectName("changePasswordAction")
        self._password_act.setVisible(False)  # shown once somebody is signed in
        self._password_act.triggered.connect(self._change_password)
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
        updates = help_menu.addAction(self.tr("Check for &updates…"))
        updates.setObjectName("checkUpdatesAction")
        updates.triggered.connect(lambda: self.updates_asker().ask())
        about = help_menu.addAction(self.tr("&About ClientCare"))
        about.setObjectName("aboutAction")
        about.triggered.connect(self._about)
        return [backup_act, check_act, import_act, export_act, new_act]

    def _change_password(self) -> None:
        from app.ui.sign_in import PasswordDialog  # lazy: argon2 only where needed
        actor = self.ops.db.actor
        if actor is not None:
            PasswordDialog(self.ops.db, actor.staff_id, actor.name, self).exec()

    def _new_client(self) -> None:
        self.nav.setCurrentRow(Page.CLIENTS)
        self.clients_page.new_client()

    def updates_asker(self):
        """Help → Check for updates (app/ui/about.py), made when first asked for."""
        if getattr(self, "_updates", None) is None:
            from app.ui.about import UpdatesAsker  # lazy: start-up
            self._updates = UpdatesAsker(self)
        return self._updates

    def _about(self) -> None:
        from app.ui.about import AboutDialog  # lazy: start-up
        path = self.ops.db.where if self.ops is not None else None  # a file or a server
        AboutDialog(self, path, self.updates_asker()).exec()

    def show_quarterly_review(self) -> None:
        self.nav.setCurrentRow(Page.CHARTS)
        charts = self.charts_page  # built now if it was not
        # lazy: start-up (matplotlib); the line above imported it already
        from app.ui.charts_page import ChartsTab
        charts.tabs.setCurrentIndex(ChartsTab.REVIEW)

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

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Ask the open editors (Cancel keeps the window open), then wait for the work in
        progress and make the exit backup on the executor behind a small dialog (the
        window keeps painting), then close the database and the window."""
        if self._may_close:
            super().closeEvent(event)
            return
        event.ignore()
        if self.ops is None:
            self._close_asked = True  # the door is on its way: close once it is there
            return
        if self._closing:
            return  # already on its way out
        if not self.ops.close_editors():
            self._close_after_saves()
            return  # an editor stays open: its work is not lost
        self._closing = True
        if getattr(self, "risk", None) is not None:
            self.risk.cancel()  # nothing of a refresh is kept half-written
        window_state.save_window_state(STATE_KEY, self)
        self.clients_page.remember_phones()
        job = self._submit_exit_backup()
        if job is None and not self.ops.executor.busy:  # nothing to wait for: close now
            self._release()
            event.accept()
            super().closeEvent(event)
            return
        dialog = QProgressDialog(self.tr("Backing up before closing…"), "", 0, 0, self)
        dialog.setObjectName("closingDialog")
        dialog.setWindowTitle(self.tr("ClientCare"))
        dialog.setCancelButton(None)  # the backup is short and must not be cut off
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)  # a short backup shows no dialog at all
        dialog.setValue(0)  # starts the dialog's own 300 ms timer
        self._closing_dialog = dialog
        self.ops.executor.idle.connect(self._finish_close)

    def _close_after_saves(self) -> None:
        """An editor asked to save on the way out (a card: "Save" in its question) saves
        in the background and closes when stored: the quit goes on then. Refused, the
        editor stays open with its message and the window stays too."""
        for editor in self.ops.open_editors():
            if getattr(editor, "saving", False):
                editor.save_ended.connect(self._on_editor_save_ended,
                                          Qt.ConnectionType.SingleShotConnection)

    def _on_editor_save_ended(self, stored: bool) -> None:
        if stored:
            QTimer.singleShot(0, self.close)  # once the editor has closed

    def _submit_exit_backup(self) -> Job | None:
        """The exit backup as a job on the one database executor, queued after the work
        in progress (skipped when nothing changed since the last backup). None when no
        backup is due: a read-only file, or a damaged one that was not restored."""
        if self.ops.db.read_only or self.skip_exit_backup or self.ops.db.on_server:
            return None

        def failed(exc) -> None:  # closing goes on: the file is as safe as it was
            log.warning("the exit backup failed: %s", exc)

        from app.ui.worded_progress import submit_routine_backup  # lazy: start-up

        return submit_routine_backup(self.ops, self, "exit",
                                     self.tr("Backing up before closing…"), on_error=failed)

    def _finish_close(self) -> None:
        if self.ops.executor.busy:
            return  # work queued meanwhile: the next idle comes back here
        self.ops.executor.idle.disconnect(self._finish_close)
        if self._closing_dialog is not None:
            self._closing_dialog.close()
            self._closing_dialog.deleteLater()
            self._closing_dialog = None
        self._release()
        self.close()  # outside the first closeEvent: this one goes through

    def close_unattached(self) -> None:
        """Close a window whose door never came (its database could not be opened)."""
        self._may_close = True
        self.close()

    def _release(self) -> None:
        self.ops.stop_live()
        self.ops.db.close()
        self._may_close = True

    @property
    def closing(self) -> bool:
        """The user asked to close and no editor kept the window open."""
        return self._closing

    @property
    def closed(self) -> bool:
        """The close went through: the database is closed."""
        return self._may_close
