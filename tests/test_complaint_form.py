"""The complaint dialog's form (``save_complaint``: only what changed is recorded, so a
tick keeps its first who-and-when) and the reading side: the Complaints page, categories,
what is at stake, loading the form, the client's open complaint and the lessons."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.errors import ConflictError, DomainError, NotFoundError, ValidationError
from app.models import Client, Complaint, Purchase
from app.models.enums import (
    Channel,
    CheckState,
    CompensationKind,
    ComplaintStatus,
    Fault,
    Segment,
    Severity,
    StaffRole,
)
from app.services import complaints as complaint_service
from app.services import settings as settings_service
from app.services.clients import refresh_client_stats

T0 = datetime(2026, 11, 20, 9, 0)
H = timedelta(hours=1)
OPEN, DONE, NA = CheckState.OPEN, CheckState.DONE, CheckState.NOT_APPLICABLE
Edits = complaint_service.ComplaintEdits


def _save(db, client_id, complaint_id, edits, *, staff_id=None, now=T0) -> int:
    with db.session() as s:
        return complaint_service.save_complaint(s, client_id, complaint_id, edits, staff_id=staff_id, now=now)


def _run(db, fn, *args, **kw):
    with db.session() as s:
        return fn(s, *args, **kw)


def _ticks(db, k) -> dict[int, tuple]:
    with db.sessions() as s:
        return {c.item: (c.state, c.by_staff_id, c.at) for c in s.get(Complaint, k).checks}


def _state(db, k) -> tuple:
    """Everything a repeated save must leave alone."""
    with db.sessions() as s:
        c = s.get(Complaint, k)
        return (c.version, c.status, c.apology, c.apology_given_at, c.first_response_at,
                c.client_request, c.compensation_kind, c.compensation_value,
                c.corrective_action, c.reviewed_at, c.lesson,
                [(x.item, x.state, x.by_staff_id, x.at) for x in c.checks])


def _close(db, k, now):
    """Meet every requirement through the workflow steps, then close (client kept)."""
    _run(db, complaint_service.record_apology, k, "Sorry", now)
    _run(db, complaint_service.record_request, k, "Call me", now)
    _run(db, complaint_service.set_accountability, k, None, "New rule")
    for item in range(1, 9):
        _run(db, complaint_service.tick, k, item, DONE, None, now)
    _run(db, complaint_service.close, k, kept=True, satisfied=True, rating=5, now=now,
         reason="The client asked not to be called again")


def _credits(s, k) -> list[tuple]:
    return [(p.amount, p.purchased_on) for p in s.scalars(select(Purchase).where(
        Purchase.complaint_id == k, Purchase.is_credit.is_(True)))]


# --------------------------------------------------------------------------- saving


def test_a_new_complaint_from_the_form(db, make_client):
    cid = make_client()
    e = Edits(client_words="  The massage was cut short ", channel=Channel.EMAIL,
              category=" service ", severity=Severity.HIGH, fault=Fault.US)
    k = _save(db, cid, None, e)
    with db.sessions() as s:
        c = s.get(Complaint, k)
        assert (c.client_id, c.client_words, c.channel, c.category, c.severity, c.fault) == (
            cid, "The massage was cut short", Channel.EMAIL, "service", Severity.HIGH, Fault.US)
        assert (c.opened_at, c.status, c.first_response_at) == (T0, ComplaintStatus.OPEN, None)
        assert (c.apology, c.apology_given_at, c.reviewed_at) == ("", None, None)
    assert _ticks(db, k) == {i: (OPEN, None, None) for i in range(1, 9)}

    k2 = _save(db, cid, None, replace(e, apology=" I am sorry ", apology_given=True),
               now=T0 + 2 * H)
    with db.sessions() as s:
        c = s.get(Complaint, k2)
        assert (c.status, c.apology, c.apology_given_at, c.first_response_at) == (
            ComplaintStatus.IN_PROGRESS, "I am sorry", T0 + 2 * H, T0 + 2 * H)


def test_saving_the_same_form_again_changes_nothing(db, make_client, staff):
    cid = make_client()
    e = Edits(client_words="Cold coffee", apology="Sorry", apology_given=True,
              client_request="A new one", checks={1: DONE, 2: NA},
              accountable_staff_id=staff[StaffRole.MANAGER], corrective_action="Check it",
              review={"review_main_complaint": "cold"}, lesson="Taste the coffee")
    k = _save(db, cid, None, e, staff_id=staff[StaffRole.RECEPTIONIST], now=T0)
    first = _state(db, k)
    assert first[3:5] == (T0, T0) and first[9] == T0  # apology, first response, review
    assert first[-1][:2] == [(1, DONE, staff[StaffRole.RECEPTIONIST], T0),
                             (2, NA, staff[StaffRole.RECEPTIONIST], T0)]
    _save(db, cid, k, e, staff_id=staff[StaffRole.OWNER], now=T0 + 5 * H)
    assert _state(db, k) == first
    with db.sessions() as s:  # the form as loaded, saved back: no change either
        loaded = complaint_service.load_complaint(s, k).edits
    _save(db, cid, k, loaded, staff_id=staff[StaffRole.OWNER], now=T0 + 9 * H)
    assert _state(db, k) == first


def test_ticks_record_who_and_when(db, make_client, staff):
    cid = make_client()
    rec, man = staff[StaffRole.RECEPTIONIST], staff[StaffRole.MANAGER]
    k = _save(db, cid, None, Edits(client_words="Noise"))
    _save(db, cid, k, Edits(client_words="Noise", checks={3: DONE}), staff_id=rec, now=T0 + H)
    ticks = _ticks(db, k)
    assert ticks[3] == (DONE, rec, T0 + H)
    assert all(ticks[i] == (OPEN, None, None) for i in range(1, 9) if i != 3)
    _save(db, cid, k, Edits(client_words="Noise", checks={3: OPEN, 4: NA}), staff_id=man,
          now=T0 + 2 * H)
    ticks = _ticks(db, k)
    assert (ticks[3], ticks[4]) == ((OPEN, None, None), (NA, man, T0 + 2 * H))


def test_apology_text_and_time(db, make_client):
    cid = make_client()
    k = _save(db, cid, None, Edits(client_words="Rude", apology="Sorry"))  # not given yet
    with db.sessions() as s:
        c = s.get(Complaint, k)
        assert (c.apology, c.apology_given_at, c.status) == ("", None, ComplaintStatus.OPEN)
    _save(db, cid, k, Edits(client_words="Rude", apology="Sorry", apology_given=True),
          now=T0 + H)
    _save(db, cid, k, Edits(client_words="Rude", apology="We are very sorry",
                            apology_given=True), now=T0 + 3 * H)
    with db.sessions() as s:
        c = s.get(Complaint, k)
        assert (c.apology, c.apology_given_at, c.first_response_at) == (
            "We are very sorry", T0 + 3 * H, T0 + H)


def test_compensation_authority_and_refunds(db, make_client, staff):
    cid = make_client(purchases=[(date(2026, 11, 1), "200.00")])
    rec, owner = staff[StaffRole.RECEPTIONIST], staff[StaffRole.OWNER]
    k = _save(db, cid, None, Edits(client_words="Broken"))
    refund = Edits(client_words="Broken", compensation_kind=CompensationKind.REFUND,
                   compensation_value=Decimal("120.00"))
    with pytest.raises(ValidationError) as err:
        _save(db, cid, k, refund, staff_id=None)
    assert [(f.field, f.code) for f in err.value.errors] == [("staff", "staff.choose")]
    with pytest.raises(DomainError) as err:
        _save(db, cid, k, refund, staff_id=rec)
    assert err.value.code == "compensation.needs_approval"
    with db.sessions() as s:
        assert s.get(Complaint, k).compensation_kind == CompensationKind.NONE
        assert _credits(s, k) == []

    approved = replace(refund, approved_by_id=owner)
    _save(db, cid, k, approved, staff_id=rec, now=T0 + H)
    _save(db, cid, k, approved, staff_id=rec, now=T0 + 2 * H)  # again: still one credit
    with db.sessions() as s:
        c = s.get(Complaint, k)
        assert (c.compensation_kind, c.compensation_value, c.compensation_approved_by_id) == (
            CompensationKind.REFUND, Decimal("120.00"), owner)
        assert _credits(s, k) == [(Decimal("-120.00"), T0.date())]
        assert s.get(Client, cid).value_12m == Decimal("80.00")

    # 50 is the receptionist's own limit: a discount of 50 needs nobody's approval
    _save(db, cid, k, Edits(client_words="Broken", compensation_kind=CompensationKind.DISCOUNT,
                            compensation_value=Decimal("50.00")), staff_id=rec, now=T0 + 3 * H)
    with db.sessions() as s:
        c = s.get(Complaint, k)
        assert (c.compensation_kind, c.compensation_value) == (CompensationKind.DISCOUNT,
                                                               Decimal("50.00"))
        assert _credits(s, k) == []
        assert s.get(Client, cid).value_12m == Decimal("200.00")


def test_a_stale_form_is_refused(db, make_client):
    cid = make_client()
    k = _save(db, cid, None, Edits(client_words="First"))
    with db.sessions() as s:
        old = complaint_service.load_complaint(s, k).edits
    _save(db, cid, k, replace(old, client_words="Second"))
    with pytest.raises(ConflictError) as err:
        _save(db, cid, k, replace(old, client_words="Third"))
    assert err.value.code == "complaint.changed"
    with db.sessions() as s:
        c = s.get(Complaint, k)
        assert (c.client_words, c.version) == ("Second", old.expected_version + 1)


def test_a_closed_complaint_takes_only_its_review(db, make_client):
    cid = make_client()
    k = _save(db, cid, None, Edits(client_words="Late"))
    _close(db, k, T0 + 24 * H)
    answers = {f: f" answer to {f} " for f in complaint_service.REVIEW_FIELDS}
    _save(db, cid, k, Edits(client_words="Rewritten", category="other", review=answers,
                            lesson=" Confirm bookings "), now=T0 + 96 * H)
    with db.sessions() as s:
        c = s.get(Complaint, k)
        assert (c.client_words, c.category, c.status) == ("Late", "",
                                                          ComplaintStatus.CLOSED_KEPT)
        assert {f: getattr(c, f) for f in complaint_service.REVIEW_FIELDS} == {
            f: f"answer to {f}" for f in complaint_service.REVIEW_FIELDS}
        assert (c.lesson, c.reviewed_at) == ("Confirm bookings", T0 + 96 * H)


def test_category_length(db, make_client):
    cid = make_client()
    with pytest.raises(ValidationError) as err:
        _save(db, cid, None, Edits(client_words="x", category="c" * 81))
    assert [(f.field, f.code, f.values) for f in err.value.errors] == [
        ("category", "text.too_long", {"maximum": 80})]
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Complaint)) == 0
    k = _save(db, cid, None, Edits(client_words="x", category="c" * 80))
    with db.sessions() as s:
        assert s.get(Complaint, k).category == "c" * 80


# --------------------------------------------------------------------------- reading


def test_complaint_rows_order_filters_and_times(db, make_client):
    anna, bogdan = make_client("Anna"), make_client("Bogdan")
    a = _save(db, anna, None, Edits(client_words="a", category="service"), now=T0)
    _save(db, anna, a, Edits(client_words="a", category="service", apology="Sorry",
                             apology_given=True), now=datetime(2026, 11, 20, 11, 30))
    _run(db, complaint_service.resolve, a, datetime(2026, 11, 21, 11, 0))
    c = _save(db, anna, None, Edits(client_words="c", category="service"),
              now=datetime(2026, 11, 20, 12, 0))
    _save(db, anna, c, Edits(client_words="c", category="service", client_request="Redo"),
          now=datetime(2026, 11, 21, 18, 0))  # answered after 30 h
    b = _save(db, bogdan, None, Edits(client_words="b", category="billing"),
              now=datetime(2026, 11, 22, 0, 0))  # unanswered for 30 h at `now`
    d = _save(db, bogdan, None, Edits(client_words="d", category="billing"),
              now=datetime(2026, 11, 22, 6, 0))  # unanswered for exactly 24 h: not late
    now = datetime(2026, 11, 23, 6, 0)
    with db.sessions() as s:
        rows = complaint_service.complaint_rows(s, now=now)
        assert [(r.id, r.client_name, r.status, r.first_response_hours, r.resolution_hours,
                 r.response_overdue) for r in rows] == [
            (d, "Bogdan", ComplaintStatus.OPEN, None, None, False),
            (b, "Bogdan", ComplaintStatus.OPEN, None, None, True),
            (c, "Anna", ComplaintStatus.IN_PROGRESS, 30.0, None, True),
            (a, "Anna", ComplaintStatus.RESOLVED, 2.5, 26.0, False)]
        def ids(**kw):
            return [r.id for r in complaint_service.complaint_rows(s, now=now, **kw)]
        assert ids(status=ComplaintStatus.OPEN) == [d, b]
        assert ids(status=ComplaintStatus.RESOLVED) == [a]
        assert ids(category="service") == [c, a]
        assert ids(client_id=bogdan) == [d, b]
        assert ids(category="service", client_id=bogdan) == []
    _run(db, settings_service.put, "complaint.first_response_hours", 48)
    with db.sessions() as s:
        assert [r.response_overdue for r in complaint_service.complaint_rows(s, now=now)] == [
            False, False, False, False]
        assert complaint_service.complaint_rows(s, now=now + 24 * H)[1].response_overdue  # b: 54 h


def test_categories_are_distinct_and_sorted(db, make_client):
    cid = make_client()
    for cat in ("service", "Billing", "", "service", "apples", "Zoo"):
        _save(db, cid, None, Edits(client_words="x", category=cat))
    with db.sessions() as s:
        assert complaint_service.categories(s) == ["apples", "Billing", "service", "Zoo"]


def test_stakes(db, make_client):
    today = date(2026, 11, 20)
    anna = make_client("Anna", purchases=[(date(2021, 3, 10), "100.00"),
                                          (date(2026, 10, 1), "250.00")])
    new = make_client("Newcomer")
    for name in ("Żaneta", "adam", "Bogdan", "Cezary"):
        make_client(name, referred_by_id=anna)
    with db.session() as s:
        s.get(Client, anna).created_at = datetime(2022, 1, 1, 10, 0)
        s.get(Client, new).created_at = datetime(2019, 5, 5, 10, 0)
        s.scalar(select(Client).where(Client.name == "Cezary")).deleted_at = T0
        refresh_client_stats(s, [anna, new], today=today)
        s.get(Client, anna).segment = Segment.B
    with db.sessions() as s:
        got = complaint_service.stakes(s, anna, today)
        years = round((today - date(2021, 3, 10)).days / 365.25, 1)
        assert got == complaint_service.Stakes(Decimal("250.00"), date(2021, 3, 10), years, "B", 2,
                                ["adam", "Bogdan", "Żaneta"])
        assert years == 5.7
        got = complaint_service.stakes(s, new, today)  # no purchases: a client since being added
        assert got == complaint_service.Stakes(Decimal("0.00"), date(2019, 5, 5),
                                round((today - date(2019, 5, 5)).days / 365.25, 1), None, 0,
                                [])
        with pytest.raises(NotFoundError) as err:
            complaint_service.stakes(s, 9999, today)
        assert err.value.code == "client.not_found"
    with db.session() as s:
        s.get(Client, anna).segment_override = Segment.A
    with db.sessions() as s:
        assert complaint_service.stakes(s, anna, today).segment == "A"


def test_the_form_loads_what_was_saved(db, make_client, staff):
    cid = make_client("Anna")
    rec, man, owner = (staff[StaffRole.RECEPTIONIST], staff[StaffRole.MANAGER],
                       staff[StaffRole.OWNER])
    checks = {i: (DONE if i < 3 else NA if i == 3 else OPEN) for i in range(1, 9)}
    e = Edits(client_words="Wrong colour", channel=Channel.SMS, category="goods",
              severity=Severity.LOW, fault=Fault.CLIENT, apology="Sorry", apology_given=True,
              client_request="Exchange", checks=checks,
              compensation_kind=CompensationKind.REPLACEMENT,
              compensation_value=Decimal("120.00"), approved_by_id=owner,
              accountable_staff_id=man, corrective_action="Show samples",
              review={f: f"{f}!" for f in complaint_service.REVIEW_FIELDS}, lesson="Samples first")
    k = _save(db, cid, None, e, staff_id=rec)
    with db.sessions() as s:
        v = complaint_service.load_complaint(s, k)
        assert v.edits == replace(e, expected_version=v.version)
        assert v.checks == [complaint_service.CheckView(1, DONE, "receptionist", T0),
                            complaint_service.CheckView(2, DONE, "receptionist", T0),
                            complaint_service.CheckView(3, NA, "receptionist", T0)] + [
            complaint_service.CheckView(i, OPEN, "", None) for i in range(4, 9)]
        assert (v.id, v.client_id, v.client_name, v.status, v.opened_at) == (
            k, cid, "Anna", ComplaintStatus.IN_PROGRESS, T0)
        assert (v.apology_given_at, v.first_response_at, v.reviewed_at, v.resolved_at) == (
            T0, T0, T0, None)
        assert v.approved_by_name == "owner"
        with pytest.raises(NotFoundError):
            complaint_service.load_complaint(s, 9999)


def test_a_new_form(db, make_client):
    cid = make_client("Anna")
    with db.sessions() as s:
        v = complaint_service.new_complaint_view(s, cid)
        with pytest.raises(NotFoundError):
            complaint_service.new_complaint_view(s, 9999)
    assert (v.id, v.client_name, v.status, v.version) == (None, "Anna", ComplaintStatus.OPEN,
                                                          None)
    assert v.checks == [complaint_service.CheckView(i, OPEN, "", None) for i in range(1, 9)]
    assert v.edits.checks == {i: OPEN for i in range(1, 9)}
    assert v.edits.review == {f: "" for f in complaint_service.REVIEW_FIELDS} and len(v.edits.review) == 7
    k = _save(db, cid, None, replace(v.edits, client_words="Hi"))  # saved as it comes
    with db.sessions() as s:
        c = s.get(Complaint, k)
        assert (c.status, c.reviewed_at, len(c.checks)) == (ComplaintStatus.OPEN, None, 8)


def test_open_complaint_of(db, make_client):
    anna, other = make_client("Anna"), make_client("Other")
    with db.sessions() as s:
        assert complaint_service.open_complaint_of(s, anna) is None
    first = _save(db, anna, None, Edits(client_words="1"), now=T0)
    second = _save(db, anna, None, Edits(client_words="2"), now=T0 + 24 * H)
    _save(db, other, None, Edits(client_words="3"), now=T0 + 48 * H)
    with db.sessions() as s:
        assert complaint_service.open_complaint_of(s, anna) == second
    _close(db, second, T0 + 50 * H)
    with db.sessions() as s:
        assert complaint_service.open_complaint_of(s, anna) == first
    _close(db, first, T0 + 51 * H)
    with db.sessions() as s:
        assert complaint_service.open_complaint_of(s, anna) is None


def test_lessons_search(db, make_client):
    anna, ivan = make_client("Anna Nowak"), make_client("Ivan Petrov")
    lodz = _save(db, anna, None, Edits(client_words="Dirty room", category="Łódź branch",
                                       lesson="Check rooms hourly (Straße)"), now=T0)
    noise = _save(db, ivan, None, Edits(client_words="Жалоба на шум", client_request="Quiet",
                                        corrective_action="Moved the room",
                                        review={"review_hurt": "Arguing"}), now=T0 + H)
    _save(db, ivan, None, Edits(client_words="Not reviewed"), now=T0 + 2 * H)
    parcel = _save(db, anna, None, Edits(client_words="Where is my parcel",
                                         review={"review_main_complaint": "Late delivery"},
                                         lesson="Track parcels"), now=T0 + 3 * H)
    with db.sessions() as s:
        def ids(text=""):
            return [r.complaint_id for r in complaint_service.lessons(s, text)]
        rows = complaint_service.lessons(s)
        assert [(r.complaint_id, r.client_name, r.what_went_wrong, r.how_put_right,
                 r.lesson) for r in rows] == [
            (parcel, "Anna Nowak", "Late delivery", "", "Track parcels"),
            (noise, "Ivan Petrov", "Жалоба на шум", "Moved the room\nQuiet", ""),
            (lodz, "Anna Nowak", "Dirty room", "", "Check rooms hourly (Straße)")]
        assert ids("łÓdŹ") == ids("ŁÓDŹ") == [lodz]
        assert ids("жалоба") == ids("ЖАЛОБА") == [noise]
        assert ids("STRASSE") == [lodz]  # case folding, not just lower case
        assert ids("ivan") == ids("moved") == [noise]
        assert ids("ROOM") == [noise, lodz]
        assert ids("anna hourly") == [lodz]
        assert ids("parcel track") == [parcel]
        assert ids("parcel łódź") == []
        assert ids("not reviewed") == []


# --------------------------------------------------------------------------- property

FORMS = st.lists(st.dictionaries(st.integers(1, 8), st.sampled_from(list(CheckState)),
                                 max_size=8), min_size=1, max_size=5)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(forms=FORMS)
def test_ticks_follow_the_form_and_keep_their_first_time(db, make_client, staff, forms):
    # each example works on a complaint of its own, so sharing the database is safe
    cid = make_client()
    k = _save(db, cid, None, Edits(client_words="x"))
    expected = {i: (OPEN, None, None) for i in range(1, 9)}
    now = T0
    for form in forms:
        for who in (staff[StaffRole.RECEPTIONIST], staff[StaffRole.OWNER]):  # saved twice
            now += H
            _save(db, cid, k, Edits(client_words="x", checks=form), staff_id=who, now=now)
            for item, state in form.items():
                if state != expected[item][0]:
                    expected[item] = (state, None, None) if state == OPEN else (state, who, now)
            assert _ticks(db, k) == expected
