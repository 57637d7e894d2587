"""CPU time (user + system, which a loaded machine does not inflate) and wall time of the
Charts report as the page asks for it (three runs), beside the hand-written SQL over the
kept figures (bench/hand_sql_agg.py, every series once), on a benchmark file of migration
0011 or later:

    .venv/bin/python bench/bench_charts_cpu.py /tmp/clientcare-bench/bench-1000000c-...-0011.sqlite
"""

from __future__ import annotations

import resource
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import hand_sql_agg  # noqa: E402
from dataset import TODAY  # noqa: E402

from app.db import open_database  # noqa: E402
from app.services import metrics  # noqa: E402


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(what: str, fn) -> None:
    c0, t0 = cpu(), time.perf_counter()
    fn()
    print(f"{what}: wall {1000 * (time.perf_counter() - t0):,.0f} ms, "
          f"cpu {1000 * (cpu() - c0):,.0f} ms", flush=True)


def main() -> int:
    path = sys.argv[1]
    start, end = metrics.default_range(TODAY)
    by = metrics.By.MONTH
    db = open_database(path, check=False, create=False)
    try:
        with db.sessions() as s:
            for _ in range(3):
                timed("app report", lambda: metrics.report(s, start, end, by, TODAY, today=TODAY,
                                                           heavy_limit=2000))
            timed("app time_and_value",
                  lambda: metrics.time_and_value(s, start, end, limit=2000))
    finally:
        db.close()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    series = hand_sql_agg.series(start, end, by, TODAY)
    timed("hand over the figures, every series", lambda: [f(con) for f in series.values()])
    timed("hand time_and_value", lambda: series["time_and_value"](con))
    con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
