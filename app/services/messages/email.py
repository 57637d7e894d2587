"""E-mail through the owner's own mail server: ``smtplib`` and ``email.message``.

The connection is STARTTLS (port 587: plain, then upgraded), TLS from the first byte
(port 465) or none (a relay inside the office). The password comes from the keyring.
Every failure becomes a DomainError with a stable code the UI words:

* ``email.auth``: the server refused the user or password (535);
* ``email.refused``: nothing answers at the host and port (connection refused, no
  such host);
* ``email.timeout``: the server did not answer in time;
* ``email.tls``: the secure connection failed (a certificate, or STARTTLS not offered);
* ``email.recipient``: the server refused the address;
* ``email.failed``: anything else the server said, with its words.
"""

from __future__ import annotations

import base64
import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from app.errors import DomainError
from app.services.messages.config import EmailSettings
from app.services.messages.secrets import SMTP_SERVICE, get_secret


@dataclass(frozen=True)
class SentMail:
    message_id: str
    to: str


def build_message(settings: EmailSettings, to: str, subject: str, body: str,
                  now: datetime | None = None) -> EmailMessage:
    """The mail as it goes out: UTF-8 text, the subject encoded for any alphabet (RFC
    2047, which the email package does for a non-ASCII header), Date and Message-ID."""
    msg = EmailMessage()
    domain = settings.from_address.rpartition("@")[2] or None
    msg["From"] = Address(display_name=settings.from_name,
                          addr_spec=settings.from_address)
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime((now or datetime.now()).astimezone())
    msg["Message-ID"] = make_msgid(domain=domain)
    # quoted-printable: seven bits on the wire, so a server without 8BITMIME takes it too
    msg.set_content(body, charset="utf-8", cte="quoted-printable")
    return msg


def _connect(settings: EmailSettings, context: ssl.SSLContext | None) -> smtplib.SMTP:
    if settings.security == "tls":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                context=context)
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.security == "starttls":
        smtp.ehlo()
        if not smtp.has_extn("starttls"):
            smtp.quit()
            raise DomainError("email.tls", "the server does not offer STARTTLS",
                              host=settings.host, detail="STARTTLS not offered")
        smtp.starttls(context=context)
        smtp.ehlo()
    return smtp


def send_mail(settings: EmailSettings, to: str, subject: str, body: str, *,
              password: str | None = None, context: ssl.SSLContext | None = None,
              now: datetime | None = None) -> SentMail:
    """Send one mail; the Message-ID is the mail's id in the log. ``password`` None:
    read from the keyring (no user: no login). ``context``: the TLS context (the
    system's certificates by default; tests pass one that trusts their own)."""
    if not settings.ready:
        raise DomainError("email.not_set_up", "the mail server is not set up")
    msg = build_message(settings, to, subject, body, now)
    if password is None and settings.user:
        password = get_secret(SMTP_SERVICE, settings.account) or ""
    context = context or ssl.create_default_context()
    where = {"host": settings.host, "port": settings.port}
    try:
        smtp = _connect(settings, context)
        try:
            if settings.user:
                _login(smtp, settings.user, password or "")
            smtp.send_message(msg)
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
    except DomainError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise DomainError("email.auth", f"the server refused the login: {exc.smtp_code} "
                          f"{_text(exc.smtp_error)}", user=settings.user,
                          detail=_text(exc.smtp_error), **where) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise DomainError("email.auth", f"the server offers no login: {exc}",
                          user=settings.user, detail=str(exc), **where) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        detail = "; ".join(f"{a}: {c} {_text(m)}" for a, (c, m) in exc.recipients.items())
        raise DomainError("email.recipient", f"the server refused {to}: {detail}",
                          address=to, detail=detail, **where) from exc
    except smtplib.SMTPServerDisconnected as exc:
        if isinstance(exc.__context__, TimeoutError):  # smtplib words a timeout so
            raise DomainError("email.timeout", f"{settings.host} did not answer in "
                              f"{settings.timeout:g} s", seconds=f"{settings.timeout:g}",
                              **where) from exc
        raise DomainError("email.refused", f"{settings.host}:{settings.port} closed the "
                          f"connection: {exc}", detail=str(exc), **where) from exc
    except TimeoutError as exc:
        raise DomainError("email.timeout", f"{settings.host} did not answer in "
                          f"{settings.timeout:g} s", seconds=f"{settings.timeout:g}",
                          **where) from exc
    except ssl.SSLError as exc:
        raise DomainError("email.tls", f"the secure connection failed: {exc}",
                          detail=str(exc), **where) from exc
    except smtplib.SMTPResponseException as exc:
        raise DomainError("email.failed", f"the server said {exc.smtp_code} "
                          f"{_text(exc.smtp_error)}", detail=f"{exc.smtp_code} "
                          f"{_text(exc.smtp_error)}", **where) from exc
    except (ConnectionError, socket.gaierror) as exc:
        raise DomainError("email.refused", f"no mail server answers at {settings.host}:"
                          f"{settings.port}: {exc}", detail=str(exc), **where) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DomainError("email.failed", f"the mail could not be sent: {exc}",
                          detail=str(exc), **where) from exc
    return SentMail(str(msg["Message-ID"]), to)


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """``smtp.login``, but a user or password beyond ASCII (a Polish or Cyrillic
    password) goes as AUTH PLAIN in UTF-8 (RFC 4616): smtplib encodes it as ASCII and
    fails before the server is asked."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    smtp.ehlo_or_helo_if_needed()
    if "plain" not in smtp.esmtp_features.get("auth", "").lower().split():
        raise smtplib.SMTPNotSupportedError("the server offers no AUTH PLAIN for a "
                                            "password beyond ASCII")
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, resp = smtp.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, resp)


def _text(raw) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
