"""Data out and a person's rights, from the window: export, a client's data as a file,
erasing a client, merging two clients."""

from __future__ import annotations

import errno
import json
import threading
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QItemSelectionModel, QSettings, QStandardPaths, Qt, QTranslator
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from sqlalchemy import func, select

from app.errors import DomainError
from app.models import Client, Contact, Erasure, Purchase
from app.models.enums import Channel, Direction, Outcome, TaskKind, Tone
from app.services import backups, erasure
from app.services.io import export as export_service
from app.ui import data_dialogs
from app.ui.app import install_translations
from app.ui.client_card import open_client_card
from app.ui.clients_page import ClientsPage


def export(ops, what: str, path: Path) -> int | None:
    """Export as File → Export does, and wait for the job: rows written, or None."""
    written: list[int] = []
    job = data_dialogs.export_to(None, ops, what, path, written.append)
    assert job is not None and ops.wait(job)
    return written[0] if written else None


def test_export_writes_translated_headings(qtbot, ops, db, make_client, tmp_path):
    make_client("Zofia Wiśniewska", phone="601 234 567", purchases=[(date(2026, 5, 1), "12.50")])
    path = tmp_path / "clients.xlsx"
    assert export(ops, "clients", path) == 1
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("Number", "Name", "Person or company")
    assert rows[1][1] == "Zofia Wiśniewska"
    assert export(ops, "purchases", tmp_path / "p.csv") == 1
    text = (tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Number;Client number;Client;Card number;Date")
    assert ";12.50;" in text.splitlines()[1]


def test_an_export_to_a_missing_folder_is_explained(qtbot, ops, db, tmp_path, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    assert export(ops, "clients", tmp_path / "no" / "x.csv") is None
    assert said and "cannot be written" in said[0]


def test_a_clients_data_as_a_file(qtbot, ops, db, make_client, tmp_path):
    cid = make_client("Anna Nowak", email="anna@example.com",
                      purchases=[(date(2026, 5, 1), "80.00")])
    path = tmp_path / "anna.json"
    job = data_dialogs.write_client_data(None, ops, cid, path)
    assert job is not None and ops.wait(job) and job.ok
    assert not path.with_name(path.name + ".partial").exists()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["client"]["name"] == "Anna Nowak"
    assert data["client"]["email"] == "anna@example.com"
    assert [p["amount"] for p in data["purchases"]] == ["80.00"]


def _erase_in(dialog: data_dialogs.EraseDialog, qtbot, *, clean: bool | None = None) -> int:
    """Drive the erase dialog as a user: (un)tick the backups box, click Erase, wait for
    the background work, click Close."""
    dialog.show()
    qtbot.waitExposed(dialog)
    if clean is not None and dialog.clean_backups.isChecked() != clean:
        qtbot.mouseClick(dialog.clean_backups, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.close_button.isVisible(), timeout=20000)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    return dialog.result()


@pytest.fixture
def english(qapp):
    """The English translation, whose plural forms say "1 backup", "2 backups"."""
    install_translations(qapp, "en")
    yield
    for tr in qapp.findChildren(QTranslator):
        qapp.removeTranslator(tr)


@pytest.fixture
def drive_erase(qtbot, monkeypatch, english):
    """Answer the modal erase dialog when it opens: returns the dialogs seen."""
    seen: list[data_dialogs.EraseDialog] = []
    options: dict = {}

    def exec_(self):
        seen.append(self)
        if options.get("cancel"):
            qtbot.mouseClick(self.cancel_button, Qt.MouseButton.LeftButton)
            return self.result()
        return _erase_in(self, qtbot, clean=options.get("clean"))

    monkeypatch.setattr(data_dialogs.EraseDialog, "exec", exec_)
    return seen, options


def test_erasing_from_the_card(qtbot, ops, db, make_client, drive_erase):
    cid = make_client("Anna Nowak", phone="601 234 567",
                      purchases=[(date(2026, 5, 1), "80.00")])
    changes = []
    ops.bus.changed.connect(changes.append)
    card = open_client_card(None, ops, cid)
    qtbot.addWidget(card)
    assert card.more_button.isVisibleTo(card)
    card.erase_action.trigger()
    assert not card.isVisible()
    with db.sessions() as s:
        c = s.get(Client, cid)
        assert (c.name, c.phone, c.erased_at is not None) == (f"#{cid}", None, True)
        assert s.scalar(select(func.sum(Purchase.amount))) == Decimal("80.00")
        assert s.get(Erasure, cid) is not None
    assert changes and changes[-1].touches("client") and cid in changes[-1].client_ids
    wal = Path(f"{db.path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed after the erase


def test_erasing_asks_first(qtbot, ops, db, make_client, drive_erase):
    _seen, options = drive_erase
    options["cancel"] = True
    cid = make_client("Anna Nowak")
    assert not data_dialogs.erase_client(None, ops, cid, "Anna Nowak")
    with db.sessions() as s:
        assert s.get(Client, cid).name == "Anna Nowak"
        assert s.get(Erasure, cid) is None


def test_cancel_is_the_default_button(qtbot, ops, make_client):
    cid = make_client("Anna Nowak")
    dlg = data_dialogs.EraseDialog(None, ops, cid, "Anna Nowak", [])
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.cancel_button.isDefault() and not dlg.erase_button.isDefault()
    qtbot.keyClick(dlg, Qt.Key.Key_Return)
    assert dlg.result() == QDialog.DialogCode.Rejected and dlg.report is None
    assert not dlg.clean_backups.isVisible()
    assert dlg.backups_label.text() == "No backup holds this person's data."


def test_the_dialog_counts_the_backups_and_cleans_them(qtbot, ops, db, make_client,
                                                      drive_erase):
    cid = make_client("Anna Nowak", email="anna@example.com")
    for day in (1, 2):
        backups.make_backup(db.path, "manual", datetime(2026, 10, day, 9))
    seen, _options = drive_erase
    assert data_dialogs.erase_client(None, ops, cid, "Anna Nowak")
    dlg = seen[0]
    assert dlg.backups_label.text() == "2 backups made earlier still hold this person's data."
    assert "Erased from 2 backups." in dlg.status.text()
    assert dlg.progress.value() == dlg.progress.maximum() == 4
    assert erasure.backups_holding(db.path, [cid]) == []
    for b in backups.list_backups(db.path):
        assert b"anna@example.com" not in b.path.read_bytes()


def test_unticked_backups_are_left_and_said_so(qtbot, ops, db, make_client, drive_erase):
    cid = make_client("Anna Nowak")
    backups.make_backup(db.path, "manual", datetime(2026, 10, 1, 9))
    seen, options = drive_erase
    options["clean"] = False
    assert data_dialogs.erase_client(None, ops, cid, "Anna Nowak")
    assert "1 backup still holds this person; a restore of one erases them again." in (
        seen[0].status.text())
    assert len(erasure.backups_holding(db.path, [cid])) == 1


def test_the_erase_runs_off_the_gui_thread(qtbot, ops, db, make_client, drive_erase,
                                           monkeypatch):
    cid = make_client("Anna Nowak")
    threads = []
    real = erasure.erase_everywhere

    def spy(*a, **k):
        threads.append(threading.get_ident())
        return real(*a, **k)

    monkeypatch.setattr(erasure, "erase_everywhere", spy)
    assert data_dialogs.erase_client(None, ops, cid, "Anna Nowak")
    assert threads and threads[0] != threading.get_ident()


def test_a_failed_erase_is_explained_in_the_dialog(qtbot, ops, db, make_client,
                                                  monkeypatch):
    cid = make_client("Anna Nowak")

    def fail(*a, **k):
        raise DomainError("db.locked_write", "locked")

    monkeypatch.setattr(erasure, "erase_everywhere", fail)
    dlg = data_dialogs.EraseDialog(None, ops, cid, "Anna Nowak", [])
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.mouseClick(dlg.erase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.cancel_button.isEnabled(), timeout=10000)
    assert dlg.report is None and "busy in another program" in dlg.status.text()
    with db.sessions() as s:
        assert s.get(Client, cid).name == "Anna Nowak"


# --------------------------------------------------------------------------- exports


@pytest.fixture
def own_settings(tmp_path, qapp):
    """QSettings of this test only (the last folder is remembered there)."""
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    QSettings().clear()
    yield
    QSettings().clear()


def test_save_dialogs_open_in_documents_then_in_the_last_folder(qtbot, ops, db, make_client,
                                                                tmp_path, monkeypatch,
                                                                own_settings):
    make_client("Anna Nowak")
    asked = []
    target = tmp_path / "out" / "clients.xlsx"
    target.parent.mkdir()

    def save_dialog(parent, title, start, filters):
        asked.append(start)
        return str(target), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    monkeypatch.setattr(data_dialogs.ExportDialog, "ask",
                        classmethod(lambda cls, parent: "clients"))
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(a[2]))
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert ops.wait(data_dialogs.export_tables(None, ops))
    assert said == [f"1 row(s) written to {target}."]
    assert Path(asked[0]).parent == Path(docs)
    assert Path(asked[0]).name.startswith("clients-") and asked[0].endswith(".xlsx")
    assert ops.wait(data_dialogs.export_tables(None, ops))
    assert Path(asked[1]).parent == target.parent
    assert ops.wait(data_dialogs.export_client_data(None, ops, 1))
    assert Path(asked[2]).parent == target.parent


def test_the_program_folder_is_never_the_start(qtbot, own_settings, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    QSettings().setValue(data_dialogs.FOLDER_KEY, str(tmp_path / "gone"))
    start = data_dialogs.start_folder()
    assert start != Path.cwd() and start != tmp_path / "gone"


def test_xlsx_export_speaks_the_users_words(qtbot, ops, db, make_client, tmp_path):
    cid = make_client("Zofia Wiśniewska", phone="601 234 567",
                      preferred_channel=Channel.IN_PERSON)
    with db.session() as s:
        s.add(Contact(client_id=cid, at=datetime(2026, 5, 3, 14, 30), channel=Channel.EMAIL,
                      direction=Direction.INBOUND, purpose=TaskKind.FOLLOW_UP,
                      outcome=Outcome.REACHED, tone=Tone.POSITIVE, note="=1+1"))
    path = tmp_path / "clients.xlsx"
    assert export(ops, "clients", path) == 1
    wb = load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert row["Person or company"] == "Person"
    assert row["Preferred channel"] == "In person"
    assert row["Do not contact"] == "No"
    assert row["Phone"] == "+48601234567" and ws.cell(2, header.index("Phone") + 1
                                                      ).data_type == "s"
    assert ws.freeze_panes == "A2"
    assert all(c.font.b for c in ws[1])
    assert ws.column_dimensions["B"].width >= len("Zofia Wiśniewska")
    path = tmp_path / "contacts.xlsx"
    assert export(ops, "contacts", path) == 1
    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert (row["Channel"], row["Direction"], row["Purpose"], row["Outcome"], row["Tone"]) == (
        "E-mail", "Incoming", "Follow-up after purchase", "Reached", "Positive")
    note = ws.cell(2, header.index("Note") + 1)
    assert (note.value, note.data_type) == ("=1+1", "s")


def test_value_labels_of_unknown_codes_stay_as_stored():
    assert data_dialogs.value_label("channel", "pigeon") == "pigeon"
    assert data_dialogs.value_label("refund", True) == "Yes"
    assert data_dialogs.value_label("group", "A") == "A"


def test_merging_two_selected_clients(qtbot, ops, db, make_client, monkeypatch):
    a = make_client("Anna Nowak", phone="601 234 567", purchases=[(date(2026, 5, 1), "80.00")])
    b = make_client("Anna Nowak (2)", email="anna@example.com",
                    purchases=[(date(2026, 6, 1), "20.00")])
    page = ClientsPage(ops)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)  # the ids come from the executor
    assert not page.merge_button.isEnabled()
    sel = page.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(page.model.rowCount()):
        sel.select(page.model.index(row, 0), flags)
    assert page.merge_button.isEnabled()
    shown = []
    monkeypatch.setattr(data_dialogs.MergeDialog, "ask",
                        classmethod(lambda cls, parent, x, y: (shown.extend([x, y]), (a, b))[1]))
    assert page.merge_selected() == a
    assert {shown[0][0], shown[1][0]} == {a, b}
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.selected_ids() == [a]  # the kept client stays selected
    with db.sessions() as s:
        c = s.get(Client, a)
        assert s.get(Client, b) is None
        assert (c.email, c.purchase_count, c.value_12m >= Decimal("0")) == (
            "anna@example.com", 2, True)
        assert s.scalar(select(func.count()).select_from(Purchase)
                        .where(Purchase.client_id == a)) == 2



# --------------------------------------------------------------------------- issue [13]:
# exports are jobs of the one database executor, whole or not at all


def test_an_export_runs_off_the_gui_thread_with_its_rows_in_words(qtbot, ops, db,
                                                                  make_client, tmp_path,
                                                                  monkeypatch):
    for i in range(5):
        make_client(f"Client {i}")
    threads = []
    real = export_service.export_table

    def spy(*a, **k):
        threads.append(threading.get_ident())
        return real(*a, **k)

    monkeypatch.setattr(export_service, "export_table", spy)
    monkeypatch.setattr(export_service, "PROGRESS_BATCH", 2)
    said: list[str] = []

    class Recorded(data_dialogs.WordedProgress):
        def report(self, done, total=None, text=None):
            super().report(done, total, text)
            said.append(self.job.text)
    monkeypatch.setattr(data_dialogs, "WordedProgress", Recorded)
    assert export(ops, "clients", tmp_path / "c.csv") == 5
    assert threads and threads[0] != threading.get_ident()
    assert said == ["Exporting: 0 of 5 row(s) written…", "Exporting: 0 of 5 row(s) written…",
                    "Exporting: 2 of 5 row(s) written…", "Exporting: 4 of 5 row(s) written…",
                    "Exporting: 5 of 5 row(s) written…"]


def test_stopping_an_export_writes_no_file_and_keeps_the_earlier_one(qtbot, ops, db,
                                                                     make_client, tmp_path,
                                                                     monkeypatch):
    for i in range(6):
        make_client(f"Client {i}")
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "clients.csv"
    path.write_text("last week's export", encoding="utf-8")
    monkeypatch.setattr(export_service, "PROGRESS_BATCH", 2)

    class StopHalfway(data_dialogs.WordedProgress):  # the user presses Stop at row 4
        def report(self, done, total=None, text=None):
            super().report(done, total, text)
            if done >= 4:
                self.job.cancel()
    monkeypatch.setattr(data_dialogs, "WordedProgress", StopHalfway)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(a[2]))
    written: list[int] = []
    job = data_dialogs.export_to(None, ops, "clients", path, written.append)
    assert job.cancellable
    assert ops.wait(job) and job.cancelled
    assert written == [] and said == ["The export was stopped; no file was written."]
    assert path.read_text(encoding="utf-8") == "last week's export"
    assert list(path.parent.iterdir()) == [path]  # no half-written file beside it


def test_a_full_disk_during_an_export_is_said_and_keeps_the_earlier_file(
        qtbot, ops, db, make_client, tmp_path, monkeypatch):

    make_client("Anna")
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "clients.xlsx"
    path.write_bytes(b"the earlier workbook")

    def full(target, *a, **k):
        target.write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_service, "_write_xlsx", full)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    assert export(ops, "clients", path) is None
    assert said and "cannot be written" in said[0] and "No space left" in said[0]
    assert path.read_bytes() == b"the earlier workbook"
    assert list(path.parent.iterdir()) == [path]


def test_a_locked_database_during_an_export_is_said_in_words(qtbot, ops, db, make_client,
                                                             tmp_path, monkeypatch):
    from sqlalchemy.exc import OperationalError

    make_client("Anna")

    def locked(*a, **k):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(export_service, "export_table", locked)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    assert export(ops, "clients", tmp_path / "c.csv") is None
    assert said and "OperationalError" not in said[0] and "locked" not in said[0]
    assert not (tmp_path / "c.csv").exists()


def test_erasing_runs_as_a_job_of_the_executor(qtbot, ops, db, make_client, drive_erase):
    cid = make_client("Anna Nowak")
    backups.make_backup(db.path, "manual", datetime(2026, 10, 1, 9))
    jobs = []
    ops.executor.job_started.connect(jobs.append)
    assert data_dialogs.erase_client(None, ops, cid, "Anna Nowak")
    assert [j.label for j in jobs] == ["Erasing…"] and jobs[0].ok
    assert (jobs[0].done_steps, jobs[0].total) == (3, 3)
