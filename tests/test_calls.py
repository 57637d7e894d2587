"""Logging a call and what each outcome does to the task; the day's queue order."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.errors import DomainError, ValidationError
from app.models import Complaint, Contact, Membership, Task
from app.models.enums import (
    ComplaintStatus, MembershipStatus, Outcome, Segment, TaskKind, TaskStatus, Tone,
)
from app.services import calls, schedule
from app.services.calls import CallLog

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
        assert calls.today_queue(s, TODAY) == []


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
        row = calls.today_queue(s, TODAY)
        assert row == []  # the follow-up itself is done


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
                          str(db.path), "--date", TODAY.isoformat(), "--json"],
                         capture_output=True, text=True, timeout=60, cwd=root)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["date"] == "2026-11-23"
    assert [(c["client"], c["kind"]) for c in data["calls"]] == [
        ("Anna", "follow_up"), ("", "quarterly_review")]  # agenda runs every rule
    missing = subprocess.run([sys.executable, str(root / "main.py"), "agenda", "--db",
                              str(tmp_path / "none.sqlite")], capture_output=True, text=True,
                             timeout=60, cwd=root)
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr
