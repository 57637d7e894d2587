"""The first start of a day reads what changed, not the database: the A/B/C lines are
carried on from the last regrouping (exactly, in cents), the clients who fell at risk and
those who came due for keep-in-touch are found by index ranges, and the contact cap's
check stays the rule it was. The equality with the full computation over random worlds
and days is tests/test_start_of_day_equivalence.py; here, the parts one by one."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select, text

from app.db import open_database
from app.models import Client, Purchase
from app.services import clients as client_service
from app.services import schedule, segments
from app.services import settings as settings_service

TODAY = date(2026, 11, 23)


# --------------------------------------------------------------------------- the cap


def _cap_by_every_window(days: list[date], day: date, span: int, count: int) -> bool:
    """The rule as written: no window of ``span`` days holding ``day`` holds ``count``."""
    for k in range(span):
        start = day - timedelta(days=k)
        end = start + timedelta(days=span - 1)
        if sum(1 for d in days if start <= d <= end) >= count:
            return False
    return True


class _Rules:
    def __init__(self, span: int, count: int) -> None:
        self.cap_days, self.cap_count = span, count


@settings(max_examples=400, deadline=None)
@given(span=st.integers(1, 45), count=st.integers(1, 6),
       offsets=st.lists(st.integers(0, 90), max_size=10), at=st.integers(-20, 110))
def test_the_cap_check_is_the_rule_of_every_window(span, count, offsets, at):
    base = date(2026, 1, 1)
    book = schedule.CapBook(_Rules(span, count))
    days = [base + timedelta(days=o) for o in offsets]
    for d in days:
        book.add(7, d)
    day = base + timedelta(days=at)
    assert book.fits(7, day) == _cap_by_every_window(days, day, span, count)


# --------------------------------------------------------------------------- A/B/C


def _world(tmp_path, seed: int, n: int = 60):
    rnd = random.Random(seed)
    db = open_database(tmp_path / f"abc{seed}.sqlite")
    with db.session() as s:
        for i in range(1, n + 1):
            s.add(Client(id=i, name=f"C{i}", sort_name=f"c{i}"))
        s.flush()
        for i in range(1, n + 1):
            for _ in range(rnd.choice([0, 1, 3, 4, 6])):
                _buy(s, rnd, i, TODAY)
        s.flush()
        client_service.refresh_client_stats(s, today=TODAY)
    return db, rnd


def _buy(s, rnd: random.Random, cid: int, today: date) -> None:
    # equal amounts on purpose: ties on the value are ranked by id
    amount = Decimal(rnd.choice([0, 10, 10, 25, 33.33, 100, 400])).quantize(Decimal("0.01"))
    s.add(Purchase(client_id=cid, purchased_on=today - timedelta(days=rnd.randrange(-3, 380)),
                   amount=amount, item="x", is_credit=False))


def _groups(s) -> dict[int, str]:
    return dict(s.execute(select(Client.id, Client.segment)).all())


def test_carried_on_groups_equal_a_full_ranking_day_after_day(tmp_path):
    db, rnd = _world(tmp_path, 1)
    try:
        day = TODAY
        carried = 0
        for step in range(40):
            day += timedelta(days=rnd.choice([1, 1, 3, 20, 365, -2]))
            with db.session() as s:
                for _ in range(rnd.choice([0, 1, 3])):  # edits between the days
                    cid = rnd.randrange(1, 61)
                    roll = rnd.random()
                    if roll < 0.5:
                        _buy(s, rnd, cid, day)
                    elif roll < 0.7:
                        p = s.scalars(select(Purchase).where(Purchase.client_id == cid)).first()
                        if p is not None:
                            s.delete(p)
                    elif roll < 0.85:
                        client_service.soft_delete(s, [cid])
                    else:
                        client_service.restore(s, [cid])
                    s.flush()
                    client_service.refresh_client_stats(s, [cid], today=day)
                state = segments._load_state(s, segments._rules(s))
                client_service.refresh_values(s, day)  # the carried-on regrouping
                carried += state is not None
                carried_groups = _groups(s)
                line = segments._load_state(s, segments._rules(s))["lines"]
                # the full ranking of the same values changes nothing, and leaves the
                # same lines and total
                assert segments.assign_segments(s, day, full=True) == set(), (step, day)
                assert _groups(s) == carried_groups
                assert segments._load_state(s, segments._rules(s))["lines"] == line
        assert carried >= 30
    finally:
        db.close()


def test_an_exact_line_in_cents(tmp_path):
    """Values whose float sum is not the sum of their cents (0.1 + 0.2): the line is
    where the cents put it, on both ways."""
    db = open_database(tmp_path / "cents.sqlite")
    try:
        with db.session() as s:
            for i, amount in enumerate(["0.10", "0.20", "0.10", "0.60"], start=1):
                s.add(Client(id=i, name=f"C{i}", sort_name=f"c{i}"))
                s.flush()
                for k, paid in enumerate([amount, "0", "0"]):  # three days: A by frequency
                    s.add(Purchase(client_id=i, purchased_on=TODAY - timedelta(days=10 + k),
                                   amount=Decimal(paid), item="x"))
            s.flush()
            settings_service.put(s, "segment.a_revenue_share", 70)
            settings_service.put(s, "segment.b_revenue_share", 20)
            client_service.refresh_client_stats(s, today=TODAY)
            full = _groups(s)
            # 60 (before 0) A; 20 (before 60 < 70) A; 10 of id 1 (before 80) B;
            # 10 of id 3 (before 90: not under 90) C
            assert full == {4: "A", 2: "A", 1: "B", 3: "C"}
            client_service.refresh_values(s, TODAY + timedelta(days=1))
            assert _groups(s) == full
    finally:
        db.close()


def test_a_write_by_any_writer_is_noted_with_the_value_it_had(tmp_path):
    db, _rnd = _world(tmp_path, 2, n=5)
    path = tmp_path / "abc2.sqlite"
    try:
        with db.session() as s:
            before = dict(s.execute(text("SELECT id, value_12m FROM clients")).all())
        con = sqlite3.connect(path)
        con.execute("UPDATE clients SET value_12m = 999 WHERE id = 2")
        con.execute("UPDATE clients SET value_12m = 5 WHERE id = 2")  # the first is kept
        con.execute("INSERT INTO purchases (client_id, purchased_on, amount, item, is_credit) "
                    "VALUES (3, '2026-11-20', 0, 'x', 0)")
        con.commit()
        noted = dict(con.execute(f"SELECT client_id, value FROM {segments.ABC_WAS}"))
        con.close()
        assert noted == {2: float(before[2]), 3: float(before[3])}
    finally:
        db.close()


def test_a_full_refresh_forgets_the_lines_first(tmp_path):
    db, _rnd = _world(tmp_path, 3, n=5)
    try:
        with db.session() as s:
            client_service.refresh_client_stats(s, today=TODAY + timedelta(days=1))
            # every client was written, none noted: the full ranking made new lines
            assert s.scalar(text(f"SELECT count(*) FROM {segments.ABC_WAS}")) == 0
            assert segments._load_state(s, segments._rules(s))["day"] == TODAY + timedelta(1)
    finally:
        db.close()


# --------------------------------------------------------------------------- the plans


def test_the_day_after_reads_index_ranges(tmp_path, monkeypatch):
    """On a quiet day, win-back reads ranges of ix_clients_gap_last and keep-in-touch
    ranges of the contacts and of ix_clients_a_created: never every client."""
    db = open_database(tmp_path / "plan.sqlite")
    seen: list[str] = []
    try:
        with db.session() as s:
            for i in range(1, 30):
                s.add(Client(id=i, name=f"C{i}", sort_name=f"c{i}", created_at=datetime.combine(
                    TODAY - timedelta(days=i * 3), time(9))))
            s.flush()
            for i in range(1, 30):
                for k in range(i % 4 + 1):
                    s.add(Purchase(client_id=i, purchased_on=TODAY - timedelta(days=i * 9 + k * 5),
                                   amount=Decimal(10 * i), item="x"))
            s.flush()
            client_service.refresh_client_stats(s, today=TODAY)
            rules = schedule.ScheduleRules.from_settings(s)
            schedule._temp_tables(s)

            def note(conn, cursor, statement, parameters, context, executemany):
                seen.append((statement, parameters))

            engine = s.get_bind()
            event.listen(engine, "before_cursor_execute", note)
            try:
                schedule._fill_wants_sql(s, rules, TODAY + timedelta(days=1), None, TODAY, 0)
            finally:
                event.remove(engine, "before_cursor_execute", note)
            raw = s.connection().connection.driver_connection
            plans = [" | ".join(r[-1] for r in raw.execute("EXPLAIN QUERY PLAN " + q, p))
                     for needle in ("'win_back:client:'", "'keep_in_touch:client:'")
                     for q, p in seen if needle in q]
    finally:
        db.close()
    assert "SEARCH c USING INDEX ix_clients_gap_last (usual_gap_days=? AND " \
           "last_purchase_on>? AND last_purchase_on<?)" in plans[0], plans[0]
    assert "SCAN c" not in plans[0]
    assert "SEARCH c USING INTEGER PRIMARY KEY" in plans[1], plans[1]
    assert "ix_clients_a_created" in plans[1] and "ix_contacts_at" in plans[1], plans[1]
    assert "SCAN c" not in plans[1]
