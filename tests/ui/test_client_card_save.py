"""Saving a card runs on the database executor (it regenerates the client's due
contacts, 100-300 ms at 100,000 clients): the click returns at once and the GUI thread
goes on with its own event loop (no local one); the card waits disabled, saying so, then
closes when the job's outcome arrives; a refusal still comes back beside the field."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton

from app.errors import FieldError, ValidationError
from app.models import Client
from app.services import card as card_service
from app.services import clients as client_service
from app.ui.client_card import open_client_card
from app.ui.main_window import MainWindow


def _watch_close(card) -> list[tuple[int, int | None]]:
    """The card's close, as (result, saved id), caught when it happens: the card deletes
    itself on close (WA_DeleteOnClose)."""
    closed: list[tuple[int, int | None]] = []
    card.finished.connect(lambda result: closed.append((result, card.saved_id)))
    return closed


def _slow_save(monkeypatch, gate: threading.Event, threads: list[int]) -> None:
    real = card_service.save_card

    def slow_save(s, data, region, today=None):
        threads.append(threading.get_ident())
        assert gate.wait(10)  # a save as slow as the test wants
        return real(s, data, region, today)

    monkeypatch.setattr(card_service, "save_card", slow_save)


def test_saving_a_card_writes_on_the_executor_while_the_window_keeps_running(
        qtbot, ops, db, make_client, monkeypatch):
    cid = make_client("Anna Nowak", phone="601 234 567")
    gate, threads = threading.Event(), []
    _slow_save(monkeypatch, gate, threads)
    changes = []
    ops.bus.changed.connect(changes.append)
    card = open_client_card(None, ops, cid)
    closed = _watch_close(card)
    qtbot.waitExposed(card)
    qtbot.keyClicks(card.notes, "likes tea")
    nested: list[int] = []  # a local event loop would run the timer below nested
    real_exec = QEventLoop.exec
    monkeypatch.setattr(QEventLoop, "exec", lambda self, *a: nested.append(1)
                        or real_exec(self, *a))
    qtbot.mouseClick(card.findChild(QPushButton, "saveButton"), Qt.MouseButton.LeftButton)
    # the click has returned while the save waits on the executor: nothing blocked
    assert card.isVisible() and card.saving and not card.isEnabled()
    assert card.saving_label.isVisible() and card.saving_label.text() == "Saving the card…"
    assert nested == []
    beats: list[float] = []  # the GUI thread's own event loop keeps turning meanwhile
    beat = QTimer()
    beat.setInterval(10)
    beat.timeout.connect(lambda: beats.append(time.monotonic()))
    beat.start()
    qtbot.wait(200)
    assert len(beats) >= 8 and card.saving and card.isVisible()
    gate.set()
    qtbot.waitUntil(lambda: bool(closed), timeout=10_000)
    beat.stop()
    assert threads and threads[0] != threading.get_ident()  # written off the GUI thread
    assert closed == [(QDialog.DialogCode.Accepted, cid)]  # closed once saved, as before
    with db.sessions() as s:
        assert s.get(Client, cid).notes == "likes tea"
    assert changes and cid in changes[-1].client_ids  # announced as a GUI-thread write was


def test_nothing_closes_or_saves_again_while_the_save_runs(qtbot, ops, db, make_client,
                                                           monkeypatch):
    cid = make_client("Anna Nowak", phone="601 234 567")
    gate, threads = threading.Event(), []
    _slow_save(monkeypatch, gate, threads)
    card = open_client_card(None, ops, cid)
    closed = _watch_close(card)
    qtbot.waitExposed(card)
    qtbot.keyClicks(card.notes, "once")
    card.save()
    card.save()  # a second Ctrl+S meanwhile: ignored by the disabled card
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    card.reject()  # Esc, the close button: nothing closes a card being saved
    QCoreApplication.processEvents()
    assert card.isVisible() and card.saving
    gate.set()
    qtbot.waitUntil(lambda: bool(closed), timeout=10_000)
    assert len(threads) == 1 and closed == [(QDialog.DialogCode.Accepted, cid)]
    with db.sessions() as s:
        assert s.get(Client, cid).notes == "once"


def test_a_refused_card_save_from_the_executor_stays_open_and_editable(
        qtbot, ops, db, make_client, monkeypatch):
    cid = make_client("Anna Nowak", phone="601 234 567")
    worker: list[int] = []

    def refused(s, data, region, today=None):
        worker.append(threading.get_ident())
        real(s, data, region, today)  # written, then refused: the transaction rolls back
        raise ValidationError([FieldError("email", "email.invalid", "not an address")])

    real = card_service.save_card
    monkeypatch.setattr(card_service, "save_card", refused)
    card = open_client_card(None, ops, cid)
    qtbot.addWidget(card)
    qtbot.waitExposed(card)
    card.notes.setFocus()
    qtbot.keyClicks(card.notes, "mine")
    qtbot.mouseClick(card.findChild(QPushButton, "saveButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not card.saving, timeout=10_000)
    assert worker and worker[0] != threading.get_ident()
    assert card.isVisible() and card.isEnabled()  # open, editable again
    assert not card.saving_label.isVisible()
    assert card.field_errors["email"].isVisible()  # the refusal beside its field
    assert card.notes.toPlainText() == "mine"  # everything typed is kept
    qtbot.keyClicks(card.notes, " more")  # and it takes keys again
    assert card.notes.toPlainText() == "mine more"
    with db.sessions() as s:
        assert s.get(Client, cid).notes in (None, "")  # nothing stored
    card._dirty = False  # qtbot closes it without the "discard changes?" question


def test_quitting_with_a_changed_card_saves_it_in_the_background_then_closes(
        qtbot, ops, db, make_client, monkeypatch):
    cid = make_client("Filip Kos")
    gate, threads = threading.Event(), []
    _slow_save(monkeypatch, gate, threads)
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    card = open_client_card(w, ops, cid)
    qtbot.waitExposed(card)
    card.name.selectAll()
    qtbot.keyClicks(card.name, "Filip Kosowski")
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a: QMessageBox.StandardButton.Save)
    w.close()
    assert card.saving and w.isVisible()  # the card saves; the window waits for it
    gate.set()
    qtbot.waitUntil(lambda: w.closed, timeout=30_000)
    with db.sessions() as s:
        assert client_service.load_client(s, cid).name == "Filip Kosowski"


def test_quitting_with_a_card_whose_save_is_refused_keeps_both_open(
        qtbot, ops, db, make_client, monkeypatch):
    cid = make_client("Filip Kos")

    def refused(s, data, region, today=None):
        raise ValidationError([FieldError("email", "email.invalid", "not an address")])

    monkeypatch.setattr(card_service, "save_card", refused)
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    card = open_client_card(w, ops, cid)
    qtbot.waitExposed(card)
    card.name.selectAll()
    qtbot.keyClicks(card.name, "Filip Kosowski")
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a: QMessageBox.StandardButton.Save)
    w.close()
    qtbot.waitUntil(lambda: not card.saving, timeout=10_000)
    qtbot.wait(50)
    assert card.isVisible() and card.field_errors["email"].isVisible()
    assert w.isVisible() and not w.closing  # the refusal is read, nothing is lost
    card._dirty = False
    card.close()
