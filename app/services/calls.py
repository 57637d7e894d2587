"""The day's call queue and logging a call: what each outcome does to the task.

* reached, declined, meeting booked, complaint found: the task is done and leaves the
  queue (a booked meeting goes to the calendar, a decline keeps its reason for the
  charts, a complaint found opens a complaint for the client);
* no answer, left a message: one more attempt; the task moves to the next working day,
  and after ``contact.max_attempts`` attempts it stays in the queue flagged;
* call back later: the task moves to the day the client asked for;
* wrong number: the task is cancelled and the client's phone is flagged in the note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, exists, func, literal, select
from sqlalchemy.orm import Session

from app.errors import DomainError, FieldError, NotFoundError, ValidationError
from app.models import Client, Complaint, Contact, Membership, Task
from app.models.enums import (
    Channel, ComplaintStatus, Direction, MembershipStatus, Outcome, Segment, TaskKind,
    TaskStatus, Tone,
)
from app.services import settings as settings_service
from app.services.clients import refresh_next_due
from app.services.workdays import WorkingCalendar

DONE_OUTCOMES = frozenset({Outcome.REACHED, Outcome.DECLINED, Outcome.MEETING_BOOKED,
                           Outcome.COMPLAINT_FOUND})
ATTEMPT_OUTCOMES = frozenset({Outcome.NO_ANSWER, Outcome.LEFT_MESSAGE})
OPEN_COMPLAINT = (ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED)

REASON_NO_ANSWER = "no_answer"
REASON_MAX_ATTEMPTS = "max_attempts"
REASON_CALL_BACK = "call_back_later"
REASON_WRONG_NUMBER = "wrong_number"
REASON_SNOOZED = "snoozed"
REASON_RESCHEDULED = "rescheduled"


@dataclass
class CallLog:
    client_id: int
    outcome: Outcome
    task_id: int | None = None
    tone: Tone | None = None
    duration_seconds: int | None = None
    note: str = ""
    decline_reason: str | None = None
    meeting_at: datetime | None = None
    call_back_on: date | None = None
    channel: Channel = Channel.PHONE
    direction: Direction = Direction.OUTBOUND
    staff_id: int | None = None


@dataclass(frozen=True)
class CallResult:
    contact_id: int
    task_status: TaskStatus | None
    task_due: date | None
    complaint_id: int | None = None


def next_working_day(day: date, working_days: str, country: str = "") -> date:
    """The working day after ``day`` (app/services/workdays.py decides, for the app)."""
    return WorkingCalendar(working_days, country).next_working_day(day)


def _validate(log: CallLog, today: date) -> None:
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
    if log.duration_seconds is not None and not (0 <= log.duration_seconds <= 24 * 3600):
        errors.append(FieldError("duration", "call.duration_range", "duration out of range"))
    if errors:
        raise ValidationError(errors)


def log_call(session: Session, log: CallLog, now: datetime | None = None) -> CallResult:
    """Store the contact and apply its outcome to the task, in the caller's transaction."""
    now = now or datetime.now()
    today = now.date()
    _validate(log, today)
    client = session.get(Client, log.client_id)
    if client is None:
        raise NotFoundError("client.not_found", "client not found", client_id=log.client_id)
    task = session.get(Task, log.task_id) if log.task_id is not None else None
    if log.task_id is not None and (task is None or task.client_id != log.client_id):
        raise NotFoundError("task.not_found", "task not found", task_id=log.task_id)
    if task is not None and task.status not in (TaskStatus.OPEN, TaskStatus.SNOOZED):
        raise DomainError("task.closed", "the task is already closed", task_id=task.id)
    contact = Contact(
        client_id=log.client_id, at=now, channel=log.channel, direction=log.direction,
        purpose=task.kind if task else TaskKind.MANUAL, outcome=log.outcome, tone=log.tone,
        duration_seconds=log.duration_seconds, staff_id=log.staff_id, note=log.note.strip(),
        decline_reason=(log.decline_reason or "").strip() or None,
        meeting_at=log.meeting_at, call_back_on=log.call_back_on, task_id=log.task_id)
    session.add(contact)
    complaint_id = None
    if log.outcome == Outcome.COMPLAINT_FOUND:
        from app.services.complaints import open_complaint
        complaint_id = open_complaint(session, log.client_id, log.note, now=now,
                                      channel=log.channel)
    if task is not None:
        _apply(session, task, log, now)
    session.flush()
    refresh_next_due(session, [log.client_id])
    return CallResult(contact.id, task.status if task else None,
                      task.due_on if task else None, complaint_id)


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


def snooze(session: Session, task_id: int, until: date, note: str = "",
           today: date | None = None) -> Task:
    return _move(session, task_id, until, REASON_SNOOZED, note, today)


def reschedule(session: Session, task_id: int, day: date, note: str = "",
               today: date | None = None) -> Task:
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
                    today: date | None = None) -> Task:
    today = today or date.today()
    if session.get(Client, client_id) is None:
        raise NotFoundError("client.not_found", "client not found", client_id=client_id)
    if due < today:
        raise ValidationError([FieldError("due_on", "task.date_past",
                                          "the date is in the past")])
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
class QueueRow:
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
              func.julianday(Task.window_end) - func.julianday(literal(today.isoformat()))
              <= 7), 2),
        (Client.purchase_count < new_until, 3),
        else_=4)


def today_queue(session: Session, today: date | None = None) -> list[QueueRow]:
    """Overdue and due-today tasks, in the order the receptionist should work them."""
    today = today or date.today()
    new_until = settings_service.get(session, "status.new_until_purchases")
    rank = queue_rank_expr(today, new_until).label("rank")
    stmt = (select(Task, Client, rank)
            .outerjoin(Client, Client.id == Task.client_id)
            .where(Task.status.in_((TaskStatus.OPEN, TaskStatus.SNOOZED)),
                   Task.due_on <= today)
            .where((Client.id.is_(None)) | Client.deleted_at.is_(None))
            .order_by(rank, Task.priority, Task.due_on, Client.sort_name, Task.id))
    rows = session.execute(stmt).all()
    client_ids = [c.id for _t, c, _r in rows if c is not None]
    marks = _marks(session, client_ids, today)
    out = []
    for task, client, r in rows:
        m = marks.get(client.id if client else -1, {})
        out.append(QueueRow(
            task_id=task.id, client_id=task.client_id,
            client_name=client.name if client else "", phone=client.phone if client else None,
            kind=task.kind, due_on=task.due_on, overdue_days=(today - task.due_on).days,
            rank=r, segment=(client.segment_override or client.segment) if client else None,
            preferred_channel=client.preferred_channel if client else None,
            contact_from=client.contact_from if client else None,
            contact_to=client.contact_to if client else None, attempts=task.attempts,
            reason=task.reason, note=task.note, open_complaint=m.get("complaint", False),
            promo=m.get("promo", False), discount=m.get("discount", False),
            frozen=m.get("frozen", False), membership_ends=m.get("ends"),
            last_contact_at=m.get("last_at"), last_tone=m.get("last_tone"),
            is_new=bool(client and client.purchase_count < new_until),
            do_not_contact=bool(client and client.do_not_contact)))
    return out


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
