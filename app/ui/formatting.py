"""Showing dates, money and phones the way the user's locale writes them.

Light at import (Qt and the standard library): the client list painted at start-up uses
it before the services (and phonenumbers, email-validator) are imported; what reads or
checks text imports ``app.services.validation`` when first called."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from app.errors import DomainError

#: phones already formatted: (E.164, region) -> what the list shows. The window fills it
#: from what it remembered of the last start (phones_known) so that the first page needs
#: no phonenumbers import before it is painted
_PHONES: dict[tuple[str, str], str] = {}


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def qtime(t: time) -> QTime:
    return QTime(t.hour, t.minute)


def pytime(q: QTime) -> time:
    return time(q.hour(), q.minute())


def fmt_date(d: date | None, locale: QLocale | None = None) -> str:
    """A day as the locale writes it short, with its four-digit year ("1.12.2026 г.",
    "12/1/2026"; the locale's own short form has two digits in Bulgarian and English):
    the form a date field shows (:func:`date_entry_pattern`)."""
    if d is None:
        return ""
    loc = locale or QLocale()
    return loc.toString(qdate(d), date_entry_pattern(loc))


def four_digit_years(pattern: str) -> str:
    """A QLocale date or date-time pattern with every year written with four digits
    (quoted literals kept as they are)."""
    pieces = re.split(r"('[^']*')", pattern)
    return "".join(p if p.startswith("'") else re.sub(r"y+", "yyyy", p) for p in pieces)


def date_entry_pattern(locale: QLocale | None = None) -> str:
    """The locale's short date pattern with a 4-digit year ("d.MM.yyyy", "M/d/yyyy"):
    how a date field shows a date, so that what it shows reads back the same."""
    return four_digit_years((locale or QLocale()).dateFormat(QLocale.FormatType.ShortFormat))


def month_name(month: int, locale: QLocale | None = None) -> str:
    """The name of a month standing alone (a picker, a heading): the nominative
    ("январь", "styczeń"), never the form that goes with a day ("января", "stycznia")."""
    return (locale or QLocale()).standaloneMonthName(month, QLocale.FormatType.LongFormat)


_DATE_TOKEN = re.compile(r"'[^']*'|d+|M+|y+")


def day_month_pattern(locale: QLocale | None = None) -> str:
    """The day and month of the locale's long date, without weekday and year ("d MMMM",
    "MMMM d", "d. MMMM"): a month written with a day takes the form that goes with it."""
    pattern = (locale or QLocale()).dateFormat(QLocale.FormatType.LongFormat)
    spans = [(m.start(), m.end()) for m in _DATE_TOKEN.finditer(pattern)
             if m.group() in ("d", "dd", "MMMM")]
    if len(spans) != 2:
        return "d MMMM"
    return pattern[spans[0][0]:spans[1][1]]


def fmt_day_month(month: int, day: int, locale: QLocale | None = None) -> str:
    """A yearly day as the locale writes it: "6 grudnia", "6 декабря", "December 6"
    (the genitive where the language puts one after a day number); 29 February too."""
    loc = locale or QLocale()
    return loc.toString(QDate(2000, month, day), day_month_pattern(loc))


def fmt_date_entry(d: date | None, locale: QLocale | None = None) -> str:
    if d is None:
        return ""
    loc = locale or QLocale()
    return loc.toString(qdate(d), date_entry_pattern(loc))


def parse_date_input(text: str, locale: QLocale | None = None, *,
                     field: str = "date") -> date | None:
    """A date typed in the locale's order (or ISO); raises DomainError."""
    from app.services.validation import date_order, parse_date_text  # lazy: start-up
    return parse_date_text(text, date_order(date_entry_pattern(locale)), field=field)


def fmt_datetime(d: datetime | None, locale: QLocale | None = None) -> str:
    if d is None:
        return ""
    q = QDateTime(qdate(d.date()), QTime(d.hour, d.minute, d.second))
    loc = locale or QLocale()
    return loc.toString(q, four_digit_years(loc.dateTimeFormat(QLocale.FormatType.ShortFormat)))


def fmt_decimal(value: Decimal, locale: QLocale | None = None, places: int = 2) -> str:
    """A Decimal with the locale's separators, without passing through float."""
    loc = locale or QLocale()
    q = Decimal(1).scaleb(-places) if places else Decimal(1)
    text = f"{abs(value.quantize(q)):,.{places}f}"
    group, point = loc.groupSeparator(), loc.decimalPoint()
    text = text.replace(",", "\x00").replace(".", point).replace("\x00", group)
    return ("-" if value < 0 else "") + text


def fmt_decimal_short(value: Decimal, locale: QLocale | None = None) -> str:
    """A setting's number without needless zeros ("2", "1.5"), unless dropping them
    would make it read two ways ("1,050" stays "1,050.00")."""
    loc = locale or QLocale()
    full = fmt_decimal(value, loc)
    short = full.rstrip("0").rstrip(loc.decimalPoint()) if value else "0"
    if short.lstrip("-") in ("", "0"):
        return "0"
    from app.services.validation import read_amount  # lazy: start-up
    try:
        _value, ambiguous = read_amount(short, loc.decimalPoint(), loc.groupSeparator())
    except DomainError:  # a text we cannot read back is not shortened
        return full
    return full if ambiguous else short


def fmt_quantity(value: Decimal, locale: QLocale | None = None) -> str:
    places = 0 if value == value.to_integral_value() else 3
    text = fmt_decimal(value, locale, places)
    if places:
        text = text.rstrip("0")
    return text


def fmt_money(value: Decimal | None, currency: str, locale: QLocale | None = None) -> str:
    """Money in the locale's pattern ("1 234,50 zł", "$1,234.50")."""
    if value is None:
        return ""
    loc = locale or QLocale()
    number = fmt_decimal(abs(value), loc)
    symbol = currency_symbol(currency, loc)
    pattern = loc.toCurrencyString(0.0, symbol, 2)
    zero = fmt_decimal(Decimal("0"), loc)
    text = pattern.replace(zero, number, 1) if zero in pattern else f"{number} {symbol}"
    return ("-" if value < 0 else "") + text


_SYMBOLS = {"PLN": "zł", "RUB": "₽", "BGN": "лв.", "EUR": "€", "USD": "$", "GBP": "£",
            "UAH": "₴", "CZK": "Kč"}


def currency_symbol(currency: str, locale: QLocale | None = None) -> str:
    return _SYMBOLS.get(currency.upper(), currency.upper())


def parse_money(text: str, locale: QLocale | None = None, *, field: str = "amount",
                allow_negative: bool = False) -> Decimal:
    """Read an amount typed with the locale's separators (raises DomainError)."""
    from app.services.validation import parse_amount  # lazy: start-up
    loc = locale or QLocale()
    return parse_amount(text, loc.decimalPoint(), loc.groupSeparator(), field=field,
                        allow_negative=allow_negative)


def phone_display(e164: str | None, region: str) -> str:
    """National format for numbers of the business's country, international otherwise
    (``validation.format_phone``), remembered once formatted."""
    if not e164:
        return ""
    key = (e164, region.upper())
    shown = _PHONES.get(key)
    if shown is None:
        # lazy: start-up, phonenumbers (~30 ms) is imported after the first paint
        from app.services.validation import format_phone
        shown = _PHONES[key] = format_phone(e164, region)
    return shown


def phones_known(region: str, shown: dict[str, str]) -> None:
    """Phones of ``region`` formatted before (E.164 -> shown), e.g. by the last start."""
    for e164, text in shown.items():
        if isinstance(e164, str) and isinstance(text, str):
            _PHONES.setdefault((e164, region.upper()), text)


def phones_shown(region: str, numbers) -> dict[str, str]:
    """How ``numbers`` are shown (E.164 -> text), for the next start's first page."""
    return {n: phone_display(n, region) for n in numbers if n}


def country_name(region: str, locale: QLocale | None = None) -> str:
    """"Польша": the country of a region code in the user's language, as the Settings
    page names it (its code when nobody names it)."""
    # imported here, for the start-up's sake: the names (Babel's CLDR data) are read on
    # the first tooltip or form that needs one, not before the client list paints
    from app.countries import country_names
    return country_names((locale or QLocale()).name()).get(region, region)

