"""Use cases of the Settings page: saving the rules, saving the business.

Each is one named operation the window (and any other caller) runs in one unit of work:
the values are checked field by field and across fields first (a refusal names every
field, nothing is written), then stored, then the due contacts are brought in line with
them at once (new rules, working days and the country's public holidays move calls).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.errors import FieldError, ValidationError
from app.services import schedule
from app.services import settings as settings_service
from app.services.access import Action, require
from app.services.schedule import RegenStats

A_SHARE, B_SHARE = "segment.a_revenue_share", "segment.b_revenue_share"
NAME, REGION, CURRENCY = "business.name", "business.region", "business.currency"


def check_rules(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every value checked as its setting wants it, then across fields (group A's and
    group B's shares of revenue together are at most 100 %). Returns the values as they
    will be stored; raises ValidationError naming every field refused."""
    checked: dict[str, Any] = {}
    errors: list[FieldError] = []
    for key, value in values.items():
        try:
            checked[key] = settings_service.coerce(key, value)
        except ValidationError as exc:
            errors.extend(exc.errors)
    a, b = checked.get(A_SHARE), checked.get(B_SHARE)
    if a is not None and b is not None and a + b > 100:
        errors.append(FieldError(B_SHARE, "setting.max", f"{A_SHARE} + {B_SHARE} > 100",
                                 {"maximum": 100 - a}))
    if errors:
        raise ValidationError(errors)
    return checked


def save_rules(session: Session, values: Mapping[str, Any],
               today: date | None = None) -> RegenStats:
    """Store the rules (all or nothing) and bring the due contacts in line with them."""
    require(session, Action.SETTINGS)
    checked = check_rules(values)
    for key, value in checked.items():
        settings_service.put(session, key, value)
    return schedule.regenerate(session, today)


def check_business(name: str, region: str, currency: str) -> dict[str, Any]:
    """The business's name, country (ISO code) and currency (three letters, upper case)."""
    code = (currency or "").strip().upper()
    errors: list[FieldError] = []
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        errors.append(FieldError(CURRENCY, "currency.invalid", f"not a currency: {currency!r}",
                                 {"value": currency}))
    checked: dict[str, Any] = {CURRENCY: code}
    for key, value in ((NAME, (name or "").strip()), (REGION, region)):
        try:
            checked[key] = settings_service.coerce(key, value)
        except ValidationError as exc:
            errors.extend(exc.errors)
    if errors:
        raise ValidationError(errors)
    return checked


def save_business(session: Session, name: str, region: str, currency: str,
                  today: date | None = None) -> RegenStats:
    """Store the business's settings and move the calls its country's public holidays
    now close."""
    require(session, Action.SETTINGS)
    checked = check_business(name, region, currency)
    for key, value in checked.items():
        settings_service.put(session, key, value)
    return schedule.regenerate(session, today)
