"""Domain errors.

Services cannot call Qt's ``tr()``, so an error carries a stable ``code``, the ``field``
it concerns (if any) and the ``values`` a message needs. The UI turns the code into a
translated sentence (``app/ui/messages.py``); the command line prints ``str(error)``,
which is a plain English fallback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class DomainError(Exception):
    """A failure the user can understand and act on."""

    code: str = "error"

    def __init__(self, code: str | None = None, message: str = "", *,
                 field: str | None = None, **values: Any) -> None:
        if code is not None:
            self.code = code
        self.field = field
        self.values = values
        self.message = message or self.code
        super().__init__(self.message)


@dataclass
class FieldError:
    field: str
    code: str
    message: str
    values: dict[str, Any] = field(default_factory=dict)


class ValidationError(DomainError):
    """One or more fields are invalid; nothing was saved."""

    code = "validation"

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        text = "; ".join(f"{e.field}: {e.message}" for e in errors)
        super().__init__("validation", text)

    def for_field(self, name: str) -> FieldError | None:
        return next((e for e in self.errors if e.field == name), None)


class NotFoundError(DomainError):
    code = "not_found"


class ConflictError(DomainError):
    """The record was changed elsewhere, or a unique value is taken."""

    code = "conflict"


class DatabaseOpenError(DomainError):
    """The database file cannot be opened as it is; nothing in it was changed."""

    code = "db.open"
