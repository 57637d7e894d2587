"""Logging a call and what each outcome does to the task; the day's queue order."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.errors import DomainError, ValidationError
from app.models import Client, Complaint, Contact, ContactEffect, Membership, Task
from app.models.enums import (
    ComplaintStatus,
    MembershipStatus,
    Outcome,
    Segment,
    StaffRole,
    TaskKind,
    TaskStatus,
    Tone,
)
from app.services import calls, complaints, schedule
from app.services import settings as settings_service
from app.services.calls import CallLog
from app.services.workdays import WorkingCalendar
from tests.conftest import db_target

TODAY = date(2026, 11, 23)  # Monday
NOW = datetime(2026, 11, 23, 10, 0)
RULES = schedule.ScheduleRules(personal_dates=False, quarterly_review=False, win_back=False,
                               keep_in_touch=False)


def _task(db, make_client, name="Anna", **client_fields) -> tuple[int, int]:
    cid = make_client(name, purchases=[(TODAY - timedelta(days=3), "80.00")], **client_fields)
    with db.session() as s:
        schedule.regenerate(s, TODAY, client_ids=[cid], rules=RULES)
        task = s.scalar(select(Task).where(Task.client_id == cid))
        return cid, task.id


def _log(db, **kw):
    with db.session() as s:
        return calls.log_call(s, CallLog(**kw), now=NOW)


def test_reached_closes_the_task_and_keeps_the_contact(db, make_client):
    cid, tid = _task(db, make_client)
    res = _log(db, client_id=cid, task_id=tid, outcome=Outcome.REACHED, tone=Tone.POSITIVE,
               duration_seconds=120, note="Happy with it")
    assert res.task_status == TaskStatus.DONE
    with db.sessions() as s:
        c = s.get(Contact, res.contact_id)
        assert (c.purpose, c.tone, c.duration_seconds, c.note) == (
            TaskKind.FOLLOW_UP, Tone.POSITIVE, 120, "Happy with it")
        [row] = calls.today_queue(s, TODAY)  # the row stays, saying what was logged
        assert row.settled and row.logged_outcome == Outcome.REACHED
        assert row.logged_at == NOW and row.logged_contact_id == res.contact_id


def test_no_answer_three_times_then_flagged(db, make_client):
    cid, tid = _task(db, make_client)
    res = _log(db, client_id=cid, task_id=tid, outcome=Outcome.NO_ANSWER)
    assert res.task_due == TODAY + timedelta(days=1)
    with db.session() as s:  # Saturday counts as a working day by default ("123456")
        s.get(Task, tid).due_on = TODAY
    _log(db, client_id=cid, task_id=tid, outcome=Outcome.NO_ANSWER)
    with db.session() as s:
        s.get(Task, tid).due_on = TODAY
    res = _log(db, client_id=cid, task_id=tid, outcome=Outcome.NO_ANSWER)
    assert res.task_status == TaskStatus.OPEN and res.task_due == TODAY
    with db.sessions() as s:
        t = s.get(Task, tid)
        assert t.attempts == 3 and t.reason == calls.REASON_MAX_ATTEMPTS
        row = calls.today_queue(s, TODAY)[0]
        assert row.task_id == tid  # still visible: nothing due is silently lost


def test_next_working_day_skips_closed_days():
    saturday = date(2026, 11, 28)
    assert calls.next_working_day(saturday, "12345") == date(2026, 11, 30)
    assert calls.next_working_day(saturday, "123456") == date(2026, 11, 30)
    assert calls.next_working_day(date(2026, 11, 27), "123456") == saturday


def test_call_back_later_moves_the_task_and_needs_a_future_day(db, make_client):
    cid, tid = _task(db, make_client)
    with pytest.raises(ValidationError) as err:
        _log(db, client_id=cid, task_id=tid, outcome=Outcome.CALL_BACK_LATER)
    assert err.value.errors[0].code == "call.callback_required"
    with pytest.raises(ValidationError):
        _log(db, client_id=cid, task_id=tid, outcome=Outcome.CALL_BACK_LATER,
             call_back_on=TODAY)
    with db.sessions() as s:
        assert s.scalars(select(Contact)).all() == []  # refused: nothing stored
    res = _log(db, client_id=cid, task_id=tid, outcome=Outcome.CALL_BACK_LATER,
               call_back_on=date(2026, 12, 1))
    assert res.task_due == date(2026, 12, 1) and res.task_status == TaskStatus.OPEN


def test_declined_keeps_reason_and_meeting_keeps_time(db, make_client):
    cid, tid = _task(db, make_client)
    with pytest.raises(ValidationError):
        _log(db, client_id=cid, task_id=tid, outcome=Outcome.DECLINED)
    res = _log(db, client_id=cid, task_id=tid, outcome=Outcome.DECLINED,
               decline_reason="too expensive")
    with db.sessions() as s:
        assert s.get(Contact, res.contact_id).decline_reason == "too expensive"
    cid2, tid2 = _task(db, make_client, "Bartek")
    with pytest.raises(ValidationError):
        _log(db, client_id=cid2, task_id=tid2, outcome=Outcome.MEETING_BOOKED)
    res = _log(db, client_id=cid2, task_id=tid2, outcome=Outcome.MEETING_BOOKED,
               meeting_at=datetime(2026, 11, 25, 16, 0))
    assert res.task_status == TaskStatus.DONE


def test_complaint_found_opens_a_complaint(db, make_client):
    cid, tid = _task(db, make_client)
    res = _log(db, client_id=cid, task_id=tid, outcome=Outcome.COMPLAINT_FOUND,
               note="The massage was cut short")
    with db.sessions() as s:
        c = s.get(Complaint, res.complaint_id)
        assert c.client_id == cid and c.status == ComplaintStatus.OPEN
        assert c.client_words == "The massage was cut short"
        [row] = calls.today_queue(s, TODAY)
        assert row.settled  # the follow-up itself is done


def test_wrong_number_cancels_and_closed_task_cannot_be_logged_again(db, make_client):
    cid, tid = _task(db, make_client)
    res = _log(db, client_id=cid, task_id=tid, outcome=Outcome.WRONG_NUMBER)
    assert res.task_status == TaskStatus.CANCELLED
    with pytest.raises(DomainError) as err:
        _log(db, client_id=cid, task_id=tid, outcome=Outcome.REACHED)
    assert err.value.code == "task.closed"


def test_snooze_reschedule_cancel_and_manual_task(db, make_client):
    cid, tid = _task(db, make_client)
    with db.session() as s:
        with pytest.raises(ValidationError):
            calls.snooze(s, tid, TODAY - timedelta(days=1), today=TODAY)
    with db.session() as s:
        calls.snooze(s, tid, TODAY + timedelta(days=2), today=TODAY)
    with db.sessions() as s:
        assert calls.today_queue(s, TODAY) == []
        assert s.get(Task, tid).reason == calls.REASON_SNOOZED
    with db.session() as s:
        with pytest.raises(ValidationError):
            calls.cancel(s, tid, "  ")
        calls.cancel(s, tid, "moved abroad")
    with db.session() as s:
        t = calls.add_manual_task(s, cid, TODAY, "Ask about the voucher", today=TODAY)
        manual = t.id
    with db.sessions() as s:
        q = calls.today_queue(s, TODAY)
        assert [r.task_id for r in q] == [manual] and q[0].note == "Ask about the voucher"


def test_queue_order_and_before_you_call_marks(db, make_client):
    new_cid, _ = _task(db, make_client, "Zenon New")
    a_cid, _ = _task(db, make_client, "Alicja A", segment_override=Segment.A, segment_override_reason="owner knows best")
    c_cid, _ = _task(db, make_client, "Cezary Complaint")
    with db.session() as s:
        s.add(Complaint(client_id=c_cid, opened_at=NOW, status=ComplaintStatus.OPEN))
        s.add(Membership(client_id=a_cid, plan="Annual", starts_on=date(2026, 1, 1),
                         ends_on=date(2026, 12, 31), status=MembershipStatus.ACTIVE,
                         promo=True))
        s.add(Contact(client_id=a_cid, at=datetime(2026, 11, 1, 12), outcome=Outcome.REACHED,
                      tone=Tone.NEGATIVE))
    with db.sessions() as s:
        q = calls.today_queue(s, TODAY)
    assert [r.client_name for r in q] == ["Cezary Complaint", "Alicja A", "Zenon New"]
    assert q[0].open_complaint and not q[1].open_complaint
    assert q[1].promo and q[1].last_tone == Tone.NEGATIVE
    assert q[2].is_new


def test_agenda_command_prints_the_queue_as_json(db, make_client, tmp_path):
    _task(db, make_client)
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, str(root / "main.py"), "agenda", "--db",
                          db_target(db), "--date", TODAY.isoformat(), "--json"],
                         capture_output=True, text=True, timeout=60, cwd=root)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["date"] == "2026-11-23"
    assert [(c["client"], c["kinds"]) for c in data["calls"]] == [("Anna", ["follow_up"])]
    # agenda runs every rule; the quarterly review is a to-do, not a call
    assert [(c["client"], c["kind"]) for c in data["todo"]] == [("", "quarterly_review")]
    missing = subprocess.run([sys.executable, str(root / "main.py"), "agenda", "--db",
                              str(tmp_path / "none.sqlite")], capture_output=True, text=True,
                             timeout=60, cwd=root)
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr


# ------------------------------------------------------------------ one call per client


def _add_tasks(db, cid, *kinds, due=TODAY, keyed=True) -> list[int]:
    """Tasks as the rules make them (``keyed=False``: without a source, so that the
    engine, which the agenda runs, leaves them alone)."""
    with db.session() as s:
        tasks = [Task(client_id=cid, kind=k, due_on=due, status=TaskStatus.OPEN,
                      priority=schedule.BASE_PRIORITY[k],
                      source_key=f"t:{cid}:{i}:{k}" if keyed else None)
                 for i, k in enumerate(kinds)]
        s.add_all(tasks)
        s.flush()
        return [t.id for t in tasks]


def _tasks_state(db) -> list[tuple]:
    with db.sessions() as s:
        return [(t.id, t.status, t.due_on, t.attempts, t.reason, t.closed_at, t.snoozed_until)
                for t in s.scalars(select(Task).order_by(Task.id))]


def test_one_row_per_client_with_every_purpose_and_one_call_settles_them(db, make_client):
    cid = make_client("Anna", phone="601 234 567")
    other = make_client("Bartek")
    ids = _add_tasks(db, cid, TaskKind.RENEWAL, TaskKind.RENEWAL, TaskKind.COMPLAINT_CALLBACK,
                     TaskKind.KEEP_IN_TOUCH)
    [review] = _add_tasks(db, cid, TaskKind.COMPLAINT_REVIEW)
    [bartek] = _add_tasks(db, other, TaskKind.MANUAL)
    with db.sessions() as s:
        q = calls.today_queue(s, TODAY)
    assert [(r.client_name, r.internal) for r in q] == [
        ("Anna", False), ("Bartek", False), ("Anna", True)]
    row = q[0]
    assert row.kind == TaskKind.COMPLAINT_CALLBACK  # the row is ordered by its first task
    assert sorted(row.task_ids) == sorted(ids)
    assert sorted(row.kinds) == sorted([TaskKind.RENEWAL, TaskKind.RENEWAL,
                                        TaskKind.COMPLAINT_CALLBACK, TaskKind.KEEP_IN_TOUCH])
    assert q[2].task_ids == (review,)
    res = _log(db, client_id=cid, task_id=row.task_id, task_ids=row.task_ids,
               outcome=Outcome.REACHED, tone=Tone.POSITIVE)
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Contact)) == 1  # one call
        assert {s.get(Task, t).status for t in ids} == {TaskStatus.DONE}
        assert s.get(Task, review).status == TaskStatus.OPEN  # internal: not settled by it
        assert s.get(Task, bartek).status == TaskStatus.OPEN
        q = calls.today_queue(s, TODAY)
    assert res.task_ids == row.task_ids
    assert [(r.client_name, r.settled) for r in q if not r.internal] == [
        ("Anna", True), ("Bartek", False)]
    assert sorted(q[0].task_ids) == sorted(ids)  # what the logged row was about


def test_no_answer_moves_every_purpose_of_the_call(db, make_client):
    cid = make_client("Anna")
    ids = _add_tasks(db, cid, TaskKind.RENEWAL, TaskKind.WIN_BACK, due=TODAY - timedelta(days=2))
    res = _log(db, client_id=cid, task_ids=tuple(ids), outcome=Outcome.NO_ANSWER)
    with db.sessions() as s:
        tasks = [s.get(Task, t) for t in ids]
        assert [(t.status, t.due_on, t.attempts) for t in tasks] == [
            (TaskStatus.OPEN, TODAY + timedelta(days=1), 1)] * 2
        assert s.get(Contact, res.contact_id).task_id == ids[0]


def test_internal_tasks_are_not_calls(db, make_client):
    cid = make_client("Anna")
    [review] = _add_tasks(db, cid, TaskKind.COMPLAINT_REVIEW)
    with db.session() as s:
        s.add(Task(client_id=None, kind=TaskKind.QUARTERLY_REVIEW, due_on=TODAY,
                   status=TaskStatus.OPEN, source_key="q"))
    for outcome in (Outcome.NO_ANSWER, Outcome.LEFT_MESSAGE, Outcome.WRONG_NUMBER,
                    Outcome.REACHED):
        with pytest.raises(DomainError) as err:
            _log(db, client_id=cid, task_id=review, outcome=outcome, right_phone="")
        assert err.value.code == "task.not_a_call"
    with db.sessions() as s:
        assert s.scalars(select(Contact)).all() == []
        assert s.get(Task, review).status == TaskStatus.OPEN
        q = calls.today_queue(s, TODAY)
    assert [(r.kind, r.internal) for r in q] == [(TaskKind.COMPLAINT_REVIEW, True),
                                                 (TaskKind.QUARTERLY_REVIEW, True)]
    with db.session() as s, pytest.raises(DomainError) as err:
        calls.complete_task(s, review)  # done by doing the review, not by a tick
    assert err.value.code == "task.done_by_doing"
    [gift] = _add_tasks(db, cid, TaskKind.GIFT)
    with db.session() as s:
        calls.complete_task(s, gift, now=NOW)
    with db.sessions() as s:
        assert s.get(Task, gift).status == TaskStatus.DONE


# ------------------------------------------------------------------ wrong number


def test_wrong_number_takes_the_right_one_and_closes_the_other_calls_of_today(db, make_client):
    cid = make_client("Anna", phone="601 234 567")
    first, second = _add_tasks(db, cid, TaskKind.FOLLOW_UP, TaskKind.RENEWAL)
    [later] = _add_tasks(db, cid, TaskKind.WIN_BACK, due=TODAY + timedelta(days=5))
    [review] = _add_tasks(db, cid, TaskKind.COMPLAINT_REVIEW)
    with pytest.raises(DomainError) as err:
        _log(db, client_id=cid, task_id=first, outcome=Outcome.WRONG_NUMBER,
             right_phone="12")
    assert err.value.code == "phone.invalid"
    with db.sessions() as s:
        assert s.scalars(select(Contact)).all() == []  # refused: nothing stored
    res = _log(db, client_id=cid, task_id=first, outcome=Outcome.WRONG_NUMBER,
               right_phone="602 345 678")
    assert res.closed_other == (second,)
    with db.sessions() as s:
        assert s.get(Client, cid).phone == "+48602345678"
        assert s.get(Task, first).status == TaskStatus.CANCELLED
        assert s.get(Task, second).status == TaskStatus.CANCELLED
        assert s.get(Task, second).reason == calls.REASON_WRONG_NUMBER
        assert s.get(Task, later).status == TaskStatus.OPEN  # not today's
        assert s.get(Task, review).status == TaskStatus.OPEN  # not a call


def test_wrong_number_with_the_right_one_unknown_removes_the_wrong_one(db, make_client):
    cid, tid = _task(db, make_client, phone="601 234 567")
    _log(db, client_id=cid, task_id=tid, outcome=Outcome.WRONG_NUMBER, right_phone="  ")
    with db.sessions() as s:
        assert s.get(Client, cid).phone is None


# ------------------------------------------------------------------ undo


def test_undo_restores_the_tasks_and_the_phone_exactly(db, make_client):
    cid = make_client("Anna", phone="601 234 567")
    ids = _add_tasks(db, cid, TaskKind.FOLLOW_UP, TaskKind.RENEWAL)
    with db.session() as s:  # one task was already tried once and snoozed
        t = s.get(Task, ids[1])
        t.attempts, t.reason, t.status = 1, calls.REASON_NO_ANSWER, TaskStatus.SNOOZED
        t.snoozed_until = TODAY
    before = _tasks_state(db)
    for outcome, extra in ((Outcome.NO_ANSWER, {}), (Outcome.REACHED, {}),
                           (Outcome.WRONG_NUMBER, {"right_phone": "602 345 678"}),
                           (Outcome.CALL_BACK_LATER, {"call_back_on": date(2026, 12, 2)})):
        res = _log(db, client_id=cid, task_id=ids[0], outcome=outcome, **extra)
        assert _tasks_state(db) != before
        with db.session() as s:
            assert calls.undo_call(s, res.contact_id) == cid
        assert _tasks_state(db) == before, outcome
        with db.sessions() as s:
            assert s.get(Client, cid).phone == "+48601234567"
            assert s.scalars(select(Contact)).all() == []
            assert s.scalars(select(ContactEffect)).all() == []
            assert s.get(Client, cid).next_due_on == TODAY


def test_undo_of_a_complaint_found_removes_the_untouched_complaint(db, make_client, staff):
    cid, tid = _task(db, make_client)
    before = _tasks_state(db)
    res = _log(db, client_id=cid, task_id=tid, outcome=Outcome.COMPLAINT_FOUND, note="Rude")
    with db.session() as s:
        calls.undo_call(s, res.contact_id)
    assert _tasks_state(db) == before
    with db.sessions() as s:
        assert s.scalars(select(Complaint)).all() == []
    res = _log(db, client_id=cid, task_id=tid, outcome=Outcome.COMPLAINT_FOUND, note="Rude")
    with db.session() as s:  # somebody starts working on the complaint
        complaints.record_apology(s, res.complaint_id, "We are sorry it went so", NOW)
    with db.session() as s, pytest.raises(DomainError) as err:
        calls.undo_call(s, res.contact_id)
    assert err.value.code == "call.complaint_worked_on"
    with db.sessions() as s:
        assert s.get(Contact, res.contact_id) is not None
        assert s.get(Task, tid).status == TaskStatus.DONE
    assert StaffRole.OWNER in staff


def test_undo_refuses_when_a_later_call_was_logged_on_the_task(db, make_client):
    cid, tid = _task(db, make_client)
    first = _log(db, client_id=cid, task_id=tid, outcome=Outcome.NO_ANSWER)
    with db.session() as s:
        s.get(Task, tid).due_on = TODAY
    _log(db, client_id=cid, task_id=tid, outcome=Outcome.NO_ANSWER)
    with db.session() as s, pytest.raises(DomainError) as err:
        calls.undo_call(s, first.contact_id)
    assert err.value.code == "call.later_call"


# ------------------------------------------------------------------ correction


def test_correcting_the_outcome_reapplies_what_follows(db, make_client):
    cid = make_client("Anna", phone="601 234 567")
    ids = _add_tasks(db, cid, TaskKind.FOLLOW_UP, TaskKind.RENEWAL)
    before = _tasks_state(db)
    res = _log(db, client_id=cid, task_ids=tuple(ids), outcome=Outcome.NO_ANSWER)
    with db.session() as s:  # it was answered after all
        fixed = calls.correct_call(s, res.contact_id, calls.CallFix(
            outcome=Outcome.REACHED, tone=Tone.POSITIVE, note="Happy"))
    assert (fixed.outcome, fixed.tone, fixed.note, fixed.at) == (
        Outcome.REACHED, Tone.POSITIVE, "Happy", NOW)
    with db.sessions() as s:
        tasks = [s.get(Task, t) for t in ids]
        assert [(t.status, t.attempts, t.due_on, t.closed_at) for t in tasks] == [
            (TaskStatus.DONE, 1, TODAY, NOW)] * 2
        c = s.get(Contact, res.contact_id)
        assert (c.outcome, c.tone, c.note, c.at) == (Outcome.REACHED, Tone.POSITIVE, "Happy",
                                                     NOW)
    # no: the client asked to be called back next week (a day after the call's day)
    with db.session() as s, pytest.raises(ValidationError):
        calls.correct_call(s, res.contact_id, calls.CallFix(
            outcome=Outcome.CALL_BACK_LATER, call_back_on=TODAY))
    with db.session() as s:
        calls.correct_call(s, res.contact_id, calls.CallFix(
            outcome=Outcome.CALL_BACK_LATER, call_back_on=date(2026, 11, 30), note="Happy"))
    with db.sessions() as s:
        assert [(s.get(Task, t).status, s.get(Task, t).due_on, s.get(Task, t).attempts)
                for t in ids] == [(TaskStatus.OPEN, date(2026, 11, 30), 1)] * 2
    with db.session() as s:  # and undoing the corrected call puts back the start
        calls.undo_call(s, res.contact_id)
    assert _tasks_state(db) == before


def test_correcting_only_the_note_and_tone_leaves_the_tasks(db, make_client):
    cid, tid = _task(db, make_client)
    res = _log(db, client_id=cid, task_id=tid, outcome=Outcome.NO_ANSWER)
    after = _tasks_state(db)
    with db.session() as s:
        calls.correct_call(s, res.contact_id, calls.CallFix(
            outcome=Outcome.NO_ANSWER, tone=Tone.NEUTRAL, note="Rang twice"))
    assert _tasks_state(db) == after
    with db.sessions() as s:
        c = s.get(Contact, res.contact_id)
        assert (c.tone, c.note) == (Tone.NEUTRAL, "Rang twice")


def test_a_call_logged_before_effects_were_kept_corrects_only_note_and_tone(db, make_client):
    cid, tid = _task(db, make_client)
    with db.session() as s:
        c = Contact(client_id=cid, at=NOW, outcome=Outcome.NO_ANSWER, task_id=tid)
        s.add(c)
        s.flush()
        old = c.id
    with db.session() as s, pytest.raises(DomainError) as err:
        calls.correct_call(s, old, calls.CallFix(outcome=Outcome.REACHED))
    assert err.value.code == "call.not_restorable"
    with db.session() as s:
        calls.correct_call(s, old, calls.CallFix(outcome=Outcome.NO_ANSWER, note="ok"))
    with db.sessions() as s:
        assert s.get(Contact, old).note == "ok"


def test_agenda_prints_one_line_per_client(db, make_client):
    cid = make_client("Anna")
    _add_tasks(db, cid, TaskKind.RENEWAL, TaskKind.RENEWAL, TaskKind.KEEP_IN_TOUCH,
               keyed=False)
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, str(root / "main.py"), "agenda", "--db",
                          db_target(db), "--date", TODAY.isoformat()],
                         capture_output=True, text=True, timeout=60, cwd=root, check=False)
    assert out.returncode == 0, out.stderr
    lines = [ln for ln in out.stdout.splitlines() if "Anna" in ln]
    assert len(lines) == 1 and "renewal+renewal+keep_in_touch" in lines[0]


# --------------------------------------------------------------------------- closed days
# The default business works Monday to Saturday in Poland: Sunday 29.11.2026 is a closed
# day, Friday 25.12.2026 (Christmas) and Saturday 26.12.2026 are public holidays.
SUNDAY = date(2026, 11, 29)
CHRISTMAS = date(2026, 12, 25)


def test_a_reschedule_to_a_closed_day_is_refused_until_confirmed(db, make_client):
    cid, tid = _task(db, make_client)
    with db.session() as s:
        with pytest.raises(calls.ClosedDayError) as err:
            calls.reschedule(s, tid, SUNDAY, today=TODAY)
    e = err.value
    assert (e.code, e.field) == ("task.closed_day", "due_on")
    assert e.values == {"day": SUNDAY, "next_day": date(2026, 11, 30), "holiday": False}
    with db.sessions() as s:
        assert s.get(Task, tid).due_on == TODAY  # nothing moved
    with db.session() as s:
        with pytest.raises(calls.ClosedDayError) as err:
            calls.reschedule(s, tid, CHRISTMAS, today=TODAY)
    assert err.value.values == {"day": CHRISTMAS, "next_day": date(2026, 12, 28),
                                "holiday": True}
    with db.session() as s:
        calls.reschedule(s, tid, SUNDAY, today=TODAY, allow_closed_day=True)
    with db.sessions() as s:
        t = s.get(Task, tid)
        assert (t.due_on, t.reason) == (SUNDAY, calls.REASON_RESCHEDULED)
    with db.session() as s:  # a working day needs no confirmation; a past day stays refused
        calls.reschedule(s, tid, date(2026, 11, 30), today=TODAY)
        with pytest.raises(ValidationError):
            calls.reschedule(s, tid, date(2026, 11, 22), today=TODAY)


def test_a_new_task_on_a_holiday_is_refused_until_confirmed(db, make_client):
    cid = make_client("Dorota")
    with db.session() as s:
        with pytest.raises(calls.ClosedDayError) as err:
            calls.add_manual_task(s, cid, CHRISTMAS, "Voucher", today=TODAY)
    assert err.value.values["holiday"] is True
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Task)) == 0
    with db.session() as s:
        tid = calls.add_manual_task(s, cid, CHRISTMAS, "Voucher", today=TODAY,
                                    allow_closed_day=True).id
    with db.sessions() as s:
        assert s.get(Task, tid).due_on == CHRISTMAS


def test_tomorrow_snoozes_to_the_next_working_day(db, make_client):
    cid, tid = _task(db, make_client)
    saturday = date(2026, 11, 28)
    with db.session() as s:
        calls.snooze(s, tid, today=saturday)  # Sunday is closed: Monday, nothing asked
    with db.sessions() as s:
        t = s.get(Task, tid)
        assert (t.due_on, t.reason) == (date(2026, 11, 30), calls.REASON_SNOOZED)
    with db.session() as s:  # a snooze to a holiday goes on past it (26.12 too, and Sunday)
        calls.snooze(s, tid, CHRISTMAS, today=TODAY)
    with db.sessions() as s:
        assert s.get(Task, tid).due_on == date(2026, 12, 28)


def test_call_back_on_a_closed_day_is_refused_and_nothing_is_logged(db, make_client):
    cid, tid = _task(db, make_client)
    log = CallLog(client_id=cid, task_id=tid, outcome=Outcome.CALL_BACK_LATER,
                  call_back_on=CHRISTMAS)
    with db.session() as s:
        with pytest.raises(calls.ClosedDayError) as err:
            calls.log_call(s, log, now=NOW)
    assert err.value.field == "call_back_on"
    assert err.value.values["next_day"] == date(2026, 12, 28)
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Contact)) == 0
        assert s.get(Task, tid).due_on == TODAY
    log.allow_closed_day = True
    with db.session() as s:
        calls.log_call(s, log, now=NOW)
    with db.sessions() as s:
        t = s.get(Task, tid)
        assert (t.due_on, t.reason) == (CHRISTMAS, calls.REASON_CALL_BACK)


def test_a_corrected_call_back_on_a_closed_day_is_refused_until_confirmed(db, make_client):
    cid, tid = _task(db, make_client)
    res = _log(db, client_id=cid, task_id=tid, outcome=Outcome.NO_ANSWER)
    fix = calls.CallFix(outcome=Outcome.CALL_BACK_LATER, call_back_on=SUNDAY)
    with db.session() as s:
        with pytest.raises(calls.ClosedDayError):
            calls.correct_call(s, res.contact_id, fix)
    with db.sessions() as s:  # the call and its task are as they were
        assert s.get(Contact, res.contact_id).outcome == Outcome.NO_ANSWER
        assert s.get(Task, tid).reason == calls.REASON_NO_ANSWER
    fix.allow_closed_day = True
    with db.session() as s:
        calls.correct_call(s, res.contact_id, fix)
    with db.sessions() as s:
        assert s.get(Task, tid).due_on == SUNDAY
    with db.session() as s:  # the tone changed, the confirmed day kept: nothing asked
        calls.correct_call(s, res.contact_id, calls.CallFix(
            outcome=Outcome.CALL_BACK_LATER, call_back_on=SUNDAY, tone=Tone.POSITIVE))


@given(st.dates(date(2026, 1, 1), date(2028, 12, 31)),
       st.sampled_from(["PL", "BG", "RU", ""]), st.sampled_from(["12345", "123456", "7"]))
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_property_a_chosen_day_is_kept_only_when_open_or_confirmed(db, day, country, days):
    """For any day, country and working week: a working day passes, a closed one is
    refused naming the next working day (the first open day after it), and a confirmed
    closed day passes."""
    with db.session() as s:
        settings_service.put(s, "business.region", country or "PL")
        settings_service.put(s, "business.working_days", days)
        cal = WorkingCalendar(days, country or "PL")
        calls.check_open_day(s, day, allow_closed_day=True)
        if cal.is_working_day(day):
            calls.check_open_day(s, day)
            return
        with pytest.raises(calls.ClosedDayError) as err:
            calls.check_open_day(s, day)
    nxt = err.value.values["next_day"]
    assert nxt > day and cal.is_working_day(nxt)
    assert all(not cal.is_working_day(day + timedelta(days=i))
               for i in range((nxt - day).days))
