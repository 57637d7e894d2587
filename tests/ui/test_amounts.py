"""Amounts typed in each language are the amounts saved: "10,5" in English is 10.50, not
105.00; a text that reads two ways ("1,050") is shown back in the locale's form before it
is saved, never stored ten or a thousand times off unseen."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit
from sqlalchemy import select

from app.errors import DomainError
from app.models import Complaint
from app.models.enums import CompensationKind, StaffRole
from app.services import clients as client_service
from app.services import complaints
from app.services import settings as settings_service
from app.ui.card_dialogs import MembershipDialog, PurchaseDialog
from app.ui.complaint_dialog import ComplaintDialog
from app.ui.formatting import fmt_decimal, fmt_decimal_short, parse_money
from app.ui.rules_settings import RulesSettings
from app.ui.widgets import read_money

LOCALES = {
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
    "pl": QLocale(QLocale.Language.Polish, QLocale.Country.Poland),
    "ru": QLocale(QLocale.Language.Russian, QLocale.Country.Russia),
    "bg": QLocale(QLocale.Language.Bulgarian, QLocale.Country.Bulgaria),
    "C": QLocale(QLocale.Language.English, QLocale.Country.Canada),  # the LANG=C stand-in
}

# (language, typed, saved, shown back first?)
TYPED = [
    ("en", "10,5", "10.50", False), ("en", "10.5", "10.50", False),
    ("en", "10,50", "10.50", False), ("en", "1,234.50", "1234.50", False),
    ("en", "1.234,50", "1234.50", False), ("en", "1,234,567", "1234567.00", False),
    ("en", "1,050", "1050.00", True), ("en", "1.050", "1.05", True),
    ("pl", "10,5", "10.50", False), ("pl", "10.5", "10.50", False),
    ("pl", "1 234,50", "1234.50", False), ("pl", "1.234,50", "1234.50", False),
    ("pl", "1,050", "1.05", True), ("pl", "1.050", "1050.00", True),
    ("ru", "12,99", "12.99", False), ("ru", "1 050", "1050.00", False),
    ("bg", "0,5", "0.50", False), ("bg", "2.000,00", "2000.00", False),
]


def _edit(qtbot, lang: str, text: str) -> QLineEdit:
    e = QLineEdit()
    e.setLocale(LOCALES[lang])
    qtbot.addWidget(e)
    qtbot.keyClicks(e, text)
    return e


@pytest.mark.parametrize("lang,typed,saved,shown_back", TYPED)
def test_amount_typed_key_by_key(qtbot, lang, typed, saved, shown_back):
    e = _edit(qtbot, lang, typed)
    if shown_back:
        with pytest.raises(DomainError) as info:
            read_money(e)
        assert info.value.code == "amount.check"
        assert e.text() == fmt_decimal(Decimal(saved), LOCALES[lang])  # what will be saved
    assert read_money(e) == Decimal(saved)  # the next press saves it


@pytest.mark.parametrize("lang", list(LOCALES))
@pytest.mark.parametrize("typed,code", [("1,2,3", "amount.invalid"), ("12..5", "amount.invalid"),
                                        ("1,23,456", "amount.invalid"), ("10.505", "amount.precision"),
                                        ("abc", "amount.invalid"), ("-5", "amount.negative")])
def test_amounts_that_mean_nothing_are_refused(qtbot, lang, typed, code):
    if (lang, typed) in {("pl", "10.505"), ("ru", "10.505"), ("bg", "10.505")}:
        typed = "10,505"
    e = _edit(qtbot, lang, typed)
    with pytest.raises(DomainError) as info:
        read_money(e)
    assert info.value.code == code


@settings(max_examples=400, deadline=None)
@given(value=st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2,
                         allow_nan=False, allow_infinity=False),
       lang=st.sampled_from(list(LOCALES)))
def test_fmt_decimal_then_parse_round_trips_in_every_locale(value, lang):
    loc = LOCALES[lang]
    assert parse_money(fmt_decimal(value, loc), loc) == value
    short = fmt_decimal_short(value, loc)  # how Settings shows its numbers
    assert parse_money(short, loc) == value
    e = QLineEdit(fmt_decimal(value, loc))
    e.setLocale(loc)
    assert read_money(e) == value  # what a form shows is never "ambiguous"


def _ok(dlg) -> None:
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


@pytest.mark.parametrize("lang,typed,saved", [("en", "10,5", "10.50"), ("pl", "10.5", "10.50"),
                                              ("ru", "1 234,5", "1234.50"),
                                              ("bg", "99,90", "99.90")])
def test_purchase_dialog_amount(qtbot, lang, typed, saved):
    QLocale.setDefault(LOCALES[lang])
    dlg = PurchaseDialog(None, client_service.PurchaseData(purchased_on=date(2026, 1, 10)))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.amount, typed)
    _ok(dlg)
    assert dlg.result_data is not None and dlg.result_data.amount == Decimal(saved)


def test_purchase_dialog_shows_an_ambiguous_amount_back_before_saving(qtbot):
    dlg = PurchaseDialog(None, client_service.PurchaseData(purchased_on=date(2026, 1, 10)))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.amount, "1,050")
    _ok(dlg)
    assert dlg.result_data is None and dlg.isVisible()
    assert dlg.amount.text() == "1,050.00"
    assert "1,050.00" in dlg.errors["amount"].text()
    _ok(dlg)
    assert dlg.result_data.amount == Decimal("1050.00")


def test_membership_price_typed_in_english_with_a_comma(qtbot):
    dlg = MembershipDialog(None, client_service.MembershipData(plan="Annual"))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.price, "99,5")
    _ok(dlg)
    assert dlg.result_data is not None and dlg.result_data.price == Decimal("99.50")


def test_complaint_compensation_typed_in_english_with_a_comma(qtbot, ops, db, make_client,
                                                              staff):

    # she paid more than any refund below, so no "more than she paid" question comes up
    cid = make_client("Anna", purchases=[(date(2026, 11, 1), "5000")])
    view = ops.read(lambda s: complaints.new_complaint_view(s, cid))
    dlg = ComplaintDialog(None, ops, view, clock=lambda: datetime(2026, 11, 23, 10, 0))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.staff.setCurrentIndex(dlg.staff.findData(staff[StaffRole.OWNER]))
    qtbot.keyClicks(dlg.words, "The colour was wrong")
    dlg.comp_kind.setCurrentIndex(dlg.comp_kind.findData(CompensationKind.REFUND))
    qtbot.keyClicks(dlg.comp_value, "12,5")
    dlg.save_button.click()

    def saved() -> Decimal:
        with db.session() as s:
            return s.scalar(select(Complaint.compensation_value)
                            .where(Complaint.client_id == cid))
    assert saved() == Decimal("12.50")
    dlg.comp_value.clear()
    qtbot.keyClicks(dlg.comp_value, "1,050")
    dlg.save_button.click()
    assert dlg.comp_value.text() == "1,050.00"  # shown back, not yet saved
    assert saved() == Decimal("12.50")
    dlg.save_button.click()
    assert saved() == Decimal("1050.00")


def test_rules_settings_amount_with_a_comma_in_english(qtbot, ops, db):
    page = RulesSettings(ops)
    qtbot.addWidget(page)
    page.show()
    key = "rule.follow_up.min_amount"
    page.editors[key].clear()
    qtbot.keyClicks(page.editors[key], "10,5")
    assert page.save()
    assert ops.wait()  # saved on the database executor
    with db.session() as s:
        assert settings_service.get(s, key) == Decimal("10.50")
    page.editors[key].clear()
    qtbot.keyClicks(page.editors[key], "1,050")
    assert not page.save()  # shown back first
    assert page.editors[key].text() == "1,050.00"
    with db.session() as s:
        assert settings_service.get(s, key) == Decimal("10.50")
    assert page.save()
    assert ops.wait()  # saved on the database executor
    with db.session() as s:
        assert settings_service.get(s, key) == Decimal("1050.00")
    page.load()  # a saved 1050 comes back unambiguous, so Save saves at once
    assert page.editors[key].text() == "1,050.00"
    assert page.save()
    assert ops.wait()  # saved on the database executor


@pytest.mark.parametrize("lang,typed,saved,shown_back", [
    ("en", "1,5", "1.5", None), ("pl", "2.5", "2.5", None), ("en", "1,500", "1500", "1,500"),
    ("en", "1.250", "1.25", "1.25"), ("ru", "0,75", "0.75", None)])
def test_purchase_quantity_with_either_separator(qtbot, lang, typed, saved, shown_back):
    """"1,5" pieces in English was read as 15."""
    QLocale.setDefault(LOCALES[lang])
    dlg = PurchaseDialog(None, client_service.PurchaseData(purchased_on=date(2026, 1, 10)))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.amount, "10")
    dlg.quantity.clear()
    qtbot.keyClicks(dlg.quantity, typed)
    _ok(dlg)
    if shown_back is not None:
        assert dlg.result_data is None and dlg.quantity.text() == shown_back
        assert dlg.errors["quantity"].text()
        _ok(dlg)
    assert dlg.result_data.quantity == Decimal(saved)
