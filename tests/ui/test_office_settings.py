"""Settings → Office server (issue 12), used as a shop owner would: the values typed key
by key (Cyrillic and Polish passwords too), "Test the connection" against the real
PostgreSQL server with its result beside the button, "Use this server on this PC" only
after a test that passed, "Use this PC's own file"; the tab on a window that runs on a
server; the start without --db opening the remembered server, and this PC's own file
when the server is down. The keyring lives in memory; the config folder is the test's."""

from __future__ import annotations

import sys

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy.engine import make_url

from app import office_choice
from app.office_choice import ServerChoice, load_choice, write_choice
from app.services import office
from app.services.messages import secrets
from app.ui import app as ui_app
from app.ui import start as ui_start
from app.ui.main_window import MainWindow
from app.ui.office_settings import OfficeSettings
from app.ui.ops import Ops
from app.ui.settings_page import SettingsPage, SettingsTab
from tests.messages_support import free_port, install_memory_keyring
from tests.ui.keys import type_keys
from tests.ui.modal import answer_modal

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def keys():
    mem, before = install_memory_keyring()
    yield mem
    keyring.set_keyring(before)


@pytest.fixture
def here(tmp_path, monkeypatch):
    """This PC: its config folder and its own database file, the test's."""
    folder = tmp_path / "config"
    own = tmp_path / "own" / "clientcare.sqlite"
    monkeypatch.setattr(office_choice, "config_dir", lambda: folder)
    monkeypatch.setattr(office_choice, "default_db_path", lambda: own)
    monkeypatch.setattr(ui_app, "default_db_path", lambda: own)
    return folder / office_choice.CHOICE_FILE


def _tab(qtbot, ops) -> OfficeSettings:
    tab = OfficeSettings(ops)
    qtbot.addWidget(tab)
    tab.resize(1000, 700)
    tab.show()
    ops.wait(timeout_ms=10_000)  # the keyring's answer for the values shown
    QApplication.processEvents()
    return tab


def _type(qtbot, tab: OfficeSettings, *, host: str, port: int, database: str, user: str,
          password: str) -> None:
    """Every field emptied, then typed key by key as at a keyboard."""
    for edit, text in ((tab.host, host), (tab.database, database), (tab.user, user),
                       (tab.password, password)):
        edit.setFocus()
        edit.selectAll()
        qtbot.keyClick(edit, Qt.Key.Key_Delete)
        type_keys(qtbot, edit, text)
        assert edit.text() == text
    tab.port.setFocus()
    tab.port.lineEdit().selectAll()
    qtbot.keyClicks(tab.port, str(port))
    assert tab.port.value() == port


def _server(pg_url: str) -> dict:
    u = make_url(pg_url)
    return {"host": u.host, "port": u.port or 5432, "database": u.database,
            "user": u.username, "password": u.password}


def _click_test(qtbot, tab: OfficeSettings) -> None:
    qtbot.mouseClick(tab.test_button, LEFT)
    qtbot.waitUntil(lambda: tab.test_button.isEnabled(), timeout=15_000)


def test_the_tab_is_in_settings(qtbot, ops, here, keys):
    page = SettingsPage(ops)
    qtbot.addWidget(page)
    assert page.tabs.tabText(SettingsTab.OFFICE) == "Office server"
    assert page.tabs.widget(SettingsTab.OFFICE) is page.office
    assert isinstance(page.office, OfficeSettings)
    ops.wait(timeout_ms=10_000)


def test_the_owner_tests_the_server_then_uses_it_then_goes_back(qtbot, ops, db, here, keys,
                                                                pg_url):
    tab = _tab(qtbot, ops)
    assert "this PC's own file" in tab.current.text() and str(db.path) in tab.current.text()
    assert "opens this PC's own file" in tab.next_start.text()
    assert not tab.own_button.isEnabled()  # nothing chosen to forget
    assert tab.port.value() == 5432 and tab.password.echoMode() == tab.password.EchoMode.Password
    server = _server(pg_url)
    _type(qtbot, tab, **server)
    # not before a test that passed
    qtbot.mouseClick(tab.use_button, LEFT)
    assert tab.use_error.isVisible() and "Test the connection first" in tab.use_error.text()
    assert not here.exists()
    _click_test(qtbot, tab)
    assert tab.report is not None
    assert tab.status.text() == tab.report_text(tab.report)
    assert tab.status.text().startswith(f"Connected to PostgreSQL {tab.report.version.split()[0]}.")
    qtbot.mouseClick(tab.use_button, LEFT)
    qtbot.waitUntil(lambda: "Saved" in tab.saved.text(), timeout=10_000)
    assert not tab.use_error.isVisible()
    assert "from its next start" in tab.saved.text()
    assert load_choice() == ServerChoice(server["host"], server["port"], server["database"],
                                         server["user"])
    assert server["password"] not in here.read_text(encoding="utf-8").replace(
        f'"user": "{server["user"]}"', "")
    account = load_choice().account
    assert keys.items == {(secrets.OFFICE_SERVICE, account): server["password"]}
    assert tab.password.text() == "" and tab.own_button.isEnabled()
    assert server["host"] in tab.next_start.text() and server["database"] in tab.next_start.text()
    # opened again: the choice in the fields, the password said to be kept
    again = _tab(qtbot, ops)
    assert (again.host.text(), again.port.value(), again.database.text(), again.user.text()) \
        == (server["host"], server["port"], server["database"], server["user"])
    assert again.password.placeholderText() == "kept in the system keyring"
    type_keys(qtbot, again.user, "x")  # another user: no password kept for them
    assert again.password.placeholderText() == ""
    qtbot.keyClick(again.user, Qt.Key.Key_Backspace)
    assert again.password.placeholderText() == "kept in the system keyring"
    _click_test(qtbot, again)  # with the kept password
    assert again.status.text().startswith("Connected to PostgreSQL")
    # back to this PC's own file: the choice and its password forgotten
    qtbot.mouseClick(again.own_button, LEFT)
    qtbot.waitUntil(lambda: "Forgotten" in again.saved.text(), timeout=10_000)
    assert not here.exists() and keys.items == {}
    assert "opens this PC's own file" in again.next_start.text()
    assert not again.own_button.isEnabled()


@pytest.mark.parametrize("password", ["Пароль-ёжик 2026", "Zażółć gęślą jaźń!"])
def test_a_cyrillic_or_polish_password_reaches_the_server_and_the_keyring(
        qtbot, ops, here, keys, monkeypatch, password):
    tried: list[tuple[ServerChoice, str | None]] = []

    def answer(choice, pw, **_kw):
        tried.append((choice, pw))
        return office.ConnectionReport(version="16.4", state=office.CURRENT,
                                       revision=office.HEAD_REVISION)

    monkeypatch.setattr(office, "test_connection", answer)
    tab = _tab(qtbot, ops)
    _type(qtbot, tab, host="serwer-biuro", port=5433, database="клиенты", user="kasia",
          password=password)
    _click_test(qtbot, tab)
    assert tried == [(ServerChoice("serwer-biuro", 5433, "клиенты", "kasia"), password)]
    assert tab.status.text() == ("Connected to PostgreSQL 16.4. The database is ready for "
                                 "this ClientCare.")
    qtbot.mouseClick(tab.use_button, LEFT)
    qtbot.waitUntil(lambda: "Saved" in tab.saved.text(), timeout=10_000)
    assert keys.items == {(secrets.OFFICE_SERVICE, "kasia@serwer-biuro:5433/клиенты"):
                          password}
    assert load_choice().database == "клиенты"


def test_a_wrong_password_is_said_beside_the_button_and_nothing_is_kept(
        qtbot, ops, here, keys, pg_url):
    tab = _tab(qtbot, ops)
    _type(qtbot, tab, **{**_server(pg_url), "password": "złe-hasło"})
    _click_test(qtbot, tab)
    assert "refused the user name or password" in tab.status.text()
    assert "złe-hasło" not in tab.status.text()
    qtbot.mouseClick(tab.use_button, LEFT)
    assert tab.use_error.isVisible() and not here.exists() and keys.items == {}


def test_a_port_where_nothing_listens_is_said(qtbot, ops, here, keys):
    tab = _tab(qtbot, ops)
    _type(qtbot, tab, host="127.0.0.1", port=free_port(), database="clientcare",
          user="anna", password="x")
    _click_test(qtbot, tab)
    assert "No database server answers" in tab.status.text()
    assert "color: #b91c1c" in tab.status.styleSheet()


def test_a_value_changed_after_the_test_needs_a_new_test(qtbot, ops, here, keys,
                                                         monkeypatch):
    monkeypatch.setattr(office, "test_connection", lambda *_a, **_k: office.ConnectionReport(
        version="15.1", state=office.EMPTY, revision=None))
    tab = _tab(qtbot, ops)
    _type(qtbot, tab, host="server", port=5432, database="clientcare", user="anna",
          password="pass")
    _click_test(qtbot, tab)
    assert "The database is empty" in tab.status.text()
    type_keys(qtbot, tab.host, "2")
    assert tab.status.text() == ""
    qtbot.mouseClick(tab.use_button, LEFT)
    assert tab.use_error.isVisible() and not here.exists()


def test_empty_values_are_said_beside_their_fields(qtbot, ops, here, keys, monkeypatch):
    monkeypatch.setattr(office, "test_connection",
                        lambda *_a, **_k: pytest.fail("tested with empty values"))
    tab = _tab(qtbot, ops)
    _type(qtbot, tab, host=" ", port=5432, database="", user="", password="")
    qtbot.mouseClick(tab.test_button, LEFT)
    assert tab.errors["host"].isVisible()
    assert tab.errors["host"].text() == "Give the server's name or IP address."
    assert tab.errors["database"].text() == "Give the name of the database on the server."
    assert tab.errors["user"].text() == "Give the user name for the server."
    assert not tab.errors["port"].isVisible()
    qtbot.mouseClick(tab.use_button, LEFT)
    assert tab.errors["host"].isVisible() and not here.exists()
    _type(qtbot, tab, host="shop@server", port=5432, database="d", user="u", password="")
    qtbot.mouseClick(tab.test_button, LEFT)
    assert "is not a server's name" in tab.errors["host"].text()
    assert not tab.errors["database"].isVisible()


def test_on_a_server_the_tab_says_which_server_and_user(qtbot, pg_database, pg_url, here,
                                                         keys):
    door = Ops(pg_database)
    try:
        tab = _tab(qtbot, door)
        server = _server(pg_url)
        text = tab.current.text()
        assert "office server" in text and server["host"] in text
        assert server["database"] in text and f"“{server['user']}”" in text
        assert server["password"] not in text.replace(server["user"], "")
        # nothing remembered yet: the window's server is in the fields, the password not
        assert (tab.host.text(), tab.database.text(), tab.user.text()) == (
            server["host"], server["database"], server["user"])
        assert tab.password.text() == ""
    finally:
        door.wait(timeout_ms=10_000)
        door.executor.shutdown()


# --------------------------------------------------------------------------- the start


def _run_and_close(qtbot, monkeypatch) -> list:
    """run_gui as a user starts it, without --db; its event loop closes the window once
    it has its door. Returns the windows' databases."""
    opened = []
    monkeypatch.setattr(ui_app, "_setup_logging", lambda: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)

    def run_then_close(*_a) -> int:
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w.isVisible())
        qtbot.waitUntil(lambda: window.ops is not None, timeout=20_000)
        opened.append(window.ops.db)
        window.close()
        qtbot.waitUntil(lambda: window.closed, timeout=30_000)
        return 0

    monkeypatch.setattr(QApplication, "exec", run_then_close)
    assert ui_app.run_gui(None, language="en") == 0
    return opened


def test_a_remembered_server_that_is_down_offers_this_pcs_file(qtbot, here, keys,
                                                                monkeypatch):
    choice = ServerChoice("127.0.0.1", free_port(), "clientcare", "anna")
    write_choice(choice)
    keys.items[(secrets.OFFICE_SERVICE, choice.account)] = "hasło"
    asked: list[str] = []

    def own_file(box: QMessageBox) -> None:
        asked.append(box.text())
        next(b for b in box.buttons() if b.objectName() == ui_start.OPEN_FILE).click()

    answer_modal(QMessageBox, own_file)
    opened = _run_and_close(qtbot, monkeypatch)
    assert len(asked) == 1 and "No database server answers" in asked[0]
    assert "hasło" not in asked[0] and f":{choice.port}" in asked[0]  # the remembered one
    assert [d.path for d in opened] == [office_choice.default_db_path().resolve()]
    assert load_choice() == choice  # still chosen for the next start


def test_a_damaged_choice_is_said_and_this_pcs_file_opens(qtbot, here, monkeypatch):
    here.parent.mkdir(parents=True)
    here.write_text("{not json", encoding="utf-8")
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    opened = _run_and_close(qtbot, monkeypatch)
    assert len(warned) == 1
    assert "cannot be read" in warned[0] and "own file opens" in warned[0]
    assert [d.path for d in opened] == [office_choice.default_db_path().resolve()]


def test_a_damaged_choice_is_said_in_the_tab_and_can_be_replaced(qtbot, ops, here, keys,
                                                                  monkeypatch):
    here.parent.mkdir(parents=True)
    here.write_text('{"format": 1, "host": ', encoding="utf-8")
    tab = _tab(qtbot, ops)
    assert "cannot be read" in tab.next_start.text() and str(here) in tab.next_start.text()
    assert "color: #b91c1c" in tab.next_start.styleSheet()
    monkeypatch.setattr(office, "test_connection", lambda *_a, **_k: office.ConnectionReport(
        version="16.4", state=office.CURRENT, revision=office.HEAD_REVISION))
    _type(qtbot, tab, host="server", port=5432, database="clientcare", user="anna",
          password="pass")
    _click_test(qtbot, tab)
    qtbot.mouseClick(tab.use_button, LEFT)
    qtbot.waitUntil(lambda: "Saved" in tab.saved.text(), timeout=10_000)
    assert load_choice() == ServerChoice("server", 5432, "clientcare", "anna")
    assert "server “server”" in tab.next_start.text() and tab.next_start.styleSheet() == ""
