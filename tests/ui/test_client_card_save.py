"""Saving a card runs on the database executor (it regenerates the client's due
contacts, 100-300 ms at 100,000 clients): the window keeps painting, the card waits
disabled, then closes as before; a refusal still comes back beside the field."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QPushButton

from app.errors import FieldError, ValidationError
from app.models import Client
from app.services import card as card_service
from app.ui.client_card import open_client_card


def test_saving_a_card_writes_on_the_executor_while_the_window_keeps_running(
        qtbot, ops, db, make_client, monkeypatch):
    cid = make_client("Anna Nowak", phone="601 234 567")
    threads: list[int] = []
    real = card_service.save_card

    def slow_save(s, data, region, today=None):
        threads.append(threading.get_ident())
        time.sleep(0.3)  # a save as slow as on a large file
        return real(s, data, region, today)

    monkeypatch.setattr(card_service, "save_card", slow_save)
    changes = []
    ops.bus.changed.connect(changes.append)
    card = open_client_card(None, ops, cid)
    qtbot.addWidget(card)
    qtbot.waitExposed(card)
    qtbot.keyClicks(card.notes, "likes tea")
    seen_during: list[bool] = []  # the card's state, seen by a timer of the GUI thread
    beat = QTimer()
    beat.setInterval(20)
    beat.timeout.connect(lambda: seen_during.append(card.isEnabled()))
    beat.start()
    qtbot.mouseClick(card.findChild(QPushButton, "saveButton"), Qt.MouseButton.LeftButton)
    beat.stop()
    assert threads and threads[0] != threading.get_ident()  # written off the GUI thread
    assert seen_during.count(False) >= 5  # the event loop ran, the card disabled meanwhile
    assert not card.isVisible() and card.saved_id == cid  # closed once saved, as before
    with db.sessions() as s:
        assert s.get(Client, cid).notes == "likes tea"
    assert changes and cid in changes[-1].client_ids  # announced as a GUI-thread write was


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
    qtbot.keyClicks(card.notes, "mine")
    qtbot.mouseClick(card.findChild(QPushButton, "saveButton"), Qt.MouseButton.LeftButton)
    assert worker and worker[0] != threading.get_ident()
    assert card.isVisible() and card.isEnabled()  # open, editable again
    assert card.field_errors["email"].isVisible()  # the refusal beside its field
    assert card.notes.toPlainText() == "mine"  # everything typed is kept
    with db.sessions() as s:
        assert s.get(Client, cid).notes in (None, "")  # nothing stored
    card._dirty = False  # qtbot closes it without the "discard changes?" question
