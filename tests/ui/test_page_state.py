"""The pages remember themselves across restarts (QSettings): the client list's column
widths, order and sort; Today's column widths and splitter; the Calendar's splitter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt

from app.services.clients import ClientColumn
from app.ui.calendar_page import CalendarPage
from app.ui.clients_page import ClientsPage
from app.ui.today_page import QueueColumn, TodayPage


@pytest.fixture(autouse=True)
def _forget_page_state():
    """Each test starts from the defaults and leaves none of its state to the others."""
    keys = ("header/clients", "header/today.calls", "header/today.todo", "splitter/today",
            "splitter/calendar")
    for key in keys:
        QSettings().remove(key)
    yield
    for key in keys:
        QSettings().remove(key)


def _build(qtbot, page_class, *args, **kwargs):
    page = page_class(*args, **kwargs)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_client_list_columns_and_sort_are_restored(qtbot, ops, make_client):
    make_client("Anna")
    make_client("Bartek")
    page = _build(qtbot, ClientsPage, ops)
    qtbot.waitUntil(lambda: not page.model.loading)
    header = page.table.horizontalHeader()
    header.resizeSection(ClientColumn.PHONE, 211)
    header.moveSection(header.visualIndex(ClientColumn.TAGS), 1)
    # a click on the header sorts, as a user does
    x = header.sectionViewportPosition(ClientColumn.VALUE_12M) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, 5))
    qtbot.waitUntil(lambda: not page.model.loading)
    assert page.model.query.sort == ClientColumn.VALUE_12M
    order = header.sortIndicatorOrder()
    page.close()

    again = _build(qtbot, ClientsPage, ops)
    qtbot.waitUntil(lambda: not again.model.loading)
    h2 = again.table.horizontalHeader()
    assert h2.sectionSize(ClientColumn.PHONE) == 211
    assert h2.visualIndex(ClientColumn.TAGS) == 1
    assert (h2.sortIndicatorSection(), h2.sortIndicatorOrder()) == (ClientColumn.VALUE_12M,
                                                                   order)
    # the model queried with that sort from the start
    assert again.model.query.sort == ClientColumn.VALUE_12M
    assert again.model.query.descending == (order == Qt.SortOrder.DescendingOrder)


def test_today_keeps_the_widths_the_user_gave_and_its_splitter(qtbot, ops):
    page = _build(qtbot, TodayPage, ops)
    qtbot.waitUntil(lambda: not page.loading)
    header = page.table.horizontalHeader()
    fitted = header.sectionSize(QueueColumn.CLIENT)
    header.resizeSection(QueueColumn.CLIENT, fitted + 57)  # dragged by the user
    page.splitter.setSizes([700, 560])
    sizes = page.splitter.sizes()
    page.reload()  # reading the queue again does not fit the columns over the user's
    qtbot.waitUntil(lambda: not page.loading)
    assert header.sectionSize(QueueColumn.CLIENT) == fitted + 57
    page.close()

    again = _build(qtbot, TodayPage, ops)
    qtbot.waitUntil(lambda: not again.loading)
    assert again.table.horizontalHeader().sectionSize(QueueColumn.CLIENT) == fitted + 57
    assert again.splitter.sizes() == sizes


def test_today_fits_its_columns_until_the_user_sizes_one(qtbot, ops):
    page = _build(qtbot, TodayPage, ops)
    qtbot.waitUntil(lambda: not page.loading)
    page.close()
    assert not QSettings().contains("header/today.calls")  # nothing the user chose


def test_calendar_keeps_its_splitter(qtbot, ops):
    page = _build(qtbot, CalendarPage, ops)
    qtbot.waitUntil(lambda: not page.loading)
    page.splitter.setSizes([900, 360])
    sizes = page.splitter.sizes()
    page.close()
    again = _build(qtbot, CalendarPage, ops)
    assert again.splitter.sizes() == sizes
