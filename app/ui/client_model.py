"""The client table: a thin Qt adapter over one SQL query.

The model holds only the ordered list of ids that match the search and filters (one query
per keystroke); the shown values are fetched in blocks of rows as the view asks for them.
That keeps the list responsive with 100,000 clients.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app import palette
from app.models.enums import ClientStatus
from app.services import clients as client_service
from app.services import settings as settings_service
from app.services.clients import ClientColumn, ClientQuery, ClientRow
from app.ui import labels
from app.ui.formatting import fmt_date, fmt_money, phone_display
from app.ui.ops import Ops

BLOCK = 200

Index = QModelIndex | QPersistentModelIndex


class ClientTableModel(QAbstractTableModel):
    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._query = ClientQuery()
        self._ids: list[int] = []
        self._rows: dict[int, ClientRow] = {}
        self._rules: client_service.StatusRules | None = None
        self._region = "PL"
        self._currency = "PLN"
        self._locale = QLocale()

    # ------------------------------------------------------------------ loading
    @property
    def query(self) -> ClientQuery:
        return self._query

    def set_query(self, query: ClientQuery) -> None:
        self._query = query
        self.reload()

    def reload(self) -> None:
        def work(s):
            rules = client_service.StatusRules.from_settings(s)
            region = settings_service.get(s, "business.region")
            currency = settings_service.get(s, "business.currency")
            return rules, region, currency, client_service.client_ids(s, self._query, rules, region)

        self.beginResetModel()
        self._rules, self._region, self._currency, self._ids = self._ops.read(work)
        self._rows.clear()
        self.endResetModel()

    def refresh_rows(self) -> None:
        """Forget the cached values (after an edit) without changing the row set."""
        self._rows.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(ClientColumn) - 1))

    def client_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, client_id: int) -> int | None:
        try:
            return self._ids.index(client_id)
        except ValueError:
            return None

    def _row(self, row: int) -> ClientRow | None:
        cid = self._ids[row]
        hit = self._rows.get(cid)
        if hit is None:
            start = max(0, row - BLOCK // 4)
            block = self._ids[start:start + BLOCK]
            rules = self._rules
            assert rules is not None
            self._rows.update(self._ops.read(lambda s: client_service.client_rows(s, block, rules)))
            if len(self._rows) > 20 * BLOCK:  # keep memory flat while scrolling far
                keep = set(block)
                self._rows = {k: v for k, v in self._rows.items() if k in keep}
            hit = self._rows.get(cid)
        return hit

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(ClientColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            ClientColumn.NAME: self.tr("Name"), ClientColumn.PHONE: self.tr("Phone"),
            ClientColumn.SEGMENT: self.tr("Group"), ClientColumn.STATUS: self.tr("Status"),
            ClientColumn.LAST_PURCHASE: self.tr("Last purchase"),
            ClientColumn.VALUE_12M: self.tr("12-month value"),
            ClientColumn.NEXT_DUE: self.tr("Next contact"), ClientColumn.TAGS: self.tr("Tags"),
        }.get(ClientColumn(section)) if 0 <= section < len(ClientColumn) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._ids)):
            return None
        col = ClientColumn(index.column())
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == ClientColumn.VALUE_12M:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if col == ClientColumn.SEGMENT:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                        Qt.ItemDataRole.ToolTipRole):
            return None
        r = self._row(index.row())
        if r is None:  # deleted for good since the list was loaded
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == ClientColumn.PHONE and r.phone_unchecked and not r.phone:
                return QBrush(QColor(palette.WARNING))  # a number to check
            if col == ClientColumn.STATUS:
                if r.status == ClientStatus.AT_RISK:
                    return QBrush(QColor(palette.WARNING))
                if r.status == ClientStatus.LAPSED:
                    return QBrush(QColor(palette.MUTED))
                if r.status == ClientStatus.NEW:
                    return QBrush(QColor(palette.INFO))
            if col == ClientColumn.NAME and (r.do_not_contact or r.open_complaint):
                return QBrush(QColor(palette.ERROR))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == ClientColumn.PHONE and r.phone_unchecked and not r.phone:
                return self.tr("Check this number: it is not a valid phone number of %1. "
                               "Open the card to correct it.").replace(
                                   "%1", QLocale.territoryToString(
                                       QLocale.codeToTerritory(self._region)))
            if col != ClientColumn.NAME:
                return None
            notes = ([self.tr("Do not contact")] if r.do_not_contact else []) + (
                [self.tr("Open complaint")] if r.open_complaint else [])
            return " · ".join(notes) or None
        return self._display(col, r)

    def _display(self, col: ClientColumn, r: ClientRow) -> str:
        loc = self._locale
        if col == ClientColumn.NAME:
            return f"{r.name}  ⚠" if r.open_complaint else r.name  # an open complaint
        if col == ClientColumn.PHONE:
            if not r.phone and r.phone_unchecked:
                return f"⚠ {r.phone_unchecked}"  # kept as imported, to check
            return phone_display(r.phone, self._region)
        if col == ClientColumn.SEGMENT:
            return labels.segment(r.segment)
        if col == ClientColumn.STATUS:
            return labels.status(r.status)
        if col == ClientColumn.LAST_PURCHASE:
            return fmt_date(r.last_purchase_on, loc)
        if col == ClientColumn.VALUE_12M:
            return fmt_money(r.value_12m, self._currency, loc)
        if col == ClientColumn.NEXT_DUE:
            return fmt_date(r.next_due_on, loc)
        return r.tags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(ClientColumn):
            return
        self.layoutAboutToBeChanged.emit()
        self._query = replace(self._query, sort=ClientColumn(column),
                              descending=order == Qt.SortOrder.DescendingOrder)
        rules = self._rules or self._ops.read(client_service.StatusRules.from_settings)
        self._ids = self._ops.read(lambda s: client_service.client_ids(s, self._query, rules, self._region))
        self._rows.clear()
        self.changePersistentIndexList(self.persistentIndexList(),
                                       [QModelIndex()] * len(self.persistentIndexList()))
        self.layoutChanged.emit()
