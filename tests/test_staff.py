"""Staff service: listing, saving with validation, and the first owner."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.errors import NotFoundError, ValidationError
from app.models import Staff
from app.models.enums import StaffRole
from app.services.staff import StaffRow, ensure_owner, list_staff, save_staff


def _add(db, *people: tuple[str, StaffRole, bool]) -> list[int]:
    with db.session() as s:
        rows = [Staff(name=n, role=r, active=a) for n, r, a in people]
        s.add_all(rows)
        s.flush()
        return [st.id for st in rows]


def _codes(exc: ValidationError) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in exc.errors]


def test_list_is_ordered_by_name_case_insensitively_and_filters_inactive(db):
    ids = _add(db, ("zofia", StaffRole.OWNER, True), ("Adam", StaffRole.MANAGER, False),
               ("bartek", StaffRole.RECEPTIONIST, True))
    with db.sessions() as s:
        everybody = list_staff(s)
        active = list_staff(s, active_only=True)
    assert [r.name for r in everybody] == ["Adam", "bartek", "zofia"]
    assert everybody[0] == StaffRow(id=ids[1], name="Adam", role=StaffRole.MANAGER, active=False)
    assert isinstance(everybody[0].role, StaffRole)
    assert [r.name for r in active] == ["bartek", "zofia"]


def test_save_inserts_new_rows_and_updates_existing(db):
    (owner,) = _add(db, ("Ewa", StaffRole.OWNER, True))
    with db.session() as s:
        save_staff(s, [
            StaffRow(id=None, name="  Marek Nowak ", role=StaffRole.MANAGER, active=True),
            StaffRow(id=owner, name="Ewa Kowalska", role=StaffRole.OWNER, active=True),
        ])
    with db.sessions() as s:
        rows = list_staff(s)
    assert [(r.name, r.role, r.active) for r in rows] == [
        ("Ewa Kowalska", StaffRole.OWNER, True),
        ("Marek Nowak", StaffRole.MANAGER, True),
    ]
    assert rows[0].id == owner
    # deactivating a non-owner keeps the person
    marek = rows[1]
    with db.session() as s:
        save_staff(s, [StaffRow(marek.id, marek.name, StaffRole.RECEPTIONIST, False)])
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Staff)) == 2
        st = s.get(Staff, marek.id)
        assert (st.role, st.active) == (StaffRole.RECEPTIONIST, False)


def test_empty_name_is_required_and_nothing_is_saved(db):
    _add(db, ("Ewa", StaffRole.OWNER, True))
    with db.session() as s, pytest.raises(ValidationError) as info:
        save_staff(s, [StaffRow(None, "Jan", StaffRole.MANAGER, True),
                       StaffRow(None, "   ", StaffRole.RECEPTIONIST, True)])
    assert _codes(info.value) == [("name:1", "staff.name_required")]
    with db.sessions() as s:
        assert [r.name for r in list_staff(s)] == ["Ewa"]


def test_name_longer_than_120_characters_is_refused(db):
    _add(db, ("Ewa", StaffRole.OWNER, True))
    with db.session() as s:
        save_staff(s, [StaffRow(None, "x" * 120, StaffRole.MANAGER, True)])  # at the limit
    with db.session() as s, pytest.raises(ValidationError) as info:
        save_staff(s, [StaffRow(None, "y" * 121, StaffRole.MANAGER, True)])
    err = info.value.for_field("name:0")
    assert (err.code, err.values) == ("text.too_long", {"maximum": 120})
    with db.sessions() as s:
        assert len(list_staff(s)) == 2


@pytest.mark.parametrize("change", [
    {"active": False},
    {"role": StaffRole.RECEPTIONIST},
    {"role": StaffRole.MANAGER, "active": False},
])
def test_the_only_active_owner_must_remain(db, change):
    owner, _manager = _add(db, ("Ewa", StaffRole.OWNER, True), ("Jan", StaffRole.MANAGER, True))
    row = {"id": owner, "name": "Ewa", "role": StaffRole.OWNER, "active": True} | change
    with db.session() as s, pytest.raises(ValidationError) as info:
        save_staff(s, [StaffRow(**row)])
    assert _codes(info.value) == [("role", "staff.owner_required")]
    with db.sessions() as s:
        st = s.get(Staff, owner)
        assert (st.role, st.active) == (StaffRole.OWNER, True)


def test_an_inactive_owner_does_not_count(db):
    _old, new = _add(db, ("Ewa", StaffRole.OWNER, False), ("Jan", StaffRole.OWNER, True))
    with db.session() as s, pytest.raises(ValidationError) as info:
        save_staff(s, [StaffRow(new, "Jan", StaffRole.OWNER, False)])
    assert _codes(info.value) == [("role", "staff.owner_required")]


def test_owner_may_step_down_when_another_takes_over_in_the_same_save(db):
    (owner,) = _add(db, ("Ewa", StaffRole.OWNER, True))
    with db.session() as s:
        save_staff(s, [StaffRow(owner, "Ewa", StaffRole.OWNER, False),
                       StaffRow(None, "Piotr", StaffRole.OWNER, True)])
    with db.sessions() as s:
        assert [(r.name, r.active) for r in list_staff(s, active_only=True)] == [("Piotr", True)]


def test_several_errors_are_reported_together(db):
    (owner,) = _add(db, ("Ewa", StaffRole.OWNER, True))
    with db.session() as s, pytest.raises(ValidationError) as info:
        save_staff(s, [StaffRow(owner, "", StaffRole.MANAGER, True)])
    assert _codes(info.value) == [("name:0", "staff.name_required"),
                                  ("role", "staff.owner_required")]


def test_unknown_id_is_not_found(db):
    _add(db, ("Ewa", StaffRole.OWNER, True))
    with db.session() as s, pytest.raises(NotFoundError) as info:
        save_staff(s, [StaffRow(999, "Ghost", StaffRole.MANAGER, True)])
    assert info.value.code == "staff.not_found"


def test_ensure_owner_creates_one_on_an_empty_table(db):
    with db.session() as s:
        new_id = ensure_owner(s, "Owner")
    with db.session() as s:
        assert ensure_owner(s, "Somebody else") == new_id  # idempotent
    with db.sessions() as s:
        assert list_staff(s) == [StaffRow(new_id, "Owner", StaffRole.OWNER, True)]


def test_ensure_owner_returns_the_first_active_owner(db):
    ids = _add(db, ("Ann", StaffRole.MANAGER, True), ("Bob", StaffRole.OWNER, False),
                ("Cid", StaffRole.OWNER, True), ("Dan", StaffRole.OWNER, True))
    with db.session() as s:
        assert ensure_owner(s, "Owner") == ids[2]
    with db.sessions() as s:
        assert len(list_staff(s)) == 4


def test_ensure_owner_without_an_active_owner_returns_the_first_person(db):
    ids = _add(db, ("Ann", StaffRole.MANAGER, True), ("Bob", StaffRole.OWNER, False))
    with db.session() as s:
        assert ensure_owner(s, "Owner") == ids[0]
    with db.sessions() as s:
        assert len(list_staff(s)) == 2
