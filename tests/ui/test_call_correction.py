"""A logged call corrected from the client card's contact history."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from sqlalchemy import select

from app.models import Contact, Task
from app.models.enums import Outcome, TaskStatus, Tone
from app.services import calls, schedule
from app.services.calls import CallLog, ClosedDayError
from app.ui.app import install_translations
from app.ui.call_dialogs import CallCorrectionDialog, ask_closed_day
from app.ui.client_card import open_client_card
from tests.ui.modal import answer_modal

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 42)


def _logged(db, make_client, outcome=Outcome.NO_ANSWER) -> tuple[int, int, int]:
    cid = make_client("Anna", purchases=[(TODAY - timedelta(days=3), "80.00")])
    with db.session() as s:
        schedule.regenerate(s, TODAY, client_ids=[cid], rules=schedule.ScheduleRules(
            personal_dates=False, quarterly_review=False, win_back=False,
            keep_in_touch=False))
        tid = s.scalar(select(Task.id).where(Task.client_id == cid))
        res = calls.log_call(s, CallLog(client_id=cid, task_id=tid, outcome=outcome), now=NOW)
    return cid, tid, res.contact_id


def test_correcting_a_call_from_the_history(qtbot, ops, db, make_client):
    cid, tid, contact_id = _logged(db, make_client)
    card = open_client_card(None, ops, cid)
    qtbot.addWidget(card)
    table = card.history_table
    assert table.item(0, 3).text() == "No answer"
    assert card.correct_call_button.isEnabled()
    table.selectRow(0)

    def fix(dlg: CallCorrectionDialog) -> None:
        assert dlg.outcome.currentData() == Outcome.NO_ANSWER
        dlg.outcome.setCurrentIndex(dlg.outcome.findData(Outcome.REACHED))
        dlg.tone.setCurrentIndex(dlg.tone.findData(Tone.POSITIVE))
        qtbot.keyClicks(dlg.note, "She did pick up")
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    seen = answer_modal(CallCorrectionDialog, fix)
    card.correct_call_button.click()
    assert seen
    assert [table.item(0, c).text() for c in (3, 4, 6)] == ["Reached", "Positive",
                                                            "She did pick up"]
    with db.sessions() as s:
        c = s.get(Contact, contact_id)
        assert (c.outcome, c.tone, c.note, c.at) == (Outcome.REACHED, Tone.POSITIVE,
                                                     "She did pick up", NOW)
        t = s.get(Task, tid)  # what follows from "reached": the follow-up is done
        assert (t.status, t.attempts, t.closed_at) == (TaskStatus.DONE, 1, NOW)
    card.reject()


def test_a_refused_correction_says_why_and_keeps_what_was_typed(qtbot, ops, db, make_client):
    cid, tid, contact_id = _logged(db, make_client)
    card = open_client_card(None, ops, cid)
    qtbot.addWidget(card)
    card.history_table.selectRow(0)
    errors = []

    def wrong_day(dlg: CallCorrectionDialog) -> None:
        dlg.outcome.setCurrentIndex(dlg.outcome.findData(Outcome.CALL_BACK_LATER))
        dlg.call_back_on.set_value(dlg.call_back_on.value() - timedelta(days=7))  # the call's own day
        qtbot.keyClicks(dlg.note, "Call on Monday")
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        answer_modal(CallCorrectionDialog, give_up)

    def give_up(dlg: CallCorrectionDialog) -> None:
        errors.append((dlg.error.text(), dlg.note.text(), dlg.outcome.currentData()))
        dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()

    answer_modal(CallCorrectionDialog, wrong_day)
    card.correct_call_button.click()
    qtbot.waitUntil(lambda: bool(errors))
    assert errors == [("The call-back day must be after the day of the call.",
                       "Call on Monday", Outcome.CALL_BACK_LATER)]
    with db.sessions() as s:
        assert s.get(Contact, contact_id).outcome == Outcome.NO_ANSWER  # nothing changed
        assert s.get(Task, tid).due_on == TODAY + timedelta(days=1)
    assert card.history_table.item(0, 3).text() == "No answer"
    card.reject()


def test_a_corrected_call_back_on_a_closed_day_asks(qtbot, ops, db, make_client, monkeypatch):
    """Sunday 29.11.2026 is closed (the default business works Monday to Saturday): Cancel
    goes back to the form as typed, Yes stores the next working day."""
    cid, tid, contact_id = _logged(db, make_client)
    card = open_client_card(None, ops, cid)
    qtbot.addWidget(card)
    card.history_table.selectRow(0)
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]
    asked, reopened = [], []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a: (asked.append(text),
                                                         answers.pop(0))[1])

    def sunday(dlg: CallCorrectionDialog) -> None:
        dlg.outcome.setCurrentIndex(dlg.outcome.findData(Outcome.CALL_BACK_LATER))
        dlg.call_back_on.line.selectAll()
        qtbot.keyClicks(dlg.call_back_on.line, "11/29/2026")
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        answer_modal(CallCorrectionDialog, again)

    def again(dlg: CallCorrectionDialog) -> None:  # back after Cancel, with the typed day
        reopened.append((dlg.outcome.currentData(), dlg.call_back_on.value()))
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer_modal(CallCorrectionDialog, sunday)
    card.correct_call_button.click()
    qtbot.waitUntil(lambda: len(asked) == 2)
    assert asked[0] == "Sunday 11/29/2026 is a closed day. Call on Monday 11/30/2026 instead?"
    assert reopened == [(Outcome.CALL_BACK_LATER, date(2026, 11, 29))]
    with db.sessions() as s:
        c = s.get(Contact, contact_id)
        assert (c.outcome, c.call_back_on) == (Outcome.CALL_BACK_LATER, date(2026, 11, 30))
        assert s.get(Task, tid).due_on == date(2026, 11, 30)
    card.reject()


def test_the_closed_day_question_reads_in_bulgarian(qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, buttons, default: (
        asked.append((title, text, default)), QMessageBox.StandardButton.No)[1])
    exc = ClosedDayError(None, "", day=date(2026, 12, 25), next_day=date(2026, 12, 28),
                         holiday=True)
    install_translations(QApplication.instance(), "bg")
    try:
        assert ask_closed_day(None, exc) == (date(2026, 12, 25), True)  # No: keep the day
    finally:
        install_translations(QApplication.instance(), "en_US")
        QLocale.setDefault(QLocale("en_US"))
    assert asked == [("Неработен ден", "Петък 25.12.2026\u202fг. е официален празник. Да "
                      "се обадим ли вместо това на понеделник 28.12.2026\u202fг.?",
                      QMessageBox.StandardButton.Yes)]
