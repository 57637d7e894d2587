"""Backups as the owner meets them: made at start and exit and by hand, listed in
Settings, restored (after backing up the current data), one window per database, and a
damaged file offered its newest good backup."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import func, select

from app import config
from app import db as db_module
from app.changes import Changes
from app.config import backup_dir_for, default_backup_dir
from app.db import integrity_check, open_database
from app.errors import DatabaseOpenError, DomainError
from app.models import Client
from app.services import backups
from app.services import settings as settings_service
from app.ui import start as app_module  # opening the file lives there (app.ui.app re-exports)
from app.ui.app import instance_lock, open_or_recover, prepare_database, start_of_day
from app.ui.backup_settings import BackupPickerDialog, BackupSettings, check_database
from app.ui.clients_page import ClientsPage
from app.ui.main_window import MainWindow
from app.ui.messages import error_text
from app.ui.ops import Ops
from app.ui.settings_page import SettingsPage


def _count(db) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(Client))


def _count_file(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM clients").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def warnings_shown(monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    return said


@pytest.fixture
def yes(monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (
        asked.append(a[2]), QMessageBox.StandardButton.Yes)[1])
    return asked


def _back_up(qtbot, page):
    """Click "Back up now" and wait for the background backup to come back."""
    with qtbot.waitSignal(page.backup_finished, timeout=30000) as sig:
        qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    assert page.ops.wait()  # the job's last signals are delivered too
    return sig.args[0]


def test_back_up_now_lists_the_backup(qtbot, ops, db, make_client):
    make_client("Anna")
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 0
    info = _back_up(qtbot, page)
    assert info is not None and info.path.exists() and info.kind == "manual"
    assert page.table.rowCount() == 1
    assert page.table.item(0, 0).text() == "Made by hand"
    assert info.path.name in page.status.text()
    assert page.backup_button.isEnabled()


def test_back_up_now_runs_in_the_background_with_the_full_check(qtbot, ops, db,
                                                                make_client, monkeypatch):
    """The copy and its integrity_check run on the database executor, not the GUI
    thread."""
    make_client("Anna")
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    seen: list[tuple[str, str]] = []
    real = backups._write_copy

    def spy(source, partial, *, verify, **kwargs):
        seen.append((threading.current_thread().name, str(verify)))
        return real(source, partial, verify=verify, **kwargs)

    monkeypatch.setattr(backups, "_write_copy", spy)
    info = _back_up(qtbot, page)
    assert info is not None
    assert len(seen) == 1
    assert seen[0][0].startswith("clientcare-db")  # the one database executor
    assert seen[0][1] == "True"  # verified with the full integrity check


def test_restore_brings_the_data_back_and_keeps_what_was_there(qtbot, ops, db, make_client,
                                                               yes):
    make_client("Anna")
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    clients = ClientsPage(ops)
    qtbot.addWidget(clients)
    clients.show()  # a shown page reloads on the restore (a hidden one when shown)
    _back_up(qtbot, page)
    make_client("Bartek")  # after the backup
    clients.model.reload()
    qtbot.waitUntil(lambda: not clients.model.loading)
    assert clients.model.rowCount() == 2
    page.table.selectRow(0)
    said = []
    ops.bus.changed.connect(said.append)
    job = page.restore_selected()
    assert job is not None and ops.executor.jobs == [job]  # a job of the one executor
    assert ops.wait(job) and job.ok
    assert said == [Changes.everything()]  # every page reloads
    assert yes and "Replace all data" in yes[0]
    assert ops.db is not db  # opened again
    assert _count(ops.db) == 1
    qtbot.waitUntil(lambda: clients.model.rowCount() == 1)  # every page reloaded
    kinds = [b.kind for b in backups.list_backups(ops.db.path)]
    assert "before-restore" in kinds  # Bartek is not lost: he is in that backup
    saved = next(b for b in backups.list_backups(ops.db.path) if b.kind == "before-restore")
    copy = open_database(saved.path, create=False)
    try:
        assert _count(copy) == 2
    finally:
        copy.close()
    ops.db.close()


def test_a_list_painted_during_a_restore_does_not_open_the_file(qtbot, ops, db, make_client,
                                                                yes, monkeypatch):
    """The restore's job waits, with the database closed, while the window paints the
    client list rows it has not read (what a repaint under the progress dialog does):
    nothing is read on this thread then, so no connection is left open on the file
    being replaced (one made the restore fail with "database is locked"), and the rows
    are read again from the restored file."""
    from app.services import restoring

    make_client("Anna")
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    clients = ClientsPage(ops)
    qtbot.addWidget(clients)
    clients.show()
    qtbot.waitUntil(lambda: not clients.model.loading and clients.model.rowCount() == 1)
    _back_up(qtbot, page)
    make_client("Bartek")
    clients.model.reload()
    qtbot.waitUntil(lambda: not clients.model.loading and clients.model.rowCount() == 2)
    inside, go_on = threading.Event(), threading.Event()
    real = restoring.restore_backup

    def slow_restore(*args, **kwargs):
        inside.set()
        assert go_on.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(restoring, "restore_backup", slow_restore)
    old = ops.db
    page.table.selectRow(0)
    job = page.restore_selected()
    assert job is not None
    qtbot.waitUntil(inside.is_set)
    assert ops.replacing
    clients.model.refresh_rows()  # forget every row read: the paint must read them
    name = clients.model.index(0, 0)
    assert clients.model.data(name) in (None, "")  # drawn blank, nothing read
    with pytest.raises(DomainError) as refused:
        ops.read(lambda s: s.scalar(select(func.count()).select_from(Client)))
    assert refused.value.code == "db.replacing"
    assert old.engine.pool.checkedout() == 0
    assert "Connections in pool: 0" in old.engine.pool.status()  # none opened meanwhile
    go_on.set()
    assert ops.wait(job) and job.ok
    assert not ops.replacing and ops.db is not old
    qtbot.waitUntil(lambda: clients.model.rowCount() == 1)
    assert clients.model.data(clients.model.index(0, 0))  # read again, from the backup
    ops.db.close()


def test_restore_needs_a_choice_and_a_yes(qtbot, ops, db, make_client, monkeypatch):
    make_client("Anna")
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    page.table.setCurrentCell(-1, -1)
    assert page.restore_selected() is None
    assert "Choose a backup" in page.status.text()
    _back_up(qtbot, page)
    page.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Cancel)
    make_client("Bartek")
    assert page.restore_selected() is None
    assert _count(ops.db) == 2 and ops.db is db


def test_the_check_says_the_database_is_fine(qtbot, ops, db, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(a[2]))
    verdict: list[bool] = []
    assert ops.wait(check_database(None, ops, verdict.append))
    assert verdict == [True]
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


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for i in range(4096, min(len(data), 4096 * 6)):  # scribble over the first pages
        data[i] = 0xA5
    path.write_bytes(bytes(data))


def test_a_damaged_file_lets_the_user_pick_the_backup(tmp_path, make_client, db,
                                                      monkeypatch):
    make_client("Anna")
    older = backups.make_backup(db.path, "manual")
    make_client("Bartek")
    newer = backups.make_backup(db.path, "start")
    path = db.path
    db.close()
    _damage(path)
    offered: list[list] = []

    def pick(_parent, text, choices):
        offered.append([b.path for b in choices])
        assert "damaged" in text
        return choices[1]  # the user picks the older one, not the newest

    monkeypatch.setattr(BackupPickerDialog, "ask", pick)
    reopened = open_or_recover(path)
    try:
        assert offered == [[newer.path, older.path]]
        assert reopened is not None and _count(reopened) == 1
        assert any(p.name.startswith(path.name + ".damaged-") for p in path.parent.iterdir())
    finally:
        if reopened is not None:
            reopened.close()


def test_a_damaged_file_is_never_restored_by_default(tmp_path, make_client, db, monkeypatch):
    make_client("Anna")
    backups.make_backup(db.path, "start")
    path = db.path
    db.close()
    _damage(path)
    damaged = path.read_bytes()
    monkeypatch.setattr(BackupPickerDialog, "ask", lambda *a: None)  # closed the dialog
    assert open_or_recover(path) is None
    assert path.read_bytes() == damaged
    assert not any(".damaged-" in p.name for p in path.parent.iterdir())


def test_the_backup_picker_chooses_nothing_by_itself(qtbot, db, make_client):
    make_client("Anna")
    made = [backups.make_backup(db.path, "start"), backups.make_backup(db.path, "manual")]
    dlg = BackupPickerDialog(None, "The database is damaged.", backups.list_backups(db.path))
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.chosen() is None
    assert not dlg.restore_button.isEnabled()
    assert dlg.close_button.isDefault() and not dlg.restore_button.isDefault()
    qtbot.keyClick(dlg, Qt.Key.Key_Return)  # Enter takes the safe default
    assert dlg.result() == QDialog.DialogCode.Rejected
    dlg2 = BackupPickerDialog(None, "x", backups.list_backups(db.path))
    qtbot.addWidget(dlg2)
    dlg2.show()
    dlg2.table.selectRow(1)
    assert dlg2.restore_button.isEnabled()
    qtbot.mouseClick(dlg2.restore_button, Qt.MouseButton.LeftButton)
    assert dlg2.result() == QDialog.DialogCode.Accepted
    assert dlg2.chosen().path == made[0].path


def _hold_exclusive(path: Path) -> sqlite3.Connection:
    """Another program holding the file: an exclusive lock no reader gets past."""
    con = sqlite3.connect(path, timeout=0)
    con.execute("PRAGMA locking_mode=EXCLUSIVE")
    con.execute("BEGIN EXCLUSIVE")
    con.execute("CREATE TABLE IF NOT EXISTS other_program (x)")
    return con


def test_a_locked_healthy_file_is_not_called_damaged_at_start(tmp_path, make_client, db,
                                                               monkeypatch):
    """Today this said "damaged" and the default Yes restored an older backup."""
    from app import sqlite_file
    make_client("Anna")
    backups.make_backup(db.path, "start")
    make_client("Bartek")  # newer work than the backup
    path = db.path
    db.close()
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 100)
    holder = _hold_exclusive(path)
    asked: list[tuple[str, object]] = []

    def box(_icon, text, _buttons, default):
        asked.append((text, default))
        if len(asked) == 1:
            return QMessageBox.StandardButton.Retry
        holder.rollback()
        holder.close()  # the other program let go: the retry opens it
        return QMessageBox.StandardButton.Retry

    monkeypatch.setattr(app_module, "_box", box)
    monkeypatch.setattr(BackupPickerDialog, "ask",
                        lambda *a: pytest.fail("a locked file is not damaged"))
    reopened = open_or_recover(path)
    try:
        assert reopened is not None and _count(reopened) == 2  # nothing restored
        assert len(asked) == 2
        assert "in use by another program" in asked[0][0] and "try again" in asked[0][0]
        assert asked[0][1] == QMessageBox.StandardButton.Retry
        assert not any(".damaged-" in p.name for p in path.parent.iterdir())
    finally:
        if reopened is not None:
            reopened.close()


def test_a_locked_file_closed_at_start_is_left_alone(tmp_path, make_client, db, monkeypatch):
    from app import sqlite_file
    make_client("Anna")
    backups.make_backup(db.path, "start")
    path = db.path
    db.close()
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 100)
    holder = _hold_exclusive(path)
    monkeypatch.setattr(app_module, "_box", lambda *a: QMessageBox.StandardButton.Close)
    try:
        assert open_or_recover(path) is None
    finally:
        holder.rollback()
        holder.close()
    assert _count_file(path) == 1


def test_a_file_that_cannot_be_opened_is_not_called_damaged(tmp_path, make_client, db,
                                                            monkeypatch):
    """A read-only folder or a drive gone: SQLite's "unable to open" (root ignores
    permission bits, so the error is injected where the check opens the file)."""
    make_client("Anna")
    backups.make_backup(db.path, "start")
    path = db.path
    db.close()
    before = path.read_bytes()
    real = sqlite3.connect

    def connect(target, *a, **k):
        if str(target).startswith("file:") and str(path) in str(target):
            raise sqlite3.OperationalError("unable to open database file")
        return real(target, *a, **k)

    monkeypatch.setattr(db_module.sqlite3, "connect", connect)
    monkeypatch.setattr(BackupPickerDialog, "ask",
                        lambda *a: pytest.fail("an unopenable file is not damaged"))
    with pytest.raises(DatabaseOpenError) as info:
        open_or_recover(path)
    assert info.value.code == "db.cannot_open"
    assert "Choose another folder" in error_text(info.value)
    monkeypatch.setattr(db_module.sqlite3, "connect", real)
    assert path.read_bytes() == before


def test_a_busy_database_at_start_is_a_clear_message(qtbot, tmp_path, make_client, db,
                                                    monkeypatch):
    """Another program writing while the day's calls are brought up to date: today
    "Something unexpected went wrong"; now the window is there, the busy sentence is
    said over it, and nothing is half-done."""

    from app import sqlite_file
    from app.models import Staff
    from app.services import settings as settings_service
    from app.ui.app import locale_facts, show_window
    make_client("Anna")
    path = db.path
    db.close()
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 100)
    writer = sqlite3.connect(path, timeout=0)
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock; readers still read (WAL)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    try:
        opened = prepare_database(path, QLocale(QLocale.Language.English), check=False)
        assert opened is not None  # opening only reads
        window, start = show_window(opened, locale_facts(QLocale(QLocale.Language.English)))
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: start.done, timeout=30_000)
        assert window.isVisible() and window.clients_page.model.rowCount() == 1
    finally:
        writer.rollback()
        writer.close()
    assert said == [("The database is busy in another program; your change was not saved. "
                     "Please try again in a moment.")]
    assert start.steps_done == ["check"]  # the first write stopped the rest
    with window.ops.db.sessions() as s:
        assert s.query(Staff).count() == 0
        assert settings_service.get(s, "internal.stats_as_of") in (None, "")
    window.close()
    qtbot.waitUntil(lambda: window.closed, timeout=30_000)


def test_closing_the_window_makes_an_exit_backup(qtbot, ops, db):
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    w.close()
    qtbot.waitUntil(lambda: w.closed, timeout=30_000)  # the exit backup is a job
    assert [b.kind for b in backups.list_backups(db.path)] == ["exit"]


def test_start_and_exit_without_a_change_make_one_backup(qtbot, db, make_client):
    """Today every start and every close wrote a full copy."""
    make_client("Anna")
    for _ in range(3):  # three sessions in which nobody changed anything
        ops = Ops(open_database(db.path))
        start_of_day(ops.db)  # what every start does before its backup
        w = MainWindow(ops)
        qtbot.addWidget(w)
        w.show()
        assert ops.wait(w.settings_page.backups.start_backup("start"))
        w.close()
        qtbot.waitUntil(lambda w=w: w.closed, timeout=30_000)  # the exit backup is a job
    assert [b.kind for b in backups.list_backups(db.path)] == ["start"]
    make_client("Bartek")  # a change: the next close backs it up
    ops = Ops(open_database(db.path))
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.close()
    qtbot.waitUntil(lambda: w.closed, timeout=30_000)  # the exit backup is a job
    listed = backups.list_backups(db.path)
    assert listed[0].kind == "exit"
    assert listed[0].order == 2  # only two copies were ever written


def test_the_import_backup_survives_closing_the_app(qtbot, ops, db, make_client):
    """The wizard showed its path; closing the app the same day must not delete it."""
    make_client("Anna")
    before_import = backups.routine_backup(db, "import")
    make_client("Bartek")
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    w.close()
    qtbot.waitUntil(lambda: w.closed, timeout=30_000)  # the exit backup is a job
    assert before_import.path.exists()
    assert [b.kind for b in backups.list_backups(db.path)] == ["exit", "import"]


def test_a_backup_is_deleted_from_the_list(qtbot, ops, db, make_client, monkeypatch):
    make_client("Anna")
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    first = _back_up(qtbot, page)
    make_client("Bartek")
    second = _back_up(qtbot, page)
    assert page.table.rowCount() == 2
    page.table.selectRow(1)  # the older one
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert not page.delete_selected()
    assert first.path.exists()
    asked: list[tuple] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (
        asked.append(a), QMessageBox.StandardButton.Yes)[1])
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0][4] == QMessageBox.StandardButton.Cancel  # the safe default
    assert not first.path.exists() and second.path.exists()
    assert page.table.rowCount() == 1


def test_the_backups_folder_is_chosen_in_settings(qtbot, ops, db, make_client, tmp_path,
                                                  monkeypatch):
    monkeypatch.setattr(config, "data_dir", lambda: tmp_path / "appdata")
    make_client("Anna")
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    old = _back_up(qtbot, page)
    other_disk = tmp_path / "other-disk" / "shop-backups"
    monkeypatch.setattr(page, "ask_folder", lambda: other_disk)
    qtbot.mouseClick(page.choose_folder_button, Qt.MouseButton.LeftButton)
    assert str(other_disk) in page.folder_label.text()
    make_client("Bartek")
    new = _back_up(qtbot, page)
    assert new.path.parent == other_disk
    # the earlier backup stays listed where it is
    assert [b.path for b in backups.list_backups(db.path)] == [new.path, old.path]
    # and the choice holds for the next start and for the command line
    assert backup_dir_for(db.path) == other_disk.resolve()


def test_a_folder_that_cannot_take_backups_is_refused(qtbot, ops, db, tmp_path, monkeypatch,
                                                      warnings_shown):
    monkeypatch.setattr(config, "data_dir", lambda: tmp_path / "appdata")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    monkeypatch.setattr(page, "ask_folder", lambda: blocker / "sub")
    assert not page.choose_folder()
    assert warnings_shown and "cannot be kept" in warnings_shown[0]
    assert backup_dir_for(db.path) == default_backup_dir(db.path)


def test_a_wrong_clock_is_said(qtbot, ops, db, make_client):
    make_client("Anna")
    backups.make_backup(db.path, "start", now=datetime.now() + timedelta(days=28))
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    page.show()
    assert page.clock_warning.isVisible()
    assert "clock" in page.clock_warning.text()


def test_after_a_restore_the_rules_show_the_restored_values_and_save_keeps_them(
        qtbot, ops, db, make_client, yes):
    """Today Rules kept the old values and Save wrote them over the restored ones."""
    make_client("Anna")
    page = SettingsPage(ops)
    qtbot.addWidget(page)
    page.show()
    rules = page.rules
    page.tabs.setCurrentWidget(rules)
    _back_up(qtbot, page.backups)  # follow-up after 3 days in the backup
    spin = rules.editors["rule.follow_up.after_days"]
    spin.selectAll()
    qtbot.keyClicks(spin, "9")
    qtbot.mouseClick(rules.save_button, Qt.MouseButton.LeftButton)
    assert ops.wait()
    page.business_name.clear()
    qtbot.keyClicks(page.business_name, "Renamed Shop")
    page.save()
    assert ops.wait()
    with ops.db.sessions() as s:
        assert settings_service.get(s, "rule.follow_up.after_days") == 9
        assert settings_service.get(s, "business.name") == "Renamed Shop"
    page.backups.table.selectRow(0)
    assert ops.wait(page.backups.restore_selected())
    page.tabs.setCurrentWidget(rules)  # a hidden tab reads the restored file when shown
    qtbot.waitUntil(lambda: spin.value() == 3)  # the restored value, on the page
    assert page.business_name.text() == ""  # the Business tab too
    qtbot.mouseClick(rules.save_button, Qt.MouseButton.LeftButton)
    assert ops.wait()
    page.save()
    assert ops.wait()
    with ops.db.sessions() as s:
        assert settings_service.get(s, "rule.follow_up.after_days") == 3  # not the old 9
        assert settings_service.get(s, "business.name") == ""
    ops.db.close()


def test_the_check_runs_off_the_gui_thread(qtbot, ops, db, monkeypatch):
    """File → Check reads the whole file: it runs on the database executor, and the
    window keeps handling events meanwhile (a timer fires while the check is still
    running)."""

    threads: list[str] = []

    def slow_check(path):
        threads.append(threading.current_thread().name)
        time.sleep(0.3)
        return integrity_check(path)
    monkeypatch.setattr("app.ui.backup_settings.integrity_check", slow_check)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    verdict: list[bool] = []
    try:
        job = check_database(None, ops, verdict.append)
        assert ops.executor.jobs == [job]  # a job of the one executor
        assert ops.wait(job)
    finally:
        timer.stop()
    assert verdict == [True]
    assert threads and threads[0].startswith("clientcare-db")
    assert len(ticks) >= 3  # the GUI thread was not blocked for the 0.3 s


def test_a_backup_waits_for_the_work_before_it(qtbot, ops, db, make_client, monkeypatch):
    """One executor: a backup asked for during an import runs after it, never beside."""
    make_client("Anna")
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    release = threading.Event()
    order: list[str] = []

    def importing(job):
        release.wait(10)
        order.append("import")

    first = ops.submit_task(None, importing, label="an import")
    real = backups.routine_backup

    def backup(*a, **k):
        order.append("backup")
        return real(*a, **k)

    monkeypatch.setattr(backups, "routine_backup", backup)
    job = page.back_up_now()
    qtbot.wait(100)
    assert order == [] and not job.finished  # waits its turn
    release.set()
    assert ops.wait(job) and first.ok and job.ok
    assert order == ["import", "backup"]
    assert [b.kind for b in backups.list_backups(db.path)] == ["manual"]


def test_the_exit_backup_is_a_job_the_window_can_wait_for(qtbot, ops, db, make_client):
    make_client("Anna")
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    job = page.start_backup("exit")
    assert job.label == "Backing up…" and ops.executor.jobs == [job]
    assert ops.wait(job) and job.ok
    assert [b.kind for b in backups.list_backups(db.path)] == ["exit"]


def test_a_refusal_no_screen_caught_is_said_in_its_own_words(qapp, monkeypatch):
    """A read refused while the file is put back (raised in a slot no screen guards)
    reaches the window's last resort, which says the refusal itself, not "something
    unexpected"."""
    from app.ui import app as app_ui
    from app.ui.ops import replacing_error

    said: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(("w", text)))
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: said.append(("c", text)))
    exc = replacing_error()
    app_ui._excepthook(type(exc), exc, None)
    assert said == [("w", error_text(exc))]
    assert "backup" in said[0][1]
    app_ui._excepthook(RuntimeError, RuntimeError("boom"), None)
    assert said[1][0] == "c" and "Something unexpected" in said[1][1]


def test_a_file_that_does_not_open_after_a_restore_is_refused_with_why(
        qtbot, ops, db, make_client, yes, monkeypatch):
    """The backup was put in place but the file then does not open (locked by another
    program, say): the window says why once, and every later read, write and job is
    refused with that same reason, never "wait for the restore" (it will not end) and
    never on the closed file."""
    from app.ui import backup_settings

    make_client("Anna")
    page = BackupSettings(ops)
    qtbot.addWidget(page)
    _back_up(qtbot, page)
    shown: list[str] = []
    monkeypatch.setattr(backup_settings, "show_error",
                        lambda _parent, exc: shown.append(exc.code))

    def does_not_open(*_args, **_kwargs):
        raise DomainError("db.locked", "another program holds the file")

    monkeypatch.setattr(backup_settings, "open_database", does_not_open)
    page.table.selectRow(0)
    job = page.restore_selected()
    assert job is not None
    assert ops.wait(job) and job.finished
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == ["db.locked"]  # said once, in its own words
    with pytest.raises(DomainError) as refused:
        ops.read(lambda s: s.scalar(select(func.count()).select_from(Client)))
    assert refused.value.code == "db.locked"
    with pytest.raises(DomainError) as refused:
        ops.run(None, lambda s: None, raise_domain=True)
    assert refused.value.code == "db.locked"
    errors: list[str] = []
    later = ops.submit(None, lambda s, _job: s.scalar(select(func.count()).select_from(
        Client)), label="a count", on_error=lambda exc: errors.append(exc.code))
    assert later is not None
    assert ops.wait(later)
    qtbot.waitUntil(lambda: bool(errors))
    assert errors == ["db.locked"]
    assert db.engine.pool.checkedout() == 0
