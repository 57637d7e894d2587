"""Screens that fit in every language at 1280x720 ([11]): titles whole, or cut with "…"
and a tooltip that has them whole."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.ui.app import install_translations
from app.ui.client_model import ClientColumn
from app.ui.clients_page import ClientsPage


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
    metrics = header.fontMetrics()
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
