"""Small dialogs around a logged call: the right number after a wrong one, the
correction of a call from the card's history, and the question when a person puts a call
on a day the business is closed. Each offers ``ask`` (tests patch it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.enums import DECLINE_REASONS
from app.errors import DomainError
from app.models.enums import Outcome, Tone
from app.services import calls
from app.services.calls import CallFix, ClosedDayError
from app.services.validation import normalize_phone
from app.text import subst
from app.ui import labels
from app.ui.formatting import fmt_date_entry, fmt_datetime, phone_display
from app.ui.messages import error_text
from app.ui.ops import show_error
from app.ui.widgets import CodedCombo, DateEntry, DateTimeEntry, ErrorLabel

T = TypeVar("T")


def day_text(day: date) -> str:
    """"Sunday 29.11.2026": the weekday says why the day is closed."""
    return f"{QLocale().dayName(day.isoweekday())} {fmt_date_entry(day)}"


def ask_closed_day(parent: QWidget | None, exc: ClosedDayError) -> tuple[date, bool] | None:
    """"25.12.2026 is a public holiday. Call on 28.12.2026 instead?" Yes (the default):
    the next working day; No: the chosen day, confirmed; Cancel: None, nothing placed.
    Returns the day and whether it is a confirmed closed day."""
    day, next_day = exc.values["day"], exc.values["next_day"]
    if exc.values.get("holiday"):
        text = QCoreApplication.translate("CallDialogs",
                                          "%1 is a public holiday. Call on %2 instead?")
    else:
        text = QCoreApplication.translate("CallDialogs",
                                          "%1 is a closed day. Call on %2 instead?")
    text = subst(text, day_text(day), day_text(next_day))
    text = text[:1].upper() + text[1:]  # "петък 25.12.2026 г. …" starts a sentence
    title = QCoreApplication.translate("CallDialogs", "Not a working day")
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(parent, title, text,
                                  buttons.Yes | buttons.No | buttons.Cancel, buttons.Yes)
    if answer == buttons.Yes:
        return next_day, False
    if answer == buttons.No:
        return day, True
    return None


def on_open_day(parent: QWidget | None, day: date,
                place: Callable[[date, bool], T]) -> T | None:
    """``place(day, allow_closed_day)``; when the service refuses a closed day, ask and
    place again on the day answered. None when the person cancelled."""
    allow = False
    while True:
        try:
            return place(day, allow)
        except ClosedDayError as exc:
            if allow:  # confirmed and still refused: never ask in a circle
                raise
            choice = ask_closed_day(parent, exc)
            if choice is None:
                return None
            day, allow = choice


def place_on_open_day(parent: QWidget | None, day: date | None,
                      start: Callable[[date | None, bool, Callable[[ClosedDayError], None]],
                                      None],
                      on_cancel: Callable[[], None] | None = None) -> None:
    """:func:`on_open_day` for a write that runs on the database executor:
    ``start(day, allow_closed_day, on_closed)`` submits it and calls ``on_closed(exc)``
    when the service refuses a closed day; the person is asked then, and the write is
    started again on the day answered (``on_cancel`` when they cancel)."""
    def attempt(d: date | None, allow: bool) -> None:
        def on_closed(exc: ClosedDayError) -> None:
            if allow:  # confirmed and still refused: never ask in a circle
                show_error(parent, exc)
                if on_cancel is not None:
                    on_cancel()
                return
            choice = ask_closed_day(parent, exc)
            if choice is None:
                if on_cancel is not None:
                    on_cancel()
                return
            attempt(*choice)
        start(d, allow, on_closed)
    attempt(day, False)


class WrongNumberDialog(QDialog):
    """"Wrong number": the right one, checked like the card's phone; empty = unknown."""

    def __init__(self, parent: QWidget | None, client_name: str, old_phone: str | None,
                 region: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Wrong number"))
        self.setMinimumWidth(460)
        self.region = region
        intro = QLabel(subst(
            self.tr("The number %2 is not the number of %1. What is the right one? "
                    "Leave it empty if nobody knows it: the wrong number is "
                    "removed. The client's other calls of today are closed."),
            client_name, phone_display(old_phone, region) or "—"))
        intro.setWordWrap(True)
        self.phone = QLineEdit()
        self.phone.setObjectName("rightPhoneEdit")
        self.phone.setPlaceholderText(self.tr("unknown"))
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow(self.tr("Right number"), self.phone)
        form.addRow("", self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        self.result_phone: str | None = None

    def _on_buttons_accepted(self) -> None:
        text = self.phone.text().strip()
        if text:
            try:
                normalize_phone(text, self.region)
            except DomainError as exc:
                self.error.set_error(error_text(exc))
                self.phone.setFocus()
                return
        self.result_phone = text
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, client_name: str, old_phone: str | None,
            region: str) -> str | None:
        """The right number as typed ("" = unknown), or None when the user cancelled."""
        dlg = cls(parent, client_name, old_phone, region)
        try:
            return dlg.result_phone if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()


class CallCorrectionDialog(QDialog):
    """A logged call's outcome, tone and note, corrected; the service re-applies what
    follows from the outcome."""

    def __init__(self, parent: QWidget | None, initial: CallFix, error: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Correct the call"))
        self.setMinimumWidth(480)
        self.initial = initial
        day = (initial.at or datetime.now()).date()
        when = QLabel(subst(self.tr("Logged %1"), fmt_datetime(initial.at, self.locale())))
        self.outcome = QComboBox()
        self.outcome.setObjectName("fixOutcome")
        for o in Outcome:
            self.outcome.addItem(labels.outcome(o), o)
        self.outcome.setCurrentIndex(self.outcome.findData(initial.outcome))
        self.tone = QComboBox()
        self.tone.setObjectName("fixTone")
        self.tone.addItem(self.tr("not set"), None)
        for t in Tone:
            self.tone.addItem(labels.tone(t), t)
        self.tone.setCurrentIndex(max(0, self.tone.findData(initial.tone)))
        self.note = QLineEdit(initial.note)
        self.note.setObjectName("fixNote")
        self.decline_reason = CodedCombo(DECLINE_REASONS, labels.decline_reason)
        self.decline_reason.set_code(initial.decline_reason)
        self.meeting_at = DateTimeEntry(initial.meeting_at or datetime.combine(
            day + timedelta(days=1), datetime.min.time()).replace(hour=10))
        self.call_back_on = DateEntry(initial.call_back_on or day + timedelta(days=7),
                                      field="call_back_on")
        self.error = ErrorLabel()
        self.error.setObjectName("fixError")
        self.error.set_error(error)
        form = QFormLayout()
        form.addRow("", when)
        form.addRow(self.tr("Outcome"), self.outcome)
        form.addRow(self.tr("Tone"), self.tone)
        form.addRow(self.tr("Note"), self.note)
        form.addRow(self.tr("Why declined"), self.decline_reason)
        form.addRow(self.tr("Meeting"), self.meeting_at)
        form.addRow(self.tr("Call back on"), self.call_back_on)
        form.addRow("", self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        self.outcome.currentIndexChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        o = self.outcome.currentData()
        self.decline_reason.setEnabled(o == Outcome.DECLINED)
        self.meeting_at.setEnabled(o == Outcome.MEETING_BOOKED)
        self.call_back_on.setEnabled(o == Outcome.CALL_BACK_LATER)

    def value(self) -> CallFix:
        o = Outcome(self.outcome.currentData())
        tone = self.tone.currentData()
        meeting = self.meeting_at.value() if o == Outcome.MEETING_BOOKED else None
        call_back = self.call_back_on.value() if o == Outcome.CALL_BACK_LATER else None
        return replace(
            self.initial, outcome=o, tone=Tone(tone) if tone else None,
            note=self.note.text(),
            decline_reason=self.decline_reason.code() if o == Outcome.DECLINED
            else None,
            meeting_at=meeting, call_back_on=call_back, allow_closed_day=False)

    def accept(self) -> None:
        try:  # a day that is not a date is refused here, beside the form
            self.value()
        except DomainError as exc:
            self.error.set_error(error_text(exc))
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, initial: CallFix, error: str = "") -> CallFix | None:
        dlg = cls(parent, initial, error)
        try:
            return dlg.value() if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()


def correct_logged_call(parent: QWidget | None, ops, contact_id: int) -> CallFix | None:
    """Ask for the correction of a logged call and store it through the calls service;
    a refusal is shown in the dialog, which opens again with what was typed. Returns the
    call as stored, or None when nothing changed."""
    try:
        fix = ops.read(lambda s: calls.logged_call(s, contact_id))
    except DomainError as exc:
        show_error(parent, exc)
        return None
    error = ""
    answer: CallFix | None = None  # a correction to store without asking again
    while True:
        if answer is None:
            answer = CallCorrectionDialog.ask(parent, fix, error)
            if answer is None:
                return None
        try:
            return ops.run(parent, lambda s, a=answer: calls.correct_call(s, contact_id, a),
                           raise_domain=True)
        except ClosedDayError as exc:
            # the call-back day is a closed day: the next working day, that day confirmed,
            # or (cancel) back to the form with what was typed
            choice = None if answer.allow_closed_day else ask_closed_day(parent, exc)
            fix, error = answer, ""
            answer = None if choice is None else replace(
                answer, call_back_on=choice[0], allow_closed_day=choice[1])
        except DomainError as exc:
            fix, error, answer = answer, error_text(exc), None
