"""The scheduling engine (app/services/schedule.py): worked examples of every rule of
DOMAIN.md "Contacts the product schedules" and "Contact rules", and hypothesis
properties (idempotence, do-not-contact, the contact cap, yearly dates)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.models import Client, Complaint, Contact, Task
from app.models.enums import (
    Direction,
    MembershipStatus,
    Outcome,
    Segment,
    TaskKind,
    TaskStatus,
    Tone,
)
from app.services import clients as client_service
from app.services import schedule
from app.services.schedule import ScheduleRules
from tests.conftest import depth, fresh_sqlite

TODAY = date(2026, 11, 23)  # a Monday (and the day these tests were written)
OPEN = (TaskStatus.OPEN, TaskStatus.SNOOZED)
#: only the rules a test looks at; the others are switched off where they would add noise
RULES = ScheduleRules(quarterly_review=False, keep_in_touch=False, win_back=False)


def d(days: int) -> date:
    """TODAY shifted by ``days``."""
    return TODAY + timedelta(days=days)


# --------------------------------------------------------------------------- helpers


def new_client(s, name="Anna Kowalska", *, purchases=(), memberships=(), dates=(),
               relatives=(), today=TODAY, **fields) -> int:
    data = client_service.ClientData(name=name, **fields)
    data.purchases = [p if isinstance(p, client_service.PurchaseData)
                      else client_service.PurchaseData(purchased_on=p[0], amount=Decimal(p[1]))
                      for p in purchases]
    data.memberships = list(memberships)
    data.relatives = list(relatives)
    data.dates = list(dates)
    return client_service.save_client(s, data, region="PL", today=today)


def consenting(**fields) -> dict:
    return dict(marketing_consent=True, marketing_consent_on=date(2025, 1, 1), **fields)


def tasks(s, client_id=None, kind=None, *, status=None) -> list[Task]:
    stmt = select(Task).order_by(Task.id)
    if client_id is not None:
        stmt = stmt.where(Task.client_id == client_id)
    if kind is not None:
        stmt = stmt.where(Task.kind == kind)
    if status is not None:
        stmt = stmt.where(Task.status.in_(status if isinstance(status, tuple) else (status,)))
    return list(s.scalars(stmt))


def one(s, client_id=None, kind=None) -> Task:
    found = tasks(s, client_id, kind)
    assert len(found) == 1, [(t.kind, t.source_key, t.due_on) for t in found]
    return found[0]


def snapshot(s) -> dict:
    return {t.source_key: (t.id, t.kind, t.client_id, t.due_on, t.rule_due_on, t.window_end,
                           t.status, t.reason)
            for t in tasks(s)}


def purchase_ids(s, cid) -> list[int]:
    return [p.id for p in sorted(s.get(Client, cid).purchases,
                                 key=lambda p: (p.purchased_on, p.id))]


def edit(s, cid, change, today=TODAY) -> None:
    data = client_service.load_client(s, cid)
    change(data)
    client_service.save_client(s, data, region="PL", today=today)


def contact(s, cid, at: datetime, *, direction=Direction.OUTBOUND, purpose=TaskKind.MANUAL):
    s.add(Contact(client_id=cid, at=at, direction=direction, purpose=purpose,
                  outcome=Outcome.REACHED))
    s.flush()


def complaint(s, cid, resolved: datetime | None, opened: datetime | None = None) -> int:
    c = Complaint(client_id=cid, opened_at=opened or (resolved or datetime(2026, 11, 1))
                  - timedelta(days=3), resolved_at=resolved)
    s.add(c)
    s.flush()
    return c.id


def at(days: int, hour: int = 10) -> datetime:
    return datetime.combine(d(days), datetime.min.time()).replace(hour=hour)


# --------------------------------------------------------------------------- 1. follow-up


def test_new_clients_purchase_gets_one_follow_up(db):
    day = d(-2)
    with db.session() as s:
        cid = new_client(s, purchases=[(day, "80.00")])
        pid = purchase_ids(s, cid)[0]
        stats = schedule.regenerate(s, TODAY, rules=RULES)
        t = one(s, cid)
        assert stats.created == 1
        assert t.kind == TaskKind.FOLLOW_UP and t.status == TaskStatus.OPEN
        assert t.due_on == t.rule_due_on == day + timedelta(days=3)
        assert t.window_end == day + timedelta(days=7)
        assert t.rule == "rule.follow_up"
        assert t.source_key == f"follow_up:purchase:{pid}"
        assert (t.source_kind, t.source_id) == ("purchase", pid)
        assert t.priority == schedule.BASE_PRIORITY[TaskKind.FOLLOW_UP]
        assert t.reason == ""
        assert s.get(Client, cid).next_due_on == t.due_on


def test_first_three_purchases_get_follow_ups_the_fourth_does_not(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-6), "10"), (d(-5), "10"), (d(-4), "10"),
                                       (d(-3), "10")])
        p1, p2, p3, _p4 = purchase_ids(s, cid)
        schedule.regenerate(s, TODAY, rules=RULES)
        keys = sorted(t.source_key for t in tasks(s, cid, TaskKind.FOLLOW_UP))
        assert keys == sorted(f"follow_up:purchase:{p}" for p in (p1, p2, p3))


def test_fourth_purchase_after_old_ones_gets_no_follow_up(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-100), "10"), (d(-90), "10"), (d(-80), "10"),
                                       (d(-2), "500")])
        stats = schedule.regenerate(s, TODAY, rules=RULES)
        assert tasks(s, cid) == [] and stats.created == 0


@pytest.mark.parametrize(("amount", "expected"), [("99.99", 0), ("100.00", 1), ("150", 1)])
def test_fourth_purchase_above_the_owners_amount_gets_a_follow_up(db, amount, expected):
    rules = ScheduleRules(quarterly_review=False, keep_in_touch=False, win_back=False,
                          follow_up_min_amount=Decimal(100))
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-100), "10"), (d(-90), "10"), (d(-80), "10"),
                                       (d(-2), amount)])
        p4 = purchase_ids(s, cid)[-1]
        schedule.regenerate(s, TODAY, rules=rules)
        found = tasks(s, cid, TaskKind.FOLLOW_UP)
        assert [t.source_key for t in found] == [f"follow_up:purchase:{p4}"] * expected
        if expected:
            assert found[0].due_on == d(1) and found[0].window_end == d(5)


def test_min_amount_zero_means_no_amount_rule(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-100), "10"), (d(-90), "10"), (d(-80), "10"),
                                       (d(-2), "99999")])
        schedule.regenerate(s, TODAY, rules=RULES)
        assert tasks(s, cid) == []


def test_purchase_older_than_the_window_gets_none(db):
    with db.session() as s:
        old = new_client(s, "Old", purchases=[(d(-8), "50")])
        edge = new_client(s, "Edge", purchases=[(d(-7), "50")])
        schedule.regenerate(s, TODAY, rules=RULES)
        assert tasks(s, old) == []
        t = one(s, edge, TaskKind.FOLLOW_UP)
        assert (t.due_on, t.window_end) == (d(-4), TODAY)  # last day of the window


def test_follow_up_switched_off_gives_none(db):
    rules = ScheduleRules(follow_up=False, quarterly_review=False, keep_in_touch=False,
                          win_back=False)
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-1), "50")])
        schedule.regenerate(s, TODAY, rules=rules)
        assert tasks(s, cid) == []


def test_credit_is_not_a_purchase_to_follow_up(db):
    with db.session() as s:
        cid = new_client(s, purchases=[client_service.PurchaseData(purchased_on=d(-1),
                                                       amount=Decimal(-20), is_credit=True)])
        schedule.regenerate(s, TODAY, rules=RULES)
        assert tasks(s, cid) == []


# --------------------------------------------------------------------------- 2. idempotence


def _rich_data(s) -> list[int]:
    a = new_client(s, "Anna", purchases=[(d(-2), "80"), (d(-40), "30")],
                   memberships=[client_service.MembershipData(plan="Gym", starts_on=d(-3), ends_on=d(20))],
                   dates=[client_service.PersonalDateData(month=12, day=5)])
    rel = client_service.RelativeData(name="Ola")
    b = new_client(s, "Bogdan", relatives=[rel],
                   dates=[client_service.PersonalDateData(month=12, day=1, relative_key=rel.key)],
                   purchases=[(d(-45), "10"), (d(-35), "10"), (d(-25), "10")],
                   **consenting())
    complaint(s, b, datetime(2026, 11, 20, 15, 0))
    contact(s, a, at(-1))
    return [a, b]


def test_regenerate_twice_adds_nothing(db):
    rules = ScheduleRules()
    with db.session() as s:
        _rich_data(s)
        first = schedule.regenerate(s, TODAY, rules=rules)
        before = snapshot(s)
    with db.session() as s:
        second = schedule.regenerate(s, TODAY, rules=rules)
        after = snapshot(s)
    assert first.created == len(before) >= 9
    assert {t[1] for t in before.values()} >= {
        TaskKind.FOLLOW_UP, TaskKind.ONBOARDING, TaskKind.RENEWAL, TaskKind.PERSONAL_DATE,
        TaskKind.GIFT, TaskKind.COMPLAINT_CALLBACK, TaskKind.COMPLAINT_REVIEW,
        TaskKind.WIN_BACK, TaskKind.QUARTERLY_REVIEW}
    assert (second.created, second.moved, second.cancelled) == (0, 0, 0)
    assert second.unchanged == len(before)
    assert after == before


def test_scoped_regenerate_after_full_one_adds_nothing(db):
    with db.session() as s:
        ids = _rich_data(s)
        schedule.regenerate(s, TODAY, rules=ScheduleRules())
        before = snapshot(s)
        stats = schedule.regenerate(s, TODAY, client_ids=ids, rules=ScheduleRules())
        assert (stats.created, stats.moved, stats.cancelled) == (0, 0, 0)
        assert snapshot(s) == before


# --------------------------------------------------------------------------- 3. sources move


def test_moving_a_purchase_moves_its_follow_up_by_as_many_days(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-5), "80")])
        schedule.regenerate(s, TODAY, rules=RULES)
        t = one(s, cid)
        tid = t.id
        assert t.due_on == d(-2)
    with db.session() as s:
        edit(s, cid, lambda data: setattr(data.purchases[0], "purchased_on", d(-3)))
        stats = schedule.regenerate(s, TODAY, rules=RULES)
        t = one(s, cid)
        assert stats.moved == 1 and stats.created == 0
        assert t.id == tid
        assert (t.due_on, t.rule_due_on, t.window_end) == (TODAY, TODAY, d(4))
        assert t.status == TaskStatus.OPEN


def test_moving_a_purchase_keeps_a_hand_set_offset(db):
    """The task moves by the source's shift, not to the rule's date: a day the staff set
    (a snooze, "call back later") keeps its distance."""
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-5), "80")])
        schedule.regenerate(s, TODAY, rules=RULES)
        t = one(s, cid)
        t.due_on, t.reason = d(1), "snoozed"  # rule said d(-2); a person moved it
    with db.session() as s:
        edit(s, cid, lambda data: setattr(data.purchases[0], "purchased_on", d(-4)))
        schedule.regenerate(s, TODAY, rules=RULES)
        t = one(s, cid)
        assert (t.due_on, t.rule_due_on) == (d(2), d(-1))


def test_deleting_a_purchase_cancels_its_open_follow_up(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-2), "80"), (d(-1), "20")])
        schedule.regenerate(s, TODAY, rules=RULES)
        assert len(tasks(s, cid)) == 2
        p1, p2 = purchase_ids(s, cid)
    with db.session() as s:
        edit(s, cid, lambda data: setattr(
            data, "purchases", [p for p in data.purchases if p.id != p1]))
        stats = schedule.regenerate(s, TODAY, rules=RULES)
        gone = s.scalar(select(Task).where(Task.source_key == f"follow_up:purchase:{p1}"))
        kept = s.scalar(select(Task).where(Task.source_key == f"follow_up:purchase:{p2}"))
        assert stats.cancelled == 1
        assert (gone.status, gone.reason) == (TaskStatus.CANCELLED, schedule.REASON_SOURCE_GONE)
        assert gone.closed_at is not None
        assert kept.status == TaskStatus.OPEN
        assert s.get(Client, cid).next_due_on == kept.due_on


def test_a_loaded_client_sees_its_new_next_due_date(db):
    """The next-due date is written with one UPDATE; a client object the session
    already holds must not keep the old date (it did, depending on garbage collection)."""
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-2), "80"), (d(-1), "20")])
        schedule.regenerate(s, TODAY, rules=RULES)
        p1, _p2 = purchase_ids(s, cid)
    with db.session() as s:
        client = s.get(Client, cid)  # held for the whole unit of work
        first = client.next_due_on
        edit(s, cid, lambda data: setattr(
            data, "purchases", [p for p in data.purchases if p.id != p1]))
        schedule.regenerate(s, TODAY, rules=RULES)
        assert client.next_due_on == first + timedelta(days=1)


def test_done_task_is_history_and_never_touched(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-5), "80")])
        schedule.regenerate(s, TODAY, rules=RULES)
        t = one(s, cid)
        t.status = TaskStatus.DONE
        t.closed_at = datetime(2026, 11, 22, 12, 0)
        before = snapshot(s)
    with db.session() as s:  # the purchase moves
        edit(s, cid, lambda data: setattr(data.purchases[0], "purchased_on", d(-3)))
        stats = schedule.regenerate(s, TODAY, rules=RULES)
        assert snapshot(s) == before
        assert (stats.created, stats.moved, stats.cancelled) == (0, 0, 0)
    with db.session() as s:  # the purchase disappears
        edit(s, cid, lambda data: setattr(data, "purchases", []))
        stats = schedule.regenerate(s, TODAY, rules=RULES)
        assert snapshot(s) == before
        assert one(s, cid).closed_at == datetime(2026, 11, 22, 12, 0)
        assert (stats.created, stats.moved, stats.cancelled) == (0, 0, 0)


def test_follow_up_whose_window_closed_stays_open(db):
    """Nothing due is silently lost: a week later the rule no longer asks for the
    follow-up, but the open task stays until it is done."""
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-2), "80")])
        schedule.regenerate(s, TODAY, rules=RULES)
        stats = schedule.regenerate(s, d(30), rules=RULES)
        t = one(s, cid)
        assert t.status == TaskStatus.OPEN and stats.cancelled == 0


# --------------------------------------------------------------------------- 4. memberships


def test_membership_start_gives_onboarding_and_end_gives_renewal(db):
    start, end = d(-2), d(40)
    with db.session() as s:
        cid = new_client(s, memberships=[client_service.MembershipData(plan="Gym", starts_on=start,
                                                           ends_on=end)])
        mid = s.get(Client, cid).memberships[0].id
        schedule.regenerate(s, TODAY, rules=RULES)
        on = one(s, cid, TaskKind.ONBOARDING)
        assert (on.due_on, on.window_end, on.rule) == (start + timedelta(days=7),
                                                       start + timedelta(days=14),
                                                       "rule.onboarding")
        assert on.source_key == f"onboarding:membership:{mid}"
        ren = one(s, cid, TaskKind.RENEWAL)
        assert (ren.due_on, ren.window_end, ren.rule) == (end - timedelta(days=14), end,
                                                          "rule.renewal")
        assert ren.source_key == f"renewal:membership:{mid}"
        assert (ren.source_kind, ren.source_id) == ("membership", mid)


def test_old_membership_start_gives_no_onboarding_and_ended_one_no_renewal(db):
    with db.session() as s:
        cid = new_client(s, memberships=[
            client_service.MembershipData(plan="Old", starts_on=d(-15), ends_on=d(-1)),
            client_service.MembershipData(plan="Long", starts_on=d(-200), ends_on=d(100))])
        schedule.regenerate(s, TODAY, rules=RULES)
        assert tasks(s, cid, TaskKind.ONBOARDING) == []
        assert [t.due_on for t in tasks(s, cid, TaskKind.RENEWAL)] == [d(86)]


def test_freeze_moves_the_renewal_by_the_frozen_days(db):
    end = d(30)
    with db.session() as s:
        cid = new_client(s, memberships=[client_service.MembershipData(plan="Gym", starts_on=d(-300),
                                                           ends_on=end)])
        schedule.regenerate(s, TODAY, rules=RULES)
        ren = one(s, cid, TaskKind.RENEWAL)
        rid = ren.id
        assert ren.due_on == d(16)

    def freeze(data):
        m = data.memberships[0]
        m.status = MembershipStatus.FROZEN
        m.frozen_from, m.frozen_until = d(-2), d(7)  # 10 days, both ends included

    with db.session() as s:
        edit(s, cid, freeze)
        stats = schedule.regenerate(s, TODAY, rules=RULES)
        ren = one(s, cid, TaskKind.RENEWAL)
        assert stats.moved == 1 and ren.id == rid
        assert (ren.due_on, ren.rule_due_on, ren.window_end) == (d(26), d(26), d(40))


def test_freeze_counts_only_when_the_setting_says_so(db):
    with db.session() as s:
        m = client_service.MembershipData(plan="Gym", starts_on=d(-300), ends_on=d(30),
                              frozen_from=d(-50), frozen_until=d(-41))
        cid = new_client(s, memberships=[m])
        schedule.regenerate(s, TODAY, rules=ScheduleRules(
            quarterly_review=False, keep_in_touch=False, win_back=False,
            freeze_extends_end=False))
        assert one(s, cid, TaskKind.RENEWAL).due_on == d(16)
    with db.session() as s:
        cid2 = new_client(s, "Other", memberships=[m])
        schedule.regenerate(s, TODAY, client_ids=[cid2], rules=RULES)
        ren = one(s, cid2, TaskKind.RENEWAL)
        assert (ren.due_on, ren.window_end) == (d(26), d(40))


def test_cancelled_membership_cancels_its_open_renewal(db):
    with db.session() as s:
        cid = new_client(s, memberships=[client_service.MembershipData(plan="Gym", starts_on=d(-300),
                                                           ends_on=d(30))])
        schedule.regenerate(s, TODAY, rules=RULES)
    with db.session() as s:
        edit(s, cid, lambda data: setattr(data.memberships[0], "status",
                                          MembershipStatus.CANCELLED))
        stats = schedule.regenerate(s, TODAY, rules=RULES)
        ren = one(s, cid, TaskKind.RENEWAL)
        assert stats.cancelled == 1
        assert (ren.status, ren.reason) == (TaskStatus.CANCELLED, schedule.REASON_SOURCE_GONE)
        assert s.get(Client, cid).next_due_on is None


# --------------------------------------------------------------------------- 5. personal dates


def test_client_birthday_within_horizon_gives_date_and_gift(db):
    with db.session() as s:
        cid = new_client(s, dates=[client_service.PersonalDateData(month=12, day=10)])
        pd_id = s.get(Client, cid).personal_dates[0].id
        schedule.regenerate(s, TODAY, rules=RULES)
        pd = one(s, cid, TaskKind.PERSONAL_DATE)
        assert (pd.due_on, pd.window_end) == (date(2026, 12, 10), date(2026, 12, 10))
        assert pd.source_key == f"personal_date:{pd_id}:2026"
        assert pd.rule == "rule.personal_date"
        gift = one(s, cid, TaskKind.GIFT)
        assert (gift.due_on, gift.window_end) == (date(2026, 12, 7), date(2026, 12, 10))
        assert gift.source_key == f"gift:{pd_id}:2026" and gift.rule == "rule.gift"


@pytest.mark.parametrize(("gift_days", "due"), [(None, date(2026, 12, 7)),
                                                (5, date(2026, 12, 5)), (0, None)])
def test_gift_reminder_days_of_the_date_or_the_default(db, gift_days, due):
    with db.session() as s:
        cid = new_client(s, dates=[client_service.PersonalDateData(month=12, day=10,
                                                       gift_reminder_days=gift_days)])
        schedule.regenerate(s, TODAY, rules=RULES)
        assert [t.due_on for t in tasks(s, cid, TaskKind.GIFT)] == ([due] if due else [])


def test_gift_default_comes_from_the_rules(db):
    with db.session() as s:
        cid = new_client(s, dates=[client_service.PersonalDateData(month=12, day=10)])
        schedule.regenerate(s, TODAY, rules=ScheduleRules(
            quarterly_review=False, keep_in_touch=False, win_back=False, gift_before=6))
        assert one(s, cid, TaskKind.GIFT).due_on == date(2026, 12, 4)


def test_birthday_beyond_the_horizon_waits(db):
    with db.session() as s:
        edge = new_client(s, "Edge", dates=[client_service.PersonalDateData(month=12, day=23)])  # +30
        far = new_client(s, "Far", dates=[client_service.PersonalDateData(month=12, day=24,  # +31
                                                              gift_reminder_days=0)])
        past = new_client(s, "Past", dates=[client_service.PersonalDateData(month=11, day=22)])  # -1
        schedule.regenerate(s, TODAY, rules=RULES)
        assert one(s, edge, TaskKind.PERSONAL_DATE).due_on == date(2026, 12, 23)
        assert tasks(s, far) == []
        assert tasks(s, past) == []


def test_relatives_birthday_is_the_clients_task(db):
    rel = client_service.RelativeData(name="Ola")
    with db.session() as s:
        cid = new_client(s, relatives=[rel],
                         dates=[client_service.PersonalDateData(month=12, day=1, relative_key=rel.key)])
        pd = s.get(Client, cid).personal_dates[0]
        assert pd.relative_id is not None
        schedule.regenerate(s, TODAY, rules=RULES)
        t = one(s, cid, TaskKind.PERSONAL_DATE)
        assert (t.client_id, t.due_on, t.source_id) == (cid, date(2026, 12, 1), pd.id)
        assert one(s, cid, TaskKind.GIFT).due_on == date(2026, 11, 28)


@pytest.mark.parametrize(("today", "due"), [(date(2027, 2, 10), date(2027, 2, 28)),
                                            (date(2028, 2, 10), date(2028, 2, 29))])
def test_29_february_birthday(db, today, due):
    with db.session() as s:
        cid = new_client(s, dates=[client_service.PersonalDateData(month=2, day=29)], today=today)
        pd_id = s.get(Client, cid).personal_dates[0].id
        schedule.regenerate(s, today, rules=RULES)
        t = one(s, cid, TaskKind.PERSONAL_DATE)
        assert t.due_on == due and t.source_key == f"personal_date:{pd_id}:{due.year}"
        assert one(s, cid, TaskKind.GIFT).due_on == due - timedelta(days=3)


def test_yesterdays_birthday_task_stays_open_and_next_year_is_new(db):
    with db.session() as s:
        cid = new_client(s, dates=[client_service.PersonalDateData(month=12, day=10, gift_reminder_days=0)])
        schedule.regenerate(s, TODAY, rules=RULES)
        stats = schedule.regenerate(s, date(2026, 12, 11), rules=RULES)
        assert stats.cancelled == 0
        assert [(t.due_on, t.status) for t in tasks(s, cid)] == [
            (date(2026, 12, 10), TaskStatus.OPEN)]
        schedule.regenerate(s, date(2027, 11, 20), rules=RULES)
        assert [t.due_on for t in tasks(s, cid)] == [date(2026, 12, 10), date(2027, 12, 10)]


def test_removing_a_personal_date_cancels_its_tasks(db):
    with db.session() as s:
        cid = new_client(s, dates=[client_service.PersonalDateData(month=12, day=10)])
        schedule.regenerate(s, TODAY, rules=RULES)
    with db.session() as s:
        edit(s, cid, lambda data: setattr(data, "dates", []))
        schedule.regenerate(s, TODAY, rules=RULES)
        assert {(t.kind, t.status, t.reason) for t in tasks(s, cid)} == {
            (TaskKind.PERSONAL_DATE, TaskStatus.CANCELLED, schedule.REASON_SOURCE_GONE),
            (TaskKind.GIFT, TaskStatus.CANCELLED, schedule.REASON_SOURCE_GONE)}


def test_yearly_occurrence():
    assert schedule.yearly_occurrence(2, 29, 2027) == date(2027, 2, 28)
    assert schedule.yearly_occurrence(2, 29, 2028) == date(2028, 2, 29)
    assert schedule.yearly_occurrence(2, 29, 2100) == date(2100, 2, 28)  # not a leap year
    assert schedule.yearly_occurrence(2, 29, 2000) == date(2000, 2, 29)
    assert schedule.yearly_occurrence(12, 31, 2026) == date(2026, 12, 31)
    assert schedule.yearly_occurrence(2, 28, 2027) == date(2027, 2, 28)


def test_next_occurrence():
    assert schedule.next_occurrence(12, 10, TODAY) == date(2026, 12, 10)
    assert schedule.next_occurrence(11, 23, TODAY) == TODAY  # today counts
    assert schedule.next_occurrence(11, 22, TODAY) == date(2027, 11, 22)
    assert schedule.next_occurrence(1, 1, date(2026, 12, 31)) == date(2027, 1, 1)
    assert schedule.next_occurrence(2, 29, date(2027, 2, 28)) == date(2027, 2, 28)
    assert schedule.next_occurrence(2, 29, date(2027, 3, 1)) == date(2028, 2, 29)
    assert schedule.next_occurrence(2, 29, date(2028, 3, 1)) == date(2029, 2, 28)
    assert schedule.next_occurrence(2, 29, date(2026, 11, 23)) == date(2027, 2, 28)


def test_quarter_helpers():
    assert schedule.quarter_of(TODAY) == (2026, 4)
    assert schedule.quarter_start(TODAY) == date(2026, 10, 1)
    assert schedule.quarter_start(date(2027, 3, 31)) == date(2027, 1, 1)
    assert schedule.quarter_start(date(2027, 4, 1)) == date(2027, 4, 1)


# --------------------------------------------------------------------------- 6. complaints

RESOLVED = datetime(2026, 11, 20, 16, 45)


def _complaint_tasks(s, cid):
    return sorted((t.kind, t.due_on, t.status, t.source_key) for t in tasks(s, cid))


#: the business's default week (Monday to Saturday) is closed on Sunday 22 November, so
#: the call-back the complaint dialog plans falls on Monday; ScheduleRules() works every day
CALLBACK_SUNDAY, CALLBACK_MONDAY = date(2026, 11, 22), date(2026, 11, 23)


def _expected_complaint(comp_id, callback=CALLBACK_SUNDAY):
    return sorted([
        (TaskKind.COMPLAINT_CALLBACK, callback, TaskStatus.OPEN,
         f"complaint_callback:complaint:{comp_id}"),
        (TaskKind.COMPLAINT_REVIEW, date(2026, 11, 21), TaskStatus.OPEN,
         f"complaint_review:complaint:{comp_id}")])


def test_resolved_complaint_gives_one_call_back_and_one_review(db):
    with db.session() as s:
        cid = new_client(s)
        comp = complaint(s, cid, RESOLVED)
        schedule.regenerate(s, TODAY, rules=RULES)
        schedule.regenerate(s, TODAY, rules=RULES)
        assert _complaint_tasks(s, cid) == _expected_complaint(comp)
        cb = one(s, cid, TaskKind.COMPLAINT_CALLBACK)
        assert cb.rule == "rule.complaint_callback" and cb.reason == ""
        assert one(s, cid, TaskKind.COMPLAINT_REVIEW).rule == "rule.complaint_review"
        # the service the complaint dialog calls finds the same two tasks
        out = schedule.schedule_complaint_follow_ups(s, comp)
        assert sorted(t.id for t in out) == sorted(t.id for t in tasks(s, cid))
        assert _complaint_tasks(s, cid) == _expected_complaint(comp)


def test_schedule_complaint_follow_ups_twice_then_regenerate(db):
    with db.session() as s:
        cid = new_client(s)
        comp = complaint(s, cid, RESOLVED)
        first = schedule.schedule_complaint_follow_ups(s, comp)
        second = schedule.schedule_complaint_follow_ups(s, comp)
        assert [t.id for t in first] == [t.id for t in second]
        assert {t.kind for t in first} == {TaskKind.COMPLAINT_CALLBACK,
                                           TaskKind.COMPLAINT_REVIEW}
        stats = schedule.regenerate(s, TODAY, rules=RULES)
        assert stats.created == 0 and stats.moved == 0
        assert _complaint_tasks(s, cid) == _expected_complaint(comp, CALLBACK_MONDAY)
        assert s.get(Client, cid).next_due_on == date(2026, 11, 21)


def test_unresolved_complaint_gives_nothing(db):
    with db.session() as s:
        cid = new_client(s)
        comp = complaint(s, cid, None, opened=datetime(2026, 11, 20, 9, 0))
        assert schedule.schedule_complaint_follow_ups(s, comp) == []
        schedule.regenerate(s, TODAY, rules=RULES)
        assert tasks(s, cid) == []


@pytest.mark.parametrize("via", ["regenerate", "service"])
def test_complaint_tasks_for_do_not_contact_client_with_full_cap(db, via):
    with db.session() as s:
        cid = new_client(s, do_not_contact=True)
        for k in (1, 2, 3):
            contact(s, cid, at(-k))
        comp = complaint(s, cid, RESOLVED)
        if via == "service":
            schedule.schedule_complaint_follow_ups(s, comp)
            schedule.schedule_complaint_follow_ups(s, comp)
        schedule.regenerate(s, TODAY, rules=RULES)
        schedule.regenerate(s, TODAY, rules=RULES)
        # the service reads the business's week (closed on Sunday), RULES works every day
        callback = CALLBACK_MONDAY if via == "service" else CALLBACK_SUNDAY
        assert _complaint_tasks(s, cid) == _expected_complaint(comp, callback)
        # never moved by the full cap
        assert all(t.reason in ("", schedule.REASON_NON_WORKING) for t in tasks(s, cid))


def test_complaint_call_back_not_moved_by_a_full_cap(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-1), "20")])
        for k in (1, 2, 3):
            contact(s, cid, at(-k))
        comp = complaint(s, cid, datetime(2026, 11, 22, 10, 0))
        schedule.regenerate(s, TODAY, rules=RULES)
        cb = one(s, cid, TaskKind.COMPLAINT_CALLBACK)
        assert (cb.due_on, cb.reason) == (d(1), "")
        assert cb.source_key == f"complaint_callback:complaint:{comp}"
        fu = one(s, cid, TaskKind.FOLLOW_UP)
        assert fu.reason == schedule.REASON_CAP  # while the follow-up is capped


# --------------------------------------------------------------------------- 7. win-back

WIN_RULES = ScheduleRules(quarterly_review=False, keep_in_touch=False)


def test_win_back_after_twice_the_usual_gap_with_consent(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-45), "10"), (d(-35), "10"), (d(-25), "10")],
                         **consenting())
        c = s.get(Client, cid)
        assert (c.usual_gap_days, c.last_purchase_on) == (10, d(-25))
        schedule.regenerate(s, TODAY, rules=WIN_RULES)
        t = one(s, cid)
        assert t.kind == TaskKind.WIN_BACK and t.due_on == TODAY  # last + 21 is past
        assert t.source_key == f"win_back:client:{cid}:{d(-25).isoformat()}"
        assert t.rule == "rule.win_back" and t.window_end is None


def test_win_back_due_on_the_first_day_past_the_limit(db):
    with db.session() as s:  # due last + 2 x 10 + 1 = d(-4) -> today
        cid = new_client(s, purchases=[(d(-41), "10"), (d(-31), "10"), (d(-21), "10")],
                         **consenting())
        schedule.regenerate(s, TODAY, rules=WIN_RULES)
        assert one(s, cid).due_on == TODAY
        # exactly 2 x the gap is not yet "over" it
        other = new_client(s, "Other", purchases=[(d(-40), "1"), (d(-30), "1"),
                                                  (d(-20), "1")], **consenting())
        schedule.regenerate(s, TODAY, rules=WIN_RULES)
        assert tasks(s, other) == []


def test_win_back_needs_marketing_consent(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-45), "10"), (d(-35), "10"), (d(-25), "10")])
        stats = schedule.regenerate(s, TODAY, rules=WIN_RULES)
        assert tasks(s, cid) == []
        assert stats.suppressed == 1


def test_new_purchase_cancels_the_open_win_back(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-45), "10"), (d(-35), "10"), (d(-25), "10")],
                         **consenting())
        schedule.regenerate(s, TODAY, rules=WIN_RULES)
        assert one(s, cid).kind == TaskKind.WIN_BACK
    with db.session() as s:
        edit(s, cid, lambda data: data.purchases.append(
            client_service.PurchaseData(purchased_on=TODAY, amount=Decimal(30))))
        stats = schedule.regenerate(s, TODAY, rules=WIN_RULES)
        wb = one(s, cid, TaskKind.WIN_BACK)
        assert (wb.status, wb.reason) == (TaskStatus.CANCELLED, schedule.REASON_BOUGHT_AGAIN)
        assert stats.cancelled == 1
        assert tasks(s, cid, status=OPEN) == []  # 4th purchase: no follow-up either


def test_consent_withdrawn_cancels_the_open_win_back(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-45), "10"), (d(-35), "10"), (d(-25), "10")],
                         **consenting())
        schedule.regenerate(s, TODAY, rules=WIN_RULES)
    with db.session() as s:
        edit(s, cid, lambda data: setattr(data, "marketing_consent", False))
        schedule.regenerate(s, TODAY, rules=WIN_RULES)
        wb = one(s, cid)
        assert (wb.status, wb.reason) == (TaskStatus.CANCELLED, schedule.REASON_NO_CONSENT)


@pytest.mark.parametrize("kind", [TaskKind.WIN_BACK, TaskKind.KEEP_IN_TOUCH])
def test_rescheduled_marketing_task_stays_on_the_day_the_staff_chose(db, kind):
    """Regression (HEAD 8a7eb43): the wanted day was max(rule day, today), so every daily
    run shifted an open win-back / keep-in-touch by one day and a rescheduled one never
    became due."""
    rules = ScheduleRules(quarterly_review=False)
    with db.session() as s:
        if kind == TaskKind.WIN_BACK:
            cid = new_client(s, purchases=[(d(-45), "10"), (d(-35), "10"), (d(-25), "10")],
                             **consenting())
        else:
            cid = new_client(s, segment_override=Segment.A, segment_override_reason="owner knows best", **consenting())
            s.add(Contact(client_id=cid, at=at(-65), direction=Direction.INBOUND,
                          outcome=Outcome.REACHED, tone=Tone.POSITIVE))
            s.flush()
        schedule.regenerate(s, TODAY, rules=rules)
        t = one(s, cid)
        assert (t.kind, t.due_on) == (kind, TODAY)
        t.due_on, t.reason = d(3), "rescheduled"  # what calls.reschedule() does
    for k in (1, 2, 3):  # the app regenerates at every start-up, once a day
        with db.session() as s:
            schedule.regenerate(s, d(k), rules=rules)
    with db.session() as s:
        t = one(s, cid)
        assert (t.status, t.due_on, t.reason) == (TaskStatus.OPEN, d(3), "rescheduled")


@pytest.mark.parametrize(("purchases", "expected"), [
    ([-91], 1), ([-90], 0), ([-30], 0), ([-120, -100], 1),
    ([-35, -25], 0),   # two purchases 10 days apart: too few for an own gap, default 90
    ([-400], 0),       # lapsed, not at risk
])
def test_win_back_with_too_few_purchases_uses_the_default_gap(db, purchases, expected):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(k), "10") for k in purchases], **consenting())
        assert s.get(Client, cid).usual_gap_days is None
        schedule.regenerate(s, TODAY, rules=WIN_RULES)
        assert len(tasks(s, cid, TaskKind.WIN_BACK)) == expected


def test_keep_in_touch_for_an_a_client_without_positive_contact(db):
    rules = ScheduleRules(quarterly_review=False, win_back=False)
    with db.session() as s:
        cid = new_client(s, segment_override=Segment.A, segment_override_reason="owner knows best", **consenting())
        no_consent = new_client(s, "No consent", segment_override=Segment.A, segment_override_reason="owner knows best")
        b_client = new_client(s, "B client", segment_override=Segment.B, segment_override_reason="owner knows best", **consenting())
        for c in (cid, no_consent, b_client):
            s.add(Contact(client_id=c, at=at(-65), direction=Direction.INBOUND,
                          outcome=Outcome.REACHED, tone=Tone.POSITIVE))
        s.flush()
        schedule.regenerate(s, TODAY, rules=rules)
        t = one(s, cid)
        assert (t.kind, t.due_on, t.rule) == (TaskKind.KEEP_IN_TOUCH, TODAY,
                                              "rule.keep_in_touch")
        assert t.source_key == f"keep_in_touch:client:{cid}:{d(-65).isoformat()}"
        assert tasks(s, no_consent) == [] and tasks(s, b_client) == []
        # a positive contact ends the need
        s.add(Contact(client_id=cid, at=at(0, 9), outcome=Outcome.REACHED,
                      tone=Tone.POSITIVE))
        s.flush()
        schedule.regenerate(s, TODAY, rules=rules)
        t = one(s, cid)
        assert (t.status, t.reason) == (TaskStatus.CANCELLED, schedule.REASON_NOT_NEEDED)


# --------------------------------------------------------------------------- 8. do not contact


def test_do_not_contact_gets_only_complaint_call_backs_and_internal_tasks(db):
    rel = client_service.RelativeData(name="Ola")
    with db.session() as s:
        cid = new_client(
            s, do_not_contact=True, relatives=[rel],
            purchases=[(d(-45), "10"), (d(-35), "10"), (d(-2), "10")],
            memberships=[client_service.MembershipData(plan="Gym", starts_on=d(-1), ends_on=d(20))],
            dates=[client_service.PersonalDateData(month=12, day=10),
                   client_service.PersonalDateData(month=12, day=1, relative_key=rel.key)],
            **consenting())
        complaint(s, cid, RESOLVED)
        stats = schedule.regenerate(s, TODAY, rules=ScheduleRules(quarterly_review=False))
        kinds = sorted(t.kind for t in tasks(s, cid))
        assert kinds == sorted([TaskKind.GIFT, TaskKind.GIFT, TaskKind.COMPLAINT_CALLBACK,
                                TaskKind.COMPLAINT_REVIEW])
        # follow-up, onboarding, renewal, two personal dates
        assert stats.suppressed == 5


def test_do_not_contact_set_later_cancels_open_outbound_tasks(db):
    with db.session() as s:
        cid = new_client(
            s, purchases=[(d(-2), "10")],
            memberships=[client_service.MembershipData(plan="Gym", starts_on=d(-1), ends_on=d(20))],
            dates=[client_service.PersonalDateData(month=12, day=10)])
        complaint(s, cid, RESOLVED)
        schedule.regenerate(s, TODAY, rules=RULES)
        assert len(tasks(s, cid)) == 7
    with db.session() as s:
        edit(s, cid, lambda data: setattr(data, "do_not_contact", True))
        stats = schedule.regenerate(s, TODAY, rules=RULES)
        by_kind = {t.kind: t for t in tasks(s, cid)}
        for kind in (TaskKind.FOLLOW_UP, TaskKind.ONBOARDING, TaskKind.RENEWAL,
                     TaskKind.PERSONAL_DATE):
            assert (by_kind[kind].status, by_kind[kind].reason) == (
                TaskStatus.CANCELLED, schedule.REASON_DO_NOT_CONTACT), kind
        for kind in (TaskKind.GIFT, TaskKind.COMPLAINT_CALLBACK, TaskKind.COMPLAINT_REVIEW):
            assert by_kind[kind].status == TaskStatus.OPEN, kind
        assert stats.cancelled == 4


@pytest.mark.parametrize("source", ["purchase", "birthday", "membership"])
def test_do_not_contact_cancels_open_tasks_whose_rule_no_longer_asks(db, source):
    """Regression (HEAD 8a7eb43): do-not-contact was checked only for tasks a rule still
    asked for, so an open follow-up past its window, yesterday's birthday call or a
    renewal past the end stayed open for a do-not-contact client."""
    first = d(-10)
    with db.session() as s:
        if source == "purchase":  # follow-up due d(-9), window to d(-5)
            cid = new_client(s, purchases=[(d(-12), "10")], today=first)
        elif source == "birthday":  # 14 Nov
            cid = new_client(s, dates=[client_service.PersonalDateData(month=11, day=14,
                                                           gift_reminder_days=0)],
                             today=first)
        else:  # renewal due d(-16); the membership ended yesterday, status not yet updated
            cid = new_client(s, memberships=[client_service.MembershipData(
                plan="Gym", starts_on=d(-300), ends_on=d(-2))], today=first)
        schedule.regenerate(s, first, rules=RULES)
        assert [t.status for t in tasks(s, cid)] == [TaskStatus.OPEN]
    with db.session() as s:
        edit(s, cid, lambda data: setattr(data, "do_not_contact", True))
        schedule.regenerate(s, TODAY, rules=RULES)
        t = one(s, cid)
        assert (t.status, t.reason) == (TaskStatus.CANCELLED, schedule.REASON_DO_NOT_CONTACT)


# --------------------------------------------------------------------------- 9. contact cap

CAP_RULES = ScheduleRules(quarterly_review=False, keep_in_touch=False, win_back=False,
                          cap_count=3, cap_days=30)


def test_full_cap_moves_a_follow_up_to_the_first_allowed_day(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-1), "20")])
        for k in (1, 2, 3):
            contact(s, cid, at(-k))
        schedule.regenerate(s, TODAY, rules=CAP_RULES)
        t = one(s, cid)
        # contacts on d(-3), d(-2), d(-1): every 30-day window holding d(+2) .. d(+26) and
        # d(-3) is full; the window d(-2) .. d(+27) holds two
        assert (t.rule_due_on, t.due_on, t.reason) == (d(2), d(27), schedule.REASON_CAP)


def test_cap_counts_open_tasks_too(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-3), "1"), (d(-2), "1"), (d(-1), "1")],
                         dates=[client_service.PersonalDateData(month=12, day=3)])  # d(+10)
        schedule.regenerate(s, TODAY, rules=CAP_RULES)
        assert sorted(t.due_on for t in tasks(s, cid, TaskKind.FOLLOW_UP)) == [
            d(0), d(1), d(2)]
        pd = one(s, cid, TaskKind.PERSONAL_DATE)
        assert (pd.rule_due_on, pd.due_on, pd.reason) == (d(10), d(30), schedule.REASON_CAP)
        gift = one(s, cid, TaskKind.GIFT)  # internal: never capped
        assert (gift.due_on, gift.reason) == (d(7), "")


@pytest.mark.parametrize("kw", [
    {"direction": Direction.INBOUND},
    {"purpose": TaskKind.COMPLAINT_CALLBACK},
])
def test_inbound_and_complaint_call_back_contacts_do_not_count(db, kw):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-1), "20")])
        for k in (1, 2, 3):
            contact(s, cid, at(-k), **kw)
        schedule.regenerate(s, TODAY, rules=CAP_RULES)
        t = one(s, cid)
        assert (t.due_on, t.reason) == (d(2), "")


def test_contacts_older_than_the_cap_days_do_not_count(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-1), "20")])
        for k in (31, 32, 33):
            contact(s, cid, at(-k))
        schedule.regenerate(s, TODAY, rules=CAP_RULES)
        assert (one(s, cid).due_on, one(s, cid).reason) == (d(2), "")


def test_cap_is_per_client(db):
    with db.session() as s:
        capped = new_client(s, "Capped", purchases=[(d(-1), "20")])
        free = new_client(s, "Free", purchases=[(d(-1), "20")])
        for k in (1, 2, 3):
            contact(s, capped, at(-k))
        schedule.regenerate(s, TODAY, rules=CAP_RULES)
        assert one(s, capped).due_on == d(27)
        assert one(s, free).due_on == d(2)


def test_a_task_cancelled_in_the_same_run_no_longer_counts_against_the_cap(db):
    """Regression (HEAD 8a7eb43): the cap book was filled before step 1 cancelled tasks,
    so a task cancelled in the same run still pushed new tasks away."""
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-3), "1"), (d(-2), "1"), (d(-1), "1")])
        schedule.regenerate(s, TODAY, rules=CAP_RULES)  # follow-ups d(0), d(1), d(2)
        p1 = purchase_ids(s, cid)[0]
    with db.session() as s:
        # the first purchase was entered on the wrong client: it goes, and a membership
        # starting today is added
        def change(data):
            data.purchases = [p for p in data.purchases if p.id != p1]
            data.memberships = [client_service.MembershipData(plan="Gym", starts_on=TODAY,
                                                  ends_on=d(365))]
        edit(s, cid, change)
        schedule.regenerate(s, TODAY, rules=CAP_RULES)
        assert len(tasks(s, cid, TaskKind.FOLLOW_UP, status=OPEN)) == 2
        onboarding = one(s, cid, TaskKind.ONBOARDING)
        # two open outbound tasks in the window: the check-in fits on its own day
        assert (onboarding.due_on, onboarding.reason) == (d(7), "")


# --------------------------------------------------------------------------- 10. weekdays


def test_preferred_weekday_moves_a_follow_up_to_the_next_such_day(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-1), "20")], contact_days="1")  # Mondays
        comp = complaint(s, cid, datetime(2026, 11, 22, 9, 0))
        schedule.regenerate(s, TODAY, rules=RULES)
        fu = one(s, cid, TaskKind.FOLLOW_UP)
        assert fu.rule_due_on == date(2026, 11, 25)  # a Wednesday
        assert (fu.due_on, fu.reason) == (date(2026, 11, 30), schedule.REASON_DAYS)
        assert fu.due_on.isoweekday() == 1
        cb = one(s, cid, TaskKind.COMPLAINT_CALLBACK)  # the call-back is not moved
        assert (cb.due_on, cb.reason) == (date(2026, 11, 24), "")
        assert cb.source_id == comp


def test_preferred_weekday_already_right_is_not_a_reason(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(date(2026, 11, 20), "20")], contact_days="1")
        schedule.regenerate(s, TODAY, rules=RULES)
        fu = one(s, cid)
        assert (fu.due_on, fu.reason) == (TODAY, "")


def test_preferred_weekday_and_cap_together(db):
    with db.session() as s:
        cid = new_client(s, purchases=[(d(-1), "20")], contact_days="3")  # Wednesdays
        for k in (1, 2, 3):
            contact(s, cid, at(-k))
        schedule.regenerate(s, TODAY, rules=CAP_RULES)
        fu = one(s, cid)
        # the first allowed day is d(27) (a Sunday); the next Wednesday is d(30)
        assert (fu.due_on, fu.reason) == (d(30), schedule.REASON_CAP)
        assert fu.due_on.isoweekday() == 3


# --------------------------------------------------------------------------- 11. quarterly


def test_quarterly_review_once_per_quarter(db):
    rules = ScheduleRules()
    with db.session() as s:
        s1 = schedule.regenerate(s, TODAY, rules=rules)
        s2 = schedule.regenerate(s, TODAY, rules=rules)
        t = one(s)
        assert (s1.created, s2.created) == (1, 0)
        assert (t.kind, t.client_id, t.due_on) == (TaskKind.QUARTERLY_REVIEW, None,
                                                   date(2026, 10, 1))
        assert t.source_key == "quarterly_review:2026Q4"
        assert t.rule == "rule.quarterly_review"
        schedule.regenerate(s, date(2026, 12, 31), rules=rules)
        assert len(tasks(s)) == 1
        schedule.regenerate(s, date(2027, 1, 2), rules=rules)
        assert [(t.source_key, t.due_on, t.status) for t in tasks(s)] == [
            ("quarterly_review:2026Q4", date(2026, 10, 1), TaskStatus.OPEN),
            ("quarterly_review:2027Q1", date(2027, 1, 1), TaskStatus.OPEN)]


def test_quarterly_review_not_made_by_a_scoped_run_or_when_off(db):
    with db.session() as s:
        cid = new_client(s)
        schedule.regenerate(s, TODAY, client_ids=[cid], rules=ScheduleRules())
        schedule.regenerate(s, TODAY, rules=ScheduleRules(quarterly_review=False))
        assert tasks(s) == []


# --------------------------------------------------------------------------- 12. properties

HYP = settings(max_examples=depth(20, 100), deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow])

MONTH_DAYS = st.integers(1, 12).flatmap(
    lambda m: st.tuples(st.just(m), st.integers(1, 29 if m == 2 else
                                                calendar.monthrange(2025, m)[1])))


@st.composite
def client_specs(draw, *, dnc=None):
    """A client described relative to ``today``: purchase offsets (days before today),
    memberships (start offset, length, freeze, status), personal dates, flags."""
    purchases = draw(st.lists(st.one_of(st.integers(0, 9), st.integers(0, 120)),
                              max_size=6))
    memberships = draw(st.lists(st.tuples(
        st.integers(-60, 10), st.integers(1, 120),
        st.one_of(st.none(), st.tuples(st.integers(0, 30), st.integers(0, 15))),
        st.sampled_from([MembershipStatus.ACTIVE, MembershipStatus.FROZEN,
                         MembershipStatus.CANCELLED])), max_size=2))
    # a date is a (month, day) or a number of days after today (so that many are near)
    dates = draw(st.lists(st.tuples(st.one_of(MONTH_DAYS, st.just((2, 29)),
                                              st.integers(0, 40)),
                                    st.one_of(st.none(), st.integers(0, 10)),
                                    st.booleans()), max_size=3))
    return {
        "purchases": purchases, "memberships": memberships, "dates": dates,
        "dnc": draw(st.booleans()) if dnc is None else dnc,
        "consent": draw(st.booleans()),
        "days": draw(st.sampled_from(["", "", "1", "135", "67"])),
        "complaint": draw(st.one_of(st.none(), st.integers(0, 20))),
        "contacts": draw(st.lists(st.integers(1, 29), max_size=3, unique=True)),
        "positive": draw(st.one_of(st.none(), st.integers(40, 90))),
        "segment": draw(st.sampled_from([None, None, Segment.A, Segment.B]))}


def _build(s, spec, today, i) -> int:
    ms = []
    for start, length, freeze, status in spec["memberships"]:
        starts = today + timedelta(days=start)
        frozen_from = frozen_until = None
        if freeze is not None or status == MembershipStatus.FROZEN:
            a, n = freeze or (0, 5)
            frozen_from = starts + timedelta(days=a)
            frozen_until = frozen_from + timedelta(days=n)
        ms.append(client_service.MembershipData(plan="Plan", starts_on=starts,
                                    ends_on=starts + timedelta(days=length), status=status,
                                    frozen_from=frozen_from, frozen_until=frozen_until))
    rels = []
    pds = []
    for when, gift, of_relative in spec["dates"]:
        if isinstance(when, int):
            near = today + timedelta(days=when)
            month, day = near.month, near.day
        else:
            month, day = when
        key = None
        if of_relative:
            rel = client_service.RelativeData(name=f"Rel {len(rels)}")
            rels.append(rel)
            key = rel.key
        pds.append(client_service.PersonalDateData(month=month, day=day, gift_reminder_days=gift,
                                       relative_key=key))
    cid = new_client(
        s, f"Client {i}", today=today, do_not_contact=spec["dnc"],
        contact_days=spec["days"], segment_override=spec["segment"], segment_override_reason="drawn", memberships=ms, relatives=rels, dates=pds,
        purchases=[(today - timedelta(days=k), "25") for k in spec["purchases"]],
        **(consenting() if spec["consent"] else {}))
    if spec["complaint"] is not None:
        complaint(s, cid, datetime.combine(today - timedelta(days=spec["complaint"]),
                                           datetime.min.time()).replace(hour=12))
    for k in spec["contacts"]:
        s.add(Contact(client_id=cid, at=datetime.combine(
            today - timedelta(days=k), datetime.min.time()).replace(hour=11),
            direction=Direction.OUTBOUND, outcome=Outcome.REACHED))
    if spec["positive"] is not None:  # an inbound call in a good mood (keep-in-touch)
        s.add(Contact(client_id=cid, at=datetime.combine(
            today - timedelta(days=spec["positive"]), datetime.min.time()).replace(hour=15),
            direction=Direction.INBOUND, outcome=Outcome.REACHED, tone=Tone.POSITIVE))
    s.flush()
    return cid


TODAYS = st.dates(date(2025, 3, 1), TODAY)


def _fresh(tmp_path_factory, template):
    return fresh_sqlite(template, tmp_path_factory.mktemp("hyp"))


@HYP
@given(specs=st.lists(client_specs(), min_size=1, max_size=4), today=TODAYS,
       later=st.integers(1, 60))
def test_property_regenerate_is_idempotent(tmp_path_factory, sqlite_template, specs, today,
                                           later):
    """Twice on one day: nothing changes. On a later day with the same data: new
    occurrences may come, but no open task moves or is cancelled."""
    database = _fresh(tmp_path_factory, sqlite_template)
    try:
        with database.session() as s:
            ids = [_build(s, spec, today, i) for i, spec in enumerate(specs)]
            client_service.refresh_client_stats(s, today=today)  # also A/B/C groups (keep-in-touch)
            schedule.regenerate(s, today, rules=ScheduleRules())
            before = snapshot(s)
            for kind in sorted({v[1] for v in before.values()}):
                event(f"made {kind}")
        with database.session() as s:
            again = schedule.regenerate(s, today, rules=ScheduleRules())
            assert (again.created, again.moved, again.cancelled) == (0, 0, 0)
            assert snapshot(s) == before
            scoped = schedule.regenerate(s, today, client_ids=ids[:1], rules=ScheduleRules())
            assert (scoped.created, scoped.moved, scoped.cancelled) == (0, 0, 0)
            assert snapshot(s) == before
        with database.session() as s:
            next_day = schedule.regenerate(s, today + timedelta(days=later),
                                           rules=ScheduleRules())
            assert (next_day.moved, next_day.cancelled) == (0, 0)
            after = snapshot(s)
            assert {k: after[k] for k in before} == before
    finally:
        database.close()


ALLOWED_FOR_DNC = {TaskKind.COMPLAINT_CALLBACK} | schedule.INTERNAL_KINDS


@HYP
@given(specs=st.lists(client_specs(), min_size=1, max_size=4), today=TODAYS,
       later=st.booleans())
def test_property_do_not_contact_gets_only_call_backs_and_internal_tasks(
        tmp_path_factory, sqlite_template, specs, today, later):
    """``later``: the clients are contactable at first and marked do-not-contact after
    a first run, which must cancel their open outbound tasks."""
    database = _fresh(tmp_path_factory, sqlite_template)
    try:
        with database.session() as s:
            ids = []
            for i, spec in enumerate(specs):
                ids.append(_build(s, dict(spec, dnc=spec["dnc"] and not later), today, i))
            schedule.regenerate(s, today, rules=ScheduleRules())
            if later:
                for cid, spec in zip(ids, specs, strict=True):
                    s.get(Client, cid).do_not_contact = spec["dnc"]
                s.flush()
                schedule.regenerate(s, today, rules=ScheduleRules())
            for cid, spec in zip(ids, specs, strict=True):
                if not spec["dnc"]:
                    continue
                mine = tasks(s, cid, status=OPEN) if later else tasks(s, cid)
                assert {t.kind for t in mine} <= ALLOWED_FOR_DNC
            # the complaint tasks are never suppressed
            for cid, spec in zip(ids, specs, strict=True):
                if spec["complaint"] is not None:
                    kinds = [t.kind for t in tasks(s, cid, status=OPEN)]
                    assert kinds.count(TaskKind.COMPLAINT_CALLBACK) == 1
                    assert kinds.count(TaskKind.COMPLAINT_REVIEW) == 1
    finally:
        database.close()


@HYP
@given(specs=st.lists(client_specs(dnc=False), min_size=1, max_size=3), today=TODAYS,
       cap_count=st.integers(1, 3), cap_days=st.sampled_from([7, 14, 30]))
def test_property_contact_cap_holds(tmp_path_factory, sqlite_template, specs, today,
                                    cap_count, cap_days):
    rules = ScheduleRules(cap_count=cap_count, cap_days=cap_days)
    database = _fresh(tmp_path_factory, sqlite_template)
    try:
        with database.session() as s:
            ids = []
            for i, spec in enumerate(specs):
                # pre-existing contacts on distinct days within the engine's look-back
                # (at most cap_count of them, so the start is within the cap)
                kept = sorted({1 + (k - 1) % cap_days for k in spec["contacts"]})[:cap_count]
                spec = dict(spec, contacts=kept)
                ids.append(_build(s, spec, today, i))
            client_service.refresh_client_stats(s, today=today)
            schedule.regenerate(s, today, rules=rules)
            event("a task moved by the cap" if any(t.reason == schedule.REASON_CAP
                                                  for t in tasks(s)) else "no cap move")
            for cid in ids:
                days = [k.at.date() for k in s.scalars(select(Contact).where(
                    Contact.client_id == cid, Contact.direction == Direction.OUTBOUND))]
                days += [t.due_on for t in tasks(s, cid, status=OPEN)
                         if t.kind in schedule.OUTBOUND_KINDS]
                if not days:
                    continue
                start = min(days)
                while start <= max(days):
                    end = start + timedelta(days=cap_days - 1)
                    held = sorted(x for x in days if start <= x <= end)
                    assert len(held) <= cap_count, (cid, start, held)
                    start += timedelta(days=1)
    finally:
        database.close()


@settings(max_examples=25, deadline=None)
@given(md=st.one_of(st.just((2, 29)), MONTH_DAYS), first=st.integers(2025, 2032))
def test_property_a_yearly_date_comes_once_a_year(md, first):
    month, day = md
    years = range(first, 2033)
    hits: dict[int, set[date]] = {y: set() for y in range(first, 2034)}
    cur = date(first, 1, 1)
    while cur.year in years:
        nxt = schedule.next_occurrence(month, day, cur)
        assert nxt >= cur
        assert nxt == schedule.yearly_occurrence(month, day, nxt.year)
        # nothing between today and the next occurrence is an occurrence
        assert nxt.year in (cur.year, cur.year + 1)
        hits[nxt.year].add(nxt)
        cur += timedelta(days=1)
    for y in years:
        assert len(hits[y]) == 1, (y, hits[y])
        (only,) = hits[y]
        assert only == schedule.yearly_occurrence(month, day, y)
        assert only.month == month
        expected_day = 28 if (month, day) == (2, 29) and not calendar.isleap(y) else day
        assert only.day == expected_day


def test_new_tasks_written_in_batches_are_those_of_one_statement(db, make_client,
                                                                 monkeypatch):
    """The new tasks go in batches of INSERT_BATCH rows (the window's memory at a
    million): with batches of 2, the same tasks, with the ids in the same order, as
    with one statement."""
    today = date(2026, 3, 2)
    for i in range(7):
        make_client(f"Client {i}", purchases=[(today - timedelta(days=3 + i), "10")])

    def made() -> list[tuple]:
        with db.session() as s:
            s.execute(Task.__table__.delete())
            schedule.regenerate(s, today, full=True)
            return [(t.id, t.client_id, t.kind, t.due_on, t.source_key) for t in
                    s.scalars(select(Task).order_by(Task.id))]

    one = made()
    monkeypatch.setattr(schedule, "INSERT_BATCH", 2)
    batched = made()
    assert len(one) > 2 * 2  # three batches at least
    first = one[0][0], batched[0][0]
    assert [(r[0] - first[0],) + r[1:] for r in one] == \
        [(r[0] - first[1],) + r[1:] for r in batched]
