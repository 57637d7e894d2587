from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import Qt

from app.models import Client
from app.models.enums import Segment
from app.services import clients as client_service
from app.services.clients import ClientColumn
from app.ui.client_model import ClientTableModel


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


def test_model_fetches_rows_in_blocks(qtbot, ops, db):
    with db.session() as s:
        for i in range(450):
            s.add(cs_client(i))
    model = ClientTableModel(ops, ops)
    model.reload()
    _wait(qtbot, model)
    assert model.rowCount() == 450
    assert model.data(model.index(0, 0)) == "Client 000"
    assert len(model._rows) <= 200  # only the first block was read
    assert model.data(model.index(449, 0)) == "Client 449"
    model.set_query(replace(model.query, text="client 44"))
    _wait(qtbot, model)
    assert model.rowCount() == 14  # 044, 144, 244, 344 and 440..449


def cs_client(i: int):
    name = f"Client {i:03d}"
    return Client(name=name, sort_name=name.casefold(),
                  search_text=client_service.search_text_for(name, None, None, ""))
