"""The one date field of the app, typed key by key in each language: what is typed is
the date saved, an impossible date is refused beside the field and nothing is saved."""

from __future__ import annotations

import pathlib
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QMessageBox,
    QWidget,
)
from sqlalchemy import func, select

from app.errors import DomainError
from app.models import Contact
from app.models.enums import Outcome
from app.services import clients as client_service
from app.services import schedule
from app.ui.card_dialogs import MembershipDialog, PurchaseDialog
from app.ui.formatting import date_entry_pattern, fmt_date_entry, parse_date_input
from app.ui.today_page import ManualTaskDialog, RescheduleDialog, TodayPage
from app.ui.widgets import DateEntry, DateTimeEntry
from tests.ui.keys import type_keys

LOCALES = {
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
    "pl": QLocale(QLocale.Language.Polish, QLocale.Country.Poland),
    "ru": QLocale(QLocale.Language.Russian, QLocale.Country.Russia),
    "bg": QLocale(QLocale.Language.Bulgarian, QLocale.Country.Bulgaria),
    "C": QLocale(QLocale.Language.English, QLocale.Country.Canada),  # the C stand-in
}

# (language, typed, expected): the locale's own order with 1- or 2-digit day and month,
# and ISO in every language
TYPED = [
    ("en", "1/31/2026", date(2026, 1, 31)),
    ("en", "2/1/2026", date(2026, 2, 1)),
    ("en", "12/10/2026", date(2026, 12, 10)),
    ("en", "2026-02-01", date(2026, 2, 1)),
    ("pl", "31.01.2026", date(2026, 1, 31)),
    ("pl", "1.2.2026", date(2026, 2, 1)),
    ("pl", "10.12.2026", date(2026, 12, 10)),
    ("pl", "2026-02-01", date(2026, 2, 1)),
    ("ru", "31.01.2026", date(2026, 1, 31)),
    ("ru", "1.2.2026", date(2026, 2, 1)),
    ("ru", "2026-02-01", date(2026, 2, 1)),
    ("bg", "31.01.2026", date(2026, 1, 31)),
    ("bg", "1.2.2026 г.", date(2026, 2, 1)),
    ("bg", "2026-02-01", date(2026, 2, 1)),
    ("C", "2026-12-10", date(2026, 12, 10)),
]


def _entry(qtbot, lang: str, **kw) -> DateEntry:
    w = DateEntry(None, optional=True, **kw)
    w.setLocale(LOCALES[lang])
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.mark.parametrize("lang,typed,expected", TYPED)
def test_typed_date_is_exactly_that_date(qtbot, lang, typed, expected):
    w = _entry(qtbot, lang)
    type_keys(qtbot, w.line, typed)
    assert w.value() == expected
    qtbot.keyClick(w.line, Qt.Key.Key_Return)  # the field shows its reading back
    assert w.line.text() == fmt_date_entry(expected, LOCALES[lang])
    assert w.value() == expected
    assert not w.error.isVisible()


@pytest.mark.parametrize("lang", list(LOCALES))
@pytest.mark.parametrize("typed,code", [
    ("31.02.2026", "date.invalid"), ("2026-02-31", "date.invalid"),
    ("31/31/2026", "date.invalid"), ("1.2.26", "date.year_digits"),
    ("tomorrow", "date.invalid"), ("1.2.3.2026", "date.invalid"),
])
def test_impossible_date_is_refused_beside_the_field(qtbot, lang, typed, code):
    w = _entry(qtbot, lang)
    if lang == "en" and typed == "31.02.2026":
        typed = "2/31/2026"
    qtbot.keyClicks(w.line, typed)
    qtbot.keyClick(w.line, Qt.Key.Key_Return)
    with pytest.raises(DomainError) as info:
        w.value()
    assert info.value.code == code
    assert w.error.isVisible() and w.error.text()
    assert w.line.text() == typed  # kept as typed, to be corrected


def test_c_locale_day_and_month_are_not_swapped(qtbot):
    """Qt's C locale ("d MM yyyy") read "10 12 2026" as 11 12 in a QDateEdit."""
    w = _entry(qtbot, "C")
    qtbot.keyClicks(w.line, "10 12 2026")  # day month year, as the C format writes it
    assert w.value() == date(2026, 12, 10)
    c = _entry(qtbot, "en")
    c.setLocale(QLocale.c())
    qtbot.keyClicks(c.line, "10 12 2026")
    assert c.value() == date(2026, 12, 10)


def test_required_field_refuses_empty(qtbot):
    w = DateEntry(date(2026, 3, 1))
    qtbot.addWidget(w)
    w.line.clear()
    with pytest.raises(DomainError) as info:
        w.value()
    assert info.value.code == "date.required"


def test_calendar_button_picks_a_date(qtbot):
    w = _entry(qtbot, "pl")
    w._on_calendar_clicked(w.calendar.selectedDate().fromString("2026-03-05", "yyyy-MM-dd"))
    assert w.value() == date(2026, 3, 5)
    assert w.line.text() == "5.03.2026"


@pytest.mark.parametrize("lang", list(LOCALES))
def test_pattern_has_a_four_digit_year(lang):
    assert "yyyy" in date_entry_pattern(LOCALES[lang])
    assert "2026" in fmt_date_entry(date(2026, 11, 20), LOCALES[lang])


@settings(max_examples=300, deadline=None)
@given(d=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       lang=st.sampled_from(list(LOCALES)))
def test_format_then_parse_round_trips_in_every_locale(d, lang):
    loc = LOCALES[lang]
    assert parse_date_input(fmt_date_entry(d, loc), loc) == d
    assert parse_date_input(d.isoformat(), loc) == d


def test_no_qdateedit_left_in_the_app():
    """One date widget for the whole app: QDateEdit's sections misread typed dates."""
    ui = pathlib.Path(__file__).resolve().parents[2] / "app" / "ui"
    offenders = [p.name for p in ui.glob("*.py")
                 if QDateEdit.__name__ in p.read_text(encoding="utf-8")
                 or QDateTimeEdit.__name__ in p.read_text(encoding="utf-8")]
    assert offenders == []


# ------------------------------------------------------------------ in the dialogs

def _ok(dlg) -> None:
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def _retype(qtbot, entry: DateEntry, text: str) -> None:
    entry.line.selectAll()
    qtbot.keyClick(entry.line, Qt.Key.Key_Backspace)
    qtbot.keyClicks(entry.line, text)


@pytest.mark.parametrize("lang,typed,expected", [
    ("en", "1/31/2026", date(2026, 1, 31)), ("pl", "31.01.2026", date(2026, 1, 31)),
    ("ru", "1.2.2026", date(2026, 2, 1)), ("bg", "2026-02-01", date(2026, 2, 1)),
])
def test_purchase_date_typed_key_by_key(qtbot, lang, typed, expected):
    QLocale.setDefault(LOCALES[lang])
    dlg = PurchaseDialog(None, client_service.PurchaseData(purchased_on=date(2026, 1, 10)))
    qtbot.addWidget(dlg)
    dlg.show()
    _retype(qtbot, dlg.date, typed)
    qtbot.keyClicks(dlg.amount, "10")
    _ok(dlg)
    assert dlg.result_data is not None
    assert dlg.result_data.purchased_on == expected


@pytest.mark.parametrize("lang,typed", [("en", "2/31/2026"), ("pl", "31.02.2026"),
                                        ("ru", "31.02.2026"), ("bg", "31.02.2026")])
def test_purchase_with_an_impossible_date_is_not_saved(qtbot, lang, typed):
    QLocale.setDefault(LOCALES[lang])
    dlg = PurchaseDialog(None, client_service.PurchaseData(purchased_on=date(2026, 1, 10)))
    qtbot.addWidget(dlg)
    dlg.show()
    _retype(qtbot, dlg.date, typed)
    qtbot.keyClicks(dlg.amount, "10")
    _ok(dlg)
    assert dlg.result_data is None and dlg.isVisible()
    assert dlg.errors["purchased_on"].isVisible()
    assert dlg.errors["purchased_on"].text()
    assert dlg.date.line.text() == typed


def test_purchase_in_the_future_asks_first(qtbot, monkeypatch):
    answers = []

    def question(*_a, **_k):
        answers.append(True)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    dlg = PurchaseDialog(None, client_service.PurchaseData(purchased_on=date.today()))
    qtbot.addWidget(dlg)
    dlg.show()
    ahead = date.today() + timedelta(days=10)
    _retype(qtbot, dlg.date, ahead.isoformat())
    qtbot.keyClicks(dlg.amount, "25")
    answer = QMessageBox.StandardButton.No
    _ok(dlg)
    assert answers and dlg.result_data is None
    assert dlg.errors["purchased_on"].isVisible()
    answer = QMessageBox.StandardButton.Yes
    _ok(dlg)
    assert dlg.result_data is not None and dlg.result_data.purchased_on == ahead
    assert dlg.result_data.future_confirmed


def test_purchase_in_the_future_is_saved_only_when_confirmed(db, make_client):
    cid = make_client("Anna")
    ahead = date.today() + timedelta(days=3)
    with db.session() as s:
        data = client_service.load_client(s, cid)
    data.purchases.append(client_service.PurchaseData(purchased_on=ahead, amount="10"))
    with pytest.raises(client_service.ValidationError) as info, db.session() as s:
        client_service.save_client(s, data, region="PL")
    assert info.value.errors[0].code == "date.future_unconfirmed"
    data.purchases[-1].future_confirmed = True
    with db.session() as s:
        client_service.save_client(s, data, region="PL")
    with db.session() as s:  # stored, and the card opens and saves again unchanged
        again = client_service.load_client(s, cid)
        assert [p.purchased_on for p in again.purchases] == [ahead]
        client_service.save_client(s, again, region="PL")


def test_membership_dates_typed_in_polish(qtbot):
    QLocale.setDefault(LOCALES["pl"])
    dlg = MembershipDialog(None, client_service.MembershipData(plan="Karnet"))
    qtbot.addWidget(dlg)
    dlg.show()
    _retype(qtbot, dlg.starts, "1.2.2026")
    _retype(qtbot, dlg.ends, "31.01.2027")
    _retype(qtbot, dlg.frozen_from, "31.02.2026")
    _retype(qtbot, dlg.frozen_until, "10.3.2026")
    _ok(dlg)
    assert dlg.result_data is None and dlg.errors["frozen"].isVisible()
    _retype(qtbot, dlg.frozen_from, "1.3.2026")
    _ok(dlg)
    m = dlg.result_data
    assert (m.starts_on, m.ends_on) == (date(2026, 2, 1), date(2027, 1, 31))
    assert (m.frozen_from, m.frozen_until) == (date(2026, 3, 1), date(2026, 3, 10))


def test_reschedule_refuses_an_impossible_day(qtbot):
    QLocale.setDefault(LOCALES["ru"])
    today = date(2026, 1, 10)
    dlg = RescheduleDialog(None, date(2026, 1, 12), today)
    qtbot.addWidget(dlg)
    dlg.show()
    _retype(qtbot, dlg.edit, "30.02.2026")
    dlg._on_buttons_accepted()
    assert dlg.result() == 0 and dlg.edit.error.isVisible()
    _retype(qtbot, dlg.edit, "9.1.2026")  # before today
    dlg._on_buttons_accepted()
    assert dlg.edit.error.isVisible()
    _retype(qtbot, dlg.edit, "20.1.2026")
    dlg._on_buttons_accepted()
    assert dlg.result() == 1 and dlg.edit.value() == date(2026, 1, 20)


def test_manual_task_day_typed_in_bulgarian(qtbot):
    QLocale.setDefault(LOCALES["bg"])
    today = date(2026, 1, 10)
    dlg = ManualTaskDialog(None, today, lambda _t: [(5, "Ivan")])
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.client.set_client(5, "Ivan")
    type_keys(qtbot, dlg.note, "Обаждане")
    _retype(qtbot, dlg.day, "31.02.2026")
    dlg._on_buttons_accepted()
    assert dlg.result_data is None and dlg.error.isVisible()
    _retype(qtbot, dlg.day, "3.2.2026")
    dlg._on_buttons_accepted()
    assert dlg.result_data == (5, date(2026, 2, 3), "Обаждане")


def test_today_call_back_on_an_impossible_day_logs_nothing(qtbot, ops, db, make_client):
    today = date(2026, 11, 23)
    make_client("Anna", phone="601 234 567", purchases=[(today - timedelta(days=3), "50.00")])
    with db.session() as s:
        schedule.regenerate(s, today)
    QLocale.setDefault(LOCALES["pl"])
    page = TodayPage(ops, today=today)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.loading)
    page.table.selectRow(0)
    page.outcome.setCurrentIndex(page.outcome.findData(Outcome.CALL_BACK_LATER))
    _retype(qtbot, page.call_back_on, "31.11.2026")
    page.log_from_form()
    qtbot.waitUntil(lambda: not page.busy)  # the call is written on the executor
    assert page.ops.wait()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Contact)) == 0
    assert page.error.text()
    _retype(qtbot, page.call_back_on, "1.12.2026")
    page.log_from_form()
    qtbot.waitUntil(lambda: not page.busy)  # the call is written on the executor
    assert page.ops.wait()
    with db.session() as s:
        assert s.scalar(select(Contact.call_back_on)) == date(2026, 12, 1)


@pytest.mark.parametrize("lang", list(LOCALES))
def test_the_longest_date_of_the_language_is_never_cut(qtbot, lang):
    """Bulgarian writes "28.12.2026 г.": squeezed by a form (the meeting field of Today)
    the field still shows the whole date, not "2.2026 г."."""
    form_host = QWidget()
    form_host.setLocale(LOCALES[lang])
    entry = DateTimeEntry()
    entry.day.setLocale(LOCALES[lang])
    entry.day.set_value(date(2026, 12, 28))
    QFormLayout(form_host).addRow("Meeting", entry)
    qtbot.addWidget(form_host)
    form_host.show()
    form_host.resize(form_host.minimumSizeHint())  # as narrow as the layout allows
    qtbot.waitExposed(form_host)
    line = entry.day.line
    assert line.width() > line.fontMetrics().horizontalAdvance(line.text())
