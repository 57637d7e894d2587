"""The day-start notice: "Today: 12 calls, 3 overdue, 2 birthdays or name days".

On the first start of a day (once the start of the day has brought the calls up to
date) the figures are read on the database executor (:func:`app.services.agenda.
claim_day_notice`, which also notes the day, so a later start that day shows nothing).
They show as a banner at the top of the Today page, closed with its × and not shown
again that day, and as a system tray message where the desktop has a tray
(``QSystemTrayIcon.isSystemTrayAvailable``; offscreen and many kiosk desktops have
none, and nothing is attempted there). Settings turns the notice off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStyle,
    QSystemTrayIcon,
    QToolButton,
    QWidget,
)
from shiboken6 import isValid

from app import palette
from app.errors import DomainError
from app.services import agenda
from app.services.agenda import DayCounts
from app.text import subst

log = logging.getLogger(__name__)

#: how long the tray message stays (ms)
TRAY_MESSAGE_MS = 15_000


class DayNoticeText(QObject):
    """The translation context of the notice (lupdate reads a plural from
    ``DayNoticeText.tr(text, "", n)``)."""


def notice_text(counts: DayCounts) -> str:
    """"Today: 12 calls, 3 overdue, 2 birthdays or name days"."""
    parts = [DayNoticeText.tr("%Ln call(s)", "", counts.calls),
             DayNoticeText.tr("%Ln overdue", "", counts.overdue),
             DayNoticeText.tr("%Ln birthday(s) or name day(s)", "", counts.birthdays)]
    return subst(DayNoticeText.tr("Today: %1"), ", ".join(parts))


class DayNoticeBanner(QFrame):
    """The banner at the top of Today: the day's figures and a × that closes it."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayNoticeBanner")
        self.setStyleSheet(
            f"QFrame#dayNoticeBanner {{ background: {palette.BANNER_BACKGROUND}; "
            f"border: 1px solid {palette.BANNER_BORDER}; border-radius: 3px; }} "
            f"QFrame#dayNoticeBanner QLabel {{ color: {palette.BANNER_TEXT}; }}")
        self.label = QLabel()
        self.label.setObjectName("dayNoticeText")
        self.label.setWordWrap(True)
        self.close_button = QToolButton()
        self.close_button.setObjectName("dayNoticeClose")
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Close the notice (it is not shown again "
                                             "today)"))
        self.close_button.setAccessibleName(self.tr("Close the notice"))
        self.close_button.clicked.connect(self.dismiss)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 4, 4, 4)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_counts(self, counts: DayCounts) -> None:
        self.label.setText(notice_text(counts))
        self.show()

    def dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.dismiss()
            return
        super().keyPressEvent(event)


def _tray(window: QMainWindow) -> QSystemTrayIcon:
    icon = window.windowIcon()
    if icon.isNull():
        icon = window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
    tray = QSystemTrayIcon(icon, window)
    tray.setToolTip(window.windowTitle())
    return tray


class DayNotice(QObject):
    """Reads the notice's figures after the start of a day and shows them: the banner on
    Today (now if the page is built, else when it is first shown) and a tray message
    where there is a tray. ``tray_available`` and ``make_tray`` stand in for
    ``QSystemTrayIcon`` in tests."""

    shown = Signal(object)  # the DayCounts, once read (not when none is due today)

    def __init__(self, window: QMainWindow, *,
                 tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
                 make_tray: Callable[[QMainWindow], QSystemTrayIcon] = _tray) -> None:
        super().__init__(window)
        self.window = window
        self.tray_available = tray_available
        self.make_tray = make_tray
        self.tray: QSystemTrayIcon | None = None
        self.counts: DayCounts | None = None
        self._waiting_for_page = False

    def begin(self, today: date) -> None:
        """Read (and claim) today's notice on the database executor."""
        ops = self.window.ops

        def failed(exc: DomainError) -> None:  # only the notice is lost
            log.warning("no day-start notice: %s", exc)

        ops.submit(self.window, lambda s, _job: agenda.claim_day_notice(s, today),
                   label=self.tr("Counting the day's calls…"), on_done=self._read,
                   on_error=failed)

    def _read(self, counts: DayCounts | None) -> None:
        if counts is None or not isValid(self):
            return
        self.counts = counts
        self._to_page()
        self._to_tray(counts)
        self.shown.emit(counts)

    # -- the banner on Today
    def _today_page(self) -> QWidget | None:
        pages = getattr(self.window, "pages", None)
        if pages is None:
            return None
        for i in range(pages.count()):
            w = pages.widget(i)
            if hasattr(w, "show_day_notice"):
                return w
        return None

    def _to_page(self) -> None:
        page = self._today_page()
        if page is not None:
            page.show_day_notice(self.counts)
            if self._waiting_for_page:
                self.window.pages.currentChanged.disconnect(self._on_page_changed)
                self._waiting_for_page = False
            return
        if not self._waiting_for_page and getattr(self.window, "pages", None) is not None:
            # Today is built when first shown: the banner goes on it then
            self.window.pages.currentChanged.connect(self._on_page_changed)
            self._waiting_for_page = True

    def _on_page_changed(self, _index: int) -> None:
        if self.counts is not None:
            self._to_page()

    # -- the tray
    def _to_tray(self, counts: DayCounts) -> None:
        if not self.tray_available():
            return
        self.tray = self.make_tray(self.window)
        self.tray.activated.connect(self._on_tray_activated)
        self.tray.messageClicked.connect(self._on_tray_activated)
        self.tray.show()
        self.tray.showMessage(self.tr("ClientCare"), notice_text(counts),
                              QSystemTrayIcon.MessageIcon.Information, TRAY_MESSAGE_MS)
        # the icon was there for the message only: gone with it
        QTimer.singleShot(TRAY_MESSAGE_MS + 1000, self._hide_tray)

    def _hide_tray(self) -> None:
        if self.tray is not None:
            self.tray.hide()

    def _on_tray_activated(self, *_args) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()


def after_start_of_day(window: QMainWindow, today: date) -> DayNotice:
    """The notice of ``today``, begun for ``window`` (kept as ``window.day_notice``)."""
    notice = DayNotice(window)
    window.day_notice = notice
    notice.begin(today)
    return notice
