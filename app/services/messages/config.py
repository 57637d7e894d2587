"""Where the messages go out: the mail server and the SMS gateway, kept in ``settings``
(one JSON row each: ``messages.email``, ``messages.sms``) without their secrets, which
are in the keyring (secrets.py)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from sqlalchemy.orm import Session

from app.errors import DomainError, FieldError, ValidationError
from app.models import Setting
from app.services.access import Action, require

EMAIL_KEY, SMS_KEY = "messages.email", "messages.sms"

SECURITY = ("starttls", "tls", "none")
#: the usual port of each kind of connection
DEFAULT_PORT = {"starttls": 587, "tls": 465, "none": 25}

SMSAPI_PL, SMSAPI_BG, TWILIO = "smsapi_pl", "smsapi_bg", "twilio"
PROVIDERS = (SMSAPI_PL, SMSAPI_BG, TWILIO)
BASE_URLS = {SMSAPI_PL: "https://api.smsapi.pl", SMSAPI_BG: "https://api.smsapi.bg",
             TWILIO: "https://api.twilio.com"}


@dataclass
class EmailSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"
    user: str = ""
    from_address: str = ""
    from_name: str = ""
    timeout: float = 20.0

    @property
    def ready(self) -> bool:
        return bool(self.host and self.from_address)

    @property
    def account(self) -> str:
        """The keyring's name for the password: the user at the server."""
        return f"{self.user}@{self.host}:{self.port}"


@dataclass
class SmsSettings:
    provider: str = SMSAPI_PL
    #: "" = the provider's own address (BASE_URLS); tests point it at a local server
    base_url: str = ""
    #: the sender name or number registered with the gateway ("" = the gateway's default)
    sender: str = ""
    #: Twilio's Account SID (SMSAPI needs only the token)
    account: str = ""
    timeout: float = 20.0

    @property
    def url(self) -> str:
        return (self.base_url or BASE_URLS.get(self.provider, "")).rstrip("/")

    @property
    def ready(self) -> bool:
        return self.provider in PROVIDERS and (self.provider != TWILIO or bool(
            self.account and self.sender))

    @property
    def keyring_account(self) -> str:
        return f"{self.provider}:{self.account}" if self.account else self.provider


def _load(session: Session, key: str, cls):
    row = session.get(Setting, key)
    data = {}
    if row is not None:
        try:
            data = json.loads(row.value)
        except ValueError:
            data = {}
    names = {f.name for f in fields(cls)}
    try:
        return cls(**{k: v for k, v in data.items() if k in names})
    except TypeError:
        return cls()


def _store(session: Session, key: str, value) -> None:
    raw = json.dumps(asdict(value))
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=raw))
    else:
        row.value = raw
    session.flush()


def load_email(session: Session) -> EmailSettings:
    return _load(session, EMAIL_KEY, EmailSettings)


def load_sms(session: Session) -> SmsSettings:
    return _load(session, SMS_KEY, SmsSettings)


def check_email(s: EmailSettings) -> None:
    from app.services.validation import normalize_email  # the card's own check
    errors = []
    if not s.host.strip() or any(c.isspace() for c in s.host.strip()):
        errors.append(FieldError("host", "smtp.host_required", "give the mail server's name"))
    if not (1 <= int(s.port) <= 65535):
        errors.append(FieldError("port", "smtp.port_range", "a port is 1 to 65535"))
    if s.security not in SECURITY:
        errors.append(FieldError("security", "smtp.security", "choose the connection"))
    try:
        ok = normalize_email(s.from_address) if s.from_address.strip() else None
    except DomainError:
        ok = None
    if not ok:
        errors.append(FieldError("from_address", "email.invalid", "not an e-mail address",
                                 {"value": s.from_address}))
    if errors:
        raise ValidationError(errors)


def save_email(session: Session, s: EmailSettings) -> EmailSettings:
    require(session, Action.SETTINGS)
    s.host, s.user = s.host.strip(), s.user.strip()
    s.from_address, s.from_name = s.from_address.strip(), s.from_name.strip()
    check_email(s)
    _store(session, EMAIL_KEY, s)
    return s


def save_sms(session: Session, s: SmsSettings) -> SmsSettings:
    require(session, Action.SETTINGS)
    s.sender, s.account, s.base_url = s.sender.strip(), s.account.strip(), s.base_url.strip()
    errors = []
    if s.provider not in PROVIDERS:
        errors.append(FieldError("provider", "sms.provider", "choose a gateway"))
    if s.base_url and not s.base_url.startswith(("https://", "http://127.0.0.1",
                                                 "http://localhost")):
        errors.append(FieldError("base_url", "sms.url_https",
                                 "the gateway is reached over HTTPS"))
    if s.provider == TWILIO:
        if not s.account:
            errors.append(FieldError("account", "sms.account_required",
                                     "give the Account SID"))
        if not s.sender:
            errors.append(FieldError("sender", "sms.sender_required",
                                     "give the number messages are sent from"))
    if errors:
        raise ValidationError(errors)
    _store(session, SMS_KEY, s)
    return s
