"""Something to do right after a widget's first paint (the start's next steps), and what
the window says when that next step fails (:class:`LoadFailure`)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QMessageBox


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


class LoadFailure(QObject):
    """The background load of the start failed (a part that would not import, a file
    that became unreadable): the window stays and says why, window-modal, with **Retry**
    (``retry`` runs the load again) and **Quit** (``quit``). Answered from the event
    loop (``open``, not ``exec``): the window keeps painting while it is asked."""

    def __init__(self, window, text: str, retry, quit, detail: str = "") -> None:
        super().__init__(window)
        self._retry, self._quit = retry, quit
        box = QMessageBox(QMessageBox.Icon.Warning,
                          QCoreApplication.translate("App", "ClientCare"), text,
                          QMessageBox.StandardButton.NoButton, window)
        box.setObjectName("loadFailure")
        box.setInformativeText(QCoreApplication.translate(
            "App", "Nothing was changed. Retry once the file can be read again, or quit."))
        if detail:
            box.setDetailedText(detail)
        self.retry_button = box.addButton(QCoreApplication.translate("App", "Retry"),
                                          QMessageBox.ButtonRole.AcceptRole)
        self.retry_button.setObjectName("retryButton")
        self.quit_button = box.addButton(QCoreApplication.translate("App", "Quit"),
                                         QMessageBox.ButtonRole.RejectRole)
        self.quit_button.setObjectName("quitButton")
        box.setDefaultButton(self.retry_button)
        box.setEscapeButton(self.quit_button)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(self._answered)
        self.box = box
        box.open()

    def _answered(self, _result: int) -> None:
        retry = self.box.clickedButton() is self.retry_button
        self.box.deleteLater()
        self.deleteLater()
        (self._retry if retry else self._quit)()
