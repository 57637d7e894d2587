"""Today with a queue longer than a page: the first page is shown, the summary counts the
whole queue (in the background), the rest comes as the list scrolls, and a call logged
meanwhile updates its row in place."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, Qt

import app.ui.today_page as today_page
from app.models import Client, Task
from app.models.enums import TaskKind, TaskStatus
from app.services import calls
from app.ui.today_page import TodayPage

TODAY = date(2026, 11, 23)


def _long_queue(db, n: int = 23) -> None:
    with db.session() as s:
        for i in range(n):
            c = Client(name=f"Client {i:02d}", sort_name=f"client {i:02d}",
                       search_text=f"client {i:02d}", phone=f"+486010000{i:02d}",
                       purchase_count=5)
            s.add(c)
            s.flush()
            s.add(Task(client_id=c.id, kind=TaskKind.WIN_BACK,
                       due_on=TODAY - timedelta(days=i % 2), status=TaskStatus.OPEN,
                       priority=50, source_key=f"w{i}"))
            if i < 8:  # a gift to prepare: a to-do
                s.add(Task(client_id=c.id, kind=TaskKind.GIFT, due_on=TODAY,
                           status=TaskStatus.OPEN, priority=60, source_key=f"g{i}"))
        s.add(Task(client_id=None, kind=TaskKind.QUARTERLY_REVIEW, due_on=TODAY,
                   status=TaskStatus.OPEN, priority=40, source_key="q"))


def test_a_long_queue_is_read_a_page_at_a_time(qtbot, ops, db, monkeypatch):
    monkeypatch.setattr(today_page, "PAGE", 5)
    _long_queue(db)
    page = TodayPage(ops, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 650)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: not page.loading)
    assert 5 <= page.model.rowCount() < 23 and not page.model.complete
    assert 5 <= page.todo_model.rowCount() < 9  # the to-dos' first page too
    # the whole queue's figures, counted apart: 23 calls, 11 of them late, 9 to-dos
    assert page.counts == calls.QueueCounts(to_make=23, overdue=11, logged=0, todos=9)
    assert "9 to do" in page.summary.text()
    assert page.summary.text().startswith("23 call")
    assert "11 overdue" in page.summary.text()
    # a call logged on the first row: the row says so in place, the list does not jump
    first = page.model.rows[0]
    page.table.setFocus()
    page.table.selectRow(0)
    page.table.setCurrentIndex(page.model.index(0, 0))
    page.log_selected(calls.Outcome.NO_ANSWER)
    qtbot.waitUntil(lambda: not page.busy)  # the call is written on the executor
    assert page.ops.wait()
    assert page.model.rows[0].client_id == first.client_id and page.model.rows[0].settled
    qtbot.waitUntil(lambda: not page.loading)
    assert page.counts.to_make == 22 and page.counts.logged == 1
    # scrolling to the end reads the rest, page by page, each client once
    for _ in range(10):
        if page.model.complete:
            break
        n = page.model.rowCount()
        page.table.scrollToBottom()
        qtbot.waitUntil(lambda n=n: page.model.rowCount() > n or page.model.complete)
    for _ in range(10):
        if page.todo_model.complete:
            break
        n = page.todo_model.rowCount()
        page.todo_table.scrollToBottom()
        qtbot.waitUntil(lambda n=n: page.todo_model.rowCount() > n
                        or page.todo_model.complete)
    assert ops.wait() and page.model.complete and page.todo_model.complete
    assert not page.model.canFetchMore(QModelIndex())
    with db.sessions() as s:
        queue = calls.today_queue(s, TODAY)
    whole = [r for r in queue if not r.internal]
    assert page.model.rows == whole and len(whole) == 23
    assert page.todo_model.rows == [r for r in queue if r.internal]
    assert len(page.todo_model.rows) == 9
    assert page.summary.text().startswith("22 call")  # from the rows, all here now
    # the settled row spans its purpose and "before you call" columns, as before
    assert page.table.columnSpan(0, 2) == 2
    assert page.table.columnSpan(1, 2) == 1
    assert page.model.data(page.model.index(0, 0)) == "done"
    assert page.model.data(page.model.index(1, 1), Qt.ItemDataRole.DisplayRole)
