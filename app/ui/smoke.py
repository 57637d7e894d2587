"""``clientcare --smoke-test``: start the window, prove it works, quit. For CI and for
a packaged build (packaging/smoke.sh): a Qt plugin, a translation, a data file or a
module the build left out makes it fail instead of a shop owner's first start.

The test waits until the client list is attached to the database and painted with
rows, then shows every other page in turn (Today, Calendar, Complaints, Charts with
matplotlib, Settings), each until the database executor is idle again, goes back to
the list, prints what it saw and closes the window the usual way (the exit backup
included). Exit status 0 then; 1 when anything asks the user (a message box: an error),
logs a warning or an error (what a page shows in place, e.g. "This chart could not be
drawn", is logged too), an exception escapes, or it takes longer than the time limit. Output is plain English
on stdout/stderr: it is read by scripts, not by users.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

#: how long the whole test may take (the first start of a build on a slow CI machine)
TIMEOUT_MS = 120_000
TICK_MS = 50


class _Warnings(logging.Handler):
    """Keeps what is logged at WARNING or above, from any thread (read on the GUI one)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.levelname} {record.name}: {record.getMessage()}")


class SmokeTest(QObject):
    """Drives the window through the steps above; see the module's docstring."""

    def __init__(self, window, timeout_ms: int = TIMEOUT_MS, out=None, err=None,
                 exit_on_fail: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.exit_on_fail = exit_on_fail  # False in the tests: the failure is kept
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.painted_rows = 0  # the rows the list had at its last paint
        self.pages_shown: list[str] = []
        self.failed: str | None = None
        self.passed = False
        self._pages: list = []  # the pages still to show
        self._settle = 0  # ticks the executor stayed idle on the current page
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._step)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(timeout_ms)
        self._deadline.timeout.connect(lambda: self.fail(
            f"not done after {timeout_ms / 1000:.0f} s (painted rows: {self.painted_rows}, "
            f"pages shown: {', '.join(self.pages_shown) or 'none'})"))
        self._state = "list"
        self._warnings = _Warnings()

    def start(self) -> None:
        sys.excepthook = self._excepthook  # after the window's own: an error fails here
        logging.getLogger().addHandler(self._warnings)
        self.destroyed.connect(lambda *_: logging.getLogger().removeHandler(self._warnings))
        self.window.clients_page.table.viewport().installEventFilter(self)
        self._tick.start()
        self._deadline.start()

    # -- watching -----------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and self._state == "list":
            # the rows this paint draws (the filter sees the event just before it)
            self.painted_rows = self.window.clients_page.model.rowCount()
        return False

    def _excepthook(self, exc_type, exc, tb) -> None:
        self.fail("an exception escaped:\n" + "".join(
            traceback.format_exception(exc_type, exc, tb)))

    def _asking(self) -> str | None:
        """The text of a message box the window shows (an error, a question), if any."""
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                return f"{widget.windowTitle()}: {widget.text()} {widget.informativeText()}"
        return None

    def _idle(self) -> bool:
        ops = self.window.ops
        return ops is not None and not ops.executor.busy

    # -- the steps ------------------------------------------------------------------------
    def _step(self) -> None:
        if self.failed or self.passed:
            return
        asking = self._asking()
        if asking:
            self.fail(f"the window asks: {asking}")
            return
        if self._warnings.records:
            self.fail(f"logged: {self._warnings.records[0]}")
            return
        if self._state == "list":
            if self.window.attached and self._idle() and self.window.clients_page.model.total == 0:
                self.fail("the database has no clients (the smoke test wants a demo database: "
                          "clientcare demo PATH)")
            elif self.window.attached and self.painted_rows > 0 and self._idle():
                from app.ui.main_window import Page  # lazy: the window's module, loaded
                self._pages = [p for p in Page if p != Page.CLIENTS]
                self._state = "pages"
                self._next_page()
        elif self._state == "pages":
            self._settle = self._settle + 1 if self._idle() else 0
            if self._settle >= 4:  # idle for a few ticks: what the page asked for is done
                self._next_page()

    def _next_page(self) -> None:
        self._settle = 0
        if not self._pages:
            self._finish()
            return
        page = self._pages.pop(0)
        self.window.nav.setCurrentRow(page)
        # the navigation's words: a build without its translations shows English here
        self.pages_shown.append(self.window.nav.item(page).text())

    def _finish(self) -> None:
        from app.ui.main_window import Page  # lazy: the window's module, loaded
        self.window.nav.setCurrentRow(Page.CLIENTS)
        model = self.window.clients_page.model
        self.passed = True
        logging.getLogger().removeHandler(self._warnings)
        self._tick.stop()
        self._deadline.stop()
        print(f"smoke test: the client list painted {self.painted_rows} rows of "
              f"{model.total if model.total is not None else '?'} clients; pages shown: "
              f"{', '.join(self.pages_shown)}", file=self.out, flush=True)
        self.window.close()

    def fail(self, why: str) -> None:
        if self.failed or self.passed:
            return
        logging.getLogger().removeHandler(self._warnings)
        self.failed = why
        print(f"smoke test FAILED: {why}", file=self.err, flush=True)
        self._tick.stop()
        self._deadline.stop()
        if self.exit_on_fail:
            # at once: a modal box's own event loop or a job still running must not keep
            # a failed test alive
            os._exit(1)
