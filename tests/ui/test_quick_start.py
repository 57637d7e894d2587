"""The quick start: the window paints the list's first page (read by sqlite3) before the
services are imported, then the real list takes its place without a visible change; what
is typed meanwhile is kept and applied."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app import quick_open
from app.client_list import ClientColumn, ClientQuery
from app.db import open_database
from app.ui.client_model import ClientTableModel
from app.ui.main_window import MainWindow, Page
from app.ui.ops import Ops
from tests.ui.demo_files import demo_fixtures
from tests.ui.keys import type_keys

ROOT = Path(__file__).resolve().parents[2]


demo_file, demo = demo_fixtures("quickstart", 150)


def _texts(model, rows: int) -> list[list[str]]:
    return [[model.index(r, c).data() for c in ClientColumn] for r in range(rows)]


def _preview_window(qtbot, path: Path) -> tuple[MainWindow, quick_open.FirstPage]:
    window = MainWindow(None, path=path)
    qtbot.addWidget(window)
    page = quick_open.read_first_page(path, window.clients_page.model.query)
    assert page is not None
    window.clients_page.show_first_page(page)
    window.show()
    qtbot.waitExposed(window)
    return window, page


def _close(qtbot, window) -> None:
    window.close()
    qtbot.waitUntil(lambda: window.closed, timeout=30_000)


@pytest.mark.parametrize(("column", "descending"), [
    (ClientColumn.NAME, False), (ClientColumn.VALUE_12M, True), (ClientColumn.STATUS, False),
    (ClientColumn.PHONE, True), (ClientColumn.LAST_PURCHASE, False)])
def test_the_first_page_shows_what_the_real_list_shows(qtbot, demo, column, descending):
    """Cell by cell, as displayed: the first page and the list read through the door."""
    page = quick_open.read_first_page(demo, ClientQuery(sort=column, descending=descending))
    assert page is not None
    preview = ClientTableModel(None)
    preview.show_first_page(page)
    db = open_database(demo, check=False)
    try:
        real = ClientTableModel(Ops(db))
        real.set_sort(column, Qt.SortOrder.DescendingOrder if descending
                      else Qt.SortOrder.AscendingOrder, reload=False)
        real.reload(now=True)
        # the first page's rows, and the count of the whole list both show
        assert preview.rowCount() == len(page.rows) < page.count
        assert real.rowCount() == page.count and preview.total == real.total == page.count
        assert _texts(preview, len(page.rows)) == _texts(real, len(page.rows))
        assert any(t[ClientColumn.PHONE] for t in _texts(real, len(page.rows)))
    finally:
        db.close()


def test_the_real_list_takes_the_first_pages_place_without_a_jump(qtbot, demo):
    window, page = _preview_window(qtbot, demo)
    clients = window.clients_page
    model, table = clients.model, clients.table
    shown = _texts(model, 20)
    assert model.loading and not model.attached
    assert clients.count_label.text().startswith(f"{page.count} client")
    assert table.viewport().cursor().shape() == Qt.CursorShape.BusyCursor
    assert not clients.new_button.isEnabled() and not clients.delete_button.isEnabled()
    table.selectRow(4)
    table.verticalScrollBar().setValue(2)
    selected, scrolled = clients.selected_ids(), table.verticalScrollBar().value()
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))

    window.attach(Ops(open_database(demo, check=False)))
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
    assert resets == []  # adopted in place: nothing on screen moved
    assert model.attached and model.queries == 1
    assert _texts(model, 20) == shown
    assert clients.selected_ids() == selected == [page.ids[4]]
    assert table.verticalScrollBar().value() == scrolled
    assert model.rowCount() == page.count and model.client_id(page.count - 1) is not None
    assert table.viewport().cursor().shape() != Qt.CursorShape.BusyCursor
    assert clients.new_button.isEnabled() and clients.delete_button.isEnabled()
    _close(qtbot, window)


def test_keys_typed_before_the_list_is_ready_are_kept_and_applied(qtbot, demo):
    window, page = _preview_window(qtbot, demo)
    clients = window.clients_page
    word = page.rows[0].name.split()[-1]
    clients.search.setFocus()
    type_keys(qtbot, clients.search, word)  # key by key, before the door is there
    qtbot.wait(300)  # the search delay passes: the query is kept for later
    assert clients.search.text() == word and not clients.model.attached

    window.attach(Ops(open_database(demo, check=False)))
    qtbot.waitUntil(lambda: not clients.model.loading, timeout=10_000)
    model = clients.model
    assert clients.search.text() == word and model.query.text == word
    assert 0 < model.rowCount() < page.count
    names = [model.index(r, ClientColumn.NAME).data() for r in range(model.rowCount())]
    assert page.rows[0].name in [n.replace("  ⚠", "") for n in names]
    _close(qtbot, window)


def test_a_page_or_a_close_asked_before_the_door_waits_for_it(qtbot, demo):
    window, _page = _preview_window(qtbot, demo)
    window.nav.setCurrentRow(Page.TODAY)
    assert window.built_pages() == [Page.CLIENTS]
    window.close()
    assert window.isVisible() and not window.closed  # waits for the door
    window.attach(Ops(open_database(demo, check=False)))
    assert Page.TODAY in window.built_pages()
    qtbot.waitUntil(lambda: window.closed, timeout=30_000)


CHILD = r"""
import json, os, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView, QWidget
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, {settings!r})
HEAVY = ("sqlalchemy", "app.models", "app.services", "app.db", "phonenumbers",
         "email_validator", "alembic", "matplotlib", "holidays")
state, result = {{}}, {{}}

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "heavy" not in result \
                and state["table"].model().rowCount() > 0:
            result["heavy"] = sorted(m for m in sys.modules if m.startswith(HEAVY))
            result["attached"] = state["window"].ops is not None
            timer = QTimer(QApplication.instance())
            timer.timeout.connect(poll)
            timer.start(20)
            state["timer"] = timer
        return False

def poll():
    window = state["window"]
    if window.ops is not None and not window.clients_page.model.loading:
        result["rows"] = window.clients_page.model.rowCount()
        print("RESULT " + json.dumps(result), flush=True)
        os._exit(0)

watch = Watch()
original = QWidget.show
def show(self):
    if isinstance(self, QMainWindow) and "window" not in state:
        state["window"] = self
        state["table"] = self.findChild(QTableView, "clientTable")
        state["table"].viewport().installEventFilter(watch)
    original(self)
QWidget.show = show
QTimer.singleShot(20_000, lambda: os._exit(3))
from app.ui.app import run_gui
run_gui(Path({db!r}), language="en", argv=[sys.argv[0]])
"""


def _first_paint(db: Path, settings: Path) -> dict:
    code = CHILD.format(root=str(ROOT), settings=str(settings), db=str(db))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, env=env, cwd=ROOT)
    lines = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")]
    assert lines, out.stdout + out.stderr
    return json.loads(lines[0][len("RESULT "):])


def test_no_heavy_module_is_imported_by_the_first_paint(demo, tmp_path):
    """In a new process, as a user starts it: at the first paint of the list (with its
    rows) neither SQLAlchemy nor the models, the services, phonenumbers or matplotlib
    are imported; they come after it and the list is then the real one. The first start
    on a computer formats the first page's phones with phonenumbers (nothing
    remembered yet); the next start does not."""
    settings = tmp_path / "settings"
    first = _first_paint(demo, settings)
    assert first["attached"] is False and first["rows"] == 150
    assert [m for m in first["heavy"] if not m.startswith("phonenumbers")] == []
    again = _first_paint(demo, settings)
    assert again == {"heavy": [], "attached": False, "rows": 150}


def _run_gui_and_close(qtbot, monkeypatch, path: Path) -> tuple[list, list]:
    """run_gui on ``path`` as a user starts it; its event loop waits a moment and closes
    the window. Returns what the quick start gave (a window or None) and whether the
    window had its door when it was first shown."""
    from PySide6.QtWidgets import QApplication

    from app.ui import app as ui_app
    tried, attached_at_show = [], []
    real = ui_app.quick_window
    monkeypatch.setattr(ui_app, "quick_window", lambda *a: tried.append(real(*a)) or tried[-1])
    monkeypatch.setattr(ui_app, "_setup_logging", lambda: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)

    def run_then_close(*_a) -> int:
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w.isVisible())
        attached_at_show.append(window.ops is not None)
        qtbot.waitUntil(lambda: window.ops is not None, timeout=20_000)
        window.close()
        qtbot.waitUntil(lambda: window.closed, timeout=30_000)
        return 0

    monkeypatch.setattr(QApplication, "exec", run_then_close)
    assert ui_app.run_gui(path, language="en") == 0
    return tried, attached_at_show


def test_an_older_file_takes_the_usual_start_with_its_migration(qtbot, monkeypatch, tmp_path):
    from sqlalchemy import create_engine

    from app.services.backups import backup_dir_for
    from app.sqlite_file import alembic_command, alembic_config, revisions
    path = tmp_path / "old.sqlite"
    older = revisions()[quick_open.HEAD_REVISION]
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        alembic_command().upgrade(alembic_config(conn), older)
    engine.dispose()

    tried, attached_at_show = _run_gui_and_close(qtbot, monkeypatch, path)
    assert tried == [None] and attached_at_show == [True]  # the usual start ran
    con = __import__("sqlite3").connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == \
        quick_open.HEAD_REVISION
    con.close()
    assert any(f"before-{quick_open.HEAD_REVISION}" in p.name
               for p in backup_dir_for(path).glob("*.sqlite"))  # backed up first


def test_a_current_file_takes_the_quick_start(qtbot, monkeypatch, demo):
    tried, attached_at_show = _run_gui_and_close(qtbot, monkeypatch, demo)
    assert len(tried) == 1 and tried[0] is not None and attached_at_show == [False]
    window, quick = tried[0]
    assert quick.start is not None and quick.start.steps_done[:1] == ["check"]
