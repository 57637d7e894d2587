"""The client table: a thin Qt adapter over one SQL query, read a page at a time.

The model holds the ids of the rows read so far, a page of :data:`PAGE` rows at first and
more as the view scrolls (``canFetchMore``/``fetchMore``, each page on the database
executor), never the whole list: at a million clients a search shows its first screenful
in milliseconds and the list keeps a few pages of ids and a few blocks of shown values.
A sort no index serves (phone, group, status, dates, tags) costs the whole sort for any
page, so there the ids are read once, all of them, into a compact array (8 bytes a
client), and each page is a slice of it.
How many clients the whole list has is counted apart, in the background
(:attr:`ClientTableModel.total`, :data:`ClientTableModel.total_changed`); a newer query
stops a count still running. A generation number makes sure an older answer (a slower
search typed before) never replaces a newer one. A change that names its clients re-reads
only their rows, in place (:meth:`ClientTableModel.update`).

At start-up the model first shows the list's first page read by sqlite3
(:meth:`ClientTableModel.show_first_page`, before the services are imported), then is
attached to the database door (:meth:`ClientTableModel.attach`): when the real query
gives the same first rows, they are adopted in place (no reset: the selection and the
scroll stay), otherwise the list is reset as after any query. The module imports only Qt
and light modules; the services are imported when the first real query runs.
"""

from __future__ import annotations

from array import array
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from shiboken6 import isValid

from app import palette
from app.client_list import (
    MAX_PAGE,
    PAGE,
    RISK_LEVELS,
    ClientColumn,
    ClientQuery,
    ClientRow,
    StatusRules,
)
from app.enums import ClientStatus
from app.errors import DomainError
from app.text import subst
from app.ui import labels, risk_words
from app.ui.formatting import country_name, fmt_date, fmt_money, phone_display

if TYPE_CHECKING:
    from app.changes import Changes
    from app.quick_open import FirstPage
    from app.ui.ops import Ops

BLOCK = 200

Index = QModelIndex | QPersistentModelIndex


def list_shows():
    """What the list shows: its columns, and the open-complaint mark beside a name."""
    from app.changes import Entity  # lazy: start-up (SQLAlchemy), used once attached
    return frozenset({Entity.CLIENT, Entity.TAG, Entity.PURCHASE, Entity.MEMBERSHIP,
                      Entity.SEGMENT, Entity.SETTINGS, Entity.TASK, Entity.CONTACT,
                      Entity.PERSONAL_DATE, Entity.COMPLAINT, Entity.RISK})


def __getattr__(name: str):
    if name == "LIST_SHOWS":  # the constant it was; computed when asked (start-up)
        return list_shows()
    raise AttributeError(name)


def _level(score: float) -> str:
    return next(name for name, (lo, _hi) in RISK_LEVELS.items()
                if lo is None or score >= lo)


class ClientTableModel(QAbstractTableModel):
    loading_changed = Signal(bool)  # the id query started (True) or its answer is shown
    loaded = Signal()               # new ids are shown (the view was reset)
    rows_updated = Signal(list)     # client ids whose rows were re-read in place
    total_changed = Signal()        # the count of the whole list is known (or unknown again)

    def __init__(self, ops: Ops | None, parent=None) -> None:
        super().__init__(parent)
        self._ops = ops
        #: the first page shown before the model was attached (None: attached)
        self._preview: FirstPage | None = None
        self._query = ClientQuery()
        self._ids: list[int] = []  # the rows read so far, in the list's order
        self._pos: dict[int, int] = {}  # client id -> row
        self._more = False  # the list has rows after the ones read
        #: every id of the list, for a sort no index serves (a page costs the whole sort
        #: there, so it is done once): 8 bytes a client; None for a paged sort
        self._all: array | None = None
        self._fetching = False  # a next page is being read on the executor
        self._total: int | None = 0
        self._rows: dict[int, ClientRow] = {}
        self._rules: StatusRules | None = None
        self._region = "PL"
        self._currency = "PLN"
        self._locale = QLocale()
        self._generation = 0
        self._loading = False
        #: how many times the id query ran (what a test counts)
        self.queries = 0

    # ------------------------------------------------------------------ loading
    @property
    def query(self) -> ClientQuery:
        return self._query

    @property
    def loading(self) -> bool:
        """The id query runs on the executor; the rows shown are the previous answer."""
        return self._loading

    @property
    def attached(self) -> bool:
        """The model reads through the database door (not only a first page)."""
        return self._ops is not None

    @property
    def total(self) -> int | None:
        """How many clients the whole list has, or None while it is being counted."""
        return self._total

    def show_first_page(self, page: FirstPage) -> None:
        """Show the list's first page read at start-up (app.quick_open), before the
        model is attached: its rows, and the count of the whole list. The model counts
        as loading (the rows shown wait for the real query)."""
        self.beginResetModel()
        self._preview = page
        self._query = page.query
        self._all = None
        self._rules, self._region, self._currency = page.rules, page.region, page.currency
        self._set_ids(page.ids, more=page.count > len(page.rows))
        self._rows = {r.id: r for r in page.rows}
        self.endResetModel()
        self._set_total(page.count)
        self._set_loading(True)

    def attach(self, ops: Ops, *, now: bool = False) -> None:
        """Read through ``ops`` from now on, and run the query (``now``: here)."""
        self._ops = ops
        self.reload(now=now)

    def set_query(self, query: ClientQuery, *, now: bool = False) -> None:
        self._query = query
        self.reload(now=now)

    def _set_ids(self, ids: list[int], *, more: bool) -> None:
        self._ids = ids
        self._pos = {cid: i for i, cid in enumerate(ids)}
        self._more = more

    def reload(self, *, now: bool = False) -> None:
        """Run the id query for its first page (and read the status rules, country and
        currency it needs) on the database executor; the answer replaces the rows when it
        arrives, unless a newer query was asked for meanwhile; the whole list is then
        counted in the background. ``now``: on the GUI thread, answered before this
        returns (the first list of the window, painted at start-up). Before the model is
        attached, only the query is kept: it runs once attached."""
        if self._ops is None:
            self._set_loading(True)
            return
        self._generation += 1
        generation, query = self._generation, self._query
        self.queries += 1
        # lazy: start-up, the services are imported after the first paint
        from app.services import clients as client_service
        from app.services import settings as settings_service
        from app.ui.ops import show_error

        def work(s, _job):
            rules = client_service.StatusRules.from_settings(s)
            region = settings_service.get(s, "business.region")
            currency = settings_service.get(s, "business.currency")
            if client_service.sorted_in_full(query):
                every = client_service.client_id_array(s, query, rules, region)
                return rules, region, currency, list(every[:PAGE + 1]), every
            ids = client_service.client_ids(s, query, rules, region, limit=PAGE + 1)
            return rules, region, currency, ids, None

        def done(result) -> None:
            if generation != self._generation or not isValid(self):
                return  # a newer query is on its way
            if self._adopt(query, result):
                return
            rules, region, currency, ids, every = result
            self.beginResetModel()
            self._rules, self._region, self._currency = rules, region, currency
            self._all = every
            self._set_ids(ids[:PAGE], more=len(ids) > PAGE)
            self._fetching = False
            self._rows.clear()
            self.endResetModel()
            self._count(generation)
            self._set_loading(False)
            self.loaded.emit()

        def failed(exc: DomainError) -> None:
            if generation == self._generation and isValid(self):
                self._set_loading(False)
                parent = self.parent()
                show_error(parent if hasattr(parent, "window") else None, exc)

        if now:
            done(self._ops.read(lambda s: work(s, None)))
            return
        self._set_loading(True)
        self._ops.submit(None, work, label=self.tr("Searching the clients"), write=False,
                         on_done=done, on_error=failed)

    def _count(self, generation: int) -> None:
        """Count the whole list of this generation's query in the background (its first
        page is all of it: known already). A newer query stops the count (SQLite's
        progress handler) so the next keystroke's page does not wait behind it."""
        if not self._more or self._all is not None:
            self._set_total(len(self._ids) if self._all is None else len(self._all))
            return
        self._set_total(None)
        from app.services import clients as client_service  # lazy: start-up
        query, rules, region = self._query, self._rules, self._region

        def work(s, _job):
            return client_service.count_listed(
                s, query, rules, region, stop=lambda: generation != self._generation)

        def done(total: int | None) -> None:
            if total is not None and generation == self._generation and isValid(self):
                self._set_total(total)

        self._ops.submit(None, work, label=self.tr("Counting the clients"), write=False,
                         on_done=done, on_error=lambda _exc: None)

    def _set_total(self, total: int | None) -> None:
        if total != self._total:
            self._total = total
            self.total_changed.emit()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._more and self._ops is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        """The view scrolled near the last row read: read the next page on the executor
        (the rows are added when it arrives; asked again meanwhile, nothing happens)."""
        if not self.canFetchMore(parent) or self._fetching or self._loading:
            return
        if self._all is not None:  # every id is here: the next page is a slice
            self.fetch_now(len(self._ids) + min(MAX_PAGE, max(PAGE, len(self._ids))))
            return
        self._fetching = True
        self._ops.submit(None, self._next_page_work(), label=self.tr("Reading the clients"),
                         write=False, on_done=self._next_page_done(self._generation),
                         on_error=self._next_page_failed(self._generation))

    def fetch_now(self, rows: int) -> None:
        """Read, here, the next pages until ``rows`` rows are read or the list ends (the
        row of a client asked for, :meth:`reveal`, when every id is here)."""
        while self._more and len(self._ids) < rows and self._ops is not None:
            size = max(rows - len(self._ids), PAGE)
            if self._all is not None:
                at = len(self._ids)
                self._add_page((list(self._all[at:at + size + 1]), size))
                continue
            before = len(self._ids)
            self._add_page(self._ops.read(self._next_page_work(size)))
            if len(self._ids) == before:
                break  # the list moved under the pages (rows read twice): no further

    def _next_page_work(self, size: int | None = None):
        from app.services import clients as client_service  # lazy: start-up
        query, rules, region, offset = self._query, self._rules, self._region, len(self._ids)
        size = size or min(MAX_PAGE, max(PAGE, offset))

        def work(s, _job=None):
            return client_service.client_ids(s, query, rules, region, limit=size + 1,
                                             offset=offset), size
        return work

    def _next_page_done(self, generation: int):
        def done(result) -> None:
            if generation != self._generation or not isValid(self):
                return  # the page of an older query
            self._fetching = False
            self._add_page(result)
        return done

    def _next_page_failed(self, generation: int):
        def failed(exc: DomainError) -> None:
            if generation == self._generation and isValid(self):
                self._fetching = False
                from app.ui.ops import show_error
                parent = self.parent()
                show_error(parent if hasattr(parent, "window") else None, exc)
        return failed

    def _add_page(self, result) -> None:
        ids, size = result
        more = len(ids) > size
        ids = [cid for cid in ids[:size] if cid not in self._pos]  # moved since: once
        first = len(self._ids)
        if ids:
            self.beginInsertRows(QModelIndex(), first, first + len(ids) - 1)
            self._ids.extend(ids)
            self._pos.update((cid, first + i) for i, cid in enumerate(ids))
            self._more = more
            self.endInsertRows()
        else:
            self._more = more and bool(result[0])

    def reveal(self, client_id: int, then) -> None:
        """Find a client's row, reading the pages up to it when it is further down than
        the rows read: ``then(row)`` on the GUI thread, at once when no read is needed
        (row None: the list does not show the client). The position and the pages are
        read on the executor: for a client deep in a long list they cost a few hundred
        milliseconds at 100,000 clients, and a reload that restores the selection must
        not freeze on them."""
        row = self._pos.get(client_id)
        if row is not None or not self._more or self._ops is None or self._rules is None:
            then(row)
            return
        if self._all is not None:  # every id is here: a slice, no read
            try:
                at = self._all.index(client_id)
            except ValueError:
                then(None)
                return
            self.fetch_now(at + 1)
            then(self._pos.get(client_id))
            return
        from app.services import clients as client_service  # lazy: start-up
        query, rules, region = self._query, self._rules, self._region
        offset, generation = len(self._ids), self._generation

        def work(s, _job):
            at = client_service.client_position(s, query, rules, region, client_id)
            if at is None or at < offset:
                return None
            size = at + 1 - offset
            return client_service.client_ids(s, query, rules, region, limit=size + 1,
                                             offset=offset), size

        def done(result) -> None:
            if generation != self._generation or not isValid(self):
                return  # an older query's: the list is another now
            self._fetching = False
            if result is not None and len(self._ids) == offset:
                self._add_page(result)
            then(self._pos.get(client_id))

        def failed(_exc: DomainError) -> None:  # a selection not restored: nothing lost
            if generation == self._generation and isValid(self):
                self._fetching = False
                then(None)

        self._fetching = True  # no page of the view's meanwhile: the rows stay in order
        self._ops.submit(None, work, label=self.tr("Reading the clients"), write=False,
                         on_done=done, on_error=failed)

    def _adopt(self, query: ClientQuery, result) -> bool:
        """The first real answer after a first page: when it shows the same rows (same
        query, settings and first ids), take it in place, without a reset, so the
        selection and the scroll stay and nothing on screen moves."""
        page, self._preview = self._preview, None
        if page is None:
            return False
        rules, region, currency, ids, every = result
        if (query != page.query or (rules, region, currency) != (page.rules, page.region,
                                                                 page.currency)
                or ids[:len(page.ids)] != page.ids or (len(ids) > len(page.ids)) != (
                    page.count > len(page.ids))):
            return False
        self._all = every
        self._add_page((ids[len(page.ids):], PAGE - len(page.ids)))
        self._more = len(ids) > PAGE
        self._count(self._generation)
        self._set_loading(False)
        self.loaded.emit()
        return True

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def update(self, changes: Changes) -> None:
        """What a change means for the list. Named clients that are all among the rows
        read and stay in the list (not created, not deleted, not moved in or out of the
        Trash): their rows are
        re-read in place, the rest of the list, the selection and the scroll untouched.
        Anything else (a bulk write, new or deleted clients, other settings) runs the id
        query again."""
        if not changes.entities & list_shows():
            return
        from app.changes import Entity  # lazy: start-up
        from app.services import clients as client_service  # lazy: start-up
        ids = sorted(changes.client_ids)
        if (changes.all_clients or changes.touches(Entity.SETTINGS) or not ids
                or self._loading or self._rules is None
                or any(cid not in self._pos for cid in ids)):
            self.reload()
            return
        rules = self._rules
        fresh = self._ops.read(lambda s: client_service.client_rows(s, ids, rules))
        if any(cid not in fresh or (fresh[cid].deleted_at is not None) != self._query.trash
               for cid in ids):
            self.reload()  # gone for good, or moved to or out of the Trash
            return
        self._rows.update(fresh)
        last = len(ClientColumn) - 1
        for cid in ids:
            row = self._pos[cid]
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        self.rows_updated.emit(ids)

    def refresh_rows(self) -> None:
        """Forget the cached values (after an edit) without changing the row set."""
        self._rows.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(ClientColumn) - 1))

    @property
    def region(self) -> str:
        """The business's country the phones are shown for."""
        return self._region

    def cached_row(self, row: int) -> ClientRow | None:
        """The values of ``row`` if they were read already (nothing is read here)."""
        cid = self.client_id(row)
        return None if cid is None else self._rows.get(cid)

    def client_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, client_id: int) -> int | None:
        return self._pos.get(client_id)

    def _row(self, row: int) -> ClientRow | None:
        cid = self._ids[row]
        hit = self._rows.get(cid)
        # while the file is put back from a backup the row is drawn blank: the list
        # reads again once it is open (Ops.replace_database announces everything)
        if hit is None and self._ops is not None and not self._ops.replacing:
            from app.services import clients as client_service  # lazy: start-up
            start = max(0, row - BLOCK // 4)
            block = self._ids[start:start + BLOCK]
            rules = self._rules
            assert rules is not None
            self._rows.update(self._ops.read(
                lambda s: client_service.client_rows(s, block, rules)))
            if len(self._rows) > 20 * BLOCK:  # keep memory flat while scrolling far
                keep = set(block)
                self._rows = {k: v for k, v in self._rows.items() if k in keep}
            hit = self._rows.get(cid)
        return hit

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return len(self._ids)  # the rows read so far (fetchMore reads more)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(ClientColumn)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role not in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None  # the tooltip: the whole title of a column made narrow
        return {
            ClientColumn.NAME: self.tr("Name"), ClientColumn.PHONE: self.tr("Phone"),
            ClientColumn.SEGMENT: self.tr("Group"), ClientColumn.STATUS: self.tr("Status"),
            ClientColumn.LAST_PURCHASE: self.tr("Last purchase"),
            ClientColumn.VALUE_12M: self.tr("12-month value"),
            ClientColumn.NEXT_DUE: self.tr("Next contact"), ClientColumn.TAGS: self.tr("Tags"),
            ClientColumn.RISK: self.tr("Risk"),
        }.get(ClientColumn(section)) if 0 <= section < len(ClientColumn) else None

    def widest_texts(self, col: ClientColumn) -> list[str]:
        """The widest values a column shows, in the user's language, locale and currency
        (nothing is read): what its width must never cut. Names, phones and tags vary
        too much to say; they get none."""
        loc = self._locale
        if col in (ClientColumn.LAST_PURCHASE, ClientColumn.NEXT_DUE):
            return [fmt_date(date(2026, 12, 28), loc)]
        if col == ClientColumn.VALUE_12M:
            return [fmt_money(Decimal("99999.99"), self._currency, loc)]
        if col == ClientColumn.STATUS:
            return [labels.status(s) for s in ClientStatus]
        if col == ClientColumn.RISK:
            return [risk_words.percent(1.0, loc)]
        if col == ClientColumn.SEGMENT:
            return ["A", "B", "C"]
        return []

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._ids)):
            return None
        col = ClientColumn(index.column())
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (ClientColumn.VALUE_12M, ClientColumn.RISK):
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
            if col == ClientColumn.RISK and r.risk is not None and self._rules is not None \
                    and r.risk >= self._rules.risk_threshold:
                return QBrush(QColor(palette.WARNING))  # at risk by the score
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == ClientColumn.PHONE and r.phone_unchecked and not r.phone:
                return subst(self.tr("Check this number: it is not a valid phone number of "
                                     "%1. Open the card to correct it."),
                             country_name(self._region))
            if col == ClientColumn.RISK:
                if r.risk is None:
                    return risk_words.no_score() if r.last_purchase_on else None
                return risk_words.level_title(_level(r.risk))
            if col == ClientColumn.TAGS:  # the last column, often cut: all of them
                return r.tags or None
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
        if col == ClientColumn.RISK:
            # no kept score: a dash for a client who bought (the gap rule decides), none
            # for a client who never bought
            if r.risk is None:
                return "–" if r.last_purchase_on else ""
            return risk_words.percent(r.risk, loc)
        return r.tags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the id query's ORDER BY: asked of the executor like a search."""
        self.set_sort(column, order)

    def set_sort(self, column: int, order: Qt.SortOrder, *, reload: bool = True) -> None:
        """Sort by a column; without ``reload`` only the query changes (the next query,
        e.g. the first one at build, uses it)."""
        if not 0 <= column < len(ClientColumn):
            return
        query = replace(self._query, sort=ClientColumn(column),
                        descending=order == Qt.SortOrder.DescendingOrder)
        if query != self._query:
            self._query = query
            if reload:
                self.reload()
