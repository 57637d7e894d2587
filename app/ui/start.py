"""Start-up's part that needs the database: opening it (or saying why not), the read-only
question, and what runs in the background once the window is painted (:class:`BackgroundStart`):
the quick check, the first use, the erasure log applied again, the start of the day and the
start backup. The pages update from the changes each step announces.

Imported after the first paint on a quick start (``app/ui/app.py``), before the window on the
usual one; ``app.ui.app`` re-exports every name.
"""

from __future__ import annotations

import importlib
import logging
import sqlite3
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLocale,
    QObject,
    QStandardPaths,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.config import is_server_url
from app.db import (
    Database,
    copy_read_only,
    not_writable,
    open_database,
    open_read_only,
    quick_check,
    write_error,
)
from app.errors import DatabaseOpenError, DomainError
from app.models import Client
from app.server import open_server
from app.services import backups, erasure, restoring, segments, startup
from app.services import clients as client_service
from app.text import subst
from app.ui import day_notice
from app.ui.executor import keep_for_good
from app.ui.first_paint import FirstPaint
from app.ui.main_window import MainWindow
from app.ui.messages import error_text
from app.ui.ops import Changes, Ops, show_error
from app.ui.progress import show_progress
from app.ui.worded_progress import submit_routine_backup

log = logging.getLogger(__name__)


def locale_facts(locale: QLocale, *, stand_in: bool = False) -> startup.LocaleFacts:
    """What the system's locale says about the business, as plain values for
    :func:`app.services.startup.first_use` (no Qt below app/ui)."""
    return startup.LocaleFacts(
        owner_name=QCoreApplication.translate("App", "Owner"),
        region=QLocale.territoryToCode(locale.territory()),
        currency=locale.currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode),
        stand_in=stand_in)


def first_use(db: Database, locale: QLocale, *, guess_region: bool = True) -> None:
    """:func:`app.services.startup.first_use` on ``db`` now, with the facts of
    ``locale`` (``guess_region=False``: the locale is a stand-in, see pick_locale)."""
    with db.session() as s:
        startup.first_use(s, locale_facts(locale, stand_in=not guess_region))


def start_of_day(db: Database, today: date | None = None) -> startup.StartOfDay:
    """:func:`app.services.startup.start_of_day` on ``db`` now (the window runs it in
    the background: :class:`BackgroundStart`)."""
    with db.session() as s:
        return startup.start_of_day(s, today)


def _box(icon, text: str, buttons, default):
    """A message box with a default button (a seam the tests patch)."""
    box = QMessageBox(icon, QCoreApplication.translate("App", "ClientCare"), text, buttons)
    box.setDefaultButton(default)
    return box.exec()


def _with_close(box: QMessageBox, default) -> QMessageBox:
    """The question's last button, Close (also what Esc answers), and its default."""
    close = box.addButton(QMessageBox.StandardButton.Close)
    close.setObjectName(CLOSE)
    box.setDefaultButton(default)
    box.setEscapeButton(close)
    return box


def _answer(box: QMessageBox) -> str:
    """Ask the question; the object name of the button clicked (Esc: CLOSE)."""
    try:
        box.exec()
        clicked = box.clickedButton()
        return clicked.objectName() if clicked is not None else CLOSE
    finally:
        box.deleteLater()


# the answers to the read-only question (ask_read_only)
OPEN_READ_ONLY, COPY_ELSEWHERE, CLOSE = "read_only", "copy", "close"


def read_only_question(path: Path, reason: str) -> QMessageBox:
    """The question asked when the database cannot be written: open it read-only (the
    default: it changes nothing), copy it to a folder that can be written and open the
    copy, or close."""
    if reason == "file":
        why = QCoreApplication.translate("App", "The file “%1” is read-only.")
    else:
        why = QCoreApplication.translate(
            "App", "The folder of “%1” is read-only: ClientCare cannot save there.")
    box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("App", "ClientCare"),
                      subst(why, path))
    box.setInformativeText(QCoreApplication.translate(
        "App", "Nothing in it was changed. You can look at it read-only (nothing can be "
        "saved then), or copy it to a folder you can write to and work on the copy."))
    box.setObjectName("readOnlyQuestion")
    read_only = box.addButton(QCoreApplication.translate("App", "Open read-only"),
                              QMessageBox.ButtonRole.AcceptRole)
    read_only.setObjectName(OPEN_READ_ONLY)
    copy = box.addButton(QCoreApplication.translate("App", "Copy to another folder…"),
                         QMessageBox.ButtonRole.ActionRole)
    copy.setObjectName(COPY_ELSEWHERE)
    return _with_close(box, read_only)


def ask_read_only(path: Path, reason: str) -> str:
    """Ask :func:`read_only_question`; returns OPEN_READ_ONLY, COPY_ELSEWHERE or CLOSE."""
    return _answer(read_only_question(path, reason))


def choose_copy_target(path: Path) -> Path | None:
    """Where to copy a database that cannot be written (a seam the tests patch)."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    name, _ = QFileDialog.getSaveFileName(
        None, QCoreApplication.translate("App", "Copy the database to"),
        str(Path(docs or Path.home()) / path.name),
        QCoreApplication.translate("App", "ClientCare database (*.sqlite *.db)"))
    return Path(name) if name else None


def offer_read_only(path: Path, reason: str):
    """The database cannot be written: ask, then open it read-only, open a copy made in
    a folder the user chose, or nothing (None). Never writes to ``path``."""
    while True:
        answer = ask_read_only(path, reason)
        if answer == OPEN_READ_ONLY:
            return open_read_only(path, reason=reason)
        if answer != COPY_ELSEWHERE:
            return None
        target = choose_copy_target(path)
        if target is None:
            continue  # back to the question
        if target.expanduser().resolve() == path:
            continue  # not "another" folder: the same file cannot be written
        copy_read_only(path, target)
        return open_or_recover(target)


def open_or_recover(db_path: Path, *, check: bool = True):
    """Open the database, or say why not in the user's words. Returns None when it was
    not opened. ``check=False``: no quick check before the open (the window runs it in
    the background once the client list is painted: :class:`BackgroundStart`).

    Only a check that actually reports damage calls a file damaged; then the user may
    pick a backup to restore (nothing is restored by default; the default button closes
    without a change). A locked file offers to try again. A healthy file that cannot be
    written (a read-only file or folder) is offered read-only (:func:`offer_read_only`);
    one that cannot be opened at all says so (choose another folder); nothing is
    changed."""
    path = db_path.expanduser().resolve()
    buttons = QMessageBox.StandardButton
    reason = not_writable(path)
    if reason is not None:
        return offer_read_only(path, reason)
    while True:
        try:
            return open_database(path, check=check)
        except DatabaseOpenError as exc:
            if exc.code == "db.read_only" and path.is_file():
                return offer_read_only(path, not_writable(path) or "file")
            if exc.code == "db.locked":
                answer = _box(QMessageBox.Icon.Warning, error_text(exc) + "\n\n"
                              + QCoreApplication.translate(
                                  "App", "Wait a moment, then try again."),
                              buttons.Retry | buttons.Close, buttons.Retry)
                if answer == buttons.Retry:
                    continue
                return None
            if exc.code != "db.damaged":
                raise
            chosen = pick_backup_for_damaged(None, path, exc)
            if chosen is None:
                return None
            restoring.restore_backup(path, chosen.path)
            return open_database(path)


def pick_backup_for_damaged(parent, path: Path,
                            error: DomainError) -> backups.BackupInfo | None:
    """A damaged file: the user may pick a good backup to restore (None: none chosen).
    Raises ``error`` again when there is no good backup to offer."""
    good = backups.good_backups(path)
    if not good:
        raise error
    # lazy: start-up, the backup settings are not needed unless the file is damaged
    from app.ui.backup_settings import BackupPickerDialog
    return BackupPickerDialog.ask(parent, error_text(error) + "\n\n" + QCoreApplication
                                  .translate("App", "You may restore a backup: choose one "
                                             "in the list. The damaged file is kept aside, "
                                             "not deleted."), good)


def _fail(error: DomainError, db: Database | None = None) -> None:
    if db is not None:
        db.close()
    QMessageBox.critical(None, QCoreApplication.translate("App", "ClientCare"),
                         error_text(error))


# the answers to the question of a server that cannot be reached (ask_connection)
RETRY, OPEN_FILE = "retry", "open_file"


def connection_question(error: DomainError, *, offer_file: bool = True) -> QMessageBox:
    """The server did not answer, or refused: what it said, and Retry (the default: a
    network that comes back a minute later needs no restart), Open this PC's file (so a
    shop is never locked out while the server is down) or Close."""
    text = error_text(error) + "\n\n" + QCoreApplication.translate(
        "App", "Check that the office server is on and this PC is on its network, or ask "
        "whoever set it up for the address, user and password.")
    box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("App", "ClientCare"),
                      text)
    box.setObjectName("connectionQuestion")
    retry = box.addButton(QMessageBox.StandardButton.Retry)
    retry.setObjectName(RETRY)
    if offer_file:
        box.setInformativeText(QCoreApplication.translate(
            "App", "Meanwhile you can work on this PC's own file: what you save there stays "
            "on this PC and does not reach the server."))
        own = box.addButton(QCoreApplication.translate("App", "Open this PC's file"),
                            QMessageBox.ButtonRole.ActionRole)
        own.setObjectName(OPEN_FILE)
    return _with_close(box, retry)


def ask_connection(error: DomainError, *, offer_file: bool = True) -> str:
    """Ask :func:`connection_question`; returns RETRY, OPEN_FILE or CLOSE."""
    return _answer(connection_question(error, offer_file=offer_file))


def open_server_or_ask(url: str, *, offer_file: bool = True):
    """Open an office server's database for the window, asking Retry, Open this PC's
    file or Close while it cannot be reached. Returns the Database, OPEN_FILE (the user
    chose this PC's own file) or None (closed)."""
    while True:
        try:
            return open_server(url)
        except DomainError as exc:
            error = exc
        except SQLAlchemyError as exc:  # the server answered with an error of its own
            log.warning("cannot open the server's database: %s", exc)
            error = write_error(exc)
        log.warning("server database not opened: %s", error)
        answer = ask_connection(error, offer_file=offer_file)
        if answer == OPEN_FILE:
            return OPEN_FILE
        if answer != RETRY:
            return None


def prepare_database(db_path: Path | str, locale: QLocale | None = None, *, demo: bool = False,
                     read_only: bool = False, check: bool = True):
    """Open the database for the window; every failure is a message in the user's
    language (a busy, read-only or full database included), never "something
    unexpected". Returns the open Database or None. Nothing is written but a migration
    (after its backup): the first use, the erasure log and the start of the day run in
    the background once the window is painted (:class:`BackgroundStart`). ``check=False``:
    the quick check runs there too. ``read_only`` (or a database that cannot be written,
    opened read-only at the user's choice): nothing is written at all. A server that
    cannot be reached may be answered with this PC's own file: then OPEN_FILE."""
    if is_server_url(db_path):
        return open_server_or_ask(str(db_path))
    db = None
    try:
        if demo:
            # lazy: start-up, faker (the demo data) is slow to import; only --demo needs it
            from app.services.demo_file import create_demo_file
            create_demo_file(db_path, locale=(locale or QLocale()).name())
        db = (open_read_only(Path(db_path), reason="asked") if read_only
              else open_or_recover(Path(db_path), check=check))
        return db
    except DomainError as exc:
        error = exc
    except (SQLAlchemyError, sqlite3.Error) as exc:
        log.warning("cannot prepare the database: %s", exc)
        error = write_error(exc)
    _fail(error, db)
    return None


class BackgroundStart(QObject):
    """What start-up does once the window is painted, each step a job on the database
    executor after the one before (so a damaged file stops the rest): the quick check,
    the first use, the erasure log applied again, the start of the day (the status bar's
    busy line says so), the start backup. A step that fails says why and stops the rest;
    a backup that fails is only logged (it never stops work)."""

    finished = Signal(bool)  # True: every step ran

    def __init__(self, window: MainWindow, facts: startup.LocaleFacts,
                 today: date | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.ops: Ops = window.ops
        self.facts = facts
        self.today = today
        self.done = False
        self.steps_done: list[str] = []
        self._steps = [self._check, self._first_use, self._erasures, self._start_of_day,
                       self._start_backup, self._warm_up]
        if window.ops.db.on_server:  # the file's quick check and copies: not on a server
            self._steps.remove(self._check)
            self._steps.remove(self._start_backup)

    def begin(self) -> None:
        # What start-up built (modules, the window) lives as long as the program: moved
        # out of the collector's reach, a full collection that a job's many rows set off
        # (it pauses every thread, the window's too) no longer walks it. At 100,000
        # clients the longest stall of an export fell from 111 to 65 ms, of an import's
        # check from 105 to 64 ms (bench/bench_longops_stall.py, same hour).
        keep_for_good()
        if self.ops.db.read_only:  # nothing is written: open_read_only checked it all
            self._end(True)
            return
        self._next()

    def _next(self, name: str | None = None) -> None:
        if name is not None:
            self.steps_done.append(name)
        if self.window.closing:
            self._end(False)
            return
        if not self._steps:
            self._end(True)
            return
        self._steps.pop(0)()

    def _end(self, ok: bool) -> None:
        self._steps = []
        self.done = True
        risk = getattr(self.window, "risk", None)
        if ok and "start_of_day" in self.steps_done and risk is not None:
            # after the start: its own jobs, queued behind the backup and the warm-up
            risk.refresh(self.today, only_if_due=True)
        self.finished.emit(ok)

    def _stop(self, error: DomainError) -> None:
        show_error(self.window, error)
        self._end(False)

    # -- the steps
    def _check(self) -> None:
        path = self.ops.db.path

        def work(_job) -> list[str]:
            backups.clean_partials(path)  # what a killed backup or restore left
            return quick_check(path)

        self.ops.submit_task(self.window, work, label=self.tr("Checking the database…"),
                             on_done=self._checked, on_error=self._stop)

    def _checked(self, problems: list[str]) -> None:
        if not problems:
            self._next("check")
            return
        path = self.ops.db.path
        error = DatabaseOpenError("db.damaged", f"{path} is damaged: {problems[0]}",
                                  path=str(path), detail="; ".join(problems[:5]))
        try:
            chosen = pick_backup_for_damaged(self.window, path, error)
        except DomainError:
            QMessageBox.critical(self.window, self.tr("ClientCare"), error_text(error))
            chosen = None
        if chosen is None:  # the damaged file stays as it is, and so does every backup
            self.window.skip_exit_backup = True
            self._end(False)
            self.window.close()
            return
        self.ops.begin_replacing()  # nothing on this thread opens the file meanwhile
        self.ops.db.close()

        def restore(_job) -> Database:
            restoring.restore_backup(path, chosen.path)
            self.ops.db = open_database(path)  # for the jobs queued behind this one
            return self.ops.db

        def restored(db: Database) -> None:
            self.ops.replace_database(db)  # every page reloads from the restored file
            self._next("restore")

        def failed(exc: DomainError) -> None:
            self.ops.database_unavailable(exc)  # closed: nothing reads it while we stop
            self.window.skip_exit_backup = True
            show_error(self.window, exc)
            self._end(False)
            self.window.close()

        job = self.ops.submit_task(self.window, restore, on_done=restored, on_error=failed,
                                   label=self.tr("Restoring the backup…"))
        show_progress(self.window, self.ops.executor, job)

    def _first_use(self) -> None:
        facts = self.facts
        self.ops.submit(self.window, lambda s, _job: startup.first_use(s, facts),
                        label=self.tr("Preparing the database…"),
                        on_done=lambda _r: self._next("first_use"), on_error=self._stop)

    def _erasures(self) -> None:
        db = self.ops.db

        def done(erased: int) -> None:
            if erased:  # the erasures were written with their own sessions
                self.ops.announce(Changes.everything(self))
            self._next("erasures")

        self.ops.submit_task(self.window, lambda _job: erasure.reapply_on_open(db),
                             label=self.tr("Applying the erasure log…"),
                             on_done=done, on_error=self._stop)

    def _start_of_day(self) -> None:
        today = self.today or date.today()

        def started(_result) -> None:
            # the first start of the day: its notice (read behind the start, once a day)
            day_notice.after_start_of_day(self.window, today)
            self._next("start_of_day")

        self.ops.submit(self.window, lambda s, _job: startup.start_of_day(s, today),
                        label=self.tr("Bringing the calls of the day up to date…"),
                        on_done=started, on_error=self._stop)

    def _start_backup(self) -> None:
        def failed(exc: DomainError) -> None:  # a backup never stops work
            log.warning("no start backup: %s", exc)
            self._next()

        submit_routine_backup(self.ops, self.window, "start", self.tr("Backing up…"),
                              on_done=lambda _info: self._next("start_backup"),
                              on_error=failed)

    def _warm_up(self) -> None:
        def failed(exc: DomainError) -> None:  # only speed is lost
            log.warning("no warm-up: %s", exc)
            self._next()

        modules = list(WARM_MODULES)

        def import_next() -> None:  # one module a turn: the window keeps answering
            if self.window.closing:
                self._end(False)
                return
            if not modules:
                # the modules just imported (the pages', the card's, matplotlib's host)
                # live as long as the program: out of the collector's reach, as the
                # start's own (a full collection walking them stalled logging a call
                # 76 ms at 100,000 clients)
                keep_for_good()
                self._next("warm_up")
                return
            importlib.import_module(modules.pop(0))
            QTimer.singleShot(0, import_next)

        self.ops.submit(self.window, warm_up, label=self.tr("Getting ready…"), write=False,
                        on_done=lambda _r: import_next(), on_error=failed)


#: what a user opens first (the other pages, a card, the call and complaint windows),
#: imported lazily for start-up speed (main_window.py): the last step of the start
#: imports them one per event-loop turn on the GUI thread (a module defining Qt classes
#: is not imported on a worker thread), so the first visit does not pay for it
WARM_MODULES = (  # leaves first, so no turn imports much (each under ~40 ms here)
    "app.ui.call_dialogs", "app.ui.complaint_dialog", "app.ui.data_dialogs",
    "app.ui.client_card", "app.ui.today_page", "app.ui.printing", "app.ui.calendar_page",
    "app.ui.complaints_page", "app.ui.settings_page", "app.ui.charts_page",
    "app.ui.import_wizard")

#: what the warm-up job imports on the executor, before those: modules that define no
#: Qt class and are slow to import. The import's reader (charset detection, the
#: spreadsheet and vCard readers) took 130 ms, on the GUI thread when File ▸ Import…
#: was first chosen (the longest stall of an import, profiled at 100,000 clients)
WARM_WORKER_MODULES = ("app.services.imports",)


def warm_up(session: Session, _job=None) -> None:
    """On the executor, after the start: read one client's card and the quarterly
    review, so SQLAlchemy compiles their statements here (cached for the engine) rather
    than on the GUI thread when the first card or the review's tab opens; and import
    :data:`WARM_WORKER_MODULES`."""
    cid = session.scalar(select(Client.id).where(Client.deleted_at.is_(None)).limit(1))
    if cid is not None:
        client_service.load_client(session, cid)
    segments.review(session, date.today())
    for name in WARM_WORKER_MODULES:  # no Qt class in them: imported here, off the GUI
        importlib.import_module(name)


def show_window(db: Database, facts: startup.LocaleFacts,
                today: date | None = None) -> tuple[MainWindow, BackgroundStart]:
    """Build the window on ``db``, show it, and once its client list is painted begin
    the rest of the start in the background. Returns the window and its start."""
    window = MainWindow(Ops(db))
    start = BackgroundStart(window, facts, today)
    window.show()
    FirstPaint(window.clients_page.table.viewport(), start.begin)
    return window, start


