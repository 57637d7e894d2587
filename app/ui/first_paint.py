"""Something to do right after a widget's first paint (the start's next steps)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer


class FirstPaint(QObject):
    """Calls ``then`` once, right after the first paint of ``widget`` (or after
    ``fallback_ms`` when it is not painted: an offscreen or minimised window)."""

    def __init__(self, widget, then, fallback_ms: int = 1000) -> None:
        super().__init__(widget)
        self._widget, self._then, self._fired = widget, then, False
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self._fire)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and not self._fired:
            QTimer.singleShot(0, self._fire)  # after the paint reaches the screen
        return False

    def _fire(self) -> None:
        if self._fired:
            return
        self._fired = True
        self._widget.removeEventFilter(self)
        self._then()
