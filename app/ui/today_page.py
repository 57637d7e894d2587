"""Today: the receptionist's call queue, worked with the keyboard.

With the queue focused, one key logs the common outcomes of the selected call:
N no answer, M left a message, W wrong number (logged at once, the next call is
selected); R reached, B meeting booked, D declined, L call back later, C complaint
found (the form below takes the details; Ctrl+Enter logs). Enter opens the client.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox,
    QFormLayout, QGridLayout, QGroupBox,
    QHeaderView, QInputDialog, QLabel, QLineEdit, QPushButton, QSpinBox,
    QSplitter, QTableView, QVBoxLayout, QWidget,
)

from app.errors import DomainError, ValidationError
from app.models.enums import Outcome, TaskKind, Tone
from app.services import calls
from app.services.calls import CallLog, QueueRow
from app.ui import labels
from app.ui.complaint_dialog import open_complaint_dialog
from app.ui.formatting import fmt_date, phone_display, qdate
from app.ui.messages import error_text
from app.ui.ops import Changes, Ops, show_error
from app.ui.widgets import ClientPicker, DateEntry, DateTimeEntry, ErrorLabel

Index = QModelIndex | QPersistentModelIndex

#: keys that log at once, and keys that open the form with an outcome chosen
QUICK_KEYS = {Qt.Key.Key_N: Outcome.NO_ANSWER, Qt.Key.Key_M: Outcome.LEFT_MESSAGE,
              Qt.Key.Key_W: Outcome.WRONG_NUMBER}
FORM_KEYS = {Qt.Key.Key_R: Outcome.REACHED, Qt.Key.Key_B: Outcome.MEETING_BOOKED,
             Qt.Key.Key_D: Outcome.DECLINED, Qt.Key.Key_L: Outcome.CALL_BACK_LATER,
             Qt.Key.Key_C: Outcome.COMPLAINT_FOUND}

DECLINE_REASONS = ["too expensive", "no time", "moved away", "went to a competitor",
                   "not satisfied", "health", "other"]


def purpose_hint(kind: TaskKind) -> str:
    from PySide6.QtCore import QCoreApplication as C
    return {
        TaskKind.RENEWAL: C.translate("Today", "Book a meeting; do not sell on the phone. "
                                      "Check the promo, discount and frozen marks first."),
        TaskKind.FOLLOW_UP: C.translate("Today", "Ask how the purchase serves them and whether "
                                        "anything could be better."),
        TaskKind.ONBOARDING: C.translate("Today", "Ask how the first week went and whether "
                                         "they need help getting started."),
        TaskKind.PERSONAL_DATE: C.translate("Today", "Congratulate them; nothing to sell "
                                            "today."),
        TaskKind.GIFT: C.translate("Today", "Prepare a small gift or card for the date."),
        TaskKind.COMPLAINT_CALLBACK: C.translate("Today", "Ask whether the fix worked and "
                                                 "whether they are satisfied now."),
        TaskKind.COMPLAINT_REVIEW: C.translate("Today", "Review the complaint with the team "
                                               "and write down the lesson."),
        TaskKind.WIN_BACK: C.translate("Today", "They have not been back for longer than "
                                       "usual: ask why, listen, invite them back."),
        TaskKind.KEEP_IN_TOUCH: C.translate("Today", "A valued client with no pleasant "
                                            "contact for a while: call with good news."),
        TaskKind.QUARTERLY_REVIEW: C.translate("Today", "Review the A/B/C groups of the "
                                               "quarter and ask why clients moved."),
        TaskKind.MANUAL: C.translate("Today", "See the note."),
    }[TaskKind(kind)]


class QueueModel(QAbstractTableModel):
    COLUMNS = 6

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[QueueRow] = []
        self.region = "PL"

    def set_rows(self, rows: list[QueueRow], region: str) -> None:
        self.beginResetModel()
        self.rows, self.region = rows, region
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        names = [self.tr("Due"), self.tr("Client"), self.tr("Reason"), self.tr("Phone"),
                 self.tr("When to call"), self.tr("Before you call")]
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return r.task_id
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 0 and r.overdue_days > 0:
                return QBrush(QColor("#b91c1c"))
            if col == 5 and (r.open_complaint or r.do_not_contact):
                return QBrush(QColor("#b91c1c"))
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == 0:
            if r.overdue_days > 0:
                return self.tr("%Ln day(s) late", "", r.overdue_days)
            return self.tr("today")
        if col == 1:
            seg = f" [{r.segment}]" if r.segment else ""
            return (r.client_name or self.tr("(the business)")) + seg
        if col == 2:
            text = labels.task_kind(r.kind)
            if r.attempts:
                text += " · " + self.tr("try %1").replace("%1", str(r.attempts + 1))
            return text
        if col == 3:
            return phone_display(r.phone, self.region)
        if col == 4:
            parts = []
            if r.preferred_channel:
                parts.append(labels.channel(r.preferred_channel))
            if r.contact_from and r.contact_to:
                parts.append(f"{r.contact_from:%H:%M}–{r.contact_to:%H:%M}")
            return ", ".join(parts)
        return ", ".join(self.marks(r))

    def marks(self, r: QueueRow) -> list[str]:
        out = []
        if r.do_not_contact:
            out.append(self.tr("do not contact"))
        if r.open_complaint:
            out.append(self.tr("open complaint"))
        if r.promo:
            out.append(self.tr("promo"))
        if r.discount:
            out.append(self.tr("discount"))
        if r.frozen:
            out.append(self.tr("frozen"))
        if r.is_new:
            out.append(self.tr("new client"))
        if r.last_contact_at:
            out.append(self.tr("last contact %1 (%2)")
                       .replace("%1", fmt_date(r.last_contact_at.date()))
                       .replace("%2", labels.tone(r.last_tone) or "—"))
        if r.reason == calls.REASON_MAX_ATTEMPTS:
            out.append(self.tr("no answer %1 times").replace("%1", str(r.attempts)))
        return out


class TodayPage(QWidget):
    call_logged = Signal(int)  # contact id
    client_open_requested = Signal(int)
    quarterly_review_requested = Signal()  # Enter on the internal A/B/C review task

    def __init__(self, ops: Ops, parent=None, today: date | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._today = today
        self.model = QueueModel(self)
        self.title = QLabel()
        self.title.setObjectName("todayTitle")
        self.summary = QLabel()
        self.table = QTableView()
        self.table.setObjectName("queueTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for col, width in enumerate((100, 170, 165, 110, 105)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.installEventFilter(self)
        self.table.activated.connect(self._on_table_activated)

        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setObjectName("purposeHint")
        self.keys_help = QLabel(self.tr(
            "Keys: N no answer · M left a message · W wrong number · R reached · "
            "B meeting booked · D declined · L call back later · C complaint found · "
            "Enter open the client"))
        self.keys_help.setWordWrap(True)
        self.keys_help.setStyleSheet("color: #555;")

        form_box = QGroupBox(self.tr("Log the call"))
        form = QFormLayout(form_box)
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcomeCombo")
        for o in Outcome:
            self.outcome.addItem(labels.outcome(o), o)
        self.tone = QComboBox()
        self.tone.addItem(self.tr("not set"), None)
        for t in Tone:
            self.tone.addItem(labels.tone(t), t)
        self.duration = QSpinBox()
        self.duration.setRange(0, 240)
        self.duration.setSuffix(self.tr(" min"))
        self.note = QLineEdit()
        self.note.setObjectName("callNote")
        self.decline_reason = QComboBox()
        self.decline_reason.setEditable(True)
        self.decline_reason.addItem("")
        self.decline_reason.addItems(DECLINE_REASONS)
        self.meeting_at = DateTimeEntry()
        self.call_back_on = DateEntry(field="call_back_on")
        tomorrow = (today or date.today()) + timedelta(days=1)
        self.meeting_at.setDateTime(datetime.combine(tomorrow, datetime.min.time())
                                    .replace(hour=10))
        self.call_back_on.set_value(tomorrow)
        self.log_button = QPushButton(self.tr("Log call (Ctrl+Enter)"))
        self.log_button.setObjectName("logCallButton")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b91c1c;")
        self.error.setWordWrap(True)
        form.addRow(self.tr("Outcome"), self.outcome)
        form.addRow(self.tr("Tone"), self.tone)
        form.addRow(self.tr("Duration"), self.duration)
        form.addRow(self.tr("Note"), self.note)
        form.addRow(self.tr("Why declined"), self.decline_reason)
        form.addRow(self.tr("Meeting"), self.meeting_at)
        form.addRow(self.tr("Call back on"), self.call_back_on)
        form.addRow("", self.log_button)
        form.addRow("", self.error)
        self.form = form

        actions = QGridLayout()
        self.snooze_button = QPushButton(self.tr("Tomorrow"))
        self.snooze_button.setToolTip(self.tr("Snooze the call to the next day"))
        self.reschedule_button = QPushButton(self.tr("Reschedule…"))
        self.cancel_button = QPushButton(self.tr("Cancel task…"))
        self.open_button = QPushButton(self.tr("Open client"))
        self.new_task_button = QPushButton(self.tr("New task…"))
        self.new_task_button.setToolTip(self.tr("Plan a call to any client"))
        self.complaint_button = QPushButton(self.tr("Complaint…"))
        self.complaint_button.setObjectName("todayComplaintButton")
        self.complaint_button.setToolTip(self.tr("Open the client's complaint, or record a "
                                                 "new one"))
        for i, b in enumerate((self.snooze_button, self.reschedule_button, self.cancel_button,
                               self.open_button, self.new_task_button,
                               self.complaint_button)):
            actions.addWidget(b, i // 3, i % 3)  # two rows: labels are long in some languages

        right = QWidget()
        right.setMaximumWidth(440)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.hint)
        self.notice = QLabel()
        self.notice.setObjectName("todayNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #047857;")
        rl.addWidget(self.notice)
        rl.addWidget(form_box)
        rl.addLayout(actions)
        rl.addStretch(1)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([880, 340])

        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.summary)
        lay.addWidget(split, 1)
        lay.addWidget(self.keys_help)

        self.outcome.currentIndexChanged.connect(self._update_form)
        self.log_button.clicked.connect(self.log_from_form)
        self.snooze_button.clicked.connect(self.snooze_selected)
        self.reschedule_button.clicked.connect(self.reschedule_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.open_button.clicked.connect(self._open_selected_client)
        self.new_task_button.clicked.connect(self.new_task)
        self.complaint_button.clicked.connect(self.open_complaint)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, activated=self.log_from_form,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.ops.bus.changed.connect(self._on_bus_changed)
        self.reload()

    # ------------------------------------------------------------------ data
    def today(self) -> date:
        return self._today or date.today()

    def reload(self) -> None:
        from app.services import settings as st
        current = self.selected()
        rows, region = self.ops.read(lambda s: (calls.today_queue(s, self.today()),
                                                st.get(s, "business.region")))
        self.model.set_rows(rows, region)
        loc = self.locale()
        self.title.setText("<h2>" + self.tr("Today, %1").replace(
            "%1", loc.toString(qdate(self.today()), loc.FormatType.LongFormat)) + "</h2>")
        late = sum(1 for r in rows if r.overdue_days > 0)
        self.summary.setText(self.tr("%Ln call(s) to make", "", len(rows)) + (
            " · " + self.tr("%Ln overdue", "", late) if late else "")
            if rows else self.tr("Nothing due today. Well done!"))
        self._select_task(current.task_id if current else None)
        self._update_form()

    def selected(self) -> QueueRow | None:
        idx = self.table.currentIndex()
        if idx.isValid() and 0 <= idx.row() < len(self.model.rows):
            return self.model.rows[idx.row()]
        return None

    def _select_task(self, task_id: int | None, fallback_row: int = 0) -> None:
        row = next((i for i, r in enumerate(self.model.rows) if r.task_id == task_id), None)
        if row is None:
            row = min(fallback_row, len(self.model.rows) - 1)
        if row >= 0:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._update_hint()

    def _update_hint(self) -> None:
        r = self.selected()
        if r is None:
            self.hint.setText("")
            return
        text = f"<b>{labels.task_kind(r.kind)}</b> — {purpose_hint(r.kind)}"
        if r.note:
            text += "<br>" + self.tr("Note: %1").replace("%1", r.note)
        marks = self.model.marks(r)
        if marks:
            text += "<br>" + ", ".join(marks)
        self.hint.setText(text)

    def _update_form(self) -> None:
        o = self.outcome.currentData()
        self.decline_reason.setEnabled(o == Outcome.DECLINED)
        self.meeting_at.setEnabled(o == Outcome.MEETING_BOOKED)
        self.call_back_on.setEnabled(o == Outcome.CALL_BACK_LATER)
        if o == Outcome.MEETING_BOOKED and (self.meeting_at.date_or_none()
                                            or self.today()) <= self.today():
            self.meeting_at.setDateTime(datetime.combine(self.today() + timedelta(days=1),
                                                         datetime.min.time()).replace(hour=10))
        if o == Outcome.CALL_BACK_LATER and self._call_back_day() <= self.today():
            self.call_back_on.set_value(self.today() + timedelta(days=7))
        self._update_hint()

    # ------------------------------------------------------------------ keyboard
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        from PySide6.QtCore import QEvent
        if obj is self.table and event.type() == QEvent.Type.KeyPress \
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                          Qt.KeyboardModifier.ShiftModifier):
            key = Qt.Key(event.key())
            if key in QUICK_KEYS:
                self.log_selected(QUICK_KEYS[key])
                return True
            if key in FORM_KEYS:
                self.start_form(FORM_KEYS[key])
                return True
        if obj is self.table and event.type() == QEvent.Type.KeyRelease:
            self._update_hint()
        return super().eventFilter(obj, event)

    def start_form(self, outcome: Outcome) -> None:
        self.outcome.setCurrentIndex(self.outcome.findData(outcome))
        self.error.setText("")
        target = {Outcome.MEETING_BOOKED: self.meeting_at,
                  Outcome.DECLINED: self.decline_reason,
                  Outcome.CALL_BACK_LATER: self.call_back_on}.get(outcome, self.tone)
        target.setFocus()

    # ------------------------------------------------------------------ actions
    def _run(self, fn, row: QueueRow):
        """Run a change; on success reload and select the next call."""
        position = self.table.currentIndex().row()
        try:
            result = self.ops.run(self, fn, kinds={"task", "contact", "client"},
                                  ids={row.client_id} if row.client_id else set(),
                                  source=self, raise_domain=True)
        except ValidationError as exc:
            self.error.setText(error_text(exc))
            return None
        except DomainError as exc:
            show_error(self, exc)
            return None
        self.error.setText("")
        self.reload()
        self._select_task(None, fallback_row=max(0, position))
        self.table.setFocus()
        return result

    def log_selected(self, outcome: Outcome, **details) -> None:
        row = self.selected()
        if row is None or row.client_id is None:
            return
        log = CallLog(client_id=row.client_id, task_id=row.task_id, outcome=outcome,
                      **details)
        now = datetime.combine(self.today(), datetime.now().time())
        result = self._run(lambda s: calls.log_call(s, log, now=now), row)
        if result is not None:
            self.call_logged.emit(result.contact_id)
            self._reset_form()
            self.notice.setText(self.tr("A complaint was opened for %1.")
                                .replace("%1", row.client_name)
                                if result.complaint_id else "")
            if result.complaint_id:  # go straight on with the complaint while on the phone
                self.complaint_dialog = open_complaint_dialog(
                    self, self.ops, complaint_id=result.complaint_id, clock=self._clock)

    def log_from_form(self) -> None:
        row = self.selected()
        if row is None:
            return
        o = Outcome(self.outcome.currentData())
        tone = self.tone.currentData()
        details = dict(tone=Tone(tone) if tone else None,
                       duration_seconds=self.duration.value() * 60 or None,
                       note=self.note.text())
        if o == Outcome.DECLINED:
            details["decline_reason"] = self.decline_reason.currentText()
        try:
            if o == Outcome.MEETING_BOOKED:
                details["meeting_at"] = self.meeting_at.value()
            if o == Outcome.CALL_BACK_LATER:
                details["call_back_on"] = self.call_back_on.value()
        except DomainError as exc:  # a day that is not a date: nothing is logged
            self.error.setText(error_text(exc))
            return
        self.log_selected(o, **details)

    def _call_back_day(self) -> date:
        try:
            return self.call_back_on.value() or self.today()
        except DomainError:
            return self.today()

    def _reset_form(self) -> None:
        self.outcome.setCurrentIndex(0)
        self.tone.setCurrentIndex(0)
        self.duration.setValue(0)
        self.note.clear()
        self.decline_reason.setCurrentIndex(0)

    def snooze_selected(self) -> None:
        row = self.selected()
        if row is not None:
            day = self.today() + timedelta(days=1)
            self._run(lambda s: calls.snooze(s, row.task_id, day, today=self.today()), row)

    def reschedule_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        day = RescheduleDialog.ask(self, self.today() + timedelta(days=7), self.today())
        if day is not None:
            self._run(lambda s: calls.reschedule(s, row.task_id, day, today=self.today()), row)

    def cancel_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("Cancel task"),
                                          self.tr("Why is this call no longer needed?"))
        if ok:
            self._run(lambda s: calls.cancel(s, row.task_id, reason), row)

    def new_task(self) -> None:
        from app.services import clients as client_service
        answer = ManualTaskDialog.ask(
            self, self.today(),
            lambda text: self.ops.read(lambda s: client_service.client_choices(s, text)))
        if answer is None:
            return
        client_id, day, note = answer
        try:
            self.ops.run(self, lambda s: calls.add_manual_task(s, client_id, day, note,
                                                               today=self.today()),
                         kinds={"task"}, ids={client_id}, source=self, raise_domain=True)
        except DomainError as exc:
            show_error(self, exc)
            return
        self.reload()

    def _clock(self) -> datetime:
        return datetime.combine(self.today(), datetime.now().time()).replace(second=0,
                                                                             microsecond=0)

    def open_complaint(self) -> None:
        """The selected client's complaint that is not closed yet, or a new one."""
        from app.services import complaints as complaint_service
        row = self.selected()
        if row is None or row.client_id is None:
            return
        cid = self.ops.read(lambda s: complaint_service.open_complaint_of(s, row.client_id))
        dlg = open_complaint_dialog(self, self.ops, complaint_id=cid, client_id=row.client_id,
                                    clock=self._clock)
        if dlg is not None and cid is not None:  # straight to the step the call is for
            step = {TaskKind.COMPLAINT_CALLBACK: 4, TaskKind.COMPLAINT_REVIEW: 5}.get(row.kind)
            if step is not None:
                dlg.tabs.setCurrentIndex(step)
        self.complaint_dialog = dlg

    def _open_selected_client(self) -> None:
        row = self.selected()
        if row is not None and row.kind == TaskKind.QUARTERLY_REVIEW:
            self.quarterly_review_requested.emit()
        elif row is not None and row.client_id is not None:
            self.client_open_requested.emit(row.client_id)

    def _on_table_activated(self, _index: QModelIndex) -> None:
        self._open_selected_client()

    def _on_bus_changed(self, changes: Changes) -> None:
        if changes.source is not self and changes.touches("task", "client", "contact",
                                                         "purchase", "membership",
                                                         "complaint"):
            self.reload()


class ManualTaskDialog(QDialog):
    """A call planned by hand: which client, which day, what about."""

    def __init__(self, parent: QWidget | None, today: date, search) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New task"))
        self.setMinimumWidth(440)
        self.today = today
        self.client = ClientPicker(search)
        self.client.setObjectName("taskClient")
        self.client.setPlaceholderText(self.tr("Type a name to pick the client"))
        self.day = DateEntry(today, own_error=False, field="due_on")
        self.day.set_minimum(today)
        self.note = QLineEdit()
        self.note.setObjectName("taskNote")
        self.note.setPlaceholderText(self.tr("What the call is about"))
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow(self.tr("Client"), self.client)
        form.addRow(self.tr("Day"), self.day)
        form.addRow(self.tr("About"), self.note)
        form.addRow("", self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        self.result_data: tuple[int, date, str] | None = None

    def _on_buttons_accepted(self) -> None:
        cid = self.client.client_id()
        if cid is None:
            self.error.set_error(self.tr("Pick the client from the suggestions."))
            return
        if not self.note.text().strip():
            self.error.set_error(self.tr("Say what the call is about."))
            return
        try:
            day = self.day.value()
        except DomainError as exc:
            self.error.set_error(error_text(exc))
            return
        self.result_data = (cid, day, self.note.text().strip())
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, today: date, search):
        dlg = cls(parent, today, search)
        try:
            return dlg.result_data if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()  # a hidden dialog per use would pile up under its parent


class RescheduleDialog(QDialog):
    """Pick a day on or after today; ``ask`` so tests can patch it."""

    def __init__(self, parent: QWidget | None, initial: date, today: date) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reschedule"))
        self.setMinimumWidth(360)  # room for a message under the day in every language
        self.edit = DateEntry(initial, field="due_on")
        self.edit.set_minimum(today)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Call on:")))
        lay.addWidget(self.edit)
        lay.addWidget(buttons)

    def _on_buttons_accepted(self) -> None:
        if self.edit.check():  # a day that is not a date stays open with its message
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, initial: date, today: date) -> date | None:
        dlg = cls(parent, initial, today)
        try:
            return dlg.edit.value() if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()  # a hidden dialog per use would pile up under its parent
