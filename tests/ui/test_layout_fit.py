"""Screens that fit in every language at 1280x720 ([11]): titles whole, or cut with "…"
and a tooltip that has them whole."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from app.models import Client
from app.models.enums import Channel
from app.services import schedule
from app.ui.app import install_translations
from app.ui.client_model import ClientColumn
from app.ui.clients_page import ClientsPage
from app.ui.complaint_dialog import Step, open_complaint_dialog
from app.ui.today_page import QueueColumn, TodayPage
from tests.ui.windows import window_at_1280

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("language", ["en_US", "pl", "ru", "bg"])
def test_every_client_list_title_fits_its_column_at_first_start(qtbot, ops, make_client,
                                                                language, tmp_path,
                                                                monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no widths kept from before
    install_translations(QApplication.instance(), language)
    make_client("Anna")
    page = ClientsPage(ops)
    qtbot.addWidget(page)
    page.resize(1100, 600)  # the page beside the navigation of a 1280x720 window
    page.show()
    qtbot.waitExposed(page)
    header = page.table.horizontalHeader()
    bold = header.font()  # the titles are drawn in bold
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    model = page.table.model()
    for col in ClientColumn:
        title = model.headerData(col, Qt.Orientation.Horizontal)
        assert title and model.headerData(col, Qt.Orientation.Horizontal,
                                          Qt.ItemDataRole.ToolTipRole) == title
        if col != ClientColumn.TAGS:  # the last one stretches over what is left
            assert header.sectionSize(col) >= metrics.horizontalAdvance(title) + 12, title
    assert sum(header.sectionSize(c) for c in ClientColumn if c != ClientColumn.TAGS) \
        <= page.table.viewport().width() - 80  # the tags keep room: no scrollbar at first
    assert header.textElideMode() == Qt.TextElideMode.ElideRight


def _main_window_at_1280(qtbot, ops, language):
    w = window_at_1280(qtbot, ops, language)
    page = w.clients_page
    qtbot.waitUntil(lambda: not page.model.loading and page.model.rowCount() > 0)
    QApplication.processEvents()
    return w, page


@pytest.mark.parametrize("language", ["en_US", "pl", "ru", "bg"])
def test_the_client_list_fits_a_1280_window_without_a_sideways_scrollbar(
        qtbot, ops, make_client, language, tmp_path, monkeypatch):
    """Forty clients (the vertical scrollbar takes its width too): every column in view,
    the dates, amounts, statuses and risks whole; a title cut only with its tooltip."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    for n in range(40):
        make_client(f"Anna {n}", tags=["allergy", "prefers mornings"],
                    purchases=[(TODAY - timedelta(days=n), "99999.99")])
    _w, page = _main_window_at_1280(qtbot, ops, language)
    table, model = page.table, page.model
    header = table.horizontalHeader()
    assert table.verticalScrollBar().isVisible()
    assert table.horizontalScrollBar().maximum() == 0
    assert sum(header.sectionSize(c) for c in ClientColumn) <= table.viewport().width()
    assert header.sectionSize(ClientColumn.TAGS) >= 100
    assert header.sectionSize(ClientColumn.NAME) >= 160
    fm = table.fontMetrics()
    bold = header.font()
    bold.setBold(True)
    for col in ClientColumn:
        for text in model.widest_texts(col):
            assert header.sectionSize(col) >= fm.horizontalAdvance(text) + 16, (col, text)
        title = model.headerData(col, Qt.Orientation.Horizontal)
        if header.sectionSize(col) < QFontMetrics(bold).horizontalAdvance(title) + 14:
            assert model.headerData(col, Qt.Orientation.Horizontal,
                                    Qt.ItemDataRole.ToolTipRole) == title
    for row in range(3):  # the values themselves, as shown, within their columns
        for col in (ClientColumn.LAST_PURCHASE, ClientColumn.VALUE_12M, ClientColumn.STATUS):
            text = model.data(model.index(row, col))
            assert fm.horizontalAdvance(text) + 8 <= header.sectionSize(col), text
    tags = model.index(0, ClientColumn.TAGS)  # the tags, often cut: whole in the tooltip
    assert model.data(tags, Qt.ItemDataRole.ToolTipRole) == model.data(tags)


def test_the_client_list_fits_again_when_the_window_narrows_then_keeps_a_users_widths(
        qtbot, ops, make_client, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    for n in range(40):
        make_client(f"Anna {n}")
    w, page = _main_window_at_1280(qtbot, ops, "ru")
    table = page.table
    header = table.horizontalHeader()
    w.resize(1100, 720)
    qtbot.waitUntil(lambda: w.width() == 1100)
    QApplication.processEvents()
    assert table.horizontalScrollBar().maximum() == 0
    assert sum(header.sectionSize(c) for c in ClientColumn) <= table.viewport().width()
    header.resizeSection(ClientColumn.NAME, 400)  # as a drag of the column's edge does
    w.resize(1280, 720)
    qtbot.waitUntil(lambda: w.width() == 1280)
    QApplication.processEvents()
    assert header.sectionSize(ClientColumn.NAME) == 400  # the user's, not fitted again
    again = ClientsPage(ops)  # the next start: still the user's widths
    qtbot.addWidget(again)
    assert again._sized_by_user


def test_fit_widths_gives_way_in_order_and_never_below_the_floors():
    from app.ui.clients_page import fit_widths
    cols = list(ClientColumn)
    natural = {c: 100 for c in cols}
    whole = {c: 90 for c in cols}
    floor = {c: 60 for c in cols}
    natural[ClientColumn.NAME] = 190
    natural[ClientColumn.TAGS], floor[ClientColumn.TAGS] = 150, 100
    total = sum(natural.values())  # 1040
    roomy = fit_widths(total + 100, natural, whole, floor)
    assert roomy[ClientColumn.NAME] == 260 and roomy[ClientColumn.TAGS] == 180
    assert sum(roomy.values()) == total + 100
    short = fit_widths(total - 60, natural, whole, floor)  # the tags give 50, the name 10
    assert short[ClientColumn.TAGS] == 100 and short[ClientColumn.NAME] == 180
    assert sum(short.values()) == total - 60
    shorter = fit_widths(total - 120, natural, whole, floor)  # the name to 160, then the
    assert shorter[ClientColumn.NAME] == 160  # columns wider than their titles
    assert sum(shorter.values()) == total - 120
    assert all(shorter[c] >= whole[c] for c in cols if c not in (
        ClientColumn.NAME, ClientColumn.TAGS))
    tiny = fit_widths(300, natural, whole, floor)  # narrower than every floor
    assert tiny[ClientColumn.NAME] == 120 and tiny[ClientColumn.TAGS] == 60
    assert all(tiny[c] >= floor[c] for c in cols if c not in (
        ClientColumn.NAME, ClientColumn.TAGS))


@pytest.mark.parametrize("language", ["en_US", "ru", "bg"])
def test_today_never_cuts_a_phone_number_when_the_columns_give_way(qtbot, ops, db,
                                                                   make_client, language):
    """Long names, long purposes and contact hours in a narrow queue: the purpose and the
    client give way first; the number itself stays whole (its hours may be cut)."""
    install_translations(QApplication.instance(), language)
    ids = [make_client(f"Konstantin Konstantinopolsky-Vasilevsky {n}", phone=f"+44 20 7946 095{n}",
                       purchases=[(TODAY - timedelta(days=3), "50.00")]) for n in range(1, 4)]
    with db.session() as s:
        for cid in ids:
            client = s.get(Client, cid)
            client.contact_from, client.contact_to = time(9), time(12)
            client.preferred_channel = Channel.IN_PERSON
        schedule.regenerate(s, TODAY, rules=schedule.ScheduleRules(
            personal_dates=False, quarterly_review=False, win_back=False,
            keep_in_touch=False))
    page = TodayPage(ops, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1100, 650)  # beside the navigation of a 1280x720 window
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() == 3)
    page._fit_columns()
    header, fm = page.table.horizontalHeader(), page.table.fontMetrics()
    # what stays in view of a cut cell: the whole number, then " · …"
    widest = max(fm.horizontalAdvance(page.model.phone_text(r.phone) + " · …")
                 for r in page.model.rows)
    cells = [page.model.data(page.model.index(i, QueueColumn.PHONE)) for i in range(3)]
    assert all(" · " in c for c in cells)  # the hours are there, and longer than the column
    assert header.sectionSize(QueueColumn.PHONE) >= widest + 16
    assert header.sectionSize(QueueColumn.PURPOSE) <= 230
    assert sum(header.sectionSize(c) for c in QueueColumn) <= page.table.viewport().width() + 2


@pytest.mark.parametrize("language", ["en_US", "pl", "ru", "bg"])
def test_the_six_complaint_steps_are_all_in_view_never_behind_scroll_arrows(
        qtbot, ops, make_client, language, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # first opened: no size kept
    install_translations(QApplication.instance(), language)
    dlg = open_complaint_dialog(None, ops, client_id=make_client("Anna"))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    bar = dlg.tabs.tabBar()
    assert not bar.usesScrollButtons() and bar.elideMode() == Qt.TextElideMode.ElideRight
    assert bar.count() == len(Step)
    for step in Step:  # every step's tab inside the bar, its whole title in the tooltip
        assert bar.tabRect(step).right() <= bar.width()
        assert dlg.tabs.tabToolTip(step) == dlg.tabs.tabText(step)
    screen = dlg.screen().availableGeometry().width()
    wanted = bar.sizeHint().width() + 250
    assert dlg.width() >= min(wanted, screen - 40)  # as wide as the titles need, if it can
    assert dlg.width() <= max(1060, screen - 40, dlg.minimumSizeHint().width())


def _text_room(edit) -> int:
    """The width a line edit draws its text (and its hint) in, as Qt computes it."""
    from PySide6.QtWidgets import QStyle, QStyleOptionFrame
    opt = QStyleOptionFrame()
    edit.initStyleOption(opt)
    rect = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, opt, edit)
    margins = edit.textMargins()
    return rect.width() - margins.left() - margins.right() - 2 * 2  # Qt's own 2 px


@pytest.mark.parametrize("language", ["en_US", "pl", "ru", "bg"])
def test_the_cards_empty_fields_show_their_hints_whole(qtbot, ops, make_client, language,
                                                       tmp_path, monkeypatch):
    """The consent date's "e.g. 31.01.2026" (longer than a date in ru and bg) and the
    hints of the card's text fields are never cut; a text field's hint is its tooltip too."""
    from app.ui.client_card import open_client_card
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    install_translations(QApplication.instance(), language)
    card = open_client_card(None, ops, make_client("Anna"))
    qtbot.addWidget(card)
    card.show()
    qtbot.waitExposed(card)
    assert not card.consent.is_on()  # the consent date is empty: its hint shows
    edits = [card.consent.edit.line, card.external_ref, card.tags, card.segment_reason,
             card.referred_by]
    for edit in edits:
        hint = edit.placeholderText()
        assert hint and not edit.text()
        assert edit.fontMetrics().horizontalAdvance(hint) <= _text_room(edit), hint
        if edit is not card.consent.edit.line:  # that one says how to type a date
            assert edit.toolTip() == hint
    assert card.width() <= 1280 - 40  # the card still fits the screen


@pytest.mark.parametrize("language", ["en_US", "pl", "ru", "bg"])
def test_the_complaints_list_fits_a_1280_window_without_a_sideways_scrollbar(
        qtbot, ops, db, make_client, language):
    """Long names, categories and the longest statuses (bg "Затворено, клиентът е
    запазен"): the status, category and client give way, each cut with its tooltip;
    the dates and hours stay whole; every column in view."""
    from datetime import datetime

    from app.models import Complaint
    from app.models.enums import ComplaintStatus
    from app.services import complaints as complaint_service
    from app.ui.complaints_page import GIVE_WAY, ComplaintColumn
    from app.ui.main_window import Page
    now = datetime.now().replace(microsecond=0)
    ids = [make_client(f"Konstantin Konstantinopolsky-Vasilevsky {i}")
           for i in range(len(ComplaintStatus))]
    with db.session() as s:
        for i, (cid, status) in enumerate(zip(ids, ComplaintStatus, strict=True)):
            k = complaint_service.open_complaint(
                s, cid, "Rude on the phone", now=now - timedelta(days=30 + i),
                category=f"Quality of the service at the front desk {i}")
            c = s.get(Complaint, k)
            c.status = status
            c.first_response_at = now - timedelta(days=29 + i)
            if status in complaint_service.CLOSED:
                c.resolved_at = c.closed_at = now - timedelta(days=2)
    w = window_at_1280(qtbot, ops, language)
    w.nav.setCurrentRow(Page.COMPLAINTS)
    page = w.pages.currentWidget()
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() == len(ComplaintStatus))
    QApplication.processEvents()
    table, model = page.table, page.model
    header = table.horizontalHeader()
    assert table.horizontalScrollBar().maximum() == 0
    assert sum(header.sectionSize(c) for c in ComplaintColumn) <= table.viewport().width()
    fm = table.fontMetrics()
    bold = QFontMetrics(model.bold)
    for row in range(model.rowCount()):
        for col in ComplaintColumn:
            text = model.data(model.index(row, col)) or ""
            shown = (bold if col in (ComplaintColumn.OPENED, ComplaintColumn.FIRST_RESPONSE)
                     else fm).horizontalAdvance(text)
            if col in GIVE_WAY:  # cut only with its whole text in the tooltip
                assert model.data(model.index(row, col), Qt.ItemDataRole.ToolTipRole) == text
            else:
                assert shown + 8 <= header.sectionSize(col), (col, text)
    for col in ComplaintColumn:
        title = model.headerData(col, Qt.Orientation.Horizontal)
        assert model.headerData(col, Qt.Orientation.Horizontal,
                                Qt.ItemDataRole.ToolTipRole) == title


@pytest.mark.parametrize("language", ["en_US", "pl", "ru", "bg"])
def test_every_settings_button_shows_its_whole_text_at_1280(qtbot, ops, language):
    """The backups' six buttons were one row wider than the page in Bulgarian: the
    restore button's text was cut at both ends."""
    from PySide6.QtWidgets import QPushButton

    from app.ui.main_window import Page
    w = window_at_1280(qtbot, ops, language)
    w.nav.setCurrentRow(Page.SETTINGS)
    page = w.pages.currentWidget()
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        shown = [b for b in page.tabs.currentWidget().findChildren(QPushButton)
                 if b.isVisible()]
        assert shown
        for b in shown:
            assert b.width() >= b.sizeHint().width(), (tab, b.text())
            assert b.mapTo(w, b.rect().bottomRight()).x() <= w.width()


@pytest.mark.parametrize("language", ["en_US", "pl", "ru", "bg"])
def test_an_open_complaints_header_does_not_say_open_twice(qtbot, ops, db, make_client,
                                                           language):
    """"Open · opened 28.11.2026" reads "Отворено · отворено" in Bulgarian (and so in
    Russian and Polish): the date says when it came in instead."""
    from datetime import datetime

    from app.services import complaints as complaint_service
    cid = make_client("Anna")
    with db.session() as s:
        k = complaint_service.open_complaint(s, cid, "Rude", now=datetime(2026, 11, 20, 10))
    install_translations(QApplication.instance(), language)
    dlg = open_complaint_dialog(None, ops, complaint_id=k)
    qtbot.addWidget(dlg)
    status, opened = dlg.header.text().split("</h2>")[1].split(" · ")[:2]
    assert "2026" in opened and "2026" not in status
    assert opened.split()[0].lower() != status.split()[0].lower()


def test_the_todo_list_is_fitted_when_today_is_first_shown(qtbot, ops, db):
    """The to-dos' phone column is hidden; Qt "resizing" it as the page was shown
    counted as the user's own widths, so the to-dos were never fitted again: due,
    client and task cut to their titles, "How it is done" taking the rest."""
    from app.models import Task
    from app.models.enums import TaskKind, TaskStatus
    from app.ui.main_window import Page
    with db.session() as s:
        s.add(Task(client_id=None, kind=TaskKind.QUARTERLY_REVIEW,
                   due_on=date.today() - timedelta(days=13), status=TaskStatus.OPEN,
                   source_key="quarterly_review:fit"))
    w = window_at_1280(qtbot, ops)
    w.nav.setCurrentRow(Page.TODAY)
    page = w.pages.currentWidget()
    qtbot.waitUntil(lambda: not page.loading and bool(page.todo_model.rows))
    QApplication.processEvents()
    assert page.todo_table.isVisible() and not page._sized_by_user
    header, model = page.todo_table.horizontalHeader(), page.todo_model
    fm = page.todo_table.fontMetrics()
    due = model.data(model.index(0, QueueColumn.DUE))
    assert header.sectionSize(QueueColumn.DUE) >= min(fm.horizontalAdvance(due) + 16, 150)
