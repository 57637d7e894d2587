"""The receptionist's queue, worked with the keyboard as a receptionist would."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, QEvent, QLocale, Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog, QMessageBox
from shiboken6 import isValid
from sqlalchemy import select

from app.errors import DomainError
from app.models import Client, Complaint, Contact, Task
from app.models.enums import ComplaintStatus, Outcome, TaskKind, TaskStatus
from app.services import calls, schedule
from app.services.schedule import BASE_PRIORITY
from app.ui import today_page
from app.ui.app import install_translations
from app.ui.call_dialogs import WrongNumberDialog
from app.ui.complaint_dialog import ComplaintDialog
from app.ui.formatting import fmt_date_entry
from app.ui.main_window import MainWindow, Page
from app.ui.today_page import ManualTaskDialog, QueueColumn, RescheduleDialog, TodayPage
from tests.ui.modal import answer_modal

TODAY = date(2026, 11, 23)  # a Monday


def _queue(db, make_client) -> list[int]:
    """Three new clients who bought three days ago: three follow-ups due today."""
    ids = [make_client(name, phone=phone, purchases=[(TODAY - timedelta(days=3), "50.00")])
           for name, phone in (("Anna", "601 234 567"), ("Bartek", "602 345 678"),
                               ("Celina", "603 456 789"))]
    with db.session() as s:
        schedule.regenerate(s, TODAY, rules=schedule.ScheduleRules(
            personal_dates=False, quarterly_review=False, win_back=False,
            keep_in_touch=False))
    return ids


def _settle(qtbot, page: TodayPage) -> None:
    """Until the page's writes (on the executor) and what waited for them are done."""
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    assert page.ops.wait()


def _page(qtbot, ops) -> TodayPage:
    page = TodayPage(ops, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 650)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)  # focus and shortcuts need the active window
    qtbot.waitUntil(lambda: not page.loading)  # the queue is read on the executor
    page.table.setFocus()
    return page


def test_queue_lists_due_calls_in_order(qtbot, ops, db, make_client):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    assert page.model.rowCount() == 3
    assert [r.kind for r in page.model.rows] == [TaskKind.FOLLOW_UP] * 3
    assert page.model.data(page.model.index(0, 0)) == "today"
    assert "new client" in page.model.data(page.model.index(0, 4))
    assert "Ask how the purchase serves them" in page.hint.text()


def test_no_answer_takes_one_key_and_moves_to_next_working_day(qtbot, ops, db, make_client):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    first = page.model.rows[0]
    qtbot.keyClick(page.table, Qt.Key.Key_N)
    _settle(qtbot, page)
    assert page.model.rowCount() == 3  # the row stays, saying what was logged
    assert page.model.rows[0].settled
    assert page.model.data(page.model.index(0, 2)).startswith("No answer logged at ")
    assert page.selected().task_id == page.model.rows[1].task_id  # the next call is ready
    assert "No answer logged for Anna" in page.notice.text()
    with db.sessions() as s:
        task = s.get(Task, first.task_id)
        assert task.status == TaskStatus.OPEN and task.attempts == 1
        assert task.due_on == TODAY + timedelta(days=1)
        contact = s.scalar(select(Contact).where(Contact.task_id == first.task_id))
        assert contact.outcome == Outcome.NO_ANSWER


def test_meeting_booked_from_the_keyboard(qtbot, ops, db, make_client):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    row = page.model.rows[0]
    qtbot.keyClick(page.table, Qt.Key.Key_B)
    _settle(qtbot, page)
    assert page.outcome.currentData() == Outcome.MEETING_BOOKED
    assert page.meeting_at.hasFocus()
    page.meeting_at.setDateTime(QDateTime(QDate(2026, 11, 26), QTime(15, 30)))
    qtbot.keyClicks(page.note, "Wants the new season plan")
    qtbot.keyClick(page.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _settle(qtbot, page)
    assert page.model.rows[0].task_id == row.task_id and page.model.rows[0].settled
    assert page.model.data(page.model.index(0, 0)) == "done"
    with db.sessions() as s:
        task = s.get(Task, row.task_id)
        assert task.status == TaskStatus.DONE
        contact = s.scalar(select(Contact).where(Contact.task_id == row.task_id))
        assert contact.meeting_at == datetime(2026, 11, 26, 15, 30)
        assert contact.note == "Wants the new season plan"


def test_declined_needs_a_reason(qtbot, ops, db, make_client):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    row = page.model.rows[0]
    qtbot.keyClick(page.table, Qt.Key.Key_D)
    page.log_from_form()
    _settle(qtbot, page)
    assert "reason" in page.error.text().lower()
    assert page.model.rows[0].task_id == row.task_id  # nothing logged
    page.decline_reason.setCurrentText("too expensive")
    page.log_from_form()
    _settle(qtbot, page)
    with db.sessions() as s:
        contact = s.scalar(select(Contact).where(Contact.task_id == row.task_id))
        assert contact.decline_reason == "too expensive"


def test_snooze_and_cancel(qtbot, ops, db, make_client, monkeypatch):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    first, second = page.model.rows[0], page.model.rows[1]
    page.snooze_button.click()
    _settle(qtbot, page)
    assert first.task_id not in [r.task_id for r in page.model.rows]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("moved abroad", True))
    page._select_task(second.task_id)
    page.cancel_button.click()
    _settle(qtbot, page)
    with db.sessions() as s:
        assert s.get(Task, first.task_id).due_on == TODAY + timedelta(days=1)
        cancelled = s.get(Task, second.task_id)
        assert cancelled.status == TaskStatus.CANCELLED and cancelled.reason == "moved abroad"
    assert page.model.rowCount() == 1


def test_new_task_for_any_client(qtbot, ops, db, make_client):
    cid = make_client("Dorota Zielińska")
    page = _page(qtbot, ops)
    assert page.model.rowCount() == 0

    def plan(dlg: ManualTaskDialog) -> None:
        ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.click()  # nobody picked: refused with a message
        assert dlg.isVisible() and dlg.error.isVisible()
        qtbot.keyClicks(dlg.client, "Dorota")
        dlg.client.completer().activated.emit(f"Dorota Zielińska (#{cid})")
        qtbot.keyClicks(dlg.note, "Voucher for her daughter")
        ok.click()

    seen = answer_modal(ManualTaskDialog, plan)
    page.new_task_button.click()
    _settle(qtbot, page)
    assert seen
    assert page.model.rowCount() == 1
    row = page.model.rows[0]
    assert (row.client_id, row.kind, row.note) == (cid, TaskKind.MANUAL,
                                                   "Voucher for her daughter")


def test_complaint_found_opens_a_complaint_and_says_so(qtbot, ops, db, make_client):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    row = page.model.rows[0]
    qtbot.keyClick(page.table, Qt.Key.Key_C)
    _settle(qtbot, page)
    qtbot.keyClicks(page.note, "The coach was rude")
    page.log_from_form()
    _settle(qtbot, page)
    assert row.client_name in page.notice.text()
    with db.sessions() as s:
        complaint = s.scalar(select(Complaint))
        assert complaint.client_id == row.client_id
        assert complaint.client_words == "The coach was rude"


# ------------------------------------------------------------------ one call per client


def _tasks(db, cid, *kinds, due=TODAY) -> list[int]:
    with db.session() as s:
        tasks = [Task(client_id=cid, kind=k, due_on=due, status=TaskStatus.OPEN,
                      priority=BASE_PRIORITY[k], source_key=f"ui:{cid}:{i}:{k}")
                 for i, k in enumerate(kinds)]
        s.add_all(tasks)
        s.flush()
        return [t.id for t in tasks]


def _state(db) -> list[tuple]:
    with db.sessions() as s:
        return [(t.id, t.status, t.due_on, t.attempts, t.reason, t.closed_at)
                for t in s.scalars(select(Task).order_by(Task.id))]


def test_one_row_per_client_and_one_call_settles_every_purpose(qtbot, ops, db, make_client):
    cid = make_client("Anna", phone="601 234 567")
    ids = _tasks(db, cid, TaskKind.RENEWAL, TaskKind.RENEWAL, TaskKind.KEEP_IN_TOUCH)
    page = _page(qtbot, ops)
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 2)) == "Renewal ×2 + Keep in touch"
    assert "Book a meeting" in page.hint.text() and "good news" in page.hint.text()
    assert page.summary.text().startswith("1 call")
    qtbot.keyClick(page.table, Qt.Key.Key_R)
    _settle(qtbot, page)
    qtbot.keyClicks(page.note, "Booked nothing, all fine")
    qtbot.keyClick(page.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _settle(qtbot, page)
    with db.sessions() as s:
        [contact] = s.scalars(select(Contact)).all()  # one call
        assert contact.outcome == Outcome.REACHED and contact.task_id == ids[0]
        assert {s.get(Task, t).status for t in ids} == {TaskStatus.DONE}
    assert page.model.rows[0].settled
    assert page.model.data(page.model.index(0, 2)).startswith("Reached logged at ")
    assert page.summary.text().startswith("No call left to make today")


def test_internal_tasks_are_listed_apart_and_never_logged_as_calls(qtbot, ops, db,
                                                                   make_client):
    cid = make_client("Anna", phone="601 234 567")
    [call] = _tasks(db, cid, TaskKind.FOLLOW_UP)
    review, gift = _tasks(db, cid, TaskKind.COMPLAINT_REVIEW, TaskKind.GIFT)
    page = _page(qtbot, ops)
    assert [r.task_ids for r in page.model.rows] == [(call,)]
    assert [r.task_id for r in page.todo_model.rows] == [review, gift]
    assert page.todo_table.isVisible() and page.todo_label.isVisible()
    page.todo_table.setFocus()
    page._select_task(review, table=page.todo_table)
    for key in (Qt.Key.Key_N, Qt.Key.Key_M, Qt.Key.Key_W, Qt.Key.Key_R):
        qtbot.keyClick(page.todo_table, key)
    assert "is not a call" in page.notice.text()
    assert not page.form_box.isEnabled()
    page.log_from_form()  # the form cannot log on it either
    opened = []
    page.open_complaint = lambda: opened.append(page.selected().task_id)
    qtbot.keyClick(page.todo_table, Qt.Key.Key_Return)  # done by doing it: the review
    assert opened == [review]
    assert not page.done_button.isEnabled()
    page._select_task(gift, table=page.todo_table)
    assert page.done_button.isEnabled()
    page.done_button.click()
    _settle(qtbot, page)
    with db.sessions() as s:
        assert s.scalars(select(Contact)).all() == []
        assert s.get(Task, review).status == TaskStatus.OPEN
        assert s.get(Task, gift).status == TaskStatus.DONE
        assert s.get(Task, call).status == TaskStatus.OPEN
    assert [r.task_id for r in page.todo_model.rows] == [review]


def test_ctrl_z_undoes_the_last_call_exactly(qtbot, ops, db, make_client):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    before = _state(db)
    first = page.model.rows[0]
    # N, M and Ctrl+Z at once: each call is written on the executor, and what is pressed
    # meanwhile waits and applies in order to the row selected by then
    qtbot.keyClick(page.table, Qt.Key.Key_N)
    qtbot.keyClick(page.table, Qt.Key.Key_M)  # the second call: left a message
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _settle(qtbot, page)
    with db.sessions() as s:
        [contact] = s.scalars(select(Contact)).all()  # only the first call is left
        assert contact.outcome == Outcome.NO_ANSWER and contact.task_id == first.task_id
    assert page.model.rows[0].settled
    assert not page.model.rows[1].settled
    assert page.selected().task_id == page.model.rows[1].task_id
    assert "was undone" in page.notice.text()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _settle(qtbot, page)
    assert _state(db) == before
    with db.sessions() as s:
        assert s.scalars(select(Contact)).all() == []
    assert not any(r.settled for r in page.model.rows)
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _settle(qtbot, page)
    assert page.notice.text() == "No call to undo."


def test_wrong_number_asks_for_the_right_one(qtbot, ops, db, make_client):
    cid = make_client("Anna", phone="601 234 567")
    ids = _tasks(db, cid, TaskKind.FOLLOW_UP, TaskKind.RENEWAL)
    page = _page(qtbot, ops)

    def cancel(dlg):
        dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()

    seen = answer_modal(WrongNumberDialog, cancel)
    qtbot.keyClick(page.table, Qt.Key.Key_W)
    _settle(qtbot, page)
    assert seen
    with db.sessions() as s:
        assert s.scalars(select(Contact)).all() == []  # cancelled: nothing logged

    def answer(dlg):
        ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.keyClicks(dlg.phone, "12")
        ok.click()
        assert dlg.isVisible() and "not a valid phone number" in dlg.error.text()
        dlg.phone.clear()
        qtbot.keyClicks(dlg.phone, "602 345 678")
        ok.click()

    seen = answer_modal(WrongNumberDialog, answer)
    qtbot.keyClick(page.table, Qt.Key.Key_W)
    _settle(qtbot, page)
    assert seen
    with db.sessions() as s:
        assert s.get(Client, cid).phone == "+48602345678"
        assert {s.get(Task, t).status for t in ids} == {TaskStatus.CANCELLED}
        [contact] = s.scalars(select(Contact)).all()
        assert contact.outcome == Outcome.WRONG_NUMBER
    assert page.model.rows[0].settled


def _cyrillic(page, key: int, text: str) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(page.table, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                     text))


def test_one_key_outcomes_work_in_a_cyrillic_layout(qtbot, ops, db, make_client):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    first, second = page.model.rows[0], page.model.rows[1]
    _cyrillic(page, 0x0422, "т")  # ЙЦУКЕН: the N key
    _cyrillic(page, 0x042C, "ь")  # the M key
    _settle(qtbot, page)
    with db.sessions() as s:
        assert [(c.task_id, c.outcome) for c in s.scalars(select(Contact).order_by(Contact.id))] \
            == [(first.task_id, Outcome.NO_ANSWER), (second.task_id, Outcome.LEFT_MESSAGE)]
    _cyrillic(page, 0x041A, "к")  # the R key opens the form on "reached"
    assert page.outcome.currentData() == Outcome.REACHED
    page.table.setFocus()
    _cyrillic(page, 0x0418, "и")  # the B key
    assert page.outcome.currentData() == Outcome.MEETING_BOOKED


def test_before_you_call_stays_in_view_at_1280_wide(qtbot, ops, db, make_client):
    ids = _queue(db, make_client)
    with db.session() as s:
        s.add(Complaint(client_id=ids[1], opened_at=datetime(2026, 11, 20, 9),
                        status=ComplaintStatus.OPEN))
    page = _page(qtbot, ops)
    page.resize(1100, 680)  # the page's share of a 1280x720 window beside the menu
    qtbot.waitUntil(lambda: page.table.viewport().width() > 500)
    page._fit_columns()
    header = page.table.horizontalHeader()
    right = header.sectionViewportPosition(QueueColumn.BEFORE) + header.sectionSize(
        QueueColumn.BEFORE)
    assert right <= page.table.viewport().width()
    assert header.sectionSize(QueueColumn.BEFORE) >= 200
    assert not page.table.horizontalScrollBar().isVisible()
    row = next(i for i, r in enumerate(page.model.rows) if r.open_complaint)
    assert page.model.data(page.model.index(row, QueueColumn.BEFORE)).startswith(
        "open complaint")
    assert page.selected().open_complaint and "602 345 678" in page.hint.text()


def test_undoing_a_complaint_found_removes_the_untouched_complaint(qtbot, ops, db, make_client):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    before = _state(db)
    qtbot.keyClick(page.table, Qt.Key.Key_C)
    _settle(qtbot, page)
    qtbot.keyClicks(page.note, "The coach was rude")
    page.log_from_form()
    _settle(qtbot, page)
    dlg = page.complaint_dialog
    assert isinstance(dlg, ComplaintDialog) and dlg.isVisible()
    page.activateWindow()  # back from the complaint window to the queue
    qtbot.waitUntil(page.isActiveWindow)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _settle(qtbot, page)
    assert _state(db) == before
    with db.sessions() as s:
        assert s.scalars(select(Complaint)).all() == []
        assert s.scalars(select(Contact)).all() == []
    assert not isValid(dlg) or not dlg.isVisible()  # its window went with it


def test_ctrl_z_in_the_main_window_undoes_the_call_not_a_trash_move(qtbot, ops, db,
                                                                   make_client):
    _queue(db, make_client)
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.nav.setCurrentRow(Page.TODAY)
    page = w.today_page
    page._today = TODAY
    page.reload()
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() == 3)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N)
    _settle(qtbot, page)
    with db.sessions() as s:
        assert len(s.scalars(select(Contact)).all()) == 1
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _settle(qtbot, page)
    with db.sessions() as s:
        assert s.scalars(select(Contact)).all() == []


def test_the_call_forms_dates_show_whole_in_bulgarian_at_1280_wide(qtbot, ops, db,
                                                                   make_client):
    """Bulgarian labels are long ("Повторно обаждане на"): the form puts a long label above
    its field, so the meeting and call-back dates are never cut ("2.2026 г.")."""
    _queue(db, make_client)
    install_translations(QApplication.instance(), "bg")
    try:
        page = _page(qtbot, ops)
        page.resize(1100, 680)
        qtbot.waitUntil(lambda: page.table.viewport().width() > 500)
        for entry in (page.meeting_at.day, page.call_back_on):
            line = entry.line
            assert "г." in line.text()
            assert entry.width() >= line.width()  # the field is not clipped by its box
            assert line.width() > line.fontMetrics().horizontalAdvance(line.text())
    finally:
        install_translations(QApplication.instance(), "en_US")
        QLocale.setDefault(QLocale("en_US"))


# --------------------------------------------------------------------------- closed days
# The default business works Monday to Saturday in Poland: Sunday 29.11.2026 is closed,
# Friday 25.12.2026 (Christmas) and Saturday 26.12.2026 are public holidays.
SUNDAY = date(2026, 11, 29)
CHRISTMAS = date(2026, 12, 25)


def _retype(qtbot, entry, day: date) -> None:
    entry.line.selectAll()
    qtbot.keyClick(entry.line, Qt.Key.Key_Backspace)
    qtbot.keyClicks(entry.line, fmt_date_entry(day))


def _answer_closed_day(monkeypatch, button) -> list[tuple]:
    """Answer the closed-day question with ``button``; returns what was asked."""
    asked: list[tuple] = []

    def question(parent, title, text, buttons, default):
        asked.append((title, text, default))
        return button
    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def _reschedule(qtbot, page, day: date) -> None:

    def pick(dlg: RescheduleDialog) -> None:
        _retype(qtbot, dlg.edit, day)
        dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    seen = answer_modal(RescheduleDialog, pick)
    page.reschedule_button.click()
    _settle(qtbot, page)
    assert seen


def test_reschedule_to_a_closed_day_asks_and_yes_takes_the_next_working_day(
        qtbot, ops, db, make_client, monkeypatch):
    yes = QMessageBox.StandardButton.Yes
    _queue(db, make_client)
    page = _page(qtbot, ops)
    row = page.model.rows[0]
    asked = _answer_closed_day(monkeypatch, yes)
    _reschedule(qtbot, page, SUNDAY)
    assert len(asked) == 1
    title, text, default = asked[0]
    assert default == yes  # Enter takes the next working day
    assert text == "Sunday 11/29/2026 is a closed day. Call on Monday 11/30/2026 instead?"
    with db.sessions() as s:
        t = s.get(Task, row.task_id)
        assert (t.due_on, t.reason) == (date(2026, 11, 30), calls.REASON_RESCHEDULED)
    assert row.task_id not in [r.task_id for r in page.model.rows]


def test_reschedule_to_a_holiday_no_keeps_it_cancel_changes_nothing(qtbot, ops, db,
                                                                     make_client, monkeypatch):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    first, second = page.model.rows[0], page.model.rows[1]
    asked = _answer_closed_day(monkeypatch, QMessageBox.StandardButton.Cancel)
    _reschedule(qtbot, page, CHRISTMAS)
    assert "Friday 12/25/2026 is a public holiday. Call on Monday 12/28/2026" in asked[0][1]
    with db.sessions() as s:
        assert s.get(Task, first.task_id).due_on == TODAY  # cancelled: nothing moved
    assert first.task_id in [r.task_id for r in page.model.rows]
    page._select_task(second.task_id)
    _answer_closed_day(monkeypatch, QMessageBox.StandardButton.No)
    _reschedule(qtbot, page, CHRISTMAS)
    with db.sessions() as s:
        assert s.get(Task, second.task_id).due_on == CHRISTMAS  # the day confirmed


def test_call_back_later_on_a_holiday_asks_first(qtbot, ops, db, make_client, monkeypatch):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    row = page.model.rows[0]
    qtbot.keyClick(page.table, Qt.Key.Key_L)
    _settle(qtbot, page)
    assert page.call_back_on.line.hasFocus()
    _retype(qtbot, page.call_back_on, CHRISTMAS)
    asked = _answer_closed_day(monkeypatch, QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(page.call_back_on.line, Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier)
    _settle(qtbot, page)
    assert asked and "public holiday" in asked[0][1]
    with db.sessions() as s:  # cancelled: no call logged, the row still to do
        assert s.scalar(select(Contact).where(Contact.task_id == row.task_id)) is None
    assert not page.model.rows[0].settled
    _answer_closed_day(monkeypatch, QMessageBox.StandardButton.Yes)
    page.log_from_form()
    _settle(qtbot, page)
    with db.sessions() as s:
        contact = s.scalar(select(Contact).where(Contact.task_id == row.task_id))
        assert contact.outcome == Outcome.CALL_BACK_LATER
        assert contact.call_back_on == date(2026, 12, 28)
        t = s.get(Task, row.task_id)
        assert (t.due_on, t.reason) == (date(2026, 12, 28), calls.REASON_CALL_BACK)
    assert page.model.rows[0].settled


def test_new_task_on_a_closed_day_asks(qtbot, ops, db, make_client, monkeypatch):
    cid = make_client("Dorota Zielińska")
    page = _page(qtbot, ops)
    monkeypatch.setattr(ManualTaskDialog, "ask", classmethod(
        lambda cls, parent, today, search: (cid, SUNDAY, "Voucher")))
    asked = _answer_closed_day(monkeypatch, QMessageBox.StandardButton.Cancel)
    page.new_task_button.click()
    _settle(qtbot, page)
    assert asked
    with db.sessions() as s:
        assert s.scalar(select(Task).where(Task.client_id == cid)) is None
    _answer_closed_day(monkeypatch, QMessageBox.StandardButton.No)
    page.new_task_button.click()
    _settle(qtbot, page)
    with db.sessions() as s:
        assert s.scalar(select(Task.due_on).where(Task.client_id == cid)) == SUNDAY


def test_tomorrow_on_saturday_goes_to_monday_without_a_question(qtbot, ops, db, make_client,
                                                                 monkeypatch):
    saturday = date(2026, 11, 28)
    cid = make_client("Anna", purchases=[(saturday - timedelta(days=3), "50.00")])
    with db.session() as s:
        schedule.regenerate(s, saturday, client_ids=[cid], rules=schedule.ScheduleRules(
            personal_dates=False, quarterly_review=False, win_back=False,
            keep_in_touch=False))
    page = TodayPage(ops, today=saturday)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.loading)
    page.table.setFocus()
    row = page.model.rows[0]
    asked = _answer_closed_day(monkeypatch, None)
    page.snooze_button.click()
    _settle(qtbot, page)
    assert asked == []
    with db.sessions() as s:
        t = s.get(Task, row.task_id)
        assert (t.due_on, t.reason) == (date(2026, 11, 30), calls.REASON_SNOOZED)


def test_before_you_call_says_why_the_call_moved(qtbot, ops, db, make_client):
    _queue(db, make_client)
    with db.session() as s:
        tasks = list(s.scalars(select(Task).order_by(Task.id)))
        tasks[0].reason = schedule.REASON_NON_WORKING
        tasks[1].reason = schedule.REASON_CONTACTED_TODAY
        tasks[2].reason = schedule.REASON_CAP
    page = _page(qtbot, ops)
    marks = {r.client_name: page.model.data(page.model.index(i, 4))
             for i, r in enumerate(page.model.rows)}
    assert "moved: not a working day" in marks["Anna"]
    assert "moved: contacted today" in marks["Bartek"]
    assert "moved: contact limit reached" in marks["Celina"]


def test_logging_a_call_keeps_the_fitted_columns_without_measuring_the_queue_again(
        qtbot, ops, db, make_client, monkeypatch):
    """The columns are fitted when the queue is read; logging a call puts only that row
    in place: measuring every row of both tables again was most of the stall of N."""
    _queue(db, make_client)
    page = _page(qtbot, ops)
    header = page.table.horizontalHeader()
    widths = [header.sectionSize(c) for c in QueueColumn]
    measured = []
    original = page._fit_columns
    monkeypatch.setattr(page, "_fit_columns", lambda tables=None: (measured.append(tables),
                                                                   original(tables)))
    qtbot.keyClick(page.table, Qt.Key.Key_N)
    _settle(qtbot, page)
    assert page.model.rows[0].settled  # logged, the row in place
    assert measured == []
    assert [header.sectionSize(c) for c in QueueColumn] == widths
    page.reload()  # a whole read fits them again
    qtbot.waitUntil(lambda: not page.loading)
    assert measured == [None]


def test_a_call_is_written_off_the_gui_thread_and_the_window_keeps_going(
        qtbot, ops, db, make_client, monkeypatch):
    """N returns at once: the commit (its wait for the disk) runs on the executor; the
    row says what was logged when the write is done."""
    _queue(db, make_client)
    page = _page(qtbot, ops)
    threads = []
    real = calls.log_call

    def logging_call(session, log, **kw):
        threads.append(threading.current_thread())
        return real(session, log, **kw)
    monkeypatch.setattr(calls, "log_call", logging_call)
    qtbot.keyClick(page.table, Qt.Key.Key_N)
    assert page.busy  # pressed, not yet written: the event loop is free meanwhile
    _settle(qtbot, page)
    assert threads and threads[0] is not threading.main_thread()
    assert page.model.rows[0].settled and "No answer logged for Anna" in page.notice.text()


def test_keys_pressed_after_a_failed_write_are_not_applied_to_another_row(
        qtbot, ops, db, make_client, monkeypatch):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    shown = []
    monkeypatch.setattr(today_page, "show_error", lambda _parent, exc: shown.append(exc.code))

    def refused(session, log, **kw):
        raise DomainError("db.locked", "locked")
    monkeypatch.setattr(calls, "log_call", refused)
    qtbot.keyClick(page.table, Qt.Key.Key_N)
    qtbot.keyClick(page.table, Qt.Key.Key_M)  # meant for the next row, after the first
    _settle(qtbot, page)
    assert shown == ["db.locked"]  # one message, for the write that failed
    with db.sessions() as s:
        assert s.scalars(select(Contact)).all() == []
    assert not any(r.settled for r in page.model.rows)
    assert page.selected().task_id == page.model.rows[0].task_id  # still on the first call
    assert "Nothing was applied" in page.notice.text()
