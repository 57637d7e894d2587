"""What the user does on SQLite and on PostgreSQL gives the same rows and the same screens
(issue 17): the same cards saved, the same start of day, the same call logged from Today,
a client moved to the Trash, on both engines side by side, each step compared; a card
saved by two people at once refused on both; the search on the server without SQLite's
index."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.client_list import ClientColumn, ClientQuery, StatusRules
from app.db import open_database
from app.errors import ConflictError
from app.models import Client, Purchase
from app.models.enums import DateKind, Outcome, Tone
from app.services import calendar, calls, card, metrics, startup
from app.services import clients as client_service
from app.services.clients import ClientData, MembershipData, PersonalDateData, PurchaseData
from tests.conftest import empty_pg
from tests.engines import differences

TODAY = date.today()
NAMES = ["Zofia Łukasiewicz", "Ёлка Иванова", "Ana Núñez", "Gergana Петрова", "Jan Kowal",
         "Łucja Wróbel", "Pavel Černý", "Ewa Nowak", "Анна Каренина", "Oskar Żak"]


@pytest.fixture
def pair(tmp_path, pg_database):
    lite = open_database(tmp_path / "pair.sqlite")
    empty_pg(pg_database)
    yield lite, pg_database
    lite.close()


def _each(pair, write):
    """``write(session)`` on both engines; its two results."""
    out = []
    for database in pair:
        with database.session() as s:
            out.append(write(s))
    return out


def _same(pair, read):
    a, b = _each(pair, read)
    assert differences(a, b) == []
    return a


def _card(i: int) -> ClientData:
    day = TODAY - timedelta(days=400)
    buys = [PurchaseData(purchased_on=day + timedelta(days=37 * k + i),
                         amount=Decimal(f"{19 + 7 * i + k}.{(i * 13 + k) % 100:02d}"),
                         item=f"Usługa {k}") for k in range(i % 6 + (3 if i < 3 else 0))]
    if i == 4:
        buys.append(PurchaseData(purchased_on=TODAY - timedelta(days=10), is_credit=True,
                                 amount=Decimal("15.50"), item="Zwrot"))
    soon = TODAY + timedelta(days=3 + i)
    return ClientData(
        name=NAMES[i], phone=f"+48 601 23{i:02d} {10 + i:02d}"[:16],
        email=f"klient{i}@example.pl", tags=["stały", "VIP"][: i % 3],
        marketing_consent=i % 2 == 0, marketing_consent_on=TODAY if i % 2 == 0 else None,
        contact_from=time(9, 0) if i == 1 else None, contact_to=time(17, 0) if i == 1 else None,
        notes="Lubi herbatę — ☕" if i == 2 else "",
        dates=[PersonalDateData(kind=DateKind.BIRTHDAY, month=soon.month, day=soon.day,
                                year=1980 + i)] if i % 3 == 0 else [],
        memberships=[MembershipData(plan="Karnet", starts_on=TODAY - timedelta(days=25),
                                    ends_on=TODAY + timedelta(days=5),
                                    price=Decimal("199.00"))] if i == 5 else [],
        purchases=buys)


def _screens(s) -> dict:
    rules = StatusRules.from_settings(s, TODAY)
    ids = client_service.client_ids(s, ClientQuery(), rules, "PL")
    cards = [client_service.load_client(s, i) for i in ids]
    return {
        "list": {col: client_service.client_ids(s, ClientQuery(sort=col), rules, "PL")
                 for col in ClientColumn},
        "rows": client_service.client_rows(s, ids, rules),
        "cards": [dataclasses.replace(c, created_at=None) for c in cards],
        "today": calls.today_queue(s, TODAY),
        "counts": calls.today_counts(s, TODAY),
        "calendar": calendar.month_summary(s, TODAY.year, TODAY.month),
        "days": [calendar.day_items(s, TODAY + timedelta(days=n)) for n in range(3)],
        "charts": metrics.report(s, TODAY - timedelta(days=365), TODAY, metrics.By.MONTH,
                                 TODAY),
        "search": [client_service.client_ids(s, ClientQuery(text=t), rules, "PL")
                   for t in ("łuk", "ива", "601 23", "kowal", "нов")],
    }


def test_the_same_work_gives_the_same_screens(pair):
    ids = [_each(pair, lambda s, i=i: card.save_card(s, _card(i), "PL", today=TODAY))
           for i in range(len(NAMES))]
    assert all(a == b for a, b in ids)
    # a referral of a client added before by one added later
    _each(pair, lambda s: card.save_card(s, dataclasses.replace(
        client_service.load_client(s, 1), referred_by_id=ids[-1][0]), "PL", today=TODAY))
    _each(pair, lambda s: startup.start_of_day(s, TODAY))
    first = _same(pair, _screens)
    assert first["today"] and first["rows"] and first["search"][0]
    assert {r.status for r in first["rows"].values()} >= {"active", "new"}

    # a call logged from Today, the card edited, a client moved to the Trash
    row = first["today"][0]
    _each(pair, lambda s: calls.log_call(s, calls.CallLog(
        client_id=row.client_id, task_id=row.task_id, outcome=Outcome.MEETING_BOOKED,
        tone=Tone.POSITIVE, duration_seconds=125, note="Umówiona — środa",
        meeting_at=datetime.combine(TODAY + timedelta(days=1), time(15, 30))),
        now=datetime.combine(TODAY, time(10, 15))))

    def edit(s):
        data = client_service.load_client(s, ids[2][0])
        data.notes = "Zmienione: żółw"
        data.purchases.append(PurchaseData(purchased_on=TODAY, amount=Decimal("250.75")))
        return card.save_card(s, data, "PL", today=TODAY)

    _each(pair, edit)
    _each(pair, lambda s: client_service.soft_delete(s, [ids[3][0]]))
    after = _same(pair, _screens)
    assert row not in after["today"]
    assert after["counts"].logged == 1
    assert [i.what for i in after["days"][0]].count("done") == 1
    assert [i.what for i in after["days"][1]].count("meeting") == 1
    assert sum(d.meetings for d in after["calendar"].values()) >= (
        1 if (TODAY + timedelta(days=1)).month == TODAY.month else 0)
    with pair[1].session() as s:
        amounts = list(s.scalars(select(Purchase.amount).where(
            Purchase.client_id == ids[2][0]).order_by(Purchase.id)))
    assert amounts[-1] == Decimal("250.75") and all(isinstance(a, Decimal) for a in amounts)

    # the next day's start moves the same way on both
    _each(pair, lambda s: startup.start_of_day(s, TODAY + timedelta(days=1)))
    _same(pair, lambda s: calls.today_queue(s, TODAY + timedelta(days=1)))
    _same(pair, lambda s: [(c.id, c.segment, c.value_12m, c.next_due_on)
                           for c in s.scalars(select(Client).order_by(Client.id))])


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_two_people_saving_one_card_the_second_is_refused(kind, tmp_path, request):
    database = (open_database(tmp_path / "two.sqlite") if kind == "sqlite"
                else request.getfixturevalue("pg_database"))
    if kind == "postgresql":
        empty_pg(database)
    try:
        with database.session() as s:
            cid = client_service.save_client(s, ClientData(name="Ola Wspólna"), region="PL")
        with database.session() as s:
            desk = client_service.load_client(s, cid)
        with database.session() as s:
            office = client_service.load_client(s, cid)
        office.notes = "z biura"
        with database.session() as s:
            client_service.save_client(s, office, region="PL")
        desk.notes = "z recepcji"
        with pytest.raises(ConflictError) as info, database.session() as s:
            client_service.save_client(s, desk, region="PL")
        assert info.value.code == "client.changed"
        with database.session() as s:
            assert client_service.load_client(s, cid).notes == "z biura"
    finally:
        if kind == "sqlite":
            database.close()


def test_erasing_a_client_masks_them_everywhere_on_both(pair):
    ids = [_each(pair, lambda s, i=i: card.save_card(s, _card(i), "PL", today=TODAY))[0]
           for i in range(4)]

    def mention(s):  # another client's note and a call's note name the person
        data = client_service.load_client(s, ids[1])
        data.notes = "Poleciła ją Zofia Łukasiewicz (tel. 601 23 00 10)"
        card.save_card(s, data, "PL", today=TODAY)

    _each(pair, mention)
    assert "Łukasiewicz" in _same(pair, lambda s: client_service.load_client(s, ids[1]).notes)
    _each(pair, lambda s: startup.start_of_day(s, TODAY))
    from app.services import erasure
    _each(pair, lambda s: erasure.erase_client(s, ids[0], datetime.combine(TODAY, time(12))))
    after = _same(pair, _screens)
    notes = after["cards"][[c.id for c in after["cards"]].index(ids[1])].notes
    assert "Łukasiewicz" not in notes and "Zofia" not in notes
    gone = [c for c in after["cards"] if c.id == ids[0]]
    assert gone and gone[0].name == f"#{ids[0]}" and gone[0].phone == ""
    assert all(r.client_id != ids[0] for r in after["today"])
    rows = _same(pair, lambda s: [(c.id, c.name, c.notes, c.version, c.erased_at)
                                  for c in s.scalars(select(Client).order_by(Client.id))])
    assert rows[1][3] >= 3  # the masked note moved the card's version: a stale card is refused


def test_importing_files_gives_the_same_rows_on_both(pair, tmp_path):
    from app.services import imports
    from app.services.io import importer
    clients = tmp_path / "klienci.csv"
    clients.write_text("Imię i nazwisko;Telefon;E-mail;Karta\n"
                       "Zofia Łukasiewicz;601 234 567;zofia@example.pl;K-1\n"
                       "Jan Kot;602 345 678;jan@example.pl;K-2\n"
                       "Ёлка Иванова;603 456 789;;K-3\n", encoding="utf-8")
    purchases = tmp_path / "zakupy.csv"
    purchases.write_text("Karta;Data;Kwota;Towar\n"
                         f"K-1;{(TODAY - timedelta(days=40)):%d.%m.%Y};12,50;Kawa\n"
                         f"K-2;{(TODAY - timedelta(days=9)):%d.%m.%Y};1099,99;Ekspres\n"
                         f"K-1;{(TODAY - timedelta(days=3)):%d.%m.%Y};5;Herbata\n"
                         f"K-9;{TODAY:%d.%m.%Y};7,77;Nikt\n", encoding="utf-8")

    def run(path, kind):
        def write(s):
            table = importer.read_table(path)
            mapping = importer.guess_mapping(table.headers, kind)
            plan = importer.plan_import(s, table, mapping, kind, "PL")
            return imports.import_plan(s, None, table, kind, mapping, plan, "PL",
                                       today=TODAY, backup=False).report
        return write

    reports = _each(pair, run(clients, "clients"))
    assert reports[0] == reports[1] and reports[0].created == 3
    reports = _each(pair, run(purchases, "purchases"))
    assert reports[0] == reports[1] and reports[0].purchases == 3
    again = _each(pair, run(purchases, "purchases"))  # the same file adds nothing twice
    assert again[0] == again[1] and again[0].purchases == 0
    rows = _same(pair, lambda s: [(p.client_id, p.purchased_on, p.amount, p.item,
                                   p.import_key) for p in s.scalars(
                                       select(Purchase).order_by(Purchase.id))])
    assert [r[2] for r in rows] == [Decimal("12.50"), Decimal("1099.99"), Decimal("5.00")]
    _same(pair, _screens)


def test_a_purchases_file_of_unknown_clients_only_is_skipped_not_failed(any_db, tmp_path):
    """Every row names a client ClientCare does not know (and none is to be made): the
    import skips them and says so. It failed with a database error before (an empty
    batch given to the Charts figures' note of the lines written)."""
    from app.services import imports
    from app.services.io import importer
    path = tmp_path / "zakupy.csv"
    path.write_text("Karta;Data;Kwota\nK-9;01.11.2026;7,77\nK-8;02.11.2026;3\n",
                    encoding="utf-8")
    table = importer.read_table(path)
    mapping = importer.guess_mapping(table.headers, "purchases")
    with any_db.session() as s:
        plan = importer.plan_import(s, table, mapping, "purchases", "PL")
        report = imports.import_plan(s, any_db.path, table, "purchases", mapping, plan,
                                     "PL", backup=False).report
    assert (report.purchases, report.unknown_skipped) == (0, 2)
    with any_db.session() as s:
        assert s.scalars(select(Purchase)).first() is None
