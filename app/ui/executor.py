"""One serialized worker for the database: long work runs there, results come back on the
GUI thread.

After Anki's ``TaskManager``: a single worker thread takes jobs in the order they were
submitted, so two pieces of long work never write at once; each job may report progress
and be asked to stop (:class:`app.progress.Progress`); its result or its failure is
delivered to the GUI thread through a queued signal, where the callbacks run. The work
itself must not touch widgets.

Garbage collection: a full collection walks every object the program holds, on
whichever thread set it off, while every other thread waits for the interpreter (the
window too: at 100,000 clients one took 170 ms in the middle of an export). So while
the executor has work, automatic full collections wait (the young generations are still
collected as usual); they resume when it is idle, once a job's data have gone by
reference counting. A job whose every object dies with it (a chart rendered:
``garbage=Garbage.SHORT_LIVED``) runs with automatic collection paused, and afterwards
only the young generation, which then holds all it made, is collected (a few ms).
:func:`keep_for_good` moves what exists (modules just imported) out of the collector's
reach for good.

The interpreter lock: while the executor works, the interpreter hands its lock over
every millisecond instead of every 5 (:data:`BUSY_SWITCH_INTERVAL_S`). The GUI thread
takes the lock afresh for every call from Qt into Python (a model's ``data()``, a
``paintEvent``, a timer); with the worker busy in Python each take can wait up to one
switch interval, so a paint that calls Python thirty times could wait 150 ms.
"""

from __future__ import annotations

import enum
import gc
import logging
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QObject, Signal

from app.errors import DomainError
from app.progress import Cancelled

log = logging.getLogger(__name__)

#: at most this many progress signals a second reach the GUI thread per job
PROGRESS_INTERVAL_S = 0.05
#: the third collection threshold while an executor has work: no full collection then
POSTPONED_THRESHOLD = 1_000_000
#: how often the interpreter lock changes hands while an executor has work (Python's
#: default is 0.005)
BUSY_SWITCH_INTERVAL_S = 0.001


class Garbage(enum.Enum):
    """What a job leaves for the garbage collector (see the module's docstring)."""

    #: it may make data that outlive it (a report, a plan): the usual collections
    USUAL = "usual"
    #: everything it makes dies with it: collection paused while it runs, then the
    #: young generation collected
    SHORT_LIVED = "short-lived"


class Hold:
    """One holder's claim on a :class:`_ProcessSetting`; :meth:`release` is idempotent
    (a dialog may give it back when it closes and again when it is freed)."""

    def __init__(self, setting: _ProcessSetting) -> None:
        self._setting: _ProcessSetting | None = setting

    def release(self) -> None:
        setting, self._setting = self._setting, None
        if setting is not None:
            setting._release()


class _ProcessSetting:
    """A process-wide setting applied while anyone holds it (counted)."""

    def __init__(self, apply: Callable[[], Any], restore: Callable[[Any], None]) -> None:
        self._apply, self._restore = apply, restore
        self._lock = threading.Lock()
        self._holders = 0
        self._saved: Any = None

    def hold(self) -> Hold:
        with self._lock:
            self._holders += 1
            if self._holders == 1:
                self._saved = self._apply()
        return Hold(self)

    def _release(self) -> None:
        with self._lock:
            if self._holders == 0:
                return
            self._holders -= 1
            if self._holders == 0:
                self._restore(self._saved)
                self._saved = None

    @property
    def held(self) -> bool:
        return self._holders > 0


def _postpone_full_collections() -> tuple[int, int, int]:
    saved = gc.get_threshold()
    gc.set_threshold(saved[0], saved[1], POSTPONED_THRESHOLD)
    return saved


def _switch_often() -> float:
    saved = sys.getswitchinterval()
    sys.setswitchinterval(min(saved, BUSY_SWITCH_INTERVAL_S))
    return saved


#: automatic full collections wait while this is held: by an executor with work, by a
#: window holding large data for a while (the import wizard, a file's rows)
full_collections = _ProcessSetting(_postpone_full_collections,
                                   lambda saved: gc.set_threshold(*saved))
#: the interpreter lock changes hands every BUSY_SWITCH_INTERVAL_S while this is held
switch_often = _ProcessSetting(_switch_often, sys.setswitchinterval)


def keep_for_good() -> None:
    """What the program holds now lives as long as it does (the modules just imported,
    the pages built): moved out of the garbage collector's reach (:func:`gc.freeze`), so
    no full collection walks it again. Objects frozen are still freed when no longer
    referenced; only a cycle among them would stay, so call it after imports, not while
    a job's data are alive."""
    gc.freeze()


class Job:
    """One piece of work on the executor: what it is called, how far it got, whether the
    user asked it to stop, and whether it is done. Implements :class:`app.progress.Progress`
    for the work itself (called on the worker thread)."""

    def __init__(self, executor: DbExecutor, label: str, cancellable: bool,
                 garbage: Garbage = Garbage.USUAL) -> None:
        self.label = label
        self.cancellable = cancellable
        self.garbage = garbage
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
        self._holds: list[Hold] = []

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    @property
    def jobs(self) -> list[Job]:
        return list(self._jobs)

    def submit(self, work: Callable[[Job], Any], *, on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None, label: str = "",
               cancellable: bool = False, garbage: Garbage = Garbage.USUAL) -> Job:
        """Queue ``work(job)``; its result goes to ``on_done``, an exception (a
        :class:`~app.progress.Cancelled` included) to ``on_error`` (default: logged).
        ``garbage``: what the job leaves for the collector (:class:`Garbage`)."""
        if self._closed:
            raise RuntimeError("the database executor is shut down")
        job = Job(self, label, cancellable, garbage)
        job._work, job._on_done, job._on_error = work, on_done, on_error
        if not self._jobs:  # until the queue is empty again
            self._holds = [full_collections.hold(), switch_often.hold()]
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
                if not self._jobs:
                    self._release_holds()
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
        if self._jobs:  # never delivered (no event loop any more): nothing waits now
            self._jobs.clear()
        self._release_holds()

    def _release_holds(self) -> None:
        for hold in self._holds:
            hold.release()
        self._holds = []


def _run(job: Job) -> None:
    """On the worker: run the job's work and hand its outcome to the GUI thread. The
    result or the exception is kept on the Job (which the GUI thread holds until it is
    delivered), never in a local of this thread that could outlive the delivery."""
    executor = job._executor
    paused = job.garbage is Garbage.SHORT_LIVED and gc.isenabled()
    if paused:
        gc.disable()
    try:
        job._outcome = (True, job._work(job))
    except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
        if isinstance(exc, DomainError):  # a refusal the user is told about, not a fault
            log.info("background work refused: %s: %s", job.label, exc.code)
        elif not isinstance(exc, Cancelled):
            log.exception("background work failed: %s", job.label)
        job._outcome = (False, exc)
    finally:
        if paused:
            gc.enable()
            gc.collect(0)  # what the job made, and nothing older
    executor._delivered.emit(job)
