"""The calendar's month summary and its day list read page by page give what the
calendar gave before they were rewritten for a million clients (the reference below is
that computation, kept here), on random data; and each query goes through its index."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.models import Client, Contact, PersonalDate, Relative, Task
from app.models.enums import DateKind, Outcome, TaskKind, TaskStatus
from app.services import calendar as cal
from app.services.calendar import DayItem, DaySummary, _call_key, _month_bounds
from app.services.schedule import yearly_occurrence

OPEN = (TaskStatus.OPEN, TaskStatus.SNOOZED)


def _live():
    return Client.deleted_at.is_(None)


def reference_month(session: Session, year: int, month: int) -> dict[date, DaySummary]:
    first, last = _month_bounds(year, month)
    out: dict[date, DaySummary] = defaultdict(DaySummary)
    calls: dict[date, set] = defaultdict(set)
    for day, client_id, kind, task_id in session.execute(
            select(Task.due_on, Task.client_id, Task.kind, Task.id)
            .outerjoin(Client, Client.id == Task.client_id)
            .where(Task.status.in_(OPEN), Task.due_on.between(first, last))
            .where((Client.id.is_(None)) | _live())):
        calls[day].add(_call_key(client_id, kind, task_id))
    for day, keys in calls.items():
        out[day].calls = len(keys)
    start = datetime.combine(first, datetime.min.time())
    end = datetime.combine(last + timedelta(days=1), datetime.min.time())
    for at, in session.execute(select(Contact.at).join(Client, Client.id == Contact.client_id)
                               .where(Contact.at >= start, Contact.at < end, _live())):
        out[at.date()].done += 1
    for at, in session.execute(select(Contact.meeting_at)
                               .join(Client, Client.id == Contact.client_id)
                               .where(Contact.meeting_at >= start, Contact.meeting_at < end,
                                      _live())):
        out[at.date()].meetings += 1
    for m, d in session.execute(select(PersonalDate.month, PersonalDate.day)
                                .join(Client, Client.id == PersonalDate.client_id)
                                .where(PersonalDate.month == month, _live())):
        on = yearly_occurrence(m, d, year)
        if on.month == month:
            out[on].dates += 1
    return dict(out)


def reference_day(session: Session, day: date) -> list[DayItem]:
    items: list[DayItem] = []
    groups: dict[tuple, list] = {}
    for task in session.execute(
            select(Task.id, Task.client_id, Task.kind, Task.note, Task.reason,
                   Client.name, Client.phone)
            .outerjoin(Client, Client.id == Task.client_id)
            .where(Task.status.in_(OPEN), Task.due_on == day)
            .where((Client.id.is_(None)) | _live()).order_by(Task.priority, Task.id)):
        groups.setdefault(_call_key(task.client_id, task.kind, task.id), []).append(task)
    for tasks in groups.values():
        task = tasks[0]
        notes = "; ".join(dict.fromkeys(t.note for t in tasks if t.note))
        items.append(DayItem("call", task.client_id, task.name or "", task.phone,
                             TaskKind(task.kind), task_id=task.id, label=notes,
                             kinds=tuple(TaskKind(t.kind) for t in tasks),
                             task_ids=tuple(t.id for t in tasks),
                             reasons=tuple(dict.fromkeys(t.reason for t in tasks
                                                         if t.reason))))
    start = datetime.combine(day, datetime.min.time())
    end = start + timedelta(days=1)
    for at, note, cid, name, phone in session.execute(
            select(Contact.meeting_at, Contact.note, Client.id, Client.name, Client.phone)
            .join(Client, Client.id == Contact.client_id)
            .where(Contact.meeting_at >= start, Contact.meeting_at < end, _live())
            .order_by(Contact.meeting_at, Contact.id)):
        items.append(DayItem("meeting", cid, name, phone, "meeting", at=at, label=note))
    for at, outcome, purpose, cid, name, phone in session.execute(
            select(Contact.at, Contact.outcome, Contact.purpose, Client.id, Client.name,
                   Client.phone)
            .join(Client, Client.id == Contact.client_id)
            .where(Contact.at >= start, Contact.at < end, _live())
            .order_by(Contact.at, Contact.id)):
        items.append(DayItem("done", cid, name, phone, str(outcome), at=at,
                             label=str(purpose)))
    rel = aliased(Relative)
    for d, client, rel_name in session.execute(
            select(PersonalDate, Client, rel.name)
            .join(Client, Client.id == PersonalDate.client_id)
            .outerjoin(rel, rel.id == PersonalDate.relative_id)
            .where(PersonalDate.month == day.month, _live())
            .order_by(PersonalDate.day, PersonalDate.id)):
        if yearly_occurrence(d.month, d.day, day.year) != day:
            continue
        age = day.year - d.year if d.year else None
        items.append(DayItem("date", client.id, client.name, client.phone, DateKind(d.kind),
                             person=rel_name or "", age=age, label=d.label))
    return items


def _random_data(db, seed: int) -> None:
    rng = random.Random(seed)
    with db.session() as s:
        clients = []
        for i in range(40):
            c = Client(name=f"Client {i}", sort_name=f"client {i}", search_text=f"client {i}",
                       phone=f"+4860100{i:04d}" if rng.random() < 0.8 else None,
                       deleted_at=datetime(2026, 10, 1) if rng.random() < 0.2 else None)
            s.add(c)
            clients.append(c)
        s.flush()
        relatives = []
        for c in clients[:15]:
            r = Relative(client_id=c.id, name=f"Rel of {c.name}")
            s.add(r)
            relatives.append(r)
        s.flush()
        days = [date(2028, 2, 1) + timedelta(days=i) for i in range(45)]  # Feb-Mar, leap
        for i in range(400):
            client = rng.choice(clients) if rng.random() < 0.9 else None
            kind = rng.choice(list(TaskKind))
            s.add(Task(client_id=client.id if client else None, kind=kind,
                       due_on=rng.choice(days[:10] if rng.random() < 0.5 else days),
                       priority=rng.choice((10, 20, 50, 50, 50)),
                       status=rng.choice([TaskStatus.OPEN] * 4 + list(TaskStatus)),
                       source_key=f"k{i}", note=rng.choice(("", "", "gift", "voucher")),
                       reason=rng.choice(("", "", "non_working_day", "contact_cap"))))
        for _i in range(300):
            client = rng.choice(clients)
            at = datetime.combine(rng.choice(days), datetime.min.time()) + timedelta(
                minutes=rng.randrange(0, 24 * 60))
            meeting = (at + timedelta(days=rng.randrange(0, 9), hours=rng.randrange(0, 5))
                       if rng.random() < 0.3 else None)
            s.add(Contact(client_id=client.id, at=at, outcome=rng.choice(list(Outcome)),
                          purpose=rng.choice(list(TaskKind)), meeting_at=meeting,
                          note=rng.choice(("", "bring the card"))))
        for _i in range(200):
            client = rng.choice(clients)
            rel = rng.choice(relatives) if rng.random() < 0.3 else None
            if rel is not None:
                client = next(c for c in clients if c.id == rel.client_id)
            month = rng.choice((2, 2, 3, 1))
            day = rng.choice((28, 29, 1, 15, 31 if month != 2 else 28))
            s.add(PersonalDate(client_id=client.id, relative_id=rel.id if rel else None,
                               kind=rng.choice(list(DateKind)), month=month, day=day,
                               year=rng.choice((None, 1980, 2001)),
                               label=rng.choice(("", "wedding"))))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_month_and_day_equal_the_computation_before_on_random_data(db, seed):
    _random_data(db, seed)
    with db.sessions() as s:
        for year, month in ((2028, 2), (2028, 3), (2029, 2), (2028, 1)):
            assert cal.month_summary(s, year, month) == reference_month(s, year, month)
        for day in [date(2028, 2, 1) + timedelta(days=i) for i in range(45)] + [
                date(2029, 2, 28), date(2029, 3, 1)]:
            want = reference_day(s, day)
            assert cal.day_items(s, day) == want
            for size in (1, 2, 7):  # page after page, from the cursor each left
                got, cursor = [], cal.DayCursor(day)
                while not cursor.done:
                    page, cursor = cal.day_page(s, cursor, size)
                    assert len(page) <= size
                    if not cursor.done and cursor.after and cal.SECTIONS[
                            cursor.section] in ("meeting", "done"):  # a time, not its text
                        assert type(cursor.after[0]) is datetime, cursor.after
                    got += page
                assert got == want
            summary = reference_month(s, day.year, day.month).get(day, DaySummary())
            counts = cal.day_counts(s, day)
            assert (counts.calls, counts.meetings, counts.done, counts.dates) == (
                summary.calls, summary.meetings, summary.done, summary.dates)
            assert counts.total == sum(1 for it in want)


def _plan(session: Session, sql: str, args=()) -> str:
    return " / ".join(r[3] for r in session.connection().exec_driver_sql(
        "EXPLAIN QUERY PLAN " + sql, args))


@pytest.mark.sqlite_only("the calendar's kept counts and their query plans are SQLite's; a server counts the rows")
def test_the_calendar_reads_through_its_indexes(db, monkeypatch):
    """Every query of the month summary and of a page of the day list, as the database
    plans it: the month's kept counts by their keys (migration 0015), the day's rows
    through an index (the calls' and meetings' from migration 0010's); the counts from
    the rows (the reference, and where the triggers are missing) through their indexes,
    the Trash's share from its clients; never a scan of a table."""
    seen: list[tuple[str, tuple]] = []
    with db.sessions() as s:
        conn = s.connection()
        real = type(conn).exec_driver_sql

        def spy(self, sql, args=(), *a, **k):
            if not sql.startswith("EXPLAIN"):
                seen.append((sql, args))
            return real(self, sql, args, *a, **k)

        monkeypatch.setattr(type(conn), "exec_driver_sql", spy)
        cal.month_summary(s, 2026, 11)
        cal.day_page(s, cal.DayCursor(date(2026, 11, 23)), 50)
        cal.counted_summary(s, date(2026, 11, 1), date(2026, 11, 30))
        monkeypatch.undo()
        plans = [_plan(s, sql, args) for sql, args in seen]
    # a scan of a subquery's few rows aside (and of the schema's, to know the triggers are
    # there), no scan: every table through an index
    assert seen and not [p for p in plans
                         if re.search(r"SCAN (?!\(subquery|sqlite_master)", p)], plans
    joined = " | ".join(plans)
    for index in ("SEARCH calendar_days USING PRIMARY KEY (day>? AND day<?)",
                  "SEARCH calendar_dates USING PRIMARY KEY (month=?)",
                  "INDEX ix_tasks_day",
                  "INDEX ix_contacts_meeting_at", "COVERING INDEX ix_contacts_at",
                  "COVERING INDEX ix_personal_dates_month_day",
                  "ix_tasks_client_status", "COVERING INDEX ix_personal_dates_client"):
        assert index in joined, (index, plans)


@pytest.mark.sqlite_only("the calendar's kept counts and their query plans are SQLite's; a server counts the rows")
def test_the_partial_and_dropped_indexes_serve_their_queries(db):
    """Migration 0010: a membership's sale line is found through the partial index, and
    no query needs the e-mail as stored (an import looks up lower(email)); migration
    0015 dropped two indexes of the tasks that no query needs any more."""
    with db.sessions() as s:
        assert "ix_purchases_membership_id" in _plan(
            s, "SELECT id FROM purchases WHERE membership_id = ?", (1,))
        assert "ix_clients_email_lower" in _plan(
            s, "SELECT id FROM clients WHERE lower(email) IN (?, ?)", ("a", "b"))
        names = {r[0] for r in s.connection().exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "ix_clients_email" not in names
    assert {"ix_tasks_day", "ix_contacts_meeting_at"} <= names
    # migration 0015: the month's calls are kept by triggers; no query reads a task by
    # its source's kind and id
    assert not {"ix_tasks_month", "ix_tasks_source"} & names
