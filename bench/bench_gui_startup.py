"""One start of the window in a fresh process, for bench/bench_gui.py (not run by hand).

    python bench/bench_gui_startup.py app|bare DATABASE [--timeout S] [--quiet-ms MS]

``app``: the real start (``app.ui.app.run_gui``) until the client table's viewport is
first painted with rows, then until the background start has finished. ``bare``: a bare
QMainWindow with a QTableView over the same clients (a QSqlQueryModel, or a plain model
filled from sqlite3 when Qt has no SQLite driver), until its first paint with rows. Prints
one line ``BENCH_GUI_RESULT {json}`` with the seconds since the window code began.

PySide6 and the app are imported inside the functions on purpose: the clock starts before
they are imported, as a user's start pays for them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEARTBEAT_MS = 5
BUSY_GAP_MS = 20      # a gap longer than this means the GUI thread was working
QUIET_MS = 300        # finished = nothing busy for this long
RESULT_PREFIX = "BENCH_GUI_RESULT "


def heartbeat_class():
    from PySide6.QtCore import QObject, Qt, QTimer

    class Heartbeat(QObject):
        """A QTimer every HEARTBEAT_MS on the GUI thread: the gaps between its ticks are
        the time the thread spent away from the event loop."""

        def __init__(self) -> None:
            super().__init__()
            self.timer = QTimer(self)
            self.timer.setTimerType(Qt.TimerType.PreciseTimer)
            self.timer.setInterval(HEARTBEAT_MS)
            self.timer.timeout.connect(self._tick)
            self.reset()

        def start(self) -> None:
            self.reset()
            self.timer.start()

        def reset(self) -> None:
            now = time.perf_counter()
            self.last = now
            self.max_gap = 0.0
            self.last_busy = now

        def _tick(self) -> None:
            now = time.perf_counter()
            gap = now - self.last
            self.last = now
            self.max_gap = max(self.max_gap, gap)
            if gap * 1000 > BUSY_GAP_MS:
                self.last_busy = now

        def stall_ms(self) -> float:
            gap = max(self.max_gap, time.perf_counter() - self.last)
            return max(0.0, gap * 1000 - HEARTBEAT_MS)

    return Heartbeat


def busy_dialog_shown() -> bool:
    """A progress dialog is up: work is still going on."""
    from PySide6.QtWidgets import QApplication, QProgressDialog
    w = QApplication.activeModalWidget()
    return isinstance(w, QProgressDialog) and w.isVisible()


def private_work_running() -> bool:
    """A worker thread of the app's own (not a pool's idle worker, not Qt's) is alive:
    today's charts report and erasure run on such threads, beside the executor."""
    for t in threading.enumerate():
        if t is threading.main_thread() or isinstance(t, threading._DummyThread):
            continue
        if re.fullmatch(r".+_\d+", t.name):  # a ThreadPoolExecutor's worker, idle or not
            continue
        if t.name == "stall-watchdog":  # the benchmark's own (bench/stall_profiler.py)
            continue
        if t.name == "clientcare-checkpoint":  # lives as long as the database is open
            continue
        return True
    return False


def client_table(window):
    from PySide6.QtWidgets import QTableView
    return window.findChild(QTableView, "clientTable") or window.findChild(QTableView)


# ---------------------------------------------------------------------------- start-up (child)

def child_app(db_path: Path, timeout_s: float, quiet_ms: int = QUIET_MS) -> None:
    """One start of the app in this process (``run_gui``): print when the client list is
    first painted with rows, then wait for its background start to finish."""
    t0 = time.perf_counter()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
    app = QApplication.instance() or QApplication([sys.argv[0]])
    result: dict = {"kind": "app"}
    heartbeat = heartbeat_class()()
    state: dict = {}

    def finish(timed_out: bool = False) -> None:
        result["settled_s"] = time.perf_counter() - t0
        result["stall_after_paint_ms"] = heartbeat.stall_ms()
        result["timed_out"] = timed_out
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        os._exit(0)  # the window is not closed: that is a benchmark of its own

    def poll_settled() -> None:
        now = time.perf_counter()
        window = state["window"]
        ops = getattr(window, "ops", None)
        if (ops is not None and ops.executor.busy) or busy_dialog_shown() \
                or private_work_running():
            state["last_busy"] = now
        quiet_since = max(state["last_busy"], heartbeat.last_busy)
        if now - quiet_since >= quiet_ms / 1000:
            finish()
        elif now - t0 > timeout_s:
            finish(timed_out=True)

    class PaintWatch(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                now = time.perf_counter() - t0
                result.setdefault("first_paint_s", now)
                table = state["table"]
                if "paint_s" not in result and table.model() is not None \
                        and table.model().rowCount() > 0:
                    result["paint_s"] = now
                    result["rows"] = table.model().rowCount()
                    heartbeat.start()
                    state["last_busy"] = time.perf_counter()
                    poll = QTimer(app)
                    poll.timeout.connect(poll_settled)
                    poll.start(10)
                    state["poll"] = poll
            return False

    watch = PaintWatch()
    original_show = QWidget.show

    def show(self) -> None:
        if isinstance(self, QMainWindow) and "window" not in state:
            state["window"] = self
            result["shown_s"] = time.perf_counter() - t0
            table = client_table(self)
            state["table"] = table
            table.viewport().installEventFilter(watch)
        original_show(self)

    QWidget.show = show
    from app.ui.app import run_gui
    result["imported_s"] = time.perf_counter() - t0
    run_gui(db_path, language="en", argv=[sys.argv[0]])
    result["error"] = "the window closed before the client list was painted"
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def child_bare(db_path: Path) -> None:
    """The floor: a bare QMainWindow with a QTableView over the same clients, sorted by
    name as the client list is; print when its table is first painted with rows."""
    t0 = time.perf_counter()
    from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    app = QApplication.instance() or QApplication([sys.argv[0]])
    result: dict = {"kind": "bare", "qt_ready_s": time.perf_counter() - t0}
    query = ("SELECT name, phone, email, segment FROM clients WHERE deleted_at IS NULL "
             "ORDER BY sort_name")
    try:
        from PySide6.QtSql import QSqlDatabase, QSqlQuery, QSqlQueryModel
        if "QSQLITE" not in QSqlDatabase.drivers():
            raise ImportError("no QSQLITE driver")
        qdb = QSqlDatabase.addDatabase("QSQLITE")
        qdb.setDatabaseName(str(db_path))
        if not qdb.open():
            raise ImportError(qdb.lastError().text())
        model = QSqlQueryModel()
        model.setQuery(QSqlQuery(query, qdb))
        result["model"] = "QSqlQueryModel"
    except ImportError:
        import sqlite3
        con = sqlite3.connect(db_path)
        rows = con.execute(query).fetchall()
        con.close()

        class RowsModel(QAbstractTableModel):
            def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
                return 0 if parent.isValid() else len(rows)

            def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
                return 4

            def data(self, index, role=Qt.ItemDataRole.DisplayRole):
                if role == Qt.ItemDataRole.DisplayRole:
                    return rows[index.row()][index.column()]
                return None

        model = RowsModel()
        result["model"] = "sqlite3 rows"
    window = QMainWindow()
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1280, 720)

    class PaintWatch(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint and model.rowCount() > 0:
                result["paint_s"] = time.perf_counter() - t0
                result["rows"] = model.rowCount()
                print(RESULT_PREFIX + json.dumps(result), flush=True)
                os._exit(0)
            return False

    watch = PaintWatch()
    table.viewport().installEventFilter(watch)
    result["shown_s"] = time.perf_counter() - t0
    window.show()
    app.exec()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=["app", "bare"])
    ap.add_argument("db", type=Path)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--quiet-ms", type=int, default=QUIET_MS)
    args = ap.parse_args()
    if args.kind == "app":
        child_app(args.db, args.timeout, args.quiet_ms)
    else:
        child_bare(args.db)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
