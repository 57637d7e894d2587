"""The benchmark data every benchmark uses: a seeded, cached ClientCare database.

    nice -n 19 .venv/bin/python bench/dataset.py [--clients 100000] [--purchases 10]
        [--seed 5] [--locale pl_PL] [--cache DIR] [--rebuild]

``cached_database(clients)`` returns the path of the file for that size, building it
first when it is not in the cache (/tmp/clientcare-bench, or ``--cache``). Its name says
the size, the purchases per client, the locale, the seed, the generator's version and the
schema head (``bench-1000000c-10p-pl_PL-s5-g1-0007.sqlite``): a change of the generator
(bump ``GENERATOR_VERSION``) or of the schema builds a new file; an old one is never
deleted here.

What one client in a million stands for (``--clients 1000000``): 10,000,000 purchases
over five years (a few loyal clients with many, many one-off buyers, more in November and
December, the channel each client came from, referrals), 2,000,000 logged calls with
their outcomes, 500,000 memberships (three plans, chains of renewals, lapsed, frozen and
cancelled ones, each sold as a purchase line), 50,000 complaints (the eight needs ticked,
compensation with a credit line for refunds, most closed with the review and a lesson),
relatives (some of them clients of their own), birthdays and name days, tags and contact
rules (marketing consent with its record, do-not-contact, preferred channel, days and
hours). Names and addresses come from Faker in the chosen locale, everything else from
``random.Random(seed)``: the same arguments give the same file.

How it is built: the schema by the app's own ``open_database`` (a new file is
``create_all`` and ``stamp head``, as the app does), then the rows by plain sqlite3
``executemany`` in big transactions with the secondary indexes dropped and rebuilt after
(their SQL read back from the schema, so the file ends exactly as the app made it), with
``PRAGMA`` settings for the build only. Every value is written as the app stores it
(dates ISO, date-times as SQLAlchemy writes them, Numeric as the REAL SQLAlchemy binds,
booleans 0/1, enums by value, NFC text; ``search_text``, ``sort_name`` and
``phone_digits`` by the services' own functions); tests/test_bench_dataset.py checks every
column of every table against the ORM's own binding. The derived state is computed by the
app's own code: ``clients.refresh_client_stats`` (first/last purchase, counts, usual gap,
12-month value, next due, A/B/C) and ``schedule.regenerate`` (the due tasks), as of
``TODAY``; the time of each is reported.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from faker import Faker  # noqa: E402

from app.db import open_database  # noqa: E402
from app.models.enums import (  # noqa: E402
    Channel,
    CheckState,
    ClientKind,
    CompensationKind,
    ComplaintStatus,
    DateKind,
    Direction,
    Fault,
    MembershipStatus,
    Outcome,
    Relation,
    Severity,
    StaffRole,
    TaskKind,
    Tone,
)
from app.models.types import to_micros  # noqa: E402
from app.services import clients as client_service  # noqa: E402
from app.services import schedule  # noqa: E402
from app.services import settings as settings_service  # noqa: E402
from app.services.io import importer  # noqa: E402
from app.services.startup import STATS_AS_OF  # noqa: E402
from app.services.validation import nfc, phone_digits  # noqa: E402
from app.sqlite_file import (  # noqa: E402
    alembic_command,
    alembic_config,
    head_revision,
    revisions,
)

#: bump on any change of what the generator writes: the cached files get a new name
GENERATOR_VERSION = 2  # 2: purchase import keys as the importer computes them (64-bit, migration 0008)
#: the day the data is "as of" (every benchmark measures this day)
TODAY = date(2026, 11, 23)
YEARS = 5
FIRST_DAY = TODAY - timedelta(days=365 * YEARS)
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "clientcare-bench"
DEFAULT_SEED = 5
DEFAULT_PURCHASES = 10
DEFAULT_LOCALE = "pl_PL"
#: clients written per transaction (with all their rows)
CHUNK = 25_000

# ------------------------------------------------------------------- value formats
# As SQLAlchemy's SQLite dialect binds them (tests/test_bench_dataset.py proves it).


def iso_date(d: date) -> str:
    return d.isoformat()


def iso_datetime(dt: datetime) -> str:
    return (f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d} "
            f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}.{dt.microsecond:06d}")


def at_time(d: date, hour: int, minute: int) -> str:
    return f"{d.isoformat()} {hour:02d}:{minute:02d}:00.000000"


def micros(stamp: str) -> int:
    """A time's text as purchases.created_at stores it (app/models/types.py, 0013)."""
    return to_micros(datetime.fromisoformat(stamp))


def money(cents: int) -> float:
    """Numeric(12, 2) as SQLAlchemy binds a Decimal of two places: the nearest REAL."""
    return cents / 100


def decimal_text(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


# ------------------------------------------------------------------- the business

STAFF = [("Anna Nowak", StaffRole.OWNER), ("Piotr Zieliński", StaffRole.MANAGER),
         ("Kasia Wójcik", StaffRole.RECEPTIONIST), ("Marta Lewandowska", StaffRole.RECEPTIONIST),
         ("Tomasz Kamiński", StaffRole.RECEPTIONIST), ("Ola Dąbrowska", StaffRole.RECEPTIONIST)]
#: (item, price in grosze)
ITEMS = [("Strzyżenie", 8000), ("Koloryzacja", 26000), ("Manicure", 9000),
         ("Pedicure", 11000), ("Masaż klasyczny", 15000), ("Zabieg na twarz", 22000),
         ("Konsultacja", 12000), ("Kosmetyki do pielęgnacji", 6500),
         ("Karta podarunkowa", 20000), ("Depilacja", 9500), ("Stylizacja brwi", 5000)]
ITEM_WEIGHTS = [22, 8, 14, 6, 10, 6, 5, 12, 2, 8, 7]
#: (plan, days, price in grosze), as the demo's plans
PLANS = [("Karnet miesięczny", 30, 12900), ("Karnet kwartalny", 91, 34900),
         ("Karnet roczny", 365, 89900)]
PLAN_WEIGHTS = [50, 32, 18]
SOURCES = ["polecenie", "Google", "Facebook", "Instagram", "z ulicy", "ulotka", "strona www"]
SOURCE_WEIGHTS = [16, 18, 12, 12, 26, 6, 10]
TAGS = ["VIP", "hurt", "dzieci", "alergia", "woli rano", "student", "skóra wrażliwa",
        "firma"]
NOTES = ["Przychodzi z córką w soboty.", "Płaci tylko kartą.", "Prosi o telefon po 17.",
         "Pracuje obok, wpada w przerwie na lunch.", "Lubi rezerwować z wyprzedzeniem.",
         "Polecił nas znajomym z pracy.", "Raz był niezadowolony ze spóźnienia.",
         "Woli tę samą specjalistkę."]
PREFERENCES = ["kawa bez cukru", "herbata zielona", "cicha muzyka", "bez perfum",
               "termin rano", "ta sama stylistka"]
DECLINE_REASONS = ["za drogo", "przeprowadzka", "brak czasu", "wybrał konkurencję",
                   "niezadowolony ostatnio", "zdrowie", "sam oddzwoni"]
CATEGORIES = ["jakość usługi", "czas oczekiwania", "rozliczenie", "postawa personelu",
              "błąd rezerwacji", "wada produktu"]
CLIENT_WORDS = ["Czekałam czterdzieści minut mimo rezerwacji.",
                "Kolor wyszedł zupełnie inny niż ustaliliśmy.",
                "Pobrano ode mnie dwa razy za tę samą wizytę.",
                "Recepcja była niemiła przez telefon.",
                "Krem wywołał podrażnienie skóry."]
REQUESTS = ["zwrot pieniędzy", "bezpłatna wizyta", "nowy termin", "przeprosiny kierownika",
            "rabat"]
CORRECTIVE = ["System rezerwacji wysyła przypomnienie dzień wcześniej.",
              "Zwrócono podwójną opłatę; terminal sprawdzony.",
              "Rozmowa ze specjalistką; zabieg powtórzony bezpłatnie.",
              "Zmieniono skrypt recepcji; zespół omówił przypadek."]
LESSONS = ["Potwierdzać wizyty dzień wcześniej i informować klienta o opóźnieniu.",
           "Sprawdzać rachunek przed płatnością kartą.",
           "Przy zmianie koloru pokazywać próbkę przed zabiegiem.",
           "Na skargę przez telefon odpowiadać tego samego dnia."]
APOLOGY = "Bardzo nam przykro, że wizyta u nas była dla Pani/Pana nieprzyjemna."
PHONE_PREFIXES = ["50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88"]
EMAIL_DOMAINS = ["gmail.com", "wp.pl", "onet.pl", "interia.pl", "o2.pl", "example.com"]
#: the share of purchases per calendar month, relative (November and December busiest)
SEASON = {1: 0.70, 2: 0.80, 3: 0.95, 4: 1.00, 5: 1.05, 6: 1.00, 7: 0.80, 8: 0.75,
          9: 1.00, 10: 1.05, 11: 1.25, 12: 1.50}
SEASON_MAX = max(SEASON.values())
#: purchase profiles: (name, share of clients, mean purchases at 10 per client)
PROFILES = [("loyal", 0.05, 78.0), ("regular", 0.20, 17.5), ("occasional", 0.35, 4.8),
            ("one-off", 0.35, 1.0), ("none", 0.05, 0.0)]

_ASCII = str.maketrans({"ł": "l", "Ł": "L"})


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum()).lower()


@dataclass
class BuildReport:
    path: Path
    clients: int
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    file_bytes: int = 0

    def lines(self) -> list[str]:
        out = [f"{self.clients:,} clients built in {self.seconds:.1f} s, "
               f"{self.file_bytes / 2**20:,.0f} MiB: {self.path}"]
        out += [f"  {k}: {v:.1f} s" for k, v in self.phases.items()]
        out += [f"  {k}: {v:,} rows" for k, v in self.rows.items()]
        return out


# ------------------------------------------------------------------- cache


def dataset_name(clients: int, purchases: int = DEFAULT_PURCHASES, seed: int = DEFAULT_SEED,
                 locale: str = DEFAULT_LOCALE, by_date: bool = False) -> str:
    return (f"bench-{clients}c-{purchases}p-{locale}-s{seed}-g{GENERATOR_VERSION}"
            f"-{head_revision()}{'-bydate' if by_date else ''}.sqlite")


def cached_database(clients: int = 100_000, purchases: int = DEFAULT_PURCHASES, *,
                    seed: int = DEFAULT_SEED, locale: str = DEFAULT_LOCALE,
                    cache: Path = DEFAULT_CACHE, log: Callable[[str], None] = print,
                    by_date: bool = False) -> Path:
    """The benchmark database of this size, built first when it is not in the cache."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / dataset_name(clients, purchases, seed, locale, by_date)
    if not path.exists():
        part = cache / f"building-{os.getpid()}-{path.name}"
        older = _older_schema(cache, path.name)
        if older is not None:
            # the same rows at an older schema: migrated as a shop's file is (an hour of
            # building at a million saved each time a migration is added)
            log(f"migrating {older.name} to schema {head_revision()} ...")
            t0 = time.perf_counter()
            _copy_file(older, part)
            upgrade_schema(part)
            part.rename(path)
            log(f"migrated in {time.perf_counter() - t0:.1f} s: {path}")
            return path
        log(f"building {clients:,} clients at {path} ...")
        report = build(part, clients, purchases, seed=seed, locale=locale, log=log,
                       by_date=by_date)
        part.rename(path)
        report.path = path
        for line in report.lines():
            log(line)
    return path


def _older_schema(cache: Path, name: str) -> Path | None:
    """The cached file of the same rows at the newest older schema, if there is one."""
    stem, rest = name.split(f"-g{GENERATOR_VERSION}-", 1)
    head = rest.removesuffix(".sqlite")
    order = schema_order()
    best: tuple[int, Path] | None = None
    for f in cache.glob(f"{stem}-g{GENERATOR_VERSION}-*.sqlite"):
        rev = f.name[len(stem) + len(f"-g{GENERATOR_VERSION}-"):-len(".sqlite")]
        if "-bydate" in head:
            if not rev.endswith("-bydate"):
                continue
            rev = rev[:-len("-bydate")]
        elif rev.endswith("-bydate"):
            continue
        if rev in order and order[rev] < order[head.removesuffix("-bydate")]:
            if best is None or order[rev] > best[0]:
                best = (order[rev], f)
    return best[1] if best else None


def schema_order() -> dict[str, int]:
    """Each revision's place in the chain, the first 0."""
    graph = revisions()
    order: dict[str, int] = {}
    rev: str | None = head_revision()
    chain = []
    while rev:
        chain.append(rev)
        rev = graph[rev]
    for i, r in enumerate(reversed(chain)):
        order[r] = i
    return order


def _copy_file(source: Path, target: Path) -> None:
    """A consistent copy of a cached file (its WAL folded in first)."""
    con = sqlite3.connect(source)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    _remove(target)
    shutil.copyfile(source, target)


def upgrade_schema(path: Path) -> None:
    """Run the app's migrations on ``path`` (no backup: a cache file can be rebuilt)."""
    from sqlalchemy import create_engine
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            alembic_command().upgrade(alembic_config(conn), "head")
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()


# ------------------------------------------------------------------- build


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        p.unlink(missing_ok=True)


def build(path: Path, clients: int, purchases: int = DEFAULT_PURCHASES, *,
          seed: int = DEFAULT_SEED, locale: str = DEFAULT_LOCALE,
          log: Callable[[str], None] = print, by_date: bool = False) -> BuildReport:
    """Build the database at ``path`` (replacing what is there). The purchase and call
    rows are stored client by client (as an import writes them), or with ``by_date`` in
    the order of their dates (as a business that used the app every day has them): the
    same rows, other ids; the order decides how far apart the rows of a date range lie."""
    path = Path(path)
    _remove(path)
    report = BuildReport(path=path, clients=clients)
    t_all = time.perf_counter()

    t0 = time.perf_counter()
    open_database(path).close()  # the schema, as the app makes a new file
    report.phases["schema (open_database)"] = time.perf_counter() - t0

    con = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "foreign_keys=OFF",
                   "cache_size=-400000", "temp_store=MEMORY", "locking_mode=EXCLUSIVE"):
        con.execute(f"PRAGMA {pragma}")
    indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                          "AND sql IS NOT NULL").fetchall()
    for name, _sql in indexes:
        con.execute(f'DROP INDEX "{name}"')
    t0 = time.perf_counter()
    writer = _Writer(con, clients, purchases, seed, locale, log)
    if by_date:
        writer.stage(("purchases", "contacts"))
    writer.run()
    if by_date:
        writer.unstage()
    report.phases["rows (executemany)"] = time.perf_counter() - t0
    report.rows = dict(writer.counts)
    t0 = time.perf_counter()
    for _name, sql in indexes:
        con.execute(sql)
    report.phases["indexes"] = time.perf_counter() - t0
    con.execute("PRAGMA journal_mode=WAL")  # as open_database leaves it
    con.close()

    db = open_database(path, check=False)
    try:
        t0 = time.perf_counter()
        with db.session() as s:
            settings_service.put(s, "business.region", "PL")
            settings_service.put(s, "business.currency", "PLN")
            client_service.refresh_client_stats(s, today=TODAY)
            settings_service.put(s, STATS_AS_OF, TODAY.isoformat())
        report.phases["client stats, A/B/C, next due (refresh_client_stats)"] = \
            time.perf_counter() - t0
        t0 = time.perf_counter()
        with db.session() as s:
            stats = schedule.regenerate(s, TODAY)
        report.phases["tasks (schedule.regenerate)"] = time.perf_counter() - t0
        report.rows["tasks"] = stats.created
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    report.seconds = time.perf_counter() - t_all
    report.file_bytes = path.stat().st_size
    return report


class _Writer:
    """Generates the rows client by client and writes them in chunks."""

    def __init__(self, con: sqlite3.Connection, clients: int, purchases: int, seed: int,
                 locale: str, log: Callable[[str], None]) -> None:
        self.con, self.n, self.log = con, clients, log
        self.scale = purchases / DEFAULT_PURCHASES
        self.rnd = random.Random(seed)
        self.fake = Faker(locale)
        self.fake.seed_instance(seed)
        self.counts: dict[str, int] = {}
        self.ids = {t: 0 for t in ("purchases", "memberships", "contacts", "complaints",
                                   "complaint_checks", "relatives", "personal_dates",
                                   "consent_events")}
        self.rows: dict[str, list[tuple]] = {}
        # complaints: one client in twenty, spread over the clients
        self.complaint_share = 0.0526  # of the clients who bought (95 %)
        self.member_share = {"loyal": 0.46, "regular": 0.34, "occasional": 0.27,
                             "one-off": 0.08, "none": 0.0}
        self.calls_mean = {"loyal": 8.2, "regular": 3.1, "occasional": 1.65, "one-off": 1.0,
                           "none": 0.55}
        self.stamp = at_time(TODAY, 8, 0)
        self.staged: tuple[str, ...] = ()

    # ---------------------------------------------------------------- driver

    def stage(self, tables: tuple[str, ...]) -> None:
        """Write these tables' rows to temporary copies first (see :meth:`unstage`)."""
        self.staged = tables
        for t in tables:
            self.con.execute(f"CREATE TEMP TABLE staged_{t} AS SELECT * FROM main.{t} "
                             "WHERE 0")
            _INSERTS[t] = _INSERTS[t].replace(f"INSERT INTO {t} ", f"INSERT INTO staged_{t} ")

    def unstage(self) -> None:
        """The staged rows into their tables in date order, with new ids."""
        order = {"purchases": "purchased_on", "contacts": "at"}
        for t in self.staged:
            cols = [r[1] for r in self.con.execute(f"PRAGMA main.table_info({t})")
                    if r[1] != "id"]
            names = ", ".join(cols)
            self.con.execute("BEGIN")
            self.con.execute(f"INSERT INTO main.{t} ({names}) SELECT {names} "
                             f"FROM staged_{t} ORDER BY {order[t]}, id")
            self.con.execute(f"DROP TABLE staged_{t}")
            self.con.execute("COMMIT")
            _INSERTS[t] = _INSERTS[t].replace(f"INSERT INTO staged_{t} ", f"INSERT INTO {t} ")

    def run(self) -> None:
        con = self.con
        con.execute("BEGIN")
        con.executemany("INSERT INTO staff (id, name, role, active, created_at, updated_at) "
                        "VALUES (?, ?, ?, 1, ?, ?)",
                        [(i + 1, name, role.value, at_time(FIRST_DAY, 9, 0),
                          at_time(FIRST_DAY, 9, 0)) for i, (name, role) in enumerate(STAFF)])
        con.executemany("INSERT INTO tags (id, name, key) VALUES (?, ?, ?)",
                        [(i + 1, t, nfc(t).casefold()) for i, t in enumerate(TAGS)])
        con.execute("COMMIT")
        self.counts["staff"], self.counts["tags"] = len(STAFF), len(TAGS)
        t0 = time.perf_counter()
        for start in range(1, self.n + 1, CHUNK):
            stop = min(self.n, start + CHUNK - 1)
            self.rows = {t: [] for t in _INSERTS}
            for cid in range(start, stop + 1):
                self.client(cid)
            con.execute("BEGIN")
            for table, sql in _INSERTS.items():
                rows = self.rows[table]
                if rows:
                    con.executemany(sql, rows)
                    self.counts[table] = self.counts.get(table, 0) + len(rows)
            con.execute("COMMIT")
            if stop == self.n or (stop // CHUNK) % 8 == 0:
                self.log(f"  {stop:,} clients, {self.counts.get('purchases', 0):,} purchases "
                         f"({time.perf_counter() - t0:.0f} s)")

    # ---------------------------------------------------------------- one client

    def client(self, cid: int) -> None:
        rnd, fake = self.rnd, self.fake
        r = rnd.random()
        acc = 0.0
        profile = PROFILES[-1]
        for p in PROFILES:
            acc += p[1]
            if r < acc:
                profile = p
                break
        pname = profile[0]
        company = rnd.random() < 0.03
        female = rnd.random() < 0.62
        if company:
            name = nfc(fake.company())
            first, last = name.split()[0], name.split()[-1]
        else:
            first = fake.first_name_female() if female else fake.first_name_male()
            last = fake.last_name_female() if female else fake.last_name_male()
            name = nfc(f"{first} {last}")
        # when the client came and how long they kept buying
        span = (TODAY - FIRST_DAY).days
        if pname == "loyal":
            first_day = FIRST_DAY + timedelta(days=int(span * rnd.random() ** 1.5 * 0.8))
            last_day = TODAY if rnd.random() < 0.8 else first_day + timedelta(
                days=rnd.randrange(1, max(2, (TODAY - first_day).days)))
        elif pname == "regular":
            first_day = FIRST_DAY + timedelta(days=rnd.randrange(span - 60))
            last_day = TODAY if rnd.random() < 0.5 else first_day + timedelta(
                days=rnd.randrange(1, max(2, (TODAY - first_day).days)))
        else:
            first_day = FIRST_DAY + timedelta(days=rnd.randrange(span))
            last_day = min(TODAY, first_day + timedelta(days=rnd.randrange(30, 700)))
        created = first_day - timedelta(days=rnd.randrange(0, 20))
        imported = created < FIRST_DAY + timedelta(days=730) and rnd.random() < 0.4
        phone = None
        if rnd.random() < 0.95:
            phone = f"+48{rnd.choice(PHONE_PREFIXES)}{rnd.randrange(10**7):07d}"
        email = None
        if rnd.random() < 0.6:
            email = f"{_ascii(first)}.{_ascii(last)}{cid}@{rnd.choice(EMAIL_DOMAINS)}"
        ext_ref = f"K{cid:07d}" if rnd.random() < 0.4 else None
        notes = ""
        r = rnd.random()
        if r < 0.12:
            notes = nfc(fake.address().replace("\n", ", "))
        elif r < 0.22:
            notes = rnd.choice(NOTES)
        preferences = rnd.choice(PREFERENCES) if rnd.random() < 0.1 else ""
        channel = rnd.choice([None, None, Channel.PHONE, Channel.PHONE, Channel.SMS,
                              Channel.EMAIL, Channel.IN_PERSON, Channel.MESSENGER])
        hours = (None, None)
        if rnd.random() < 0.1:
            h = rnd.choice((8, 9, 12, 16, 17))
            hours = (f"{h:02d}:00:00.000000", f"{h + 3:02d}:00:00.000000")
        days = "12345" if rnd.random() < 0.05 else ("6" if rnd.random() < 0.01 else "")
        dnc = 1 if rnd.random() < 0.02 else 0
        consent = 1 if rnd.random() < 0.55 else 0
        consent_on = None
        if consent:
            consent_on = created + timedelta(days=rnd.randrange(0, 60))
            consent_on = min(consent_on, TODAY)
            self.ids["consent_events"] += 1
            self.rows["consent_events"].append(
                (self.ids["consent_events"], cid, at_time(consent_on, 11, 0), 1,
                 iso_date(consent_on), ""))
        source = rnd.choices(SOURCES, SOURCE_WEIGHTS)[0]
        referred = rnd.randrange(1, cid) if source == "polecenie" and cid > 1 else None
        deleted = None
        if rnd.random() < 0.005:
            deleted = at_time(TODAY - timedelta(days=rnd.randrange(1, 400)), 14, 0)
        search = client_service.search_text_for(name, email, ext_ref, notes, preferences)
        stamp = at_time(created, 10, rnd.randrange(60))
        self.rows["clients"].append((
            cid, (ClientKind.COMPANY if company else ClientKind.PERSON).value, name,
            name.casefold(), search, ext_ref, phone, phone_digits(phone), email,
            channel.value if channel else None, hours[0], hours[1], days, dnc, consent,
            iso_date(consent_on) if consent_on else None, source, referred, preferences,
            notes, deleted, stamp, stamp))
        client_key = (("card", ext_ref.casefold()) if ext_ref else
                      ("phone", phone_digits(phone)) if phone else
                      ("email", email) if email else None)
        self.purchases_of(cid, profile, first_day, last_day,
                          client_key if imported else None)
        if rnd.random() < self.member_share[pname]:
            self.memberships_of(cid, first_day, last_day)
        self.calls_of(cid, pname, first_day)
        if pname != "none" and rnd.random() < self.complaint_share:
            self.complaint_of(cid, first_day, last_day)
        self.family_of(cid, last, female, company)
        if rnd.random() < 0.25:
            for tag in rnd.sample(range(1, len(TAGS) + 1), rnd.choice((1, 1, 1, 2))):
                self.rows["client_tags"].append((cid, tag))

    # ---------------------------------------------------------------- purchases

    def _day(self, lo: date, hi: date) -> date:
        rnd, n = self.rnd, max(1, (hi - lo).days + 1)
        while True:
            d = lo + timedelta(days=rnd.randrange(n))
            if rnd.random() * SEASON_MAX < SEASON[d.month]:
                return d

    def purchases_of(self, cid: int, profile: tuple, first_day: date, last_day: date,
                     client_key: tuple[str, str] | None) -> None:
        rnd, mean = self.rnd, profile[2] * self.scale
        if mean <= 0:
            return
        if profile[0] == "one-off":
            k = 1 if self.scale >= 1 or rnd.random() < self.scale else 0
        else:
            k = max(1, int(rnd.gammavariate(2.0, mean / 2.0) + 0.5))
        if k == 0:
            return
        days = sorted([first_day] + [self._day(first_day, last_day) for _ in range(k - 1)])
        rows = self.rows["purchases"]
        seen: dict[str, int] = {}
        cut = FIRST_DAY + timedelta(days=730)
        for d in days:
            item, base = ITEMS[rnd.choices(range(len(ITEMS)), ITEM_WEIGHTS)[0]]
            cents = max(500, int(base * rnd.lognormvariate(0.0, 0.25)))
            cents = cents // 100 * 100 if rnd.random() < 0.7 else cents
            qty = 2 if rnd.random() < 0.04 else 1
            if qty == 2:
                cents *= 2
            key = None
            if client_key is not None and d < cut:
                text = f"{d}{cents}{item}{qty}"
                seen[text] = seen.get(text, 0) + 1
                key = importer.purchase_import_key(client_key, d, Decimal(decimal_text(cents)),
                                                   item, Decimal(qty), seen[text])
            self.ids["purchases"] += 1
            stamp = at_time(d, 12, 0)
            rows.append((self.ids["purchases"], cid, iso_date(d), money(cents), item, qty,
                         rnd.randrange(2, len(STAFF) + 1), "", 0, None, None, key,
                         micros(stamp)))

    # ---------------------------------------------------------------- memberships

    def memberships_of(self, cid: int, first_day: date, last_day: date) -> None:
        rnd = self.rnd
        plan, days, price = PLANS[rnd.choices(range(len(PLANS)), PLAN_WEIGHTS)[0]]
        start = self._day(first_day, min(TODAY, first_day + timedelta(days=400)))
        while start <= TODAY:
            end = start + timedelta(days=days - 1)
            promo = rnd.random() < 0.15
            discount = not promo and rnd.random() < 0.12
            cost = price * 8 // 10 if promo else price * 9 // 10 if discount else price
            conditions = ("Promocja Black Friday: -20%" if promo else
                          "Zniżka rodzinna 10%" if discount else "")
            renew = end < TODAY and end < last_day + timedelta(days=60) and rnd.random() < 0.72
            frozen_from = frozen_until = None
            if end >= TODAY:
                status = MembershipStatus.ACTIVE
                if rnd.random() < 0.05:
                    status = MembershipStatus.FROZEN
                    frozen_from = TODAY - timedelta(days=rnd.randrange(1, 10))
                    frozen_until = TODAY + timedelta(days=rnd.randrange(3, 20))
                elif rnd.random() < 0.03:
                    status = MembershipStatus.CANCELLED
            elif renew:
                status = MembershipStatus.RENEWED
            else:
                status = (MembershipStatus.CANCELLED if rnd.random() < 0.05
                          else MembershipStatus.EXPIRED)
            self.ids["memberships"] += 1
            mid = self.ids["memberships"]
            stamp = at_time(start, 10, 0)
            self.rows["memberships"].append((
                mid, cid, plan, iso_date(start), iso_date(end), status.value,
                iso_date(frozen_from) if frozen_from else None,
                iso_date(frozen_until) if frozen_until else None, money(cost),
                int(promo), int(discount), conditions, "", stamp, stamp))
            self.ids["purchases"] += 1
            self.rows["purchases"].append((
                self.ids["purchases"], cid, iso_date(start), money(cost), plan, 1,
                rnd.randrange(2, len(STAFF) + 1), "", 0, None, mid, None, micros(stamp)))
            if not renew:
                break
            start = end + timedelta(days=1)
            if rnd.random() < 0.15:  # a plan change at renewal
                plan, days, price = PLANS[rnd.choices(range(len(PLANS)), PLAN_WEIGHTS)[0]]

    # ---------------------------------------------------------------- calls

    def calls_of(self, cid: int, pname: str, first_day: date) -> None:
        rnd = self.rnd
        mean = self.calls_mean[pname]
        k = int(mean) + (1 if rnd.random() < mean - int(mean) else 0)
        k = max(0, k + rnd.choice((-1, 0, 0, 1)) if k > 1 else k)
        span = max(1, (TODAY - first_day).days)
        rows = self.rows["contacts"]
        for _ in range(k):
            # more calls lately: the business grew into calling its clients
            d = first_day + timedelta(days=int(span * (1 - rnd.random() ** 2)))
            if d == TODAY:
                d -= timedelta(days=1)
            outcome = rnd.choices(_OUTCOMES, _OUTCOME_WEIGHTS)[0]
            tone = None
            if outcome in (Outcome.REACHED, Outcome.MEETING_BOOKED):
                tone = rnd.choice((Tone.POSITIVE, Tone.POSITIVE, Tone.NEUTRAL))
            elif outcome == Outcome.DECLINED:
                tone = rnd.choice((Tone.NEGATIVE, Tone.NEUTRAL))
            elif outcome == Outcome.COMPLAINT_FOUND:
                tone = Tone.NEGATIVE
            duration = None
            if outcome not in (Outcome.NO_ANSWER, Outcome.WRONG_NUMBER):
                duration = rnd.randrange(30, 900)
            h, m = rnd.randrange(9, 18), rnd.randrange(60)
            meeting = (at_time(d + timedelta(days=rnd.randrange(2, 10)), 10, 0)
                       if outcome == Outcome.MEETING_BOOKED else None)
            call_back = (iso_date(d + timedelta(days=rnd.randrange(1, 5)))
                         if outcome == Outcome.CALL_BACK_LATER else None)
            inbound = rnd.random() < 0.15
            self.ids["contacts"] += 1
            rows.append((
                self.ids["contacts"], cid, f"{d.isoformat()} {h:02d}:{m:02d}:00.000000",
                (Channel.PHONE if rnd.random() < 0.85 else rnd.choice(_OTHER_CHANNELS)).value,
                (Direction.INBOUND if inbound else Direction.OUTBOUND).value,
                (TaskKind.MANUAL if inbound else rnd.choices(_PURPOSES, _PURPOSE_WEIGHTS)[0])
                .value, outcome.value, tone.value if tone else None, duration,
                rnd.randrange(2, len(STAFF) + 1), "",
                rnd.choice(DECLINE_REASONS) if outcome == Outcome.DECLINED else None,
                meeting, call_back))

    # ---------------------------------------------------------------- complaints

    def complaint_of(self, cid: int, first_day: date, last_day: date) -> None:
        rnd = self.rnd
        opened_day = self._day(first_day, last_day)
        age = (TODAY - opened_day).days
        if age <= 3:
            status = rnd.choice((ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS))
        elif age <= 20:
            status = rnd.choice((ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED,
                                 ComplaintStatus.CLOSED_KEPT))
        else:
            status = (ComplaintStatus.CLOSED_KEPT if rnd.random() < 0.7
                      else ComplaintStatus.CLOSED_LOST)
        opened = datetime(opened_day.year, opened_day.month, opened_day.day,
                          rnd.randrange(9, 17), rnd.randrange(60))
        cap = datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0)

        def later(moment: datetime, lo: int, hi: int) -> datetime:
            days = rnd.randint(lo, hi)
            step = (moment + timedelta(minutes=rnd.randrange(10, 120, 5)) if days == 0 else
                    datetime.combine(moment.date() + timedelta(days=days),
                                     datetime.min.time()) + timedelta(
                        hours=rnd.randrange(9, 17)))
            return min(step, max(cap, moment))

        started = status != ComplaintStatus.OPEN
        resolved = status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED_KEPT,
                              ComplaintStatus.CLOSED_LOST)
        closed = status in (ComplaintStatus.CLOSED_KEPT, ComplaintStatus.CLOSED_LOST)
        handler, boss = rnd.randrange(3, len(STAFF) + 1), rnd.randrange(1, 3)
        apology = apology_at = first_response = None
        moment = opened
        if started or rnd.random() < 0.5:
            apology, apology_at = APOLOGY, later(opened, 0, 0)
            first_response = moment = apology_at
        request = rnd.choice(REQUESTS) if started else ""
        comp_kind, comp_cents, approved = CompensationKind.NONE, 0, None
        if started and (rnd.random() < 0.7 or status == ComplaintStatus.CLOSED_KEPT):
            comp_kind = rnd.choices(_COMPENSATIONS, (3, 3, 3, 1))[0]
            comp_cents = rnd.randrange(2000, 15000, 100)
            approved = boss
        resolved_at = closed_at = reviewed_at = None
        corrective = ""
        if resolved:
            resolved_at = moment = later(moment, 1, 4)
            corrective = rnd.choice(CORRECTIVE)
        satisfied = rating = None
        reviews = [""] * 7
        lesson = ""
        if closed:
            closed_at = later(moment, 2, 5)
            kept = status == ComplaintStatus.CLOSED_KEPT
            satisfied = int(kept)
            rating = rnd.randint(4, 5) if kept else rnd.randint(1, 2)
            reviewed_at = later(resolved_at, 1, 2)
            reviews = [rnd.choice(CATEGORIES), "Zdenerwowana, ale spokojna po wysłuchaniu.",
                       "Nasza wina: proces na to pozwolił.",
                       "Słuchanie bez przerywania; jasne przeprosiny.",
                       "Zbyt wczesne tłumaczenie naszych zasad.",
                       "Oddzwoniliśmy następnego dnia, jak obiecano.",
                       "Od razu zaproponować rekompensatę."]
            lesson = rnd.choice(LESSONS) if rnd.random() < 0.8 else ""
        self.ids["complaints"] += 1
        kid = self.ids["complaints"]
        dt = iso_datetime
        self.rows["complaints"].append((
            kid, cid, dt(opened), (Channel.PHONE if rnd.random() < 0.5 else
                                   rnd.choice((Channel.IN_PERSON, Channel.EMAIL))).value,
            rnd.choice(CATEGORIES), rnd.choice(CLIENT_WORDS),
            rnd.choices(_SEVERITIES, (3, 5, 2))[0].value,
            rnd.choices(_FAULTS, (5, 1, 1, 2))[0].value, status.value,
            apology or "", dt(apology_at) if apology_at else None, request, comp_kind.value,
            money(comp_cents), approved, handler, corrective,
            dt(first_response) if first_response else None,
            dt(resolved_at) if resolved_at else None, dt(closed_at) if closed_at else None,
            satisfied, rating, *reviews, dt(reviewed_at) if reviewed_at else None, lesson, "",
            1, dt(opened), dt(closed_at or resolved_at or opened)))
        done_items = 0
        if apology_at:
            done_items = 2
        if started:
            done_items = rnd.randint(3, 6)
        if resolved:
            done_items = 8 if closed else rnd.randint(6, 8)
        for item in range(1, 9):
            state, by, at = CheckState.OPEN, None, None
            if item == 3 and comp_kind == CompensationKind.NONE and started:
                state, by, at = CheckState.NOT_APPLICABLE, handler, first_response
            elif item <= done_items:
                state, by = CheckState.DONE, handler
                at = resolved_at if item > 5 and resolved_at else apology_at
                at = at or opened
            self.ids["complaint_checks"] += 1
            self.rows["complaint_checks"].append((
                self.ids["complaint_checks"], kid, item, state.value, by,
                dt(at) if at else None))
        if comp_kind == CompensationKind.REFUND and resolved_at is not None:
            self.ids["purchases"] += 1
            stamp = dt(resolved_at)
            self.rows["purchases"].append((
                self.ids["purchases"], cid, iso_date(resolved_at.date()), money(-comp_cents),
                "Zwrot", 1, approved, "zwrot po reklamacji", 1, kid, None, None,
                micros(stamp)))

    # ---------------------------------------------------------------- family, dates

    def _date(self, year_lo: int, year_hi: int) -> date:
        start = date(year_lo, 1, 1)
        return start + timedelta(days=self.rnd.randrange((date(year_hi, 12, 31) - start).days))

    def personal_date(self, cid: int, relative: int | None, kind: DateKind, d: date,
                      year_known: bool, label: str = "") -> None:
        self.ids["personal_dates"] += 1
        gift = self.rnd.choice((None,) * 9 + (7,))
        self.rows["personal_dates"].append((
            self.ids["personal_dates"], cid, relative, kind.value, label, d.month, d.day,
            d.year if year_known else None, gift))

    def family_of(self, cid: int, last: str, female: bool, company: bool) -> None:
        rnd, fake = self.rnd, self.fake
        if company:
            return
        if rnd.random() < 0.6:
            self.personal_date(cid, None, DateKind.BIRTHDAY, self._date(1945, 2006),
                               rnd.random() < 0.7)
        if rnd.random() < 0.35:  # the name day of the client's first name
            self.personal_date(cid, None, DateKind.NAME_DAY, self._date(2001, 2001), False)
        if rnd.random() < 0.03:
            self.personal_date(cid, None, DateKind.ANNIVERSARY, self._date(1975, 2024), True,
                               "rocznica ślubu")
        if rnd.random() >= 0.3:
            return
        for _ in range(rnd.choice((1, 1, 2, 2, 3))):
            relation = rnd.choices(_RELATIONS, (30, 5, 40, 12, 8, 5))[0]
            if relation == Relation.CHILD and rnd.random() < 0.05 and cid > 10:
                # a relative who is a client too (a family of clients)
                other = rnd.randrange(1, cid)
                name, note = self.rows_name(other), f"też nasz klient (nr {other})"
            else:
                other_female = rnd.random() < 0.5
                first = fake.first_name_female() if other_female else fake.first_name_male()
                name, note = nfc(f"{first} {last}"), ""
            self.ids["relatives"] += 1
            rid = self.ids["relatives"]
            self.rows["relatives"].append((rid, cid, name, relation.value, note))
            if rnd.random() < 0.8:
                years = (2008, 2024) if relation in (Relation.CHILD, Relation.GRANDCHILD) \
                    else (1940, 2000)
                self.personal_date(cid, rid, DateKind.BIRTHDAY, self._date(*years),
                                   rnd.random() < 0.85)

    def rows_name(self, cid: int) -> str:
        """The name of an earlier client (of this chunk when it is here, else a new one in
        that client's family name is as good for the benchmark)."""
        for row in reversed(self.rows["clients"]):
            if row[0] == cid:
                return row[2]
        return nfc(f"{self.fake.first_name()} {self.fake.last_name()}")


_OUTCOMES = list(Outcome)
_OUTCOME_WEIGHTS = {Outcome.REACHED: 40, Outcome.NO_ANSWER: 20, Outcome.LEFT_MESSAGE: 8,
                    Outcome.MEETING_BOOKED: 12, Outcome.COMPLAINT_FOUND: 1,
                    Outcome.DECLINED: 8, Outcome.WRONG_NUMBER: 1,
                    Outcome.CALL_BACK_LATER: 10}
_OUTCOME_WEIGHTS = [_OUTCOME_WEIGHTS[o] for o in _OUTCOMES]
_PURPOSES = [TaskKind.FOLLOW_UP, TaskKind.RENEWAL, TaskKind.WIN_BACK, TaskKind.PERSONAL_DATE,
             TaskKind.KEEP_IN_TOUCH, TaskKind.ONBOARDING, TaskKind.MANUAL]
_PURPOSE_WEIGHTS = [30, 15, 12, 12, 10, 6, 15]
_OTHER_CHANNELS = [Channel.SMS, Channel.EMAIL, Channel.IN_PERSON, Channel.MESSENGER]
_COMPENSATIONS = [CompensationKind.REFUND, CompensationKind.DISCOUNT,
                  CompensationKind.FREE_SERVICE, CompensationKind.GIFT]
_SEVERITIES = [Severity.LOW, Severity.MEDIUM, Severity.HIGH]
_FAULTS = [Fault.US, Fault.CLIENT, Fault.THIRD_PARTY, Fault.UNCLEAR]
_RELATIONS = [Relation.SPOUSE, Relation.PARTNER, Relation.CHILD, Relation.PARENT,
              Relation.SIBLING, Relation.GRANDCHILD]

#: the INSERT of each table, in the order the rows are written (parents first)
_INSERTS = {
    "clients": "INSERT INTO clients (id, kind, name, sort_name, search_text, external_ref, "
               "phone, phone_digits, email, preferred_channel, contact_from, contact_to, "
               "contact_days, do_not_contact, marketing_consent, marketing_consent_on, "
               "source_channel, referred_by_id, preferences, notes, deleted_at, created_at, "
               "updated_at) VALUES (" + ", ".join(["?"] * 23) + ")",
    "consent_events": "INSERT INTO consent_events (id, client_id, changed_at, consent, "
                      "consent_on, note) VALUES (?, ?, ?, ?, ?, ?)",
    "client_tags": "INSERT INTO client_tags (client_id, tag_id) VALUES (?, ?)",
    "relatives": "INSERT INTO relatives (id, client_id, name, relation, note) "
                 "VALUES (?, ?, ?, ?, ?)",
    "personal_dates": "INSERT INTO personal_dates (id, client_id, relative_id, kind, label, "
                      "month, day, year, gift_reminder_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "memberships": "INSERT INTO memberships (id, client_id, plan, starts_on, ends_on, status, "
                   "frozen_from, frozen_until, price, promo, discount, special_conditions, "
                   "note, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "complaints": "INSERT INTO complaints (id, client_id, opened_at, channel, category, "
                  "client_words, severity, fault, status, apology, apology_given_at, "
                  "client_request, compensation_kind, compensation_value, "
                  "compensation_approved_by_id, accountable_staff_id, corrective_action, "
                  "first_response_at, resolved_at, closed_at, satisfied, rating, "
                  "review_main_complaint, review_presentation, review_our_view, "
                  "review_helped, review_hurt, review_care_shown, review_differently, "
                  "reviewed_at, lesson, close_reason, version, created_at, updated_at) "
                  "VALUES (" + ", ".join(["?"] * 35) + ")",
    "complaint_checks": "INSERT INTO complaint_checks (id, complaint_id, item, state, "
                        "by_staff_id, at) VALUES (?, ?, ?, ?, ?, ?)",
    "purchases": "INSERT INTO purchases (id, client_id, purchased_on, amount, item, quantity, "
                 "staff_id, note, is_credit, complaint_id, membership_id, import_key, "
                 "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "contacts": "INSERT INTO contacts (id, client_id, at, channel, direction, purpose, "
                "outcome, tone, duration_seconds, staff_id, note, decline_reason, meeting_at, "
                "call_back_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=100_000)
    ap.add_argument("--purchases", type=int, default=DEFAULT_PURCHASES,
                    help="purchases per client, on average")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--locale", default=DEFAULT_LOCALE)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--by-date", action="store_true",
                    help="store purchases and calls in date order (default: client by client)")
    ap.add_argument("--rebuild", action="store_true", help="build again even when cached")
    args = ap.parse_args()
    path = args.cache / dataset_name(args.clients, args.purchases, args.seed, args.locale,
                                     args.by_date)
    if args.rebuild and path.exists():
        _remove(path)
    path = cached_database(args.clients, args.purchases, seed=args.seed, locale=args.locale,
                           cache=args.cache, log=lambda s: print(s, flush=True),
                           by_date=args.by_date)
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
