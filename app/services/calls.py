"""The day's call queue and logging a call: what each outcome does to the tasks.

A call settles every task of its row (one row per client per day: a renewal, a
call-back and a keep-in-touch due together are one call):

* reached, declined, meeting booked, complaint found: the tasks are done and leave the
  queue (a booked meeting goes to the calendar, a decline keeps its reason for the
  charts, a complaint found opens a complaint for the client);
* no answer, left a message: one more attempt; the tasks move to the next working day,
  and after ``contact.max_attempts`` attempts a task stays in the queue flagged;
* call back later: the tasks move to the day the client asked for;
* wrong number: the tasks and the client's other calls of the day are cancelled, and the
  right number (or none, when it is unknown) replaces the wrong one.

Internal to-dos (complaint review, quarterly A/B/C review, preparing a gift) are not
calls: they are never part of a call's row and no call is logged on them.

What a call changed is kept beside it (``ContactEffect``, with the state before), so the
last call can be undone exactly (:func:`undo_call`) and a logged call corrected from the
card (:func:`correct_call`), which re-applies what follows from the new outcome.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import Date, and_, case, exists, func, literal, or_, select, true, tuple_
from sqlalchemy.orm import Session

from app import dialect
from app.errors import DomainError, FieldError, NotFoundError, ValidationError
from app.models import Client, Complaint, Contact, ContactEffect, Membership, Task
from app.models.enums import (
    Channel,
    CheckState,
    ComplaintStatus,
    Direction,
    MembershipStatus,
    Outcome,
    Segment,
    TaskKind,
    TaskStatus,
    Tone,
)
from app.services import risk_store
from app.services import settings as settings_service
from app.services.access import Action, require
from app.services.clients import refresh_next_due, risk_expr
from app.services.complaints import open_complaint
from app.services.schedule import INTERNAL_KINDS
from app.services.validation import normalize_phone
from app.services.workdays import WorkingCalendar, public_holiday

DONE_OUTCOMES = frozenset({Outcome.REACHED, Outcome.DECLINED, Outcome.MEETING_BOOKED,
                           Outcome.COMPLAINT_FOUND})
ATTEMPT_OUTCOMES = frozenset({Outcome.NO_ANSWER, Outcome.LEFT_MESSAGE})
OPEN_COMPLAINT = (ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED)
OPEN_STATES = (TaskStatus.OPEN, TaskStatus.SNOOZED)
#: internal to-dos that are done by ticking them off; the reviews are done by doing them
#: (the quarterly review closes its task, the complaint review is the complaint's)
TICK_OFF_KINDS = frozenset({TaskKind.GIFT})

REASON_NO_ANSWER = "no_answer"
REASON_MAX_ATTEMPTS = "max_attempts"
REASON_CALL_BACK = "call_back_later"
REASON_WRONG_NUMBER = "wrong_number"
REASON_SNOOZED = "snoozed"
REASON_RESCHEDULED = "rescheduled"

#: ContactEffect.what
EFFECT_TASK, EFFECT_OTHER_TASK, EFFECT_PHONE, EFFECT_COMPLAINT = (
    "task", "other_task", "phone", "complaint")
TASK_EFFECTS = (EFFECT_TASK, EFFECT_OTHER_TASK)


@dataclass
class CallLog:
    client_id: int
    outcome: Outcome
    task_id: int | None = None
    #: every task the call is about (a queue row's tasks); ``task_id`` joins them first
    task_ids: tuple[int, ...] = ()
    tone: Tone | None = None
    duration_seconds: int | None = None
    note: str = ""
    decline_reason: str | None = None
    meeting_at: datetime | None = None
    call_back_on: date | None = None
    channel: Channel = Channel.PHONE
    direction: Direction = Direction.OUTBOUND
    staff_id: int | None = None
    #: wrong number: the right one as typed ("" = unknown, the wrong one is removed);
    #: None = not asked, the phone stays as it is
    right_phone: str | None = None
    #: call back later on a day the business is closed: the person confirmed that day
    allow_closed_day: bool = False


@dataclass(frozen=True)
class CallResult:
    contact_id: int
    task_status: TaskStatus | None
    task_due: date | None
    complaint_id: int | None = None
    task_ids: tuple[int, ...] = ()
    #: the client's other calls of the day a wrong number closed
    closed_other: tuple[int, ...] = ()


@dataclass
class CallFix:
    """A logged call as the card's history corrects it."""

    outcome: Outcome
    tone: Tone | None = None
    note: str = ""
    decline_reason: str | None = None
    meeting_at: datetime | None = None
    call_back_on: date | None = None
    at: datetime | None = None  # when it was logged (shown, not changed)
    #: a call-back day the business is closed on: the person confirmed that day
    allow_closed_day: bool = False


def next_working_day(day: date, working_days: str, country: str = "") -> date:
    """The working day after ``day`` (app/services/workdays.py decides, for the app)."""
    return WorkingCalendar(working_days, country).next_working_day(day)


class ClosedDayError(DomainError):
    """A person chose a day the business does not work (a closed weekday or a public
    holiday of its country) without saying that day is meant. ``values``: ``day``, the
    day chosen; ``next_day``, the next working day; ``holiday``, whether it is a public
    holiday (else a closed weekday)."""

    code = "task.closed_day"


def check_open_day(session: Session, day: date, allow_closed_day: bool = False,
                   field: str = "due_on") -> None:
    """Refuse a call placed by a person on a closed day unless they confirmed it: the
    caller then asks "call on the next working day instead?" and calls again with that
    day, or with the same day and ``allow_closed_day``."""
    if allow_closed_day:
        return
    cal = WorkingCalendar.from_settings(session)
    if cal.is_working_day(day):
        return
    raise ClosedDayError(
        None, f"{day.isoformat()} is not a working day; the next one is "
        f"{cal.on_or_after(day).isoformat()}", field=field, day=day,
        next_day=cal.on_or_after(day), holiday=public_holiday(day, cal.country))


def _validate(log: CallLog | CallFix, today: date) -> None:
    errors: list[FieldError] = []
    if log.outcome == Outcome.MEETING_BOOKED and log.meeting_at is None:
        errors.append(FieldError("meeting_at", "call.meeting_required",
                                 "give the meeting's date and time"))
    if log.outcome == Outcome.CALL_BACK_LATER:
        if log.call_back_on is None:
            errors.append(FieldError("call_back_on", "call.callback_required",
                                     "give the day to call back"))
        elif log.call_back_on <= today:
            errors.append(FieldError("call_back_on", "call.callback_future",
                                     "the call-back day must be after today"))
    if log.outcome == Outcome.DECLINED and not (log.decline_reason or "").strip():
        errors.append(FieldError("decline_reason", "call.reason_required",
                                 "give the reason the client declined"))
    duration = getattr(log, "duration_seconds", None)
    if duration is not None and not (0 <= duration <= 24 * 3600):
        errors.append(FieldError("duration", "call.duration_range", "duration out of range"))
    if errors:
        raise ValidationError(errors)


def _call_tasks(session: Session, log: CallLog) -> list[Task]:
    ids = list(dict.fromkeys(i for i in (log.task_id, *log.task_ids) if i is not None))
    tasks = []
    for tid in ids:
        task = session.get(Task, tid)
        if task is None or task.client_id != log.client_id:
            raise NotFoundError("task.not_found", "task not found", task_id=tid)
        if task.status not in OPEN_STATES:
            raise DomainError("task.closed", "the task is already closed", task_id=task.id)
        if task.kind in INTERNAL_KINDS:
            raise DomainError("task.not_a_call", "an internal task is done by doing it, "
                              "not by logging a call", task_id=task.id)
        tasks.append(task)
    return tasks


def _right_phone(session: Session, log: CallLog) -> str | None:
    """The normalised right number of a wrong-number call ("" unknown, None not asked)."""
    if log.outcome != Outcome.WRONG_NUMBER or log.right_phone is None:
        return None
    if not log.right_phone.strip():
        return ""
    region = settings_service.get(session, "business.region")
    return normalize_phone(log.right_phone, region) or ""


def log_call(session: Session, log: CallLog, now: datetime | None = None) -> CallResult:
    """Store one contact and apply its outcome to every task of the call, in the
    caller's transaction."""
    require(session, Action.CALLS)
    now = now or datetime.now()
    _validate(log, now.date())
    if log.outcome == Outcome.CALL_BACK_LATER and log.call_back_on is not None:
        check_open_day(session, log.call_back_on, log.allow_closed_day, "call_back_on")
    client = session.get(Client, log.client_id)
    if client is None:
        raise NotFoundError("client.not_found", "client not found", client_id=log.client_id)
    tasks = _call_tasks(session, log)
    phone = _right_phone(session, log)
    first = tasks[0] if tasks else None
    contact = Contact(
        client_id=log.client_id, at=now, channel=log.channel, direction=log.direction,
        purpose=first.kind if first else TaskKind.MANUAL, outcome=log.outcome, tone=log.tone,
        duration_seconds=log.duration_seconds, staff_id=log.staff_id, note=log.note.strip(),
        decline_reason=(log.decline_reason or "").strip() or None,
        meeting_at=log.meeting_at, call_back_on=log.call_back_on,
        task_id=first.id if first else None)
    session.add(contact)
    session.flush()
    complaint_id, others = _apply_outcome(session, contact, client, tasks, log, now, phone)
    session.flush()
    refresh_next_due(session, [log.client_id])
    return CallResult(contact.id, first.status if first else None,
                      first.due_on if first else None, complaint_id,
                      tuple(t.id for t in tasks), tuple(others))


def _task_state(task: Task) -> str:
    return json.dumps({
        "status": str(task.status), "due_on": task.due_on.isoformat(),
        "attempts": task.attempts, "reason": task.reason,
        "closed_at": task.closed_at.isoformat() if task.closed_at else None,
        "snoozed_until": task.snoozed_until.isoformat() if task.snoozed_until else None})


def _restore_task(task: Task, state: str) -> None:
    d = json.loads(state)
    task.status = TaskStatus(d["status"])
    task.due_on = date.fromisoformat(d["due_on"])
    task.attempts = d["attempts"]
    task.reason = d["reason"]
    task.closed_at = datetime.fromisoformat(d["closed_at"]) if d["closed_at"] else None
    task.snoozed_until = (date.fromisoformat(d["snoozed_until"]) if d["snoozed_until"]
                          else None)


def _apply_outcome(session: Session, contact: Contact, client: Client, tasks: list[Task],
                   log: CallLog, now: datetime, phone: str | None) -> tuple[int | None, list]:
    """Apply ``log``'s outcome to the call's tasks and the client, keeping the state
    before each change beside the contact. Returns the complaint opened and the ids of
    the other calls closed."""
    for task in tasks:
        session.add(ContactEffect(contact_id=contact.id, task_id=task.id, what=EFFECT_TASK,
                                  before=_task_state(task)))
        _apply(session, task, log, now)
    others: list[int] = []
    if log.outcome == Outcome.WRONG_NUMBER:
        mine = {t.id for t in tasks}
        for task in session.scalars(select(Task).where(
                Task.client_id == client.id, Task.status.in_(OPEN_STATES),
                Task.due_on <= now.date(), Task.kind.not_in([k.value for k in INTERNAL_KINDS]))
                .order_by(Task.id)):
            if task.id in mine:
                continue
            session.add(ContactEffect(contact_id=contact.id, task_id=task.id,
                                      what=EFFECT_OTHER_TASK, before=_task_state(task)))
            task.status, task.closed_at = TaskStatus.CANCELLED, now
            task.reason = REASON_WRONG_NUMBER
            others.append(task.id)
        if phone is not None:
            session.add(ContactEffect(contact_id=contact.id, what=EFFECT_PHONE,
                                      before=json.dumps({"phone": client.phone})))
            client.phone = phone or None
    complaint_id = None
    if log.outcome == Outcome.COMPLAINT_FOUND:
        complaint_id = open_complaint(session, client.id, log.note, now=now,
                                      channel=log.channel)
        session.add(ContactEffect(contact_id=contact.id, what=EFFECT_COMPLAINT,
                                  before=json.dumps({"complaint_id": complaint_id})))
    return complaint_id, others


def _apply(session: Session, task: Task, log: CallLog, now: datetime) -> None:
    today = now.date()
    if log.outcome in DONE_OUTCOMES:
        task.status, task.closed_at = TaskStatus.DONE, now
        task.attempts += 1
    elif log.outcome in ATTEMPT_OUTCOMES:
        task.attempts += 1
        limit = settings_service.get(session, "contact.max_attempts")
        if task.attempts >= limit:
            task.reason = REASON_MAX_ATTEMPTS  # stays in the queue, flagged for a person
        else:
            task.due_on = WorkingCalendar.from_settings(session).next_working_day(today)
            task.reason = REASON_NO_ANSWER
    elif log.outcome == Outcome.CALL_BACK_LATER:
        task.attempts += 1
        task.due_on = log.call_back_on or today + timedelta(days=1)
        task.reason = REASON_CALL_BACK
    elif log.outcome == Outcome.WRONG_NUMBER:
        task.status, task.closed_at = TaskStatus.CANCELLED, now
        task.reason = REASON_WRONG_NUMBER


# --------------------------------------------------------------------------- undo, correct


def _contact(session: Session, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError("call.not_found", "the call no longer exists",
                            contact_id=contact_id)
    return contact


def _effects(session: Session, contact: Contact) -> list[ContactEffect]:
    return list(session.scalars(select(ContactEffect)
                                .where(ContactEffect.contact_id == contact.id)
                                .order_by(ContactEffect.id)))


def _check_restorable(session: Session, contact: Contact,
                      effects: list[ContactEffect]) -> None:
    """Refuse when what the call changed cannot be put back exactly: a call logged before
    its effects were kept, a later call on the same tasks, a complaint worked on since."""
    if contact.task_id is not None and not any(e.what == EFFECT_TASK for e in effects):
        raise DomainError("call.not_restorable", "the call was logged before its effects "
                          "were kept", contact_id=contact.id)
    if contact.outcome == Outcome.COMPLAINT_FOUND and not any(
            e.what == EFFECT_COMPLAINT for e in effects):
        raise DomainError("call.not_restorable", "the call's complaint is not known",
                          contact_id=contact.id)
    task_ids = [e.task_id for e in effects if e.what in TASK_EFFECTS]
    if task_ids and session.scalar(
            select(func.count()).select_from(ContactEffect)
            .where(ContactEffect.task_id.in_(task_ids), ContactEffect.contact_id > contact.id)):
        raise DomainError("call.later_call", "a later call was logged on the same tasks",
                          contact_id=contact.id)
    for e in effects:
        if e.what == EFFECT_COMPLAINT:
            c = session.get(Complaint, json.loads(e.before)["complaint_id"])
            if c is not None and not _untouched(c):
                raise DomainError("call.complaint_worked_on", "the complaint this call "
                                  "opened has been worked on", complaint_id=c.id)


def _untouched(c: Complaint) -> bool:
    return (c.status == ComplaintStatus.OPEN and c.version == 1
            and c.first_response_at is None
            and all(ch.state == CheckState.OPEN for ch in c.checks))


def _revert(session: Session, contact: Contact, effects: list[ContactEffect]) -> None:
    """Put back what the call changed, newest first, and forget its effects."""
    for e in reversed(effects):
        if e.what in TASK_EFFECTS and e.task_id is not None:
            task = session.get(Task, e.task_id)
            if task is not None:
                _restore_task(task, e.before)
        elif e.what == EFFECT_PHONE:
            client = session.get(Client, contact.client_id)
            if client is not None:
                client.phone = json.loads(e.before)["phone"]
        elif e.what == EFFECT_COMPLAINT:
            c = session.get(Complaint, json.loads(e.before)["complaint_id"])
            if c is not None:
                session.delete(c)
        session.delete(e)
    session.flush()


def undo_call(session: Session, contact_id: int) -> int:
    """Delete a logged call and restore what it changed exactly as it was (the tasks,
    the phone a wrong number replaced, the complaint it opened while nobody has worked
    on it). Returns the client's id."""
    require(session, Action.CALLS)
    contact = _contact(session, contact_id)
    effects = _effects(session, contact)
    _check_restorable(session, contact, effects)
    _revert(session, contact, effects)
    client_id = contact.client_id
    session.delete(contact)
    session.flush()
    refresh_next_due(session, [client_id])
    return client_id


def logged_call(session: Session, contact_id: int) -> CallFix:
    c = _contact(session, contact_id)
    return CallFix(outcome=Outcome(c.outcome), tone=Tone(c.tone) if c.tone else None,
                   note=c.note, decline_reason=c.decline_reason, meeting_at=c.meeting_at,
                   call_back_on=c.call_back_on, at=c.at)


def correct_call(session: Session, contact_id: int, fix: CallFix) -> CallFix:
    """Correct a logged call's outcome, tone and note. A new outcome is applied as if it
    had been logged then: what the old one did to the tasks (and the phone, the
    complaint) is put back first. Returns the call as stored."""
    require(session, Action.CALLS)
    contact = _contact(session, contact_id)
    _validate(fix, contact.at.date())
    contact.tone = fix.tone
    contact.note = fix.note.strip()
    decline = (fix.decline_reason or "").strip() or None
    new = (Outcome(fix.outcome), decline, fix.meeting_at, fix.call_back_on)
    old = (Outcome(contact.outcome), contact.decline_reason, contact.meeting_at,
           contact.call_back_on)
    if new != old:
        if new[0] == Outcome.CALL_BACK_LATER and fix.call_back_on is not None and (
                old[0] != Outcome.CALL_BACK_LATER or old[3] != fix.call_back_on):
            check_open_day(session, fix.call_back_on, fix.allow_closed_day, "call_back_on")
        effects = _effects(session, contact)
        _check_restorable(session, contact, effects)
        task_ids = [e.task_id for e in effects if e.what == EFFECT_TASK]
        _revert(session, contact, effects)
        client = session.get(Client, contact.client_id)
        if client is None:
            raise NotFoundError("client.not_found", "client not found",
                                client_id=contact.client_id)
        tasks = [t for t in (session.get(Task, i) for i in task_ids) if t is not None]
        contact.outcome, contact.decline_reason = new[0], decline
        contact.meeting_at, contact.call_back_on = fix.meeting_at, fix.call_back_on
        log = CallLog(client_id=client.id, outcome=new[0], note=contact.note,
                      decline_reason=decline, meeting_at=fix.meeting_at,
                      call_back_on=fix.call_back_on, channel=contact.channel)
        _apply_outcome(session, contact, client, tasks, log, contact.at, None)
    session.flush()
    refresh_next_due(session, [contact.client_id])
    return logged_call(session, contact_id)


def complete_task(session: Session, task_id: int, now: datetime | None = None) -> Task:
    """Tick off an internal to-do that is done outside the program (a gift prepared)."""
    require(session, Action.CALLS)
    task = _open_task(session, task_id)
    if task.kind not in TICK_OFF_KINDS:
        raise DomainError("task.done_by_doing", "this task is done by doing it",
                          task_id=task_id)
    task.status, task.closed_at = TaskStatus.DONE, now or datetime.now()
    session.flush()
    if task.client_id:
        refresh_next_due(session, [task.client_id])
    return task


def snooze(session: Session, task_id: int, until: date | None = None, note: str = "",
           today: date | None = None) -> Task:
    """Put a call off: to ``until``, or by default to the next working day after today
    ("Tomorrow"). A snooze never lands on a closed day: it goes on to the next working
    day without asking (a snooze is "later", not a chosen day)."""
    require(session, Action.CALLS)
    today = today or date.today()
    cal = WorkingCalendar.from_settings(session)
    if until is None:
        day = cal.next_working_day(today)
    else:  # a past day is refused as such by _move, not moved forward into the present
        day = cal.on_or_after(until) if until >= today else until
    return _move(session, task_id, day, REASON_SNOOZED, note, today)


def reschedule(session: Session, task_id: int, day: date, note: str = "",
               today: date | None = None, allow_closed_day: bool = False) -> Task:
    """Move a call to the day a person chose; a closed day is refused
    (:class:`ClosedDayError`) unless ``allow_closed_day``."""
    require(session, Action.CALLS)
    if day >= (today or date.today()):  # a past day is refused as such by _move
        check_open_day(session, day, allow_closed_day)
    return _move(session, task_id, day, REASON_RESCHEDULED, note, today)


def _move(session: Session, task_id: int, day: date, reason: str, note: str,
          today: date | None) -> Task:
    today = today or date.today()
    task = _open_task(session, task_id)
    if day < today:
        raise ValidationError([FieldError("due_on", "task.date_past",
                                          "the new date is in the past")])
    task.due_on = day
    task.reason = reason
    if note.strip():
        task.note = note.strip()
    session.flush()
    if task.client_id:
        refresh_next_due(session, [task.client_id])
    return task


def cancel(session: Session, task_id: int, reason: str) -> Task:
    require(session, Action.CALLS)
    task = _open_task(session, task_id)
    if not reason.strip():
        raise ValidationError([FieldError("reason", "task.reason_required",
                                          "say why the task is cancelled")])
    task.status, task.reason, task.closed_at = TaskStatus.CANCELLED, reason.strip(), \
        datetime.now()
    session.flush()
    if task.client_id:
        refresh_next_due(session, [task.client_id])
    return task


def add_manual_task(session: Session, client_id: int, due: date, note: str,
                    today: date | None = None, allow_closed_day: bool = False) -> Task:
    """A call planned by hand; a closed day is refused (:class:`ClosedDayError`) unless
    ``allow_closed_day``."""
    require(session, Action.CALLS)
    today = today or date.today()
    if session.get(Client, client_id) is None:
        raise NotFoundError("client.not_found", "client not found", client_id=client_id)
    if due < today:
        raise ValidationError([FieldError("due_on", "task.date_past",
                                          "the date is in the past")])
    check_open_day(session, due, allow_closed_day)
    task = Task(client_id=client_id, kind=TaskKind.MANUAL, due_on=due, rule_due_on=None,
                priority=50, status=TaskStatus.OPEN, rule="", note=note.strip())
    session.add(task)
    session.flush()
    refresh_next_due(session, [client_id])
    return task


def _open_task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFoundError("task.not_found", "task not found", task_id=task_id)
    if task.status not in (TaskStatus.OPEN, TaskStatus.SNOOZED):
        raise DomainError("task.closed", "the task is already closed", task_id=task_id)
    return task


# --------------------------------------------------------------------------- the queue


@dataclass(frozen=True)
class QueueTask:
    """One task of a queue row (a row lists every purpose of the call)."""

    task_id: int
    kind: TaskKind
    due_on: date
    attempts: int
    reason: str
    note: str


@dataclass(frozen=True)
class QueueRow:
    """One line of Today: a client's call of the day with all its purposes, or one
    internal to-do (``internal``). ``task_id``/``kind`` are the first task's, the one the
    row is ordered by; ``tasks`` are all the tasks still to do on the row."""

    task_id: int
    client_id: int | None
    client_name: str
    phone: str | None
    kind: TaskKind
    due_on: date
    overdue_days: int
    rank: int
    segment: str | None
    preferred_channel: Channel | None
    contact_from: time | None
    contact_to: time | None
    attempts: int
    reason: str
    note: str
    open_complaint: bool
    promo: bool
    discount: bool
    frozen: bool
    membership_ends: date | None
    last_contact_at: datetime | None
    last_tone: Tone | None
    is_new: bool
    do_not_contact: bool
    tasks: tuple[QueueTask, ...] = ()
    internal: bool = False
    #: the last call logged today on the row's tasks (the row stays, saying so)
    logged_contact_id: int | None = None
    logged_outcome: Outcome | None = None
    logged_at: datetime | None = None
    #: every call of the row was logged today: nothing is left to do on it
    settled: bool = False
    #: where the row stands in the queue: the order key of its first task (rank, priority,
    #: minus risk x value for a win-back call, the day it was due, the client's sort
    #: name, the task's id)
    order: tuple = ()
    #: a win-back call's client: the kept risk score (risk_store.KeptRisk, None without
    #: one) and how many days they are past their usual gap today
    risk: object | None = None
    past_gap_days: int | None = None

    @property
    def task_ids(self) -> tuple[int, ...]:
        return tuple(t.task_id for t in self.tasks) or (self.task_id,)

    @property
    def kinds(self) -> tuple[TaskKind, ...]:
        return tuple(t.kind for t in self.tasks) or (self.kind,)


def winback_expr():
    """A win-back call's place among the win-back calls: minus the client's risk score x
    12-month value (the most likely loss of the most value first); 0 for the other calls
    and for a client without a kept score."""
    loss = func.coalesce(risk_expr() * Client.value_12m, 0)
    return case((Task.kind == TaskKind.WIN_BACK.value, -loss), else_=0)


def queue_rank_expr(today: date, new_until: int):
    """The Today order (lower first): open complaints, A clients, renewals close to
    expiry (within 7 days of the end), new clients, the rest."""
    has_complaint = exists().where(Complaint.client_id == Task.client_id,
                                   Complaint.status.in_([s.value for s in OPEN_COMPLAINT]))
    seg = func.coalesce(Client.segment_override, Client.segment)
    return case(
        (Task.kind == TaskKind.COMPLAINT_CALLBACK, 0),
        (has_complaint, 0),
        (seg == Segment.A.value, 1),
        (and_(Task.kind == TaskKind.RENEWAL, Task.window_end.is_not(None),
              dialect.days_between(Task.window_end, literal(today.isoformat())) <= 7), 2),
        (Client.purchase_count < new_until, 3),
        else_=4)


class _QueueTask(NamedTuple):
    id: int
    client_id: int | None
    kind: str
    priority: int
    due_on: date
    attempts: int
    reason: str | None
    note: str | None
    loss: float = 0.0  #: winback_expr


class _QueueClient(NamedTuple):
    id: int
    name: str
    phone: str | None
    segment: str | None
    segment_override: str | None
    preferred_channel: str | None
    contact_from: time | None
    contact_to: time | None
    purchase_count: int
    do_not_contact: bool
    sort_name: str


def today_queue(session: Session, today: date | None = None, *,
                client_ids: Iterable[int] | None = None) -> list[QueueRow]:
    """The day's calls, one row per client with every purpose due for them (overdue and
    due today), in the order the receptionist should work them; the rows whose calls were
    logged today stay in place, saying what was logged. Internal to-dos follow, one row
    each. With ``client_ids``, only the rows of these clients (what the window re-reads
    after a call it logged itself: a few milliseconds, where the whole queue of a large
    file takes over 100)."""
    today = today or date.today()
    wanted = None if client_ids is None else set(client_ids)
    only = None if wanted is None else sorted(c for c in wanted if c is not None)
    # None among client_ids: the tasks of no client too (the business's to-dos)
    of_clients = (true() if wanted is None else or_(Task.client_id.in_(only),
                                                    Task.client_id.is_(None))
                  if None in wanted else Task.client_id.in_(only))
    new_until = settings_service.get(session, "status.new_until_purchases")
    rank = queue_rank_expr(today, new_until).label("rank")
    logged, was_due = _logged_today(session, today, only)
    due = and_(Task.status.in_(OPEN_STATES), Task.due_on <= today)
    # the columns shown, not whole objects: a queue of 1,000 calls read as Task and Client
    # objects took twice as long, and held the interpreter while it loaded them
    stmt = (select(Task.id, Task.client_id, Task.kind, Task.priority, Task.due_on,
                   Task.attempts, Task.reason, Task.note, Client.id.label("cid"),
                   Client.name, Client.phone, Client.segment, Client.segment_override,
                   Client.preferred_channel, Client.contact_from, Client.contact_to,
                   Client.purchase_count, Client.do_not_contact, Client.sort_name,
                   rank, due.label("due"), winback_expr().label("loss"))
            .outerjoin(Client, Client.id == Task.client_id)
            .where(or_(due, Task.id.in_(list(logged))) if logged else due)
            .where((Client.id.is_(None)) | Client.deleted_at.is_(None))
            .where(of_clients)
            .order_by(rank, Task.priority, "loss", Task.due_on, Client.sort_name, Task.id))
    found = [(_QueueTask(r.id, r.client_id, r.kind, r.priority, r.due_on, r.attempts,
                         r.reason, r.note, float(r.loss or 0)),
              None if r.cid is None else _QueueClient(
                  r.cid, r.name, r.phone, r.segment, r.segment_override,
                  r.preferred_channel, r.contact_from, r.contact_to, r.purchase_count,
                  r.do_not_contact, r.sort_name),
              r.rank, r.due) for r in session.execute(stmt)]
    # a logged call keeps its place: its tasks are ordered by the day they were due
    found.sort(key=lambda x: (x[2], x[0].priority, x[0].loss,
                              was_due.get(x[0].id, x[0].due_on),
                              x[1].sort_name if x[1] is not None else "", x[0].id))
    groups: dict[tuple, list] = {}
    for task, client, r, is_due in found:
        internal = task.kind in INTERNAL_KINDS
        if internal and not is_due:
            continue
        key = ("todo", task.id) if internal else ("call", task.client_id)
        groups.setdefault(key, []).append((task, client, r, bool(is_due)))
    orders = {key: _order_key(items[0][2], items[0][0], was_due, items[0][1])
              for key, items in groups.items()}
    client_ids = list({c.id for items in groups.values() for _t, c, _r, _d in items
                       if c is not None})
    marks = _marks(session, client_ids, today)
    winback = risk_store.winback_facts(session, [
        c.id for items in groups.values() for t, c, _r, _d in items
        if c is not None and t.kind == TaskKind.WIN_BACK.value], today)
    calls_rows, todo_rows = [], []
    for key, items in groups.items():
        open_items = [it for it in items if it[3]]
        settled = not open_items
        task, client, r, _ = (open_items or items)[0]
        m = marks.get(client.id if client else -1, {})
        todo = [QueueTask(t.id, TaskKind(t.kind), t.due_on, t.attempts, t.reason, t.note)
                for t, _c, _r, _d in (open_items or items)]
        last = max((logged[t.id] for t, _c, _r, _d in items if t.id in logged),
                   key=lambda v: (v[1], v[0]), default=None)
        notes = list(dict.fromkeys(t.note for t in todo if t.note))
        flagged = any(t.reason == REASON_MAX_ATTEMPTS for t in todo)
        row = QueueRow(
            task_id=task.id, client_id=task.client_id,
            client_name=client.name if client else "", phone=client.phone if client else None,
            kind=TaskKind(task.kind), due_on=min(t.due_on for t in todo),
            overdue_days=max(0, (today - min(t.due_on for t in todo)).days) if not settled
            else 0,
            rank=min(it[2] for it in items),
            segment=(client.segment_override or client.segment) if client else None,
            preferred_channel=client.preferred_channel if client else None,
            contact_from=client.contact_from if client else None,
            contact_to=client.contact_to if client else None,
            attempts=max(t.attempts for t in todo),
            reason=REASON_MAX_ATTEMPTS if flagged else task.reason, note="; ".join(notes),
            open_complaint=m.get("complaint", False),
            promo=m.get("promo", False), discount=m.get("discount", False),
            frozen=m.get("frozen", False), membership_ends=m.get("ends"),
            last_contact_at=m.get("last_at"), last_tone=m.get("last_tone"),
            is_new=bool(client and client.purchase_count < new_until),
            do_not_contact=bool(client and client.do_not_contact),
            tasks=tuple(todo), internal=key[0] == "todo",
            logged_contact_id=last[0] if last else None,
            logged_at=last[1] if last else None, logged_outcome=last[2] if last else None,
            settled=settled, order=orders[key],
            risk=winback.get(task.client_id, (None, None))[0],
            past_gap_days=winback.get(task.client_id, (None, None))[1])
        (todo_rows if row.internal else calls_rows).append(row)
    return calls_rows + todo_rows


def _logged_today(session: Session, today: date, only: list[int] | None
                  ) -> tuple[dict[int, tuple], dict[int, date]]:
    """The tasks of the calls logged today: task id -> (contact id, at, outcome) of the
    last call on it, and task id -> the day it was due before today's first call."""
    start = datetime.combine(today, time.min)
    end = start + timedelta(days=1)
    logged: dict[int, tuple] = {}
    was_due: dict[int, date] = {}
    for tid, cid, at, outcome, before in session.execute(
            select(ContactEffect.task_id, Contact.id, Contact.at, Contact.outcome,
                   ContactEffect.before)
            .join(Contact, Contact.id == ContactEffect.contact_id)
            .where(Contact.at >= start, Contact.at < end,
                   ContactEffect.what.in_(TASK_EFFECTS),
                   true() if only is None else Contact.client_id.in_(only))
            .order_by(Contact.at, Contact.id)):
        logged[tid] = (cid, at, Outcome(outcome))
        was_due.setdefault(tid, date.fromisoformat(json.loads(before)["due_on"]))
    return logged, was_due


def _order_key(rank: int, task, was_due: dict[int, date], client) -> tuple:
    """A task's place in the queue, as :func:`today_queue` sorts them (a logged call
    keeps its place: by the day it was due)."""
    return (rank, task.priority, task.loss, was_due.get(task.id, task.due_on),
            client.sort_name if client is not None else "", task.id)


# ---------------------------------------------------------------------------- the queue, in pages

#: tasks read at a time while a page of the queue is gathered
_QUEUE_BATCH = 500


@dataclass
class QueueCursor:
    """Where the next page of Today's calls starts: the order key of the last task read,
    and the clients whose row was listed already (their other tasks came with it)."""

    today: date
    after: tuple | None = None
    listed: set = field(default_factory=set)
    done: bool = False


@dataclass(frozen=True)
class QueueCounts:
    """The figures of Today's summary line, for the whole queue."""

    to_make: int = 0  # call rows with something still to do
    overdue: int = 0  # of those, rows due before today
    logged: int = 0  # rows whose calls were all logged today
    todos: int = 0  # internal to-dos


def today_calls_page(session: Session, cursor: QueueCursor, limit: int = 200
                     ) -> tuple[list[QueueRow], QueueCursor]:
    """The next ``limit`` call rows of the day's queue from ``cursor``, in the order of
    :func:`today_queue` and exactly its rows, and the cursor after them. The tasks are
    read in the queue's order through SQL (rank, priority, day due, name, id) from the
    cursor, a batch at a time, until ``limit`` clients not listed yet were found; their
    rows are then made by :func:`today_queue` for those clients alone. A queue of 138,000
    calls is never held whole."""
    heads, cursor = _call_heads(session, cursor, limit)
    found = {r.client_id: r for r in _queue_rows_of(session, cursor.today, heads)
             if not r.internal}
    return [found[cid] for cid in heads if cid in found], cursor


def today_first_page(session: Session, today: date, limit: int = 200
                     ) -> tuple[list[QueueRow], QueueCursor, QueueCursor]:
    """What Today shows first: the first ``limit`` call rows of the queue (as
    :func:`today_calls_page` from the start) followed by the first ``limit`` to-dos (as
    :func:`today_todos_page`), made by one :func:`today_queue` of their clients; and the
    cursors of the calls' and the to-dos' next pages."""
    heads, cursor = _call_heads(session, QueueCursor(today), limit)
    todo_heads, todo_cursor = _call_heads(session, QueueCursor(today), limit, todos=True)
    clients = list(dict.fromkeys(heads + [cid for _tid, cid in todo_heads]))
    rows = _queue_rows_of(session, today, clients)
    return (_in_order(rows, heads, todo_heads), cursor, todo_cursor)


def today_todos_page(session: Session, cursor: QueueCursor, limit: int = 200
                     ) -> tuple[list[QueueRow], QueueCursor]:
    """The next ``limit`` to-dos (one row each) in the queue's order from ``cursor``."""
    heads, cursor = _call_heads(session, cursor, limit, todos=True)
    rows = _queue_rows_of(session, cursor.today, list(dict.fromkeys(c for _t, c in heads)))
    return _in_order(rows, [], heads), cursor


def _in_order(rows: list[QueueRow], calls_: list, todos: list) -> list[QueueRow]:
    """The call rows of the clients ``calls_`` and the to-dos ``todos`` ((task id,
    client id) each) out of ``rows``, in that order."""
    found = {r.client_id: r for r in rows if not r.internal}
    found_todos = {r.task_id: r for r in rows if r.internal}
    return ([found[cid] for cid in calls_ if cid in found]
            + [found_todos[tid] for tid, _cid in todos if tid in found_todos])


def _call_heads(session: Session, cursor: QueueCursor, limit: int, todos: bool = False
                ) -> tuple[list, QueueCursor]:
    """The next ``limit`` clients (None: the calls of no client) in the queue's order
    from ``cursor``, and the cursor after them; with ``todos``, the next ``limit``
    to-dos as (task id, client id)."""
    cursor = QueueCursor(cursor.today, cursor.after, set(cursor.listed), cursor.done)
    today = cursor.today
    heads: list = []
    if cursor.done:
        return heads, cursor
    new_until = settings_service.get(session, "status.new_until_purchases")
    logged, was_due = _logged_today(session, today, None)
    rank = queue_rank_expr(today, new_until)
    # typed dates (not ISO text): PostgreSQL will not mix text and date in one CASE
    day = (case({tid: literal(d, Date) for tid, d in was_due.items()}, value=Task.id,
                else_=Task.due_on) if was_due else Task.due_on)
    key = (rank, Task.priority, winback_expr(), day, func.coalesce(Client.sort_name, ""),
           Task.id)
    due = and_(Task.status.in_(OPEN_STATES), Task.due_on <= today)
    while len(heads) < limit:
        stmt = (select(Task.client_id, *key)
                .outerjoin(Client, Client.id == Task.client_id)
                .where(and_(due, Task.kind.in_(list(INTERNAL_KINDS))) if todos else
                       and_(or_(due, Task.id.in_(list(logged))) if logged else due,
                            Task.kind.not_in(list(INTERNAL_KINDS))))
                .where((Client.id.is_(None)) | Client.deleted_at.is_(None))
                .order_by(*key).limit(_QUEUE_BATCH))
        if cursor.after is not None:
            stmt = stmt.where(tuple_(*key) > tuple_(*map(literal, cursor.after)))
        rows = session.execute(stmt).all()
        for row in rows:
            cursor.after = tuple(row[1:])
            if todos:  # a to-do is a row of its own
                heads.append((row[-1], row[0]))
                if len(heads) >= limit:
                    break
                continue
            if row[0] in cursor.listed:
                continue
            cursor.listed.add(row[0])
            heads.append(row[0])
            if len(heads) >= limit:
                break
        else:
            if len(rows) < _QUEUE_BATCH:
                cursor.done = True
                break
    return heads, cursor


def _queue_rows_of(session: Session, today: date, client_ids: list[int | None]
                   ) -> list[QueueRow]:
    return today_queue(session, today, client_ids=client_ids) if client_ids else []


def today_todos(session: Session, today: date) -> list[QueueRow]:
    """The day's internal to-dos (reviews, gifts), in the queue's order: one row each."""
    rows = [r for r in _queue_rows_of(session, today, _todo_clients(session, today))
            if r.internal]
    return sorted(rows, key=lambda r: r.order)


def _todo_clients(session: Session, today: date) -> list[int | None]:
    """The clients (None: the business) with a to-do due."""
    return [cid for (cid,) in session.execute(
        select(Task.client_id).distinct().outerjoin(Client, Client.id == Task.client_id)
        .where(Task.status.in_(OPEN_STATES), Task.due_on <= today,
               Task.kind.in_(list(INTERNAL_KINDS)))
        .where((Client.id.is_(None)) | Client.deleted_at.is_(None)))]


def today_counts(session: Session, today: date) -> QueueCounts:
    """How many calls are left to make (and of them overdue), how many rows were logged
    in full today, how many to-dos: the figures of the summary line, counted in SQL."""
    live = (Client.id.is_(None)) | Client.deleted_at.is_(None)
    due = and_(Task.status.in_(OPEN_STATES), Task.due_on <= today)
    per_client = (select(Task.client_id, func.min(Task.due_on).label("first"))
                  .outerjoin(Client, Client.id == Task.client_id)
                  .where(due, Task.kind.not_in(list(INTERNAL_KINDS)), live)
                  .group_by(Task.client_id).subquery())
    to_make, overdue = session.execute(select(
        func.count(), dialect.total(case((per_client.c.first < today, 1), else_=0)))).one()
    logged, _was = _logged_today(session, today, None)
    settled = 0
    if logged:
        logged_clients = set(session.scalars(
            select(Task.client_id).distinct().outerjoin(Client, Client.id == Task.client_id)
            .where(Task.id.in_(list(logged)), Task.kind.not_in(list(INTERNAL_KINDS)), live)))
        open_clients = set(session.scalars(
            select(Task.client_id).distinct()
            .where(due, Task.kind.not_in(list(INTERNAL_KINDS)),
                   Task.client_id.in_([c for c in logged_clients if c is not None])
                   | Task.client_id.is_(None))))
        settled = len(logged_clients - open_clients)
    todos = session.scalar(select(func.count()).select_from(Task)
                           .outerjoin(Client, Client.id == Task.client_id)
                           .where(due, Task.kind.in_(list(INTERNAL_KINDS)), live))
    return QueueCounts(int(to_make), int(overdue or 0), settled, int(todos))


def _marks(session: Session, client_ids: list[int], today: date) -> dict[int, dict]:
    """"Before you call" marks for a set of clients, in three queries."""
    marks: dict[int, dict] = {cid: {} for cid in client_ids}
    if not client_ids:
        return marks
    for (cid,) in session.execute(select(Complaint.client_id).where(
            Complaint.client_id.in_(client_ids),
            Complaint.status.in_([s.value for s in OPEN_COMPLAINT])).distinct()):
        marks[cid]["complaint"] = True
    for m in session.scalars(select(Membership).where(
            Membership.client_id.in_(client_ids),
            Membership.status.in_((MembershipStatus.ACTIVE, MembershipStatus.FROZEN)))
            .order_by(Membership.ends_on)):
        d = marks[m.client_id]
        d["promo"] = d.get("promo", False) or m.promo
        d["discount"] = d.get("discount", False) or m.discount
        d["frozen"] = d.get("frozen", False) or m.status == MembershipStatus.FROZEN or bool(
            m.frozen_from and m.frozen_until and m.frozen_from <= today <= m.frozen_until)
        d.setdefault("ends", m.ends_on)
    last = (select(Contact.client_id, func.max(Contact.at).label("at"))
            .where(Contact.client_id.in_(client_ids)).group_by(Contact.client_id).subquery())
    for cid, at, tone in session.execute(
            select(Contact.client_id, Contact.at, Contact.tone)
            .join(last, and_(last.c.client_id == Contact.client_id, last.c.at == Contact.at))):
        marks[cid]["last_at"], marks[cid]["last_tone"] = at, tone
    return marks
