"""The window on an office server (issue 17): ``--db postgresql+psycopg://…`` opens the
whole app on PostgreSQL — the client list, the start in the background without the file's
check and copies, the server's backups by pg_dump in Settings, an erase without a file to
compact — and a server that does not answer is asked about (Retry or Close), never a
traceback."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app import cli
from app.errors import DomainError
from app.models import Client
from app.services import erasure, server_backup
from app.services.demo_file import create_demo_file
from app.services.to_server import migrate_to_server
from app.ui import start as ui_start
from app.ui.main_window import Page
from app.ui.server_backup_settings import ServerBackupSettings
from tests.conftest import REQUIRE_PG_ENV, empty_pg
from tests.ui.modal import answer_modal

ENGLISH_US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


@pytest.fixture(scope="module")
def demo_on_server(tmp_path_factory, pg_url, pg_database):
    """The server's database holding a small demo business (moved from a file)."""
    path = tmp_path_factory.mktemp("office") / "demo.sqlite"
    create_demo_file(path, clients=40, locale="en_US", seed=11)
    empty_pg(pg_database)
    migrate_to_server(path, pg_url, replace=True)
    with pg_database.sessions() as s:
        live = s.scalar(select(func.count()).select_from(Client)
                        .where(Client.deleted_at.is_(None)))
    return pg_url, live


def _window(qtbot, url: str):
    opened = ui_start.prepare_database(url, ENGLISH_US)
    assert opened is not None and opened.on_server
    window, start = ui_start.show_window(opened, ui_start.locale_facts(ENGLISH_US))
    qtbot.addWidget(window)
    return window, start


def _close(qtbot, window) -> None:
    window.close()
    qtbot.waitUntil(lambda: window.closed, timeout=30_000)


def test_the_window_opens_on_the_server_with_its_clients(qtbot, demo_on_server):
    url, live = demo_on_server
    window, start = _window(qtbot, url)
    qtbot.waitUntil(lambda: start.done, timeout=60_000)
    assert "start_of_day" in start.steps_done and "erasures" in start.steps_done
    # no quick check of a file, no copy of one
    assert "start_backup" not in start.steps_done
    qtbot.waitUntil(lambda: window.clients_page.model.rowCount() == live, timeout=10_000)
    parsed = make_url(url)
    assert window.windowTitle().endswith(f"{parsed.database} @ {parsed.host}")
    shown = window.statusBar().currentMessage()
    assert parsed.database in shown and f":{parsed.password}@" not in shown and "***" in shown
    window.nav.setCurrentRow(Page.TODAY)
    qtbot.waitUntil(lambda: window.today_page.model.rowCount() > 0, timeout=10_000)
    _close(qtbot, window)
    assert window.closed


def test_settings_back_up_the_server_with_pg_dump(qtbot, demo_on_server, tmp_path,
                                                   monkeypatch):
    if shutil.which("pg_dump") is None:
        if os.environ.get(REQUIRE_PG_ENV):
            pytest.fail("pg_dump is not on the PATH where PostgreSQL is required")
        pytest.skip("pg_dump is not on the PATH")
    monkeypatch.setattr(server_backup, "data_dir", lambda: tmp_path)
    url, _live = demo_on_server
    window, start = _window(qtbot, url)
    qtbot.waitUntil(lambda: start.done, timeout=60_000)
    window.nav.setCurrentRow(Page.SETTINGS)
    panel = window.settings_page.backups
    assert isinstance(panel, ServerBackupSettings)
    assert panel.folder.is_relative_to(tmp_path)
    assert panel.backup_button.isEnabled() and not panel.restore_button.isEnabled()
    with qtbot.waitSignal(panel.backup_finished, timeout=60_000) as got:
        qtbot.mouseClick(panel.backup_button, qtbot_left())
    made = got.args[0]
    assert made is not None and made.path.parent == panel.folder
    assert made.path.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert panel.table.rowCount() == 1 and panel.table.item(0, 0).text() == made.path.name
    assert not list(panel.folder.glob("*.partial"))
    # how to restore it, with the dump named
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda _parent, _title, text, *a: seen.append(text))
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.restore_button, qtbot_left())
    assert seen and "pg_restore" in seen[0] and made.path.name in seen[0]
    _close(qtbot, window)


def qtbot_left():
    from PySide6.QtCore import Qt
    return Qt.MouseButton.LeftButton


def test_a_failed_pg_dump_leaves_no_file_and_says_why(demo_on_server, tmp_path):
    if shutil.which("pg_dump") is None:
        if os.environ.get(REQUIRE_PG_ENV):
            pytest.fail("pg_dump is not on the PATH where PostgreSQL is required")
        pytest.skip("pg_dump is not on the PATH")
    url, _live = demo_on_server
    wrong = make_url(url).set(password="not-the-password")
    with pytest.raises(DomainError) as caught:
        server_backup.dump(wrong, tmp_path, now=datetime(2026, 12, 2, 9, 0))
    assert caught.value.code == "server_backup.failed"
    assert "password" in caught.value.values["detail"].lower()
    assert list(tmp_path.iterdir()) == []


def test_no_pg_dump_on_the_pc_is_said_and_the_button_is_off(monkeypatch, tmp_path):
    monkeypatch.setattr(server_backup.shutil, "which", lambda _name: None)
    with pytest.raises(DomainError) as caught:
        server_backup.dump(make_url("postgresql+psycopg://u@h/db"), tmp_path)
    assert caught.value.code == "server_backup.no_pg_dump"
    from app.ui.messages import error_text
    assert "pg_dump" in error_text(caught.value)


def test_an_erase_on_the_server_has_no_file_to_compact(demo_on_server, pg_database):
    with pg_database.sessions() as s:
        client_id = s.scalar(select(Client.id).where(Client.erased_at.is_(None))
                             .order_by(Client.id).limit(1))
    report = erasure.erase_everywhere(pg_database.sessions, None, client_id,
                                      datetime(2026, 12, 2, 9, 0))
    assert report.on_server and report.compact_error is None
    with pg_database.sessions() as s:
        assert s.get(Client, client_id).erased_at is not None
        assert client_id in erasure.logged(s)  # the server's own log catches a restore
    # the start's reapply reads the server's log and finds nothing left to erase
    assert erasure.reapply_on_open(pg_database) == 0


def _answer_connection(seen: list[dict], answers: list[str]) -> None:
    """Answer the next questions of a server that cannot be reached with ``answers``
    (the buttons' names: ui_start.RETRY, OPEN_FILE, CLOSE), noting what each said."""
    def act(box: QMessageBox) -> None:
        seen.append({"text": box.text(), "more": box.informativeText(),
                     "buttons": {b.objectName(): b.text() for b in box.buttons()},
                     "default": box.defaultButton().objectName()})
        name = answers.pop(0)
        if answers:
            answer_modal(QMessageBox, act)
        next(b for b in box.buttons() if b.objectName() == name).click()

    answer_modal(QMessageBox, act)


def test_a_server_that_does_not_answer_is_asked_about(qtbot, monkeypatch):
    """Nothing listens on port 1: the user reads the translated sentence and chooses
    Retry (tried again, the default) or Close (no window, no traceback); the question
    also offers this PC's own file."""
    seen: list[dict] = []
    _answer_connection(seen, [ui_start.RETRY, ui_start.CLOSE])
    monkeypatch.setattr("app.server.CONNECT_TIMEOUT", 2)
    assert ui_start.prepare_database(
        "postgresql+psycopg://someone:secret@127.0.0.1:1/shop", ENGLISH_US) is None
    assert len(seen) == 2
    first = seen[0]
    assert "No database server answers" in first["text"] and "secret" not in first["text"]
    assert "office server is on" in first["text"]
    assert first["default"] == ui_start.RETRY
    assert set(first["buttons"]) == {ui_start.RETRY, ui_start.OPEN_FILE, ui_start.CLOSE}
    assert first["buttons"][ui_start.OPEN_FILE] == "Open this PC's file"
    assert "does not reach the server" in first["more"]


def test_the_question_can_open_this_pcs_file_instead(qtbot):
    seen: list[dict] = []
    _answer_connection(seen, [ui_start.OPEN_FILE])
    assert ui_start.prepare_database(
        "postgresql+psycopg://someone:secret@127.0.0.1:1/shop", ENGLISH_US) \
        == ui_start.OPEN_FILE
    assert len(seen) == 1


def test_the_command_line_keeps_a_server_url_as_typed(demo_on_server, capsys):
    url, _live = demo_on_server
    args = cli.build_parser().parse_args(["--db", url])
    assert args.db == url  # not folded by a Path into postgresql+psycopg:/…
    assert isinstance(cli.build_parser().parse_args(["--db", "shop.sqlite"]).db, Path)
    assert cli.main(["agenda", "--db", url, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["calls"] and all(c["task_id"] for c in printed["calls"])


def test_a_backup_folder_that_cannot_be_made_is_said(tmp_path):
    """A file where the server backups' folder should be: refused with its code before
    pg_dump runs, nothing written."""
    blocker = tmp_path / "server-backups"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        server_backup.dump(make_url("postgresql+psycopg://u:p@127.0.0.1:1/shop"),
                           blocker / "shop", program="/bin/true")
    assert caught.value.code == "server_backup.folder"
    assert caught.value.values["path"] == str(blocker / "shop")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_disk_that_fills_up_during_the_dump_leaves_no_partial_file(tmp_path):
    """pg_dump writes half the file, then the disk is full: the half file goes, the
    message carries pg_dump's own words, and the dumps made before stay."""
    earlier = tmp_path / f"shop-2026-12-01_090000{server_backup.SUFFIX}"
    earlier.write_bytes(b"PGDMP earlier")
    fake = tmp_path / "pg_dump"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do case "$a" in --file=*) f="${a#--file=}";; '
                    'esac; done\nprintf "PGDMP half" > "$f"\n'
                    'echo "pg_dump: error: could not write to output file: '
                    'No space left on device" >&2\nexit 1\n', encoding="utf-8")
    fake.chmod(0o755)
    with pytest.raises(DomainError) as caught:
        server_backup.dump(make_url("postgresql+psycopg://u:p@127.0.0.1:1/shop"), tmp_path,
                           now=datetime(2026, 12, 2, 9, 0), program=str(fake))
    assert caught.value.code == "server_backup.failed"
    assert "No space left on device" in caught.value.values["detail"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([earlier.name, "pg_dump"])
    assert [b.path for b in server_backup.list_dumps(tmp_path)] == [earlier]
