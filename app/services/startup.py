"""The use cases of opening the window (and of the command line that shares them): the
first use of a database and the start of a day. No Qt: the facts of the system's locale
come in as plain values (:class:`LocaleFacts`), read by the window in app/ui/app.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import phonenumbers
from sqlalchemy.orm import Session

from app.models import Setting
from app.services import clients as client_service
from app.services import schedule
from app.services import settings as settings_service
from app.services.schedule import RegenStats
from app.services.staff import ensure_owner

#: the setting that says which day the 12-month values were last moved to
STATS_AS_OF = client_service.STATS_AS_OF


@dataclass(frozen=True)
class LocaleFacts:
    """What the system's locale says about the business, as plain values."""

    owner_name: str  #: the name of the owner a new database gets, in the user's language
    region: str = ""  #: the locale's country code ("PL"); "" when it has none
    currency: str = ""  #: the locale's ISO currency code ("PLN"); "" when it has none
    #: the locale is a stand-in (LANG=C): it says nothing about the business
    stand_in: bool = False


def first_use(session: Session, facts: LocaleFacts) -> None:
    """A database without staff gets an owner, so somebody may always approve; a new
    database takes the business's country and currency from the system's locale (unless
    that locale is a stand-in, or names no country phone numbers know: the defaults stay
    until the owner sets them). Idempotent: run at every start."""
    ensure_owner(session, facts.owner_name)
    if facts.stand_in or session.get(Setting, "business.region") is not None:
        return
    region = facts.region.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        return
    settings_service.put(session, "business.region", region)
    currency = facts.currency.upper()
    if len(currency) == 3 and currency.isalpha():
        settings_service.put(session, "business.currency", currency)


@dataclass(frozen=True)
class StartOfDay:
    values_moved: bool  #: the 12-month values were moved to today (the first start of a day)
    schedule: RegenStats
    #: clients whose 12-month value was recomputed (None: every client; 0 on a second start)
    values_recomputed: int | None = 0


def start_of_day(session: Session, today: date | None = None, *,
                 full: bool = False) -> StartOfDay:
    """The 12-month values move with the calendar (once a day), and the due contacts are
    brought up to date (idempotent). One transaction: the window runs it on the database
    executor after the client list is painted; ``clientcare agenda`` runs the schedule
    part before it prints.

    Both parts scale with what changed: the values of the clients whose window gained or
    lost a purchase since they were computed (``clients.refresh_values``), and the rules
    evaluated in SQL over their horizon (``schedule.regenerate``). ``full=True`` is the
    reference computation (every client, every rule-made task), kept for the tests that
    compare the two."""
    today = today or date.today()
    moved = settings_service.get(session, STATS_AS_OF) != today.isoformat()
    recomputed: int | None = 0
    if moved:
        recomputed = client_service.refresh_values(session, today, full=full)
        settings_service.put(session, STATS_AS_OF, today.isoformat())
    return StartOfDay(values_moved=moved, schedule=schedule.regenerate(session, today,
                                                                       full=full),
                      values_recomputed=recomputed)
