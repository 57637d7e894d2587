"""Complaint recovery as staff live it: a call turns up a complaint, the dialog walks them
through it, the call-back comes up in the queue, and the lesson can be found later."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from app.models import Client, Complaint, Purchase, Staff, Task
from app.models.enums import (
    CheckState,
    CompensationKind,
    ComplaintStatus,
    Outcome,
    StaffRole,
    TaskKind,
    TaskStatus,
)
from app.services import calls, schedule
from app.services import complaints as complaint_service
from app.services.clients import StatusRules, client_rows
from app.ui import complaints_page
from app.ui.client_card import open_client_card
from app.ui.client_model import ClientTableModel
from app.ui.complaint_dialog import ComplaintDialog, Step, open_complaint_dialog
from app.ui.complaints_page import OVERDUE, ComplaintsPage, ComplaintsTab
from app.ui.today_page import TodayPage

TODAY = date(2026, 11, 23)  # a Monday
T0 = datetime(2026, 11, 23, 10, 0)


@pytest.fixture
def staff(db):
    with db.session() as s:
        people = {StaffRole.OWNER: Staff(name="Olga Owner", role=StaffRole.OWNER),
                  StaffRole.MANAGER: Staff(name="Marek Manager", role=StaffRole.MANAGER),
                  StaffRole.RECEPTIONIST: Staff(name="Rita Reception",
                                                role=StaffRole.RECEPTIONIST)}
        s.add_all(people.values())
        s.flush()
        return {r: p.id for r, p in people.items()}


def _show(qtbot, w):
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.waitUntil(lambda: not getattr(w, "loading", False))  # Today reads in the background
    return w


def _choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def _fill_all_but_close(qtbot, dlg: ComplaintDialog, staff: dict) -> None:
    """Checklist, apology, request, compensation and the fix, as a manager would."""
    _choose(dlg.staff, staff[StaffRole.MANAGER])
    for i, combo in dlg.check_states.items():
        _choose(combo, CheckState.NOT_APPLICABLE if i == 3 else CheckState.DONE)
    dlg.apology_given.setChecked(True)
    dlg.request.setPlainText("Redo the colour for free this week")
    _choose(dlg.comp_kind, CompensationKind.REFUND)
    dlg.comp_value.clear()
    qtbot.keyClicks(dlg.comp_value, "40.00")
    _choose(dlg.accountable, staff[StaffRole.MANAGER])
    dlg.action.setPlainText("Test the dye on a strand first")


def test_from_complaint_found_to_the_call_back_and_closing(qtbot, ops, db, make_client,
                                                            staff):
    cid = make_client("Anna Nowak", phone="601 234 567",
                      purchases=[(TODAY - timedelta(days=3), "150.00")])
    with db.session() as s:
        schedule.regenerate(s, TODAY, rules=schedule.ScheduleRules(
            personal_dates=False, quarterly_review=False, win_back=False,
            keep_in_touch=False))
    page = _show(qtbot, TodayPage(ops, today=TODAY))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_C)
    qtbot.keyClicks(page.note, "The colour came out orange")
    qtbot.keyClick(page.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not page.busy)  # the call is written on the executor
    assert page.ops.wait()

    dlg = page.complaint_dialog  # the dialog opens at once, while still on the phone
    assert isinstance(dlg, ComplaintDialog) and dlg.isVisible()  # a child of the page
    dlg.clock = lambda: T0
    assert dlg.words.toPlainText() == "The colour came out orange"
    assert "Anna Nowak" in dlg.windowTitle()
    assert "150" in dlg.stakes.text() and "Referred nobody" in dlg.stakes.text()

    _fill_all_but_close(qtbot, dlg, staff)
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.notice.text() == "Saved."
    with db.sessions() as s:
        c = s.scalar(select(Complaint).where(Complaint.client_id == cid))
        assert c.status == ComplaintStatus.IN_PROGRESS
        assert c.apology_given_at == T0 and c.client_request.startswith("Redo the colour")
        assert all(k.state != CheckState.OPEN and k.by_staff_id == staff[StaffRole.MANAGER]
                   and k.at == T0 for k in c.checks)
        credit = s.scalar(select(Purchase).where(Purchase.complaint_id == c.id))
        assert credit.is_credit and credit.amount == Decimal("-40.00")
        assert s.get(Client, cid).value_12m == Decimal("110.00")
    assert "Marek Manager" in dlg.check_who[1].text()  # who and when beside each tick

    dlg.clock = lambda: T0 + timedelta(hours=5)
    qtbot.mouseClick(dlg.resolve_button, Qt.MouseButton.LeftButton)
    assert not dlg.resolve_button.isEnabled()  # the call-back is planned once
    call_back_day = TODAY + timedelta(days=2)
    assert dlg.notice.text().startswith("Resolved. The call-back is planned for 11/25/")
    later = _show(qtbot, TodayPage(ops, today=call_back_day))
    kinds = {r.kind for r in later.model.rows if r.client_id == cid}
    assert TaskKind.COMPLAINT_CALLBACK in kinds

    dlg.satisfied.setChecked(True)
    _choose(dlg.rating, 5)
    dlg.kept.setChecked(True)
    # not before the call-back is made
    qtbot.mouseClick(dlg.close_button, Qt.MouseButton.LeftButton)
    assert "call-back" in dlg.close_error.text() and dlg.notice.text() == ""
    with db.session() as s:
        back = s.scalar(select(Task).where(Task.kind == TaskKind.COMPLAINT_CALLBACK))
        calls.log_call(s, calls.CallLog(client_id=cid, task_id=back.id,
                                        outcome=Outcome.REACHED),
                       now=datetime.combine(call_back_day, datetime.min.time()))
    qtbot.mouseClick(dlg.close_button, Qt.MouseButton.LeftButton)
    assert dlg.notice.text() == "The complaint is closed."
    assert "✔ call-back made" in dlg.progress.text()
    with db.sessions() as s:
        c = s.scalar(select(Complaint).where(Complaint.client_id == cid))
        assert c.status == ComplaintStatus.CLOSED_KEPT and c.rating == 5 and c.satisfied
    assert dlg.words.isReadOnly() and not dlg.close_button.isEnabled()
    assert not dlg.lesson.isReadOnly()  # the review and lesson still come afterwards


def test_closing_is_refused_with_what_is_missing_and_keeps_what_was_typed(
        qtbot, ops, db, make_client, staff):
    cid = make_client("Bogdan", purchases=[(TODAY, "80.00")])
    dlg = open_complaint_dialog(None, ops, client_id=cid, clock=lambda: T0)
    _show(qtbot, dlg)
    qtbot.keyClicks(dlg.words, "Waited forty minutes")
    dlg.apology_given.setChecked(True)
    qtbot.mouseClick(dlg.close_button, Qt.MouseButton.LeftButton)
    text = dlg.close_error.text()
    assert dlg.close_error.isVisible()
    assert "what the client asked for" in text and "checklist" in text
    assert "apology" not in text.split("Still missing:")[1]
    with db.sessions() as s:  # the typed part was saved, the complaint stays open
        c = s.scalar(select(Complaint).where(Complaint.client_id == cid))
        assert c.client_words == "Waited forty minutes" and c.apology_given_at == T0
        assert c.status == ComplaintStatus.IN_PROGRESS


def test_over_the_role_limit_needs_the_owner(qtbot, ops, db, make_client, staff):
    cid = make_client("Celina", purchases=[(TODAY, "300.00")])
    dlg = _show(qtbot, open_complaint_dialog(None, ops, client_id=cid, clock=lambda: T0))
    _choose(dlg.staff, staff[StaffRole.RECEPTIONIST])
    assert "50.00" in dlg.limit_note.text()
    _choose(dlg.comp_kind, CompensationKind.DISCOUNT)
    qtbot.keyClicks(dlg.comp_value, "120")
    assert dlg.approver.isEnabled()
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    error = dlg.field_errors["compensation_value"]
    assert error.isVisible() and "owner who approved" in error.text()
    assert dlg.tabs.currentIndex() == Step.COMPENSATION
    with db.sessions() as s:
        assert s.scalar(select(Complaint)) is None  # nothing half-saved
    _choose(dlg.approver, staff[StaffRole.OWNER])
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not error.isVisible()
    with db.sessions() as s:
        c = s.scalar(select(Complaint))
        assert c.compensation_value == Decimal("120.00")
        assert c.compensation_approved_by_id == staff[StaffRole.OWNER]
    assert "Olga Owner" not in dlg.limit_note.text()


def test_a_typo_in_the_value_is_shown_beside_it(qtbot, ops, db, make_client, staff):
    cid = make_client("Dorota")
    dlg = _show(qtbot, open_complaint_dialog(None, ops, client_id=cid, clock=lambda: T0))
    _choose(dlg.comp_kind, CompensationKind.GIFT)
    qtbot.keyClicks(dlg.comp_value, "12,x")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert "is not an amount" in dlg.field_errors["compensation_value"].text()
    with db.sessions() as s:
        assert s.scalar(select(Complaint)) is None


def _complaint(db, cid, words, opened, category="", answered=None) -> int:
    with db.session() as s:
        k = complaint_service.open_complaint(s, cid, words, now=opened, category=category)
        if answered:
            complaint_service.record_apology(s, k, "Sorry", answered)
        return k


def test_page_lists_filters_and_highlights_overdue(qtbot, ops, db, make_client, staff):
    a = make_client("Anna")
    b = make_client("Bartek")
    late = _complaint(db, a, "No reply to my e-mail", T0 - timedelta(hours=30), "Waiting time")
    _complaint(db, b, "Broken zip", T0 - timedelta(hours=3), "Product quality",
               answered=T0 - timedelta(hours=2))
    page = _show(qtbot, ComplaintsPage(ops, clock=lambda: T0))
    m = page.model

    def cell(row, col, role=Qt.ItemDataRole.DisplayRole):
        return m.data(m.index(row, col), role)

    assert m.rowCount() == 2
    assert cell(0, 1) == "Bartek" and cell(1, 1) == "Anna"
    assert cell(1, 6) == "waiting" and cell(1, 5) == "30.0 h"
    assert cell(1, 0, Qt.ItemDataRole.ForegroundRole).color() == OVERDUE  # 30 h, no answer
    assert cell(1, 6, Qt.ItemDataRole.FontRole).bold()
    assert cell(1, 0, Qt.ItemDataRole.ToolTipRole) == "First response overdue"
    assert cell(0, 0, Qt.ItemDataRole.ForegroundRole) is None
    assert cell(0, 6) == "1.0 h"
    assert "1 waiting too long" in page.summary.text()
    assert page.selected_id() is not None  # the first row is chosen

    page.category_filter.setCurrentIndex(page.category_filter.findData("Waiting time"))
    qtbot.waitUntil(lambda: not page.loading and m.rowCount() == 1)
    assert cell(0, 1) == "Anna"
    page.category_filter.setCurrentIndex(0)
    _choose(page.status_filter, ComplaintStatus.IN_PROGRESS)
    qtbot.waitUntil(lambda: not page.loading and m.rowCount() == 1)
    assert cell(0, 1) == "Bartek"

    _choose(page.status_filter, None)
    qtbot.waitUntil(lambda: not page.loading and m.rowCount() == 2)
    page.table.selectRow(1)
    page.open_selected()
    assert isinstance(page.dialog, ComplaintDialog) and page.dialog.view.id == late
    # one window per complaint: opening it again brings the same window
    assert open_complaint_dialog(None, ops, complaint_id=late) is page.dialog


def test_lessons_are_searchable(qtbot, ops, db, make_client, staff, monkeypatch):
    cid = make_client("Łucja")
    k = _complaint(db, cid, "Zła farba", T0 - timedelta(days=3), "Product quality")
    with db.session() as s:
        complaint_service.set_accountability(s, k, None, "Test the dye on a strand first")
        complaint_service.review(s, k, {"review_main_complaint": "The colour was wrong"},
                  "Always do a ŁATWY strand test", T0)
    _complaint(db, cid, "Another one, no lesson", T0)
    page = _show(qtbot, ComplaintsPage(ops, clock=lambda: T0))
    page.tabs.setCurrentIndex(ComplaintsTab.LESSONS)
    lm = page.lessons_model

    def cell(row, col):
        return lm.data(lm.index(row, col))

    assert lm.rowCount() == 1
    assert cell(0, 3) == "The colour was wrong"
    assert cell(0, 4) == "Test the dye on a strand first"
    assert page.lessons_count.text().startswith("1 lesson")  # "(s)" without a translator
    qtbot.keyClicks(page.lesson_search, "delivery")
    qtbot.waitUntil(lambda: lm.rowCount() == 0 and not page.loading)
    page.lesson_search.setText("łatwy strand")  # QTest types no "ł"; the case differs
    qtbot.waitUntil(lambda: lm.rowCount() == 1 and cell(0, 1) == "Łucja")
    opened = []
    monkeypatch.setattr(complaints_page, "open_complaint_dialog",
                        lambda *a, **k: opened.append(k["complaint_id"]))
    page.lessons_table.activated.emit(lm.index(0, 2))  # Enter or a double click
    assert opened == [k]


def test_card_lists_complaints_and_opens_a_new_one(qtbot, ops, db, make_client, staff):
    cid = make_client("Ewa", purchases=[(TODAY, "60.00")])
    _complaint(db, cid, "Too loud music", T0 - timedelta(days=1), "Service quality")
    card = open_client_card(None, ops, cid)
    qtbot.addWidget(card)
    table = card.complaints_table
    assert table.rowCount() == 1 and table.item(0, 1).text() == "Service quality"
    assert table.item(0, 2).text() == "Open"
    card.new_complaint_button.click()
    dlg = next(w for w in card.findChildren(ComplaintDialog))
    assert dlg.isModal() or dlg.windowModality() == Qt.WindowModality.ApplicationModal
    dlg.clock = lambda: T0
    qtbot.keyClicks(dlg.words, "The towel was dirty")
    dlg.save()
    assert table.rowCount() == 2  # the card's list follows the save
    dlg.close()


def test_open_complaint_is_marked_in_the_client_list(qtbot, ops, db, make_client):
    cid = make_client("Filip")
    other = make_client("Grażyna")
    k = _complaint(db, cid, "Late delivery", T0)
    with db.sessions() as s:
        rows = client_rows(s, [cid, other], StatusRules.from_settings(s, TODAY))
    assert rows[cid].open_complaint and not rows[other].open_complaint
    model = ClientTableModel(ops)
    model.reload()
    qtbot.waitUntil(lambda: not model.loading)  # the ids come from the executor
    names = {model.data(model.index(r, 0)): r for r in range(model.rowCount())}
    assert "Filip  ⚠" in names and "Grażyna" in names
    row = names["Filip  ⚠"]
    assert model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole) == "Open complaint"
    with db.session() as s:  # closed: the mark goes
        c = s.get(Complaint, k)
        c.status = ComplaintStatus.CLOSED_KEPT
    model.reload()
    qtbot.waitUntil(lambda: not model.loading)  # the ids come from the executor
    assert "Filip" in {model.data(model.index(r, 0)) for r in range(model.rowCount())}


def test_unsaved_changes_are_not_lost_silently(qtbot, ops, db, make_client, monkeypatch):
    cid = make_client("Henryk")
    dlg = _show(qtbot, open_complaint_dialog(None, ops, client_id=cid, clock=lambda: T0))
    qtbot.keyClicks(dlg.words, "Rude on the phone")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (
        asked.append(a[2]), QMessageBox.StandardButton.Cancel)[1])
    dlg.reject()
    assert asked and dlg.isVisible()  # Cancel keeps the window and the text
    assert dlg.words.toPlainText() == "Rude on the phone"


def test_today_opens_the_complaint_at_the_step_the_call_is_for(qtbot, ops, db, make_client,
                                                               staff):
    cid = make_client("Irena", purchases=[(TODAY - timedelta(days=10), "90.00")])
    k = _complaint(db, cid, "Wrong size", datetime(2026, 11, 20, 9, 0), answered=T0)
    with db.session() as s:
        complaint_service.resolve(s, k, datetime(2026, 11, 21, 12, 0))  # call-back due on the 23rd
    page = _show(qtbot, TodayPage(ops, today=TODAY))
    row = next(i for i, r in enumerate(page.model.rows) if r.kind == TaskKind.COMPLAINT_CALLBACK)
    page.table.selectRow(row)
    qtbot.mouseClick(page.complaint_button, Qt.MouseButton.LeftButton)
    dlg = page.complaint_dialog
    assert dlg.view.id == k and dlg.tabs.currentIndex() == Step.CLOSE
    assert "Irena" in dlg.windowTitle()


def test_closing_before_the_call_back_takes_a_reason_that_is_kept(qtbot, ops, db,
                                                                   make_client, staff):
    cid = make_client("Cezary", purchases=[(TODAY, "80.00")])
    dlg = open_complaint_dialog(None, ops, client_id=cid, clock=lambda: T0)
    _show(qtbot, dlg)
    qtbot.keyClicks(dlg.words, "The parcel came late")
    _fill_all_but_close(qtbot, dlg, staff)
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dlg.resolve_button, Qt.MouseButton.LeftButton)
    dlg.tabs.setCurrentIndex(Step.CLOSE)
    qtbot.mouseClick(dlg.close_button, Qt.MouseButton.LeftButton)
    assert dlg.close_error.isVisible()
    assert "the call-back to the client" in dlg.close_error.text()
    with db.sessions() as s:
        assert s.scalar(select(Complaint.status)) == ComplaintStatus.RESOLVED
    qtbot.keyClicks(dlg.close_reason, "The client asked us not to call again")
    # what is chosen on the close tab is what is recorded (saving first used to reset
    # "we lost the client" to "kept")
    qtbot.mouseClick(dlg.lost, Qt.MouseButton.LeftButton)
    _choose(dlg.rating, 2)
    qtbot.mouseClick(dlg.close_button, Qt.MouseButton.LeftButton)
    assert dlg.notice.text() == "The complaint is closed.", dlg.close_error.text()
    with db.sessions() as s:
        c = s.scalar(select(Complaint))
        assert c.rating == 2
        assert (c.status, c.close_reason) == (ComplaintStatus.CLOSED_LOST,
                                              "The client asked us not to call again")
        back = s.scalar(select(Task).where(Task.kind == TaskKind.COMPLAINT_CALLBACK))
        assert back.status == TaskStatus.CANCELLED
    assert dlg.close_reason.isReadOnly()
    assert dlg.close_reason.text() == "The client asked us not to call again"


def test_saving_the_review_and_lesson_completes_the_review_task(qtbot, ops, db,
                                                                make_client, staff):
    cid = make_client("Dorota", purchases=[(TODAY, "80.00")])
    dlg = open_complaint_dialog(None, ops, client_id=cid, clock=lambda: T0)
    _show(qtbot, dlg)
    qtbot.keyClicks(dlg.words, "Rude on the phone")
    _fill_all_but_close(qtbot, dlg, staff)
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dlg.resolve_button, Qt.MouseButton.LeftButton)
    dlg.tabs.setCurrentIndex(Step.REVIEW)
    for n, edit in enumerate(dlg.review_edits.values(), start=1):
        qtbot.keyClicks(edit, f"Answer {n}")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)

    def review_status():
        with db.sessions() as s:
            return s.scalar(select(Task.status).where(
                Task.kind == TaskKind.COMPLAINT_REVIEW))

    assert review_status() == TaskStatus.OPEN  # the lesson is still missing
    qtbot.keyClicks(dlg.lesson, "Smile when you dial")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert review_status() == TaskStatus.DONE
    assert "✔ review and lesson recorded" in dlg.progress.text()


@pytest.mark.parametrize("answer", ["no", "yes"])
def test_a_refund_above_what_the_client_paid_asks_first(qtbot, ops, db, make_client, staff,
                                                        monkeypatch, answer):
    cid = make_client("Ewa", purchases=[(TODAY, "80.00")])
    asked = []

    def question(_parent, _title, text, *_a, **_k):
        asked.append(text)
        return (QMessageBox.StandardButton.Yes if answer == "yes"
                else QMessageBox.StandardButton.No)

    monkeypatch.setattr(QMessageBox, "question", question)
    dlg = open_complaint_dialog(None, ops, client_id=cid, clock=lambda: T0)
    _show(qtbot, dlg)
    qtbot.keyClicks(dlg.words, "Wrong size")
    _choose(dlg.staff, staff[StaffRole.OWNER])
    _choose(dlg.comp_kind, CompensationKind.REFUND)
    qtbot.keyClicks(dlg.comp_value, "800")  # 80.00 meant
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert "800.00 is more" in asked[0] and "(zł80.00)" in asked[0]
    # the days counted through %n (the English plural comes with the .qm)
    assert "last 365 day(s)" in asked[0]
    with db.sessions() as s:
        credits = list(s.scalars(select(Purchase.amount).where(Purchase.is_credit.is_(True))))
    if answer == "no":
        assert credits == [] and dlg.notice.text() == ""
        assert dlg.field_errors["compensation_value"].isVisible()
        assert dlg.comp_value.text() == "800"  # kept to correct
        dlg.comp_value.clear()
        qtbot.keyClicks(dlg.comp_value, "80")
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
        assert len(asked) == 1  # within what was paid: no question
        with db.sessions() as s:
            assert list(s.scalars(select(Purchase.amount).where(
                Purchase.is_credit.is_(True)))) == [Decimal("-80.00")]
    else:
        assert credits == [Decimal("-800.00")] and dlg.notice.text() == "Saved."


def test_a_refused_save_clears_the_earlier_saved(qtbot, ops, db, make_client, staff):
    cid = make_client("Filip", purchases=[(TODAY, "80.00")])
    dlg = open_complaint_dialog(None, ops, client_id=cid, clock=lambda: T0)
    _show(qtbot, dlg)
    qtbot.keyClicks(dlg.words, "Cold coffee")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.notice.text() == "Saved."
    _choose(dlg.comp_kind, CompensationKind.GIFT)
    qtbot.keyClicks(dlg.comp_value, "12,5,0")  # not an amount
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.field_errors["compensation_value"].isVisible()
    assert dlg.notice.text() == ""
    # refused by the service (over the receptionist's limit): no "Saved." either
    dlg.comp_value.clear()
    qtbot.keyClicks(dlg.comp_value, "10")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.notice.text() == "Saved."
    _choose(dlg.staff, staff[StaffRole.RECEPTIONIST])
    dlg.comp_value.clear()
    qtbot.keyClicks(dlg.comp_value, "70")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.field_errors["compensation_value"].isVisible()
    assert dlg.notice.text() == ""
    # and closing refused after the save went through
    dlg.comp_value.clear()
    qtbot.keyClicks(dlg.comp_value, "10")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.notice.text() == "Saved."
    qtbot.mouseClick(dlg.close_button, Qt.MouseButton.LeftButton)
    assert dlg.close_error.isVisible() and dlg.notice.text() == ""
