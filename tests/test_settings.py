"""Settings (app/services/settings.py): defaults, typed round trips, range checks and
damaged stored values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.config import SETTINGS
from app.errors import ValidationError
from app.models import Setting
from app.services import settings as settings_service


def _put(db, key, value):
    with db.session() as s:
        return settings_service.put(s, key, value)


def _get(db, key):
    with db.session() as s:
        return settings_service.get(s, key)


def _code(info) -> str:
    [error] = info.value.errors
    return error.code


def test_defaults_when_nothing_is_stored(db):
    with db.session() as s:
        assert s.scalars(select(Setting)).all() == []
        for key, d in SETTINGS.items():
            assert settings_service.get(s, key) == d.default, key
        assert settings_service.get_all(s) == {k: d.default for k, d in SETTINGS.items()}
    assert _get(db, "status.gap_multiplier") == Decimal("2")
    assert _get(db, "business.region") == "PL"


def test_every_default_is_valid_for_its_own_setting():
    for key, d in SETTINGS.items():
        assert isinstance(d.default, d.kind), key
        assert settings_service.coerce(key, d.default) == d.default, key


@pytest.mark.parametrize("key,value", [
    ("status.default_gap_days", 120),
    ("status.default_gap_days", 1),  # the minimum itself
    ("status.default_gap_days", 3650),  # the maximum itself
    ("status.gap_multiplier", Decimal("2.75")),
    ("rule.follow_up.min_amount", Decimal("150.50")),
    ("rule.follow_up.enabled", False),
    ("membership.freeze_extends_end", False),
    ("business.name", "Salon Anna — Łódź"),
    ("business.region", "RU"),
])
def test_put_get_round_trip(db, key, value):
    assert _put(db, key, value) == value
    got = _get(db, key)  # in a new session: it was stored
    assert got == value
    assert type(got) is type(value)
    with db.session() as s:
        assert settings_service.get_all(s)[key] == value


def test_put_overwrites_and_keeps_one_row(db):
    _put(db, "status.default_gap_days", 30)
    _put(db, "status.default_gap_days", 45)
    assert _get(db, "status.default_gap_days") == 45
    with db.session() as s:
        rows = s.scalars(select(Setting).where(Setting.key == "status.default_gap_days")).all()
    assert len(rows) == 1


def test_decimal_is_stored_exactly(db):
    _put(db, "status.gap_multiplier", Decimal("1.1"))
    with db.session() as s:
        raw = s.get(Setting, "status.gap_multiplier").value
    assert raw == '"1.1"'  # as text, never a float
    assert _get(db, "status.gap_multiplier") == Decimal("1.1")


def test_put_coerces_text(db):
    assert _put(db, "status.default_gap_days", "75") == 75
    assert _get(db, "status.default_gap_days") == 75
    assert _put(db, "status.gap_multiplier", "3.5") == Decimal("3.5")
    assert _put(db, "business.name", "  Salon  ") == "Salon"


@pytest.mark.parametrize("key,value,code,limit", [
    ("status.default_gap_days", 0, "setting.min", 1),
    ("status.default_gap_days", -5, "setting.min", 1),
    ("status.default_gap_days", 3651, "setting.max", 3650),
    ("status.gap_multiplier", Decimal("0.99"), "setting.min", Decimal("1")),
    ("status.gap_multiplier", Decimal("10.01"), "setting.max", Decimal("10")),
    ("rule.follow_up.min_amount", Decimal("-0.01"), "setting.min", Decimal("0")),
    ("segment.a_revenue_share", 100, "setting.max", 99),
])
def test_out_of_range(db, key, value, code, limit):
    with pytest.raises(ValidationError) as info:
        _put(db, key, value)
    assert _code(info) == code
    [error] = info.value.errors
    assert error.field == key
    assert error.values == {"minimum" if code == "setting.min" else "maximum": limit}
    assert _get(db, key) == SETTINGS[key].default  # nothing stored


@pytest.mark.parametrize("key,value", [
    ("status.default_gap_days", "abc"),
    ("status.default_gap_days", None),
    ("status.default_gap_days", True),  # a bool is not a number of days
    ("status.default_gap_days", [3]),
    ("status.gap_multiplier", "abc"),
    ("status.gap_multiplier", "NaN"),
    ("status.gap_multiplier", "Infinity"),
    ("rule.follow_up.enabled", "yes"),
    ("rule.follow_up.enabled", 1),
    ("rule.follow_up.enabled", None),
])
def test_wrong_type(db, key, value):
    with pytest.raises(ValidationError) as info:
        _put(db, key, value)
    assert _code(info) == "setting.type"
    assert info.value.errors[0].field == key
    assert _get(db, key) == SETTINGS[key].default


def test_rejected_value_keeps_the_stored_one(db):
    _put(db, "status.default_gap_days", 30)
    with pytest.raises(ValidationError):
        _put(db, "status.default_gap_days", 99999)
    assert _get(db, "status.default_gap_days") == 30


@pytest.mark.parametrize("value", [2.5, Decimal("2.5")])
def test_fraction_for_an_int_setting_is_wrong_type(db, value):
    with pytest.raises(ValidationError) as info:
        _put(db, "status.default_gap_days", value)
    assert _code(info) == "setting.type"


@pytest.mark.parametrize("key,raw", [
    ("status.default_gap_days", "{not json"),
    ("status.default_gap_days", '"ninety"'),
    ("status.default_gap_days", "null"),
    ("status.gap_multiplier", '"two"'),
    ("status.gap_multiplier", ""),
    ("rule.follow_up.enabled", "tru"),
    ("business.region", "{"),
])
def test_damaged_stored_value_falls_back_to_default(db, key, raw):
    with db.session() as s:
        s.add(Setting(key=key, value=raw))
    default = SETTINGS[key].default
    assert _get(db, key) == default
    with db.session() as s:
        everything = settings_service.get_all(s)
    assert everything[key] == default
    # a good value can be stored over the damaged one
    good = {int: 7, Decimal: Decimal("3"), bool: False, str: "BG"}[SETTINGS[key].kind]
    _put(db, key, good)
    assert _get(db, key) == good


def test_one_damaged_value_does_not_hide_the_others(db):
    _put(db, "status.default_gap_days", 30)
    with db.session() as s:
        s.add(Setting(key="status.lapsed_after_days", value="garbage"))
    with db.session() as s:
        everything = settings_service.get_all(s)
    assert everything["status.default_gap_days"] == 30
    assert everything["status.lapsed_after_days"] == 365


@pytest.mark.parametrize(("value", "stored"), [("12345", "12345"), ("654321", "123456"),
                                               ("1 1 7", None), ("7", "7")])
def test_working_days_are_iso_weekdays_each_once(db, value, stored):
    if stored is None:
        with pytest.raises(ValidationError) as info:
            _put(db, "business.working_days", value)
        assert _code(info) == "setting.type"
    else:
        _put(db, "business.working_days", value)
        assert _get(db, "business.working_days") == stored


def test_a_business_open_on_no_day_is_refused(db):
    for value in ("", "   ", "0", "8"):
        with pytest.raises(ValidationError) as info:
            _put(db, "business.working_days", value)
        assert _code(info) in ("working_days.required", "setting.type")
    assert _get(db, "business.working_days") == "123456"
