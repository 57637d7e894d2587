"""Benchmark: the client list with 100,000 clients.

    .venv/bin/python bench/bench_clients.py [--clients 100000] [--purchases 5] [--keep PATH]

Builds a database of N clients (Faker names, valid Polish mobile numbers) with about
``--purchases`` purchases each, then times what the Clients page does: open the file,
one search-as-you-type query per keystroke, each sort, each filter, and the fetch of
one block of shown rows. Prints a table; targets: every keystroke query under 150 ms,
a block of rows under 20 ms. Speed is checked here, never in unit tests.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from faker import Faker  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from app.db import open_database  # noqa: E402
from app.models import Client, Purchase, Tag, client_tags  # noqa: E402
from app.models.enums import ClientStatus, Segment  # noqa: E402
from app.services import clients as client_service  # noqa: E402

TODAY = date(2026, 11, 23)


def build(path: Path, n: int, per_client: int, seed: int = 7) -> float:
    fake = Faker("pl_PL")
    Faker.seed(seed)
    rnd = random.Random(seed)
    db = open_database(path)
    t0 = time.perf_counter()
    with db.session() as s:
        s.execute(insert(Tag), [{"id": i + 1, "name": t, "key": t.casefold()}
                                for i, t in enumerate(["VIP", "kids", "wholesale", "allergy"])])
        rows, purchases, tags = [], [], []
        for i in range(1, n + 1):
            name = fake.name()
            phone = f"+48{rnd.choice('5678')}{rnd.randrange(10**7, 10**8)}"
            email = f"client{i}@example.com" if rnd.random() < 0.6 else None
            notes = fake.sentence() if rnd.random() < 0.2 else ""
            rows.append({"id": i, "name": name, "sort_name": name.casefold(),
                         "search_text": client_service.search_text_for(name, email, None, notes),
                         "phone": phone, "phone_digits": phone[1:], "email": email,
                         "notes": notes,
                         "segment": rnd.choice([Segment.A, Segment.B, Segment.C, Segment.C])})
            k = max(0, int(rnd.expovariate(1 / per_client)))
            start = TODAY - timedelta(days=rnd.randrange(1, 900))
            for j in range(k):
                day = start + timedelta(days=j * rnd.randrange(10, 60))
                if day > TODAY:
                    break
                purchases.append({"client_id": i, "purchased_on": day,
                                  "amount": Decimal(rnd.randrange(1000, 90000)) / 100})
            if rnd.random() < 0.25:
                tags.append({"client_id": i, "tag_id": rnd.randrange(1, 5)})
        s.execute(insert(Client), rows)
        s.execute(insert(Purchase), purchases)
        s.execute(insert(client_tags), tags)
        client_service.refresh_client_stats(s, today=TODAY)
    build_s = time.perf_counter() - t0
    db.close()
    return build_s


def bench_database(description: str) -> tuple[argparse.Namespace, Path]:
    """The command line every benchmark shares (--clients, --purchases, --keep) and the
    database it names, built on first use."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--clients", type=int, default=100_000)
    ap.add_argument("--purchases", type=int, default=5, help="purchases per client, on average")
    ap.add_argument("--keep", type=Path, help="reuse or keep the database at this path")
    args = ap.parse_args()
    path = args.keep or Path(tempfile.mkdtemp()) / "bench.sqlite"
    if not path.exists():
        print(f"building {args.clients:,} clients at {path} ...", flush=True)
        build_s = build(path, args.clients, args.purchases)
        print(f"built in {build_s:.1f} s")
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
