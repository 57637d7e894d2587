"""One serialized worker for the database: long work runs there, results come back on the
GUI thread.

After Anki's ``TaskManager``: a single worker thread takes jobs in the order they were
submitted, so two pieces of long work never write at once; each job may report progress
and be asked to stop (:class:`app.progress.Progress`); its result or its failure is
delivered to the GUI thread through a queued signal, where the callbacks run. The work
itself must not touch widgets.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QObject, Signal

from app.progress import Cancelled

log = logging.getLogger(__name__)

#: at most this many progress signals a second reach the GUI thread per job
PROGRESS_INTERVAL_S = 0.05


class Job:
    """One piece of work on the executor: what it is called, how far it got, whether the
    user asked it to stop, and whether it is done. Implements :class:`app.progress.Progress`
    for the work itself (called on the worker thread)."""

    def __init__(self, executor: DbExecutor, label: str, cancellable: bool) -> None:
        self.label = label
        self.cancellable = cancellable
        self.done_steps = 0
        self.total: int | None = None
        self.text: str | None = None
        self.finished = False
        self.ok: bool | None = None
        self._executor: DbExecutor | None = executor
        self._cancel = threading.Event()
        self._last_report = 0.0
        # what the GUI thread owns and clears once the job is delivered: the worker never
        # holds the last reference to a widget, whose wrapper would then be freed on the
        # worker thread (a crash); see DbExecutor.submit
        self._work: Callable[[Job], Any] | None = None
        self._on_done: Callable[[Any], None] | None = None
        self._on_error: Callable[[BaseException], None] | None = None
        self._outcome: tuple[bool, Any] | None = None

    # -- from the worker --------------------------------------------------------------
    def report(self, done: int, total: int | None = None, text: str | None = None) -> None:
        self.done_steps, self.total = done, total
        if text is not None:
            self.text = text
        now = time.monotonic()
        if self._executor is not None and (
                now - self._last_report >= PROGRESS_INTERVAL_S or (total and done >= total)):
            self._last_report = now
            self._executor._progressed.emit(self)

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled(self.label)

    # -- from the GUI -----------------------------------------------------------------
    def cancel(self) -> None:
        if self.cancellable:
            self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class DbExecutor(QObject):
    """The database executor: :meth:`submit` work, get ``on_done(result)`` or
    ``on_error(exception)`` on the GUI thread."""

    job_started = Signal(object)    # Job, on the GUI thread, when submitted
    job_progressed = Signal(object)  # Job
    job_finished = Signal(object)   # Job, after its callbacks ran
    idle = Signal()                 # nothing is waiting or running
    _progressed = Signal(object)    # from the worker (queued to the GUI thread)
    _delivered = Signal(object)     # from the worker: the Job, its outcome set

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clientcare-db")
        self._jobs: list[Job] = []
        self._progressed.connect(self.job_progressed)
        self._delivered.connect(self._deliver)
        self._closed = False

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    @property
    def jobs(self) -> list[Job]:
        return list(self._jobs)

    def submit(self, work: Callable[[Job], Any], *, on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None, label: str = "",
               cancellable: bool = False) -> Job:
        """Queue ``work(job)``; its result goes to ``on_done``, an exception (a
        :class:`~app.progress.Cancelled` included) to ``on_error`` (default: logged)."""
        if self._closed:
            raise RuntimeError("the database executor is shut down")
        job = Job(self, label, cancellable)
        job._work, job._on_done, job._on_error = work, on_done, on_error
        self._jobs.append(job)  # the GUI thread's reference, dropped after delivery
        self.job_started.emit(job)
        self._pool.submit(_run, job)
        return job

    def _deliver(self, job: Job) -> None:
        (ok, value), on_done, on_error = job._outcome, job._on_done, job._on_error
        # from here only the GUI thread holds what the job refers to
        job._work = job._on_done = job._on_error = job._outcome = job._executor = None
        job.finished, job.ok = True, ok
        try:
            if ok and on_done is not None:
                on_done(value)
            elif not ok and on_error is not None:
                on_error(value)
        finally:
            if job in self._jobs:
                self._jobs.remove(job)
            self.job_finished.emit(job)
            if not self._jobs:
                self.idle.emit()

    def wait(self, job: Job | None = None, timeout_ms: int = 120_000) -> bool:
        """Keep the GUI responsive until ``job`` (or every job) has finished and its
        callbacks ran; True when it did within the time. For quitting and for tests."""
        deadline = QDeadlineTimer(timeout_ms)

        def pending() -> bool:
            return not job.finished if job is not None else bool(self._jobs)

        while pending() and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if pending():
                time.sleep(0.002)
        return not pending()

    def shutdown(self) -> None:
        """Finish what runs, then stop the worker (the window is closing)."""
        self._closed = True
        self._pool.shutdown(wait=True)
        QCoreApplication.processEvents()  # deliver the last results


def _run(job: Job) -> None:
    """On the worker: run the job's work and hand its outcome to the GUI thread. The
    result or the exception is kept on the Job (which the GUI thread holds until it is
    delivered), never in a local of this thread that could outlive the delivery."""
    executor = job._executor
    try:
        job._outcome = (True, job._work(job))
    except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
        if not isinstance(exc, Cancelled):
            log.exception("background work failed: %s", job.label)
        job._outcome = (False, exc)
    executor._delivered.emit(job)
