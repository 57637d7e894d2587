"""Field-level checks shared by every form and importer (no Qt)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from app.errors import DomainError

MAX_AMOUNT = Decimal("9999999999.99")  # Numeric(12, 2)
_PHONE_CHARS = re.compile(r"^[\d\s+\-().\/]+$")


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


def normalize_email(text: str) -> str | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        info = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise DomainError("email.invalid", f"not a valid e-mail address: {text} ({exc})",
                          field="email", value=text) from None
    return info.normalized


def parse_amount(text: str | Decimal | int, decimal_point: str = ".", group_sep: str = "",
                 *, field: str = "amount", allow_negative: bool = False) -> Decimal:
    """Read money typed with the locale's separators ("1 234,50" in Poland) into a
    Decimal with two places. Never goes through float."""
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        raw = (text or "").strip().replace("\u00a0", " ").replace("\u202f", " ")
        if not raw:
            raise DomainError("amount.required", "an amount is required", field=field)
        cleaned = raw.replace(" ", "")
        if group_sep and group_sep not in (" ", "\u00a0", "\u202f") and group_sep != decimal_point:
            cleaned = cleaned.replace(group_sep, "")
        if decimal_point != ".":
            if "." in cleaned and decimal_point not in cleaned and cleaned.count(".") == 1:
                pass  # "12.50" typed in a comma locale: accept the dot as the decimal point
            else:
                cleaned = cleaned.replace(decimal_point, ".")
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
            raise DomainError("amount.invalid", f"not an amount: {raw}", field=field, value=raw)
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise DomainError("amount.invalid", f"not an amount: {raw}", field=field,
                              value=raw) from None
    if not value.is_finite():
        raise DomainError("amount.invalid", f"not an amount: {text}", field=field,
                          value=str(text))
    if value < 0 and not allow_negative:
        raise DomainError("amount.negative", "an amount cannot be negative", field=field)
    in_cents = value.scaleb(2)  # exact, whatever the size
    if in_cents != in_cents.to_integral_value():
        raise DomainError("amount.precision", "at most two decimal places", field=field)
    if abs(value) > MAX_AMOUNT:  # before rounding: a huge number cannot be quantized
        raise DomainError("amount.too_large", "the amount is too large", field=field)
    return value.quantize(Decimal("0.01"))


def check_month_day(month: int, day: int, year: int | None, *, field: str) -> None:
    """A yearly date: 29 February is fine without a year, not with a non-leap one."""
    try:
        date(year if year else 2000, month, day)  # 2000 is a leap year
    except (ValueError, TypeError):
        raise DomainError("date.invalid", "not a valid date", field=field,
                          month=month, day=day, year=year) from None
    if year is not None and not (1900 <= year <= 2100):
        raise DomainError("date.year_range", "the year is out of range", field=field,
                          year=year)
