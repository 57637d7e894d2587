"""Benchmark: the client list with 100,000 clients.

    .venv/bin/python bench/bench_clients.py [--clients 100000] [--purchases 10] [--keep PATH]
        [--cache DIR]

Takes the benchmark database of N clients of bench/dataset.py (built and cached on first
use; Faker names, Polish mobile numbers, about ``--purchases`` purchases each), then
times what the Clients page does: open the file, one search-as-you-type query per
keystroke, each sort, each filter, and the fetch of one block of shown rows. Prints a table; targets: every keystroke query under 150 ms,
a block of rows under 20 ms. Speed is checked here, never in unit tests.
"""

from __future__ import annotations

import argparse
import atexit
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import dataset  # noqa: E402
from dataset import TODAY  # noqa: E402, F401 - the day every benchmark measures

from app.db import open_database  # noqa: E402
from app.models.enums import ClientStatus, Segment  # noqa: E402
from app.services import clients as client_service  # noqa: E402


def build(path: Path, n: int, per_client: int = dataset.DEFAULT_PURCHASES,
          seed: int = dataset.DEFAULT_SEED) -> float:
    """The benchmark database of bench/dataset.py at ``path``; returns the seconds."""
    return dataset.build(path, n, per_client, seed=seed, log=lambda s: print(s, flush=True)
                         ).seconds


def bench_database(description: str) -> tuple[argparse.Namespace, Path]:
    """The command line every benchmark shares (--clients, --purchases, --keep, --cache)
    and the database it names: bench/dataset.py's cached file of that size (built on first
    use), copied for this run (the benchmark may write; the cached file stays as built and
    the copy is removed at exit). ``--keep PATH``: use (or build) the file at PATH itself,
    changes included."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--clients", type=int, default=100_000)
    ap.add_argument("--purchases", type=int, default=dataset.DEFAULT_PURCHASES,
                    help="purchases per client, on average")
    ap.add_argument("--keep", type=Path, help="reuse or keep the database at this path")
    ap.add_argument("--cache", type=Path, default=dataset.DEFAULT_CACHE,
                    help="the folder of the cached benchmark databases")
    args = ap.parse_args()
    if args.keep:
        path = args.keep
        if not path.exists():
            print(f"building {args.clients:,} clients at {path} ...", flush=True)
            print(f"built in {build(path, args.clients, args.purchases):.1f} s")
        return args, path
    cached = dataset.cached_database(args.clients, args.purchases, cache=args.cache,
                                     log=lambda s: print(s, flush=True))
    work = Path(tempfile.mkdtemp(prefix="bench-run-", dir=args.cache))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    path = work / cached.name
    shutil.copyfile(cached, path)
    return args, path


def timed(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> int:
    args, path = bench_database(__doc__.splitlines()[0])
    t0 = time.perf_counter()
    db = open_database(path)
    open_ms = (time.perf_counter() - t0) * 1000
    results: list[tuple[str, float, int]] = [("open the file (checks + migrations)", open_ms, 0)]
    with db.sessions() as s:
        rules = client_service.StatusRules.from_settings(s, TODAY)
        total = client_service.count_clients(s)

        def q(**kw):
            return client_service.client_ids(s, client_service.ClientQuery(**kw), rules, "PL")

        cases = [
            ("list, sorted by name", dict()),
            ("type 'a'", dict(text="a")),
            ("type 'an'", dict(text="an")),
            ("type 'ann'", dict(text="ann")),
            ("type 'anna kow'", dict(text="anna kow")),
            ("type phone '601'", dict(text="601")),
            ("type phone '601 23'", dict(text="601 23")),
            ("type phone '+48 601-234-567'", dict(text="+48 601-234-567")),
            ("sort by 12-month value, desc", dict(sort=client_service.ClientColumn.VALUE_12M,
                                                  descending=True)),
            ("sort by last purchase", dict(sort=client_service.ClientColumn.LAST_PURCHASE)),
            ("sort by status", dict(sort=client_service.ClientColumn.STATUS)),
            ("sort by tags", dict(sort=client_service.ClientColumn.TAGS)),
            ("filter group A", dict(segment=Segment.A)),
            ("filter status at risk", dict(status=ClientStatus.AT_RISK)),
            ("filter tag", dict(tag_id=1)),
        ]
        for label, kw in cases:
            n = len(q(**kw))
            results.append((label, timed(lambda kw=kw: q(**kw)), n))
        ids = q()
        mid = ids[len(ids) // 2: len(ids) // 2 + 200]
        results.append(("fetch one block of 200 shown rows",
                        timed(lambda: client_service.client_rows(s, mid, rules)), len(mid)))
        t0 = time.perf_counter()
        client_service.refresh_values(s, TODAY)
        results.append(("daily refresh of 12-month values", (time.perf_counter() - t0) * 1000,
                        total))
        s.rollback()
    db.close()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{total:,} clients, file {path.stat().st_size / 2**20:.0f} MiB, "
          f"peak RSS {rss_mb:.0f} MiB\n")
    print_table(["what", "median ms", "rows"], [(label, f"{ms:.1f}", f"{n:,}")
                                                for label, ms, n in results])
    return 0


def print_table(header: list[str], rows: list[tuple[str, ...]]) -> None:
    """A Markdown table, ready to paste into RESULTS.md."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    for i, row in enumerate([header, *rows]):
        cells = [str(c).ljust(w) if j == 0 else str(c).rjust(w)
                 for j, (c, w) in enumerate(zip(row, widths, strict=True))]
        print("| " + " | ".join(cells) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


if __name__ == "__main__":
    raise SystemExit(main())
