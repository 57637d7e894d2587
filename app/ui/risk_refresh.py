"""The risk scores recomputed in the background: after the start of a day, after an
import, after the horizon setting changed.

``refresh_risk`` (app/services/risk_store.py) in three steps so the one database executor
is held only briefly: on a plain worker thread the history is read on that thread's own
read-only Session (a snapshot, in WAL mode, that the window's writes do not disturb) and
the model is chosen, fitted and scores computed with no Session at all (about a minute of
CPU at a million clients: the window's reads and writes go on meanwhile); then the scores
are written back in one write job on the executor, in batches. The status bar says how far it got;
quitting stops it (:meth:`RiskRefresher.cancel`), and nothing half-written is kept.
"""

from __future__ import annotations

import logging
import threading
from datetime import date

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

from app.progress import Cancelled
from app.ui.ops import Job, Ops

log = logging.getLogger(__name__)


class _ThreadProgress:
    """The scoring thread's :class:`app.progress.Progress`: a stop flag, and each step
    sent to the GUI thread."""

    def __init__(self, refresher: RiskRefresher) -> None:
        self.stop = threading.Event()
        self._refresher = refresher

    def report(self, done: int, total: int | None = None, text: str | None = None) -> None:
        self._refresher._stepped.emit(done, total or 0)

    def check(self) -> None:
        if self.stop.is_set():
            raise Cancelled("risk")


def _score_here(db, day: date, only_if_due: bool, progress: _ThreadProgress):
    """The scores of a small file, on the calling (worker) thread: the history read on
    that thread's own read-only Session, not the executor's (in WAL mode it sees one
    snapshot while the window's reads and writes go on); None when nothing is due."""
    from app.services import risk_store
    with db.sessions() as s:
        if only_if_due and not risk_store.due(s, day):
            return None
        history = risk_store.read_history(s, day, progress)
        days = risk_store.horizon(s)
    return risk_store.score(history, day, days, progress)


def _keep(session, table, job):
    """The scores kept (the write job); a child's scratch file removed after it."""
    from app.services import risk_store
    try:
        return risk_store.store(session, table, job)
    finally:
        if hasattr(table, "close"):
            table.close()


class RiskRefresher(QObject):
    """Runs one refresh at a time; asked again meanwhile, it runs once more after."""

    finished = Signal(object)  # the kept RiskRun, or None: nothing was due, or it stopped
    progressed = Signal(str)  # a line for the status bar ("" once done)
    _stepped = Signal(int, int)  # from the scoring thread
    _scored = Signal(object, object)  # (the table or None, the failure or None)

    def __init__(self, ops: Ops, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.running = False
        self._again: tuple[date | None, bool] | None = None
        self._job: Job | None = None
        self._progress: _ThreadProgress | None = None
        self._thread: threading.Thread | None = None
        self._cancelled = False
        self._stepped.connect(self._on_stepped)
        self._scored.connect(self._on_scored)

    def refresh(self, today: date | None = None, *, only_if_due: bool = False) -> bool:
        """Recompute the kept scores for ``today`` (default: the day it runs) in the
        background; ``only_if_due``: not when they are of that day and horizon already.
        False when nothing starts (read-only, stopped, or queued behind the one running)."""
        if self._cancelled or self.ops.db.read_only:
            return False
        if self.running:
            self._again = (today, only_if_due)
            return False
        self.running = True
        day = today or date.today()
        self.progressed.emit(self.tr("Risk scores: reading the purchases…"))
        progress = self._progress = _ThreadProgress(self)
        scored, db = self._scored, self.ops.db

        def work() -> None:
            # lazy: start-up; imported here, on this thread (numpy, scipy: slow)
            from app.services import risk_worker
            try:
                if risk_worker.wants_child(db.path):
                    # a large file: in a child process, whose memory goes with it
                    table = risk_worker.score_in_child(db.path, day, only_if_due,
                                                       progress.stop, progress.report)
                else:
                    table = _score_here(db, day, only_if_due, progress)
                outcome = (table, None)
            except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
                outcome = (None, exc)
            try:
                scored.emit(*outcome)
            except RuntimeError:  # the window is gone: nobody waits for it
                pass

        self._thread = threading.Thread(target=work, name="clientcare-risk", daemon=True)
        self._thread.start()
        return True

    def _on_stepped(self, done: int, total: int) -> None:
        if self.running and self._job is None and total:
            self.progressed.emit(self.tr("Risk scores: computing (step %1 of %2)…")
                                 .replace("%1", str(done)).replace("%2", str(total)))

    def _on_scored(self, table, error) -> None:
        self._thread = self._progress = None
        if table is None and error is None:  # nothing was due
            self._end(None)
            return
        if error is not None or self._cancelled:
            if error is not None and not isinstance(error, Cancelled):
                log.error("the risk scores were not computed: %r", error)
            self._end(None)
            return
        self.progressed.emit(self.tr("Risk scores: saving…"))
        try:
            self._job = self.ops.submit(
                None, lambda s, job: _keep(s, table, job),
                label=self.tr("Risk scores: saving…"), cancellable=True,
                on_done=self._end, on_error=self._on_failed,
                on_cancel=lambda: self._end(None))
        except RuntimeError:  # the executor was shut down meanwhile (the window closed)
            self._job = None
        if self._job is None:
            self._end(None)

    def _on_failed(self, exc) -> None:
        log.error("the risk scores were not kept: %s", exc)  # the old ones stay
        self._end(None)

    def _end(self, run) -> None:
        self._job = None
        self.running = False
        if not isValid(self):
            return
        self.progressed.emit("")
        self.finished.emit(run)
        again, self._again = self._again, None
        if again is not None and not self._cancelled:
            self.refresh(again[0], only_if_due=again[1])

    def cancel(self) -> None:
        """Stop what runs (the window is closing): the read or the write job is asked to
        stop, the scoring thread stops at its next step; nothing is kept."""
        self._cancelled = True
        self._again = None
        if self._job is not None:
            self._job.cancel()
        if self._progress is not None:
            self._progress.stop.set()

    def wait(self, timeout_s: float = 120.0) -> bool:
        """For tests and quitting: the scoring thread has ended."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
            return not thread.is_alive()
        return True
