"""The day's list on paper: Today's calls as a table for a printer or a PDF file.

The rows come as plain data from :func:`app.services.agenda.day_sheet`; here they become
an HTML table in a :class:`QTextDocument` (the header row repeated on every page), laid
out on the page of the printer or of a :class:`QPdfWriter` (A4, Letter where the locale
uses it), with "Page 1 of N" under each page. Every text of a row is the one Today shows
(the same :class:`~app.ui.today_page.QueueModel` words), plus a blank box for the outcome.

The font is chosen explicitly: a family that writes Latin and Cyrillic (client names in
either, whatever the language), else the system's with a warning in the log, for a
missing font prints boxes without any error.

Painting runs on the database executor with the read of the rows (Qt paints on a
printer, a PDF writer or an image from any thread); the dialogs stay on the GUI thread.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QObject, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QShortcut,
    QTextDocument,
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


def _table_start(heads: list[tuple[str, int]]) -> str:
    """A table's opening and its header row (``<thead>``: repeated on every page)."""
    cells = "".join(f'<th width="{w}%" align="left" bgcolor="{palette.NOTE_BACKGROUND}">'
                    f"{_e(h)}</th>" for h, w in heads)
    return ('<table border="1" cellspacing="0" cellpadding="3" width="100%" '
            f'style="border-collapse: collapse; border-color: {palette.GREY};">'
            f"<thead><tr>{cells}</tr></thead>")


def sheet_html(sheet: DaySheet, locale: QLocale) -> str:
    """The whole list as HTML for QTextDocument: the business, the day, the calls'
    table (its header row repeated on each page), the to-dos after it."""
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
    out = []
    if sheet.business:
        out.append(f"<h2>{_e(sheet.business)}</h2>")
    out.append(f"<h3>{_e(day_title(sheet, locale))}</h3>")
    out.append(f"<p>{_e(' · '.join(summary))}</p>")
    if sheet.left_out > 0:
        cut = PrintedList.tr("Only the first %Ln call(s) are printed; Today lists the "
                             "others.", "", len(sheet.calls))
        out.append(f"<p><b>{_e(cut)}</b></p>")
    heads = [(PrintedList.tr("When"), 11), (PrintedList.tr("Client"), 15),
             (PrintedList.tr("Phone"), 13), (PrintedList.tr("Purpose"), 21),
             (PrintedList.tr("Before you call"), 22), (PrintedList.tr("Outcome"), 18)]
    out.append(_table_start(heads))
    for i, r in enumerate(sheet.calls):
        when = _e(when_text(model, i))
        if r.overdue_days > 0 and not r.settled:
            when = f'<span style="color: {palette.ERROR};">{when}</span>'
        outcome = _e(logged_text(r)) if r.settled else "&nbsp;<br>&nbsp;"
        marks = _e(", ".join(model.marks(r)))
        if r.open_complaint or r.do_not_contact:  # red, as on Today
            marks = f'<span style="color: {palette.ERROR};">{marks}</span>'
        cells = [when, _e(_client_text(r)), _e(phone_text(model, r)), _e(purpose_text(r)),
                 marks, outcome]
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    if not sheet.calls:
        nothing = PrintedList.tr("No call to make on this day.")
        out.append(f'<tr><td colspan="6">{_e(nothing)}</td></tr>')
    out.append("</table>")
    if sheet.todos:
        todo_title = PrintedList.tr("To do — not calls")
        out.append(f"<h3>{_e(todo_title)}</h3>")
        out.append(_table_start([(PrintedList.tr("When"), 11),
                                 (PrintedList.tr("Client"), 15),
                                 (PrintedList.tr("To do"), 34),
                                 (PrintedList.tr("Done"), 40)]))
        todo_model = QueueModel(None, internal=True)
        todo_model.rows = list(sheet.todos)
        for i, r in enumerate(sheet.todos):
            text = labels.task_kind(r.kind) + (" — " + r.note if r.note else "")
            cells = [_e(when_text(todo_model, i)), _e(_client_text(r)), _e(text), "&nbsp;"]
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out.append("</table>")
    return "\n".join(out)


def sheet_document(sheet: DaySheet, locale: QLocale | None = None) -> QTextDocument:
    """The list as a QTextDocument in the chosen font (not yet laid out on a page)."""
    loc = locale or QLocale()
    doc = QTextDocument()
    font = QFont(pick_family(), POINT_SIZE)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(sheet_html(sheet, loc))
    return doc


# --------------------------------------------------------------------------- painting the pages

def _paint(doc: QTextDocument, painter: QPainter, width: float, height: float,
           footer: float, footer_left: str,
           new_page: Callable[[QPainter], QPainter]) -> int:
    """Lay ``doc`` out on pages ``width`` x ``height`` (device pixels of the painter's
    device; the footer's ``footer`` pixels below each) and paint them: the page, then
    "Page i of N" at its foot; ``new_page(painter)`` turns the page and gives the
    painter of the next one. Returns the number of pages."""
    doc.documentLayout().setPaintDevice(painter.device())
    doc.setPageSize(QSizeF(width, height - footer))
    body = height - footer
    pages = max(1, doc.pageCount())
    font = QFont(pick_family(), POINT_SIZE - 1)
    for i in range(pages):
        if i:
            painter = new_page(painter)
        painter.save()
        painter.translate(0, -i * body)
        doc.drawContents(painter, QRectF(0, i * body, width, body))
        painter.restore()
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
    doc = sheet_document(sheet, loc)
    painter = QPainter()
    if not painter.begin(device):
        raise DomainError("print.failed", "the printer or file could not be written",
                          detail=_device_name(device))
    try:
        rect = device.pageLayout().paintRectPixels(device.resolution())
        footer = FOOTER_MM / 25.4 * device.resolution()
        def turn(p: QPainter) -> QPainter:
            device.newPage()
            return p

        return _paint(doc, painter, rect.width(), rect.height(), footer,
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
    doc = sheet_document(sheet, loc)
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

    def new_page(old: QPainter) -> QPainter:
        old.end()
        painters.append(start())
        return painters[-1]

    _paint(doc, painters[0], paint.width(), paint.height(), footer,
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
