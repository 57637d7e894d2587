"""Backups as the owner meets them: made at start and exit and by hand, listed in
Settings, restored (after backing up the current data), one window per database, and a
damaged file offered its newest good backup."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from app.db import open_database
from app.models import Client
from app.services import backups
from app.ui.app import instance_lock, open_or_recover
from app.ui.backup_settings import BackupSettings, check_database
from app.ui.clients_page import ClientsPage


def _count(db) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(Client))


@pytest.fixture
def yes(monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (
        asked.append(a[2]), QMessageBox.StandardButton.Yes)[1])
    return asked


def test_back_up_now_lists_the_backup(qtbot, ops, db, make_client):
    make_client("Anna")
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 0
    info = page.back_up_now()
    assert info is not None and info.path.exists() and info.kind == "manual"
    assert page.table.rowCount() == 1
    assert page.table.item(0, 0).text() == "Made by hand"
    assert info.path.name in page.status.text()


def test_restore_brings_the_data_back_and_keeps_what_was_there(qtbot, ops, db, make_client,
                                                               yes):
    make_client("Anna")
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    clients = ClientsPage(ops)
    qtbot.addWidget(clients)
    page.back_up_now()
    make_client("Bartek")  # after the backup
    clients.model.reload()
    assert clients.model.rowCount() == 2
    page.table.selectRow(0)
    assert page.restore_selected()
    assert yes and "Replace all data" in yes[0]
    assert ops.db is not db  # opened again
    assert _count(ops.db) == 1
    assert clients.model.rowCount() == 1  # every page reloaded
    kinds = [b.kind for b in backups.list_backups(ops.db.path)]
    assert "before-restore" in kinds  # Bartek is not lost: he is in that backup
    saved = next(b for b in backups.list_backups(ops.db.path) if b.kind == "before-restore")
    copy = open_database(saved.path, create=False)
    try:
        assert _count(copy) == 2
    finally:
        copy.close()
    ops.db.close()


def test_restore_needs_a_choice_and_a_yes(qtbot, ops, db, make_client, monkeypatch):
    make_client("Anna")
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    page.table.setCurrentCell(-1, -1)
    assert not page.restore_selected()
    assert "Choose a backup" in page.status.text()
    page.back_up_now()
    page.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Cancel)
    make_client("Bartek")
    assert not page.restore_selected()
    assert _count(ops.db) == 2 and ops.db is db


def test_the_check_says_the_database_is_fine(qtbot, ops, db, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(a[2]))
    assert check_database(None, ops)
    assert said == ["The database is in good order."]


def test_one_window_per_database(tmp_path):
    path = tmp_path / "shop.sqlite"
    first = instance_lock(path)
    assert first is not None
    assert instance_lock(path) is None  # a second ClientCare on the same file is told
    assert instance_lock(tmp_path / "other.sqlite") is not None
    first.unlock()
    again = instance_lock(path)
    assert again is not None
    again.unlock()


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path):
    path = tmp_path / "shop.sqlite"
    code = ("import sys, os\n"
            "from PySide6.QtCore import QLockFile\n"
            f"lock = QLockFile({str(path) + '.lock'!r}); lock.setStaleLockTime(0)\n"
            "assert lock.tryLock(0)\n"
            "os._exit(0)  # dies holding the lock\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert Path(str(path) + ".lock").exists()
    lock = instance_lock(path)
    assert lock is not None
    lock.unlock()


def test_a_damaged_file_is_offered_its_newest_good_backup(tmp_path, make_client, db, yes):
    make_client("Anna")
    good = backups.make_backup(db.path, "start")
    path = db.path
    db.close()
    data = bytearray(path.read_bytes())
    for i in range(4096, min(len(data), 4096 * 6)):  # scribble over the first pages
        data[i] = 0xA5
    path.write_bytes(bytes(data))
    reopened = open_or_recover(path)
    try:
        assert reopened is not None and _count(reopened) == 1
        assert len(yes) == 1 and "Restore the newest good backup" in yes[0]
        assert good.path.exists()
        assert any(p.name.startswith(path.name + ".damaged-") for p in path.parent.iterdir())
    finally:
        if reopened is not None:
            reopened.close()


def test_closing_the_window_makes_an_exit_backup(qtbot, ops, db):
    from app.ui.main_window import MainWindow
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    w.close()
    assert [b.kind for b in backups.list_backups(db.path)] == ["exit"]
