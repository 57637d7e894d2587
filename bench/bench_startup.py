"""Benchmark: start-up to the painted client list, against a bare PySide6 window.

    .venv/bin/python bench/bench_startup.py [--clients 100000] [--keep PATH] [--repeat 3]

Each start runs in a fresh process (its imports are paid, as a user's start pays them) on
a copy of the same database: the app (``prepare_database`` + ``show_window``, what
``run_gui`` does) until the client table's viewport is first painted with rows, then
until its background start (check, first use, erasure log, start of day, start backup)
is done, with the longest event-loop stall meanwhile (a 5 ms QTimer heartbeat); and a
bare QMainWindow with a QTableView over a QSqlQueryModel of the same clients until its
first paint with rows. ``--first-of-day`` makes each start the first of its day (the
12-month values move too). Target: the app's painted list <= 2x the bare window.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PREFIX = "BENCH_STARTUP "


def _paint_watch(table, on_painted):
    from PySide6.QtCore import QEvent, QObject

    class Watch(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint and table.model() is not None \
                    and table.model().rowCount() > 0:
                obj.removeEventFilter(self)
                on_painted()
            return False

    watch = Watch(table)
    table.viewport().installEventFilter(watch)
    return watch


def child_app(db_path: Path) -> None:
    t0 = time.perf_counter()
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui import app as ui_app
    qt = QApplication([sys.argv[0]])
    qt.setOrganizationName("ClientCareBench")
    locale = ui_app.install_translations(qt, "en")
    db = ui_app.prepare_database(db_path, locale, check=False)
    window, start = ui_app.show_window(db, ui_app.locale_facts(locale))
    out: dict = {"kind": "app"}
    beat = {"last": 0.0, "max": 0.0}
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)

    def tick() -> None:
        now = time.perf_counter()
        beat["max"] = max(beat["max"], now - beat["last"])
        beat["last"] = now
        if start.done and not window.ops.executor.busy:
            out["settled_s"] = now - t0
            out["stall_ms"] = max(0.0, beat["max"] * 1000 - 5)
            out["steps"] = start.steps_done
            print(PREFIX + json.dumps(out), flush=True)
            os._exit(0)

    def painted() -> None:
        out["paint_s"] = time.perf_counter() - t0
        out["rows"] = window.clients_page.model.rowCount()
        beat["last"] = time.perf_counter()
        timer.timeout.connect(tick)
        timer.start(5)

    _paint_watch(window.clients_page.table, painted)
    qt.exec()


def child_bare(db_path: Path) -> None:
    t0 = time.perf_counter()
    from PySide6.QtSql import QSqlDatabase, QSqlQueryModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    qt = QApplication([sys.argv[0]])
    con = QSqlDatabase.addDatabase("QSQLITE")
    con.setDatabaseName(str(db_path))
    con.open()
    model = QSqlQueryModel()
    model.setQuery("SELECT name, phone, email, segment FROM clients "
                   "WHERE deleted_at IS NULL ORDER BY sort_name", con)
    window = QMainWindow()
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1280, 720)
    window.show()

    def painted() -> None:
        print(PREFIX + json.dumps({"kind": "bare", "paint_s": time.perf_counter() - t0,
                                   "rows": model.rowCount()}), flush=True)
        os._exit(0)

    _paint_watch(table, painted)
    qt.exec()


def run_child(kind: str, db_path: Path, work: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               XDG_CONFIG_HOME=str(work / "config"), XDG_DATA_HOME=str(work / "data"),
               PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(db_path)], env=env,
                          capture_output=True, text=True, timeout=300)
    for line in done.stdout.splitlines():
        if line.startswith(PREFIX):
            return json.loads(line[len(PREFIX):])
    raise RuntimeError(f"{kind} gave no figure: {done.stderr[-2000:]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=100_000)
    ap.add_argument("--purchases", type=int, default=10)
    ap.add_argument("--keep", type=Path, help="reuse or keep the database at this path")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--first-of-day", action="store_true", dest="first_of_day")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        (child_app if args.child[0] == "app" else child_bare)(Path(args.child[1]))
        return 0
    work = Path(tempfile.mkdtemp(prefix="clientcare-startup-"))
    if args.keep:
        pristine = args.keep
        if not pristine.exists():
            from bench.bench_clients import build
            print(f"building {args.clients:,} clients at {pristine} ...", flush=True)
            build(pristine, args.clients, args.purchases)
    else:  # the cached benchmark database (each run works on its own copy)
        from bench.dataset import cached_database
        pristine = cached_database(args.clients, args.purchases)
    rows = []
    for n in range(args.repeat):
        copy = work / f"run{n}.sqlite"
        shutil.copyfile(pristine, copy)
        con = sqlite3.connect(copy)
        if args.first_of_day:  # the values move, as at the first start of a day
            con.execute("DELETE FROM settings WHERE key = 'internal.stats_as_of'")
        con.commit()
        con.close()
        bare = run_child("bare", copy, work)
        app = run_child("app", copy, work)
        rows.append((bare, app))
        print(f"run {n + 1}: bare {bare['paint_s'] * 1000:.0f} ms, app painted "
              f"{app['paint_s'] * 1000:.0f} ms ({app['rows']:,} rows), background done "
              f"{app['settled_s'] * 1000:.0f} ms, longest stall after paint "
              f"{app['stall_ms']:.0f} ms", flush=True)
    bare_ms = statistics.median(b["paint_s"] for b, _ in rows) * 1000
    app_ms = statistics.median(a["paint_s"] for _, a in rows) * 1000
    settled_ms = statistics.median(a["settled_s"] for _, a in rows) * 1000
    stall_ms = max(a["stall_ms"] for _, a in rows)
    print()
    print(f"| start-up (median of {args.repeat}) | ms |")
    print("|---|---:|")
    print(f"| bare QMainWindow + QTableView, painted | {bare_ms:.0f} |")
    print(f"| ClientCare, client list painted | {app_ms:.0f} |")
    print(f"| ratio (target <= 2.0) | {app_ms / bare_ms:.2f} |")
    print(f"| ClientCare, background start done | {settled_ms:.0f} |")
    print(f"| longest stall after the paint (max of runs) | {stall_ms:.0f} |")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
