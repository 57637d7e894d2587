"""Clients: the card's data, validation, saving in one transaction, search and the list
query, soft delete with restore, and the per-client summary the list sorts on."""

from __future__ import annotations

import statistics
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    case,
    column,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy import text as sql_text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, aliased, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import changes, dialect
from app.client_list import RISK_LEVELS, ClientColumn, ClientQuery, ClientRow, StatusRules
from app.errors import ConflictError, DomainError, FieldError, NotFoundError, ValidationError
from app.models import (
    Client,
    ClientRisk,
    Complaint,
    ConsentEvent,
    Contact,
    Membership,
    PersonalDate,
    Purchase,
    Relative,
    Staff,
    Tag,
    Task,
    client_tags,
)
from app.models.enums import (
    Channel,
    ClientKind,
    ClientStatus,
    ComplaintStatus,
    DateKind,
    MembershipStatus,
    Relation,
    Segment,
    TaskStatus,
)
from app.services import history
from app.services import settings as settings_service
from app.services.access import Action, require
from app.services.segments import assign_segments, forget_regrouping
from app.services.validation import (
    check_month_day,
    nfc,
    normalize_email,
    normalize_phone,
    parse_amount,
    phone_digits,
    phone_search_keys,
    unchecked_digits,
)

# --------------------------------------------------------------------------- data objects


@dataclass
class PurchaseData:
    id: int | None = None
    purchased_on: date = field(default_factory=date.today)
    amount: Decimal = Decimal("0.00")
    item: str = ""
    quantity: Decimal = Decimal("1")
    note: str = ""
    is_credit: bool = False
    #: the user confirmed a date after today (a purchase paid ahead); loaded ones are kept
    future_confirmed: bool = False
    #: the line is the price of this membership (kept in step with it; read-only here)
    membership_id: int | None = None


@dataclass
class MembershipData:
    id: int | None = None
    plan: str = ""
    starts_on: date = field(default_factory=date.today)
    ends_on: date = field(default_factory=lambda: date.today() + timedelta(days=30))
    status: MembershipStatus = MembershipStatus.ACTIVE
    frozen_from: date | None = None
    frozen_until: date | None = None
    price: Decimal | None = None
    promo: bool = False
    discount: bool = False
    special_conditions: str = ""
    note: str = ""


@dataclass
class RelativeData:
    id: int | None = None
    name: str = ""
    relation: Relation = Relation.OTHER
    note: str = ""
    #: stable key within one card, so that a new relative's dates can point at it
    key: str = ""

    def __post_init__(self) -> None:
        if not self.key:
            self.key = f"r{self.id}" if self.id is not None else f"new{id(self)}"


@dataclass
class PersonalDateData:
    id: int | None = None
    kind: DateKind = DateKind.BIRTHDAY
    month: int = 1
    day: int = 1
    year: int | None = None
    label: str = ""
    gift_reminder_days: int | None = None
    #: None: the client's own date; else the ``key`` of a RelativeData of the same card
    relative_key: str | None = None


@dataclass(frozen=True)
class ContactRow:
    at: datetime
    channel: Channel
    purpose: str
    outcome: str
    tone: str | None
    duration_seconds: int | None
    note: str
    id: int | None = None  # the contact's id, so the card can correct a logged call
    by: str | None = None  # who logged it (None: nobody signed in, or not known)


@dataclass
class ClientData:
    id: int | None = None
    version: int | None = None
    kind: ClientKind = ClientKind.PERSON
    name: str = ""
    external_ref: str = ""
    phone: str = ""
    #: a number kept as a file gave it, not valid in the business's country ("check this
    #: number"); kept while ``phone`` is that same text, cleared by a valid phone
    phone_unchecked: str = ""
    email: str = ""
    preferred_channel: Channel | None = None
    contact_from: time | None = None
    contact_to: time | None = None
    contact_days: str = ""
    do_not_contact: bool = False
    marketing_consent: bool = False
    marketing_consent_on: date | None = None
    source_channel: str = ""
    referred_by_id: int | None = None
    referred_by_name: str = ""
    segment: Segment | None = None
    segment_override: Segment | None = None
    segment_override_reason: str = ""
    preferences: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    relatives: list[RelativeData] = field(default_factory=list)
    dates: list[PersonalDateData] = field(default_factory=list)
    purchases: list[PurchaseData] = field(default_factory=list)
    memberships: list[MembershipData] = field(default_factory=list)
    contacts: list[ContactRow] = field(default_factory=list)
    created_at: datetime | None = None
    #: the card as it was loaded (:func:`card_snapshot`), so a save refused because
    #: somebody else saved first can say what they changed
    original: dict[str, object] | None = field(default=None, compare=False, repr=False)


#: the parts of a card a person edits, by the name the window shows them under
#: (app/ui/messages.py ``card_part_label``)
CARD_PARTS = ("name", "kind", "external_ref", "phone", "email", "preferred_channel",
              "contact_hours", "do_not_contact", "marketing_consent", "source_channel",
              "referred_by", "segment_override", "preferences", "notes", "tags",
              "relatives", "dates", "purchases", "memberships")


def card_snapshot(d: ClientData) -> dict[str, object]:
    """What each part of the card holds, comparable between two loads."""
    def rows(items, *names):
        return tuple(tuple(getattr(i, n) for n in names) for i in items)

    return {
        "name": d.name, "kind": d.kind, "external_ref": d.external_ref, "phone": d.phone,
        "email": d.email, "preferred_channel": d.preferred_channel,
        "contact_hours": (d.contact_from, d.contact_to, d.contact_days),
        "do_not_contact": d.do_not_contact,
        "marketing_consent": (d.marketing_consent, d.marketing_consent_on),
        "source_channel": d.source_channel, "referred_by": d.referred_by_id,
        "segment_override": (d.segment_override, d.segment_override_reason),
        "preferences": d.preferences, "notes": d.notes, "tags": tuple(sorted(d.tags)),
        "relatives": rows(d.relatives, "id", "name", "relation", "note"),
        "dates": rows(d.dates, "id", "kind", "month", "day", "year", "label",
                      "gift_reminder_days"),
        "purchases": rows(d.purchases, "id", "purchased_on", "amount", "item", "quantity",
                          "note"),
        "memberships": rows(d.memberships, "id", "plan", "starts_on", "ends_on", "status",
                            "frozen_from", "frozen_until", "price"),
    }


# --------------------------------------------------------------------------- validation

#: personal dates that have happened: a year after today is a typing mistake
HAPPENED_DATES = frozenset({DateKind.BIRTHDAY, DateKind.NAME_DAY})


def _collect(errors: list[FieldError], exc: DomainError, field_name: str) -> None:
    errors.append(FieldError(field_name, exc.code, exc.message, dict(exc.values)))


def _copy(obj, **values):
    """A shallow copy of a card's dataclass with ``values`` set: what
    ``dataclasses.replace`` gives for these classes (no field is init=False, and a
    ``__post_init__`` only fills what the copy already carries), without calling
    ``__init__`` again, which was an eighth of an import's check of each row."""
    out = object.__new__(type(obj))
    out.__dict__.update(obj.__dict__)
    out.__dict__.update(values)
    return out


def _nfc_fields(obj, names: Iterable[str]):
    values = {}
    for n in names:
        text = getattr(obj, n)
        if text is None or not text.isascii():  # ASCII is NFC already
            values[n] = nfc(text)
    return _copy(obj, **values)


def _nfc_client(d: ClientData) -> ClientData:
    """Every text of the card in NFC (names, card number, notes, tags, family, purchases,
    memberships), so equal-looking texts are equal when stored, searched and compared."""
    out = _nfc_fields(d, ("name", "external_ref", "email", "source_channel", "notes",
                          "preferences", "segment_override_reason"))
    out.tags = [nfc(t) for t in d.tags]
    out.relatives = [_nfc_fields(r, ("name", "note")) for r in d.relatives]
    out.dates = [_nfc_fields(x, ("label",)) for x in d.dates]
    out.purchases = [_nfc_fields(p, ("item", "note")) for p in d.purchases]
    out.memberships = [_nfc_fields(m, ("plan", "special_conditions", "note"))
                       for m in d.memberships]
    return out


def validate_client(data: ClientData, region: str) -> ClientData:
    """Return a normalized copy of ``data`` or raise ValidationError listing every
    invalid field (the card shows each message beside its field)."""
    errors: list[FieldError] = []
    data = _nfc_client(data)
    out = _copy(data)
    out.name = " ".join((data.name or "").split())
    if not out.name:
        errors.append(FieldError("name", "name.required", "a name is required"))
    elif len(out.name) > 200:
        errors.append(FieldError("name", "text.too_long", "the name is too long",
                                 {"maximum": 200}))
    out.segment_override_reason = (data.segment_override_reason or "").strip() \
        if data.segment_override is not None else ""
    if data.segment_override is not None and not out.segment_override_reason:
        errors.append(FieldError("segment_override_reason", "segment.override_reason_required",
                                 "say why this client is always in this group"))
    out.external_ref = (data.external_ref or "").strip()
    if len(out.external_ref) > 64:
        errors.append(FieldError("external_ref", "text.too_long", "too long", {"maximum": 64}))
    unchecked = " ".join((data.phone_unchecked or "").split())
    try:
        out.phone = normalize_phone(data.phone, region) or ""
        out.phone_unchecked = ""  # a valid number (or none) ends "check this number"
    except DomainError as exc:
        if unchecked and " ".join((data.phone or "").split()) == unchecked:
            out.phone, out.phone_unchecked = "", unchecked  # left as it was: still to check
        else:
            _collect(errors, exc, "phone")
    if len(out.phone_unchecked) > 64:
        errors.append(FieldError("phone", "text.too_long", "the number is too long",
                                 {"maximum": 64}))
    try:
        out.email = normalize_email(data.email) or ""
    except DomainError as exc:
        _collect(errors, exc, "email")
    if (data.contact_from is None) != (data.contact_to is None):
        errors.append(FieldError("contact_hours", "hours.incomplete",
                                 "give both the start and the end of the hours"))
    elif data.contact_from and data.contact_to and data.contact_from >= data.contact_to:
        errors.append(FieldError("contact_hours", "hours.order",
                                 "the hours must start before they end"))
    out.contact_days = "".join(sorted(set(c for c in (data.contact_days or "") if c in "1234567")))
    if data.marketing_consent and data.marketing_consent_on is None:
        errors.append(FieldError("marketing_consent_on", "consent.date_required",
                                 "give the date the client consented"))
    if not data.marketing_consent:
        out.marketing_consent_on = None
    if data.referred_by_id is not None and data.referred_by_id == data.id:
        errors.append(FieldError("referred_by", "referral.self",
                                 "a client cannot refer themselves"))
    out.tags = []
    seen: set[str] = set()
    for tag in data.tags:
        name = " ".join(tag.split())
        if name and name.casefold() not in seen:
            if len(name) > 60:
                errors.append(FieldError("tags", "text.too_long", "a tag is too long",
                                         {"maximum": 60}))
                continue
            seen.add(name.casefold())
            out.tags.append(name)
    rel_keys = set()
    out.relatives = []
    for i, rel in enumerate(data.relatives):
        r = _copy(rel, name=" ".join(rel.name.split()))
        if not r.name:
            errors.append(FieldError(f"relatives[{i}].name", "name.required",
                                     "a relative needs a name"))
        rel_keys.add(r.key)
        out.relatives.append(r)
    out.dates = []
    for i, d in enumerate(data.dates):
        try:
            check_month_day(d.month, d.day, d.year, field=f"dates[{i}]",
                            not_after=date.today() if d.kind in HAPPENED_DATES else None)
        except DomainError as exc:
            _collect(errors, exc, f"dates[{i}]")
        if d.relative_key is not None and d.relative_key not in rel_keys:
            errors.append(FieldError(f"dates[{i}]", "date.relative_missing",
                                     "the relative of this date was removed"))
        if d.gift_reminder_days is not None and not (0 <= d.gift_reminder_days <= 60):
            errors.append(FieldError(f"dates[{i}]", "gift_days.range",
                                     "gift reminder days must be 0 to 60"))
        out.dates.append(_copy(d))
    out.purchases = []
    for i, p in enumerate(data.purchases):
        out.purchases.append(validate_purchase(p, errors, f"purchases[{i}]"))
    out.memberships = []
    for i, m in enumerate(data.memberships):
        out.memberships.append(validate_membership(m, errors, f"memberships[{i}]"))
    if errors:
        raise ValidationError(errors)
    return out


def validate_purchase(p: PurchaseData, errors: list[FieldError] | None = None,
                      prefix: str = "") -> PurchaseData:
    own = errors is None
    errs: list[FieldError] = [] if errors is None else errors
    pre = f"{prefix}." if prefix else ""
    out = _copy(p, item=nfc(p.item).strip(), note=nfc(p.note))
    try:
        out.amount = parse_amount(p.amount, field=f"{pre}amount", allow_negative=p.is_credit)
    except DomainError as exc:
        _collect(errs, exc, f"{pre}amount")
    if p.quantity is None or Decimal(p.quantity) <= 0:
        errs.append(FieldError(f"{pre}quantity", "quantity.positive",
                               "the quantity must be more than zero"))
    if p.purchased_on is None:
        errs.append(FieldError(f"{pre}purchased_on", "date.required", "a date is required"))
    elif p.purchased_on > date.today() and not p.future_confirmed:
        errs.append(FieldError(f"{pre}purchased_on", "date.future_unconfirmed",
                               "a purchase in the future needs confirming"))
    if len(out.item) > 200:
        errs.append(FieldError(f"{pre}item", "text.too_long", "too long", {"maximum": 200}))
    if own and errs:
        raise ValidationError(errs)
    return out


def validate_membership(m: MembershipData, errors: list[FieldError] | None = None,
                        prefix: str = "") -> MembershipData:
    own = errors is None
    errs: list[FieldError] = [] if errors is None else errors
    pre = f"{prefix}." if prefix else ""
    out = _copy(m, plan=" ".join(nfc(m.plan).split()), note=nfc(m.note),
                  special_conditions=nfc(m.special_conditions))
    if not out.plan:
        errs.append(FieldError(f"{pre}plan", "plan.required", "a plan name is required"))
    if m.starts_on is None or m.ends_on is None:
        errs.append(FieldError(f"{pre}ends_on", "date.required", "start and end are required"))
    elif m.ends_on < m.starts_on:
        errs.append(FieldError(f"{pre}ends_on", "membership.end_before_start",
                               "the membership ends before it starts"))
    if (m.frozen_from is None) != (m.frozen_until is None):
        errs.append(FieldError(f"{pre}frozen", "freeze.incomplete",
                               "give both the first and the last frozen day"))
    elif m.frozen_from and m.frozen_until and m.frozen_until < m.frozen_from:
        errs.append(FieldError(f"{pre}frozen", "freeze.order",
                               "the freeze ends before it starts"))
    if m.status == MembershipStatus.FROZEN and m.frozen_from is None:
        errs.append(FieldError(f"{pre}frozen", "freeze.required",
                               "a frozen membership needs its frozen days"))
    if m.price is not None:
        try:
            out.price = parse_amount(m.price, field=f"{pre}price")
        except DomainError as exc:
            _collect(errs, exc, f"{pre}price")
    if own and errs:
        raise ValidationError(errs)
    return out


# --------------------------------------------------------------------------- load and save


def contact_rows(session: Session, client_id: int, limit: int = 500) -> list[ContactRow]:
    """The client's logged contacts, newest first, with who logged each."""
    return [
        ContactRow(at=k.at, channel=k.channel, purpose=str(k.purpose), outcome=str(k.outcome),
                   tone=str(k.tone) if k.tone else None, duration_seconds=k.duration_seconds,
                   note=k.note, id=k.id, by=by)
        for k, by in session.execute(
            select(Contact, Staff.name).outerjoin(Staff, Staff.id == Contact.staff_id)
            .where(Contact.client_id == client_id)
            .order_by(Contact.at.desc(), Contact.id.desc()).limit(limit))]


def load_client(session: Session, client_id: int, *, contacts_limit: int = 500) -> ClientData:
    c = session.scalar(
        select(Client).where(Client.id == client_id).options(
            selectinload(Client.relatives), selectinload(Client.personal_dates),
            selectinload(Client.purchases), selectinload(Client.memberships),
            selectinload(Client.referred_by)))
    if c is None:
        raise NotFoundError("client.not_found", f"client {client_id} not found",
                            client_id=client_id)
    relatives = [RelativeData(id=r.id, name=r.name, relation=r.relation, note=r.note)
                 for r in c.relatives]
    key_of = {r.id: r.key for r in relatives}
    contacts = contact_rows(session, client_id, contacts_limit)
    data = ClientData(
        id=c.id, version=c.version, kind=c.kind, name=c.name, external_ref=c.external_ref or "",
        phone=c.phone or "", phone_unchecked=c.phone_unchecked or "", email=c.email or "",
        preferred_channel=c.preferred_channel, contact_from=c.contact_from, contact_to=c.contact_to, contact_days=c.contact_days,
        do_not_contact=c.do_not_contact, marketing_consent=c.marketing_consent,
        marketing_consent_on=c.marketing_consent_on, source_channel=c.source_channel or "",
        referred_by_id=c.referred_by_id,
        referred_by_name=c.referred_by.name if c.referred_by else "",
        segment=c.segment, segment_override=c.segment_override,
        segment_override_reason=c.segment_override_reason, preferences=c.preferences,
        notes=c.notes, tags=[t.name for t in c.tags], relatives=relatives,
        dates=[PersonalDateData(id=d.id, kind=d.kind, month=d.month, day=d.day, year=d.year,
                                label=d.label, gift_reminder_days=d.gift_reminder_days,
                                relative_key=key_of.get(d.relative_id) if d.relative_id else None)
               for d in c.personal_dates],
        purchases=[PurchaseData(id=p.id, purchased_on=p.purchased_on, amount=p.amount,
                                item=p.item, quantity=p.quantity, note=p.note,
                                is_credit=p.is_credit, future_confirmed=True,
                                membership_id=p.membership_id)
                   for p in c.purchases],
        memberships=[MembershipData(
            id=m.id, plan=m.plan, starts_on=m.starts_on, ends_on=m.ends_on, status=m.status,
            frozen_from=m.frozen_from, frozen_until=m.frozen_until, price=m.price,
            promo=m.promo, discount=m.discount, special_conditions=m.special_conditions,
            note=m.note) for m in c.memberships],
        contacts=contacts, created_at=c.created_at)
    data.original = card_snapshot(data)
    return data


def search_text_for(name: str, email: str | None, external_ref: str | None, notes: str,
                    preferences: str = "") -> str:
    parts = [name, email or "", external_ref or "", notes or "", preferences or ""]
    return nfc(" ".join(nfc(p) for p in parts if p).casefold())


def _tags(session: Session, names: Iterable[str]) -> list[Tag]:
    out = []
    for name in names:
        tag = session.scalar(select(Tag).where(Tag.key == name.casefold()))
        if tag is None:
            tag = Tag(name=name, key=name.casefold())
            session.add(tag)
        out.append(tag)
    return out


def _sync(rows: list, items: list, make, apply, mine=None) -> dict[int, object]:
    """Make the ORM collection ``rows`` match ``items`` by id: update, add, remove.
    ``mine(row)``: only the rows it accepts are the items' to match (others stay)."""
    by_id = {r.id: r for r in rows}
    keep = {i.id for i in items if i.id is not None}
    for r in list(rows):
        if r.id not in keep and (mine is None or mine(r)):
            rows.remove(r)
    mapping: dict[int, object] = {}
    for i, item in enumerate(items):
        row = by_id.get(item.id) if item.id is not None else None
        if row is None:
            row = make()
            rows.append(row)
        apply(row, item)
        mapping[i] = row
    return mapping


def client_columns(data: ClientData) -> dict[str, object]:
    """The columns of a client's own row for a checked card (``validate_client``), with
    what is derived from them (sort name, phone digits, search text): what
    :func:`save_client` stores, and what an import inserts in bulk."""
    phone = data.phone or None
    unchecked = data.phone_unchecked or None
    email = data.email or None
    external_ref = data.external_ref or None
    return {
        "kind": data.kind, "name": data.name, "sort_name": data.name.casefold(),
        "external_ref": external_ref, "phone": phone, "phone_unchecked": unchecked,
        "phone_digits": phone_digits(phone) or unchecked_digits(unchecked), "email": email,
        "preferred_channel": data.preferred_channel, "contact_from": data.contact_from,
        "contact_to": data.contact_to, "contact_days": data.contact_days,
        "do_not_contact": data.do_not_contact, "marketing_consent": data.marketing_consent,
        "marketing_consent_on": data.marketing_consent_on,
        "source_channel": data.source_channel.strip() or None,
        "referred_by_id": data.referred_by_id, "segment_override": data.segment_override,
        "segment_override_reason": data.segment_override_reason,
        "preferences": data.preferences, "notes": data.notes,
        "search_text": search_text_for(data.name, email, external_ref, data.notes,
                                       data.preferences),
    }


def save_client(session: Session, data: ClientData, *, region: str | None = None,
                today: date | None = None, refresh: bool = True) -> int:
    """Validate and save the whole card in the caller's transaction; returns the id.
    ``refresh=False``: the caller refreshes the clients' figures once for many (import).

    Raises ValidationError (nothing saved), ConflictError when someone else saved the
    client since it was loaded, NotFoundError when it was deleted for good."""
    require(session, Action.CLIENTS)
    region = region or settings_service.get(session, "business.region")
    data = validate_client(data, region)
    if data.external_ref:
        taken = session.scalar(select(Client.id).where(
            Client.external_ref == data.external_ref,
            Client.id != (data.id if data.id is not None else -1)))
        if taken is not None:
            raise ValidationError([FieldError("external_ref", "external_ref.taken",
                                              "this number belongs to another client",
                                              {"value": data.external_ref})])
    if data.referred_by_id is not None and session.get(Client, data.referred_by_id) is None:
        raise ValidationError([FieldError("referred_by", "referral.missing",
                                          "the referring client no longer exists")])
    if data.id is None:
        c = Client()
        session.add(c)
        consent_changed = data.marketing_consent
    else:
        c = session.get(Client, data.id, with_for_update=False)
        if c is None:
            raise NotFoundError("client.not_found", f"client {data.id} not found",
                                client_id=data.id)
        if data.version is not None and c.version != data.version:
            raise _changed_elsewhere(session, data)
        consent_changed = (c.marketing_consent != data.marketing_consent
                           or c.marketing_consent_on != data.marketing_consent_on)
        # Always update the client's row, so its version moves even when only purchases,
        # relatives, dates or memberships changed: a stale card is then refused instead
        # of deleting the rows the other save added.
        c.updated_at = datetime.now()
    for name, value in client_columns(data).items():
        setattr(c, name, value)
    c.tags = _tags(session, data.tags)

    def apply_relative(row: Relative, item: RelativeData) -> None:
        row.name, row.relation, row.note = item.name, item.relation, item.note

    rel_rows = _sync(c.relatives, data.relatives, Relative, apply_relative)
    rel_by_key = {item.key: rel_rows[i] for i, item in enumerate(data.relatives)}

    def apply_date(row: PersonalDate, item: PersonalDateData) -> None:
        row.kind, row.month, row.day, row.year = item.kind, item.month, item.day, item.year
        row.label, row.gift_reminder_days = item.label, item.gift_reminder_days
        row.relative = rel_by_key[item.relative_key] if item.relative_key else None

    _sync(c.personal_dates, data.dates, PersonalDate, apply_date)

    def apply_purchase(row: Purchase, item: PurchaseData) -> None:
        row.purchased_on, row.amount, row.item = item.purchased_on, item.amount, item.item
        row.quantity, row.note, row.is_credit = item.quantity, item.note, item.is_credit

    _sync(c.purchases, [p for p in data.purchases if p.membership_id is None], Purchase,
          apply_purchase, mine=lambda r: r.membership_id is None)

    def apply_membership(row: Membership, item: MembershipData) -> None:
        for name in ("plan", "starts_on", "ends_on", "status", "frozen_from", "frozen_until",
                     "price", "promo", "discount", "special_conditions", "note"):
            setattr(row, name, getattr(item, name))

    _sync(c.memberships, data.memberships, Membership, apply_membership)
    kept = {m.id for m in c.memberships if m.id is not None}
    for line in [p for p in c.purchases if p.membership_id not in (None, *kept)]:
        c.purchases.remove(line)  # before the database's cascade removes it
    try:
        session.flush()
        _sync_membership_sales(c, today or date.today())
        session.flush()
    except StaleDataError:
        raise _changed_elsewhere(session, data) from None
    if consent_changed:
        session.add(ConsentEvent(client_id=c.id, consent=c.marketing_consent,
                                 consent_on=c.marketing_consent_on))
    if refresh:
        refresh_client_stats(session, [c.id], today=today)
    return c.id


def _changed_elsewhere(session: Session, data: ClientData) -> ConflictError:
    """The refusal of a stale card: which parts the other save changed (against the card
    as this person loaded it) and, where logins record it, who saved it and when."""
    from app.services.auth import edits_of_client  # lazy: auth imports this module's models

    # read in a session of its own: what the other save committed (this one may be
    # unusable after its failed flush)
    with Session(session.get_bind()) as other:
        try:
            now = card_snapshot(load_client(other, data.id, contacts_limit=0))
        except NotFoundError:
            return ConflictError("client.changed", "the client was deleted elsewhere",
                                 name=data.name, parts=[], by="", at=None)
        last = next((e for e in edits_of_client(other, data.id, limit=5)
                     if e.subject == "client"), None)
    was = data.original or {}
    parts = [k for k in CARD_PARTS if k in was and was[k] != now[k]]
    return ConflictError("client.changed", f"the client was changed elsewhere: {parts}",
                         name=now["name"], parts=parts, by=(last.by or "") if last else "",
                         at=last.at if last else None)


def _sync_membership_sales(c: Client, today: date) -> None:
    """A membership's price is a sale: one purchase line per priced membership, so it
    counts in revenue, visits and the client's status like any purchase. The line is
    dated the start, or the day it was sold for a membership bought ahead of its start;
    it follows a change of price, plan or start and goes with the membership."""
    memberships = {m.id: m for m in c.memberships}
    lines = {p.membership_id: p for p in c.purchases if p.membership_id is not None}
    for mid, line in lines.items():
        m = memberships.get(mid)
        if m is None or not m.price:
            c.purchases.remove(line)
    for mid, m in memberships.items():
        if not m.price:
            continue
        line = lines.get(mid)
        if line is None:
            line = Purchase(membership_id=mid, quantity=Decimal(1), note="")
            c.purchases.append(line)
        sold_on = line.created_at.date() if line.created_at else today
        line.purchased_on = min(m.starts_on, sold_on)
        line.amount, line.item, line.is_credit = m.price, m.plan, False


def add_purchase(session: Session, client_id: int, purchase: PurchaseData,
                 today: date | None = None) -> int:
    require(session, Action.CLIENTS)
    p = validate_purchase(purchase)
    if session.get(Client, client_id) is None:
        raise NotFoundError("client.not_found", "client not found", client_id=client_id)
    row = Purchase(client_id=client_id, purchased_on=p.purchased_on, amount=p.amount,
                   item=p.item, quantity=p.quantity, note=p.note, is_credit=p.is_credit)
    session.add(row)
    session.flush()
    refresh_client_stats(session, [client_id], today=today)
    return row.id


# --------------------------------------------------------------------------- delete and restore


def soft_delete(session: Session, ids: Sequence[int]) -> list[int]:
    """Move clients to the Trash; returns the ids actually moved (for Undo)."""
    require(session, Action.CLIENTS)
    if not ids:
        return []
    moved = list(session.scalars(select(Client.id).where(Client.id.in_(ids),
                                                         Client.deleted_at.is_(None))))
    if moved:
        session.execute(update(Client).where(Client.id.in_(moved))
                        .values(deleted_at=datetime.now(), version=Client.version + 1)
                        .execution_options(synchronize_session=False))
        history.note(session, "client", moved, "trashed")
    return moved


def restore(session: Session, ids: Sequence[int]) -> list[int]:
    require(session, Action.CLIENTS)
    if not ids:
        return []
    back = list(session.scalars(select(Client.id).where(Client.id.in_(ids),
                                                        Client.deleted_at.is_not(None))))
    if back:
        session.execute(update(Client).where(Client.id.in_(back))
                        .values(deleted_at=None, version=Client.version + 1)
                        .execution_options(synchronize_session=False))
        history.note(session, "client", back, "restored")
    return back


# --------------------------------------------------------------------------- summary columns


def refresh_client_stats(session: Session, client_ids: Sequence[int] | None = None, *,
                         today: date | None = None) -> None:
    """Recompute first/last purchase, count, usual gap and 12-month value in SQL.

    ``client_ids=None`` refreshes every client (start-up on a new day, imports)."""
    today = today or date.today()
    window = settings_service.get(session, "value.window_days")
    since = today - timedelta(days=window)
    P = Purchase
    real = and_(P.client_id == Client.id, P.is_credit.is_(False))
    first = select(func.min(P.purchased_on)).where(real).scalar_subquery()
    last = select(func.max(P.purchased_on)).where(real).scalar_subquery()
    count = select(func.count(P.id)).where(real).scalar_subquery()
    value = (select(func.coalesce(func.sum(P.amount), 0))
             .where(P.client_id == Client.id, P.purchased_on > since,
                    P.purchased_on <= today).scalar_subquery())
    stmt = update(Client).values(first_purchase_on=first, last_purchase_on=last,
                                 purchase_count=count, value_12m=value)
    _note_value_day(session, today, window)
    if client_ids is not None:
        stmt = stmt.where(Client.id.in_(list(client_ids)))
    else:  # every client is written and ranked again: no need to note each write
        forget_regrouping(session)
    with changes.scoped(session, client_ids):  # these bulk writes concern only them
        session.execute(stmt.execution_options(synchronize_session=False))
        _refresh_gaps(session, client_ids)
        refresh_next_due(session, client_ids)
    if client_ids is None:
        _put_value_span(session, today, today, window)  # every value is for today now
        assign_segments(session, today, full=True)
    session.expire_all()


#: ids per IN list (SQLite takes at most 32,766 parameters in one statement)
ID_CHUNK = 10_000
#: the day the 12-month values were last moved to (by the start of a day)
STATS_AS_OF = "internal.stats_as_of"
#: "first last window": the days any client's 12-month value was computed for since then
#: (an edit on another day, a date given by a test or the command line), and the window
STATS_SPAN = "internal.stats_span"


def _value_span(session: Session) -> tuple[date, date, int] | None:
    raw = settings_service.get(session, STATS_SPAN) or ""
    try:
        lo, hi, window = raw.split()
        return date.fromisoformat(lo), date.fromisoformat(hi), int(window)
    except ValueError:
        return None


def _put_value_span(session: Session, lo: date, hi: date, window: int) -> None:
    settings_service.put(session, STATS_SPAN, f"{lo.isoformat()} {hi.isoformat()} {window}")


def _note_value_day(session: Session, today: date, window: int) -> None:
    """Remember that some values were computed for ``today`` (widen the span), so that
    the next day's refresh knows which purchases may have entered or left their window."""
    span = _value_span(session)
    if span is None:
        return  # nothing to keep exact: the next refresh is a full one
    lo, hi, was = span
    if was != window:
        settings_service.put(session, STATS_SPAN, "")  # mixed windows: next one is full
    elif not lo <= today <= hi:
        _put_value_span(session, min(lo, today), max(hi, today), window)


def _value_expr(since: date, today: date):
    return (select(func.coalesce(func.sum(Purchase.amount), 0))
            .where(Purchase.client_id == Client.id, Purchase.purchased_on > since,
                   Purchase.purchased_on <= today).scalar_subquery())


@dataclass(frozen=True)
class ValuesMoved:
    recomputed: int | None  #: clients whose value was recomputed (None: every client)
    regrouped: frozenset[int]  #: clients whose A/B/C group changed


def refresh_values(session: Session, today: date | None = None, *,
                   full: bool = False) -> ValuesMoved:
    """Move the 12-month value to ``today`` (run once a day), then the A/B/C groups.

    Only the clients whose window lost or gained a purchase are recomputed: every
    value was computed for some day between the span's first and last day (this one
    included), and a value for day c differs from the value for today only by purchases
    dated in (first - window, last - window] or (first, last]; an indexed range of
    ``purchased_on`` finds their clients. Without a span (a new file, a changed
    window) or with ``full=True`` every client is recomputed. The groups then move
    with what moved too (``segments.assign_segments``; ``full=True``: every client)."""
    today = today or date.today()
    window = settings_service.get(session, "value.window_days")
    since = today - timedelta(days=window)
    span = None if full else _value_span(session)
    if span is None or span[2] != window:
        session.execute(update(Client).values(value_12m=_value_expr(since, today))
                        .execution_options(synchronize_session=False))
        moved: int | None = None
    else:
        lo, hi = min(span[0], today), max(span[1], today)
        edge = timedelta(days=window)
        P = Purchase
        touched = (select(P.client_id).where(P.purchased_on > lo - edge,
                                             P.purchased_on <= hi - edge)
                   .union(select(P.client_id).where(P.purchased_on > lo,
                                                    P.purchased_on <= hi)))
        ids = sorted(session.scalars(touched))
        moved = len(ids)
        # the new sums read by the (client, day) index, as stored (no Decimal on the
        # way); only the values that change are written
        sums = text("SELECT client_id, COALESCE(SUM(amount), 0) FROM purchases "
                    "WHERE client_id IN :ids AND purchased_on > :since "
                    "AND purchased_on <= :today GROUP BY client_id"
                    ).bindparams(bindparam("ids", expanding=True))
        stored = text("SELECT id, value_12m FROM clients WHERE id IN :ids"
                      ).bindparams(bindparam("ids", expanding=True))
        writes = []
        for at in range(0, len(ids), ID_CHUNK):
            part = ids[at:at + ID_CHUNK]
            new = dict(session.execute(sums, {"ids": part, "since": since.isoformat(),
                                              "today": today.isoformat()}).all())
            for cid, was in session.execute(stored, {"ids": part}):
                now = new.get(cid, 0)
                if was is None or was != now:
                    writes.append({"cid": cid, "v": now})
        if writes:
            session.execute(text("UPDATE clients SET value_12m = :v, "
                                 "updated_at = CURRENT_TIMESTAMP WHERE id = :cid"), writes)
    _put_value_span(session, today, today, window)
    return ValuesMoved(moved, frozenset(assign_segments(session, today, full=full)))


def _refresh_gaps(session: Session, client_ids: Sequence[int] | None) -> None:
    need = settings_service.get(session, "status.min_purchases_for_own_gap")
    q = (select(Purchase.client_id, Purchase.purchased_on).distinct()
         .where(Purchase.is_credit.is_(False))
         .order_by(Purchase.client_id, Purchase.purchased_on))
    if client_ids is not None:
        q = q.where(Purchase.client_id.in_(list(client_ids)))
    gaps: dict[int, int | None] = {cid: None for cid in (client_ids or [])}
    current: int | None = None
    days: list[date] = []

    def close() -> None:
        if current is None:
            return
        if len(days) >= need:
            gaps[current] = int(statistics.median(
                (b - a).days for a, b in zip(days, days[1:], strict=False)))
        else:
            gaps[current] = None

    for cid, day in session.execute(q):
        if cid != current:
            close()
            current, days = cid, []
        days.append(day)
    close()
    if client_ids is None:
        session.execute(update(Client).values(usual_gap_days=None)
                        .execution_options(synchronize_session=False))
        gaps = {k: v for k, v in gaps.items() if v is not None}
    if gaps:
        t = Client.__table__
        session.execute(update(t).where(t.c.id == bindparam("cid"))
                        .values(usual_gap_days=bindparam("gap")),
                        [{"cid": k, "gap": v} for k, v in gaps.items()])


def refresh_next_due(session: Session, client_ids: Sequence[int] | None = None) -> None:
    nxt = (select(func.min(Task.due_on)).where(Task.client_id == Client.id,
                                               Task.status == TaskStatus.OPEN)
           .scalar_subquery())
    # write only the rows that change: at start-up that is a handful of 100,000
    # (IS DISTINCT FROM: SQLite's "IS NOT" of a value, app/dialect.py's word for it)
    stmt = (update(Client).values(next_due_on=nxt)
            .where(Client.next_due_on.is_distinct_from(nxt)))
    with changes.scoped(session, client_ids):
        if client_ids is None:
            session.execute(stmt.execution_options(synchronize_session=False))
        else:
            ids = list(client_ids)
            for at in range(0, len(ids), ID_CHUNK):  # SQLite takes ~32,000 parameters
                session.execute(stmt.where(Client.id.in_(ids[at:at + ID_CHUNK]))
                                .execution_options(synchronize_session=False))
    # a client already loaded in this session would keep the old date (whether it is
    # still loaded depends on garbage collection): read it again when asked
    wanted = None if client_ids is None else set(client_ids)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Client) and (wanted is None or obj.id in wanted):
            session.expire(obj, ["next_due_on"])


# --------------------------------------------------------------------------- the list


def risk_expr():
    """The client's kept churn-risk score while it is theirs (their last purchase day is
    the one it was computed with), else NULL: none kept yet, or a newer purchase."""
    return (select(ClientRisk.score)
            .where(ClientRisk.client_id == Client.id,
                   ClientRisk.last_on == Client.last_purchase_on)
            .correlate(Client).scalar_subquery())


def status_expr(rules: StatusRules):
    """The client's status as one SQL expression, so the list filters and sorts on it.

    lapsed: no purchase for ``lapsed_after_days``; at risk: the client's kept risk score
    (:func:`risk_expr`) is at least ``risk_threshold``; a client with no kept score
    keeps the gap rule: the gap since the last purchase is over ``gap_multiplier`` x
    the client's median gap, or, when they have too few purchases to know it, over the
    business default ``default_gap_days`` itself (issue 4's reading of DOMAIN.md); new:
    fewer purchases than ``new_until_purchases``; otherwise active."""
    days_since = dialect.days_between(literal(rules.today.isoformat()), Client.last_purchase_on)
    limit = func.coalesce(Client.usual_gap_days * float(rules.gap_multiplier),
                          rules.default_gap_days)
    # the score's comparison is NULL without a kept score: then the gap rule's
    at_risk = func.coalesce(risk_expr() >= float(rules.risk_threshold), days_since > limit)
    return case(
        (Client.last_purchase_on.is_(None), literal(ClientStatus.NEW.value)),
        (days_since > rules.lapsed_after_days, literal(ClientStatus.LAPSED.value)),
        (at_risk, literal(ClientStatus.AT_RISK.value)),
        (Client.purchase_count < rules.new_until_purchases, literal(ClientStatus.NEW.value)),
        else_=literal(ClientStatus.ACTIVE.value))


def segment_expr():
    return func.coalesce(Client.segment_override, Client.segment)


def tags_expr():
    # in the order of the tags' ids (SQLite reads client_tags along its key)
    return (select(dialect.joined_text(Tag.name, ", ", client_tags.c.tag_id))
            .select_from(client_tags.join(Tag, Tag.id == client_tags.c.tag_id))
            .where(client_tags.c.client_id == Client.id)
            .correlate(Client).scalar_subquery())


#: trigrams of one word asked of the search index: a few spread over the word narrow the
#: candidates nearly as well as all of them, and each is one more list of rows to read
TRIGRAMS_PER_WORD = 6


def trigrams(word: str) -> list[str]:
    """The three-character pieces of ``word`` the search index is asked for (none for a
    word of one or two characters: the trigram index cannot find those)."""
    grams = list(dict.fromkeys(word[i:i + 3] for i in range(len(word) - 2)))
    grams = [g for g in grams if "\x00" not in g]  # SQLite's text ends at a NUL
    if len(grams) > TRIGRAMS_PER_WORD:
        last = len(grams) - 1
        grams = [grams[round(i * last / (TRIGRAMS_PER_WORD - 1))]
                 for i in range(TRIGRAMS_PER_WORD)]
    return grams


def _fts_all(words: Iterable[str]) -> str | None:
    """An FTS5 query for the rows that hold every trigram of ``words`` (each one quoted:
    ``"``, ``*``, ``-``, NEAR, AND are plain characters there), or None without any."""
    grams = list(dict.fromkeys(g for w in words for g in trigrams(w)))
    if not grams:
        return None
    return " AND ".join('"' + g.replace('"', '""') + '"' for g in grams)


def search_match(words: Sequence[str], phone_keys: Sequence[str]) -> str | None:
    """The FTS5 query of ``client_search`` whose rows include every client the search
    matches (every word in the search text, or a phone key in the digits), or None when
    the index cannot say (only words of one or two characters). A row the LIKE matches
    holds every trigram of each of its words, so it is among these candidates; the
    candidates are then checked by the same LIKE, so the answer is exactly the scan's."""
    parts = [_fts_all(words)] + [_fts_all([k]) for k in phone_keys]
    if any(p is None for p in parts):
        return None
    return " OR ".join(f"({p})" for p in parts)


def _search_terms(query: ClientQuery, region: str, index: bool = True
                  ) -> tuple[str, list[str], list[str], str | None]:
    """The search text (spaces made one), its casefolded words, its phone keys and the
    search index's query for them (:func:`search_match`)."""
    text = " ".join(nfc(query.text).split())
    words = nfc(text.casefold()).split() if text else []
    keys = phone_search_keys(text, region) if text else []
    return text, words, keys, (search_match(words, keys) if text and index else None)


#: A page sorted by name walks the name index, checking the search index's candidates as
#: it goes, when they are so many that the page's rows come soon. Walking costs about
#: rows x clients / candidates steps, looking each candidate up and sorting them about
#: candidates steps of ~8 times the cost (measured at 100,000 clients: 1,900 candidates
#: of "ska" walk in 5 ms against 10 ms looked up, 1,250 of "ewa" in 15 ms against 5 ms;
#: 4,800 of "ann" in 2 ms against 18 ms): walk when
#: candidates^2 > WALK_FACTOR x rows x clients.
WALK_FACTOR = 0.13


def _walks(session: Session, query: ClientQuery, region: str, rows: int) -> bool:
    """Should a page of ``rows`` rows by name walk the name index (see WALK_FACTOR)?
    Counting the candidates is the search index's own loop: ~1 ms for 5,000."""
    if query.sort != ClientColumn.NAME or query.trash:
        return False
    if not dialect.has_search_index(session):
        return False  # no index to take the candidates from (PostgreSQL: a scan)
    _text, words, _keys, match = _search_terms(query, region)
    if match is None or any(not trigrams(w) for w in words):
        # a word of one or two characters is not in the candidates' count: they may be
        # many and the rows few ("601 23" at a million: 16,000 and 155), a walk to the end
        return False
    clients = session.scalar(select(func.max(Client.id))) or 0
    found = session.scalar(sql_text(
        "SELECT count(*) FROM client_search WHERE client_search MATCH :match"),
        {"match": match}) or 0
    return found * found > WALK_FACTOR * rows * clients


def _filtered(query: ClientQuery, rules: StatusRules, region: str, *,
              limited: bool = False, walk: bool = False, by_risk: bool = False,
              index: bool = True) -> Select:
    """The ids the list shows for ``query`` (in no order). ``limited``: only the first
    rows will be read (a page), so walking the list's index may be the faster plan;
    ``walk``: walk it and check the search index's candidates on the way; ``by_risk``:
    the rows come in the order of the kept scores' index or the table's (``_risk_page``),
    so no index of the clients' may lead the plan. ``index``: the database has the
    search index (SQLite: :func:`app.dialect.has_search_index`); without it the search
    is the LIKE scan alone, the same answer."""
    stmt = select(Client.id)
    text, words, keys, match = _search_terms(query, region, index)
    # With a search text, scanning the table (or looking up the index's candidates) beats
    # walking the list index and looking up every row; the unary "+" keeps SQLite's
    # planner off that index. A page of a short-word search walks it: the first
    # screenful of matches comes long before the end of the table.
    # Without a search, a sort no index gives reads every live client anyway: the table,
    # in its order, is 2-3x faster than an index and a look-up of each row (the tags'
    # sort reads only ids: the smaller list index covers it). The Trash is a few rows.
    unindexed = not query.trash and query.sort not in (ClientColumn.NAME,
                                                       ClientColumn.VALUE_12M,
                                                       ClientColumn.TAGS,
                                                       ClientColumn.RISK)
    scan = not walk and (match is not None or (bool(text) and not limited) or unindexed)
    deleted = dialect.unindexed(Client.deleted_at) if scan or by_risk else Client.deleted_at
    stmt = stmt.where(deleted.is_not(None) if query.trash else deleted.is_(None))
    if text:
        if match is not None:
            # walking: "+" keeps the planner from looking each candidate up by its id
            ident = dialect.unindexed(Client.id) if walk else Client.id
            stmt = stmt.where(ident.in_(
                sql_text("SELECT rowid FROM client_search WHERE client_search MATCH :match")
                .bindparams(match=match).columns(column("rowid"))))
        conds = [and_(*[Client.search_text.contains(w, autoescape=True) for w in words])]
        for key in keys:
            conds.append(Client.phone_digits.contains(key, autoescape=True))
        stmt = stmt.where(or_(*conds))
    if query.segment is not None:
        stmt = stmt.where(segment_expr() == Segment(query.segment).value)
    if query.status is not None:
        stmt = stmt.where(status_expr(rules) == ClientStatus(query.status).value)
    if query.tag_id is not None:
        stmt = stmt.where(exists().where(client_tags.c.client_id == Client.id,
                                         client_tags.c.tag_id == query.tag_id))
    if query.risk is not None:
        lo, hi = RISK_LEVELS[query.risk]
        kept = aliased(ClientRisk)  # the page by risk reads client_risk itself
        conds = [kept.client_id == Client.id, kept.last_on == Client.last_purchase_on]
        if lo is not None:
            conds.append(kept.score >= lo)
        if hi is not None:
            conds.append(kept.score < hi)
        stmt = stmt.where(exists().where(*conds).correlate(Client))
    return stmt


def _sort_key(column: ClientColumn, rules: StatusRules):
    return {
        ClientColumn.NAME: Client.sort_name,
        ClientColumn.PHONE: func.coalesce(Client.phone, Client.phone_unchecked),
        ClientColumn.SEGMENT: segment_expr(),
        ClientColumn.STATUS: status_expr(rules),
        ClientColumn.LAST_PURCHASE: Client.last_purchase_on,
        ClientColumn.VALUE_12M: Client.value_12m,
        ClientColumn.NEXT_DUE: Client.next_due_on,
        ClientColumn.TAGS: tags_expr(),
        ClientColumn.RISK: risk_expr(),
    }[column]


def _order(query: ClientQuery, rules: StatusRules) -> list:
    key = _sort_key(query.sort, rules)
    if query.sort == ClientColumn.RISK:
        # the kept scores' index order (score, client) in either direction; no score
        # last, by client in the same direction (see _risk_page)
        way = (lambda e: e.desc()) if query.descending else (lambda e: e.asc())
        return [key.is_(None), way(key), way(Client.id)]
    order = [key.desc() if query.descending else key.asc()]
    if query.sort != ClientColumn.NAME:
        order.append(Client.sort_name.asc())
    order.append(Client.id.asc())
    if query.sort in (ClientColumn.LAST_PURCHASE, ClientColumn.NEXT_DUE, ClientColumn.PHONE,
                      ClientColumn.SEGMENT, ClientColumn.TAGS):
        # NULLs (no purchase yet, nothing due) go last whatever the direction.
        order.insert(0, key.is_(None))
    return order


def client_ids(session: Session, query: ClientQuery, rules: StatusRules, region: str, *,
               limit: int | None = None, offset: int = 0) -> list[int]:
    """The ids of the clients the list shows, in its order: one SQL query. ``limit`` and
    ``offset``: only that page of them (the list reads a screenful, then more as it
    scrolls; :func:`count_listed` says how many there are in all)."""
    if limit is not None and query.sort == ClientColumn.RISK and not query.trash:
        return _risk_page(session, query, rules, region, limit, offset)
    walk = limit is not None and _walks(session, query, region, limit + offset)
    stmt = _filtered(query, rules, region, limited=limit is not None, walk=walk,
                     index=dialect.has_search_index(session)).order_by(
        *_order(query, rules))
    if limit is not None:
        # a page: SQLAlchemy's compiled cache saves more than the raw cursor would
        return list(session.scalars(stmt.limit(limit).offset(offset)))
    return _fetch_ids(session, stmt.offset(offset) if offset else stmt)


def _risk_page(session: Session, query: ClientQuery, rules: StatusRules, region: str,
               limit: int, offset: int) -> list[int]:
    """A page of the list sorted by risk, in :func:`_order`'s order, as two index walks:
    the clients with a kept score in the order of ``ix_client_risk_score`` (each checked
    against the filters), then those without one by id. At a million clients the first
    page reads a few hundred index entries instead of sorting every client."""
    where = _filtered(query, rules, region, limited=True, by_risk=True,
                      index=dialect.has_search_index(session)).whereclause
    way = (lambda e: e.desc()) if query.descending else (lambda e: e.asc())
    fresh = and_(Client.id == ClientRisk.client_id,
                 Client.last_purchase_on == ClientRisk.last_on)
    scored = (select(ClientRisk.client_id).select_from(ClientRisk).join(Client, fresh)
              .order_by(way(ClientRisk.score), way(ClientRisk.client_id)))
    if where is not None:
        scored = scored.where(where)
    ids = list(session.scalars(scored.limit(limit).offset(offset)))
    if len(ids) == limit:
        return ids
    if ids:
        n_scored = offset + len(ids)
    else:
        n_scored = session.scalar(select(func.count()).select_from(
            scored.order_by(None).subquery())) or 0
    rest = (select(Client.id).where(~exists().where(fresh))
            .order_by(way(Client.id)))
    if where is not None:
        rest = rest.where(where)
    ids += list(session.scalars(rest.limit(limit - len(ids))
                                .offset(max(0, offset - n_scored))))
    return ids


#: the sorts an index serves a page of (the name's, the 12-month value's, the risk's):
#: any other reads and sorts every listed client for a page, so the list reads all its
#: ids at once
PAGED_SORTS = frozenset({ClientColumn.NAME, ClientColumn.VALUE_12M, ClientColumn.RISK})


def sorted_in_full(query: ClientQuery) -> bool:
    """Does a page of ``query`` cost as much as the whole list (a sort no index serves)?
    Then the list reads every id once (:func:`client_id_array`), not page by page."""
    return query.sort not in PAGED_SORTS and not query.trash


def client_id_array(session: Session, query: ClientQuery, rules: StatusRules,
                    region: str) -> array:
    """Every id of the list of ``query`` in its order, as a compact array of 64-bit
    integers (8 bytes a client: 8 MB at a million, no Python object per row)."""
    return _id_array(session, _filtered(query, rules, region,
                                        index=dialect.has_search_index(session))
                     .order_by(*_order(query, rules)))


def client_position(session: Session, query: ClientQuery, rules: StatusRules, region: str,
                    client_id: int) -> int | None:
    """The row of ``client_id`` in the list of ``query`` (0 for the first), or None when
    the list does not show them (the list reads the pages up to it to select them)."""
    inner = _filtered(query, rules, region, index=dialect.has_search_index(session)).add_columns(
        func.row_number().over(order_by=_order(query, rules)).label("pos")).subquery()
    at = session.scalar(select(inner.c.pos).where(inner.c.id == client_id))
    return None if at is None else at - 1


def count_listed(session: Session, query: ClientQuery, rules: StatusRules, region: str, *,
                 stop: Callable[[], bool] | None = None) -> int | None:
    """How many clients the list shows for ``query`` (what :func:`client_ids` returns
    all of): the list asks it in the background while it shows the first page.
    ``stop``: asked every few thousand SQLite steps; when it says True the count stops
    and None is returned (a newer search was typed)."""
    # the order does not change the count: the plan of the name's sort (the list index)
    inner = _filtered(replace(query, sort=ClientColumn.NAME), rules, region,
                      index=dialect.has_search_index(session)).subquery()
    stmt = select(func.count()).select_from(inner)
    if stop is None or not dialect.is_sqlite(session):
        return session.scalar(stmt) or 0  # the server's count cannot be stopped midway
    raw = session.connection().connection.driver_connection
    raw.set_progress_handler(stop, 20_000)
    try:
        return session.scalar(stmt) or 0
    except OperationalError as exc:
        if stop() and "interrupted" in str(exc):
            return None
        raise
    finally:
        raw.set_progress_handler(None, 0)


def _fetch_ids(session: Session, stmt: Select) -> list[int]:
    """Run a one-column id query on the driver's cursor: for 100,000 ids this is about
    a third faster than building SQLAlchemy result rows."""
    return list(_id_array(session, stmt))


def _id_array(session: Session, stmt: Select) -> array:
    """The ids a one-column query gives, read on the driver's cursor into an array."""
    conn = session.connection()
    compiled = stmt.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    if compiled.positiontup is not None:
        args: tuple | dict = tuple(params[k] for k in compiled.positiontup)
    else:
        args = params
    cursor = conn.connection.driver_connection.cursor()
    try:
        out = array("q")
        cursor.execute(str(compiled), args)
        while rows := cursor.fetchmany(10_000):
            out.extend(r[0] for r in rows)
        return out
    finally:
        cursor.close()


def client_rows(session: Session, ids: Sequence[int], rules: StatusRules) -> dict[int, ClientRow]:
    """The displayed values of a block of rows (the table asks for ~200 at a time)."""
    if not ids:
        return {}
    open_complaint = exists().where(
        Complaint.client_id == Client.id,
        Complaint.status.not_in([ComplaintStatus.CLOSED_KEPT.value,
                                 ComplaintStatus.CLOSED_LOST.value]))
    stmt = select(Client.id, Client.name, Client.phone, segment_expr(), status_expr(rules),
                  Client.last_purchase_on, Client.value_12m, Client.next_due_on,
                  tags_expr(), Client.do_not_contact, Client.deleted_at, open_complaint,
                  Client.phone_unchecked, risk_expr()).where(Client.id.in_(list(ids)))
    return {r[0]: ClientRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] or "",
                            bool(r[9]), r[10], bool(r[11]), r[12], r[13])
            for r in session.execute(stmt)}


def all_tags(session: Session) -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in session.scalars(select(Tag).order_by(Tag.key))]


def client_choices(session: Session, text: str, limit: int = 20,
                   exclude: int | None = None) -> list[tuple[int, str]]:
    """Clients for a picker (referred by): name search, active clients only."""
    stmt = select(Client.id, Client.name).where(Client.deleted_at.is_(None))
    for w in nfc(nfc(text).casefold()).split():
        stmt = stmt.where(Client.search_text.contains(w, autoescape=True))
    if exclude is not None:
        stmt = stmt.where(Client.id != exclude)
    return [(r[0], r[1]) for r in session.execute(stmt.order_by(Client.sort_name).limit(limit))]


def count_clients(session: Session, trash: bool = False) -> int:
    cond = Client.deleted_at.is_not(None) if trash else Client.deleted_at.is_(None)
    return session.scalar(select(func.count()).select_from(Client).where(cond)) or 0


def purge_empty_tags(session: Session) -> None:
    session.execute(delete(Tag).where(~exists().where(client_tags.c.tag_id == Tag.id)))
