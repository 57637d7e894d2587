"""Every page of the window fits 1280x720 in every language: on each page and each of its
tabs, no view and no scroll area shown has a sideways scrollbar (issue 16 [11]). The
demo business of the language, its translations installed, the window at 1280x720 on a
screen of that size."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QTabBar,
    QTableWidget,
    QWidget,
)

from app.db import open_database
from app.ui.app import install_translations
from app.ui.ops import Ops
from tests.ui.test_no_english_left import LANGS, _settle, demo_files, qm_dir  # noqa: F401
from tests.ui.windows import window_at_1280


def _sideways(widget) -> list[str]:
    out = []
    for area in widget.findChildren(QAbstractScrollArea):
        if area.isVisible() and area.horizontalScrollBar().maximum() > 0:
            out.append(f"{type(area).__name__} {area.objectName() or '(no name)'}: "
                       f"{area.horizontalScrollBar().maximum()} px wider than its view")
    return out


@pytest.mark.parametrize("lang", list(LANGS))
def test_every_page_and_tab_fits_1280_without_a_sideways_scrollbar(
        qtbot, qm_dir, demo_files, lang, tmp_path, monkeypatch):  # noqa: F811
    from app.ui.main_window import Page
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_files[lang], path)
    db = open_database(path)
    ops = Ops(db)
    window = None
    problems: list[str] = []
    try:
        window = window_at_1280(qtbot, ops, lang, qm_dir)
        for page in Page:
            window.nav.setCurrentRow(page)
            _settle(qtbot, ops)
            widget = window.page(page)
            bars = widget.findChildren(QTabBar) or [None]
            for tabs in bars:
                for i in range(tabs.count() if tabs is not None else 1):
                    if tabs is not None:
                        tabs.setCurrentIndex(i)
                    _settle(qtbot, ops)
                    where = f"{page.name}" + (f" tab {tabs.tabText(i)}" if tabs else "")
                    problems += [f"{where}: {p}" for p in _sideways(widget)]
        assert window.width() <= 1280 and window.height() <= 720
    finally:
        if window is not None:
            window._may_close = True
            window.close()
        ops.wait(timeout_ms=30_000)
        ops.executor.shutdown()
        db.close()
        install_translations(QApplication.instance(), "en_US", qm_dir)
        QLocale.setDefault(QLocale("en_US"))
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert problems == []


def test_the_check_sees_a_sideways_scrollbar(qtbot):
    box = QWidget()
    qtbot.addWidget(box)
    table = QTableWidget(3, 6, box)
    table.setObjectName("wide")
    for column in range(6):
        table.setColumnWidth(column, 200)
    table.resize(300, 200)
    box.show()
    qtbot.waitExposed(box)
    assert _sideways(box) and "wide" in _sideways(box)[0]
