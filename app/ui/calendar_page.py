"""The calendar: a month with the calls due, meetings and personal dates of each day;
choosing a day lists them, and each opens its client. The day's list is read a page at a
time as it scrolls (a day of a large file lists over 100,000 calls), its total counted
apart, both on the database executor."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app import palette
from app.errors import DomainError
from app.services import calendar as calendar_service
from app.services import settings as settings_service
from app.services.calendar import DayCounts, DayCursor, DayItem, DaySummary
from app.services.validation import format_phone
from app.text import subst
from app.ui import labels, window_state
from app.ui.data_dialogs import ask_save_path
from app.ui.executor import Job
from app.ui.formatting import phone_display, pydate, qdate
from app.ui.ops import Changes, Concern, Ops, show_error
from app.ui.progress import show_progress
from app.ui.refresh import RefreshGate
from app.ui.worded_progress import WordedProgress

SPLITTER_KEY = "calendar"
# items read at a time: a few screenfuls
PAGE = 200
Index = QModelIndex | QPersistentModelIndex


class MonthCalendar(QCalendarWidget):
    """A month grid that writes each day's counts under the day number."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.summary: dict[date, DaySummary] = {}
        self.setGridVisible(True)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setFirstDayOfWeek(QLocale().firstDayOfWeek())

    def paintCell(self, painter: QPainter, rect: QRect, qd: QDate) -> None:  # noqa: N802
        super().paintCell(painter, rect, qd)
        s = self.summary.get(pydate(qd))
        if s is None:
            return
        lines = []
        if s.calls:
            lines.append((self.tr("%Ln call(s)", "", s.calls), QColor(palette.INFO)))
        if s.meetings:
            lines.append((self.tr("%Ln meeting(s)", "", s.meetings), QColor(palette.SUCCESS)))
        if s.dates:
            lines.append((self.tr("%Ln date(s)", "", s.dates), QColor(palette.WARNING)))
        painter.save()
        font = painter.font()
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.75))
        painter.setFont(font)
        h = painter.fontMetrics().height()
        y = rect.bottom() - h * len(lines) - 2
        selected = qd == self.selectedDate()
        for text, color in lines:
            painter.setPen(QColor("white") if selected else color)
            painter.drawText(QRect(rect.left() + 3, y, rect.width() - 6, h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            y += h
        painter.restore()


class DayModel(QAbstractListModel):
    """The chosen day's items as far as they were read; the view asks for more
    (``canFetchMore``/``fetchMore``) as it scrolls to the end, and the page reads the next
    page on the database executor and appends it. "Nothing on this day." is the one
    line of a day read to its end with nothing on it."""

    def __init__(self, page: CalendarPage) -> None:
        super().__init__(page)
        self.page = page
        self.items: list[DayItem] = []
        self.phones: dict[str | None, str] = {}
        self.cursor: DayCursor | None = None  # None: nothing read yet
        self.fetching = False

    def reset(self, items: list[DayItem], phones: dict[str | None, str],
              cursor: DayCursor) -> None:
        self.beginResetModel()
        self.items, self.phones, self.cursor = list(items), dict(phones), cursor
        self.fetching = False
        self.endResetModel()

    def append(self, items: list[DayItem], phones: dict[str | None, str],
               cursor: DayCursor) -> None:
        self.fetching = False
        self.phones.update(phones)
        if not items:
            if self.items or not cursor.done:
                self.cursor = cursor
                return
            self.beginResetModel()  # the day ended with nothing on it: its one line
            self.cursor = cursor
            self.endResetModel()
            return
        first = len(self.items)
        self.beginInsertRows(QModelIndex(), first, first + len(items) - 1)
        self.items += items
        self.cursor = cursor
        self.endInsertRows()

    @property
    def empty(self) -> bool:
        """The day was read to its end and has nothing on it."""
        return not self.items and self.cursor is not None and self.cursor.done

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        if parent.isValid():
            return 0
        return 1 if self.empty else len(self.items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if self.empty:
            return QCoreApplication.translate("CalendarPage", "Nothing on this day.") \
                if role == Qt.ItemDataRole.DisplayRole else None
        if not 0 <= index.row() < len(self.items):
            return None
        it = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.page.describe(it, self.phones.get(it.phone, ""))
        if role == Qt.ItemDataRole.UserRole:
            return it.client_id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self.empty:
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802
        return (not parent.isValid() and self.cursor is not None and not self.cursor.done
                and not self.fetching)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802
        if self.canFetchMore(parent):
            self.fetching = True
            self.page.read_more()


class CalendarPage(QWidget):
    client_open_requested = Signal(int)

    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._month_pending = self._day_pending = self._count_pending = False
        self.calendar = MonthCalendar()
        self.calendar.setObjectName("monthCalendar")
        self.day_title = QLabel()
        self.day_count = QLabel()
        self.day_count.setObjectName("dayCount")
        self.day_model = DayModel(self)
        self.items = QListView()
        self.items.setObjectName("dayItems")
        self.items.setModel(self.day_model)
        # every line is one line of the same font: laid out once, not measured item by
        # item (a busy day of a large file lists over 1,000 items: ~30-90 ms of layout)
        self.items.setUniformItemSizes(True)
        self.export_button = QPushButton(self.tr("Export to a calendar file (.ics)…"))
        right = QVBoxLayout()
        right.addWidget(self.day_title)
        right.addWidget(self.day_count)
        right.addWidget(self.items, 1)
        right.addWidget(self.export_button)
        self.export_status = QLabel()
        self.export_status.setWordWrap(True)
        right.addWidget(self.export_status)
        right_panel = QWidget()
        right_panel.setLayout(right)
        right.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter()
        self.splitter.setObjectName("calendarSplitter")
        self.splitter.addWidget(self.calendar)
        self.splitter.addWidget(right_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        window_state.restore_splitter(SPLITTER_KEY, self.splitter)
        self.splitter.splitterMoved.connect(
            lambda *_a: window_state.save_splitter(SPLITTER_KEY, self.splitter))
        lay = QHBoxLayout(self)
        lay.addWidget(self.splitter)
        self._month_generation = 0
        self._day_generation = 0
        self.calendar.selectionChanged.connect(self._show_day)
        self.calendar.currentPageChanged.connect(lambda *_: self.reload())
        self.items.activated.connect(self._on_items_activated)
        self.export_button.clicked.connect(self.export)
        # a change while hidden is read when the page is shown next
        self.gate = RefreshGate(self, ops.bus, (Concern.CALENDAR,), self._refresh)
        self.reload()

    @property
    def loading(self) -> bool:
        """The month, the day's first page or its total is being read on the database
        executor (a further page read as the list scrolls aside)."""
        return self._month_pending or self._day_pending or self._count_pending

    def _refresh(self, _changes: Changes) -> None:
        self.reload()

    def reload(self) -> None:
        """The month's counts and the chosen day's list, read on the database executor;
        shown when they arrive."""
        self._month_generation += 1
        generation = self._month_generation
        y, m = self.calendar.yearShown(), self.calendar.monthShown()

        def done(summary) -> None:
            if generation == self._month_generation and isValid(self):
                self._month_pending = False
                self.calendar.summary = summary
                self.calendar.updateCells()

        self._month_pending = True
        self.ops.submit(self, lambda s, _job: calendar_service.month_summary(s, y, m),
                        label=self.tr("Reading the calendar"), write=False, on_done=done,
                        on_error=self._failed)
        self._show_day()

    def hideEvent(self, event) -> None:
        window_state.save_splitter(SPLITTER_KEY, self.splitter)  # closing the window too
        super().hideEvent(event)

    def _failed(self, exc: DomainError) -> None:
        if isValid(self):
            self._month_pending = self._day_pending = self._count_pending = False
            self.day_model.fetching = False
            show_error(self, exc)

    def select_day(self, day: date) -> None:
        self.calendar.setSelectedDate(qdate(day))
        self._show_day()

    def _show_day(self) -> None:
        """The chosen day's first page, then (apart) how many items the day has."""
        self._day_generation += 1
        generation = self._day_generation
        day = pydate(self.calendar.selectedDate())

        def done(result) -> None:
            if generation == self._day_generation and isValid(self):
                self._day_pending = False
                self._fill_day(day, *result)

        def counted(counts: DayCounts) -> None:
            if generation == self._day_generation and isValid(self):
                self._count_pending = False
                self.day_count.setText(self.tr("%Ln item(s)", "", counts.total))

        self._day_pending = self._count_pending = True
        self.day_count.setText("")
        self.ops.submit(self, lambda s, _job: self._read_page(s, DayCursor(day)),
                        label=self.tr("Reading the calendar"), write=False, on_done=done,
                        on_error=self._failed)
        self.ops.submit(self, lambda s, _job: calendar_service.day_counts(s, day),
                        label=self.tr("Reading the calendar"), write=False, on_done=counted,
                        on_error=self._failed)

    @staticmethod
    def _read_page(s, cursor: DayCursor):
        """A page of the day from ``cursor``, its phones formatted here, off the GUI
        thread (formatting 400 numbers takes ~80 ms)."""
        items, after = calendar_service.day_page(s, cursor, PAGE)
        region = settings_service.get(s, "business.region")
        return items, {it.phone: phone_display(it.phone, region) for it in items}, after

    def read_more(self) -> None:
        """The next page of the day shown (the list scrolled to its end)."""
        generation = self._day_generation
        cursor = self.day_model.cursor

        def done(result) -> None:
            if generation == self._day_generation and isValid(self):
                self.day_model.append(*result)

        self.ops.submit(self, lambda s, _job: self._read_page(s, cursor),
                        label=self.tr("Reading the calendar"), write=False, on_done=done,
                        on_error=self._failed)

    def _fill_day(self, day: date, items: list[DayItem], phones: dict[str | None, str],
                  cursor: DayCursor) -> None:
        loc = self.locale()
        self.day_title.setText("<h3>" + loc.toString(qdate(day), loc.FormatType.LongFormat)
                               + "</h3>")
        self.day_model.reset(items, phones, cursor)

    def describe(self, it: DayItem, phone: str) -> str:
        """One line of the day's list; ``phone`` is the client's number as shown."""
        if it.what == "call":
            kinds = " + ".join(labels.task_kind(k) for k in dict.fromkeys(it.kinds or (it.kind,)))
            text = f"☎ {kinds}: {it.client_name or self.tr('(internal)')}"
            why = ", ".join(w for w in map(labels.task_reason, it.reasons) if w)
            return (text + (f" · {phone}" if phone else "") + (f" · {why}" if why else "")
                    + (f" · {it.label}" if it.label else ""))
        if it.what == "meeting":
            return (f"◷ {it.at:%H:%M} " + subst(self.tr("Meeting: %1"), it.client_name)
                    + (f" · {phone}" if phone else ""))
        if it.what == "done":
            return (f"✓ {it.at:%H:%M} {labels.outcome(it.kind)}: {it.client_name}")
        who = f"{it.person} ({it.client_name})" if it.person else it.client_name
        kind = it.label if it.kind == "custom" and it.label else labels.date_kind(it.kind)
        text = f"★ {kind}: {who}"
        if it.age is not None:
            text += " · " + self.tr("%Ln year(s)", "", it.age)
        return text

    def _on_items_activated(self, index: QModelIndex) -> None:
        cid = index.data(Qt.ItemDataRole.UserRole)
        if cid:
            self.client_open_requested.emit(int(cid))

    def export(self) -> None:
        # the documents folder, then the last folder used: never the program's folder
        path, _ = ask_save_path(self, self.tr("Export calendar"), "clientcare.ics",
                                self.tr("Calendar files (*.ics)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> Job | None:
        """Write the calendar file on the database executor (reading only), behind a
        progress dialog with Stop (at 100,000 clients it takes seconds: on the GUI
        thread the window froze); the line under the button says how many events were
        written. A problem is shown, a stop said; either way no file is written."""
        meeting = self.tr("Meeting")

        def work(s, job: Job) -> int:
            # lazy: start-up, icalendar is slow to import (here on the executor)
            from app.services.io.ics import export_ics
            region = settings_service.get(s, "business.region")
            try:
                return export_ics(s, path, date.today(), kind_label=labels.task_kind,
                                  date_label=labels.date_kind, meeting_label=meeting,
                                  format_phone=lambda p: format_phone(p, region),
                                  progress=WordedProgress(job))
            except OSError as exc:
                raise DomainError("file.write", str(exc), path=path,
                                  detail=exc.strerror or str(exc)) from exc

        def done(n: int) -> None:
            if isValid(self):
                self.export_status.setText(subst(self.tr("%Ln event(s) written to %1", "", n),
                                                 path))

        def stopped() -> None:
            if isValid(self):
                self.export_status.setText(self.tr("The export was stopped; no file was "
                                                   "written."))

        self.export_status.setText("")
        job = self.ops.submit(self, work, label=self.tr("Exporting the calendar…"),
                              on_done=done, on_cancel=stopped, write=False, cancellable=True)
        show_progress(self, self.ops.executor, job)
        return job
