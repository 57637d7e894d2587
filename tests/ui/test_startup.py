"""Start-up paints the window first and does the rest in the background; quitting asks
the open editors and backs up on the database executor; the window remembers itself."""

from __future__ import annotations

import sys
import threading
from datetime import date, datetime

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from app.models import Complaint, Staff
from app.services import backups
from app.services import clients as client_service
from app.services import settings as settings_service
from app.ui import app as ui_app
from app.ui.backup_settings import BackupPickerDialog
from app.ui.complaint_dialog import open_complaint_dialog
from app.ui.main_window import MainWindow, Page
from app.ui.progress import BusyIndicator

ENGLISH_US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
T0 = datetime(2026, 11, 20, 10, 0)


def _start(qtbot, db, locale: QLocale = ENGLISH_US, today: date | None = None):
    opened = ui_app.prepare_database(db.path, locale, check=False)
    assert opened is not None
    window, start = ui_app.show_window(opened, ui_app.locale_facts(locale), today)
    qtbot.addWidget(window)
    return window, start


def _close(qtbot, window) -> None:
    window.close()
    qtbot.waitUntil(lambda: window.closed, timeout=30_000)


# --------------------------------------------------------------------------- the window first


def test_the_window_is_painted_before_the_background_start(qtbot, db, make_client,
                                                           monkeypatch):
    make_client("Anna Nowak")
    make_client("Bartek Zając")
    db.close()
    seen: dict[str, object] = {}
    real = ui_app.startup.start_of_day

    def start_of_day(session, today=None):
        seen["thread"] = threading.current_thread()
        seen["window_rows"] = window.clients_page.model.rowCount()
        seen["painted"] = window.isVisible()
        return real(session, today)

    monkeypatch.setattr(ui_app.startup, "start_of_day", start_of_day)
    window, start = _start(qtbot, db)
    assert window.built_pages() == [Page.CLIENTS]  # only the client list was built
    qtbot.waitUntil(lambda: start.done, timeout=30_000)
    assert start.steps_done == ["check", "first_use", "erasures", "start_of_day",
                                "start_backup", "warm_up"]
    assert seen["thread"] is not threading.main_thread()  # off the GUI thread
    assert seen["painted"] and seen["window_rows"] == 2
    with window.ops.db.sessions() as s:
        assert s.query(Staff).count() == 1  # first use: an owner
        assert settings_service.get(s, "business.region") == "US"
        assert settings_service.get(s, "internal.stats_as_of") == date.today().isoformat()
    assert [b.kind for b in backups.list_backups(window.ops.db.path)] == ["start"]
    _close(qtbot, window)


def test_the_status_bar_shows_the_background_work(qtbot, ops):
    w = MainWindow(ops)
    qtbot.addWidget(w)
    busy = w.statusBar().findChild(BusyIndicator)
    assert busy is w.busy and busy.executor is ops.executor


def test_pages_are_built_when_first_shown(qtbot, ops):
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    assert w.built_pages() == [Page.CLIENTS]
    w.nav.setCurrentRow(Page.CALENDAR)
    assert w.pages.currentWidget() is w.calendar_page
    assert set(w.built_pages()) == {Page.CLIENTS, Page.CALENDAR}
    today = w.today_page  # asked for: built now, in its place, not shown
    assert w.pages.widget(Page.TODAY) is today and w.pages.currentWidget() is w.calendar_page
    assert w.pages.count() == len(Page)


def test_a_page_built_later_opens_clients_in_the_list(qtbot, ops, make_client):
    cid = make_client("Celina Wrona")
    w = MainWindow(ops)
    qtbot.addWidget(w)
    opened: list[int] = []
    w.clients_page.open_client = lambda client_id: opened.append(client_id)
    w.today_page.client_open_requested.emit(cid)
    assert opened == [cid]


def test_the_start_of_day_updates_a_page_that_is_shown(qtbot, db, make_client):
    cid = make_client("Dorota Lis", phone="+48601234567")
    with db.session() as s:  # a birthday today: a due contact once the day starts
        data = client_service.load_client(s, cid)
        data.dates = [client_service.PersonalDateData(kind="birthday", month=date.today().month,
                                          day=date.today().day)]
        client_service.save_client(s, data, region="PL")
    db.close()
    window, start = _start(qtbot, db)
    window.nav.setCurrentRow(Page.TODAY)
    qtbot.waitUntil(lambda: start.done, timeout=30_000)
    window.ops.wait()
    qtbot.waitUntil(lambda: window.today_page.model.rowCount() >= 1, timeout=10_000)
    _close(qtbot, window)


def test_first_use_keeps_the_defaults_of_a_stand_in_locale(qtbot, db):
    db.close()
    opened = ui_app.prepare_database(db.path, ENGLISH_US, check=False)
    facts = ui_app.locale_facts(QLocale(QLocale.Language.Bulgarian, QLocale.Country.Bulgaria),
                                stand_in=True)
    window, start = ui_app.show_window(opened, facts)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: start.done, timeout=30_000)
    with window.ops.db.sessions() as s:
        assert settings_service.get(s, "business.region") == "PL"  # the default stays
    _close(qtbot, window)


@pytest.fixture
def damaged_with_backup(db, make_client, monkeypatch):
    """A file whose quick check (run in the background) reports damage, with one good
    backup beside it."""
    make_client("Irena Pająk")
    good = backups.make_backup(db.path, "manual")
    make_client("Jan Sroka")  # after the backup: a restore shows one client
    db.close()
    checked: list[str] = []

    def quick_check(path, **_kw):
        checked.append(threading.current_thread().name)
        return ["*** in database main *** Page 7: btreeInitPage() returns error code 11"]

    monkeypatch.setattr("app.ui.start.quick_check", quick_check)
    return good, checked


def test_damage_found_in_the_background_offers_a_backup_and_reopens(qtbot, db,
                                                                    damaged_with_backup,
                                                                    monkeypatch):
    good, checked = damaged_with_backup
    offered: list = []

    def ask(parent, text, choices):
        offered.append((text, [b.path for b in choices]))
        return choices[0]

    monkeypatch.setattr(BackupPickerDialog, "ask", ask)
    window, start = _start(qtbot, db)
    old = window.ops.db
    qtbot.waitUntil(lambda: window.clients_page.model.rowCount() == 2)  # before the check
    qtbot.waitUntil(lambda: start.done, timeout=30_000)
    assert checked and checked[0] != threading.main_thread().name
    assert offered and offered[0][1] == [good.path] and "damaged" in offered[0][0]
    assert start.steps_done[:2] == ["restore", "first_use"]
    assert window.ops.db is not old and window.isVisible()
    qtbot.waitUntil(lambda: window.clients_page.model.rowCount() == 1)  # the restored file
    assert "before-restore" in [b.kind for b in backups.list_backups(db.path)]
    _close(qtbot, window)


def test_damage_without_a_choice_closes_and_backs_nothing_up(qtbot, db, damaged_with_backup,
                                                             monkeypatch):
    monkeypatch.setattr(BackupPickerDialog, "ask", lambda *a: None)
    window, start = _start(qtbot, db)
    qtbot.waitUntil(lambda: window.closed, timeout=30_000)
    assert start.done and start.steps_done == []
    assert [b.kind for b in backups.list_backups(db.path)] == ["manual"]  # no exit copy


# --------------------------------------------------------------------------- quitting


@pytest.fixture
def window_with_complaint(qtbot, ops, make_client, staff):
    cid = make_client("Ewa Sowa")
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    dlg = open_complaint_dialog(w, ops, client_id=cid, clock=lambda: T0)
    qtbot.waitExposed(dlg)
    dlg.words.setFocus()
    qtbot.keyClicks(dlg.words, "The colour is wrong")
    dlg.category.setEditText("Product quality")
    return w, dlg


def _answer(monkeypatch, button) -> list[str]:
    asked: list[str] = []

    def question(parent, title, text, buttons, default):
        asked.append(text)
        assert buttons & QMessageBox.StandardButton.Cancel
        assert buttons & QMessageBox.StandardButton.Save
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def _complaints(db) -> list[str]:
    with db.sessions() as s:
        return [c.client_words for c in s.query(Complaint)]


def test_quitting_with_an_edited_complaint_asks_and_cancel_keeps_both(
        qtbot, db, window_with_complaint, monkeypatch):
    w, dlg = window_with_complaint
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    w.close()
    assert asked == ["Save the changes to this complaint?"]
    assert w.isVisible() and dlg.isVisible() and not w.closing
    assert dlg.words.toPlainText() == "The colour is wrong"
    assert _complaints(db) == []


def test_quitting_with_an_edited_complaint_and_save_saves_it(qtbot, db, window_with_complaint,
                                                             monkeypatch):
    w, dlg = window_with_complaint
    _answer(monkeypatch, QMessageBox.StandardButton.Save)
    w.close()
    qtbot.waitUntil(lambda: w.closed, timeout=30_000)
    assert _complaints(db) == ["The colour is wrong"]


def test_quitting_with_an_edited_complaint_and_discard_drops_it(qtbot, db,
                                                                window_with_complaint,
                                                                monkeypatch):
    w, dlg = window_with_complaint
    _answer(monkeypatch, QMessageBox.StandardButton.Discard)
    w.close()
    qtbot.waitUntil(lambda: w.closed, timeout=30_000)
    assert _complaints(db) == []


def test_quitting_with_a_changed_card_asks_and_save_saves_it(qtbot, ops, db, make_client,
                                                             monkeypatch):
    from app.ui.client_card import open_client_card
    cid = make_client("Filip Kos")
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    card = open_client_card(w, ops, cid)
    qtbot.waitExposed(card)
    card.name.selectAll()
    qtbot.keyClicks(card.name, "Filip Kosowski")
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    w.close()
    assert asked == ["Save the changes to this client?"] and card.isVisible()
    _answer(monkeypatch, QMessageBox.StandardButton.Save)
    w.close()
    qtbot.waitUntil(lambda: w.closed, timeout=30_000)
    with db.sessions() as s:
        assert client_service.load_client(s, cid).name == "Filip Kosowski"


def test_closing_waits_for_running_work_then_backs_up_on_the_executor(qtbot, ops, db,
                                                                      make_client,
                                                                      monkeypatch):
    make_client("Gosia Pawlak")
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    gate = threading.Event()
    order: list[str] = []
    ops.submit_task(w, lambda _job: (gate.wait(10), order.append("work")), label="work")
    real = backups.routine_backup

    def routine_backup(database, kind, now=None, **kw):
        order.append(f"{kind} on {threading.current_thread() is threading.main_thread()}")
        return real(database, kind, now, **kw)

    monkeypatch.setattr(backups, "routine_backup", routine_backup)
    w.close()
    assert w.isVisible() and w.closing  # not blocked: the window still paints
    dialog = w.findChild(QProgressDialog, "closingDialog")
    assert dialog is not None and dialog.labelText() == "Backing up before closing…"
    gate.set()
    qtbot.waitUntil(lambda: w.closed, timeout=30_000)
    assert order == ["work", "exit on False"]
    assert [b.kind for b in backups.list_backups(db.path)] == ["exit"]


# --------------------------------------------------------------------------- remembering


def test_the_window_remembers_its_size(qtbot, ops, db):
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    assert (w.width(), w.height()) == (1280, 720)  # the default
    w.resize(900, 610)  # the offscreen screen is 800 x 800; 900 is the narrowest
    _close(qtbot, w)
    again = MainWindow(ops)
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (900, 610)


def test_the_card_and_the_complaint_window_remember_their_size(qtbot, ops, make_client,
                                                               staff):
    from app.ui.client_card import open_client_card
    cid = make_client("Halina Mróz")
    card = open_client_card(None, ops, cid)
    narrowest = card.minimumSizeHint().width()
    card.resize(narrowest, 590)
    card.reject()
    again = open_client_card(None, ops, cid)
    assert (again.width(), again.height()) == (narrowest, 590)
    again.reject()
    dlg = open_complaint_dialog(None, ops, client_id=cid)
    narrowest = dlg.minimumSizeHint().width()
    dlg.resize(narrowest, 620)
    dlg.reject()
    other = open_complaint_dialog(None, ops, client_id=cid)
    assert (other.width(), other.height()) == (narrowest, 620)
    other.reject()


def test_the_window_first_start_answers_keys(qtbot, ops):
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert w.pages.currentWidget() is w.complaints_page


def test_the_warm_up_imports_what_opens_first_off_the_gui_thread(qtbot, db, make_client,
                                                                 monkeypatch):
    """The last step reads one card on the executor (its statements compiled there) and
    imports the lazily imported pages and windows, so the first card and page a user
    opens do not pay for it."""
    make_client("Irena Pająk")
    seen = {}
    real = ui_app.client_service.load_client

    def load_client(session, cid, **kw):
        seen["thread"] = threading.current_thread()
        return real(session, cid, **kw)

    for name in ui_app.WARM_MODULES:  # as a new process would have them: not imported
        monkeypatch.delitem(sys.modules, name, raising=False)

    monkeypatch.setattr(ui_app.client_service, "load_client", load_client)
    window, start = _start(qtbot, db)
    qtbot.waitUntil(lambda: start.done, timeout=30_000)
    assert start.steps_done[-1] == "warm_up"
    assert seen["thread"] is not threading.main_thread()
    assert all(name in sys.modules for name in ui_app.WARM_MODULES)
    assert window.built_pages() == [Page.CLIENTS]  # classes defined, no page built
    _close(qtbot, window)


def test_the_warm_up_imports_the_slow_reader_modules_on_the_executor(qtbot, db, make_client,
                                                                     monkeypatch):
    """The import's reader (charset detection, spreadsheets: 130 ms) is imported by the
    warm-up job on the executor, the wizard's Qt module on the GUI thread after it: the
    first File ▸ Import… does not import either on the GUI thread."""
    import importlib
    import types

    from app.ui import start as start_module
    make_client("Irena Pająk")
    imported: dict[str, threading.Thread] = {}

    def import_module(name):
        imported.setdefault(name, threading.current_thread())
        return importlib.import_module(name)

    monkeypatch.setattr(start_module, "importlib", types.SimpleNamespace(
        import_module=import_module))
    window, start = _start(qtbot, db)
    qtbot.waitUntil(lambda: start.done, timeout=30_000)
    assert start.steps_done[-1] == "warm_up"
    assert start_module.WARM_WORKER_MODULES == ("app.services.imports",)
    assert imported["app.services.imports"] is not threading.main_thread()
    assert imported["app.ui.import_wizard"] is threading.main_thread()  # a Qt module
    assert list(imported).index("app.services.imports") < \
        list(imported).index("app.ui.call_dialogs")  # before the GUI thread's turns
    _close(qtbot, window)
