"""What lives as long as the window (a page once built, the modules the start's warm-up
imports) is moved out of the garbage collector's reach: no later full collection walks
it (at 100,000 clients one such collection on the GUI thread stalled logging a call by
76 ms, walking the pages built and the modules imported after the start's freeze)."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QCoreApplication

from app.ui import start as start_module
from app.ui.main_window import MainWindow, Page


def _walked(obj) -> bool:
    """A full collection would walk ``obj``: it is in one of the three generations."""
    return any(o is obj for o in gc.get_objects())


def test_a_page_is_out_of_the_collectors_reach_once_built(qtbot, ops):
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    page = w.page(Page.COMPLAINTS)
    model_rows = page.__dict__  # the page's own Python state, made by its build
    assert _walked(model_rows)
    frozen_before = gc.get_freeze_count()
    QCoreApplication.processEvents()  # the turn after the build
    assert gc.get_freeze_count() > frozen_before
    assert not _walked(model_rows) and not _walked(page)
    assert w.page(Page.COMPLAINTS) is page  # still the window's page


def test_the_warm_up_freezes_what_it_imported(qtbot, ops, monkeypatch):
    for name in start_module.WARM_MODULES:  # imported anew by the warm-up's turns
        monkeypatch.delitem(sys.modules, name, raising=False)
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    start = start_module.BackgroundStart(w, start_module.locale_facts(w.locale()))
    start.begin()
    qtbot.waitUntil(lambda: start.done, timeout=60_000)
    assert start.steps_done[-1] == "warm_up"
    for name in start_module.WARM_MODULES:
        assert not _walked(vars(sys.modules[name])), name
