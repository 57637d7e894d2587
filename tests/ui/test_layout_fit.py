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
