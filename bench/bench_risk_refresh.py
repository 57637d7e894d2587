"""The kept risk scores at scale: ``refresh_risk``'s three steps as the window runs them
(a short read, the scoring with no Session, one short write in batches), the peak
memory, and the list's risk sort and filters over the kept scores; with ``--thresholds``
the precision and recall of "at risk = score >= t" against who bought nothing in the
horizon after a cut (the measure behind the threshold's default).

    nice -n 10 .venv/bin/python bench/bench_risk_refresh.py --clients 100000
    nice -n 10 .venv/bin/python bench/bench_risk_refresh.py --clients 1000000
    nice -n 10 .venv/bin/python bench/bench_risk_refresh.py --clients 1000000 --child
    .venv/bin/python bench/bench_risk_refresh.py --clients 100000 --thresholds \
        [--cdnow CDNOW_master.txt]

The scores (and the win-back calls they bring) are written into a copy of the cached
benchmark file (bench/dataset.py), never into the cache of record, which other benchmarks
read as the dataset made it.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.client_list import ClientColumn, ClientQuery, StatusRules  # noqa: E402
from app.db import open_database  # noqa: E402
from app.enums import ClientStatus  # noqa: E402
from app.models import Purchase, Task  # noqa: E402
from app.models.enums import TaskKind  # noqa: E402
from app.services import clients as client_service  # noqa: E402
from app.services import risk, risk_store  # noqa: E402
from bench.dataset import cached_database  # noqa: E402


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mib() -> float:
    with open(f"/proc/{os.getpid()}/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _timed(label: str, fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    w, c = time.perf_counter() - w0, time.process_time() - c0
    print(f"| {label:<58} | {w:8.2f} | {c:8.2f} | {_rss_mib():8.1f} | {_peak_mib():8.1f} |",
          flush=True)
    return out


def bench_child(clients: int) -> None:
    """The window's way for a large file: read and score in a child process, write here;
    the peak resident set of this process (the window's) beside the child's."""
    import threading

    from app.services import risk_worker
    cached = cached_database(clients)
    path = cached.with_name(f"risk-child-{cached.name}")
    shutil.copyfile(cached, path)
    print(f"## {path.name}, load {os.getloadavg()[0]:.1f}; in a child process")
    db = open_database(path, create=False)
    with db.sessions() as s:
        as_of = s.scalar(select(func.max(Purchase.purchased_on)))
    print(f"as of {as_of}; RSS at the start {_rss_mib():.1f} MiB")
    print("| step | wall s | CPU s (this process) | RSS MiB after | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|")
    t = _timed("1+2. read and score in a child process",
               lambda: risk_worker.score_in_child(path, as_of, False, threading.Event(),
                                                  lambda d, n: None))

    def write():
        with db.session() as s:
            return risk_store.store(s, t)

    _timed("3. write the scores in batches (one write job)", write)
    t.close()  # the child's scratch file of rows
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"the child: peak RSS {child.ru_maxrss / 1024:.1f} MiB, CPU "
          f"{child.ru_utime + child.ru_stime:.2f} s; this process's peak "
          f"{_peak_mib():.1f} MiB")
    db.close()
    path.unlink()
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)


def bench_refresh(clients: int) -> None:
    cached = cached_database(clients)
    path = cached.with_name(f"risk-refresh-{cached.name}")
    shutil.copyfile(cached, path)
    print(f"## {path.name}, load {os.getloadavg()[0]:.1f}")
    db = open_database(path, create=False)
    with db.sessions() as s:
        as_of = s.scalar(select(func.max(Purchase.purchased_on)))
        days = risk_store.horizon(s)
    print(f"as of {as_of}, horizon {days} days; RSS at the start {_rss_mib():.1f} MiB")
    print("| step | wall s | CPU s | RSS MiB after | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|")

    def read():
        with db.sessions() as s:
            return risk_store.read_history(s, as_of)

    h = _timed("1. read the history (one read job)", read)
    t = _timed("2. choose, fit and score (no Session)",
               lambda: risk_store.score(h, as_of, days))

    def write():
        with db.session() as s:
            return risk_store.store(s, t)

    with db.sessions() as s:
        calls = s.scalar(select(func.count()).select_from(Task).where(
            Task.kind == TaskKind.WIN_BACK))
    run = _timed("3. write the scores in batches (one write job)", write)
    with db.sessions() as s:
        after = s.scalar(select(func.count()).select_from(Task).where(
            Task.kind == TaskKind.WIN_BACK))
    print(f"win-back calls {calls:,} before the write, {after:,} after it (the clients the "
          "scores put at risk scheduled in the same write)")
    # the next morning's refresh: the same history a day later, few newly flagged
    next_day = as_of + timedelta(days=1)

    def read_next():
        with db.sessions() as s:
            return risk_store.read_history(s, next_day)

    h = t = None
    h = _timed("next day: 1. read", read_next)
    t = _timed("next day: 2. score", lambda: risk_store.score(h, next_day, days))

    def write_next():
        with db.session() as s:
            return risk_store.store(s, t)

    _timed("next day: 3. write (and schedule the newly flagged)", write_next)
    with db.sessions() as s:
        again = s.scalar(select(func.count()).select_from(Task).where(
            Task.kind == TaskKind.WIN_BACK))
    print(f"win-back calls {again:,} after the next day's write")
    h = t = None  # freed before the list is timed
    print(f"kept {run.clients:,} scores, model {run.model} ({run.reason}; "
          + ", ".join(f"{m} {a if a is None else round(a, 4)}" for m, a in run.aucs.items())
          + ")")
    with db.sessions() as s:
        rules = StatusRules.from_settings(s, as_of)
        region = "PL"
        for desc in (True, False):
            q = ClientQuery(sort=ClientColumn.RISK, descending=desc)
            ids = _timed(f"list sorted by risk {'desc' if desc else 'asc'}, first page (201)",
                         lambda q=q: client_service.client_ids(s, q, rules, region,
                                                               limit=201))
            _timed("  its rows (client_rows of 200)",
                   lambda ids=ids: client_service.client_rows(s, ids[:200], rules))
        q = ClientQuery(sort=ClientColumn.RISK, descending=True)
        _timed("list sorted by risk desc, a page at offset 50,000",
               lambda: client_service.client_ids(s, q, rules, region, limit=5001,
                                                 offset=50_000))
        q = ClientQuery(risk="high")
        _timed("filter high risk, by name, first page",
               lambda: client_service.client_ids(s, q, rules, region, limit=201))
        n = _timed("  count of high risk",
                   lambda: client_service.count_listed(s, q, rules, region))
        print(f"  {n:,} high-risk clients")
        q = ClientQuery(status=ClientStatus.AT_RISK)
        n = _timed("filter at risk (the status), count",
                   lambda: client_service.count_listed(s, q, rules, region))
        print(f"  {n:,} at risk at {rules.risk_threshold:.2f}")
    db.close()
    path.unlink()
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)


def _threshold_lines(h: risk.History, cut, horizon: int, label: str) -> None:
    s = risk.summarize(h, cut)
    y = risk.lost_after(h, s, horizon)
    t = risk.score_table(h, cut, horizon)
    old = risk.old_rule_flag(h, s)
    print(f"### {label}: cut {cut}, +{horizon} d, {len(s):,} clients, {int(y.sum()):,} lost "
          f"({y.mean():.1%}), model {t.choice.model}")
    print("| flag | flagged | precision | recall | F1 |")
    print("|---|---:|---:|---:|---:|")

    def line(name: str, flag: np.ndarray) -> None:
        tp = int((flag & y).sum())
        p = tp / int(flag.sum()) if flag.any() else float("nan")
        r = tp / int(y.sum()) if y.any() else float("nan")
        f1 = 2 * p * r / (p + r) if p + r else float("nan")
        print(f"| {name} | {flag.mean():.1%} | {p:.4f} | {r:.4f} | {f1:.4f} |")

    line("old gap rule", old)
    for thr in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
        line(f"score >= {thr:.2f}", t.score >= thr)


def bench_thresholds(clients: int, cdnow: Path | None) -> None:
    path = cached_database(clients)
    db = open_database(path, create=False)
    with db.sessions() as s:
        last = s.scalar(select(func.max(Purchase.purchased_on)))
        for back in (90, 180):
            cut = last - timedelta(days=back)
            h = risk.load_history(s, cut + timedelta(days=90))
            _threshold_lines(h, cut, 90, path.name)
    db.close()
    if cdnow is not None:
        from datetime import date

        from bench.bench_risk import read_cdnow
        h = read_cdnow(cdnow)
        for cut in (date(1997, 12, 31), date(1998, 3, 31)):
            _threshold_lines(h, cut, 90, "CDNOW")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=100_000)
    ap.add_argument("--thresholds", action="store_true")
    ap.add_argument("--cdnow", type=Path)
    ap.add_argument("--child", action="store_true",
                    help="read and score in a child process, as the window does for a "
                         "large file; this process's peak memory beside the child's")
    args = ap.parse_args()
    if args.thresholds:
        bench_thresholds(args.clients, args.cdnow)
    elif args.child:
        bench_child(args.clients)
    else:
        bench_refresh(args.clients)


if __name__ == "__main__":
    main()
