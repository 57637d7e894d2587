"""The Clients page driven as a user would: type, click, press keys."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPushButton

from app.models.enums import Segment
from app.services import clients as client_service
from app.ui.card_dialogs import PurchaseDialog
from app.ui.client_card import CardTab, ClientCardDialog
from app.ui.clients_page import ClientsPage
from tests.ui.modal import answer_modal


def _page(qtbot, ops) -> ClientsPage:
    page = ClientsPage(ops)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)  # shortcuts reach only the active window
    _settled(qtbot, page)
    return page


def _settled(qtbot, page: ClientsPage) -> None:
    """Wait until the page has read what changed (the id query runs on the executor)."""
    qtbot.waitUntil(lambda: not page.gate.stale and not page.model.loading)


def _search(qtbot, page: ClientsPage, text: str) -> None:
    page.search.clear()
    qtbot.keyClicks(page.search, text)
    page.apply_filters()  # the page waits 200 ms after the last key; don't wait in tests
    _settled(qtbot, page)


def _open_new_card(qtbot, page: ClientsPage) -> ClientCardDialog:
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    card = page.card
    assert isinstance(card, ClientCardDialog)
    qtbot.waitExposed(card)
    card.activateWindow()
    qtbot.waitUntil(card.isActiveWindow)
    return card


def _fill_purchase_when_open(qtbot, amount: str, item: str) -> list:
    """Answer the next modal purchase dialog by typing into it."""

    def fill(dlg: PurchaseDialog) -> None:
        dlg.amount.clear()
        qtbot.keyClicks(dlg.amount, amount)
        dlg.item.clear()
        qtbot.keyClicks(dlg.item, item)
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    return answer_modal(PurchaseDialog, fill)


def test_create_client_by_typing_then_find_by_other_phone_format(qtbot, ops, db):
    page = _page(qtbot, ops)
    card = _open_new_card(qtbot, page)
    qtbot.keyClicks(card.name, "Anna Kowalska")
    qtbot.keyClicks(card.phone, "+48 601-234-567")
    qtbot.keyClicks(card.email, "anna@example.com")
    qtbot.keyClicks(card.tags, "VIP, kids")
    qtbot.keyClick(card, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: card.saved_id is not None)  # saved on the executor
    with db.session() as s:
        saved = client_service.load_client(s, card.saved_id)
    assert saved.phone == "+48601234567"
    assert saved.email == "anna@example.com"
    assert saved.tags == ["kids", "VIP"]
    _settled(qtbot, page)
    for typed in ("601 234 567", "601234567", "+48 601-234-567"):
        _search(qtbot, page, typed)
        assert page.model.rowCount() == 1, typed
        assert page.model.data(page.model.index(0, 0)) == "Anna Kowalska"
    _search(qtbot, page, "nobody-like-this")
    assert page.model.rowCount() == 0
    assert page.empty_label.isVisible()


def test_invalid_input_shows_message_beside_field_and_saves_nothing(qtbot, ops, db):
    page = _page(qtbot, ops)
    card = _open_new_card(qtbot, page)
    qtbot.keyClicks(card.phone, "12")
    qtbot.keyClicks(card.email, "not-an-email")
    qtbot.keyClick(card, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert card.isVisible()
    assert card.saved_id is None
    assert card.field_errors["name"].isVisible()
    assert "name" in card.field_errors["name"].text().lower()
    assert "12" in card.field_errors["phone"].text()
    assert card.field_errors["email"].isVisible()
    with db.session() as s:
        assert client_service.count_clients(s) == 0
    card.name.setText("Anna")
    card.phone.setText("601 234 567")
    card.email.clear()
    qtbot.keyClick(card, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: card.saved_id is not None)  # saved on the executor
    with db.session() as s:
        assert client_service.count_clients(s) == 1


def test_add_and_edit_a_purchase_in_the_card(qtbot, ops, db, make_client):
    cid = make_client("Jan Nowak")
    page = _page(qtbot, ops)
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    card = page.card
    assert isinstance(card, ClientCardDialog) and card.data.id == cid
    card.activateWindow()
    qtbot.waitUntil(card.isActiveWindow)
    card.tabs.setCurrentIndex(CardTab.PURCHASES)
    seen = _fill_purchase_when_open(qtbot, "1,234.50", "Massage 60 min")
    card.findChild(QPushButton, "purchaseAdd").click()
    assert seen, "the purchase dialog did not open"
    assert card.purchases_table.rowCount() == 1
    assert card.purchases_table.item(0, 1).text() == "Massage 60 min"
    # edit it: double the amount
    card.purchases_table.selectRow(0)
    seen = _fill_purchase_when_open(qtbot, "99.90", "Massage 90 min")
    card.edit_purchase()
    assert seen
    card.activateWindow()
    qtbot.waitUntil(card.isActiveWindow)
    qtbot.keyClick(card, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: card.saved_id is not None)  # saved on the executor
    assert card.saved_id == cid
    with db.session() as s:
        data = client_service.load_client(s, cid)
    assert [(p.amount, p.item) for p in data.purchases] == [(Decimal("99.90"), "Massage 90 min")]
    assert data.purchases[0].purchased_on == date.today()
    # the list shows the new 12-month value
    _settled(qtbot, page)
    assert "99.90" in page.model.data(page.model.index(0, 5))


def test_bad_amount_keeps_purchase_dialog_open_with_message(qtbot, ops):
    dlg = PurchaseDialog(None, client_service.PurchaseData(purchased_on=date.today()))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.amount, "12,3,4x")
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dlg.result_data is None
    assert dlg.errors["amount"].isVisible()
    dlg.amount.setText("-5")
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "negative" in dlg.errors["amount"].text()


def test_delete_then_undo_with_ctrl_z_and_restore_from_trash(qtbot, ops, db, make_client):
    make_client("Anna")
    b = make_client("Bartek")
    page = _page(qtbot, ops)
    page.table.setFocus()
    page.table.selectRow(1)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    _settled(qtbot, page)
    assert page.model.rowCount() == 1
    assert page.undo_bar.isVisible()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _settled(qtbot, page)
    assert page.model.rowCount() == 2
    assert not page.undo_bar.isVisible()
    # delete again, then restore from the Trash view
    page.select_client(b)
    page.delete_button.click()
    _settled(qtbot, page)
    assert page.model.rowCount() == 1
    page.trash_button.click()
    _settled(qtbot, page)
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 0)) == "Bartek"
    assert page.restore_button.isVisible() and not page.delete_button.isVisible()
    page.table.selectRow(0)
    page.restore_button.click()
    _settled(qtbot, page)
    assert page.model.rowCount() == 0
    page.trash_button.click()
    _settled(qtbot, page)
    assert page.model.rowCount() == 2


def test_filters_by_group_status_and_tag(qtbot, ops, make_client):
    make_client("Anna", segment_override=Segment.A, segment_override_reason="owner knows best", tags=["VIP"])
    make_client("Bartek", segment_override=Segment.C, segment_override_reason="owner knows best")
    page = _page(qtbot, ops)
    page.segment_filter.setCurrentIndex(page.segment_filter.findData(Segment.A))
    _settled(qtbot, page)
    assert page.model.rowCount() == 1
    page.segment_filter.setCurrentIndex(0)
    _settled(qtbot, page)
    assert page.model.rowCount() == 2
    page.tag_filter.setCurrentIndex(page.tag_filter.findText("VIP"))
    _settled(qtbot, page)
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 0)) == "Anna"
    assert "1" in page.count_label.text()


def test_escape_closes_unchanged_card_without_question(qtbot, ops, make_client):
    make_client("Anna")
    page = _page(qtbot, ops)
    page.open_client(page.model.client_id(0))
    card = page.card
    qtbot.waitExposed(card)
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    assert not card.isVisible()


def test_a_refused_card_save_shows_no_saved_message(qtbot, ops, db, make_client):
    """The card has no "Saved." line: a save that goes through closes it, one that is
    refused keeps it open with the reason beside the field and nothing that says saved."""
    page = _page(qtbot, ops)
    card = _open_new_card(qtbot, page)
    qtbot.keyClicks(card.name, "Anna")
    qtbot.keyClicks(card.phone, "12")
    qtbot.keyClick(card, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert card.isVisible() and card.field_errors["phone"].isVisible()
    assert not [lab.text() for lab in card.findChildren(QLabel)
                if "saved" in lab.text().casefold() and lab.isVisible()]


def _many(db, n: int) -> None:
    from app.models import Client
    with db.session() as s:
        for i in range(n):
            name = f"Klient {i:03d}"
            s.add(Client(name=name, sort_name=name.casefold(),
                         search_text=client_service.search_text_for(name, None, None, "")))


def test_a_long_list_shows_its_first_page_and_its_count_from_the_background(qtbot, ops, db):
    _many(db, 450)
    page = _page(qtbot, ops)
    assert page.model.rowCount() < 450  # only the first page of ids was read
    qtbot.waitUntil(lambda: page.count_label.text() == "450 client(s)")
    _search(qtbot, page, "klient 44")
    qtbot.waitUntil(lambda: page.count_label.text() == "14 client(s)")  # 044, 144, 244, 344, 440-449
    assert page.model.rowCount() == 14
    page.search.clear()
    page.apply_filters()
    _settled(qtbot, page)
    # while a count runs the label says so, with the rows read so far
    page.model._set_total(None)
    assert page.count_label.text() == f"{page.model.rowCount()}+ client(s), counting…"


def test_a_new_client_further_down_the_list_is_selected_after_saving(qtbot, ops, db):
    _many(db, 450)
    page = _page(qtbot, ops)
    card = _open_new_card(qtbot, page)
    qtbot.keyClicks(card.name, "Zuzanna Zieba")  # sorted after every "Klient"
    qtbot.keyClick(card, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: card.saved_id is not None)  # saved on the executor
    saved_id = card.saved_id
    qtbot.waitUntil(lambda: not shiboken6.isValid(card) or not card.isVisible())  # it closes
    _settled(qtbot, page)
    qtbot.waitUntil(lambda: page.selected_ids() == [saved_id])
    row = page.model.row_of(saved_id)
    assert row == 450 and page.table.currentIndex().row() == row
