"""The use cases of opening the window (and of the command line that shares them): the
first use of a database and the start of a day. No Qt: the facts of the system's locale
come in as plain values (:class:`LocaleFacts`), read by the window in app/ui/app.py."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

import holidays
import phonenumbers
from sqlalchemy import text
from sqlalchemy.orm import Session

from app import __version__
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


#: "day fingerprint": the day of the last start of day, while nothing the rules or the
#: 12-month values read has been written since (the triggers below delete it on a write)
QUIET_SINCE = "internal.quiet_since"
#: the tables the rules and the values read
WATCHED = ("clients", "purchases", "memberships", "personal_dates", "complaints", "contacts",
           "tasks", "settings")
_TRIGGER = "sod_written_{table}_{op}"
#: more clients regrouped than this on a quiet day: the whole schedule is evaluated
REGROUPED_IN_FULL = 5000
#: what the rules are, beyond the database: the code and the holiday tables
ENGINE = f"{__version__}/{holidays.__version__}/1"


def _install_watch(session: Session) -> None:
    """Triggers that forget :data:`QUIET_SINCE` on the first write to a watched table.
    The WHEN makes every later row of the same burst cost one index lookup; the key itself
    is left out of the settings' own triggers."""
    for table in WATCHED:
        for op, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            own = f" AND {row}.key != '{QUIET_SINCE}'" if table == "settings" else ""
            session.execute(text(
                f"CREATE TRIGGER IF NOT EXISTS {_TRIGGER.format(table=table, op=op.lower())} "
                f"AFTER {op} ON {table} WHEN EXISTS (SELECT 1 FROM settings WHERE key = "
                f"'{QUIET_SINCE}'){own} BEGIN DELETE FROM settings WHERE key = "
                f"'{QUIET_SINCE}'; END"))


def _fingerprint(session: Session) -> str:
    """The settings (their defaults included: a new version may change one) and the engine."""
    values = {k: v for k, v in settings_service.get_all(session).items()
              if not k.startswith(("internal.", "import."))}
    raw = json.dumps(values, sort_keys=True, default=str) + ENGINE
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _quiet_since(session: Session, fingerprint: str) -> date | None:
    """The day of the last start of day if nothing watched was written since then."""
    watching = session.scalar(text(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
        "AND name GLOB 'sod_written_*'"))
    if watching != 3 * len(WATCHED):  # a table rebuilt by a migration lost its triggers
        return None
    raw = session.scalar(text("SELECT value FROM settings WHERE key = :k"), {"k": QUIET_SINCE})
    try:
        day, print_ = json.loads(raw or '""').split()
        return date.fromisoformat(day) if print_ == fingerprint else None
    except ValueError:
        return None


def _mark_quiet(session: Session, today: date, fingerprint: str) -> None:
    """The last write of the start of day: from now on, a write forgets it."""
    session.flush()
    _install_watch(session)
    session.execute(text("DELETE FROM settings WHERE key = :k"), {"k": QUIET_SINCE})
    session.execute(text("INSERT INTO settings (key, value) VALUES (:k, :v)"),
                    {"k": QUIET_SINCE, "v": json.dumps(f"{today.isoformat()} {fingerprint}")})
    stale = session.identity_map.get(session.identity_key(Setting, QUIET_SINCE))
    if stale is not None:
        session.expire(stale)


@dataclass(frozen=True)
class StartOfDay:
    values_moved: bool  #: the 12-month values were moved to today (the first start of a day)
    schedule: RegenStats
    #: clients whose 12-month value was recomputed (None: every client; 0 on a second start)
    values_recomputed: int | None = 0
    #: nothing was written since the last start: the day before it ran (today: a second
    #: start with nothing to do), else None
    quiet_since: date | None = None


def start_of_day(session: Session, today: date | None = None, *,
                 full: bool = False) -> StartOfDay:
    """The 12-month values move with the calendar (once a day), and the due contacts are
    brought up to date (idempotent). One transaction: the window runs it on the database
    executor after the client list is painted; ``clientcare agenda`` runs the schedule
    part before it prints.

    It scales with what changed. The values: only the clients whose window gained or
    lost a purchase (``clients.refresh_values``). The schedule: the rules evaluated in
    SQL over their horizon (``schedule.regenerate``); and when nothing the rules read was
    written since the last start (triggers forget :data:`QUIET_SINCE` on any write), a
    second start the same day does nothing (the engine is idempotent: the same data on
    the same day give the same tasks), and the first start of a later day evaluates only
    what time brought, plus every rule of the clients whose A/B/C group moved.
    ``full=True`` is the reference computation (every client, every rule-made task),
    kept for the tests that compare the two."""
    today = today or date.today()
    fingerprint = _fingerprint(session)
    quiet = None if full else _quiet_since(session, fingerprint)
    if quiet is not None and quiet > today:
        quiet = None  # the clock went back: start afresh
    moved = settings_service.get(session, STATS_AS_OF) != today.isoformat()
    stuck: set[int] | None = set()
    if quiet is not None:
        stuck = schedule.on_closed_days(session, today)
        if stuck is None:
            quiet = None
    if quiet == today and not moved and not stuck:
        return StartOfDay(False, RegenStats(), 0, quiet)
    recomputed: int | None = 0
    regrouped: frozenset[int] = frozenset()
    if moved:
        values = client_service.refresh_values(session, today, full=full)
        recomputed, regrouped = values.recomputed, values.regrouped
        settings_service.put(session, STATS_AS_OF, today.isoformat())
    again = set(regrouped) | (stuck or set())
    if quiet is not None and len(again) > REGROUPED_IN_FULL:
        quiet = None  # the groups moved a lot: evaluate everything
    if quiet is not None:
        stats = RegenStats()
        if again:  # keep-in-touch follows the group: those clients in full
            stats = schedule.regenerate(session, today, client_ids=sorted(again))
        more = schedule.regenerate(session, today, since=quiet)
        stats.created += more.created
        stats.moved += more.moved
        stats.cancelled += more.cancelled
        stats.unchanged += more.unchanged
        stats.suppressed += more.suppressed
    else:
        stats = schedule.regenerate(session, today, full=full)
    if not full:
        _mark_quiet(session, today, fingerprint)
    return StartOfDay(values_moved=moved, schedule=stats, values_recomputed=recomputed,
                      quiet_since=quiet)
