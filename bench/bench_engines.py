"""Benchmark: office mode (issue 17) - the benchmark database moved onto a PostgreSQL
server by ``migrate-to-postgres``, then the same reads on the file and on the server.

    .venv/bin/python bench/bench_engines.py --url postgresql+psycopg://USER:PW@HOST/postgres
        [--clients 100000] [--skip-copy]

``--url`` names a database to connect to while a database ``bench_<clients>`` is made
(dropped first if it is there); the benchmark file of bench/dataset.py is copied to a
temporary folder (the cached one is never opened), moved onto the server, its counts
printed, a sample of rows compared value by value, then each read timed on both engines
(best of 3; the charts' report once). ``--skip-copy``: the server's database is there from
an earlier run. Speed is checked here, never in unit tests.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import dataset  # noqa: E402
from dataset import TODAY  # noqa: E402
from sqlalchemy import create_engine, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.client_list import ClientColumn, ClientQuery, StatusRules  # noqa: E402
from app.db import open_database  # noqa: E402
from app.models import Base  # noqa: E402
from app.server import open_server  # noqa: E402
from app.services import calendar, calls, metrics  # noqa: E402
from app.services import clients as cs  # noqa: E402
from app.services.to_server import migrate_to_server  # noqa: E402

READS = {
    "client list, a page by name": lambda s, r: cs.client_ids(s, ClientQuery(), r, "PL",
                                                              limit=200),
    "client list, a page by 12-month value": lambda s, r: cs.client_ids(
        s, ClientQuery(sort=ClientColumn.VALUE_12M, descending=True), r, "PL", limit=200),
    "client list, every id by last purchase": lambda s, r: cs.client_ids(
        s, ClientQuery(sort=ClientColumn.LAST_PURCHASE), r, "PL"),
    "count of the list": lambda s, r: cs.count_listed(s, ClientQuery(), r, "PL"),
    'search "ska", a page': lambda s, r: cs.client_ids(s, ClientQuery(text="ska"), r, "PL",
                                                       limit=200),
    "the rows of a page (200)": lambda s, r: cs.client_rows(s, list(range(1, 201)), r),
    "a card": lambda s, r: cs.load_client(s, 42),
    "Today, first page": lambda s, r: calls.today_first_page(s, TODAY),
    "Today, counts": lambda s, r: calls.today_counts(s, TODAY),
    "calendar, a month's counts": lambda s, r: calendar.month_summary(s, TODAY.year,
                                                                       TODAY.month),
    "charts, the 12-month report": lambda s, r: metrics.report(
        s, date(TODAY.year - 1, TODAY.month, 1), TODAY, metrics.By.MONTH, TODAY),
}


def _best(fn, times: int) -> float:
    out = []
    for _ in range(times):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return min(out) * 1000


def _compare_sample(file_url: str, server_url: str, per_table: int = 3000) -> int:
    a, b = create_engine(file_url), create_engine(server_url)
    rnd = random.Random(3)
    checked = 0
    try:
        for t in Base.metadata.sorted_tables:
            pk = list(t.primary_key.columns)
            if len(pk) != 1:
                continue
            with a.connect() as ca, b.connect() as cb:
                ids = [r[0] for r in ca.execute(select(pk[0]))]
                q = (select(*t.columns).where(pk[0].in_(rnd.sample(ids, min(per_table,
                                                                            len(ids)))))
                     .order_by(pk[0]))
                mine, theirs = [tuple(r) for r in ca.execute(q)], [tuple(r) for r in
                                                                   cb.execute(q)]
                if mine != theirs:
                    raise SystemExit(f"{t.name}: the server's rows differ from the file's")
                checked += len(mine)
    finally:
        a.dispose()
        b.dispose()
    return checked


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--clients", type=int, default=100_000)
    ap.add_argument("--skip-copy", action="store_true")
    args = ap.parse_args()
    cached = dataset.cached_database(args.clients)
    folder = Path(tempfile.mkdtemp(prefix="clientcare-engines-"))
    try:
        path = folder / cached.name
        shutil.copy(cached, path)
        name = f"bench_{args.clients}"
        server = make_url(args.url).set(database=name).render_as_string(hide_password=False)
        if not args.skip_copy:
            admin = create_engine(args.url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            admin.dispose()
            t0 = time.perf_counter()
            counts = migrate_to_server(path, server)
            took = time.perf_counter() - t0
            for c in counts:
                print(f"{c.table:18} {c.source:>10,} {c.target:>10,}"
                      f"{'' if c.equal else '  DIFFERENT'}")
            rows = sum(c.target for c in counts)
            print(f"moved {rows:,} rows in {took:.1f} s ({rows / took:,.0f} rows/s)")
            print(f"compared value by value: {_compare_sample(f'sqlite:///{path}', server):,}"
                  " rows (a sample of each table)")
        lite, pg = open_database(path, check=False), open_server(server)
        try:
            with pg.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
            print(f"\n{'read':42} {'SQLite ms':>10} {'PostgreSQL ms':>14}")
            for label, read in READS.items():
                row = []
                for database in (lite, pg):
                    with database.session() as s:
                        rules = StatusRules.from_settings(s, TODAY)
                        row.append(_best(lambda s=s, r=rules, f=read: f(s, r),
                                         1 if "charts" in label else 3))
                print(f"{label:42} {row[0]:>10.1f} {row[1]:>14.1f}")
        finally:
            lite.close()
            pg.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
