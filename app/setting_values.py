"""How a stored setting's JSON text reads as its value, and how a value is checked.

A light module (the standard library only): the window reads the settings it paints with
(region, currency, the status rules) by sqlite3 before SQLAlchemy is imported
(:mod:`app.quick_open`); :mod:`app.services.settings` uses the same functions."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from app.config import SETTINGS, SettingDef
from app.errors import FieldError, ValidationError


def _decode(d: SettingDef, raw: str) -> Any:
    value = json.loads(raw)
    if d.kind is Decimal:
        return Decimal(str(value))
    if d.kind is bool:
        return bool(value)
    return d.kind(value)


def _encode(d: SettingDef, value: Any) -> str:
    if d.kind is Decimal:
        return json.dumps(str(value))
    return json.dumps(value)


def _weekdays(key: str, value: str) -> str:
    """ISO weekdays, each once, in order ("1" = Monday); at least one."""
    if any(c not in "1234567" for c in value):
        raise ValueError
    if not value:
        raise ValidationError([FieldError(key, "working_days.required", "no working day")])
    return "".join(sorted(set(value)))


def coerce(key: str, value: Any) -> Any:
    """Check a value for a setting; raises ValidationError with the setting's key."""
    d = SETTINGS[key]
    try:
        if d.kind is Decimal:
            v: Any = Decimal(str(value))
            if not v.is_finite():
                raise InvalidOperation
        elif d.kind is bool:
            if not isinstance(value, bool):
                raise ValueError
            v = value
        elif d.kind is int:
            if isinstance(value, bool):
                raise ValueError
            number = Decimal(str(value))
            if number != number.to_integral_value():
                raise ValueError  # 2.5 days is no whole number; never cut it silently
            v = int(number)
        else:
            v = str(value).strip()
        if key == "business.working_days":
            v = _weekdays(key, v)
    except (ValueError, TypeError, InvalidOperation):
        raise ValidationError([FieldError(key, "setting.type", f"{key}: wrong type")]) from None
    if d.minimum is not None and v < d.minimum:
        raise ValidationError([FieldError(key, "setting.min", f"{key} < {d.minimum}",
                                          {"minimum": d.minimum})])
    if d.maximum is not None and v > d.maximum:
        raise ValidationError([FieldError(key, "setting.max", f"{key} > {d.maximum}",
                                          {"maximum": d.maximum})])
    return v


def _stored(d: SettingDef, raw: str) -> Any:
    """A stored value, or the default when it is damaged or out of range: a bad value
    in the file never stops the app."""
    try:
        return coerce(d.key, _decode(d, raw))
    except (ValueError, TypeError, InvalidOperation, ValidationError):
        return d.default


def stored_values(rows) -> dict[str, Any]:
    """Every setting's value from the stored ``(key, value)`` rows, a default for a
    missing or damaged one (what ``settings.get_all`` returns)."""
    stored = dict(rows)
    return {key: _stored(d, stored[key]) if key in stored else d.default
            for key, d in SETTINGS.items()}
