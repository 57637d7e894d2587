"""The day's list on paper: Today's calls as a table for a printer or a PDF file.

The rows come as plain data from :func:`app.services.agenda.day_sheet`; here they become
HTML tables laid out with :class:`QTextDocument` on the page of the printer or of a
:class:`QPdfWriter` (A4, Letter where the locale uses it, landscape), with "Page 1 of N"
under each page. Every text of a row is the one Today shows (the same
:class:`~app.ui.today_page.QueueModel` words), plus a blank box for the outcome.

The pages are made here, one document each, rather than by Qt's own pagination, which
cuts a table row in two at the foot of a page: the rows are measured, put on pages whole,
and each page's part of the table has its own header row (:func:`page_documents`).

The font is chosen explicitly: a family that writes Latin and Cyrillic (client names in
either, whatever the language), else the system's with a warning in the log, for a
missing font prints boxes without any error.

Painting runs on the database executor with the read of the rows (Qt paints on a
printer, a PDF writer or an image from any thread), in short calls into Qt so that the
window keeps answering; the dialogs stay on the GUI thread.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QObject, QRectF, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QShortcut,
    QTextDocument,
    QTextTable,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QPushButton, QWidget
from shiboken6 import isValid

from app import palette
from app.errors import DomainError
from app.models.enums import Channel, TaskKind
from app.services import agenda
from app.services.agenda import DaySheet
from app.services.calls import QueueRow
from app.text import subst
from app.ui import labels, risk_words, window_state
from app.ui.formatting import fmt_date, qdate
from app.ui.ops import show_error
from app.ui.today_page import QueueColumn, QueueModel, logged_text, purposes_text

log = logging.getLogger(__name__)

#: families tried first, in this order: each writes Latin and Cyrillic (DejaVu Sans is
#: what Debian's fonts-dejavu-core brings, and what CI installs)
PREFERRED_FAMILIES = ("DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Segoe UI",
                      "Helvetica Neue", "Ubuntu", "Open Sans")
#: every printed list must write these (a Polish shop has Ukrainian clients too)
NEEDED_SYSTEMS = (QFontDatabase.WritingSystem.Latin, QFontDatabase.WritingSystem.Cyrillic)
#: countries whose paper is Letter, not A4
LETTER_TERRITORIES = {QLocale.Country.UnitedStates, QLocale.Country.Canada,
                      QLocale.Country.Mexico, QLocale.Country.Philippines,
                      QLocale.Country.Chile, QLocale.Country.Colombia}
POINT_SIZE = 9
MARGINS_MM = QMarginsF(12, 12, 12, 12)
FOOTER_MM = 8.0
PDF_DPI = 300


class PrintedList(QObject):
    """The translation context of the printed list (lupdate reads a plural from
    ``PrintedList.tr(text, "", n)``)."""


# --------------------------------------------------------------------------- the font, the page

_font_family: str | None = None


def pick_family(needed: tuple[QFontDatabase.WritingSystem, ...] = NEEDED_SYSTEMS) -> str:
    """The family the list is printed in: the first of :data:`PREFERRED_FAMILIES`
    installed that writes every system ``needed`` (Latin and Cyrillic), else any
    installed one that does; else the system's general font, and a warning in the log
    (the letters it lacks print as boxes)."""
    global _font_family
    if needed == NEEDED_SYSTEMS and _font_family is not None:
        return _font_family
    families = QFontDatabase.families()

    def writes_all(family: str) -> bool:
        systems = QFontDatabase.writingSystems(family)
        return all(s in systems for s in needed)

    chosen = next((f for f in PREFERRED_FAMILIES if f in families and writes_all(f)), None)
    if chosen is None:
        chosen = next((f for f in families if writes_all(f)
                       and not QFontDatabase.isFixedPitch(f)), None)
    if chosen is None:
        chosen = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()
        log.warning("no installed font writes %s; the printed list uses %r, whose missing "
                    "letters print as boxes (install fonts-dejavu-core)",
                    ", ".join(QFontDatabase.writingSystemName(s) for s in needed), chosen)
        return chosen  # not kept: a font installed later is found at the next print
    if needed == NEEDED_SYSTEMS:
        _font_family = chosen
    return chosen


def page_size(locale: QLocale | None = None) -> QPageSize:
    """A4, or Letter where the locale's country uses it."""
    loc = locale or QLocale()
    letter = loc.territory() in LETTER_TERRITORIES
    return QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)


def page_layout(locale: QLocale | None = None) -> QPageLayout:
    return QPageLayout(page_size(locale), QPageLayout.Orientation.Landscape, MARGINS_MM,
                       QPageLayout.Unit.Millimeter)


# --------------------------------------------------------------------------- the text

def _e(text: str) -> str:
    return html.escape(text or "", quote=False)


def page_text(page: int, pages: int) -> str:
    return subst(PrintedList.tr("Page %1 of %2"), page, pages)


def day_title(sheet: DaySheet, locale: QLocale) -> str:
    """"The calls of Tuesday, 1 December 2026" in the locale's long form."""
    day = locale.toString(qdate(sheet.day), QLocale.FormatType.LongFormat)
    return subst(PrintedList.tr("Calls of %1"), day)


def when_text(model: QueueModel, i: int) -> str:
    """Today's "due" words of the model's row ``i`` and the client's hours: "today ·
    17:00–21:00"."""
    r = model.rows[i]
    due = model.data(model.index(i, QueueColumn.DUE)) or ""
    hours = (f"{r.contact_from:%H:%M}–{r.contact_to:%H:%M}"
             if r.contact_from and r.contact_to else "")
    return " · ".join(p for p in (due, hours) if p)


def phone_text(model: QueueModel, r: QueueRow) -> str:
    """The number as the country writes it, and the preferred channel when it is not
    the phone."""
    parts = [model.phone_text(r.phone)]
    if r.preferred_channel and r.preferred_channel != Channel.PHONE:
        parts.append(labels.channel(r.preferred_channel))
    return " · ".join(p for p in parts if p)


def purpose_text(r: QueueRow) -> str:
    """Every purpose's translated name (as Today lists them), how far a win-back client
    is past their gap, the try, and the note."""
    text = purposes_text(r.kinds)
    if TaskKind.WIN_BACK in r.kinds and r.past_gap_days is not None:
        text += " · " + risk_words.overdue(r.past_gap_days)
    if r.attempts and not r.settled:
        text += " · " + subst(QueueModel.tr("try %1"), r.attempts + 1)
    if r.note:
        text += " — " + r.note
    return text


def _client_text(r: QueueRow) -> str:
    seg = f" [{r.segment}]" if r.segment else ""
    return (r.client_name or QueueModel.tr("(the business)")) + seg


@dataclass
class _Table:
    """One table of the list: its title (none for the calls), header and rows (HTML)."""

    title: str
    heads: list[tuple[str, int]]
    rows: list[str] = field(default_factory=list)


def _table_html(table: _Table, rows: list[str]) -> str:
    """A table's opening, its header row and ``rows``."""
    cells = "".join(f'<th width="{w}%" align="left" bgcolor="{palette.NOTE_BACKGROUND}">'
                    f"{_e(h)}</th>" for h, w in table.heads)
    return ('<table border="1" cellspacing="0" cellpadding="3" width="100%" '
            f'style="border-collapse: collapse; border-color: {palette.GREY};">'
            f"<thead><tr>{cells}</tr></thead>" + "".join(rows) + "</table>")


def _title_html(title: str) -> str:
    return f"<h3>{_e(title)}</h3>"


def _row(cells: list[str]) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def sheet_parts(sheet: DaySheet, locale: QLocale) -> tuple[str, list[_Table]]:
    """The list's HTML pieces: the head (the business, the day, the figures) and its
    tables, the calls and the to-dos, each row as Today words it."""
    model = QueueModel(None)
    model.region, model.currency = sheet.region, sheet.currency
    model.rows = list(sheet.calls)
    open_rows = [r for r in sheet.calls if not r.settled]
    overdue = sum(1 for r in open_rows if r.overdue_days > 0)
    summary = [PrintedList.tr("%Ln call(s) to make", "", len(open_rows))]
    if overdue:
        summary.append(PrintedList.tr("%Ln overdue", "", overdue))
    logged = len(sheet.calls) - len(open_rows)
    if logged:
        summary.append(PrintedList.tr("%Ln logged", "", logged))
    head = []
    if sheet.business:
        head.append(f"<h2>{_e(sheet.business)}</h2>")
    head.append(f"<h3>{_e(day_title(sheet, locale))}</h3>")
    head.append(f"<p>{_e(' · '.join(summary))}</p>")
    if sheet.left_out > 0:
        cut = PrintedList.tr("Only the first %Ln call(s) are printed; Today lists the "
                             "others.", "", len(sheet.calls))
        head.append(f"<p><b>{_e(cut)}</b></p>")
    table = _Table("", [(PrintedList.tr("When"), 11), (PrintedList.tr("Client"), 15),
                        (PrintedList.tr("Phone"), 13), (PrintedList.tr("Purpose"), 21),
                        (PrintedList.tr("Before you call"), 22),
                        (PrintedList.tr("Outcome"), 18)])
    for i, r in enumerate(sheet.calls):
        when = _e(when_text(model, i))
        if r.overdue_days > 0 and not r.settled:
            when = f'<span style="color: {palette.ERROR};">{when}</span>'
        outcome = _e(logged_text(r)) if r.settled else "&nbsp;<br>&nbsp;"
        marks = _e(", ".join(model.marks(r)))
        if r.open_complaint or r.do_not_contact:  # red, as on Today
            marks = f'<span style="color: {palette.ERROR};">{marks}</span>'
        table.rows.append(_row([when, _e(_client_text(r)), _e(phone_text(model, r)),
                                _e(purpose_text(r)), marks, outcome]))
    if not sheet.calls:
        nothing = PrintedList.tr("No call to make on this day.")
        table.rows.append(f'<tr><td colspan="6">{_e(nothing)}</td></tr>')
    tables = [table]
    if sheet.todos:
        todo_title = PrintedList.tr("To do — not calls")
        todos = _Table(todo_title, [
            (PrintedList.tr("When"), 11), (PrintedList.tr("Client"), 15),
            (PrintedList.tr("To do"), 34), (PrintedList.tr("Done"), 40)])
        todo_model = QueueModel(None, internal=True)
        todo_model.rows = list(sheet.todos)
        for i, r in enumerate(sheet.todos):
            text = labels.task_kind(r.kind) + (" — " + r.note if r.note else "")
            todos.rows.append(_row([_e(when_text(todo_model, i)), _e(_client_text(r)),
                                    _e(text), "&nbsp;"]))
        tables.append(todos)
    return "\n".join(head), tables


#: a page's part of a table: (which table, its first row, the row after its last)
Piece = tuple[int, int, int]


def _page_html(head: str, tables: list[_Table], pieces: list[Piece]) -> str:
    """One page: ``head`` (the first page's), then each piece of a table under its
    header row, a table's title before its first piece."""
    out = [head] if head else []
    for t, a, b in pieces:
        if a == 0 and tables[t].title:
            out.append(_title_html(tables[t].title))
        out.append(_table_html(tables[t], tables[t].rows[a:b]))
    return "\n".join(out)


def sheet_html(sheet: DaySheet, locale: QLocale) -> str:
    """The whole list as one HTML text, as if on one endless page."""
    head, tables = sheet_parts(sheet, locale)
    return _page_html(head, tables, [(t, 0, len(x.rows)) for t, x in enumerate(tables)])


def _document(html: str, device: QPaintDevice | None = None,
              width: float | None = None) -> QTextDocument:
    """``html`` in the list's font; laid out ``width`` wide for ``device`` if given."""
    doc = QTextDocument()
    doc.setDefaultFont(QFont(pick_family(), POINT_SIZE))
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    if device is not None:
        doc.documentLayout().setPaintDevice(device)
    if width is not None:
        doc.setTextWidth(width)
    return doc


def _tables_of(doc: QTextDocument) -> list[QTextTable]:
    return [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]


def _row_heights(doc: QTextDocument) -> tuple[float, list[float]]:
    """The header row's height (from the table's top) and each row's, of the first
    table of ``doc`` (laid out)."""
    layout = doc.documentLayout()
    table = _tables_of(doc)[0]
    frame = layout.frameBoundingRect(table)
    tops = [layout.blockBoundingRect(table.cellAt(r, 0).firstCursorPosition().block())
            .top() for r in range(table.rows())]
    ends = [*tops[1:], frame.bottom()]
    return ends[0] - frame.top(), [e - t for t, e in zip(tops[1:], ends[1:], strict=True)]


#: rows laid out at a time while they are measured: each layout is one call into Qt that
#: holds the interpreter (a table of 1,000 rows at once: 1.3 s; 30 rows: a few ms each)
MEASURE_ROWS = 30


def _measure(table: _Table, device: QPaintDevice, width: float
             ) -> tuple[float, float, list[float]]:
    """The title's height, the header row's and every row's, as laid out on the page
    (all tables are the page's width, their columns in percent: a row is as high in a
    table of 30 rows as in the whole list)."""
    title = (_document(_title_html(table.title), device, width).size().height()
             if table.title else 0.0)
    header, rows = 0.0, []
    for a in range(0, max(1, len(table.rows)), MEASURE_ROWS):
        header, part = _row_heights(_document(
            _table_html(table, table.rows[a:a + MEASURE_ROWS]), device, width))
        rows += part
    return title, header, rows


def _pages(head: float, measured: list[tuple[float, float, list[float]]], limit: float
           ) -> list[list[Piece]]:
    """The rows put on pages ``limit`` high one after the other, none cut in two: the
    head on the first page, a table's title kept with its header and first row, each
    page's part of a table under its own header row."""
    pages: list[list[Piece]] = [[]]
    y = head
    for t, (title, header, rows) in enumerate(measured):
        first = rows[0] if rows else 0.0
        if pages[-1] and y + title + header + first > limit:
            pages.append([])
            y = 0.0
        y += title + header
        start = 0
        for r, height in enumerate(rows):
            if r > start and y + height > limit:
                pages[-1].append((t, start, r))
                pages.append([])
                start, y = r, header
            y += height
        pages[-1].append((t, start, len(rows)))
    return pages


def page_documents(sheet: DaySheet, locale: QLocale | None, device: QPaintDevice,
                   width: float, body: float) -> list[QTextDocument]:
    """The list as one document per page, ``width`` x ``body`` (pixels of ``device``),
    no row cut across two pages. Each layout is a short call into Qt (a page, or
    :data:`MEASURE_ROWS` rows), so the window's thread gets the interpreter between
    them while this runs on the executor."""
    loc = locale or QLocale()
    head, tables = sheet_parts(sheet, loc)
    head_height = _document(head, device, width).size().height()
    measured = [_measure(t, device, width) for t in tables]
    slack = body / 200  # the borders, rounded: a row that fits by less goes over
    for _attempt in range(4):
        pieces = _pages(head_height, measured, body - slack)
        docs = [_document(_page_html(head if i == 0 else "", tables, page), device, width)
                for i, page in enumerate(pieces)]
        if all(d.size().height() <= body for d in docs):
            break
        slack *= 2  # a page came out taller than measured (margins): more room
    return docs


# --------------------------------------------------------------------------- painting the pages

def _paint(docs: list[QTextDocument], painter: QPainter, width: float, height: float,
           footer: float, footer_left: str,
           new_page: Callable[[QPainter], QPainter]) -> int:
    """Paint one page per document of ``docs`` (``width`` x ``height`` pixels of the
    painter's device, the last ``footer`` of them for the footer): the page, then
    "Page i of N" at its foot; ``new_page(painter)`` turns the page and gives the
    painter of the next one. Returns the number of pages."""
    body = height - footer
    pages = len(docs)
    font = QFont(pick_family(), POINT_SIZE - 1)
    for i, doc in enumerate(docs):
        if i:
            painter = new_page(painter)
        doc.drawContents(painter, QRectF(0, 0, width, body))
        painter.save()
        painter.setFont(font)
        foot = QRectF(0, body, width, footer)
        painter.drawText(foot, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                         footer_left)
        painter.drawText(foot, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                         page_text(i + 1, pages))
        painter.restore()
    return pages


def _footer_left(sheet: DaySheet, locale: QLocale) -> str:
    return " — ".join(p for p in (sheet.business, fmt_date(sheet.day, locale)) if p)


def paint_sheet(sheet: DaySheet, device: QPagedPaintDevice,
                locale: QLocale | None = None) -> int:
    """Paint the list on a printer or a PDF writer (its page layout set); the number of
    pages. Raises DomainError ``print.failed`` when the device cannot be painted on."""
    loc = locale or QLocale()
    painter = QPainter()
    if not painter.begin(device):
        raise DomainError("print.failed", "the printer or file could not be written",
                          detail=_device_name(device))
    try:
        rect = device.pageLayout().paintRectPixels(device.resolution())
        footer = FOOTER_MM / 25.4 * device.resolution()
        docs = page_documents(sheet, loc, device, rect.width(), rect.height() - footer)
        def turn(p: QPainter) -> QPainter:
            device.newPage()
            return p

        return _paint(docs, painter, rect.width(), rect.height(), footer,
                      _footer_left(sheet, loc), turn)
    finally:
        painter.end()


def _device_name(device: QPagedPaintDevice) -> str:
    name = getattr(device, "outputFileName", None) or getattr(device, "printerName", None)
    return str(name()) if callable(name) else ""


def write_pdf(sheet: DaySheet, path: Path, locale: QLocale | None = None) -> int:
    """The list as a PDF file at ``path``; the number of pages."""
    loc = locale or QLocale()
    path = Path(path)
    try:  # QPdfWriter says nothing when it cannot write: try the file first
        with open(path, "ab"):
            pass
    except OSError as exc:
        raise DomainError("print.pdf_failed", str(exc), path=str(path),
                          detail=exc.strerror or str(exc)) from exc
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(page_layout(loc))
    writer.setCreator("ClientCare")
    writer.setTitle(day_title(sheet, loc))
    return paint_sheet(sheet, writer, loc)


def painting_application() -> QGuiApplication:
    """The application painting needs (fonts, the PDF writer), made when there is none:
    ``clientcare agenda --pdf`` paints without a window."""
    app = QGuiApplication.instance()
    return app if app is not None else QGuiApplication(["clientcare"])


def page_images(sheet: DaySheet, locale: QLocale | None = None, dpi: int = 96
                ) -> list[QImage]:
    """The pages as images, laid out as on paper (a look at the list without a PDF
    reader: the screens of the docs and of a review)."""
    loc = locale or QLocale()
    layout = page_layout(loc)
    full = layout.fullRectPixels(dpi)
    paint = layout.paintRectPixels(dpi)
    footer = FOOTER_MM / 25.4 * dpi
    images: list[QImage] = []

    def start() -> QPainter:
        img = QImage(full.width(), full.height(), QImage.Format.Format_RGB32)
        img.setDotsPerMeterX(round(dpi / 0.0254))
        img.setDotsPerMeterY(round(dpi / 0.0254))
        img.fill(Qt.GlobalColor.white)
        images.append(img)
        p = QPainter(img)
        p.translate(paint.left(), paint.top())
        return p

    painters = [start()]
    docs = page_documents(sheet, loc, images[0], paint.width(), paint.height() - footer)

    def new_page(old: QPainter) -> QPainter:
        old.end()
        painters.append(start())
        return painters[-1]

    _paint(docs, painters[0], paint.width(), paint.height(), footer,
           _footer_left(sheet, loc), new_page)
    painters[-1].end()
    return images


# --------------------------------------------------------------------------- Today's actions

PDF_FOLDER_KIND = "print"


def suggested_pdf_name(day: date) -> str:
    return subst(PrintedList.tr("Calls %1.pdf"), day.isoformat())


def ask_printer(parent: QWidget | None, locale: QLocale | None = None) -> QPrinter | None:
    """The printer chosen in the print dialog (None: cancelled). Tests replace it."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(locale))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(PrintedList.tr("Print the day's list"))
    try:
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def ask_pdf_path(parent: QWidget | None, day: date) -> Path | None:
    """The file chosen to save the list as PDF (None: cancelled); the folder is
    remembered. Tests replace it."""
    start = Path(window_state.last_folder(PDF_FOLDER_KIND)) / suggested_pdf_name(day)
    path, _chosen = QFileDialog.getSaveFileName(
        parent, PrintedList.tr("Save the day's list as PDF"), str(start),
        PrintedList.tr("PDF files (*.pdf)"))
    if not path:
        return None
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    window_state.remember_folder(PDF_FOLDER_KIND, Path(path).parent)
    return Path(path)


class DayListActions(QObject):
    """Print… and Save as PDF… on Today (buttons beside the title, Ctrl+P): the day's
    rows read and painted on the database executor, the page told when it is done."""

    printed = Signal(int)  # the number of pages, once painted

    def __init__(self, page) -> None:  # page: TodayPage (app/ui/today_page.py)
        super().__init__(page)
        self.page = page
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("printListButton")
        self.print_button.setToolTip(self.tr("Print the day's list of calls (Ctrl+P)"))
        self.pdf_button = QPushButton(self.tr("Save as PDF…"))
        self.pdf_button.setObjectName("pdfListButton")
        self.pdf_button.setToolTip(self.tr("Save the day's list of calls as a PDF file"))
        page.tools.addWidget(self.print_button)
        page.tools.addWidget(self.pdf_button)
        self.print_button.clicked.connect(self.print_list)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.shortcut = QShortcut(QKeySequence.StandardKey.Print, page,
                                  activated=self.print_list,
                                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.job = None
        self._printer: QPrinter | None = None  # alive until its job is painted

    @property
    def busy(self) -> bool:
        return self.job is not None

    def print_list(self) -> None:
        if self.busy:
            return
        locale = self.page.locale()
        printer = ask_printer(self.page, locale)
        if printer is None:
            return
        self._printer = printer
        self._run(lambda sheet: paint_sheet(sheet, printer, locale),
                  lambda pages: PrintedList.tr("The day's list was sent to the printer "
                                               "(%Ln page(s)).", "", pages))

    def save_pdf(self) -> None:
        if self.busy:
            return
        locale = self.page.locale()
        path = ask_pdf_path(self.page, self.page.today())
        if path is None:
            return
        self._run(lambda sheet: write_pdf(sheet, path, locale),
                  lambda pages: subst(PrintedList.tr("The day's list was saved to %1 "
                                                     "(%Ln page(s)).", "", pages), path))

    def _run(self, render: Callable[[DaySheet], int], said: Callable[[int], str]) -> None:
        day = self.page.today()

        def work(s, _job) -> int:
            return render(agenda.day_sheet(s, day))

        def done(pages: int) -> None:
            self.job = self._printer = None
            if isValid(self.page):
                self.page.notice.setText(said(pages))
            self.printed.emit(pages)

        def failed(exc: DomainError) -> None:
            self.job = self._printer = None
            if isValid(self.page):
                show_error(self.page, exc)

        self.job = self.page.ops.submit(self.page, work, label=self.tr("Printing the day's "
                                                                       "list…"),
                                        write=False, on_done=done, on_error=failed)
