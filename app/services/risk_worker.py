"""The risk scores of a large file computed in a child process.

At a million clients the history and the model's arrays take about a gigabyte for a
minute; in the window's own process that memory would stay with it (Python and the C
allocator give little back), and the scoring's Python parts would take the interpreter
lock from the GUI thread. A child process (``multiprocessing``, *spawn*: a fresh
interpreter on every platform, as a frozen build needs) reads the history on its own
read-only connection, chooses, fits and scores, and writes the rows to keep into a
scratch SQLite file of its own (:class:`ScoresFile`); its memory goes with it. The parent
only writes those rows into the business's database, batch by batch
(app/services/risk_store.py ``store``), never holding the whole table.

A small file is scored in the window's process (a child's start, about two seconds of
imports, would cost more than the work): :func:`wants_child` decides by the file's
size. No Qt here.
"""

from __future__ import annotations

import logging
import multiprocessing
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.progress import Cancelled

if TYPE_CHECKING:
    from app.services import risk

log = logging.getLogger(__name__)

#: from this file size on the scores are computed in a child process (about 25,000
#: clients with ten purchases each; the benchmark file of 100,000 is 250 MB)
CHILD_FROM_BYTES = 64 * 2**20
#: how often the parent looks for a stop asked or a child gone (seconds)
POLL_S = 0.1


class RiskWorkerError(RuntimeError):
    """The child process failed or ended without an answer (logged; the old scores
    stay, the next start of a day tries again)."""


def wants_child(path: Path | None) -> bool:
    """Is the file at ``path`` large enough for a child process to pay?"""
    try:
        return path is not None and Path(path).stat().st_size >= CHILD_FROM_BYTES
    except OSError:
        return False


def score_in_child(path: Path, day: date, only_if_due: bool, stop: threading.Event,
                   on_step: Callable[[int, int], None]) -> ScoresFile | None:
    """The scores as of ``day`` of the file at ``path``, computed in a child process
    (None when ``only_if_due`` and they are of that day already). Blocks the calling
    thread (not the GUI thread); ``stop`` set ends the child at once and raises
    :class:`Cancelled`; ``on_step(done, total)`` follows its steps."""
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    folder = tempfile.TemporaryDirectory(prefix="clientcare-risk-")
    out = Path(folder.name) / "scores.sqlite"
    answer: ScoresFile | None = None
    child = ctx.Process(target=child_main, name="clientcare-risk",
                        args=(str(path), day.toordinal(), only_if_due, send, str(out)),
                        daemon=True)
    child.start()
    send.close()  # the child's end: the parent holds only its own
    try:
        while True:
            if stop.is_set():
                raise Cancelled("risk")
            if receive.poll(POLL_S):
                try:
                    message = receive.recv()
                except EOFError as exc:
                    raise RiskWorkerError(
                        f"the risk worker ended without an answer (exit code "
                        f"{child.exitcode})") from exc
                kind = message[0]
                if kind == "step":
                    on_step(message[1], message[2])
                elif kind == "scores":
                    if message[1] is None:
                        return None
                    as_of, horizon, choice, rows = message[1]
                    answer = ScoresFile(out, date.fromordinal(as_of), horizon, choice, rows,
                                        folder)
                    return answer
                elif kind == "error":
                    raise RiskWorkerError(message[1])
            elif not child.is_alive() and not receive.poll():
                raise RiskWorkerError(
                    f"the risk worker ended without an answer (exit code {child.exitcode})")
    finally:
        receive.close()
        if child.is_alive():
            child.terminate()  # stopped, or failed: nothing it computed is wanted
        child.join(5)
        if answer is None:
            folder.cleanup()


#: the scratch file's one table: the rows of ``risk_store._INSERT``, in its order
_ROW_COLUMNS = 16


@dataclass
class ScoresFile:
    """The kept scores' rows, written by the child into a scratch SQLite file of its
    own (no lock on the business's database): :func:`app.services.risk_store.store`
    writes them batch by batch, so the window's process never holds the whole table (at
    a million clients about a hundred megabytes of columns). :meth:`close` removes it."""

    path: Path
    as_of: date
    horizon: int
    choice: risk.Choice
    rows: int
    _folder: tempfile.TemporaryDirectory = field(repr=False)

    def __len__(self) -> int:
        return self.rows

    def batches(self, size: int) -> Iterator[list[tuple]]:
        con = sqlite3.connect(self.path)
        try:
            cursor = con.execute("SELECT * FROM r ORDER BY rowid")
            while rows := cursor.fetchmany(size):
                yield rows
        finally:
            con.close()

    def close(self) -> None:
        self._folder.cleanup()


def _save(table: risk.ScoreTable, out: Path) -> tuple:
    """The table's rows into the scratch file ``out``; what else the parent needs."""
    from app.services import risk_store
    con = sqlite3.connect(out)
    try:
        con.execute("PRAGMA journal_mode=OFF")  # a scratch file: rebuilt if lost
        con.execute("PRAGMA synchronous=OFF")
        con.execute("CREATE TABLE r (" + ", ".join(f"c{i}" for i in range(_ROW_COLUMNS))
                    + ")")
        insert = f"INSERT INTO r VALUES ({', '.join('?' * _ROW_COLUMNS)})"
        for batch in risk_store.row_batches(table):
            con.executemany(insert, batch)
        con.commit()
    finally:
        con.close()
    return table.as_of.toordinal(), table.horizon, table.choice.plain(), len(table)


class _PipeProgress:
    """The child's :class:`~app.progress.Progress`: each step sent to the parent (who
    stops the child by ending it, so ``check`` has nothing to ask)."""

    def __init__(self, send) -> None:
        self._send = send

    def report(self, done: int, total: int | None = None, text: str | None = None) -> None:
        self._send.send(("step", done, total or 0))

    def check(self) -> None:
        pass


def child_main(path: str, day_ordinal: int, only_if_due: bool, send, out: str) -> None:
    """The child process: read, choose, fit, score; write the table's columns to ``out``
    and send what else the table holds (or the failure)."""
    try:
        from sqlalchemy import create_engine
        from sqlalchemy.orm import sessionmaker

        from app.services import risk_store
        from app.sqlite_file import connect_read_only

        day = date.fromordinal(day_ordinal)
        engine = create_engine("sqlite://", creator=lambda: connect_read_only(Path(path)))
        progress = _PipeProgress(send)
        try:
            with sessionmaker(engine)() as s:
                if only_if_due and not risk_store.due(s, day):
                    send.send(("scores", None))
                    return
                history = risk_store.read_history(s, day, progress)
                days = risk_store.horizon(s)
        finally:
            engine.dispose()
        table = risk_store.score(history, day, days, progress)
        history = None
        send.send(("scores", _save(table, Path(out))))
        table = None
    except BaseException as exc:  # noqa: BLE001 - the parent logs it and keeps the old
        try:
            send.send(("error", f"{type(exc).__name__}: {exc}"))
        except (OSError, ValueError):
            pass
    finally:
        send.close()
