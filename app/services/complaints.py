"""Complaint recovery (DOMAIN.md "Complaint recovery"): listen, apologise, ask, compensate,
fix, call back, review and keep the lesson.

States: open → in progress (first response: the apology or the client's request is
recorded) → resolved (the fix is done: the call-back and the team review are scheduled,
once each) → closed with the client kept, or closed with the client lost. A complaint is
closed only after its call-back is done (DOMAIN.md: call back even when you know the fix
worked), unless the user closes it without the call-back and gives the reason, which is
kept. The review task is done when the seven answers and the lesson are recorded.

Compensation is recorded so revenue stays true: a refund is a credit line among the
client's purchases (negative amount, ``is_credit``, linked to the complaint); a discount,
free service, replacement or gift keeps its value on the complaint only, as it moved no
money. A role may grant up to its limit (settings); more needs the owner's approval. A
refund larger than the client paid over the client-value window (the last 12 months by
default, the refunds of other complaints deducted) is refused unless confirmed: it is
most likely a typing slip (120 for 12.00), and if meant, it is meant knowingly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.enums import REFUND_ITEM
from app.errors import ConflictError, DomainError, FieldError, NotFoundError, ValidationError
from app.models import Client, Complaint, ComplaintCheck, Purchase, Staff, Task
from app.models.enums import (
    Channel,
    CheckState,
    CompensationKind,
    ComplaintStatus,
    Fault,
    Severity,
    StaffRole,
    TaskKind,
    TaskStatus,
)
from app.services import history, schedule
from app.services import settings as settings_service
from app.services.access import Action, actor_of, require
from app.services.clients import refresh_client_stats, refresh_next_due
from app.services.validation import nfc, parse_amount

CHECK_ITEMS = 8
CLOSED = (ComplaintStatus.CLOSED_KEPT, ComplaintStatus.CLOSED_LOST)


def open_complaint(session: Session, client_id: int, words: str, *, now: datetime,
                   channel: Channel = Channel.PHONE, category: str = "",
                   severity: Severity = Severity.MEDIUM, fault: Fault = Fault.UNCLEAR) -> int:
    require(session, Action.COMPLAINTS)
    if session.get(Client, client_id) is None:
        raise NotFoundError("client.not_found", "client not found", client_id=client_id)
    c = Complaint(client_id=client_id, opened_at=now, channel=channel, category=nfc(category),
                  client_words=nfc(words).strip(), severity=severity, fault=fault,
                  status=ComplaintStatus.OPEN)
    c.checks = [ComplaintCheck(item=i, state=CheckState.OPEN) for i in range(1, CHECK_ITEMS + 1)]
    session.add(c)
    session.flush()
    return c.id


def _get(session: Session, complaint_id: int, *, editable: bool = True) -> Complaint:
    c = session.get(Complaint, complaint_id)
    if c is None:
        raise NotFoundError("complaint.not_found", "complaint not found",
                            complaint_id=complaint_id)
    if editable and c.status in CLOSED:
        raise DomainError("complaint.closed", "the complaint is closed", complaint_id=c.id)
    if not c.checks:  # a complaint opened elsewhere (a call's outcome) gets its checklist
        c.checks = [ComplaintCheck(item=i, state=CheckState.OPEN)
                    for i in range(1, CHECK_ITEMS + 1)]
    return c


def _responded(c: Complaint, now: datetime) -> None:
    if c.first_response_at is None:
        c.first_response_at = now
    if c.status == ComplaintStatus.OPEN:
        c.status = ComplaintStatus.IN_PROGRESS


def record_apology(session: Session, complaint_id: int, text: str, now: datetime) -> None:
    """The apology as given: regret for the experience, not an admission of guilt."""
    require(session, Action.COMPLAINTS)
    if not text.strip():
        raise ValidationError([FieldError("apology", "complaint.apology_required",
                                          "write the apology as it was given")])
    c = _get(session, complaint_id)
    c.apology, c.apology_given_at = text.strip(), now
    _responded(c, now)


def record_request(session: Session, complaint_id: int, text: str, now: datetime) -> None:
    """"What would put it right for you?" in the client's own words."""
    require(session, Action.COMPLAINTS)
    if not text.strip():
        raise ValidationError([FieldError("client_request", "complaint.request_required",
                                          "write what the client asked for")])
    c = _get(session, complaint_id)
    c.client_request = text.strip()
    _responded(c, now)


def tick(session: Session, complaint_id: int, item: int, state: CheckState,
         staff_id: int | None, now: datetime) -> None:
    require(session, Action.COMPLAINTS)
    if not 1 <= item <= CHECK_ITEMS:
        raise ValidationError([FieldError("item", "complaint.item_range", "no such item")])
    c = _get(session, complaint_id)
    check = next(k for k in c.checks if k.item == item)
    check.state = state
    staff_id = _doer(session, staff_id)
    check.by_staff_id, check.at = (None, None) if state == CheckState.OPEN else (staff_id, now)


def _doer(session: Session, staff_id: int | None) -> int | None:
    """Who does a step: the person signed in, whoever the dialog names (so a tick and a
    compensation say who really did them, and the limit is the signer's role's); the
    person chosen at the desk when nobody signs in."""
    actor = actor_of(session)
    return actor.staff_id if actor is not None else staff_id


def role_limit(session: Session, role: StaffRole) -> Decimal | None:
    """What a role may grant on the spot; None = no limit (the owner)."""
    if role == StaffRole.OWNER:
        return None
    return settings_service.get(session, f"complaint.limit.{role.value}")


def paid_in_period(session: Session, client_id: int, today: date,
                   except_complaint_id: int | None = None) -> Decimal:
    """What the client paid over the client-value window up to ``today``, less the
    refunds of other complaints: the most a refund can sensibly give back."""
    since = today - timedelta(days=settings_service.get(session, "value.window_days"))
    stmt = select(func.coalesce(func.sum(Purchase.amount), 0)).where(
        Purchase.client_id == client_id, Purchase.purchased_on > since,
        Purchase.purchased_on <= today)
    if except_complaint_id is not None:
        stmt = stmt.where((Purchase.complaint_id.is_(None))
                          | (Purchase.complaint_id != except_complaint_id))
    return max(Decimal(str(session.scalar(stmt) or 0)), Decimal(0)).quantize(
        Decimal("0.01"))


def compensate(session: Session, complaint_id: int, kind: CompensationKind,
               value: Decimal | str, *, by_staff_id: int, approved_by_id: int | None = None,
               now: datetime, refund_over_paid: bool = False) -> None:
    """``refund_over_paid``: the user confirmed a refund larger than the client paid."""
    require(session, Action.COMPLAINTS)
    c = _get(session, complaint_id)
    amount = parse_amount(value, field="compensation_value") if kind != CompensationKind.NONE \
        else Decimal("0.00")
    if kind == CompensationKind.REFUND and not refund_over_paid:
        paid = paid_in_period(session, c.client_id, now.date(), except_complaint_id=c.id)
        if amount > paid:
            raise DomainError("compensation.refund_over_paid",
                              "the refund is more than the client paid in the period",
                              field="compensation_value", value=amount, paid=paid)
    by_staff_id = _doer(session, by_staff_id)
    staff = session.get(Staff, by_staff_id)
    if staff is None:
        raise NotFoundError("staff.not_found", "staff not found", staff_id=by_staff_id)
    limit = role_limit(session, staff.role)
    if limit is not None and amount > limit:
        approver = session.get(Staff, approved_by_id) if approved_by_id else None
        if approver is None or approver.role != StaffRole.OWNER:
            raise DomainError("compensation.needs_approval",
                              "more than the role may grant: the owner must approve",
                              field="compensation_value", limit=limit, value=amount)
        c.compensation_approved_by_id = approver.id
    else:
        c.compensation_approved_by_id = None  # within the limit: nobody had to approve
    # a refund moves money: keep revenue true with one credit line per complaint
    credit = session.scalar(select(Purchase).where(Purchase.complaint_id == c.id,
                                                   Purchase.is_credit.is_(True)))
    if kind == CompensationKind.REFUND:
        if credit is None:
            credit = Purchase(client_id=c.client_id, complaint_id=c.id, is_credit=True,
                              item=REFUND_ITEM, quantity=Decimal("1"))
            session.add(credit)
        credit.purchased_on, credit.amount = now.date(), -amount
    elif credit is not None:
        session.delete(credit)
    c.compensation_kind, c.compensation_value = kind, amount
    _responded(c, now)
    session.flush()
    refresh_client_stats(session, [c.client_id], today=now.date())


def set_accountability(session: Session, complaint_id: int, staff_id: int | None,
                       corrective_action: str) -> None:
    require(session, Action.COMPLAINTS)
    c = _get(session, complaint_id)
    if staff_id is not None and session.get(Staff, staff_id) is None:
        raise NotFoundError("staff.not_found", "staff not found", staff_id=staff_id)
    c.accountable_staff_id = staff_id
    c.corrective_action = corrective_action.strip()


def resolve(session: Session, complaint_id: int, now: datetime) -> list[Task]:
    """The fix is done: schedule the call-back and the review, each once; returns them."""
    require(session, Action.COMPLAINTS)
    c = _get(session, complaint_id)
    if c.resolved_at is None:
        c.resolved_at = now
    c.status = ComplaintStatus.RESOLVED
    if c.first_response_at is None:
        c.first_response_at = now
    session.flush()
    planned = schedule.schedule_complaint_follow_ups(session, c.id)
    _settle_review_task(session, c, now)  # reviewed before it was resolved
    return planned


def missing_to_close(c: Complaint) -> list[str]:
    """Codes of what must be recorded before a complaint may be closed."""
    missing = []
    if not c.apology.strip():
        missing.append("apology")
    if not c.client_request.strip():
        missing.append("client_request")
    if c.compensation_kind == CompensationKind.NONE and not c.corrective_action.strip():
        missing.append("compensation_or_action")
    open_items = [k.item for k in c.checks if k.state == CheckState.OPEN]
    if open_items or len(c.checks) < CHECK_ITEMS:
        missing.append("checklist")
    return missing


def _follow_up_task(session: Session, complaint_id: int, kind: TaskKind) -> Task | None:
    return session.scalar(select(Task).where(
        Task.source_key == f"{kind.value}:complaint:{complaint_id}"))


def callback_done(session: Session, complaint_id: int) -> bool:
    """Whether the call-back after the fix was made (its task is done)."""
    task = _follow_up_task(session, complaint_id, TaskKind.COMPLAINT_CALLBACK)
    return task is not None and task.status == TaskStatus.DONE


def close(session: Session, complaint_id: int, *, kept: bool, satisfied: bool,
          rating: int | None, now: datetime, reason: str = "") -> None:
    """Close the complaint. Its call-back must be done first; ``reason`` closes it
    without the call-back (kept on the complaint, and the open call-back is cancelled
    with it)."""
    require(session, Action.COMPLAINTS)
    c = _get(session, complaint_id)
    missing = missing_to_close(c)
    reason = " ".join(reason.split())
    if not callback_done(session, c.id) and not reason:
        missing.append("callback")
    if missing:
        raise ValidationError([FieldError(m, f"complaint.missing.{m}", f"missing: {m}")
                               for m in missing])
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError([FieldError("rating", "complaint.rating_range", "1 to 5")])
    if len(reason) > 500:
        raise ValidationError([FieldError("close_reason", "text.too_long", "too long",
                                          {"maximum": 500})])
    if c.resolved_at is None:
        resolve(session, complaint_id, now)
    c.status = ComplaintStatus.CLOSED_KEPT if kept else ComplaintStatus.CLOSED_LOST
    c.closed_at, c.satisfied, c.rating = now, satisfied, rating
    c.close_reason = reason
    callback = _follow_up_task(session, c.id, TaskKind.COMPLAINT_CALLBACK)
    if reason and callback is not None and callback.status in (TaskStatus.OPEN,
                                                               TaskStatus.SNOOZED):
        callback.status, callback.closed_at, callback.reason = (TaskStatus.CANCELLED, now,
                                                                reason)
    session.flush()
    refresh_next_due(session, [c.client_id])


REVIEW_FIELDS = ("review_main_complaint", "review_presentation", "review_our_view",
                 "review_helped", "review_hurt", "review_care_shown", "review_differently")


def review(session: Session, complaint_id: int, answers: dict[str, str], lesson: str,
           now: datetime) -> None:
    """The seven questions after cool-down, and the lesson for the team (allowed after
    closing too: the review often comes last)."""
    require(session, Action.COMPLAINTS)
    c = _get(session, complaint_id, editable=False)
    unknown = set(answers) - set(REVIEW_FIELDS)
    if unknown:
        raise ValidationError([FieldError(sorted(unknown)[0], "complaint.review_field",
                                          "unknown question")])
    for key, text in answers.items():
        setattr(c, key, text.strip())
    c.lesson = lesson.strip()
    c.reviewed_at = now
    _settle_review_task(session, c, now)


def review_complete(c: Complaint) -> bool:
    """The seven questions answered and the lesson written."""
    return bool(c.lesson.strip()) and all(getattr(c, k).strip() for k in REVIEW_FIELDS)


def _settle_review_task(session: Session, c: Complaint, now: datetime) -> None:
    """The review task is done by doing the review: once it is complete."""
    task = _follow_up_task(session, c.id, TaskKind.COMPLAINT_REVIEW)
    if task is not None and review_complete(c) and task.status in (TaskStatus.OPEN,
                                                                   TaskStatus.SNOOZED):
        task.status, task.closed_at = TaskStatus.DONE, now
        session.flush()
        refresh_next_due(session, [c.client_id])


@dataclass(frozen=True)
class Timing:
    first_response_hours: float | None
    resolution_hours: float | None
    response_overdue: bool


def timing(session: Session, complaint_id: int, now: datetime) -> Timing:
    c = _get(session, complaint_id, editable=False)
    limit = settings_service.get(session, "complaint.first_response_hours")
    first = _hours(c.opened_at, c.first_response_at)
    waited = _hours(c.opened_at, c.first_response_at or now) or 0.0
    return Timing(first, _hours(c.opened_at, c.resolved_at), waited > limit)


# --------------------------------------------------------------------------- the dialog's form

@dataclass
class ComplaintEdits:
    """What the complaint dialog holds; :func:`save_complaint` applies what changed, each
    part through the workflow step above, so the rules and times stay in one place."""

    client_words: str = ""
    channel: Channel = Channel.PHONE
    category: str = ""
    severity: Severity = Severity.MEDIUM
    fault: Fault = Fault.UNCLEAR
    apology: str = ""
    apology_given: bool = False
    client_request: str = ""
    checks: dict[int, CheckState] | None = None
    compensation_kind: CompensationKind = CompensationKind.NONE
    compensation_value: Decimal = Decimal("0.00")
    approved_by_id: int | None = None
    accountable_staff_id: int | None = None
    corrective_action: str = ""
    review: dict[str, str] | None = None
    lesson: str = ""
    expected_version: int | None = None
    #: the user confirmed a refund larger than the client paid in the period
    refund_over_paid: bool = False


def save_complaint(session: Session, client_id: int, complaint_id: int | None,
                   e: ComplaintEdits, *, staff_id: int | None, now: datetime) -> int:
    """Create or update a complaint from the dialog in one transaction. Only what
    changed is recorded, so a tick keeps its first who-and-when and the apology its
    time. Raises ConflictError when someone else saved the complaint since it was
    loaded (``expected_version``)."""
    require(session, Action.COMPLAINTS)
    e = replace(e, **{f.name: nfc(getattr(e, f.name)) for f in fields(e)
                      if isinstance(getattr(e, f.name), str)},
                review=None if e.review is None else {k: nfc(v) for k, v in e.review.items()})
    if len(e.category.strip()) > 80:
        raise ValidationError([FieldError("category", "text.too_long", "too long",
                                          {"maximum": 80})])
    if complaint_id is None:
        complaint_id = open_complaint(session, client_id, e.client_words, now=now,
                                      channel=e.channel, category=e.category.strip(),
                                      severity=e.severity, fault=e.fault)
        c = _get(session, complaint_id)
    else:
        c = _get(session, complaint_id, editable=False)
        if e.expected_version is not None and c.version != e.expected_version:
            raise ConflictError("complaint.changed", "changed elsewhere", complaint_id=c.id)
        if c.status in CLOSED:  # a closed complaint still takes its review and lesson
            _save_review(session, c, e, now)
            return c.id
        c.client_words, c.channel, c.category = (e.client_words.strip(), e.channel,
                                                 e.category.strip())
        c.severity, c.fault = e.severity, e.fault
    if e.apology_given and (c.apology_given_at is None or c.apology != e.apology.strip()):
        record_apology(session, c.id, e.apology, now)
    if e.client_request.strip() and e.client_request.strip() != c.client_request:
        record_request(session, c.id, e.client_request, now)
    for item, state in (e.checks or {}).items():
        current = next((k.state for k in c.checks if k.item == item), CheckState.OPEN)
        if state != current:
            tick(session, c.id, item, state, staff_id, now)
    if (e.compensation_kind, e.compensation_value) != (c.compensation_kind,
                                                       c.compensation_value):
        if _doer(session, staff_id) is None:
            raise ValidationError([FieldError("staff", "staff.choose",
                                              "say who grants the compensation")])
        compensate(session, c.id, e.compensation_kind, e.compensation_value,
                   by_staff_id=staff_id, approved_by_id=e.approved_by_id, now=now,
                   refund_over_paid=e.refund_over_paid)
    if (e.accountable_staff_id, e.corrective_action.strip()) != (c.accountable_staff_id,
                                                                  c.corrective_action):
        set_accountability(session, c.id, e.accountable_staff_id, e.corrective_action)
    _save_review(session, c, e, now)
    session.flush()
    return c.id


def _save_review(session: Session, c: Complaint, e: ComplaintEdits, now: datetime) -> None:
    answers = {k: v.strip() for k, v in (e.review or {}).items()}
    if any(getattr(c, k) != v for k, v in answers.items()) or e.lesson.strip() != c.lesson:
        review(session, c.id, answers, e.lesson, now)


# --------------------------------------------------------------------------- reading

@dataclass(frozen=True, slots=True)
class ComplaintRow:
    id: int
    client_id: int
    client_name: str
    opened_at: datetime
    status: ComplaintStatus
    category: str
    severity: Severity
    first_response_hours: float | None
    resolution_hours: float | None
    response_overdue: bool


def _hours(a: datetime | None, b: datetime | None) -> float | None:
    return None if a is None or b is None else round((b - a).total_seconds() / 3600, 2)


def complaint_rows(session: Session, *, now: datetime, status: ComplaintStatus | None = None,
                   category: str | None = None, client_id: int | None = None
                   ) -> list[ComplaintRow]:
    """The Complaints page: newest first; overdue = no first response within the set
    hours (counted to now while still unanswered)."""
    limit = settings_service.get(session, "complaint.first_response_hours")
    stmt = (select(Complaint.id, Complaint.client_id, Client.name, Complaint.opened_at,
                   Complaint.status, Complaint.category, Complaint.severity,
                   Complaint.first_response_at, Complaint.resolved_at)
            .join(Client, Client.id == Complaint.client_id)
            .order_by(Complaint.opened_at.desc(), Complaint.id.desc()))
    if status is not None:
        stmt = stmt.where(Complaint.status == status)
    if category:
        stmt = stmt.where(Complaint.category == category)
    if client_id is not None:
        stmt = stmt.where(Complaint.client_id == client_id)
    rows = []
    # streamed: the ORM's buffered result held every raw row beside the rows made of
    # them (50,000 complaints at a million clients: 56 MiB of the window against 20)
    for r in session.execute(stmt.execution_options(yield_per=1_000)):
        waited = _hours(r.opened_at, r.first_response_at or now) or 0.0
        rows.append(ComplaintRow(r.id, r.client_id, r.name, r.opened_at, r.status,
                                 r.category, r.severity,
                                 _hours(r.opened_at, r.first_response_at),
                                 _hours(r.opened_at, r.resolved_at), waited > limit))
    return rows


def categories(session: Session) -> list[str]:
    """Categories already used, for the editable list (the dialog adds its defaults)."""
    return sorted(session.scalars(select(Complaint.category).where(Complaint.category != "")
                                  .distinct()), key=str.casefold)


@dataclass(frozen=True)
class Stakes:
    """What losing this client would cost (DOMAIN.md: their value plus the people they
    know)."""

    value_12m: Decimal
    client_since: date | None
    years: float | None
    segment: str | None
    purchase_count: int
    referred: list[str]


def stakes(session: Session, client_id: int, today: date) -> Stakes:
    c = session.get(Client, client_id)
    if c is None:
        raise NotFoundError("client.not_found", "client not found", client_id=client_id)
    starts = [d for d in (c.first_purchase_on, c.created_at.date() if c.created_at else None)
              if d is not None]
    since = min(starts) if starts else None
    years = round((today - since).days / 365.25, 1) if since else None
    referred = list(session.scalars(select(Client.name).where(
        Client.referred_by_id == client_id, Client.deleted_at.is_(None))
        .order_by(Client.sort_name)))
    seg = c.segment_override or c.segment
    return Stakes(c.value_12m or Decimal("0.00"), since, years,
                  seg.value if seg else None, c.purchase_count, referred)


@dataclass(frozen=True)
class CheckView:
    item: int
    state: CheckState
    by_name: str
    at: datetime | None


@dataclass(frozen=True)
class ComplaintView:
    id: int | None
    client_id: int
    client_name: str
    status: ComplaintStatus
    opened_at: datetime | None
    edits: ComplaintEdits
    checks: list[CheckView]
    apology_given_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    satisfied: bool | None
    rating: int | None
    reviewed_at: datetime | None
    approved_by_name: str
    version: int | None
    #: why it was closed without its call-back ("" when the call-back was made)
    close_reason: str = ""
    callback_done: bool = False
    review_task_done: bool = False
    #: who did each step, as recorded (app/services/history.py who_did): "created",
    #: "apology_given_at", "resolved_at", "closed_at", "compensation", "checks"...; a
    #: step recorded while nobody was signed in is there with None
    done_by: dict[str, str | None] = field(default_factory=dict)


def new_complaint_view(session: Session, client_id: int) -> ComplaintView:
    c = session.get(Client, client_id)
    if c is None:
        raise NotFoundError("client.not_found", "client not found", client_id=client_id)
    return ComplaintView(None, client_id, c.name, ComplaintStatus.OPEN, None,
                         ComplaintEdits(checks={i: CheckState.OPEN
                                                for i in range(1, CHECK_ITEMS + 1)},
                                        review={k: "" for k in REVIEW_FIELDS}),
                         [CheckView(i, CheckState.OPEN, "", None)
                          for i in range(1, CHECK_ITEMS + 1)],
                         None, None, None, None, None, None, None, "", None)


def load_complaint(session: Session, complaint_id: int) -> ComplaintView:
    c = _get(session, complaint_id, editable=False)
    names = {i: n for i, n in session.execute(select(Staff.id, Staff.name))}
    checks = {k.item: k for k in c.checks}
    views = [CheckView(i, checks[i].state if i in checks else CheckState.OPEN,
                       names.get(checks[i].by_staff_id, "") if i in checks else "",
                       checks[i].at if i in checks else None)
             for i in range(1, CHECK_ITEMS + 1)]
    edits = ComplaintEdits(
        client_words=c.client_words, channel=c.channel, category=c.category,
        severity=c.severity, fault=c.fault, apology=c.apology,
        apology_given=c.apology_given_at is not None, client_request=c.client_request,
        checks={v.item: v.state for v in views}, compensation_kind=c.compensation_kind,
        compensation_value=c.compensation_value or Decimal("0.00"),
        approved_by_id=c.compensation_approved_by_id,
        accountable_staff_id=c.accountable_staff_id, corrective_action=c.corrective_action,
        review={k: getattr(c, k) for k in REVIEW_FIELDS}, lesson=c.lesson,
        expected_version=c.version)
    client_name = session.scalar(select(Client.name).where(Client.id == c.client_id)) or ""
    review_task = _follow_up_task(session, c.id, TaskKind.COMPLAINT_REVIEW)
    return ComplaintView(c.id, c.client_id, client_name, c.status, c.opened_at, edits, views,
                         c.apology_given_at, c.first_response_at, c.resolved_at, c.closed_at,
                         c.satisfied, c.rating, c.reviewed_at,
                         names.get(c.compensation_approved_by_id, ""), c.version,
                         c.close_reason, callback_done(session, c.id),
                         review_task is not None and review_task.status == TaskStatus.DONE,
                         history.who_did(session, "complaint", c.id))


def open_complaint_of(session: Session, client_id: int) -> int | None:
    """The client's newest complaint that is not closed, if any."""
    return session.scalar(select(Complaint.id).where(
        Complaint.client_id == client_id, Complaint.status.not_in([s.value for s in CLOSED]))
        .order_by(Complaint.opened_at.desc(), Complaint.id.desc()).limit(1))


@dataclass(frozen=True, slots=True)
class LessonRow:
    complaint_id: int
    client_name: str
    category: str
    opened_at: datetime
    status: ComplaintStatus
    what_went_wrong: str
    how_put_right: str
    lesson: str


def lessons(session: Session, text: str = "") -> list[LessonRow]:
    """Reviewed complaints and their lessons, newest first; ``text`` matches any word
    of the complaint, the fix or the lesson, case folded (so Ł and Ж match). One query
    of the columns shown and searched (no checklist loaded: thousands of rows)."""
    stmt = (select(Complaint.id, Client.name, Complaint.category, Complaint.opened_at,
                   Complaint.status, Complaint.client_words, Complaint.corrective_action,
                   Complaint.client_request, Complaint.lesson,
                   *(getattr(Complaint, k) for k in REVIEW_FIELDS))
            .join(Client, Client.id == Complaint.client_id)
            .where((Complaint.lesson != "") | Complaint.reviewed_at.is_not(None))
            .order_by(Complaint.opened_at.desc()))
    words = nfc(nfc(text).casefold()).split()
    out = []
    for c in session.execute(stmt.execution_options(yield_per=1_000)):  # streamed, as above
        wrong = c.review_main_complaint or c.client_words
        fixed = "\n".join(p for p in (c.corrective_action, c.client_request) if p)
        if words:
            haystack = " ".join((c.name, c.category, wrong, fixed, c.lesson, c.client_words,
                                 *(getattr(c, k) for k in REVIEW_FIELDS))).casefold()
            haystack = nfc(haystack)
            if not all(w in haystack for w in words):
                continue
        out.append(LessonRow(c.id, c.name, c.category, c.opened_at, c.status, wrong, fixed,
                             c.lesson))
    return out
