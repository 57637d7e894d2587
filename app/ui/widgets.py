"""Small shared widgets: a field-error label, the one date field of the app (typed in the
locale's format or picked from a calendar), a date that may be empty, an amount read
back before it is saved, a client picker, a grey hint line and a read-only table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

from PySide6.QtCore import QDate, QDateTime, QLocale, QStringListModel, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableWidget,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from app import palette
from app.errors import DomainError
from app.services.validation import check_amount, read_amount
from app.text import subst
from app.ui.formatting import (
    date_entry_pattern,
    fmt_date_entry,
    fmt_decimal,
    parse_date_input,
    pydate,
    pytime,
    qdate,
    qtime,
)
from app.ui.messages import error_text


class CodedCombo(QComboBox):
    """An editable choice of known entries shown in the user's language, each kept as its
    stable code, or the person's own words kept as typed: "Пришёл сам" keeps
    "walk-in", "the fair in May" keeps "the fair in May". Typing a known entry's label
    (any case) or its code chooses that entry."""

    def __init__(self, codes, label: Callable[[str], str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self._label = label
        self.addItem("", "")
        for code in codes:
            self.addItem(label(code), code)

    def code(self) -> str:
        text = self.currentText().strip()
        if not text:
            return ""
        folded = text.casefold()
        for i in range(1, self.count()):
            code = self.itemData(i)
            if folded in (self.itemText(i).casefold(), code.casefold()):
                return code
        return text

    def set_code(self, value: str | None) -> None:
        index = self.findData(value or "")
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(self._label(value or ""))


class ErrorLabel(QLabel):
    """A red message under a field; hidden while there is nothing to say."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setStyleSheet(f"color: {palette.ERROR};")
        self.setWordWrap(True)
        self.hide()

    def set_error(self, text: str | None) -> None:
        self.setText(text or "")
        self.setVisible(bool(text))


# a line edit's frame and text margins on both sides, and a pixel to spare: what it needs
# beyond its text's advance for the text to show whole
DATE_TEXT_MARGIN = 16


def fit_placeholder(edit: QLineEdit, cap: int = 330) -> None:
    """A text field wide enough for its hint shown while empty (up to ``cap`` pixels:
    the dialog grows by its content), the whole hint in its tooltip in case it is cut."""
    hint = edit.placeholderText()
    if not hint:
        return
    edit.setMinimumWidth(min(cap, edit.fontMetrics().horizontalAdvance(hint)
                             + DATE_TEXT_MARGIN))
    if not edit.toolTip():
        edit.setToolTip(hint)


class DateEntry(QWidget):
    """The app's one date field: the date is typed in the locale's short format (1- or
    2-digit day and month, 4-digit year) or as ISO yyyy-mm-dd, or picked from the
    calendar button. What is typed is read exactly or refused: an impossible date
    ("31.02.2026") shows a red message under the field and ``value()`` raises, so a form
    never saves a date the user did not mean.

    ``optional``: an empty field is "no date" (``value()`` is None). ``own_error``: the
    field shows its own message when the text is left; a form with its own error label
    per field turns it off and shows what ``value()`` raises."""

    edited = Signal()

    def __init__(self, value: date | None = None, *, optional: bool = False,
                 own_error: bool = True, field: str = "date", parent=None) -> None:
        super().__init__(parent)
        self.optional = optional
        self.field = field
        self.minimum: date | None = None
        self.line = QLineEdit()
        self.line.setObjectName("dateText")
        self.button = QToolButton()
        self.button.setObjectName("dateCalendarButton")
        self.button.setText("▾")
        self.button.setToolTip(self.tr("Pick the date from a calendar"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        menu = QMenu(self.button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._on_menu_about_to_show)
        self.calendar.clicked.connect(self._on_calendar_clicked)
        self.calendar.activated.connect(self._on_calendar_clicked)
        self._menu = menu
        self.button.setMenu(menu)
        self.error = ErrorLabel() if own_error else None
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.line, 1)
        row.addWidget(self.button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(row)
        if self.error is not None:
            lay.addWidget(self.error)
        self.setFocusProxy(self.line)
        self.line.textEdited.connect(self._on_line_text_edited)
        self.line.editingFinished.connect(self._on_line_editing_finished)
        self.set_value(value if value is not None or optional else date.today())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.LocaleChange:
            self._update_placeholder()

    def _update_placeholder(self) -> None:
        # wide enough for the longest date of the locale ("28.12.2026 г.") and for the
        # example shown while empty ("напр. 31.01.2026 г."): neither is ever cut
        longest = fmt_date_entry(date(2026, 12, 28), self.locale())
        example = subst(self.tr("e.g. %1"), fmt_date_entry(date(2026, 1, 31), self.locale()))
        fm = self.line.fontMetrics()
        self.line.setMinimumWidth(max(fm.horizontalAdvance(longest),
                                      fm.horizontalAdvance(example)) + DATE_TEXT_MARGIN)
        self.line.setPlaceholderText(example)
        self.line.setToolTip(subst(self.tr("Type the date as %1, or as 2026-01-31"),
                                   fmt_date_entry(date(2026, 1, 31), self.locale())))

    # -------------------------------------------------------------- value
    def pattern(self) -> str:
        return date_entry_pattern(self.locale())

    def set_value(self, value: date | None) -> None:
        self._update_placeholder()
        self.line.setText(fmt_date_entry(value, self.locale()) if value else "")
        self._show(None)

    def setDate(self, value: date | QDate) -> None:
        self.set_value(pydate(value) if isinstance(value, QDate) else value)

    def set_minimum(self, value: date | None) -> None:
        self.minimum = value

    def value(self) -> date | None:
        """The date typed, or None for an empty optional field; raises DomainError."""
        d = parse_date_input(self.line.text(), self.locale(), field=self.field)
        if d is None and not self.optional:
            raise DomainError("date.required", "a date is required", field=self.field)
        if d is not None and self.minimum is not None and d < self.minimum:
            raise DomainError("date.too_early", "the date is too early", field=self.field,
                              minimum=fmt_date_entry(self.minimum, self.locale()))
        return d

    def check(self) -> bool:
        """Validate now: show the message (if the field has its own) and say if it is fine."""
        try:
            self.value()
        except DomainError as exc:
            self._show(error_text(exc))
            return False
        self._show(None)
        return True

    def _show(self, text: str | None) -> None:
        if self.error is not None:
            self.error.set_error(text)

    # -------------------------------------------------------------- slots
    def _on_line_text_edited(self, _text: str) -> None:
        self.edited.emit()

    def _on_line_editing_finished(self) -> None:
        try:
            d = self.value()
        except DomainError as exc:
            self._show(error_text(exc))
            return
        self._show(None)
        if d is not None:  # show the reading back in the locale's own form
            self.line.setText(fmt_date_entry(d, self.locale()))

    def _on_menu_about_to_show(self) -> None:
        self.calendar.setLocale(self.locale())
        try:
            d = self.value()
        except DomainError:
            d = None
        self.calendar.setSelectedDate(qdate(d or date.today()))

    def _on_calendar_clicked(self, q: QDate) -> None:
        self.set_value(pydate(q))
        self._menu.close()
        self.edited.emit()


class DateTimeEntry(QWidget):
    """A day typed as in DateEntry and a time of day."""

    def __init__(self, value: datetime | None = None, parent=None) -> None:
        super().__init__(parent)
        self.day = DateEntry(value.date() if value else None, field="meeting_at")
        self.time = QTimeEdit()
        self.time.setDisplayFormat("HH:mm")
        if value is not None:
            self.time.setTime(qtime(value.time()))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.day, 1)
        lay.addWidget(self.time, 0, Qt.AlignmentFlag.AlignTop)
        self.setFocusProxy(self.day)

    def setDateTime(self, value: datetime | QDateTime) -> None:
        if isinstance(value, QDateTime):
            q = value
            value = datetime(q.date().year(), q.date().month(), q.date().day(),
                             q.time().hour(), q.time().minute())
        self.day.set_value(value.date())
        self.time.setTime(QTime(value.hour, value.minute))

    def value(self) -> datetime:
        """The day and time; raises DomainError when the day is not a date."""
        d = self.day.value()
        t: time = pytime(self.time.time())
        return datetime.combine(d, t)

    def date_or_none(self) -> date | None:
        try:
            return self.day.value()
        except DomainError:
            return None


class OptionalDate(QWidget):
    """A date that can be left empty (a checkbox turns it on); an empty date with the box
    ticked is None, for the form to refuse where a date is needed."""

    changed = Signal()

    def __init__(self, label: str, value: date | None = None, parent=None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label)
        self.edit = DateEntry(value, optional=True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.check, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.edit.edited.connect(self.changed)
        self.set_value(value)

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.edit.set_value(value)

    def is_on(self) -> bool:
        return self.check.isChecked()

    def value(self) -> date | None:
        """The date when ticked (None if left empty); raises DomainError for a bad date."""
        return self.edit.value() if self.check.isChecked() else None


def read_money(edit: QLineEdit, *, field: str = "amount", allow_negative: bool = False,
               locale: QLocale | None = None) -> Decimal:
    """The amount in ``edit``, read with either decimal separator. A text that could mean
    two amounts ("1,050") is read by the locale's rule, written back in the locale's form
    ("1,050.00") and refused this once, so the user sees the reading before it is saved;
    the same press again saves it. Raises DomainError."""
    loc = locale or edit.locale()
    value, ambiguous = read_amount(edit.text(), loc.decimalPoint(), loc.groupSeparator(),
                                   field=field)
    value = check_amount(value, field=field, allow_negative=allow_negative,
                         shown=edit.text().strip())
    if ambiguous:
        shown = fmt_decimal(value, loc)
        edit.setText(shown)
        raise DomainError("amount.check", "check how the amount was read", field=field,
                          value=shown)
    return value


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


def hint_label(text: str = "") -> QLabel:
    """A grey explanatory line under a form: what a field or a button will do."""
    lab = QLabel(text)
    lab.setWordWrap(True)
    lab.setStyleSheet(f"color: {palette.SECONDARY_TEXT};")
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
