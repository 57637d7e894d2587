"""Starting the window: QApplication, translations, the lock, then the window.

The window appears first. On an ordinary file (most starts) the quick start paints the
window and its client list before SQLAlchemy, the models and the services are imported
(~0.5 s): the first page is read with sqlite3 (:mod:`app.quick_open`); once it is painted,
a plain thread imports the rest and opens the database (no QObject is made there), and the
GUI thread attaches the door (``Ops``) to the same widgets (:class:`QuickStart`). Anything
unusual (no file, another schema revision, a restore pending, locked, damaged, read-only,
``--demo``) takes the usual path (:mod:`app.ui.start`): open the file (its messages, its
migration with a backup), build the window on it and paint it. Either way the rest of the
start then runs on the database executor (``app.ui.start.BackgroundStart``).

This module imports only Qt, the standard library and light app modules; every name of
:mod:`app.ui.start` is re-exported here.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QLockFile,
    QObject,
    Qt,
    QTimer,
    QTranslator,
    Signal,
)
from PySide6.QtWidgets import QApplication, QMessageBox

from app import quick_open
from app.config import data_dir, default_db_path, is_server_url
from app.errors import DomainError
from app.network_path import network_filesystem
from app.office_choice import start_target
from app.quick_open import not_writable
from app.text import subst
from app.ui.first_paint import FirstPaint, LoadFailure

log = logging.getLogger(__name__)


def _resources_dir() -> Path:
    """resources/ (the .qm translations, the icons), found relative to the program: at
    the top of the packaged program's folder (PyInstaller's ``sys._MEIPASS``), inside the
    package in a wheel's install (``app/resources``, pyproject.toml), else at the top of
    the checkout."""
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled:
        return Path(bundled) / "resources"
    package = Path(__file__).resolve().parents[1]
    installed = package / "resources"
    return installed if (installed / "translations").is_dir() else package.parent / "resources"


RESOURCES = _resources_dir()


def __getattr__(name: str):
    """The names of :mod:`app.ui.start` (opening the database, the background start),
    imported when first asked for: start-up paints before importing them."""
    if name.startswith("__"):
        raise AttributeError(name)
    start = importlib.import_module("app.ui.start")
    try:
        return getattr(start, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def app_icon():
    """ClientCare's icon (resources/icons, packaging/make_icons.py), every size drawn."""
    from PySide6.QtGui import QIcon  # lazy: start-up imports QtGui's names as it needs them
    icon = QIcon()
    for path in sorted((RESOURCES / "icons").glob("clientcare-*.png")):
        icon.addFile(str(path))
    return icon


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
    """An unexpected error: log it and tell the user in words, never a bare traceback.
    A service's refusal (a DomainError) that no screen caught is said in its own words
    (a read refused while the file is put back from a backup, say)."""
    log.error("unexpected error\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
    app = QApplication.instance()
    if app is not None and isinstance(exc, DomainError):
        from app.ui.messages import error_text  # lazy: start-up

        QMessageBox.warning(None, QCoreApplication.translate("App", "ClientCare"),
                            error_text(exc))
        return
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


# What the loading thread imports after the first paint: SQLAlchemy, the models and
# the services the window and its start need, and the window's modules that define no
# Qt class (a module that does, app.ui.ops or app.ui.start, is imported on the GUI
# thread: the turn after, ~20 ms). (A plain comment: lupdate would take "#:" lines for
# a translator's note.)
HEAVY_MODULES = (
    "sqlalchemy", "sqlalchemy.orm", "app.models", "app.changes", "app.db",
    "app.services.clients", "app.services.settings", "app.services.startup",
    "app.services.backups", "app.services.erasure", "app.services.restoring",
    "app.services.validation", "app.progress", "app.ui.messages",
    "app.ui.worded_progress", "concurrent.futures.thread", "queue")


class QuickStart(QObject):
    """The quick start, after the first paint of the first page: a plain thread imports
    :data:`HEAVY_MODULES` and opens the database (``open_database``, no quick check: the
    background start runs it); back on the GUI thread the window gets its door (``Ops``)
    and the background start begins. A failure to load says why and offers Retry or Quit."""

    opened = Signal(object, object)  # the Database or None, the error or None
    attached = Signal()

    def __init__(self, window, path: Path, facts_locale: QLocale, stand_in: bool) -> None:
        super().__init__(window)
        self.window = window
        self.path = path
        self.locale = facts_locale
        self.stand_in = stand_in
        self.start = None  # the BackgroundStart, once attached
        self.failed = False  # the load failed and the user chose Quit
        self.failure: LoadFailure | None = None  # the question shown while it is asked
        self.opened.connect(self._opened, Qt.ConnectionType.QueuedConnection)

    def begin(self) -> None:
        threading.Thread(target=self._load, name="clientcare-load", daemon=True).start()

    def _load(self) -> None:  # on the loading thread
        try:
            for name in HEAVY_MODULES:
                importlib.import_module(name)
            from sqlalchemy.orm import configure_mappers

            from app.db import open_database  # imported just above
            configure_mappers()  # here, not in the GUI thread's first query (~40 ms)
            db = open_database(self.path, check=False)
        except Exception as exc:  # noqa: BLE001 - said on the GUI thread, never lost
            self.opened.emit(None, exc)
            return
        self.opened.emit(db, None)

    def _opened(self, db, error) -> None:
        if db is None:
            self._fail(error)
            return
        QTimer.singleShot(0, lambda: self._attach(db))  # the next turn
        for name in ("app.ui.refresh", "app.ui.start"):  # they define Qt classes: here
            importlib.import_module(name)

    def _attach(self, db) -> None:
        from app.ui import start  # imported the turn before
        from app.ui.ops import Ops
        if self.window.closed:
            db.close()
            return
        self.window.attach(Ops(db))
        self.start = start.BackgroundStart(
            self.window, start.locale_facts(self.locale, stand_in=self.stand_in))
        self.attached.emit()
        if not self.window.closing:
            self.start.begin()

    def _fail(self, error: BaseException) -> None:
        """The load failed: the window stays and says why, with Retry (the load runs
        again) and Quit (:class:`~app.ui.first_paint.LoadFailure`)."""
        if self.window.closed:
            self.failed = True
            return
        text, detail = _load_failure_text(error)
        self.failure = LoadFailure(self.window, text, retry=self._retry, quit=self._quit,
                                   detail=detail)

    def _retry(self) -> None:
        self.failure = None
        if self.window.closing or self.window.closed:
            self._quit()
            return
        self.begin()

    def _quit(self) -> None:
        self.failure = None
        self.failed = True
        self.window.skip_exit_backup = True
        self.window.close_unattached()


def _load_failure_text(error: BaseException) -> tuple[str, str]:
    """What the user reads when the quick start's load failed, in their language, and a
    detail for the box's "Show Details". A database error has its own sentence; a part
    that would not import (or anything else) says so: the modules that word database
    errors may be the very ones that failed."""
    detail = f"{type(error).__name__}: {error}"
    try:
        from app.errors import DomainError
        from app.ui.messages import error_text
        if isinstance(error, DomainError):
            return error_text(error), detail
        if not isinstance(error, ImportError):
            log.error("cannot open the database", exc_info=error)
            from app.db import write_error  # lazy: only a failed quick start needs it
            return error_text(write_error(error)), detail
    except Exception as exc:  # noqa: BLE001 - the wording's own modules would not load
        log.error("cannot word the start's failure", exc_info=exc)
    log.error("cannot load the window's parts", exc_info=error)
    #: the start could not import a part of the program (a damaged installation)
    return QCoreApplication.translate(
        "App", "ClientCare could not load all of its parts, so the database was not "
        "opened."), detail


def quick_window(db_path: Path, locale: QLocale, stand_in: bool):
    """The window with the client list's first page read by sqlite3, shown, and its
    :class:`QuickStart` (begun once the list is painted); or None when the file is not an
    ordinary one (then nothing was shown: the usual start runs)."""
    from app.ui.main_window import MainWindow
    path = Path(db_path).expanduser().resolve()
    if not quick_open.usual_file(path):
        return None
    window = MainWindow(None, path=path)
    page = quick_open.read_first_page(path, window.clients_page.model.query)
    if page is None:
        window.deleteLater()
        return None
    window.clients_page.show_first_page(page)
    quick = QuickStart(window, path, locale, stand_in)
    window.show()
    FirstPaint(window.clients_page.table.viewport(), quick.begin)
    return window, quick


def warn_if_on_network(path: Path) -> bool:
    """A database file on a network folder: say why that is a danger and what to do
    instead (one PC's own disk, or office mode); the window opens after it all the
    same. Returns whether it warned."""
    kind = network_filesystem(path)
    if kind is None:
        return False
    QMessageBox.warning(None, QCoreApplication.translate("App", "ClientCare"), subst(
        QCoreApplication.translate(
            "App", "The database “%1” is in a network folder (%2). SQLite cannot lock a "
            "file reliably there: two computers working on it at once can damage it.\n\n"
            "Keep the database on this computer's own disk. For several computers, move "
            "it to a PostgreSQL server (office mode): clientcare migrate-to-postgres "
            "--from FILE --to postgresql+psycopg://user@server/database."),
        Path(path).expanduser(), kind))
    return True


def _signed_in(db) -> bool:
    """Where everyone signs in (always on a server), the sign-in before the window."""
    from app.ui.sign_in import sign_in_at_start  # lazy: argon2 only where it is needed

    try:
        return sign_in_at_start(db)
    except DomainError as exc:  # the database could not be read: said, not raised
        from app.ui.messages import error_text
        QMessageBox.critical(None, QCoreApplication.translate("App", "ClientCare"),
                             error_text(exc))
        return False


def _run_on_server(app: QApplication, url: str, locale) -> int | None:
    """The window on an office server's database: no lock file, no copies of a file;
    every PC opens the same database. None: the server could not be reached and the
    user chose to work on this PC's own file."""
    from app.ui import start  # lazy: the usual start needs the database first

    db = start.prepare_database(url, locale)
    if db == start.OPEN_FILE:
        return None
    if db is None:
        return 2
    if not _signed_in(db):
        db.close()
        return 2
    stand_in = bool(app.property("clientcare_locale_fallback"))
    window, _start = start.show_window(db, start.locale_facts(locale, stand_in=stand_in))
    try:
        return app.exec()
    finally:
        if window.ops is not None:
            window.ops.wait(timeout_ms=30_000)
            window.ops.executor.shutdown()
            window.ops.stop_live()
            if not window.closed:
                window.ops.db.close()


def run_gui(db_path: Path | str | None = None, *, demo: bool = False,
            language: str | None = None, argv: list[str] | None = None,
            read_only: bool = False, smoke_test: bool = False) -> int:
    """The window on ``db_path`` (a file or an office server's URL); None: the server
    chosen for this PC in Settings → Office server, else this PC's own file."""
    _setup_logging()
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("ClientCare")
    app.setOrganizationName("ClientCare")
    app.setDesktopFileName("clientcare")  # the desktop entry of the packages: its icon
    app.setWindowIcon(app_icon())
    locale = install_translations(app, language)
    sys.excepthook = _excepthook
    # read-only writes nothing, not even a lock file: a writer beside it is no danger
    # (a database that cannot be written is asked about in prepare_database)
    # --read-only without --db: this PC's own file (a server is never opened read-only)
    chosen = start_target(default_db_path() if db_path is None and read_only else db_path)
    if chosen.problem is not None:  # the choice cannot be read: said, the file opens
        from app.ui.messages import error_text
        QMessageBox.warning(None, QCoreApplication.translate("App", "ClientCare"),
                            error_text(chosen.problem) + "\n\n" + QCoreApplication.translate(
                                "App", "This PC's own file opens meanwhile."))
    db_path = chosen.target
    if is_server_url(db_path):  # office mode: the server keeps many windows apart
        code = _run_on_server(app, str(db_path), locale)
        if code is not None:
            return code
        db_path = default_db_path()  # the server is down: this PC's own file
    lock = (_NoLock() if read_only or not_writable(Path(db_path)) is not None
            else instance_lock(Path(db_path)))
    if lock is None:
        QMessageBox.warning(None, QCoreApplication.translate("App", "ClientCare"),
                            QCoreApplication.translate(
                                "App", "ClientCare is already open with this database. "
                                "Switch to its window; two windows on one file could "
                                "overwrite each other's work."))
        return 2
    warn_if_on_network(Path(db_path))
    stand_in = bool(app.property("clientcare_locale_fallback"))
    quick = None
    if not demo and not read_only and not_writable(Path(db_path)) is None:
        quick = quick_window(Path(db_path), locale, stand_in)
    if quick is not None:
        window = quick[0]
    else:
        from app.ui import start  # lazy: the usual start needs the database first
        db = start.prepare_database(Path(db_path), locale, demo=demo, read_only=read_only,
                                    check=False)
        if db is None:
            lock.unlock()
            return 2
        if not _signed_in(db):
            db.close()
            lock.unlock()
            return 2
        if db.read_only:
            lock.unlock()  # nothing will be written: leave the folder as it was
            lock = _NoLock()
        elif db.path != Path(db_path).expanduser().resolve():  # a copy made elsewhere
            lock.unlock()
            lock = instance_lock(db.path) or _NoLock()
        window, _start = start.show_window(db, start.locale_facts(locale, stand_in=stand_in))
    if smoke_test:  # --smoke-test: show the list and every page, then quit (CI)
        from app.ui.smoke import SmokeTest  # lazy: only for the test
        SmokeTest(window).start()
    try:
        code = app.exec()
        return 2 if quick is not None and quick[1].failed else code
    finally:
        if window.ops is not None:
            window.ops.wait(timeout_ms=30_000)
            window.ops.executor.shutdown()
            if not window.closed:  # the event loop ended another way: still close the file
                window.ops.db.close()
        lock.unlock()
