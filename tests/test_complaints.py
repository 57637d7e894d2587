"""The complaint-recovery workflow: states, refusals with their reasons, the call-back
created exactly once, compensation limits and revenue, response and resolution times."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.errors import DomainError, ValidationError
from app.models import Client, Complaint, Purchase, Task
from app.models.enums import (
    CheckState,
    CompensationKind,
    ComplaintStatus,
    Outcome,
    StaffRole,
    TaskKind,
    TaskStatus,
    Tone,
)
from app.services import calls
from app.services import complaints as complaint_service

T0 = datetime(2026, 11, 20, 9, 0)


def _complaint(db, make_client) -> tuple[int, int]:
    cid = make_client("Anna", purchases=[(date(2026, 11, 1), "200.00")])
    with db.session() as s:
        return cid, complaint_service.open_complaint(s, cid, "The massage was cut short", now=T0,
                                      category="service quality")


def _run(db, fn, *args, **kw):
    with db.session() as s:
        return fn(s, *args, **kw)


def test_the_way_through_a_complaint(db, make_client, staff):
    cid, k = _complaint(db, make_client)
    with db.sessions() as s:
        c = s.get(Complaint, k)
        assert c.status == ComplaintStatus.OPEN and len(c.checks) == 8
    _run(db, complaint_service.record_apology, k, "I am sorry your visit was spoiled.", T0 + timedelta(hours=2))
    with db.sessions() as s:
        c = s.get(Complaint, k)
        assert c.status == ComplaintStatus.IN_PROGRESS
        assert c.first_response_at == T0 + timedelta(hours=2)
    _run(db, complaint_service.record_request, k, "A full session next week", T0 + timedelta(hours=2))
    _run(db, complaint_service.compensate, k, CompensationKind.FREE_SERVICE, "80.00",
         by_staff_id=staff[StaffRole.MANAGER], now=T0 + timedelta(hours=3))
    _run(db, complaint_service.set_accountability, k, staff[StaffRole.MANAGER], "Book 70 minutes per 60-minute session")
    for item in range(1, 9):
        _run(db, complaint_service.tick, k, item, CheckState.DONE if item != 3 else CheckState.NOT_APPLICABLE,
             staff[StaffRole.RECEPTIONIST], T0 + timedelta(hours=3))
    _run(db, complaint_service.resolve, k, T0 + timedelta(days=1))
    _run(db, complaint_service.resolve, k, T0 + timedelta(days=1, hours=1))  # twice: still one call-back
    with db.sessions() as s:
        kinds = [t.kind for t in s.scalars(select(Task).where(Task.client_id == cid))]
        assert sorted(kinds) == [TaskKind.COMPLAINT_CALLBACK, TaskKind.COMPLAINT_REVIEW]
        back = s.scalar(select(Task).where(Task.kind == TaskKind.COMPLAINT_CALLBACK))
        assert back.due_on == date(2026, 11, 23)  # resolution + 2 days
        t = complaint_service.timing(s, k, T0 + timedelta(days=5))
        assert t.first_response_hours == 2.0 and t.resolution_hours == 24.0
        assert not t.response_overdue
    # not before the call-back is made
    with pytest.raises(ValidationError) as err:
        _run(db, complaint_service.close, k, kept=True, satisfied=True, rating=5, now=T0 + timedelta(days=3))
    assert [e.code for e in err.value.errors] == ["complaint.missing.callback"]
    with db.session() as s:
        back = s.scalar(select(Task).where(Task.kind == TaskKind.COMPLAINT_CALLBACK))
        calls.log_call(s, calls.CallLog(client_id=cid, task_id=back.id,
                                        outcome=Outcome.REACHED, tone=Tone.POSITIVE),
                       now=T0 + timedelta(days=3))
    _run(db, complaint_service.close, k, kept=True, satisfied=True, rating=5, now=T0 + timedelta(days=3))
    with db.sessions() as s:
        c = s.get(Complaint, k)
        assert (c.status, c.satisfied, c.rating) == (ComplaintStatus.CLOSED_KEPT, True, 5)
        assert c.close_reason == ""
    with pytest.raises(DomainError) as err:
        _run(db, complaint_service.record_apology, k, "again", T0)
    assert err.value.code == "complaint.closed"
    _run(db, complaint_service.review, k, {"review_main_complaint": "Short session",
                            "review_differently": "Check the schedule"},
         "Never book back-to-back massages", T0 + timedelta(days=4))
    with db.sessions() as s:
        assert s.get(Complaint, k).lesson == "Never book back-to-back massages"


def test_closing_is_refused_until_everything_is_recorded(db, make_client):
    _cid, k = _complaint(db, make_client)
    with pytest.raises(ValidationError) as err:
        _run(db, complaint_service.close, k, kept=True, satisfied=True, rating=4, now=T0)
    assert [e.code for e in err.value.errors] == [
        "complaint.missing.apology", "complaint.missing.client_request",
        "complaint.missing.compensation_or_action", "complaint.missing.checklist",
        "complaint.missing.callback"]
    _run(db, complaint_service.record_apology, k, "Sorry", T0)
    _run(db, complaint_service.record_request, k, "Call me", T0)
    _run(db, complaint_service.set_accountability, k, None, "New booking rule")
    for item in range(1, 8):
        _run(db, complaint_service.tick, k, item, CheckState.DONE, None, T0)
    with pytest.raises(ValidationError) as err:
        _run(db, complaint_service.close, k, kept=False, satisfied=False, rating=None, now=T0)
    assert [e.code for e in err.value.errors] == ["complaint.missing.checklist",
                                                  "complaint.missing.callback"]
    _run(db, complaint_service.tick, k, 8, CheckState.NOT_APPLICABLE, None, T0)
    with pytest.raises(ValidationError):
        _run(db, complaint_service.close, k, kept=False, satisfied=False, rating=9, now=T0,
             reason="Moved abroad")
    with pytest.raises(ValidationError) as err:  # a blank reason is no reason
        _run(db, complaint_service.close, k, kept=False, satisfied=False, rating=None, now=T0,
             reason="   ")
    assert [e.code for e in err.value.errors] == ["complaint.missing.callback"]
    _run(db, complaint_service.close, k, kept=False, satisfied=False, rating=None, now=T0,
         reason="  The client moved abroad  ")
    with db.sessions() as s:
        c = s.get(Complaint, k)
        assert c.status == ComplaintStatus.CLOSED_LOST and c.resolved_at == T0
        assert c.close_reason == "The client moved abroad"
        # the call-back planned by closing is cancelled with that reason, kept as history
        back = s.scalar(select(Task).where(Task.kind == TaskKind.COMPLAINT_CALLBACK))
        assert (back.status, back.reason) == (TaskStatus.CANCELLED, "The client moved abroad")
        view = complaint_service.load_complaint(s, k)
        assert (view.close_reason, view.callback_done) == ("The client moved abroad", False)


def test_compensation_limits_and_refunds_keep_revenue_true(db, make_client, staff):
    cid, k = _complaint(db, make_client)
    with pytest.raises(DomainError) as err:
        _run(db, complaint_service.compensate, k, CompensationKind.REFUND, "120.00",
             by_staff_id=staff[StaffRole.RECEPTIONIST], now=T0)
    assert err.value.code == "compensation.needs_approval"
    with pytest.raises(DomainError):  # a manager cannot approve above the limit
        _run(db, complaint_service.compensate, k, CompensationKind.REFUND, "120.00",
             by_staff_id=staff[StaffRole.RECEPTIONIST],
             approved_by_id=staff[StaffRole.MANAGER], now=T0)
    _run(db, complaint_service.compensate, k, CompensationKind.REFUND, "120.00",
         by_staff_id=staff[StaffRole.RECEPTIONIST], approved_by_id=staff[StaffRole.OWNER],
         now=T0)
    with db.sessions() as s:
        credit = s.scalar(select(Purchase).where(Purchase.is_credit.is_(True)))
        assert credit.amount == Decimal("-120.00") and credit.complaint_id == k
        assert s.get(Client, cid).value_12m == Decimal("80.00")  # 200 bought − 120 back
        assert s.get(Complaint, k).compensation_approved_by_id == staff[StaffRole.OWNER]
    # changing the refund into a gift removes the credit line again
    _run(db, complaint_service.compensate, k, CompensationKind.GIFT, "20.00",
         by_staff_id=staff[StaffRole.OWNER], now=T0)
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Purchase)
                        .where(Purchase.is_credit.is_(True))) == 0


def test_overdue_first_response(db, make_client):
    _cid, k = _complaint(db, make_client)
    with db.sessions() as s:
        assert complaint_service.timing(s, k, T0 + timedelta(hours=30)).response_overdue
        assert not complaint_service.timing(s, k, T0 + timedelta(hours=5)).response_overdue


def test_empty_apology_and_unknown_items_are_refused(db, make_client):
    _cid, k = _complaint(db, make_client)
    with pytest.raises(ValidationError):
        _run(db, complaint_service.record_apology, k, "   ", T0)
    with pytest.raises(ValidationError):
        _run(db, complaint_service.tick, k, 9, CheckState.DONE, None, T0)
    with pytest.raises(ValidationError):
        _run(db, complaint_service.review, k, {"review_nonsense": "x"}, "", T0)


REVIEW = {k: f"answer {n}" for n, k in enumerate(complaint_service.REVIEW_FIELDS, start=1)}


def _review_task(db) -> Task:
    with db.sessions() as s:
        return s.scalar(select(Task).where(Task.kind == TaskKind.COMPLAINT_REVIEW))


def test_recording_the_review_and_lesson_completes_the_review_task(db, make_client):
    _cid, k = _complaint(db, make_client)
    _run(db, complaint_service.resolve, k, T0)
    assert _review_task(db).status == TaskStatus.OPEN
    # half a review is not the review
    _run(db, complaint_service.review, k, {"review_main_complaint": "Short session"}, "", T0 + timedelta(days=1))
    assert _review_task(db).status == TaskStatus.OPEN
    _run(db, complaint_service.review, k, {**REVIEW, "review_hurt": ""}, "Book 70 minutes",
         T0 + timedelta(days=1))
    assert _review_task(db).status == TaskStatus.OPEN
    _run(db, complaint_service.review, k, REVIEW, "", T0 + timedelta(days=1))  # no lesson yet
    assert _review_task(db).status == TaskStatus.OPEN
    _run(db, complaint_service.review, k, REVIEW, "Book 70 minutes", T0 + timedelta(days=1, hours=2))
    task = _review_task(db)
    assert (task.status, task.closed_at) == (TaskStatus.DONE, T0 + timedelta(days=1, hours=2))
    with db.sessions() as s:
        assert complaint_service.load_complaint(s, k).review_task_done


def test_a_review_recorded_before_the_fix_completes_the_task_made_at_resolving(
        db, make_client):
    _cid, k = _complaint(db, make_client)
    _run(db, complaint_service.review, k, REVIEW, "Book 70 minutes", T0)
    _run(db, complaint_service.resolve, k, T0 + timedelta(hours=3))
    assert _review_task(db).status == TaskStatus.DONE


def test_a_refund_larger_than_the_client_paid_needs_confirmation(db, make_client, staff):
    """The client paid 200 in the last 12 months (a purchase 14 months ago does not
    count); refunding more asks first, and a confirmed refund is stored as typed."""
    cid = make_client("Anna", purchases=[(date(2026, 11, 1), "200.00"),
                                         (date(2025, 9, 1), "500.00")])
    with db.session() as s:
        k = complaint_service.open_complaint(s, cid, "Cut short", now=T0)
        assert complaint_service.paid_in_period(s, cid, T0.date()) == Decimal("200.00")
    owner = staff[StaffRole.OWNER]
    with pytest.raises(DomainError) as err:
        _run(db, complaint_service.compensate, k, CompensationKind.REFUND, "2000", by_staff_id=owner, now=T0)
    assert (err.value.code, err.value.field, err.value.values["paid"]) == (
        "compensation.refund_over_paid", "compensation_value", Decimal("200.00"))
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Purchase)
                        .where(Purchase.is_credit.is_(True))) == 0
    _run(db, complaint_service.compensate, k, CompensationKind.REFUND, "200.00", by_staff_id=owner, now=T0)
    # changing this complaint's own refund does not count the refund against itself
    _run(db, complaint_service.compensate, k, CompensationKind.REFUND, "150.00", by_staff_id=owner, now=T0)
    # a second complaint: 50 are left to refund
    with db.session() as s:
        k2 = complaint_service.open_complaint(s, cid, "Again", now=T0)
        assert complaint_service.paid_in_period(s, cid, T0.date(), except_complaint_id=k2) == Decimal("50.00")
    with pytest.raises(DomainError):
        _run(db, complaint_service.compensate, k2, CompensationKind.REFUND, "50.01", by_staff_id=owner,
             now=T0)
    _run(db, complaint_service.compensate, k2, CompensationKind.REFUND, "2000.00", by_staff_id=owner,
         now=T0, refund_over_paid=True)
    with db.sessions() as s:
        assert s.scalar(select(Purchase.amount).where(Purchase.complaint_id == k2)) == \
            Decimal("-2000.00")
    # other kinds of compensation moved no money: no such check
    _run(db, complaint_service.compensate, k2, CompensationKind.GIFT, "900.00", by_staff_id=owner, now=T0)
