"""A database that cannot be written gets its own question, with "Open read-only" as
the safe default; read-only, the window says so and nothing is ever saved (issue 7).

Tests run as root, whom permission bits do not stop: the "is it writable" probe the app
uses (app.db.not_writable, imported into app.ui.app) is replaced to simulate a read-only
file or folder, and every check compares the folder's files and their bytes."""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from app import db as db_module
from app.cli import main
from app.db import open_database
from app.errors import DatabaseOpenError
from app.models import Client, Contact
from app.services import clients as client_service
from app.services import erasure, schedule
from app.ui import app as ui_app
from app.ui import start as ui_start
from app.ui.backup_settings import restore_backup
from app.ui.data_dialogs import erase_client
from app.ui.main_window import MainWindow
from app.ui.ops import Ops
from app.ui.today_page import TodayPage
from tests.ui.modal import answer_modal

TODAY = date(2026, 11, 23)
READ_ONLY_SAID = "This database is open read-only: nothing was saved."


def _state(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def shop(tmp_path) -> Path:
    """A healthy database with two clients and follow-up calls due, closed."""
    path = tmp_path / "stick" / "shop.sqlite"
    db = open_database(path)
    with db.session() as s:
        for name, phone in (("Anna Nowak", "601 234 567"), ("Bartek Lis", "602 345 678")):
            data = client_service.ClientData(name=name, phone=phone)
            data.purchases = [client_service.PurchaseData(purchased_on=TODAY - timedelta(days=3),
                                              amount=Decimal("50.00"))]
            client_service.save_client(s, data, region="PL")
        schedule.regenerate(s, TODAY, rules=schedule.ScheduleRules(
            personal_dates=False, quarterly_review=False, win_back=False,
            keep_in_touch=False))
    db.close()
    return path


@pytest.fixture
def folder_read_only(monkeypatch):
    monkeypatch.setattr(ui_app, "not_writable", lambda p: "folder")  # the lock, the quick start
    monkeypatch.setattr(ui_start, "not_writable", lambda p: "folder")  # the usual open


@pytest.fixture
def quiet_start(monkeypatch):
    """run_gui as in real life, without its log file and global hook outliving the test."""
    monkeypatch.setattr(ui_app, "_setup_logging", lambda: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


@pytest.fixture
def warnings_shown(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    return shown


def _press_enter(qtbot, seen: list):
    def act(box):
        seen.append(box.defaultButton().text())
        qtbot.keyClick(box, Qt.Key.Key_Return)
    return act


def test_the_question_defaults_to_open_read_only(qapp, shop):
    box = ui_app.read_only_question(shop, "folder")
    try:
        assert box.defaultButton().text() == "Open read-only"
        assert box.escapeButton().objectName() == ui_app.CLOSE
        assert {b.text() for b in box.buttons()} == {"Open read-only",
                                                     "Copy to another folder…", "Close"}
        assert "folder" in box.text() and str(shop) in box.text()
    finally:
        box.deleteLater()


def _close_main_window_when_shown(found: list) -> None:
    def poll() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or windows[0].clients_page.model.loading:  # ids: from the executor
            QTimer.singleShot(20, poll)
            return
        w = windows[0]
        found.append({"title": w.windowTitle(), "rows": w.clients_page.model.rowCount(),
                      "banner": w.read_only_banner.isVisible(),
                      "banner_text": w.read_only_banner.text(),
                      "status": w.statusBar().currentMessage()})
        w.close()
    QTimer.singleShot(0, poll)


def test_enter_at_the_question_opens_the_window_read_only_and_changes_nothing(
        qtbot, shop, folder_read_only, quiet_start):
    before = _state(shop.parent)
    seen: list[str] = []
    answer_modal(QMessageBox, _press_enter(qtbot, seen))
    found: list[dict] = []
    _close_main_window_when_shown(found)
    assert ui_app.run_gui(shop, language="en") == 0
    assert seen == ["Open read-only"]
    assert found[0]["title"] == "ClientCare — shop.sqlite (read-only)"
    assert found[0]["rows"] == 2  # the client list is filled
    assert found[0]["banner"] and "Nothing can be saved" in found[0]["banner_text"]
    assert "its folder is read-only" in found[0]["banner_text"]
    assert found[0]["status"].startswith("Read-only:")
    # no lock file left, no start or exit backup, no -wal/-shm, not a byte changed
    assert _state(shop.parent) == before


def test_close_at_the_question_leaves_the_file_unchanged(qtbot, shop, folder_read_only,
                                                         quiet_start, monkeypatch):
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda *a, **k: pytest.fail("closing is no error"))
    before = _state(shop.parent)
    seen: list[str] = []

    def close(box):
        seen.append(box.clickedButton())
        box.button(QMessageBox.StandardButton.Close).click()

    answer_modal(QMessageBox, close)
    assert ui_app.run_gui(shop, language="en") == 2
    assert len(seen) == 1
    assert _state(shop.parent) == before


def test_read_only_on_the_command_line_asks_nothing_and_changes_nothing(
        qtbot, shop, quiet_start, monkeypatch):
    monkeypatch.setattr(ui_start, "ask_read_only",
                        lambda *a: pytest.fail("--read-only needs no question"))
    before = _state(shop.parent)
    found: list[dict] = []
    _close_main_window_when_shown(found)
    assert main(["--read-only", "--db", str(shop), "--lang", "en"]) == 0
    assert found[0]["title"].endswith("(read-only)") and found[0]["rows"] == 2
    assert "as asked at start" in found[0]["banner_text"]
    assert _state(shop.parent) == before


def test_a_read_only_file_refused_by_sqlite_is_offered_read_only(qapp, shop, monkeypatch):
    """When the probe says "writable" but SQLite answers "read-only" (a file that
    became read-only, a network share), the same question comes, not a bare refusal."""
    def refuse(path, **_):
        raise DatabaseOpenError("db.read_only", "readonly", path=str(path))

    monkeypatch.setattr(ui_start, "open_database", refuse)
    asked: list[str] = []
    monkeypatch.setattr(ui_start, "ask_read_only",
                        lambda p, reason: asked.append(reason) or ui_app.OPEN_READ_ONLY)
    db = ui_app.open_or_recover(shop)
    try:
        assert db is not None and db.read_only and asked == ["file"]
    finally:
        db.close()


def test_copy_to_another_folder_opens_a_writable_copy(qapp, shop, tmp_path, folder_read_only,
                                                      monkeypatch):
    before = _state(shop.parent)
    answers = iter([ui_app.COPY_ELSEWHERE])
    monkeypatch.setattr(ui_start, "ask_read_only", lambda *a: next(answers))
    target = tmp_path / "mine" / "shop.sqlite"
    target.parent.mkdir()
    monkeypatch.setattr(ui_start, "choose_copy_target", lambda p: target)
    monkeypatch.setattr(ui_start, "not_writable", lambda p: "folder" if p == shop else None)
    db = ui_app.prepare_database(shop, QLocale(QLocale.Language.English))
    try:
        assert db is not None and not db.read_only and db.path == target
        with db.session() as s:  # the copy takes a save
            client_service.save_client(s, client_service.ClientData(name="Celina"), region="PL")
    finally:
        db.close()
    assert _state(shop.parent) == before


@pytest.fixture
def read_only_window(qtbot, shop, folder_read_only):
    """The window on a read-only database; after the test, the folder is checked to be
    exactly as it was before the open (the database closed)."""
    before = _state(shop.parent)
    db = ui_app.prepare_database(shop, QLocale(QLocale.Language.English), read_only=True)
    assert db is not None and db.read_only
    ops = Ops(db)
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()  # no exit backup; the database closes
    db.close()
    assert _state(shop.parent) == before


def test_saving_a_card_read_only_says_so_and_saves_nothing(qtbot, shop, read_only_window):
    page = read_only_window.clients_page
    page.open_client(page.model.client_id(0))
    card = page.card
    qtbot.waitExposed(card)
    card.activateWindow()
    qtbot.waitUntil(card.isActiveWindow)
    card.name.selectAll()
    qtbot.keyClicks(card.name, "Anna Changed")
    qtbot.keyClick(card, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert card.isVisible()
    assert card.general_error.text() == READ_ONLY_SAID
    card._dirty = False  # close without the "discard changes?" question
    card.close()
    with read_only_window.ops.db.sessions() as s:
        assert {c.name for c in s.scalars(select(Client))} == {"Anna Nowak",
                                                                     "Bartek Lis"}


def test_logging_a_call_read_only_says_so_and_logs_nothing(qtbot, shop, read_only_window,
                                                           warnings_shown):
    page = TodayPage(read_only_window.ops, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.waitUntil(lambda: not page.loading)
    page.table.setFocus()
    assert page.model.rowCount() == 2
    qtbot.keyClick(page.table, Qt.Key.Key_N)  # "no answer"
    qtbot.waitUntil(lambda: not page.busy)  # the call is written on the executor
    assert page.ops.wait()
    assert warnings_shown == [READ_ONLY_SAID]
    assert not page.model.rows[0].settled
    with read_only_window.ops.db.sessions() as s:
        assert s.scalars(select(Contact)).all() == []


def test_every_other_write_is_refused_before_it_starts(qtbot, shop, read_only_window,
                                                        warnings_shown):
    """Back up now, restore, erase, import: refused with the same sentence; the write
    itself never runs."""
    w = read_only_window
    ops = w.ops
    assert ops.run(None, lambda s: pytest.fail("must not run")) is None
    w._back_up_now()  # the File menu's action
    assert w.settings_page.backups.back_up_now() is None
    assert restore_backup(w, ops, shop) is None  # refused: no job
    assert erase_client(w, ops, 1, "Anna Nowak") is False
    backups_page = w.settings_page.backups
    backups_page.ask_folder = lambda: pytest.fail("must not ask")
    assert backups_page.choose_folder() is False
    assert backups_page.delete_selected() is False
    assert warnings_shown == [READ_ONLY_SAID] * 7


def test_a_person_owed_an_erasure_is_refused_in_words_read_only(qtbot, shop, quiet_start,
                                                                  monkeypatch):
    """A backup copied back by hand still holds a person erased at their request: the
    read-only window would show them and cannot erase them again, so it says why."""
    erasure.write_log(shop, {1: date(2026, 11, 1)})
    before = _state(shop.parent)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: said.append(a[2]))
    assert ui_app.run_gui(shop, language="en", read_only=True) == 2
    assert len(said) == 1 and "erased at a person's request" in said[0]
    assert "Copy it to a folder you can write to" in said[0]
    assert _state(shop.parent) == before


def test_the_check_runs_read_only_even_where_sqlite_cannot_make_its_index(
        qtbot, read_only_window, monkeypatch):
    """A read-only folder: SQLite cannot create the -shm a WAL file needs, so plain
    mode=ro says "unable to open"; the check reads the file immutable instead and finds
    it in good order (the fixture then checks that the folder is unchanged)."""
    real = sqlite3.connect

    def connect(target, *a, **k):
        if "mode=ro" in str(target) and "immutable" not in str(target):
            raise sqlite3.OperationalError("unable to open database file")
        return real(target, *a, **k)

    monkeypatch.setattr(db_module.sqlite3, "connect", connect)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(a[2]))
    backups_page = read_only_window.settings_page.backups
    with qtbot.waitSignal(backups_page.check_finished, timeout=30_000) as verdict:
        backups_page.check()
    assert verdict.args == [True]
    assert said == ["The database is in good order."]
