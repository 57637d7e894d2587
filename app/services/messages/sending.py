"""Sending a message to a client: the rules, the log, the retry.

The rules (DOMAIN.md "Contact rules"; the scheduler applies the same to the calls it
places, app/services/schedule.py) are checked before anything goes out, and a refusal
is a DomainError with the reason:

* "do not contact" refuses every message (``message.do_not_contact``);
* a marketing message (birthday, name day, win-back, free: templates.MARKETING_KINDS)
  needs the client's recorded marketing consent (``message.no_consent``);
* the contact cap: a message is an outbound contact, so with ``contact.cap_count``
  outbound contacts in the last ``contact.cap_days`` days no other message goes out
  (``message.cap``); a complaint call-back is never capped, as for calls;
* best hours: an SMS outside the client's hours (``contact_from``-``contact_to``) is
  refused unless the person confirms it (``outside_hours_ok``): a phone beeps when an
  SMS arrives. An e-mail waits in the inbox until the client reads it, so the hours do
  not hold it back;
* preferred channel: it does not refuse a message. A client who prefers the phone may
  still get an e-mail (they gave the address); the queue marks the calls whose client
  prefers e-mail or SMS, so the receptionist sends those first;
* an address: an e-mail needs the client's e-mail, an SMS their phone.

The network is never used inside a transaction: the message is written first as
"pending" (committed), then sent, then the result is written. A message that went out
is a logged contact (channel e-mail or SMS, outcome "left a message") that closes the
tasks it was for like a call, with the same record of what it changed (so
``calls.undo_call`` and the card's correction work on it, app/services/calls.py); a failure is kept "failed" with its error,
shown on the card and in Today, and the user sends it again (:func:`retry`) or lets it
go (:func:`dismiss`). A pending message whose sending was cut off (the program closed
midway) is listed with the failed ones: whether it went out is not known.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import DomainError, NotFoundError
from app.models import Client, Contact, ContactEffect, OutgoingMessage, Task
from app.models.enums import Channel, Direction, Outcome, TaskKind, TaskStatus
from app.models.message import STATUS_DISMISSED, STATUS_FAILED, STATUS_PENDING, STATUS_SENT
from app.services import calls
from app.services import settings as settings_service
from app.services.access import Action, require
from app.services.clients import refresh_next_due
from app.services.messages import config, segments, templates
from app.services.messages.email import send_mail
from app.services.messages.sms import SmsGateway, gateway_for


@dataclass
class MessageRequest:
    client_id: int
    channel: Channel
    #: the tasks the message is for (a queue row's): the first one names the kind
    task_ids: tuple[int, ...] = ()
    #: None: the business's language
    language: str | None = None
    #: None: the kind the first task asks for (templates.kind_for_task)
    kind: str | None = None
    #: the text as the person edited it in the preview (None: the template's)
    subject: str | None = None
    body: str | None = None
    staff_id: int | None = None
    #: the person confirmed an SMS outside the client's hours
    outside_hours_ok: bool = False


@dataclass(frozen=True)
class Draft:
    """A message ready to go, as the preview shows it; ``refusal`` says why it may not
    go (None: it may)."""

    request: MessageRequest
    client_name: str
    kind: str
    language: str
    to_address: str
    subject: str
    body: str
    template_id: int | None
    sms: segments.SmsCount | None
    refusal: DomainError | None = None

    @property
    def channel(self) -> Channel:
        return self.request.channel


def channels_ready(session: Session) -> set[Channel]:
    """The channels set up in Settings (the secrets are checked when sending)."""
    ready = set()
    if config.load_email(session).ready:
        ready.add(Channel.EMAIL)
    if config.load_sms(session).ready:
        ready.add(Channel.SMS)
    return ready


def _open_tasks(session: Session, client_id: int, task_ids: Iterable[int]) -> list[Task]:
    tasks = []
    for tid in dict.fromkeys(task_ids):
        task = session.get(Task, tid)
        if task is None or task.client_id != client_id:
            raise NotFoundError("task.not_found", "task not found", task_id=tid)
        if task.status in calls.OPEN_STATES and task.kind not in calls.INTERNAL_KINDS:
            tasks.append(task)
    return tasks


def refusal(session: Session, client: Client, kind: str, channel: Channel, now: datetime,
            outside_hours_ok: bool = False,
            ready: set[Channel] | None = None) -> DomainError | None:
    """Why this message may not go to ``client`` now (None: it may)."""
    name = client.name
    if channel not in templates.CHANNELS:
        return DomainError("message.channel", f"{channel} is not a message channel",
                           channel=str(channel))
    if client.do_not_contact:
        return DomainError("message.do_not_contact", f"{name} asked not to be contacted",
                           name=name)
    if kind in templates.MARKETING_KINDS and not client.marketing_consent:
        return DomainError("message.no_consent", f"{name} gave no marketing consent",
                           name=name)
    if channel == Channel.EMAIL and not (client.email or "").strip():
        return DomainError("message.no_email", f"{name} has no e-mail address", name=name)
    if channel == Channel.SMS and not (client.phone or "").strip():
        return DomainError("message.no_phone", f"{name} has no phone number", name=name)
    if ready is not None and channel not in ready:
        code = "email.not_set_up" if channel == Channel.EMAIL else "sms.not_set_up"
        return DomainError(code, f"{channel} is not set up in Settings")
    if kind != "complaint_callback":
        cap = settings_service.get(session, "contact.cap_count")
        days = settings_service.get(session, "contact.cap_days")
        made = session.scalar(select(func.count()).select_from(Contact).where(
            Contact.client_id == client.id, Contact.direction == Direction.OUTBOUND,
            Contact.purpose != TaskKind.COMPLAINT_CALLBACK,
            Contact.at >= now - timedelta(days=days))) or 0
        if made >= cap:
            return DomainError("message.cap", f"{name} was contacted {made} times in "
                               f"{days} days", name=name, count=made, days=days)
    if (channel == Channel.SMS and not outside_hours_ok and client.contact_from
            and client.contact_to
            and not client.contact_from <= now.time() <= client.contact_to):
        return DomainError("message.outside_hours", f"{name} takes contacts from "
                           f"{client.contact_from:%H:%M} to {client.contact_to:%H:%M}",
                           name=name, start=f"{client.contact_from:%H:%M}",
                           end=f"{client.contact_to:%H:%M}")
    return None


def prepare(session: Session, req: MessageRequest, now: datetime | None = None,
            ready: set[Channel] | None = None) -> Draft:
    """The message as it would go out, rendered from its template with the client's
    data (or the person's edited text), with the reason it may not go, if any. Raises
    only for what cannot be shown at all (the client or a task is gone)."""
    now = now or datetime.now()
    client = session.get(Client, req.client_id)
    if client is None or client.deleted_at is not None:
        raise NotFoundError("client.not_found", "client not found", client_id=req.client_id)
    tasks = _open_tasks(session, client.id, req.task_ids)
    first = tasks[0] if tasks else None
    kind = req.kind or templates.kind_for_task(session, first)
    language = req.language or templates.business_language(session)
    to = (client.email if req.channel == Channel.EMAIL else client.phone) or ""
    why = refusal(session, client, kind, req.channel, now, req.outside_hours_ok, ready)
    template_id = None
    subject = body = ""
    if req.channel in templates.CHANNELS:
        tpl = templates.get_template(session, kind, language, req.channel)
        template_id = tpl.id
        if req.body is not None:
            subject, body = (req.subject or "").strip(), req.body
        else:
            values = templates.client_values(session, client, language, kind, first,
                                             now.date())
            try:
                out = templates.render(tpl, values)
                subject, body = out.subject, out.body
            except DomainError as exc:
                subject, body = tpl.subject, tpl.body
                why = why or exc
    if why is None and not body.strip():
        why = DomainError("message.empty", "the message is empty")
    if why is None and req.channel == Channel.EMAIL and not subject:
        why = DomainError("template.subject_required", "an e-mail needs a subject")
    sms = segments.count(body) if req.channel == Channel.SMS else None
    return Draft(req, client.name, kind, language, to.strip(), subject, body, template_id,
                 sms, why)


def begin(session: Session, draft: Draft, now: datetime | None = None) -> int:
    """Write the message as pending (the caller commits before sending); a refused
    draft raises its refusal."""
    require(session, Action.CALLS)
    if draft.refusal is not None:
        raise draft.refusal
    req = draft.request
    msg = OutgoingMessage(
        client_id=req.client_id, template_id=draft.template_id, staff_id=req.staff_id,
        kind=draft.kind, channel=req.channel, language=draft.language,
        to_address=draft.to_address, subject=draft.subject, body=draft.body,
        task_ids=",".join(str(t) for t in req.task_ids), status=STATUS_PENDING,
        segments=draft.sms.segments if draft.sms else None, attempts=1,
        created_at=now or datetime.now())
    session.add(msg)
    session.flush()
    return msg.id


def _message(session: Session, message_id: int) -> OutgoingMessage:
    msg = session.get(OutgoingMessage, message_id)
    if msg is None:
        raise NotFoundError("message.not_found", "the message no longer exists",
                            message_id=message_id)
    return msg


def record_sent(session: Session, message_id: int, gateway_id: str,
                now: datetime | None = None) -> int:
    """The message went out: log it as a contact that closes its tasks still open (the
    state before kept beside it, as a call keeps it). Returns the contact's id."""
    now = now or datetime.now()
    msg = _message(session, message_id)
    tasks = _open_tasks(session, msg.client_id, msg.task_id_list())
    note = msg.subject if msg.channel == Channel.EMAIL else msg.body
    contact = Contact(client_id=msg.client_id, at=now, channel=msg.channel,
                      direction=Direction.OUTBOUND,
                      purpose=tasks[0].kind if tasks else TaskKind.MANUAL,
                      outcome=Outcome.LEFT_MESSAGE, staff_id=msg.staff_id, note=note,
                      task_id=tasks[0].id if tasks else None)
    session.add(contact)
    session.flush()
    for task in tasks:
        session.add(ContactEffect(contact_id=contact.id, task_id=task.id,
                                  what=calls.EFFECT_TASK, before=calls._task_state(task)))
        task.status, task.closed_at = TaskStatus.DONE, now
        task.attempts += 1
    msg.status, msg.contact_id, msg.gateway_id, msg.sent_at = (
        STATUS_SENT, contact.id, gateway_id[:200], now)
    msg.error_code = msg.error_detail = None
    session.flush()
    refresh_next_due(session, [msg.client_id])
    return contact.id


def record_failed(session: Session, message_id: int, error: DomainError) -> None:
    msg = _message(session, message_id)
    msg.status, msg.error_code = STATUS_FAILED, error.code[:60]
    # the error's values, so the card words it in the user's language
    values = {k: v if isinstance(v, int | float) else str(v)
              for k, v in error.values.items()}
    values.setdefault("detail", error.message)
    msg.error_detail = json.dumps(values, ensure_ascii=False)[:4000]
    session.flush()


def dismiss(session: Session, message_id: int) -> None:
    """The user lets a failed message go (it stays in the log as dismissed)."""
    require(session, Action.CALLS)
    msg = _message(session, message_id)
    if msg.status not in (STATUS_FAILED, STATUS_PENDING):
        raise DomainError("message.not_failed", "only a failed message can be let go",
                          message_id=message_id)
    msg.status = STATUS_DISMISSED
    session.flush()


# --------------------------------------------------------------------------- transports


class Transport:
    """What carries the messages: the mail server and the SMS gateway as Settings name
    them (the secrets from the keyring, read when first needed). Tests give their own
    ``sms`` gateway, ``password`` and TLS ``context``."""

    def __init__(self, email: config.EmailSettings | None = None,
                 sms_settings: config.SmsSettings | None = None, *,
                 sms: SmsGateway | None = None, password: str | None = None,
                 context=None) -> None:
        self.email, self.sms_settings, self._sms = email, sms_settings, sms
        self.password, self.context = password, context

    @classmethod
    def from_settings(cls, session: Session) -> Transport:
        return cls(config.load_email(session), config.load_sms(session))

    def send(self, channel: Channel, to: str, subject: str, body: str) -> str:
        if channel == Channel.EMAIL:
            if self.email is None:
                raise DomainError("email.not_set_up", "the mail server is not set up")
            return send_mail(self.email, to, subject, body, password=self.password,
                             context=self.context).message_id
        if self._sms is None:
            if self.sms_settings is None:
                raise DomainError("sms.not_set_up", "the SMS gateway is not set up")
            self._sms = gateway_for(self.sms_settings)
        return self._sms.send(to, body)


# --------------------------------------------------------------------------- the work


@dataclass
class SendOutcome:
    """What happened to one message of a batch."""

    client_id: int
    client_name: str
    message_id: int | None = None
    contact_id: int | None = None
    error: DomainError | None = None
    #: refused by a rule before anything was written (else it failed on the way)
    refused: bool = False

    @property
    def sent(self) -> bool:
        return self.contact_id is not None


@dataclass
class BatchResult:
    outcomes: list[SendOutcome] = field(default_factory=list)

    @property
    def sent(self) -> list[SendOutcome]:
        return [o for o in self.outcomes if o.sent]

    @property
    def failed(self) -> list[SendOutcome]:
        return [o for o in self.outcomes if not o.sent and not o.refused]

    @property
    def refused(self) -> list[SendOutcome]:
        return [o for o in self.outcomes if o.refused]

    @property
    def client_ids(self) -> list[int]:
        return sorted({o.client_id for o in self.outcomes})


def _deliver(db, message_id: int, transport: Transport,
             clock: Callable[[], datetime]) -> tuple[int | None, DomainError | None]:
    with db.session() as s:
        msg = _message(s, message_id)
        channel, to, subject, body = msg.channel, msg.to_address, msg.subject, msg.body
    try:
        gateway_id = transport.send(Channel(channel), to, subject, body)
    except DomainError as exc:
        with db.session() as s:
            record_failed(s, message_id, exc)
        return None, exc
    except Exception as exc:  # noqa: BLE001 - a message is never silently lost
        err = DomainError("message.failed", f"the message could not be sent: {exc}",
                          detail=repr(exc))
        with db.session() as s:
            record_failed(s, message_id, err)
        return None, err
    with db.session() as s:
        return record_sent(s, message_id, gateway_id, clock()), None


def send(db, requests: Iterable[MessageRequest], transport: Transport | None = None, *,
         clock: Callable[[], datetime] = datetime.now,
         report: Callable[[int, int], None] | None = None,
         check: Callable[[], None] | None = None) -> BatchResult:
    """Send each request in turn (one, or a batch from Today): check the rules and
    render, write it pending, send, write the result. A refused one is counted with its
    reason and nothing is written; a failure is kept. ``report(done, total)`` after each;
    ``check()`` may raise to stop between two messages (the rest are not sent)."""
    reqs = list(requests)
    result = BatchResult()
    with db.session() as s:
        require(s, Action.CALLS)  # a message to a client is a contact, as a call is
        transport = transport or Transport.from_settings(s)
        ready = channels_ready(s)
    for i, req in enumerate(reqs):
        if check is not None:
            check()
        with db.session() as s:
            try:
                draft = prepare(s, req, clock(), ready)
            except DomainError as exc:
                result.outcomes.append(SendOutcome(req.client_id, "", error=exc, refused=True))
                continue
            if draft.refusal is not None:
                result.outcomes.append(SendOutcome(req.client_id, draft.client_name,
                                                error=draft.refusal, refused=True))
                continue
            message_id = begin(s, draft, clock())
        contact_id, err = _deliver(db, message_id, transport, clock)
        result.outcomes.append(SendOutcome(req.client_id, draft.client_name, message_id,
                                        contact_id, err))
        if report is not None:
            report(i + 1, len(reqs))
    return result


def retry(db, message_id: int, transport: Transport | None = None, *,
          clock: Callable[[], datetime] = datetime.now,
          outside_hours_ok: bool = False) -> SendOutcome:
    """Send a failed message again, the same text to the same address, after the rules
    are checked again (consent may have been withdrawn since)."""
    with db.session() as s:
        require(s, Action.CALLS)
        msg = _message(s, message_id)
        if msg.status not in (STATUS_FAILED, STATUS_PENDING):
            raise DomainError("message.not_failed", "only a failed message is sent again",
                              message_id=message_id)
        client = s.get(Client, msg.client_id)
        why = refusal(s, client, msg.kind, Channel(msg.channel), clock(), outside_hours_ok,
                      channels_ready(s))
        if why is not None:
            raise why
        transport = transport or Transport.from_settings(s)
        msg.status, msg.attempts = STATUS_PENDING, msg.attempts + 1
        name = client.name
    contact_id, err = _deliver(db, message_id, transport, clock)
    return SendOutcome(msg.client_id, name, message_id, contact_id, err)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class MessageRow:
    id: int
    client_id: int
    channel: Channel
    kind: str
    to_address: str
    subject: str
    body: str
    status: str
    error_code: str | None
    error_detail: str | None
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    contact_id: int | None
    segments: int | None

    @property
    def error_values(self) -> dict:
        """The values of the error that stopped it (for its translated sentence)."""
        try:
            values = json.loads(self.error_detail or "{}")
        except ValueError:
            values = {"detail": self.error_detail}
        return values if isinstance(values, dict) else {"detail": str(values)}

    @property
    def needs_attention(self) -> bool:
        return self.status in (STATUS_FAILED, STATUS_PENDING)


def _row(m: OutgoingMessage) -> MessageRow:
    return MessageRow(m.id, m.client_id, Channel(m.channel), m.kind, m.to_address,
                      m.subject, m.body, m.status, m.error_code, m.error_detail,
                      m.attempts, m.created_at, m.sent_at, m.contact_id, m.segments)


def client_messages(session: Session, client_id: int, limit: int = 200) -> list[MessageRow]:
    """A client's messages, the newest first (the card)."""
    return [_row(m) for m in session.scalars(
        select(OutgoingMessage).where(OutgoingMessage.client_id == client_id)
        .order_by(OutgoingMessage.created_at.desc(), OutgoingMessage.id.desc())
        .limit(limit))]


def failed_by_client(session: Session, client_ids: Iterable[int]) -> dict[int, MessageRow]:
    """Each client's newest message that failed and is not sent again or let go (Today's
    mark), for the clients asked about."""
    ids = sorted({c for c in client_ids if c is not None})
    found: dict[int, MessageRow] = {}
    for start in range(0, len(ids), 500):
        for m in session.scalars(
                select(OutgoingMessage).where(
                    OutgoingMessage.client_id.in_(ids[start:start + 500]),
                    OutgoingMessage.status.in_((STATUS_FAILED, STATUS_PENDING)))
                .order_by(OutgoingMessage.created_at, OutgoingMessage.id)):
            found[m.client_id] = _row(m)
    return found


def with_refusal(draft: Draft, error: DomainError | None) -> Draft:
    return replace(draft, refusal=error)


def default_channel(client: Client, ready: set[Channel] | None = None) -> Channel:
    """The channel a message to ``client`` goes by unless the person chooses: the one
    they prefer when it is e-mail or SMS, else e-mail when they have an address, else
    SMS (among the channels set up, when ``ready`` is given)."""
    usable = [ch for ch in (Channel.EMAIL, Channel.SMS) if ready is None or ch in ready]
    has = {Channel.EMAIL: bool((client.email or "").strip()),
           Channel.SMS: bool((client.phone or "").strip())}
    pref = client.preferred_channel
    if pref in usable and has[pref]:
        return Channel(pref)
    for ch in usable:
        if has[ch]:
            return ch
    return usable[0] if usable else Channel.EMAIL


def prefers_message(channel: Channel | str | None) -> bool:
    """The client prefers a message to a call (Today marks their calls)."""
    return channel in (Channel.EMAIL, Channel.SMS)


def row_requests(session: Session, rows: Iterable[tuple[int, tuple[int, ...]]],
                 staff_id: int | None = None) -> list[MessageRequest]:
    """One request per (client, the row's tasks) of Today's selection, each by the
    client's default channel."""
    ready = channels_ready(session)
    out = []
    for client_id, task_ids in rows:
        client = session.get(Client, client_id)
        if client is None:
            continue
        out.append(MessageRequest(client_id, default_channel(client, ready), tuple(task_ids),
                                  staff_id=staff_id))
    return out


def preview_template(session: Session, client_id: int, data: templates.TemplateData,
                     today=None) -> templates.Rendered:
    """A template being edited, rendered with a real client's data (Settings)."""
    client = session.get(Client, client_id)
    if client is None:
        raise NotFoundError("client.not_found", "client not found", client_id=client_id)
    templates.check_template(data)
    return templates.render(data, templates.client_values(session, client, data.language,
                                                          data.kind, None, today))
