"""Help → About ClientCare and Help → Check for updates (app/ui/about.py), against a
local web server serving the releases file: a newer version is offered as its download
page (opened on Enter, not on Escape), the same version says so, a server that is down
is said in words; the check never runs on the GUI thread."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.config import data_dir
from app.services import updates
from app.ui import about
from tests.ui.modal import answer_modal
from tests.ui.windows import window_at_1280

DOWNLOAD = "https://example.org/clientcare/9.0.0/"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        versions = {"/newer.json": "9.0.0", "/same.json": __version__}
        if self.path not in versions:
            self.send_error(404)
            return
        data = json.dumps({"version": versions[self.path], "download_url": DOWNLOAD}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """The addresses the browser was asked to open (none really is)."""
    urls: list[str] = []
    monkeypatch.setattr(about, "open_url", lambda url: urls.append(url) or True)
    return urls


@pytest.fixture
def threads(monkeypatch) -> list[str]:
    """The thread each check ran on."""
    names: list[str] = []
    real = updates.check_for_updates

    def check(*args, **kwargs):
        names.append(threading.current_thread().name)
        return real(*args, **kwargs)
    monkeypatch.setattr(updates, "check_for_updates", check)
    return names


def _answer(qtbot, key) -> tuple[list[str], list[str]]:
    """Press ``key`` in the next message box; (its class once answered, its text)."""
    texts: list[str] = []

    def press(box):
        texts.append(box.text())
        qtbot.keyClick(box, key)
    return answer_modal(QMessageBox, press), texts


def _ask_from_the_menu(qtbot, window, key):
    action = window.findChild(type(window.menuBar().actions()[0]), "checkUpdatesAction")
    assert action is not None and action.isEnabled()
    seen, texts = _answer(qtbot, key)
    asker = window.updates_asker()
    with qtbot.waitSignal(asker.answered, timeout=20_000) as answered:
        action.trigger()
    assert seen == ["QMessageBox"]
    return answered.args[0], texts[0]


def test_a_newer_version_opens_its_download_page_on_enter(qtbot, ops, server, opened,
                                                         threads, monkeypatch):
    monkeypatch.setenv(updates.URL_ENV, f"{server}/newer.json")
    window = window_at_1280(qtbot, ops)
    result, text = _ask_from_the_menu(qtbot, window, Qt.Key.Key_Return)
    assert result.newer and "ClientCare 9.0.0 is available" in text and __version__ in text
    assert opened == [DOWNLOAD]
    assert threads == ["clientcare-updates"]  # off the GUI thread
    assert threading.main_thread().name != "clientcare-updates"


def test_escape_leaves_the_browser_closed(qtbot, ops, server, opened, monkeypatch):
    monkeypatch.setenv(updates.URL_ENV, f"{server}/newer.json")
    window = window_at_1280(qtbot, ops)
    result, _text = _ask_from_the_menu(qtbot, window, Qt.Key.Key_Escape)
    assert result.newer and opened == []


def test_the_same_version_is_the_newest(qtbot, ops, server, opened, monkeypatch):
    monkeypatch.setenv(updates.URL_ENV, f"{server}/same.json")
    window = window_at_1280(qtbot, ops)
    result, text = _ask_from_the_menu(qtbot, window, Qt.Key.Key_Return)
    assert not result.newer
    assert text == f"ClientCare {__version__} is the newest version."
    assert opened == []


def test_a_server_that_is_down_is_said_in_words(qtbot, ops, opened, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/latest.json"
    monkeypatch.setenv(updates.URL_ENV, url)
    window = window_at_1280(qtbot, ops)
    result, text = _ask_from_the_menu(qtbot, window, Qt.Key.Key_Return)
    assert result.code == "updates.unreachable"
    assert text.startswith(f"ClientCare could not reach {url} to look for updates (")
    assert "Traceback" not in text and opened == []


def test_a_copy_without_an_address_says_so(qtbot, ops, opened, monkeypatch):
    monkeypatch.delenv(updates.URL_ENV, raising=False)
    monkeypatch.setattr(updates, "RELEASES_URL", "")
    window = window_at_1280(qtbot, ops)
    result, text = _ask_from_the_menu(qtbot, window, Qt.Key.Key_Return)
    assert result.code == "updates.no_url"
    assert "no address to look for updates" in text


def test_about_shows_the_version_the_data_folder_and_the_database(qtbot, ops):
    window = window_at_1280(qtbot, ops)
    shown: list[tuple[str, str]] = []

    def look(dialog):
        shown.append((dialog.title.text(), dialog.details.text()))
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    seen = answer_modal(about.AboutDialog, look)
    window.findChild(type(window.menuBar().actions()[0]), "aboutAction").trigger()
    assert seen == ["AboutDialog"]
    title, details = shown[0]
    assert __version__ in title
    assert f"Data folder: {data_dir()}" in details
    assert str(ops.db.path) in details


def test_about_says_when_the_copy_is_portable(qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(about, "portable_data_dir", lambda: tmp_path / "data")
    monkeypatch.setattr(about, "data_dir", lambda: tmp_path / "data")
    dialog = about.AboutDialog(None, None)
    qtbot.addWidget(dialog)
    assert ("Portable: the data is in the folder beside the program, "
            f"{tmp_path / 'data'}") in dialog.details.text()
    assert "Database:" not in dialog.details.text()  # before the window's door is open


def test_about_s_button_checks_for_updates(qtbot, server, opened, monkeypatch):
    monkeypatch.setenv(updates.URL_ENV, f"{server}/newer.json")
    dialog = about.AboutDialog(None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    seen, _texts = _answer(qtbot, Qt.Key.Key_Return)
    with qtbot.waitSignal(dialog.asker.answered, timeout=20_000):
        qtbot.mouseClick(dialog.updates_button, Qt.MouseButton.LeftButton)
    assert seen == ["QMessageBox"] and opened == [DOWNLOAD]


def test_a_second_ask_while_the_first_is_out_starts_nothing(qtbot, monkeypatch):
    started = threading.Event()
    release = threading.Event()

    def slow(*_a, **_k):
        started.set()
        release.wait(10)
        return updates.UpdateInfo(current=__version__, latest=__version__, download_url=DOWNLOAD)
    monkeypatch.setattr(updates, "check_for_updates", slow)
    dialog = about.AboutDialog(None, None)
    qtbot.addWidget(dialog)
    dialog.asker.ask()
    assert started.wait(5)
    first = dialog.asker.check
    dialog.asker.ask()  # pressed again while the network is slow
    assert dialog.asker.check is first
    seen, _texts = _answer(qtbot, Qt.Key.Key_Return)
    with qtbot.waitSignal(dialog.asker.answered, timeout=20_000):
        release.set()
    assert seen == ["QMessageBox"]
    QApplication.processEvents()


def test_the_window_icon_has_every_size(qapp):
    from PySide6.QtCore import QSize

    from app.ui.app import app_icon
    sizes = app_icon().availableSizes()
    for n in (16, 32, 48, 64, 128, 256):
        assert QSize(n, n) in sizes
