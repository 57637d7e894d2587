"""Today's Print… and Save as PDF… (and Ctrl+P): the dialogs are replaced (a PDF printer,
a path), the list is read and painted on the executor, and the PDF is read back."""

from __future__ import annotations

import threading
from datetime import date

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from app.ui import printing
from app.ui.main_window import MainWindow, Page
from app.ui.printing import DayListActions
from app.ui.today_page import TodayPage
from tests.test_agenda_pdf import BIRTHDAY_CLIENT, BUSINESS, CLIENTS, TODAY, _fill, _words


def _text(path) -> str:
    return " ".join(_words(p.extract_text()) for p in PdfReader(str(path)).pages)


def _page(qtbot, ops) -> tuple[TodayPage, DayListActions]:
    page = TodayPage(ops, today=TODAY)
    actions = DayListActions(page)
    qtbot.addWidget(page)
    page.resize(1280, 680)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)  # shortcuts need the active window
    qtbot.waitUntil(lambda: not page.loading)
    page.table.setFocus()
    return page, actions


def _pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_save_as_pdf_writes_the_days_list_off_the_gui_thread(qtbot, ops, db, tmp_path,
                                                            monkeypatch):
    _fill(db)
    out = tmp_path / "today.pdf"
    asked: list[date] = []
    monkeypatch.setattr(printing, "ask_pdf_path", lambda _parent, day: asked.append(day) or out)
    threads = []
    real = printing.agenda.day_sheet

    def day_sheet(session, day, *a, **k):
        threads.append(threading.current_thread())
        return real(session, day, *a, **k)

    monkeypatch.setattr(printing.agenda, "day_sheet", day_sheet)
    page, actions = _page(qtbot, ops)
    with qtbot.waitSignal(actions.printed, timeout=20_000) as done:
        qtbot.mouseClick(actions.pdf_button, Qt.MouseButton.LeftButton)
    assert asked == [TODAY]
    assert done.args == [1]
    assert threads and threads[0] is not threading.main_thread()  # on the executor
    text = _text(out)
    assert BUSINESS in text and BIRTHDAY_CLIENT in text
    assert all(name in text for name, _p, _d in CLIENTS)
    # the rows in Today's order, as the page lists them
    shown = [r.client_name for r in page.model.rows]
    assert sorted(shown, key=text.index) == shown
    assert str(out) in page.notice.text() and "1 page" in page.notice.text()


def test_ctrl_p_prints_to_the_printer_chosen(qtbot, ops, db, tmp_path, monkeypatch):
    _fill(db)
    out = tmp_path / "printed.pdf"
    monkeypatch.setattr(printing, "ask_printer", lambda _parent, _loc=None: _pdf_printer(out))
    page, actions = _page(qtbot, ops)
    with qtbot.waitSignal(actions.printed, timeout=20_000):
        qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    text = _text(out)
    assert all(name in text for name, _p, _d in CLIENTS)
    assert printing.page_text(1, 1) in text
    assert "sent to the printer" in page.notice.text()


def test_the_print_button_and_a_cancelled_dialog_print_nothing(qtbot, ops, db, tmp_path,
                                                             monkeypatch):
    _fill(db)
    asked = []
    monkeypatch.setattr(printing, "ask_printer",
                        lambda _parent, _loc=None: asked.append(1))  # cancelled: None
    monkeypatch.setattr(printing, "ask_pdf_path", lambda _parent, _day: None)
    page, actions = _page(qtbot, ops)
    qtbot.mouseClick(actions.print_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(actions.pdf_button, Qt.MouseButton.LeftButton)
    assert asked == [1]
    assert actions.job is None and not actions.busy
    assert page.notice.text() == ""
    assert list(tmp_path.glob("*.pdf")) == []


def test_a_pdf_that_cannot_be_written_is_said_in_words(qtbot, ops, db, tmp_path, monkeypatch):
    _fill(db)
    monkeypatch.setattr(printing, "ask_pdf_path",
                        lambda _parent, _day: tmp_path / "gone" / "today.pdf")
    shown = []
    monkeypatch.setattr(printing, "show_error", lambda _parent, exc: shown.append(exc))
    page, actions = _page(qtbot, ops)
    qtbot.mouseClick(actions.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert shown[0].code == "print.pdf_failed"
    assert not actions.busy  # the next try may start
    from app.ui.messages import error_text
    assert "could not be written" in error_text(shown[0])


def test_the_windows_today_page_has_print_and_pdf(qtbot, ops):
    window = MainWindow(ops)
    qtbot.addWidget(window)
    window.nav.setCurrentRow(Page.TODAY)
    page = window.today_page
    assert isinstance(page.print_actions, DayListActions)
    assert page.findChild(type(page.print_actions.print_button), "printListButton")
    assert page.findChild(type(page.print_actions.pdf_button), "pdfListButton")
    assert page.print_actions.shortcut.key().toString() == "Ctrl+P"
