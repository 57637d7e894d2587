"""The day's list on paper: its rows (agenda.day_sheet), the PDF read back in every
language, and ``clientcare agenda --pdf``; the day-start notice's figures.

The PDF's text is read back with pypdf and compared with what was put in: a font
without Cyrillic prints boxes without any error, and its text would not read back."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QLocale, QSizeF
from PySide6.QtGui import QFontDatabase, QImage
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import update

from app.db import open_database
from app.enums import DateKind, StaffRole
from app.errors import DomainError
from app.models import Task
from app.models.enums import TaskKind
from app.services import agenda, calls, schedule
from app.services import clients as client_service
from app.services import settings as settings_service
from app.services.access import AccessDenied, Actor
from app.ui import labels, printing
from app.ui.app import install_translations

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 23)  # a Monday
BUSINESS = "Салон «Ромашка»"
#: (name, phone, days since the purchase): new clients, a follow-up each
CLIENTS = (("Анна Иванова", "+7 912 345 67 89", 3), ("Bolesław Żółć", "601 234 567", 3),
           ("Петър Петров", "+359 88 123 4567", 3))
BIRTHDAY_CLIENT = "Мария Стоянова"


def _words(text: str) -> str:
    """Text as read back, every run of blanks (pypdf's tabs, a cell's wrapped lines)
    as one space."""
    return " ".join(text.split())


def _pdf_text(path: Path) -> list[str]:
    return [_words(p.extract_text()) for p in PdfReader(str(path)).pages]


def _fill(db, today: date = TODAY, extra: int = 0) -> None:
    """Three new clients with a follow-up today (the first made two days late), one
    client whose birthday is today, ``extra`` more clients with a follow-up."""
    with db.session() as s:
        settings_service.put(s, "business.name", BUSINESS)
        settings_service.put(s, "business.working_days", "1234567")
        people = list(CLIENTS) + [(f"Клиент Номер {i:03d}", "", 3) for i in range(extra)]
        for name, phone, days in people:
            data = client_service.ClientData(name=name, phone=phone)
            data.purchases = [client_service.PurchaseData(
                purchased_on=today - timedelta(days=days), amount=Decimal("50.00"))]
            client_service.save_client(s, data, region="PL")
        data = client_service.ClientData(name=BIRTHDAY_CLIENT)
        data.dates = [client_service.PersonalDateData(kind=DateKind.BIRTHDAY,
                                                      month=today.month, day=today.day)]
        client_service.save_client(s, data, region="PL")
        schedule.regenerate(s, today, rules=schedule.ScheduleRules(
            quarterly_review=False, win_back=False, keep_in_touch=False))
        first = next(r for r in calls.today_queue(s, today) if r.client_name == CLIENTS[0][0])
        s.execute(update(Task).where(Task.id == first.task_id)
                  .values(due_on=today - timedelta(days=2)))


# --------------------------------------------------------------------------- the rows


def test_the_sheet_holds_todays_rows_in_todays_order(any_db):
    _fill(any_db)
    with any_db.session() as s:
        queue = [r for r in calls.today_queue(s, TODAY) if not r.internal]
        sheet = agenda.day_sheet(s, TODAY)
        todos = sorted((r for r in calls.today_queue(s, TODAY) if r.internal),
                       key=lambda r: r.order)
    assert [r.task_ids for r in sheet.calls] == [r.task_ids for r in queue]
    assert {r.client_name for r in sheet.calls} == {n for n, _p, _d in CLIENTS} | {
        BIRTHDAY_CLIENT}
    late = next(r for r in sheet.calls if r.client_name == CLIENTS[0][0])
    assert late.overdue_days == 2  # the overdue call is on paper, as on Today
    assert sheet.business == BUSINESS and sheet.day == TODAY
    assert sheet.total_calls == len(queue) and sheet.left_out == 0
    assert [r.task_id for r in sheet.todos] == [r.task_id for r in todos]
    assert [r.kind for r in sheet.todos] == [TaskKind.GIFT]  # the birthday's gift


def test_a_long_day_is_cut_and_says_how_many_were_left_out(db):
    _fill(db, extra=6)
    with db.session() as s:
        queue = [r for r in calls.today_queue(s, TODAY) if not r.internal]
        sheet = agenda.day_sheet(s, TODAY, limit=5)
    assert [r.task_id for r in sheet.calls] == [r.task_id for r in queue[:5]]
    assert sheet.total_calls == len(queue) == 10
    assert sheet.left_out == 5


def test_the_day_notice_counts_once_a_day_and_can_be_turned_off(any_db):
    _fill(any_db)
    with any_db.session() as s:
        counts = agenda.claim_day_notice(s, TODAY)
    assert counts == agenda.DayCounts(calls=4, overdue=1, birthdays=1)
    with any_db.session() as s:
        assert agenda.claim_day_notice(s, TODAY) is None  # the second start that day
        assert agenda.claim_day_notice(s, TODAY + timedelta(days=1)) is not None
        settings_service.put(s, agenda.NOTICE_SETTING, False)
        assert agenda.claim_day_notice(s, TODAY + timedelta(days=2)) is None


def test_only_the_owner_turns_the_notice_off_but_everyone_sees_it(db):
    _fill(db)
    with db.session() as s:
        s.info["actor"] = Actor(1, "Ola", StaffRole.RECEPTIONIST)
        with pytest.raises(AccessDenied):
            agenda.set_day_notice(s, False)
        assert agenda.claim_day_notice(s, TODAY) is not None  # the desk's first start
    with db.session() as s:
        s.info["actor"] = Actor(2, "Maria", StaffRole.OWNER)
        assert agenda.set_day_notice(s, False) is False
        assert settings_service.get(s, agenda.NOTICE_SETTING) is False


# --------------------------------------------------------------------------- the PDF


def _long_date(day: date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day),
                              QLocale.FormatType.LongFormat)


@pytest.mark.parametrize("language", ["en", "pl", "ru", "bg"])
def test_the_pdf_reads_back_in_every_language(qapp, db, tmp_path, language):
    _fill(db)
    locale = install_translations(qapp, language)
    try:
        with db.session() as s:
            sheet = agenda.day_sheet(s, TODAY)
        out = tmp_path / f"day_{language}.pdf"
        pages = printing.write_pdf(sheet, out, locale)
        texts = _pdf_text(out)
        assert len(texts) == pages == 1
        text = texts[0]
        for name, _phone, _days in CLIENTS:  # Cyrillic and Polish letters, not boxes
            assert name in text
        assert BIRTHDAY_CLIENT in text and BUSINESS in text
        assert _words(_long_date(TODAY)) in text
        follow_up = labels.task_kind(TaskKind.FOLLOW_UP)
        birthday = labels.task_kind(TaskKind.PERSONAL_DATE)
        assert _words(follow_up) in text and _words(birthday) in text
        assert printing.page_text(1, 1) in text
        late = _words(printing.QueueModel.tr("%Ln day(s) late", "", 2))
        assert late in text  # the overdue call, said as Today says it
        if language != "en":  # translated, not the English source
            assert follow_up != "Follow-up" and "Page 1 of 1" not in text
            assert "Before you call" not in text
    finally:
        install_translations(qapp, "en_US")


def test_a_cut_list_says_on_paper_how_many_it_holds(qapp, db, tmp_path):
    _fill(db, extra=3)
    install_translations(qapp, "pl")
    try:
        with db.session() as s:
            sheet = agenda.day_sheet(s, TODAY, limit=2)
        out = tmp_path / "cut.pdf"
        printing.write_pdf(sheet, out)
        text = " ".join(_pdf_text(out))
        said = _words(printing.PrintedList.tr(
            "Only the first %Ln call(s) are printed; Today lists the others.", "", 2))
        assert said.startswith("Wydrukowano tylko pierwsze 2 połączenia") and said in text
        assert sum(r.client_name in text for r in sheet.calls) == 2
    finally:
        install_translations(qapp, "en_US")


def test_the_header_row_and_page_numbers_are_on_every_page(qapp, db, tmp_path):
    _fill(db, extra=40)
    install_translations(qapp, "ru")
    try:
        with db.session() as s:
            sheet = agenda.day_sheet(s, TODAY)
        out = tmp_path / "long.pdf"
        pages = printing.write_pdf(sheet, out)
        texts = _pdf_text(out)
        assert pages == len(texts) >= 2
        header = " ".join(_words(printing.PrintedList.tr(h)) for h in (
            "When", "Client", "Phone", "Purpose", "Before you call", "Outcome"))
        for i, text in enumerate(texts, start=1):
            assert header in text  # the table's head repeated on each page
            assert printing.page_text(i, pages) in text
        names = [r.client_name for r in sheet.calls]
        assert all(any(n in t for t in texts) for n in names)  # no row lost at a break
    finally:
        install_translations(qapp, "en_US")


def _cut_rows(doc, body: float) -> int:
    """How many rows of ``doc``'s tables begin on one page and end on the next."""
    layout = doc.documentLayout()
    cut = 0
    for table in printing._tables_of(doc):
        frame = layout.frameBoundingRect(table)
        tops = [layout.blockBoundingRect(table.cellAt(r, 0).firstCursorPosition().block())
                .top() for r in range(table.rows())]
        ends = [*tops[1:], frame.bottom()]
        cut += sum(1 for top, end in zip(tops, ends, strict=True)
                   if int(top // body) != int((end - 1) // body))
    return cut


def test_no_row_is_cut_across_two_pages(qapp, db):
    _fill(db, extra=40)
    with db.session() as s:
        sheet = agenda.day_sheet(s, TODAY)
    device = QImage(1000, 700, QImage.Format.Format_RGB32)
    device.setDotsPerMeterX(3780)
    device.setDotsPerMeterY(3780)  # 96 dpi
    width, body = 900.0, 500.0
    plain = printing._document(printing.sheet_html(sheet, QLocale()), device, width)
    plain.setPageSize(QSizeF(width, body))
    assert _cut_rows(plain, body) > 0  # one document paginated by Qt cuts rows in two
    docs = printing.page_documents(sheet, QLocale(), device, width, body)
    assert len(docs) >= 3
    assert all(d.size().height() <= body for d in docs)  # each page's rows fit it whole
    texts = [d.toPlainText() for d in docs]
    assert all(printing.PrintedList.tr("Before you call") in t for t in texts)
    rows = [t.rows() - 1 for d in docs for t in printing._tables_of(d)]  # header aside
    assert sum(rows) == len(sheet.calls) + len(sheet.todos)  # each row once
    assert all(any(r.client_name in t for t in texts) for r in sheet.calls)


def test_the_font_writes_cyrillic_and_a_missing_one_is_logged(qapp, caplog):
    family = printing.pick_family()
    systems = QFontDatabase.writingSystems(family)
    assert QFontDatabase.WritingSystem.Cyrillic in systems
    assert QFontDatabase.WritingSystem.Latin in systems
    with caplog.at_level(logging.WARNING, logger="app.ui.printing"):
        fallback = printing.pick_family((QFontDatabase.WritingSystem.Ogham,))
    assert fallback and "print as boxes" in caplog.text


def test_a_pdf_that_cannot_be_written_says_so(qapp, db, tmp_path):
    _fill(db)
    with db.session() as s:
        sheet = agenda.day_sheet(s, TODAY)
    with pytest.raises(DomainError) as caught:
        printing.write_pdf(sheet, tmp_path / "no such folder" / "day.pdf")
    assert caught.value.code == "print.pdf_failed"


def test_a_printer_that_cannot_be_painted_on_says_so(qapp, db, tmp_path):
    _fill(db)
    with db.session() as s:
        sheet = agenda.day_sheet(s, TODAY)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "no such folder" / "printed.pdf"))
    with pytest.raises(DomainError) as caught:
        printing.paint_sheet(sheet, printer)
    assert caught.value.code == "print.failed"


def test_the_page_is_a4_or_letter_by_the_locale():
    assert printing.page_size(QLocale("pl_PL")).id() == printing.QPageSize.PageSizeId.A4
    assert printing.page_size(QLocale("en_US")).id() == printing.QPageSize.PageSizeId.Letter


# --------------------------------------------------------------------------- the command line


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_agenda_writes_the_pdf_from_the_command_line(qapp, tmp_path):
    path = tmp_path / "cli.sqlite"
    database = open_database(path)
    try:
        _fill(database, today=date.today())
    finally:
        database.close()
    out = tmp_path / "agenda.pdf"
    done = _run("agenda", "--db", str(path), "--pdf", str(out), "--lang", "ru")
    assert done.returncode == 0, done.stderr
    assert "agenda.pdf" in done.stdout
    text = " ".join(_pdf_text(out))
    install_translations(qapp, "ru")
    try:
        for name, _phone, _days in CLIENTS:
            assert name in text
        assert BIRTHDAY_CLIENT in text
        assert _words(_long_date(date.today())) in text
        assert _words(labels.task_kind(TaskKind.FOLLOW_UP)) in text
        assert printing.page_text(1, 1) in text
    finally:
        install_translations(qapp, "en_US")


def test_agenda_pdf_into_a_missing_folder_fails_in_words(tmp_path):
    path = tmp_path / "cli.sqlite"
    open_database(path).close()
    done = _run("agenda", "--db", str(path), "--pdf", str(tmp_path / "nowhere" / "a.pdf"))
    assert done.returncode == 2
    assert "clientcare:" in done.stderr and "Traceback" not in done.stderr
