"""A person's right to erasure, made to hold up to an audit.

:func:`erase_client` removes everything that identifies a client and keeps their
purchases (amounts, dates, the item) under the client's number, so revenue and the
charts stay true. What it does, table by table, is derived from the ORM metadata, so a
column added later is covered without touching this module:

* the client's own row and every row with their ``client_id``: each text column is
  cleared, except the few in :data:`KEPT` (business vocabulary and codes the program
  writes), in which only the person's identifiers are replaced by :data:`MARK`;
  relatives, personal dates and tag links are deleted (a shared tag stays, a tag that
  only this person had goes);
* every other row of every table (other clients' notes, their relatives, complaints,
  tags): the person's name, phone (in any spacing), e-mail and card number are replaced
  by :data:`MARK`. Other clients' own names, phones and e-mails are theirs and are never
  touched (a namesake keeps their name); staff and settings are not about clients.

An erasure is logged in the ``erasures`` table (the client's number and when, nothing
personal) and in a small file beside the database (``<file>.erasures.json``), which a
restore does not replace. :func:`reapply_erasures` applies the log again, so a restored
backup never brings the person back; :func:`clean_backup` applies it to a backup file.
After an erase :func:`compact` checkpoints the WAL (TRUNCATE) and vacuums the file, so
no old page with the person's data stays in the WAL or in free space (the app's
connections run with ``PRAGMA secure_delete=ON``, app/db.py).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import phonenumbers
from sqlalchemy import Enum, String, Table, create_engine, delete, event, select, update
from sqlalchemy.orm import Session

from app.errors import DomainError, NotFoundError
from app.models import (
    Base,
    Client,
    ClientRisk,
    ConsentEvent,
    Contact,
    ContactEffect,
    EditLog,
    Erasure,
    PersonalDate,
    Purchase,
    Relative,
    Tag,
    Task,
    client_tags,
)
from app.models.enums import TaskStatus
from app.progress import NO_PROGRESS, Progress
from app.services.access import Action, require
from app.services.backups import list_backups
from app.services.clients import purge_empty_tags, refresh_next_due
from app.sqlite_file import alembic_command, alembic_config, current_revision, head_revision

log = logging.getLogger(__name__)

#: what replaces the person's name, phone, e-mail or card number inside other text: a
#: word of the business's language (it is written into the business's own notes, as its
#: staff would write it), English where the country's language is not one of ClientCare's
MARK = "[erased]"
MARKS = {"pl": "[usunięto]", "ru": "[удалено]", "bg": "[изтрито]"}


def mark_for(session: Session) -> str:
    """The mark of this business: by the language of its country (the setting
    ``business.region``: PL, RU, BG), else :data:`MARK`."""
    from app.services import settings as settings_service
    from app.services.name_days import language_for_region
    region = settings_service.get(session, "business.region")
    return MARKS.get(language_for_region(region) or "", MARK)

#: columns of the person's own rows that are kept, with only the person's identifiers
#: replaced by MARK: what was sold and which plan (the figures), the complaint category
#: (the charts), and codes the program writes (never a person's words)
KEPT: frozenset[tuple[str, str]] = frozenset({
    ("purchases", "item"), ("memberships", "plan"), ("complaints", "category"),
    ("tasks", "source_kind"), ("tasks", "source_key"), ("tasks", "rule"),
    ("segment_history", "quarter"), ("segment_history", "reason_kind"),
    # a message's codes (issue 18); its address, subject, text and error are cleared
    ("messages", "kind"), ("messages", "language"), ("messages", "task_ids"),
    ("messages", "status"), ("messages", "error_code"),
})

#: tables not about clients: the staff's own names and the business's settings
NOT_ABOUT_CLIENTS = frozenset({"staff", "settings", "alembic_version", "erasures",
                               "message_templates"})  # the business's own words

#: another client's own identity stays theirs (a namesake keeps their name)
OWN_IDENTITY = frozenset({"name", "sort_name", "phone", "phone_digits", "email",
                          "external_ref", "contact_days"})

#: the person's rows that go entirely (their kept risk score too: computed again from
#: the anonymous purchases at the next refresh)
DELETED = frozenset({"relatives", "personal_dates", "client_tags", "client_risk"})

CONSENT_NOTE = "erased at the person's request"

#: to empty the WAL while another connection reads, SQLite waits up to this long, and
#: the compaction tries this many times (at most about 10 s in all, in the background)
CHECKPOINT_WAIT_S = 2.0
CHECKPOINT_TRIES = 5


def text_columns(table: Table) -> list:
    """The columns of ``table`` that hold text (not enumerations, which are codes)."""
    return [c for c in table.columns
            if isinstance(c.type, String) and not isinstance(c.type, Enum)]


def client_tables() -> list[Table]:
    """Every table with rows of one client (a ``client_id`` column), the client's own
    table excepted."""
    return [t for t in Base.metadata.sorted_tables
            if "client_id" in t.c and t.name not in NOT_ABOUT_CLIENTS]


# --------------------------------------------------------------------------- identifiers


@dataclass
class Identifiers:
    """What identifies the person inside any text."""

    name: str = ""
    phone: str | None = None
    email: str | None = None
    external_ref: str | None = None

    def pattern(self) -> re.Pattern[str] | None:
        parts = []
        words = [re.escape(w) for w in unicodedata.normalize("NFC", self.name).split()]
        # a full name only: a lone "Anna" is not this person in everyone else's notes
        if len(words) >= 2 and len(" ".join(words)) >= 5:
            parts.append(r"\s+".join(words))
            # "Nowak Anna", and "Сидоров Иван Петрович" for "Иван Петрович Сидоров"
            parts.append(r"\s+".join(reversed(words)))
            if len(words) > 2:
                parts.append(r"\s+".join([words[-1], *words[:-1]]))
        for literal in (self.email, self.external_ref):
            if literal and len(literal.strip()) >= 3:
                parts.append(re.escape(unicodedata.normalize("NFC", literal.strip())))
        if self.phone:
            parts.extend(_phone_patterns(self.phone))
        if not parts:
            return None
        return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def _phone_patterns(phone: str) -> list[str]:
    """The number with any spaces, dashes, dots or brackets between its digits, with or
    without its country code ("+48 601-234-567", "601 234 567", "0048601234567")."""
    digits = re.sub(r"\D", "", phone)
    national = digits
    try:
        number = phonenumbers.parse(phone if phone.startswith("+") else "+" + digits, None)
        national = str(number.national_number)
        country = str(number.country_code)
    except phonenumbers.NumberParseException:
        country = ""
    if len(national) < 6:
        return []
    sep = r"[\s().\-]*"
    body = sep.join(re.escape(d) for d in national)
    prefix = ""
    if country:
        prefix = r"(?:(?:\+|00)" + sep + sep.join(country) + sep + r"|0" + sep + r")?"
    return [prefix + r"\(?" + body]


def _identifiers(c: Client) -> Identifiers:
    return Identifiers(c.name or "", c.phone or c.phone_unchecked, c.email, c.external_ref)


def _install_mask(session: Session, pattern: re.Pattern[str], mark: str) -> None:
    """``cc_mask(text)`` and ``cc_has(text)`` on this session's SQLite connection: a
    Unicode-aware, case-insensitive search (SQLite's own lower() knows only ASCII)."""
    dbapi = session.connection().connection.dbapi_connection

    # text typed on another system may be decomposed ("Z" + combining dot): compare NFC
    def has(v):
        return 1 if isinstance(v, str) and pattern.search(unicodedata.normalize("NFC", v)) \
            else 0

    def mask(v):
        if not isinstance(v, str):
            return v
        nfc = unicodedata.normalize("NFC", v)
        return pattern.sub(mark, nfc) if pattern.search(nfc) else v

    dbapi.create_function("cc_has", 1, has, deterministic=True)
    dbapi.create_function("cc_mask", 1, mask, deterministic=True)


# --------------------------------------------------------------------------- erase


def erase_client(session: Session, client_id: int, now: datetime) -> None:
    """Remove the person from ClientCare but keep their purchases, anonymised, and log
    the erasure. Run :func:`finish` (or :func:`compact`) after the commit."""
    require(session, Action.ERASE)
    c = session.get(Client, client_id)
    if c is None:
        raise NotFoundError("client.not_found", "client not found", client_id=client_id)
    if c.erased_at is None:
        _scrub(session, c, now)
    if session.get(Erasure, client_id) is None:
        session.add(Erasure(client_id=client_id, erased_on=now.date()))
    session.flush()
    path = _db_path(session)
    if path is not None:
        entries = logged(session)

        def write_after_commit(_session) -> None:
            try:
                write_log(path, entries)
            except DomainError as exc:  # the table still holds the log
                log.warning("erasure log beside %s not written: %s", path, exc)

        event.listen(session, "after_commit", write_after_commit, once=True)


def _scrub(session: Session, c: Client, now: datetime) -> None:
    client_id = c.id
    ids = _identifiers(c)
    had_consent = c.marketing_consent
    session.flush()
    # 1. the person's own rows: every text column cleared, KEPT ones masked below
    for table in client_tables():
        if table.name in DELETED:
            continue
        values = {col.key: (None if col.nullable else "") for col in text_columns(table)
                  if (table.name, col.key) not in KEPT}
        if values:
            session.execute(update(table).where(table.c.client_id == client_id)
                            .values(**values))
    # an imported purchase's key is a hash of the person's card, phone or e-mail (a
    # number, not text since migration 0008): it goes too
    session.execute(update(Purchase).where(Purchase.client_id == client_id)
                    .values(import_key=None))
    session.execute(delete(PersonalDate).where(PersonalDate.client_id == client_id))
    session.execute(delete(Relative).where(Relative.client_id == client_id))
    session.execute(delete(client_tags).where(client_tags.c.client_id == client_id))
    session.execute(delete(ClientRisk).where(ClientRisk.client_id == client_id))
    # who changed which fields of this person: gone with the person
    session.execute(delete(EditLog).where(EditLog.client_id == client_id))
    # what the person's calls changed (an old phone number among it): undo and correction
    # of an erased person's calls are not needed
    session.execute(delete(ContactEffect).where(ContactEffect.contact_id.in_(
        select(Contact.id).where(Contact.client_id == client_id))))
    purge_empty_tags(session)
    # 2. the client's own row
    session.refresh(c)
    label = f"#{client_id}"
    for col in text_columns(Client.__table__):
        setattr(c, col.key, None if col.nullable else "")
    c.name, c.sort_name, c.search_text = label, label, ""
    c.contact_from = c.contact_to = None
    c.referred_by_id = None
    c.marketing_consent, c.marketing_consent_on, c.do_not_contact = False, None, True
    c.erased_at = now
    session.flush()
    if had_consent:
        session.add(ConsentEvent(client_id=client_id, consent=False, consent_on=now.date(),
                                 note=CONSENT_NOTE))
    session.execute(update(Task).where(
        Task.client_id == client_id,
        Task.status.in_([TaskStatus.OPEN.value, TaskStatus.SNOOZED.value]))
        .values(status=TaskStatus.CANCELLED.value, reason="client erased", closed_at=now))
    session.execute(update(Client).where(Client.referred_by_id == client_id)
                    .values(referred_by_id=None))
    # 3. the person's name, phone, e-mail and card number inside any other text
    pattern = ids.pattern()
    if pattern is not None:
        _mask_everywhere(session, pattern, client_id)
    session.flush()
    refresh_next_due(session, [client_id])


def _nfc_masked(pattern: re.Pattern[str], value, mark: str):
    """``value`` with the person masked, compared in NFC (as ``cc_mask``); None when
    the person is not in it."""
    if not isinstance(value, str):
        return None
    nfc = unicodedata.normalize("NFC", value)
    return pattern.sub(mark, nfc) if pattern.search(nfc) else None


def _masked_columns():
    """Each table that may hold the person's words, with its text columns to mask (the
    client's own identity columns are erased apart, the tags are masked by name)."""
    for table in Base.metadata.sorted_tables:
        if table.name in NOT_ABOUT_CLIENTS or table.name == "tags":
            continue
        cols = text_columns(table)
        if table.name == "clients":
            cols = [col for col in cols if col.key not in OWN_IDENTITY]
        if cols:
            yield table, cols


def _mask_portably(session: Session, pattern: re.Pattern[str], mark: str) -> None:
    """:func:`_mask_everywhere`'s SQL functions where the engine cannot take Python ones
    (PostgreSQL): every text read and searched here, only the rows that hold the person
    written back, by their key."""
    for table, cols in _masked_columns():
        keys = list(table.primary_key.columns)
        changed = []
        for row in session.execute(select(*keys, *cols)):
            values = {}
            for col, value in zip(cols, row[len(keys):], strict=True):
                masked = _nfc_masked(pattern, value, mark)
                if masked is not None:
                    values[col.key] = masked
            if values:
                changed.append(({k.key: v for k, v in zip(keys, row, strict=False)}, values))
        for where, values in changed:
            stmt = update(table).where(*[k == where[k.key] for k in keys]).values(**values)
            if "version" in table.c:  # a card open elsewhere must not save the old text
                stmt = stmt.values(version=table.c.version + 1)
            session.execute(stmt)


def _mask_everywhere(session: Session, pattern: re.Pattern[str], client_id: int) -> None:
    session.flush()
    mark = mark_for(session)
    if session.get_bind().dialect.name != "sqlite":
        _mask_portably(session, pattern, mark)
        _mask_tags(session, pattern, mark)
        return
    _install_mask(session, pattern, mark)
    for table, cols in _masked_columns():
        table_name = session.bind.dialect.identifier_preparer.quote(table.name)
        sets = ", ".join(f'"{col.name}" = cc_mask("{col.name}")' for col in cols)
        if "version" in table.c:  # a card open elsewhere must not save the old text back
            sets += ', "version" = "version" + 1'
        where = " OR ".join(f'cc_has("{col.name}")' for col in cols)
        session.connection().exec_driver_sql(f"UPDATE {table_name} SET {sets} WHERE {where}")
    _mask_tags(session, pattern, mark)


def _mask_tags(session: Session, pattern: re.Pattern[str], mark: str) -> None:
    # tags are shared: a tag's name loses the person, its unique key follows the name
    for tag in session.scalars(select(Tag)):
        if pattern.search(tag.name) or pattern.search(tag.key):
            name = pattern.sub(mark, tag.name)
            key = name.casefold()
            if session.scalar(select(Tag.id).where(Tag.key == key, Tag.id != tag.id)):
                name, key = f"{name} ({tag.id})", f"{key} ({tag.id})"
            tag.name, tag.key = name, key
            session.flush()
    session.expire_all()  # the rows changed in SQL above are read again


# --------------------------------------------------------------------------- the log


def log_path(db_path: Path) -> Path:
    """The erasure log beside the database: a restore replaces the database, not this."""
    return db_path.with_name(db_path.name + ".erasures.json")


def _db_path(session: Session) -> Path | None:
    """The database file (whose log is written beside it); None on a server, whose log
    is its ``erasures`` table alone."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    name = session.get_bind().url.database
    return Path(name) if name and name != ":memory:" else None


def read_log(db_path: Path) -> dict[int, date]:
    """The erasures recorded beside the database (client id -> date)."""
    try:
        raw = json.loads(log_path(db_path).read_text(encoding="utf-8"))
        return {int(e["client_id"]): date.fromisoformat(e["erased_on"]) for e in raw}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("erasure log %s unreadable: %s", log_path(db_path), exc)
        return {}


def write_log(db_path: Path, entries: dict[int, date]) -> None:
    """Merge ``entries`` into the log beside the database (written atomically)."""
    merged = read_log(db_path) | entries
    if not merged:
        return
    target = log_path(db_path)
    tmp = target.with_name(target.name + ".partial")
    text = json.dumps([{"client_id": k, "erased_on": v.isoformat()}
                       for k, v in sorted(merged.items())], indent=1)
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        raise DomainError("file.write", str(exc), path=str(target),
                          detail=exc.strerror or str(exc)) from exc


def logged(session: Session) -> dict[int, date]:
    return dict(session.execute(select(Erasure.client_id, Erasure.erased_on)).all())


def reapply_erasures(session: Session, extra: dict[int, date] | None = None) -> int:
    """Apply the erasure log again (the table, the file beside the database and
    ``extra``): every logged client still holding data is erased again; a logged number
    missing from the file is kept as an empty erased record, so it is never given to
    someone else. Returns how many clients were erased again."""
    path = _db_path(session)
    entries = (read_log(path) if path else {}) | logged(session) | (extra or {})
    n = 0
    for client_id, erased_on in sorted(entries.items()):
        if session.get(Erasure, client_id) is None:
            session.add(Erasure(client_id=client_id, erased_on=erased_on))
        c = session.get(Client, client_id)
        when = datetime.combine(erased_on, datetime.min.time())
        if c is None:
            label = f"#{client_id}"
            session.add(Client(id=client_id, name=label, sort_name=label, search_text="",
                               do_not_contact=True, erased_at=when))
        elif c.erased_at is None:
            _scrub(session, c, when)
            n += 1
    session.flush()
    return n


# --------------------------------------------------------------------------- files


def merge_search_index(con: sqlite3.Connection) -> None:
    """Merge the client search index (app/models/search_index.py) into one segment: a
    deleted row's trigrams stay in its older segments, marked deleted, until they are
    merged; after this they are gone and VACUUM drops their pages."""
    if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'client_search'").fetchone():
        con.execute("INSERT INTO client_search(client_search) VALUES ('optimize')")
        if con.in_transaction:
            con.commit()


def compact(db_path: Path) -> bool:
    """Checkpoint the WAL into the file (TRUNCATE leaves it empty) and vacuum, so no
    page with erased data stays in the WAL or in the file's free space. Returns True
    when the WAL is empty afterwards."""
    con = sqlite3.connect(str(db_path), timeout=CHECKPOINT_WAIT_S, isolation_level=None)
    try:
        con.execute("PRAGMA secure_delete=ON")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        merge_search_index(con)
        con.execute("VACUUM")
        for _ in range(CHECKPOINT_TRIES):  # a reader (the charts' report) may hold a page
            busy = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if not busy:
                break
            time.sleep(0.2)
    except sqlite3.Error as exc:
        raise DomainError("erase.compact", f"cannot compact {db_path}: {exc}",
                          path=str(db_path), detail=str(exc)) from exc
    finally:
        con.close()
    return busy == 0


def finish(db_path: Path, entries: dict[int, date]) -> bool:
    """After an erase was committed: the log beside the file, then :func:`compact`."""
    write_log(db_path, entries)
    return compact(db_path)


def holds_any(path: Path, client_ids: Iterable[int]) -> bool:
    """Does this database or backup file still hold one of these clients (not erased)?
    Read-only; a file that cannot be read is said to hold them (be safe)."""
    ids = list(client_ids)
    if not ids:
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            marks = ",".join("?" * len(ids))
            row = con.execute(f"SELECT count(*) FROM clients WHERE id IN ({marks}) "
                              "AND erased_at IS NULL", ids).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return True
    return bool(row[0])


def backups_holding(db_path: Path, client_ids: Iterable[int]) -> list[Path]:
    """The backups of this database that still hold one of these clients."""
    ids = list(client_ids)
    return [b.path for b in list_backups(db_path) if holds_any(b.path, ids)]


def clean_backup(path: Path, entries: dict[int, date]) -> int:
    """Apply erasures to a backup file in place: bring it to the current structure,
    erase the clients, vacuum it with ``secure_delete``. Returns clients erased."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            if current_revision(conn) != head_revision():
                alembic_command().upgrade(alembic_config(conn), "head")
        with Session(engine) as s, s.begin():
            n = reapply_erasures(s, entries)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA secure_delete=ON")
            merge_search_index(conn.connection.driver_connection)
            conn.exec_driver_sql("VACUUM")
    except Exception as exc:  # any failure: the user is told which backup and why
        raise DomainError("erase.backup_failed", f"cannot clean {path}: {exc}",
                          path=str(path), detail=str(exc)) from exc
    finally:
        engine.dispose()
    return n


def reapply_on_open(db) -> int:
    """At start: a file put back by hand (a backup copied over the database) is caught
    by the log beside it. Reads only, unless a logged client is there again; then they
    are erased again and the file compacted. Returns clients erased again."""
    entries = read_log(db.path) if db.path is not None else {}  # a server: its own log
    with db.sessions() as s:
        entries |= logged(s)
        if not entries:
            return 0
        ids = list(entries)
        present = set(s.scalars(select(Client.id).where(Client.id.in_(ids))))
        alive = s.scalar(select(Client.id).where(Client.id.in_(ids),
                                                 Client.erased_at.is_(None)).limit(1))
        missing_log = set(ids) - set(s.scalars(select(Erasure.client_id)))
    if alive is None and present == set(ids) and not missing_log:
        return 0
    with db.session() as s:
        n = reapply_erasures(s, entries)
    if db.path is not None:
        compact(db.path)
    return n


# --------------------------------------------------------------------------- the whole job


#: the steps of :func:`erase_everywhere`, as the ``text`` of its progress reports
STAGE_ERASED = "erase.erased"
STAGE_COMPACTED = "erase.compacted"
STAGE_BACKUP = "erase.backup"


@dataclass
class EraseReport:
    client_id: int
    wal_empty: bool = False
    compact_error: DomainError | None = None
    backups_cleaned: list[Path] = field(default_factory=list)
    backups_failed: list[tuple[Path, str]] = field(default_factory=list)
    #: erased in a server's database (office mode): no file here to compact
    on_server: bool = False


def erase_everywhere(sessions: Callable[[], Session], db_path: Path | None, client_id: int,
                     now: datetime, backups: Sequence[Path] = (),
                     progress: Progress = NO_PROGRESS) -> EraseReport:
    """The erase the window runs in the background: erase and commit, log, compact the
    file, then clean each of ``backups``. ``progress.report(done, total, STAGE)`` after
    each step (:data:`STAGE_ERASED`, :data:`STAGE_COMPACTED`, then
    :data:`STAGE_BACKUP` per backup). Not stopped halfway: what was erased stays erased."""
    total = 2 + len(backups)
    with sessions() as s, s.begin():
        erase_client(s, client_id, now)
        entries = logged(s)
    progress.report(1, total, STAGE_ERASED)
    report = EraseReport(client_id)
    if db_path is None:  # a server: no log beside a file, no file to compact
        report.on_server = True
        progress.report(2, total, STAGE_COMPACTED)
        return report
    try:
        report.wal_empty = finish(db_path, entries)
    except DomainError as exc:  # erased and committed; only the compaction is owed
        log.warning("after erasing %s: %s", client_id, exc)
        report.compact_error = exc
    progress.report(2, total, STAGE_COMPACTED)
    for i, path in enumerate(backups, start=3):
        try:
            clean_backup(path, entries)
            report.backups_cleaned.append(path)
        except DomainError as exc:
            log.warning("backup %s not cleaned: %s", path, exc)
            report.backups_failed.append((path, str(exc.values.get("detail", exc))))
        progress.report(i, total, STAGE_BACKUP)
    return report
