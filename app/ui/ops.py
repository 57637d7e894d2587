"""Operations: run a service call in one unit of work, then announce what changed.

Modelled on Anki's ``CollectionOp``/``OpChanges``: every change goes through
:meth:`Ops.run`, which commits, then emits ``DataBus.changed`` once with a
:class:`Changes`; each screen decides from it whether to refresh. Domain errors become a
translated message box; nothing half-done is committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import DomainError
from app.ui.messages import error_text

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """What an operation changed: kinds of entity ("client", "purchase", "task", ...),
    the ids concerned where known, and the object that started it."""

    kinds: frozenset[str] = frozenset()
    ids: frozenset[int] = frozenset()
    source: object | None = field(default=None, compare=False)

    def touches(self, *kinds: str) -> bool:
        return bool(self.kinds.intersection(kinds))


ALL_KINDS = ("client", "purchase", "membership", "tag", "task", "contact", "complaint",
             "settings", "staff", "segment")


class DataBus(QObject):
    changed = Signal(object)  # Changes


class Ops(QObject):
    """The one door through which the UI changes data."""

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.bus = DataBus(self)
        self.staff_id: int | None = None  # who is at the desk, chosen in the complaint dialog

    def replace_database(self, db: Database) -> None:
        """After a restore: the same file, opened again; every page reloads."""
        self.db = db
        self.bus.changed.emit(Changes(frozenset(ALL_KINDS), frozenset(), self))

    def refuse_read_only(self, parent: QWidget | None) -> bool:
        """For a write that does not go through :meth:`run` (a backup, a restore, an
        erasure): True, after telling the user, when the database is open read-only."""
        if not self.db.read_only:
            return False
        show_error(parent, read_only_error())
        return True

    def read(self, fn: Callable[[Session], T]) -> T:
        with self.db.sessions() as s:
            return fn(s)

    def run(self, parent: QWidget | None, fn: Callable[[Session], T], *, kinds: set[str],
            ids: set[int] | None = None, source: object | None = None,
            raise_domain: bool = False) -> T | None:
        """Run ``fn(session)`` in one transaction. On success emit ``changed`` and return
        its result; on a domain error show it (or re-raise with ``raise_domain`` so a form
        can place the message beside a field) and return None. A database open
        read-only refuses before anything touches it (:meth:`refuse_read_only`)."""
        if self.db.read_only:
            if raise_domain:
                raise read_only_error()
            show_error(parent, read_only_error())
            return None
        try:
            with self.db.session() as s:
                result = fn(s)
        except DomainError as exc:
            if raise_domain:
                raise
            show_error(parent, exc)
            return None
        except SQLAlchemyError as exc:
            log.exception("database error")
            err = (_operational(exc) if isinstance(exc, OperationalError)
                   else DomainError("db.unexpected", str(exc), detail=str(exc)))
            if raise_domain:
                raise err from exc
            show_error(parent, err)
            return None
        extra = {result} if isinstance(result, int) and not isinstance(result, bool) else set()
        self.bus.changed.emit(Changes(frozenset(kinds), frozenset((ids or set()) | extra),
                                      source))
        return result


def read_only_error() -> DomainError:
    return DomainError("db.open_read_only", "this database is open read-only: nothing "
                       "was saved")


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
