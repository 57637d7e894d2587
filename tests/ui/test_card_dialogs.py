"""The small dialogs of the card and the card's remaining fields, driven as a user would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date, time
from datetime import date as _date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from app.errors import ConflictError
from app.models.enums import DateKind, MembershipStatus, Relation
from app.services import clients as client_service
from app.ui.app import RESOURCES, install_translations
from app.ui.card_dialogs import (
    FreezeDialog,
    MembershipDialog,
    PersonalDateDialog,
    PurchaseDialog,
    RelativeDialog,
)
from app.ui.client_card import CardContext, ClientCardDialog
from app.ui.widgets import ErrorLabel
from tests.ui.modal import answer_modal


def _ok(dlg) -> None:
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_personal_date_29_february_needs_a_leap_year(qtbot):
    dlg = PersonalDateDialog(None, client_service.PersonalDateData(), [(None, "Anna")])
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.month.setCurrentIndex(1)  # February
    dlg.day.setValue(29)
    dlg.year.setValue(2023)
    _ok(dlg)
    assert dlg.result_data is None
    assert dlg.errors["day"].isVisible()
    dlg.year.setValue(0)  # year unknown: 29 February is a fine yearly date
    _ok(dlg)
    assert dlg.result_data == client_service.PersonalDateData(month=2, day=29, year=None,
                                                  kind=DateKind.BIRTHDAY)


def test_membership_end_before_start_and_frozen_days(qtbot):
    dlg = MembershipDialog(None, client_service.MembershipData(plan="", starts_on=date(2026, 5, 1),
                                                   ends_on=date(2026, 4, 1)))
    qtbot.addWidget(dlg)
    dlg.show()
    _ok(dlg)
    assert dlg.result_data is None
    assert dlg.errors["plan"].isVisible()
    assert dlg.errors["ends_on"].isVisible()
    qtbot.keyClicks(dlg.plan, "Annual")
    dlg.ends.setDate(QDate(2027, 4, 30))
    dlg.status.setCurrentIndex(dlg.status.findData(MembershipStatus.FROZEN))
    _ok(dlg)
    assert dlg.result_data is None and dlg.errors["frozen"].isVisible()
    dlg.frozen_from.set_value(date(2026, 7, 1))
    dlg.frozen_until.set_value(date(2026, 7, 31))
    dlg.promo.setChecked(True)
    qtbot.keyClicks(dlg.price, "1,200.00")
    _ok(dlg)
    m = dlg.result_data
    assert m is not None and m.plan == "Annual" and m.status == MembershipStatus.FROZEN
    assert (m.frozen_from, m.frozen_until) == (date(2026, 7, 1), date(2026, 7, 31))
    assert m.promo and str(m.price) == "1200.00"


def _card(qtbot, data: client_service.ClientData, saved: list) -> ClientCardDialog:
    def save(d: client_service.ClientData) -> int:
        saved.append(d)
        return 7

    card = ClientCardDialog(None, data, save, CardContext(region="PL"))
    qtbot.addWidget(card)
    card.show()
    return card


def test_relative_with_birthday_is_kept_together(qtbot):
    saved: list = []
    card = _card(qtbot, client_service.ClientData(name="Anna"), saved)

    def relative(dlg: RelativeDialog) -> None:
        qtbot.keyClicks(dlg.name, "Ola")
        dlg.relation.setCurrentIndex(dlg.relation.findData(Relation.CHILD))
        _ok(dlg)

    answer_modal(RelativeDialog, relative)
    card.add_relative()
    assert card.relatives_table.rowCount() == 1

    def name_day(dlg: PersonalDateDialog) -> None:
        dlg.whose.setCurrentIndex(1)  # Ola
        dlg.kind.setCurrentIndex(dlg.kind.findData(DateKind.NAME_DAY))
        dlg.day.setValue(23)
        dlg.month.setCurrentIndex(5)  # June
        _ok(dlg)

    answer_modal(PersonalDateDialog, name_day)
    card.add_date()
    assert card.dates_table.item(0, 0).text().startswith("Ola")
    card.save()
    d = saved[-1]
    assert [r.name for r in d.relatives] == ["Ola"]
    assert d.dates[0].relative_key == d.relatives[0].key
    assert (d.dates[0].kind, d.dates[0].month, d.dates[0].day) == (DateKind.NAME_DAY, 6, 23)


def test_contact_rules_and_consent_are_collected(qtbot):
    saved: list = []
    card = _card(qtbot, client_service.ClientData(name="Anna"), saved)
    card.any_time.setChecked(False)
    card.hours_from.setTime(card.hours_from.time().fromString("10:00", "HH:mm"))
    card.hours_to.setTime(card.hours_to.time().fromString("12:30", "HH:mm"))
    card.day_checks[0].setChecked(True)  # Monday
    card.day_checks[4].setChecked(True)  # Friday
    card.do_not_contact.setChecked(True)
    card.consent.set_value(date(2026, 1, 15))
    card.save()
    d = saved[-1]
    assert (d.contact_from, d.contact_to) == (time(10, 0), time(12, 30))
    assert d.contact_days == "15"
    assert d.do_not_contact
    assert d.marketing_consent and d.marketing_consent_on == date(2026, 1, 15)


def test_hours_in_wrong_order_show_a_message(qtbot):
    saved: list = []
    card = _card(qtbot, client_service.ClientData(name="Anna"), saved)
    card.any_time.setChecked(False)
    card.hours_from.setTime(card.hours_from.time().fromString("15:00", "HH:mm"))
    card.hours_to.setTime(card.hours_to.time().fromString("09:00", "HH:mm"))
    card.save()
    assert not saved
    assert card.field_errors["contact_hours"].isVisible()


def test_conflict_from_the_service_is_shown_and_card_stays_open(qtbot):
    def save(_d):
        raise ConflictError("client.changed", "changed", name="Anna")

    card = ClientCardDialog(None, client_service.ClientData(id=1, version=1, name="Anna"), save,
                            CardContext(region="PL"))
    qtbot.addWidget(card)
    card.show()
    card.save()
    assert card.isVisible()
    assert "changed elsewhere" in card.general_error.text()


def test_escape_with_unsaved_changes_asks_first(qtbot, monkeypatch):
    saved: list = []
    card = _card(qtbot, client_service.ClientData(name="Anna"), saved)
    qtbot.keyClicks(card.name, " Maria")
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    assert asked and card.isVisible()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    assert not card.isVisible() and not saved


def test_referred_by_picks_a_client_by_name(qtbot):
    saved: list = []
    data = client_service.ClientData(name="Anna")
    card = ClientCardDialog(None, data, lambda d: saved.append(d) or 1,
                            CardContext(search_clients=lambda t: [(5, "Barbara Nowak")]))
    qtbot.addWidget(card)
    card.show()
    qtbot.keyClicks(card.referred_by, "Barb")
    card.referred_by.completer().activated.emit("Barbara Nowak (#5)")
    card.save()
    assert saved[-1].referred_by_id == 5
    # a name that matches nobody is refused, not silently dropped
    card2 = ClientCardDialog(None, data, lambda d: saved.append(d) or 1,
                             CardContext(search_clients=lambda t: []))
    qtbot.addWidget(card2)
    card2.show()
    qtbot.keyClicks(card2.referred_by, "Nobody")
    n = len(saved)
    card2.save()
    assert len(saved) == n and card2.field_errors["referred_by"].isVisible()


def test_personal_date_birth_year_in_the_future_is_refused(qtbot):
    dlg = PersonalDateDialog(None, client_service.PersonalDateData(), [(None, "Anna")])
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.kind.setCurrentIndex(dlg.kind.findData(DateKind.NAME_DAY))
    dlg.month.setCurrentIndex(2)
    dlg.day.setValue(4)
    dlg.year.setValue(_date.today().year + 1)
    _ok(dlg)
    assert dlg.result_data is None
    assert dlg.errors["year"].isVisible() and "future" in dlg.errors["year"].text()
    dlg.year.setValue(1990)
    _ok(dlg)
    assert dlg.result_data.year == 1990


def test_consent_ticked_with_a_bad_date_is_refused_beside_it(qtbot):
    saved: list = []
    card = _card(qtbot, client_service.ClientData(name="Anna"), saved)
    card.consent.check.setChecked(True)
    qtbot.keyClicks(card.consent.edit.line, "2/30/2026")
    card.save()
    assert not saved and card.field_errors["marketing_consent_on"].isVisible()
    card.consent.edit.line.clear()
    qtbot.keyClicks(card.consent.edit.line, "2/3/2026")
    card.save()
    assert saved[-1].marketing_consent and saved[-1].marketing_consent_on == date(2026, 2, 3)


def test_consent_without_its_date_is_not_given_todays_date(qtbot):
    """A client who consented with no date recorded: the card asks for the date and does
    not invent today's, nor drop the consent."""
    saved: list = []
    card = _card(qtbot, client_service.ClientData(name="Anna", marketing_consent=True), saved)
    assert card.consent.check.isChecked() and card.consent.edit.line.text() == ""
    card.save()
    assert not saved and card.field_errors["marketing_consent_on"].isVisible()


@pytest.fixture(scope="module")
def qm_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("qm")
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    exe = str(lrelease) if lrelease.exists() else shutil.which("pyside6-lrelease")
    for lang in ("en", "pl", "ru", "bg"):
        subprocess.run([exe, "-silent", str(RESOURCES / "translations" / f"clientcare_{lang}.ts"),
                        "-qm", str(out / f"clientcare_{lang}.qm")], check=True)
    return out


@pytest.mark.parametrize("lang", ["pl", "ru", "bg"])
def test_small_dialogs_show_their_messages_whole(qtbot, qapp, qm_dir, lang):
    """Every message under a field is shown whole: the dialog is wide enough and grows
    to the message's height (the Polish and Bulgarian ones were cut off)."""
    try:
        install_translations(qapp, lang, qm_dir)
        purchase = PurchaseDialog(None, client_service.PurchaseData(purchased_on=date(2026, 1, 10)))
        purchase.date.line.setText("31.02.2026")
        purchase.amount.setText("1,050")
        purchase.quantity.setText("0")
        membership = MembershipDialog(None, client_service.MembershipData(plan="A"))
        membership.frozen_from.line.setText("1.13.2026")
        membership.price.setText("12,345")
        freeze = FreezeDialog(None, client_service.MembershipData(plan="A", starts_on=date(2026, 1, 1),
                                                      ends_on=date(2026, 2, 1)),
                              today=date(2026, 1, 10))
        freeze.frozen_from.line.setText("2026-03-01")
        for dlg in (purchase, membership, freeze):
            qtbot.addWidget(dlg)
            dlg.show()
            _ok(dlg)
            shown = [lab for lab in dlg.findChildren(ErrorLabel) if lab.isVisible()]
            assert shown, type(dlg).__name__
            assert dlg.width() >= 520
            for lab in shown:
                assert lab.height() >= lab.heightForWidth(lab.width()), lab.text()
                assert lab.geometry().right() <= dlg.width()
    finally:
        install_translations(qapp, "en_US", qm_dir)
        QLocale.setDefault(QLocale("en_US"))


def test_a_card_in_the_trash_has_no_calendar_to_change_a_date(qtbot):
    card = ClientCardDialog(None, client_service.ClientData(id=3, version=1, name="Anna",
                                                marketing_consent=True,
                                                marketing_consent_on=date(2026, 1, 5)),
                            lambda d: 3, CardContext(region="PL", read_only=True))
    qtbot.addWidget(card)
    card.show()
    assert card.consent.edit.line.isReadOnly()
    assert not card.consent.edit.button.isEnabled()


@pytest.mark.parametrize("language, shown", [
    ("en_US", "Olga Zaitseva, spouse"), ("ru", "Olga Zaitseva, муж или жена"),
    ("bg", "Olga Zaitseva, съпруг или съпруга"), ("pl", "Olga Zaitseva, małżonek")])
def test_a_relative_is_named_with_who_they_are_without_nested_brackets(qtbot, qapp, language,
                                                                      shown):
    install_translations(qapp, language)
    data = client_service.ClientData(name="Anna", relatives=[client_service.RelativeData(
        name="Olga Zaitseva", relation=Relation.SPOUSE)])
    card = _card(qtbot, data, [])
    seen = []

    def whose(dlg: PersonalDateDialog) -> None:
        seen.extend(dlg.whose.itemText(i) for i in range(dlg.whose.count()))
        dlg.reject()

    answer_modal(PersonalDateDialog, whose)
    card.add_date()
    assert seen[1] == shown and "(" not in seen[1]
