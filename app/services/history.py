"""Who changed what, and when (issue 17 [12]): one ``edit_log`` row per client, complaint
or contact a transaction changed, with the person signed in (none on a single PC where
nobody signs in) and the parts it touched; the client's card lists them.

Recorded by the Session itself (``before_flush`` notes what changed, ``before_commit``
writes it), so every service and screen is covered without saying it:

- a client's own fields are recorded by column name (``phone``, ``notes``); its family,
  personal dates, purchases, memberships and tags as the card's parts (``relatives``,
  ``dates``, ``purchases``, ``memberships``, ``tags``), on the client's row of the
  transaction: one save of the card is one row;
- a complaint's fields, and ``checks`` for its checklist; a contact's fields;
- ``created`` for a new one, ``deleted`` for a contact or complaint removed (an undone
  call), ``trashed`` / ``restored`` for a client moved to the Trash and back.

What a save computes by itself (the client's purchase summary, its search text, the
version) is not "what the person changed" and is left out. :func:`client_history` reads
a client's rows with the column names turned into the card's parts, for the card to put
into words. No Qt here.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from app.models import (
    Client,
    Complaint,
    ComplaintCheck,
    Contact,
    EditLog,
    Membership,
    PersonalDate,
    Purchase,
    Relative,
    Staff,
)
from app.services.access import actor_of

_SUBJECTS = {Client: "client", Complaint: "complaint", Contact: "contact"}
#: rows of a client's card recorded as the card's part on the client's row
_PARTS = {Relative: "relatives", PersonalDate: "dates", Purchase: "purchases",
          Membership: "memberships"}
#: columns a save sets by itself: not "what the person changed"
_OWN = {"version", "updated_at", "created_at", "search_text", "sort_name", "phone_digits",
        "first_purchase_on", "last_purchase_on", "purchase_count", "usual_gap_days",
        "value_12m", "next_due_on", "first_response_at"}
#: session.info keys: what the flushes noted, and "record nothing" (the demo writes its
#: own history)
PENDING = "edit_log_pending"
OFF = "edit_log_off"
_ERASED = "edit_log_erased"


@dataclass
class _Noted:
    kind: str                   # "client", "complaint", "contact"
    fields: set[str]
    obj: object | None = None   # the subject (its id known after the flush), or None
    subject_id: int | None = None
    client_id: int | None = None
    child: object | None = None  # a row of the card: its client is the subject


def _changed_fields(obj) -> set[str]:
    state = inspect(obj)
    return {a.key for a in state.mapper.column_attrs
            if a.key not in _OWN and state.attrs[a.key].history.has_changes()}


def _client_fields(obj: Client) -> set[str]:
    fields = _changed_fields(obj)
    if inspect(obj).attrs.tags.history.has_changes():
        fields.add("tags")
    if "deleted_at" in fields:
        fields.discard("deleted_at")
        fields.add("trashed" if obj.deleted_at is not None else "restored")
    return fields


def record_edits(session: Session, _flush_context, _instances) -> None:
    """``before_flush``: note the new, changed and removed clients, complaints, contacts
    and rows of a card (a contact logged without a staff id gets the signed-in
    person's)."""
    if session.info.get(OFF):
        return
    actor = actor_of(session)
    noted: list[_Noted] = []
    for obj in list(session.new):
        if isinstance(obj, Contact) and obj.staff_id is None and actor is not None:
            obj.staff_id = actor.staff_id
        kind = _SUBJECTS.get(type(obj))
        if kind is not None:
            noted.append(_Noted(kind, {"created"}, obj=obj))
        elif type(obj) in _PARTS and _by_hand(obj):
            noted.append(_Noted("client", {_PARTS[type(obj)]}, child=obj))
    for obj in list(session.dirty):
        kind = _SUBJECTS.get(type(obj))
        if kind is not None:
            if isinstance(obj, Client) and obj.erased_at is not None:
                session.info.setdefault(_ERASED, set()).add(obj.id)
                continue  # erased: what was changed goes with the person
            fields = _client_fields(obj) if isinstance(obj, Client) else _changed_fields(obj)
            if fields:
                noted.append(_Noted(kind, fields, obj=obj))
        elif type(obj) in _PARTS:
            if _by_hand(obj) and _changed_fields(obj):
                noted.append(_Noted("client", {_PARTS[type(obj)]}, child=obj))
        elif isinstance(obj, ComplaintCheck) and _changed_fields(obj):
            noted.append(_Noted("complaint", {"checks"}, subject_id=obj.complaint_id))
    for obj in list(session.deleted):
        if isinstance(obj, (Contact, Complaint)):
            noted.append(_Noted(_SUBJECTS[type(obj)], {"deleted"}, subject_id=obj.id,
                                client_id=obj.client_id))
        elif type(obj) in _PARTS and _by_hand(obj) and obj.client_id is not None:
            noted.append(_Noted("client", {_PARTS[type(obj)]}, subject_id=obj.client_id,
                                client_id=obj.client_id))
    if noted:
        staff_id = actor.staff_id if actor is not None else None
        session.info.setdefault(PENDING, []).extend((n, staff_id) for n in noted)


def _by_hand(obj) -> bool:
    """A purchase line of a membership's price or of a complaint's refund follows the
    membership or the complaint: not a purchase of its own."""
    return not (isinstance(obj, Purchase)
                and (obj.membership_id is not None or obj.complaint_id is not None))


def write_edits(session: Session) -> None:
    """``before_commit``: one row per subject the transaction changed (what is still
    to flush is flushed first, so the commit's own flush has nothing left to note)."""
    if session.info.get(PENDING) is None and not (session.new or session.dirty
                                                  or session.deleted):
        return
    session.flush()
    pending = session.info.pop(PENDING, None)
    erased = session.info.pop(_ERASED, set())
    if not pending:
        return
    rows: dict[tuple[str, int], dict] = {}
    for n, staff_id in pending:
        _resolve(n)
        sid, cid = n.subject_id, n.client_id
        if sid is None:
            continue
        row = rows.setdefault((n.kind, sid), {"staff_id": staff_id, "subject": n.kind,
                                              "subject_id": sid, "client_id": cid,
                                              "fields": set()})
        row["client_id"] = row["client_id"] or cid
        row["fields"] |= n.fields
    for row in rows.values():
        if row["client_id"] is None and row["subject"] == "complaint":
            row["client_id"] = session.connection().scalar(
                select(Complaint.client_id).where(Complaint.id == row["subject_id"]))
    at = datetime.now()  # business time, as every date the card shows
    out = []
    for row in rows.values():
        if row["client_id"] in erased:
            continue
        fields = row.pop("fields")
        for final in ("deleted", "created"):  # a new one is new, whatever else was set
            if final in fields:
                fields = {final}
        out.append({**row, "at": at, "fields": " ".join(sorted(fields))})
    if out:
        session.connection().execute(EditLog.__table__.insert(), out)


def note(session: Session, kind: str, subject_ids, fields: str, *,
         client_ids=None) -> None:
    """Record a change a service makes without the ORM's objects (a bulk ``update()``):
    ``fields`` of the ``kind`` rows ``subject_ids`` (clients: their own ids)."""
    if session.info.get(OFF):
        return
    actor = actor_of(session)
    staff_id = actor.staff_id if actor is not None else None
    ids = list(subject_ids)
    owners = list(client_ids) if client_ids is not None else ids
    session.info.setdefault(PENDING, []).extend(
        (_Noted(kind, set(fields.split()), subject_id=i, client_id=c), staff_id)
        for i, c in zip(ids, owners, strict=True))


def _resolve(n: _Noted) -> None:
    """The noted object's ids, known once it is flushed; the object let go."""
    if n.obj is not None:
        n.subject_id = n.obj.id
        n.client_id = n.obj.id if isinstance(n.obj, Client) else n.obj.client_id
    elif n.child is not None:
        n.subject_id = n.client_id = n.child.client_id
    n.obj = n.child = None


def resolve_ids(session: Session, _flush_context) -> None:
    """``after_flush``: what was noted keeps ids, not the objects: a transaction of many
    flushes (an import, the demo) does not hold every object it wrote until its commit,
    and a row deleted by a bulk statement does not stay in the identity map (where a new
    row given the same id would meet it)."""
    for n, _staff_id in session.info.get(PENDING, ()):
        if n.obj is not None or n.child is not None:
            _resolve(n)


def _forget(session: Session, _transaction=None) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(_ERASED, None)


#: the session classes (one per sessionmaker) that record: kept weakly, so a class of a
#: closed database is forgotten with it. Not ``event.contains``: SQLAlchemy keys its
#: registry by ``id()`` of the class and keeps the key after the class is gone, so a new
#: sessionmaker whose class got a dead one's address would be taken as recording, and
#: every change of the reopened file would go unrecorded and unsigned.
_RECORDING: weakref.WeakSet = weakref.WeakSet()


def install(sessions) -> None:
    """Record who changed what on every session of ``sessions`` (a sessionmaker)."""
    if sessions.class_ in _RECORDING:
        return
    event.listen(sessions, "before_flush", record_edits)
    event.listen(sessions, "after_flush", resolve_ids)
    event.listen(sessions, "before_commit", write_edits)
    event.listen(sessions, "after_rollback", _forget)
    _RECORDING.add(sessions.class_)


# ------------------------------------------------------------------ reading

@dataclass(frozen=True)
class Edit:
    at: datetime
    by: str | None
    subject: str
    fields: tuple[str, ...]


def edits_of_client(session: Session, client_id: int, limit: int = 20) -> list[Edit]:
    """The latest changes of a client, their complaints and contacts: who and when."""
    rows = session.execute(
        select(EditLog.at, Staff.name, EditLog.subject, EditLog.fields)
        .outerjoin(Staff, Staff.id == EditLog.staff_id)
        .where(EditLog.client_id == client_id)
        .order_by(EditLog.at.desc(), EditLog.id.desc()).limit(limit))
    return [Edit(at, by, subject, tuple(fields.split()))
            for at, by, subject, fields in rows]


#: a client's columns as the card's parts (app/services/clients.py CARD_PARTS; besides
#: them "segment", the group the quarterly review gave, "trashed", "restored")
CLIENT_PARTS = {
    "name": "name", "kind": "kind", "external_ref": "external_ref", "phone": "phone",
    "phone_digits": "phone", "phone_unchecked": "phone", "email": "email",
    "preferred_channel": "preferred_channel", "contact_from": "contact_hours",
    "contact_to": "contact_hours", "contact_days": "contact_hours",
    "do_not_contact": "do_not_contact", "marketing_consent": "marketing_consent",
    "marketing_consent_on": "marketing_consent", "source_channel": "source_channel",
    "referred_by_id": "referred_by", "segment_override": "segment_override",
    "segment_override_reason": "segment_override", "segment": "segment",
    "preferences": "preferences", "notes": "notes", "tags": "tags",
    "relatives": "relatives", "dates": "dates", "purchases": "purchases",
    "memberships": "memberships", "trashed": "trashed", "restored": "restored",
}
#: a complaint's columns as the steps of the complaint dialog
COMPLAINT_PARTS = {
    "client_words": "details", "channel": "details", "category": "details",
    "severity": "details", "fault": "details", "opened_at": "details",
    "checks": "checks", "apology": "apology", "apology_given_at": "apology",
    "client_request": "client_request", "compensation_kind": "compensation",
    "compensation_value": "compensation", "compensation_approved_by_id": "compensation",
    "accountable_staff_id": "corrective_action", "corrective_action": "corrective_action",
    "status": "status", "resolved_at": "status", "closed_at": "status",
    "close_reason": "status", "satisfied": "status", "rating": "status",
    "reviewed_at": "review", "lesson": "review", "review_main_complaint": "review",
    "review_presentation": "review", "review_our_view": "review",
    "review_helped": "review", "review_hurt": "review", "review_care_shown": "review",
    "review_differently": "review",
}
#: a contact's columns as the call dialog names them
CONTACT_PARTS = {
    "outcome": "outcome", "decline_reason": "outcome", "tone": "tone", "note": "note",
    "call_back_on": "call_back", "meeting_at": "meeting", "at": "when",
    "channel": "channel", "purpose": "purpose", "duration_seconds": "duration",
    "direction": "channel",
}
_PARTS_OF = {"client": CLIENT_PARTS, "complaint": COMPLAINT_PARTS, "contact": CONTACT_PARTS}
ACTIONS = frozenset({"created", "deleted"})


@dataclass(frozen=True)
class HistoryEntry:
    """One change on a client's card: when, who (None: nobody was signed in), what
    (``subject``: client, complaint or contact; ``action``: created, deleted or changed)
    and the parts changed in the card's vocabulary (``other`` for a column without
    one); ``channel``: a contact's channel, while the contact exists."""

    at: datetime
    by: str | None
    subject: str
    action: str
    parts: tuple[str, ...]
    subject_id: int
    channel: str | None = None


def parts_of(subject: str, fields: str | tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """(action, parts) of a recorded row: columns become parts, each part once, in the
    order of the vocabulary."""
    names = fields.split() if isinstance(fields, str) else list(fields)
    for action in ("created", "deleted"):
        if action in names:
            return action, ()
    vocabulary = _PARTS_OF.get(subject, {})
    order = list(dict.fromkeys(vocabulary.values()))
    found = {vocabulary.get(n, "other") for n in names if n not in _OWN}
    return "changed", tuple(sorted(found, key=lambda p: (p == "other", order.index(p)
                                                         if p in order else 0)))


@dataclass(frozen=True)
class ClientHistory:
    entries: list[HistoryEntry]
    total: int  # how many changes of the client are recorded in all


def client_history(session: Session, client_id: int, limit: int = 50) -> ClientHistory:
    """The latest ``limit`` changes of a client, of their complaints and contacts,
    newest first, and how many there are."""
    rows = session.execute(
        select(EditLog.at, Staff.name, EditLog.subject, EditLog.fields, EditLog.subject_id,
               Contact.channel)
        .outerjoin(Staff, Staff.id == EditLog.staff_id)
        .outerjoin(Contact, (EditLog.subject == "contact")
                   & (Contact.id == EditLog.subject_id))
        .where(EditLog.client_id == client_id)
        .order_by(EditLog.at.desc(), EditLog.id.desc()).limit(limit))
    entries = []
    for at, by, subject, fields, subject_id, channel in rows:
        action, parts = parts_of(subject, fields)
        entries.append(HistoryEntry(at, by, subject, action, parts, subject_id,
                                    str(channel) if channel is not None else None))
    if len(entries) < limit:
        total = len(entries)
    else:
        total = session.scalar(select(func.count()).select_from(EditLog)
                               .where(EditLog.client_id == client_id)) or 0
    return ClientHistory(entries, total)


def who_did(session: Session, subject: str, subject_id: int) -> dict[str, str | None]:
    """For each part of one complaint or contact: who changed it last (None: nobody
    signed in), ``created`` for who made it. Parts nobody recorded are absent."""
    out: dict[str, str | None] = {}
    rows = session.execute(
        select(Staff.name, EditLog.fields)
        .outerjoin(Staff, Staff.id == EditLog.staff_id)
        .where(EditLog.subject == subject, EditLog.subject_id == subject_id)
        .order_by(EditLog.at, EditLog.id))
    vocabulary = _PARTS_OF.get(subject, {})
    for by, fields in rows:
        for name in fields.split():
            out[vocabulary.get(name, name)] = by
            out[name] = by
    return out
