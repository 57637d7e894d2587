"""Answering a modal dialog in a test: ``exec()`` blocks, so the answer is queued first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog


def answer_modal(dialog_type: type[QDialog], act: Callable[[QDialog], None]) -> list[str]:
    """When the next modal ``dialog_type`` opens, run ``act(dialog)`` on it (which should
    accept or reject it). Returns a list that gets the dialog's class name once it was
    answered, so a test can assert the dialog really opened (it holds no reference to the
    dialog itself, whose C++ side Qt deletes)."""
    seen: list[str] = []

    def poll() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, dialog_type):
            QTimer.singleShot(20, poll)
            return
        seen.append(type(dlg).__name__)
        act(dlg)

    QTimer.singleShot(0, poll)
    return seen
