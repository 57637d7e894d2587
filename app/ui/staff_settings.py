"""Settings → Staff: who works here and in which role (the role sets how much
compensation a person may give on their own). People are never deleted, because calls
and complaints name them; somebody who leaves is made inactive."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import palette
from app.errors import DomainError
from app.models.enums import StaffRole
from app.services import settings as settings_service
from app.services import staff as staff_service
from app.services.staff import StaffRow
from app.text import subst
from app.ui.labels import role_label  # noqa: F401 - shared, here since it began
from app.ui.messages import error_text
from app.ui.ops import Changes, Concern, Ops
from app.ui.refresh import RefreshGate
from app.ui.widgets import ErrorLabel, enum_or_none


class StaffColumn(IntEnum):
    NAME = 0
    ROLE = 1
    ACTIVE = 2
    PASSWORD = 3  # signs in with a password (issue 17): shown, set with its button


ROLES = (StaffRole.OWNER, StaffRole.MANAGER, StaffRole.RECEPTIONIST)
_ERROR_BACKGROUND = QColor(palette.ERROR_BACKGROUND)


class StaffSettings(QWidget):
    saved = Signal()

    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._with_password: set[int] = set()
        note = QLabel(self.tr(
            "The people who call clients and handle complaints. Owners may approve any "
            "compensation. Nobody is ever deleted, because calls and complaints name them: "
            "untick Active when somebody leaves."))
        note.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("staffTable")
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role"), self.tr("Active"),
                                              self.tr("Password")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(StaffColumn.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(StaffColumn.ROLE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(StaffColumn.ACTIVE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(StaffColumn.PASSWORD, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._on_item_changed)
        self.error = ErrorLabel()
        self.add_button = QPushButton(self.tr("Add person"))
        self.add_button.setObjectName("addStaffButton")
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveStaffButton")
        self.password_button = QPushButton(self.tr("Set a password…"))
        self.password_button.setObjectName("setPasswordButton")
        self.status = QLabel()
        if ops.db.on_server:
            self.logins = None
            logins_note = QLabel(self.tr("On the office server everyone signs in with their "
                                         "own password."))
        else:
            self.logins = QCheckBox(self.tr("Everyone signs in with a password on this PC"))
            self.logins.setObjectName("loginsCheck")
            self.logins.toggled.connect(self._set_logins)
            logins_note = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.password_button)
        buttons.addWidget(self.status, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(note)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.error)
        lay.addLayout(buttons)
        lay.addWidget(self.logins if self.logins is not None else logins_note)
        self.password_button.clicked.connect(self.set_password)
        self.add_button.clicked.connect(self.add_person)
        self.save_button.clicked.connect(self.save)
        # a change made elsewhere (a restore) shows the stored staff when next shown
        self.gate = RefreshGate(self, ops.bus, (Concern.STAFF,), self._refresh, skip_own=True)
        self.load()

    # ------------------------------------------------------------------ rows

    def _append(self, row: StaffRow) -> int:
        r = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(r)
        name = QTableWidgetItem(row.name)
        name.setData(Qt.ItemDataRole.UserRole, row.id)
        self.table.setItem(r, StaffColumn.NAME, name)
        active = QTableWidgetItem()
        active.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                        | Qt.ItemFlag.ItemIsSelectable)
        active.setCheckState(Qt.CheckState.Checked if row.active else Qt.CheckState.Unchecked)
        self.table.setItem(r, StaffColumn.ACTIVE, active)
        signs_in = QTableWidgetItem(self.tr("yes") if row.id in self._with_password else "")
        signs_in.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.table.setItem(r, StaffColumn.PASSWORD, signs_in)
        self.table.blockSignals(False)
        combo = QComboBox()
        for role in ROLES:
            combo.addItem(role_label(role), role.value)
        combo.setCurrentIndex(max(0, combo.findData(StaffRole(row.role).value)))
        combo.currentIndexChanged.connect(self._mark_dirty)
        self.table.setCellWidget(r, StaffColumn.ROLE, combo)
        self._style_row(r)
        return r

    def role_combo(self, r: int) -> QComboBox:
        return self.table.cellWidget(r, StaffColumn.ROLE)

    def rows(self) -> list[StaffRow]:
        out = []
        for r in range(self.table.rowCount()):
            name = self.table.item(r, StaffColumn.NAME)
            out.append(StaffRow(
                id=name.data(Qt.ItemDataRole.UserRole),
                name=name.text(),
                role=enum_or_none(StaffRole, self.role_combo(r).currentData()),
                active=self.table.item(r, StaffColumn.ACTIVE).checkState() == Qt.CheckState.Checked))
        return out

    def _style_row(self, r: int, error: bool = False) -> None:
        """Inactive people are greyed; a name with an error is tinted."""
        name, active = self.table.item(r, StaffColumn.NAME), self.table.item(r, StaffColumn.ACTIVE)
        if name is None or active is None:
            return
        self.table.blockSignals(True)
        inactive = active.checkState() != Qt.CheckState.Checked
        name.setForeground(QBrush(self.palette().placeholderText().color()) if inactive
                           else QBrush())
        name.setBackground(QBrush(_ERROR_BACKGROUND) if error else QBrush())
        self.table.blockSignals(False)

    # ------------------------------------------------------------------ actions

    def load(self) -> None:
        from app.services import auth  # lazy: argon2 only where it is needed
        people = self.ops.read(staff_service.list_staff)
        self._with_password = {p.staff_id for p in self.ops.read(auth.people_who_sign_in)}
        if self.logins is not None:
            self.logins.blockSignals(True)
            self.logins.setChecked(bool(self.ops.read(
                lambda s: settings_service.get(s, auth.SETTING))))
            self.logins.blockSignals(False)
        self.table.setRowCount(0)
        for row in people:
            self._append(row)
        self.error.set_error(None)
        self.status.clear()

    def add_person(self) -> None:
        r = self._append(StaffRow(id=None, name="", role=StaffRole.RECEPTIONIST, active=True))
        self.table.setCurrentCell(r, StaffColumn.NAME)
        self.table.scrollToItem(self.table.item(r, StaffColumn.NAME))
        self.table.editItem(self.table.item(r, StaffColumn.NAME))
        self._mark_dirty()

    def _commit_open_editor(self) -> None:
        """A name still being typed counts (Save clicked without pressing Enter)."""
        if self.table.state() != QAbstractItemView.State.EditingState:
            return
        editor = self.table.indexWidget(self.table.currentIndex())
        if editor is not None:
            self.table.commitData(editor)
            self.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def save(self) -> bool:
        self._commit_open_editor()
        self.status.clear()  # an earlier "Saved." must not stand beside a refusal
        self.error.set_error(None)
        for r in range(self.table.rowCount()):
            self._style_row(r)
        rows = self.rows()
        try:
            self.ops.run(self, lambda s: staff_service.save_staff(s, rows), source=self, raise_domain=True)
        except DomainError as exc:
            self._show_error(exc)
            return False
        self.load()
        self.status.setText(self.tr("Saved."))
        self.saved.emit()
        return True

    def set_password(self) -> None:
        """A password for the chosen person (saved first: a new row has no id yet)."""
        r = self.table.currentRow()
        item = self.table.item(r, StaffColumn.NAME) if r >= 0 else None
        staff_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if staff_id is None:
            self.error.set_error(self.tr("Choose a saved person in the list first."))
            return
        from app.ui.sign_in import PasswordDialog  # lazy: argon2 only where it is needed
        name = item.text()
        if PasswordDialog(self.ops.db, staff_id, name, self).exec():
            self.load()
            self.status.setText(subst(self.tr("%1 can sign in now."), name))

    def _set_logins(self, on: bool) -> None:
        from app.services import auth
        self.error.set_error(None)
        try:
            self.ops.run(self, lambda s: auth.set_logins(s, on), source=self, raise_domain=True)
        except DomainError as exc:
            self.error.set_error(error_text(exc))
            self.logins.blockSignals(True)
            self.logins.setChecked(not on)
            self.logins.blockSignals(False)
            return
        self.status.setText(self.tr("Everyone signs in from the next start.") if on
                            else self.tr("Nobody needs to sign in from the next start."))

    def _show_error(self, exc: DomainError) -> None:
        self.error.set_error(error_text(exc))
        self.status.setText(self.tr("Nothing was saved."))
        first = None
        for e in getattr(exc, "errors", []):
            if e.field.startswith("name:"):
                r = int(e.field.split(":", 1)[1])
                self._style_row(r, error=True)
                first = r if first is None else first
        if first is not None:
            # current (for typing) but not selected, so the tint stays visible
            self.table.clearSelection()
            self.table.selectionModel().setCurrentIndex(
                self.table.model().index(first, StaffColumn.NAME), QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.scrollToItem(self.table.item(first, StaffColumn.NAME))

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == StaffColumn.ACTIVE:
            self._style_row(item.row())
        self._mark_dirty()

    def _mark_dirty(self, *_args) -> None:
        self.status.setText(self.tr("Not saved yet."))

    def _refresh(self, _changes: Changes) -> None:
        self.load()
