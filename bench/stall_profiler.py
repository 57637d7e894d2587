"""A stall profiler for the GUI benchmarks: what ran while the event loop did not turn.

    from stall_profiler import StallProfiler
    profiler = StallProfiler(threshold_ms=40)
    profiler.start()            # on the GUI thread, once a QApplication exists
    profiler.mark("export")     # name what is being measured (stalls are grouped by it)
    ...
    profiler.stop()
    print(profiler.report())

or ``bench/bench_gui.py --profile-stalls [--only export]``.

How it works:

- a 5 ms QTimer on the GUI thread stamps ``last_beat`` at every tick;
- a watchdog thread wakes every ``sample_ms``; once the beat is late by more than
  ``threshold_ms`` it samples :func:`sys._current_frames` (the GUI thread and every other
  Python thread: the database executor's worker above all) at every wake until the beat
  comes back, then keeps the stall with its samples;
- :data:`gc.callbacks` time every garbage collection (which stops every thread: the GUI
  thread as much as the one that set it off), with its generation, what it collected
  and which thread ran it;
- the watchdog measures its own lateness: when it wakes far later than it asked, some
  thread held the interpreter lock all along without giving it up (a long C call that
  keeps the GIL, or a collection), which sampling cannot see by itself.

A stack of the GUI thread that ends in ``exec`` (the event loop) means it was in Qt's
own C++ code (painting, layout, a nested event loop starting) or waiting for the
interpreter lock to call a Python slot; the worker's stacks and the collections beside
it tell which.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

#: frames of these files are left out of a stack (the benchmark's own driver)
_NOISE = ("stall_profiler.py",)


@dataclass
class Collection:
    """One garbage collection: when (perf_counter), how long, which generation."""

    start: float
    ms: float
    generation: int
    collected: int
    thread: str


@dataclass
class Stall:
    """A time the GUI heartbeat was late by more than the threshold."""

    label: str
    start: float          # the last beat before it (perf_counter)
    ms: float             # the gap between the two beats, minus the interval
    samples: dict[str, list[tuple[float, tuple[str, ...]]]] = field(default_factory=dict)
    collections: list[Collection] = field(default_factory=list)
    watchdog_late_ms: float = 0.0   # the longest the watchdog woke late during it


def _stack(frame, depth: int) -> tuple[str, ...]:
    """A frame's stack as short lines, innermost last, the noise left out (read from the
    frames themselves: no source line is looked up while the GUI waits)."""
    lines = []
    while frame is not None:
        code = frame.f_code
        where = code.co_filename
        if os.path.basename(where) not in _NOISE:
            for marker in ("/app/", "/bench/", "/site-packages/", "/lib/python"):
                if marker in where:
                    where = where[where.index(marker) + 1:]
                    break
            lines.append(f"{where}:{frame.f_lineno} {code.co_name}")
        frame = frame.f_back
    return tuple(reversed(lines[:depth]))


class StallProfiler:
    """See the module's docstring. ``start`` and ``mark`` on the GUI thread."""

    def __init__(self, threshold_ms: float = 40.0, sample_ms: float = 3.0,
                 interval_ms: int = 5, depth: int = 14, sample_after_ms: float = 12.0) -> None:
        self.threshold_s = threshold_ms / 1000
        self.sample_after_s = sample_after_ms / 1000
        self.sample_s = sample_ms / 1000
        self.interval_ms = interval_ms
        self.depth = depth
        self.label = ""
        self.stalls: list[Stall] = []
        self.collections: list[Collection] = []
        self.last_beat = time.perf_counter()
        self._gui_ident: int | None = None
        self._stop = threading.Event()
        self._watchdog: threading.Thread | None = None
        self._timer = None
        self._gc_start: tuple[float, int] | None = None
        self.censuses: list[tuple[str, float, int, list[tuple[str, int]], int,
                                  list[tuple[str, int]]]] = []

    # -- the GUI thread ---------------------------------------------------------------
    def start(self) -> None:
        from PySide6.QtCore import Qt, QTimer
        self._gui_ident = threading.get_ident()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(self.interval_ms)
        self._timer.timeout.connect(self.beat)
        self.last_beat = time.perf_counter()
        self._timer.start()
        gc.callbacks.append(self._on_gc)
        self._watchdog = threading.Thread(target=self._watch, name="stall-watchdog",
                                          daemon=True)
        self._watchdog.start()

    def beat(self) -> None:
        self.last_beat = time.perf_counter()

    def mark(self, label: str) -> None:
        """Stalls from now on belong to ``label``."""
        self.beat()
        self.label = label

    def stop(self) -> None:
        self._stop.set()
        if self._timer is not None:
            self._timer.stop()
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)

        if self._watchdog is not None:
            self._watchdog.join(2)

    # -- garbage collections ------------------------------------------------------------
    def _on_gc(self, phase: str, info: dict) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._gc_start = (now, info.get("generation", -1))
            return
        if self._gc_start is None:
            return
        began, generation = self._gc_start
        self._gc_start = None
        ms = (now - began) * 1000
        # every full collection is kept (after gc.freeze one can be quick and still
        # matter); younger ones only when they took a millisecond or more
        if ms >= 1.0 or generation == 2:  # no lock: a collection starts on any thread
            self.collections.append(Collection(began, ms, generation,
                                               info.get("collected", 0),
                                               threading.current_thread().name))

    def census(self, label: str, top: int = 10) -> tuple:
        """A full collection now, on this thread, and what it found by type: the cyclic
        garbage left since the last one (``label``: what made it). A diagnosis between
        two measured actions (it takes a while, and the next action finds less garbage):
        a large garbage of one kind is what a later automatic collection walks while
        every thread waits."""
        gc.set_debug(gc.DEBUG_SAVEALL)
        began = time.perf_counter()
        try:
            found = gc.collect()
        finally:
            gc.set_debug(0)
        ms = (time.perf_counter() - began) * 1000
        counts = Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.garbage)
        gc.garbage.clear()  # unreachable again: the next collection frees them
        gc.collect()
        # what every full collection walks: the objects alive and not frozen
        live = gc.get_objects()
        kinds = Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in live)
        result = (ms, found, counts.most_common(top), len(live), kinds.most_common(top))
        del live
        self.censuses.append((label, *result))
        return result

    # -- the watchdog -----------------------------------------------------------------
    def _watch(self) -> None:
        current: Stall | None = None
        asked = time.perf_counter()
        while not self._stop.is_set():
            time.sleep(self.sample_s)
            now = time.perf_counter()
            late = max(0.0, (now - asked - self.sample_s) * 1000)
            asked = now
            beat = self.last_beat
            if current is not None and current.start != beat:
                self._close(current, beat)  # the beat came back
                current = None
            if now - beat > self.sample_after_s:
                if current is None:
                    current = Stall(self.label, beat, 0.0)
                current.watchdog_late_ms = max(current.watchdog_late_ms, late)
                self._sample(current, now)
        if current is not None:
            self._close(current, time.perf_counter())

    def _sample(self, stall: Stall, now: float) -> None:
        frames = sys._current_frames()
        me = threading.get_ident()
        threads = threading.enumerate()
        counts = Counter(t.name for t in threads)
        # a name two threads share (two executors' workers) gets the thread's id too
        names = {t.ident: t.name if counts[t.name] == 1 else f"{t.name} ({t.ident})"
                 for t in threads}
        for ident, frame in frames.items():
            if ident == me:
                continue
            name = "GUI" if ident == self._gui_ident else names.get(ident, str(ident))
            stall.samples.setdefault(name, []).append((now, _stack(frame, self.depth)))

    def _close(self, stall: Stall, end: float) -> None:
        """``end``: the first beat after the stall."""
        stall.ms = max(0.0, (end - stall.start) * 1000 - self.interval_ms)
        stall.collections = [c for c in list(self.collections)
                             if c.start < end and c.start + c.ms / 1000 > stall.start]
        if stall.ms >= self.threshold_s * 1000:
            self.stalls.append(stall)

    # -- the report ---------------------------------------------------------------------
    def report(self, top: int = 3, min_ms: float | None = None,
               labels: list[str] | None = None) -> str:
        """The stalls over ``min_ms`` (default: the threshold), longest first within each
        label; for each, the collections inside it and, per thread, its ``top`` most
        sampled stacks."""
        floor = self.threshold_s * 1000 if min_ms is None else min_ms
        out = []
        order = labels or list(dict.fromkeys(s.label for s in self.stalls))
        for label in order:
            stalls = sorted((s for s in self.stalls if s.label == label and s.ms >= floor),
                            key=lambda s: -s.ms)
            if not stalls:
                continue
            gc_ms = sum(c.ms for s in stalls for c in s.collections)
            out.append(f"=== {label or '(no label)'}: {len(stalls)} stall(s) over "
                       f"{floor:.0f} ms, longest {stalls[0].ms:.0f} ms; collections inside "
                       f"them {gc_ms:.0f} ms")
            for stall in stalls[:5]:
                out.append(self._describe(stall, top))
        for label, ms, found, kinds, live, live_kinds in self.censuses:
            out.append(f"=== garbage after {label or '(no label)'}: a full collection "
                       f"took {ms:.0f} ms and found {found} objects")
            out.extend(f"    {n:8d} {kind}" for kind, n in kinds)
            out.append(f"    then {live} objects alive outside the frozen generation "
                       "(what a full collection walks):")
            out.extend(f"    {n:8d} {kind}" for kind, n in live_kinds)
        return "\n".join(out) if out else f"no stall over {floor:.0f} ms"

    def _describe(self, stall: Stall, top: int) -> str:
        lines = [f"--- stall {stall.ms:.0f} ms (watchdog woke up to "
                 f"{stall.watchdog_late_ms:.0f} ms late: the lock was held that long)"]
        for c in stall.collections:
            lines.append(f"    gc generation {c.generation}: {c.ms:.1f} ms, collected "
                         f"{c.collected}, on thread {c.thread}")
        for thread, samples in sorted(stall.samples.items(), key=lambda kv: kv[0] != "GUI"):
            if thread == "stall-watchdog":
                continue
            counts = Counter(stack for _, stack in samples)
            lines.append(f"    [{thread}] {len(samples)} samples, {len(counts)} distinct stacks")
            for stack, n in counts.most_common(top):
                lines.append(f"      {n} x")
                lines.extend(f"          {line}" for line in stack)
        return "\n".join(lines)

    def summary(self) -> list[dict]:
        """The stalls as plain data (for a JSON file)."""
        return [{"label": s.label, "ms": round(s.ms, 1),
                 "watchdog_late_ms": round(s.watchdog_late_ms, 1),
                 "collections": [c.__dict__ for c in s.collections],
                 "stacks": {t: [list(stack) for stack, _ in
                                Counter(st for _, st in v).most_common(3)]
                            for t, v in s.samples.items()}}
                for s in self.stalls]
