"""Benchmark: the longest stall of the GUI thread while the pages refresh, 100,000 clients.

    .venv/bin/python bench/bench_pages.py [--clients 100000] [--keep PATH]

Builds (or reuses, with --keep) the database of bench_clients.py, regenerates its calls
for its day, then builds Today, Clients, Calendar, Complaints and Settings in one stack
(one page shown at a time, as in the window) and measures, for each action, the longest
time the event loop did not run: a 2 ms heartbeat QTimer records the largest gap between
its ticks from the action until the database executor is idle. Run it offscreen
(QT_QPA_PLATFORM=offscreen). Target: every stall at most 100 ms.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_clients import TODAY, bench_database, print_table  # noqa: E402
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QStackedWidget  # noqa: E402

from app.db import open_database  # noqa: E402
from app.services import clients as client_service  # noqa: E402
from app.services import schedule  # noqa: E402
from app.services.clients import ClientColumn  # noqa: E402


class Heartbeat:
    """The largest gap between two ticks of a 2 ms timer since :meth:`reset`."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = 0
        self.worst = 0
        self.timer = QTimer()
        self.timer.setInterval(2)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def reset(self) -> None:
        self.last, self.worst = self.clock.elapsed(), 0


def main() -> int:
    args, path = bench_database(__doc__.splitlines()[0])
    app = QApplication.instance() or QApplication([])
    QCoreApplication.setOrganizationName("ClientCareBench")
    QCoreApplication.setApplicationName("ClientCareBench")
    QSettings().clear()  # the pages as built the first time
    from app.ui.calendar_page import CalendarPage
    from app.ui.clients_page import ClientsPage
    from app.ui.complaints_page import ComplaintsPage
    from app.ui.ops import Ops
    from app.ui.settings_page import SettingsPage
    from app.ui.today_page import TodayPage

    db = open_database(path)
    with db.session() as s:
        schedule.regenerate(s, TODAY)
    ops = Ops(db)
    beat = Heartbeat()
    rows: list[tuple[str, float, float]] = []

    def settle(quiet_ms: int = 300) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            QTest.qWait(20)
            if not ops.executor.busy:
                QTest.qWait(quiet_ms)
                if not ops.executor.busy:
                    return

    def measure(label: str, action) -> None:
        settle(100)
        beat.reset()
        t0 = time.perf_counter()
        action()
        direct = (time.perf_counter() - t0) * 1000
        settle()
        rows.append((label, max(beat.worst, direct), direct))
        print(f"{label}: {max(beat.worst, direct):.0f} ms", flush=True)

    stack = QStackedWidget()
    stack.resize(1280, 720)
    pages: dict[str, object] = {}

    def build(name: str, make) -> None:
        pages[name] = make()
        stack.addWidget(pages[name])

    measure("build Today", lambda: build("today", lambda: TodayPage(ops, today=TODAY)))
    measure("build Clients", lambda: build("clients", lambda: ClientsPage(ops)))
    measure("build Calendar", lambda: build("calendar", lambda: CalendarPage(ops)))
    measure("build Complaints", lambda: build("complaints", lambda: ComplaintsPage(ops)))
    measure("build Settings", lambda: build("settings", lambda: SettingsPage(ops)))
    today, clients = pages["today"], pages["clients"]
    calendar, settings = pages["calendar"], pages["settings"]
    stack.setCurrentWidget(today)
    stack.show()
    settle()
    today.table.setFocus()
    for i in range(3):
        measure(f"log a call (N) on Today, #{i + 1}",
                lambda: QTest.keyClick(today.table, Qt.Key.Key_N))
    measure("show the Calendar (stale after the calls)",
            lambda: stack.setCurrentWidget(calendar))
    measure("choose a day of 400 items in the Calendar", lambda: calendar.select_day(TODAY))
    measure("show the client list (stale)", lambda: stack.setCurrentWidget(clients))

    def search(text: str) -> None:
        clients.search.setText(text)
        clients.apply_filters()

    measure("type 'a' in the search", lambda: search("a"))
    measure("clear the search", lambda: search(""))
    measure("sort by 12-month value", lambda: clients.table.sortByColumn(
        ClientColumn.VALUE_12M, Qt.SortOrder.DescendingOrder))
    measure("sort by name", lambda: clients.table.sortByColumn(
        ClientColumn.NAME, Qt.SortOrder.AscendingOrder))
    cid = clients.model.client_id(3)
    with db.sessions() as s:
        data = client_service.load_client(s, cid)
    measure("a saved card (names one listed client)", lambda: ops.run(
        None, lambda s: client_service.save_client(s, replace(data, notes="bench"),
                                                   region="PL"), source=object()))
    measure("show Complaints", lambda: stack.setCurrentWidget(pages["complaints"]))
    measure("show Settings", lambda: stack.setCurrentWidget(settings))
    settings.tabs.setCurrentWidget(settings.rules)
    measure("save the rules (regeneration on the executor)", settings.rules.save)
    measure("show Today after the save (stale)", lambda: stack.setCurrentWidget(today))
    ops.wait()
    ops.executor.shutdown()
    db.close()
    QSettings().clear()
    print()
    print_table(["action", "longest stall ms", "the call itself ms"],
                [(label, f"{stall:.0f}", f"{direct:.0f}") for label, stall, direct in rows])
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
