from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from icalendar import Calendar
from PySide6.QtCore import QLocale, QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from app.models import Task
from app.models.enums import DateKind, Outcome
from app.services import calls, schedule
from app.services import clients as client_service
from app.ui.calendar_page import CalendarPage


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
    texts = [page.items.item(i).text() for i in range(page.items.count())]
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
        page.items.itemActivated.emit(page.items.item(0))
    assert sig.args == [cid]
    # export writes a file a calendar program reads
    out = tmp_path / "x.ics"
    n = page.export_to(str(out))
    assert n and len(Calendar.from_ical(out.read_bytes()).walk("VEVENT")) == n
    assert str(out) in page.export_status.text()


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
    texts = [page.items.item(i).text() for i in range(page.items.count())]
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
        assert target.exists()
        page.export_button.click()
        assert Path(asked[1]) == target.parent / "clientcare.ics"
    finally:
        QSettings().clear()
