from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.models import Task
from app.models.enums import TaskKind, TaskStatus
from app.services import settings as settings_service
from app.ui import app as ui_app
from app.ui.main_window import MainWindow, Page


def test_navigation_pages_and_shortcuts(qtbot, ops):
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    titles = [w.nav.item(i).text() for i in range(w.nav.count())]
    assert titles == ["Clients", "Today", "Calendar", "Complaints", "Charts", "Settings"]
    assert w.pages.currentWidget() is w.clients_page
    qtbot.keyClick(w, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert w.nav.currentRow() == Page.SETTINGS
    qtbot.keyClick(w, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert w.pages.currentWidget() is w.clients_page


def test_window_fits_1280x720(qtbot, ops):
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    assert w.minimumSizeHint().width() <= 1280 and w.minimumSizeHint().height() <= 720
    table = w.clients_page.table
    assert table.isVisible() and table.height() > 300


def test_settings_page_changes_phone_country(qtbot, ops, db):
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    w.nav.setCurrentRow(Page.SETTINGS)
    page = w.pages.widget(Page.SETTINGS)
    page.region.setCurrentIndex(page.region.findData("BG"))
    page.currency.setCurrentText("EUR")
    page.save_button.click()
    assert ops.wait()  # saved and rescheduled on the database executor
    with db.sessions() as s:
        assert settings_service.get(s, "business.region") == "BG"
        assert settings_service.get(s, "business.currency") == "EUR"
    page.currency.setCurrentText("euro")
    page.save_button.click()
    assert page.error.isVisible()
    with db.sessions() as s:
        assert settings_service.get(s, "business.currency") == "EUR"


def test_a_file_that_is_no_database_gets_a_message_not_a_traceback(qtbot, tmp_path,
                                                                     monkeypatch):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("my shopping list")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    assert ui_app.run_gui(bad) == 2
    assert "is not a ClientCare database" in shown[0]
    assert bad.read_text() == "my shopping list"


def test_the_quarterly_review_task_opens_the_review(qtbot, ops, db):
    today = date.today()
    with db.session() as s:
        s.add(Task(client_id=None, kind=TaskKind.QUARTERLY_REVIEW, due_on=today,
                   status=TaskStatus.OPEN, source_key="quarterly_review:test"))
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.nav.setCurrentRow(Page.TODAY)
    page = w.today_page
    page.reload()
    qtbot.waitUntil(lambda: not page.loading)
    assert all(r.kind != TaskKind.QUARTERLY_REVIEW for r in page.model.rows)  # not a call
    row = next(i for i, r in enumerate(page.todo_model.rows)
               if r.kind == TaskKind.QUARTERLY_REVIEW)
    page.todo_table.setFocus()
    page._select_task(page.todo_model.rows[row].task_id, table=page.todo_table)
    page._on_table_activated(page.todo_model.index(row, 0))
    assert w.pages.currentWidget() is w.charts_page
    assert w.charts_page.tabs.currentWidget() is w.charts_page.review
