from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QTranslator
from PySide6.QtWidgets import QMessageBox

from app.ui.ops import Ops


@pytest.fixture(scope="session", autouse=True)
def _own_qsettings(qapp, tmp_path_factory):
    """What the window remembers (QSettings) goes to a folder of the test run, never to
    the developer's own settings."""
    from PySide6.QtCore import QCoreApplication, QSettings
    QCoreApplication.setOrganizationName("ClientCareTests")
    QCoreApplication.setApplicationName("ClientCareTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path_factory.mktemp("qsettings")))
    yield


@pytest.fixture(autouse=True)
def _nothing_remembered(_own_qsettings):
    """Each test starts as on a new computer: no window size, column or folder kept by
    an earlier test (the main window restores its size at build)."""
    from PySide6.QtCore import QSettings
    QSettings().clear()
    yield


@pytest.fixture(autouse=True)
def _english_locale(qapp):
    """Tests type amounts and read dates in one known locale, and read the source texts
    ("450 client(s)"): no translator a test before installed (a test that wants one,
    English plurals included, installs it itself)."""
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    for tr in qapp.findChildren(QTranslator):
        qapp.removeTranslator(tr)
        tr.deleteLater()
    yield


@pytest.fixture
def ops(db, qapp):
    door = Ops(db)
    yield door
    door.wait(timeout_ms=30_000)  # background work of the test finishes before its file goes
    door.executor.shutdown()


@pytest.fixture(autouse=True)
def _collect_between_tests(qapp):
    """Free each test's widgets at a known point: run Python's cycle collector and Qt's
    deferred deletes after the test, so no half-freed widget paints during the next."""
    yield

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def _no_blocking_questions(monkeypatch):
    """A modal question would wait forever offscreen (e.g. closing a changed card at
    teardown): answer Discard unless a test patches the question itself."""
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)



#: how long a modal dialog may wait for an answer before the test is failed for it
MODAL_PATIENCE_S = 15.0


@pytest.fixture(autouse=True)
def _no_forgotten_modal(qapp):
    """A message box or dialog nobody answers would wait forever offscreen (a failed
    restore once hung a whole run on its warning): one still open after
    ``MODAL_PATIENCE_S`` is closed, and the test fails with its class and words. A test
    answers the modals it expects (tests/ui/modal.py) within milliseconds."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    forgotten: list[str] = []
    since: dict[str, float] = {"id": 0.0, "at": 0.0}

    def look() -> None:
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            since["id"] = 0.0
            return
        now = time.monotonic()
        if since["id"] != id(dlg):
            since["id"], since["at"] = id(dlg), now
            return
        if now - since["at"] < MODAL_PATIENCE_S:
            return
        words = dlg.text() if isinstance(dlg, QMessageBox) else dlg.windowTitle()
        forgotten.append(f"{type(dlg).__name__}: {words}")
        since["id"] = 0.0
        if isinstance(dlg, QDialog):
            dlg.reject()
        else:
            dlg.close()

    timer = QTimer()
    timer.setInterval(500)
    timer.timeout.connect(look)
    timer.start()
    yield
    timer.stop()
    assert not forgotten, f"a modal left open with nobody to answer it: {forgotten}"
