"""Lists the app offers are kept as stable codes and shown in the user's language; a
person's own entry is kept exactly as typed ([11])."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.enums import DECLINE_REASONS, REFUND_ITEM, SOURCE_CHANNELS
from app.models import Contact
from app.services import clients as client_service
from app.services import schedule
from app.ui import labels
from app.ui.app import install_translations
from app.ui.charts_page import chart_labels
from app.ui.client_card import CardContext, ClientCardDialog
from app.ui.today_page import TodayPage
from app.ui.widgets import CodedCombo
from tests.ui.keys import type_keys

TODAY = date(2026, 11, 23)


@pytest.fixture
def russian(qapp):
    install_translations(qapp, "ru")


def test_a_label_in_the_users_language_keeps_its_code(qtbot, russian):
    combo = CodedCombo(SOURCE_CHANNELS, labels.source_channel)
    qtbot.addWidget(combo)
    combo.setCurrentIndex(combo.findText("Пришёл сам"))
    assert combo.code() == "walk-in"
    combo.setEditText("")
    type_keys(qtbot, combo.lineEdit(), "пришёл САМ")  # typed, another case: the same entry
    assert combo.code() == "walk-in"
    combo.setEditText("")
    type_keys(qtbot, combo.lineEdit(), "Ярмарка в мае")  # the business's own: as typed
    assert combo.code() == "Ярмарка в мае"
    combo.set_code("flyer")
    assert combo.currentText() == "Листовка" and combo.code() == "flyer"
    combo.set_code("the fair in May")
    assert combo.currentText() == "the fair in May" and combo.code() == "the fair in May"
    combo.set_code("")
    assert combo.code() == ""


@given(st.text(min_size=1).map(str.strip).filter(bool))
def test_any_own_words_come_back_exactly(qapp, text):
    combo = CodedCombo(DECLINE_REASONS, labels.decline_reason)
    known = {c.casefold() for c in DECLINE_REASONS} | {
        labels.decline_reason(c).casefold() for c in DECLINE_REASONS}
    combo.set_code(text)
    if text.casefold() not in known:
        assert combo.code() == text
    for code in DECLINE_REASONS:
        combo.set_code(code)
        assert combo.code() == code


def test_the_card_shows_where_a_client_came_from_in_russian_and_keeps_the_code(qtbot,
                                                                               russian):
    saved: list = []
    data = client_service.ClientData(name="Анна", source_channel="walk-in", purchases=[
        client_service.PurchaseData(purchased_on=TODAY, item=REFUND_ITEM, quantity=Decimal(1),
                                    amount=Decimal("-20.00"), is_credit=True)])
    card = ClientCardDialog(None, data, lambda d: saved.append(d) or 7, CardContext(region="PL"))
    qtbot.addWidget(card)
    card.show()
    assert card.source.currentText() == "Пришёл сам"
    items = [card.purchases_table.item(r, 1).text()
             for r in range(card.purchases_table.rowCount())]
    assert items == ["Возврат денег"]  # the refund line of a compensation, in words
    card.save()
    assert saved[-1].source_channel == "walk-in"
    assert saved[-1].purchases[0].item == REFUND_ITEM  # what is shown is not written back


def test_a_decline_reason_chosen_in_polish_is_kept_as_its_code(qtbot, ops, db, make_client):
    install_translations(QApplication.instance(), "pl")
    make_client("Anna", phone="601 234 567", purchases=[(TODAY - timedelta(days=3), "50.00")])
    with db.session() as s:
        schedule.regenerate(s, TODAY, rules=schedule.ScheduleRules(
            personal_dates=False, quarterly_review=False, win_back=False,
            keep_in_touch=False))
    page = TodayPage(ops, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() == 1)
    page.table.setFocus()
    page.start_form(page.outcome.itemData(page.outcome.findData("declined")))
    assert page.decline_reason.findText("Za drogo") > 0
    page.decline_reason.setCurrentIndex(page.decline_reason.findText("Za drogo"))
    page.log_from_form()
    qtbot.waitUntil(lambda: not page.busy)
    assert ops.wait()
    with db.sessions() as s:
        assert s.scalar(select(Contact.decline_reason)) == "too expensive"


@pytest.mark.parametrize("language, month, channel, reason", [
    ("ru", "янв. 2026", "Пришёл сам", "Слишком дорого"),
    ("pl", "sty 2026", "Przyszedł sam", "Za drogo"),
    ("bg", "яну 2026", "Дошъл сам", "Твърде скъпо")])
def test_the_charts_name_periods_channels_and_reasons_in_the_users_language(
        qapp, language, month, channel, reason):
    install_translations(qapp, language)
    locale = QLocale()
    labels_ = chart_labels(locale, "PLN")
    assert labels_.fmt_period(202601) == month  # the nominative, a four-digit year
    assert labels_.channel("walk-in") == channel
    assert labels_.channel("the fair in May") == "the fair in May"  # as typed
    assert labels_.reason("too expensive") == reason
    assert labels_.reason("") != ""  # "no reason given", in words
