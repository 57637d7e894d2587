"""``clientcare --smoke-test`` (app/ui/smoke.py), in this process: on a demo database it
waits for the painted client list, shows every page and closes the window; an empty
database, a message box or the time limit fail it with the reason. The packaged build
runs the same through tests/test_package_smoke.py and packaging/smoke.sh."""

from __future__ import annotations

import io

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from app.cli import build_parser
from app.db import open_database
from app.services.demo_file import create_demo_file
from app.ui.ops import Ops
from app.ui.smoke import SmokeTest
from tests.ui.windows import window_at_1280


@pytest.fixture
def demo_ops(tmp_path):
    path = tmp_path / "demo.sqlite"
    create_demo_file(path, clients=30, locale="en_US", seed=3)
    db = open_database(path)
    door = Ops(db)
    yield door
    door.wait(timeout_ms=30_000)
    door.executor.shutdown()
    db.close()


def _smoke(qtbot, ops, timeout_ms=60_000):
    window = window_at_1280(qtbot, ops)
    out, err = io.StringIO(), io.StringIO()
    smoke = SmokeTest(window, timeout_ms=timeout_ms, out=out, err=err, exit_on_fail=False)
    return window, smoke, out, err


def test_it_shows_the_list_and_every_page_then_closes_the_window(qtbot, demo_ops):
    window, smoke, out, err = _smoke(qtbot, demo_ops)
    smoke.start()
    qtbot.waitUntil(lambda: bool(smoke.passed or smoke.failed), timeout=60_000)
    assert smoke.failed is None, err.getvalue()
    assert smoke.painted_rows > 0
    assert smoke.pages_shown == ["Today", "Calendar", "Complaints", "Charts", "Settings"]
    assert window.built_pages() == list(window._builders)  # each page was really built
    assert out.getvalue().startswith(
        f"smoke test: the client list painted {smoke.painted_rows} rows of 30 clients;")
    qtbot.waitUntil(lambda: window.closed, timeout=30_000)


def test_an_empty_database_fails_at_once(qtbot, ops):
    _window, smoke, _out, err = _smoke(qtbot, ops)
    smoke.start()
    qtbot.waitUntil(lambda: smoke.failed is not None, timeout=30_000)
    assert "the database has no clients" in smoke.failed
    assert err.getvalue().startswith("smoke test FAILED:")
    assert not smoke.passed


def test_a_message_box_fails_it_with_its_text(qtbot, demo_ops):
    window, smoke, _out, _err = _smoke(qtbot, demo_ops)
    box = QMessageBox(QMessageBox.Icon.Critical, "ClientCare", "Something broke", parent=window)
    smoke.start()
    QTimer.singleShot(0, box.show)
    qtbot.waitUntil(lambda: smoke.failed is not None, timeout=30_000)
    assert smoke.failed.startswith("the window asks: ClientCare: Something broke")
    box.close()


def test_a_logged_warning_fails_it(qtbot, demo_ops):
    """A part that fails in place (a chart says "could not be drawn") logs a warning."""
    import logging
    _window, smoke, _out, _err = _smoke(qtbot, demo_ops)
    smoke.start()
    logging.getLogger("app.ui.charts_page").warning("chart %s: %s", "repeat", "no font")
    qtbot.waitUntil(lambda: smoke.failed is not None, timeout=30_000)
    assert smoke.failed == "logged: WARNING app.ui.charts_page: chart repeat: no font"
    assert smoke._warnings not in logging.getLogger().handlers  # removed again


def test_the_time_limit_fails_it(qtbot, demo_ops):
    window, smoke, _out, _err = _smoke(qtbot, demo_ops, timeout_ms=1)
    smoke.start()
    qtbot.waitUntil(lambda: smoke.failed is not None, timeout=10_000)
    assert smoke.failed.startswith("not done after")


def test_the_option_is_hidden_from_help_but_parsed():
    parser = build_parser()
    assert "--smoke-test" not in parser.format_help()
    assert parser.parse_args(["--smoke-test"]).smoke_test
    assert not parser.parse_args([]).smoke_test
