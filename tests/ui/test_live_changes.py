"""Live changes on every desk (issue 17): two windows on two connections to one
PostgreSQL database; what one writes reaches the other's pages without a restart, by
LISTEN/NOTIFY carrying the window's own change record. The record's encoding, and a
listener that loses its connection and comes back, are tested on their own."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime

import pytest

from app.changes import Changes, Entity
from app.live import MAX_IDS, REMOTE, Listener, decode, encode
from app.models.enums import Outcome
from app.server import open_server
from app.services import calls
from app.services import clients as client_service
from app.services.clients import ClientData
from app.ui.main_window import MainWindow, Page
from app.ui.ops import Ops
from tests.conftest import empty_pg

TODAY = date.today()


def test_a_change_record_goes_through_a_notice_unchanged():
    c = Changes(frozenset({Entity.CLIENT, Entity.CONTACT}), frozenset({3, 7}), False)
    origin, back = decode(encode(c, "desk-1"))
    assert origin == "desk-1"
    assert (back.entities, back.client_ids, back.all_clients) == (c.entities, c.client_ids,
                                                                  False)
    assert back.source is REMOTE
    many = Changes(frozenset({Entity.PURCHASE}), frozenset(range(MAX_IDS + 1)))
    _o, wide = decode(encode(many, "x"))
    assert wide.all_clients and not wide.client_ids  # "some clients": read the list again
    assert len(encode(many, "x")) < 8000
    assert decode("not json") is None and decode('{"o": 1}') is None


def test_what_came_from_another_desk_is_not_sent_back():
    sent = []
    listener = Listener(lambda: None, sent.append)
    listener.send(Changes(frozenset({Entity.CLIENT}), frozenset({1}), False, REMOTE))
    listener.send(Changes())  # nothing changed
    assert listener._out.empty()
    listener.send(Changes(frozenset({Entity.CLIENT}), frozenset({1})))
    assert not listener._out.empty()


@pytest.fixture
def two_desks(qtbot, pg_url, pg_database):
    """Two windows, each on a Database (engine, connections) of its own."""
    empty_pg(pg_database)
    windows = []
    for _ in range(2):
        db = open_server(pg_url)
        w = MainWindow(Ops(db))
        qtbot.addWidget(w)
        w.show()
        windows.append(w)
    for w in windows:
        qtbot.waitUntil(w.ops.live.listener.listening.is_set, timeout=10_000)
    yield windows
    for w in windows:
        w.ops.wait(timeout_ms=30_000)
        w.ops.stop_live()
        w.ops.db.close()


def test_a_client_added_at_one_desk_appears_in_the_other_desks_list(qtbot, two_desks):
    desk, office = two_desks
    assert office.clients_page.model.rowCount() == 0
    heard = []
    office.ops.bus.changed.connect(heard.append)
    started = time.monotonic()
    desk.ops.run(desk, lambda s: client_service.save_client(
        s, ClientData(name="Zofia Łukasiewicz"), region="PL", today=TODAY))
    qtbot.waitUntil(lambda: office.clients_page.model.rowCount() == 1, timeout=5_000)
    took = time.monotonic() - started
    assert any(c.source is REMOTE and c.touches(Entity.CLIENT) for c in heard)
    assert took < 5.0  # the issue asks for a second; the benchmark measures it
    # and back: the office's change reaches the desk
    office.ops.run(office, lambda s: client_service.save_client(
        s, ClientData(name="Ёлка Иванова"), region="PL", today=TODAY))
    qtbot.waitUntil(lambda: desk.clients_page.model.rowCount() == 2, timeout=5_000)


def test_a_call_logged_at_the_desk_reaches_the_managers_card_and_queue(qtbot, two_desks):
    desk, office = two_desks
    cid = desk.ops.run(desk, lambda s: client_service.save_client(
        s, ClientData(name="Anna Nowak", phone="601 234 567"), region="PL", today=TODAY))
    tid = desk.ops.run(desk, lambda s: calls.add_manual_task(s, cid, TODAY, "oddzwonić").id)
    office.nav.setCurrentRow(Page.TODAY)
    qtbot.waitUntil(lambda: office.today_page.model.rowCount() == 1, timeout=5_000)
    heard = []
    office.ops.bus.changed.connect(heard.append)
    desk.ops.run(desk, lambda s: calls.log_call(s, calls.CallLog(
        client_id=cid, task_id=tid, outcome=Outcome.REACHED), datetime.now()))
    qtbot.waitUntil(lambda: any(c.touches(Entity.CONTACT) and cid in c.client_ids
                                for c in heard), timeout=5_000)
    # the office's Today page read its queue again from the server: the call is logged
    model = office.today_page.model
    qtbot.waitUntil(lambda: model.rowCount() == 0
                    or model.rows[0].logged_outcome == Outcome.REACHED, timeout=5_000)


def test_the_managers_open_card_shows_who_changed_the_client_at_the_desk(qtbot, two_desks):
    from app.enums import StaffRole
    from app.models import Staff
    from app.services import card as card_service
    from app.services.access import Actor
    from app.ui.client_card import CardTab, ContactColumn, open_client_card

    desk, office = two_desks
    cid = desk.ops.run(desk, lambda s: client_service.save_client(
        s, ClientData(name="Anna Nowak", phone="601 234 567"), region="PL", today=TODAY))
    with desk.ops.db.session() as s:
        person = Staff(name="Ewa Recepcja", role=StaffRole.RECEPTIONIST, active=True)
        s.add(person)
        s.flush()
        desk.ops.db.sign_in(Actor(person.id, person.name, StaffRole.RECEPTIONIST))
    card = open_client_card(office, office.ops, cid)
    try:
        card.tabs.setCurrentIndex(CardTab.CHANGES)
        qtbot.waitUntil(lambda: card.changes_table.rowCount() == 1, timeout=5_000)

        def edit(s):
            data = client_service.load_client(s, cid)
            data.phone = "601 234 999"
            return card_service.save_card(s, data, "PL")

        desk.ops.run(desk, edit)
        qtbot.waitUntil(lambda: card.changes_table.rowCount() == 2, timeout=5_000)
        assert card.changes_table.item(0, 1).text() == "Ewa Recepcja"
        assert card.changes_table.item(0, 2).text() == "Client details: phone"
        desk.ops.run(desk, lambda s: calls.log_call(s, calls.CallLog(
            client_id=cid, outcome=Outcome.REACHED), datetime.now()))
        qtbot.waitUntil(lambda: card.history_table.rowCount() == 1, timeout=5_000)
        assert card.history_table.item(0, ContactColumn.BY).text() == "Ewa Recepcja"
    finally:
        card._dirty = False
        card.reject()


def test_a_listener_that_loses_its_connection_comes_back(pg_url):
    import psycopg
    conninfo = pg_url.replace("postgresql+psycopg://", "postgresql://")
    heard: list[Changes] = []
    got = threading.Event()

    def on_change(c):
        heard.append(c)
        got.set()

    listener = Listener(lambda: psycopg.connect(conninfo, autocommit=True), on_change)
    listener.start()
    try:
        assert listener.listening.wait(10)
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(text_terminate())
        # after the reconnect the window hears "everything may have changed" once
        assert got.wait(15)
        assert heard[0].source is REMOTE and heard[0].all_clients
        assert listener.listening.wait(10)
    finally:
        listener.close()


def text_terminate() -> str:
    return ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE query LIKE 'LISTEN clientcare_changes%' AND pid <> pg_backend_pid() "
            "AND datname = current_database()")

