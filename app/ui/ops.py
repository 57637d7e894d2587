"""Operations: the one door through which the window changes data.

Modelled on Anki's ``CollectionOp``/``OpChanges``: every write runs in one unit of work
whose :class:`~app.changes.Changes` are recorded by the Session itself
(:func:`app.changes.recording`), never stated by the caller; after the commit ``Ops``
emits them once on ``bus.changed`` and each page decides from them whether it is
concerned (and refreshes now or when it is next shown). Short writes run here, on the GUI
thread (:meth:`Ops.run`); long work goes to the one database executor
(:meth:`Ops.submit`), with progress, and its changes are announced on the GUI thread
when it is done. Domain errors become a translated message; nothing half-done is
committed.
"""

from __future__ import annotations

import logging
import sqlite3
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.changes import Changes, Concern, Entity, recording
from app.db import Database, write_error
from app.errors import DomainError
from app.progress import Cancelled
from app.ui.executor import DbExecutor, Garbage, Job
from app.ui.messages import error_text

log = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = ["Changes", "Concern", "Entity", "Garbage", "Job", "Ops", "show_error"]


class DataBus(QObject):
    changed = Signal(object)  # Changes


class Ops(QObject):
    """The one door through which the UI changes data."""

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.bus = DataBus(self)
        self.executor = DbExecutor(self)
        self.staff_id: int | None = None  # who is at the desk, chosen in the complaint dialog
        #: on an office server: the other desks' changes (app/ui/live_changes.py)
        self.live = None
        self._editors: list[weakref.ref[QWidget]] = []
        # the file is being closed and put back from a backup (:meth:`begin_replacing`):
        # nothing on the GUI thread may open it meanwhile
        self.replacing = False
        #: why the file is not open at all: it was closed to be replaced and could not be
        #: opened again (:meth:`database_unavailable`); None while it is open
        self.unavailable: DomainError | None = None

    def begin_replacing(self) -> None:
        """On the GUI thread, before the executor closes the database to put another
        file in its place: from now until :meth:`replace_database`, a read or a write
        here is refused (:func:`replacing_error`) instead of opening the file. A read of
        a painted list at that moment once left a connection open on the file being
        replaced (SQLite then refused the restore as "database is locked"), and one to
        the old file's WAL beside the new file could damage it."""
        self.replacing = True

    def database_unavailable(self, error: DomainError) -> None:
        """The file was closed to be replaced and then could not be opened again (the
        window has said why): every later read or write is refused with that same
        reason, not "wait for the restore", which will never end."""
        self.unavailable = error
        self.replacing = True

    def _refusal(self) -> DomainError:
        return self.unavailable or replacing_error()

    def replace_database(self, db: Database) -> None:
        """After a restore: the same file, opened again; every page reloads. (The
        executor's job that opened it may have set ``db`` already, so the jobs queued
        behind it use the new one.)"""
        self.db = db
        self.replacing = False
        self.unavailable = None
        self.announce(Changes.everything(self))

    def announce(self, changes: Changes) -> None:
        """Tell every page what changed (done by :meth:`run` and :meth:`submit`; called
        directly only for a change made outside a Session, such as a restored file)."""
        if not changes.empty:
            self.bus.changed.emit(changes)
            if self.live is not None:  # and to the other desks (not back what they sent)
                self.live.send(changes)

    def go_live(self) -> None:
        """On an office server: hear the other desks' changes and send ours."""
        if self.db.on_server and self.live is None:
            from app.ui.live_changes import LiveChanges  # lazy: only office mode

            self.live = LiveChanges(self)

    def stop_live(self) -> None:
        if self.live is not None:
            self.live.close()
            self.live = None

    def refuse_read_only(self, parent: QWidget | None) -> bool:
        """For a write that does not go through :meth:`run` (a backup, a restore, an
        erasure): True, after telling the user, when the database is open read-only."""
        if not self.db.read_only:
            return False
        show_error(parent, read_only_error())
        return True

    def read(self, fn: Callable[[Session], T]) -> T:
        """A short read on the GUI thread (one row, one small list); refused while the
        file is being replaced (:meth:`begin_replacing`)."""
        if self.replacing:
            raise self._refusal()
        with self.db.sessions() as s:
            return fn(s)

    def run(self, parent: QWidget | None, fn: Callable[[Session], T], *,
            source: object | None = None, raise_domain: bool = False) -> T | None:
        """Run ``fn(session)`` in one transaction on the GUI thread (for short writes:
        one call, one card). On success announce what it wrote and return its result; on
        a domain error show it (or re-raise with ``raise_domain`` so a form can place the
        message beside a field) and return None. A database open read-only refuses
        before anything touches it (:meth:`refuse_read_only`)."""
        if self.db.read_only or self.replacing:
            refused = self._refusal() if self.replacing else read_only_error()
            if raise_domain:
                raise refused
            show_error(parent, refused)
            return None
        try:
            with self.db.session() as s, recording(s) as recorder:
                result = fn(s)
                changes = recorder.changes(source)
        except DomainError as exc:
            if raise_domain:
                raise
            show_error(parent, exc)
            return None
        except SQLAlchemyError as exc:
            err = database_error(exc)
            if raise_domain:
                raise err from exc
            show_error(parent, err)
            return None
        self.announce(changes)
        return result

    def submit(self, parent: QWidget | None, fn: Callable[[Session, Job], T], *,
               label: str, on_done: Callable[[T], None] | None = None,
               on_error: Callable[[DomainError], None] | None = None,
               on_cancel: Callable[[], None] | None = None, write: bool = True,
               cancellable: bool = False, source: object | None = None) -> Job | None:
        """Run ``fn(session, job)`` on the database executor, in one transaction when
        ``write`` (else a read-only Session). On the GUI thread afterwards: the changes
        are announced, then ``on_done(result)``; a failure goes to ``on_error`` (default:
        a message box over ``parent``), a stop asked by the user to ``on_cancel``. Returns
        the :class:`Job` (its progress, its cancel), or None when refused (read-only)."""
        if write and self.refuse_read_only(parent):
            return None

        def work(job: Job) -> tuple[Any, Changes | None]:
            # the database when the job runs: one queued behind a restore reads the
            # file put back, never the closed one (nor a file that did not open again)
            if self.unavailable is not None:
                raise self.unavailable
            db = self.db
            if not write:
                with db.sessions() as s:
                    return fn(s, job), None
            with db.session() as s, recording(s) as recorder:
                result = fn(s, job)
                return result, recorder.changes(source)

        def done(value: tuple[Any, Changes | None]) -> None:
            result, changes = value
            if changes is not None:
                self.announce(changes)
            if on_done is not None:
                on_done(result)

        return self.executor.submit(work, on_done=done, label=label, cancellable=cancellable,
                                    on_error=self._failure_handler(parent, on_error, on_cancel))

    def submit_task(self, parent: QWidget | None, fn: Callable[[Job], T], *, label: str,
                    on_done: Callable[[T], None] | None = None,
                    on_error: Callable[[DomainError], None] | None = None,
                    on_cancel: Callable[[], None] | None = None,
                    cancellable: bool = False, garbage: Garbage = Garbage.USUAL) -> Job:
        """Work on the database executor that is not one Session (a backup, a full check,
        a restore, a chart rendered): ``fn(job)``, results and failures as :meth:`submit`
        (``garbage``: :class:`~app.ui.executor.Garbage`). What it changes it announces
        itself (:meth:`announce` from ``on_done``)."""
        return self.executor.submit(fn, on_done=on_done, label=label, cancellable=cancellable,
                                    on_error=self._failure_handler(parent, on_error, on_cancel),
                                    garbage=garbage)

    def _failure_handler(self, parent, on_error, on_cancel) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                if on_cancel is not None:
                    on_cancel()
                return
            err = as_domain_error(exc)
            if on_error is not None:
                on_error(err)
            else:
                show_error(parent, err)
        return failed

    def wait(self, job: Job | None = None, timeout_ms: int = 120_000) -> bool:
        """Wait (the window keeps painting) until ``job``, or all queued work, is done."""
        return self.executor.wait(job, timeout_ms)

    # -- open editors (cards, complaint windows), asked before the database closes ------
    def register_editor(self, editor: QWidget) -> None:
        """An editor window that may hold typed, unsaved work: :meth:`close_editors`
        asks it to close (its ``closeEvent`` asks to save or discard) before quitting."""
        self._editors = [r for r in self._editors if r() is not None and r() is not editor]
        self._editors.append(weakref.ref(editor))

    def open_editors(self) -> list[QWidget]:
        alive = []
        for ref in self._editors:
            w = ref()
            try:
                if w is not None and w.isVisible():
                    alive.append(w)
            except RuntimeError:  # its C++ side is gone
                continue
        return alive

    def close_editors(self) -> bool:
        """Ask every open editor to close, newest first; False as soon as one stays open
        (the user chose Cancel), so nothing is lost."""
        for editor in reversed(self.open_editors()):
            if not editor.close():
                return False
        return True


def as_domain_error(exc: BaseException) -> DomainError:
    """Any failure of background work as a message for the user."""
    if isinstance(exc, DomainError):
        return exc
    if isinstance(exc, SQLAlchemyError):
        return database_error(exc)
    if isinstance(exc, sqlite3.Error):
        return write_error(exc)
    if isinstance(exc, OSError):
        return DomainError("io.failed", str(exc), detail=str(exc))
    return DomainError("app.unexpected", str(exc), detail=repr(exc))


def database_error(exc: SQLAlchemyError) -> DomainError:
    log.exception("database error")
    if isinstance(exc, OperationalError):
        return _operational(exc)
    return DomainError("db.unexpected", str(exc), detail=str(exc))


def read_only_error() -> DomainError:
    return DomainError("db.open_read_only", "this database is open read-only: nothing "
                       "was saved")


def replacing_error() -> DomainError:
    return DomainError("db.replacing", "the database is being replaced by a backup: "
                       "nothing was read or saved")


def _operational(exc: OperationalError) -> DomainError:
    text = str(exc.orig).lower() if exc.orig else str(exc).lower()
    if "locked" in text or "busy" in text:
        return DomainError("db.locked_write", text)
    if "readonly" in text or "read-only" in text:
        return DomainError("db.read_only_write", text)
    if "full" in text:
        return DomainError("db.disk_full", text)
    return DomainError("db.unexpected", text, detail=text)


def show_error(parent: QWidget | None, exc: DomainError) -> None:
    QMessageBox.warning(parent, QCoreApplication.translate("Ops", "ClientCare"),
                        error_text(exc))
