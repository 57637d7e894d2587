"""The demo business (app/services/demo.py): size, validity and determinism."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import phonenumbers
import pytest
from sqlalchemy import func, select

from app.db import open_database
from app.enums import DECLINE_REASONS, REFUND_ITEM, SOURCE_CHANNELS
from app.models import (
    Client,
    Complaint,
    ComplaintCheck,
    ConsentEvent,
    Contact,
    Membership,
    PersonalDate,
    Purchase,
    Relative,
    Staff,
    Tag,
    Task,
)
from app.models.enums import (
    ClientKind,
    ComplaintStatus,
    DateKind,
    MembershipStatus,
    Outcome,
    StaffRole,
)
from app.services import demo_texts as texts
from app.services import name_days
from app.services.demo import DemoSummary, create_demo, demo_locale, name_day

TODAY = date(2026, 3, 15)
LOCALES = ["en_US", "pl_PL", "ru_RU", "bg_BG"]
REGIONS = {"en_US": "US", "pl_PL": "PL", "ru_RU": "RU", "bg_BG": "BG"}


def _build(path, locale: str, seed: int = 2026, clients: int = 300):
    db = open_database(path)
    with db.session() as s:
        summary = create_demo(s, clients=clients, locale=locale, seed=seed, today=TODAY)
    return db, summary


@pytest.fixture(scope="module", params=LOCALES)
def demo(request, tmp_path_factory):
    locale = request.param
    db, summary = _build(tmp_path_factory.mktemp(locale) / "demo.sqlite", locale)
    yield locale, db, summary
    db.close()


def test_counts_match_the_summary(demo):
    _, db, summary = demo
    assert isinstance(summary, DemoSummary)
    with db.session() as s:
        def count(model):
            return s.scalar(select(func.count()).select_from(model))
        assert count(Client) == summary.clients == 300
        assert count(Purchase) == summary.purchases
        assert count(Membership) == summary.memberships
        assert count(Relative) == summary.relatives
        assert count(PersonalDate) == summary.personal_dates
        assert count(Contact) == summary.contacts
        assert count(Complaint) == summary.complaints
        assert count(Staff) == summary.staff
        assert count(Task) == 0  # the scheduling engine makes tasks, not the demo


def test_staff_roles(demo):
    _, db, _ = demo
    with db.session() as s:
        roles = Counter(s.scalars(select(Staff.role)))
    assert roles[StaffRole.OWNER] == 1
    assert roles[StaffRole.MANAGER] == 1
    assert roles[StaffRole.RECEPTIONIST] >= 1


def test_clients(demo):
    locale, db, _ = demo
    region = REGIONS[locale]
    with db.session() as s:
        rows = s.scalars(select(Client).order_by(Client.id)).all()
        consent_events = s.scalar(select(func.count()).select_from(ConsentEvent))
        companies = sum(c.kind == ClientKind.COMPANY for c in rows)
        assert 5 <= companies <= 60
        phones = [c for c in rows if c.phone]
        assert 0.7 * len(rows) <= len(phones) <= 0.97 * len(rows)
        for c in phones:
            number = phonenumbers.parse(c.phone, None)
            assert phonenumbers.is_valid_number(number), c.phone
            assert phonenumbers.region_code_for_number(number) == region
            assert c.phone == "+" + c.phone_digits
            assert c.phone == phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.E164)
        assert len({c.phone for c in phones}) == len(phones)
        emails = [c.email for c in rows if c.email]
        assert 0.45 * len(rows) <= len(emails) <= 0.8 * len(rows)
        for e in emails:
            assert e.isascii() and e == e.lower() and e.count("@") == 1, e
        assert len(set(emails)) == len(emails)
        refs = [c.external_ref for c in rows if c.external_ref]
        assert len(refs) == len(set(refs)) > 50
        assert all(r.startswith("LC-") and len(r) == 9 for r in refs)
        for c in rows:
            assert c.sort_name == c.name.casefold()
            assert c.name.casefold() in c.search_text
            if c.email:
                assert c.email in c.search_text
            if c.external_ref:
                assert c.external_ref.casefold() in c.search_text
            assert c.search_text == c.search_text.casefold()
            if c.referred_by_id is not None:
                assert c.source_channel == "referral"
                assert c.referred_by_id < c.id
            if c.marketing_consent:
                assert c.marketing_consent_on is not None
            assert c.created_at.date() <= TODAY
        assert consent_events == sum(c.marketing_consent for c in rows)
        assert any(c.referred_by_id for c in rows)
        assert any(c.do_not_contact for c in rows)
        assert sum(bool(c.tags) for c in rows) > 40
        for c in rows:
            assert len({t.key for t in c.tags}) == len(c.tags)


def test_purchases(demo):
    _, db, _ = demo
    with db.session() as s:
        rows = s.execute(select(Purchase.client_id, Purchase.purchased_on, Purchase.amount,
                                Purchase.quantity, Purchase.is_credit)).all()
        assert len(rows) > 1000
        assert max(r.purchased_on for r in rows) <= TODAY
        for r in rows:
            assert isinstance(r.amount, Decimal)
            assert r.amount == r.amount.quantize(Decimal("0.01"))
            assert isinstance(r.quantity, Decimal) and r.quantity > 0
            assert (r.amount < 0) == r.is_credit
        recent = [r for r in rows if r.purchased_on > TODAY - timedelta(days=400)]
        assert len(recent) > 0.7 * len(rows)
        per_client = Counter(r.client_id for r in rows if not r.is_credit)
        assert sum(1 for n in per_client.values() if n == 1) > 20  # one-off buyers
        assert sum(1 for n in per_client.values() if n >= 10) > 30  # regulars
        last = {}
        for r in rows:
            last[r.client_id] = max(last.get(r.client_id, r.purchased_on), r.purchased_on)
        stopped = [d for d in last.values()
                   if TODAY - timedelta(days=260) <= d <= TODAY - timedelta(days=110)]
        assert len(stopped) > 10  # clients who stopped coming some months ago
        # the summary columns were refreshed by the clients service
        counts = dict(s.execute(select(Client.id, Client.purchase_count)).all())
        for cid, n in per_client.items():
            assert counts[cid] == n


def test_memberships(demo):
    _, db, _ = demo
    with db.session() as s:
        rows = s.scalars(select(Membership)).all()
    assert len({m.client_id for m in rows}) >= 30
    assert all(m.ends_on >= m.starts_on for m in rows)
    assert all(isinstance(m.price, Decimal) for m in rows)
    live = [m for m in rows if m.status in (MembershipStatus.ACTIVE, MembershipStatus.FROZEN)]
    assert all(m.ends_on >= TODAY for m in live)
    assert any(m.ends_on <= TODAY + timedelta(days=30) for m in live)
    assert any(m.status == MembershipStatus.EXPIRED for m in rows)
    for m in rows:
        assert (m.frozen_from is None) == (m.frozen_until is None)
        if m.status == MembershipStatus.FROZEN:
            assert m.frozen_from <= TODAY
    assert any(m.promo or m.discount for m in rows)


def test_family_and_dates(demo):
    locale, db, _ = demo
    with db.session() as s:
        relatives = s.scalars(select(Relative)).all()
        dates = s.scalars(select(PersonalDate)).all()
        persons = s.scalar(select(func.count()).where(Client.kind == ClientKind.PERSON))
    assert len({r.client_id for r in relatives}) > 40
    by_id = {r.id: r for r in relatives}
    own_birthdays = [d for d in dates if d.kind == DateKind.BIRTHDAY and d.relative_id is None]
    assert 0.55 * persons <= len(own_birthdays) <= 0.85 * persons
    assert sum(d.year is not None for d in own_birthdays) > 0.7 * len(own_birthdays)
    relative_birthdays = [d for d in dates if d.kind == DateKind.BIRTHDAY and d.relative_id]
    assert relative_birthdays
    for d in relative_birthdays:
        assert by_id[d.relative_id].client_id == d.client_id
    for d in dates:
        date(d.year or 2000, d.month, d.day)  # a real calendar day
    assert any(d.month == 2 and d.day == 29 and d.year and d.year % 4 == 0
               for d in own_birthdays)
    name_day_rows = [d for d in dates if d.kind == DateKind.NAME_DAY]
    if locale == "en_US":
        assert not name_day_rows
    else:
        own = [d for d in name_day_rows if d.relative_id is None]
        assert 0.3 * persons <= len(own) <= 0.7 * persons
        # each is the main day of a name in the business's calendar
        table = {days[0] for days in name_days.table(locale[:2]).names.values()}
        assert all((d.month, d.day) in table for d in name_day_rows)


def test_contacts(demo):
    _, db, _ = demo
    with db.session() as s:
        rows = s.scalars(select(Contact)).all()
    assert len(rows) > 150
    assert max(c.at for c in rows).date() < TODAY
    outcomes = Counter(c.outcome for c in rows)
    assert outcomes[Outcome.REACHED] > outcomes[Outcome.WRONG_NUMBER]
    assert outcomes[Outcome.NO_ANSWER] > 0 and outcomes[Outcome.MEETING_BOOKED] > 0
    per_client = Counter(c.client_id for c in rows)
    assert max(per_client.values()) <= 3
    for c in rows:
        if c.outcome == Outcome.DECLINED:
            assert c.decline_reason
        if c.outcome == Outcome.MEETING_BOOKED:
            assert c.meeting_at is not None and c.meeting_at > c.at
        if c.outcome == Outcome.NO_ANSWER:
            assert c.tone is None
        assert c.staff_id is not None


def test_complaints(demo):
    _, db, _ = demo
    with db.session() as s:
        rows = s.scalars(select(Complaint)).all()
        checks = s.execute(select(ComplaintCheck.complaint_id, ComplaintCheck.item)).all()
        refunds = s.scalars(select(Purchase).where(Purchase.complaint_id.is_not(None))).all()
    assert 5 <= len(rows) <= 10
    assert {c.status for c in rows} == set(ComplaintStatus)
    items: dict[int, list[int]] = {}
    for cid, item in checks:
        items.setdefault(cid, []).append(item)
    for c in rows:
        assert sorted(items[c.id]) == list(range(1, 9))
        assert c.category and c.client_words
        assert isinstance(c.compensation_value, Decimal)
        closed = c.status in (ComplaintStatus.CLOSED_KEPT, ComplaintStatus.CLOSED_LOST)
        resolved = closed or c.status == ComplaintStatus.RESOLVED
        assert (c.resolved_at is not None) == resolved
        assert (c.closed_at is not None) == closed
        assert (c.rating is not None) == closed
        if closed:
            assert 1 <= c.rating <= 5
            assert c.opened_at <= c.resolved_at <= c.closed_at
            assert c.satisfied == (c.status == ComplaintStatus.CLOSED_KEPT)
        assert c.opened_at.date() <= TODAY
    for p in refunds:
        assert p.is_credit and p.amount < 0


def test_same_seed_same_demo(tmp_path):
    names = []
    for n in (1, 2):
        db, _ = _build(tmp_path / f"run{n}.sqlite", "pl_PL", seed=7, clients=120)
        with db.session() as s:
            names.append(s.scalars(select(Client.name).order_by(Client.id)).all())
            names.append(s.execute(select(Purchase.client_id, Purchase.purchased_on,
                                          Purchase.amount, Purchase.item)
                                   .order_by(Purchase.id)).all())
        db.close()
    assert names[0] == names[2]
    assert names[1] == names[3]
    db, _ = _build(tmp_path / "other.sqlite", "pl_PL", seed=8, clients=120)
    with db.session() as s:
        assert s.scalars(select(Client.name).order_by(Client.id)).all() != names[0]
    db.close()


def test_small_demo(tmp_path):
    db, summary = _build(tmp_path / "tiny.sqlite", "bg", clients=5)
    assert summary.clients == 5
    db.close()


@pytest.mark.parametrize(("given", "expected"), [
    ("pl", "pl_PL"), ("ru", "ru_RU"), ("bg", "bg_BG"), ("en", "en_US"), ("pl-PL", "pl_PL"),
    ("ru_RU", "ru_RU"), ("de_DE", "en_US"), ("en_GB", "en_US"), ("", "en_US"),
])
def test_demo_locale(given, expected):
    assert demo_locale(given) == expected


def test_the_demo_gives_a_name_its_main_day_from_the_name_day_tables():
    assert name_day("Maria", "pl") == (8, 15)  # of 15 August, 12 and 8 September
    assert name_day("Кузьма", "ru") == (11, 14)
    assert name_day("Гошо", "bg") == (5, 6)
    assert name_day("Maria", "en") is None
    assert name_day("Brajan", "pl") is None


def test_the_demo_business_speaks_its_own_language(demo):
    """A Polish, Russian or Bulgarian demo is a local business: its price list, plans,
    tags, complaint categories, lessons and special conditions in that language; the
    lists a user picks from (sources, decline reasons) are the app's codes, shown in the
    user's language by the window."""
    locale, db, _ = demo
    lang = locale[:2]
    english = set(texts.ITEM_NAMES["en"]) | set(texts.PLAN_NAMES["en"]) | set(
        texts.TAGS["en"]) - {"VIP"} | set(texts.COMPLAINT_CATEGORIES["en"])
    with db.session() as s:
        items = set(s.scalars(select(Purchase.item)))
        plans = set(s.scalars(select(Membership.plan)))
        tags = set(s.scalars(select(Tag.name)))
        categories = set(s.scalars(select(Complaint.category)))
        lessons = set(s.scalars(select(Complaint.lesson).where(Complaint.lesson != "")))
        conditions = set(s.scalars(select(Membership.special_conditions)
                                   .where(Membership.special_conditions != "")))
        sources = set(s.scalars(select(Client.source_channel)
                                .where(Client.source_channel != "")))
        reasons = set(s.scalars(select(Contact.decline_reason)
                                .where(Contact.decline_reason.is_not(None))))
        requests = set(s.scalars(select(Complaint.client_request)
                                 .where(Complaint.client_request != "")))
        family_notes = set(s.scalars(select(Relative.note).where(Relative.note != "")))
        freeze_notes = set(s.scalars(select(Membership.note).where(Membership.note != "")))
        consent_notes = set(s.scalars(select(ConsentEvent.note)))
        refund_notes = set(s.scalars(select(Purchase.note).where(Purchase.is_credit)))
    lines = {texts.MEMBERSHIP_LINE[lang].format(plan=p) for p in texts.PLAN_NAMES[lang]}
    assert items and items <= set(texts.ITEM_NAMES[lang]) | lines | {REFUND_ITEM}
    assert plans and plans <= set(texts.PLAN_NAMES[lang])
    assert tags == set(texts.TAGS[lang])
    assert categories and categories <= set(texts.COMPLAINT_CATEGORIES[lang])
    assert lessons == {texts.REVIEW[lang][-1]}
    assert conditions and conditions <= (set(texts.PROMOS[lang]) | set(texts.DISCOUNTS[lang])
                                         | {texts.MOVE_VISITS[lang]})
    assert sources and sources <= set(SOURCE_CHANNELS)
    assert reasons and reasons <= set(DECLINE_REASONS)
    # what the clients asked for ("a free visit" was English in every demo)
    assert requests and requests <= set(texts.CLIENT_REQUESTS[lang])
    # a child's note ("plays football") and why a membership is frozen, in the language
    assert family_notes and family_notes <= set(texts.CHILD_NOTES[lang])
    assert freeze_notes and freeze_notes <= set(texts.FREEZE_NOTES[lang])
    assert consent_notes == {texts.CONSENT_NOTE[lang]}
    assert refund_notes <= {texts.REFUND_NOTE[lang]}
    if lang != "en":
        own = set(texts.ITEM_NAMES[lang]) | set(texts.TAGS[lang])  # "Manicure", "student"
        assert not (items | plans | tags | categories) & (english - own)
