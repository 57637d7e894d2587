"""Message templates: their kinds, the placeholders they may use, the check made when
one is saved, and rendering one with a real client's data.

A template is ClientCare's own (app/services/messages/defaults.py) until the owner saves
an edited one (a ``MessageTemplate`` row for that kind, language and channel); deleting
the row brings the default back.

Placeholders are written ``{first_name}``; a literal brace is doubled (``{{``). Saving
refuses an unknown placeholder, a placeholder with a format (``{date:%Y}``), an
attribute or an index (``{first_name.upper}``), and a brace left open or unmatched,
with the field and a translated message (app/ui/messages.py). Dates and money in a
rendered message follow the template's language (babel; the services have no QLocale).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import DomainError, FieldError, NotFoundError, ValidationError
from app.models import Client, Membership, MessageTemplate, PersonalDate, Purchase, Task
from app.models.enums import Channel, ClientKind, DateKind, MembershipStatus, TaskKind
from app.services import settings as settings_service
from app.services.access import Action, require
from app.services.messages import defaults
from app.services.name_days import language_for_region

#: the kinds of message, in the order Settings lists them
KINDS = ("follow_up", "renewal", "birthday", "name_day", "win_back", "complaint_callback",
         "free")
#: marketing messages: sent only with the client's recorded marketing consent
MARKETING_KINDS = frozenset({"birthday", "name_day", "win_back", "free"})
LANGUAGES = ("en", "pl", "ru", "bg")
CHANNELS = (Channel.EMAIL, Channel.SMS)

#: every placeholder a template may use
PLACEHOLDERS = ("first_name", "last_name", "name", "business", "date", "plan", "item",
                "amount")

SUBJECT_MAX = 200
BODY_MAX = 5000


def kind_for_task(session: Session, task: Task | None) -> str:
    """The kind of message a task asks for: a follow-up (or onboarding) call is a
    follow-up message, a personal date of the client a birthday or name-day greeting (a
    relative's date, an anniversary or a custom date gets a free message: the template
    would greet the client), a keep-in-touch or manual task a free one."""
    if task is None:
        return "free"
    kind = TaskKind(task.kind)
    if kind in (TaskKind.FOLLOW_UP, TaskKind.ONBOARDING):
        return "follow_up"
    if kind == TaskKind.RENEWAL:
        return "renewal"
    if kind == TaskKind.WIN_BACK:
        return "win_back"
    if kind == TaskKind.COMPLAINT_CALLBACK:
        return "complaint_callback"
    if kind == TaskKind.PERSONAL_DATE and task.source_kind == "personal_date":
        pd = session.get(PersonalDate, task.source_id)
        if pd is not None and pd.relative_id is None:
            if pd.kind == DateKind.BIRTHDAY:
                return "birthday"
            if pd.kind == DateKind.NAME_DAY:
                return "name_day"
    return "free"


def business_language(session: Session) -> str:
    """The language of the business's country (PL, RU, BG), else English."""
    lang = language_for_region(settings_service.get(session, "business.region"))
    return lang if lang in LANGUAGES else "en"


# --------------------------------------------------------------------------- the check


def placeholders_in(text: str, field: str = "body") -> list[str]:
    """The placeholders ``text`` uses, in order; ValidationError (on ``field``) for an
    unknown one or a broken brace."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValidationError([FieldError(field, "template.brace",
                                          f"a brace is not closed or not doubled: {exc}",
                                          {"example": "{first_name}", "open": "{{",
                                           "close": "}}"})]) from exc
    found: list[str] = []
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if spec or conversion or name not in PLACEHOLDERS:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (
                f":{spec}" if spec else "") + "}"
            raise ValidationError([FieldError(
                field, "template.unknown_placeholder", f"unknown placeholder {shown}",
                {"placeholder": shown, "known": ", ".join("{" + p + "}"
                                                           for p in PLACEHOLDERS)})])
        found.append(name)
    return found


@dataclass
class TemplateData:
    kind: str
    language: str
    channel: Channel
    subject: str
    body: str


def check_template(data: TemplateData) -> None:
    """Everything saving checks, one error per field."""
    errors: list[FieldError] = []
    if data.kind not in KINDS or data.language not in LANGUAGES or data.channel not in CHANNELS:
        raise DomainError("template.unknown", "no such template", kind=data.kind,
                          language=data.language, channel=str(data.channel))
    if data.channel == Channel.EMAIL:
        if not data.subject.strip():
            errors.append(FieldError("subject", "template.subject_required",
                                     "an e-mail needs a subject"))
        elif len(data.subject) > SUBJECT_MAX or "\n" in data.subject:
            errors.append(FieldError("subject", "template.subject_line",
                                     "the subject is one line of at most 200 characters",
                                     {"maximum": SUBJECT_MAX}))
        else:
            try:
                placeholders_in(data.subject, "subject")
            except ValidationError as exc:
                errors.extend(exc.errors)
    if not data.body.strip():
        errors.append(FieldError("body", "template.body_required", "write the message"))
    elif len(data.body) > BODY_MAX:
        errors.append(FieldError("body", "text.too_long", "too long", {"maximum": BODY_MAX}))
    else:
        try:
            placeholders_in(data.body, "body")
        except ValidationError as exc:
            errors.extend(exc.errors)
    if errors:
        raise ValidationError(errors)


# --------------------------------------------------------------------------- storage


@dataclass(frozen=True)
class Template:
    kind: str
    language: str
    channel: Channel
    subject: str
    body: str
    #: the owner's row (None: ClientCare's own text)
    id: int | None = None

    @property
    def edited(self) -> bool:
        return self.id is not None


def get_template(session: Session, kind: str, language: str, channel: Channel) -> Template:
    row = session.scalar(select(MessageTemplate).where(
        MessageTemplate.kind == kind, MessageTemplate.language == language,
        MessageTemplate.channel == channel))
    if row is not None:
        return Template(kind, language, Channel(channel), row.subject, row.body, row.id)
    if kind not in KINDS or language not in LANGUAGES or channel not in CHANNELS:
        raise NotFoundError("template.unknown", "no such template", kind=kind,
                            language=language, channel=str(channel))
    subject, body = defaults.default_template(kind, language, str(channel))
    return Template(kind, language, Channel(channel), subject, body)


def list_templates(session: Session, language: str | None = None) -> list[Template]:
    """Every template (each kind x channel, of one language or of all), edited or not."""
    langs = (language,) if language else LANGUAGES
    return [get_template(session, k, lang, ch) for lang in langs for k in KINDS
            for ch in CHANNELS]


def save_template(session: Session, data: TemplateData,
                  now: datetime | None = None) -> Template:
    """Check and keep the owner's version of a template."""
    require(session, Action.SETTINGS)
    check_template(data)
    row = session.scalar(select(MessageTemplate).where(
        MessageTemplate.kind == data.kind, MessageTemplate.language == data.language,
        MessageTemplate.channel == data.channel))
    subject = data.subject.strip() if data.channel == Channel.EMAIL else ""
    if row is None:
        row = MessageTemplate(kind=data.kind, language=data.language, channel=data.channel)
        session.add(row)
    row.subject, row.body, row.updated_at = subject, data.body, now or datetime.now()
    session.flush()
    return get_template(session, data.kind, data.language, data.channel)


def reset_template(session: Session, kind: str, language: str, channel: Channel) -> Template:
    """Back to ClientCare's own text."""
    require(session, Action.SETTINGS)
    row = session.scalar(select(MessageTemplate).where(
        MessageTemplate.kind == kind, MessageTemplate.language == language,
        MessageTemplate.channel == channel))
    if row is not None:
        session.delete(row)
        session.flush()
    return get_template(session, kind, language, channel)


# --------------------------------------------------------------------------- rendering


def split_name(client: Client) -> tuple[str, str]:
    """(first name, last name) as a greeting uses them: a company is greeted by its name."""
    name = " ".join(client.name.split())
    if client.kind == ClientKind.COMPANY or " " not in name:
        return name, ""
    first, last = name.split(" ", 1)
    return first, last


def client_values(session: Session, client: Client, language: str, kind: str = "free",
                  task: Task | None = None, today: date | None = None) -> dict[str, str]:
    """The placeholders' values for one client, formatted for ``language``: ``date`` is
    the day the message is about (a renewal: the membership's end; a follow-up: the
    purchase; else today); ``plan`` the membership (renewed, or the latest running one),
    ``item`` and ``amount`` the purchase followed up (or the latest; an item not written
    down reads "purchase" in the language). A value the client has not got is ""
    (rendering refuses a template that needs it)."""
    today = today or date.today()
    first, last = split_name(client)
    values = {"first_name": first, "last_name": last, "name": client.name,
              "business": settings_service.get(session, "business.name").strip(),
              "date": "", "plan": "", "item": "", "amount": ""}
    on: date | None = today
    membership = None
    if task is not None and task.source_kind == "membership":
        membership = session.get(Membership, task.source_id)
    if membership is None:
        membership = session.scalar(
            select(Membership).where(Membership.client_id == client.id,
                                     Membership.status.in_((MembershipStatus.ACTIVE,
                                                            MembershipStatus.FROZEN)))
            .order_by(Membership.ends_on.desc()).limit(1))
    if membership is not None:
        values["plan"] = membership.plan
        if kind == "renewal":
            on = membership.ends_on
    purchase = None
    if task is not None and task.source_kind == "purchase":
        purchase = session.get(Purchase, task.source_id)
    if purchase is None:
        purchase = session.scalar(select(Purchase).where(Purchase.client_id == client.id)
                                  .order_by(Purchase.purchased_on.desc(), Purchase.id.desc())
                                  .limit(1))
    if purchase is not None:
        # an item not written down: the word for "the purchase" (the message still reads)
        values["item"] = purchase.item.strip() or defaults.ITEM_FALLBACK.get(language, "")
        values["amount"] = format_money(purchase.amount, settings_service.get(
            session, "business.currency"), language)
        if kind == "follow_up":
            on = purchase.purchased_on
    values["date"] = format_date(on, "long", locale=language) if on else ""
    return values


def format_money(amount: Decimal, currency: str, language: str) -> str:
    return format_currency(Decimal(amount), currency, locale=language)


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def render(template: Template | TemplateData, values: dict[str, str]) -> Rendered:
    """The template with the values put in. A placeholder the template uses whose value
    is empty (a renewal message for a client without a membership) is refused: the
    message would go out with a hole in it."""
    missing: list[str] = []
    out = []
    for field, text in (("subject", template.subject), ("body", template.body)):
        for name in placeholders_in(text, field):
            if not values.get(name, "").strip() and name not in missing:
                missing.append(name)
        out.append(text.format_map(values))
    if missing:
        raise DomainError("message.value_missing", "the client has no value for "
                          + ", ".join(missing), field="body",
                          placeholders=", ".join("{" + m + "}" for m in missing))
    return Rendered(out[0].strip(), out[1])
