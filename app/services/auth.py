"""Staff logins (issue 17): passwords kept only as argon2id hashes (argon2-cffi), signing
in with a lockout that grows after repeated wrong passwords, the first owner created at
the first start of an office server, and the record of who changed what.

Logins are optional on a single PC (they start once somebody has a password and the
owner turns them on) and required on an office server: there every window signs in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.enums import StaffRole
from app.errors import DomainError, FieldError, NotFoundError, ValidationError
from app.models import Staff
from app.services import settings as settings_service
from app.services.access import Action, Actor, actor_of, require

# who changed what is recorded on every database, signed in or not (app/services/history.py);
# importable from here, where logins began
from app.services.history import (  # noqa: F401
    Edit,
    edits_of_client,
    install,
    record_edits,
    write_edits,
)

#: a password shorter than this is refused when it is set
MIN_PASSWORD = 8
#: wrong passwords in a row allowed before signing in is locked for a while
FREE_TRIES = 4
#: the first lock; each wrong password after it doubles the wait, up to MAX_LOCK
FIRST_LOCK = timedelta(seconds=30)
MAX_LOCK = timedelta(minutes=15)
SETTING = "security.logins"

_hasher = PasswordHasher()  # argon2id with the library's current parameters


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_new(password: str, repeat: str | None) -> None:
    errors = []
    if len(password) < MIN_PASSWORD:
        errors.append(FieldError("password", "password.short",
                                 f"at least {MIN_PASSWORD} characters",
                                 {"minimum": MIN_PASSWORD}))
    elif repeat is not None and repeat != password:
        errors.append(FieldError("repeat", "password.mismatch", "the two passwords differ"))
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class SignInPerson:
    staff_id: int
    name: str
    role: StaffRole


def people_who_sign_in(session: Session) -> list[SignInPerson]:
    """The active people with a password, by name: the sign-in dialog's list."""
    rows = session.execute(select(Staff.id, Staff.name, Staff.role).where(
        Staff.active.is_(True), Staff.password_hash.is_not(None)))
    people = [SignInPerson(i, n, StaffRole(r)) for i, n, r in rows]
    return sorted(people, key=lambda p: (p.name.casefold(), p.staff_id))


def logins_required(session: Session) -> bool:
    """Does this database ask everyone to sign in? Always on a server; on a file once
    the owner turned it on (and somebody has a password)."""
    if session.get_bind().dialect.name != "sqlite":
        return True
    return bool(settings_service.get(session, SETTING)) and bool(people_who_sign_in(session))


def needs_owner(session: Session) -> bool:
    """Logins are required but no active owner has a password yet: the first start of an
    office server creates one."""
    return session.scalar(select(Staff.id).where(
        Staff.role == StaffRole.OWNER, Staff.active.is_(True),
        Staff.password_hash.is_not(None)).limit(1)) is None


def create_owner(session: Session, name: str, password: str, repeat: str) -> Actor:
    """The first owner of an office server (or of a file turning logins on): the
    existing first owner gets the password, or a new owner called ``name``."""
    if not needs_owner(session):
        raise DomainError("auth.owner_exists", "an owner who signs in exists already")
    name = (name or "").strip()
    if not name:
        raise ValidationError([FieldError("name", "name.required", "a name is needed")])
    _check_new(password, repeat)
    owner = session.scalar(select(Staff).where(
        Staff.role == StaffRole.OWNER, Staff.active.is_(True),
        Staff.name == name).order_by(Staff.id))
    if owner is None:
        owner = Staff(name=name[:120], role=StaffRole.OWNER, active=True)
        session.add(owner)
    owner.password_hash = hash_password(password)
    owner.failed_logins, owner.locked_until = 0, None
    session.flush()
    return Actor(owner.id, owner.name, StaffRole.OWNER)


def set_password(session: Session, staff_id: int, password: str, repeat: str | None = None
                 ) -> None:
    """Give a person a password (or a new one). One's own password anyone may change;
    another person's only who may manage the staff (the owner)."""
    actor = actor_of(session)
    if actor is not None and actor.staff_id != staff_id:
        require(session, Action.STAFF)
    person = session.get(Staff, staff_id)
    if person is None:
        raise NotFoundError("staff.not_found", "staff not found", staff_id=staff_id)
    _check_new(password, repeat)
    person.password_hash = hash_password(password)
    person.failed_logins, person.locked_until = 0, None
    session.flush()


def clear_password(session: Session, staff_id: int) -> None:
    """The person can no longer sign in (the owner's step, e.g. when someone leaves)."""
    require(session, Action.STAFF)
    person = session.get(Staff, staff_id)
    if person is None:
        raise NotFoundError("staff.not_found", "staff not found", staff_id=staff_id)
    person.password_hash, person.failed_logins, person.locked_until = None, 0, None
    session.flush()


def lock_for(failures: int) -> timedelta | None:
    """How long signing in is locked after ``failures`` wrong passwords in a row."""
    if failures <= FREE_TRIES:
        return None
    return min(FIRST_LOCK * (2 ** (failures - FREE_TRIES - 1)), MAX_LOCK)


def sign_in(session: Session, staff_id: int, password: str, now: datetime) -> Actor:
    """Check ``password``; the actor signed in, or ``auth.wrong_password`` (with the tries
    left before a lock), ``auth.locked`` (with the seconds to wait) or
    ``auth.no_password``. A wrong password is counted in this transaction: the caller
    commits a refusal too (the lockout must hold across windows)."""
    person = session.get(Staff, staff_id)
    if person is None or not person.active:
        raise NotFoundError("staff.not_found", "staff not found", staff_id=staff_id)
    if person.password_hash is None:
        raise DomainError("auth.no_password", f"{person.name} has no password",
                          name=person.name)
    if person.locked_until is not None and person.locked_until > now:
        wait = int((person.locked_until - now).total_seconds()) + 1
        raise DomainError("auth.locked", f"locked for {wait} s", field="password",
                          seconds=wait)
    try:
        _hasher.verify(person.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        person.failed_logins = (person.failed_logins or 0) + 1
        wait = lock_for(person.failed_logins)
        person.locked_until = now + wait if wait is not None else None
        session.flush()
        if wait is not None:
            raise DomainError("auth.locked", "too many wrong passwords", field="password",
                              seconds=int(wait.total_seconds())) from None
        raise DomainError("auth.wrong_password", "wrong password", field="password",
                          left=FREE_TRIES + 1 - person.failed_logins) from None
    if _hasher.check_needs_rehash(person.password_hash):
        person.password_hash = hash_password(password)
    person.failed_logins, person.locked_until = 0, None
    session.flush()
    return Actor(person.id, person.name, StaffRole(person.role))


def set_logins(session: Session, on: bool) -> None:
    """The owner turns logins on or off on a single PC (a server always has them). On
    needs a password of the owner's first."""
    require(session, Action.STAFF)
    if on and needs_owner(session):
        raise DomainError("auth.owner_first", "the owner needs a password first")
    settings_service.put(session, SETTING, bool(on))
