"""Typing key by key, non-Latin letters included (QTest.keyClicks aborts on "г" or "Ł")."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_keys(qtbot, widget: QWidget, text: str) -> None:
    """One key press and release per character, as a keyboard sends them."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    for ch in text:
        key = ord(ch.upper()) if ch.isascii() else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                     ch))
