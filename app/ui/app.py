"""Starting the window: QApplication, translations, opening the database, MainWindow."""

from __future__ import annotations

import logging
import sqlite3
import sys
import traceback
from datetime import date
from pathlib import Path

import phonenumbers
from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QLockFile,
    QStandardPaths,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from sqlalchemy.exc import SQLAlchemyError

from app.cli import create_demo_file
from app.config import data_dir
from app.db import (
    Database,
    copy_read_only,
    not_writable,
    open_database,
    open_read_only,
    write_error,
)
from app.errors import DatabaseOpenError, DomainError
from app.models import Setting
from app.services import backups, erasure, schedule
from app.services import clients as client_service
from app.services import settings as settings_service
from app.services.staff import ensure_owner
from app.text import subst
from app.ui.backup_settings import BackupPickerDialog
from app.ui.main_window import MainWindow
from app.ui.messages import error_text
from app.ui.ops import Ops

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


def start_of_day(db: Database, today: date | None = None) -> None:
    """At start-up: the 12-month values move with the calendar (once a day), and the
    due contacts are brought up to date (idempotent)."""
    today = today or date.today()
    with db.session() as s:
        if settings_service.get(s, "internal.stats_as_of") != today.isoformat():
            client_service.refresh_values(s, today)
            settings_service.put(s, "internal.stats_as_of", today.isoformat())
        schedule.regenerate(s, today)


def first_use(db: Database, locale: QLocale, *, guess_region: bool = True) -> None:
    """A new database takes the business's country and currency from the system; a
    database without staff gets an owner, so somebody may always approve.
    ``guess_region=False``: the locale is a stand-in (see pick_locale) and says nothing
    about the business; the defaults stay until the owner sets them."""
    with db.session() as s:
        ensure_owner(s, QCoreApplication.translate("App", "Owner"))
        if s.get(Setting, "business.region") is not None or not guess_region:
            return
        region = QLocale.territoryToCode(locale.territory())
        if region in phonenumbers.SUPPORTED_REGIONS:
            settings_service.put(s, "business.region", region)
            currency = locale.currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode)
            if len(currency) == 3:
                settings_service.put(s, "business.currency", currency)


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


def open_or_recover(db_path: Path):
    """Open the database, or say why not in the user's words. Returns None when it was
    not opened.

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
            return open_database(path)
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
            good = backups.good_backups(path)
            if not good:
                raise
            chosen = BackupPickerDialog.ask(None, error_text(exc) + "\n\n" + QCoreApplication
                                            .translate("App", "You may restore a backup: "
                                                       "choose one in the list. The damaged "
                                                       "file is kept aside, not deleted."),
                                            good)
            if chosen is None:
                return None
            backups.restore(path, chosen.path)
            return open_database(path)


def prepare_database(db_path: Path, locale: QLocale, *, demo: bool = False,
                     read_only: bool = False):
    """Open the database and bring it up to date for the day; every failure is a
    message in the user's language (a busy, read-only or full database included), never
    "something unexpected". Returns the open Database or None. ``read_only`` (and a
    database that cannot be written, opened read-only at the user's choice): nothing is
    written, so no first use, no erasure applied again, no start of the day."""

    db = None
    try:
        if demo:
            create_demo_file(db_path, locale=locale.name())
        db = (open_read_only(Path(db_path), reason="asked") if read_only
              else open_or_recover(Path(db_path)))
        if db is None:
            return None
        if db.read_only:
            return db
        backups.clean_partials(db.path)
        app = QApplication.instance()
        first_use(db, locale, guess_region=not (app and app.property(
            "clientcare_locale_fallback")))
        erasure.reapply_on_open(db)  # a backup copied back by hand brings nobody back
        start_of_day(db)
        return db
    except DomainError as exc:
        error = exc
    except (SQLAlchemyError, sqlite3.Error) as exc:
        log.warning("cannot prepare the database: %s", exc)
        error = write_error(exc)
    if db is not None:
        db.close()
    QMessageBox.critical(None, QCoreApplication.translate("App", "ClientCare"),
                         error_text(error))
    return None


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
    db = prepare_database(Path(db_path), locale, demo=demo, read_only=read_only)
    if db is None:
        lock.unlock()
        return 2
    if db.read_only:
        lock.unlock()  # nothing will be written: leave the folder as it was
        lock = _NoLock()
    elif db.path != Path(db_path).expanduser().resolve():  # a copy made elsewhere
        lock.unlock()
        lock = instance_lock(db.path) or _NoLock()
    ops = Ops(db)
    window = MainWindow(ops)
    window.show()
    if not db.read_only:  # a backup of a file that cannot change would only add files
        window.settings_page.backups.start_backup("start")  # in the background
    try:
        return app.exec()
    finally:
        lock.unlock()
