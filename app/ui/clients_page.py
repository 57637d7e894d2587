"""The Clients page: search as you type, filters, the table, the card, the Trash and Undo.

The page is built in two steps at start-up: its widgets with the list's first page (read
by sqlite3, :meth:`ClientsPage.show_first_page`), painted before the services are
imported; then :meth:`ClientsPage.attach` connects it to the database door. Until then
the search box takes what is typed (applied once attached), the list shows a busy cursor
and the buttons that write wait. The module imports only Qt and light modules.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.client_list import RISK_LEVELS, ClientColumn
from app.enums import ClientStatus, Segment
from app.text import subst
from app.ui import formatting, labels, risk_words, window_state
from app.ui.client_model import ClientTableModel

if TYPE_CHECKING:
    from app.quick_open import FirstPage
    from app.ui.ops import Changes, Ops

SEARCH_DELAY_MS = 200
HEADER_KEY = "clients"
#: the phones of the last first page, as shown (QSettings): the next start paints its
#: first page without importing phonenumbers
PHONES_KEY = "clients/firstPagePhones"
# the user dragged a column of the list: its widths are the user's, not fitted (QSettings)
SIZED_KEY = "clients/columnsSizedByUser"
# each column's width at least (the page beside the navigation of a 1280x720 window)
BASE_WIDTHS = {ClientColumn.NAME: 190, ClientColumn.PHONE: 140, ClientColumn.SEGMENT: 60,
               ClientColumn.STATUS: 90, ClientColumn.LAST_PURCHASE: 110,
               ClientColumn.VALUE_12M: 130, ClientColumn.NEXT_DUE: 110,
               ClientColumn.RISK: 70}
# where the width is short, who gives way first, and down to what (None: its floor)
GIVE_WAY = ((ClientColumn.TAGS, None), (ClientColumn.NAME, 160))
# then the columns wider than their title and values (nothing cut), then their titles
# (cut together, each in proportion of what it can give)
NARROWED = (ClientColumn.LAST_PURCHASE, ClientColumn.NEXT_DUE, ClientColumn.VALUE_12M,
            ClientColumn.SEGMENT, ClientColumn.STATUS, ClientColumn.RISK)
# then, in a window narrower still
LAST_RESORT = ((ClientColumn.NAME, 120), (ClientColumn.TAGS, 60))
# what the name may take of the room left over, beyond its natural width
NAME_EXTRA = 70


def fit_widths(avail: int, natural: dict, whole: dict, floor: dict) -> dict:
    """The columns' widths for a view ``avail`` pixels wide: each ``natural`` when they
    fit (the name gets up to NAME_EXTRA more, the tags the rest), else narrowed in the
    order of GIVE_WAY; NARROWED down to ``whole`` (title and values whole), then to
    ``floor`` (the values whole, the title cut); LAST_RESORT. Only a window narrower than
    every floor gets a sideways scrollbar. The sum is ``avail`` whenever the floors allow."""
    widths = dict(natural)
    over = sum(widths.values()) - avail
    if over < 0:
        extra = min(-over, NAME_EXTRA)
        widths[ClientColumn.NAME] += extra
        widths[ClientColumn.TAGS] += -over - extra
        return widths

    def cut(col, down_to) -> None:
        nonlocal over
        take = min(over, max(0, widths[col] - (floor[col] if down_to is None else down_to)))
        widths[col] -= take
        over -= take

    def cut_together(down_to: dict) -> None:
        nonlocal over
        slack = {col: max(0, widths[col] - down_to[col]) for col in NARROWED}
        total = sum(slack.values())
        if over <= 0 or not total:
            return
        share, given = min(over, total), 0
        for col in NARROWED:
            take = min(slack[col], -(-share * slack[col] // total))  # rounded up
            take = min(take, share - given)
            widths[col] -= take
            given += take
        over -= given

    for col, down_to in GIVE_WAY:
        cut(col, down_to)
    cut_together(whole)
    cut_together(floor)
    for col, down_to in LAST_RESORT:
        if over > 0:
            cut(col, down_to)
    return widths


def enum_or_none(cls, value):
    """Qt hands back a plain str for an enum stored as a combo box's item data."""
    return None if value is None else cls(value)


def _client_service():
    from app.services import clients  # lazy: start-up (imported after the first paint)
    return clients


class UndoBar(QFrame):
    """"Moved 2 clients to the Trash — Undo": stays until used, closed or replaced."""

    undo_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setToolTip(self.tr("Undo (Ctrl+Z)"))
        close = QPushButton("×")
        close.setFlat(True)
        close.setFixedWidth(28)
        close.setToolTip(self.tr("Close"))
        lay.addWidget(self.label, 1)
        lay.addWidget(self.undo_button)
        lay.addWidget(close)
        self.undo_button.clicked.connect(self.undo_requested)
        close.clicked.connect(self.hide)
        self.hide()

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.show()


class ClientsPage(QWidget):
    client_saved = Signal(int)

    def __init__(self, ops: Ops | None, parent=None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._undo_ids: list[int] = []
        self.card = None  # the card opened last (window-modal, deletes itself on close)
        self.model = ClientTableModel(None, self)  # attached below (attach)

        self.search = QLineEdit()
        self.search.setObjectName("clientSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search by name, phone, e-mail or notes (Ctrl+F)"))
        self.segment_filter = QComboBox()
        self.segment_filter.addItem(self.tr("All groups"), None)
        for s in Segment:
            self.segment_filter.addItem(subst(self.tr("Group %1"), s.value), s)
        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("Any status"), None)
        for st in ClientStatus:
            self.status_filter.addItem(labels.status(st), st)
        self.risk_filter = QComboBox()
        self.risk_filter.setObjectName("riskFilter")
        self.risk_filter.addItem(self.tr("Any risk"), None)
        for name in RISK_LEVELS:
            self.risk_filter.addItem(risk_words.level_title(name), name)
        self.tag_filter = QComboBox()
        self.tag_filter.setMinimumContentsLength(10)
        self.new_button = QPushButton(self.tr("New client"))
        self.new_button.setToolTip(self.tr("New client (Ctrl+N)"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setToolTip(self.tr("Move the selected clients to the Trash (Del)"))
        self.restore_button = QPushButton(self.tr("Restore"))
        self.merge_button = QPushButton(self.tr("Merge…"))
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.setToolTip(self.tr("Two records of one person: select both and "
                                             "merge them into one"))
        self.merge_button.setEnabled(False)
        self.trash_button = QPushButton(self.tr("Trash"))
        self.trash_button.setCheckable(True)
        self.trash_button.setToolTip(self.tr("Show clients moved to the Trash"))
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.segment_filter)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.risk_filter)
        bar.addWidget(self.tag_filter)
        bar.addWidget(self.new_button)
        bar.addWidget(self.delete_button)
        bar.addWidget(self.merge_button)
        bar.addWidget(self.restore_button)
        bar.addWidget(self.trash_button)

        self.table = QTableView()
        self.table.setObjectName("clientTable")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # a title that does not fit ends in "…" (its tooltip has it whole); each column
        # starts wide enough for its title in the user's language and the sort arrow
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        # the widths are chosen from the view's width (_fit_columns) until the user drags
        # a column: then they are the user's, kept as left
        header.setMinimumSectionSize(40)
        self._fitting = False
        # the risk beside the status (the last column by number: older saved states)
        header.moveSection(header.visualIndex(ClientColumn.RISK),
                           header.visualIndex(ClientColumn.STATUS) + 1)
        # widths, order and sort as the user left them (sorting asks the model once)
        if not window_state.restore_header(HEADER_KEY, header):
            header.setSortIndicator(ClientColumn.NAME, Qt.SortOrder.AscendingOrder)
        self._sized_by_user = window_state.settings().value(SIZED_KEY) in (True, "true")
        self._fit_columns()
        # fitted again whenever the view's width changes: the window resized, the
        # vertical scrollbar come or gone
        self.table.viewport().installEventFilter(self)
        header.sectionResized.connect(self._on_section_resized)
        # the first query (apply_filters below) sorts so; enabling sorting asks nothing
        self.model.set_sort(header.sortIndicatorSection(), header.sortIndicatorOrder(),
                            reload=False)
        self.table.setSortingEnabled(True)
        self._sorted_by = header.sortIndicatorSection()
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        for signal in (header.sectionResized, header.sectionMoved,
                       header.sortIndicatorChanged):
            signal.connect(self._save_header)

        self.undo_bar = UndoBar()
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.hide()

        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.undo_bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.empty_label)
        lay.addWidget(self.count_label)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._on_search_return)
        for combo in (self.segment_filter, self.status_filter, self.risk_filter,
                      self.tag_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.new_button.clicked.connect(self.new_client)
        self.delete_button.clicked.connect(self.delete_selected)
        self.merge_button.clicked.connect(self.merge_selected)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_a: self.merge_button.setEnabled(
                len(self.selected_ids()) == 2 and not self.trash_button.isChecked()))
        self.restore_button.clicked.connect(self.restore_selected)
        self.trash_button.toggled.connect(self._on_trash_toggled)
        # Enter and double-click both "activate" a row in Qt's item views
        self.table.activated.connect(self._on_table_activated)
        self.undo_bar.undo_requested.connect(self.undo_delete)
        self.model.loading_changed.connect(self._on_model_loading_changed)
        self.model.loaded.connect(self._on_model_loaded)
        self.model.loaded.connect(self._fit_columns)  # the currency known: money's width
        self.model.total_changed.connect(self._update_count)
        self.gate = None
        self._select_after: list[int] = []  # to select once the ids asked for arrive

        self._waiting = [  # what writes or opens: waits until the page is attached
            self.new_button, self.delete_button, self.restore_button, self.merge_button,
            self.trash_button,
            self._add_action(QKeySequence.StandardKey.New, self.new_client, "actionNewClient"),
            self._add_action(QKeySequence.StandardKey.Undo, self.undo_delete, "actionUndo"),
            # On the page: a text field with focus takes Delete for itself first.
            self._add_action(QKeySequence(Qt.Key.Key_Delete), self.delete_selected,
                             "actionDelete")]
        self._add_action(QKeySequence.StandardKey.Find, self.focus_search, "actionFind")
        self._update_mode()
        if ops is not None:
            self.attach(ops, now=True)

    # ------------------------------------------------------------------ start-up
    def show_first_page(self, page: FirstPage) -> None:
        """Show the list's first page read at start-up, before the page is attached."""
        formatting.phones_known(page.region, self._remembered_phones(page.region))
        self._fill_tags(page.tags)
        self.model.show_first_page(page)
        for w in self._waiting:
            w.setEnabled(False)
        self.table.viewport().setCursor(Qt.CursorShape.BusyCursor)
        self._update_count()

    def attach(self, ops: Ops, *, now: bool = False) -> None:
        """Connect the page to the database door: the tags and the list are read
        through it (``now``: the list here, for the window painted at start-up; else on
        the executor, the first page staying until the same rows arrive)."""
        # lazy: start-up (SQLAlchemy, through app.changes), imported after the first paint
        from app.ui.ops import Concern
        from app.ui.refresh import RefreshGate
        self.ops = ops
        # a change while hidden is read when shown; one that names its clients updates
        # their rows only (ClientTableModel.update)
        self.gate = RefreshGate(self, ops.bus, (Concern.CLIENT_LIST,), self._refresh)
        for w in self._waiting:
            w.setEnabled(True)
        self.merge_button.setEnabled(
            len(self.selected_ids()) == 2 and not self.trash_button.isChecked())
        self._reload_tags()
        self._timer.stop()
        # the query of what the filters say now (a search typed meanwhile included);
        # at 100,000 clients sorted by name 40 ms here, every later query on the executor
        self.model.set_query(self._filter_query())  # kept: the model is not attached yet
        self.model.attach(ops, now=now)
        if not now:
            self.model.loaded.connect(self._attached, Qt.ConnectionType.SingleShotConnection)
        else:
            self._attached()

    def _attached(self) -> None:
        self.table.viewport().unsetCursor()
        self.remember_phones()

    def _remembered_phones(self, region: str) -> dict:
        value = window_state.settings().value(PHONES_KEY)
        try:
            saved = json.loads(value) if isinstance(value, str) else {}
        except ValueError:
            return {}
        if not isinstance(saved, dict) or saved.get("region") != region:
            return {}
        phones = saved.get("phones")
        return phones if isinstance(phones, dict) else {}

    def remember_phones(self, rows: int = 100) -> None:
        """Keep how the phones of the list's first rows are shown, for the next start."""
        cached = [self.model.cached_row(r) for r in range(min(rows, self.model.rowCount()))]
        region = self.model.region
        phones = formatting.phones_shown(region, [r.phone for r in cached if r is not None])
        window_state.settings().setValue(PHONES_KEY, json.dumps(
            {"region": region, "phones": phones}))

    def _add_action(self, key, slot, name: str, widget: QWidget | None = None) -> QAction:
        act = QAction(self)
        act.setObjectName(name)
        act.setShortcut(key)
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(slot)
        (widget or self).addAction(act)
        return act

    # ------------------------------------------------------------------ filters
    def _reload_tags(self) -> None:
        self._fill_tags(self.ops.read(_client_service().all_tags))

    def _fill_tags(self, tags: list[tuple[int, str]]) -> None:
        current = self.tag_filter.currentData()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem(self.tr("Any tag"), None)
        for tag_id, name in tags:
            self.tag_filter.addItem(name, tag_id)
        i = self.tag_filter.findData(current)
        self.tag_filter.setCurrentIndex(max(0, i))
        self.tag_filter.blockSignals(False)

    def apply_filters(self, *_args, now: bool = False) -> None:
        """Ask the id query for the search and filters (on the executor; ``now``: here,
        for the list painted at start-up)."""
        self._timer.stop()
        self.model.set_query(self._filter_query(), now=now)

    def _filter_query(self):
        return replace(self.model.query, text=self.search.text(),
                       segment=enum_or_none(Segment, self.segment_filter.currentData()),
                       status=enum_or_none(ClientStatus, self.status_filter.currentData()),
                       risk=self.risk_filter.currentData(),
                       tag_id=self.tag_filter.currentData(),
                       trash=self.trash_button.isChecked())

    def _update_count(self) -> None:
        if self.model.loading and not self.model.rowCount():
            self.count_label.setText(self.tr("Searching…"))
            self.empty_label.hide()
            return
        n = self.model.total
        if n is None:  # counted in the background: the rows read so far, and more
            text = self.tr("%Ln+ client(s), counting…", "", self.model.rowCount())
        elif self.trash_button.isChecked():
            text = self.tr("%Ln client(s) in the Trash", "", n)
        else:
            text = self.tr("%Ln client(s)", "", n)
        self.count_label.setText(text)
        filtered = bool(self.search.text().strip() or self.segment_filter.currentData()
                        or self.status_filter.currentData() or self.risk_filter.currentData()
                        or self.tag_filter.currentData())
        if n == 0:
            if self.trash_button.isChecked():
                self.empty_label.setText(self.tr("The Trash is empty."))
            elif filtered:
                self.empty_label.setText(self.tr("No client matches the search and filters."))
            else:
                self.empty_label.setText(self.tr(
                    "No clients yet. Press Ctrl+N or “New client” to add the first one."))
            self.empty_label.show()
        else:
            self.empty_label.hide()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_search_return(self) -> None:
        self.apply_filters()
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def _on_trash_toggled(self, _checked: bool) -> None:
        self._update_mode()
        self.apply_filters()

    def _update_mode(self) -> None:
        trash = self.trash_button.isChecked()
        self.delete_button.setVisible(not trash)
        self.merge_button.setVisible(not trash)
        self.new_button.setVisible(not trash)
        self.restore_button.setVisible(trash)

    # ------------------------------------------------------------------ selection
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return [cid for r in rows if (cid := self.model.client_id(r)) is not None]

    def select_client(self, client_id: int) -> None:
        """Select and show a client; while the ids are being read, once they arrive."""
        if self.model.loading or self.gate is None or self.gate.stale:
            self._select_after = [client_id]
            return
        def show(row: int | None) -> None:  # further down: the pages up to it read first
            if row is not None:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
        self.model.reveal(client_id, show)

    def _select_ids(self, ids: list[int]) -> None:
        # the first one is found wherever it is in the list (the pages up to it are
        # read, on the executor); the others when they are among the rows read by then
        if ids:
            self.model.reveal(ids[0], lambda row: self._select_rows(row, ids[1:]))

    def _select_rows(self, first: int | None, others: list[int]) -> None:
        rows = [r for r in (first, *(self.model.row_of(cid) for cid in others))
                if r is not None]
        if not rows:
            return
        sel = self.table.selectionModel()
        flags = (QItemSelectionModel.SelectionFlag.Select
                 | QItemSelectionModel.SelectionFlag.Rows)
        sel.setCurrentIndex(self.model.index(rows[0], 0),
                            QItemSelectionModel.SelectionFlag.ClearAndSelect
                            | QItemSelectionModel.SelectionFlag.Rows)
        for r in rows[1:]:
            sel.select(self.model.index(r, 0), flags)
        self.table.scrollTo(self.model.index(rows[0], 0))

    # ------------------------------------------------------------------ actions
    def new_client(self) -> None:
        if self.trash_button.isChecked():
            self.trash_button.setChecked(False)
        from app.ui.client_card import open_client_card  # lazy: start-up (warmed after it)
        self.card = open_client_card(self, self.ops, None, on_saved=self._on_card_saved)

    def open_current(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.open_client(ids[0])

    def merge_selected(self) -> int | None:
        ids = self.selected_ids()
        if len(ids) != 2:
            return None
        from app.ui.data_dialogs import merge_clients  # lazy: start-up
        kept = merge_clients(self, self.ops, ids)
        if kept is not None:  # the change (one client gone) reads the ids again
            self._select_after = [kept]
        return kept

    def open_client(self, client_id: int) -> None:
        from app.ui.client_card import open_client_card  # lazy: start-up (warmed after it)
        self.card = open_client_card(self, self.ops, client_id,
                                     read_only=self.trash_button.isChecked(),
                                     on_saved=self._on_card_saved)

    def _on_card_saved(self, client_id: int) -> None:
        self.client_saved.emit(client_id)
        self.select_client(client_id)

    def _on_table_activated(self, index: QModelIndex) -> None:
        if self.ops is None:
            return  # not attached yet: the list shows that it waits
        cid = self.model.client_id(index.row())
        if cid is not None:
            self.open_client(cid)

    def delete_selected(self) -> None:
        if self.trash_button.isChecked():
            return
        ids = self.selected_ids()
        if not ids:
            return
        moved = self.ops.run(self, lambda s: _client_service().soft_delete(s, ids), source=self)
        if moved:
            self._undo_ids = list(moved)
            n = len(moved)
            self.undo_bar.show_message(
                self.tr("%Ln client(s) moved to the Trash.", "", n))

    def undo_delete(self) -> None:
        if not self._undo_ids:
            return
        ids, self._undo_ids = self._undo_ids, []
        self.ops.run(self, lambda s: _client_service().restore(s, ids), source=self)
        self.undo_bar.hide()
        if ids:
            self.select_client(ids[0])

    def restore_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.ops.run(self, lambda s: _client_service().restore(s, ids), source=self)

    # ------------------------------------------------------------------ refresh
    def _refresh(self, changes: Changes) -> None:
        from app.changes import Entity  # lazy: start-up
        if changes.touches(Entity.TAG):
            self._reload_tags()
        self.model.update(changes)

    def _on_model_loading_changed(self, loading: bool) -> None:
        if loading and not self._select_after:
            self._select_after = self.selected_ids()  # the same clients, after the query
        self._update_count()

    def _on_model_loaded(self) -> None:
        ids, self._select_after = self._select_after, []
        self._select_ids(ids)
        self._update_count()

    def _on_header_sort_indicator_changed(self, section: int, order: Qt.SortOrder) -> None:
        """A click that turns to the risk column sorts the highest risk first (the list
        one works from); a second click turns it round as for any column."""
        came = section != self._sorted_by
        self._sorted_by = section
        if came and section == ClientColumn.RISK and order == Qt.SortOrder.AscendingOrder:
            self.table.horizontalHeader().setSortIndicator(
                ClientColumn.RISK, Qt.SortOrder.DescendingOrder)

    def _fit_columns(self) -> None:
        """Every column in the view's width, no sideways scrollbar: each as wide as its
        title (in bold, with the sort arrow) and its widest value; where that is more
        than the width, the tags, the name and the titles longer than their values give
        way (a cut title ends in "…", its tooltip has it whole); what is left over goes
        to the name, then to the tags (the last column, stretched)."""
        if self._sized_by_user:
            return
        header = self.table.horizontalHeader()
        bold = header.font()  # the style draws the titles in bold: measured so
        bold.setBold(True)
        titles, cells = QFontMetrics(bold), self.table.fontMetrics()
        natural, whole, floor = {}, {}, {}
        for col in ClientColumn:
            title = self.model.headerData(col, Qt.Orientation.Horizontal) or ""
            value = max((cells.horizontalAdvance(t) for t in self.model.widest_texts(col)),
                        default=0) + 16
            whole[col] = max(titles.horizontalAdvance(title) + 14, value)
            natural[col] = max(BASE_WIDTHS.get(col, 0), whole[col])
            floor[col] = max(value, 40)
        natural[ClientColumn.TAGS], floor[ClientColumn.TAGS] = 150, 100
        natural[ClientColumn.PHONE] = floor[ClientColumn.PHONE] = BASE_WIDTHS[
            ClientColumn.PHONE]  # what is dialled: never cut
        widths = fit_widths(self.table.viewport().width(), natural, whole, floor)
        self._fitting = True
        try:
            for col, width in widths.items():
                if header.sectionSize(col) != width:
                    header.resizeSection(col, width)
        finally:
            self._fitting = False

    def _on_section_resized(self, col: int, _old: int, _new: int) -> None:
        """A column the user dragged (not the page's fitting, nor the last column, which
        only stretches): the widths are the user's from now on, kept between starts."""
        header = self.table.horizontalHeader()
        if self._fitting or self._sized_by_user or col == header.logicalIndex(
                header.count() - 1):
            return
        self._sized_by_user = True
        window_state.settings().setValue(SIZED_KEY, True)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize \
                and event.size().width() != event.oldSize().width():
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _save_header(self, *_args) -> None:
        window_state.save_header(HEADER_KEY, self.table.horizontalHeader())

    def hideEvent(self, event) -> None:
        self._save_header()
        super().hideEvent(event)
