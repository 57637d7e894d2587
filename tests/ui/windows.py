"""The main window as a user at an office PC sees it: 1280x720, shown and exposed."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.ui.app import install_translations


def window_at_1280(qtbot, ops, language: str | None = None, qm_dir=None):
    """A MainWindow over ``ops`` at 1280x720, shown; ``language``: its translations
    installed first (from ``qm_dir``, default the built resources)."""
    from app.ui.main_window import MainWindow
    if language is not None:
        args = (qm_dir,) if qm_dir is not None else ()
        install_translations(QApplication.instance(), language, *args)
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    return w
