"""The receptionist's queue, worked with the keyboard as a receptionist would."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, QTime, Qt
from sqlalchemy import select

from app.models import Contact, Task
from app.models.enums import Outcome, TaskKind, TaskStatus
from app.services import schedule
from app.ui.today_page import TodayPage
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


def _page(qtbot, ops) -> TodayPage:
    page = TodayPage(ops, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 650)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)  # focus and shortcuts need the active window
    page.table.setFocus()
    return page


def test_queue_lists_due_calls_in_order(qtbot, ops, db, make_client):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    assert page.model.rowCount() == 3
    assert [r.kind for r in page.model.rows] == [TaskKind.FOLLOW_UP] * 3
    assert page.model.data(page.model.index(0, 0)) == "today"
    assert "new client" in page.model.data(page.model.index(0, 5))
    assert "Ask how the purchase serves them" in page.hint.text()


def test_no_answer_takes_one_key_and_moves_to_next_working_day(qtbot, ops, db, make_client):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    first = page.model.rows[0]
    qtbot.keyClick(page.table, Qt.Key.Key_N)
    assert page.model.rowCount() == 2
    assert first.task_id not in [r.task_id for r in page.model.rows]
    assert page.selected() is not None  # the next call is ready
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
    assert page.outcome.currentData() == Outcome.MEETING_BOOKED
    assert page.meeting_at.hasFocus()
    page.meeting_at.setDateTime(QDateTime(QDate(2026, 11, 26), QTime(15, 30)))
    qtbot.keyClicks(page.note, "Wants the new season plan")
    qtbot.keyClick(page.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert row.task_id not in [r.task_id for r in page.model.rows]
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
    assert "reason" in page.error.text().lower()
    assert page.model.rows[0].task_id == row.task_id  # nothing logged
    page.decline_reason.setCurrentText("too expensive")
    page.log_from_form()
    with db.sessions() as s:
        contact = s.scalar(select(Contact).where(Contact.task_id == row.task_id))
        assert contact.decline_reason == "too expensive"


def test_snooze_and_cancel(qtbot, ops, db, make_client, monkeypatch):
    _queue(db, make_client)
    page = _page(qtbot, ops)
    first, second = page.model.rows[0], page.model.rows[1]
    page.snooze_button.click()
    assert first.task_id not in [r.task_id for r in page.model.rows]
    from PySide6.QtWidgets import QInputDialog
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("moved abroad", True))
    page._select_task(second.task_id)
    page.cancel_button.click()
    with db.sessions() as s:
        assert s.get(Task, first.task_id).due_on == TODAY + timedelta(days=1)
        cancelled = s.get(Task, second.task_id)
        assert cancelled.status == TaskStatus.CANCELLED and cancelled.reason == "moved abroad"
    assert page.model.rowCount() == 1


def test_new_task_for_any_client(qtbot, ops, db, make_client):
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.today_page import ManualTaskDialog
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
    assert seen
    assert page.model.rowCount() == 1
    row = page.model.rows[0]
    assert (row.client_id, row.kind, row.note) == (cid, TaskKind.MANUAL,
                                                   "Voucher for her daughter")


def test_complaint_found_opens_a_complaint_and_says_so(qtbot, ops, db, make_client):
    from app.models import Complaint
    _queue(db, make_client)
    page = _page(qtbot, ops)
    row = page.model.rows[0]
    qtbot.keyClick(page.table, Qt.Key.Key_C)
    qtbot.keyClicks(page.note, "The coach was rude")
    page.log_from_form()
    assert row.client_name in page.notice.text()
    with db.sessions() as s:
        complaint = s.scalar(select(Complaint))
        assert complaint.client_id == row.client_id
        assert complaint.client_words == "The coach was rude"
