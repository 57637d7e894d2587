"""Read-only work spread over two SQLite connections, so a long report uses both cores.

Python's sqlite3 releases the interpreter while SQLite steps a statement, so two
statements on two connections of the same file run at the same time. :func:`run` runs a
list of tasks ``task(session) -> result``: in the caller's Session and in one more
Session, on a helper thread, on the same engine; each task runs once, in either. The
results come back in the tasks' order; a failure in either thread is raised to the
caller once both have stopped (the other tasks are then left undone).

Only where it is safe: a SQLite *file* (a ``:memory:`` database is one connection), an
engine the Session is bound to (not an outer Connection with its own transaction), and
nothing pending in the caller's Session (changes not yet committed are invisible to the
other connection). Anywhere else, and on PostgreSQL, the tasks run one after another in
the caller's Session, with the same results.

Consistency is that of the sequential report: the app's SQLite connections read with no
open transaction (each statement sees what is committed when it starts), and within the
app every write goes through the one database executor this work runs on, so nothing of
the app writes while it runs."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import SingletonThreadPool, StaticPool

T = TypeVar("T")


def second_engine(session: Session) -> Engine | None:
    """The engine a second reader may use beside ``session``, or None."""
    bind = session.get_bind()
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        return None
    if isinstance(bind.pool, StaticPool | SingletonThreadPool):
        return None
    if bind.url.database in (None, "", ":memory:") or "mode=memory" in str(bind.url):
        return None
    if session.new or session.dirty or session.deleted:
        return None
    if session.in_transaction():
        raw = session.connection().connection.dbapi_connection
        if raw is None or getattr(raw, "in_transaction", True):
            return None  # something written and not committed yet: only this one sees it
    return bind


def run(session: Session, tasks: Sequence[Callable[[Session], T]],
        workers: int = 2) -> list[T]:
    """``[task(session) for task in tasks]``, the tasks shared between the caller's
    Session and ``workers - 1`` helper Sessions (see the module's note). Put the
    longest tasks first: each thread takes the next task when it is free."""
    engine = second_engine(session) if workers > 1 and len(tasks) > 1 else None
    if engine is None:
        return [task(session) for task in tasks]
    results: list[Any] = [None] * len(tasks)
    failures: list[BaseException] = []
    lock = threading.Lock()
    pending = iter(enumerate(tasks))

    def drain(s: Session) -> None:
        while True:
            with lock:
                if failures:
                    return
                item = next(pending, None)
            if item is None:
                return
            i, task = item
            try:
                results[i] = task(s)
            except BaseException as exc:  # noqa: BLE001 - raised to the caller below
                with lock:
                    failures.append(exc)
                return

    def helper() -> None:
        try:
            with Session(engine) as s:
                drain(s)
        except BaseException as exc:  # noqa: BLE001 - the session could not even open
            with lock:
                failures.append(exc)

    threads = [threading.Thread(target=helper, name=f"clientcare-reader-{n}", daemon=True)
               for n in range(workers - 1)]
    for t in threads:
        t.start()
    try:
        drain(session)
    finally:
        for t in threads:
            t.join()
    if failures:
        raise failures[0]
    return results
