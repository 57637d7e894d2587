"""A database file in a network folder: the window warns at start (SQLite's locking is
not reliable there) and points to office mode, then opens the file all the same (issue
17). The network is simulated: app.ui.app's ``network_filesystem`` is replaced."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.db import open_database
from app.services import clients as client_service
from app.ui import app as ui_app
from app.ui.main_window import MainWindow
from tests.ui.modal import answer_modal


@pytest.fixture
def shop(tmp_path):
    path = tmp_path / "office" / "shop.sqlite"
    db = open_database(path)
    with db.session() as s:
        data = client_service.ClientData(name="Anna Nowak", phone="601 234 567")
        data.purchases = [client_service.PurchaseData(purchased_on=date(2026, 11, 2),
                                                      amount=Decimal("50.00"))]
        client_service.save_client(s, data, region="PL")
    db.close()
    return path


@pytest.fixture
def on_nfs(monkeypatch):
    monkeypatch.setattr(ui_app, "network_filesystem", lambda p: "nfs4")


def _read_and_press_enter(qtbot, seen: list):
    def act(box: QMessageBox):
        seen.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)
    return act


def test_a_file_in_a_network_folder_is_warned_about(qtbot, shop, on_nfs):
    seen: list[str] = []
    answer_modal(QMessageBox, _read_and_press_enter(qtbot, seen))
    assert ui_app.warn_if_on_network(shop) is True
    assert len(seen) == 1
    text = seen[0]
    assert str(shop) in text and "(nfs4)" in text
    assert "office mode" in text and "clientcare migrate-to-postgres" in text


def test_a_file_on_a_local_disk_is_not(qtbot, shop, monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda *a, **k: pytest.fail("warned about a local file"))
    assert ui_app.warn_if_on_network(shop) is False


def test_the_window_opens_after_the_warning(qtbot, shop, on_nfs, monkeypatch):
    monkeypatch.setattr(ui_app, "_setup_logging", lambda: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    seen: list[str] = []
    answer_modal(QMessageBox, _read_and_press_enter(qtbot, seen))
    found: list[int] = []

    def close_when_shown() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or windows[0].clients_page.model.loading:
            QTimer.singleShot(20, close_when_shown)
            return
        found.append(windows[0].clients_page.model.rowCount())
        windows[0].close()

    QTimer.singleShot(0, close_when_shown)
    assert ui_app.run_gui(shop, language="en") == 0
    assert len(seen) == 1 and "network folder" in seen[0]
    assert found == [1]  # the list of the file, opened as usual
