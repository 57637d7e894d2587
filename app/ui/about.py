"""Help → About ClientCare and Help → Check for updates.

The About box shows the version, where the data lives (the user's folder, or the
``data`` folder of a portable copy) and the database open now. Checking for updates
reads the publisher's releases file (:mod:`app.services.updates`) on a plain thread,
never on the GUI thread (the network may take seconds or not answer at all); a newer
version is offered as its download page, opened in the browser on the user's yes.
Nothing is downloaded or installed by ClientCare itself.
"""

from __future__ import annotations

import html
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.config import data_dir, portable_data_dir
from app.text import subst


def open_url(url: str) -> bool:
    """Open ``url`` in the user's browser (a name of its own: the tests replace it)."""
    return QDesktopServices.openUrl(QUrl(url))


class UpdateCheck(QObject):
    """One look for a newer version, on a thread of its own; :attr:`done` carries the
    ``UpdateInfo`` or the ``DomainError`` back to the GUI thread."""

    done = Signal(object)

    def __init__(self, parent: QObject | None = None, url: str | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.running = False

    def start(self) -> None:
        self.running = True
        self.done.connect(self._ended, Qt.ConnectionType.QueuedConnection)
        threading.Thread(target=self._work, name="clientcare-updates", daemon=True).start()

    def _work(self) -> None:  # on the thread: no widget, no QObject made here
        from app.errors import DomainError
        from app.services.updates import check_for_updates  # lazy: urllib, only now
        try:
            result: object = check_for_updates(self.url)
        except DomainError as exc:
            result = exc
        try:
            self.done.emit(result)
        except RuntimeError:  # the window closed meanwhile: nobody to tell
            pass

    def _ended(self, _result) -> None:
        self.running = False


class UpdatesAsker(QObject):
    """Help → Check for updates: starts an :class:`UpdateCheck` (one at a time) and
    answers in a message box: newer (open its download page?), up to date, or why the
    check failed."""

    answered = Signal(object)  # the result, after the box was answered (for the tests)

    def __init__(self, parent: QWidget, url: str | None = None) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.url = url
        self.check: UpdateCheck | None = None

    def ask(self) -> None:
        if self.check is not None and self.check.running:
            return  # the first question is still out
        self.check = UpdateCheck(self, self.url)
        self.check.done.connect(self._show)
        self.check.start()

    def _show(self, result) -> None:
        from app.errors import DomainError
        parent = self.parent_widget
        title = self.tr("Check for updates")
        if isinstance(result, DomainError):
            from app.ui.messages import error_text  # lazy: only when a check failed
            QMessageBox.warning(parent, title, error_text(result))
        elif result.newer:
            box = QMessageBox(QMessageBox.Icon.Information, title, subst(self.tr(
                "ClientCare %1 is available; this is %2.\n\nOpen its download page in the "
                "browser? Install it over this one: your data is kept, and a backup of it "
                "is made before the new version updates it."), result.latest, result.current),
                QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel, parent)
            box.setDefaultButton(QMessageBox.StandardButton.Open)
            box.setObjectName("updateAvailable")
            if box.exec() == QMessageBox.StandardButton.Open:
                open_url(result.download_url)
        else:
            QMessageBox.information(parent, title, subst(self.tr(
                "ClientCare %1 is the newest version."), result.current))
        self.answered.emit(result)


class AboutDialog(QDialog):
    """The version, the data's folder, the database open now, and Check for updates."""

    def __init__(self, parent: QWidget | None = None, db_path: Path | None = None,
                 asker: UpdatesAsker | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About ClientCare"))
        icon = QLabel()
        icon.setPixmap(self.windowIcon().pixmap(64, 64))
        self.title = QLabel(subst(self.tr("<h2>ClientCare %1</h2>"), __version__))
        self.title.setObjectName("aboutVersion")
        portable = portable_data_dir() is not None
        where = (self.tr("Portable: the data is in the folder beside the program, %1")
                 if portable else self.tr("Data folder: %1"))
        lines = [self.tr("Keep the clients you already have."),
                 subst(where, html.escape(str(data_dir())))]
        if db_path is not None:
            lines.append(subst(self.tr("Database: %1"), html.escape(str(db_path))))
        self.details = QLabel("<p>" + "<br>".join(lines) + "</p>")
        self.details.setObjectName("aboutDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head = QHBoxLayout()
        head.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.details)
        head.addLayout(text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.updates_button = QPushButton(self.tr("Check for &updates…"))
        self.updates_button.setObjectName("checkUpdates")
        buttons.addButton(self.updates_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.asker = asker or UpdatesAsker(self)
        self.updates_button.clicked.connect(self.asker.ask)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(buttons)
        self.setMinimumWidth(460)
