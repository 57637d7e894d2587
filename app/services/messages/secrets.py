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
#: the password of the office server this PC opens (app/office_choice.py)
OFFICE_SERVICE = "ClientCare office server"


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
    if not secret:
        delete_secret(service, account)
        return
    try:
        keyring.set_password(service, account, secret)
    except (KeyringError, RuntimeError) as exc:
        raise _unavailable(exc) from exc


def delete_secret(service: str, account: str) -> None:
    """Forget what was kept for ``account`` (nothing kept: nothing to do)."""
    try:
        keyring.delete_password(service, account)
    except PasswordDeleteError:
        pass
    except (KeyringError, RuntimeError) as exc:
        raise _unavailable(exc) from exc
