"""Data out and a person's rights, from the window: export, a client's data as a file,
erasing a client, merging two clients."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from app.models import Client, Purchase
from app.ui import data_dialogs
from app.ui.client_card import open_client_card
from app.ui.clients_page import ClientsPage


def test_export_writes_translated_headings(qtbot, ops, db, make_client, tmp_path):
    make_client("Zofia Wiśniewska", phone="601 234 567", purchases=[(date(2026, 5, 1), "12.50")])
    path = tmp_path / "clients.xlsx"
    assert data_dialogs.export_to(None, ops, "clients", path) == 1
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("Number", "Name", "Person or company")
    assert rows[1][1] == "Zofia Wiśniewska"
    assert data_dialogs.export_to(None, ops, "purchases", tmp_path / "p.csv") == 1
    text = (tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Number;Client number;Client;Card number;Date")
    assert ";12.50;" in text.splitlines()[1]


def test_an_export_to_a_missing_folder_is_explained(qtbot, ops, db, tmp_path, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    assert data_dialogs.export_to(None, ops, "clients", tmp_path / "no" / "x.csv") is None
    assert said and "cannot be written" in said[0]


def test_a_clients_data_as_a_file(qtbot, ops, db, make_client, tmp_path):
    cid = make_client("Anna Nowak", email="anna@example.com",
                      purchases=[(date(2026, 5, 1), "80.00")])
    path = tmp_path / "anna.json"
    assert data_dialogs.write_client_data(None, ops, cid, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["client"]["name"] == "Anna Nowak"
    assert data["client"]["email"] == "anna@example.com"
    assert [p["amount"] for p in data["purchases"]] == ["80.00"]


def test_erasing_from_the_card(qtbot, ops, db, make_client, monkeypatch):
    cid = make_client("Anna Nowak", phone="601 234 567",
                      purchases=[(date(2026, 5, 1), "80.00")])
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    card = open_client_card(None, ops, cid)
    qtbot.addWidget(card)
    assert card.more_button.isVisibleTo(card)
    card.erase_action.trigger()
    assert not card.isVisible()
    with db.sessions() as s:
        c = s.get(Client, cid)
        assert (c.name, c.phone, c.erased_at is not None) == (f"#{cid}", None, True)
        assert s.scalar(select(func.sum(Purchase.amount))) == Decimal("80.00")


def test_erasing_asks_first(qtbot, ops, db, make_client, monkeypatch):
    cid = make_client("Anna Nowak")
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert not data_dialogs.erase_client(None, ops, cid, "Anna Nowak")
    with db.sessions() as s:
        assert s.get(Client, cid).name == "Anna Nowak"


def test_merging_two_selected_clients(qtbot, ops, db, make_client, monkeypatch):
    a = make_client("Anna Nowak", phone="601 234 567", purchases=[(date(2026, 5, 1), "80.00")])
    b = make_client("Anna Nowak (2)", email="anna@example.com",
                    purchases=[(date(2026, 6, 1), "20.00")])
    page = ClientsPage(ops)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
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
    assert page.model.rowCount() == 1
    with db.sessions() as s:
        c = s.get(Client, a)
        assert s.get(Client, b) is None
        assert (c.email, c.purchase_count, c.value_12m >= Decimal("0")) == (
            "anna@example.com", 2, True)
        assert s.scalar(select(func.count()).select_from(Purchase)
                        .where(Purchase.client_id == a)) == 2

