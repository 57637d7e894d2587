"""Field checks shared by every form and importer (app/services/validation.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import DomainError
from app.services.validation import (
    MAX_AMOUNT,
    check_month_day,
    date_order,
    format_phone,
    nfc,
    normalize_email,
    normalize_phone,
    parse_amount,
    parse_date_text,
    phone_digits,
    phone_search_keys,
    read_amount,
)

PL_FORMS = ["+48 601-234-567", "601 234 567", "601234567", "0048601234567"]


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize("text", PL_FORMS + ["  +48 (601) 234 567  ", "+48.601.234.567"])
def test_normalize_phone_polish_forms_give_e164(text):
    assert normalize_phone(text, "PL") == "+48601234567"


def test_normalize_phone_region_is_case_insensitive():
    assert normalize_phone("601 234 567", "pl") == "+48601234567"


def test_normalize_phone_russian_trunk_prefix():
    assert normalize_phone("8 916 123-45-67", "RU") == "+79161234567"


def test_normalize_phone_international_number_ignores_region():
    # a number with its own country code is read in that country, whatever the region
    assert normalize_phone("+7 916 123-45-67", "PL") == "+79161234567"
    assert normalize_phone("+48 601 234 567", "RU") == "+48601234567"


@pytest.mark.parametrize("text", ["123", "abc", "+48 123", "0000000000000000000000"])
def test_normalize_phone_invalid(text):
    with pytest.raises(DomainError) as info:
        normalize_phone(text, "PL")
    assert info.value.code == "phone.invalid"
    assert info.value.field == "phone"


@pytest.mark.parametrize("text", ["", "   ", None])
def test_normalize_phone_empty_is_none(text):
    assert normalize_phone(text, "PL") is None


def test_phone_digits():
    assert phone_digits("+48601234567") == "48601234567"
    assert phone_digits(None) is None
    assert phone_digits("") is None


@pytest.mark.parametrize("text", ["+48 601-234-567", "601 234 567", "601234567"])
def test_phone_search_keys_match_stored_digits(text):
    keys = phone_search_keys(text, "PL")
    assert keys, text
    assert all(k.isdigit() for k in keys)
    assert any(k in "48601234567" for k in keys)


def test_phone_search_keys_national_trunk_prefix_gives_international_digits():
    keys = phone_search_keys("8 916 123-45-67", "RU")
    assert "79161234567" in keys


@pytest.mark.parametrize("text", ["anna", "Anna 601", "", "12", "a@b.pl"])
def test_phone_search_keys_not_a_phone(text):
    assert phone_search_keys(text, "PL") == []


def test_format_phone_national_for_own_region_international_otherwise():
    national = format_phone("+48601234567", "PL")
    assert national == "601 234 567"
    assert not national.startswith("+")
    international = format_phone("+48601234567", "RU")
    assert international == "+48 601 234 567"
    assert format_phone("+79161234567", "RU").startswith("8")
    assert format_phone("+79161234567", "PL").startswith("+7 ")
    # lower-case region behaves the same
    assert format_phone("+48601234567", "pl") == national


def test_format_phone_empty_and_garbage():
    assert format_phone(None, "PL") == ""
    assert format_phone("", "PL") == ""
    assert format_phone("not a phone", "PL") == "not a phone"


def test_formatted_phone_normalizes_back():
    for e164, region in [("+48601234567", "PL"), ("+79161234567", "RU"),
                         ("+48601234567", "RU")]:
        assert normalize_phone(format_phone(e164, region), region) == e164


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60),
       region=st.sampled_from(["PL", "RU", "US", "BG", "pl", "", "ZZ"]))
def test_normalize_phone_never_raises_anything_but_domain_error(text, region):
    try:
        result = normalize_phone(text, region)
    except DomainError as exc:
        assert exc.code == "phone.invalid"
    else:
        assert result is None or (result.startswith("+") and result[1:].isdigit())
    phone_search_keys(text, region)  # must not raise either


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="0123456789+-() ./", max_size=40),
       region=st.sampled_from(["PL", "RU", "US", "BG", ""]))
def test_normalize_phone_phone_like_text_never_raises_anything_but_domain_error(text, region):
    try:
        normalize_phone(text, region)
    except DomainError as exc:
        assert exc.code == "phone.invalid"
    for key in phone_search_keys(text, region):
        assert key.isdigit()


# --------------------------------------------------------------------------- e-mail


def test_normalize_email_lowercases_domain_only():
    assert normalize_email("Anna.Kowalska@Example.COM") == "Anna.Kowalska@example.com"
    assert normalize_email("  jan@poczta.pl  ") == "jan@poczta.pl"


@pytest.mark.parametrize("text", ["bad@", "no-at-sign", "@example.com", "a b@example.com",
                                  "anna@@example.com"])
def test_normalize_email_invalid(text):
    with pytest.raises(DomainError) as info:
        normalize_email(text)
    assert info.value.code == "email.invalid"
    assert info.value.field == "email"


@pytest.mark.parametrize("text", ["", "   ", None])
def test_normalize_email_empty_is_none(text):
    assert normalize_email(text) is None


# --------------------------------------------------------------------------- amounts


def _is_two_places(value: Decimal) -> bool:
    return isinstance(value, Decimal) and value.as_tuple().exponent == -2


@pytest.mark.parametrize("text,dp,gs,expected", [
    ("1 234,50", ",", "\u00a0", "1234.50"),
    ("1\u00a0234,50", ",", "\u00a0", "1234.50"),
    ("1\u202f234,5", ",", "\u202f", "1234.50"),
    ("1.234,50", ",", ".", "1234.50"),
    ("1,234.50", ".", ",", "1234.50"),
    ("12.5", ".", "", "12.50"),
    ("12,5", ",", "", "12.50"),
    ("12.50", ",", "\u00a0", "12.50"),  # a dot typed in a comma locale
    ("0", ".", "", "0.00"),
    (" 7 ", ".", "", "7.00"),
    ("9999999999.99", ".", "", "9999999999.99"),
    ("1.230", ".", "", "1.23"),  # a trailing zero is not a third place
])
def test_parse_amount(text, dp, gs, expected):
    value = parse_amount(text, decimal_point=dp, group_sep=gs)
    assert value == Decimal(expected)
    assert _is_two_places(value)


def test_parse_amount_never_uses_float():
    # 0.1 + 0.2 as floats is 0.30000000000000004; as text it must stay exact
    assert parse_amount("0.10") + parse_amount("0.20") == Decimal("0.30")
    assert str(parse_amount("1234567.89")) == "1234567.89"


def test_parse_amount_accepts_decimal_and_int():
    assert parse_amount(Decimal("5.5")) == Decimal("5.50")
    assert _is_two_places(parse_amount(Decimal("5.5")))
    assert parse_amount(12) == Decimal("12.00")
    assert _is_two_places(parse_amount(12))


@pytest.mark.parametrize("text,code", [
    ("-1", "amount.negative"),
    ("-0.01", "amount.negative"),
    ("abc", "amount.invalid"),
    ("1e5", "amount.invalid"),
    ("NaN", "amount.invalid"),
    ("12..5", "amount.invalid"),
    ("1.234", "amount.precision"),
    ("0.001", "amount.precision"),
    ("10000000000", "amount.too_large"),
    ("9999999999.999", "amount.precision"),
    ("", "amount.required"),
    ("   ", "amount.required"),
])
def test_parse_amount_errors(text, code):
    with pytest.raises(DomainError) as info:
        parse_amount(text, field="price")
    assert info.value.code == code
    assert info.value.field == "price"


def test_parse_amount_negative_allowed_for_credits():
    value = parse_amount("-12,5", ",", "", allow_negative=True)
    assert value == Decimal("-12.50")
    assert _is_two_places(value)


def test_parse_amount_too_large_decimal():
    with pytest.raises(DomainError) as info:
        parse_amount(MAX_AMOUNT + Decimal("0.01"))
    assert info.value.code == "amount.too_large"


@pytest.mark.parametrize("value", ["1" * 40, Decimal("1E+40")])
def test_parse_amount_huge_number_is_too_large(value):
    with pytest.raises(DomainError) as info:
        parse_amount(value)
    assert info.value.code == "amount.too_large"


SEPARATORS = [(".", ""), (".", ","), (".", " "), (".", "\u00a0"), (".", "'"),
              (",", ""), (",", " "), (",", "\u00a0"), (",", "\u202f"), (",", ".")]


def _format(value: Decimal, dp: str, gs: str, drop_zero_fraction: bool) -> str:
    whole, frac = f"{value:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = gs.join(groups)
    if drop_zero_fraction and frac == "00":
        return text
    return text + dp + frac


@settings(max_examples=400, deadline=None)
@given(value=st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2,
                         allow_nan=False, allow_infinity=False),
       seps=st.sampled_from(SEPARATORS), drop=st.booleans())
def test_parse_amount_round_trips_formatted_values(value, seps, drop):
    dp, gs = seps
    text = _format(value, dp, gs, drop)
    parsed = parse_amount(text, decimal_point=dp, group_sep=gs)
    assert parsed == value, text
    assert _is_two_places(parsed)


# --------------------------------------------------------------------------- yearly dates


@pytest.mark.parametrize("month,day,year", [
    (2, 29, None), (2, 29, 2024), (2, 28, 2023), (12, 31, None), (1, 1, 1900), (4, 30, 2100),
])
def test_check_month_day_valid(month, day, year):
    assert check_month_day(month, day, year, field="dates[0]") is None


@pytest.mark.parametrize("month,day,year", [
    (2, 29, 2023), (4, 31, None), (4, 31, 2024), (2, 30, None), (13, 1, None), (0, 1, None),
    (1, 0, None), (1, 32, None),
])
def test_check_month_day_invalid(month, day, year):
    with pytest.raises(DomainError) as info:
        check_month_day(month, day, year, field="dates[3]")
    assert info.value.code == "date.invalid"
    assert info.value.field == "dates[3]"


@pytest.mark.parametrize("year", [1899, 2101])
def test_check_month_day_year_range(year):
    with pytest.raises(DomainError) as info:
        check_month_day(5, 5, year, field="dates[0]")
    assert info.value.code == "date.year_range"


def test_a_birth_year_in_the_future_is_refused():
    today = date(2026, 11, 20)
    check_month_day(11, 20, 2026, field="dates[0]", not_after=today)  # born today
    with pytest.raises(DomainError) as info:
        check_month_day(11, 21, 2026, field="dates[0]", not_after=today)
    assert info.value.code == "date.year_future"
    with pytest.raises(DomainError):
        check_month_day(1, 1, 2030, field="dates[0]", not_after=today)
    check_month_day(1, 1, 2030, field="dates[0]")  # an anniversary ahead is fine
    check_month_day(12, 24, None, field="dates[0]", not_after=today)  # no year: yearly


# --------------------------------------------------------------------------- either separator


@pytest.mark.parametrize("text,dp,gs,value,ambiguous", [
    ("10,5", ".", ",", "10.5", False),  # stored as 105.00 before
    ("10,50", ".", ",", "10.50", False),
    ("1,050", ".", ",", "1050", True),  # the locale's rule, to be shown back
    ("1.050", ".", ",", "1.050", True),
    ("1,050", ",", "\u00a0", "1.050", True),
    ("1.050", ",", "\u00a0", "1050", True),
    ("0,500", ".", ",", "0.500", False),  # "0,500" is no thousand
    ("1,234,567", ".", ",", "1234567", False),
    ("1.234.567", ".", ",", "1234567", False),
    ("1.234,5", ".", ",", "1234.5", False),
    ("1 050", ",", "\u00a0", "1050", False),
    ("−12,5", ",", "\u00a0", "-12.5", False),
    (",5", ".", ",", "0.5", False),
])
def test_read_amount_either_separator(text, dp, gs, value, ambiguous):
    assert read_amount(text, dp, gs) == (Decimal(value), ambiguous)


@pytest.mark.parametrize("text", ["1,23,456", "1,2,3", "1.234.56", "1,234.5.6", "12 34",
                                  "1.234,567,8", "1 2", ".", ",", "5-"])
def test_read_amount_refuses_what_means_nothing(text):
    with pytest.raises(DomainError) as info:
        read_amount(text, ".", ",")
    assert info.value.code == "amount.invalid"


# --------------------------------------------------------------------------- typed dates


@pytest.mark.parametrize("pattern,order", [
    ("d.MM.yyyy", "DMY"), ("M/d/yy", "MDY"), ("yyyy-MM-dd", "YMD"), ("dd.MM.yyyy", "DMY"),
    ("d.MM.yy\u202f'г'.", "DMY"), ("d MM yyyy", "DMY"), ("", "DMY"),
])
def test_date_order(pattern, order):
    assert date_order(pattern) == order


@pytest.mark.parametrize("text,order,expected", [
    ("31.01.2026", "DMY", date(2026, 1, 31)), ("1.2.2026", "DMY", date(2026, 2, 1)),
    ("2026-02-01", "DMY", date(2026, 2, 1)), ("2026-02-01", "MDY", date(2026, 2, 1)),
    ("2/1/2026", "MDY", date(2026, 2, 1)), ("10 12 2026", "DMY", date(2026, 12, 10)),
    ("20.11.2026 г.", "DMY", date(2026, 11, 20)), ("20.11.2026 r.", "DMY", date(2026, 11, 20)),
    (" 5 . 3 . 2026 ", "DMY", date(2026, 3, 5)), ("10 12 2026", "YMD", date(2026, 12, 10)),
    ("", "DMY", None), ("   ", "DMY", None),
])
def test_parse_date_text(text, order, expected):
    assert parse_date_text(text, order) == expected


@pytest.mark.parametrize("text,code", [
    ("31.02.2026", "date.invalid"), ("29.02.2025", "date.invalid"), ("0.1.2026", "date.invalid"),
    ("1.13.2026", "date.invalid"), ("1.2.26", "date.year_digits"), ("1.2.02026", "date.year_digits"),
    ("123.1.2026", "date.invalid"), ("1.2", "date.invalid"), ("x", "date.invalid"),
    ("1.1.1850", "date.year_range"), ("2026-13-01", "date.invalid"), ("1a.2.2026", "date.invalid"),
])
def test_parse_date_text_refuses(text, code):
    with pytest.raises(DomainError) as info:
        parse_date_text(text, "DMY", field="purchased_on")
    assert info.value.code == code
    assert info.value.field == "purchased_on"


@settings(max_examples=300, deadline=None)
@given(d=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       order=st.sampled_from(["DMY", "MDY", "YMD"]), sep=st.sampled_from([".", "/", "-", " "]),
       pad=st.booleans())
def test_parse_date_text_round_trips(d, order, sep, pad):
    parts = {"D": f"{d.day:02d}" if pad else str(d.day),
             "M": f"{d.month:02d}" if pad else str(d.month), "Y": str(d.year)}
    assert parse_date_text(sep.join(parts[c] for c in order), order) == d


# --------------------------------------------------------------------------- NFC


def test_nfc():
    decomposed = "L\u0301ukasz"  # not a real letter pair, but a combining sequence
    assert nfc("Łukasz") == "Łukasz"
    assert nfc("Rene\u0301e") == "Renée" and len(nfc("Rene\u0301e")) == 5
    assert nfc(decomposed) == "\u0139ukasz"
    assert nfc(None) == ""
