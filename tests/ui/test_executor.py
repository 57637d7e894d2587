"""The database executor: work runs off the GUI thread, in order, and its result, its
changes or its failure come back on the GUI thread."""

from __future__ import annotations

import gc
import sys
import threading
import weakref

from PySide6.QtWidgets import QMessageBox, QPushButton
from sqlalchemy import select

from app.changes import Entity
from app.errors import DomainError
from app.models import Client
from app.ui.executor import (
    BUSY_SWITCH_INTERVAL_S,
    POSTPONED_THRESHOLD,
    DbExecutor,
    Garbage,
    full_collections,
    keep_for_good,
    switch_often,
)
from app.ui.progress import BusyIndicator, JobProgressDialog


def test_work_runs_off_the_gui_thread_and_results_come_back_on_it(qtbot, qapp):
    executor = DbExecutor()
    gui = threading.get_ident()
    seen = {}

    def work(job):
        seen["worker"] = threading.get_ident()
        return 42

    def done(value):
        seen["done"] = (value, threading.get_ident())

    job = executor.submit(work, on_done=done, label="answer")
    assert executor.wait(job)
    assert seen["worker"] != gui and seen["done"] == (42, gui)
    assert job.finished and job.ok and not executor.busy
    executor.shutdown()


def test_jobs_run_one_at_a_time_in_order(qtbot, qapp):
    executor = DbExecutor()
    order, running = [], []

    def work(n):
        def run(job):
            running.append(n)
            assert len(running) == 1, "two jobs ran at once"
            order.append(n)
            running.remove(n)
        return run

    for n in range(5):
        executor.submit(work(n), label=str(n))
    assert executor.wait()
    assert order == [0, 1, 2, 3, 4]
    executor.shutdown()


def test_progress_and_stopping(qtbot, qapp):
    executor = DbExecutor()
    go = threading.Event()
    progressed, stopped = [], []

    def work(job):
        for i in range(1000):
            job.report(i, 1000, f"step {i}")
            go.wait(1)
            job.check()
        return "finished"

    executor.job_progressed.connect(lambda j: progressed.append(j.done_steps))
    job = executor.submit(work, label="long", cancellable=True,
                          on_error=lambda exc: stopped.append(type(exc).__name__))
    qtbot.waitUntil(lambda: bool(progressed), timeout=3000)
    job.cancel()
    go.set()
    assert executor.wait(job)
    assert stopped == ["Cancelled"] and not job.ok
    executor.shutdown()


def test_ops_submit_announces_the_changes_then_calls_back(qtbot, ops, db):
    announced, results = [], []
    ops.bus.changed.connect(announced.append)

    def work(s, job):
        c = Client(name="Ewa Lis")
        s.add(c)
        s.flush()
        return c.id

    job = ops.submit(None, work, label="add", on_done=results.append)
    assert ops.wait(job)
    [cid] = results
    assert announced and announced[-1].touches(Entity.CLIENT)
    assert cid in announced[-1].client_ids
    with db.sessions() as s:
        assert s.scalar(select(Client.name).where(Client.id == cid)) == "Ewa Lis"


def test_a_failure_in_the_background_is_a_message_and_nothing_is_kept(qtbot, ops, db,
                                                                      monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    announced = []
    ops.bus.changed.connect(announced.append)

    def work(s, job):
        s.add(Client(name="Half Done"))
        s.flush()
        raise DomainError("date.future", "no")

    job = ops.submit(None, work, label="fails")
    assert ops.wait(job)
    assert shown == ["A purchase cannot be dated in the future."]
    assert announced == []
    with db.sessions() as s:
        assert s.scalar(select(Client).where(Client.name == "Half Done")) is None


def test_an_unexpected_error_in_the_background_is_said_in_words(qtbot, ops, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    job = ops.submit(None, lambda s, job: 1 / 0, label="bug", write=False)
    assert ops.wait(job)
    assert len(shown) == 1 and "Traceback" not in shown[0] and "nothing was changed" in shown[0]


def test_a_read_only_database_refuses_background_writes(qtbot, ops, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    ops.db.read_only = True
    try:
        assert ops.submit(None, lambda s, job: None, label="write") is None
    finally:
        ops.db.read_only = False
    assert len(shown) == 1


def test_the_progress_dialog_follows_its_job_and_stops_it(qtbot, ops):
    go = threading.Event()

    def work(s, job):
        for i in range(50):
            job.report(i, 50, "counting")
            go.wait(0.05)
            job.check()

    cancelled = []
    job = ops.submit(None, work, label="count", write=False, cancellable=True,
                     on_cancel=lambda: cancelled.append(True))
    dialog = JobProgressDialog(None, ops.executor, job)
    qtbot.waitUntil(lambda: dialog.maximum() == 50, timeout=3000)
    assert dialog.labelText() == "counting"
    [stop] = dialog.findChildren(QPushButton)
    assert stop.text() == "Stop"
    stop.click()
    go.set()
    assert ops.wait(job)
    assert cancelled == [True]


def test_the_status_bar_line_shows_background_work(qtbot, ops):
    indicator = BusyIndicator(ops.executor)
    qtbot.addWidget(indicator)
    go = threading.Event()
    job = ops.submit(None, lambda s, job: go.wait(5), label="Starting the day…", write=False)
    qtbot.waitUntil(indicator.isVisible, timeout=3000)
    assert indicator.label.text() == "Starting the day…"
    go.set()
    assert ops.wait(job)
    assert not indicator.isVisible()


def test_quitting_asks_every_open_editor(qtbot, ops):
    from PySide6.QtWidgets import QWidget

    class Editor(QWidget):
        def __init__(self, keep_open):
            super().__init__()
            self.keep_open = keep_open
            self.asked = False

        def closeEvent(self, event):  # noqa: N802
            self.asked = True
            event.setAccepted(not self.keep_open)

    calm, stubborn = Editor(False), Editor(True)
    for w in (calm, stubborn):
        qtbot.addWidget(w)
        w.show()
        ops.register_editor(w)
    assert ops.close_editors() is False  # the newest stayed open: quitting stops
    assert stubborn.asked and not calm.asked
    stubborn.keep_open = False
    assert ops.close_editors() is True and calm.asked
    assert ops.open_editors() == []



def test_while_busy_wait_while_the_executor_has_work(qtbot, qapp):
    """A full collection walks every object while every thread waits: none starts in
    the middle of a job; the young generations are collected as usual; the usual
    thresholds are back once the executor is idle."""
    usual, interval = gc.get_threshold(), sys.getswitchinterval()
    executor = DbExecutor()
    seen = []
    job = executor.submit(lambda job: seen.append((gc.get_threshold(),
                                                   sys.getswitchinterval())), label="work")
    assert gc.get_threshold()[2] == POSTPONED_THRESHOLD  # from the moment it is queued
    assert executor.wait(job)
    thresholds, busy_interval = seen[0]
    assert thresholds[:2] == usual[:2] and thresholds[2] == POSTPONED_THRESHOLD
    # the interpreter lock changes hands more often while the worker works: the GUI
    # thread waits less each time Qt calls into Python
    assert busy_interval == BUSY_SWITCH_INTERVAL_S < interval
    assert gc.get_threshold() == usual and sys.getswitchinterval() == interval
    assert not full_collections.held and not switch_often.held
    executor.shutdown()


def test_while_busy_wait_for_every_executor_and_resume_after_the_last(qtbot, qapp):
    usual = gc.get_threshold()
    first, second = DbExecutor(), DbExecutor()
    go = threading.Event()
    a = first.submit(lambda job: go.wait(10), label="a")
    b = second.submit(lambda job: None, label="b")
    assert second.wait(b)
    assert gc.get_threshold()[2] == POSTPONED_THRESHOLD  # the first one still works
    go.set()
    assert first.wait(a)
    assert gc.get_threshold() == usual
    first.shutdown()
    second.shutdown()


def test_a_short_lived_job_runs_without_collection_and_its_garbage_goes_after(qtbot, qapp):
    class Node:
        pass

    executor = DbExecutor()
    inside = {}
    left: list[weakref.ref] = []

    def work(job):
        inside["enabled"] = gc.isenabled()
        for _ in range(2000):  # cycles: only a collection frees them
            a, b = Node(), Node()
            a.other, b.other = b, a
            left.append(weakref.ref(a))
        return "drawn"

    job = executor.submit(work, label="draw", garbage=Garbage.SHORT_LIVED)
    assert executor.wait(job) and job.ok
    assert inside["enabled"] is False and gc.isenabled()
    assert all(ref() is None for ref in left)  # the young generation was collected
    usual = executor.submit(lambda job: gc.isenabled(), label="usual",
                            on_done=lambda v: inside.update(usual=v))
    assert executor.wait(usual) and inside["usual"] is True
    executor.shutdown()


def test_a_short_lived_job_that_fails_turns_collection_back_on(qtbot, qapp):
    executor = DbExecutor()
    failures = []

    def work(job):
        raise DomainError("x.failed", "no")

    job = executor.submit(work, label="fails", garbage=Garbage.SHORT_LIVED,
                          on_error=failures.append)
    assert executor.wait(job) and not job.ok
    assert failures and gc.isenabled()
    executor.shutdown()


def test_keep_for_good_moves_what_exists_out_of_the_collectors_reach(qtbot, qapp):
    kept = [object() for _ in range(3)] + [[1], {"a": 1}]
    before = gc.get_freeze_count()
    keep_for_good()
    assert gc.get_freeze_count() >= before + 2
    assert not any(o is kept[3] for o in gc.get_objects(generation=2))
    gc.unfreeze()  # back as it was for the tests that follow
