from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

from icalendar import Calendar
from PySide6.QtCore import QLocale, QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import select

from app.models import Task
from app.models.enums import DateKind, Outcome
from app.services import calendar as calendar_service
from app.services import calls, schedule
from app.services import clients as client_service
from app.services.io import ics
from app.ui.calendar_page import CalendarPage
from app.ui.worded_progress import WordedProgress


def _texts(page: CalendarPage) -> list[str]:
    """The day's lines as the list shows them (its model's text)."""
    model = page.items.model()
    return [model.index(i).data() for i in range(model.rowCount())]


def test_choosing_a_day_lists_its_items_and_logging_changes_the_month(qtbot, ops, db,
                                                                       make_client, tmp_path):
    today = date.today()
    cid = make_client("Anna", phone="601 234 567",
                      purchases=[(today - timedelta(days=3), "50.00")])
    with db.session() as s:
        data = client_service.load_client(s, cid)
        data.dates.append(client_service.PersonalDateData(kind=DateKind.BIRTHDAY, month=today.month,
                                              day=today.day, year=today.year - 30))
        client_service.save_client(s, data, region="PL")
        schedule.regenerate(s, today)
    page = CalendarPage(ops)
    qtbot.addWidget(page)
    page.show()
    page.select_day(today)
    qtbot.waitUntil(lambda: not page.loading)  # read on the database executor
    texts = _texts(page)
    assert any("Follow-up after purchase: Anna" in t for t in texts)
    assert any("Birthday: Anna" in t and "30" in t for t in texts)
    before = page.calendar.summary[today].calls
    # a call logged elsewhere changes the calendar through the data bus
    with db.sessions() as s:
        row = calls.today_queue(s, today)[0]
    ops.run(None, lambda s: calls.log_call(s, calls.CallLog(client_id=row.client_id,
                                                           task_id=row.task_id,
                                                           task_ids=row.task_ids,
                                                           outcome=Outcome.REACHED)))
    qtbot.waitUntil(lambda: not page.loading and page.calendar.summary[today].done == 1)
    assert page.calendar.summary[today].calls == before - 1
    assert page.calendar.summary[today].done == 1
    # opening an item asks for its client
    with qtbot.waitSignal(page.client_open_requested) as sig:
        page.items.activated.emit(page.day_model.index(0))
    assert sig.args == [cid]
    # export writes a file a calendar program reads
    out = tmp_path / "x.ics"
    job = page.export_to(str(out))
    assert ops.wait(job) and job.ok  # written on the database executor
    n = len(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    status = page.export_status.text()
    assert n and status.startswith(f"{n} event") and status.endswith(f"written to {out}")


def test_first_day_of_week_follows_the_locale(qtbot, ops):
    QLocale.setDefault(QLocale("pl_PL"))
    try:
        page = CalendarPage(ops)
        qtbot.addWidget(page)
        assert page.calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday
    finally:
        QLocale.setDefault(QLocale("en_US"))
    page2 = CalendarPage(ops)
    qtbot.addWidget(page2)
    assert page2.calendar.firstDayOfWeek() == Qt.DayOfWeek.Sunday


def test_a_moved_call_says_why(qtbot, ops, db, make_client):
    today = date.today()
    why = {make_client("Anna", purchases=[(today - timedelta(days=3), "50.00")]):
           schedule.REASON_NON_WORKING,
           make_client("Bartek", purchases=[(today - timedelta(days=3), "50.00")]):
           schedule.REASON_CONTACTED_TODAY}
    with db.session() as s:
        schedule.regenerate(s, today)
        for t in s.scalars(select(Task).where(Task.client_id.in_(list(why)))):
            t.due_on, t.reason = today, why[t.client_id]
    page = CalendarPage(ops)
    qtbot.addWidget(page)
    page.select_day(today)
    qtbot.waitUntil(lambda: not page.loading)
    texts = _texts(page)
    assert any("Anna" in t and "moved: not a working day" in t for t in texts)
    assert any("Bartek" in t and "moved: contacted today" in t for t in texts)


def test_ics_save_dialog_opens_in_documents_then_in_the_last_folder(qtbot, ops, tmp_path,
                                                                    monkeypatch):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    QSettings().clear()
    monkeypatch.chdir(tmp_path)  # the program's folder: never the start
    asked = []
    target = tmp_path / "out" / "mine.ics"
    target.parent.mkdir()

    def save_dialog(parent, title, start, filters):
        asked.append(start)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    page = CalendarPage(ops)
    qtbot.addWidget(page)
    try:
        page.export_button.click()
        docs = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        assert Path(asked[0]) == Path(docs) / "clientcare.ics"
        assert ops.wait()  # written on the database executor
        assert target.exists()
        page.export_button.click()
        assert Path(asked[1]) == target.parent / "clientcare.ics"
    finally:
        QSettings().clear()


def _calendar_of(make_client, db, n: int) -> None:
    today = date.today()
    for i in range(n):
        make_client(f"Client {i}", purchases=[(today - timedelta(days=3), "50.00")])
    with db.session() as s:
        schedule.regenerate(s, today)


def test_the_calendar_export_runs_off_the_gui_thread_and_says_how_far_it_got(
        qtbot, ops, db, make_client, tmp_path, monkeypatch):
    _calendar_of(make_client, db, 4)
    monkeypatch.setattr(ics, "PROGRESS_BATCH", 1)
    threads, said = [], []
    real = ics.export_ics
    monkeypatch.setattr(ics, "export_ics", lambda *a, **k: (
        threads.append(threading.get_ident()), real(*a, **k))[1])
    ops.executor.job_progressed.connect(lambda job: said.append(job.text))
    page = CalendarPage(ops)
    qtbot.addWidget(page)
    out = tmp_path / "cal.ics"
    job = page.export_to(str(out))
    assert job.cancellable and job.label == "Exporting the calendar…"
    assert ops.wait(job) and job.ok
    assert threads and threads[0] != threading.get_ident()
    n = len(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert n >= 4 and f"Exporting the calendar: {n} of {n} event(s)…" in said
    status = page.export_status.text()
    assert status.startswith(f"{n} event") and status.endswith(f"written to {out}")


def test_a_stopped_calendar_export_writes_nothing_and_says_so(qtbot, ops, db, make_client,
                                                              tmp_path, monkeypatch):
    _calendar_of(make_client, db, 4)
    monkeypatch.setattr(ics, "PROGRESS_BATCH", 1)
    go = threading.Event()
    real_check = WordedProgress.check

    def check(self):
        self.job.cancel()  # the user pressed Stop after the first event
        go.set()
        real_check(self)

    monkeypatch.setattr(WordedProgress, "check", check)
    page = CalendarPage(ops)
    qtbot.addWidget(page)
    out = tmp_path / "cal.ics"
    job = page.export_to(str(out))
    assert ops.wait(job) and not job.ok and go.is_set()
    assert not out.exists() and not (tmp_path / "cal.ics.part").exists()
    assert page.export_status.text() == "The export was stopped; no file was written."


def test_a_calendar_export_to_a_missing_folder_says_so(qtbot, ops, db, make_client, tmp_path,
                                                       monkeypatch):
    _calendar_of(make_client, db, 1)
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(text))
    page = CalendarPage(ops)
    qtbot.addWidget(page)
    job = page.export_to(str(tmp_path / "no" / "such" / "cal.ics"))
    assert ops.wait(job) and not job.ok
    assert len(said) == 1 and "cal.ics" in said[0]
    assert page.export_status.text() == ""


def test_the_month_and_the_day_are_read_on_the_database_executor(qtbot, ops, db, make_client,
                                                                 monkeypatch):
    """Switching to the calendar or a change it is concerned by reads on the executor;
    the GUI thread only fills the list, laid out once (uniform lines)."""
    today = date.today()
    make_client("Anna", phone="601 234 567", purchases=[(today - timedelta(days=3), "50.00")])
    with db.session() as s:
        schedule.regenerate(s, today)
    threads: list[tuple[str, int]] = []
    for name in ("month_summary", "day_page", "day_counts"):
        real = getattr(calendar_service, name)
        monkeypatch.setattr(calendar_service, name, lambda *a, _n=name, _r=real, **k: (
            threads.append((_n, threading.get_ident())), _r(*a, **k))[1])
    page = CalendarPage(ops)
    qtbot.addWidget(page)
    page.show()
    page.select_day(today)
    qtbot.waitUntil(lambda: not page.loading)
    assert {n for n, _t in threads} == {"month_summary", "day_page", "day_counts"}
    assert all(t != threading.get_ident() for _n, t in threads)
    assert page.items.uniformItemSizes()
    texts = _texts(page)
    assert any("Follow-up after purchase: Anna" in t for t in texts)
    assert page.items.updatesEnabled()
    threads.clear()
    with db.sessions() as s:
        row = calls.today_queue(s, today)[0]
    ops.run(None, lambda s: calls.log_call(s, calls.CallLog(
        client_id=row.client_id, task_id=row.task_id, task_ids=row.task_ids,
        outcome=Outcome.REACHED)))  # a change the calendar shows: read again off the GUI
    qtbot.waitUntil(lambda: not page.loading and page.calendar.summary[today].done == 1)
    assert {n for n, _t in threads} == {"month_summary", "day_page", "day_counts"}
    assert all(t != threading.get_ident() for _n, t in threads)
    texts = _texts(page)
    assert any(t.startswith("✓") and "Anna" in t for t in texts)


def test_a_busy_day_is_read_a_page_at_a_time_as_the_list_scrolls(qtbot, ops, db,
                                                                  monkeypatch):
    """A day of many calls: the first page is shown with the day's total counted apart;
    scrolling to the end reads the next page (on the executor) until the day ends, and
    the lines are the whole day's, in order; an empty day says so."""
    import app.ui.calendar_page as calendar_page
    from app.models import Client
    from app.models.enums import TaskKind, TaskStatus

    monkeypatch.setattr(calendar_page, "PAGE", 20)
    day = date(2026, 11, 23)
    with db.session() as s:
        for i in range(157):
            c = Client(name=f"Client {i:03d}", sort_name=f"client {i:03d}",
                       search_text=f"client {i:03d}")
            s.add(c)
            s.flush()
            s.add(Task(client_id=c.id, kind=TaskKind.WIN_BACK, due_on=day,
                       status=TaskStatus.OPEN, priority=50 - i % 3, source_key=f"w{i}"))
    page = CalendarPage(ops)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    page.select_day(day)
    qtbot.waitUntil(lambda: not page.loading)
    assert page.day_count.text().startswith("157 item")  # "(s)" without a translator
    # a few pages: what the view asked for to fill itself, not the day
    assert 20 <= page.day_model.rowCount() < 157
    with db.sessions() as s:
        want = [page.describe(it, it.phone or "") for it in calendar_service.day_items(s, day)]
    def scrolled_to_the_end() -> bool:  # each scroll to the bottom asks for a page
        page.items.scrollToBottom()
        return page.day_model.rowCount() == 157

    qtbot.waitUntil(scrolled_to_the_end, timeout=20000)
    assert ops.wait()
    assert _texts(page) == want and len(want) == 157
    assert not page.day_model.canFetchMore(page.day_model.index(0).parent())
    page.select_day(day + timedelta(days=400))
    qtbot.waitUntil(lambda: not page.loading and page.day_model.empty)
    assert _texts(page) == ["Nothing on this day."]
    assert page.day_count.text().startswith("0 item")
    assert not page.day_model.flags(page.day_model.index(0)) & Qt.ItemFlag.ItemIsSelectable
