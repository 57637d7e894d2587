"""The risk scores of a large file computed in a child process.

At a million clients the history and the model's arrays take about a gigabyte for a
minute; in the window's own process that memory would stay with it (Python and the C
allocator give little back), and the scoring's Python parts would take the interpreter
lock from the GUI thread. A child process (``multiprocessing``, *spawn*: a fresh
interpreter on every platform, as a frozen build needs) reads the history on its own
read-only connection, chooses, fits and scores, and sends the finished
:class:`~app.services.risk.ScoreTable` back; its memory goes with it. The parent only
writes the scores (app/services/risk_store.py ``store``).

A small file is scored in the window's process (a child's start, about two seconds of
imports, would cost more than the work): :func:`wants_child` decides by the file's
size. No Qt here.
"""

from __future__ import annotations

import logging
import multiprocessing
import tempfile
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

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
                   on_step: Callable[[int, int], None]) -> risk.ScoreTable | None:
    """The scores as of ``day`` of the file at ``path``, computed in a child process
    (None when ``only_if_due`` and they are of that day already). Blocks the calling
    thread (not the GUI thread); ``stop`` set ends the child at once and raises
    :class:`Cancelled`; ``on_step(done, total)`` follows its steps."""
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    folder = tempfile.TemporaryDirectory(prefix="clientcare-risk-")
    out = Path(folder.name) / "scores.npz"
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
                    return None if message[1] is None else _load(out, message[1])
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
        folder.cleanup()


#: the table's columns, written by the child into one .npz file (plain arrays: no pickle
#: of a hundred megabytes through the pipe, and none of the copies that costs)
_COLUMNS = ("client_id", "score", "level", "own_gap", "gap", "since", "ratio",
            "purchase_days", "value_cents", "value_level", "expected_gap")


def _save(table: risk.ScoreTable, out: Path) -> tuple:
    arrays = {name: getattr(table, name) for name in _COLUMNS
              if getattr(table, name) is not None}
    np.savez(out, **arrays)
    return table.as_of.toordinal(), table.horizon, table.choice


def _load(out: Path, meta: tuple) -> risk.ScoreTable:
    from app.services import risk
    as_of, horizon, choice = meta
    with np.load(out, allow_pickle=False) as saved:
        columns = {name: saved[name] if name in saved.files else None for name in _COLUMNS}
    return risk.ScoreTable(date.fromordinal(as_of), horizon, choice, **columns)


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
    except BaseException as exc:  # noqa: BLE001 - the parent logs it and keeps the old
        try:
            send.send(("error", f"{type(exc).__name__}: {exc}"))
        except (OSError, ValueError):
            pass
    finally:
        send.close()
