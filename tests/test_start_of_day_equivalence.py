"""The start of day that scales with what changed gives exactly what the full computation
gives: two copies of one random database, day after day for about 60 simulated days with
random edits between the days (the same edits on both), one started with
``start_of_day(full=True)`` (every client's value, every want and every rule-made task in
Python, as before) and one with the incremental start; after every start, every task row
and every client's figures and group are compared.

The worlds hold what the rules read: purchases (credits, zero amounts, membership sales),
memberships (frozen, ended, renewed), personal dates of clients and relatives (29 February
among them, own gift days), complaints, calls with tones (today's too), the contact cap,
do-not-contact, consent, preferred weekdays, closed days and public holidays, group
overrides, the Trash, and changed settings (the value window among them)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.db import open_database
from app.errors import DomainError
from app.models import (
    Client,
    Complaint,
    Contact,
    Membership,
    PersonalDate,
    Purchase,
    Relative,
    Task,
)
from app.models.enums import (
    Direction,
    MembershipStatus,
    Outcome,
    Segment,
    TaskStatus,
    Tone,
)
from app.services import calls, schedule, segments, startup
from app.services import clients as client_service
from app.services import settings as settings_service
from tests.conftest import depth

START = date(2027, 12, 12)  # crosses the year's end and reaches 29 February 2028
CLIENTS = 24


def _a_month_day(rnd: random.Random, near: date) -> tuple[int, int]:
    roll = rnd.random()
    if roll < 0.15:
        return 2, 29
    if roll < 0.6:  # near the horizon, so dates come and go while the days pass
        d = near + timedelta(days=rnd.randrange(-5, 45))
        return d.month, d.day
    d = date(2001, 1, 1) + timedelta(days=rnd.randrange(365))
    return d.month, d.day


def _add_purchase(s, rnd: random.Random, cid: int, today: date) -> None:
    credit = rnd.random() < 0.1
    amount = Decimal(rnd.choice([0, 1500, 2500, 9999, 40000])) / 100
    # now and then paid ahead: it enters the window on its day
    ago = rnd.randrange(-6, 0) if rnd.random() < 0.15 else rnd.randrange(0, 400)
    s.add(Purchase(client_id=cid, purchased_on=today - timedelta(days=ago),
                   amount=-amount if credit else amount, item="x", is_credit=credit))


def _build(path, seed: int):
    rnd = random.Random(seed)
    db = open_database(path)
    today = START - timedelta(days=1)
    with db.session() as s:
        settings_service.put(s, "business.region", "PL")  # its public holidays
        if rnd.random() < 0.5:
            settings_service.put(s, "business.working_days", "12345")
        settings_service.put(s, "contact.cap_count", rnd.choice([1, 2, 3]))
        for i in range(1, CLIENTS + 1):
            c = Client(id=i, name=f"Client {i}", sort_name=f"client {i}",
                       do_not_contact=rnd.random() < 0.15,
                       marketing_consent=rnd.random() < 0.6,
                       contact_days=rnd.choice(["", "", "", "135", "67"]),
                       segment_override=rnd.choice([None] * 6 + [Segment.A, Segment.B]),
                       created_at=datetime.combine(today - timedelta(days=rnd.randrange(30, 200)),
                                                   time(9)))
            s.add(c)
            s.flush()
            for _ in range(rnd.choice([0, 1, 2, 3, 5, 8])):
                _add_purchase(s, rnd, i, today)
            for _ in range(rnd.choice([0, 0, 1, 2])):
                starts = today - timedelta(days=rnd.randrange(-10, 200))
                status = rnd.choice([MembershipStatus.ACTIVE, MembershipStatus.ACTIVE,
                                     MembershipStatus.FROZEN, MembershipStatus.EXPIRED])
                ff = fu = None
                if status == MembershipStatus.FROZEN or rnd.random() < 0.2:
                    ff = starts + timedelta(days=rnd.randrange(0, 20))
                    fu = ff + timedelta(days=rnd.randrange(0, 25))
                s.add(Membership(client_id=i, plan="Plan", starts_on=starts,
                                 ends_on=starts + timedelta(days=rnd.choice([30, 60, 90, 365])),
                                 status=status, frozen_from=ff, frozen_until=fu))
            for _ in range(rnd.choice([0, 1, 1, 2, 3])):
                rel = None
                if rnd.random() < 0.3:
                    r = Relative(client_id=i, name="Kid")
                    s.add(r)
                    s.flush()
                    rel = r.id
                m, d = _a_month_day(rnd, today)
                s.add(PersonalDate(client_id=i, relative_id=rel, month=m, day=d,
                                   gift_reminder_days=rnd.choice([None, None, 0, 5, 40])))
            for _ in range(rnd.choice([0, 1, 3])):
                _add_contact(s, rnd, i, today, rnd.randrange(1, 90))
            if rnd.random() < 0.2:
                resolved = rnd.choice([None, datetime.combine(
                    today - timedelta(days=rnd.randrange(0, 6)), time(12))])
                s.add(Complaint(client_id=i, opened_at=datetime.combine(
                    today - timedelta(days=8), time(10)), resolved_at=resolved))
        s.flush()
        client_service.refresh_client_stats(s, today=today)
    return db


def _add_contact(s, rnd: random.Random, cid: int, today: date, ago: int) -> None:
    s.add(Contact(client_id=cid, at=datetime.combine(today - timedelta(days=ago),
                                                     time(rnd.randrange(8, 18))),
                  direction=rnd.choice([Direction.OUTBOUND, Direction.OUTBOUND,
                                        Direction.INBOUND]),
                  outcome=Outcome.REACHED,
                  tone=rnd.choice([None, Tone.POSITIVE, Tone.NEUTRAL, Tone.NEGATIVE])))


def _edit(s, rnd: random.Random, today: date, full: bool) -> None:
    """A few random edits, as the app makes them (the services refresh what they touch)."""
    for _ in range(rnd.choice([0, 1, 2, 4])):
        cid = rnd.randrange(1, CLIENTS + 1)
        what = rnd.randrange(15)
        client = s.get(Client, cid)
        # the window stayed open past midnight: the edit's values are for tomorrow
        day = today + timedelta(days=rnd.choice([0, 0, 0, 1]))
        if what == 0:
            _add_purchase(s, rnd, cid, today)
            s.flush()
            client_service.refresh_client_stats(s, [cid], today=day)
        elif what == 1:
            p = s.scalars(select(Purchase).where(Purchase.client_id == cid)
                          .order_by(Purchase.id)).first()
            if p is not None:
                s.delete(p)
                s.flush()
                client_service.refresh_client_stats(s, [cid], today=day)
        elif what == 2:
            _add_contact(s, rnd, cid, today, rnd.choice([0, 0, 1, 5]))
        elif what == 3:
            client.do_not_contact = not client.do_not_contact
        elif what == 4:
            client.marketing_consent = not client.marketing_consent
        elif what == 5:
            m, d = _a_month_day(rnd, today)
            s.add(PersonalDate(client_id=cid, month=m, day=d,
                               gift_reminder_days=rnd.choice([None, 3, 60])))
        elif what == 6:
            pd = s.scalars(select(PersonalDate).where(PersonalDate.client_id == cid)).first()
            if pd is not None:
                s.delete(pd)
        elif what == 7:
            m = s.scalars(select(Membership).where(Membership.client_id == cid)).first()
            if m is not None:
                m.ends_on += timedelta(days=rnd.randrange(-20, 40))
                m.status = rnd.choice(list(MembershipStatus))
                m.starts_on = min(m.starts_on, m.ends_on)
        elif what == 8:
            k = s.scalars(select(Complaint).where(Complaint.client_id == cid)).first()
            if k is not None:
                if k.resolved_at is None:
                    k.resolved_at = datetime.combine(today, time(11))
                else:
                    k.closed_at = datetime.combine(today, time(16))
        elif what == 9:
            task = s.scalars(select(Task).where(
                Task.client_id == cid, Task.status.in_((TaskStatus.OPEN, TaskStatus.SNOOZED)))
                .order_by(Task.id)).first()
            if task is not None:
                how = rnd.randrange(4)
                try:
                    if how == 0:
                        calls.cancel(s, task.id, "not wanted")
                    elif how == 1:
                        calls.snooze(s, task.id, today=today)
                    elif how == 2:
                        calls.complete_task(s, task.id)
                    else:
                        calls.log_call(s, calls.CallLog(
                            client_id=cid, outcome=Outcome.REACHED, task_id=task.id,
                            tone=Tone.POSITIVE), now=datetime.combine(today, time(10)))
                except DomainError:
                    pass
        elif what == 10:
            if client.deleted_at is None:
                client_service.soft_delete(s, [cid])
            else:
                client_service.restore(s, [cid])
        elif what == 11:
            key, value = rnd.choice([
                ("contact.cap_count", rnd.choice([1, 2, 3])),
                ("business.working_days", rnd.choice(["1234567", "12345", "123456"])),
                ("value.window_days", rnd.choice([365, 180, 90])),
                ("segment.a_revenue_share", rnd.choice([50, 80])),
                ("rule.win_back.enabled", rnd.random() < 0.7),
                ("rule.personal_date.horizon_days", rnd.choice([14, 30])),
                ("rule.gift.before_days", rnd.choice([0, 3, 7]))])
            settings_service.put(s, key, value)
        elif what == 12:
            client.segment_override = rnd.choice([None, None, Segment.A, Segment.C])
            client.segment_override_reason = "drawn" if client.segment_override else ""
        elif what == 13:  # the card was saved: that client's schedule now
            s.flush()
            schedule.regenerate(s, today, client_ids=[cid], full=full)
        else:
            try:
                calls.add_manual_task(s, cid, today + timedelta(days=rnd.randrange(0, 9)),
                                      "call", today=today, allow_closed_day=True)
            except DomainError:
                pass
    s.flush()


def _tasks(s) -> list[tuple]:
    return [(t.id, t.client_id, t.kind, t.due_on, t.window_end, t.rule_due_on, t.priority,
             t.status, t.source_kind, t.source_id, t.source_key, t.rule, t.attempts,
             t.snoozed_until, t.reason, t.closed_at is None)
            for t in s.scalars(select(Task).order_by(Task.id))]


def _clients(s) -> list[tuple]:
    return [(c.id, c.first_purchase_on, c.last_purchase_on, c.purchase_count,
             c.usual_gap_days, c.value_12m, c.segment, c.next_due_on)
            for c in s.scalars(select(Client).order_by(Client.id))]


def _stats(r: startup.StartOfDay) -> tuple:
    """What a start reports; after a quiet day only what it looked at is counted as
    unchanged or suppressed, so those two are compared on the other starts."""
    st = r.schedule
    counts = (st.unchanged, st.suppressed) if r.quiet_since is None else ()
    return (r.values_moved, st.created, st.moved, st.cancelled, *counts)


@pytest.mark.parametrize("seed", range(5))
def test_the_incremental_start_of_day_equals_the_full_one(tmp_path, seed, monkeypatch):
    _compare_days(tmp_path, seed, monkeypatch, [0, 1, 1, 1, 1, 2, 3], depth(36, 120))


@pytest.mark.parametrize("seed", range(5, 9))
def test_it_stays_equal_over_a_year_and_backwards(tmp_path, seed, monkeypatch):
    """Days advanced by one, several, a whole year (every purchase leaves or enters the
    12-month window, the A/B/C lines move far), and backwards (the clock set back)."""
    _compare_days(tmp_path, seed, monkeypatch, [1, 1, 4, 30, 365, -1, -3, 0],
                  depth(20, 60))


def _compare_days(tmp_path, seed: int, monkeypatch, advances: list[int], days: int) -> None:
    # the edits' regenerations of a few clients take the SQL pass too (the app reads a
    # few clients' rows directly), so both ways of a scoped regeneration are compared
    monkeypatch.setattr(schedule, "DIRECT_SCOPE", 0)
    regroupings = {"incremental": 0}
    carry_on = segments._incremental_regroup

    def counted(*args):
        moved = carry_on(*args)
        regroupings["incremental"] += moved is not None
        return moved

    monkeypatch.setattr(segments, "_incremental_regroup", counted)
    old = _build(tmp_path / "old.sqlite", seed)
    new = _build(tmp_path / "new.sqlite", seed)
    try:
        # yesterday's start, as the file was left
        for db, full in ((old, True), (new, True)):
            with db.session() as s:
                startup.start_of_day(s, START - timedelta(days=1), full=full)
        steps = random.Random(seed * 7919)
        today = START
        made = 0
        quiet: list[int] = []
        for step in range(days):
            with old.session() as s:
                a = startup.start_of_day(s, today, full=True)
            with new.session() as s:
                b = startup.start_of_day(s, today)
            if b.quiet_since is not None:
                quiet.append((today - b.quiet_since).days)
                a = startup.StartOfDay(a.values_moved, a.schedule, quiet_since=b.quiet_since,
                                       regrouped=a.regrouped)
            assert _stats(a) == _stats(b), (seed, step, today)
            assert a.regrouped == b.regrouped, (seed, step, today)  # the moves reported
            results = [_stats(a)]
            with old.sessions() as a, new.sessions() as b:
                assert _tasks(a) == _tasks(b), (seed, step, today)
                assert _clients(a) == _clients(b), (seed, step, today)
            made += results[0][1]
            for db, full in ((old, True), (new, False)):
                with db.session() as s:
                    _edit(s, random.Random(seed * 100_003 + step), today, full)
            with old.sessions() as a, new.sessions() as b:
                assert _tasks(a) == _tasks(b), ("after the edits", seed, step, today)
            today += timedelta(days=steps.choice(advances))
        assert made > 0  # the days did make tasks to compare
        assert quiet  # and some starts followed a day with nothing written
        assert regroupings["incremental"] > 0  # and the groups were carried on
    finally:
        old.close()
        new.close()
