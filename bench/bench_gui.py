"""Benchmark: the window at 100,000 clients, the longest event-loop stall of each user action.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui.py [--clients 100000]
        [--import-rows 10000] [--repeat 3] [--json FILE] [--cache DIR]

Builds (once, cached in ``--cache``, default /tmp/clientcare-bench) the database of
bench_clients.py, works on a copy of it, and drives the real window offscreen as a user
would. A 5 ms QTimer heartbeat runs on the GUI thread; the *stall* of an action is the
largest gap between two ticks minus the interval, from the moment the action starts until
it is finished: its background work done (``window.ops.executor`` idle, no progress
dialog) and the event loop quiet again (no gap over 20 ms for 300 ms), so refreshes that
follow the action are counted with it. *Total* is the time from the start of the action
to that last busy moment.

Start-up is measured in fresh processes, paired in the same run: the app (``run_gui``,
the real start) against a bare PySide6 QMainWindow with a QTableView over a
QSqlQueryModel (or a plain model filled from sqlite3 when Qt has no SQLite driver) on the
same file: the time from the start of the window code (before PySide6 is imported) to the
first paint of the client table's viewport that shows rows (an event filter on
QEvent.Paint). The first start on the copy is the first start of a day (the day's
refresh); the others are usual starts (median of ``--repeat``).

How each action is driven (real widgets and QTest key presses and clicks; a menu item by
``QAction.trigger()``, which is what clicking it does; a file chooser is answered by
replacing ``QFileDialog.getOpenFileName``/``getSaveFileName`` with the path a user would
pick; message boxes and wizards are answered by clicking their buttons) is printed beside
each figure. Targets (issue 13): start-up <= 2x the bare window; every stall <= 100 ms.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

HEARTBEAT_MS = 5
BUSY_GAP_MS = 20      # a gap longer than this means the GUI thread was working
QUIET_MS = 300        # finished = nothing busy for this long
TARGET_STALL_MS = 100
TARGET_STARTUP_RATIO = 2.0
RESULT_PREFIX = "BENCH_GUI_RESULT "
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "clientcare-bench"


# ---------------------------------------------------------------------------- database

def cached_database(clients: int, purchases: int, cache: Path) -> Path:
    """The benchmark database of bench_clients.py, built once per size."""
    from bench_clients import build
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"bench-{clients}-{purchases}.sqlite"
    if not path.exists():
        part = cache / f"building-{os.getpid()}-{path.name}"
        print(f"building {clients:,} clients at {path} ...", flush=True)
        seconds = build(part, clients, purchases)
        part.rename(path)
        print(f"built in {seconds:.1f} s", flush=True)
    return path


def write_import_csv(path: Path, rows: int, seed: int = 13) -> None:
    """New clients to import, as a spreadsheet would save them: name, phone, e-mail,
    notes (headings the importer recognises by itself)."""
    from faker import Faker
    fake = Faker("pl_PL")
    Faker.seed(seed)
    rnd = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Name", "Phone", "Email", "Notes"])
        for i in range(rows):
            phone = f"+48 {rnd.choice('5678')}{rnd.randrange(10**7, 10**8)}"
            out.writerow([fake.name(), phone, f"imported{i}@example.org",
                          "from the benchmark" if rnd.random() < 0.1 else ""])


def plan_calls_for_today(db_path: Path, clients: int = 3) -> None:
    """A few calls planned by hand for today, so the Today queue has a call to log at
    every size (a small database may have nothing due today)."""
    from datetime import date

    from app.db import open_database
    from app.services import calls
    db = open_database(db_path)
    try:
        with db.session() as s:
            for client_id in range(1, clients + 1):
                calls.add_manual_task(s, client_id, date.today(), "benchmark call",
                                      today=date.today(), allow_closed_day=True)
    finally:
        db.close()


def isolate_environment(work: Path, cache: Path) -> None:
    """Settings, logs and backups of the benchmark stay in its own folders; matplotlib's
    font cache is kept between runs, as on a user's computer."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        folder = work / "home" / var.lower()
        folder.mkdir(parents=True, exist_ok=True)
        os.environ[var] = str(folder)
    mpl = cache / "matplotlib"
    mpl.mkdir(parents=True, exist_ok=True)
    os.environ["MPLCONFIGDIR"] = str(mpl)


# ---------------------------------------------------------------------------- Qt helpers

def _heartbeat_class():
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


def _busy_dialog_shown() -> bool:
    """A progress dialog is up: work is still going on."""
    from PySide6.QtWidgets import QApplication, QProgressDialog
    w = QApplication.activeModalWidget()
    return isinstance(w, QProgressDialog) and w.isVisible()


def _private_work_running() -> bool:
    """A worker thread of the app's own (not a pool's idle worker, not Qt's) is alive:
    today's charts report and erasure run on such threads, beside the executor."""
    import re
    import threading
    for t in threading.enumerate():
        if t is threading.main_thread() or isinstance(t, threading._DummyThread):
            continue
        if re.fullmatch(r".+_\d+", t.name):  # a ThreadPoolExecutor's worker, idle or not
            continue
        return True
    return False


def _client_table(window):
    from PySide6.QtWidgets import QTableView
    return window.findChild(QTableView, "clientTable") or window.findChild(QTableView)


# ---------------------------------------------------------------------------- start-up (child)

def child_app(db_path: Path, timeout_s: float) -> None:
    """One start of the app in this process (``run_gui``): print when the client list is
    first painted with rows, then wait for its background start to finish."""
    t0 = time.perf_counter()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
    app = QApplication.instance() or QApplication([sys.argv[0]])
    result: dict = {"kind": "app"}
    heartbeat = _heartbeat_class()()
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
        if (ops is not None and ops.executor.busy) or _busy_dialog_shown() \
                or _private_work_running():
            state["last_busy"] = now
        quiet_since = max(state["last_busy"], heartbeat.last_busy)
        if now - quiet_since >= QUIET_MS / 1000:
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
            table = _client_table(self)
            state["table"] = table
            table.viewport().installEventFilter(watch)
        original_show(self)

    QWidget.show = show
    from app.ui.app import run_gui
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
    query = ("SELECT name, phone, email, segment FROM clients WHERE deleted_at IS NULL "
             "ORDER BY sort_name")
    result: dict = {"kind": "bare"}
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
    window.show()
    app.exec()


def run_child(kind: str, db_path: Path, timeout_s: float) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind,
               "--db", str(db_path), "--timeout", str(timeout_s), "--quiet-ms", str(QUIET_MS)]
    started = time.time()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s + 30,
                              env=os.environ.copy())
    except subprocess.TimeoutExpired:
        return {"kind": kind, "error": f"no answer in {timeout_s + 30:.0f} s"}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX):])
            result["process_s"] = time.time() - started
            return result
    tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
    return {"kind": kind, "error": "no result: " + " | ".join(tail)}


def measure_startup(db_path: Path, repeat: int, timeout_s: float) -> dict:
    """The first start of the day on the copy, then bare and app starts in turn."""
    first = run_child("app", db_path, timeout_s)
    apps, bares = [], []
    for _ in range(repeat):
        bares.append(run_child("bare", db_path, timeout_s))
        apps.append(run_child("app", db_path, timeout_s))

    def median(runs: list[dict], key: str) -> float | None:
        values = [r[key] for r in runs if key in r and not r.get("error")]
        return statistics.median(values) if values else None

    errors = [r["error"] for r in [first, *apps, *bares] if r.get("error")]
    errors += ["the background start did not finish" for r in [first, *apps]
               if r.get("timed_out")]
    return {"first": first, "apps": apps, "bares": bares, "errors": errors,
            "app_paint_s": median(apps, "paint_s"),
            "app_first_paint_s": median(apps, "first_paint_s"),
            "app_settled_s": median(apps, "settled_s"),
            "app_stall_after_paint_ms": median(apps, "stall_after_paint_ms"),
            "bare_paint_s": median(bares, "paint_s")}


# ---------------------------------------------------------------------------- actions

@dataclass
class Action:
    name: str
    drives: str
    stall_ms: float | None = None
    total_ms: float | None = None
    ratio: float | None = None
    ratio_to: str = f"{TARGET_STALL_MS} ms target"
    ok: bool = True
    notes: list[str] = field(default_factory=list)


class Wait:
    """What a step of the driver waits for before it goes on."""

    def ready(self) -> bool:
        raise NotImplementedError


class Until(Wait):
    def __init__(self, cond: Callable[[], bool], timeout_s: float, what: str) -> None:
        self.cond, self.what = cond, what
        self.deadline = time.perf_counter() + timeout_s
        self.timed_out = False

    def ready(self) -> bool:
        if self.cond():
            return True
        if time.perf_counter() > self.deadline:
            self.timed_out = True
            return True
        return False


class Settled(Wait):
    """The action is finished: ``done()`` holds, the executor is idle, no progress dialog
    is up, and the heartbeat saw no busy gap, all for QUIET_MS."""

    def __init__(self, driver: Driver, done: Callable[[], bool], timeout_s: float) -> None:
        self.driver, self.done = driver, done
        self.started = time.perf_counter()
        self.last_busy = self.started
        self.timeout_s = timeout_s
        self.end = self.started
        self.timed_out = False

    def ready(self) -> bool:
        now = time.perf_counter()
        ops = getattr(self.driver.window, "ops", None)
        try:
            done = self.done()
        except RuntimeError:  # a widget of the check is gone: it closed
            done = True
        if not done or (ops is not None and ops.executor.busy) or _busy_dialog_shown() \
                or _private_work_running():
            self.last_busy = now
        quiet_since = max(self.last_busy, self.driver.heartbeat.last_busy)
        if now - quiet_since >= QUIET_MS / 1000:
            self.end = quiet_since
            return True
        if now - self.started > self.timeout_s:
            self.end, self.timed_out = now, True
            return True
        return False


class Driver:
    """Runs the steps (a generator that yields :class:`Wait`) from a timer, so the event
    loop stays the app's own; answers message boxes, wizards and file choosers."""

    def __init__(self, args, work: Path, csv_path: Path) -> None:
        from PySide6.QtCore import QTimer
        self.args, self.work, self.csv_path = args, work, csv_path
        self.window = None
        self.actions: list[Action] = []
        self.current: Action | None = None
        self.heartbeat = _heartbeat_class()()
        self.messages: list[str] = []
        self.answers: dict[str, list] = {}
        self._step_running = False
        self._wizard_click = (None, 0.0)
        self._steps = self.steps()
        self._wait: Wait | None = None
        self.timer = QTimer()
        self.timer.timeout.connect(self._poll)
        self.answerer = QTimer()
        self.answerer.timeout.connect(self._answer_modal)
        self.finished = False

    def start(self) -> None:
        self.heartbeat.timer.start()
        self.timer.start(10)
        self.answerer.start(25)

    # -- the loop ---------------------------------------------------------------------
    def _poll(self) -> None:
        if self._step_running or self.finished:
            return
        if self._wait is not None and not self._wait.ready():
            return
        self._step_running = True
        try:
            self._wait = next(self._steps)
        except StopIteration:
            self._finish()
        except Exception:  # noqa: BLE001 - the benchmark says what broke, then stops
            self._note_error(traceback.format_exc())
            self._finish()
        finally:
            self._step_running = False

    def _finish(self) -> None:
        from PySide6.QtWidgets import QApplication
        self.finished = True
        self.timer.stop()
        self.answerer.stop()
        self.heartbeat.timer.stop()
        QApplication.instance().quit()

    def _note_error(self, text: str) -> None:
        target = self.current
        if target is None:
            target = Action("driver", "the benchmark itself", ok=False)
            self.actions.append(target)
        target.ok = False
        target.notes.append(text.strip().splitlines()[-1] if "\n" in text else text)
        print(text, file=sys.stderr, flush=True)

    def _excepthook(self, exc_type, exc, tb) -> None:
        self._note_error("".join(traceback.format_exception(exc_type, exc, tb)))

    # -- measuring ----------------------------------------------------------------------
    def begin(self, name: str, drives: str) -> Action:
        self.current = Action(name, drives)
        self.actions.append(self.current)
        self.heartbeat.reset()
        self._began = time.perf_counter()
        return self.current

    def settle(self, done: Callable[[], bool] = lambda: True,
               timeout_s: float | None = None) -> Settled:
        return Settled(self, done, timeout_s or self.args.action_timeout)

    def end(self, wait: Settled) -> None:
        action = self.current
        assert action is not None
        action.stall_ms = round(self.heartbeat.stall_ms(), 1)
        action.total_ms = round((wait.end - self._began) * 1000, 1)
        if action.ratio is None:
            action.ratio = round(action.stall_ms / TARGET_STALL_MS, 2)
        if wait.timed_out:
            action.ok = False
            action.notes.append(f"not finished after {wait.timeout_s:.0f} s")
            self._close_dialogs()
        self.current = None
        print(f"  {action.name}: stall {action.stall_ms:.0f} ms, total "
              f"{action.total_ms:.0f} ms{'' if action.ok else '  ' + '; '.join(action.notes)}",
              flush=True)

    def check(self, ok: bool, note: str) -> None:
        """What the action should have done, checked in the database afterwards."""
        if not ok and self.current is not None:
            self.current.ok = False
            self.current.notes.append(note)
        elif not ok:
            self.actions[-1].ok = False
            self.actions[-1].notes.append(note)

    def later(self, fn: Callable[[], object]) -> dict:
        """Run ``fn`` from the event loop (a menu item or button that opens a modal dialog
        runs its nested loop there, as it does for a user); the dict says when it
        returned."""
        from PySide6.QtCore import QTimer
        state = {"returned": False}

        def run() -> None:
            try:
                state["value"] = fn()
            except Exception:  # noqa: BLE001
                self._note_error(traceback.format_exc())
            finally:
                state["returned"] = True

        QTimer.singleShot(0, run)
        return state

    # -- answering what pops up -----------------------------------------------------
    def _answer_modal(self) -> None:
        from PySide6.QtWidgets import (
            QApplication,
            QComboBox,
            QDialog,
            QDialogButtonBox,
            QMessageBox,
            QProgressDialog,
            QWizard,
        )
        w = QApplication.activeModalWidget()
        if w is None or not w.isVisible() or isinstance(w, QProgressDialog):
            return
        if isinstance(w, QWizard):
            self._drive_wizard(w)
        elif isinstance(w, QMessageBox):
            text = w.text()
            self.messages.append(text)
            if w.icon() in (QMessageBox.Icon.Warning, QMessageBox.Icon.Critical):
                self.check(False, "message: " + text[:160])
            buttons = QMessageBox.StandardButton
            for which in (buttons.Yes, buttons.Ok, buttons.Save, buttons.Discard,
                          buttons.Close):
                button = w.button(which)
                if button is not None and button.isEnabled():
                    button.click()
                    return
            default = w.defaultButton()
            if default is not None:
                default.click()
        elif type(w).__name__ == "ExportDialog":
            what = w.findChild(QComboBox, "exportWhat")
            if what is not None:
                index = what.findData("clients")
                if index >= 0:
                    what.setCurrentIndex(index)
            box = w.findChild(QDialogButtonBox)
            box.button(QDialogButtonBox.StandardButton.Ok).click()
        elif isinstance(w, QDialog) and w.objectName() not in ("clientCard",):
            name = type(w).__name__ + (f" ({w.objectName()})" if w.objectName() else "")
            if name not in self.answers:
                self.answers[name] = []
                if self.current is not None:
                    self.current.notes.append(f"a dialog {name} was left to itself")

    def _drive_wizard(self, wizard) -> None:
        """The import wizard: the file typed in, then Next, Import and Finish as soon as
        each can be pressed (never twice on one page within 2 s: a page may be checking)."""
        from PySide6.QtWidgets import QLineEdit, QWizard
        ops = getattr(self.window, "ops", None)
        if ops is not None and ops.executor.busy:
            return
        path_edit = wizard.currentPage().findChild(QLineEdit, "importPath")
        if path_edit is not None and not path_edit.text():
            path_edit.setText(str(self.csv_path))
        page, clicked_at = self._wizard_click
        now = time.perf_counter()
        if page == wizard.currentId() and now - clicked_at < 2.0:
            return
        for which in (QWizard.WizardButton.CommitButton, QWizard.WizardButton.NextButton,
                      QWizard.WizardButton.FinishButton):
            button = wizard.button(which)
            if button is not None and button.isVisible() and button.isEnabled():
                self._wizard_click = (wizard.currentId(), now)
                button.click()
                return

    def _close_dialogs(self) -> None:
        """After an action that did not finish: close what it left open."""
        from PySide6.QtWidgets import QApplication, QDialog
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QDialog) and w.isVisible():
                w.reject()

    # -- helpers on the window -----------------------------------------------------------
    def find_window(self):
        from PySide6.QtWidgets import QApplication, QMainWindow
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMainWindow) and w.isVisible() and hasattr(w, "ops"):
                return w
        return None

    def nav_click(self, row: int) -> str:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QListWidget
        nav = self.window.findChild(QListWidget, "navigation")
        item = nav.item(row)
        QTest.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, nav.visualItemRect(item).center())
        return item.text()

    def menu_action(self, text: str):
        """The menu item of that title (else the one whose title starts with its first
        word: a title reworded still finds its item)."""
        from PySide6.QtGui import QAction
        items = [(act.text().replace("&", ""), act) for act in self.window.findChildren(QAction)]
        for title, act in items:
            if title == text:
                return act
        word = text.split()[0].rstrip("…")
        for title, act in items:
            if title.startswith(word):
                return act
        raise LookupError(f"no menu item {text!r}")

    def count(self, model) -> int:
        from sqlalchemy import func, select
        return self.window.ops.read(
            lambda s: s.scalar(select(func.count()).select_from(model)))

    def visible_top(self, name: str):
        from PySide6.QtWidgets import QApplication
        for w in QApplication.topLevelWidgets():
            if w.objectName() == name and w.isVisible():
                return w
        return None

    # -- the user's session ----------------------------------------------------------
    def steps(self) -> Iterator[Wait]:
        yield Until(lambda: self.find_window() is not None, self.args.action_timeout,
                    "the window")
        self.window = self.find_window()
        sys.excepthook = self._excepthook  # an error is noted beside its action
        self._answers_for_files()
        start = self.settle(timeout_s=self.args.action_timeout)
        yield start
        yield from self._wait_for_private_backups()

        self.begin("idle, 1 s (noise floor)", "nothing: the heartbeat alone")
        yield Until(lambda: False, 1.0, "a second")
        yield from self._end_now()

        pages = [1, 2, 3, 4, 5, 0]
        for row in pages:
            yield from self.switch_page(row, first=True)
        for step in (self.log_a_call, self.open_a_card, self.save_a_card, self.sort_a_column):
            try:
                yield from step()
            except Exception:  # noqa: BLE001 - noted, the next action runs
                self._note_error(traceback.format_exc())
                self.current = None
        for row in pages:
            yield from self.switch_page(row, first=False)
        for step in (self.import_rows, self.export, self.integrity_check, self.restore):
            try:
                yield from step()
            except Exception:  # noqa: BLE001
                self._note_error(traceback.format_exc())
                self.current = None
        yield from self.close()

    def _end_now(self) -> Iterator[Wait]:
        wait = self.settle()
        yield wait
        self.end(wait)

    def _wait_for_private_backups(self) -> Iterator[Wait]:
        """Today's code backs up at start on a thread of its own (BackupRunner), not on
        the executor: let it finish before the first action."""
        from PySide6.QtCore import QObject
        runners = [o for o in self.window.findChildren(QObject)
                   if type(o).__name__ == "BackupRunner" and hasattr(o, "busy")]
        yield Until(lambda: not any(r.busy() for r in runners), self.args.action_timeout,
                    "the start backup")
        yield self.settle()

    def _answers_for_files(self) -> None:
        """The file choosers answer with the path a user would pick."""
        from PySide6.QtWidgets import QFileDialog
        export_path = self.work / "export.csv"
        QFileDialog.getSaveFileName = staticmethod(
            lambda *a, **k: (str(export_path), "CSV table (*.csv)"))
        QFileDialog.getOpenFileName = staticmethod(
            lambda *a, **k: (str(self.csv_path), "CSV table (*.csv *.txt)"))
        self.export_path = export_path

    def switch_page(self, row: int, first: bool) -> Iterator[Wait]:
        from PySide6.QtWidgets import QListWidget
        nav = self.window.findChild(QListWidget, "navigation")
        title = nav.item(row).text()
        when = "first visit" if first else "after the changes"
        self.begin(f"switch to {title} ({when})",
                   "QTest click on the page in the navigation list")
        self.nav_click(row)
        wait = self.settle(lambda: nav.currentRow() == row)
        yield wait
        self.end(wait)

    def log_a_call(self) -> Iterator[Wait]:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QTableView

        from app.models import Contact
        self.nav_click(1)
        yield self.settle()
        table = self.window.findChild(QTableView, "queueTable")
        model = table.model()
        rows = getattr(model, "rows", [])
        row = next((i for i, r in enumerate(rows) if not getattr(r, "settled", False)), 0)
        before = self.count(Contact)
        table.setFocus()
        table.setCurrentIndex(model.index(row, 0))
        self.begin("log a call (N on Today)",
                   "QTest key N on the first open call of the Today queue")
        QTest.keyClick(table, Qt.Key.Key_N)
        wait = self.settle()
        yield wait
        self.end(wait)
        self.check(model.rowCount() > 0, "the Today queue was empty: nothing to log")
        self.check(self.count(Contact) == before + 1, "no call was logged")

    def open_a_card(self) -> Iterator[Wait]:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        self.nav_click(0)
        yield self.settle()
        table = _client_table(self.window)
        yield Until(lambda: table.model().rowCount() > 0, self.args.action_timeout,
                    "the client list")
        table.setFocus()
        table.setCurrentIndex(table.model().index(0, 0))
        self.begin("open a card", "QTest key Enter on the first client of the list")
        QTest.keyClick(table, Qt.Key.Key_Return)
        wait = self.settle(lambda: self.visible_top("clientCard") is not None)
        yield wait
        self.end(wait)

    def save_a_card(self) -> Iterator[Wait]:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QPlainTextEdit, QPushButton

        from app.models import Client
        card = self.visible_top("clientCard")
        if card is None:
            raise LookupError("no open card to save")
        notes = card.findChild(QPlainTextEdit, "notesEdit")
        save = card.findChild(QPushButton, "saveButton")
        client_id = card.data.id
        self.begin("save a card (type a note, click Save)",
                   "QTest keys into the card's Notes, QTest click on Save")
        QTest.keyClicks(notes, " bench")
        QTest.mouseClick(save, Qt.MouseButton.LeftButton)
        wait = self.settle(lambda: self.visible_top("clientCard") is None)
        yield wait
        self.end(wait)
        saved = self.window.ops.read(lambda s: s.get(Client, client_id).notes)
        self.check(saved.endswith(" bench"), "the note was not saved")

    def sort_a_column(self) -> Iterator[Wait]:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest

        from app.services.clients import ClientColumn
        table = _client_table(self.window)
        header = table.horizontalHeader()
        col = int(ClientColumn.VALUE_12M)
        x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
        self.begin("sort a column (12-month value)",
                   "QTest click on the column's heading in the client list")
        QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, QPoint(x, header.height() // 2))
        wait = self.settle()
        yield wait
        self.end(wait)
        self.check(header.sortIndicatorSection() == col, "the list was not sorted")

    def import_rows(self) -> Iterator[Wait]:
        from app.models import Client
        self.nav_click(0)
        yield self.settle()
        before = self.count(Client)
        act = self.menu_action("Import…")
        self.begin(f"import {self.args.import_rows:,} rows (start to finish)",
                   "File ▸ Import… (QAction.trigger); the wizard: file path typed, "
                   "Next, Import, Finish clicked")
        state = self.later(act.trigger)
        wait = self.settle(lambda: state["returned"])
        yield wait
        self.end(wait)
        added = self.count(Client) - before
        self.check(added >= self.args.import_rows * 0.9,
                   f"{added} clients imported of {self.args.import_rows}")

    def export(self) -> Iterator[Wait]:
        act = self.menu_action("Export…")
        self.begin("export the clients (CSV)",
                   "File ▸ Export… (QAction.trigger); Clients chosen, OK; the file "
                   "chooser answered; the message closed with OK")
        state = self.later(act.trigger)
        wait = self.settle(lambda: state["returned"])
        yield wait
        self.end(wait)
        self.check(self.export_path.exists() and self.export_path.stat().st_size > 0,
                   "no export file")

    def integrity_check(self) -> Iterator[Wait]:
        act = self.menu_action("Check the database…")
        shown = len(self.messages)
        self.begin("integrity check", "File ▸ Check the database… (QAction.trigger); "
                   "the answer closed with OK")
        state = self.later(act.trigger)
        wait = self.settle(lambda: state["returned"])
        yield wait
        self.end(wait)
        self.check(any("good order" in m for m in self.messages[shown:]),
                   "the check did not say the file is in good order")

    def restore(self) -> Iterator[Wait]:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QPushButton, QTableWidget, QTabWidget

        from app.models import Client
        self.nav_click(5)
        yield self.settle()
        button = self.window.findChild(QPushButton, "restoreButton")
        widget, parent = button, button.parentWidget()
        while parent is not None:  # the tab that holds the backups, as a user clicks it
            if isinstance(parent, QTabWidget):
                for i in range(parent.count()):
                    if parent.widget(i).isAncestorOf(widget) or parent.widget(i) is widget:
                        parent.setCurrentIndex(i)
            widget, parent = parent, parent.parentWidget()
        yield self.settle()
        table = button.parentWidget().findChild(QTableWidget, "backupsTable")
        yield Until(lambda: table.rowCount() > 0 and button.isEnabled(),
                    self.args.action_timeout, "a backup in the list")
        table.setCurrentCell(table.rowCount() - 1, 0)  # the oldest: the start backup
        shown = len(self.messages)
        self.begin("restore a backup", "QTest click on Restore the chosen backup (Settings ▸ "
                   "Backups), Yes clicked in the question")
        state = self.later(lambda: QTest.mouseClick(button, Qt.MouseButton.LeftButton))
        wait = self.settle(lambda: state["returned"])
        yield wait
        self.end(wait)
        self.check(any("Restored" in m or "restored" in m for m in self.messages[shown:])
                   or "Restored" in self._status_texts(button), "no word of the restore")
        self.actions[-1].notes.append(f"{self.count(Client):,} clients after the restore")

    @staticmethod
    def _status_texts(button) -> str:
        from PySide6.QtWidgets import QLabel
        return " ".join(label.text() for label in button.parentWidget().findChildren(QLabel))

    def close(self) -> Iterator[Wait]:
        yield from self._wait_for_private_backups()
        act = self.menu_action("Quit")
        window = self.window
        self.begin("close the window", "File ▸ Quit (QAction.trigger)")
        state = self.later(act.trigger)
        wait = self.settle(lambda: state["returned"] and not window.isVisible())
        yield wait
        self.end(wait)


def measure_actions(args, db_path: Path, csv_path: Path, work: Path) -> list[Action]:
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)  # the driver quits when it is done
    driver = Driver(args, work, csv_path)
    driver.start()
    from app.ui.app import run_gui
    run_gui(db_path, language="en", argv=[sys.argv[0]])
    if not driver.finished and driver.current is not None \
            and driver.current.name.startswith("close"):
        # the app ended its own event loop once the window was closed: that is the end
        wait = Settled(driver, lambda: True, 0)
        wait.end = time.perf_counter()
        driver.end(wait)
    elif not driver.finished:
        driver._note_error("the window's event loop ended before the benchmark did")
    return driver.actions


# ---------------------------------------------------------------------------- report

def startup_rows(startup: dict) -> list[Action]:
    rows = []
    bare, app, first = startup["bare_paint_s"], startup["app_paint_s"], startup["first"]
    ok = not startup["errors"]
    if bare is not None:
        rows.append(Action("start-up, bare QMainWindow + QTableView (the floor)",
                           f"a fresh process: {startup['bares'][0].get('model', '?')} over "
                           "the same file, to its first paint with rows",
                           None, round(bare * 1000, 1), 1.0, "bare window", ok=ok))
    if app is not None:
        rows.append(Action("start-up to the painted client list",
                           "a fresh process: run_gui() to the client table's first paint "
                           "with rows", None, round(app * 1000, 1),
                           round(app / bare, 2) if bare else None, "bare window",
                           ok=ok,
                           notes=[] if ok else list(startup["errors"])))
    settled, stall = startup["app_settled_s"], startup["app_stall_after_paint_ms"]
    if settled is not None:
        rows.append(Action("start-up, background start finished",
                           "after the paint: until the executor is idle and the loop quiet",
                           round(stall, 1), round(settled * 1000, 1),
                           round(stall / TARGET_STALL_MS, 2), ok=ok))
    if "paint_s" in first:
        stall = first.get("stall_after_paint_ms", 0.0)
        rows.append(Action("first start of the day, to the painted list",
                           "the first start on the copy (the day's refresh of values and "
                           "due contacts)", round(stall, 1), round(first["paint_s"] * 1000, 1),
                           round(first["paint_s"] / bare, 2) if bare else None, "bare window",
                           notes=[f"background start finished at "
                                  f"{first.get('settled_s', 0) * 1000:.0f} ms"]))
    return rows


def verdict(a: Action) -> str:
    if not a.ok and a.stall_ms is None and a.total_ms is None:
        return "FAILED"
    if a.ratio_to == "bare window":
        met = a.ratio is not None and a.ratio <= TARGET_STARTUP_RATIO
    else:
        met = a.stall_ms is not None and a.stall_ms <= TARGET_STALL_MS
    return ("yes" if met else "no") + ("" if a.ok else " (!)")


def print_report(rows: list[Action]) -> None:
    from bench_clients import print_table

    def num(v: float | None) -> str:
        return "" if v is None else f"{v:.0f}"

    table = [(a.name, num(a.stall_ms), num(a.total_ms),
              "" if a.ratio is None else f"{a.ratio:.2f}x {a.ratio_to}", verdict(a))
             for a in rows]
    print()
    print_table(["action", "longest stall ms", "total ms", "ratio", "target met"], table)
    print()
    for a in rows:
        print(f"- {a.name}: {a.drives}" + (f" — {'; '.join(a.notes)}" if a.notes else ""))


def machine() -> str:
    import PySide6
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, PySide6 {PySide6.__version__}")


def main() -> int:
    global QUIET_MS
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=100_000)
    ap.add_argument("--purchases", type=int, default=5, help="purchases per client, on average")
    ap.add_argument("--import-rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3, help="start-ups of each kind")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                    help="where the built database is kept between runs")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    ap.add_argument("--action-timeout", type=float, default=180.0)
    ap.add_argument("--quiet-ms", type=int, default=QUIET_MS,
                    help="an action is finished when nothing was busy for this long")
    ap.add_argument("--keep-work", action="store_true", help="keep the working folder")
    ap.add_argument("--child", choices=["app", "bare"], help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--timeout", type=float, default=300.0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    QUIET_MS = args.quiet_ms
    if args.child == "app":
        child_app(args.db, args.timeout)
        return 0
    if args.child == "bare":
        child_bare(args.db)
        return 0

    began = time.perf_counter()
    source = cached_database(args.clients, args.purchases, args.cache)
    work = Path(tempfile.mkdtemp(prefix="bench-gui-"))
    try:
        isolate_environment(work, args.cache)
        db_path = work / "clientcare.sqlite"
        shutil.copyfile(source, db_path)
        plan_calls_for_today(db_path)
        csv_path = work / "import.csv"
        write_import_csv(csv_path, args.import_rows)
        print(f"start-up: 1 first start, then {args.repeat} x (bare, app) ...", flush=True)
        startup = measure_startup(db_path, args.repeat, args.action_timeout)
        print("actions:", flush=True)
        actions = measure_actions(args, db_path, csv_path, work)
    finally:
        if not args.keep_work:
            shutil.rmtree(work, ignore_errors=True)
    rows = startup_rows(startup) + actions
    print_report(rows)
    command = "QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui.py " + " ".join(
        sys.argv[1:])
    print(f"\n{args.clients:,} clients; {machine()}; {time.perf_counter() - began:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(), "command": command, "clients": args.clients,
            "import_rows": args.import_rows, "startup": startup,
            "actions": [asdict(a) for a in rows]}, indent=2), encoding="utf-8")
    return 0 if all(a.stall_ms is not None or a.total_ms is not None for a in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
