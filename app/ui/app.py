"""Starting the window: QApplication, translations, opening the database, MainWindow.

The window appears first: start-up opens the file (its header checked, migrated when it
is older), builds the window with the client list and paints it; only then does the rest
run on the database executor, one step after the other (:class:`BackgroundStart`): the
quick check, the first use, the erasure log applied again, the start of the day and the
start backup. The pages update from the changes each step announces.
"""

from __future__ import annotations

import gc
import importlib
import logging
import sqlite3
import sys
import traceback
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QLockFile,
    QObject,
    QStandardPaths,
    QTimer,
    QTranslator,
    Signal,
)
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.config import data_dir
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
from app.services import backups, erasure, restoring, startup
from app.services import clients as client_service
from app.text import subst
from app.ui.main_window import MainWindow
from app.ui.messages import error_text
from app.ui.ops import Changes, Ops, show_error
from app.ui.progress import show_progress
from app.ui.worded_progress import submit_routine_backup

log = logging.getLogger(__name__)
RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def install_translations(app: QApplication, language: str | None = None,
                         folder: Path | None = None) -> QLocale:
    """Set the locale and load Qt's and ClientCare's translations for it (built .qm
    files; `make` builds them from the .ts sources)."""
    locale, fallback = pick_locale(language)
    QLocale.setDefault(locale)
    app.setProperty("clientcare_locale_fallback", fallback)
    for old in app.findChildren(QTranslator):
        app.removeTranslator(old)
        old.deleteLater()
    translators = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ours = str(folder or RESOURCES / "translations")
    for name, folder_name in (("qtbase", qt_dir), ("clientcare", ours)):
        tr = QTranslator(app)
        # a language ClientCare does not speak gets English, whose plurals
        # ("1 client", "3 clients") live in clientcare_en
        if tr.load(locale, name, "_", folder_name) or (
                name == "clientcare" and tr.load("clientcare_en", folder_name)):
            app.installTranslator(tr)
            translators.append(tr)
    app.setProperty("clientcare_translators", len(translators))
    return locale


def pick_locale(language: str | None = None,
                system: QLocale | None = None) -> tuple[QLocale, bool]:
    """The locale to show dates and numbers in, and whether it is a stand-in.

    A system without a real locale (LANG=C, LC_ALL=POSIX: servers, containers, some
    remote desktops) gets English with ISO dates ("2026-11-20") and "." as the decimal
    point, not Qt's "C" locale, whose "20 11 2026" reads back wrongly and which writes
    money as "759.48$"; the business's own currency comes from Settings."""
    if language:
        return QLocale(language), False
    system = system or QLocale.system()
    if system.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.Canada), True
    return system, False


def _excepthook(exc_type, exc, tb) -> None:
    """An unexpected error: log it and tell the user in words, never a bare traceback."""
    log.error("unexpected error\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
    app = QApplication.instance()
    if app is not None:
        QMessageBox.critical(None, QCoreApplication.translate("App", "ClientCare"),
                             subst(QCoreApplication.translate(
                                 "App", "Something unexpected went wrong. What you saved "
                                 "before is safe. Details were written to the log: %1"),
                                 _log_path()))


def _log_path() -> Path:
    return data_dir() / "clientcare.log"


def _setup_logging() -> None:
    try:
        path = _log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        logging.basicConfig(filename=path, level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    except OSError:
        logging.basicConfig(level=logging.INFO)


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


def instance_lock(db_path: Path):
    """One window per database file: a lock file beside it, held while the window is
    open. Returns the held QLockFile, or None when another ClientCare holds it (a lock
    left by a process that died is taken over)."""
    db_path = db_path.expanduser().resolve()
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return _NoLock()  # the open that follows reports the folder problem
    lock = QLockFile(str(db_path) + ".lock")
    lock.setStaleLockTime(0)  # stale only when its process is gone
    if lock.tryLock(0):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None
    return _NoLock()  # cannot create a lock file (read-only folder): let the open report it


class _NoLock:
    def unlock(self) -> None:
        pass


def _box(icon, text: str, buttons, default):
    """A message box with a default button (a seam the tests patch)."""
    box = QMessageBox(icon, QCoreApplication.translate("App", "ClientCare"), text, buttons)
    box.setDefaultButton(default)
    return box.exec()


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
    close = box.addButton(QMessageBox.StandardButton.Close)
    close.setObjectName(CLOSE)
    box.setDefaultButton(read_only)
    box.setEscapeButton(close)
    return box


def ask_read_only(path: Path, reason: str) -> str:
    """Ask :func:`read_only_question`; returns OPEN_READ_ONLY, COPY_ELSEWHERE or CLOSE."""
    box = read_only_question(path, reason)
    try:
        box.exec()
        clicked = box.clickedButton()
        return clicked.objectName() if clicked is not None else CLOSE
    finally:
        box.deleteLater()


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


def prepare_database(db_path: Path, locale: QLocale | None = None, *, demo: bool = False,
                     read_only: bool = False, check: bool = True):
    """Open the database for the window; every failure is a message in the user's
    language (a busy, read-only or full database included), never "something
    unexpected". Returns the open Database or None. Nothing is written but a migration
    (after its backup): the first use, the erasure log and the start of the day run in
    the background once the window is painted (:class:`BackgroundStart`). ``check=False``:
    the quick check runs there too. ``read_only`` (or a database that cannot be written,
    opened read-only at the user's choice): nothing is written at all."""
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

    def begin(self) -> None:
        # What start-up built (modules, the window) lives as long as the program: moved
        # out of the collector's reach, a full collection that a job's many rows set off
        # (it pauses every thread, the window's too) no longer walks it. At 100,000
        # clients the longest stall of an export fell from 111 to 65 ms, of an import's
        # check from 105 to 64 ms (bench/bench_longops_stall.py, same hour).
        gc.freeze()
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
        self.ops.db.close()

        def restore(_job) -> Database:
            restoring.restore_backup(path, chosen.path)
            return open_database(path)

        def restored(db: Database) -> None:
            self.ops.replace_database(db)  # every page reloads from the restored file
            self._next("restore")

        def failed(exc: DomainError) -> None:
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
        self.ops.submit(self.window, lambda s, _job: startup.start_of_day(s, today),
                        label=self.tr("Bringing the calls of the day up to date…"),
                        on_done=lambda _r: self._next("start_of_day"), on_error=self._stop)

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
    "app.ui.client_card", "app.ui.today_page", "app.ui.calendar_page",
    "app.ui.complaints_page", "app.ui.settings_page", "app.ui.charts_page")


def warm_up(session: Session, _job=None) -> None:
    """On the executor, after the start: read one client's card, so SQLAlchemy compiles
    its statements here (cached for the engine) rather than when the first card opens."""
    cid = session.scalar(select(Client.id).where(Client.deleted_at.is_(None)).limit(1))
    if cid is not None:
        client_service.load_client(session, cid)


class _FirstPaint(QObject):
    """Calls ``then`` once, right after the first paint of ``widget`` (or after
    ``fallback_ms`` when it is not painted: an offscreen or minimised window)."""

    def __init__(self, widget, then, fallback_ms: int = 1000) -> None:
        super().__init__(widget)
        self._widget, self._then, self._fired = widget, then, False
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self._fire)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and not self._fired:
            QTimer.singleShot(0, self._fire)  # after the paint reaches the screen
        return False

    def _fire(self) -> None:
        if self._fired:
            return
        self._fired = True
        self._widget.removeEventFilter(self)
        self._then()


def show_window(db: Database, facts: startup.LocaleFacts,
                today: date | None = None) -> tuple[MainWindow, BackgroundStart]:
    """Build the window on ``db``, show it, and once its client list is painted begin
    the rest of the start in the background. Returns the window and its start."""
    window = MainWindow(Ops(db))
    start = BackgroundStart(window, facts, today)
    window.show()
    _FirstPaint(window.clients_page.table.viewport(), start.begin)
    return window, start


def run_gui(db_path: Path, *, demo: bool = False, language: str | None = None,
            argv: list[str] | None = None, read_only: bool = False) -> int:
    _setup_logging()
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("ClientCare")
    app.setOrganizationName("ClientCare")
    locale = install_translations(app, language)
    sys.excepthook = _excepthook
    # read-only writes nothing, not even a lock file: a writer beside it is no danger
    # (a database that cannot be written is asked about in prepare_database)
    lock = (_NoLock() if read_only or not_writable(Path(db_path)) is not None
            else instance_lock(Path(db_path)))
    if lock is None:
        QMessageBox.warning(None, QCoreApplication.translate("App", "ClientCare"),
                            QCoreApplication.translate(
                                "App", "ClientCare is already open with this database. "
                                "Switch to its window; two windows on one file could "
                                "overwrite each other's work."))
        return 2
    db = prepare_database(Path(db_path), locale, demo=demo, read_only=read_only,
                          check=False)
    if db is None:
        lock.unlock()
        return 2
    if db.read_only:
        lock.unlock()  # nothing will be written: leave the folder as it was
        lock = _NoLock()
    elif db.path != Path(db_path).expanduser().resolve():  # a copy made elsewhere
        lock.unlock()
        lock = instance_lock(db.path) or _NoLock()
    stand_in = bool(app.property("clientcare_locale_fallback"))
    window, _start = show_window(db, locale_facts(locale, stand_in=stand_in))
    try:
        return app.exec()
    finally:
        window.ops.wait(timeout_ms=30_000)
        window.ops.executor.shutdown()
        if not window.closed:  # the event loop ended another way: still close the file
            db_now = window.ops.db
            db_now.close()
        lock.unlock()
