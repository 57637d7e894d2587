"""Where the first start of a day goes: the morning after a start, on a copy of a benchmark
file, with each SQL statement timed, the commit apart from the start, and the pages the
morning wrote mapped to their tables and indexes (from the WAL, read before any checkpoint).

    nice -n 10 .venv/bin/python bench/profile_start.py --database FILE [--profile]

FILE is a benchmark database (bench/dataset.py; it is copied, never written). The copy gets
the file's first start on the day after the data's day (everything evaluated), then the
morning of the day after that is measured, as bench_scale.py's "first run of a day" is.
``--profile`` adds cProfile's 40 heaviest functions by own time."""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sqlite3
import struct
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dataset import TODAY  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app.db import open_database  # noqa: E402
from app.services.startup import start_of_day  # noqa: E402


def wal_pages(wal: Path, db: Path) -> tuple[int, Counter]:
    """The frames of a WAL file, by the table or index their page belongs to."""
    data = wal.read_bytes()
    size = struct.unpack(">I", data[8:12])[0]
    pages: set[int] = set()
    frames = 0
    for off in range(32, len(data) - 24 - size + 1, 24 + size):
        pages.add(struct.unpack(">I", data[off:off + 4])[0])
        frames += 1
    by: Counter = Counter()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for name, pageno in con.execute("SELECT name, pageno FROM dbstat"):
            if pageno in pages:
                by[name] += 1
    finally:
        con.close()
    return frames, by


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database", type=Path, required=True)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="profile-start-", dir=args.database.parent))
    copy = work / "start.sqlite"
    try:
        shutil.copyfile(args.database, copy)
        db = open_database(copy, check=False)
        with db.session() as s:
            start_of_day(s, TODAY + timedelta(days=1))
        db.close()
        db = open_database(copy, check=False)
        stmts: dict[str, list] = defaultdict(lambda: [0, 0.0])

        def before(conn, _cursor, _stmt, _params, _context, _many):
            conn.info.setdefault("t0", []).append(time.perf_counter())

        def after(conn, _cursor, stmt, _params, _context, _many):
            row = stmts[" ".join(stmt.split())[:160]]
            row[0] += 1
            row[1] += time.perf_counter() - conn.info["t0"].pop()

        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)
        prof = cProfile.Profile()
        with db.sessions() as s:
            # no checkpoint at the commit: the WAL keeps every page the morning wrote
            s.connection().exec_driver_sql("PRAGMA wal_autocheckpoint=0")
            t0 = time.perf_counter()
            if args.profile:
                prof.enable()
            result = start_of_day(s, TODAY + timedelta(days=2))
            s.flush()
            if args.profile:
                prof.disable()
            t1 = time.perf_counter()
            s.commit()
            t2 = time.perf_counter()
            wal = Path(str(copy) + "-wal")
            kept = work / "morning.wal"
            shutil.copyfile(wal, kept)
            t3 = time.perf_counter()
            s.connection().exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            t4 = time.perf_counter()
        db.close()
        sched = result.schedule
        print(f"load {os.getloadavg()[0]:.1f}; values {result.values_recomputed}, "
              f"{sched.created} created, {sched.moved} moved, {sched.cancelled} cancelled, "
              f"{len(result.regrouped)} regrouped")
        print(f"start {1000 * (t1 - t0):,.0f} ms, commit {1000 * (t2 - t1):,.0f} ms, "
              f"checkpoint {1000 * (t4 - t3):,.0f} ms; statements "
              f"{1000 * sum(t for _n, t in stmts.values()):,.0f} ms")
        for sql, (n, t) in sorted(stmts.items(), key=lambda kv: -kv[1][1])[:15]:
            print(f"{1000 * t:9.1f} ms {n:5d}x  {sql}")
        frames, by = wal_pages(kept, copy)
        print(f"pages written: {frames:,} ({frames * 4096 / 2**20:,.0f} MiB of WAL)")
        for name, n in by.most_common(15):
            print(f"{n:8,d}  {name}")
        if args.profile:
            pstats.Stats(prof).sort_stats("tottime").print_stats(40)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
