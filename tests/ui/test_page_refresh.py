"""Pages refresh only when they are shown and concerned, never twice for their own
action, and big lists update the rows a change names. Each test counts the calls of the
service function the page reads with."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt

from app.models.enums import Outcome
from app.services import calendar as calendar_service
from app.services import calls, schedule
from app.services import clients as client_service
from app.services import complaints as complaint_service
from app.services.clients import ClientColumn
from app.ui.calendar_page import CalendarPage
from app.ui.clients_page import ClientsPage
from app.ui.complaints_page import ComplaintsPage
from app.ui.today_page import TodayPage

TODAY = date(2026, 11, 23)  # a Monday
REAL_QUEUE = calls.today_queue  # what the tests themselves read with, never counted


class Counter:
    """Wraps a service function and counts its calls (and their keyword arguments)."""

    def __init__(self, monkeypatch, module, name: str) -> None:
        self.calls: list[dict] = []
        real = getattr(module, name)

        def counted(*args, **kwargs):
            self.calls.append(kwargs)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)

    @property
    def n(self) -> int:
        return len(self.calls)


def _due_calls(db, make_client, day: date = TODAY) -> list[int]:
    ids = [make_client(name, phone=phone, purchases=[(day - timedelta(days=3), "50.00")])
           for name, phone in (("Anna", "601 234 567"), ("Bartek", "602 345 678"))]
    with db.session() as s:
        schedule.regenerate(s, day, rules=schedule.ScheduleRules(
            personal_dates=False, quarterly_review=False, win_back=False,
            keep_in_touch=False))
    return ids


def _log_elsewhere(ops, day: date = TODAY, outcome: Outcome = Outcome.REACHED) -> None:
    """A call logged by another part of the window (the card, a complaint window)."""
    with ops.db.sessions() as s:
        row = REAL_QUEUE(s, day)[0]
    now = datetime.combine(day, datetime.min.time()).replace(hour=10)
    ops.run(None, lambda s: calls.log_call(s, calls.CallLog(
        client_id=row.client_id, task_id=row.task_id, task_ids=row.task_ids,
        outcome=outcome), now=now), source=object())


def _show(qtbot, page) -> None:
    page.resize(1200, 650)
    page.show()
    qtbot.waitExposed(page)


def test_hidden_today_does_not_read_on_a_change_and_reads_when_shown(qtbot, ops, db,
                                                                      make_client,
                                                                      monkeypatch):
    _due_calls(db, make_client)
    queue = Counter(monkeypatch, calls, "today_queue")
    page = TodayPage(ops, today=TODAY)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading)
    assert queue.n == 1 and not any(r.settled for r in page.model.rows)
    _log_elsewhere(ops)
    qtbot.wait(50)  # the event loop runs: still nothing read for a hidden page
    assert queue.n == 1 and page.gate.stale
    _show(qtbot, page)
    qtbot.waitUntil(lambda: queue.n == 2 and not page.loading)
    assert sum(r.settled for r in page.model.rows) == 1
    assert not page.gate.stale


def test_hidden_calendar_does_not_read_on_a_change_and_reads_when_shown(qtbot, ops, db,
                                                                         make_client,
                                                                         monkeypatch):
    today = date.today()
    _due_calls(db, make_client, today)
    month = Counter(monkeypatch, calendar_service, "month_summary")
    day = Counter(monkeypatch, calendar_service, "day_page")
    page = CalendarPage(ops)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading)
    assert (month.n, day.n) == (1, 1)
    _log_elsewhere(ops, today)
    qtbot.wait(50)
    assert (month.n, day.n) == (1, 1) and page.gate.stale
    _show(qtbot, page)
    qtbot.waitUntil(lambda: (month.n, day.n) == (2, 2) and not page.loading)
    assert page.calendar.summary[today].done == 1


def test_hidden_complaints_do_not_read_on_a_change_and_read_once_when_shown(
        qtbot, ops, db, make_client, monkeypatch):
    cid = make_client("Anna")
    rows = Counter(monkeypatch, complaint_service, "complaint_rows")
    page = ComplaintsPage(ops, clock=lambda: datetime(2026, 11, 23, 12, 0))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading)
    assert rows.n == 1 and page.model.rowCount() == 0
    ops.run(None, lambda s: complaint_service.open_complaint(
        s, cid, "Wrong size", now=datetime(2026, 11, 23, 9, 0)), source=object())
    qtbot.wait(50)
    assert rows.n == 1
    _show(qtbot, page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    qtbot.wait(50)
    assert rows.n == 2  # showing reads once, though the page was stale and the clock moved


def test_hidden_client_list_does_not_query_on_a_change_and_queries_when_shown(
        qtbot, ops, db, make_client, monkeypatch):
    make_client("Anna")
    ids = Counter(monkeypatch, client_service, "client_ids")
    page = ClientsPage(ops)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert ids.n == 1
    make_client("Bartek")  # outside the window: nothing announced
    ops.run(None, lambda s: client_service.soft_delete(
        s, [page.model.client_id(0)]), source=object())
    qtbot.wait(50)
    assert ids.n == 1 and page.model.rowCount() == 1
    _show(qtbot, page)
    qtbot.waitUntil(lambda: ids.n == 2 and not page.model.loading)
    assert [page.model.data(page.model.index(0, 0))] == ["Bartek"]


def test_a_call_logged_on_today_reads_its_rows_once_and_leaves_other_pages_stale(
        qtbot, ops, db, make_client, monkeypatch):
    _due_calls(db, make_client)
    page = TodayPage(ops, today=TODAY)
    qtbot.addWidget(page)
    clients = ClientsPage(ops)  # hidden, as behind the Today page
    qtbot.addWidget(clients)
    calendar = CalendarPage(ops)
    qtbot.addWidget(calendar)
    _show(qtbot, page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.waitUntil(lambda: not (page.loading or clients.model.loading or calendar.loading))
    queue = Counter(monkeypatch, calls, "today_queue")
    ids = Counter(monkeypatch, client_service, "client_ids")
    days = Counter(monkeypatch, calendar_service, "day_page")
    page.table.setFocus()
    first = page.model.rows[0]
    qtbot.keyClick(page.table, Qt.Key.Key_N)  # no answer
    qtbot.waitUntil(lambda: not page.busy)  # the call is written on the executor
    assert page.ops.wait()
    assert page.model.rows[0].settled and page.model.rows[0].client_id == first.client_id
    qtbot.wait(100)  # whatever the bus would start has started
    assert ops.wait()
    # read once, for the one client; never the whole queue
    assert [c.get("client_ids") for c in queue.calls] == [{first.client_id}]
    assert page.table.currentIndex().row() == 1  # on to the next call
    assert ids.n == 0 and days.n == 0  # the hidden pages are only marked stale
    assert clients.gate.stale and calendar.gate.stale


def test_a_change_naming_one_client_updates_its_row_without_the_id_query(
        qtbot, ops, db, make_client, monkeypatch):
    anna = make_client("Anna")
    bartek = make_client("Bartek")
    page = ClientsPage(ops)
    qtbot.addWidget(page)
    _show(qtbot, page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    page.select_client(bartek)
    ids = Counter(monkeypatch, client_service, "client_ids")
    rows = Counter(monkeypatch, client_service, "client_rows")
    with db.sessions() as s:
        data = client_service.load_client(s, bartek)
    ops.run(None, lambda s: client_service.save_client(
        s, replace(data, name="Bartek Lis"), region="PL"), source=object())
    qtbot.waitUntil(lambda: page.model.data(page.model.index(1, ClientColumn.NAME))
                    == "Bartek Lis")
    assert ids.n == 0 and rows.n == 1  # that row, read again; not the query
    assert page.selected_ids() == [bartek]
    assert page.model.data(page.model.index(0, ClientColumn.NAME)) == "Anna"
    # a new client is a new row: the query runs again, the selection stays
    make = ops.run(None, lambda s: client_service.save_client(
        s, client_service.ClientData(name="Celina"), region="PL"), source=object())
    assert make is not None
    qtbot.waitUntil(lambda: page.model.rowCount() == 3 and not page.model.loading)
    assert ids.n == 1 and page.selected_ids() == [bartek] and anna in (
        page.model.client_id(0),)


def test_an_older_search_answer_never_replaces_a_newer_one(qtbot, ops, make_client):
    make_client("Anna")
    make_client("Bartek")
    page = ClientsPage(ops)
    qtbot.addWidget(page)
    _show(qtbot, page)
    qtbot.waitUntil(lambda: not page.model.loading)
    shown = []
    page.model.loaded.connect(lambda: shown.append(page.model.rowCount()))
    page.search.setText("an")   # both answers are asked for before either arrives
    page.apply_filters()
    page.search.setText("bart")
    page.apply_filters()
    assert page.model.rowCount() == 2  # the old rows stay until the new ids arrive
    assert page.count_label.text().startswith("2 client")  # not "Searching…"
    qtbot.waitUntil(lambda: not page.model.loading)
    assert shown == [1]  # only the newest answer was shown
    assert page.model.data(page.model.index(0, 0)) == "Bartek"
