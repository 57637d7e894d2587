"""The calendar's kept counts (app/services/calendar_store.py) against the rows.

After every kind of write the app makes (a card saved with its dates, the schedule made
again, the start of a day, a call logged with a meeting, undone, corrected, tasks moved,
snoozed, done, an import, the Trash and back, an erasure) and after random sequences of
raw writes (ORM and Core, plain SQL updates of every column the counts read, clients
deleted with their rows by cascade): every count the triggers kept equals the count
computed again from the rows (``rebuild``), and the month summary and each day's total
read from them equal the counts of the rows as the calendar made them before
(``calendar.counted_summary``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select, text, update

from app.models import Client, Contact, PersonalDate, Task
from app.models.enums import DateKind, Outcome, TaskKind, TaskStatus
from app.services import calendar as cal
from app.services import calendar_store, calls, erasure, schedule, startup
from app.services import clients as client_service
from app.services.calendar import DaySummary, _month_bounds
from app.services.calls import CallLog
from app.services.card import save_card
from app.services.imports import import_plan
from app.services.io.importer import guess_mapping, plan_import, read_table
from tests.conftest import depth, fresh_sqlite

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 30)


def _months(session) -> set[tuple[int, int]]:
    """Every month with a row the calendar counts, and the months around today."""
    found = {(TODAY.year, TODAY.month), (2026, 12), (2027, 1), (2027, 2), (2028, 2)}
    for (ym,) in session.execute(text(
            "SELECT substr(due_on, 1, 7) FROM tasks UNION SELECT substr(at, 1, 7) FROM "
            "contacts UNION SELECT substr(meeting_at, 1, 7) FROM contacts "
            "WHERE meeting_at IS NOT NULL")):
        found.add((int(ym[:4]), int(ym[5:7])))
    return found


def check(session) -> None:
    """Kept = rebuilt from the rows, and the calendar's figures = counted from the rows."""
    session.flush()
    conn = session.connection()
    assert calendar_store.installed(conn)
    kept = calendar_store.snapshot(conn)
    nested = session.begin_nested()
    calendar_store.rebuild(conn)
    assert calendar_store.snapshot(conn) == kept
    nested.rollback()
    for year, month in sorted(_months(session)):
        first, last = _month_bounds(year, month)
        want = cal.counted_summary(session, first, last)
        assert cal.month_summary(session, year, month) == want, (year, month)
        for day in {first, last, TODAY, *want}:
            if first <= day <= last:
                got = cal.day_counts(session, day)
                one = want.get(day, DaySummary())
                assert (got.calls, got.meetings, got.done, got.dates) == (
                    one.calls, one.meetings, one.done, one.dates), day


def test_the_kinds_done_by_doing_them_are_the_engines():
    assert set(calendar_store.INTERNAL) == {k.value for k in schedule.INTERNAL_KINDS}


def _card(name: str, *dates: tuple[int, int], buy: date | None = None
          ) -> client_service.ClientData:
    data = client_service.ClientData(name=name, phone="601 234 5" + f"{len(name):02d}")
    data.dates = [client_service.PersonalDateData(kind=DateKind.BIRTHDAY, month=m, day=d)
                  for m, d in dates]
    if buy is not None:
        data.purchases = [client_service.PurchaseData(purchased_on=buy,
                                                      amount=Decimal("120.00"))]
    return data


@pytest.mark.sqlite_only("the calendar's kept counts and their query plans are SQLite's; a server counts the rows")
def test_every_kind_of_write_keeps_the_counts(db, tmp_path: Path):
    with db.session() as s:  # cards saved: clients, dates, purchases, their tasks
        anna = save_card(s, _card("Anna", (11, 25), (12, 3), buy=TODAY - timedelta(days=2)),
                         "PL", TODAY)
        bob = save_card(s, _card("Bob", (2, 29), (12, 1), buy=TODAY - timedelta(days=1)),
                        "PL", TODAY)
        cleo = save_card(s, _card("Cleo", (11, 30), buy=TODAY - timedelta(days=3)),
                         "PL", TODAY)
        check(s)
    with db.session() as s:  # the whole schedule made again, then the starts of days
        schedule.regenerate(s, TODAY)
        check(s)
        startup.start_of_day(s, TODAY)
        check(s)
    with db.session() as s:
        startup.start_of_day(s, TODAY + timedelta(days=1))
        check(s)
    with db.session() as s:  # a call logged with a meeting booked, then undone
        task = s.scalars(select(Task).where(
            Task.client_id == anna, Task.status == TaskStatus.OPEN,
            Task.kind.not_in(list(schedule.INTERNAL_KINDS))).order_by(Task.id)).first()
        res = calls.log_call(s, CallLog(client_id=anna, task_id=task.id,
                                        outcome=Outcome.MEETING_BOOKED,
                                        meeting_at=datetime(2026, 11, 27, 9)), now=NOW)
        check(s)
        calls.undo_call(s, res.contact_id)
        check(s)
        res = calls.log_call(s, CallLog(client_id=bob, outcome=Outcome.NO_ANSWER), now=NOW)
        check(s)
    with db.session() as s:  # a task moved, snoozed, done, cancelled; a manual one
        tasks = s.scalars(select(Task.id).where(Task.status == TaskStatus.OPEN)
                          .order_by(Task.id)).all()
        calls.reschedule(s, tasks[0], TODAY + timedelta(days=4), "later", today=TODAY)
        calls.snooze(s, tasks[1], TODAY + timedelta(days=2), today=TODAY)
        gift = s.scalars(select(Task.id).where(Task.status == TaskStatus.OPEN,
                                               Task.kind == TaskKind.GIFT)).first()
        calls.complete_task(s, gift, now=NOW)  # a to-do ticked off
        calls.cancel(s, tasks[3], "not needed")
        calls.add_manual_task(s, cleo, TODAY + timedelta(days=4), "ring", today=TODAY)
        check(s)
    with db.session() as s:  # a card edited: a date moved, one removed, one added
        data = client_service.load_client(s, anna)
        data.dates[0].month, data.dates[0].day = 11, 28
        data.dates = data.dates[:1] + [client_service.PersonalDateData(
            kind=DateKind.NAME_DAY, month=12, day=6)]
        save_card(s, data, "PL", TODAY)
        check(s)
    csv = tmp_path / "people.csv"  # an import with birthdays
    csv.write_text("name,phone,birthday\nDora Nowak,602111222,1990-11-26\n"
                   "Emil Lis,602111333,1985-12-02\n", encoding="utf-8")
    table = read_table(csv)
    mapping = guess_mapping(table.headers, "clients")
    with db.session() as s:
        plan = plan_import(s, table, mapping, "clients", "PL")
        import_plan(s, db.path, table, "clients", mapping, plan, "PL", today=TODAY,
                    backup=False)
        check(s)
    with db.session() as s:
        client_service.soft_delete(s, [bob])  # the Trash and back
        check(s)
        client_service.restore(s, [bob])
        check(s)
        client_service.soft_delete(s, [cleo])
        check(s)
        erasure.erase_client(s, anna, NOW)  # erased, and one erased from the Trash
        check(s)
        erasure.erase_client(s, cleo, NOW)
        check(s)


# --------------------------------------------------------------------------- random writes

DAY0 = date(2028, 2, 20)  # February to March of a leap year, and the 29th
days = st.integers(0, 14).map(lambda n: DAY0 + timedelta(days=n))
#: few days and clients for the tasks, so a client often has several tasks of one day
task_days = st.integers(0, 3).map(lambda n: DAY0 + timedelta(days=2 * n))
idx = st.integers(0, 1000)
who = st.one_of(idx, idx, idx, st.none())  # a task of no client now and then
kinds = st.sampled_from(list(TaskKind))
statuses = st.sampled_from([TaskStatus.OPEN, TaskStatus.OPEN, TaskStatus.SNOOZED,
                            TaskStatus.DONE, TaskStatus.CANCELLED, TaskStatus.MISSED])
month_days = st.sampled_from([(2, 28), (2, 29), (3, 1), (3, 2), (2, 20), (2, 30), (12, 31)])

task = st.tuples(st.just("task"), who, kinds, task_days, statuses)
retask = st.tuples(st.just("retask"), idx, st.sampled_from(["status", "due_on", "client_id",
                                                            "kind", "priority"]),
                   statuses, task_days, who, kinds)
ops = st.one_of(
    st.tuples(st.just("client"), st.booleans()),
    task, task, task,
    st.tuples(st.just("tasks"), st.lists(st.tuples(who, kinds, task_days, statuses),
                                         min_size=1, max_size=5)),
    retask, retask, retask, retask,
    st.tuples(st.just("untask"), idx),
    st.tuples(st.just("call"), idx, days, st.one_of(st.none(), days)),
    st.tuples(st.just("recall"), idx, days, st.one_of(st.none(), days), idx),
    st.tuples(st.just("uncall"), idx),
    st.tuples(st.just("date"), idx, month_days),
    st.tuples(st.just("redate"), idx, month_days, idx),
    st.tuples(st.just("undate"), idx),
    st.tuples(st.just("trash"), idx),
    st.tuples(st.just("untrash"), idx),
    st.tuples(st.just("drop"), idx),
    st.tuples(st.just("regenerate"),),
)


def _pick(session, model, i):
    if i is None:
        return None
    ids = session.scalars(select(model.id).order_by(model.id)).all()
    return ids[i % len(ids)] if ids else None


def _pick_open(session, i):
    ids = session.scalars(select(Task.id).where(
        Task.status.in_([TaskStatus.OPEN, TaskStatus.SNOOZED])).order_by(Task.id)).all()
    return ids[i % len(ids)] if ids else None


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour, minutes=5)


def _apply(session, op, n: int) -> None:
    kind, *a = op
    if kind == "client":
        session.add(Client(name=f"C{n}", sort_name=f"c{n}",
                           deleted_at=NOW if a[0] else None))
    elif kind == "task":
        cid, tk, day, status = a
        session.add(Task(client_id=_pick(session, Client, cid), kind=tk, due_on=day,
                         status=status, source_key=f"t{n}"))
    elif kind == "tasks":  # a Core batch, as the engine writes new tasks
        rows = [{"client_id": _pick(session, Client, cid), "kind": tk.value, "due_on": day,
                 "status": status.value, "source_key": f"b{n}:{i}", "priority": 50,
                 "attempts": 0, "reason": "", "note": ""}
                for i, (cid, tk, day, status) in enumerate(a[0])]
        session.execute(insert(Task.__table__), rows)
    elif kind == "retask":  # mostly an open task: the changes that keep or move a call
        tid = _pick(session, Task, a[0]) if a[0] % 3 == 0 else _pick_open(session, a[0])
        column, status, day, cid, tk = a[1:]
        if tid:
            value = {"status": status.value, "due_on": day, "kind": tk.value,
                     "client_id": _pick(session, Client, cid), "priority": 10}[column]
            session.execute(update(Task).where(Task.id == tid).values({column: value}))
    elif kind == "untask":
        tid = _pick(session, Task, a[0])
        if tid:
            session.execute(delete(Task).where(Task.id == tid))
    elif kind == "call":
        cid = _pick(session, Client, a[0])
        if cid:
            session.add(Contact(client_id=cid, at=_at(a[1]), outcome=Outcome.REACHED,
                                meeting_at=_at(a[2], 14) if a[2] else None))
    elif kind == "recall":
        k = _pick(session, Contact, a[0])
        if k:
            session.execute(update(Contact).where(Contact.id == k).values(
                at=_at(a[1], 11), meeting_at=_at(a[2]) if a[2] else None,
                client_id=_pick(session, Client, a[3])))
    elif kind == "uncall":
        k = _pick(session, Contact, a[0])
        if k:
            session.delete(session.get(Contact, k))
    elif kind == "date":
        cid = _pick(session, Client, a[0])
        if cid:
            m, d = a[1]
            session.add(PersonalDate(client_id=cid, kind=DateKind.BIRTHDAY, month=m, day=d))
    elif kind == "redate":
        p = _pick(session, PersonalDate, a[0])
        if p:
            m, d = a[1]
            session.execute(update(PersonalDate).where(PersonalDate.id == p).values(
                month=m, day=d, client_id=_pick(session, Client, a[2])))
    elif kind == "undate":
        p = _pick(session, PersonalDate, a[0])
        if p:
            session.execute(delete(PersonalDate).where(PersonalDate.id == p))
    elif kind in ("trash", "untrash"):
        cid = _pick(session, Client, a[0])
        if cid:
            session.execute(update(Client).where(Client.id == cid).values(
                deleted_at=NOW if kind == "trash" else None))
    elif kind == "drop":  # deleted with its rows, by the foreign keys' cascade
        cid = _pick(session, Client, a[0])
        if cid:
            session.execute(delete(Client).where(Client.id == cid))
    elif kind == "regenerate":
        schedule.regenerate(session, DAY0)
    session.flush()
    session.expire_all()


@settings(max_examples=depth(40, 200), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(st.lists(ops, min_size=1, max_size=40))
def test_random_writes_keep_the_counts_exact(tmp_path_factory, sqlite_template, writes):
    db = fresh_sqlite(sqlite_template, tmp_path_factory.mktemp("cal"))
    try:
        with db.session() as s:
            for i in range(3):
                s.add(Client(name=f"Seed {i}", sort_name=f"seed {i}"))
            s.flush()
            for n, op in enumerate(writes):
                _apply(s, op, n)
                if n % 4 == 3:
                    check(s)
            check(s)
    finally:
        db.close()


@pytest.mark.sqlite_only("the calendar's kept counts and their query plans are SQLite's; a server counts the rows")
def test_a_new_database_and_the_migration_fill_the_same_counts(db, make_client):
    cid = make_client("Anna", purchases=[(TODAY - timedelta(days=2), "50")])
    with db.session() as s:
        s.add(PersonalDate(client_id=cid, kind=DateKind.BIRTHDAY, month=11, day=30))
        s.add(Contact(client_id=cid, at=NOW, outcome=Outcome.MEETING_BOOKED,
                      meeting_at=datetime(2026, 11, 28, 9)))
        schedule.regenerate(s, TODAY)
    with db.engine.begin() as conn:
        kept = calendar_store.snapshot(conn)
        assert kept["calendar_days"] and kept["calendar_dates"]
        calendar_store.drop(conn)
        assert not calendar_store.installed(conn)
        calendar_store.install(conn)
        assert calendar_store.installed(conn)
        assert calendar_store.snapshot(conn) == kept


@pytest.mark.sqlite_only("the calendar's kept counts and their query plans are SQLite's; a server counts the rows")
def test_without_its_triggers_the_calendar_counts_the_rows(db, make_client):
    """A table rebuilt by a later migration loses its triggers: the counts kept would
    go stale, so the calendar counts the rows instead."""
    cid = make_client("Anna")
    with db.session() as s:
        s.add(PersonalDate(client_id=cid, kind=DateKind.BIRTHDAY, month=11, day=30))
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER calendar_date_insert")
    with db.session() as s:
        s.add(PersonalDate(client_id=cid, kind=DateKind.NAME_DAY, month=11, day=30))
        s.flush()
        got = cal.month_summary(s, 2026, 11)
        assert got[date(2026, 11, 30)].dates == 2
        assert got == cal.counted_summary(s, date(2026, 11, 1), date(2026, 11, 30))
