"""Complaint recovery (DOMAIN.md "Complaint recovery"): listen, apologise, ask, compensate,
fix, call back, review and keep the lesson.

States: open → in progress (first response: the apology or the client's request is
recorded) → resolved (the fix is done: the call-back and the team review are scheduled,
once each) → closed with the client kept, or closed with the client lost.

Compensation is recorded so revenue stays true: a refund is a credit line among the
client's purchases (negative amount, ``is_credit``, linked to the complaint); a discount,
free service, replacement or gift keeps its value on the complaint only, as it moved no
money. A role may grant up to its limit (settings); more needs the owner's approval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import DomainError, FieldError, NotFoundError, ValidationError
from app.models import Client, Complaint, ComplaintCheck, Purchase, Staff
from app.models.enums import (
    Channel, CheckState, CompensationKind, ComplaintStatus, Fault, Severity, StaffRole,
)
from app.services import schedule
from app.services import settings as settings_service
from app.services.validation import parse_amount

CHECK_ITEMS = 8
CLOSED = (ComplaintStatus.CLOSED_KEPT, ComplaintStatus.CLOSED_LOST)


def open_complaint(session: Session, client_id: int, words: str, *, now: datetime,
                   channel: Channel = Channel.PHONE, category: str = "",
                   severity: Severity = Severity.MEDIUM, fault: Fault = Fault.UNCLEAR) -> int:
    if session.get(Client, client_id) is None:
        raise NotFoundError("client.not_found", "client not found", client_id=client_id)
    c = Complaint(client_id=client_id, opened_at=now, channel=channel, category=category,
                  client_words=words.strip(), severity=severity, fault=fault,
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
    if not text.strip():
        raise ValidationError([FieldError("apology", "complaint.apology_required",
                                          "write the apology as it was given")])
    c = _get(session, complaint_id)
    c.apology, c.apology_given_at = text.strip(), now
    _responded(c, now)


def record_request(session: Session, complaint_id: int, text: str, now: datetime) -> None:
    """"What would put it right for you?" in the client's own words."""
    if not text.strip():
        raise ValidationError([FieldError("client_request", "complaint.request_required",
                                          "write what the client asked for")])
    c = _get(session, complaint_id)
    c.client_request = text.strip()
    _responded(c, now)


def tick(session: Session, complaint_id: int, item: int, state: CheckState,
         staff_id: int | None, now: datetime) -> None:
    if not 1 <= item <= CHECK_ITEMS:
        raise ValidationError([FieldError("item", "complaint.item_range", "no such item")])
    c = _get(session, complaint_id)
    check = next(k for k in c.checks if k.item == item)
    check.state = state
    check.by_staff_id, check.at = (None, None) if state == CheckState.OPEN else (staff_id, now)


def role_limit(session: Session, role: StaffRole) -> Decimal | None:
    """What a role may grant on the spot; None = no limit (the owner)."""
    if role == StaffRole.OWNER:
        return None
    return settings_service.get(session, f"complaint.limit.{role.value}")


def compensate(session: Session, complaint_id: int, kind: CompensationKind,
               value: Decimal | str, *, by_staff_id: int, approved_by_id: int | None = None,
               now: datetime) -> None:
    c = _get(session, complaint_id)
    amount = parse_amount(value, field="compensation_value") if kind != CompensationKind.NONE \
        else Decimal("0.00")
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
    # a refund moves money: keep revenue true with one credit line per complaint
    credit = session.scalar(select(Purchase).where(Purchase.complaint_id == c.id,
                                                   Purchase.is_credit.is_(True)))
    if kind == CompensationKind.REFUND:
        if credit is None:
            credit = Purchase(client_id=c.client_id, complaint_id=c.id, is_credit=True,
                              item="refund", quantity=Decimal("1"))
            session.add(credit)
        credit.purchased_on, credit.amount = now.date(), -amount
    elif credit is not None:
        session.delete(credit)
    c.compensation_kind, c.compensation_value = kind, amount
    _responded(c, now)
    session.flush()
    from app.services.clients import refresh_client_stats
    refresh_client_stats(session, [c.client_id], today=now.date())


def set_accountability(session: Session, complaint_id: int, staff_id: int | None,
                       corrective_action: str) -> None:
    c = _get(session, complaint_id)
    if staff_id is not None and session.get(Staff, staff_id) is None:
        raise NotFoundError("staff.not_found", "staff not found", staff_id=staff_id)
    c.accountable_staff_id = staff_id
    c.corrective_action = corrective_action.strip()


def resolve(session: Session, complaint_id: int, now: datetime) -> None:
    """The fix is done: schedule the call-back and the review, each once."""
    c = _get(session, complaint_id)
    if c.resolved_at is None:
        c.resolved_at = now
    c.status = ComplaintStatus.RESOLVED
    if c.first_response_at is None:
        c.first_response_at = now
    session.flush()
    schedule.schedule_complaint_follow_ups(session, c.id)


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


def close(session: Session, complaint_id: int, *, kept: bool, satisfied: bool,
          rating: int | None, now: datetime) -> None:
    c = _get(session, complaint_id)
    missing = missing_to_close(c)
    if missing:
        raise ValidationError([FieldError(m, f"complaint.missing.{m}", f"missing: {m}")
                               for m in missing])
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError([FieldError("rating", "complaint.rating_range", "1 to 5")])
    if c.resolved_at is None:
        resolve(session, complaint_id, now)
    c.status = ComplaintStatus.CLOSED_KEPT if kept else ComplaintStatus.CLOSED_LOST
    c.closed_at, c.satisfied, c.rating = now, satisfied, rating


REVIEW_FIELDS = ("review_main_complaint", "review_presentation", "review_our_view",
                 "review_helped", "review_hurt", "review_care_shown", "review_differently")


def review(session: Session, complaint_id: int, answers: dict[str, str], lesson: str,
           now: datetime) -> None:
    """The seven questions after cool-down, and the lesson for the team (allowed after
    closing too: the review often comes last)."""
    c = _get(session, complaint_id, editable=False)
    unknown = set(answers) - set(REVIEW_FIELDS)
    if unknown:
        raise ValidationError([FieldError(sorted(unknown)[0], "complaint.review_field",
                                          "unknown question")])
    for key, text in answers.items():
        setattr(c, key, text.strip())
    c.lesson = lesson.strip()
    c.reviewed_at = now


@dataclass(frozen=True)
class Timing:
    first_response_hours: float | None
    resolution_hours: float | None
    response_overdue: bool


def timing(session: Session, complaint_id: int, now: datetime) -> Timing:
    c = _get(session, complaint_id, editable=False)
    limit = settings_service.get(session, "complaint.first_response_hours")

    def hours(a: datetime | None, b: datetime | None) -> float | None:
        return None if a is None or b is None else round((b - a).total_seconds() / 3600, 2)

    first = hours(c.opened_at, c.first_response_at)
    waited = hours(c.opened_at, c.first_response_at or now) or 0.0
    return Timing(first, hours(c.opened_at, c.resolved_at), waited > limit)
