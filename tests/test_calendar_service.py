from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.models import Contact, Task
from app.models.enums import DateKind, Outcome, TaskKind, TaskStatus
from app.services import calendar as calendar_service
from app.services import calls, schedule
from app.services import clients as client_service

TODAY = date(2026, 11, 23)


def _client(db, make_client):
    cid = make_client("Anna", phone="601 234 567",
                      purchases=[(TODAY - timedelta(days=3), "50.00")])
    with db.session() as s:
        data = client_service.load_client(s, cid)
        rel = client_service.RelativeData(name="Ola")
        data.relatives.append(rel)
        data.dates += [client_service.PersonalDateData(kind=DateKind.BIRTHDAY, month=11, day=25,
                                           year=1980),
                       client_service.PersonalDateData(kind=DateKind.NAME_DAY, month=2, day=29,
                                           relative_key=rel.key)]
        client_service.save_client(s, data, region="PL", today=TODAY)
        # the calls are planned first, then today's call is logged (planned after it, a
        # client contacted today would get no new call today)
        schedule.regenerate(s, TODAY, rules=schedule.ScheduleRules(quarterly_review=False))
        s.add(Contact(client_id=cid, at=datetime(2026, 11, 23, 9, 15), outcome=Outcome.REACHED,
                      meeting_at=datetime(2026, 11, 25, 14, 0)))
    return cid


def test_month_summary_counts_calls_meetings_and_dates(db, make_client):
    _client(db, make_client)
    with db.sessions() as s:
        m = calendar_service.month_summary(s, 2026, 11)
        assert m[TODAY].calls == 1 and m[TODAY].done == 1       # the follow-up; the call
        assert m[date(2026, 11, 25)].meetings == 1
        assert m[date(2026, 11, 25)].dates == 1
        assert m[date(2026, 11, 25)].calls == 1                  # congratulations call
        assert m[date(2026, 11, 22)].calls == 1                  # gift reminder, 3 days before
        feb = calendar_service.month_summary(s, 2027, 2)
        assert feb[date(2027, 2, 28)].dates == 1                 # 29 Feb in a common year
        assert calendar_service.month_summary(s, 2028, 2)[date(2028, 2, 29)].dates == 1


def test_day_items_show_age_and_whose_date(db, make_client):
    cid = _client(db, make_client)
    with db.sessions() as s:
        items = calendar_service.day_items(s, date(2026, 11, 25))
    kinds = sorted(i.what for i in items)
    assert kinds == ["call", "date", "meeting"]
    birthday = next(i for i in items if i.what == "date")
    assert birthday.age == 46 and birthday.client_id == cid and birthday.person == ""
    call = next(i for i in items if i.what == "call")
    assert call.kind == TaskKind.PERSONAL_DATE
    with db.sessions() as s:
        feb = calendar_service.day_items(s, date(2027, 2, 28))
    assert [(i.person, i.kind, i.age) for i in feb] == [("Ola", DateKind.NAME_DAY, None)]


def test_deleted_clients_leave_the_calendar(db, make_client):
    cid = _client(db, make_client)
    with db.session() as s:
        client_service.soft_delete(s, [cid])
    with db.sessions() as s:
        assert calendar_service.month_summary(s, 2026, 11) == {}
        assert calendar_service.day_items(s, date(2026, 11, 25)) == []


def test_a_clients_tasks_of_one_day_are_one_call(db, make_client):
    cid = make_client("Anna")
    other = make_client("Bartek")
    with db.session() as s:
        for i, (client, kind) in enumerate(((cid, TaskKind.RENEWAL), (cid, TaskKind.RENEWAL),
                                            (cid, TaskKind.KEEP_IN_TOUCH),
                                            (cid, TaskKind.COMPLAINT_REVIEW),
                                            (other, TaskKind.WIN_BACK))):
            s.add(Task(client_id=client, kind=kind, due_on=TODAY, status=TaskStatus.OPEN,
                       source_key=f"c{i}", priority=schedule.BASE_PRIORITY[kind]))
    with db.sessions() as s:
        assert calendar_service.month_summary(s, 2026, 11)[TODAY].calls == 3  # Anna, her review, Bartek
        items = calendar_service.day_items(s, TODAY)
    anna = [i for i in items if i.client_id == cid]
    assert [(i.kind, i.kinds) for i in anna] == [
        (TaskKind.COMPLAINT_REVIEW, (TaskKind.COMPLAINT_REVIEW,)),
        (TaskKind.RENEWAL, (TaskKind.RENEWAL, TaskKind.RENEWAL, TaskKind.KEEP_IN_TOUCH))]
    assert len(anna[1].task_ids) == 3


def test_a_call_carries_why_its_tasks_moved(db, make_client):
    cid = make_client("Anna", purchases=[(TODAY - timedelta(days=3), "50.00")])
    with db.session() as s:
        schedule.regenerate(s, TODAY, client_ids=[cid], rules=schedule.ScheduleRules(
            personal_dates=False, quarterly_review=False, win_back=False,
            keep_in_touch=False))
        first = s.scalar(select(Task).where(Task.client_id == cid))
        first.reason = schedule.REASON_NON_WORKING
        calls.add_manual_task(s, cid, TODAY, "Voucher", today=TODAY)  # no reason
        s.add(Task(client_id=cid, kind=TaskKind.MANUAL, due_on=TODAY, priority=50,
                   rule="", note="", reason=schedule.REASON_NON_WORKING))
    with db.sessions() as s:
        call = next(i for i in calendar_service.day_items(s, TODAY) if i.what == "call")
    assert len(call.task_ids) == 3
    assert call.reasons == (schedule.REASON_NON_WORKING,)  # each once, "" left out
