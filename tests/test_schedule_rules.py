"""The scheduling rules of DOMAIN.md with worked examples, and their properties."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.db import open_database
from app.models import Complaint, Contact, Task
from app.models.enums import (
    Direction,
    MembershipStatus,
    Outcome,
    Segment,
    TaskKind,
    TaskStatus,
    Tone,
)
from app.services import calls, schedule
from app.services import clients as client_service
from app.services import settings as settings_service
from app.services.schedule import ScheduleRules, next_occurrence, regenerate, yearly_occurrence
from app.services.workdays import WorkingCalendar

TODAY = date(2026, 11, 23)  # a Monday
ONLY = dict(follow_up=False, onboarding=False, renewal=False, personal_dates=False,
            win_back=False, keep_in_touch=False, quarterly_review=False)


def rules(**on) -> ScheduleRules:
    return ScheduleRules(**{**ONLY, **on})


def save(db, data: client_service.ClientData, today: date = TODAY) -> int:
    with db.session() as s:
        return client_service.save_client(s, data, region="PL", today=today)


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
    new = save(db, client_service.ClientData(name="New", purchases=[client_service.PurchaseData(purchased_on=day,
                                                                         amount=Decimal(10))]))
    old_days = [TODAY - timedelta(days=d) for d in (300, 200, 100)]
    regular = save(db, client_service.ClientData(name="Regular", purchases=[
        client_service.PurchaseData(purchased_on=d, amount=Decimal(10)) for d in old_days] + [
        client_service.PurchaseData(purchased_on=day, amount=Decimal(900))]))
    regen(db, rules(follow_up=True))
    t = tasks(db, kind=TaskKind.FOLLOW_UP)
    assert [(x.client_id, x.due_on, x.window_end) for x in t] == [
        (new, day + timedelta(days=3), day + timedelta(days=7))]
    assert t[0].rule == "rule.follow_up"
    regen(db, rules(follow_up=True, follow_up_min_amount=Decimal(500)))
    assert {x.client_id for x in tasks(db, kind=TaskKind.FOLLOW_UP)} == {new, regular}


def test_idempotent_and_follows_its_source(db):
    day = TODAY - timedelta(days=1)
    cid = save(db, client_service.ClientData(name="Anna", purchases=[
        client_service.PurchaseData(purchased_on=day, amount=Decimal(10))]))
    r = rules(follow_up=True)
    first = regen(db, r)
    second = regen(db, r)
    assert first.created == 1 and second.created == 0 and second.unchanged == 1
    (task,) = tasks(db)
    with db.session() as s:
        data = client_service.load_client(s, cid)
    data.purchases[0].purchased_on = day + timedelta(days=1)  # re-dated
    save(db, data)
    regen(db, r)
    (moved,) = tasks(db)
    assert moved.id == task.id and moved.due_on == task.due_on + timedelta(days=1)
    with db.session() as s:
        data = client_service.load_client(s, cid)
    data.purchases = []
    save(db, data)
    regen(db, r)
    (gone,) = tasks(db)
    assert gone.status == TaskStatus.CANCELLED and gone.reason == schedule.REASON_SOURCE_GONE


def test_done_tasks_are_never_touched(db):
    cid = save(db, client_service.ClientData(name="Anna", purchases=[
        client_service.PurchaseData(purchased_on=TODAY, amount=Decimal(10))]))
    regen(db, rules(follow_up=True))
    with db.session() as s:
        t = s.scalar(select(Task))
        t.status = TaskStatus.DONE
        due = t.due_on
    with db.session() as s:
        data = client_service.load_client(s, cid)
    data.purchases = []
    save(db, data)
    regen(db, rules(follow_up=True))
    (t,) = tasks(db)
    assert t.status == TaskStatus.DONE and t.due_on == due


def test_onboarding_and_renewal_with_a_freeze(db):
    start, end = TODAY - timedelta(days=2), TODAY + timedelta(days=40)
    cid = save(db, client_service.ClientData(name="Club", memberships=[client_service.MembershipData(
        plan="Monthly", starts_on=start, ends_on=end)]))
    regen(db, rules(onboarding=True, renewal=True))
    assert tasks(db, kind=TaskKind.ONBOARDING)[0].due_on == start + timedelta(days=7)
    renewal = tasks(db, kind=TaskKind.RENEWAL)[0]
    assert (renewal.due_on, renewal.window_end) == (end - timedelta(days=14), end)
    with db.session() as s:
        data = client_service.load_client(s, cid)
    m = data.memberships[0]
    m.status, m.frozen_from, m.frozen_until = (MembershipStatus.FROZEN, TODAY,
                                               TODAY + timedelta(days=9))  # 10 days
    save(db, data)
    regen(db, rules(onboarding=True, renewal=True))
    assert tasks(db, kind=TaskKind.RENEWAL)[0].due_on == end + timedelta(days=10 - 14)
    with db.session() as s:
        data = client_service.load_client(s, cid)
    data.memberships[0].status = MembershipStatus.CANCELLED
    data.memberships[0].frozen_from = data.memberships[0].frozen_until = None
    save(db, data)
    regen(db, rules(onboarding=True, renewal=True))
    assert tasks(db, kind=TaskKind.RENEWAL)[0].status == TaskStatus.CANCELLED


def test_birthdays_of_client_and_relative_with_gift_reminders(db):
    rel = client_service.RelativeData(name="Ola")
    cid = save(db, client_service.ClientData(name="Anna", relatives=[rel], dates=[
        client_service.PersonalDateData(month=12, day=1, year=1980),
        client_service.PersonalDateData(month=12, day=10, relative_key=rel.key, gift_reminder_days=5)]))
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
    cid = save(db, client_service.ClientData(name="Upset", do_not_contact=True))
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
    # resolved Friday + 2 days is Sunday 22 November: the business (Monday to Saturday by
    # default) is closed, so the call-back is on Monday
    assert [t.due_on for t in back] == [date(2026, 11, 23)]
    assert [t.due_on for t in review] == [date(2026, 11, 21)]
    assert {t.kind for t in tasks(db) if t.client_id == cid} == {
        TaskKind.COMPLAINT_CALLBACK, TaskKind.COMPLAINT_REVIEW}


def test_win_back_needs_consent_and_ends_with_a_new_purchase(db):
    days = [TODAY - timedelta(days=d) for d in (55, 45, 35, 25)]  # every 10 days
    data = client_service.ClientData(name="Regular", purchases=[
        client_service.PurchaseData(purchased_on=d, amount=Decimal(10)) for d in days])
    no_consent = save(db, data)
    with_consent = save(db, client_service.ClientData(
        name="Agreed", marketing_consent=True, marketing_consent_on=TODAY,
        purchases=[client_service.PurchaseData(purchased_on=d, amount=Decimal(10)) for d in days]))
    stats = regen(db, rules(win_back=True))
    wins = tasks(db, kind=TaskKind.WIN_BACK)
    assert [t.client_id for t in wins] == [with_consent] and stats.suppressed == 1
    with db.session() as s:
        client_service.add_purchase(s, with_consent, client_service.PurchaseData(purchased_on=TODAY,
                                                         amount=Decimal(5)), today=TODAY)
    regen(db, rules(win_back=True))
    (win,) = tasks(db, kind=TaskKind.WIN_BACK)
    assert win.status == TaskStatus.CANCELLED and win.reason == schedule.REASON_BOUGHT_AGAIN
    assert no_consent != with_consent


def test_do_not_contact_gets_no_outbound_tasks(db):
    save(db, client_service.ClientData(name="Private", do_not_contact=True,
                           purchases=[client_service.PurchaseData(purchased_on=TODAY, amount=Decimal(1))],
                           dates=[client_service.PersonalDateData(month=12, day=1)]))
    regen(db, ScheduleRules())
    kinds = {t.kind for t in tasks(db) if t.client_id is not None}
    assert kinds <= schedule.INTERNAL_KINDS | {TaskKind.COMPLAINT_CALLBACK}


def test_cap_moves_a_call_to_the_first_allowed_day(db):
    cid = save(db, client_service.ClientData(name="Busy", purchases=[
        client_service.PurchaseData(purchased_on=TODAY, amount=Decimal(1))]))
    called(db, cid, *(20, 10, 1))
    regen(db, rules(follow_up=True))
    (t,) = tasks(db)
    # the three contacts fill every 30-day window up to 20 days ago + 30
    assert t.due_on == TODAY - timedelta(days=20) + timedelta(days=30)
    assert t.reason == schedule.REASON_CAP and t.rule_due_on == TODAY + timedelta(days=3)


def test_preferred_weekdays_move_the_call(db):
    save(db, client_service.ClientData(name="Mondays", contact_days="1", purchases=[
        client_service.PurchaseData(purchased_on=TODAY, amount=Decimal(1))]))
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
        data = client_service.ClientData(
            name=f"Client {i}", do_not_contact=p["dnc"], marketing_consent=p["consent"],
            marketing_consent_on=TODAY if p["consent"] else None,
            purchases=[client_service.PurchaseData(purchased_on=TODAY + timedelta(days=o),
                                       amount=Decimal(10)) for o in p["purchases"]],
            dates=[client_service.PersonalDateData(month=m, day=d) for m, d in p["dates"]])
        if p["membership_end"] is not None:
            end = TODAY + timedelta(days=p["membership_end"])
            data.memberships = [client_service.MembershipData(plan="Plan", starts_on=end - timedelta(30),
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


week_st = st.sets(st.sampled_from("1234567"), min_size=1, max_size=6).map(
    lambda s: "".join(sorted(s)))


@HYP
@given(st.lists(client_st, min_size=1, max_size=4), week_st,
       st.sampled_from(["PL", "BG", "RU"]), st.integers(0, 2))
def test_property_no_task_on_a_closed_day_and_none_for_who_was_called_today(
        people, week, country, called_today):
    """Whatever the week and the country, every task the engine places is on a working
    day, the result is idempotent, and a client contacted today has no new call today."""
    db = _fresh_db()
    try:
        ids = _build(db, people)
        with db.session() as s:
            for cid in ids[:called_today]:
                s.add(Contact(client_id=cid, at=datetime.combine(TODAY, time(9, 0)),
                              outcome=Outcome.COMPLAINT_FOUND, direction=Direction.OUTBOUND))
        r = ScheduleRules(working_days=week, country=country)
        cal = r.calendar
        regen(db, r)
        before = [(t.source_key, t.due_on, t.status) for t in tasks(db)]
        again = regen(db, r)
        assert again.created == 0 and again.moved == 0 and again.cancelled == 0
        assert [(t.source_key, t.due_on, t.status) for t in tasks(db)] == before
        for t in tasks(db):
            assert cal.is_working_day(t.due_on), (t.kind, t.due_on, week, country)
            if t.client_id in ids[:called_today] and t.kind in schedule.CAPPED_KINDS:
                assert t.due_on > TODAY, (t.kind, t.due_on)
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
    save(db, client_service.ClientData(name="Basket", purchases=[
        client_service.PurchaseData(purchased_on=day, amount=Decimal(a)) for a in (10, 20, 30)]))
    regen(db, rules(follow_up=True))
    assert len(tasks(db, kind=TaskKind.FOLLOW_UP)) == 1


def test_a_call_cancelled_for_do_not_contact_comes_back_when_lifted(db):
    end = TODAY + timedelta(days=20)
    cid = save(db, client_service.ClientData(name="Club", memberships=[client_service.MembershipData(
        plan="Monthly", starts_on=end - timedelta(days=30), ends_on=end)]))
    regen(db, rules(renewal=True))
    with db.session() as s:
        data = client_service.load_client(s, cid)
    data.do_not_contact = True
    save(db, data)
    regen(db, rules(renewal=True))
    (t,) = tasks(db, kind=TaskKind.RENEWAL)
    assert (t.status, t.reason) == (TaskStatus.CANCELLED, schedule.REASON_DO_NOT_CONTACT)
    with db.session() as s:
        data = client_service.load_client(s, cid)
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
    cid = save(db, client_service.ClientData(name="Club", memberships=[client_service.MembershipData(
        plan="Monthly", starts_on=TODAY - timedelta(days=60), ends_on=TODAY)]))
    # the renewal's rule day is 14 days ago
    called(db, cid, *(40, 25, 12))
    regen(db, rules(renewal=True))
    (t,) = tasks(db)
    assert t.rule_due_on == TODAY - timedelta(days=14) and t.reason == schedule.REASON_CAP
    contacts = [TODAY - timedelta(days=d) for d in (40, 25, 12)] + [t.due_on]
    for begin in (d - timedelta(days=k) for d in contacts for k in range(30)):
        assert sum(begin <= d <= begin + timedelta(days=29) for d in contacts) <= 3


# --------------------------------------------------------------------------- contacted today

def _a_client(db, **fields) -> int:
    """An A client with consent whose last pleasant contact was 65 days ago (so a
    keep-in-touch call is due) and a purchase 3 days ago (so a follow-up is due today)."""
    cid = save(db, client_service.ClientData(
        name="Anna", segment_override=Segment.A, segment_override_reason="owner knows best",
        marketing_consent=True, marketing_consent_on=date(2025, 1, 1),
        purchases=[client_service.PurchaseData(purchased_on=TODAY - timedelta(days=3),
                                   amount=Decimal(80))], **fields))
    with db.session() as s:
        s.add(Contact(client_id=cid, at=datetime(2026, 9, 19, 10), outcome=Outcome.REACHED,
                      direction=Direction.INBOUND, tone=Tone.POSITIVE))
    return cid


@pytest.mark.parametrize("outcome", list(Outcome))
@pytest.mark.parametrize("direction", list(Direction))
def test_a_client_contacted_today_gets_no_new_call_today(db, outcome, direction):
    """Any contact today (complaint found included, the client's own call too): the calls
    the engine now makes for that client go to the next working day."""
    cid = _a_client(db)
    with db.session() as s:
        s.add(Contact(client_id=cid, at=datetime.combine(TODAY, time(10, 5)),
                      outcome=outcome, direction=direction, tone=Tone.NEGATIVE))
    regen(db, rules(follow_up=True, keep_in_touch=True))
    made = tasks(db, client_id=cid)
    assert {t.kind for t in made} == {TaskKind.FOLLOW_UP, TaskKind.KEEP_IN_TOUCH}
    for t in made:
        assert (t.due_on, t.reason) == (TODAY + timedelta(days=1),
                                        schedule.REASON_CONTACTED_TODAY), t.kind


def test_complaint_found_today_is_not_followed_by_a_keep_in_touch_call(db):
    """The issue's case, through the call log: the follow-up call finds a complaint; the
    keep-in-touch call the engine makes next is tomorrow, not at once."""
    cid = _a_client(db)
    regen(db, rules(follow_up=True))
    follow_up = tasks(db, client_id=cid)[0]
    with db.session() as s:
        res = calls.log_call(s, calls.CallLog(client_id=cid, task_id=follow_up.id,
                                              outcome=Outcome.COMPLAINT_FOUND,
                                              tone=Tone.NEGATIVE, note="Broken zip"),
                             now=datetime.combine(TODAY, time(11, 0)))
        assert res.complaint_id is not None
    regen(db, rules(follow_up=True, keep_in_touch=True))
    keep = tasks(db, client_id=cid, kind=TaskKind.KEEP_IN_TOUCH)
    assert [(t.due_on, t.reason) for t in keep] == [
        (TODAY + timedelta(days=1), schedule.REASON_CONTACTED_TODAY)]
    with db.sessions() as s:
        # the logged follow-up stays in the queue, settled; nothing new is left to call
        assert [r.client_id for r in calls.today_queue(s, TODAY) if not r.settled] == []


def test_a_contact_yesterday_or_a_call_back_do_not_move_today(db):
    """Only today's contacts count; a complaint call-back (the promise made after the
    fix) and internal tasks are no new outbound calls and stay where they are."""
    cid = _a_client(db)
    with db.session() as s:
        s.add(Contact(client_id=cid, at=datetime.combine(TODAY - timedelta(days=1),
                                                         time(18, 0)),
                      outcome=Outcome.REACHED, direction=Direction.OUTBOUND))
    regen(db, rules(follow_up=True))
    assert [t.due_on for t in tasks(db, client_id=cid)] == [TODAY]
    other = save(db, client_service.ClientData(name="Upset"))
    with db.session() as s:
        s.add(Complaint(client_id=other, opened_at=datetime(2026, 11, 22, 9),
                        resolved_at=datetime.combine(TODAY, time(9, 0))))
        s.add(Contact(client_id=other, at=datetime.combine(TODAY, time(9, 30)),
                      outcome=Outcome.REACHED, direction=Direction.INBOUND))
    regen(db, ScheduleRules(**{**ONLY, "callback_after": 0, "review_after": 0}))
    assert sorted((t.kind, t.due_on) for t in tasks(db, client_id=other)) == [
        (TaskKind.COMPLAINT_CALLBACK, TODAY), (TaskKind.COMPLAINT_REVIEW, TODAY)]


# --------------------------------------------------------------------------- working days

PL_WEEK = {"working_days": "12345", "country": "PL"}
XMAS_MONDAY = date(2026, 12, 21)  # 24, 25 and 26 December are public holidays in Poland


def test_calendar_skips_weekends_and_public_holidays():
    cal = WorkingCalendar("12345", "PL")
    assert cal.is_working_day(date(2026, 12, 23))
    assert not cal.is_working_day(date(2026, 12, 24))   # Wigilia, a holiday since 2025
    assert not cal.is_working_day(date(2026, 11, 11))   # Independence Day, a Wednesday
    assert cal.on_or_after(date(2026, 12, 24)) == date(2026, 12, 28)
    assert cal.next_working_day(date(2026, 12, 23)) == date(2026, 12, 28)
    assert cal.on_or_before(date(2026, 12, 27)) == date(2026, 12, 23)
    # Saturday works in a Monday-to-Saturday business, unless it is a holiday
    assert WorkingCalendar("123456", "PL").next_working_day(date(2026, 11, 27)) == \
        date(2026, 11, 28)
    assert WorkingCalendar("123456", "PL").on_or_after(date(2026, 12, 26)) == \
        date(2026, 12, 28)
    # another country, other holidays; an unknown one has none
    assert WorkingCalendar("12345", "GB").is_working_day(date(2026, 11, 11))
    assert WorkingCalendar("12345", "ZZ").is_working_day(date(2026, 12, 24))
    # an empty week would close the business for ever: every day is open instead
    assert WorkingCalendar("", "").is_working_day(date(2026, 12, 27))


@settings(max_examples=200, deadline=None)
@given(day=st.dates(date(2024, 1, 1), date(2030, 12, 31)),
       days=st.sets(st.sampled_from("1234567"), min_size=1).map(lambda s: "".join(sorted(s))),
       country=st.sampled_from(["PL", "BG", "RU", "GB", "DE", ""]))
def test_on_or_after_is_the_first_working_day(day, days, country):
    cal = WorkingCalendar(days, country)
    found = cal.on_or_after(day)
    assert found >= day and cal.is_working_day(found)
    assert all(not cal.is_working_day(day + timedelta(days=k))
               for k in range((found - day).days))
    back = cal.on_or_before(day)
    assert back <= day and cal.is_working_day(back)
    assert cal.next_working_day(day) == cal.on_or_after(day + timedelta(days=1))


def test_no_call_or_renewal_on_a_closed_day(db):
    """Wednesday 11 November 2026 is Independence Day in Poland; the business works
    Monday to Friday. Every rule asks for the 11th; nothing is placed on it."""
    monday = date(2026, 11, 9)
    cid = save(db, client_service.ClientData(
        name="Club", purchases=[client_service.PurchaseData(purchased_on=date(2026, 11, 8),
                                                amount=Decimal(10))],
        memberships=[client_service.MembershipData(plan="Gym", starts_on=date(2026, 11, 4),
                                       ends_on=date(2026, 11, 25))],
        dates=[client_service.PersonalDateData(month=11, day=14)]),  # a Saturday; gift 3 days before
        today=monday)
    regen(db, rules(follow_up=True, renewal=True, onboarding=True, personal_dates=True,
                    cap_count=10, **PL_WEEK), today=monday)
    due = {t.kind: (t.due_on, t.reason) for t in tasks(db, client_id=cid)}
    moved = schedule.REASON_NON_WORKING
    assert due[TaskKind.RENEWAL] == (date(2026, 11, 12), moved)
    assert due[TaskKind.FOLLOW_UP] == (date(2026, 11, 12), moved)
    assert due[TaskKind.ONBOARDING] == (date(2026, 11, 12), moved)
    assert due[TaskKind.PERSONAL_DATE] == (date(2026, 11, 16), moved)
    assert due[TaskKind.GIFT] == (date(2026, 11, 10), moved)  # before the date, not after
    # the same business in Britain works on the 11th
    other = save(db, client_service.ClientData(name="London", purchases=[
        client_service.PurchaseData(purchased_on=date(2026, 11, 8), amount=Decimal(10))]), today=monday)
    regen(db, rules(follow_up=True, working_days="12345", country="GB"), today=monday,
          ids=[other])
    assert tasks(db, client_id=other)[0].due_on == date(2026, 11, 11)
    # the quarterly review of January: New Year's Day is a holiday, the 2nd a Saturday
    with db.session() as s:
        regenerate(s, date(2027, 1, 1), rules=rules(quarterly_review=True, **PL_WEEK))
    review = tasks(db, kind=TaskKind.QUARTERLY_REVIEW)[-1]
    assert (review.source_key, review.due_on) == ("quarterly_review:2027Q1",
                                                  date(2027, 1, 4))


def test_open_calls_leave_a_day_that_stopped_being_a_working_day(db):
    cid = save(db, client_service.ClientData(name="Anna", purchases=[
        client_service.PurchaseData(purchased_on=date(2026, 11, 25), amount=Decimal(10))]))
    week6 = rules(follow_up=True, working_days="123456", country="PL")
    regen(db, week6)
    assert tasks(db, client_id=cid)[0].due_on == date(2026, 11, 28)  # a Saturday
    stats = regen(db, rules(follow_up=True, **PL_WEEK))
    t = tasks(db, client_id=cid)[0]
    assert (t.due_on, t.reason, stats.moved) == (date(2026, 11, 30),
                                                 schedule.REASON_NON_WORKING, 1)
    assert regen(db, rules(follow_up=True, **PL_WEEK)).moved == 0  # idempotent


def test_no_answer_moves_to_the_next_working_day_of_the_business(db):
    """calls.py asks the same calendar: the business's week and its country's holidays."""
    monday = date(2026, 11, 9)
    cid = save(db, client_service.ClientData(name="Anna", purchases=[
        client_service.PurchaseData(purchased_on=date(2026, 11, 6), amount=Decimal(10))]),
        today=monday)
    with db.session() as s:
        settings_service.put(s, "business.working_days", "123456")
        regenerate(s, monday)
        rules_read = ScheduleRules.from_settings(s)
        assert (rules_read.working_days, rules_read.country) == ("123456", "PL")
        task = s.scalar(select(Task).where(Task.client_id == cid))
        assert task.due_on == date(2026, 11, 9)
        res = calls.log_call(s, calls.CallLog(client_id=cid, task_id=task.id,
                                              outcome=Outcome.NO_ANSWER),
                             now=datetime(2026, 11, 10, 12, 0))
    assert res.task_due == date(2026, 11, 12)  # the 11th is Independence Day


# --------------------------------------------------------------------------- rule numbers

def test_changing_days_before_the_end_moves_the_renewal_instead_of_making_it_late(db):
    end = TODAY + timedelta(days=20)
    save(db, client_service.ClientData(name="Club", memberships=[client_service.MembershipData(
        plan="Gym", starts_on=TODAY - timedelta(days=60), ends_on=end)]))
    regen(db, rules(renewal=True))
    assert tasks(db, kind=TaskKind.RENEWAL)[0].due_on == end - timedelta(days=14)
    stats = regen(db, rules(renewal=True, renewal_before=35))
    t = tasks(db, kind=TaskKind.RENEWAL)[0]
    # 35 days before the end was 15 days ago: the call is due now, not 15 days late
    assert (t.due_on, t.rule_due_on, stats.moved) == (TODAY, end - timedelta(days=35), 1)
    regen(db, rules(renewal=True, renewal_before=7))
    assert tasks(db, kind=TaskKind.RENEWAL)[0].due_on == end - timedelta(days=7)


def test_changing_follow_up_days_places_the_call_on_its_new_day(db):
    cid = save(db, client_service.ClientData(name="Anna", purchases=[
        client_service.PurchaseData(purchased_on=TODAY - timedelta(days=1), amount=Decimal(10))]))
    regen(db, rules(follow_up=True))
    assert tasks(db, client_id=cid)[0].due_on == TODAY + timedelta(days=2)
    regen(db, rules(follow_up=True, follow_up_after=0))
    assert tasks(db, client_id=cid)[0].due_on == TODAY  # not yesterday
    regen(db, rules(follow_up=True, follow_up_after=5))
    assert tasks(db, client_id=cid)[0].due_on == TODAY + timedelta(days=4)


def test_an_overdue_call_is_not_made_later_than_it_was_by_a_new_rule_number(db):
    end = TODAY + timedelta(days=10)
    save(db, client_service.ClientData(name="Club", memberships=[client_service.MembershipData(
        plan="Gym", starts_on=TODAY - timedelta(days=60), ends_on=end)]))
    regen(db, rules(renewal=True))
    assert tasks(db, kind=TaskKind.RENEWAL)[0].due_on == TODAY - timedelta(days=4)
    regen(db, rules(renewal=True, renewal_before=30))
    assert tasks(db, kind=TaskKind.RENEWAL)[0].due_on == TODAY - timedelta(days=4)
