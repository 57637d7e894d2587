"""Benchmark: office mode's live changes (issue 17) - how long after one desk saves a
client another desk has heard of it and read the new row.

    .venv/bin/python bench/bench_live.py [--url postgresql+psycopg://USER:PW@HOST/postgres]
        [--changes 200] [--clients 200]

Two desks, each with its own database connection and its own listener
(:class:`app.live.Listener`, as the window's app/ui/live_changes.py makes it): desk B
saves a client through the clients service (one transaction), then sends the change as
the window does after a commit; desk A's listener thread hears it and reads the client's
row on its own connection (what a page's refresh does first). Timed from just before B's
commit to A having the new value. The floor: the same notice sent with a bare psycopg
``pg_notify`` on one connection and heard on another, without the app, in the same run.

Without ``--url`` the benchmark starts a throwaway server of its own with the system's
binaries (tests/pg_server.py). Speed is checked here, never in unit tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg  # noqa: E402
from sqlalchemy import create_engine, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.changes import Changes, Entity  # noqa: E402
from app.live import CHANNEL, Listener  # noqa: E402
from app.models import Client  # noqa: E402
from app.server import open_server  # noqa: E402
from app.services import clients as cs  # noqa: E402


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _figures(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {"p50": statistics.median(ms), "p95": ms[int(0.95 * (len(ms) - 1))],
            "max": ms[-1], "mean": statistics.fmean(ms)}


def measure_app(url: str, changes: int, clients: int) -> list[float]:
    desk_a, desk_b = open_server(url), open_server(url)
    with desk_b.session() as s:
        ids = [cs.save_client(s, cs.ClientData(name=f"Klient {i}"), region="PL")
               for i in range(clients)]
    heard = threading.Event()
    seen: dict[str, object] = {}

    def on_change(change: Changes) -> None:  # desk A's listener thread
        with desk_a.sessions() as s:
            seen["notes"] = s.scalar(select(Client.notes).where(
                Client.id == next(iter(change.client_ids))))
        seen["at"] = time.perf_counter()
        heard.set()

    conninfo = _conninfo(url)
    listeners = [Listener(lambda: psycopg.connect(conninfo, autocommit=True), callback)
                 for callback in (on_change, lambda _c: None)]
    for listener in listeners:
        listener.start()
        listener.listening.wait(10)
    a, b = listeners
    took = []
    try:
        for i in range(changes):
            cid = ids[i % len(ids)]
            heard.clear()
            with desk_b.session() as s:
                data = cs.load_client(s, cid)
                data.notes = f"change {i}"
                t0 = time.perf_counter()
                cs.save_client(s, data, region="PL")
            # the commit is done: the window announces what it wrote
            b.send(Changes(frozenset({Entity.CLIENT}), frozenset({cid}), False, None))
            if not heard.wait(10):
                raise SystemExit(f"change {i} was not heard within 10 s")
            assert seen["notes"] == f"change {i}", seen
            took.append((seen["at"] - t0) * 1000)
            time.sleep(0.013)  # changes arrive at odd moments of the listener's wait
    finally:
        for listener in listeners:
            listener.close()
        desk_a.close()
        desk_b.close()
    return took


def measure_floor(url: str, changes: int) -> list[float]:
    conninfo = _conninfo(url)
    sender = psycopg.connect(conninfo, autocommit=True)
    hearer = psycopg.connect(conninfo, autocommit=True)
    hearer.execute(f"LISTEN {CHANNEL}_floor")
    took = []
    try:
        for i in range(changes):
            t0 = time.perf_counter()
            sender.execute("SELECT pg_notify(%s, %s)", (f"{CHANNEL}_floor", str(i)))
            for notice in hearer.notifies(timeout=10):
                if notice.payload == str(i):
                    took.append((time.perf_counter() - t0) * 1000)
                    break
            time.sleep(0.013)
    finally:
        sender.close()
        hearer.close()
    return took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="a database to connect to while the benchmark's is made")
    ap.add_argument("--changes", type=int, default=200)
    ap.add_argument("--clients", type=int, default=200)
    args = ap.parse_args()
    own = None
    server = args.url
    if server is None:
        from tests.pg_server import TestServer, find_pg_ctl
        pg_ctl = find_pg_ctl()
        if pg_ctl is None:
            raise SystemExit("no PostgreSQL server binaries: install postgresql or give --url")
        own = TestServer(pg_ctl)
        server = own.start()
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql("DROP DATABASE IF EXISTS bench_live WITH (FORCE)")
            conn.exec_driver_sql("CREATE DATABASE bench_live")
        url = make_url(server).set(database="bench_live").render_as_string(hide_password=False)
        floor = measure_floor(url, args.changes)
        app = measure_app(url, args.changes, args.clients)
        with admin.connect() as conn:
            version = conn.exec_driver_sql("SHOW server_version").scalar()
            conn.exec_driver_sql("DROP DATABASE IF EXISTS bench_live WITH (FORCE)")
    finally:
        admin.dispose()
        if own is not None:
            own.stop()
    fa, ff = _figures(app), _figures(floor)
    print(f"PostgreSQL {version}; {args.changes} changes over {args.clients} clients")
    print("| figure | app ms | floor ms | ratio |")
    print("|---|---:|---:|---:|")
    for key in ("p50", "p95", "max", "mean"):
        print(f"| {key} | {fa[key]:.1f} | {ff[key]:.2f} | {fa[key] / ff[key]:.0f}x |")
    print(f"target: every change heard within 1,000 ms: "
          f"{'yes' if fa['max'] < 1000 else 'NO'} (max {fa['max']:.1f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
