"""Today's queue read a page at a time gives exactly the rows of the whole queue, in its
order (logged rows kept in place by the day they were due, the Trash left out, to-dos
apart), and the summary's counts are the whole queue's; on random data."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from app.models import Client, Complaint, Task
from app.models.enums import ComplaintStatus, Outcome, TaskKind, TaskStatus
from app.services import calls

TODAY = date(2026, 11, 23)


def _random_queue(db, seed: int) -> None:
    rng = random.Random(seed)
    with db.session() as s:
        clients = []
        for i in range(60):
            name = rng.choice(("Anna", "Bartek", "Ola", "Żaneta", "anna", "Zbigniew"))
            c = Client(name=f"{name} {i}", sort_name=f"{name.lower()} {i % 7}",
                       search_text=name.lower(), phone=f"+4860100{i:04d}",
                       segment=rng.choice(("A", "B", "C", None)),
                       purchase_count=rng.choice((0, 1, 5)),
                       deleted_at=datetime(2026, 10, 1) if rng.random() < 0.1 else None)
            s.add(c)
            clients.append(c)
        s.flush()
        for c in rng.sample(clients, 6):
            s.add(Complaint(client_id=c.id, status=ComplaintStatus.OPEN,
                            opened_at=datetime(2026, 11, 1), client_words="late"))
        kinds = list(TaskKind)
        for i in range(350):
            client = rng.choice(clients) if rng.random() < 0.95 else None
            kind = rng.choice(kinds)
            s.add(Task(client_id=client.id if client else None, kind=kind,
                       due_on=TODAY - timedelta(days=rng.choice((0, 0, 0, 1, 3, 20, -1))),
                       window_end=TODAY + timedelta(days=rng.randrange(0, 20))
                       if kind == TaskKind.RENEWAL else None,
                       priority=rng.choice((10, 20, 50, 50)),
                       status=rng.choice([TaskStatus.OPEN] * 5 + list(TaskStatus)),
                       source_key=f"k{i}", attempts=rng.choice((0, 0, 1)),
                       note=rng.choice(("", "", "voucher"))))
    # some calls logged today: rows that stay in place, settled or not
    with db.session() as s:
        rows = [r for r in calls.today_queue(s, TODAY)
                if not r.internal and r.client_id is not None]
        for r in rng.sample(rows, min(12, len(rows))):
            outcome = rng.choice((Outcome.NO_ANSWER, Outcome.REACHED, Outcome.LEFT_MESSAGE))
            ids = r.task_ids if rng.random() < 0.7 else r.task_ids[:1]
            calls.log_call(s, calls.CallLog(client_id=r.client_id, task_id=ids[0],
                                            task_ids=ids, outcome=outcome),
                           now=datetime.combine(TODAY, datetime.min.time())
                           + timedelta(hours=9, minutes=rng.randrange(0, 300)))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_pages_of_the_queue_are_the_whole_queue(db, seed):
    _random_queue(db, seed)
    with db.sessions() as s:
        whole = calls.today_queue(s, TODAY)
        want_calls = [r for r in whole if not r.internal]
        want_todos = [r for r in whole if r.internal]
        assert want_calls and any(r.settled for r in want_calls)
        for size in (1, 4, 25, 1000):
            got, cursor = [], calls.QueueCursor(TODAY)
            while not cursor.done:
                page, cursor = calls.today_calls_page(s, cursor, size)
                assert len(page) <= size
                got += page
            assert got == want_calls, size
        assert calls.today_todos(s, TODAY) == want_todos
        for size in (3, 1000):  # what Today shows first: a page of calls, one of to-dos
            first, cursor, todo_cursor = calls.today_first_page(s, TODAY, size)
            assert first == want_calls[:size] + want_todos[:size]
            assert cursor.done == (size >= len(want_calls))
            assert todo_cursor.done == (size >= len(want_todos))
        for size in (1, 2, 1000):
            got, cursor = [], calls.QueueCursor(TODAY)
            while not cursor.done:
                page, cursor = calls.today_todos_page(s, cursor, size)
                assert len(page) <= size
                got += page
            assert got == want_todos, size
        counts = calls.today_counts(s, TODAY)
    open_rows = [r for r in want_calls if not r.settled]
    assert counts == calls.QueueCounts(
        to_make=len(open_rows), overdue=sum(1 for r in open_rows if r.overdue_days > 0),
        logged=len(want_calls) - len(open_rows), todos=len(want_todos))
    # each row knows its place: the rows are in the order of their keys
    assert [r.order for r in want_calls] == sorted(r.order for r in want_calls)


def test_a_small_batch_still_finds_every_client(db, monkeypatch):
    """A client's many tasks read batch after batch are one row, listed once."""
    monkeypatch.setattr(calls, "_QUEUE_BATCH", 3)
    _random_queue(db, 7)
    with db.sessions() as s:
        want = [r for r in calls.today_queue(s, TODAY) if not r.internal]
        got, cursor = [], calls.QueueCursor(TODAY)
        while not cursor.done:
            page, cursor = calls.today_calls_page(s, cursor, 5)
            got += page
    assert got == want
