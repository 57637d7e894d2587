"""Benchmark: the window at 100,000 clients, the longest event-loop stall of each user action.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui.py [--clients 100000]
        [--import-rows 10000] [--repeat 3] [--json FILE] [--cache DIR]
        [--only KEYS] [--profile-stalls [MS]] [--garbage-census]

Builds (once, cached in ``--cache``, default /tmp/clientcare-bench) the database of
bench_clients.py, works on a copy of it, and drives the real window offscreen as a user
would. A 5 ms QTimer heartbeat runs on the GUI thread; the *stall* of an action is the
largest gap between two ticks minus the interval, from the moment the action starts until
it is finished: its background work done (``window.ops.executor`` idle, no progress
dialog, no worker thread of the app's own alive) and the event loop quiet again (no gap
over 20 ms for 300 ms), so the refreshes that follow the action are counted with it. *Total* is the time from the start of the action
to that last busy moment.

Start-up is measured in fresh processes (bench/bench_gui_startup.py), paired in the same
run: the app (``run_gui``, the real start) against a bare PySide6 QMainWindow with a
QTableView over a QSqlQueryModel (or a plain model filled from sqlite3 when Qt has no
SQLite driver) on the same file: the time from the start of the window code (before
PySide6 is imported) to the first paint of the client table's viewport that shows rows
(an event filter on QEvent.Paint). The first start on the copy is the first start of a
day (the day's refresh); the others are usual starts (median of ``--repeat``).

How each action is driven (real widgets and QTest key presses and clicks; a menu item by
``QAction.trigger()``, which is what clicking it does; a file chooser is answered by
replacing ``QFileDialog.getOpenFileName``/``getSaveFileName`` with the path a user would
pick; message boxes and wizards are answered by clicking their buttons) is printed beside
each figure. Targets (issue 13): start-up <= 2x the bare window; every stall <= 100 ms.

``--only import,export`` runs only those actions (see ``--help`` for the keys; the idle
second and closing always run, the start-ups only with ``startup``).
``--profile-stalls [MS]`` prints, for every stall over MS (default 40), the stacks of the
GUI thread and of the executor's worker sampled during it and the garbage collections
inside it (bench/stall_profiler.py); ``--garbage-census`` adds, after each action, a full
collection that says what garbage the action left and what a full collection walks.
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
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import dataset  # noqa: E402
import PySide6  # noqa: E402
from bench_clients import print_table  # noqa: E402
from bench_gui_startup import (  # noqa: E402
    QUIET_MS,
    RESULT_PREFIX,
    busy_dialog_shown,
    client_table,
    heartbeat_class,
    private_work_running,
)
from faker import Faker  # noqa: E402
from PySide6.QtCore import QObject, QPoint, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QTableView,
    QTableWidget,
    QTabWidget,
    QWizard,
)
from sqlalchemy import func, select  # noqa: E402

from app.db import open_database  # noqa: E402
from app.models import Client, Contact  # noqa: E402
from app.services import calls  # noqa: E402
from app.services.clients import ClientColumn  # noqa: E402

TARGET_STALL_MS = 100
TARGET_STARTUP_RATIO = 2.0
STARTUP_CHILD = ROOT / "bench" / "bench_gui_startup.py"
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "clientcare-bench"
#: what ``--only`` can choose (charts: the first visit of the Charts page alone)
ONLY_KEYS = ("startup", "pages", "charts", "log", "card", "sort", "pages-again", "import",
             "export", "check", "restore")


# ---------------------------------------------------------------------------- database

def cached_database(clients: int, purchases: int, cache: Path) -> Path:
    """The benchmark database of bench/dataset.py, built once per size (the files of the
    earlier builder, ``bench-<clients>-<purchases>.sqlite``, stay in the cache untouched)."""
    return dataset.cached_database(clients, purchases, cache=cache,
                                   log=lambda s: print(s, flush=True))


def write_import_csv(path: Path, rows: int, seed: int = 13) -> None:
    """New clients to import, as a spreadsheet would save them: name, phone, e-mail,
    notes (headings the importer recognises by itself)."""
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


def run_child(kind: str, db_path: Path, timeout_s: float, quiet_ms: int) -> dict:
    command = [sys.executable, str(STARTUP_CHILD), kind, str(db_path),
               "--timeout", str(timeout_s), "--quiet-ms", str(quiet_ms)]
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


def measure_startup(db_path: Path, repeat: int, timeout_s: float, quiet_ms: int) -> dict:
    """The first start of the day on the copy, then bare and app starts in turn."""
    first = run_child("app", db_path, timeout_s, quiet_ms)
    apps, bares = [], []
    for _ in range(repeat):
        bares.append(run_child("bare", db_path, timeout_s, quiet_ms))
        apps.append(run_child("app", db_path, timeout_s, quiet_ms))

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
            "app_imported_s": median(apps, "imported_s"),
            "app_shown_s": median(apps, "shown_s"),
            "bare_qt_ready_s": median(bares, "qt_ready_s"),
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


class Pause(Wait):
    def __init__(self, seconds: float) -> None:
        self.until = time.perf_counter() + seconds

    def ready(self) -> bool:
        return time.perf_counter() >= self.until


class Settled(Wait):
    """The action is finished: ``done()`` holds, the executor is idle, no progress dialog
    is up, and the heartbeat saw no busy gap, all for ``--quiet-ms``."""

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
        if not done or (ops is not None and ops.executor.busy) or busy_dialog_shown() \
                or private_work_running():
            self.last_busy = now
        quiet_since = max(self.last_busy, self.driver.heartbeat.last_busy)
        if now - quiet_since >= self.driver.args.quiet_ms / 1000:
            self.end = quiet_since
            return True
        if now - self.started > self.timeout_s:
            self.end, self.timed_out = now, True
            return True
        return False


class Driver:
    """Runs the steps (a generator that yields :class:`Wait`) from a timer, so the event
    loop stays the app's own; answers message boxes, wizards and file choosers."""

    def __init__(self, args, work: Path, csv_path: Path, profiler=None) -> None:
        self.args, self.work, self.csv_path = args, work, csv_path
        self.profiler = profiler
        self.window = None
        self.actions: list[Action] = []
        self.current: Action | None = None
        self.heartbeat = heartbeat_class()()
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
        if isinstance(self._wait, Until) and self._wait.timed_out:
            self._note_error(f"waited in vain for {self._wait.what}")
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
        if self.profiler is not None:
            self.profiler.mark(name)
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
        # a stall shorter than BUSY_GAP_MS does not move the end; the total holds it still
        action.total_ms = round(max((wait.end - self._began) * 1000, action.stall_ms), 1)
        if action.ratio is None:
            action.ratio = round(action.stall_ms / TARGET_STALL_MS, 2)
        if wait.timed_out:
            action.ok = False
            action.notes.append(f"not finished after {wait.timeout_s:.0f} s")
            self._close_dialogs()
        self.current = None
        if self.profiler is not None:
            self.profiler.mark("")
            if self.args.garbage_census:
                self.profiler.mark("(the garbage census itself)")
                ms, found, _, live, _ = self.profiler.census(action.name)
                self.profiler.mark("")
                print(f"    garbage census: {found} objects found in {ms:.0f} ms; {live} "
                      "alive, not frozen", flush=True)
        print(f"  {action.name}: stall {action.stall_ms:.0f} ms, total "
              f"{action.total_ms:.0f} ms{'' if action.ok else '  ' + '; '.join(action.notes)}",
              flush=True)

    def current_notes_after(self, note: str) -> None:
        """A fact about the action just measured, printed beside it."""
        self.actions[-1].notes.append(note)

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
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QDialog) and w.isVisible():
                w.reject()

    # -- helpers on the window -----------------------------------------------------------
    def find_window(self):
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMainWindow) and w.isVisible() and hasattr(w, "ops"):
                return w
        return None

    def nav_click(self, row: int) -> str:
        nav = self.window.findChild(QListWidget, "navigation")
        item = nav.item(row)
        QTest.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, nav.visualItemRect(item).center())
        return item.text()

    def menu_action(self, text: str):
        """The menu item of that title (else the one whose title starts with its first
        word: a title reworded still finds its item)."""
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
        return self.window.ops.read(
            lambda s: s.scalar(select(func.count()).select_from(model)))

    def visible_top(self, name: str):
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
        yield Pause(1.0)
        yield from self._end_now()

        pages = [1, 2, 3, 4, 5, 0]
        wanted = self.args.only
        if wanted is None or "pages" in wanted:
            for row in pages:
                yield from self.switch_page(row, first=True)
        elif "charts" in wanted:
            yield from self.switch_page(4, first=True)
        chosen = {"log": [self.log_a_call], "card": [self.open_a_card, self.save_a_card],
                  "sort": [self.sort_a_column]}
        for key, steps in chosen.items():
            if wanted is not None and key not in wanted:
                continue
            for step in steps:
                try:
                    yield from step()
                except Exception:  # noqa: BLE001 - noted, the next action runs
                    self._note_error(traceback.format_exc())
                    self.current = None
        if wanted is None or "pages-again" in wanted:
            for row in pages:
                yield from self.switch_page(row, first=False)
        chosen = {"import": self.import_rows, "export": self.export,
                  "check": self.integrity_check, "restore": self.restore}
        for key, step in chosen.items():
            if wanted is not None and key not in wanted:
                continue
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
        runners = [o for o in self.window.findChildren(QObject)
                   if type(o).__name__ == "BackupRunner" and hasattr(o, "busy")]
        yield Until(lambda: not any(r.busy() for r in runners), self.args.action_timeout,
                    "the start backup")
        yield self.settle()

    def _answers_for_files(self) -> None:
        """The file choosers answer with the path a user would pick."""
        export_path = self.work / "export.csv"
        QFileDialog.getSaveFileName = staticmethod(
            lambda *a, **k: (str(export_path), "CSV table (*.csv)"))
        QFileDialog.getOpenFileName = staticmethod(
            lambda *a, **k: (str(self.csv_path), "CSV table (*.csv *.txt)"))
        self.export_path = export_path

    def switch_page(self, row: int, first: bool) -> Iterator[Wait]:
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
        self.nav_click(0)
        yield self.settle()
        table = client_table(self.window)
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
        card = self.visible_top("clientCard")
        if card is None:
            raise LookupError("no open card to save")
        notes = card.findChild(QPlainTextEdit, "notesEdit")
        save = card.findChild(QPushButton, "saveButton")
        client_id = card.data.id
        before = self.window.ops.read(lambda s: s.get(Client, client_id).notes) or ""
        # a user opens the notes' tab, clicks into the box and goes to its end: the
        # words are added after what is there (unique per run: a real change is saved)
        tabs = notes.parentWidget()
        while tabs is not None and not isinstance(tabs, QTabWidget):
            tabs = tabs.parentWidget()
        if tabs is not None:
            tabs.setCurrentIndex(next(i for i in range(tabs.count())
                                      if tabs.widget(i).isAncestorOf(notes)))
        yield self.settle()
        QTest.mouseClick(notes.viewport(), Qt.MouseButton.LeftButton)
        QTest.keyClick(notes, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        added = f" bench {time.strftime('%H:%M:%S')}"
        self.begin("save a card (type a note, click Save)",
                   "QTest keys at the end of the card's Notes, QTest click on Save")
        QTest.keyClicks(notes, added)
        typed = notes.toPlainText()
        QTest.mouseClick(save, Qt.MouseButton.LeftButton)
        wait = self.settle(lambda: self.visible_top("clientCard") is None)
        yield wait
        self.end(wait)
        saved = self.window.ops.read(lambda s: s.get(Client, client_id).notes) or ""
        self.check(typed == before + added, "the words were not typed at the end of the note")
        self.check(saved == before + added, f"the note was not saved: {saved[-40:]!r}")

    def sort_a_column(self) -> Iterator[Wait]:
        table = client_table(self.window)
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
        said = [m for m in self.messages[shown:] if "good order" in m]
        self.current_notes_after(said[0] if said else "the answer was not a message box")

    def restore(self) -> Iterator[Wait]:
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
        before = self.count(Client)
        self.begin("restore a backup", "QTest click on Restore the chosen backup (Settings ▸ "
                   "Backups), Yes clicked in the question")
        state = self.later(lambda: QTest.mouseClick(button, Qt.MouseButton.LeftButton))
        wait = self.settle(lambda: state["returned"])
        yield wait
        self.end(wait)
        after = self.count(Client)
        self.check(after < before, "the clients imported since the backup are still there")
        self.current_notes_after(f"{before:,} clients before, {after:,} after the restore")

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
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)  # the driver quits when it is done
    profiler = None
    if args.profile_stalls is not None:
        from stall_profiler import StallProfiler
        profiler = StallProfiler(threshold_ms=args.profile_stalls)
    driver = Driver(args, work, csv_path, profiler)
    driver.start()
    if profiler is not None:
        profiler.start()
    # imported once the environment is set: the window's modules read it when loaded
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
    if profiler is not None:
        profiler.stop()
        print("\nstalls over the threshold, what ran during them (bench/stall_profiler.py):")
        print(profiler.report())
        args.stalls = profiler.summary()
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
                           notes=(startup_breakdown(startup) if ok
                                  else list(startup["errors"]))))
    imported, ready = startup["app_imported_s"], startup["bare_qt_ready_s"]
    if app is not None and bare is not None and imported is not None and ready is not None:
        window_ms, floor_ms = (app - imported) * 1000, (bare - ready) * 1000
        rows.append(Action("start-up, the window code alone (imports left out)",
                           "the same starts, from the app's modules imported (app) or the "
                           f"QApplication ready (bare window: {floor_ms:.0f} ms) to the paint",
                           None, round(window_ms, 1),
                           round(window_ms / floor_ms, 2) if floor_ms > 0 else None,
                           "bare window", ok=ok))
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


def startup_breakdown(startup: dict) -> list[str]:
    """Where the start-up goes (medians): Python, PySide6 and the app's modules imported;
    the window built and shown; then painted."""
    def ms(key: str) -> str:
        value = startup.get(key)
        return "?" if value is None else f"{value * 1000:.0f} ms"
    return [f"QApplication ready {ms('bare_qt_ready_s')} in the bare window; the app's "
            f"modules imported at {ms('app_imported_s')}, its window shown at "
            f"{ms('app_shown_s')}, painted with rows at {ms('app_paint_s')}"]


def verdict(a: Action) -> str:
    if not a.ok and a.stall_ms is None and a.total_ms is None:
        return "FAILED"
    if a.ratio_to == "bare window":
        met = a.ratio is not None and a.ratio <= TARGET_STARTUP_RATIO
    else:
        met = a.stall_ms is not None and a.stall_ms <= TARGET_STALL_MS
    return ("yes" if met else "no") + ("" if a.ok else " (!)")


def print_report(rows: list[Action]) -> None:
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
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=100_000)
    ap.add_argument("--purchases", type=int, default=10, help="purchases per client, on average")
    ap.add_argument("--import-rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3, help="start-ups of each kind")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                    help="where the built database is kept between runs")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    ap.add_argument("--action-timeout", type=float, default=180.0)
    ap.add_argument("--quiet-ms", type=int, default=QUIET_MS,
                    help="an action is finished when nothing was busy for this long")
    ap.add_argument("--keep-work", action="store_true", help="keep the working folder")
    ap.add_argument("--only", type=lambda v: set(v.split(",")), metavar="KEYS",
                    help="run only these, comma-separated: " + ", ".join(ONLY_KEYS)
                    + " (closing always ends the run)")
    ap.add_argument("--profile-stalls", type=float, nargs="?", const=40.0, metavar="MS",
                    help="print what ran on each thread, and the garbage collections, "
                    "during every stall over MS (default 40; bench/stall_profiler.py)")
    ap.add_argument("--garbage-census", action="store_true",
                    help="with --profile-stalls: after each action, a full collection and "
                    "what it found, by type (a diagnosis: later actions find less)")
    args = ap.parse_args()
    if args.only is not None and args.only - set(ONLY_KEYS):
        ap.error(f"--only: unknown {', '.join(sorted(args.only - set(ONLY_KEYS)))}")
    args.stalls = None
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
        startup = None
        if args.only is None or "startup" in args.only:
            print(f"start-up: 1 first start, then {args.repeat} x (bare, app) ...",
                  flush=True)
            startup = measure_startup(db_path, args.repeat, args.action_timeout,
                                      args.quiet_ms)
        print("actions:", flush=True)
        actions = measure_actions(args, db_path, csv_path, work)
    finally:
        if not args.keep_work:
            shutil.rmtree(work, ignore_errors=True)
    rows = (startup_rows(startup) if startup else []) + actions
    print_report(rows)
    command = "QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui.py " + " ".join(
        sys.argv[1:])
    print(f"\n{args.clients:,} clients; {machine()}; {time.perf_counter() - began:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(), "command": command, "clients": args.clients,
            "import_rows": args.import_rows, "startup": startup,
            "actions": [asdict(a) for a in rows], "stalls": args.stalls}, indent=2),
            encoding="utf-8")
    return 0 if all(a.stall_ms is not None or a.total_ms is not None for a in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
