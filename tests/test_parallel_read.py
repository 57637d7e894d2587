"""The Charts report read by two SQLite connections at once (app/services/parallel_read.py):
only where the second connection sees what the first does, every task once, results in
order, a failure raised; and a report split in two equals the report from the raw rows."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.orm import Session

from app.models import Client, Complaint, Contact, Purchase
from app.models.enums import ComplaintStatus, Outcome
from app.services import metrics, parallel_read
from app.services.clients import refresh_client_stats
from app.services.metrics import By

pytestmark = pytest.mark.sqlite_only("two readers of one SQLite file")

TODAY = date(2026, 5, 20)


def test_a_second_reader_only_on_a_file_with_nothing_unsaved(db, make_client):
    with db.session() as s:
        assert parallel_read.second_engine(s) is db.engine
        s.add(Client(name="New", sort_name="new"))
        assert parallel_read.second_engine(s) is None  # pending: the other cannot see it
        s.flush()
        assert parallel_read.second_engine(s) is None  # written, not committed
    with db.session() as s:
        assert s.get(Client, 1) is not None  # read: still nothing to hide from another
        assert parallel_read.second_engine(s) is db.engine
    memory = create_engine("sqlite://")
    with Session(memory) as s:
        assert parallel_read.second_engine(s) is None
    memory.dispose()


def test_the_tasks_are_shared_by_two_threads_and_come_back_in_order(db):
    both = threading.Barrier(2, timeout=10)  # passes only when two threads hold a task
    seen: list[str] = []

    def meet(n):
        def task(s):
            both.wait()
            seen.append(threading.current_thread().name)
            return n, s.connection().exec_driver_sql("SELECT 40 + 2").scalar()
        return task

    tasks = [meet(0), meet(1), *(lambda s, n=n: (n, 0) for n in range(2, 6))]
    with db.session() as s:
        assert parallel_read.run(s, tasks) == [(0, 42), (1, 42), (2, 0), (3, 0), (4, 0),
                                               (5, 0)]
        assert len(set(seen)) == 2
        assert [task(s) for task in tasks[2:]] == [(n, 0) for n in range(2, 6)]


def test_a_failure_in_the_helper_thread_is_raised_and_stops_the_rest(db):
    both = threading.Barrier(2, timeout=10)
    ran: list[int] = []

    def fail_in_helper(s):
        both.wait()
        if threading.current_thread() is not threading.main_thread():
            raise ValueError("the helper failed")
        return "main"

    def later(s):
        time.sleep(0.01)  # the helper's failure is seen before the main thread is done
        ran.append(1)
        return 1

    with db.session() as s, pytest.raises(ValueError, match="the helper failed"):
        parallel_read.run(s, [fail_in_helper, fail_in_helper, *[later] * 50])
    assert len(ran) < 50  # once a task failed, neither thread took another


def test_on_one_connection_the_tasks_run_in_the_callers_session(db):
    with db.session() as s:
        s.add(Client(name="Unsaved", sort_name="unsaved"))
        s.flush()
        count = "SELECT COUNT(*) FROM clients WHERE name = 'Unsaved'"
        got = parallel_read.run(s, [lambda x: x.connection().exec_driver_sql(count).scalar()
                                    for _ in range(3)])
        assert got == [1, 1, 1]  # each saw the unsaved row: one session, one thread


def _shop(s: Session) -> None:
    """Forty clients over a year: purchases, refunds, calls with and without a length,
    complaints; one with a 12-month value of -1 (its minutes per value: a division by zero)."""
    start = date(2025, 5, 1)
    for i in range(40):
        c = Client(name=f"Client {i:02d}", sort_name=f"client {i:02d}",
                   source_channel=("Google", "", None)[i % 3])
        s.add(c)
        s.flush()
        for k in range(i % 7):
            day = start + timedelta(days=37 * k + i)
            s.add(Purchase(client_id=c.id, purchased_on=day,
                           amount=Decimal(1000 + 37 * i * k).scaleb(-2)))
        for k in range(i % 5):
            at = datetime.combine(start + timedelta(days=41 * k + 2 * i), datetime.min.time())
            s.add(Contact(client_id=c.id, at=at + timedelta(hours=10), outcome=Outcome.REACHED,
                          duration_seconds=None if k == 3 else 30 + 17 * i + k))
        if i % 3 == 0:  # complaints closed and resolved before, after or on no day
            opened = datetime(2025, 6, 1, 9) + timedelta(days=9 * i, minutes=13 * i)
            status = list(ComplaintStatus)[i % 5]
            after = timedelta(hours=5 + 61 * (i % 4))
            s.add(Complaint(client_id=c.id, opened_at=opened, category=("price", "", "late")[i % 3],
                            status=status,
                            resolved_at=None if i % 4 == 1 else opened + after,
                            closed_at=None if i % 6 == 0 else opened + 2 * after))
    s.flush()
    refresh_client_stats(s, today=TODAY)
    s.execute(update(Client).where(Client.name == "Client 13").values(value_12m=Decimal(-1)))


@pytest.mark.parametrize("limit", [3, 50])
def test_a_report_read_in_two_halves_equals_the_report_from_the_rows(db, monkeypatch, limit):
    with db.session() as s:
        _shop(s)
    with db.session() as s:
        whole = metrics.report(s, date(2025, 6, 1), TODAY, By.MONTH, TODAY,
                               heavy_limit=limit, today=TODAY)  # too few to split
        threads: list[str] = []
        part = metrics._time_and_value_part

        def spied(*a, **k):
            threads.append(threading.current_thread().name)
            return part(*a, **k)

        monkeypatch.setattr(metrics, "_time_and_value_part", spied)
        monkeypatch.setattr(metrics, "_SPLIT_AT_LEAST", 0)
        for (start, end), by in [((date(2025, 6, 1), TODAY), By.MONTH),
                                 ((date(2025, 6, 17), date(2026, 2, 11)), By.QUARTER),
                                 ((date(2025, 6, 17), date(2025, 11, 9)), By.MONTH)]:
            want = metrics.report(s, start, end, by, TODAY, heavy_limit=limit, from_rows=True,
                                  today=TODAY)
            threads.clear()
            got = metrics.report(s, start, end, by, TODAY, heavy_limit=limit, today=TODAY)
            assert len(threads) == 2 and len(set(threads)) == 2  # a half in each reader
            assert want.complaints.opened > 3 and want.complaints.kept > 0
            assert want.complaints.median_resolution_hours is not None
            for name in want.__dataclass_fields__:
                assert getattr(got, name) == getattr(want, name), (name, start, end, by)
        split = metrics.report(s, date(2025, 6, 1), TODAY, By.MONTH, TODAY,
                               heavy_limit=limit, today=TODAY)
        timed = s.execute(text(
            "SELECT COUNT(DISTINCT client_id) FROM contacts WHERE at >= '2025-06-01' "
            "AND duration_seconds IS NOT NULL")).scalar()
    assert split == whole
    assert timed > 20 and len(whole.time_clients) == min(limit, timed)
    assert any(row.value_12m == Decimal(-1) for row in whole.time_clients) == (limit == 50)
