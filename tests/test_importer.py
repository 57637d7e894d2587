"""Import of clients and purchases (app/services/io/importer.py): reading CSV, XLSX and
vCard files, guessing the mapping, parsing values, planning and applying an import.
Every sample file is built here in tmp_path."""

from __future__ import annotations

import csv
import io
import quopri
import time
import tracemalloc
import unicodedata
import zipfile
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from app.errors import DomainError
from app.models import Client, PersonalDate, Purchase
from app.services import clients as client_service
from app.services.io import importer
from app.services.io.export import erase_client, export_table, merge_clients
from app.services.io.importer import (
    PURCHASE_FIELDS,
    apply_import,
    guess_mapping,
    parse_birthday,
    parse_date,
    parse_decimal_text,
    parse_vcards,
    plan_import,
    predict_report,
    read_table,
    remember_mapping,
    remembered_mapping,
)

REGION = "PL"
TODAY = date.today()


def write(tmp_path: Path, text: str, name: str = "data.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def plan_of(db, table, kind: str = "clients", mapping: dict[int, str] | None = None):
    with db.session() as s:
        return plan_import(s, table, mapping or guess_mapping(table.headers, kind), kind, REGION)


def run_import(db, table, kind: str = "clients", **options):
    with db.session() as s:
        plan = plan_import(s, table, guess_mapping(table.headers, kind), kind, REGION)
        return plan, apply_import(s, plan, REGION, **options)


def client_by(s, **where) -> Client:
    return s.scalars(select(Client).filter_by(**where)).one()


def xlsx(tmp_path: Path, *rows: list, name: str = "data.xlsx") -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / name)
    return tmp_path / name


def code_of(function, *args) -> str:  # the code of the DomainError it raises
    with pytest.raises(DomainError) as err:
        function(*args)
    return err.value.code


# --------------------------------------------------------------------------- read_table: CSV

@pytest.mark.parametrize("encoding, names", [
    ("utf-8", ["Zażółć Gęślą", "Иванова Анна", "Йорданка Жечева"]),
    ("utf-8-sig", ["Łukasz Świątek", "Щастлива Ъгълова"]),
    ("cp1251", ["Иванова Анна Сергеевна", "Фёдор Жуков", "Йорданка Жечева", "Щастлива Ъгълова"]),
    ("cp1250", ["Zażółć gęślą jaźń", "Łukasz Świątek", "Żaneta Źródłowska"])])
def test_read_table_finds_the_encoding_and_keeps_the_text(tmp_path, encoding, names):
    text = "Name;Notes\r\n" + "".join(f"{n};{n}, ok\r\n" for n in names)
    table = read_table(write(tmp_path, text, encoding=encoding))
    assert table.headers == ["Name", "Notes"]  # a BOM never sticks to the first heading
    assert table.rows == [[n, f"{n}, ok"] for n in names]


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_read_table_detects_the_delimiter_and_reads_quoted_fields(tmp_path, delimiter):
    rows = [["Name", "Phone", "Notes"],
            ["Anna Kowalska", "601 234 567", f"likes tea{delimiter} not coffee"],
            ["Jan Nowak", "602 345 678", "first line\nsecond line"],
            ["Ewa \"Lisek\" Lis", "", 'said "hello"']]
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    table = read_table(write(tmp_path, buf.getvalue()))
    assert (table.delimiter, table.headers, table.rows) == (delimiter, rows[0], rows[1:])


def test_blank_rows_are_skipped_but_row_numbers_are_the_spreadsheets(db, tmp_path):
    text = "Name;Phone\nAnna;601 234 567\n\n;\nJan;12\n \n  ;  \nEwa;603 456 789\n"
    table = read_table(write(tmp_path, text))
    assert table.numbers == [2, 5, 8]
    plan = plan_of(db, table)
    assert plan.problems == []
    assert [(p.row, p.column, p.code, p.value) for p in plan.unchecked_phones] == [
        (5, "Phone", "phone.unchecked", "12")]
    assert [c.row for c in plan.clients] == [2, 5, 8]


def test_read_table_xlsx_clients_and_purchases_keep_dates_and_numbers(db, tmp_path):
    table = read_table(xlsx(tmp_path, ["Name", "Phone", "Birthday", "Card", "Notes"],
                            ["Anna Kowalska", 601234567, datetime(1985, 5, 21), 1001, None],
                            [None] * 5, ["Jan Nowak", None, None, "K-2", "VIP"]))
    assert table.source == "xlsx" and table.numbers == [2, 4]
    assert table.rows == [["Anna Kowalska", 601234567, datetime(1985, 5, 21), 1001, ""],
                          ["Jan Nowak", "", "", "K-2", "VIP"]]
    plan, _report = run_import(db, table)
    a, j = plan.clients
    assert (a.phone, a.birthday, a.card_number) == ("+48601234567", (5, 21, 1985), "1001")
    assert (j.phone, j.birthday, j.card_number, j.notes) == (None, None, "K-2", "VIP")
    path = xlsx(tmp_path, ["Phone", "Date", "Amount", "Qty"],
                [48601234567, datetime(2024, 3, 5), 12.5, 2], name="sales.xlsx")
    plan = plan_of(db, read_table(path), "purchases")
    assert not plan.problems and not plan.unknown_clients
    assert [(p.purchased_on, p.amount, p.quantity) for p in plan.purchases] == [
        (date(2024, 3, 5), Decimal("12.50"), Decimal("2.00"))]


# --------------------------------------------------------------------------- read_table: vCard

def _qp(text: str, charset: str) -> str:
    return quopri.encodestring(text.encode(charset)).decode("ascii").replace("\n", "\r\n")


def test_vcards_of_all_versions_in_one_file(db, tmp_path):
    long_note = "Zażółć gęślą jaźń, " * 5
    qp = "CHARSET=windows-1250;ENCODING=QUOTED-PRINTABLE"
    cards = (
        f"BEGIN:VCARD\r\nVERSION:2.1\r\nN;{qp}:{_qp('Świątek;Łukasz', 'cp1250')}\r\n"
        f"FN;{qp}:{_qp('Łukasz Świątek', 'cp1250')}\r\nTEL;CELL;VOICE:601234567\r\n"
        f"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(long_note, 'utf-8')}\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Maria Kow\r\n alska\r\n"
        "TEL;TYPE=CELL,VOICE:+48 602 345\r\n  678\r\n"
        "EMAIL;TYPE=INTERNET;TYPE=HOME:anna@mail.pl\r\nBDAY:1985-05-21\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Иванова;Анна;;;\r\n"
        'TEL;VALUE=uri;TYPE="cell,voice":tel:+7-916-123-45-67\r\n'
        "EMAIL:ivanova@mail.ru\r\nBDAY:--0521\r\nEND:VCARD\r\n")
    assert "=\r\n" in cards  # the long QUOTED-PRINTABLE note has soft line breaks
    table = read_table(write(tmp_path, cards, "contacts.vcf"))
    assert (table.source, table.headers) == ("vcard", ["name", "phone", "email", "birthday",
                                                       "notes"])
    assert table.rows == [
        ["Łukasz Świątek", "601234567", "", "", long_note.strip()],
        ["Anna Maria Kowalska", "+48 602 345 678", "anna@mail.pl", "1985-05-21", ""],
        ["Анна Иванова", "+7-916-123-45-67", "ivanova@mail.ru", "--0521", ""]]
    plan = plan_of(db, table)
    assert not plan.problems
    assert [(c.phone, c.birthday) for c in plan.clients] == [
        ("+48601234567", None), ("+48602345678", (5, 21, 1985)), ("+79161234567", (5, 21, None))]


@pytest.mark.parametrize("name, content, code", [
    ("empty.csv", b"", "import.empty"), ("blank.csv", b"  \r\n\r\n ;; \r\n", "import.empty"),
    ("bom.csv", b"\xef\xbb\xbf", "import.empty"), ("empty.vcf", b"", "import.empty"),
    ("empty.xlsx", "workbook", "import.empty"), ("gone.csv", None, "import.missing"),
    ("gone.xlsx", None, "import.missing"), ("gone.vcf", None, "import.missing")])
def test_read_table_refuses_empty_and_missing_files(tmp_path, name, content, code):
    if content == "workbook":
        xlsx(tmp_path, name=name)
    elif content is not None:
        (tmp_path / name).write_bytes(content)
    assert code_of(read_table, tmp_path / name) == code


# --------------------------------------------------------------------------- mapping

CONTACT = ["phone", "email", "birthday", "card_number", "notes", "marketing_consent"]


@pytest.mark.parametrize("kind, headers, expected", [
    ("clients", ["First name", "Last name", "Phone:", "E-mail", "Birthday", "Card number",
                 "Notes", "Marketing consent", "Source", "Tags"],
     ["first_name", "last_name", *CONTACT, "source_channel", "tags"]),
    ("clients", ["Imię", "Nazwisko", "Telefon", "Adres e-mail", "Data urodzenia",
                 "Numer karty", "Uwagi", "Zgoda"], ["first_name", "last_name", *CONTACT]),
    ("clients", ["ФИО", "Телефон", "Эл. почта", "Дата рождения", "Номер карты",
                 "Комментарий", "Согласие"], ["name", *CONTACT]),
    ("clients", ["Име и фамилия", "Мобилен", "Имейл", "Дата на раждане", "Номер на карта",
                 "Бележки", "Съгласие"], ["name", *CONTACT]),
    ("purchases", ["Card number", "Phone", "Email", "Customer", "Date", "Amount", "Item",
                   "Qty", "Note"], list(PURCHASE_FIELDS)),
    ("purchases", ["Numer karty", "Telefon", "E-mail", "Klient", "Data zakupu", "Kwota",
                   "Usługa", "Ilość", "Uwagi"], list(PURCHASE_FIELDS)),
    ("purchases", ["Номер карты", "Телефон", "Почта", "Клиент", "Дата покупки", "Сумма",
                   "Товар", "Кол-во", "Комментарий"], list(PURCHASE_FIELDS)),
    ("purchases", ["Номер на карта", "Телефон", "Имейл", "Клиент", "Дата", "Сума", "Услуга",
                   "Количество", "Бележка"], list(PURCHASE_FIELDS)),
])
def test_guess_mapping_in_four_languages(kind, headers, expected):
    assert guess_mapping(headers, kind) == dict(enumerate(expected))


def test_guess_mapping_uses_each_field_once():
    got = guess_mapping(["Phone", "Telefon", "Mobile", "Name", "Klient", "Notes", "Uwagi", "X"],
                        "clients")
    assert got == {0: "phone", 3: "name", 5: "notes"}
    got = guess_mapping(["Date", "Data", "Amount", "Kwota", "Note", "Notes"], "purchases")
    assert sorted(got.values()) == ["amount", "date", "note"]


@pytest.mark.parametrize("text, name", [
    ("Фамилия;Имя;Телефон\nИванова;Анна;601234567", "Анна Иванова"),
    ("Име;Фамилия\nЙорданка;Жечева", "Йорданка Жечева"),
    ("Imię;Nazwisko\nAnna;Kowalska", "Anna Kowalska"),
    ("First name;Last name;Phone\nAnna;Kowalska;601234567", "Anna Kowalska")])
def test_first_and_last_name_columns_are_joined(db, tmp_path, text, name):
    (client,) = plan_of(db, read_table(write(tmp_path, text + "\n"))).clients
    assert client.name == name


def test_remembered_mapping_is_keyed_by_layout_and_kind(db, tmp_path):
    table = read_table(write(tmp_path, "Kto;Tel;Mail\nAnna;601234567;a@mail.pl\n"))
    other = read_table(write(tmp_path, "Kto;Tel\nAnna;601234567\n", "other.csv"))
    same_layout = read_table(write(tmp_path, "KTO;TEL;MAIL\nJan;602345678;\n", "again.csv"))
    mapping = {0: "name", 1: "phone", 2: "email"}
    with db.session() as s:
        assert remembered_mapping(s, table, "clients") is None
        remember_mapping(s, table, "clients", mapping)
    with db.session() as s:
        assert remembered_mapping(s, table, "clients") == mapping
        assert remembered_mapping(s, same_layout, "clients") == mapping
        assert remembered_mapping(s, table, "purchases") is None
        assert remembered_mapping(s, other, "clients") is None


# --------------------------------------------------------------------------- parsing values

@pytest.mark.parametrize("value, expected", [
    ("21.05.2024", date(2024, 5, 21)), ("21/05/2024", date(2024, 5, 21)),
    ("2024-05-21", date(2024, 5, 21)), ("2024-05-21T10:30:00", date(2024, 5, 21)),
    (" 1.2.2024 ", date(2024, 2, 1)), (datetime(2024, 5, 21, 10, 30), date(2024, 5, 21)),
    (date(2024, 5, 21), date(2024, 5, 21)), ("31.02.2024", "date.invalid"),
    ("2024-13-01", "date.invalid"), ("hello", "date.invalid"), ("", "date.invalid"),
    ("21.05.1850", "date.invalid"), ("21.05", "date.invalid"), ("12,50", "date.invalid")])
def test_parse_date(value, expected):
    if isinstance(expected, str):
        assert code_of(parse_date, value) == expected
    else:
        assert parse_date(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("21.05.1985", (5, 21, 1985)), ("1985-05-21", (5, 21, 1985)),
    (date(1985, 5, 21), (5, 21, 1985)), (datetime(1985, 5, 21), (5, 21, 1985)),
    ("--0521", (5, 21, None)), ("--05-21", (5, 21, None)), ("21.05", (5, 21, None)),
    ("21.05.", (5, 21, None)), ("--0229", (2, 29, None)), ("29.02", (2, 29, None)),
    ("--0230", "date.invalid"), ("--1301", "date.invalid"), ("30.02", "date.invalid"),
    ("29.02.2001", "date.invalid"), ("someday", "date.invalid")])
def test_parse_birthday(value, expected):
    if isinstance(expected, str):
        assert code_of(parse_birthday, value) == expected
    else:
        assert parse_birthday(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("12,50", "12.50"), ("1 234,50", "1234.50"), ("1\u00a0234,50", "1234.50"),
    ("1,234.50", "1234.50"), ("1.234,50", "1234.50"), ("12.5 zł", "12.50"), ("12", "12.00"),
    ("99,90 лв.", "99.90"), (12.5, "12.50"), (7, "7.00"), (Decimal("3.1"), "3.10"),
    ("abc", "amount.invalid"), ("12,50,1", "amount.invalid"), ("1.2.3", "amount.invalid"),
    ("-5", "amount.negative"), ("-5,00 zł", "amount.negative"), (-3.5, "amount.negative")])
def test_parse_decimal_text(value, expected):
    if expected.startswith("amount."):
        assert code_of(parse_decimal_text, value) == expected
    else:
        assert parse_decimal_text(value) == Decimal(expected)


# --------------------------------------------------------------------------- planning clients

def test_plan_reports_every_rejected_row_once_per_problem(db, tmp_path):
    text = ("Imię;Nazwisko;Telefon;E-mail;Data urodzenia\n"
            "Anna;Kowalska;601 234 567;anna@mail.pl;21.05.1985\nJan;Nowak;12;jan@mail.pl;\n"
            "Ewa;Lis;;ewa(at)mail.pl;\nOlga;Nowak;;;31.02.1990\n"
            ";;602 345 678;;\n;;000;bad@;xx\n")
    plan = plan_of(db, read_table(write(tmp_path, text)))
    # a phone that is not a number of the country costs the client nothing: kept to check
    assert [(c.row, c.name, c.phone_unchecked) for c in plan.clients] == [
        (2, "Anna Kowalska", None), (3, "Jan Nowak", "12")]
    got = [(p.row, p.column, p.code, p.value) for p in plan.problems if p.code != "name.required"]
    assert sorted(got) == sorted([
        (4, "E-mail", "email.invalid", "ewa(at)mail.pl"),
        (5, "Data urodzenia", "date.invalid", "31.02.1990"),
        (7, "E-mail", "email.invalid", "bad@"), (7, "Data urodzenia", "date.invalid", "xx")])
    assert sorted(p.row for p in plan.problems if p.code == "name.required") == [6, 7]


@pytest.mark.parametrize("email", ["jan..nowak@mail.pl", "jan@host.test", "jan@mail.pl."])
def test_plan_rejects_emails_that_saving_would_refuse(db, tmp_path, email):
    """A row the plan accepts must not make the whole import fail when it is written."""
    plan = plan_of(db, read_table(write(tmp_path, f"Name;E-mail\nJan Nowak;{email}\n")))
    assert [(p.row, p.code) for p in plan.problems] == [(2, "email.invalid")]


def test_plan_finds_duplicates_of_clients_and_within_the_file(db, make_client, tmp_path):
    anna = make_client("Anna Kowalska", phone="601 234 567")
    jan = make_client("Jan Nowak", email="Jan.Nowak@Poczta.pl")
    piotr = make_client("Piotr Zieliński", external_ref="K-7")
    text = ("Name;Phone;E-mail;Card\n"
            "Anna K.;+48 601-234-567;;\n"         # 2: phone in another format
            "Ania;0048601234567;;\n"              # 3: and another
            "J. Nowak;;JAN.NOWAK@poczta.PL;\n"    # 4: e-mail in another case
            "P. Zieliński;;;K-7\n"                # 5: card number
            "Ola;512 345 678;ola@mail.pl;\n"      # 6: new
            "Ola Lis;+48512345678;;\n"            # 7: same phone as row 6
            "Aleksandra;;OLA@MAIL.PL;\n"          # 8: same e-mail as row 6
            "Ewa;;;\n")                           # 9: new
    plan = plan_of(db, read_table(write(tmp_path, text)))
    dups = {(d.row, d.client_id, d.by) for d in plan.duplicates}
    assert dups == {(2, anna, "phone"), (3, anna, "phone"), (4, jan, "email"),
                    (5, piotr, "card"), (7, None, "phone"), (8, None, "email")}
    assert len(plan.clients) == 8 and not plan.problems


# --------------------------------------------------------------------------- applying clients

def test_apply_creates_clients_with_birthdays_and_consent(db, tmp_path):
    text = ("Name;Phone;Birthday;Consent;Tags\n"
            "Anna Kowalska;601 234 567;21.05.1985;tak;stała, VIP\n"
            "Иван Петров;602 345 678;--0229;да;\nJohn Smith;;29.02;yes;\n"
            "Ewa Lis;;;1;\nOla Nowak;;;nie;\nPiotr Zieliński;;;;\n")
    _plan, report = run_import(db, read_table(write(tmp_path, text)))
    assert (report.created, report.skipped, report.merged) == (6, 0, 0)
    with db.session() as s:
        consenting = {c.name: c.marketing_consent_on
                      for c in s.scalars(select(Client)) if c.marketing_consent}
        assert consenting == {"Anna Kowalska": TODAY, "Иван Петров": TODAY,
                              "John Smith": TODAY, "Ewa Lis": TODAY}  # not "nie", not empty
        dates = {(d.client.name, d.month, d.day, d.year) for d in s.scalars(select(PersonalDate))}
        assert dates == {("Anna Kowalska", 5, 21, 1985), ("Иван Петров", 2, 29, None),
                         ("John Smith", 2, 29, None)}
        anna = client_by(s, name="Anna Kowalska")
        assert anna.phone == "+48601234567" and {t.name for t in anna.tags} == {"stała", "VIP"}


def test_duplicates_are_skipped_by_default_or_created_anew(db, make_client, tmp_path):
    make_client("Anna Kowalska", phone="601 234 567")
    path = write(tmp_path, "Name;Phone\nAnna K.;+48 601 234 567\nJan Nowak;602 345 678\n")
    _plan, report = run_import(db, read_table(path))
    assert (report.created, report.skipped) == (1, 1)
    _plan, report = run_import(db, read_table(path), duplicates={2: "new", 3: "new"})
    assert (report.created, report.skipped) == (2, 0)
    with db.session() as s:
        phones = s.scalars(select(Client.phone).order_by(Client.id)).all()
    assert phones == ["+48601234567", "+48602345678", "+48601234567", "+48602345678"]


def test_merge_fills_only_empty_fields(db, make_client, tmp_path):
    anna = make_client("Anna Kowalska", phone="601 234 567", notes="stała klientka")
    jan = make_client("Jan Nowak", phone="602 345 678", email="jan@poczta.pl",
                      external_ref="J-1", notes="")
    text = ("Name;Phone;E-mail;Card;Notes;Birthday\n"
            "Anna K.;+48 601-234-567;anna@mail.pl;K-1;VIP;21.05.1985\n"
            "J. N.;603 456 789;JAN@POCZTA.PL;J-2;;\n")
    _plan, report = run_import(db, read_table(write(tmp_path, text)),
                               duplicates={2: "merge", 3: "merge"})
    assert (report.created, report.merged) == (0, 2)
    with db.session() as s:
        a, j = s.get(Client, anna), s.get(Client, jan)
        assert (a.name, a.phone, a.email, a.external_ref) == (
            "Anna Kowalska", "+48601234567", "anna@mail.pl", "K-1")
        assert a.notes.startswith("stała klientka") and "VIP" in a.notes
        assert [(d.month, d.day, d.year) for d in a.personal_dates] == [(5, 21, 1985)]
        assert (j.name, j.phone, j.email, j.external_ref) == (
            "Jan Nowak", "+48602345678", "jan@poczta.pl", "J-1")


def test_merged_client_is_found_by_the_filled_in_card_and_email(db, make_client, tmp_path):
    anna = make_client("Anna Kowalska", phone="601 234 567")
    text = "Name;Phone;E-mail;Card\nAnna;601234567;anna@mail.pl;KX-501\n"
    run_import(db, read_table(write(tmp_path, text)), duplicates={2: "merge"})
    with db.session() as s:
        rules = client_service.StatusRules.from_settings(s)
        for needle in ("KX-501", "anna@mail.pl"):
            assert client_service.client_ids(s, client_service.ClientQuery(text=needle), rules, REGION) == [anna]


def test_apply_is_all_or_nothing(db, make_client, tmp_path, monkeypatch):
    anna = make_client("Anna Kowalska", phone="601 234 567")
    table = read_table(write(tmp_path, "Name;Phone;E-mail;Birthday\n"
                             "Anna K.;601234567;anna@mail.pl;21.05.1985\nJan Nowak;602 345 678;;\n"
                             "Ewa Lis;603 456 789;;01.01.1990\nOla;;;\n"))
    real, calls = client_service.client_columns, []

    def fails_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    # the importer's own name for it (imported at the top of app/services/io/importer.py):
    # the columns of each new client's row, made while the write pass runs
    monkeypatch.setattr(importer, "client_columns", fails_on_second)
    with pytest.raises(RuntimeError, match="disk full"):
        run_import(db, table, duplicates={2: "merge"})  # inside one `with db.session()`
    with db.session() as s:
        assert s.scalars(select(Client.id)).all() == [anna]
        assert s.get(Client, anna).email is None
        assert s.scalar(select(func.count(PersonalDate.id))) == 0


# --------------------------------------------------------------------------- purchases

def _purchases_file(tmp_path: Path) -> Path:
    d1, d2, d3 = (f"{TODAY - timedelta(days=n):%d.%m.%Y}" for n in (10, 40, 400))
    return write(tmp_path, (
        "Numer karty;Telefon;E-mail;Klient;Data;Kwota;Usługa\n"
        f"K-1;;;;{d1};12,50;Strzyżenie\n"                       # 2: by card
        f";+48 602-345-678;;;{d2};1 234,50;Farbowanie\n"         # 3: by phone, another format
        f";;JAN@POCZTA.PL;;{d3};99;Manicure\n"                   # 4: by e-mail, another case
        f"990011;;;Nowa Klientka;{d1};10,00;Pedicure\n"          # 5: unknown card
        f";603 456 789;;Piotr;{d1};20;Masaż\n"                   # 6: unknown phone
        f";;ola@mail.pl;;{d1};5,5;Krem\n"                        # 7: unknown e-mail
        f"K-1;;;;{TODAY + timedelta(days=3):%d.%m.%Y};5;x\n"    # 8: in the future
        f"K-1;;;;{d1};-5;x\n"), encoding="cp1250")               # 9: negative


@pytest.fixture
def shop(make_client):
    return {"anna": make_client("Anna Kowalska", external_ref="K-1"),
            "ewa": make_client("Ewa Lis", phone="602 345 678"),
            "jan": make_client("Jan Nowak", email="jan@poczta.pl")}


def test_purchases_are_matched_and_unknown_clients_skipped(db, shop, tmp_path):
    plan, report = run_import(db, read_table(_purchases_file(tmp_path)), "purchases")
    assert [p.row for p in plan.purchases] == [2, 3, 4, 5, 6, 7]
    assert plan.unknown_clients == [5, 6, 7]
    assert [(p.row, p.column, p.code) for p in plan.problems] == [
        (8, "Data", "date.future"), (9, "Kwota", "amount.negative")]
    assert (report.purchases, report.unknown_skipped, report.created) == (3, 3, 0)
    with db.session() as s:
        got = {(p.client_id, p.amount, p.item) for p in s.scalars(select(Purchase))}
        assert got == {(shop["anna"], Decimal("12.50"), "Strzyżenie"),
                       (shop["ewa"], Decimal("1234.50"), "Farbowanie"),
                       (shop["jan"], Decimal("99.00"), "Manicure")}
        stats = {c.id: (c.purchase_count, c.value_12m) for c in s.scalars(select(Client))}
        assert stats == {shop["anna"]: (1, Decimal("12.50")),
                         shop["ewa"]: (1, Decimal("1234.50")), shop["jan"]: (1, Decimal(0))}


def test_unknown_clients_are_created_and_a_reimport_adds_nothing(db, shop, tmp_path):
    path = _purchases_file(tmp_path)
    _plan, report = run_import(db, read_table(path), "purchases", create_unknown=True)
    assert (report.purchases, report.created, report.unknown_skipped) == (6, 3, 0)
    with db.session() as s:
        card, phone, mail = (client_by(s, external_ref="990011"),
                             client_by(s, phone="+48603456789"), client_by(s, email="ola@mail.pl"))
        assert (card.name, phone.name) == ("Nowa Klientka", "Piotr")
        assert [(c.purchase_count, c.value_12m) for c in (card, phone, mail)] == [
            (1, Decimal("10.00")), (1, Decimal("20.00")), (1, Decimal("5.50"))]
    plan, report = run_import(db, read_table(path), "purchases", create_unknown=True)
    assert plan.already_imported == [2, 3, 4, 5, 6, 7]
    assert (report.purchases, report.created, report.already_imported) == (0, 0, 6)
    with db.session() as s:
        assert s.scalar(select(func.count(Purchase.id))) == 6
        assert s.scalar(select(func.count(Client.id))) == 6
        assert client_by(s, id=shop["ewa"]).purchase_count == 1


def test_created_client_keeps_the_card_number_as_written(db, tmp_path):
    text = f"Card;Customer;Date;Amount\nKX-77a;Ola Lis;{TODAY:%d.%m.%Y};10\n"
    run_import(db, read_table(write(tmp_path, text)), "purchases", create_unknown=True)
    with db.session() as s:
        assert s.scalars(select(Client.external_ref)).all() == ["KX-77a"]


def test_purchase_with_a_new_card_is_matched_by_the_known_phone(db, make_client, tmp_path):
    ewa = make_client("Ewa Lis", phone="602 345 678")
    text = f"Card;Phone;Date;Amount\nK-5;602345678;{TODAY:%d.%m.%Y};10\n"
    plan, report = run_import(db, read_table(write(tmp_path, text)), "purchases",
                              create_unknown=True)
    assert plan.unknown_clients == [] and report.created == 0
    with db.session() as s:
        assert s.scalars(select(Purchase.client_id)).all() == [ewa]


# --------------------------------------------------------------------------- properties

SPECIAL = list(';,\t|"\'\n\r ąćęłńóśźżĄŁŚŻабвгдеёжийъьюяЖЩЯ.-+@/:')
free_text = st.text(st.sampled_from(SPECIAL) | st.characters(blacklist_categories=("Cs",)),
                    max_size=14)
amounts = st.decimals(min_value=-10**4, max_value=10**11, places=2).map(
    lambda d: str(d).replace(".", ",")) | st.sampled_from(["1 234,50", "1.234,50", "12.5 zł"])
dates = st.tuples(st.dates(date(1890, 1, 1), date(2110, 1, 1)),
                  st.sampled_from(["%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "--%m%d", "%d.%m"])
                  ).map(lambda t: t[0].strftime(t[1]))
phones = st.from_regex(r"(\+48 ?|0048)?[5-8]\d\d[ -]?\d{3}[ -]?\d{3}", fullmatch=True)
cells = st.one_of(free_text, amounts, dates, phones, st.just(""),
                  st.sampled_from(["K-1", "tak", "да", "a@b.pl", "A@B.PL"]))
PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
HEADINGS = {"clients": ["Name", "Phone", "E-mail", "Birthday", "Card", "Consent"],
            "purchases": ["Card", "Phone", "E-mail", "Date", "Amount", "Qty", "Item"]}


@PROPERTY
@given(kind=st.sampled_from(["clients", "purchases"]),
       delimiter=st.sampled_from([";", ",", "\t", "|"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251", "cp1250"]),
       rows=st.lists(st.lists(cells, max_size=8), min_size=1, max_size=12))
def test_every_csv_row_is_planned_or_reported(db, tmp_path, kind, delimiter, encoding, rows):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows([HEADINGS[kind], *rows])
    path = tmp_path / "random.csv"
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
    try:
        table = read_table(path)
    except DomainError:
        return
    assert len(table.numbers) == len(table.rows)
    assert table.numbers == sorted(set(table.numbers)) and min(table.numbers, default=2) >= 2
    plan = plan_of(db, table, kind, guess_mapping(HEADINGS[kind], kind))
    accepted = {r.row for r in [*plan.clients, *plan.purchases]}
    rejected = {p.row for p in plan.problems}
    assert not accepted & rejected and not accepted & set(plan.already_imported)
    assert accepted | rejected | set(plan.already_imported) == set(table.numbers)


vprops = st.sampled_from(["FN", "N", "TEL", "EMAIL", "BDAY", "NOTE", "item1.TEL", "X-A",
                          "BEGIN", "END", "VERSION"])
vparams = st.lists(st.sampled_from(["TYPE=CELL", "CHARSET=UTF-8", "CHARSET=windows-1250",
                                    "CHARSET=bogus", "CHARSET=", "ENCODING=QUOTED-PRINTABLE",
                                    "VALUE=uri", 'TYPE="cell,voice"', "PREF"]), max_size=3)
vvalues = free_text | st.sampled_from(["--0521", "--0230", "=C5=81ukasz", "tel:+48601234567",
                                       "Kowalska;Anna;;;", "=", "=ZZ=", "VCARD", "21.05"])

vlines = st.builds(lambda prop, params, value: ";".join([prop, *params]) + ":" + value,
                   vprops, vparams, vvalues)
vlines = st.tuples(vlines, st.integers(0, 20)).map(  # folded at a random place, or not
    lambda t: t[0][:t[1]] + "\r\n " + t[0][t[1]:] if t[1] else t[0])
vcards = st.lists(st.lists(vlines, max_size=6).map(
    lambda ls: "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "\r\n".join(ls) + "\r\nEND:VCARD\r\n"),
    max_size=4).map("".join)


@PROPERTY
@given(text=st.one_of(st.text(), vcards, st.tuples(vcards, st.text()).map("".join)))
def test_random_vcards_never_crash(db, tmp_path, text):
    try:
        cards = parse_vcards(text)
    except DomainError as exc:  # a value that is not text in its character set
        assert exc.code == "import.vcard_charset" and exc.values["row"] >= 1
        return
    assert all(c.get("name") or c.get("phone") or c.get("email") for c in cards)
    assert all(isinstance(v, str) for c in cards for v in c.values())
    try:
        table = read_table(write(tmp_path, text, "random.vcf"))
    except DomainError:
        return
    plan = plan_of(db, table)
    accepted, rejected = {c.row for c in plan.clients}, {p.row for p in plan.problems}
    assert accepted | rejected == {table.number(i) for i in range(len(table.rows))}


# =========================================================================== issue [6]:
# an import that never loses a client over one field

def apply_plan(db, plan, **options):
    with db.session() as s:
        return apply_import(s, plan, REGION, **options)


# --------------------------------------------------------------------------- phones to check

def test_a_phone_that_does_not_parse_keeps_the_client_and_their_purchases(db, tmp_path):
    clients = write(tmp_path, "Name;Phone;Card\nAnna Nowak;+48 70 123 45;K-1\n"
                              "Jan Lis;601 234 567;K-2\n")
    plan = plan_of(db, read_table(clients))
    assert plan.problems == [] and [c.name for c in plan.clients] == ["Anna Nowak", "Jan Lis"]
    assert [(p.row, p.column, p.code, p.value) for p in plan.unchecked_phones] == [
        (2, "Phone", "phone.unchecked", "+48 70 123 45")]
    report = apply_plan(db, plan)
    assert (report.created, report.rejected, report.unchecked_phones) == (2, 0, 1)
    with db.session() as s:
        anna = client_by(s, name="Anna Nowak")
        assert (anna.phone, anna.phone_unchecked, anna.phone_digits) == (
            None, "+48 70 123 45", "487012345")
        assert client_by(s, name="Jan Lis").phone_unchecked is None
    # her purchases find her by the same number, as the file writes it
    sales = write(tmp_path, "Phone;Date;Amount\n+48 70 123 45;01.02.2024;10,00\n", "sales.csv")
    plan = plan_of(db, read_table(sales), "purchases")
    assert plan.problems == [] and plan.unknown_clients == []
    assert apply_plan(db, plan).purchases == 1
    with db.session() as s:
        assert [p.amount for p in client_by(s, name="Anna Nowak").purchases] == [Decimal("10.00")]


def test_the_card_keeps_an_unchecked_number_until_a_valid_one_is_saved(db, tmp_path):
    plan = plan_of(db, read_table(write(tmp_path, "Name;Phone\nAnna Nowak;+48 70 123 45\n")))
    apply_plan(db, plan)
    with db.session() as s:
        cid = client_by(s, name="Anna Nowak").id
        data = client_service.load_client(s, cid)
    assert (data.phone, data.phone_unchecked) == ("", "+48 70 123 45")
    # saving the card with the number as it was keeps it, still to check
    with db.session() as s:
        client_service.save_client(s, replace(data, phone="+48 70 123 45", notes="VIP"), region=REGION)
    with db.session() as s:
        data = client_service.load_client(s, cid)
    assert (data.phone, data.phone_unchecked, data.notes) == ("", "+48 70 123 45", "VIP")
    # another number that is not valid either is refused beside the field
    with pytest.raises(client_service.ValidationError) as err, db.session() as s:
        client_service.save_client(s, replace(data, phone="+48 70 999"), region=REGION)
    assert [(e.field, e.code) for e in err.value.errors] == [("phone", "phone.invalid")]
    # a valid number ends the "check this number" state
    with db.session() as s:
        client_service.save_client(s, replace(data, phone="601 234 567"), region=REGION)
    with db.session() as s:
        c = s.get(Client, cid)
        assert (c.phone, c.phone_unchecked, c.phone_digits) == ("+48601234567", None,
                                                                "48601234567")


def test_the_list_shows_the_number_to_check_and_search_finds_it(db, tmp_path):
    apply_plan(db, plan_of(db, read_table(write(tmp_path, "Name;Phone\nAnna;+48 70 123 45\n"))))
    with db.session() as s:
        rules = client_service.StatusRules.from_settings(s)
        ids = client_service.client_ids(s, client_service.ClientQuery(text="70 123 45"), rules, REGION)
        (row,) = client_service.client_rows(s, ids, rules).values()
    assert (row.name, row.phone, row.phone_unchecked) == ("Anna", None, "+48 70 123 45")


RUSSIAN = ("ФИО;Телефон;Номер карты\n"
           + "".join(f"Клиент {i};8 916 123-45-{i:02d};R-{i}\n" for i in range(10))
           + "Клиент X;+48 601 234 567;R-X\n")


def test_most_phones_of_another_country_are_offered_that_country(db, tmp_path):
    table = read_table(write(tmp_path, RUSSIAN, encoding="cp1251"))
    plan = plan_of(db, table)
    assert len(plan.clients) == 11 and len(plan.unchecked_phones) == 10
    hint = plan.phone_hint
    assert (hint.region, hint.failed, hint.total, hint.fits) == ("RU", 10, 11, 10)
    with db.session() as s:
        again = plan_import(s, table, guess_mapping(table.headers, "clients"), "clients",
                            REGION, phone_region="RU")
    assert again.phone_hint is None and again.unchecked_phones == []
    assert again.clients[0].phone == "+79161234500"
    assert again.clients[-1].phone == "+48601234567"  # a number with its code stays its own
    apply_plan(db, again)
    with db.session() as s:
        assert client_by(s, external_ref="R-3").phone == "+79161234503"


def test_a_few_foreign_phones_are_no_reason_to_offer_a_country(db, tmp_path):
    text = "Name;Phone\n" + "".join(f"P{i};601 234 5{i:02d}\n" for i in range(5)) + \
        "R;8 916 123-45-67\n"
    plan = plan_of(db, read_table(write(tmp_path, text)))
    assert len(plan.unchecked_phones) == 1 and plan.phone_hint is None


# --------------------------------------------------------------------------- the client key

@pytest.mark.parametrize("heading", [
    "external_ref", "ID", "id", "Client ID", "client_id", "Customer Id", "CUSTOMER ID",
    "card", "Card", "Card number", "card_number", "Card  Number", "Card No.", "Card #",
    "numer karty", "Numer Karty", "Nr karty", "номер карты", "Номер карты", "№ карты",
    "номер на карта", "Номер на карта",
    unicodedata.normalize("NFD", "Номер карты"), unicodedata.normalize("NFD", "Numer karty:")])
def test_headings_users_files_have_are_the_client_key(heading):
    assert guess_mapping(["Name", heading], "clients") == {0: "name", 1: "card_number"}
    if heading.strip().casefold() != "id":  # a bare "id" of a purchase is the purchase's own
        assert guess_mapping([heading, "Date", "Amount"], "purchases")[0] == "card_number"


def test_a_purchases_file_without_its_client_key_is_refused_naming_its_columns(db, tmp_path):
    table = read_table(write(tmp_path, "Kto;Date;Amount\nK-1;01.02.2024;10\n"))
    with pytest.raises(DomainError) as err:
        plan_of(db, table, "purchases", {1: "date", 2: "amount"})
    assert err.value.code == "import.key_missing"
    assert err.value.values["columns"] == "Kto, Date, Amount"


def test_a_clients_file_is_never_imported_without_its_card_column(db, tmp_path):
    table = read_table(write(tmp_path, "Name;Numer karty\nAnna;K-1\n"))
    with pytest.raises(DomainError) as err:
        plan_of(db, table, "clients", {0: "name"})
    assert (err.value.code, err.value.values["column"]) == ("import.key_unmapped",
                                                            "Numer karty")
    assert [c.card_number for c in plan_of(db, table).clients] == ["K-1"]


# --------------------------------------------------------------------------- the heading row

def test_a_title_and_a_blank_row_above_the_headings(tmp_path):
    text = "Klienci salonu Róża, stan na 01.12.2026\n\n;;\nImię;Nazwisko;Telefon\n" \
           "Anna;Nowak;601 234 567\nJan;Lis;\n"
    table = read_table(write(tmp_path, text))
    assert (table.header_row, table.headers) == (4, ["Imię", "Nazwisko", "Telefon"])
    assert (table.numbers, table.rows) == ([5, 6], [["Anna", "Nowak", "601 234 567"],
                                                    ["Jan", "Lis", ""]])


def test_a_title_above_headings_no_one_recognises(tmp_path):
    table = read_table(write(tmp_path, "Export 2026\n\nA;B;C\n1;2;3\n4;5;6\n"))
    assert (table.header_row, table.headers) == (3, ["A", "B", "C"])


def test_the_heading_row_can_be_chosen(tmp_path):
    path = write(tmp_path, "Report\nName;Phone\nAnna;601 234 567\n")
    assert read_table(path, header_row=1).headers == ["Report"]
    table = read_table(path, header_row=2)
    assert (table.headers, table.numbers) == (["Name", "Phone"], [3])
    with pytest.raises(DomainError) as err:
        read_table(path, header_row=9)
    assert (err.value.code, err.value.values["row"]) == ("import.header_row", 9)


def test_an_xlsx_title_row_is_skipped_too(tmp_path):
    table = read_table(xlsx(tmp_path, ["Clients"], [], ["Name", "Phone"], ["Anna", 601234567]))
    assert (table.header_row, table.headers, table.numbers) == (3, ["Name", "Phone"], [4])


# --------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("encoding, delimiter, names, region", [
    ("utf-16", "\t", ["Renée Dupont", "Łukasz Świątek", "Иванова Анна"], "PL"),  # Unicode Text
    ("cp1252", ";", ["Renée Dupont", "José Muñoz", "François Garçon"], "US"),
    ("cp1252", ",", ["Renée Dupont", "Zoë Brontë"], "PL"),
    ("koi8-r", ";", ["Иванова Анна Сергеевна", "Фёдор Жуков", "Щукина Юлия"], "RU"),
    ("koi8-r", ";", ["Иванова Анна Сергеевна", "Фёдор Жуков"], "PL"),
    ("iso8859-2", ";", ["Łukasz Świątek", "Żaneta Źródłowska", "Zażółć gęślą jaźń"], "PL"),
    ("iso8859-2", ";", ["Łukasz Świątek", "Żaneta Źródłowska"], "US"),
    ("cp1250", ";", ["Łukasz Świątek", "Żaneta Źródłowska"], "PL"),
    ("cp1251", ";", ["Йорданка Жечева", "Щастлива Ъгълова"], "BG"),
    ("cp1251", ";", ["Иванова Анна", "Фёдор Жуков"], "PL"),
    ("utf-8", ",", ["Renée Dupont", "Łukasz", "Жанна"], "RU")])
def test_encodings_real_files_have(tmp_path, encoding, delimiter, names, region):
    text = f"Name{delimiter}Notes\r\n" + "".join(f"{n}{delimiter}ok\r\n" for n in names)
    table = read_table(write(tmp_path, text, encoding=encoding), region=region)
    assert table.rows == [[n, "ok"] for n in names]
    assert (table.delimiter, table.headers) == (delimiter, ["Name", "Notes"])


def test_the_encoding_can_be_chosen_and_a_byte_not_in_it_is_refused_with_its_row(tmp_path):
    path = write(tmp_path, "Name\r\nRenée\r\nAnna\r\n", encoding="cp1252")
    assert read_table(path, encoding="cp1251").rows == [["Renйe"], ["Anna"]]
    with pytest.raises(DomainError) as err:
        read_table(path, encoding="utf-8")
    assert (err.value.code, err.value.values["row"], err.value.values["encoding"]) == (
        "import.encoding", 2, "utf-8")


def test_accents_far_down_the_file_choose_the_encoding(tmp_path):
    text = "Name;Notes\r\n" + "Anna;ok\r\n" * 150_000 + "Renée;ok\r\n"
    table = read_table(write(tmp_path, text, encoding="cp1252"), region="US")
    assert table.encoding == "cp1252" and table.rows[-1] == ["Renée", "ok"]


# --------------------------------------------------------------------------- bounded reading

def test_delimiter_detection_reads_a_bounded_sample(tmp_path):
    """csv.Sniffer took 230 s on this file (200 KB of long quoted lines)."""
    line = '"' + "abc, def; ghi\t| " * 700 + '"'
    text = "Name;Notes\n" + "".join(f"Anna {i};{line}\n" for i in range(20))
    assert len(text) > 200_000
    started = time.perf_counter()
    table = read_table(write(tmp_path, text))
    assert time.perf_counter() - started < 5
    assert (table.delimiter, len(table.rows), table.rows[0][1]) == (";", 20, line[1:-1])


def test_the_file_that_froze_the_sniffer_is_read_at_once(tmp_path):
    """Unclosed quotes after delimiters: csv.Sniffer's regular expression goes quadratic
    (73 s for 100 KB, about 290 s for this 200 KB file, measured on the old code)."""
    text = "Name;Notes\n" + "".join('Anna;"' + ' a;"b' * 2_000 + "\n" for _ in range(20))
    assert len(text) > 200_000
    started = time.perf_counter()
    assert importer.detect_delimiter(text) == ";"
    try:
        read_table(write(tmp_path, text))
    except DomainError as exc:
        assert exc.values.get("row")
    assert time.perf_counter() - started < 5


def refusal(path: Path, **options) -> DomainError:
    with pytest.raises(DomainError) as err:
        read_table(path, **options)
    return err.value


def test_a_file_of_100000_columns_is_refused_with_its_row(tmp_path):
    err = refusal(write(tmp_path, "Name;Phone\nAnna;1\n" + "x;" * 100_000 + "\n"))
    assert (err.code, err.values["row"], err.values["maximum"]) == (
        "import.too_wide", 3, importer.MAX_COLUMNS)
    assert "row 3" in str(err) and "1000 columns" in str(err)


@pytest.mark.parametrize("quoted", [False, True])
def test_a_huge_cell_is_refused_before_it_fills_the_memory(tmp_path, monkeypatch, quoted):
    """A 50 MB cell (a stand-in for a 1 GB one) with the cell limit lowered to 1 MB: one
    line, or quoted lines (the csv module's own field limit)."""
    monkeypatch.setattr(importer, "MAX_CELL_CHARS", 1_000_000)
    monkeypatch.setattr(importer, "MAX_LINE_CHARS", 2_000_000)
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="ascii") as fh:
        fh.write("Name;Notes\nAnna;ok\nJan;")
        fh.write('"' if quoted else "")
        for _ in range(50_000):
            fh.write("a" * 999 + ("\n" if quoted else "a"))
        fh.write('"\n' if quoted else "\n")
    assert path.stat().st_size >= 50_000_000
    tracemalloc.start()
    try:
        err = refusal(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40_000_000
    assert err.values["row"] == 3
    if quoted:
        assert (err.code, err.values["maximum"]) == ("import.cell_too_long", 1_000_000)
    else:
        assert (err.code, err.values["maximum"]) == ("import.line_too_long", 2_000_000)


def test_too_many_rows_and_cells_are_refused_with_the_row(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 5)
    err = refusal(write(tmp_path, "Name\n" + "Anna\n" * 10))
    assert (err.code, err.values["row"], err.values["maximum"]) == ("import.too_big", 7, 5)
    monkeypatch.setattr(importer, "MAX_ROWS", 200_000)
    monkeypatch.setattr(importer, "MAX_CELLS", 20)
    err = refusal(write(tmp_path, "Name;Phone;Notes\n" + "Anna;1;x\n" * 10))
    assert (err.code, err.values["row"], err.values["maximum"]) == ("import.too_many_cells",
                                                                    7, 20)


def patched_xlsx(tmp_path: Path, rows: list[list], changes: dict[str, tuple[str, str]],
                 name: str = "patched.xlsx") -> Path:
    """An XLSX made by openpyxl, then with ``old`` replaced by ``new`` in its parts."""
    source = xlsx(tmp_path, *rows, name="source.xlsx")
    target = tmp_path / name
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename in changes:
                old, new = changes[info.filename]
                assert old.encode() in data, (info.filename, old)
                data = data.replace(old.encode(), new.encode())
            zout.writestr(info, data)
    return target


def test_millions_of_empty_xlsx_rows_are_refused_with_the_row(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_SHEET_ROWS", 1_000)
    empty = "".join(f'<row r="{n}"><c r="A{n}" s="0"/></row>' for n in range(3, 2_000))
    path = patched_xlsx(tmp_path, [["Name"], ["Anna"]],
                        {"xl/worksheets/sheet1.xml": ("</sheetData>", empty + "</sheetData>")})
    err = refusal(path)
    assert (err.code, err.values["row"], err.values["maximum"]) == ("import.too_big", 1_001,
                                                                    1_000)


# --------------------------------------------------------------------------- no traceback

SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize("changes, code, row", [
    ({"xl/workbook.xml": ('<sheet name="Sheet" sheetId="1" state="visible" r:id="rId1" />',
                          "")}, "import.xlsx_no_sheet", None),
    ({SHEET: ('<c r="A2" t="inlineStr"><is><t>Anna</t></is></c>',
              '<c r="A2" t="s"><v>7</v></c>')}, "import.xlsx_damaged", 2),
    ({SHEET: ("</sheetData>", ('<row r="3"><c r="A3" t="d"><v>yesterday</v></c></row>'
                               "</sheetData>"))}, "import.xlsx_damaged", 3),
    ({"[Content_Types].xml": ("<Types", "<Tpyes")}, "import.xlsx_unreadable", None)])
def test_a_damaged_workbook_is_refused_clearly(tmp_path, changes, code, row):
    err = refusal(patched_xlsx(tmp_path, [["Name", "Amount"], ["Anna", 12.5]], changes))
    assert err.code == code and err.values.get("row") == row


def test_a_file_that_is_no_workbook_is_refused(tmp_path):
    assert refusal(write(tmp_path, "Name\nAnna\n", "fake.xlsx")).code == "import.xlsx_unreadable"


def test_huge_numbers_are_refused_beside_their_field(db, tmp_path):
    rows = [["Card", "Date", "Amount"], *[[f"K-{i}", datetime(2024, 3, 5), i + 0.5]
                                          for i in range(1, 4)]]
    path = patched_xlsx(tmp_path, rows, {SHEET: ("<v>1.5</v>", "<v>1E30</v>")})
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read(SHEET).decode().replace("<v>2.5</v>", "<v>1e400</v>")
    target = tmp_path / "numbers.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, sheet.encode() if info.filename == SHEET
                          else zin.read(info.filename))
    plan = plan_of(db, read_table(target), "purchases")
    assert [(p.row, p.column, p.code) for p in plan.problems] == [
        (2, "Amount", "amount.too_large"), (3, "Amount", "amount.invalid")]
    assert [p.amount for p in plan.purchases] == [Decimal("3.50")]


def test_a_nan_cell_is_refused_with_its_row(tmp_path):
    rows = [["Card", "Amount"], ["K-1", 1.5], ["K-2", 2.5]]
    err = refusal(patched_xlsx(tmp_path, rows, {SHEET: ("<v>2.5</v>", "<v>NaN</v>")}))
    assert (err.code, err.values["row"]) == ("import.xlsx_damaged", 3)


def test_rows_beyond_the_stated_size_of_a_sheet_are_read(tmp_path):
    late = '<row r="9"><c r="A9" t="inlineStr"><is><t>Late Anna</t></is></c></row>'
    table = read_table(patched_xlsx(tmp_path, [["Name"], ["Anna"]],
                                    {SHEET: ("</sheetData>", late + "</sheetData>")}))
    assert (table.rows, table.numbers) == ([["Anna"], ["Late Anna"]], [2, 9])


def test_utf16_without_its_bom_is_read(tmp_path):
    for enc in ("utf-16-le", "utf-16-be"):
        table = read_table(write(tmp_path, "Name\tPhone\r\nŁucja\t601\r\n", encoding=enc))
        assert (table.encoding, table.rows) == (enc, [["Łucja", "601"]])


@pytest.mark.parametrize("value, code", [
    ("1E30", "amount.invalid"), ("1e400", "amount.invalid"), ("NaN", "amount.invalid"),
    ("inf", "amount.invalid"), (1e30, "amount.too_large"), (float("inf"), "amount.invalid"),
    (float("nan"), "amount.invalid"), (10**40, "amount.too_large"),
    (12.345, "amount.precision")])
def test_parse_decimal_text_refuses_numbers_that_are_no_amount(value, code):
    assert code_of(parse_decimal_text, value) == code


def test_float_noise_of_a_spreadsheet_is_no_reason_to_refuse():
    assert parse_decimal_text(0.1 + 0.2) == Decimal("0.30")
    assert parse_decimal_text(12.3) == Decimal("12.30")


@pytest.mark.parametrize("charset", ["idna", "punycode", "utf\x00-8", "bogus", "",
                                     "rot13", "base64", "zlib", "utf-8"])
def test_vcard_charsets_python_would_trip_on(db, tmp_path, charset):
    card = (f"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:"
            "=C5=81ukasz\r\nTEL:601234567\r\nEND:VCARD\r\n")
    table = read_table(write(tmp_path, card, "c.vcf"))
    assert table.rows[0][:2] == ["Łukasz", "601234567"]  # an unknown charset: read as UTF-8


def test_a_vcard_value_that_is_not_its_charset_is_refused_with_its_line(tmp_path):
    card = ("BEGIN:VCARD\r\nVERSION:2.1\r\nTEL:601234567\r\n"
            "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C5=81uk=FFasz\r\nEND:VCARD\r\n")
    err = refusal(write(tmp_path, card, "c.vcf"))
    assert (err.code, err.values["row"], err.values["path"]) == (
        "import.vcard_charset", 4, str(tmp_path / "c.vcf"))


def test_a_vcard_photo_costs_no_memory_and_is_skipped(tmp_path):
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + "\r\n ".join(["QUJD" * 19] * 40_000)
    card = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna\r\n{photo}\r\nTEL:601234567\r\nEND:VCARD\r\n"
    table = read_table(write(tmp_path, card, "photo.vcf"))
    assert table.rows == [["Anna", "601234567", "", "", ""]]


@pytest.mark.parametrize("content", [b"Name;Notes\nAnna;a\x00b\n", b"\x00\x00\x00"])
def test_a_broken_csv_row_is_refused_naming_it(tmp_path, content):
    err = refusal(write_bytes(tmp_path, content))
    assert err.code in ("import.csv_broken", "import.encoding") and err.values["row"] >= 1


def write_bytes(tmp_path: Path, content: bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def good_xlsx_bytes(tmp_path: Path) -> bytes:
    path = xlsx(tmp_path, ["Name", "Phone", "Birthday", "Amount"],
                ["Anna", 601234567, datetime(1985, 5, 21), 12.5], ["Jan", "x", "y", "z"],
                name="good.xlsx")
    return path.read_bytes()


FUZZ = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _read_and_plan(db, path: Path) -> None:
    """Only DomainError refusals, never another exception, from reading to planning."""
    try:
        table = read_table(path)
    except DomainError as exc:
        assert exc.code.startswith("import.") and exc.values.get("path") == str(path)
        return
    for kind in KINDS_TO_TRY:
        try:
            plan_of(db, table, kind)
        except DomainError as exc:
            assert exc.code in ("import.key_missing", "import.key_unmapped")


KINDS_TO_TRY = ("clients", "purchases")


@FUZZ
@given(data=st.binary(max_size=400) | st.builds(
    lambda head, body: head.encode("utf-8") + body,
    st.sampled_from(["Name;Phone;Card\n", "Card,Date,Amount\n", "\ufeffName\tPhone\n",
                     "Title\n\nName;Phone\n"]), st.binary(max_size=300)),
       suffix=st.sampled_from([".csv", ".txt", ".vcf"]))
def test_fuzz_random_bytes_to_csv_and_vcard(db, tmp_path, data, suffix):
    _read_and_plan(db, write_bytes(tmp_path, data, "fuzz" + suffix))


@FUZZ
@given(data=st.binary(max_size=300).map(lambda b: b"BEGIN:VCARD\r\nVERSION:2.1\r\n" + b))
@example(data=b"BEGIN:VCARD\r\nFN;CHARSET=idna;ENCODING=QUOTED-PRINTABLE:=C5=81\r\n"
              b"END:VCARD\r\n").via("idna")
@example(data=b"BEGIN:VCARD\r\nFN;CHARSET=punycode;ENCODING=QUOTED-PRINTABLE:=FF\r\n"
              b"END:VCARD\r\n").via("punycode")
@example(data=b"BEGIN:VCARD\r\nFN;CHARSET=ut\x00f;ENCODING=QUOTED-PRINTABLE:a\r\n"
              b"END:VCARD\r\n").via("a NUL in the charset")
def test_fuzz_random_vcard_bodies(db, tmp_path, data):
    _read_and_plan(db, write_bytes(tmp_path, data, "fuzz.vcf"))


def damaged_workbooks(tmp_path: Path) -> list[bytes]:
    """A good workbook and three that ended in a traceback before: no sheet, a shared
    string that is not there, a NaN cell."""
    rows = [["Name", "Phone", "Amount"], ["Anna", 601234567, 12.5]]
    return [good_xlsx_bytes(tmp_path), *(patched_xlsx(tmp_path, rows, change, f"{n}.xlsx")
                                         .read_bytes() for n, change in enumerate([
        {"xl/workbook.xml": ('<sheet name="Sheet" sheetId="1" state="visible" r:id="rId1" />',
                             "")},
        {SHEET: ('<c r="A2" t="inlineStr"><is><t>Anna</t></is></c>',
                 '<c r="A2" t="s"><v>7</v></c>')},
        {SHEET: ("<v>12.5</v>", "<v>NaN</v>")}]))]


@FUZZ
@given(which=st.integers(0, 3), cut=st.integers(0, 10_000),
       flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=4))
@example(which=1, cut=10_000, flips=[]).via("no sheet")
@example(which=2, cut=10_000, flips=[]).via("a shared string out of range")
@example(which=3, cut=10_000, flips=[]).via("a NaN cell")
def test_fuzz_truncated_and_damaged_xlsx(db, tmp_path, which, cut, flips):
    data = bytearray(damaged_workbooks(tmp_path)[which])
    for at, byte in flips:
        data[at % len(data)] = byte
    if cut < len(data):
        data = data[:max(cut, 1)]
    _read_and_plan(db, write_bytes(tmp_path, bytes(data), "fuzz.xlsx"))


# --------------------------------------------------------------------------- dry run == import

BAD_CLIENTS = (
    "Name;Phone;E-mail;Card;Birthday\n"
    "Anna Nowak;601 234 567;anna@mail.pl;K-1;21.05.1985\n"        # fine
    f"Jan Lis;;;{'9' * 65};\n"                                     # a card over 64 characters
    f"{'N' * 201};;;K-3;\n"                                        # a name over 200
    "Ewa Lis;;ewa(at)mail.pl;K-4;\n"                               # a bad e-mail
    "Olga Bem;;;K-5;31.02.1990\n"                                  # an impossible birthday
    "Iga Wrona;+48 70 123 45;;K-6;\n"                              # a phone to check
    "Anna Nowak;601 234 567;;K-7;\n"                               # the same phone as row 2
    ";602 345 678;;;\n"                                            # no name
    "Piotr Kos;603 456 789;piotr@mail.pl;K-9;01.01.2150\n"         # a year out of range
    "Ala Kot;;;k-1;\n")                                            # the card of row 2


BAD_PURCHASES = (
    "Card;Phone;Date;Amount;Qty;Item\n"
    "K-1;;01.02.2024;10,00;1;Tea\n"                                # a known client
    f"{'9' * 65};;01.02.2024;10,00;1;Tea\n"                        # a card over 64
    "K-1;;01.02.2024;1E30;1;Tea\n"                                 # not an amount
    "K-1;;01.02.2024;99999999999,00;1;Tea\n"                       # too large
    "K-1;;01.02.2024;10,00;0;Tea\n"                                # no quantity
    f"K-1;;01.02.2024;10,00;1;{'x' * 201}\n"                       # an item over 200
    f"K-1;;{(TODAY + timedelta(days=30)).strftime('%d.%m.%Y')};10,00;1;Tea\n"  # future
    "NEW-1;;01.02.2024;5,00;1;Tea\n"                               # an unknown client
    "NEW-1;;02.02.2024;6,00;1;Tea\n"                               # the same unknown client
    ";+48 70 123 45;03.02.2024;7,00;1;Tea\n"                       # unknown, phone to check
    ";;03.02.2024;7,00;1;Tea\n")                                   # no client key


@pytest.mark.parametrize("duplicates", ["skip", "merge", "new"])
def test_the_dry_run_report_is_what_the_import_does_with_clients(db, make_client, tmp_path,
                                                                  duplicates):
    make_client("Stara Klientka", external_ref="K-1")
    table = read_table(write(tmp_path, BAD_CLIENTS))
    plan = plan_of(db, table)
    assert sorted({(p.row, p.code) for p in plan.problems}) == [
        (3, "text.too_long"), (4, "text.too_long"), (5, "email.invalid"),
        (6, "date.invalid"), (9, "name.required"), (10, "date.invalid")]
    choices = {d.row: duplicates for d in plan.duplicates}
    predicted = predict_report(plan, duplicates=choices)
    assert predict_report(plan, duplicates=choices) == apply_plan(db, plan, duplicates=choices)
    assert predicted.rejected == 6 and predicted.unchecked_phones == 1


@pytest.mark.parametrize("create_unknown", [False, True])
def test_the_dry_run_report_is_what_the_import_does_with_purchases(db, make_client, tmp_path,
                                                                    create_unknown):
    make_client("Stara Klientka", external_ref="K-1")
    plan = plan_of(db, read_table(write(tmp_path, BAD_PURCHASES)), "purchases")
    assert sorted((p.row, p.code) for p in plan.problems) == [
        (3, "text.too_long"), (4, "amount.invalid"), (5, "amount.too_large"),
        (6, "quantity.positive"), (7, "text.too_long"), (8, "date.future"),
        (12, "import.client_required")]
    predicted = predict_report(plan, create_unknown=create_unknown)
    assert predicted == apply_plan(db, plan, create_unknown=create_unknown)
    assert (predicted.purchases, predicted.created) == ((4, 2) if create_unknown else (1, 0))


@FUZZ
@given(rows=st.lists(st.lists(st.text(st.sampled_from(list("ab ;,\"\r\nąЖé")), min_size=1,
                                      max_size=6), min_size=2, max_size=2),
                     min_size=1, max_size=8),
       ending=st.sampled_from(["\r\n", "\n", "\r"]), chunk=st.integers(1, 9),
       encoding=st.sampled_from(["utf-8", "utf-16", "cp1250", "cp1251"]))
def test_rows_read_in_small_chunks_are_the_rows_written(tmp_path, monkeypatch, rows, ending,
                                                       chunk, encoding):
    """Lines split across chunks (a \\r\\n cut in two, a letter's bytes cut in two) read as
    written; a quoted cell keeps its line breaks (as \\n)."""
    monkeypatch.setattr(importer, "_CHUNK", chunk)
    rows = [r for r in rows if any(c.strip() for c in r)]
    text_ok = all(c.encode(encoding, errors="ignore").decode(encoding) == c
                  for r in rows for c in r)
    if not rows or not text_ok:
        return
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator=ending,
               quoting=csv.QUOTE_ALL).writerows([["Name", "Notes"], *rows])
    table = read_table(write(tmp_path, buf.getvalue(), encoding=encoding),
                       encoding=encoding, header_row=1)
    expected = []
    for r in rows:
        cells = [c.replace("\r\n", "\n").replace("\r", "\n") for c in r]
        while not cells[-1].strip():  # an empty last cell is as if not there
            cells[-1] = ""
            break
        expected.append(cells)
    assert table.rows == expected


def test_an_xlsx_that_unpacks_too_big_or_with_a_huge_cell_is_refused(tmp_path, monkeypatch):
    path = xlsx(tmp_path, ["Name", "Notes"], ["Anna", "x" * 500])
    monkeypatch.setattr(importer, "MAX_CELL_CHARS", 100)
    err = refusal(path)
    assert (err.code, err.values["row"], err.values["maximum"]) == ("import.cell_too_long",
                                                                    2, 100)
    monkeypatch.setattr(importer, "MAX_XLSX_PART_BYTES", 100)
    assert refusal(path).code == "import.xlsx_too_big"


def test_a_number_to_check_is_exported_and_erased_with_the_person(db, tmp_path):
    apply_plan(db, plan_of(db, read_table(write(tmp_path, "Name;Phone\nAnna;+48 70 123 45\n"))))
    out = tmp_path / "out.csv"
    with db.session() as s:
        export_table(s, "clients", out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh, delimiter=";"))
    assert row["phone"] == "'+48 70 123 45"  # kept as text by a spreadsheet
    # and our own export reads back as it was written
    assert "+48 70 123 45" in read_table(out).rows[0]
    with db.session() as s:
        cid = client_by(s, name="Anna").id
        erase_client(s, cid, datetime.now())
    with db.session() as s:
        c = s.get(Client, cid)
        assert (c.phone, c.phone_unchecked, c.phone_digits) == (None, None, None)


def test_merging_two_records_keeps_one_phone_state(db, make_client, tmp_path):
    apply_plan(db, plan_of(db, read_table(write(tmp_path, "Name;Phone\nAnna;+48 70 123 45\n"
                                                            "Ola;+48 70 999 99\n"))))
    jan = make_client("Jan", phone="601 234 567")
    with db.session() as s:
        anna, ola = client_by(s, name="Anna").id, client_by(s, name="Ola").id
        merge_clients(s, anna, jan, TODAY)   # a valid number ends "check this number"
    with db.session() as s:
        a = s.get(Client, anna)
        assert (a.phone, a.phone_unchecked, a.phone_digits) == ("+48601234567", None,
                                                                "48601234567")
    kasia = make_client("Kasia")
    with db.session() as s:
        merge_clients(s, kasia, ola, TODAY)  # an empty phone takes the number to check
    with db.session() as s:
        k = s.get(Client, kasia)
        assert (k.phone, k.phone_unchecked, k.phone_digits) == (None, "+48 70 999 99",
                                                                "487099999")


def test_a_card_number_typed_decomposed_finds_its_client(db, make_client, tmp_path):
    """"Ż-7" in the file as Z + combining dot (as some systems write it) is the card Ż-7
    of the client, and the names a file brings are stored in NFC."""
    cid = make_client("Żaneta Wójcik", external_ref="Ż-7")
    decomposed = unicodedata.normalize("NFD", "Ż-7")
    assert decomposed != "Ż-7"
    src = write(tmp_path, f"Numer karty;Data;Kwota\n{decomposed};01.05.2026;120,50\n")
    plan, report = run_import(db, read_table(src), "purchases")
    assert (report.purchases, plan.unknown_clients) == (1, [])
    with db.sessions() as s:
        assert {p.client_id for p in s.scalars(select(Purchase))} == {cid}
    names = write(tmp_path, "Name;Phone\n" + unicodedata.normalize("NFD", "Łucja Wójcik")
                  + ";601 234 567\n", name="names.csv")
    run_import(db, read_table(names))
    with db.sessions() as s:
        assert client_by(s, phone_digits="48601234567").name == "Łucja Wójcik"


def test_clients_typed_in_around_an_import_keep_their_own_ids(db, make_client, tmp_path):
    """On both engines: a client added before and one added after an import get ids of
    their own (on a server the import takes its ids from the table's sequence, so the
    next client typed in at any desk does not collide with an imported one)."""
    before = make_client("Ewa", phone="601 111 222")
    apply_plan(db, plan_of(db, read_table(write(tmp_path, "Name;Phone\nAnna;+48 70 123 45\n"
                                                            "Ola;+48 70 999 99\n"))))
    after = make_client("Jan", phone="601 234 567")
    with db.session() as s:
        ids = dict(s.execute(select(Client.name, Client.id)).all())
    assert len(set(ids.values())) == 4
    assert ids["Ewa"] == before and ids["Jan"] == after
    assert before < ids["Anna"] < ids["Ola"] < after
