"""Small shared widgets: a field-error label, a date that may be empty, a client picker,
a grey hint line and a read-only table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QCompleter, QDateEdit, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QTableWidget, QWidget,
)

from app.ui.formatting import pydate, qdate


class ErrorLabel(QLabel):
    """A red message under a field; hidden while there is nothing to say."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setStyleSheet("color: #b91c1c;")
        self.setWordWrap(True)
        self.hide()

    def set_error(self, text: str | None) -> None:
        self.setText(text or "")
        self.setVisible(bool(text))


def date_edit(value: date | None = None) -> QDateEdit:
    w = QDateEdit()
    w.setCalendarPopup(True)
    w.setDisplayFormat(w.locale().dateFormat(w.locale().FormatType.ShortFormat)
                       .replace("yy", "yyyy").replace("yyyyyyyy", "yyyy"))
    w.setDate(qdate(value or date.today()))
    return w


class OptionalDate(QWidget):
    """A date that can be left empty (a checkbox turns it on)."""

    changed = Signal()

    def __init__(self, label: str, value: date | None = None, parent=None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label)
        self.edit = date_edit(value)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.check)
        lay.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.set_value(value)

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        if value is not None:
            self.edit.setDate(qdate(value))

    def value(self) -> date | None:
        return pydate(self.edit.date()) if self.check.isChecked() else None


class ClientPicker(QLineEdit):
    """Type part of a name, pick a client from the suggestions; empty = nobody."""

    def __init__(self, search: Callable[[str], list[tuple[int, str]]], parent=None) -> None:
        super().__init__(parent)
        self._search = search
        self._choices: dict[str, int] = {}
        self._id: int | None = None
        self._model = QStringListModel(self)
        comp = QCompleter(self._model, self)
        comp.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        comp.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(comp)
        self.setClearButtonEnabled(True)
        self.textEdited.connect(self._on_text_edited)
        comp.activated.connect(self._on_completer_activated)

    def _on_text_edited(self, text: str) -> None:
        self._id = None
        if len(text.strip()) >= 2:
            found = self._search(text)
            self._choices = {f"{name} (#{cid})": cid for cid, name in found}
            self._model.setStringList(list(self._choices))

    def _on_completer_activated(self, text: str) -> None:
        self._id = self._choices.get(text)

    def set_client(self, client_id: int | None, name: str) -> None:
        self._id = client_id
        self.setText(f"{name} (#{client_id})" if client_id else "")

    def client_id(self) -> int | None:
        if not self.text().strip():
            return None
        if self._id is None:
            self._id = self._choices.get(self.text())
        return self._id

    def is_unresolved(self) -> bool:
        return bool(self.text().strip()) and self.client_id() is None


def enum_or_none(cls, value):
    """Qt hands back a plain str for an enum stored as a combo box's item data."""
    return None if value is None else cls(value)


def qdate_or_none(q: QDate | None) -> date | None:
    return pydate(q) if q is not None and q.isValid() else None


def hint_label(text: str = "") -> QLabel:
    """A grey explanatory line under a form: what a field or a button will do."""
    lab = QLabel(text)
    lab.setWordWrap(True)
    lab.setStyleSheet("color: #555;")
    return lab


def make_table(headers: list[str], name: str, *, fit_columns: bool = False) -> QTableWidget:
    """A read-only table of whole rows, one selectable at a time."""
    t = QTableWidget(0, len(headers))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(headers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().hide()
    t.setAlternatingRowColors(True)
    t.horizontalHeader().setStretchLastSection(True)
    if fit_columns:
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return t
