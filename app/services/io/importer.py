"""Data in: clients and purchases from CSV, XLSX and vCard files.

The way through an import (the wizard and ``clientcare import`` share it):

1. :func:`read_table` reads the file into a :class:`RawTable`. CSV: the encoding is
   found (UTF-8 with or without a BOM; else cp1251, the Russian and Bulgarian Excel
   export, or cp1250, the Polish one, whichever reads as more letters of its alphabet)
   and the delimiter (``;``, ``,``, tab or ``|``). XLSX: the first sheet (openpyxl).
   vCard (2.1, 3.0, 4.0): one row per card with name, phone, e-mail and birthday.
2. :func:`guess_mapping` proposes which column is which field, from headings in
   English, Polish, Russian and Bulgarian; the user corrects it.
3. :func:`plan_import` checks every row and says what would happen: rows rejected with
   row, column and reason; duplicates of existing clients (same phone, e-mail or card
   number) to merge or skip; purchases whose client is unknown.
4. :func:`apply_import` writes the rows the user confirmed, all or nothing (one
   transaction). A purchase remembers a key of its row, so importing the same file again
   adds nothing twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import quopri
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import DomainError
from app.models import Client, PersonalDate, Purchase
from app.models.enums import DateKind
from app.services.validation import (
    normalize_email, normalize_phone, parse_amount, phone_digits,
)

KINDS = ("clients", "purchases")
CLIENT_FIELDS = ("name", "first_name", "last_name", "phone", "email", "birthday",
                 "card_number", "notes", "source_channel", "tags", "marketing_consent")
PURCHASE_FIELDS = ("card_number", "phone", "email", "client_name", "date", "amount", "item",
                   "quantity", "note")
MAX_ROWS = 200_000


@dataclass
class RawTable:
    headers: list[str]
    rows: list[list[Any]]
    encoding: str | None = None
    delimiter: str | None = None
    source: str = "csv"  # csv, xlsx, vcard
    #: the row number of each row as a spreadsheet shows it (blank rows are skipped)
    numbers: list[int] | None = None

    def number(self, index: int) -> int:
        return self.numbers[index] if self.numbers else index + 2


# --------------------------------------------------------------------------- reading

_CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")
_POLISH = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")


def detect_encoding(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    cyr = sum(ch in _CYRILLIC for ch in data.decode("cp1251", errors="replace"))
    pol = sum(ch in _POLISH for ch in data.decode("cp1250", errors="replace"))
    return "cp1251" if cyr > pol * 2 else "cp1250"


def detect_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        return max(";,\t|", key=first.count) if first else ";"


def read_table(path: Path) -> RawTable:
    suffix = path.suffix.lower()
    if not path.exists():
        raise DomainError("import.missing", f"{path} does not exist", path=str(path))
    try:
        if suffix == ".xlsx":
            return _read_xlsx(path)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DomainError("import.missing", str(exc), path=str(path)) from exc
    except OSError as exc:
        raise DomainError("import.unreadable", str(exc), path=str(path),
                          detail=exc.strerror or str(exc)) from exc
    encoding = detect_encoding(data)
    text = data.decode(encoding, errors="replace")
    if suffix == ".vcf" or text.lstrip().upper().startswith("BEGIN:VCARD"):
        table = vcards_table(text, encoding)
        if not table.rows:
            raise DomainError("import.empty", "no cards in the file", path=str(path))
        return table
    if not text.strip():
        raise DomainError("import.empty", "the file is empty", path=str(path))
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        numbered = [(i, r) for i, r in enumerate(reader, start=1) if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise DomainError("import.unreadable", str(exc), path=str(path),
                          detail=str(exc)) from exc
    if not numbered:
        raise DomainError("import.empty", "the file is empty", path=str(path))
    if len(numbered) > MAX_ROWS + 1:
        raise DomainError("import.too_big", "too many rows", path=str(path), maximum=MAX_ROWS)
    headers = [h.strip() for h in numbered[0][1]]
    width = len(headers)
    body = [(r + [""] * width)[:max(width, len(r))] for _i, r in numbered[1:]]
    return RawTable(headers, body, encoding, delimiter, "csv", [i for i, _r in numbered[1:]])


def _read_xlsx(path: Path) -> RawTable:
    from openpyxl import load_workbook
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise DomainError("import.unreadable", str(exc), path=str(path),
                          detail=str(exc)) from exc
    try:
        ws = wb.worksheets[0]
        numbered = [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)
                    if any(c not in (None, "") for c in r)]
    finally:
        wb.close()
    if not numbered:
        raise DomainError("import.empty", "the file is empty", path=str(path))
    headers = ["" if h is None else str(h).strip() for h in numbered[0][1]]
    body = [[("" if c is None else c) for c in r] for _i, r in numbered[1:]]
    return RawTable(headers, body, None, None, "xlsx", [i for i, _r in numbered[1:]])


# --------------------------------------------------------------------------- vCard

def _unfold(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif lines and lines[-1].endswith("=") and "QUOTED-PRINTABLE" in lines[-1].upper():
            lines[-1] = lines[-1][:-1] + raw  # 2.1 soft line break
        else:
            lines.append(raw)
    return lines


def _vcard_value(params: list[str], value: str) -> str:
    upper = [p.upper() for p in params]
    if any("QUOTED-PRINTABLE" in p for p in upper):
        charset = next((p.split("=", 1)[1] for p in params if p.upper().startswith("CHARSET=")),
                       "utf-8")
        try:
            value = quopri.decodestring(value.encode("latin-1", errors="replace")).decode(
                charset, errors="replace")
        except LookupError:
            value = quopri.decodestring(value.encode("latin-1", errors="replace")).decode(
                "utf-8", errors="replace")
    return value.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n").strip()


def parse_vcards(text: str) -> list[dict[str, str]]:
    """Cards as dicts with name, phone, email, birthday (as written), notes."""
    cards: list[dict[str, str]] = []
    card: dict[str, str] | None = None
    for line in _unfold(text):
        if ":" not in line:
            continue
        key, value = line.split(":", 1)
        parts = key.split(";")
        prop = parts[0].split(".")[-1].upper()  # "item1.TEL" -> TEL
        params = parts[1:]
        if prop == "BEGIN" and value.strip().upper() == "VCARD":
            card = {}
        elif prop == "END" and card is not None:
            if card.get("name") or card.get("phone") or card.get("email"):
                cards.append(card)
            card = None
        elif card is not None:
            v = _vcard_value(params, value)
            if prop == "FN" and v:
                card["name"] = v
            elif prop == "N" and not card.get("name"):
                family, given = (v.split(";") + ["", ""])[:2]
                card["name"] = " ".join(p for p in (given, family) if p).strip()
            elif prop == "TEL" and v and "phone" not in card:
                card["phone"] = v.removeprefix("tel:")
            elif prop == "EMAIL" and v and "email" not in card:
                card["email"] = v.removeprefix("mailto:")
            elif prop == "BDAY" and v:
                card["birthday"] = v
            elif prop == "NOTE" and v:
                card["notes"] = v
    return cards


def vcards_table(text: str, encoding: str | None = None) -> RawTable:
    cards = parse_vcards(text)
    headers = ["name", "phone", "email", "birthday", "notes"]
    return RawTable(headers, [[c.get(h, "") for h in headers] for c in cards], encoding,
                    None, "vcard")


# --------------------------------------------------------------------------- mapping

_SYNONYMS = {
    "name": ("name", "full name", "client", "customer", "nazwa", "klient", "imię i nazwisko",
             "фио", "клиент", "имя и фамилия", "име и фамилия"),
    "first_name": ("first name", "given name", "imię", "имя", "име", "собствено име"),
    "last_name": ("last name", "surname", "family name", "nazwisko", "фамилия"),
    "phone": ("phone", "telephone", "mobile", "tel", "telefon", "tel.", "komórka", "телефон",
              "моб.", "мобилен"),
    "email": ("email", "e-mail", "mail", "adres e-mail", "эл. почта", "почта", "имейл"),
    "birthday": ("birthday", "date of birth", "born", "urodziny", "data urodzenia",
                 "день рождения", "дата рождения", "рожден ден", "дата на раждане"),
    "card_number": ("card", "card number", "loyalty card", "patient number", "number",
                    "karta", "numer karty", "nr karty", "карта", "номер карты",
                    "номер на карта"),
    "notes": ("notes", "note", "comment", "uwagi", "notatki", "комментарий", "заметки",
              "бележки"),
    "source_channel": ("source", "channel", "came from", "źródło", "источник", "източник"),
    "tags": ("tags", "etykiety", "метки", "етикети"),
    "marketing_consent": ("consent", "marketing consent", "zgoda", "согласие", "съгласие"),
    "client_name": ("client", "customer", "klient", "клиент"),
    "date": ("date", "purchase date", "data", "data zakupu", "дата", "дата покупки"),
    "amount": ("amount", "sum", "total", "price", "kwota", "wartość", "сумма", "стоимость",
               "сума"),
    "item": ("item", "product", "service", "towar", "usługa", "produkt", "товар", "услуга",
             "продукт"),
    "quantity": ("quantity", "qty", "ilość", "количество", "кол-во"),
    "note": ("note", "notes", "comment", "uwagi", "комментарий", "бележка"),
}


def guess_mapping(headers: list[str], kind: str) -> dict[int, str]:
    """Column index -> field, for headings that name a field (each field once)."""
    fields = CLIENT_FIELDS if kind == "clients" else PURCHASE_FIELDS
    out: dict[int, str] = {}
    used: set[str] = set()
    for i, h in enumerate(headers):
        key = h.strip().casefold().rstrip(":")
        for f in fields:
            if f in used:
                continue
            if key == f or key in _SYNONYMS.get(f, ()):
                out[i] = f
                used.add(f)
                break
    return out


def signature(headers: list[str]) -> str:
    """Identifies a file layout, so a mapping chosen once is offered again."""
    return hashlib.sha1("\x1f".join(h.casefold() for h in headers).encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- checking

@dataclass(frozen=True)
class RowProblem:
    row: int     # the row number as a spreadsheet shows it (the heading is row 1)
    column: str  # the heading of the column (or the field when it has none)
    code: str    # a message code of app/ui/messages.py
    value: str = ""


@dataclass
class ClientRow:
    row: int
    name: str
    phone: str | None = None
    email: str | None = None
    card_number: str | None = None
    birthday: tuple[int, int, int | None] | None = None  # month, day, year
    notes: str = ""
    source_channel: str | None = None
    tags: list[str] = field(default_factory=list)
    marketing_consent: bool | None = None


@dataclass
class PurchaseRow:
    row: int
    client_key: tuple[str, str]  # ("card"|"phone"|"email", value): the first given
    client_name: str
    purchased_on: date
    amount: Decimal
    item: str = ""
    quantity: Decimal = Decimal("1")
    note: str = ""
    import_key: str = ""
    card_number: str | None = None  # as written (the client key is case-folded)
    #: every key the row gives, in the order card, phone, e-mail: the first one that
    #: finds a client wins, so a new card number with a known phone finds its client
    client_keys: list[tuple[str, str]] = field(default_factory=list)
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Duplicate:
    row: int
    client_id: int | None  # an existing client; None = an earlier row of the same file
    name: str
    by: str                # phone, email, card


@dataclass
class Plan:
    kind: str
    clients: list[ClientRow] = field(default_factory=list)
    purchases: list[PurchaseRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    unknown_clients: list[int] = field(default_factory=list)  # purchase rows
    already_imported: list[int] = field(default_factory=list)  # purchase rows

    @property
    def rows_ok(self) -> int:
        return len(self.clients) + len(self.purchases)


_DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%y", "%Y.%m.%d",
                 "%Y/%m/%d", "%Y%m%d")


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    text = text.split(" ")[0].split("T")[0] if re.match(r"^\d{4}-\d\d-\d\dT", text) else text
    for fmt in _DATE_FORMATS:
        try:
            d = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 1900 <= d.year <= 2100:
            return d
    raise DomainError("date.invalid", f"not a date: {text}", value=text)


def parse_birthday(value: Any) -> tuple[int, int, int | None]:
    """A full date, or a day without the year (vCard ``--MMDD`` / ``--MM-DD``, or
    ``dd.mm``)."""
    text = str(value).strip() if not isinstance(value, date | datetime) else value
    if isinstance(text, str):
        m = re.fullmatch(r"--(\d\d)-?(\d\d)", text) or None
        if m:
            month, day = int(m[1]), int(m[2])
            try:
                date(2000, month, day)  # a leap year: 29 February is a real birthday
            except ValueError:
                raise DomainError("date.invalid", f"not a date: {text}", value=text) from None
            return month, day, None
        m = re.fullmatch(r"(\d{1,2})[./](\d{1,2})\.?", text)
        if m:
            day, month = int(m[1]), int(m[2])
            try:
                date(2000, month, day)
            except ValueError:
                raise DomainError("date.invalid", f"not a date: {text}", value=text) from None
            return month, day, None
    d = parse_date(text)
    return d.month, d.day, d.year


def parse_decimal_text(value: Any, field_name: str = "amount") -> Decimal:
    """Money as a spreadsheet gives it: a number, "12,50", "1 234,50", "1,234.50"."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return parse_amount(Decimal(str(value)).quantize(Decimal("0.01")), field=field_name)
    text = str(value).strip().replace("\u00a0", " ")
    for sym in ("zł", "zl", "PLN", "лв.", "лв", "BGN", "руб.", "₽", "RUB", "€", "EUR", "$"):
        text = text.replace(sym, "")
    text = text.strip()
    if "," in text and "." in text:
        point, group = (",", ".") if text.rfind(",") > text.rfind(".") else (".", ",")
    elif "," in text:
        point, group = ",", " "
    else:
        point, group = ".", " "
    return parse_amount(text, point, group, field=field_name)


def _cell(row: list[Any], mapping: dict[int, str], name: str) -> Any:
    for i, f in mapping.items():
        if f == name:
            return row[i] if i < len(row) else ""
    return ""


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _existing_index(session: Session) -> dict[tuple[str, str], tuple[int, str]]:
    index: dict[tuple[str, str], tuple[int, str]] = {}
    for cid, name, digits, email, ref in session.execute(
            select(Client.id, Client.name, Client.phone_digits, Client.email,
                   Client.external_ref).where(Client.deleted_at.is_(None),
                                              Client.erased_at.is_(None))):
        if digits:
            index.setdefault(("phone", digits), (cid, name))
        if email:
            index.setdefault(("email", email.casefold()), (cid, name))
        if ref:
            index.setdefault(("card", ref.casefold()), (cid, name))
    return index


def plan_import(session: Session, table: RawTable, mapping: dict[int, str], kind: str,
                region: str) -> Plan:
    if kind not in KINDS:
        raise DomainError("import.kind", f"unknown kind {kind}")
    plan = Plan(kind)
    heading = {f: (table.headers[i] if i < len(table.headers) and table.headers[i] else f)
               for i, f in mapping.items()}
    existing = _existing_index(session)
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    occurrence: dict[str, int] = {}
    keys = set(session.scalars(select(Purchase.import_key)
                               .where(Purchase.import_key.is_not(None)))) \
        if kind == "purchases" else set()
    for index, row in enumerate(table.rows):
        n = table.number(index)
        problems: list[RowProblem] = []

        def bad(field_name: str, exc: DomainError, value: Any) -> None:
            problems.append(RowProblem(n, heading.get(field_name, field_name), exc.code,
                                       _text(value)))

        def phone_of(value: Any) -> str | None:
            try:
                return normalize_phone(_text(value), region)
            except DomainError as exc:
                bad("phone", exc, value)
                return None

        raw_email = _text(_cell(row, mapping, "email"))
        try:  # the same check the card makes, so a planned row always saves
            email = normalize_email(raw_email)
            email = email.casefold() if email else None
        except DomainError as exc:
            bad("email", exc, raw_email)
            email = None
        phone = phone_of(_cell(row, mapping, "phone"))
        card = _text(_cell(row, mapping, "card_number")) or None
        if kind == "clients":
            name = " ".join(_text(_cell(row, mapping, "name")).split()) or " ".join(
                p for p in (_text(_cell(row, mapping, "first_name")),
                            _text(_cell(row, mapping, "last_name"))) if p)
            if not name:
                problems.append(RowProblem(n, heading.get("name", "name"), "name.required"))
            birthday = None
            raw_bday = _cell(row, mapping, "birthday")
            if _text(raw_bday):
                try:
                    birthday = parse_birthday(raw_bday)
                except (DomainError, ValueError):
                    bad("birthday", DomainError("date.invalid", ""), raw_bday)
            if problems:
                plan.problems.extend(problems)
                continue
            consent_text = _text(_cell(row, mapping, "marketing_consent")).casefold()
            consent = None if not consent_text else consent_text in (
                "1", "yes", "y", "true", "tak", "да", "x", "+")
            tags = [t.strip() for t in re.split(r"[,;]", _text(_cell(row, mapping, "tags")))
                    if t.strip()]
            plan.clients.append(ClientRow(n, name[:200], phone, email, card, birthday,
                                          _text(_cell(row, mapping, "notes")),
                                          _text(_cell(row, mapping, "source_channel")) or None,
                                          tags, consent))
            for key in ((("phone", phone_digits(phone)) if phone else None),
                        (("email", email) if email else None),
                        (("card", card.casefold()) if card else None)):
                if key is None:
                    continue
                hit = existing.get(key)
                if hit:
                    plan.duplicates.append(Duplicate(n, hit[0], hit[1], key[0]))
                    break
                if key in seen:
                    plan.duplicates.append(Duplicate(n, None, seen[key][1], key[0]))
                    break
            for key in ((("phone", phone_digits(phone)) if phone else None),
                        (("email", email) if email else None),
                        (("card", card.casefold()) if card else None)):
                if key is not None:
                    seen.setdefault(key, (n, name))
        else:
            raw_date, raw_amount = _cell(row, mapping, "date"), _cell(row, mapping, "amount")
            purchased_on = amount = None
            try:
                purchased_on = parse_date(raw_date)
                if purchased_on > date.today():
                    raise DomainError("date.future", "in the future")
            except DomainError as exc:
                bad("date", exc if _text(raw_date) else DomainError("date.required", ""),
                    raw_date)
            try:
                amount = parse_decimal_text(raw_amount)
            except DomainError as exc:
                bad("amount", exc, raw_amount)
            quantity = Decimal("1")
            if _text(_cell(row, mapping, "quantity")):
                try:
                    quantity = parse_decimal_text(_cell(row, mapping, "quantity"), "quantity")
                    if quantity <= 0:
                        raise DomainError("quantity.positive", "")
                except DomainError as exc:
                    bad("quantity", exc, _cell(row, mapping, "quantity"))
            client_keys = [k for k in ((("card", card.casefold()) if card else None),
                                       (("phone", phone_digits(phone) or "")
                                        if phone else None),
                                       (("email", email) if email else None)) if k]
            client_key = client_keys[0] if client_keys else None
            if client_key is None:
                problems.append(RowProblem(n, heading.get("card_number", "card_number"),
                                           "import.client_required"))
            if problems:
                plan.problems.extend(problems)
                continue
            item = _text(_cell(row, mapping, "item"))[:200]
            key_text = "\x1f".join((client_key[0], client_key[1], purchased_on.isoformat(),
                                    str(amount), item, str(quantity)))
            # two identical lines in one file (two coffees on one day) are two purchases:
            # the key counts them, so only a second import of the same file is caught
            occurrence[key_text] = occurrence.get(key_text, 0) + 1
            key_text += f"\x1f{occurrence[key_text]}"
            import_key = "import:" + hashlib.sha1(key_text.encode()).hexdigest()[:32]
            if import_key in keys:
                plan.already_imported.append(n)
                continue
            keys.add(import_key)
            if not any(k in existing for k in client_keys):
                plan.unknown_clients.append(n)
            plan.purchases.append(PurchaseRow(n, client_key,
                                              _text(_cell(row, mapping, "client_name")),
                                              purchased_on, amount, item, quantity,
                                              _text(_cell(row, mapping, "note")), import_key,
                                              card, client_keys, phone, email))
    return plan


# --------------------------------------------------------------------------- writing

@dataclass(frozen=True)
class Report:
    created: int = 0
    merged: int = 0
    skipped: int = 0
    purchases: int = 0
    already_imported: int = 0
    rejected: int = 0
    unknown_skipped: int = 0


def apply_import(session: Session, plan: Plan, region: str, *,
                 duplicates: dict[int, str] | None = None, create_unknown: bool = False,
                 today: date | None = None) -> Report:
    """Write the plan in the caller's transaction (all or nothing). ``duplicates`` maps
    a duplicate row to "merge" (fill the existing client's empty fields), "skip" (the
    default) or "new" (a separate client)."""
    from app.services import schedule
    from app.services.clients import ClientData, refresh_client_stats, save_client
    today = today or date.today()
    choice = duplicates or {}
    dup = {d.row: d for d in plan.duplicates}
    created = merged = skipped = 0
    touched: set[int] = set()
    for r in plan.clients:
        d = dup.get(r.row)
        action = choice.get(r.row, "skip") if d else "new"
        if action == "skip":
            skipped += 1
            continue
        if action == "merge" and d is not None and d.client_id is not None:
            c = session.get(Client, d.client_id)
            if not c.phone and r.phone:
                c.phone, c.phone_digits = r.phone, phone_digits(r.phone)
            if not c.email and r.email:
                c.email = r.email
            if not c.external_ref and r.card_number and not _card_taken(session, r.card_number):
                c.external_ref = r.card_number
            if r.notes and r.notes not in c.notes:
                c.notes = f"{c.notes}\n{r.notes}".strip()
            if r.birthday and not session.scalar(select(PersonalDate.id).where(
                    PersonalDate.client_id == c.id, PersonalDate.relative_id.is_(None),
                    PersonalDate.kind == DateKind.BIRTHDAY)):
                session.add(PersonalDate(client_id=c.id, kind=DateKind.BIRTHDAY,
                                         month=r.birthday[0], day=r.birthday[1],
                                         year=r.birthday[2]))
            from app.services.clients import search_text_for
            c.search_text = search_text_for(c.name, c.email, c.external_ref, c.notes,
                                            c.preferences)
            merged += 1
            touched.add(c.id)
            continue
        data = ClientData(name=r.name, phone=r.phone or "", email=r.email or "",
                          external_ref="" if r.card_number and _card_taken(
                              session, r.card_number) else (r.card_number or ""),
                          notes=r.notes, source_channel=r.source_channel or "", tags=r.tags,
                          marketing_consent=bool(r.marketing_consent),
                          marketing_consent_on=today if r.marketing_consent else None)
        if r.birthday:
            from app.services.clients import PersonalDateData
            data.dates = [PersonalDateData(kind=DateKind.BIRTHDAY, month=r.birthday[0],
                                           day=r.birthday[1], year=r.birthday[2])]
        cid = save_client(session, data, region=region, today=today, refresh=False)
        touched.add(cid)
        created += 1
    n_purchases = unknown_skipped = 0
    if plan.purchases:
        index = _existing_index(session)
        for p in plan.purchases:
            keys = p.client_keys or [p.client_key]
            hit = next((index[k] for k in keys if k in index), None)
            if hit is None:
                if not create_unknown:
                    unknown_skipped += 1
                    continue
                name = p.client_name or p.card_number or p.phone or p.email or ""
                data = ClientData(name=name, phone=p.phone or "", email=p.email or "",
                                  external_ref=p.card_number or "")
                cid = save_client(session, data, region=region, today=today, refresh=False)
                for k in keys:
                    index[k] = (cid, name)
                created += 1
                hit = (cid, name)
            session.add(Purchase(client_id=hit[0], purchased_on=p.purchased_on,
                                 amount=p.amount, item=p.item, quantity=p.quantity,
                                 note=p.note, import_key=p.import_key))
            touched.add(hit[0])
            n_purchases += 1
    session.flush()
    if touched:
        refresh_client_stats(session, sorted(touched), today=today)
        schedule.regenerate(session, today, client_ids=sorted(touched))
    return Report(created, merged, skipped, n_purchases, len(plan.already_imported),
                  len({p.row for p in plan.problems}), unknown_skipped)


def _card_taken(session: Session, card: str) -> bool:
    return session.scalar(select(Client.id).where(Client.external_ref == card)) is not None


# --------------------------------------------------------------------------- remembered mappings

def remembered_mapping(session: Session, table: RawTable, kind: str) -> dict[int, str] | None:
    import json

    from app.services import settings as settings_service
    saved = json.loads(settings_service.get(session, "import.mappings") or "{}")
    got = saved.get(f"{kind}:{signature(table.headers)}")
    if not got:
        return None
    fields = CLIENT_FIELDS if kind == "clients" else PURCHASE_FIELDS
    return {int(i): f for i, f in got.items() if f in fields and int(i) < len(table.headers)}


def remember_mapping(session: Session, table: RawTable, kind: str,
                     mapping: dict[int, str]) -> None:
    import json

    from app.services import settings as settings_service
    saved = json.loads(settings_service.get(session, "import.mappings") or "{}")
    saved[f"{kind}:{signature(table.headers)}"] = {str(i): f for i, f in mapping.items()}
    settings_service.put(session, "import.mappings", json.dumps(saved, ensure_ascii=False))
