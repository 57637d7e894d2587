"""Today: the receptionist's call queue, worked with the keyboard.

One row per client: every purpose due for them is one call. With the queue focused, one
key logs the common outcomes of the selected call: N no answer, M left a message (logged
at once), W wrong number (asks for the right number); R reached, B meeting booked,
D declined, L call back later, C complaint found (the form beside takes the details;
Ctrl+Enter logs). The keys are read by their place on the keyboard, so they work in a
Cyrillic layout too. A logged row stays, saying what was logged; Ctrl+Z undoes the last
call. Enter opens the client. Internal to-dos (reviews, gifts) are listed apart: they are
done by doing them, never logged as a call.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from datetime import date, datetime, timedelta
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app import palette
from app.enums import DECLINE_REASONS
from app.errors import DomainError, ValidationError
from app.models.enums import Channel, Outcome, TaskKind, Tone
from app.services import calls
from app.services import clients as client_service
from app.services import complaints as complaint_service
from app.services import settings as settings_service
from app.services.agenda import DayCounts
from app.services.calls import CallLog, ClosedDayError, QueueCounts, QueueCursor, QueueRow
from app.services.messages import sending
from app.services.workdays import WorkingCalendar
from app.text import subst
from app.ui import labels, risk_words, window_state
from app.ui.call_dialogs import WrongNumberDialog, place_on_open_day
from app.ui.complaint_dialog import Step, open_complaint_dialog
from app.ui.complaint_dialog import _registered as complaint_window
from app.ui.day_notice import DayNoticeBanner
from app.ui.formatting import fmt_date, phone_display, qdate
from app.ui.keyboard import event_letter
from app.ui.message_dialog import announce_sent, open_message_dialog, result_text, send_batch
from app.ui.messages import error_text, text_for
from app.ui.ops import Changes, Concern, Ops, show_error
from app.ui.progress import show_progress
from app.ui.refresh import RefreshGate
from app.ui.widgets import ClientPicker, CodedCombo, DateEntry, DateTimeEntry, ErrorLabel

Index = QModelIndex | QPersistentModelIndex
SPLITTER_KEY = "today"
HEADER_KEYS = {"queueTable": "today.calls", "todoTable": "today.todo"}

# call rows read at a time (a few screenfuls); the next page when the list scrolls there
PAGE = 200

#: keys (by their Latin letter) that log at once, and keys that open the form
QUICK_KEYS = {"N": Outcome.NO_ANSWER, "M": Outcome.LEFT_MESSAGE, "W": Outcome.WRONG_NUMBER}
#: the key that sends a message for the selected calls (issue 18)
MESSAGE_KEY = "S"
FORM_KEYS = {"R": Outcome.REACHED, "B": Outcome.MEETING_BOOKED, "D": Outcome.DECLINED,
             "L": Outcome.CALL_BACK_LATER, "C": Outcome.COMPLAINT_FOUND}
MUTED = palette.MUTED
C = QCoreApplication  # as in the other pages: C.translate(context, text)


def purpose_hint(kind: TaskKind) -> str:
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


def purposes_text(kinds) -> str:
    """"Renewal ×2 + Keep in touch": every purpose of a call, a repeated one counted."""
    counts: dict[TaskKind, int] = {}
    for k in kinds:
        counts[TaskKind(k)] = counts.get(TaskKind(k), 0) + 1
    return " + ".join(labels.task_kind(k) + (f" ×{n}" if n > 1 else "")
                      for k, n in counts.items())


def logged_text(row: QueueRow) -> str:
    if row.logged_outcome is None or row.logged_at is None:
        return ""
    return (subst(C.translate("Today", "%1 logged at %2"),
                  labels.outcome(row.logged_outcome), f"{row.logged_at:%H:%M}"))


class QueueColumn(IntEnum):
    DUE = 0
    CLIENT = 1
    PURPOSE = 2
    PHONE = 3  # the number, the preferred channel when it is not the phone, the hours
    BEFORE = 4  # "Before you call" (calls) / "How it is done" (to-dos)


class QueueModel(QAbstractTableModel):
    """The rows of one of Today's tables. The calls are read a page at a time: while
    ``cursor`` says more are left, the view's ``fetchMore`` (it scrolled to the end) asks
    ``read_more`` for the next page, which arrives through :meth:`append_rows`."""

    COLUMNS = len(QueueColumn)

    def __init__(self, parent=None, internal: bool = False, read_more=None) -> None:
        super().__init__(parent)
        self.rows: list[QueueRow] = []
        self.region = "PL"
        self.currency = "PLN"  # the 12-month value in a win-back call's risk
        self._phones: dict[str | None, str] = {}
        self.internal = internal  # the to-do list: no phone, no hours
        self.cursor: QueueCursor | None = None  # None: every row is here
        self.fetching = False
        #: client id -> their newest message that failed (issue 18), for the rows read
        self.failed_messages: dict[int, object] = {}
        self._read_more = read_more

    @property
    def complete(self) -> bool:
        """Every row of the queue is here (nothing left to read)."""
        return self.cursor is None or self.cursor.done

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802
        return (not parent.isValid() and not self.complete and not self.fetching
                and self._read_more is not None)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802
        if self.canFetchMore(parent):
            self.fetching = True
            self._read_more()

    def append_rows(self, rows: list[QueueRow], cursor: QueueCursor) -> list[int]:
        """A further page at the end (a client already listed, put in place after a
        call, is not listed twice); returns the numbers of the rows added."""
        self.fetching = False
        self.cursor = cursor
        # a call row is a client's, a to-do a task's
        listed = {r.task_id if self.internal else r.client_id for r in self.rows}
        rows = [r for r in rows if (r.task_id if self.internal else r.client_id) not in listed]
        if not rows:
            return []
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows += rows
        self.endInsertRows()
        return list(range(first, first + len(rows)))

    def set_rows(self, rows: list[QueueRow], region: str) -> None:
        self.beginResetModel()
        if region != self.region:
            self._phones.clear()
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
        if self.internal:
            names = [self.tr("Due"), self.tr("Client"), self.tr("To do"), "",
                     self.tr("How it is done")]
        else:
            names = [self.tr("Due"), self.tr("Client"), self.tr("Reason"),
                     self.tr("Phone"), self.tr("Before you call")]
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return r.task_id
        if role == Qt.ItemDataRole.ForegroundRole:
            if r.settled:
                return QBrush(QColor(MUTED))
            if col == QueueColumn.DUE and r.overdue_days > 0:
                return QBrush(QColor(palette.ERROR))
            if col == QueueColumn.BEFORE and not self.internal and (
                    r.open_complaint or r.do_not_contact
                    or r.client_id in self.failed_messages):
                return QBrush(QColor(palette.ERROR))
            return None
        if role == Qt.ItemDataRole.FontRole and r.settled:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and col != QueueColumn.DUE:
            return self.data(index) or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == QueueColumn.DUE:
            if r.settled:
                return self.tr("done")
            if r.overdue_days > 0:
                return self.tr("%Ln day(s) late", "", r.overdue_days)
            return self.tr("today")
        if col == QueueColumn.CLIENT:
            seg = f" [{r.segment}]" if r.segment else ""
            return (r.client_name or self.tr("(the business)")) + seg
        if col == QueueColumn.PURPOSE:
            text = purposes_text(r.kinds)
            if TaskKind.WIN_BACK in r.kinds and r.past_gap_days is not None:
                text += " · " + risk_words.overdue(r.past_gap_days)
            if r.settled:
                return logged_text(r) + " · " + text
            if r.attempts:
                text += " · " + subst(self.tr("try %1"), r.attempts + 1)
            return text
        if self.internal:
            return self.done_how(r) if col == QueueColumn.BEFORE else ""
        if col == QueueColumn.PHONE:
            return self.phone_and_hours(r)
        return ", ".join(self.marks(r))

    def phone_and_hours(self, r: QueueRow) -> str:
        """"(612) 575-5559 · 17:00–21:00"; the preferred channel when it is not the
        phone ("In person"), so the receptionist knows how and when to reach them."""
        parts = []
        if r.preferred_channel and r.preferred_channel != Channel.PHONE:
            parts.append(labels.channel(r.preferred_channel))
        if r.contact_from and r.contact_to:
            parts.append(f"{r.contact_from:%H:%M}–{r.contact_to:%H:%M}")
        phone = self.phone_text(r.phone)
        return " · ".join(p for p in (phone, ", ".join(parts)) if p)

    def phone_text(self, phone: str | None) -> str:
        """A number as the country writes it, formatted once per number (fitting the
        columns reads every row's text, and formatting costs 0.2 ms a number)."""
        text = self._phones.get(phone)
        if text is None:
            text = self._phones[phone] = phone_display(phone, self.region)
        return text

    def done_how(self, r: QueueRow) -> str:
        if r.kind == TaskKind.QUARTERLY_REVIEW:
            return self.tr("Enter opens the A/B/C review")
        if r.kind == TaskKind.COMPLAINT_REVIEW:
            return self.tr("Enter opens the complaint's review")
        return self.tr("“Mark done” when it is ready")

    def marks(self, r: QueueRow) -> list[str]:
        out = []
        if r.client_id in self.failed_messages:  # never silently lost (issue 18)
            out.append(self.tr("message not sent (S sends it again)"))
        if sending.prefers_message(r.preferred_channel):  # the queue marks them
            out.append(self.tr("prefers a message (S)"))
        if r.risk is not None and TaskKind.WIN_BACK in r.kinds:  # why they may be lost
            out.append(risk_words.explanation(r.risk.explanation.code,
                                              r.risk.explanation.values, self.currency))
        if r.do_not_contact:
            out.append(self.tr("do not contact"))
        if r.open_complaint:
            out.append(self.tr("open complaint"))
        if r.logged_outcome is not None and not r.settled:
            out.append(logged_text(r))
        if r.promo:
            out.append(self.tr("promo"))
        if r.discount:
            out.append(self.tr("discount"))
        if r.frozen:
            out.append(self.tr("frozen"))
        if r.is_new:
            out.append(self.tr("new client"))
        if r.last_contact_at:
            out.append(subst(self.tr("last contact %1 (%2)"),
                             fmt_date(r.last_contact_at.date()), labels.tone(r.last_tone) or "—"))
        if r.reason == calls.REASON_MAX_ATTEMPTS:
            out.append(self.tr("no answer %n time(s)", "", r.attempts))
        if not r.settled:  # why the call is on this day: each purpose's move, once
            reasons = [t.reason for t in r.tasks] or [r.reason]
            out.extend(dict.fromkeys(w for w in map(labels.task_reason, reasons) if w))
        return out


def _queue_table(model: QueueModel, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


class TodayPage(QWidget):
    call_logged = Signal(int)  # contact id
    call_undone = Signal(int)  # contact id
    client_open_requested = Signal(int)
    quarterly_review_requested = Signal()  # Enter on the internal A/B/C review task
    loaded = Signal()  # the whole queue was read again and is shown

    def __init__(self, ops: Ops, parent=None, today: date | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._today = today
        self._generation = 0
        self._loading = False
        #: the calls logged here, newest last, for Ctrl+Z: (contact id, client id, name,
        #: the complaint the call opened or None)
        self.undo_stack: list[tuple[int, int, str, int | None]] = []
        self._busy = False  # a write of this page is on the executor
        self._waiting: deque = deque()  # what was pressed meanwhile, in order
        self._draining = False
        self.model = QueueModel(self, read_more=self.read_more)
        #: the whole queue's figures, counted in the background while not every row is
        #: here (None: not counted yet)
        self.counts: QueueCounts | None = None
        self._counting = 0
        self.todo_model = QueueModel(self, internal=True, read_more=self.read_more_todos)
        self.title = QLabel()
        self.title.setObjectName("todayTitle")
        self.summary = QLabel()
        self.table = _queue_table(self.model, "queueTable")
        self.todo_table = _queue_table(self.todo_model, "todoTable")
        self.todo_label = QLabel(self.tr("To do — not calls (Enter opens it)"))
        self.todo_label.setObjectName("todoLabel")
        self._active = self.table
        for table in (self.table, self.todo_table):
            header = table.horizontalHeader()
            header.setStretchLastSection(True)
            header.setMinimumSectionSize(40)
            table.installEventFilter(self)
            table.activated.connect(self._on_table_activated)
            table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.todo_table.setColumnHidden(QueueColumn.PHONE, True)
        # several calls selected (Shift/Ctrl): S sends a message to each (issue 18)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setObjectName("purposeHint")
        self.keys_help = QLabel(self.tr(
            "Keys: N no answer · M left a message · W wrong number · R reached · "
            "B meeting booked · D declined · L call back later · C complaint found · "
            "Ctrl+Z undo the last call · Enter open the client"))
        self.keys_help.setText(self.keys_help.text() + " · " + self.tr(
            "S send a message (several rows selected: to each)"))
        self.keys_help.setWordWrap(True)
        self.keys_help.setStyleSheet(f"color: {palette.SECONDARY_TEXT};")

        form_box = QGroupBox(self.tr("Log the call"))
        self.form_box = form_box
        form = QFormLayout(form_box)
        # a long label (Bulgarian "Повторно обаждане на") goes above its field rather than
        # squeezing the date out of view
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
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
        self.decline_reason = CodedCombo(DECLINE_REASONS, labels.decline_reason)
        self.meeting_at = DateTimeEntry()
        self.call_back_on = DateEntry(field="call_back_on")
        tomorrow = (today or date.today()) + timedelta(days=1)
        self.meeting_at.setDateTime(datetime.combine(tomorrow, datetime.min.time())
                                    .replace(hour=10))
        self.call_back_on.set_value(tomorrow)
        self.log_button = QPushButton(self.tr("Log call (Ctrl+Enter)"))
        self.log_button.setObjectName("logCallButton")
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {palette.ERROR};")
        self.error.setWordWrap(True)
        form.addRow(self.tr("Outcome"), self.outcome)
        form.addRow(self.tr("Tone"), self.tone)
        form.addRow(self.tr("Duration"), self.duration)
        form.addRow(self.tr("Note"), self.note)
        form.addRow(self.tr("Why declined"), self.decline_reason)
        form.addRow(self.tr("Meeting"), self.meeting_at)
        form.addRow(self.tr("Call back on"), self.call_back_on)
        form.addRow(self.log_button)
        form.addRow(self.error)
        self.form = form

        actions = QGridLayout()
        self.snooze_button = QPushButton(self.tr("Tomorrow"))
        self.snooze_button.setToolTip(self.tr("Snooze the call to the next working day"))
        self.reschedule_button = QPushButton(self.tr("Reschedule…"))
        self.cancel_button = QPushButton(self.tr("Cancel task…"))
        self.open_button = QPushButton(self.tr("Open client"))
        self.new_task_button = QPushButton(self.tr("New task…"))
        self.new_task_button.setToolTip(self.tr("Plan a call to any client"))
        self.complaint_button = QPushButton(self.tr("Complaint…"))
        self.complaint_button.setObjectName("todayComplaintButton")
        self.complaint_button.setToolTip(self.tr("Open the client's complaint, or record a "
                                                 "new one"))
        self.undo_button = QPushButton(self.tr("Undo call (Ctrl+Z)"))
        self.undo_button.setObjectName("undoCallButton")
        self.done_button = QPushButton(self.tr("Mark done"))
        self.done_button.setObjectName("todoDoneButton")
        self.done_button.setToolTip(self.tr("The to-do is done (e.g. the gift is ready)"))
        for i, b in enumerate((self.snooze_button, self.reschedule_button, self.cancel_button,
                               self.open_button, self.new_task_button,
                               self.complaint_button, self.undo_button, self.done_button)):
            actions.addWidget(b, i // 2, i % 2)  # rows of two: labels are long in some languages

        right = QWidget()
        right.setMaximumWidth(400)
        right.setMinimumWidth(330)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.hint)
        self.notice = QLabel()
        self.notice.setObjectName("todayNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(f"color: {palette.SUCCESS};")
        rl.addWidget(self.notice)
        rl.addWidget(form_box)
        rl.addLayout(actions)
        rl.addStretch(1)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 3)
        ll.addWidget(self.todo_label)
        ll.addWidget(self.todo_table, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([930, 340])
        self.splitter = split
        # widths and the splitter as the user left them; a table whose columns the user
        # sized keeps them (no fitting to the text)
        window_state.restore_splitter(SPLITTER_KEY, split)
        split.splitterMoved.connect(lambda *_a: window_state.save_splitter(SPLITTER_KEY, split))
        self._fitting = False
        self._sized_by_user: set[str] = set()
        for table in (self.table, self.todo_table):
            key, header = HEADER_KEYS[table.objectName()], table.horizontalHeader()
            if window_state.restore_header(key, header):
                self._sized_by_user.add(key)
            header.sectionResized.connect(
                lambda col, *_a, key=key, header=header: self._on_header_resized(
                    key, header, col))

        #: the day-start notice, shown on the first start of a day (app/ui/day_notice.py)
        self.day_banner = DayNoticeBanner()
        #: the title's row: the day, and the page's tools (Print…, app/ui/printing.py)
        self.tools = QHBoxLayout()
        self.tools.addWidget(self.title, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.day_banner)
        lay.addLayout(self.tools)
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
        self.undo_button.clicked.connect(self.undo_last_call)
        self.done_button.clicked.connect(self.mark_done)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, activated=self.log_from_form,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Undo, self, activated=self.undo_last_call,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # a change made elsewhere: read again when shown; this page's own actions
        # update their rows themselves (_update_clients)
        self.gate = RefreshGate(self, ops.bus, (Concern.QUEUE,), self._refresh, skip_own=True)
        self.reload()

    def show_day_notice(self, counts: DayCounts) -> None:
        """The day-start notice's figures in the banner at the top (closed with its ×)."""
        self.day_banner.show_counts(counts)

    # ------------------------------------------------------------------ data
    def today(self) -> date:
        return self._today or date.today()

    @property
    def loading(self) -> bool:
        """The queue's first page (or the whole queue's figures) is being read on the
        database executor."""
        return self._loading or bool(self._counting)

    def reload(self) -> None:
        """Read the queue again from its start, on the database executor: its first page
        of calls and every to-do (a queue of 138,000 calls is never read whole; the rest
        comes page by page as the list scrolls), and show it when it arrives; the rows
        shown stay until then, and an older answer never overwrites a newer one."""
        self._generation += 1
        generation, today = self._generation, self.today()

        def work(s, _job):
            # the working calendar's public holidays are loaded here, off the GUI thread,
            # before the first call logged needs them (importing a country: ~0.4 s)
            WorkingCalendar.from_settings(s).next_working_day(today)
            rows, cursor, todo_cursor = calls.today_first_page(s, today, PAGE)
            return (rows, settings_service.get(s, "business.region"), cursor, todo_cursor,
                    settings_service.get(s, "business.currency"),
                    sending.failed_by_client(s, [r.client_id for r in rows]))

        def done(result) -> None:
            if generation != self._generation or not isValid(self):
                return
            self._loading = False
            rows, region, cursor, todo_cursor, self.model.currency, failed_msgs = result
            self.model.failed_messages = failed_msgs
            self.model.cursor, self.todo_model.cursor = cursor, todo_cursor
            self.model.fetching = self.todo_model.fetching = False
            self.counts = None
            self._show(rows, region)
            self._count()
            self.loaded.emit()

        def failed(exc: DomainError) -> None:
            if generation == self._generation and isValid(self):
                self._loading = False
                show_error(self, exc)

        self._loading = True
        self.ops.submit(self, work, label=self.tr("Reading today's calls"), write=False,
                        on_done=done, on_error=failed)

    def _refresh(self, _changes: Changes) -> None:
        self.reload()

    def read_more(self) -> None:
        """The calls' next page, on the database executor, put at the end of the list."""
        self._read_more(self.model, calls.today_calls_page)

    def read_more_todos(self) -> None:
        """The to-dos' next page, likewise."""
        self._read_more(self.todo_model, calls.today_todos_page)

    def _read_more(self, model: QueueModel, read) -> None:
        generation, cursor = self._generation, model.cursor

        def done(result) -> None:
            if generation != self._generation or not isValid(self):
                return
            (rows, after), failed_msgs = result
            model.failed_messages.update(failed_msgs)
            for i in model.append_rows(rows, after):
                if model is self.model and model.rows[i].settled:
                    self.table.setSpan(i, QueueColumn.PURPOSE, 1, 2)
            self._update_summary()

        def failed(exc: DomainError) -> None:
            if isValid(self):
                model.fetching = False
                show_error(self, exc)

        def work(s, _job):
            page = read(s, cursor, PAGE)
            return page, sending.failed_by_client(s, [r.client_id for r in page[0]])

        self.ops.submit(self, work, label=self.tr("Reading today's calls"), write=False,
                        on_done=done, on_error=failed)

    @property
    def _complete(self) -> bool:
        """Every call and every to-do of the queue is here."""
        return self.model.complete and self.todo_model.complete

    def _count(self) -> None:
        """The whole queue's figures for the summary line, counted on the database
        executor while not every row is here (with every row here they are counted from
        the rows, at once)."""
        if self._complete:
            return
        generation, today = self._generation, self.today()
        self._counting += 1

        def done(counts: QueueCounts) -> None:
            if not isValid(self):
                return
            self._counting -= 1
            if generation == self._generation:
                self.counts = counts
                self._update_summary()

        def failed(exc: DomainError) -> None:
            if isValid(self):
                self._counting -= 1
                show_error(self, exc)

        self.ops.submit(self, lambda s, _job: calls.today_counts(s, today),
                        label=self.tr("Reading today's calls"), write=False, on_done=done,
                        on_error=failed)

    def _update_clients(self, client_ids: set[int | None],
                        fresh: list[QueueRow] | None = None) -> None:
        """After an action of this page on some clients' calls: re-read only their rows
        (a few milliseconds) and put them in place, so the list does not jump and the
        whole queue is not read again; a client who had no row yet goes in by rank. A
        to-do of the business itself reads the whole queue (on the executor). ``fresh``:
        their rows, when the write already read them on the executor."""
        ids = {cid for cid in client_ids if cid is not None}
        if None in client_ids or not ids:
            self.reload()
            return
        if fresh is None:
            fresh = self.ops.read(lambda s: calls.today_queue(s, self.today(), client_ids=ids))
        fresh_calls = {r.client_id: r for r in fresh if not r.internal}
        fresh_todos = {r.task_id: r for r in fresh if r.internal}
        call_rows = []
        for r in self.model.rows:
            if r.client_id in ids:
                new = fresh_calls.pop(r.client_id, None)
                if new is not None:
                    call_rows.append(new)
            else:
                call_rows.append(r)
        todo_rows = []
        for r in self.todo_model.rows:
            if r.client_id in ids:
                new = fresh_todos.pop(r.task_id, None)
                if new is not None:
                    todo_rows.append(new)
            else:
                todo_rows.append(r)
        last_todo = todo_rows[-1].order if todo_rows else None
        todo_rows.extend(r for r in fresh_todos.values() if self.todo_model.complete
                         or (last_todo is not None and r.order < last_todo))
        todo_rows.sort(key=lambda r: r.order)
        last = call_rows[-1].order if call_rows else None
        for new in fresh_calls.values():  # a client not listed yet (a new task): in place
            if not self.model.complete and (last is None or new.order > last):
                continue  # beyond the rows read: a later page brings it
            at = next((i for i, r in enumerate(call_rows) if r.order > new.order),
                      len(call_rows))
            call_rows.insert(at, new)
        # the columns were fitted when the queue was read: a row put in place keeps them
        # (fitting measures 300 rows of both tables, most of the stall of logging a call)
        self._show(call_rows + todo_rows, self.model.region, fit=False)
        self._count()

    def _show(self, rows: list[QueueRow], region: str, fit: bool = True) -> None:
        current = self.selected()
        todo_was_empty = not self.todo_model.rows
        call_rows = [r for r in rows if not r.internal]
        todo_rows = [r for r in rows if r.internal]
        self.model.set_rows(call_rows, region)
        self.todo_model.set_rows(todo_rows, region)
        self.table.clearSpans()
        for i, r in enumerate(call_rows):  # a logged row says what was logged, in full
            if r.settled:
                self.table.setSpan(i, QueueColumn.PURPOSE, 1, 2)
        if fit:
            self._fit_columns()
        elif todo_was_empty and todo_rows:  # the to-do list appears: fitted once
            self._fit_columns((self.todo_table,))
        loc = self.locale()
        day = loc.toString(qdate(self.today()), loc.FormatType.LongFormat)
        self.title.setText("<h2>" + subst(self.tr("Today, %1"), day) + "</h2>")
        self._update_summary()
        self.todo_label.setVisible(bool(todo_rows))
        self.todo_table.setVisible(bool(todo_rows))
        if current is not None and current.internal and todo_rows:
            self._select_task(current.task_id, table=self.todo_table)
        else:
            self._select_task(current.task_id if current else None)
        self._update_form()

    def _update_summary(self) -> None:
        """"12 calls to make · 3 overdue · 2 logged · 1 to do": from the rows when every
        row is here, else from the whole queue's figures counted in the background
        (nothing said until they arrive)."""
        call_rows, todo_rows = self.model.rows, self.todo_model.rows
        if self._complete:
            open_rows = [r for r in call_rows if not r.settled]
            counts = QueueCounts(len(open_rows), sum(1 for r in open_rows if r.overdue_days > 0),
                                 len(call_rows) - len(open_rows), len(todo_rows))
        elif self.counts is not None:
            counts = self.counts
        else:
            self.summary.setText("")
            return
        parts = [self.tr("%Ln call(s) to make", "", counts.to_make)] if counts.to_make else [
            self.tr("No call left to make today. Well done!") if counts.logged
            else self.tr("Nothing due today. Well done!")]
        if counts.overdue:
            parts.append(self.tr("%Ln overdue", "", counts.overdue))
        if counts.logged:
            parts.append(self.tr("%Ln logged", "", counts.logged))
        if counts.todos:
            parts.append(self.tr("%Ln to do", "", counts.todos))
        self.summary.setText(" · ".join(parts))

    def _fit_columns(self, tables: tuple[QTableView, ...] | None = None) -> None:
        """Every column in view at once, no sideways scrolling: due, phone and hours as
        wide as their text (the hours capped), purpose and client elided first when space
        is short, and "Before you call" (open complaint, do not contact first) takes the
        rest, never less than a readable width."""
        for table in tables or (self.table, self.todo_table):
            if HEADER_KEYS[table.objectName()] in self._sized_by_user:
                continue
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            header.setStretchLastSection(True)
            fm = table.fontMetrics()
            model = table.model()

            def text_width(col: int, rows=model.rows[:300], fm=fm, model=model) -> int:
                head = fm.horizontalAdvance(str(model.headerData(
                    col, Qt.Orientation.Horizontal) or "")) + 24
                cells = (fm.horizontalAdvance(str(model.data(model.index(i, col)) or ""))
                         for i in range(len(rows)))
                return max(head, max(cells, default=0) + 16)

            avail = max(400, table.viewport().width())
            calls_table = model is self.model
            widths = {QueueColumn.DUE: min(text_width(QueueColumn.DUE), 150),
                      QueueColumn.CLIENT: min(text_width(QueueColumn.CLIENT),
                                              190 if calls_table else 160),
                      QueueColumn.PURPOSE: min(text_width(QueueColumn.PURPOSE),
                                               230 if calls_table else 170),
                      QueueColumn.PHONE: 0 if table.isColumnHidden(QueueColumn.PHONE)
                      else min(text_width(QueueColumn.PHONE), 200)}
            # the number itself is never cut (its hours may be): the widest number read
            phone_min = max((fm.horizontalAdvance(model.phone_text(r.phone) + " · …")
                             for r in model.rows[:300] if r.phone), default=120) + 16
            floor = 220 if calls_table else 160  # "Before you call" at least
            over = sum(widths.values()) + floor - avail
            # give way in this order, each keeping a readable minimum: the phone last,
            # it is what the receptionist dials (the purpose is whole in the hint beside)
            for col, minimum in ((QueueColumn.PURPOSE, 140), (QueueColumn.CLIENT, 120),
                                 (QueueColumn.PHONE, phone_min)):
                if over <= 0:
                    break
                cut = min(over, max(0, widths[col] - minimum))
                widths[col] -= cut
                over -= cut
            self._fitting = True
            try:
                for col, width in widths.items():
                    if not table.isColumnHidden(col):
                        header.resizeSection(col, width)
            finally:
                self._fitting = False

    def _on_header_resized(self, key: str, header: QHeaderView, col: int) -> None:
        """A column the user sized (the page's own fitting aside, and the last column,
        which only stretches to the width): kept as it is and remembered."""
        if self._fitting or header.isSectionHidden(col):
            return  # a hidden column (the to-dos' phone) "resized" as the page is shown
        if col != header.logicalIndex(header.count() - 1):
            self._sized_by_user.add(key)
        if key in self._sized_by_user:
            window_state.save_header(key, header)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def hideEvent(self, event) -> None:
        window_state.save_splitter(SPLITTER_KEY, self.splitter)  # closing the window too
        super().hideEvent(event)

    def _rows_of(self, table: QTableView) -> list[QueueRow]:
        return table.model().rows

    def selected(self) -> QueueRow | None:
        table = self._active
        idx = table.currentIndex()
        rows = self._rows_of(table)
        if idx.isValid() and 0 <= idx.row() < len(rows):
            return rows[idx.row()]
        return None

    def _select_task(self, task_id: int | None, fallback_row: int = 0,
                     table: QTableView | None = None) -> None:
        table = table or self.table
        rows = self._rows_of(table)
        row = next((i for i, r in enumerate(rows) if r.task_id == task_id), None)
        if row is None:  # the next call still to make from there, else the one there
            row = next((i for i in range(fallback_row, len(rows)) if not rows[i].settled),
                       min(fallback_row, len(rows) - 1))
        self._active = table
        if row >= 0:
            table.selectRow(row)
            table.setCurrentIndex(table.model().index(row, 0))
        self._update_hint()

    def _on_current_changed(self, *_args) -> None:
        self._update_hint()

    def _update_hint(self) -> None:
        r = self.selected()
        is_call = r is not None and not r.internal
        self.form_box.setEnabled(r is None or (is_call and not r.settled))
        self.done_button.setEnabled(r is not None and r.kind in calls.TICK_OFF_KINDS)
        self.undo_button.setEnabled(bool(self.undo_stack))
        if r is None:
            self.hint.setText("")
            return
        lines = [f"<b>{labels.task_kind(k)}</b> — {purpose_hint(k)}"
                 for k in dict.fromkeys(r.kinds)]
        text = "<br>".join(lines)
        reach = self.model.phone_and_hours(r) if not r.internal else ""
        if reach:
            text = subst(self.tr("How to reach: %1"), f"<b>{reach}</b>") + "<br>" + text
        if r.note:
            text += "<br>" + subst(self.tr("Note: %1"), r.note)
        if r.internal:
            text += "<br><i>" + self.todo_model.done_how(r) + "</i>"
        marks = self.model.marks(r)
        if marks:
            text += "<br>" + ", ".join(marks)
        if r.settled:
            text += "<br><i>" + subst(self.tr("%1. Ctrl+Z undoes the last call; the client's "
                                              "card corrects any call."), logged_text(r)) + "</i>"
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
        if obj in (self.table, self.todo_table) and event.type() == QEvent.Type.FocusIn \
                and self._active is not obj:
            self._active = obj
            self._update_hint()
        if obj in (self.table, self.todo_table) and event.type() == QEvent.Type.KeyPress \
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                          Qt.KeyboardModifier.ShiftModifier):
            letter = event_letter(event)
            if letter == MESSAGE_KEY and obj is self.table:
                self.send_message_selected()
                return True
            if letter in QUICK_KEYS or letter in FORM_KEYS:
                self._active = obj
                if obj is self.todo_table:
                    self._say_not_a_call()
                elif letter in QUICK_KEYS:
                    self.log_selected(QUICK_KEYS[letter])
                else:
                    self.start_form(FORM_KEYS[letter])
                return True
        return super().eventFilter(obj, event)

    def _say_not_a_call(self) -> None:
        r = self.selected()
        self.notice.setText(subst(self.tr("“%1” is not a call: nothing was logged. %2."),
                                  labels.task_kind(r.kind) if r else "",
                                  self.todo_model.done_how(r) if r else ""))

    def start_form(self, outcome: Outcome) -> None:
        row = self.selected()
        if row is not None and (row.internal or row.settled):
            self._say_settled(row)
            return
        self.outcome.setCurrentIndex(self.outcome.findData(outcome))
        self.error.setText("")
        target = {Outcome.MEETING_BOOKED: self.meeting_at,
                  Outcome.DECLINED: self.decline_reason,
                  Outcome.CALL_BACK_LATER: self.call_back_on}.get(outcome, self.tone)
        target.setFocus()

    def _say_settled(self, row: QueueRow) -> None:
        if row.internal:
            self._say_not_a_call()
        else:
            self.notice.setText(subst(self.tr("%1 for %2. Ctrl+Z undoes the last call."),
                                      logged_text(row), row.client_name))

    # ------------------------------------------------------------------ actions
    # Every write of this page runs on the database executor (a call's commit waits for
    # the disk: up to a tenth of a second). One write at a time: what the receptionist
    # does meanwhile (N then M at once, Ctrl+Z right after N) waits in order and then
    # applies to the row selected by then, as if the first write had been instant.
    @property
    def busy(self) -> bool:
        """A write of this page is under way, or waits to start."""
        return self._busy or bool(self._waiting)

    def _when_free(self, action) -> bool:
        """True when a write is under way: ``action`` then runs after it."""
        if not self._busy and (self._draining or not self._waiting):
            return False
        self._waiting.append(action)
        return True

    def _free(self) -> None:
        self._busy = False
        QTimer.singleShot(0, self._next_waiting)

    def _next_waiting(self) -> None:
        self._draining = True
        try:
            while self._waiting and not self._busy and isValid(self):
                self._waiting.popleft()()
        finally:
            self._draining = False

    def _drop_waiting(self) -> None:
        """A write failed or was cancelled: what was typed after it is not applied to
        some other row (it was meant for the row after a write that did not happen)."""
        self._busy = False
        if self._waiting:
            self._waiting.clear()
            self.notice.setText(self.tr("Nothing was applied of what you pressed after it: "
                                        "choose the call again."))

    def _submit(self, fn, client_id: int | None, *, then=None, on_closed=None,
                label: str | None = None) -> None:
        """Run the change ``fn(session)`` on the executor; then put the client's rows
        in place, select the next call and ``then(result)``. A closed day refused goes
        to ``on_closed(exc)`` (it asks, and starts the write again or cancels).
        ``client_id``: whose rows the write changes (None: a to-do of the business)."""
        table = self._active
        position = table.currentIndex().row()
        today = self.today()

        def work(s, _job):
            result = fn(s)
            s.flush()  # the client's rows as this write leaves them, read in its transaction
            fresh = (calls.today_queue(s, today, client_ids={client_id})
                     if client_id is not None else None)
            return result, fresh

        def done(value) -> None:
            if not isValid(self):
                return
            result, fresh = value
            self.error.setText("")
            self._update_clients({client_id}, fresh)
            self._select_task(None, fallback_row=max(0, position), table=table)
            table.setFocus()
            if then is not None:
                then(result)
            self._free()

        def failed(exc: DomainError) -> None:
            if not isValid(self):
                return
            if isinstance(exc, ClosedDayError) and on_closed is not None:
                # still busy: asks (once this delivery is over), then starts again or cancels
                QTimer.singleShot(0, lambda: on_closed(exc))
                return
            if isinstance(exc, ValidationError):
                self.error.setText(error_text(exc))
            else:
                show_error(self, exc)
            self._drop_waiting()

        self._busy = True
        job = self.ops.submit(self, work, label=label or self.tr("Saving the call…"),
                              on_done=done, on_error=failed, source=self)
        if job is None:  # refused before it started (a database open read-only)
            self._drop_waiting()

    def _submit_on_open_day(self, day: date | None, fn_of, client_id: int | None,
                            then=None) -> None:
        """:meth:`_submit` of ``fn_of(day, allow_closed_day)``, asking first when the
        day chosen is one the business is closed on."""
        def start(d, allow, on_closed):
            self._submit(fn_of(d, allow), client_id, then=then, on_closed=on_closed)
        self._busy = True  # from the first try to the last answer
        place_on_open_day(self, day, start, on_cancel=self._drop_waiting)

    def log_selected(self, outcome: Outcome, **details) -> None:
        if self._when_free(lambda: self.log_selected(outcome, **details)):
            return
        row = self.selected()
        if row is None or row.client_id is None:
            return
        if row.internal or row.settled:
            self._say_settled(row)
            return
        if outcome == Outcome.WRONG_NUMBER and "right_phone" not in details:
            phone = WrongNumberDialog.ask(self, row.client_name, row.phone, self.model.region)
            if phone is None:
                return  # cancelled: nothing logged
            details["right_phone"] = phone
        log = CallLog(client_id=row.client_id, task_id=row.task_id, task_ids=row.task_ids,
                      outcome=outcome, **details)
        now = datetime.combine(self.today(), datetime.now().time()).replace(microsecond=0)

        def fn_of(day, allow):
            entry = (log if day is None else
                     replace(log, call_back_on=day, allow_closed_day=allow))
            return lambda s: calls.log_call(s, entry, now=now)

        def logged(result) -> None:
            self.undo_stack.append((result.contact_id, row.client_id, row.client_name,
                                    result.complaint_id))
            self.call_logged.emit(result.contact_id)
            self._reset_form()
            text = subst(self.tr("%1 logged for %2 at %3 (Ctrl+Z undoes it)."),
                         labels.outcome(outcome), row.client_name, f"{now:%H:%M}")
            if result.complaint_id:
                text += " " + subst(self.tr("A complaint was opened for %1."), row.client_name)
            if result.closed_other:
                text += " " + self.tr("%Ln other call(s) of today closed.", "",
                                      len(result.closed_other))
            self.notice.setText(text)
            self._update_hint()
            if result.complaint_id:  # go straight on with the complaint while on the phone
                self.complaint_dialog = open_complaint_dialog(
                    self, self.ops, complaint_id=result.complaint_id, clock=self._clock)
        self._submit_on_open_day(log.call_back_on, fn_of, row.client_id, then=logged)

    def undo_last_call(self) -> None:
        if self._when_free(self.undo_last_call):
            return
        if not self.undo_stack:
            self.notice.setText(self.tr("No call to undo."))
            return
        contact_id, client_id, name, complaint_id = self.undo_stack[-1]
        today = self.today()

        def work(s, _job):
            calls.undo_call(s, contact_id)
            s.flush()
            return calls.today_queue(s, today, client_ids={client_id})

        def done(fresh) -> None:
            if not isValid(self):
                return
            self.undo_stack.pop()
            if complaint_id is not None:  # the complaint the call opened is gone with it
                dlg = complaint_window(self.ops, complaint_id)
                if dlg is not None:
                    dlg.close()
            self.call_undone.emit(contact_id)
            self._update_clients({client_id}, fresh)
            row = next((r for r in self.model.rows if r.client_id == client_id
                        and not r.settled), None)
            if row is not None:  # back on the call, ready to log it again
                self._select_task(row.task_id)
            self.table.setFocus()
            self.notice.setText(subst(self.tr("The call to %1 was undone."), name))
            self._free()

        def failed(exc: DomainError) -> None:
            if not isValid(self):
                return
            if exc.code == "call.not_found":
                self.undo_stack.pop()
            show_error(self, exc)
            self._drop_waiting()

        self._busy = True
        if self.ops.submit(self, work, label=self.tr("Undoing the call…"), on_done=done,
                           on_error=failed, source=self) is None:
            self._drop_waiting()

    def log_from_form(self) -> None:
        if self._when_free(self.log_from_form):
            return
        row = self.selected()
        if row is None:
            return
        o = Outcome(self.outcome.currentData())
        tone = self.tone.currentData()
        details = dict(tone=Tone(tone) if tone else None,
                       duration_seconds=self.duration.value() * 60 or None,
                       note=self.note.text())
        if o == Outcome.DECLINED:
            details["decline_reason"] = self.decline_reason.code()
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

    def _each_task(self, row: QueueRow, fn):
        def work(s):
            for tid in row.task_ids:
                fn(s, tid)
        return work

    def snooze_selected(self) -> None:
        if self._when_free(self.snooze_selected):
            return
        row = self.selected()
        if row is not None and not row.settled:  # to the next working day, never asked
            today = self.today()
            self._submit(self._each_task(row, lambda s, tid: calls.snooze(s, tid, today=today)),
                         row.client_id)

    def reschedule_selected(self) -> None:
        if self._when_free(self.reschedule_selected):
            return
        row = self.selected()
        if row is None or row.settled:
            return
        today = self.today()
        day = RescheduleDialog.ask(self, today + timedelta(days=7), today)
        if day is not None:
            self._submit_on_open_day(day, lambda d, allow: self._each_task(
                row, lambda s, tid: calls.reschedule(s, tid, d, today=today,
                                                     allow_closed_day=allow)), row.client_id)

    def cancel_selected(self) -> None:
        if self._when_free(self.cancel_selected):
            return
        row = self.selected()
        if row is None or row.settled:
            return
        reason, ok = QInputDialog.getText(self, self.tr("Cancel task"),
                                          self.tr("Why is this call no longer needed?"))
        if ok:
            self._submit(self._each_task(row, lambda s, tid: calls.cancel(s, tid, reason)),
                         row.client_id)

    def mark_done(self) -> None:
        if self._when_free(self.mark_done):
            return
        row = self.selected()
        if row is not None and row.kind in calls.TICK_OFF_KINDS:
            now = self._clock()
            self._submit(lambda s: calls.complete_task(s, row.task_id, now=now), row.client_id)

    def new_task(self) -> None:
        if self._when_free(self.new_task):
            return
        answer = ManualTaskDialog.ask(
            self, self.today(),
            lambda text: self.ops.read(lambda s: client_service.client_choices(s, text)))
        if answer is None:
            return
        client_id, day, note = answer
        today = self.today()
        self._submit_on_open_day(day, lambda d, allow: lambda s: calls.add_manual_task(
            s, client_id, d, note, today=today, allow_closed_day=allow), client_id)

    def _clock(self) -> datetime:
        return datetime.combine(self.today(), datetime.now().time()).replace(second=0,
                                                                             microsecond=0)

    def open_complaint(self) -> None:
        """The selected client's complaint that is not closed yet, or a new one."""
        row = self.selected()
        if row is None or row.client_id is None:
            return
        cid = self.ops.read(lambda s: complaint_service.open_complaint_of(s, row.client_id))
        dlg = open_complaint_dialog(self, self.ops, complaint_id=cid, client_id=row.client_id,
                                    clock=self._clock)
        if dlg is not None and cid is not None:  # straight to the step the call is for
            kinds = set(row.kinds)
            step = Step.REVIEW if TaskKind.COMPLAINT_REVIEW in kinds else (
                Step.CLOSE if TaskKind.COMPLAINT_CALLBACK in kinds else None)
            if step is not None:
                dlg.tabs.setCurrentIndex(step)
        self.complaint_dialog = dlg

    # ------------------------------------------------------------------ messages
    def selected_calls(self) -> list[QueueRow]:
        """The call rows selected (several with Shift or Ctrl), in the list's order."""
        rows = self.model.rows
        picked = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not picked and self.table.currentIndex().isValid():
            picked = [self.table.currentIndex().row()]
        return [rows[i] for i in picked if 0 <= i < len(rows)]

    def send_message_selected(self) -> None:
        """S: the message for the selected call (its preview, then Send), or for each of
        several selected calls (a confirmation says how many, to whom, and which are
        refused and why). Calls already logged today and to-dos are left out."""
        chosen = [r for r in self.selected_calls()
                  if r.client_id is not None and not r.internal and not r.settled]
        if not chosen:
            row = self.selected()
            if row is not None:
                self._say_settled(row)
            return
        if len(chosen) > 1:
            send_batch(self, self.ops, [(r.client_id, r.task_ids) for r in chosen],
                       clock=self._clock, on_done=self._messages_sent)
            return
        row = chosen[0]
        failed = self.model.failed_messages.get(row.client_id)
        if failed is not None and self._retry_failed(row, failed):
            return
        self.message_dialog = open_message_dialog(
            self, self.ops, row.client_id, row.task_ids, clock=self._clock,
            on_sent=self._messages_sent)
        if self.message_dialog is not None:  # a failure is marked on the row too
            self.message_dialog.finished.connect(
                lambda _r, cid=row.client_id: self._after_message({cid}))

    def _retry_failed(self, row: QueueRow, failed) -> bool:
        """A row whose last message failed: send that one again? True when answered
        (yes: sent again; no: the failure is let go and a new one is written)."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Message not sent"),
                          subst(self.tr("The message to %1 was not sent: %2\n\nSend the same "
                                        "message again?"), row.client_name,
                                text_for(failed.error_code or "", failed.error_values,
                                         str(failed.error_values.get("detail", "")))),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                          | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Send it again"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Write a new one"))
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Cancel:
            return True
        if answer == QMessageBox.StandardButton.No:  # kept on the card as let go
            self.ops.run(self, lambda s: sending.dismiss(s, failed.id), source=self)
            self.model.failed_messages.pop(row.client_id, None)
            return False
        db, clock, mid = self.ops.db, self._clock, failed.id

        def work(_job):
            return sending.BatchResult([sending.retry(db, mid, clock=clock)])

        job = self.ops.submit_task(self, work, label=self.tr("Sending the message again"),
                                   on_done=lambda result: (announce_sent(
                                       self.ops, result.client_ids),
                                       self._messages_sent(result)))
        show_progress(self, self.ops.executor, job)
        return True

    def _messages_sent(self, result) -> None:
        if not isValid(self):
            return
        self.notice.setText(result_text(result))
        self._after_message(set(result.client_ids))

    def _after_message(self, client_ids: set[int]) -> None:
        """The rows of these clients read again, with their failed messages."""
        if not isValid(self) or not client_ids:
            return
        failed = self.ops.read(lambda s: sending.failed_by_client(s, client_ids))
        for cid in client_ids:
            self.model.failed_messages.pop(cid, None)
        self.model.failed_messages.update(failed)
        self._update_clients(set(client_ids))

    def _open_selected_client(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.kind == TaskKind.QUARTERLY_REVIEW:
            self.quarterly_review_requested.emit()
        elif row.kind == TaskKind.COMPLAINT_REVIEW:
            self.open_complaint()  # the review is done in the complaint itself
        elif row.client_id is not None:
            self.client_open_requested.emit(row.client_id)

    def _on_table_activated(self, _index: QModelIndex) -> None:
        self._open_selected_client()



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
