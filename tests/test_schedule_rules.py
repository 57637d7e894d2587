"""The scheduling rules of DOMAIN.md with worked examples, and their properties."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.db import open_database
from app.models import Complaint, Contact, Task
from app.models.enums import (
    Direction, MembershipStatus, Outcome, TaskKind, TaskStatus,
)
from app.services import clients as cs
from app.services import schedule
from app.services.schedule import ScheduleRules, next_occurrence, regenerate, yearly_occurrence

TODAY = date(2026, 11, 23)  # a Monday
ONLY = dict(follow_up=False, onboarding=False, renewal=False, personal_dates=False,
            win_back=False, keep_in_touch=False, quarterly_review=False)


def rules(**on) -> ScheduleRules:
    return ScheduleRules(**{**ONLY, **on})


def save(db, data: cs.ClientData) -> int:
    with db.session() as s:
        return cs.save_client(s, data, region="PL", today=TODAY)


def tasks(db, **where) -> list[Task]:
    with db.sessions() as s:
        stmt = select(Task)
        for k, v in where.items():
            stmt = stmt.where(getattr(Task, k) == v)
        return list(s.scalars(stmt.order_by(Task.due_on, Task.id)))


def regen(db, r: ScheduleRules, today: date = TODAY, ids=None):
    with db.session() as s:
        return regenerate(s, today, client_ids=ids, rules=r)


def called(db, cid: int, *days_ago: int) -> None:
    """Log outbound calls to a client that many days before TODAY."""
    with db.session() as s:
        for d in days_ago:
            s.add(Contact(client_id=cid, at=datetime.combine(TODAY + timedelta(days=-d),
                                                            datetime.min.time()),
                          outcome=Outcome.REACHED, direction=Direction.OUTBOUND))


def test_follow_up_for_new_clients_and_big_purchases(db):
    day = TODAY - timedelta(days=1)
    new = save(db, cs.ClientData(name="New", purchases=[cs.PurchaseData(purchased_on=day,
                                                                         amount=Decimal(10))]))
    old_days = [TODAY - timedelta(days=d) for d in (300, 200, 100)]
    regular = save(db, cs.ClientData(name="Regular", purchases=[
        cs.PurchaseData(purchased_on=d, amount=Decimal(10)) for d in old_days] + [
        cs.PurchaseData(purchased_on=day, amount=Decimal(900))]))
    regen(db, rules(follow_up=True))
    t = tasks(db, kind=TaskKind.FOLLOW_UP)
    assert [(x.client_id, x.due_on, x.window_end) for x in t] == [
        (new, day + timedelta(days=3), day + timedelta(days=7))]
    assert t[0].rule == "rule.follow_up"
    regen(db, rules(follow_up=True, follow_up_min_amount=Decimal(500)))
    assert {x.client_id for x in tasks(db, kind=TaskKind.FOLLOW_UP)} == {new, regular}


def test_idempotent_and_follows_its_source(db):
    day = TODAY - timedelta(days=1)
    cid = save(db, cs.ClientData(name="Anna", purchases=[
        cs.PurchaseData(purchased_on=day, amount=Decimal(10))]))
    r = rules(follow_up=True)
    first = regen(db, r)
    second = regen(db, r)
    assert first.created == 1 and second.created == 0 and second.unchanged == 1
    (task,) = tasks(db)
    with db.session() as s:
        data = cs.load_client(s, cid)
    data.purchases[0].purchased_on = day + timedelta(days=1)  # re-dated
    save(db, data)
    regen(db, r)
    (moved,) = tasks(db)
    assert moved.id == task.id and moved.due_on == task.due_on + timedelta(days=1)
    with db.session() as s:
        data = cs.load_client(s, cid)
    data.purchases = []
    save(db, data)
    regen(db, r)
    (gone,) = tasks(db)
    assert gone.status == TaskStatus.CANCELLED and gone.reason == schedule.REASON_SOURCE_GONE


def test_done_tasks_are_never_touched(db):
    cid = save(db, cs.ClientData(name="Anna", purchases=[
        cs.PurchaseData(purchased_on=TODAY, amount=Decimal(10))]))
    regen(db, rules(follow_up=True))
    with db.session() as s:
        t = s.scalar(select(Task))
        t.status = TaskStatus.DONE
        due = t.due_on
    with db.session() as s:
        data = cs.load_client(s, cid)
    data.purchases = []
    save(db, data)
    regen(db, rules(follow_up=True))
    (t,) = tasks(db)
    assert t.status == TaskStatus.DONE and t.due_on == due


def test_onboarding_and_renewal_with_a_freeze(db):
    start, end = TODAY - timedelta(days=2), TODAY + timedelta(days=40)
    cid = save(db, cs.ClientData(name="Club", memberships=[cs.MembershipData(
        plan="Monthly", starts_on=start, ends_on=end)]))
    regen(db, rules(onboarding=True, renewal=True))
    assert tasks(db, kind=TaskKind.ONBOARDING)[0].due_on == start + timedelta(days=7)
    renewal = tasks(db, kind=TaskKind.RENEWAL)[0]
    assert (renewal.due_on, renewal.window_end) == (end - timedelta(days=14), end)
    with db.session() as s:
        data = cs.load_client(s, cid)
    m = data.memberships[0]
    m.status, m.frozen_from, m.frozen_until = (MembershipStatus.FROZEN, TODAY,
                                               TODAY + timedelta(days=9))  # 10 days
    save(db, data)
    regen(db, rules(onboarding=True, renewal=True))
    assert tasks(db, kind=TaskKind.RENEWAL)[0].due_on == end + timedelta(days=10 - 14)
    with db.session() as s:
        data = cs.load_client(s, cid)
    data.memberships[0].status = MembershipStatus.CANCELLED
    data.memberships[0].frozen_from = data.memberships[0].frozen_until = None
    save(db, data)
    regen(db, rules(onboarding=True, renewal=True))
    assert tasks(db, kind=TaskKind.RENEWAL)[0].status == TaskStatus.CANCELLED


def test_birthdays_of_client_and_relative_with_gift_reminders(db):
    rel = cs.RelativeData(name="Ola")
    cid = save(db, cs.ClientData(name="Anna", relatives=[rel], dates=[
        cs.PersonalDateData(month=12, day=1, year=1980),
        cs.PersonalDateData(month=12, day=10, relative_key=rel.key, gift_reminder_days=5)]))
    regen(db, rules(personal_dates=True))
    calls = tasks(db, kind=TaskKind.PERSONAL_DATE)
    gifts = tasks(db, kind=TaskKind.GIFT)
    assert [t.due_on for t in calls] == [date(2026, 12, 1), date(2026, 12, 10)]
    assert [t.due_on for t in gifts] == [date(2026, 11, 28), date(2026, 12, 5)]
    assert {t.client_id for t in calls + gifts} == {cid}


def test_29_february_falls_on_28_february_in_common_years():
    assert yearly_occurrence(2, 29, 2027) == date(2027, 2, 28)
    assert yearly_occurrence(2, 29, 2028) == date(2028, 2, 29)
    assert next_occurrence(2, 29, date(2027, 1, 1)) == date(2027, 2, 28)
    assert next_occurrence(2, 29, date(2027, 3, 1)) == date(2028, 2, 29)


def test_complaint_call_back_and_review_once_even_for_do_not_contact(db):
    cid = save(db, cs.ClientData(name="Upset", do_not_contact=True))
    resolved = datetime(2026, 11, 20, 16, 0)
    with db.session() as s:
        c = Complaint(client_id=cid, opened_at=resolved - timedelta(days=1),
                      resolved_at=resolved)
        s.add(c)
        s.flush()
        complaint_id = c.id
        for _ in range(3):  # a full cap does not hold the call-back back
            s.add(Contact(client_id=cid, at=datetime(2026, 11, 21, 10),
                          outcome=Outcome.REACHED, direction=Direction.OUTBOUND))
    for _ in range(2):
        with db.session() as s:
            schedule.schedule_complaint_follow_ups(s, complaint_id)
        regen(db, ScheduleRules())
    back = tasks(db, kind=TaskKind.COMPLAINT_CALLBACK)
    review = tasks(db, kind=TaskKind.COMPLAINT_REVIEW)
    assert [t.due_on for t in back] == [date(2026, 11, 22)]
    assert [t.due_on for t in review] == [date(2026, 11, 21)]
    assert {t.kind for t in tasks(db) if t.client_id == cid} == {
        TaskKind.COMPLAINT_CALLBACK, TaskKind.COMPLAINT_REVIEW}


def test_win_back_needs_consent_and_ends_with_a_new_purchase(db):
    days = [TODAY - timedelta(days=d) for d in (55, 45, 35, 25)]  # every 10 days
    data = cs.ClientData(name="Regular", purchases=[
        cs.PurchaseData(purchased_on=d, amount=Decimal(10)) for d in days])
    no_consent = save(db, data)
    with_consent = save(db, cs.ClientData(
        name="Agreed", marketing_consent=True, marketing_consent_on=TODAY,
        purchases=[cs.PurchaseData(purchased_on=d, amount=Decimal(10)) for d in days]))
    stats = regen(db, rules(win_back=True))
    wins = tasks(db, kind=TaskKind.WIN_BACK)
    assert [t.client_id for t in wins] == [with_consent] and stats.suppressed == 1
    with db.session() as s:
        cs.add_purchase(s, with_consent, cs.PurchaseData(purchased_on=TODAY,
                                                         amount=Decimal(5)), today=TODAY)
    regen(db, rules(win_back=True))
    (win,) = tasks(db, kind=TaskKind.WIN_BACK)
    assert win.status == TaskStatus.CANCELLED and win.reason == schedule.REASON_BOUGHT_AGAIN
    assert no_consent != with_consent


def test_do_not_contact_gets_no_outbound_tasks(db):
    save(db, cs.ClientData(name="Private", do_not_contact=True,
                           purchases=[cs.PurchaseData(purchased_on=TODAY, amount=Decimal(1))],
                           dates=[cs.PersonalDateData(month=12, day=1)]))
    regen(db, ScheduleRules())
    kinds = {t.kind for t in tasks(db) if t.client_id is not None}
    assert kinds <= schedule.INTERNAL_KINDS | {TaskKind.COMPLAINT_CALLBACK}


def test_cap_moves_a_call_to_the_first_allowed_day(db):
    cid = save(db, cs.ClientData(name="Busy", purchases=[
        cs.PurchaseData(purchased_on=TODAY, amount=Decimal(1))]))
    called(db, cid, *(20, 10, 1))
    regen(db, rules(follow_up=True))
    (t,) = tasks(db)
    # the three contacts fill every 30-day window up to 20 days ago + 30
    assert t.due_on == TODAY - timedelta(days=20) + timedelta(days=30)
    assert t.reason == schedule.REASON_CAP and t.rule_due_on == TODAY + timedelta(days=3)


def test_preferred_weekdays_move_the_call(db):
    save(db, cs.ClientData(name="Mondays", contact_days="1", purchases=[
        cs.PurchaseData(purchased_on=TODAY, amount=Decimal(1))]))
    regen(db, rules(follow_up=True))
    (t,) = tasks(db)
    assert t.due_on == date(2026, 11, 30) and t.reason == schedule.REASON_DAYS


def test_quarterly_review_once_a_quarter(db):
    regen(db, rules(quarterly_review=True))
    regen(db, rules(quarterly_review=True))
    (t,) = tasks(db)
    assert (t.kind, t.client_id, t.due_on, t.source_key) == (
        TaskKind.QUARTERLY_REVIEW, None, date(2026, 10, 1), "quarterly_review:2026Q4")


# --------------------------------------------------------------------------- properties

HYP = settings(max_examples=20, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture])
offsets = st.lists(st.integers(min_value=-60, max_value=0), min_size=0, max_size=6)
client_st = st.fixed_dictionaries({
    "purchases": offsets,
    "dnc": st.booleans(),
    "consent": st.booleans(),
    "contacts": st.lists(st.sampled_from([-40, -25, -12, -2]), max_size=3, unique=True),
    "dates": st.lists(st.tuples(st.integers(1, 12), st.integers(1, 28)), max_size=2),
    "membership_end": st.one_of(st.none(), st.integers(min_value=-5, max_value=60)),
})


def _fresh_db():
    return open_database(Path(tempfile.mkdtemp()) / "h.sqlite")


def _build(db, people) -> list[int]:
    ids = []
    for i, p in enumerate(people):
        data = cs.ClientData(
            name=f"Client {i}", do_not_contact=p["dnc"], marketing_consent=p["consent"],
            marketing_consent_on=TODAY if p["consent"] else None,
            purchases=[cs.PurchaseData(purchased_on=TODAY + timedelta(days=o),
                                       amount=Decimal(10)) for o in p["purchases"]],
            dates=[cs.PersonalDateData(month=m, day=d) for m, d in p["dates"]])
        if p["membership_end"] is not None:
            end = TODAY + timedelta(days=p["membership_end"])
            data.memberships = [cs.MembershipData(plan="Plan", starts_on=end - timedelta(30),
                                                  ends_on=end)]
        cid = save(db, data)
        called(db, cid, *(-d for d in p["contacts"]))
        ids.append(cid)
    return ids


@HYP
@given(st.lists(client_st, min_size=1, max_size=4))
def test_property_idempotent_and_rules_hold(people):
    db = _fresh_db()
    try:
        ids = _build(db, people)
        r = ScheduleRules()
        regen(db, r)
        before = [(t.source_key, t.due_on, t.status) for t in tasks(db)]
        again = regen(db, r)
        assert again.created == 0 and again.moved == 0 and again.cancelled == 0
        assert [(t.source_key, t.due_on, t.status) for t in tasks(db)] == before
        allowed = schedule.INTERNAL_KINDS | {TaskKind.COMPLAINT_CALLBACK}
        for cid, p in zip(ids, people, strict=True):
            mine = [t for t in tasks(db) if t.client_id == cid]
            if p["dnc"]:
                assert {t.kind for t in mine} <= allowed
            # the cap: no 30-day window holds more than 3 outbound contacts
            days = [TODAY + timedelta(days=d) for d in p["contacts"]] + [
                t.due_on for t in mine if t.kind in schedule.OUTBOUND_KINDS
                and t.status == TaskStatus.OPEN]
            for start in {d - timedelta(days=k) for d in days for k in range(30)}:
                inside = [d for d in days if start <= d <= start + timedelta(days=29)]
                assert len(inside) <= r.cap_count, (p, sorted(days))
    finally:
        db.close()


@given(st.integers(1, 12), st.integers(1, 31), st.integers(2025, 2032))
def test_property_a_yearly_date_happens_once_a_year(month, day, year):
    try:
        date(2000, month, day)
    except ValueError:
        return  # not a calendar date in any year
    hits = {next_occurrence(month, day, date(year, 1, 1) + timedelta(days=k))
            for k in range(366 if year % 4 == 0 else 365)}
    in_year = [h for h in hits if h.year == year]
    assert len(in_year) == 1
    assert in_year[0] == yearly_occurrence(month, day, year)


def test_several_lines_of_one_visit_get_one_follow_up(db):
    day = TODAY - timedelta(days=1)
    save(db, cs.ClientData(name="Basket", purchases=[
        cs.PurchaseData(purchased_on=day, amount=Decimal(a)) for a in (10, 20, 30)]))
    regen(db, rules(follow_up=True))
    assert len(tasks(db, kind=TaskKind.FOLLOW_UP)) == 1


def test_a_call_cancelled_for_do_not_contact_comes_back_when_lifted(db):
    end = TODAY + timedelta(days=20)
    cid = save(db, cs.ClientData(name="Club", memberships=[cs.MembershipData(
        plan="Monthly", starts_on=end - timedelta(days=30), ends_on=end)]))
    regen(db, rules(renewal=True))
    with db.session() as s:
        data = cs.load_client(s, cid)
    data.do_not_contact = True
    save(db, data)
    regen(db, rules(renewal=True))
    (t,) = tasks(db, kind=TaskKind.RENEWAL)
    assert (t.status, t.reason) == (TaskStatus.CANCELLED, schedule.REASON_DO_NOT_CONTACT)
    with db.session() as s:
        data = cs.load_client(s, cid)
    data.do_not_contact = False
    save(db, data)
    regen(db, rules(renewal=True))
    (t,) = tasks(db, kind=TaskKind.RENEWAL)
    assert t.status == TaskStatus.OPEN and t.due_on == end - timedelta(days=14)
    again = regen(db, rules(renewal=True))
    assert again.created == 0  # and it stays idempotent


def test_cap_counts_contacts_before_a_task_placed_in_the_past(db):
    """Found by the property test: contacts 40, 25 and 12 days ago and a call whose rule
    day lies 14 days back must not make four contacts in one 30-day window."""
    cid = save(db, cs.ClientData(name="Club", memberships=[cs.MembershipData(
        plan="Monthly", starts_on=TODAY - timedelta(days=60), ends_on=TODAY)]))
    # the renewal's rule day is 14 days ago
    called(db, cid, *(40, 25, 12))
    regen(db, rules(renewal=True))
    (t,) = tasks(db)
    assert t.rule_due_on == TODAY - timedelta(days=14) and t.reason == schedule.REASON_CAP
    contacts = [TODAY - timedelta(days=d) for d in (40, 25, 12)] + [t.due_on]
    for begin in (d - timedelta(days=k) for d in contacts for k in range(30)):
        assert sum(begin <= d <= begin + timedelta(days=29) for d in contacts) <= 3
