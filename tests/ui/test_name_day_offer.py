"""The card offers the client's name day as soon as a first name is typed (issue 16,
"[11]"): in the calendar of the business's country, one click per day, saved with the
card through the same use case as a date added by hand, so the schedule plans it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
)
from sqlalchemy import select

from app.models import PersonalDate, Task
from app.models.enums import ClientKind, DateKind, TaskKind
from app.services import clients as client_service
from app.services import name_days
from app.services import settings as settings_service
from app.ui.app import install_translations
from app.ui.card_dialogs import PersonalDateDialog
from app.ui.client_card import CardContext, CardTab, ClientCardDialog, open_client_card
from app.ui.formatting import day_month_pattern, fmt_day_month
from tests.ui.keys import type_keys
from tests.ui.modal import answer_modal


@pytest.fixture
def language(request, qapp):
    """The window speaks ``request.param`` (translations and dates)."""
    install_translations(qapp, request.param)
    yield request.param
    install_translations(qapp, "en_US")
    QLocale.setDefault(QLocale("en_US"))


def _region(db, region: str) -> None:
    with db.session() as s:
        settings_service.put(s, "business.region", region)


def _offer_buttons(card: ClientCardDialog) -> list:
    """The offer's buttons under the name field (one: the main day)."""
    return [b for b in card.name_day_offer.buttons if b.isVisibleTo(card)]


def _texts(card: ClientCardDialog) -> list[str]:
    """Every day offered under the name: its button (the main day), then its menu; the
    offer beside the personal dates says the same, one button per day."""
    main = [b.text() for b in _offer_buttons(card)]
    assert len(main) <= 1
    texts = main + [a.text() for a in card.name_day_offer.menu_actions]
    assert [b.text() for b in card.dates_name_day_offer.buttons] == texts
    return texts


def _offered(card: ClientCardDialog) -> bool:
    return card.name_day_offer.isVisibleTo(card)


def _save_and_wait(qtbot, card: ClientCardDialog) -> int:
    closed: list[int | None] = []
    card.finished.connect(lambda _r: closed.append(card.saved_id))
    qtbot.mouseClick(card.findChild(QPushButton, "saveButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(closed), timeout=10_000)
    assert closed[0] is not None
    return closed[0]


def _own_name_days(db, client_id: int) -> list[tuple[int, int, int | None]]:
    with db.session() as s:
        return [(d.month, d.day, d.year) for d in s.scalars(select(PersonalDate).where(
            PersonalDate.client_id == client_id, PersonalDate.relative_id.is_(None),
            PersonalDate.kind == DateKind.NAME_DAY))]


#: (language of the window and the business, the name typed, what the offer says,
#:  the buttons' texts, the day stored by a click on the first)
CASES = [
    ("pl", "PL", "Mikołaj Żółkiewski", "Imieniny (Mikołaj):", ["Dodaj 6 grudnia"], (12, 6)),
    ("ru", "RU", "Николай Ёлкин", "Именины (Николай):",
     ["Добавить 19 декабря", "Добавить 22 мая"], (12, 19)),
    ("bg", "BG", "Гошо Петров", "Имен ден (Георги):", ["Добави 6 май"], (5, 6)),
]


@pytest.mark.parametrize(("language", "region", "typed", "says", "buttons", "day"),
                         CASES, indirect=["language"])
def test_a_new_client_typed_key_by_key_gets_the_name_day_with_one_click(
        qtbot, ops, db, language, region, typed, says, buttons, day):
    _region(db, region)
    card = open_client_card(None, ops, None)
    qtbot.waitExposed(card)
    assert not _offered(card)
    first = typed.split()[0]
    type_keys(qtbot, card.name, first[:2])
    assert not _offered(card)  # no name yet
    type_keys(qtbot, card.name, first[2:])
    assert _offered(card)
    assert card.name_day_offer.label.text() == says
    assert _texts(card) == buttons
    type_keys(qtbot, card.name, typed[len(first):])  # the surname keeps the offer
    assert _texts(card) == buttons
    qtbot.mouseClick(_offer_buttons(card)[0], Qt.MouseButton.LeftButton)
    assert not _offer_buttons(card) and not card.dates_name_day_offer.buttons
    assert not card.dates_name_day_offer.isVisibleTo(card)
    assert fmt_day_month(*day) in card.name_day_offer.label.text()  # "added"
    t = card.dates_table
    assert t.rowCount() == 1
    assert t.item(0, 0).text() == typed
    client_id = _save_and_wait(qtbot, card)
    assert _own_name_days(db, client_id) == [(day[0], day[1], None)]


def test_an_existing_clients_name_day_is_added_and_the_schedule_plans_its_call(
        qtbot, ops, db, make_client):
    """A client already saved, whose name day comes within the schedule's horizon: the
    card's one click, then Save, and the call is on the list."""
    today = date.today()
    soon = {(today + timedelta(days=n)).timetuple()[1:3]: n for n in range(2, 26)}
    name = next(n for n, days in name_days.table("pl").names.items() if days[0] in soon)
    month, day = name_days.lookup(name, "pl")[0]
    cid = make_client(f"{name} Kowalska", phone="601 234 567")
    card = open_client_card(None, ops, cid)
    qtbot.waitExposed(card)
    assert _offered(card)  # offered at once: the name is there
    card.tabs.setCurrentIndex(CardTab.FAMILY)  # this time the offer beside the dates
    qtbot.mouseClick(card.dates_name_day_offer.buttons[0], Qt.MouseButton.LeftButton)
    assert card.dates_table.item(0, 1).text() == "Name day"
    assert _save_and_wait(qtbot, card) == cid
    assert _own_name_days(db, cid) == [(month, day, None)]
    with db.session() as s:
        tasks = s.scalars(select(Task).where(Task.client_id == cid,
                                             Task.kind == TaskKind.PERSONAL_DATE)).all()
    due = date(today.year, month, day)
    if due < today:
        due = date(today.year + 1, month, day)
    assert len(tasks) == 1 and tasks[0].source_kind == "personal_date"
    # on the day, or moved off a Sunday or a public holiday (24-26 December in Poland)
    assert abs((tasks[0].due_on - due).days) <= 7


def _card(qtbot, data: client_service.ClientData, region: str = "PL",
          read_only: bool = False) -> ClientCardDialog:
    card = ClientCardDialog(None, data, lambda d: 7,
                            CardContext(region=region, read_only=read_only))
    qtbot.addWidget(card)
    card.show()
    return card


def test_the_offer_follows_the_name_as_it_is_typed_and_goes_for_a_name_without_a_day(qtbot):
    card = _card(qtbot, client_service.ClientData())
    qtbot.keyClicks(card.name, "Jan")
    assert _texts(card) == ["Add June 24", "Add December 27"]
    qtbot.keyClicks(card.name, "usz")  # Janusz: no day in the calendar
    assert not _offered(card) and not card.dates_name_day_offer.isVisibleTo(card)
    card.name.selectAll()
    qtbot.keyClicks(card.name, "Anna Nowak")
    assert _texts(card) == ["Add July 26"]
    card.name.selectAll()
    qtbot.keyClick(card.name, Qt.Key.Key_Delete)
    assert not _offered(card)
    assert card.data.dates == []  # offering adds nothing by itself


def test_several_polish_days_are_offered_one_button_each_and_the_chosen_one_is_kept(qtbot):
    card = _card(qtbot, client_service.ClientData())
    qtbot.keyClicks(card.name, "Maria Kowalska")
    assert _texts(card) == ["Add August 15", "Add September 12", "Add September 8"]
    # under the name: the main day's button, the others in its menu
    assert card.name_day_offer.buttons[0].menu().actions() == card.name_day_offer.menu_actions
    card.name_day_offer.menu_actions[0].trigger()  # as a click in the menu
    d = card.collect().dates
    assert [(x.kind, x.month, x.day, x.year, x.relative_key) for x in d] == [
        (DateKind.NAME_DAY, 9, 12, None, None)]
    assert card.name_day_offer.label.text() == "✓ Name day September 12 added."
    # another first name now: the client has a name day, nothing more is offered
    card.name.selectAll()
    qtbot.keyClicks(card.name, "Zofia Kowalska")
    assert not _offered(card)


def test_a_client_with_a_name_day_of_their_own_is_offered_none(qtbot):
    data = client_service.ClientData(id=1, version=1, name="Anna Nowak")
    data.dates = [client_service.PersonalDateData(kind=DateKind.NAME_DAY, month=7, day=26)]
    card = _card(qtbot, data)
    assert not _offered(card)
    card.dates_table.selectRow(0)
    card.remove_date()  # the name day removed: it is offered again
    assert _texts(card) == ["Add July 26"]


def test_a_relatives_name_day_does_not_stop_the_clients_own(qtbot):
    data = client_service.ClientData(id=1, version=1, name="Anna Nowak")
    data.relatives = [client_service.RelativeData(name="Ola", key="r1")]
    data.dates = [client_service.PersonalDateData(kind=DateKind.NAME_DAY, month=5, day=18,
                                                  relative_key="r1")]
    card = _card(qtbot, data)
    assert _texts(card) == ["Add July 26"]


def test_a_company_a_card_in_the_trash_and_a_country_without_a_calendar_get_no_offer(qtbot):
    card = _card(qtbot, client_service.ClientData(name="Anna Nowak"))
    assert _offered(card)
    card.kind.setCurrentIndex(card.kind.findData(ClientKind.COMPANY))
    assert not _offered(card)
    card.kind.setCurrentIndex(card.kind.findData(ClientKind.PERSON))
    assert _offered(card)
    assert not _offered(_card(qtbot, client_service.ClientData(id=1, version=1,
                                                                name="Anna Nowak"),
                              read_only=True))
    assert not _offered(_card(qtbot, client_service.ClientData(name="Anna Nowak"),
                              region="US"))


def test_the_calendar_is_the_business_countrys_not_the_windows_language(qtbot):
    """A Bulgarian business whose staff use the window in Russian: Bulgarian days."""
    card = _card(qtbot, client_service.ClientData(name="Андрей Петров"), region="BG")
    assert _texts(card) == ["Add November 30"]
    card = _card(qtbot, client_service.ClientData(name="Андрей Петров"), region="RU")
    assert _texts(card) == ["Add December 13"]


def test_surname_first_and_patronymics_find_the_first_name(qtbot):
    card = _card(qtbot, client_service.ClientData(), region="RU")
    type_keys(qtbot, card.name, "Иванова Мария Петровна")
    assert card.name_day_offer.label.text() == "Name day (Мария):"
    assert _texts(card) == ["Add August 4", "Add April 14"]


@pytest.mark.parametrize(("locale", "pattern", "text"), [
    ("pl_PL", "d MMMM", "6 grudnia"), ("ru_RU", "d MMMM", "6 декабря"),
    ("bg_BG", "d MMMM", "6 декември"), ("en_US", "MMMM d", "December 6"),
    ("de_DE", "d. MMMM", "6. Dezember"),
])
def test_a_yearly_day_is_written_as_the_language_writes_a_day_and_month(locale, pattern,
                                                                         text):
    loc = QLocale(locale)
    assert day_month_pattern(loc) == pattern
    assert fmt_day_month(12, 6, loc) == text
    assert fmt_day_month(2, 29, loc).startswith(("29", "February"))


def test_the_offer_says_the_day_in_the_genitive_after_its_number(qtbot):
    """"6 grudnia" (never "6 grudzień") in Polish, "19 декабря" in Russian."""
    assert fmt_day_month(12, 6, QLocale("pl_PL")) == "6 grudnia"
    assert fmt_day_month(12, 19, QLocale("ru_RU")) == "19 декабря"
    assert "grudzień" not in fmt_day_month(12, 6, QLocale("pl_PL"))


def test_offering_is_no_edit_but_adding_is(qtbot, monkeypatch):
    """A card opened and closed with only the offer shown asks nothing; once the name
    day is added, closing asks whether to save it."""
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _parent, title, *a, **k: (
        asked.append(title), QMessageBox.StandardButton.Cancel)[1])
    card = _card(qtbot, client_service.ClientData(id=1, version=1, name="Anna Nowak"))
    closed: list[int] = []
    card.finished.connect(closed.append)
    assert _offered(card)
    card.reject()
    assert asked == [] and closed == [QDialog.DialogCode.Rejected]
    card = _card(qtbot, client_service.ClientData(id=1, version=1, name="Anna Nowak"))
    qtbot.mouseClick(_offer_buttons(card)[0], Qt.MouseButton.LeftButton)
    card.reject()
    assert asked == ["Unsaved changes"] and card.isVisible()  # Cancel keeps it open


def test_the_keyboard_reaches_the_offer_with_tab_and_adds_with_space(qtbot):
    card = _card(qtbot, client_service.ClientData(), region="RU")
    card.activateWindow()
    card.name.setFocus()
    qtbot.waitUntil(card.name.hasFocus)
    type_keys(qtbot, card.name, "Татьяна Ларина")
    qtbot.keyClick(card.name, Qt.Key.Key_Tab)
    button = card.name_day_offer.buttons[0]
    assert button.hasFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert [(d.kind, d.month, d.day) for d in card.data.dates] == [(DateKind.NAME_DAY, 1, 25)]
    # the offer has gone: focus is not lost in a hidden button
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not None
    assert QApplication.focusWidget().isVisible()
    card.tabs.setCurrentIndex(CardTab.FAMILY)
    card.dates_table.selectRow(0)
    card.remove_date()
    remove = card.findChild(QPushButton, "relativeRemove")
    remove.setFocus()
    qtbot.keyClick(remove, Qt.Key.Key_Tab)
    assert card.dates_name_day_offer.buttons[0].hasFocus()


def test_the_personal_date_dialog_fills_in_the_name_day_of_whom_it_is_for(qtbot):
    """Adding a date by hand: "Name day" for the client or a relative whose name is in
    the calendar fills in its main day, until the day is set by hand."""
    people = [(None, "Anna Nowak"), ("r1", "Ola, daughter"), ("r2", "Brajan, son")]
    dlg = PersonalDateDialog(None, client_service.PersonalDateData(), people,
                             {None: ((7, 26),), "r1": ((5, 18),)})
    qtbot.addWidget(dlg)
    dlg.show()
    hint = dlg.findChild(QLabel, "nameDayCalendarHint")
    assert not hint.isVisible()  # a birthday: nothing from the calendar
    dlg.kind.setCurrentIndex(dlg.kind.findData(DateKind.NAME_DAY))
    assert (dlg.month.currentData(), dlg.day.value()) == (7, 26)
    assert hint.isVisible() and hint.text() == "In the calendar: July 26"
    dlg.whose.setCurrentIndex(1)  # Ola: Aleksandra's day
    assert (dlg.month.currentData(), dlg.day.value()) == (5, 18)
    dlg.whose.setCurrentIndex(2)  # Brajan: no day in the calendar
    assert not hint.isVisible()
    assert (dlg.month.currentData(), dlg.day.value()) == (5, 18)  # left as it was
    dlg.whose.setCurrentIndex(0)
    dlg.day.setValue(27)  # by hand: kept, whoever it is for
    dlg.whose.setCurrentIndex(1)
    assert (dlg.month.currentData(), dlg.day.value()) == (7, 27)
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert (dlg.result_data.kind, dlg.result_data.relative_key, dlg.result_data.month,
            dlg.result_data.day) == (DateKind.NAME_DAY, "r1", 7, 27)


def test_the_card_gives_the_dialog_the_name_days_of_the_client_and_the_family(qtbot):
    data = client_service.ClientData(name="Иванова Мария")
    data.relatives = [client_service.RelativeData(name="Гошо Иванов", key="r1"),
                      client_service.RelativeData(name="Тимур", key="r2")]
    card = _card(qtbot, data, region="BG")
    seen: list = []

    def fill(dlg: PersonalDateDialog) -> None:
        seen.append(dlg.name_days)
        dlg.whose.setCurrentIndex(1)
        dlg.kind.setCurrentIndex(dlg.kind.findData(DateKind.NAME_DAY))
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer_modal(PersonalDateDialog, fill)
    card.add_date()
    assert seen == [{None: ((8, 15),), "r1": ((5, 6),)}]
    assert [(d.kind, d.relative_key, d.month, d.day) for d in card.data.dates] == [
        (DateKind.NAME_DAY, "r1", 5, 6)]
    assert _offered(card)  # Гошо's name day is not the client's own: still offered
