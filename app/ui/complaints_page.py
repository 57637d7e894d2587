"""The Complaints page: every complaint with its status, age and times, overdue first
responses in red, filters by status and category; and the Lessons every user can read
and search."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app import palette
from app.errors import DomainError
from app.models.enums import ComplaintStatus
from app.services import clients as client_service
from app.services import complaints as complaint_service
from app.text import subst
from app.ui.complaint_dialog import open_complaint_dialog, severity_label, status_label
from app.ui.formatting import fmt_date, fmt_datetime
from app.ui.ops import Changes, Concern, Ops, show_error
from app.ui.refresh import RefreshGate
from app.ui.widgets import ClientPicker, ErrorLabel, hint_label

OVERDUE = QColor(palette.ERROR)
LESSON_ROWS_FITTED = 200  # more lessons than this keep a set height (fitting each is slow)
Index = QModelIndex | QPersistentModelIndex


class ComplaintColumn(IntEnum):
    OPENED = 0
    CLIENT = 1
    CATEGORY = 2
    SEVERITY = 3
    STATUS = 4
    AGE = 5
    FIRST_RESPONSE = 6
    RESOLUTION = 7


# where the list is wider than the page, the columns that give way (their text cut with
# "…", whole in the tooltip), each down to GIVE_WAY_FLOOR; the dates and hours stay whole
GIVE_WAY = (ComplaintColumn.STATUS, ComplaintColumn.CATEGORY, ComplaintColumn.CLIENT)
GIVE_WAY_FLOOR = 110


class LessonColumn(IntEnum):
    OPENED = 0
    CLIENT = 1
    CATEGORY = 2
    WRONG = 3
    PUT_RIGHT = 4
    LESSON = 5


class ComplaintsTab(IntEnum):
    LIST = 0
    LESSONS = 1  # the lessons learnt from closed complaints


def _late(r: complaint_service.ComplaintRow) -> bool:
    return r.response_overdue and r.status not in complaint_service.CLOSED


class _RowsModel(QAbstractTableModel):
    """Rows read on the executor, shown in a table whose columns are ``columns`` (an
    IntEnum) and whose headings the page's ``headers_attr`` holds; subclasses word the
    cells in ``data`` only when they are painted."""

    columns: type = IntEnum
    headers_attr = ""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.page = parent
        self.rows: list = []

    def _reset(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role not in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None  # the tooltip: the whole title of a column made narrow
        names = getattr(self.page, self.headers_attr)
        return names[section] if 0 <= section < len(names) else None

    def row_at(self, index: Index):
        """The row of a valid index, or None."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        return self.rows[index.row()]


class ComplaintListModel(_RowsModel):
    """The complaints read on the executor; each cell is worded only when painted (at
    thousands of complaints a widget item per cell froze the window for seconds)."""

    columns = ComplaintColumn
    headers_attr = "list_headers"

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.now = datetime.now()
        self.bold = QFont()
        self.bold.setBold(True)

    def set_rows(self, rows: list[complaint_service.ComplaintRow], now: datetime) -> None:
        self.now = now
        self._reset(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        r = self.row_at(index)
        if r is None:
            return None
        col = index.column()
        marked = col in (ComplaintColumn.OPENED, ComplaintColumn.FIRST_RESPONSE) and _late(r)
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(OVERDUE) if marked else None
        if role == Qt.ItemDataRole.FontRole:
            return self.bold if marked else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if marked:
                return self.page.overdue_tip
            if col in GIVE_WAY:  # a column that may be cut to fit: its text whole
                return self.data(index)
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        hours = self.page.hours_text
        if col == ComplaintColumn.OPENED:
            return fmt_datetime(r.opened_at, self.page.locale())
        if col == ComplaintColumn.CLIENT:
            return r.client_name
        if col == ComplaintColumn.CATEGORY:
            return r.category
        if col == ComplaintColumn.SEVERITY:
            return severity_label(r.severity)
        if col == ComplaintColumn.STATUS:
            return status_label(r.status)
        if col == ComplaintColumn.AGE:
            return hours((self.now - r.opened_at).total_seconds() / 3600)
        if col == ComplaintColumn.FIRST_RESPONSE:
            if r.first_response_hours is None:
                return self.page.waiting_text
            return hours(r.first_response_hours)
        if col == ComplaintColumn.RESOLUTION:
            return hours(r.resolution_hours)
        return None


class LessonModel(_RowsModel):
    """The lessons read on the executor, worded when painted."""

    columns = LessonColumn
    headers_attr = "lesson_headers"

    def set_rows(self, rows: list[complaint_service.LessonRow]) -> None:
        self._reset(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        r = self.row_at(index)
        if r is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return r.complaint_id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if col == LessonColumn.OPENED:
            return fmt_date(r.opened_at.date(), self.page.locale())
        if role == Qt.ItemDataRole.ToolTipRole and len(self.rows) <= LESSON_ROWS_FITTED:
            return None  # every row is fitted to its text: nothing hidden to show
        values = (None, r.client_name, r.category, r.what_went_wrong, r.how_put_right,
                  r.lesson)
        return values[col] if 0 <= col < len(values) else None


def _view(model: QAbstractTableModel, name: str) -> QTableView:
    """A read-only table of whole rows, one selectable at a time (as make_table)."""
    t = QTableView()
    t.setObjectName(name)
    t.setModel(model)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().hide()
    t.setAlternatingRowColors(True)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class ComplaintsPage(QWidget):
    def __init__(self, ops: Ops, parent=None,
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.clock = clock or datetime.now
        self._generation = 0  # an older answer never overwrites a newer one
        self._lesson_generation = 0
        self._loading = False
        self._lessons_loading = False
        # the models' words, in the page's translation context
        self.list_headers = [self.tr("Opened"), self.tr("Client"), self.tr("Category"),
                             self.tr("Severity"), self.tr("Status"), self.tr("Age"),
                             self.tr("First response"), self.tr("Resolution")]
        self.lesson_headers = [self.tr("Opened"), self.tr("Client"), self.tr("Category"),
                               self.tr("What went wrong"), self.tr("How it was put right"),
                               self.tr("The lesson")]
        self.waiting_text = self.tr("waiting")
        self.overdue_tip = self.tr("First response overdue")
        self.tabs = QTabWidget()
        self.tabs.insertTab(ComplaintsTab.LIST, self._list_tab(), self.tr("Complaints"))
        self.tabs.insertTab(ComplaintsTab.LESSONS, self._lessons_tab(), self.tr("Lessons"))
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.reload_lessons)
        # a change while hidden is read when shown; showing reads anyway (the clock)
        self.gate = RefreshGate(self, ops.bus, (Concern.COMPLAINTS,), self._refresh)
        self.reload()

    @property
    def loading(self) -> bool:
        """The complaints or the lessons are being read on the database executor."""
        return self._loading or self._lessons_loading

    # ------------------------------------------------------------------ the list
    def _list_tab(self) -> QWidget:
        w = QWidget()
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("All statuses"), None)
        self.status_filter.addItem(self.tr("Not closed"), "not_closed")
        for st in ComplaintStatus:
            self.status_filter.addItem(status_label(st), st)
        self.category_filter = QComboBox()
        self.category_filter.setObjectName("categoryFilter")
        # the categories arrive after the first show: the box follows their length
        self.category_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.category_filter.addItem(self.tr("All categories"), None)
        self.new_button = QPushButton(self.tr("New complaint…"))
        self.open_button = QPushButton(self.tr("Open"))
        self.summary = QLabel()
        self.summary.setObjectName("complaintsSummary")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Status")))
        bar.addWidget(self.status_filter)
        bar.addWidget(QLabel(self.tr("Category")))
        bar.addWidget(self.category_filter)
        bar.addStretch(1)
        bar.addWidget(self.new_button)
        bar.addWidget(self.open_button)
        self.model = ComplaintListModel(self)
        self.table = _view(self.model, "complaintsTable")
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.horizontalHeader().setMinimumSectionSize(40)
        self.table.horizontalHeader().setDefaultSectionSize(60)  # the stretched last one
        self.table.viewport().installEventFilter(self)
        lay = QVBoxLayout(w)
        lay.addLayout(bar)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        note = hint_label(self.tr("Red: no first response within the set hours "
                                  "(Settings, Rules). Enter opens a complaint."))
        lay.addWidget(note)
        self.status_filter.currentIndexChanged.connect(self.reload)
        self.category_filter.currentIndexChanged.connect(self.reload)
        self.new_button.clicked.connect(self.new_complaint)
        self.open_button.clicked.connect(self.open_selected)
        self.table.activated.connect(lambda _ix: self.open_selected())
        return w

    def hours_text(self, hours: float | None) -> str:
        if hours is None:
            return "—"
        if hours < 48:
            return subst(self.tr("%1 h"), self.locale().toString(hours, "f", 1))
        return subst(self.tr("%1 d"), self.locale().toString(hours / 24, "f", 1))

    def reload(self, with_lessons: bool = False) -> None:
        """Read the complaints (and the categories used) on the database executor, in
        one query each, and show them when they arrive; the rows shown stay until then.
        ``with_lessons``: the lessons too, in the same job, so the rows are shown while
        the executor is idle (a read running beside the view's painting slows it)."""
        chosen = self.status_filter.currentData()
        status = None if chosen in (None, "not_closed") else ComplaintStatus(chosen)
        category = self.category_filter.currentData()
        now = self.clock()
        text = self.lesson_search.text()
        self._generation += 1
        generation = self._generation
        if with_lessons:
            self._lesson_generation += 1
            self._lessons_loading = True
        lesson_generation = self._lesson_generation

        def work(s, _job):
            rows = complaint_service.complaint_rows(s, now=now, status=status,
                                                    category=category)
            if chosen == "not_closed":
                rows = [r for r in rows if r.status not in complaint_service.CLOSED]
            found = complaint_service.lessons(s, text) if with_lessons else None
            return rows, complaint_service.categories(s), found

        def done(result) -> None:
            if not isValid(self):
                return
            rows, cats, found = result
            if with_lessons and lesson_generation == self._lesson_generation:
                self._lessons_loading = False
                self._show_lessons(found)
            if generation == self._generation:
                self._loading = False
                self._show(rows, cats, now)

        def failed(exc: DomainError) -> None:
            if not isValid(self):
                return
            if with_lessons and lesson_generation == self._lesson_generation:
                self._lessons_loading = False
            if generation == self._generation:
                self._loading = False
                show_error(self, exc)

        self._loading = True
        self.ops.submit(self, work, label=self.tr("Reading the complaints"), write=False,
                        on_done=done, on_error=failed)

    def _show(self, rows: list[complaint_service.ComplaintRow], cats: list[str],
              now: datetime) -> None:
        self._fill_categories(cats)
        selected = self.selected_id()
        self.model.set_rows(rows, now)
        open_count = sum(r.status not in complaint_service.CLOSED for r in rows)
        overdue = sum(_late(r) for r in rows)
        self.summary.setText(subst(self.tr("%1 shown · %2 not closed · %3 waiting too long "
                                     "for a first response"), len(rows), open_count, overdue))
        self._fit_columns()
        row = next((i for i, r in enumerate(rows) if r.id == selected), 0 if rows else -1)
        if row >= 0:
            self.table.selectRow(row)

    def _fit_columns(self, sample: int = 60) -> None:
        """Each column as wide as its header (its length differs by language) and the
        first rows' text; measured here, not by Qt over hundreds of rows (each cell a
        call into Python). Wider than the view together (ru, bg at 1280x720): the status,
        the category and the client give way, in proportion, each to GIVE_WAY_FLOOR, then
        the titles wider than their values: no sideways scrollbar."""
        m, header = self.model, self.table.horizontalHeader()
        plain, bold = self.table.fontMetrics(), QFontMetrics(m.bold)
        titles_bold = QFont(header.font())
        titles_bold.setBold(True)  # the style may draw the titles in bold
        titles = QFontMetrics(titles_bold)
        widths, values = {}, {}
        for col in ComplaintColumn:
            fm = bold if col in (ComplaintColumn.OPENED, ComplaintColumn.FIRST_RESPONSE) else plain
            value = 40
            for row in range(min(sample, len(m.rows))):
                value = max(value, fm.horizontalAdvance(m.data(m.index(row, col)) or "") + 16)
            values[col] = value
            widths[col] = max(value, titles.horizontalAdvance(
                m.headerData(col, Qt.Orientation.Horizontal)) + 24)
        over = sum(widths.values()) - self.table.viewport().width()
        for floor in ({c: GIVE_WAY_FLOOR for c in GIVE_WAY},
                      {c: values[c] for c in ComplaintColumn if c not in GIVE_WAY}):
            slack = {c: max(0, widths[c] - f) for c, f in floor.items()}
            total = sum(slack.values())
            if over <= 0 or not total:
                continue
            share = min(over, total)
            for c, s in slack.items():
                take = min(s, -(-share * s // total))
                widths[c] -= take
                over -= take
        for col, width in widths.items():
            header.resizeSection(col, width)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize \
                and event.size().width() != event.oldSize().width():
            self._fit_columns()  # the window resized, the vertical scrollbar came or went
        return super().eventFilter(watched, event)

    def _fill_categories(self, cats: list[str]) -> None:
        current = self.category_filter.currentData()
        self.category_filter.blockSignals(True)
        self.category_filter.clear()
        self.category_filter.addItem(self.tr("All categories"), None)
        for c in cats:
            self.category_filter.addItem(c, c)
        self.category_filter.setCurrentIndex(max(0, self.category_filter.findData(current)))
        self.category_filter.blockSignals(False)

    def selected_id(self) -> int | None:
        row = self.table.currentIndex().row()
        if not 0 <= row < len(self.model.rows):
            return None
        return self.model.rows[row].id

    def open_selected(self) -> None:
        cid = self.selected_id()
        if cid is not None:
            self.dialog = open_complaint_dialog(self, self.ops, complaint_id=cid)

    def new_complaint(self) -> None:
        client_id = PickClientDialog.ask(
            self, lambda text: self.ops.read(lambda s: client_service.client_choices(s, text)))
        if client_id is not None:
            self.dialog = open_complaint_dialog(self, self.ops, client_id=client_id)

    # ------------------------------------------------------------------ lessons
    def _lessons_tab(self) -> QWidget:
        w = QWidget()
        self.lesson_search = QLineEdit()
        self.lesson_search.setObjectName("lessonSearch")
        self.lesson_search.setPlaceholderText(self.tr("Search the lessons: a word of the "
                                                      "complaint, the fix or the lesson"))
        self.lesson_search.setClearButtonEnabled(True)
        self.lessons_model = LessonModel(self)
        self.lessons_table = _view(self.lessons_model, "lessonsTable")
        self.lessons_table.setWordWrap(True)
        header = self.lessons_table.horizontalHeader()
        for col, width in enumerate((90, 150, 120, 240, 240)):
            header.resizeSection(col, width)
        self.lessons_count = QLabel()
        lay = QVBoxLayout(w)
        lay.addWidget(self.lesson_search)
        lay.addWidget(self.lessons_count)
        lay.addWidget(self.lessons_table, 1)
        self.lesson_search.textChanged.connect(lambda _t: self._search_timer.start())
        self.lessons_table.activated.connect(self._open_lesson)
        return w

    def reload_lessons(self) -> None:
        """Search the lessons on the database executor; the newest search wins."""
        text = self.lesson_search.text()
        self._lesson_generation += 1
        generation = self._lesson_generation

        def done(rows) -> None:
            if generation != self._lesson_generation or not isValid(self):
                return
            self._lessons_loading = False
            self._show_lessons(rows)

        def failed(exc: DomainError) -> None:
            if generation == self._lesson_generation and isValid(self):
                self._lessons_loading = False
                show_error(self, exc)

        self._lessons_loading = True
        self.ops.submit(self, lambda s, _job: complaint_service.lessons(s, text),
                        label=self.tr("Searching the lessons"), write=False,
                        on_done=done, on_error=failed)

    def _show_lessons(self, rows: list[complaint_service.LessonRow]) -> None:
        self.lessons_model.set_rows(rows)
        t = self.lessons_table
        if len(rows) <= LESSON_ROWS_FITTED:
            t.resizeRowsToContents()
        else:  # three lines each; the whole text is in the tooltip
            t.verticalHeader().setDefaultSectionSize(t.fontMetrics().lineSpacing() * 3 + 6)
        self.lessons_count.setText(self.tr("%n lesson(s)", "", len(rows)))

    def _open_lesson(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self.lessons_model.rows):
            self.dialog = open_complaint_dialog(
                self, self.ops, complaint_id=self.lessons_model.rows[index.row()].complaint_id)

    def _refresh(self, _changes: Changes) -> None:
        self.reload(with_lessons=True)  # one job: both lists shown while the executor rests

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.gate.mark_stale()  # ages and overdue marks move with the clock: one read


class PickClientDialog(QDialog):
    """Which client is complaining?"""

    def __init__(self, parent: QWidget | None, search) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New complaint"))
        self.picker = ClientPicker(search)
        self.picker.setObjectName("complaintClientPicker")
        self.picker.setPlaceholderText(self.tr("Type part of the client's name or phone"))
        self.error = ErrorLabel()
        form = QFormLayout(self)
        form.addRow(self.tr("Client"), self.picker)
        form.addRow("", self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(460, 120)

    def _on_accepted(self) -> None:
        if self.picker.client_id() is None:
            self.error.set_error(self.tr("Pick the client from the suggestions."))
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, search) -> int | None:
        dlg = cls(parent, search)
        try:
            return dlg.picker.client_id() if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()
