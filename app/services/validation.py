"""Field-level checks shared by every form and importer (no Qt)."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from app.errors import DomainError

MAX_AMOUNT = Decimal("9999999999.99")  # Numeric(12, 2)
_PHONE_CHARS = re.compile(r"^[\d\s+\-().\/]+$")


def nfc(text: str | None) -> str:
    """Text as stored and compared: Unicode NFC, so "Łukasz" typed as L + combining
    stroke or pasted from a Mac (decomposed) is the same name, the same card number."""
    return unicodedata.normalize("NFC", text or "")


def normalize_phone(text: str, region: str) -> str | None:
    """Parse a phone typed in any format; returns E.164, or None for an empty field.

    Raises DomainError("phone.invalid") for a number that is not valid in ``region`` (or
    in its own country, when it starts with + or 00)."""
    text = (text or "").strip()
    if not text:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region.upper() or None)
    except phonenumbers.NumberParseException:
        raise DomainError("phone.invalid", f"not a phone number: {text}", field="phone",
                          value=text) from None
    if not phonenumbers.is_valid_number(number):
        raise DomainError("phone.invalid", f"not a valid phone number: {text}", field="phone",
                          value=text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_digits(e164: str | None) -> str | None:
    return re.sub(r"\D", "", e164) if e164 else None


def unchecked_digits(text: str | None) -> str | None:
    """The digits of a number kept unchecked, so search and an import's matching find it
    (at most 32, the width of ``phone_digits``); None when it has fewer than five."""
    digits = re.sub(r"\D", "", text or "")
    return digits[:32] if len(digits) >= 5 else None


def format_phone(e164: str | None, region: str) -> str:
    """National format for numbers of the business's country, international otherwise."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region.upper():
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_search_keys(text: str, region: str) -> list[str]:
    """Digit strings to look for when a search text looks like (part of) a phone number.

    "+48 601-234-567", "601 234 567" and "601234567" all give a key that is a substring
    of the stored digits "48601234567"; a national form with a trunk prefix
    ("8 916 123-45-67" in Russia) is also turned into its international digits."""
    text = (text or "").strip()
    if not _PHONE_CHARS.match(text):
        return []
    digits = re.sub(r"\D", "", text)
    if len(digits) < 3:
        return []
    keys = [digits]
    try:
        number = phonenumbers.parse(text, region.upper() or None)
        if phonenumbers.is_possible_number(number):
            full = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]
            if full not in keys:
                keys.append(full)
    except phonenumbers.NumberParseException:
        pass
    return keys


#: an unquoted ASCII local part (RFC 5322 dot-atom), at most 64 characters
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")


@functools.lru_cache(maxsize=1 << 14)
def _plain_domain(domain: str) -> str | None:
    """The normalized form of an address's domain as email-validator gives it, or None
    when the domain is refused (the whole address is then checked again, for its
    message). An import's addresses share few domains: one check each."""
    try:
        return validate_email(f"a@{domain}", check_deliverability=False).domain
    except EmailNotValidError:
        return None


def normalize_email(text: str) -> str | None:
    """The address as email-validator normalizes it (the domain lower-cased, a Unicode
    domain in its Unicode form), or DomainError("email.invalid").

    A plain ASCII address (an unquoted dot-atom local part, at most 128 characters in
    all, so no length rule can refuse it) is the local part as typed plus its domain's
    normalized form, and only the domain can make it invalid: the domain is checked once
    per distinct domain (tests/test_email_fast.py proves the result equal to a whole
    check on random addresses). Anything else gets the whole check."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) <= 128 and text.isascii():
        local, at, domain = text.rpartition("@")
        if at and len(local) <= 64 and _PLAIN_LOCAL.fullmatch(local):
            normalized = _plain_domain(domain)
            if normalized is not None:
                return f"{local}@{normalized}"
    try:
        info = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise DomainError("email.invalid", f"not a valid e-mail address: {text} ({exc})",
                          field="email", value=text) from None
    return info.normalized


_SPACES = (" ", "\u00a0", "\u202f", "\u2009", "'", "\u2019")
_MINUS = ("-", "\u2212", "\u2013")


def _grouping_ok(whole: str, group: str | None) -> bool:
    """``whole`` is digits, or digit groups joined by ``group`` and/or spaces: 1-3 digits
    first (not starting with 0), then groups of exactly three."""
    parts = re.split(r"[ " + re.escape(group or " ") + r"]", whole)
    if len(parts) == 1:
        return parts[0].isdigit() or parts[0] == ""
    first, rest = parts[0], parts[1:]
    return (first.isdigit() and 1 <= len(first) <= 3 and not first.startswith("0")
            and all(len(g) == 3 and g.isdigit() for g in rest))


def read_amount(text: str, decimal_point: str = ".", group_sep: str = "", *,
                field: str = "amount") -> tuple[Decimal, bool]:
    """Read an amount typed with either decimal separator; returns (value, ambiguous).

    The locale's decimal point is always a decimal point. The other separator is one
    too where nothing else can be meant ("10,5" or "10,50" in English); a separator seen
    twice, or both separators in one number ("1.234,50"), are read as grouping + decimal.
    A single separator followed by exactly three digits ("1,050", "1.050") can mean
    a thousand or a decimal: it is read by the locale's rule (its decimal point is a
    decimal, anything else is grouping) and reported as ``ambiguous`` so the form can
    show its reading back before saving. The value is not yet range-checked."""
    raw = (text or "").strip()
    for sp in _SPACES:
        if sp != decimal_point:
            raw = raw.replace(sp, " ")
    if group_sep and group_sep not in ".," and group_sep != decimal_point:
        raw = raw.replace(group_sep, " ")
    raw = raw.strip()
    if not raw:
        raise DomainError("amount.required", "an amount is required", field=field)
    shown = (text or "").strip()
    sign = ""
    if raw[0] in _MINUS or raw[0] == "+":
        sign = "-" if raw[0] in _MINUS else ""
        raw = raw[1:].lstrip()
    if not raw or not re.fullmatch(r"[\d., ]+", raw) or not any(c.isdigit() for c in raw):
        raise DomainError("amount.invalid", f"not an amount: {shown}", field=field,
                          value=shown)
    marks = [c for c in raw if c in ".,"]
    kinds = set(marks)
    point: str | None = None
    group: str | None = None
    ambiguous = False
    if len(kinds) == 2:
        point = raw[max(raw.rfind("."), raw.rfind(","))]
        group = "," if point == "." else "."
        if raw.count(point) != 1 or raw.rfind(group) > raw.rfind(point):
            raise DomainError("amount.invalid", f"not an amount: {shown}", field=field,
                              value=shown)
    elif len(kinds) == 1:
        mark = marks[0]
        if len(marks) > 1:
            group = mark  # a number has one decimal point: this is grouping
        else:
            before, after = raw.split(mark)
            looks_grouped = (len(after) == 3 and after.isdigit()
                             and _grouping_ok(before.strip() + mark + after, mark))
            if looks_grouped:
                ambiguous = True
                if mark == decimal_point:
                    point = mark
                else:
                    group = mark
            else:
                point = mark
    if point is not None:
        whole, frac = raw.split(point)
        whole = whole.rstrip()
    else:
        whole, frac = raw, None
    if frac is not None and not (frac.isdigit() or (frac == "" and whole)):
        raise DomainError("amount.invalid", f"not an amount: {shown}", field=field, value=shown)
    if not _grouping_ok(whole, group) or (whole == "" and not frac):
        raise DomainError("amount.invalid", f"not an amount: {shown}", field=field, value=shown)
    digits = re.sub(r"\D", "", whole) or "0"
    number = digits + ("." + frac if frac else "")
    try:
        value = Decimal(sign + number)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only digits
        raise DomainError("amount.invalid", f"not an amount: {shown}", field=field,
                          value=shown) from None
    return value, ambiguous


def parse_amount(text: str | Decimal | int, decimal_point: str = ".", group_sep: str = "",
                 *, field: str = "amount", allow_negative: bool = False) -> Decimal:
    """Read money typed with the locale's separators ("1 234,50" in Poland) into a
    Decimal with two places. Never goes through float. An ambiguous text ("1,050") is
    read by the locale's rule (see ``read_amount``); forms use ``read_amount`` to show
    such a reading back before they save."""
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        value, _ambiguous = read_amount(text, decimal_point, group_sep, field=field)
    return check_amount(value, field=field, allow_negative=allow_negative, shown=str(text))


def check_amount(value: Decimal, *, field: str = "amount", allow_negative: bool = False,
                 shown: str = "") -> Decimal:
    """Range and precision of an amount; returns it with two places."""
    if not value.is_finite():
        raise DomainError("amount.invalid", f"not an amount: {shown}", field=field,
                          value=shown or str(value))
    if value < 0 and not allow_negative:
        raise DomainError("amount.negative", "an amount cannot be negative", field=field)
    in_cents = value.scaleb(2)  # exact, whatever the size
    if in_cents != in_cents.to_integral_value():
        raise DomainError("amount.precision", "at most two decimal places", field=field)
    if abs(value) > MAX_AMOUNT:  # before rounding: a huge number cannot be quantized
        raise DomainError("amount.too_large", "the amount is too large", field=field)
    return value.quantize(Decimal("0.01"))


# --------------------------------------------------------------------------- dates

MIN_YEAR, MAX_YEAR = 1900, 2100


def date_order(pattern: str) -> str:
    """"DMY", "MDY" or "YMD" from a date pattern such as "d.MM.yyyy" or "M/d/yy"
    (quoted literals skipped)."""
    plain = re.sub(r"'[^']*'", "", pattern or "")
    found = {c: plain.find(c) for c in "dMy" if c in plain}
    if len(found) != 3:
        return "DMY"
    return "".join({"d": "D", "M": "M", "y": "Y"}[c] for c in sorted(found, key=found.get))


def parse_date_text(text: str, order: str = "DMY", *, field: str = "date") -> date | None:
    """A date typed by hand: in the locale's order (``order`` is "DMY", "MDY" or "YMD")
    with 1- or 2-digit day and month and a 4-digit year, separated by dots, slashes,
    dashes or spaces; or ISO yyyy-mm-dd in any locale. A trailing word the locale's
    format adds ("20.11.2026 г.") is ignored. Returns None for an empty text; raises
    DomainError for an impossible date or one that could be misread (a 2-digit year)."""
    shown = (text or "").strip()
    t = re.sub(r"[^\d]+$", "", shown)  # "г.", "r.", a trailing dot
    if not t:
        if shown:
            raise DomainError("date.invalid", f"not a date: {shown}", field=field, value=shown)
        return None
    parts = re.split(r"\s*[./\-,]\s*|\s+", t)
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise DomainError("date.invalid", f"not a date: {shown}", field=field, value=shown)
    if len(parts[0]) == 4:
        order = "YMD"  # ISO and yyyy.mm.dd are never misread
    elif order.startswith("Y"):
        # an ISO locale (the stand-in for LANG=C) with the year typed last: day first,
        # as C's own "d MM yyyy" and most of the world write it
        order = "DMY"
    by = dict(zip(order, parts, strict=True))
    y, m, d = by["Y"], by["M"], by["D"]
    if len(y) != 4:
        raise DomainError("date.year_digits", f"write the year with four digits: {shown}",
                          field=field, value=shown)
    if not (1 <= len(m) <= 2 and 1 <= len(d) <= 2):
        raise DomainError("date.invalid", f"not a date: {shown}", field=field, value=shown)
    try:
        out = date(int(y), int(m), int(d))
    except ValueError:
        raise DomainError("date.invalid", f"not a date: {shown}", field=field,
                          value=shown) from None
    if not (MIN_YEAR <= out.year <= MAX_YEAR):
        raise DomainError("date.year_range", "the year is out of range", field=field,
                          year=out.year)
    return out


def check_month_day(month: int, day: int, year: int | None, *, field: str,
                    not_after: date | None = None) -> None:
    """A yearly date: 29 February is fine without a year, not with a non-leap one.
    ``not_after``: a date that has happened (a birth) cannot have a year after it."""
    try:
        date(year if year else 2000, month, day)  # 2000 is a leap year
    except (ValueError, TypeError):
        raise DomainError("date.invalid", "not a valid date", field=field,
                          month=month, day=day, year=year) from None
    if year is not None and not (1900 <= year <= 2100):
        raise DomainError("date.year_range", "the year is out of range", field=field,
                          year=year)
    if year is not None and not_after is not None and date(year, month, day) > not_after:
        raise DomainError("date.year_future", "the year is in the future", field=field,
                          year=year)
