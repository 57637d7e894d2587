"""Dates as a Russian, Polish or Bulgarian user expects them (issue [11]): a month that
stands alone in the nominative (QLocale's standalone names), four-digit years everywhere
(app/ui/formatting.py), in the dialogs that show them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QComboBox

from app.services import clients as client_service
from app.ui.app import install_translations
from app.ui.card_dialogs import PersonalDateDialog
from app.ui.client_card import CardContext, ClientCardDialog
from app.ui.formatting import fmt_date, fmt_datetime, four_digit_years, month_name

MONTHS = {
    "ru": ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
           "сентябрь", "октябрь", "ноябрь", "декабрь"],
    "pl": ["styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec",
           "sierpień", "wrzesień", "październik", "listopad", "grudzień"],
    "bg": ["януари", "февруари", "март", "април", "май", "юни", "юли", "август",
           "септември", "октомври", "ноември", "декември"],
}
#: the form that goes with a day, which a picker must not show
GENITIVE = {"ru": "января", "pl": "stycznia"}
DAY = {"ru": "05.01.2026", "pl": "5.01.2026", "bg": "5.01.2026\u202fг."}  # a narrow space


@pytest.fixture(params=["ru", "pl", "bg"])
def language(request, qapp):
    install_translations(qapp, request.param)
    yield request.param
    install_translations(qapp, "en_US")
    QLocale.setDefault(QLocale("en_US"))


def test_the_personal_dates_month_picker_names_months_in_the_nominative(qtbot, language):
    dlg = PersonalDateDialog(None, client_service.PersonalDateData(month=1, day=5),
                             [(None, "Anna")])
    qtbot.addWidget(dlg)
    dlg.show()
    combo = dlg.findChild(QComboBox, "monthCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == MONTHS[language]
    assert combo.currentText() == MONTHS[language][0]
    if language in GENITIVE:
        assert GENITIVE[language] not in [combo.itemText(i) for i in range(combo.count())]
    dlg.resize(520, dlg.sizeHint().height())
    dlg.grab().save(f"/tmp/native_dates_month_{language}.png")


def test_the_cards_dates_have_four_digit_years(qtbot, language):
    data = client_service.ClientData(id=1, version=1, name="Anna")
    data.purchases = [client_service.PurchaseData(id=1, purchased_on=date(2026, 1, 5),
                                                  amount=Decimal("12.50"), item="Krem")]
    card = ClientCardDialog(None, data, lambda d: 1, CardContext(region="PL"))
    qtbot.addWidget(card)
    card.show()
    table = card.purchases_table
    assert table.item(0, 0).text() == DAY[language]
    card.resize(1280, 720)
    card.tabs.setCurrentIndex(2)
    card.grab().save(f"/tmp/native_dates_card_{language}.png")


def test_every_date_helper_writes_the_year_in_full(language):
    loc = QLocale()
    assert fmt_date(date(2026, 1, 5)) == DAY[language]
    shown = fmt_datetime(datetime(2026, 1, 5, 9, 7))
    assert shown.startswith(DAY[language].removesuffix("\u202fг.")) and "9:07" in shown
    assert "2026" in loc.toString(date(2026, 1, 5), four_digit_years(
        loc.dateFormat(QLocale.FormatType.ShortFormat)))
    assert month_name(6) == MONTHS[language][5]


def test_quoted_text_in_a_pattern_is_kept():
    assert four_digit_years("d.MM.yy 'yy г'.") == "d.MM.yyyy 'yy г'."
    assert four_digit_years("M/d/yy h:mm AP") == "M/d/yyyy h:mm AP"
    assert four_digit_years("dd.MM.yyyy") == "dd.MM.yyyy"


GIFT = {"ru": ["за 1 день", "за 3 дня", "за 5 дней", "за 21 день"],
        "pl": ["1 dzień wcześniej", "3 dni wcześniej", "5 dni wcześniej", "21 dni wcześniej"],
        "bg": ["1 ден по-рано", "3 дни по-рано", "5 дни по-рано", "21 дни по-рано"]}


def test_the_cards_gift_reminders_count_days_in_the_languages_plural(qtbot, language):
    data = client_service.ClientData(id=1, version=1, name="Anna")
    data.dates = [client_service.PersonalDateData(month=3, day=d, gift_reminder_days=n)
                  for d, n in ((1, 1), (2, 3), (3, 5), (4, 21))]
    card = ClientCardDialog(None, data, lambda d: 1, CardContext(region="PL"))
    qtbot.addWidget(card)
    card.show()
    t = card.dates_table
    assert [t.item(r, 3).text() for r in range(t.rowCount())] == GIFT[language]


#: (context, source, n, the words the translation must say)
PLURALS = {
    "ru": [("QueueModel", "no answer %n time(s)", 2, "не отвечает: 2 попытки"),
           ("RulesSettings", "%n call(s) cancelled.", 5, "Отменено 5 звонков."),
           ("ComplaintDialog", "The team review follows after %n day(s).", 1,
            "Разбор с командой — через 1 день.")],
    "pl": [("QueueModel", "no answer %n time(s)", 2, "nie odbiera: 2 próby"),
           ("RulesSettings", "%n call(s) cancelled.", 5, "Anulowano 5 połączeń."),
           ("ComplaintDialog", "The team review follows after %n day(s).", 1,
            "Omówienie z zespołem nastąpi po 1 dniu.")],
    "bg": [("QueueModel", "no answer %n time(s)", 2, "без отговор: 2 опита"),
           ("RulesSettings", "%n call(s) cancelled.", 1, "Отменено е 1 обаждане."),
           ("ComplaintDialog", "The team review follows after %n day(s).", 2,
            "Прегледът с екипа следва след 2 дни.")],
}


def test_counted_words_come_from_the_plural_forms(language):
    from PySide6.QtCore import QCoreApplication
    for context, source, n, words in PLURALS[language]:
        assert QCoreApplication.translate(context, source, "", n) == words
