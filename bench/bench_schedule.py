"""Benchmark: the scheduling engine and the day's queue with many clients.

    .venv/bin/python bench/bench_schedule.py [--clients 100000] [--keep PATH]

Builds (or reuses, with --keep) the same database as bench_clients.py, then times a
full regeneration at start-up (first run creates the tasks, the second finds them all),
a regeneration after editing one client, and the Today queue.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_clients import TODAY, bench_database, print_table  # noqa: E402

from app.db import open_database  # noqa: E402
from app.services import calls, schedule  # noqa: E402


def main() -> int:
    args, path = bench_database(__doc__.splitlines()[0])
    db = open_database(path)
    rows = []
    for label in ("full regeneration (first run)", "full regeneration (again)"):
        t0 = time.perf_counter()
        with db.session() as s:
            stats = schedule.regenerate(s, TODAY)
        rows.append((label, (time.perf_counter() - t0) * 1000,
                     f"{stats.created} created, {stats.unchanged} unchanged"))
    times = []
    for cid in range(1, 51):
        t0 = time.perf_counter()
        with db.session() as s:
            schedule.regenerate(s, TODAY, client_ids=[cid])
        times.append(time.perf_counter() - t0)
    rows.append(("regeneration after one client's edit", statistics.median(times) * 1000,
                 "median of 50"))
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        with db.sessions() as s:
            n = len(calls.today_queue(s, TODAY))
        times.append(time.perf_counter() - t0)
    rows.append(("the Today queue", statistics.median(times) * 1000, f"{n} calls"))
    db.close()
    print()
    print_table(["what", "ms", "note"], [(label, f"{ms:.1f}", note) for label, ms, note in rows])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
