"""No English left in front of a Polish, Russian or Bulgarian user ([11]).

For each language: a demo business of that language, the translations installed, the
main window with every page visited, and every dialog the app opens constructed (shown,
never exec()'d): the card of a client with data on every tab, the complaint dialog, the
import wizard's pages, each Settings tab, the call dialogs, reschedule and new task, the
data dialogs (export, restore, erase, merge), About, the A/B/C review and the risk
panel. Every visible text is collected (labels, buttons, tabs, group titles, header
sections, placeholders, combo items, menus and actions, window titles, tooltips) and
fails when it is an English source of the .ts files or holds an English word of three
or more letters. Words that are the same in the language (proper names, units, formats)
are in ALLOWED below, each with why."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTableWidget,
    QTextEdit,
    QWidget,
    QWizard,
)
from sqlalchemy import func, select

from app.db import open_database
from app.services import schedule
from app.services.demo_file import create_demo_file
from app.ui.about import AboutDialog
from app.ui.app import RESOURCES, install_translations
from app.ui.ops import Ops
from tests.ui.windows import window_at_1280

LANGS = {"pl": "pl_PL", "ru": "ru_RU", "bg": "bg_BG"}
#: a client's name as the dialogs built by hand are given it
NAME = {"pl": "Anna Nowak", "ru": "Анна Петрова", "bg": "Анна Петрова"}
#: a file to import as a user of the language writes it: a row with a wrong e-mail, a
#: row twice (the wizard's columns, problems and duplicates pages have something to say)
IMPORT_CSV = {
    "pl": "Imię i nazwisko;Telefon;E-mail;Urodziny\nAnna Nowak;601 234 567;anna@example.com;"
          "12.03.1990\nPiotr Zieliński;602 345 678;piotr@;1.2.1985\n"
          "Anna Nowak;601 234 567;anna@example.com;12.03.1990\n",
    "ru": "Имя;Телефон;Эл. почта;День рождения\nАнна Петрова;+7 912 345-67-89;anna@example.com;"
          "12.03.1990\nПётр Иванов;+7 913 456-78-90;петр@;01.02.1985\n"
          "Анна Петрова;+7 912 345-67-89;anna@example.com;12.03.1990\n",
    "bg": "Име;Телефон;Имейл;Рожден ден\nАнна Петрова;0888 123 456;anna@example.com;"
          "12.03.1990\nПетър Иванов;0899 234 567;петър@;01.02.1985\n"
          "Анна Петрова;0888 123 456;anna@example.com;12.03.1990\n",
}

#: Latin words a ru/pl/bg screen may show as they are, and why
ALLOWED = {
    "ClientCare",  # the product's name
    "SQLite", "PostgreSQL",  # names of database engines
    "CSV", "ICS", "PDF", "PNG", "XLSX", "JSON", "SMTP", "SMS", "UTF", "CRM",  # formats
    "Windows", "Excel", "Google", "Outlook", "Thunderbird", "LibreOffice",  # products
    "OK",  # Qt's own button, the same in these languages
    "Ctrl", "Del", "Enter", "Esc", "Shift",  # the keys' names as printed on them
    "Facebook", "Instagram", "vCard", "Unicode",  # names of services and of a format
    "mail",  # "e-mail", written so in Russian and Bulgarian too
    "ADSITz",  # Faker's bg_BG company suffix (АДСИЦ) in Latin letters: demo names
    # providers and a protocol the e-mail and SMS set-up names (issue 18)
    "Gmail", "Workspace", "Microsoft", "Twilio", "OAuth",
}
#: the first rows of each list, table and tree are read too (demo data, labels of codes)
ROWS = 40
_EMAIL = re.compile(r"\S+@\S+")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\s\\/]+)+[\\/]?|\S+\.(?:sqlite|csv|ics|pdf|png|log)\b")
_TAG = re.compile(r"<[^>]+>|&[a-z]+;|&#\d+;")
_WORD = re.compile(r"[^\W\d_]{3,}")  # whole words: "nową" is not "now"


def _qm_dir(out: Path) -> Path:
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    exe = str(lrelease) if lrelease.exists() else shutil.which("pyside6-lrelease")
    assert exe
    for lang in ["en", *LANGS]:
        src = RESOURCES / "translations" / f"clientcare_{lang}.ts"
        subprocess.run([exe, "-silent", str(src), "-qm", str(out / f"clientcare_{lang}.qm")],
                       check=True)
    return out


def _latin_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w.isascii()]


def _vocabulary(text: str) -> set[str]:
    return {w.lower() for w in _latin_words(_TAG.sub(" ", text))}


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _demo_texts(lang: str) -> list[str]:
    """The demo business's own words in ``lang`` (items, plans, tags, notes…)."""
    from app.services import demo_texts
    return [s for table in vars(demo_texts).values()
            if isinstance(table, dict) and lang in table for s in _strings(table[lang])]


def _ts(lang: str):
    root = ET.parse(RESOURCES / "translations" / f"clientcare_{lang}.ts").getroot()
    for m in root.iter("message"):
        tr = m.find("translation")
        forms = [f.text or "" for f in tr.iter("numerusform")] or [tr.text or ""]
        yield m.findtext("source") or "", forms


class English:
    """What counts as English on a screen of ``lang``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.sources: set[str] = set()
        translated: set[str] = set()
        english: set[str] = set()
        for source, forms in _ts(lang):
            if any(f and f != source for f in forms):
                self.sources.add(_clean(source))
            english |= _vocabulary(source)
            for f in forms:
                translated |= _vocabulary(f)
        for text in _demo_texts("en"):  # "Haircut", "Yoga class" are English too
            english |= _vocabulary(text)
        for text in _demo_texts(lang):
            translated |= _vocabulary(text)
        # an English word of the sources that the language itself does not use in its
        # translations ("data", "status" and "import" are Polish words too)
        self.words = english - translated - {w.lower() for w in ALLOWED}

    def words_in(self, text: str) -> list[str]:
        text = _clean(text)
        if not text:
            return []
        if text in self.sources:
            return [text]
        for pattern in (_EMAIL, _URL, _PATH):
            text = pattern.sub(" ", text)
        found = []
        for w in _latin_words(text):
            if w in ALLOWED or w.lower() in {a.lower() for a in ALLOWED}:
                continue
            if w.lower() in self.words:
                found.append(w)
            elif self.lang != "pl" and not w.isupper():
                found.append(w)  # a Latin word in a Cyrillic language (codes aside)
        return found


def _clean(text: str) -> str:
    text = _TAG.sub(" ", text or "").replace("&&", "\0").replace("&", "").replace("\0", "&")
    return " ".join(text.split())


def texts_of(widget: QWidget) -> list[tuple[str, str]]:
    """(where, text) of everything ``widget`` and its children show."""
    found: list[tuple[str, str]] = []

    def add(where: QWidget | object, text: str | None) -> None:
        if text:
            found.append((f"{type(where).__name__}:{getattr(where, 'objectName', str)()}",
                          text))

    for w in [widget, *widget.findChildren(QWidget)]:
        add(w, w.windowTitle() if w.isWindow() else "")
        add(w, w.toolTip())
        add(w, w.statusTip())
        if isinstance(w, QLabel):
            add(w, w.text())
        elif isinstance(w, QAbstractButton):
            add(w, w.text())
        elif isinstance(w, QGroupBox):
            add(w, w.title())
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                add(w, w.tabText(i))
                add(w, w.tabToolTip(i))
        elif isinstance(w, QLineEdit):
            add(w, w.placeholderText())
        elif isinstance(w, QPlainTextEdit | QTextEdit):
            add(w, w.placeholderText())
        elif isinstance(w, QComboBox):
            add(w, w.placeholderText())
            for i in range(w.count()):
                add(w, w.itemText(i))
        if isinstance(w, QListWidget):
            for i in range(w.count()):
                add(w, w.item(i).text())
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            try:
                columns = model.columnCount()
            except TypeError:  # a list model: one column
                columns = 1
            roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
            for col in range(columns):
                for role in roles:
                    value = model.headerData(col, Qt.Orientation.Horizontal, role)
                    if isinstance(value, str):
                        add(w, value)
                for row in range(min(model.rowCount(), ROWS)):  # what the rows say
                    for role in roles:
                        value = model.index(row, col).data(role)
                        if isinstance(value, str):
                            add(w, value)
        if isinstance(w, QWizard):
            for pid in w.pageIds():
                page = w.page(pid)
                add(page, page.title())
                add(page, page.subTitle())
        for action in w.actions():
            add(action, action.text())
            add(action, action.toolTip())
            if action.menu() is not None:
                add(action, action.menu().title())
        if isinstance(w, QMenu):
            add(w, w.title())
    return found


@pytest.fixture(scope="module")
def qm_dir(tmp_path_factory) -> Path:
    return _qm_dir(tmp_path_factory.mktemp("qm"))


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory) -> dict[str, Path]:
    """A demo business per language, of a seed that gives one client something on every
    tab of the card (purchases, memberships, family, dates, calls, complaints)."""
    files = {}
    for lang, locale in LANGS.items():
        path = tmp_path_factory.mktemp(f"demo-{lang}") / "demo.sqlite"
        for seed in range(1, 40):
            create_demo_file(path, clients=60, locale=locale, seed=seed, force=True)
            db = open_database(path)
            try:
                with db.session() as s:
                    if _full_clients(s):
                        schedule.regenerate(s, date.today())
                        break
            finally:
                db.close()
        else:
            pytest.fail(f"no {locale} demo seed gives a client data on every tab")
        files[lang] = path
    return files


def _settle(qtbot, ops: Ops) -> None:
    ops.wait(timeout_ms=30_000)
    QApplication.processEvents()
    qtbot.wait(30)
    ops.wait(timeout_ms=30_000)
    QApplication.processEvents()


def _full_clients(s) -> list[int]:
    """The clients with data on every tab of the card."""
    from app.models import Complaint, Contact, Membership, PersonalDate, Purchase, Relative
    ids = [set(s.scalars(select(model.client_id))) for model in (
        Purchase, Membership, Relative, PersonalDate, Contact, Complaint)]
    return sorted(set.intersection(*ids))


def _richest_client(ops: Ops) -> int:
    return ops.read(_full_clients)[0]


def _visit(qtbot, ops, collected: list, widget: QWidget) -> None:
    widget.show()
    _settle(qtbot, ops)
    collected.extend(texts_of(widget))


@pytest.mark.parametrize("lang", list(LANGS))
def test_no_english_is_left_on_any_page_or_dialog(qtbot, qm_dir, demo_files, lang,
                                                  tmp_path, monkeypatch):
    from app.models import Complaint
    from app.services.calls import CallFix
    from app.services.clients import MembershipData, PersonalDateData, PurchaseData
    from app.ui.backup_settings import BackupPickerDialog
    from app.ui.call_dialogs import CallCorrectionDialog, WrongNumberDialog
    from app.ui.card_dialogs import (
        FreezeDialog,
        MembershipDialog,
        PersonalDateDialog,
        PurchaseDialog,
    )
    from app.ui.charts_page import ChartsTab
    from app.ui.client_card import open_client_card
    from app.ui.complaint_dialog import open_complaint_dialog
    from app.ui.complaints_page import PickClientDialog
    from app.ui.data_dialogs import EraseDialog, ExportDialog, MergeDialog
    from app.ui.import_wizard import ImportWizard
    from app.ui.main_window import Page
    from app.ui.today_page import ManualTaskDialog, RescheduleDialog

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_files[lang], path)
    db = open_database(path)
    ops = Ops(db)
    app = QApplication.instance()
    about: list[tuple[str, str]] = []
    # Help → About (app/ui/about.py): its texts, instead of waiting for a click
    monkeypatch.setattr(AboutDialog, "exec",
                        lambda self: about.extend(texts_of(self)) or 0)
    collected: list[tuple[str, str]] = []
    name = NAME[lang]
    window = None
    try:
        window = window_at_1280(qtbot, ops, lang, qm_dir)
        for page in Page:
            window.nav.setCurrentRow(page)
            _settle(qtbot, ops)
            widget = window.page(page)
            for tabs in widget.findChildren(QTabBar):  # every tab of the page shown
                for i in range(tabs.count()):
                    tabs.setCurrentIndex(i)
                    _settle(qtbot, ops)
            collected.extend(texts_of(widget))
        window.show_quarterly_review()  # the A/B/C review, and the risk panel beside it
        window.charts_page.tabs.setCurrentIndex(ChartsTab.REVIEW)
        _settle(qtbot, ops)
        collected.extend(texts_of(window))
        for menu in window.menuBar().findChildren(QMenu):
            collected.extend(texts_of(menu))
        window._about()
        collected.extend(about)

        client_id = _richest_client(ops)
        card = open_client_card(window, ops, client_id)
        _settle(qtbot, ops)
        for i in range(card.tabs.count()):
            card.tabs.setCurrentIndex(i)
            _settle(qtbot, ops)
        _visit(qtbot, ops, collected, card)
        empty = [t.objectName() for t in card.findChildren(QTableWidget) if t.rowCount() == 0]
        assert empty == [], "the card's client has something on every tab"
        card.reject()
        blank = open_client_card(window, ops, None)  # a new client's card
        _visit(qtbot, ops, collected, blank)
        blank.reject()

        complaint_id = ops.read(lambda s: s.scalar(select(func.min(Complaint.id))))
        dialogs: list[QWidget] = [
            open_complaint_dialog(window, ops, complaint_id=complaint_id),
            open_complaint_dialog(window, ops, client_id=client_id),
            ImportWizard(window, ops),
            WrongNumberDialog(window, name, "+48 600 100 200", "PL"),
            CallCorrectionDialog(window, CallFix(outcome="reached", note="")),
            RescheduleDialog(window, date.today() + timedelta(days=7), date.today()),
            ManualTaskDialog(window, date.today(), lambda _text: []),
            PickClientDialog(window, lambda _text: []),
            PurchaseDialog(window, PurchaseData(amount=Decimal("10.00"))),
            MembershipDialog(window, MembershipData()),
            FreezeDialog(window, MembershipData(id=1)),
            PersonalDateDialog(window, PersonalDateData(), [(None, name)]),
            ExportDialog(window),
            EraseDialog(window, ops, client_id, name, []),
            MergeDialog(window, (1, name, "+48 600 100 200"), (2, name, "")),
            BackupPickerDialog(window, "?", []),
        ]
        for dlg in dialogs:
            if isinstance(dlg, QWizard):
                for pid in dlg.pageIds():
                    dlg.page(pid).show()
            _visit(qtbot, ops, collected, dlg)
            tabs = dlg.findChildren(QTabBar)
            for bar in tabs:
                for i in range(bar.count()):
                    bar.setCurrentIndex(i)
                    _settle(qtbot, ops)
            collected.extend(texts_of(dlg))
            dlg.close()

        csv = tmp_path / "import.csv"
        csv.write_text(IMPORT_CSV[lang], encoding="utf-8")
        wizard = ImportWizard(window, ops, path=csv)
        wizard.show()
        _settle(qtbot, ops)
        for _page in range(2):  # the columns, then the check before importing
            collected.extend(texts_of(wizard))
            next_button = wizard.button(QWizard.WizardButton.NextButton)
            assert next_button.isVisible() and next_button.isEnabled()
            next_button.click()
            _settle(qtbot, ops)
        for bar in wizard.findChildren(QTabBar):
            for i in range(bar.count()):
                bar.setCurrentIndex(i)
                _settle(qtbot, ops)
        collected.extend(texts_of(wizard))
        assert wizard.currentPage() is wizard.preview_page, "the walk reached the preview"
        wizard.close()

        english = English(lang)
        if os.environ.get("CLIENTCARE_TEXTS_DUMP"):  # for a translator's read-through:
            Path(os.environ["CLIENTCARE_TEXTS_DUMP"] + lang).write_text(  # PREFIX + lang
                "\n".join(f"{w}\t{x!r}" for w, x in collected), encoding="utf-8")
        wrong = sorted({f"{where}: {text!r} ({', '.join(words)})"
                        for where, text in collected
                        if (words := english.words_in(text))})
        assert len(collected) > 500  # the walk saw the screens
        assert wrong == [], f"{lang}: {len(wrong)} texts in English:\n" + "\n".join(wrong)
    finally:
        ops.wait(timeout_ms=30_000)
        if window is not None:
            window._may_close = True  # no exit backup of a test's copy
            window.close()
        ops.executor.shutdown()
        db.close()
        install_translations(app, "en_US", qm_dir)
        QLocale.setDefault(QLocale("en_US"))
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_check_sees_english():
    """The detector is not blind: an English source, an English word inside a sentence,
    and a Latin word in Cyrillic are found; names, units and addresses are not."""
    ru, pl = English("ru"), English("pl")
    assert ru.words_in("New client") == ["New client"]
    assert pl.words_in("New client")
    assert "Refund" in ru.words_in("Возврат: Refund")
    assert pl.words_in("Zwrot (refund)") == ["refund"]
    assert pl.words_in("Nowy klient") == []
    assert ru.words_in("Экспорт в CSV, anna@example.com, C:\\Users\\x\\demo.sqlite") == []
    assert ru.words_in("ClientCare — demo.sqlite") == []
