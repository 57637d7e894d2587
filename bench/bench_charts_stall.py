"""Benchmark: how long the GUI thread stalls on the Charts page with many clients.

    .venv/bin/python bench/bench_charts_stall.py [--clients 100000] [--keep PATH]
        [--profile-stalls [MS]]

Builds (or reuses, with --keep) the database of bench_clients.py / bench_metrics.py, opens
the Charts page at 1280 x 720 (offscreen) and measures, with a 5 ms QTimer heartbeat, the
longest time the event loop did not turn (the "stall") during

- the first visit: the page is shown, matplotlib comes in, the report is computed and
  the twelve charts are drawn;
- a refresh: the report computed again and the charts drawn again;

and the wall time until the last chart is drawn. Run it in a fresh process: the first
visit is only first once. ``--profile-stalls``: what ran during each stall over MS
(default 40), by bench/stall_profiler.py.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_clients import TODAY, bench_database, print_table  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.db import open_database  # noqa: E402


class Heartbeat:
    """The longest gap between two ticks of a 5 ms timer: the longest stall."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self.longest = 0

    def _tick(self) -> None:
        gap = self.clock.restart()
        self.longest = max(self.longest, gap)

    def start(self) -> None:
        self.longest = 0
        self.clock.start()
        self.timer.start()

    def stop(self) -> int:
        self.timer.stop()
        return self.longest


def run_until(app: QApplication, done, timeout_s: float = 600) -> float:
    t0 = time.perf_counter()
    while not done():
        app.processEvents()
        if time.perf_counter() - t0 > timeout_s:
            raise TimeoutError("the charts did not finish")
        time.sleep(0.001)
    return time.perf_counter() - t0


def profile_option() -> float | None:
    """``--profile-stalls [MS]``, taken off the command line before the shared options
    are read."""
    if "--profile-stalls" not in sys.argv:
        return None
    i = sys.argv.index("--profile-stalls")
    sys.argv.pop(i)
    if i < len(sys.argv) and sys.argv[i].replace(".", "", 1).isdigit():
        return float(sys.argv.pop(i))
    return 40.0


def main() -> int:
    threshold = profile_option()
    args, path = bench_database(__doc__.splitlines()[0])
    app = QApplication.instance() or QApplication([])
    profiler = None
    if threshold is not None:
        from stall_profiler import StallProfiler
        profiler = StallProfiler(threshold_ms=threshold)
        profiler.start()
    from app.ui.charts_page import ChartsPage
    from app.ui.ops import Ops
    db = open_database(path)
    ops = Ops(db)
    page = ChartsPage(ops, today=TODAY)
    page.resize(1280, 720)
    beat = Heartbeat()
    rows = []

    def drawn() -> bool:
        gate = getattr(page, "gate", None)
        return page.view is not None and not page.view.busy and not (gate and gate.stale)

    beat.start()
    if profiler is not None:
        profiler.mark("first visit")
    page.show()
    wall = run_until(app, drawn)
    rows.append(("first visit (matplotlib, report, 12 charts)", beat.stop(), wall))
    for i in range(2):
        beat.start()
        if profiler is not None:
            profiler.mark(f"refresh {i + 1}")
        page.view.redraw()
        wall = run_until(app, drawn)
        rows.append(("refresh (report, 12 charts)", beat.stop(), wall))
    ops.wait()
    ops.executor.shutdown()
    db.close()
    if profiler is not None:
        profiler.stop()
        print(profiler.report())
    print(f"\n{args.clients:,} clients\n")
    print_table(["what", "longest stall ms", "until drawn s"],
                [(what, f"{ms}", f"{s:.1f}") for what, ms, s in rows])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
