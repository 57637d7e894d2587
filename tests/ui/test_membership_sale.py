"""A membership's price is a sale (a purchase line linked to it: revenue, visits, the end
of "new"), and Freeze in the card moves the end the card shows and the renewal call."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from alembic import command
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import create_engine, select

from app import db as db_module
from app.models import Client, Membership, Purchase, Task
from app.models.enums import ClientStatus, MembershipStatus, TaskKind, TaskStatus
from app.services import clients as client_service
from app.services import schedule
from app.ui.card_dialogs import FreezeDialog
from app.ui.client_card import CardContext, ClientCardDialog
from tests.ui.modal import answer_modal

TODAY = date.today()


def _save(db, data: client_service.ClientData) -> int:
    with db.session() as s:
        return client_service.save_client(s, data, region="PL", today=TODAY)


def _load(db, cid: int) -> client_service.ClientData:
    with db.session() as s:
        return client_service.load_client(s, cid)


def _lines(db, cid: int) -> list[tuple[date, Decimal, str, int | None]]:
    with db.session() as s:
        return [(p.purchased_on, p.amount, p.item, p.membership_id) for p in s.scalars(
            select(Purchase).where(Purchase.client_id == cid).order_by(Purchase.id))]


def test_a_membership_price_is_a_sale(db):
    start = TODAY - timedelta(days=10)
    cid = _save(db, client_service.ClientData(name="Anna", memberships=[client_service.MembershipData(
        plan="Annual", starts_on=start, ends_on=start + timedelta(days=364),
        price=Decimal(1200))]))
    with db.session() as s:
        m = s.scalar(select(Membership))
        c = s.get(Client, cid)
        assert c.purchase_count == 1 and c.value_12m == Decimal("1200.00")
        assert c.first_purchase_on == start
    assert _lines(db, cid) == [(start, Decimal("1200.00"), "Annual", m.id)]
    # the price and the plan change: the line follows, not a second one
    data = _load(db, cid)
    data.memberships[0].price = Decimal("990.50")
    data.memberships[0].plan = "Annual promo"
    _save(db, data)
    assert _lines(db, cid) == [(start, Decimal("990.50"), "Annual promo", m.id)]
    # the card's other purchases are untouched by the line, and it by them
    data = _load(db, cid)
    assert [p.membership_id for p in data.purchases] == [m.id]
    data.purchases.append(client_service.PurchaseData(purchased_on=TODAY, amount=Decimal(20)))
    _save(db, data)
    assert len(_lines(db, cid)) == 2
    # no price: no sale; the membership removed: its sale goes with it
    data = _load(db, cid)
    data.memberships[0].price = None
    _save(db, data)
    assert [x[3] for x in _lines(db, cid)] == [None]
    data = _load(db, cid)
    data.memberships[0].price = Decimal(100)
    _save(db, data)
    data = _load(db, cid)
    data.memberships = []
    _save(db, data)
    assert [x[3] for x in _lines(db, cid)] == [None]


def test_a_membership_sold_ahead_is_dated_the_day_it_was_sold(db):
    start = TODAY + timedelta(days=20)
    cid = _save(db, client_service.ClientData(name="Anna", memberships=[client_service.MembershipData(
        plan="Summer", starts_on=start, ends_on=start + timedelta(days=60),
        price=Decimal(300))]))
    assert [x[0] for x in _lines(db, cid)] == [TODAY]


def test_the_sale_ends_new_like_a_purchase(db):
    rules = client_service.StatusRules(today=TODAY, new_until_purchases=2, default_gap_days=90,
                           gap_multiplier=Decimal(2), lapsed_after_days=365)
    cid = _save(db, client_service.ClientData(name="Anna", purchases=[client_service.PurchaseData(
        purchased_on=TODAY - timedelta(days=5), amount=Decimal(10))]))

    def status() -> str:
        with db.session() as s:
            return s.scalar(select(client_service.status_expr(rules)).where(Client.id == cid))
    assert status() == ClientStatus.NEW.value
    data = _load(db, cid)
    data.memberships.append(client_service.MembershipData(plan="Month", starts_on=TODAY,
                                              ends_on=TODAY + timedelta(days=30),
                                              price=Decimal(80)))
    _save(db, data)
    assert status() == ClientStatus.ACTIVE.value


def test_the_sale_gets_the_onboarding_call_not_a_second_follow_up(db):
    cid = _save(db, client_service.ClientData(name="Anna", memberships=[client_service.MembershipData(
        plan="Month", starts_on=TODAY - timedelta(days=2), ends_on=TODAY + timedelta(days=28),
        price=Decimal(80))]))
    with db.session() as s:
        schedule.regenerate(s, TODAY)
        kinds = sorted(t.kind for t in s.scalars(select(Task).where(Task.client_id == cid)))
    assert TaskKind.ONBOARDING in kinds and TaskKind.FOLLOW_UP not in kinds


def _ok(dlg) -> None:
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def _retype(qtbot, entry, text: str) -> None:
    entry.line.selectAll()
    qtbot.keyClick(entry.line, Qt.Key.Key_Backspace)
    qtbot.keyClicks(entry.line, text)


def test_freeze_in_the_card_moves_the_end_and_the_renewal_call(qtbot, ops, db):
    start, end = TODAY - timedelta(days=30), TODAY + timedelta(days=60)
    cid = _save(db, client_service.ClientData(name="Anna", memberships=[client_service.MembershipData(
        plan="Annual", starts_on=start, ends_on=end, price=Decimal(500))]))
    with db.session() as s:
        schedule.regenerate(s, TODAY)
        renewal = s.scalar(select(Task).where(Task.kind == TaskKind.RENEWAL))
        before = renewal.due_on
    data = _load(db, cid)
    saved: list = []

    def save(d):
        with db.session() as s:
            out = client_service.save_client(s, d, region="PL", today=TODAY)
            schedule.regenerate(s, TODAY, client_ids=[out])
        saved.append(d)
        return out

    card = ClientCardDialog(None, data, save, CardContext(region="PL"))
    qtbot.addWidget(card)
    card.show()
    assert card.purchases_table.rowCount() == 1  # the sale is among the purchases
    card.memberships_table.selectRow(0)
    frm, until = TODAY + timedelta(days=1), TODAY + timedelta(days=14)

    def freeze(dlg: FreezeDialog) -> None:
        _retype(qtbot, dlg.frozen_from, frm.isoformat())
        _retype(qtbot, dlg.frozen_until, (frm - timedelta(days=1)).isoformat())
        _ok(dlg)
        assert dlg.result_data is None and dlg.errors["frozen_until"].isVisible()
        _retype(qtbot, dlg.frozen_until, until.isoformat())
        _ok(dlg)

    seen = answer_modal(FreezeDialog, freeze)
    card.freeze_button.click()
    assert seen == ["FreezeDialog"]
    new_end = end + timedelta(days=14)
    assert card.memberships_table.item(0, 2).text().startswith(
        f"{new_end.month}/{new_end.day}/{new_end.year}")  # the year in full
    assert "(+14 day" in card.memberships_table.item(0, 2).text()
    card.save()
    assert saved
    with db.session() as s:
        m = s.scalar(select(Membership))
        assert (m.frozen_from, m.frozen_until) == (frm, until)
        assert m.status == MembershipStatus.ACTIVE  # the freeze starts tomorrow
        task = s.scalar(select(Task).where(Task.kind == TaskKind.RENEWAL,
                                           Task.status == TaskStatus.OPEN))
        assert task.due_on == before + timedelta(days=14)


def test_freeze_from_today_marks_it_frozen(qtbot):
    m = client_service.MembershipData(plan="Annual", starts_on=TODAY - timedelta(days=5),
                          ends_on=TODAY + timedelta(days=100))
    dlg = FreezeDialog(None, m, today=TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    _retype(qtbot, dlg.frozen_from, TODAY.isoformat())
    _retype(qtbot, dlg.frozen_until, (TODAY + timedelta(days=6)).isoformat())
    _ok(dlg)
    assert dlg.result_data.status == MembershipStatus.FROZEN
    _retype(qtbot, dlg.frozen_from, (TODAY + timedelta(days=200)).isoformat())
    _retype(qtbot, dlg.frozen_until, (TODAY + timedelta(days=210)).isoformat())
    dlg.result_data = None
    _ok(dlg)
    assert dlg.result_data is None and not dlg.errors["frozen"].isHidden()


def test_the_sale_line_is_changed_on_the_memberships_tab_only(qtbot, db):
    cid = _save(db, client_service.ClientData(name="Anna", memberships=[client_service.MembershipData(
        plan="Annual", starts_on=TODAY, ends_on=TODAY + timedelta(days=30),
        price=Decimal(50))]))
    card = ClientCardDialog(None, _load(db, cid), lambda d: cid, CardContext(region="PL"))
    qtbot.addWidget(card)
    card.show()
    card.purchases_table.selectRow(0)
    card.edit_purchase()
    assert not card.purchases_error.isHidden() and "Annual" in card.purchases_error.text()


def test_migration_0006_makes_priced_memberships_sales_and_names_nfc(tmp_path):

    nfd_name = unicodedata.normalize("NFD", "Łukasz Wójcik")
    nfc_ref, nfd_ref = "Ś-1", unicodedata.normalize("NFD", "Ś-1")
    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            command.upgrade(db_module.alembic_config(conn), "0003")
            conn.exec_driver_sql(
                "INSERT INTO clients (id, kind, name, sort_name, search_text, external_ref) "
                "VALUES (1, 'person', 'Anna', 'anna', 'anna', NULL), "
                f"(2, 'person', '{nfd_name}', '{nfd_name.casefold()}', "
                f"'{nfd_name.casefold()}', '{nfd_ref}'), "
                f"(3, 'person', 'Other', 'other', 'other', '{nfc_ref}')")
            conn.exec_driver_sql(
                "INSERT INTO memberships (client_id, plan, starts_on, ends_on, status, price) "
                "VALUES (1, 'Annual', '2026-01-05', '2026-12-31', 'active', 1200), "
                "(1, 'Free trial', '2026-01-01', '2026-01-04', 'expired', NULL)")
            command.upgrade(db_module.alembic_config(conn), "0006")
            rows = conn.exec_driver_sql(
                "SELECT purchased_on, amount, item, membership_id FROM purchases").fetchall()
            clients = conn.exec_driver_sql(
                "SELECT name, search_text, external_ref FROM clients WHERE id = 2").fetchone()
    finally:
        engine.dispose()
    # stored decomposed before: now in NFC; the card number another client has is kept
    assert clients == ("Łukasz Wójcik", "łukasz wójcik", nfd_ref)
    assert [(r[0], str(r[1]), r[2], r[3]) for r in rows] == [("2026-01-05", "1200", "Annual", 1)]
