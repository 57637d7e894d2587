from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from unittest.mock import patch

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from sqlalchemy import select

from app.models import Client
from app.models.enums import Segment
from app.services import clients as client_service
from app.services.clients import ClientColumn
from app.ui.client_model import PAGE, ClientTableModel


def test_model_passes_qt_model_tester(qtbot, qtmodeltester, ops, make_client):
    today = date.today()
    make_client("Anna Kowalska", phone="601 234 567", tags=["VIP"],
                purchases=[(today - timedelta(days=3), "120.00")])
    make_client("Jan Nowak", email="jan@example.com")
    make_client("Zofia Wiśniewska", segment_override=Segment.A, segment_override_reason="owner knows best")
    model = ClientTableModel(ops, ops)
    model.reload()
    _wait(qtbot, model)
    assert model.rowCount() == 3
    qtmodeltester.check(model)


def _wait(qtbot, model: ClientTableModel) -> None:
    """The id query runs on the database executor."""
    qtbot.waitUntil(lambda: not model.loading)


def test_model_shows_values_and_sorts_in_sql(qtbot, ops, make_client):
    today = date.today()
    a = make_client("Anna", phone="601 234 567", purchases=[(today, "10.00")])
    b = make_client("Bartek", purchases=[(today, "500.00")])
    model = ClientTableModel(ops, ops)
    model.reload()
    _wait(qtbot, model)
    assert model.data(model.index(0, ClientColumn.NAME)) == "Anna"
    assert model.data(model.index(0, ClientColumn.PHONE)) == "601 234 567"
    assert "500.00" in model.data(model.index(1, ClientColumn.VALUE_12M))
    model.sort(ClientColumn.VALUE_12M, Qt.SortOrder.DescendingOrder)
    _wait(qtbot, model)
    assert [model.client_id(0), model.client_id(1)] == [b, a]
    model.sort(ClientColumn.NAME, Qt.SortOrder.AscendingOrder)
    _wait(qtbot, model)
    assert [model.client_id(0), model.client_id(1)] == [a, b]


def _fill(db, n: int) -> None:
    with db.session() as s:
        for i in range(n):
            s.add(cs_client(i))


def test_model_fetches_rows_in_blocks(qtbot, ops, db):
    _fill(db, 450)
    model = ClientTableModel(ops, ops)
    model.reload()
    _wait(qtbot, model)
    assert model.rowCount() == PAGE  # the first page only, more as the view scrolls
    assert model.data(model.index(0, 0)) == "Client 000"
    assert len(model._rows) <= 200  # only the first block was read
    assert model.data(model.index(PAGE - 1, 0)) == f"Client {PAGE - 1:03d}"
    model.set_query(replace(model.query, text="client 44"))
    _wait(qtbot, model)
    assert model.rowCount() == 14 and model.total == 14  # 044..344 and 440..449
    assert not model.canFetchMore()


def test_model_reads_pages_as_asked_and_counts_in_the_background(qtbot, qtmodeltester, ops, db):
    _fill(db, 450)
    model = ClientTableModel(ops, ops)
    counted: list[int | None] = []
    model.total_changed.connect(lambda: counted.append(model.total))
    model.reload()
    _wait(qtbot, model)
    assert model.canFetchMore() and len(model._ids) == PAGE  # not the whole list
    qtbot.waitUntil(lambda: model.total == 450)
    assert counted[-1] == 450 and None in counted  # unknown, then counted
    while model.canFetchMore():
        n = model.rowCount()
        model.fetchMore()
        model.fetchMore()  # asked again while the page is read: nothing more
        qtbot.waitUntil(lambda n=n: model.rowCount() > n)
    assert model.rowCount() == 450
    assert [model.client_id(r) for r in range(450)] == ops.read(
        lambda s: client_service.client_ids(s, model.query, model._rules, "PL"))
    assert model.data(model.index(449, 0)) == "Client 449"
    qtmodeltester.check(model)


def test_a_view_scrolled_down_reads_the_next_pages(qtbot, ops, db):
    _fill(db, 450)
    model = ClientTableModel(ops, ops)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 400)
    view.show()
    model.reload()
    _wait(qtbot, model)
    for _ in range(20):
        view.scrollToBottom()
        qtbot.wait(50)
        if model.rowCount() == 450:
            break
    assert model.rowCount() == 450 and not model.canFetchMore()
    assert model.index(449, 0).data() == "Client 449"


def test_every_sort_reads_its_pages_in_order(qtbot, ops, db, make_client):
    today = date.today()
    for i in range(23):
        make_client(f"K {i:02d}", phone=f"601 234 5{i:02d}" if i % 3 else "",
                    purchases=[(today - timedelta(days=i * 17), f"{(i * 37) % 500}.00")]
                    if i % 4 else [])
    for col in ClientColumn:
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model = ClientTableModel(ops, ops)
            with patch("app.ui.client_model.PAGE", 5):
                model.set_sort(col, order, reload=False)
                model.reload()
                _wait(qtbot, model)
                assert model.rowCount() == 5
                model.fetch_now(100)
            assert [model.client_id(r) for r in range(model.rowCount())] == ops.read(
                lambda s, q=model.query, m=model: client_service.client_ids(
                    s, q, m._rules, "PL")), (col, order)
            assert model.rowCount() == 23


def test_a_client_further_down_is_found_on_the_executor(qtbot, ops, db, monkeypatch):
    """A reload that restores the selection of a client deep in the list reads its
    position and the pages up to it on the executor, not on the GUI thread (375 ms a
    sort at 100,000 clients, measured by bench_gui)."""
    import threading

    _fill(db, 450)
    model = ClientTableModel(ops, ops)
    model.reload()
    _wait(qtbot, model)
    with db.session() as s:
        wanted = s.scalar(select(Client.id).where(Client.name == "Client 420"))
    gui = threading.get_ident()
    reads = []
    real = ops.read
    monkeypatch.setattr(ops, "read", lambda fn: reads.append(threading.get_ident())
                        or real(fn))
    found: list = []
    model.reveal(wanted, found.append)
    assert found == []  # not at once: it is read in the background
    qtbot.waitUntil(lambda: found != [])
    assert found == [420] and model.client_id(420) == wanted
    assert model.rowCount() < 450 or not model.canFetchMore()
    assert gui not in reads  # nothing read on the GUI thread
    model.reveal(wanted, found.append)  # read by now: answered at once
    assert found == [420, 420]
    model.reveal(-5, found.append)
    qtbot.waitUntil(lambda: len(found) == 3)
    assert found[2] is None


def cs_client(i: int):
    name = f"Client {i:03d}"
    return Client(name=name, sort_name=name.casefold(),
                  search_text=client_service.search_text_for(name, None, None, ""))


def test_a_sort_no_index_serves_reads_every_id_once(qtbot, ops, db):
    """Sorted by status (no index): one query reads every id into an array; the pages
    are slices of it (no query more), and a client further down is found in it."""
    _fill(db, 450)
    model = ClientTableModel(ops, ops)
    model.set_sort(ClientColumn.STATUS, Qt.SortOrder.DescendingOrder)
    _wait(qtbot, model)
    assert model.rowCount() == PAGE and model.total == 450  # counted with the ids
    assert len(model._all) == 450 and model._all.itemsize == 8
    with db.session() as s:
        wanted = s.scalar(select(Client.id).where(Client.name == "Client 433"))
    found: list = []
    model.reveal(wanted, found.append)  # found in the array: at once, no read
    assert found == [433]
    model.fetchMore()  # a slice, here: no query on the executor
    assert model.rowCount() == 450 and not model.canFetchMore()
    assert [model.client_id(r) for r in range(450)] == ops.read(
        lambda s: client_service.client_ids(s, model.query, model._rules, "PL"))
    assert model.queries == 1
