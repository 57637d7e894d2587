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
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app import __version__, dialect
from app.models import PersonalDate, Setting
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


#: the last start of day: "day fingerprint" (the fingerprint of the settings and the
#: engine); while it is there, triggers note every client whose rows are written
QUIET_SINCE = "internal.quiet_since"
#: the clients written since the last start, one row each (kept out of the settings, which
#: are read whole); client 0: a setting or a task of no client, so everything
WRITTEN = "sod_written"
WRITTEN_ALL = 0
#: the tables the rules and the values read, with the column naming the client
WATCHED = (("clients", "id"), ("purchases", "client_id"), ("memberships", "client_id"),
           ("personal_dates", "client_id"), ("complaints", "client_id"),
           ("contacts", "client_id"), ("tasks", "client_id"))
_TRIGGER = "sod_watch_{table}_{op}"  # a new body needs a new name (IF NOT EXISTS)
_TRIGGERS = 3 * (len(WATCHED) + 1)
#: more clients than this to look at again: the whole schedule is evaluated instead
AGAIN_IN_FULL = 50_000
#: what the rules are, beyond the database: the code and the holiday tables
ENGINE = f"{__version__}/{holidays.__version__}/2"


def _install_watch(session: Session) -> None:
    """Triggers that note, while :data:`QUIET_SINCE` is set, each client whose rows in a
    watched table are written (INSERT OR IGNORE of one row per client into
    :data:`WRITTEN`: a burst of writes to one client costs one row), and any change of a
    setting the owner sets. They catch every writer of the file: the app, the import, a
    script with plain sqlite3. Once everything is to be looked at again, they stop."""
    session.execute(text(f"CREATE TABLE IF NOT EXISTS {WRITTEN} "
                         "(client_id INTEGER PRIMARY KEY)"))
    watching = (f"WHEN EXISTS (SELECT 1 FROM settings WHERE key = '{QUIET_SINCE}') "
                f"AND NOT EXISTS (SELECT 1 FROM {WRITTEN} WHERE client_id = {WRITTEN_ALL})")
    for table, col in WATCHED:
        for op, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")),
                         ("DELETE", ("OLD",))):
            # a task of no client (the quarterly review): everything
            body = " ".join(
                f"INSERT OR IGNORE INTO {WRITTEN} (client_id) VALUES "
                f"(COALESCE({r}.{col}, {WRITTEN_ALL}));" for r in rows)
            session.execute(text(
                f"CREATE TRIGGER IF NOT EXISTS {_TRIGGER.format(table=table, op=op.lower())} "
                f"AFTER {op} ON {table} {watching} BEGIN {body} END"))
    for op, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        session.execute(text(
            f"CREATE TRIGGER IF NOT EXISTS {_TRIGGER.format(table='settings', op=op.lower())} "
            f"AFTER {op} ON settings {watching} AND {row}.key NOT GLOB 'internal.*' "
            f"AND {row}.key NOT GLOB 'import.*' BEGIN INSERT OR IGNORE INTO {WRITTEN} "
            f"(client_id) VALUES ({WRITTEN_ALL}); END"))


def _fingerprint(session: Session) -> str:
    """The settings (their defaults included: a new version may change one) and the engine."""
    values = {k: v for k, v in settings_service.get_all(session).items()
              if not k.startswith(("internal.", "import."))}
    raw = json.dumps(values, sort_keys=True, default=str) + ENGINE
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _quiet_since(session: Session, fingerprint: str) -> tuple[date, set[int], int] | None:
    """The day of the last start of day and the clients written since, if that is known
    (the triggers are all there, no setting changed, the same engine)."""
    watching = session.scalar(text(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
        "AND name GLOB 'sod_watch_*'"))
    if watching != _TRIGGERS:  # a table rebuilt by a migration lost its triggers
        return None
    raw = session.scalar(text("SELECT value FROM settings WHERE key = :k"), {"k": QUIET_SINCE})
    try:
        day, print_, gift = json.loads(raw or '""').split()
        since, gift_bound = date.fromisoformat(day), int(gift)
    except ValueError:
        return None
    if print_ != fingerprint:
        return None
    written = set(session.scalars(text(f"SELECT client_id FROM {WRITTEN}")))
    if WRITTEN_ALL in written:
        return None  # a setting changed, or a task of no client: everything again
    return since, written, gift_bound


def _mark_quiet(session: Session, today: date, fingerprint: str, gift_bound: int) -> None:
    """The last writes of the start of day: from now on, writes are noted. ``gift_bound``:
    no personal date has a longer own gift reminder (an upper bound: a date removed may
    have had the longest), so a quiet day need not read them all to know."""
    session.flush()
    _install_watch(session)
    session.execute(text(f"DELETE FROM {WRITTEN}"))
    session.execute(text("DELETE FROM settings WHERE key = :k"), {"k": QUIET_SINCE})
    session.execute(text("INSERT INTO settings (key, value) VALUES (:k, :v)"),
                    {"k": QUIET_SINCE,
                     "v": json.dumps(f"{today.isoformat()} {fingerprint} {gift_bound}")})
    for obj in list(session.identity_map.values()):  # rows read before, now gone or new
        if isinstance(obj, Setting) and obj.key.startswith("internal."):
            session.expire(obj)


def _longest_gift(session: Session, clients: set[int] | None) -> int:
    """The longest own gift reminder of these clients' dates (None: of all)."""
    stmt = select(func.max(PersonalDate.gift_reminder_days))
    if clients is None:
        return int(session.scalar(stmt) or 0)
    ids, most = sorted(clients), 0
    for at in range(0, len(ids), client_service.ID_CHUNK):
        part = stmt.where(PersonalDate.client_id.in_(ids[at:at + client_service.ID_CHUNK]))
        most = max(most, int(session.scalar(part) or 0))
    return most


@dataclass(frozen=True)
class StartOfDay:
    values_moved: bool  #: the 12-month values were moved to today (the first start of a day)
    schedule: RegenStats
    #: clients whose 12-month value was recomputed (None: every client; 0 on a second start)
    values_recomputed: int | None = 0
    #: the day of the last start when what was written since was known (then only the
    #: clients written, regrouped or on a closed day were evaluated in full, and for the
    #: others what time brought); None: everything was evaluated
    quiet_since: date | None = None
    #: the clients whose A/B/C group the start changed
    regrouped: frozenset[int] = frozenset()


def start_of_day(session: Session, today: date | None = None, *,
                 full: bool = False) -> StartOfDay:
    """The 12-month values move with the calendar (once a day), and the due contacts are
    brought up to date (idempotent). One transaction: the window runs it on the database
    executor after the client list is painted; ``clientcare agenda`` runs the schedule
    part before it prints.

    It scales with what changed. The values: only the clients whose window gained or
    lost a purchase (``clients.refresh_values``); the A/B/C groups: only the clients
    written since, whose purchase days moved, or whom a share's line passed over as the
    total moved (``segments.assign_segments``). The schedule: the rules evaluated in
    SQL over their horizon (``schedule.regenerate``); and after a start, triggers note
    each client whose rows are written (and any change of a setting). The engine decides
    for each client from that client's rows, the settings and the day alone, so the next
    start evaluates every rule only for the clients written since, regrouped by A/B/C
    (keep-in-touch), or with a task on a closed day, and for everyone else only what time
    brought since that start (``regenerate(since=...)``); a second start the same day with
    nothing written does nothing, for the engine is idempotent.
    ``full=True`` is the reference computation (every client, every rule-made task),
    kept for the tests that compare the two."""
    today = today or date.today()
    if not dialect.is_sqlite(session):
        # on a server every start is the reference computation: what was written since
        # the last start is noted by SQLite triggers, which a server does not have yet
        full = True
    fingerprint = _fingerprint(session)
    known = None if full else _quiet_since(session, fingerprint)
    if known is not None and known[0] > today:
        known = None  # the clock went back: start afresh
    moved = settings_service.get(session, STATS_AS_OF) != today.isoformat()
    stuck: set[int] | None = set()
    if known is not None:
        stuck = schedule.on_closed_days(session, today)
        if stuck is None:
            known = None
    quiet = known[0] if known is not None else None
    written = known[1] if known is not None else set()
    if quiet == today and not moved and not written and not stuck:
        return StartOfDay(False, RegenStats(), 0, quiet)
    recomputed: int | None = 0
    regrouped: frozenset[int] = frozenset()
    if not full:
        # the start's own writes need no noting (it notes afresh at its end, in the same
        # transaction): the watch triggers stand aside while it writes (a morning at a
        # million writes 9,000 values and 9,000 tasks)
        session.execute(text("DELETE FROM settings WHERE key = :k"), {"k": QUIET_SINCE})
    if moved:
        values = client_service.refresh_values(session, today, full=full)
        recomputed, regrouped = values.recomputed, values.regrouped
        settings_service.put(session, STATS_AS_OF, today.isoformat())
    again = set(regrouped) | written | (stuck or set())
    if quiet is not None and len(again) > AGAIN_IN_FULL:
        quiet = None  # too much moved: evaluate everything
    if quiet is not None:  # written since, regrouped (keep-in-touch), stuck: in full
        gift_bound = max(known[2], _longest_gift(session, again))
        stats = schedule.regenerate(session, today, since=quiet, again=again,
                                    gift_days_bound=gift_bound)
    else:
        stats = schedule.regenerate(session, today, full=full)
        gift_bound = _longest_gift(session, None)
    if not full:
        _mark_quiet(session, today, fingerprint, gift_bound)
    return StartOfDay(values_moved=moved, schedule=stats, values_recomputed=recomputed,
                      quiet_since=quiet, regrouped=regrouped)
