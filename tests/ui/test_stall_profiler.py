"""The stall profiler of the benchmarks (bench/stall_profiler.py): a stall of the GUI
thread is caught with what ran during it, on which thread, and the collections in it."""

from __future__ import annotations

import gc
import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import QTimer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from stall_profiler import StallProfiler  # noqa: E402


def _spin(qapp, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        qapp.processEvents()
        time.sleep(0.002)


def busy_on_the_gui_thread_for_a_while() -> None:
    end = time.perf_counter() + 0.15
    while time.perf_counter() < end:
        sum(range(1000))
    # cyclic garbage for the full collection to find: an earlier test of the same
    # process may have frozen every live object (gc.freeze), and a collection of
    # nothing is over in microseconds
    for _ in range(20_000):
        ring: list = []
        ring.append(ring)
    gc.collect()


def test_a_stall_is_caught_with_the_stack_that_made_it_and_its_collections(qapp):
    profiler = StallProfiler(threshold_ms=40)
    profiler.start()
    try:
        profiler.mark("quiet")
        _spin(qapp, 0.2)
        profiler.mark("busy")
        QTimer.singleShot(0, busy_on_the_gui_thread_for_a_while)
        _spin(qapp, 0.4)
    finally:
        profiler.stop()
    busy = [s for s in profiler.stalls if s.label == "busy"]
    stall = max(busy, key=lambda s: s.ms)
    assert stall.ms >= 120  # the 150 ms of work, measured between two beats
    gui = [stack for _, stack in stall.samples["GUI"]]
    assert sum(any("busy_on_the_gui_thread_for_a_while" in line for line in stack)
               for stack in gui) >= len(gui) // 2
    assert any(c.generation == 2 and c.thread == "MainThread" for c in stall.collections)
    text = profiler.report()
    assert "=== busy: " in text
    assert "busy_on_the_gui_thread_for_a_while" in text and "gc generation 2" in text
    assert "busy" in [row["label"] for row in profiler.summary()]


def test_a_worker_that_holds_the_gui_thread_up_is_sampled_too(qapp):
    profiler = StallProfiler(threshold_ms=40)
    profiler.start()
    done = threading.Event()

    def worker_work() -> None:
        done.wait(5)

    worker = threading.Thread(target=worker_work, name="profiled-worker")
    worker.start()
    try:
        profiler.mark("waiting")
        QTimer.singleShot(0, lambda: time.sleep(0.12))
        _spin(qapp, 0.3)
    finally:
        done.set()
        worker.join()
        profiler.stop()
    stall = next(s for s in profiler.stalls if s.label == "waiting")
    stacks = [stack for _, stack in stall.samples["profiled-worker"]]
    assert stacks and all(any("worker_work" in line for line in st) for st in stacks)


def test_the_garbage_census_says_what_a_collection_found(qapp):
    profiler = StallProfiler()

    class Leftover:
        pass

    gc.disable()  # the cycles wait for the census
    try:
        for _ in range(500):
            a, b = Leftover(), Leftover()
            a.b, b.a = b, a
        del a, b
        ms, found, kinds, live, _ = profiler.census("made cycles")
    finally:
        gc.enable()
    assert found >= 1000 and ms >= 0 and live > 0
    assert dict(kinds)[f"{__name__}.test_the_garbage_census_says_what_a_collection_found"
                       ".<locals>.Leftover"] == 1000
    assert gc.garbage == []
    assert "=== garbage after made cycles" in profiler.report()
