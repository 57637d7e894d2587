"""Clients: validation, saving, loading, search, the list query, the Trash and the
per-client summary (app/services/clients.py)."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.db import open_database
from app.errors import ConflictError, NotFoundError, ValidationError
from app.models import Client, ConsentEvent, PersonalDate, Purchase, Relative, Tag, Task
from app.models.enums import (
    ClientStatus,
    DateKind,
    MembershipStatus,
    Relation,
    Segment,
    TaskKind,
    TaskStatus,
)
from app.services import clients as client_service

TODAY = date(2026, 6, 1)
RULES = client_service.StatusRules(today=TODAY, new_until_purchases=3, default_gap_days=90,
                       gap_multiplier=Decimal(2), lapsed_after_days=365)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def save(db, data: client_service.ClientData, today: date = TODAY) -> int:
    with db.session() as s:
        return client_service.save_client(s, data, region="PL", today=today)


def load(db, cid: int) -> client_service.ClientData:
    with db.session() as s:
        return client_service.load_client(s, cid)


def new_client(db, name: str, purchases: list[tuple[int, str]] = (), **fields) -> int:
    """A client with purchases given as (days before TODAY, amount)."""
    data = client_service.ClientData(name=name, **fields)
    data.purchases = [client_service.PurchaseData(purchased_on=days_ago(n), amount=Decimal(a))
                      for n, a in purchases]
    return save(db, data)


def ids(db, **query) -> list[int]:
    with db.session() as s:
        return client_service.client_ids(s, client_service.ClientQuery(**query), RULES, "PL")


def search(db, text: str) -> set[int]:
    return set(ids(db, text=text))


def client_row(db, cid: int) -> Client:
    with db.session() as s:
        return s.get(Client, cid)


def count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


# --------------------------------------------------------------------------- validation


def test_validate_client_collects_every_error_and_saves_nothing(db):
    data = client_service.ClientData(name="   ", phone="123", email="bad@")
    with pytest.raises(ValidationError) as info, db.session() as s:
        client_service.save_client(s, data, region="PL")
    errors = info.value.errors
    assert len(errors) == 3
    assert {e.field: e.code for e in errors} == {
        "name": "name.required", "phone": "phone.invalid", "email": "email.invalid"}
    assert info.value.for_field("phone").code == "phone.invalid"
    with db.session() as s:
        assert client_service.count_clients(s) == 0
        assert client_service.count_clients(s, trash=True) == 0


def test_validate_client_nested_errors_are_collected_too(db):
    data = client_service.ClientData(
        name="Ok", contact_from=time(18), contact_to=time(9),
        marketing_consent=True, marketing_consent_on=None,
        relatives=[client_service.RelativeData(name=" ")],
        dates=[client_service.PersonalDateData(month=2, day=29, year=2023),
               client_service.PersonalDateData(month=5, day=1, relative_key="gone")],
        purchases=[client_service.PurchaseData(purchased_on=days_ago(1), amount=Decimal("-5"))],
        memberships=[client_service.MembershipData(plan="Gold", starts_on=TODAY,
                                       ends_on=TODAY - timedelta(days=1))])
    with pytest.raises(ValidationError) as info:
        client_service.validate_client(data, "PL")
    got = {(e.field, e.code) for e in info.value.errors}
    assert got == {
        ("contact_hours", "hours.order"),
        ("marketing_consent_on", "consent.date_required"),
        ("relatives[0].name", "name.required"),
        ("dates[0]", "date.invalid"),
        ("dates[1]", "date.relative_missing"),
        ("purchases[0].amount", "amount.negative"),
        ("memberships[0].ends_on", "membership.end_before_start"),
    }


def test_validate_client_normalizes(db):
    out = client_service.validate_client(client_service.ClientData(
        name="  Anna   Kowalska ", phone="601 234 567", email="Anna@Example.COM",
        contact_days="7513x1", tags=["VIP", " vip ", "Stały  klient", ""]), "PL")
    assert out.name == "Anna Kowalska"
    assert out.phone == "+48601234567"
    assert out.email == "Anna@example.com"
    assert out.contact_days == "1357"
    assert out.tags == ["VIP", "Stały klient"]


# --------------------------------------------------------------------------- saving


def test_save_client_stores_e164_phone_and_digits(db):
    cid = save(db, client_service.ClientData(name="Anna", phone="601 234 567", email="a@Example.com"))
    c = client_row(db, cid)
    assert c.phone == "+48601234567"
    assert c.phone_digits == "48601234567"
    assert c.email == "a@example.com"
    assert c.version == 1
    assert load(db, cid).phone == "+48601234567"


def test_empty_phone_and_email_are_stored_as_null(db):
    cid = save(db, client_service.ClientData(name="Anna"))
    c = client_row(db, cid)
    assert c.phone is None and c.phone_digits is None and c.email is None
    assert c.external_ref is None


def test_tags_deduplicated_case_insensitively_and_shared(db):
    a = save(db, client_service.ClientData(name="Anna", tags=["VIP", "vip", " VIP ", "Wine"]))
    b = save(db, client_service.ClientData(name="Bogdan", tags=["Vip"]))
    assert load(db, a).tags == ["VIP", "Wine"]
    assert load(db, b).tags == ["VIP"]  # the existing tag, with its first spelling
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Tag).where(Tag.key == "vip")) == 1
        assert [name for _, name in client_service.all_tags(s)] == ["VIP", "Wine"]


def test_external_ref_unique(db):
    a = save(db, client_service.ClientData(name="Anna", external_ref=" K-1 "))
    assert client_row(db, a).external_ref == "K-1"
    with pytest.raises(ValidationError) as info:
        save(db, client_service.ClientData(name="Bogdan", external_ref="K-1"))
    assert [(e.field, e.code) for e in info.value.errors] == [("external_ref",
                                                                "external_ref.taken")]
    with db.session() as s:
        assert client_service.count_clients(s) == 1
    # the owner of the reference saves again with it: fine
    data = load(db, a)
    data.notes = "still mine"
    assert save(db, data) == a
    assert client_row(db, a).external_ref == "K-1"
    assert client_row(db, a).notes == "still mine"


def test_optimistic_lock_detects_a_change_elsewhere(db):
    cid = save(db, client_service.ClientData(name="Anna"))
    first = load(db, cid)
    second = load(db, cid)
    first.notes = "saved first"
    save(db, first)
    assert client_row(db, cid).version == 2
    second.notes = "saved second"
    with pytest.raises(ConflictError) as info:
        save(db, second)
    assert info.value.code == "client.changed"
    assert client_row(db, cid).notes == "saved first"
    assert client_row(db, cid).version == 2


CHILD_EDITS = {
    "purchase": lambda d: d.purchases.append(
        client_service.PurchaseData(purchased_on=days_ago(1), amount=Decimal("10"))),
    "relative": lambda d: d.relatives.append(client_service.RelativeData(name="Kasia")),
    "date": lambda d: d.dates.append(client_service.PersonalDateData(month=3, day=8)),
    "membership": lambda d: d.memberships.append(
        client_service.MembershipData(plan="Gold", starts_on=days_ago(1), ends_on=TODAY)),
}


@pytest.mark.parametrize("edit", list(CHILD_EDITS))
def test_optimistic_lock_covers_changes_of_child_rows(db, edit):
    cid = save(db, client_service.ClientData(name="Anna"))
    first = load(db, cid)
    second = load(db, cid)
    CHILD_EDITS[edit](first)
    save(db, first)
    second.notes = "edited on a stale card"
    with pytest.raises(ConflictError):
        save(db, second)


def test_save_of_a_client_deleted_for_good_is_not_found(db):
    cid = save(db, client_service.ClientData(name="Anna"))
    data = load(db, cid)
    with db.session() as s:
        s.delete(s.get(Client, cid))
    with pytest.raises(NotFoundError):
        save(db, data)


def test_referral_to_self_and_to_a_missing_client(db):
    cid = save(db, client_service.ClientData(name="Anna"))
    data = load(db, cid)
    data.referred_by_id = cid
    with pytest.raises(ValidationError) as info:
        save(db, data)
    assert info.value.for_field("referred_by").code == "referral.self"
    data.referred_by_id = 999_999
    with pytest.raises(ValidationError) as info:
        save(db, data)
    assert info.value.for_field("referred_by").code == "referral.missing"


def test_load_client_round_trip(db):
    data = client_service.ClientData(
        name="Maria Nowak", phone="+48 601 234 567", email="maria@example.com",
        external_ref="M-7", contact_from=time(9), contact_to=time(17), contact_days="135",
        do_not_contact=True, marketing_consent=True, marketing_consent_on=days_ago(3),
        source_channel="Instagram", preferences="green tea", notes="allergic to nuts",
        segment_override=Segment.B, segment_override_reason="owner knows best", tags=["Family"],
        relatives=[client_service.RelativeData(name="Kasia", relation=Relation.CHILD, note="7 years",
                                   key="kid")],
        dates=[client_service.PersonalDateData(kind=DateKind.BIRTHDAY, month=2, day=29,
                                   gift_reminder_days=5),
               client_service.PersonalDateData(kind=DateKind.NAME_DAY, month=11, day=25, year=2019,
                                   label="Kasia", relative_key="kid")],
        purchases=[client_service.PurchaseData(purchased_on=days_ago(10), amount=Decimal("123.45"),
                                   item="Haircut", quantity=Decimal("2"), note="n1"),
                   client_service.PurchaseData(purchased_on=days_ago(5), amount=Decimal("-20"),
                                   item="Refund", is_credit=True)],
        memberships=[client_service.MembershipData(plan="Gold", starts_on=days_ago(30),
                                       ends_on=days_ago(30) + timedelta(days=365),
                                       status=MembershipStatus.FROZEN,
                                       frozen_from=days_ago(2), frozen_until=TODAY,
                                       price=Decimal("99.9"), promo=True,
                                       special_conditions="no mornings")])
    cid = save(db, data)
    got = load(db, cid)
    assert got.id == cid and got.version == 1
    assert (got.name, got.phone, got.email, got.external_ref) == (
        "Maria Nowak", "+48601234567", "maria@example.com", "M-7")
    assert (got.contact_from, got.contact_to, got.contact_days) == (time(9), time(17), "135")
    assert got.do_not_contact is True
    assert (got.marketing_consent, got.marketing_consent_on) == (True, days_ago(3))
    assert got.source_channel == "Instagram"
    assert (got.preferences, got.notes) == ("green tea", "allergic to nuts")
    assert got.segment_override == Segment.B
    assert got.tags == ["Family"]

    assert len(got.relatives) == 1
    kid = got.relatives[0]
    assert (kid.name, kid.relation, kid.note) == ("Kasia", Relation.CHILD, "7 years")
    assert kid.id is not None
    own = [d for d in got.dates if d.relative_key is None]
    theirs = [d for d in got.dates if d.relative_key is not None]
    assert [(d.kind, d.month, d.day, d.year, d.gift_reminder_days) for d in own] == [
        (DateKind.BIRTHDAY, 2, 29, None, 5)]
    assert [(d.kind, d.month, d.day, d.year, d.label) for d in theirs] == [
        (DateKind.NAME_DAY, 11, 25, 2019, "Kasia")]
    assert theirs[0].relative_key == kid.key

    by_item = {p.item: p for p in got.purchases}
    assert by_item["Haircut"].amount == Decimal("123.45")
    assert isinstance(by_item["Haircut"].amount, Decimal)
    assert by_item["Haircut"].quantity == Decimal("2")
    assert by_item["Haircut"].purchased_on == days_ago(10)
    assert by_item["Haircut"].note == "n1"
    assert by_item["Refund"].is_credit is True
    assert by_item["Refund"].amount == Decimal("-20.00")

    [m] = got.memberships
    assert (m.plan, m.status, m.frozen_from, m.frozen_until) == (
        "Gold", MembershipStatus.FROZEN, days_ago(2), TODAY)
    assert m.price == Decimal("99.90")
    assert (m.promo, m.discount, m.special_conditions) == (True, False, "no mornings")

    # A NEW relative with a date pointing at it by key, saved on the loaded card
    got.relatives.append(client_service.RelativeData(name="Piotr", relation=Relation.SPOUSE, key="new-1"))
    got.dates.append(client_service.PersonalDateData(kind=DateKind.ANNIVERSARY, month=6, day=12,
                                         relative_key="new-1"))
    save(db, got)
    again = load(db, cid)
    rel_by_key = {r.key: r for r in again.relatives}
    assert sorted(r.name for r in again.relatives) == ["Kasia", "Piotr"]
    owner_of = {(d.month, d.day): (rel_by_key[d.relative_key].name if d.relative_key else None)
                for d in again.dates}
    assert owner_of == {(2, 29): None, (11, 25): "Kasia", (6, 12): "Piotr"}
    # updating kept the existing rows (same ids), not delete + insert
    assert kid.id in {r.id for r in again.relatives}
    assert {d.id for d in got.dates if d.id} <= {d.id for d in again.dates}


def test_load_missing_client_is_not_found(db):
    with pytest.raises(NotFoundError) as info, db.session() as s:
        client_service.load_client(s, 12345)
    assert info.value.code == "client.not_found"


def test_removing_a_relative_removes_its_dates(db):
    cid = save(db, client_service.ClientData(
        name="Maria", relatives=[client_service.RelativeData(name="Kasia", key="k")],
        dates=[client_service.PersonalDateData(month=3, day=3, relative_key="k")]))
    data = load(db, cid)
    data.relatives = []
    data.dates = []
    save(db, data)
    assert count(db, Relative) == 0
    assert count(db, PersonalDate) == 0


def test_removed_purchase_is_deleted(db):
    cid = new_client(db, "Anna", [(30, "10"), (20, "20"), (10, "30")])
    data = load(db, cid)
    assert len(data.purchases) == 3
    data.purchases = [p for p in data.purchases if p.amount != Decimal("20")]
    save(db, data)
    with db.session() as s:
        amounts = sorted(s.scalars(select(Purchase.amount).where(Purchase.client_id == cid)))
    assert amounts == [Decimal("10"), Decimal("30")]
    c = client_row(db, cid)
    assert c.purchase_count == 2
    assert c.value_12m == Decimal("40")


def test_editing_a_purchase_updates_it_in_place(db):
    cid = new_client(db, "Anna", [(30, "10")])
    data = load(db, cid)
    pid = data.purchases[0].id
    data.purchases[0].amount = Decimal("15.5")
    save(db, data)
    with db.session() as s:
        rows = list(s.scalars(select(Purchase).where(Purchase.client_id == cid)))
    assert [(p.id, p.amount) for p in rows] == [(pid, Decimal("15.50"))]


def test_add_purchase_refreshes_stats(db):
    cid = new_client(db, "Anna")
    with db.session() as s:
        client_service.add_purchase(s, cid, client_service.PurchaseData(purchased_on=days_ago(3),
                                                amount=Decimal("42")), today=TODAY)
    c = client_row(db, cid)
    assert (c.purchase_count, c.last_purchase_on, c.value_12m) == (1, days_ago(3),
                                                                     Decimal("42"))
    with pytest.raises(NotFoundError), db.session() as s:
        client_service.add_purchase(s, 99999, client_service.PurchaseData(purchased_on=days_ago(3),
                                                  amount=Decimal("1")))


# --------------------------------------------------------------------------- consent


def consent_events(db, cid: int) -> list[tuple[bool, date | None]]:
    with db.session() as s:
        return [(e.consent, e.consent_on) for e in s.scalars(
            select(ConsentEvent).where(ConsentEvent.client_id == cid)
            .order_by(ConsentEvent.id))]


def test_consent_event_written_only_when_consent_changes(db):
    cid = save(db, client_service.ClientData(name="Anna", marketing_consent=True,
                                 marketing_consent_on=days_ago(1)))
    assert consent_events(db, cid) == [(True, days_ago(1))]
    data = load(db, cid)
    data.notes = "nothing about consent"
    save(db, data)
    assert consent_events(db, cid) == [(True, days_ago(1))]
    data = load(db, cid)
    data.marketing_consent_on = days_ago(0)
    save(db, data)
    assert consent_events(db, cid) == [(True, days_ago(1)), (True, days_ago(0))]
    data = load(db, cid)
    data.marketing_consent = False
    save(db, data)
    assert consent_events(db, cid)[-1] == (False, None)
    assert len(consent_events(db, cid)) == 3


def test_no_consent_event_for_a_new_client_without_consent(db):
    cid = save(db, client_service.ClientData(name="Anna"))
    assert consent_events(db, cid) == []


# --------------------------------------------------------------------------- search


def _make_people(db) -> dict[str, int]:
    lukasz = new_client(db, "Łukasz Nowak", phone="+48 601-234-567",
                        email="lukasz@example.com", notes="Likes espresso")
    anna_ru = new_client(db, "Анна Иванова", phone="+7 916 123-45-67",
                         email="anna.iv@mail.ru")
    anna_pl = new_client(db, "Anna Kowalska", phone="501 234 567", notes="prefers mornings",
                         external_ref="KART-0042")
    return {"lukasz": lukasz, "anna_ru": anna_ru, "anna_pl": anna_pl}


@pytest.fixture
def people(db):
    return _make_people(db)


@pytest.fixture(scope="module")
def search_db(tmp_path_factory):
    """One read-only database for the many search cases (keeps the suite fast)."""
    database = open_database(tmp_path_factory.mktemp("search") / "search.sqlite")
    people = _make_people(database)
    yield database, people
    database.close()


@pytest.mark.parametrize("text", ["+48 601-234-567", "601 234 567", "601234567",
                                  "0048601234567", "48601234567", "601 23"])
def test_search_by_phone_in_any_format(search_db, text):
    db, people = search_db
    assert search(db, text) == {people["lukasz"]}


def test_search_by_phone_no_false_match(search_db):
    db, _ = search_db
    assert search(db, "601 234 568") == set()


@pytest.mark.parametrize("text,who", [
    ("ŁUKASZ", "lukasz"), ("łukasz", "lukasz"), ("Łuk", "lukasz"), ("NOWAK", "lukasz"),
    ("анна", "anna_ru"), ("АННА", "anna_ru"), ("иванов", "anna_ru"),
    ("kowalska", "anna_pl"), ("kart-0042", "anna_pl"),
    ("example.com", "lukasz"), ("LUKASZ@", "lukasz"), ("mail.ru", "anna_ru"),
    ("espresso", "lukasz"), ("MORNINGS", "anna_pl"),
])
def test_search_by_text(search_db, text, who):
    db, people = search_db
    assert search(db, text) == {people[who]}


def test_search_matches_every_client_containing_the_word(db, people):
    # "anna" is in Anna Kowalska's name and in Анна's e-mail address
    assert search(db, "anna") == {people["anna_pl"], people["anna_ru"]}


def test_search_all_words_must_match(db, people):
    assert search(db, "anna mornings") == {people["anna_pl"]}
    assert search(db, "  mornings   ANNA ") == {people["anna_pl"]}
    assert search(db, "anna espresso") == set()


def test_search_wildcards_are_literal(db, people):
    assert search(db, "%") == set()
    assert search(db, "_") == set()


def test_search_empty_text_lists_everyone(db, people):
    assert search(db, "   ") == set(people.values())


def test_search_hides_deleted_clients(db, people):
    with db.session() as s:
        client_service.soft_delete(s, [people["lukasz"]])
    assert search(db, "łukasz") == set()
    assert set(ids(db, text="łukasz", trash=True)) == {people["lukasz"]}


def test_client_choices(db, people):
    with db.session() as s:
        assert client_service.client_choices(s, "ANNA") == [(people["anna_pl"], "Anna Kowalska"),
                                                (people["anna_ru"], "Анна Иванова")]
        assert client_service.client_choices(s, "anna", exclude=people["anna_pl"]) == [
            (people["anna_ru"], "Анна Иванова")]


# ------------------------------------------------------------------ list: filters and sorting


def _make_listing(db) -> dict[str, int]:
    """Four clients whose every list column differs."""
    z = new_client(db, "Zofia", [(5, "300")], phone="+48 601 234 567", tags=["alpha"],
                   segment_override=Segment.A, segment_override_reason="owner knows best")
    a = new_client(db, "adam", [(200, "100")])
    lk = new_client(db, "Łukasz", phone="501 234 567", tags=["beta"],
                    segment_override=Segment.C, segment_override_reason="owner knows best")
    e = new_client(db, "Ewa", [(400, "50")], phone="701 234 567", tags=["gamma"],
                   segment_override=Segment.B, segment_override_reason="owner knows best")
    with db.session() as s:
        s.add_all([
            Task(client_id=z, kind=TaskKind.MANUAL, due_on=TODAY + timedelta(days=3)),
            Task(client_id=a, kind=TaskKind.MANUAL, due_on=TODAY + timedelta(days=1)),
            Task(client_id=a, kind=TaskKind.MANUAL, due_on=TODAY + timedelta(days=9)),
            Task(client_id=e, kind=TaskKind.MANUAL, due_on=TODAY, status=TaskStatus.DONE),
        ])
        s.flush()
        client_service.refresh_next_due(s)
    return {"Z": z, "A": a, "L": lk, "E": e}


@pytest.fixture(scope="module")
def listing_db(tmp_path_factory):
    """One read-only database for the sort and filter cases."""
    database = open_database(tmp_path_factory.mktemp("listing") / "listing.sqlite")
    yield database, _make_listing(database)
    database.close()


@pytest.fixture
def listing(db):
    return _make_listing(db)


SORTS = {
    # column: (ascending, descending) by the letters of the ``listing`` fixture
    client_service.ClientColumn.NAME: ("AEZL", "LZEA"),
    client_service.ClientColumn.PHONE: ("LZEA", "EZLA"),
    client_service.ClientColumn.SEGMENT: ("ZELA", "LEZA"),
    client_service.ClientColumn.STATUS: ("AEZL", "ZLEA"),
    client_service.ClientColumn.LAST_PURCHASE: ("EAZL", "ZAEL"),
    client_service.ClientColumn.VALUE_12M: ("ELAZ", "ZAEL"),
    client_service.ClientColumn.NEXT_DUE: ("AZEL", "ZAEL"),
    client_service.ClientColumn.TAGS: ("ZLEA", "ELZA"),
    # no kept score yet: every client by id (the order they were added)
    client_service.ClientColumn.RISK: ("ZALE", "ELAZ"),
}


def test_every_column_has_a_sort_case():
    assert set(SORTS) == set(client_service.ClientColumn)


@pytest.mark.parametrize("column", list(client_service.ClientColumn), ids=lambda c: c.name)
def test_sort_by_column(listing_db, column):
    db, listing = listing_db
    asc, desc = SORTS[column]
    assert ids(db, sort=column) == [listing[k] for k in asc]
    assert ids(db, sort=column, descending=True) == [listing[k] for k in desc]


def test_list_row_values(listing_db):
    db, listing = listing_db
    with db.session() as s:
        rows = client_service.client_rows(s, list(listing.values()), RULES)
    z, a, lk, e = (rows[listing[k]] for k in "ZALE")
    assert (z.status, a.status, lk.status, e.status) == (
        ClientStatus.NEW, ClientStatus.AT_RISK, ClientStatus.NEW, ClientStatus.LAPSED)
    assert (z.segment, a.segment, lk.segment, e.segment) == ("A", None, "C", "B")
    assert z.phone == "+48601234567" and a.phone is None
    assert (z.value_12m, a.value_12m, lk.value_12m, e.value_12m) == (
        Decimal("300"), Decimal("100"), Decimal("0"), Decimal("0"))
    assert (z.next_due_on, a.next_due_on, e.next_due_on) == (
        TODAY + timedelta(days=3), TODAY + timedelta(days=1), None)
    assert (z.tags, a.tags) == ("alpha", "")
    assert z.last_purchase_on == days_ago(5) and lk.last_purchase_on is None


def test_filter_by_segment(listing_db):
    db, listing = listing_db
    assert ids(db, segment=Segment.A) == [listing["Z"]]
    assert ids(db, segment=Segment.B) == [listing["E"]]
    assert ids(db, segment=Segment.C) == [listing["L"]]


def test_filter_by_status(listing_db):
    db, listing = listing_db
    assert ids(db, status=ClientStatus.AT_RISK) == [listing["A"]]
    assert ids(db, status=ClientStatus.LAPSED) == [listing["E"]]
    assert ids(db, status=ClientStatus.NEW) == [listing["Z"], listing["L"]]
    assert ids(db, status=ClientStatus.ACTIVE) == []


def test_filter_by_tag(listing_db):
    db, listing = listing_db
    with db.session() as s:
        tag_ids = {name: tid for tid, name in client_service.all_tags(s)}
    assert ids(db, tag_id=tag_ids["beta"]) == [listing["L"]]
    assert ids(db, tag_id=tag_ids["gamma"]) == [listing["E"]]


def test_filters_combine(listing_db):
    db, listing = listing_db
    assert ids(db, text="ewa", status=ClientStatus.LAPSED) == [listing["E"]]
    assert ids(db, text="ewa", status=ClientStatus.NEW) == []
    assert ids(db, text="ewa", segment=Segment.A) == []


# --------------------------------------------------------------------------- trash


def test_soft_delete_and_restore(db, listing):
    everyone = set(listing.values())
    ewa = listing["E"]
    before = client_row(db, ewa).version
    with db.session() as s:
        assert client_service.soft_delete(s, [ewa]) == [ewa]
    assert set(ids(db)) == everyone - {ewa}
    assert ids(db, trash=True) == [ewa]
    assert client_row(db, ewa).deleted_at is not None
    assert client_row(db, ewa).version == before + 1
    with db.session() as s:
        assert client_service.count_clients(s) == 3
        assert client_service.count_clients(s, trash=True) == 1
        assert client_service.soft_delete(s, [ewa]) == []
        assert client_service.soft_delete(s, []) == []
    with db.session() as s:
        assert client_service.restore(s, [ewa, listing["Z"]]) == [ewa]  # Zofia was not in the Trash
    assert set(ids(db)) == everyone
    assert ids(db, trash=True) == []
    with db.session() as s:
        assert client_service.restore(s, [ewa]) == []


def test_soft_delete_makes_an_open_card_stale(db):
    cid = save(db, client_service.ClientData(name="Anna"))
    data = load(db, cid)
    with db.session() as s:
        client_service.soft_delete(s, [cid])
    with pytest.raises(ConflictError):
        save(db, data)


def test_purge_empty_tags(db):
    cid = save(db, client_service.ClientData(name="Anna", tags=["old", "kept"]))
    data = load(db, cid)
    data.tags = ["kept"]
    save(db, data)
    with db.session() as s:
        client_service.purge_empty_tags(s)
    with db.session() as s:
        assert [name for _, name in client_service.all_tags(s)] == ["kept"]


# --------------------------------------------------------------------------- summary and status


def test_refresh_client_stats(db):
    cid = new_client(db, "Anna", [(400, "1000"), (200, "50"), (10, "100")])
    c = client_row(db, cid)
    assert c.first_purchase_on == days_ago(400)
    assert c.last_purchase_on == days_ago(10)
    assert c.purchase_count == 3
    assert c.value_12m == Decimal("150")  # the purchase 400 days ago is outside 365 days
    assert c.usual_gap_days == 195  # median of 200 and 190


def test_value_window_boundaries(db):
    # the window is (today - 365, today]: day 365 before is out, day 364 is in
    cid = new_client(db, "Anna", [(365, "1"), (364, "10"), (0, "100")])
    assert client_row(db, cid).value_12m == Decimal("110")


def test_stats_follow_the_today_argument(db):
    cid = new_client(db, "Anna", [(300, "10"), (10, "20")])
    assert client_row(db, cid).value_12m == Decimal("30")
    with db.session() as s:
        client_service.refresh_client_stats(s, [cid], today=TODAY + timedelta(days=100))
    assert client_row(db, cid).value_12m == Decimal("20")


def test_usual_gap_is_the_median(db):
    cid = new_client(db, "Anna", [(100, "1"), (90, "1"), (70, "1"), (10, "1")])
    assert client_row(db, cid).usual_gap_days == 20  # gaps 10, 20, 60


def test_usual_gap_needs_three_purchases(db):
    cid = new_client(db, "Anna", [(100, "1"), (40, "1")])
    c = client_row(db, cid)
    assert c.purchase_count == 2
    assert c.usual_gap_days is None


def test_usual_gap_cleared_when_purchases_removed(db):
    cid = new_client(db, "Anna", [(60, "1"), (30, "1"), (1, "1")])
    assert client_row(db, cid).usual_gap_days is not None
    data = load(db, cid)
    data.purchases = data.purchases[:1]
    save(db, data)
    assert client_row(db, cid).usual_gap_days is None
    assert client_row(db, cid).purchase_count == 1


def test_credit_is_not_a_purchase_visit(db):
    data = client_service.ClientData(name="Anna", purchases=[
        client_service.PurchaseData(purchased_on=days_ago(50), amount=Decimal("100")),
        client_service.PurchaseData(purchased_on=days_ago(5), amount=Decimal("-30"), is_credit=True)])
    cid = save(db, data)
    c = client_row(db, cid)
    assert c.purchase_count == 1
    assert c.last_purchase_on == days_ago(50)
    assert c.first_purchase_on == days_ago(50)


def test_stats_of_a_client_without_purchases(db):
    cid = new_client(db, "Anna")
    c = client_row(db, cid)
    assert (c.first_purchase_on, c.last_purchase_on, c.purchase_count, c.usual_gap_days) == (
        None, None, 0, None)
    assert c.value_12m == Decimal("0")


def test_refresh_all_clients_assigns_segments(db):
    rich = new_client(db, "Rich", [(10, "400"), (40, "300"), (70, "300")])
    once = new_client(db, "Once", [(10, "1000")])  # as much, but bought on one day
    poor = new_client(db, "Poor", [(10, "1")])
    none = new_client(db, "None")
    with db.session() as s:
        client_service.refresh_client_stats(s, None, today=TODAY)
    assert client_row(db, rich).segment == Segment.A
    assert client_row(db, once).segment == Segment.B
    assert client_row(db, poor).segment == Segment.C
    assert client_row(db, none).segment == Segment.C


def status_of(db, cid: int) -> str:
    with db.session() as s:
        return client_service.client_rows(s, [cid], RULES)[cid].status


@pytest.mark.parametrize("purchases,expected", [
    ([], ClientStatus.NEW),
    ([(10, "1")], ClientStatus.NEW),
    ([(40, "1"), (10, "1")], ClientStatus.NEW),
    ([(70, "1"), (40, "1"), (10, "1")], ClientStatus.ACTIVE),  # gap 30, 10 days since
    ([(120, "1"), (90, "1"), (60, "1")], ClientStatus.ACTIVE),  # 60 days = 2 x 30, not over
    ([(130, "1"), (100, "1"), (70, "1")], ClientStatus.AT_RISK),  # 70 days > 2 x 30
    ([(200, "1")], ClientStatus.AT_RISK),  # one purchase, long silence
    ([(500, "1"), (460, "1"), (420, "1"), (380, "1")], ClientStatus.LAPSED),
    ([(366, "1")], ClientStatus.LAPSED),
])
def test_status(db, purchases, expected):
    cid = new_client(db, "Anna", purchases)
    assert status_of(db, cid) == expected


def test_status_moves_with_today(db):
    cid = new_client(db, "Anna", [(70, "1"), (40, "1"), (10, "1")])
    later = client_service.StatusRules(today=TODAY + timedelta(days=60), new_until_purchases=3,
                           default_gap_days=90, gap_multiplier=Decimal(2),
                           lapsed_after_days=365)
    much_later = client_service.StatusRules(today=TODAY + timedelta(days=400), new_until_purchases=3,
                                default_gap_days=90, gap_multiplier=Decimal(2),
                                lapsed_after_days=365)
    with db.session() as s:
        assert client_service.client_rows(s, [cid], RULES)[cid].status == ClientStatus.ACTIVE
        assert client_service.client_rows(s, [cid], later)[cid].status == ClientStatus.AT_RISK
        assert client_service.client_rows(s, [cid], much_later)[cid].status == ClientStatus.LAPSED


def test_status_rules_from_settings_use_defaults(db):
    with db.session() as s:
        rules = client_service.StatusRules.from_settings(s, today=TODAY)
    assert rules == RULES


def test_an_override_of_the_group_needs_its_reason(db):
    data = client_service.ClientData(name="Olek", segment_override=Segment.A)
    with pytest.raises(ValidationError) as info:
        client_service.validate_client(data, "PL")
    assert [(e.field, e.code) for e in info.value.errors] == [
        ("segment_override_reason", "segment.override_reason_required")]
    data.segment_override_reason = "  Brings the whole family  "
    cid = save(db, data)
    with db.sessions() as s:
        got = client_service.load_client(s, cid)
    assert (got.segment_override, got.segment_override_reason) == (
        Segment.A, "Brings the whole family")
    got.segment_override = None  # automatic again: the reason goes with the override
    save(db, got)
    with db.sessions() as s:
        assert client_service.load_client(s, cid).segment_override_reason == ""
