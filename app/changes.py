"""What a unit of work changed, recorded by the layer that writes.

Every write of the app goes through one Session in one transaction (``Database.session``).
:func:`recording` attaches a :class:`ChangeRecorder` to that Session, and the recorder
learns what was written from the Session itself, so no caller has to say it:

- the ORM flush names the objects (a new purchase, a changed client) and the clients
  they belong to;
- every INSERT, UPDATE or DELETE statement that reaches the database outside a flush
  (a bulk ``update(Task)``, a Core ``insert()``, a ``text()`` statement) names its table;
  its rows are not named, so the change says "some rows of this kind" (``all_clients``);
- SQLite's own count of changed rows is the safety net: a write that none of the above
  saw (a raw DBAPI statement) announces everything.

The result is a :class:`Changes`: the kinds of entity written (:class:`Entity`), the
clients concerned where they are known, and, derived from the kinds, which parts of the
window care (:class:`Concern`). Written after calibre's ``db/listeners.py`` (the writing
layer owns the vocabulary) and Anki's ``OpChanges`` (an operation returns what it
changed). No Qt here: the window's ``Ops`` emits the record, the CLI may print it.
"""

from __future__ import annotations

import re
import sqlite3
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session


class Entity(StrEnum):
    """The kinds of thing a write can change."""

    CLIENT = "client"            # a client's own fields, relatives, consent, erasure
    TAG = "tag"
    PERSONAL_DATE = "personal_date"
    PURCHASE = "purchase"
    MEMBERSHIP = "membership"
    TASK = "task"                # due contacts and to-dos
    CONTACT = "contact"          # logged calls and their effects
    COMPLAINT = "complaint"
    SEGMENT = "segment"          # A/B/C history
    SETTINGS = "settings"        # what the owner set (rules, business, backups)
    STAFF = "staff"
    RISK = "risk"                # the kept churn-risk scores
    INTERNAL = "internal"        # bookkeeping no screen shows (remembered mappings, dates)


class Concern(StrEnum):
    """The parts of the window that show data; each cares about some entities."""

    CLIENT_LIST = "client_list"
    QUEUE = "queue"              # Today
    CALENDAR = "calendar"
    COMPLAINTS = "complaints"
    CHARTS = "charts"
    SETTINGS = "settings"
    STAFF = "staff"
    CARD = "card"                # an open client card's calls, complaints and history


_E, _C = Entity, Concern
#: which entities each part of the window shows (a change to any of them concerns it)
SHOWS: dict[Concern, frozenset[Entity]] = {
    _C.CLIENT_LIST: frozenset({_E.CLIENT, _E.TAG, _E.PURCHASE, _E.MEMBERSHIP, _E.SEGMENT,
                               _E.SETTINGS, _E.TASK, _E.CONTACT, _E.PERSONAL_DATE,
                               _E.COMPLAINT, _E.RISK}),  # an open complaint's mark
    _C.QUEUE: frozenset({_E.CLIENT, _E.TASK, _E.CONTACT, _E.COMPLAINT, _E.PERSONAL_DATE,
                         _E.MEMBERSHIP, _E.PURCHASE, _E.SETTINGS, _E.STAFF, _E.RISK}),
    _C.CALENDAR: frozenset({_E.CLIENT, _E.TASK, _E.CONTACT, _E.PERSONAL_DATE,
                            _E.MEMBERSHIP, _E.SETTINGS}),
    _C.COMPLAINTS: frozenset({_E.COMPLAINT, _E.CLIENT, _E.STAFF, _E.SETTINGS}),
    _C.CHARTS: frozenset({_E.CLIENT, _E.PURCHASE, _E.MEMBERSHIP, _E.CONTACT, _E.COMPLAINT,
                          _E.TASK, _E.SEGMENT, _E.SETTINGS, _E.TAG}),
    _C.SETTINGS: frozenset({_E.SETTINGS}),
    _C.STAFF: frozenset({_E.STAFF}),
    # what is written on a client's card is in its history (edit_log, written with it)
    _C.CARD: frozenset({_E.CLIENT, _E.TAG, _E.PERSONAL_DATE, _E.PURCHASE, _E.MEMBERSHIP,
                        _E.CONTACT, _E.COMPLAINT, _E.STAFF}),
}

#: the table each entity lives in (every table of the schema is here; a test checks it)
TABLES: dict[str, Entity] = {
    "clients": _E.CLIENT, "relatives": _E.CLIENT, "consent_events": _E.CLIENT,
    "erasures": _E.CLIENT, "tags": _E.TAG, "client_tags": _E.TAG,
    "personal_dates": _E.PERSONAL_DATE, "purchases": _E.PURCHASE,
    "memberships": _E.MEMBERSHIP, "tasks": _E.TASK, "contacts": _E.CONTACT,
    "contact_effects": _E.CONTACT, "complaints": _E.COMPLAINT,
    "complaint_checks": _E.COMPLAINT, "segment_history": _E.SEGMENT,
    "settings": _E.SETTINGS, "staff": _E.STAFF, "client_risk": _E.RISK,
    "message_templates": _E.SETTINGS, "messages": _E.CONTACT,
    "edit_log": _E.INTERNAL,  # who changed what: written with what it names (Concern.CARD)
    "alembic_version": _E.INTERNAL,
}

#: deleting a client deletes its rows in these tables by the schema's ON DELETE CASCADE,
#: which SQLite does without a statement anybody sees
CASCADES_FROM_CLIENT = frozenset({_E.TAG, _E.PERSONAL_DATE, _E.PURCHASE, _E.MEMBERSHIP,
                                  _E.TASK, _E.CONTACT, _E.COMPLAINT, _E.SEGMENT,
                                  _E.RISK})

#: setting keys no screen shows: writing them concerns nobody
INTERNAL_SETTING_PREFIXES = ("internal.", "import.")


@dataclass(frozen=True)
class Changes:
    """What one unit of work changed.

    ``client_ids``: the clients whose rows were written, as far as they are known;
    ``all_clients``: some rows were written without being named (a bulk statement), so a
    list of clients must be read again rather than only the named rows."""

    entities: frozenset[Entity] = frozenset()
    client_ids: frozenset[int] = frozenset()
    all_clients: bool = False
    #: the window that wrote (so it can skip its own echo); held weakly: a change kept
    #: by a hidden page until it is shown must not keep a closed window and its data alive
    origin: object | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.origin is not None and not isinstance(self.origin, weakref.ref):
            try:
                object.__setattr__(self, "origin", weakref.ref(self.origin))
            except TypeError:  # not weakly referenceable: a plain value, kept as is
                pass

    @property
    def source(self) -> object | None:
        """The writer, or None when it is gone (or there was none)."""
        origin = self.origin
        return origin() if isinstance(origin, weakref.ref) else origin

    @classmethod
    def everything(cls, source: object | None = None) -> Changes:
        """A change to anything (a restored file, a new database)."""
        return cls(frozenset(Entity), frozenset(), True, source)

    @property
    def empty(self) -> bool:
        return not (self.entities - {Entity.INTERNAL})

    @property
    def concerned(self) -> frozenset[Concern]:
        return frozenset(c for c, shown in SHOWS.items() if shown & self.entities)

    def concerns(self, *concerns: Concern) -> bool:
        """Whether any of these parts of the window shows something that changed."""
        return any(SHOWS[c] & self.entities for c in concerns)

    def touches(self, *entities: Entity | str) -> bool:
        return any(Entity(e) in self.entities for e in entities)

    def with_source(self, source: object | None) -> Changes:
        return Changes(self.entities, self.client_ids, self.all_clients, source)

    def merged(self, other: Changes) -> Changes:
        return Changes(self.entities | other.entities, self.client_ids | other.client_ids,
                       self.all_clients or other.all_clients, self.origin)


_WRITE = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|"
    r"DELETE\s+FROM)\s+[\"`\[]?(\w+)", re.IGNORECASE)
_KEY = "clientcare_change_recorder"


class ChangeRecorder:
    """Collects what one Session writes; see the module's description."""

    def __init__(self) -> None:
        self.entities: set[Entity] = set()
        self.client_ids: set[int] = set()
        self.all_clients = False
        self._flushing = 0
        self._scopes: list[frozenset[int]] = []
        self._raw = None
        self._changes_at_start: int | None = None
        self._session: Session | None = None


    # -- fed by the Session -------------------------------------------------------
    def _before_flush(self, session, _ctx, _instances) -> None:
        self._flushing += 1
        for obj in session.new:
            self._note_object(obj, deleted=False)
        for obj in session.dirty:  # "dirty" includes a field set to the value it had
            if session.is_modified(obj):
                self._note_object(obj, deleted=False)
        for obj in session.deleted:
            self._note_object(obj, deleted=True)

    def _after_flush(self, session, _ctx) -> None:
        for obj in session.new:  # ids are known now
            self._note_object(obj, deleted=False)

    def _after_flush_postexec(self, _session, _ctx) -> None:
        self._flushing = max(0, self._flushing - 1)

    def _note_object(self, obj, *, deleted: bool) -> None:
        table = getattr(obj, "__tablename__", None)
        entity = TABLES.get(table or "", Entity.INTERNAL)
        if table == "settings" and str(getattr(obj, "key", "")).startswith(
                INTERNAL_SETTING_PREFIXES):
            entity = Entity.INTERNAL
        self.entities.add(entity)
        cid = obj.id if table == "clients" else getattr(obj, "client_id", None)
        if isinstance(cid, int):
            self.client_ids.add(cid)
        if table == "clients" and deleted:
            self.entities.update(CASCADES_FROM_CLIENT)

    def _statement(self, statement: str, rowcount: int) -> None:
        match = _WRITE.match(statement)
        if not match or rowcount == 0:  # an UPDATE or DELETE that matched no row
            return
        table = match.group(1).lower()
        entity = TABLES.get(table, Entity.INTERNAL)
        if self._flushing:
            # the flush named its objects already, except the link table of tags
            if table == "client_tags":
                self.entities.add(Entity.TAG)
            return
        self.entities.add(entity)
        if entity in (Entity.INTERNAL, Entity.SETTINGS, Entity.STAFF):
            pass  # rows of no client
        elif self._scopes:
            self.client_ids.update(self._scopes[-1])
        else:
            self.all_clients = True
        if table == "clients" and statement.lstrip()[:6].upper() == "DELETE":
            self.entities.update(CASCADES_FROM_CLIENT)

    # -- the record -----------------------------------------------------------------
    def changes(self, source: object | None = None) -> Changes:
        """What was written so far (pending ORM changes are flushed first)."""
        if self._session is not None and self._session.in_transaction():
            self._session.flush()
        if self._raw is not None and self._changes_at_start is not None:
            try:
                moved = self._raw.total_changes != self._changes_at_start
            except sqlite3.Error:
                moved = False
            if moved and not self.entities:  # written by a path nothing above saw
                return Changes.everything(source)
        return Changes(frozenset(self.entities), frozenset(self.client_ids), self.all_clients,
                       source)


@event.listens_for(Engine, "after_cursor_execute")
def _cursor_write(conn, cursor, statement, _parameters, _context, _executemany) -> None:
    recorder = conn.info.get(_KEY)
    if recorder is not None:
        rowcount = getattr(cursor, "rowcount", -1)
        recorder._statement(statement, -1 if rowcount is None else rowcount)


@contextmanager
def recording(session: Session) -> Iterator[ChangeRecorder]:
    """Record what ``session`` writes while the block runs (inside its transaction)."""
    recorder = ChangeRecorder()
    recorder._session = session
    conn = session.connection()
    raw = conn.connection.dbapi_connection
    if isinstance(raw, sqlite3.Connection):
        recorder._raw, recorder._changes_at_start = raw, raw.total_changes
    listeners = (("before_flush", recorder._before_flush),
                 ("after_flush", recorder._after_flush),
                 ("after_flush_postexec", recorder._after_flush_postexec))
    for name, fn in listeners:
        event.listen(session, name, fn)
    conn.info[_KEY] = recorder
    session.info[_KEY] = recorder
    try:
        yield recorder
    finally:
        conn.info.pop(_KEY, None)
        session.info.pop(_KEY, None)
        for name, fn in listeners:
            event.remove(session, name, fn)


def recorder_of(session: Session) -> ChangeRecorder | None:
    """The recorder of a Session being recorded, for a service that wants to
    scope its bulk writes (:func:`scoped`); None outside :func:`recording`."""
    return session.info.get(_KEY)


@contextmanager
def scoped(session: Session, client_ids: Iterable[int] | None) -> Iterator[None]:
    """Inside the block, the writes a statement makes without naming its rows (a bulk
    ``update(Task).where(Task.client_id.in_(ids))``) concern only ``client_ids``, so the
    window updates those rows instead of the whole list. ``None``: no limit (everyone).
    Nothing happens when the Session is not recorded."""
    recorder = recorder_of(session)
    if recorder is None or client_ids is None:
        yield
        return
    recorder._scopes.append(frozenset(client_ids))
    try:
        yield
    finally:
        recorder._scopes.pop()
