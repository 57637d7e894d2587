"""Passwords and tokens of the mail server and the SMS gateway: in the system keyring
(the ``keyring`` package: Windows Credential Manager, macOS Keychain, the Secret Service
of a Linux desktop), never in the database. Tests install an in-memory backend with
``keyring.set_keyring``."""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from app.errors import DomainError

SMTP_SERVICE = "ClientCare SMTP"
SMS_SERVICE = "ClientCare SMS"


def _unavailable(exc: Exception) -> DomainError:
    return DomainError("keyring.unavailable", f"the system keyring cannot be used: {exc}",
                       detail=str(exc))


def get_secret(service: str, account: str) -> str | None:
    try:
        return keyring.get_password(service, account)
    except (KeyringError, RuntimeError) as exc:  # no backend: RuntimeError on some
        raise _unavailable(exc) from exc


def set_secret(service: str, account: str, secret: str) -> None:
    """Keep ``secret``; an empty one removes what was kept."""
    try:
        if secret:
            keyring.set_password(service, account, secret)
        else:
            try:
                keyring.delete_password(service, account)
            except PasswordDeleteError:
                pass
    except (KeyringError, RuntimeError) as exc:
        raise _unavailable(exc) from exc
