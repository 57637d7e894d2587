"""The business's country in Settings: every name in the user's language, in that
language's alphabetical order, found by typing its first letters."""

from __future__ import annotations

import phonenumbers
import pytest
from PySide6.QtCore import QCollator, QLocale
from PySide6.QtWidgets import QApplication

from app.countries import country_names
from app.services import settings as settings_service
from app.ui import client_card, formatting, import_wizard
from app.ui.app import install_translations
from app.ui.settings_page import SettingsPage
from tests.ui.keys import type_keys

NAMES = {"en_US": ("Poland", "Bulgaria", "Germany"), "pl": ("Polska", "Bułgaria", "Niemcy"),
         "ru": ("Польша", "Болгария", "Германия"), "bg": ("Полша", "България", "Германия")}


def _page(qtbot, ops, language: str) -> SettingsPage:
    install_translations(QApplication.instance(), language)
    page = SettingsPage(ops)
    qtbot.addWidget(page)
    return page


def _labels(page: SettingsPage) -> list[str]:
    return [page.region.itemText(i) for i in range(page.region.count())]


@pytest.mark.parametrize("language", sorted(NAMES))
def test_every_country_is_named_in_the_users_language_and_sorted_by_it(qtbot, ops, language):
    page = _page(qtbot, ops, language)
    labels = _labels(page)
    assert len(labels) == len(phonenumbers.SUPPORTED_REGIONS)  # none lost, none twice
    assert {page.region.itemData(i) for i in range(page.region.count())} \
        == set(phonenumbers.SUPPORTED_REGIONS)
    poland, bulgaria, germany = NAMES[language]
    for code, name in (("PL", poland), ("BG", bulgaria), ("DE", germany)):
        assert page.region.itemText(page.region.findData(code)) == f"{name} ({code})"
    collator = QCollator(QLocale(language))
    names = [label.rsplit(" (", 1)[0] for label in labels]
    assert all(collator.compare(a, b) <= 0 for a, b in zip(names, names[1:], strict=False))


def test_polish_order_is_the_alphabet_not_the_code_points(qtbot, ops):
    names = [label.rsplit(" (", 1)[0] for label in _labels(_page(qtbot, ops, "pl"))]
    # Ł comes after L and before M in Polish; by code points it would follow Z
    assert names.index("Litwa") < names.index("Łotwa") < names.index("Madagaskar")


@pytest.mark.parametrize("language, typed, code", [
    ("ru", "Пол", "PL"), ("bg", "Бълг", "BG"), ("pl", "Niem", "DE"), ("en_US", "Germ", "DE")])
def test_typing_the_first_letters_chooses_the_country_and_saves_its_code(
        qtbot, ops, db, language, typed, code):
    page = _page(qtbot, ops, language)
    page.show()
    qtbot.waitExposed(page)
    page.region.setFocus()
    type_keys(qtbot, page.region, typed)
    assert page.region.currentData() == code
    page.business_name.setText("Salon")
    page.save()
    assert ops.wait()
    with db.sessions() as s:
        assert settings_service.get(s, "business.region") == code


def test_a_language_without_names_falls_back_to_english():
    assert country_names("xx")["PL"] == "Poland"
    assert country_names("ru_RU")["PL"] == "Польша"
    assert country_names("bg-BG")["BG"] == "България"


@pytest.mark.parametrize("language, name", [("ru", "Польша"), ("bg", "Полша"), ("pl", "Polska"),
                                            ("en_US", "Poland")])
def test_the_card_the_list_and_the_import_name_the_country_in_the_users_language(
        qtbot, language, name):
    install_translations(QApplication.instance(), language)
    assert formatting.country_name("PL") == name
    assert import_wizard.country_name("PL") == f"{name} (PL)"
    assert client_card._country("PL") == name
