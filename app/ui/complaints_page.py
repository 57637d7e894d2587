"""The Complaints page: every complaint with its status, age and times, overdue first
responses in red, filters by status and category; and the Lessons every user can read
and search."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import palette
from app.models.enums import ComplaintStatus
from app.services import clients as client_service
from app.services import complaints as complaint_service
from app.text import subst
from app.ui.complaint_dialog import open_complaint_dialog, severity_label, status_label
from app.ui.formatting import fmt_date, fmt_datetime
from app.ui.ops import Changes, Concern, Ops
from app.ui.refresh import RefreshGate
from app.ui.widgets import ClientPicker, ErrorLabel, hint_label, make_table

OVERDUE = QColor(palette.ERROR)


def _item(text: str, data: int | None = None) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        it.setData(Qt.ItemDataRole.UserRole, data)
    return it


class ComplaintsTab(IntEnum):
    LIST = 0
    LESSONS = 1  # the lessons learnt from closed complaints

class ComplaintsPage(QWidget):
    def __init__(self, ops: Ops, parent=None,
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.clock = clock or datetime.now
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
        self.table = make_table([self.tr("Opened"), self.tr("Client"), self.tr("Category"),
                             self.tr("Severity"), self.tr("Status"), self.tr("Age"),
                             self.tr("First response"), self.tr("Resolution")],
                            "complaintsTable")
        self.table.setWordWrap(False)
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
        self.table.itemActivated.connect(lambda _it: self.open_selected())
        return w

    def _hours_text(self, hours: float | None) -> str:
        if hours is None:
            return "—"
        if hours < 48:
            return subst(self.tr("%1 h"), self.locale().toString(hours, "f", 1))
        return subst(self.tr("%1 d"), self.locale().toString(hours / 24, "f", 1))

    def reload(self) -> None:
        chosen = self.status_filter.currentData()
        status = None if chosen in (None, "not_closed") else ComplaintStatus(chosen)
        category = self.category_filter.currentData()
        now = self.clock()

        def work(s):
            return (complaint_service.complaint_rows(s, now=now, status=status, category=category),
                    complaint_service.categories(s))

        rows, cats = self.ops.read(work)
        if chosen == "not_closed":
            rows = [r for r in rows if r.status not in complaint_service.CLOSED]
        self._fill_categories(cats)
        selected = self.selected_id()
        loc = self.locale()
        t = self.table
        t.setRowCount(0)
        bold = QFont()
        bold.setBold(True)
        for r in rows:
            n = t.rowCount()
            t.insertRow(n)
            age = (now - r.opened_at).total_seconds() / 3600
            cells = [fmt_datetime(r.opened_at, loc), r.client_name, r.category,
                     severity_label(r.severity), status_label(r.status),
                     self._hours_text(age),
                     self._hours_text(r.first_response_hours)
                     if r.first_response_hours is not None else self.tr("waiting"),
                     self._hours_text(r.resolution_hours)]
            for col, text in enumerate(cells):
                it = _item(text, r.id if col == 0 else None)
                if r.response_overdue and r.status not in complaint_service.CLOSED and col in (0, 6):
                    it.setForeground(QBrush(OVERDUE))
                    it.setFont(bold)
                    it.setToolTip(self.tr("First response overdue"))
                t.setItem(n, col, it)
            if r.id == selected:
                t.selectRow(n)
        open_count = sum(r.status not in complaint_service.CLOSED for r in rows)
        overdue = sum(r.response_overdue and r.status not in complaint_service.CLOSED for r in rows)
        self.summary.setText(subst(self.tr("%1 shown · %2 not closed · %3 waiting too long "
                                     "for a first response"), len(rows), open_count, overdue))
        t.resizeColumnsToContents()  # the headers' length differs by language
        if t.currentRow() < 0 and t.rowCount():
            t.selectRow(0)

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
        row = self.table.currentRow()
        it = self.table.item(row, 0) if row >= 0 else None
        return it.data(Qt.ItemDataRole.UserRole) if it else None

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
        self.lessons_table = make_table([self.tr("Opened"), self.tr("Client"), self.tr("Category"),
                                     self.tr("What went wrong"),
                                     self.tr("How it was put right"), self.tr("The lesson")],
                                    "lessonsTable")
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
        self.lessons_table.itemActivated.connect(self._open_lesson)
        return w

    def reload_lessons(self) -> None:
        text = self.lesson_search.text()
        rows = self.ops.read(lambda s: complaint_service.lessons(s, text))
        t = self.lessons_table
        t.setRowCount(0)
        loc = self.locale()
        for r in rows:
            n = t.rowCount()
            t.insertRow(n)
            for col, value in enumerate((fmt_date(r.opened_at.date(), loc), r.client_name,
                                         r.category, r.what_went_wrong, r.how_put_right,
                                         r.lesson)):
                t.setItem(n, col, _item(value, r.complaint_id if col == 0 else None))
        t.resizeRowsToContents()
        self.lessons_count.setText(self.tr("%n lesson(s)", "", len(rows)))

    def _open_lesson(self, item: QTableWidgetItem) -> None:
        first = self.lessons_table.item(item.row(), 0)
        if first is not None:
            self.dialog = open_complaint_dialog(self, self.ops,
                                                complaint_id=first.data(Qt.ItemDataRole.UserRole))

    def _refresh(self, _changes: Changes) -> None:
        self.reload()
        self.reload_lessons()

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
