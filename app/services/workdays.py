"""Working days: the one place the app decides whether a day is one the business works
(DOMAIN.md: "Calls fall only on the business's working days, public holidays of its
country excluded").

A day is a working day when its ISO weekday is among ``business.working_days`` and it
is not a public holiday of ``business.region`` (the country the business is in), as the
maintained ``holidays`` package knows them. A country the package does not know has no
public holidays here: the weekdays still apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays
from sqlalchemy.orm import Session

from app.services import settings as settings_service

ALL_DAYS = "1234567"


@lru_cache(maxsize=64)
def _holidays_of(country: str, year: int) -> frozenset[date]:
    if not country:
        return frozenset()
    try:
        found = holidays.country_holidays(country.upper(), years=year)
    except (NotImplementedError, KeyError, ValueError):
        return frozenset()  # a country the package does not know: no public holidays
    return frozenset(found.keys())


def public_holiday(day: date, country: str) -> bool:
    return day in _holidays_of(country or "", day.year)


@dataclass(frozen=True)
class WorkingCalendar:
    """The business's working weekdays (ISO digits, "1" = Monday) and its country."""

    working_days: str = ALL_DAYS
    country: str = ""
    #: at least one weekday is always open: an empty setting means every day
    _days: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        days = frozenset(int(c) for c in self.working_days if c in ALL_DAYS)
        object.__setattr__(self, "_days", days or frozenset(range(1, 8)))

    @classmethod
    def from_settings(cls, session: Session) -> WorkingCalendar:
        return cls(settings_service.get(session, "business.working_days"),
                   settings_service.get(session, "business.region"))

    def is_working_day(self, day: date) -> bool:
        return day.isoweekday() in self._days and not public_holiday(day, self.country)

    def on_or_after(self, day: date) -> date:
        """``day`` itself when the business works then, else the next working day."""
        for _ in range(400):  # a year of holidays cannot close every weekday
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        return day

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day`` (no answer today: try again then)."""
        return self.on_or_after(day + timedelta(days=1))

    def on_or_before(self, day: date, not_before: date | None = None) -> date:
        """``day`` or the last working day before it, but not before ``not_before``
        (then the first working day from ``not_before`` on)."""
        start = day
        for _ in range(400):
            if not_before is not None and day < not_before:
                return self.on_or_after(not_before)
            if self.is_working_day(day):
                return day
            day -= timedelta(days=1)
        return self.on_or_after(start)
