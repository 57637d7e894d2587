"""The day-start notice: a banner on Today at the first start of a day, closed with its ×
and not shown again that day; a tray message only where there is a tray; a setting in
Settings turns it off."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from app.services import agenda, schedule
from app.services import clients as client_service
from app.services import settings as settings_service
from app.services.agenda import DayCounts
from app.ui import app as ui_app
from app.ui import day_notice
from app.ui.app import install_translations
from app.ui.day_notice import DayNotice, DayNoticeBanner, notice_text
from app.ui.main_window import MainWindow, Page
from app.ui.settings_page import SettingsPage

ENGLISH_US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


@pytest.fixture(autouse=True)
def _english_plurals(qapp):
    """The English words of the counts ("1 call", "2 calls"), as the window has them."""
    install_translations(qapp, "en_US")


class FakeTray:
    """Stands in for QSystemTrayIcon: what the notice asked of it."""

    def __init__(self) -> None:
        self.messages: list[tuple] = []
        self.visible = False

        class _Signal:
            def connect(self, _slot) -> None:
                pass

        self.activated = _Signal()
        self.messageClicked = _Signal()  # noqa: N815 - Qt's name

    def show(self) -> None:
        self.visible = True

    def hide(self) -> None:
        self.visible = False

    def showMessage(self, title, text, icon, ms) -> None:  # noqa: N802 - Qt's name
        self.messages.append((title, text, icon, ms))


def _birthday_today(db, make_client) -> None:
    cid = make_client("Dorota Lis", phone="+48601234567")
    with db.session() as s:
        data = client_service.load_client(s, cid)
        data.dates = [client_service.PersonalDateData(kind="birthday", month=date.today().month,
                                                      day=date.today().day)]
        client_service.save_client(s, data, region="PL")
        schedule.regenerate(s, date.today())  # what the start of the day does


def _window(qtbot, ops) -> MainWindow:
    window = MainWindow(ops)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _notice(qtbot, window, today: date, **fakes) -> DayNotice:
    notice = DayNotice(window, **fakes)
    with qtbot.waitSignal(notice.shown, timeout=10_000):
        notice.begin(today)
    return notice


def test_the_text_counts_in_the_languages_plurals(qapp):
    counts = DayCounts(calls=5, overdue=1, birthdays=2)
    assert notice_text(counts) == "Today: 5 calls, 1 overdue, 2 birthdays or name days"
    install_translations(qapp, "ru")
    try:
        text = notice_text(counts)
        assert text.startswith("Сегодня") and "5 звонков" in text and "2 дня рождения" in text
        assert notice_text(DayCounts(1, 0, 1)).count("1 звонок") == 1
    finally:
        install_translations(qapp, "en_US")


def test_the_banner_shows_on_today_and_its_cross_closes_it(qtbot, ops, db, make_client):
    _birthday_today(db, make_client)
    window = _window(qtbot, ops)
    notice = _notice(qtbot, window, date.today(), tray_available=lambda: False)
    assert notice.counts.birthdays == 1
    assert Page.TODAY not in window.built_pages()  # not built for the notice
    window.nav.setCurrentRow(Page.TODAY)  # shown when Today is first shown
    banner = window.today_page.day_banner
    qtbot.waitUntil(banner.isVisible)
    assert "1 birthday or name day" in banner.label.text()
    assert banner.label.text().startswith("Today: ")
    qtbot.mouseClick(banner.close_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    with ops.db.sessions() as s:
        assert settings_service.get(s, agenda.NOTICE_SHOWN_ON) == date.today().isoformat()


def test_escape_on_the_banner_closes_it(qtbot):
    banner = DayNoticeBanner()
    qtbot.addWidget(banner)
    banner.show_counts(DayCounts(3, 0, 0))
    banner.setFocus()
    with qtbot.waitSignal(banner.dismissed):
        qtbot.keyClick(banner, Qt.Key.Key_Escape)
    assert not banner.isVisible()


def test_a_page_already_built_gets_the_banner_at_once(qtbot, ops, db, make_client):
    _birthday_today(db, make_client)
    window = _window(qtbot, ops)
    window.nav.setCurrentRow(Page.TODAY)
    _notice(qtbot, window, date.today(), tray_available=lambda: False)
    assert window.today_page.day_banner.isVisible()


def test_no_tray_offscreen_nothing_is_attempted(qtbot, ops):
    assert not QSystemTrayIcon.isSystemTrayAvailable()  # offscreen has no tray
    made = []
    window = _window(qtbot, ops)
    notice = _notice(qtbot, window, date.today(), make_tray=lambda w: made.append(w))
    assert made == [] and notice.tray is None


def test_with_a_tray_the_notice_is_a_tray_message(qtbot, ops, db, make_client,
                                                  monkeypatch):
    monkeypatch.setattr(day_notice, "TRAY_MESSAGE_MS", 200)  # the icon goes with it
    _birthday_today(db, make_client)
    tray = FakeTray()
    window = _window(qtbot, ops)
    _notice(qtbot, window, date.today(), tray_available=lambda: True,
            make_tray=lambda _w: tray)
    assert tray.visible and len(tray.messages) == 1
    title, text, icon, _ms = tray.messages[0]
    assert title == "ClientCare" and text.startswith("Today: ")
    assert "1 birthday or name day" in text
    assert icon == QSystemTrayIcon.MessageIcon.Information
    qtbot.waitUntil(lambda: not tray.visible, timeout=day_notice.TRAY_MESSAGE_MS + 5000)


def test_a_second_start_the_same_day_shows_nothing(qtbot, ops, monkeypatch):
    window = _window(qtbot, ops)
    _notice(qtbot, window, date.today(), tray_available=lambda: False)
    again = DayNotice(window, tray_available=lambda: True,
                      make_tray=lambda _w: (_ for _ in ()).throw(AssertionError("no tray")))
    shown = []
    again.shown.connect(shown.append)
    again.begin(date.today())
    assert ops.wait()
    QApplication.processEvents()
    assert shown == [] and again.counts is None


def test_the_setting_in_settings_turns_the_notice_off(qtbot, ops):
    page = SettingsPage(ops)
    qtbot.addWidget(page)
    page.show()
    assert page.day_notice.isChecked()  # on by default
    qtbot.mouseClick(page.day_notice, Qt.MouseButton.LeftButton)
    assert ops.wait()
    with ops.db.sessions() as s:
        assert settings_service.get(s, agenda.NOTICE_SETTING) is False
    window = _window(qtbot, ops)
    notice = DayNotice(window, tray_available=lambda: False)
    notice.begin(date.today())
    assert ops.wait()
    QApplication.processEvents()
    assert notice.counts is None
    page.day_notice.setFocus()
    qtbot.keyClick(page.day_notice, Qt.Key.Key_Space)  # ticked again from the keyboard
    assert page.day_notice.isChecked()
    assert ops.wait()
    with ops.db.sessions() as s:
        assert settings_service.get(s, agenda.NOTICE_SETTING) is True


def test_the_first_start_of_a_day_shows_the_notice_read_off_the_gui_thread(
        qtbot, db, make_client, monkeypatch):
    _birthday_today(db, make_client)
    db.close()
    threads = []
    real = agenda.claim_day_notice

    def claim(session, today):
        threads.append(threading.current_thread())
        return real(session, today)

    monkeypatch.setattr(day_notice.agenda, "claim_day_notice", claim)
    opened = ui_app.prepare_database(db.path, ENGLISH_US, check=False)
    window, start = ui_app.show_window(opened, ui_app.locale_facts(ENGLISH_US))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: start.done, timeout=30_000)
    assert window.ops.wait()
    QApplication.processEvents()
    assert threads and threads[0] is not threading.main_thread()
    assert window.day_notice.counts is not None
    window.nav.setCurrentRow(Page.TODAY)
    qtbot.waitUntil(window.today_page.day_banner.isVisible)
    window.close()
    qtbot.waitUntil(lambda: window.closed, timeout=30_000)
