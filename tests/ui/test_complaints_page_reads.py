"""The Complaints page reads off the GUI thread, in a fixed number of queries however
many complaints there are (at 100,000 clients a per-row read or a widget per cell froze
the window for seconds)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from app.services import complaints as complaint_service
from app.ui.complaints_page import ComplaintsPage, ComplaintsTab

T0 = datetime(2026, 11, 23, 10, 0)


def _complaints(db, cid: int, n: int) -> None:
    with db.session() as s:
        for i in range(n):
            k = complaint_service.open_complaint(s, cid, f"Complaint {i}",
                                                 now=T0 - timedelta(hours=i + 1),
                                                 category=f"Category {i % 7}")
            complaint_service.review(s, k, {"review_main_complaint": f"Wrong {i}"},
                                     f"Lesson {i}", T0)


def _page_reads(qtbot, ops, db) -> tuple[int, set[str], ComplaintsPage]:
    """Build and show the page; the statements it ran and the threads they ran on."""
    seen: list[str] = []

    def listen(*_args) -> None:
        seen.append(threading.current_thread().name)

    event.listen(db.engine, "after_cursor_execute", listen)
    try:
        page = ComplaintsPage(ops, clock=lambda: T0)
        qtbot.addWidget(page)
        page.show()
        qtbot.waitExposed(page)
        qtbot.waitUntil(lambda: not page.loading and page.lessons_model.rowCount() > 0)
    finally:
        event.remove(db.engine, "after_cursor_execute", listen)
    return len(seen), set(seen), page


@pytest.mark.parametrize("n", [5, 50])
def test_the_page_reads_off_the_gui_thread_in_queries_that_do_not_grow(
        qtbot, ops, db, make_client, n):
    cid = make_client("Anna")
    _complaints(db, cid, 5)
    few, threads, page = _page_reads(qtbot, ops, db)
    assert page.model.rowCount() == 5 and page.lessons_model.rowCount() == 5
    assert threading.main_thread().name not in threads  # every read on the executor
    page.close()

    _complaints(db, cid, n - 5)
    many, threads, page = _page_reads(qtbot, ops, db)
    assert page.model.rowCount() == n and page.lessons_model.rowCount() == n
    assert threading.main_thread().name not in threads
    assert many == few  # no query per complaint or per lesson
    page.tabs.setCurrentIndex(ComplaintsTab.LESSONS)
    assert page.lessons_model.data(page.lessons_model.index(0, 5)) == "Lesson 0"
