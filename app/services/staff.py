"""Staff: the people who call clients, tick complaint checklists, give and approve
compensation. Listed, added and edited here; never deleted (calls, purchases and
complaints refer to them) — somebody who leaves is made inactive instead.

Order: :func:`list_staff` returns people by name (case-insensitive), ties by id, so a
list reads the same in every screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import FieldError, NotFoundError, ValidationError
from app.models import Staff
from app.models.enums import StaffRole
from app.services.access import Action, require

NAME_MAX = 120


@dataclass(frozen=True)
class StaffRow:
    id: int | None
    name: str
    role: StaffRole
    active: bool = True


def _row(st: Staff) -> StaffRow:
    return StaffRow(id=st.id, name=st.name, role=StaffRole(st.role), active=bool(st.active))


def _order_key(row: StaffRow) -> tuple[str, int]:
    return (row.name.casefold(), row.id or 0)


def list_staff(session: Session, *, active_only: bool = False) -> list[StaffRow]:
    """Everybody (or only the active), ordered by name case-insensitively, then id."""
    query = select(Staff)
    if active_only:
        query = query.where(Staff.active.is_(True))
    return sorted((_row(st) for st in session.scalars(query)), key=_order_key)


def validate_staff(session: Session, rows: list[StaffRow]) -> list[FieldError]:
    """The errors ``save_staff`` would raise for ``rows``, checked against the people
    already stored (rows not mentioned keep their stored role and state)."""
    errors: list[FieldError] = []
    for i, row in enumerate(rows):
        name = (row.name or "").strip()
        if not name:
            errors.append(FieldError(f"name:{i}", "staff.name_required", "a name is required"))
        elif len(name) > NAME_MAX:
            errors.append(FieldError(f"name:{i}", "text.too_long", "the name is too long",
                                     {"maximum": NAME_MAX}))
    # who is an active owner once the rows are applied
    after = {st.id: (StaffRole(st.role), bool(st.active)) for st in session.scalars(select(Staff))}
    new_owner = False
    for row in rows:
        if row.id is None:
            new_owner = new_owner or (row.role == StaffRole.OWNER and row.active)
        else:
            after[row.id] = (StaffRole(row.role), row.active)
    if not new_owner and not any(role == StaffRole.OWNER and active
                                 for role, active in after.values()):
        errors.append(FieldError("role", "staff.owner_required",
                                 "at least one active owner is required"))
    return errors


def save_staff(session: Session, rows: list[StaffRow]) -> None:
    """Insert the rows without an id, update the others; all or nothing.

    Raises ``ValidationError`` (codes ``staff.name_required`` and ``text.too_long`` on
    field ``name:<index in rows>``, ``staff.owner_required`` on field ``role``) and
    ``NotFoundError("staff.not_found")`` for an id that does not exist."""
    require(session, Action.STAFF)
    for row in rows:
        if row.id is not None and session.get(Staff, row.id) is None:
            raise NotFoundError("staff.not_found", "staff not found", staff_id=row.id)
    errors = validate_staff(session, rows)
    if errors:
        raise ValidationError(errors)
    for row in rows:
        name, role = row.name.strip(), StaffRole(row.role)
        if row.id is None:
            session.add(Staff(name=name, role=role, active=bool(row.active)))
        else:
            st = session.get(Staff, row.id)
            st.name, st.role, st.active = name, role, bool(row.active)
    session.flush()


def ensure_owner(session: Session, name: str) -> int:
    """At first start: a database without staff gets one active owner called ``name``
    (so somebody may always approve). Returns that owner's id, or else the id of the
    first active owner, or else of the first person stored."""
    owner = session.scalar(select(Staff).where(Staff.role == StaffRole.OWNER,
                                               Staff.active.is_(True)).order_by(Staff.id))
    if owner is not None:
        return owner.id
    first = session.scalar(select(Staff).order_by(Staff.id))
    if first is not None:
        return first.id
    owner = Staff(name=(name.strip() or "Owner")[:NAME_MAX], role=StaffRole.OWNER, active=True)
    session.add(owner)
    session.flush()
    return owner.id
