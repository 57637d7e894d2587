"""Who may do what (issue 17): the signed-in person (an :class:`Actor`) and the actions
each role may take, checked by the services themselves, so a refused action is refused
whichever screen, command or script asks for it.

- receptionist: clients, Today and calls, complaints (compensation within the role's
  limit, app/services/complaints.py);
- manager: all that, plus charts, the quarterly A/B/C review, exports and imports;
- owner: everything, plus settings, staff, backups and erasing a client's data.

A session carries its actor in ``session.info["actor"]`` (app/db.py ``Database.sign_in``
sets it on every session the window opens). Without an actor (a single PC where nobody
has a password) every action is allowed, as before logins existed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.enums import StaffRole
from app.errors import DomainError


class Action(enum.StrEnum):
    CLIENTS = "clients"          # add, edit, delete and restore clients, purchases
    CALLS = "calls"              # log, correct and undo calls; move and cancel tasks
    COMPLAINTS = "complaints"    # open, work on and close complaints
    CHARTS = "charts"            # the Charts page and `clientcare metrics`
    SEGMENT_REVIEW = "segment_review"  # the quarterly A/B/C review
    EXPORT = "export"            # exports and a client's data export
    IMPORT = "import"            # imports of clients and purchases
    SETTINGS = "settings"        # the business and the rules
    STAFF = "staff"              # people, roles and passwords of others
    BACKUPS = "backups"          # restore, delete, the backup folder
    ERASE = "erase"              # erase a client's personal data for good


_RECEPTION = frozenset({Action.CLIENTS, Action.CALLS, Action.COMPLAINTS})
_MANAGER = _RECEPTION | {Action.CHARTS, Action.SEGMENT_REVIEW, Action.EXPORT, Action.IMPORT}

#: what each role may do; the owner may do everything
ALLOWED: dict[StaffRole, frozenset[Action]] = {
    StaffRole.RECEPTIONIST: _RECEPTION,
    StaffRole.MANAGER: frozenset(_MANAGER),
    StaffRole.OWNER: frozenset(Action),
}


@dataclass(frozen=True)
class Actor:
    """The person signed in: their staff id, name and role."""

    staff_id: int
    name: str
    role: StaffRole

    def may(self, action: Action) -> bool:
        return action in ALLOWED[self.role]


class AccessDenied(DomainError):
    """The signed-in person's role does not allow the action; nothing was done."""

    code = "access.denied"


def actor_of(who: Session | Actor | None) -> Actor | None:
    if who is None or isinstance(who, Actor):
        return who
    return getattr(who, "info", {}).get("actor")


def may(who: Session | Actor | None, action: Action) -> bool:
    actor = actor_of(who)
    return actor is None or actor.may(action)


def require(who: Session | Actor | None, action: Action) -> None:
    """Raise :class:`AccessDenied` (``access.denied``, with the action and the role)
    unless the person signed in on ``who`` may take ``action``."""
    actor = actor_of(who)
    if actor is not None and not actor.may(action):
        raise AccessDenied(message=f"{actor.name} ({actor.role.value}) may not: {action.value}",
                           action=action.value, role=actor.role.value, name=actor.name)


def least_role(action: Action) -> StaffRole:
    """The first role (receptionist, manager, owner) that may take ``action``."""
    for role in (StaffRole.RECEPTIONIST, StaffRole.MANAGER, StaffRole.OWNER):
        if action in ALLOWED[role]:
            return role
    return StaffRole.OWNER  # pragma: no cover - the owner may do everything
