"""The quick start's load fails (a part that would not import, a file that could not be
read): the window stays and says why in the user's words, with Retry and Quit; Retry runs
the load again and the window gets its door as usual."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QMessageBox

import app.db
from app.db import write_error
from app.ui import app as ui_app
from app.ui.messages import error_text
from tests.ui.demo_files import demo_fixtures

demo_file, demo = demo_fixtures("quickretry", 40)


def _quick(qtbot, path):
    shown = ui_app.quick_window(path, QLocale("en_US"), False)
    assert shown is not None  # an ordinary file: the quick start
    window, quick = shown
    qtbot.addWidget(window)
    return window, quick


def _failure_shown(qtbot, quick, window):
    qtbot.waitUntil(lambda: quick.failure is not None, timeout=20_000)
    box = quick.failure.box
    qtbot.waitUntil(box.isVisible)
    assert window.isVisible() and not window.closed  # the window stays
    assert box.windowModality() == Qt.WindowModality.WindowModal
    assert (quick.failure.retry_button.text(), quick.failure.quit_button.text()) == \
        ("Retry", "Quit")
    assert box.defaultButton() is quick.failure.retry_button
    return box


def _close(qtbot, window, quick) -> None:
    qtbot.waitUntil(lambda: quick.start is not None and quick.start.done, timeout=30_000)
    window.close()
    qtbot.waitUntil(lambda: window.closed, timeout=30_000)
    window.ops.executor.shutdown()


def test_a_file_that_cannot_be_read_once_says_why_and_retry_attaches(
        qtbot, monkeypatch, demo):
    real = app.db.open_database
    tries = []
    unreadable = PermissionError(13, "Permission denied", str(demo))

    def flaky(path, **kwargs):  # the file cannot be read the first time only
        tries.append(path)
        if len(tries) == 1:
            raise unreadable
        return real(path, **kwargs)

    monkeypatch.setattr(app.db, "open_database", flaky)
    window, quick = _quick(qtbot, demo)
    box = _failure_shown(qtbot, quick, window)
    assert box.text() == error_text(write_error(unreadable))  # the user's words
    assert "Permission denied" in box.detailedText()
    assert window.ops is None
    qtbot.mouseClick(quick.failure.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ops is not None, timeout=20_000)
    assert len(tries) == 2 and not quick.failed and quick.failure is None
    assert window.isVisible() and window.clients_page.model.attached
    qtbot.waitUntil(lambda: not window.clients_page.model.loading, timeout=10_000)
    assert window.clients_page.model.rowCount() == 40  # the list, read through the door
    _close(qtbot, window, quick)


def test_a_part_that_would_not_import_says_so_and_retry_loads_it(qtbot, monkeypatch, demo):
    heavy = ui_app.HEAVY_MODULES
    monkeypatch.setattr(ui_app, "HEAVY_MODULES", ("app.no_such_part", *heavy))
    window, quick = _quick(qtbot, demo)
    box = _failure_shown(qtbot, quick, window)
    assert box.text() == "ClientCare could not load all of its parts, so the database " \
        "was not opened."
    assert "app.no_such_part" in box.detailedText()
    monkeypatch.setattr(ui_app, "HEAVY_MODULES", heavy)  # the part is there again
    qtbot.mouseClick(quick.failure.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ops is not None, timeout=20_000)
    assert not quick.failed
    _close(qtbot, window, quick)


def test_quit_closes_the_window_and_nothing_is_written(qtbot, monkeypatch, demo):
    def broken(path, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(app.db, "open_database", broken)
    before = demo.read_bytes()
    window, quick = _quick(qtbot, demo)
    _failure_shown(qtbot, quick, window)
    qtbot.mouseClick(quick.failure.quit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.closed, timeout=10_000)
    assert quick.failed and not window.isVisible() and window.ops is None
    assert demo.read_bytes() == before


def test_the_question_is_translated(qtbot, monkeypatch, demo):
    from PySide6.QtCore import QCoreApplication, QTranslator
    translator = QTranslator()
    assert translator.load(str(ui_app.RESOURCES / "translations" / "clientcare_pl.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        monkeypatch.setattr(ui_app, "HEAVY_MODULES", ("app.no_such_part",))
        window, quick = _quick(qtbot, demo)
        box = _failure_shown_any(qtbot, quick)
        assert quick.failure.retry_button.text() == "Ponów"  # in Polish
        assert quick.failure.quit_button.text() == "Zakończ"
        assert box.text().startswith("ClientCare nie")
        qtbot.mouseClick(quick.failure.quit_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.closed, timeout=10_000)
    finally:
        QCoreApplication.removeTranslator(translator)


def _failure_shown_any(qtbot, quick) -> QMessageBox:
    qtbot.waitUntil(lambda: quick.failure is not None, timeout=20_000)
    return quick.failure.box
