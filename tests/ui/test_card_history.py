"""The client card says who did what (issue 17 [12]): its Changes tab names the person
signed in and the parts changed in the card's words, the contact history who logged
each call, the complaint dialog who handles it; an open card's history follows what is
saved meanwhile; all of it in the window's language."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QPushButton
from shiboken6 import isValid
from sqlalchemy import func, insert, select

from app.enums import StaffRole
from app.models import EditLog, Staff
from app.models.enums import Outcome
from app.services import calls, card
from app.services import clients as client_service
from app.services import complaints as complaint_service
from app.services.access import Actor
from app.ui.app import install_translations
from app.ui.client_card import HISTORY_PAGE, CardTab, ContactColumn, open_client_card
from app.ui.complaint_dialog import open_complaint_dialog
from app.ui.formatting import fmt_datetime
from tests.ui.keys import type_keys
from tests.ui.test_translations import qm_dir  # noqa: F401 - the built translations

NOW = datetime.now().replace(second=0, microsecond=0)


def _sign_in(db, name: str, role: StaffRole = StaffRole.RECEPTIONIST) -> Actor:
    with db.session() as s:
        person = Staff(name=name, role=role, active=True)
        s.add(person)
        s.flush()
        actor = Actor(person.id, person.name, role)
    db.sign_in(actor)
    return actor


@pytest.fixture
def cards():
    """The cards a test opens, closed after it if it left them open (a card deletes
    itself when it closes, so pytest-qt is not asked to close it again)."""
    opened: list = []
    yield opened
    for dlg in opened:
        if isValid(dlg) and dlg.isVisible():
            _close(dlg)


@pytest.fixture
def english(qm_dir):  # noqa: F811
    """The English translation installed, for its plural forms ("2 changes")."""
    install_translations(QApplication.instance(), "en_US", qm_dir)
    yield
    QLocale.setDefault(QLocale("en_US"))


def _card(qtbot, ops, cid: int, cards: list):
    dlg = open_client_card(None, ops, cid)
    cards.append(dlg)
    qtbot.waitExposed(dlg)
    return dlg


def _changes(qtbot, dlg, rows: int | None = None) -> list[tuple[str, str, str]]:
    """The Changes tab shown and read: (when, who, what) of each row."""
    dlg.tabs.setCurrentIndex(CardTab.CHANGES)
    t = dlg.changes_table
    qtbot.waitUntil(lambda: dlg.history is not None
                    and (rows is None or t.rowCount() == rows), timeout=10_000)
    return [tuple(t.item(r, c).text() for c in range(3)) for r in range(t.rowCount())]


def _close(dlg) -> None:
    dlg._dirty = False
    dlg.reject()


def test_a_phone_changed_on_the_card_is_named_with_the_person_who_did_it(qtbot, ops, db,
                                                                        make_client, cards,
                                                                        english):
    cid = make_client("Olga Petrova", phone="601 234 567")
    _sign_in(db, "Anna Nowak")
    dlg = _card(qtbot, ops, cid, cards)
    dlg.phone.selectAll()
    type_keys(qtbot, dlg.phone, "601 234 999")
    qtbot.mouseClick(dlg.findChild(QPushButton, "saveButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.saved_id == cid, timeout=10_000)
    again = _card(qtbot, ops, cid, cards)
    rows = _changes(qtbot, again, rows=2)
    when, who, what = rows[0]
    assert who == "Anna Nowak" and what == "Client details: phone"
    with db.sessions() as s:  # the short date and time of the locale, as every date
        at = s.scalar(select(func.max(EditLog.at)))
    assert when == fmt_datetime(at, QLocale()) and str(at.year) in when
    assert rows[1][1:] == ("not signed in", "Client added")  # made before she signed in
    assert again.changes_count.text() == "2 changes."
    assert not again.more_changes_button.isVisible()
    _close(again)


def test_a_call_logged_by_the_receptionist_shows_her_name_on_the_card(qtbot, ops, db,
                                                                      make_client, cards):
    cid = make_client("Olga Petrova", phone="601 234 567")
    _sign_in(db, "Daria Kowal")
    ops.run(None, lambda s: calls.log_call(s, calls.CallLog(client_id=cid,
                                                            outcome=Outcome.REACHED), NOW))
    dlg = _card(qtbot, ops, cid, cards)
    table = dlg.history_table
    assert table.horizontalHeaderItem(ContactColumn.BY).text() == "Logged by"
    assert table.item(0, ContactColumn.BY).text() == "Daria Kowal"
    assert table.item(0, ContactColumn.OUTCOME).text() == "Reached"
    assert _changes(qtbot, dlg, rows=2)[0][1:] == ("Daria Kowal", "Call logged")
    _close(dlg)


def test_nobody_signed_in_is_said_and_a_call_of_nobody_has_no_name(qtbot, ops, db,
                                                                    make_client, cards):
    cid = make_client("Olga Petrova", phone="601 234 567")
    ops.run(None, lambda s: calls.log_call(s, calls.CallLog(client_id=cid,
                                                            outcome=Outcome.NO_ANSWER), NOW))
    dlg = _card(qtbot, ops, cid, cards)
    assert dlg.history_table.item(0, ContactColumn.BY).text() == "—"
    rows = _changes(qtbot, dlg, rows=2)
    assert [r[1:] for r in rows] == [("not signed in", "Call logged"),
                                     ("not signed in", "Client added")]
    _close(dlg)


def test_the_open_cards_history_and_calls_follow_what_is_saved_meanwhile(qtbot, ops, db,
                                                                          make_client, cards):
    cid = make_client("Olga Petrova", phone="601 234 567")
    dlg = _card(qtbot, ops, cid, cards)
    assert len(_changes(qtbot, dlg, rows=1)) == 1
    _sign_in(db, "Marek Zięba", StaffRole.MANAGER)

    def other_save(s):  # another card, the Today page, or another desk heard live
        data = client_service.load_client(s, cid)
        data.email = "olga@example.com"
        data.notes = "prefers mornings"
        return card.save_card(s, data, "PL")

    ops.run(None, other_save)
    qtbot.waitUntil(lambda: dlg.changes_table.rowCount() == 2, timeout=10_000)
    assert dlg.changes_table.item(0, 1).text() == "Marek Zięba"
    assert dlg.changes_table.item(0, 2).text() == "Client details: e-mail, notes"
    assert dlg.history_table.rowCount() == 0
    ops.run(None, lambda s: calls.log_call(s, calls.CallLog(client_id=cid,
                                                            outcome=Outcome.REACHED), NOW))
    qtbot.waitUntil(lambda: dlg.history_table.rowCount() == 1, timeout=10_000)
    assert dlg.history_table.item(0, ContactColumn.BY).text() == "Marek Zięba"
    qtbot.waitUntil(lambda: dlg.changes_table.rowCount() == 3, timeout=10_000)
    assert dlg.name.text() == "Olga Petrova"  # what the card edits is left as it is
    other = make_client("Someone Else")
    ops.run(None, lambda s: calls.log_call(s, calls.CallLog(client_id=other,
                                                            outcome=Outcome.REACHED), NOW))
    QApplication.processEvents()
    ops.wait(timeout_ms=10_000)
    assert dlg.history_table.rowCount() == 1  # another client's call is not this card's
    _close(dlg)


def test_a_long_history_shows_the_latest_and_more_on_request(qtbot, ops, db, make_client,
                                                            cards, english):
    cid = make_client("Olga Petrova")
    with db.session() as s:
        s.execute(insert(EditLog), [
            {"at": NOW - timedelta(minutes=i), "subject": "client", "subject_id": cid,
             "client_id": cid, "fields": "notes"} for i in range(1, HISTORY_PAGE + 10)])
    dlg = _card(qtbot, ops, cid, cards)
    _changes(qtbot, dlg, rows=HISTORY_PAGE)
    total = HISTORY_PAGE + 10  # and the row of the client's creation
    assert dlg.changes_count.text() == f"The latest {HISTORY_PAGE} of {total} changes."
    assert dlg.more_changes_button.isVisible()
    qtbot.mouseClick(dlg.more_changes_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.changes_table.rowCount() == total, timeout=10_000)
    assert not dlg.more_changes_button.isVisible()
    assert dlg.changes_table.item(0, 2).text() == "Client added"  # the newest first
    assert dlg.changes_table.item(total - 1, 2).text() == "Client details: notes"
    _close(dlg)


def test_the_history_reads_in_russian(qtbot, ops, db, make_client, qm_dir, cards):  # noqa: F811
    cid = make_client("Ольга Петрова", phone="601 234 567")
    with db.session() as s:
        data = client_service.load_client(s, cid)
        data.phone = "601 234 999"
        card.save_card(s, data, "PL")
    _sign_in(db, "Анна Иванова")
    ops.run(None, lambda s: calls.log_call(s, calls.CallLog(client_id=cid,
                                                            outcome=Outcome.REACHED), NOW))
    try:
        install_translations(QApplication.instance(), "ru", qm_dir)
        dlg = _card(qtbot, ops, cid, cards)
        assert dlg.tabs.tabText(CardTab.CHANGES) == "Изменения"
        assert dlg.history_table.horizontalHeaderItem(ContactColumn.BY).text() == "Кто записал"
        assert dlg.history_table.item(0, ContactColumn.BY).text() == "Анна Иванова"
        rows = _changes(qtbot, dlg, rows=3)
        assert [r[1:] for r in rows] == [
            ("Анна Иванова", "Звонок записан"),
            ("без входа в систему", "Данные клиента: телефон"),
            ("без входа в систему", "Клиент добавлен")]
        assert dlg.changes_count.text() == "3 изменения."
        _close(dlg)
    finally:
        install_translations(QApplication.instance(), "en_US", qm_dir)
        QLocale.setDefault(QLocale("en_US"))


def test_signed_in_the_complaint_is_handled_by_the_signer_and_says_so(qtbot, ops, db,
                                                                       make_client):
    cid = make_client("Olga Petrova")
    with db.session() as s:  # somebody else at the desk before
        s.add(Staff(name="Another One", role=StaffRole.OWNER, active=True))
    anna = _sign_in(db, "Anna Nowak")
    k = ops.run(None, lambda s: complaint_service.open_complaint(s, cid, "Too cold", now=NOW))
    dlg = open_complaint_dialog(None, ops, complaint_id=k)
    qtbot.addWidget(dlg)
    assert dlg.staff.currentData() == anna.staff_id and not dlg.staff.isEnabled()
    assert "opened " in dlg.header.text() and "by Anna Nowak" in dlg.header.text()
    dlg.close()
