"""Settings → Staff: adding, editing and deactivating people, with the errors shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import func, select

from app.models import Staff
from app.models.enums import StaffRole
from app.services import settings as settings_service
from app.services.staff import StaffRow, list_staff, save_staff
from app.ui import messages
from app.ui.app import first_use
from app.ui.ops import Changes, Entity
from app.ui.settings_page import SettingsPage
from app.ui.staff_settings import StaffColumn, StaffSettings, role_label


def _owner(db, name="Ewa Owner") -> int:
    with db.session() as s:
        s.add(Staff(name=name, role=StaffRole.OWNER, active=True))
        s.flush()
        return s.scalar(select(Staff.id).where(Staff.name == name))


def _page(qtbot, ops) -> StaffSettings:
    """The Staff tab of a shown settings page (the page is kept alive with the tab)."""
    page = SettingsPage(ops)
    _pages.append(page)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentWidget(page.staff)
    assert page.tabs.tabText(page.tabs.currentIndex()) == "Staff"
    return page.staff


_pages: list[SettingsPage] = []


@pytest.fixture(autouse=True)
def _release_pages():
    yield
    _pages.clear()


def _count(db) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(Staff))


def test_add_a_person_type_a_name_choose_a_role_and_save(qtbot, ops, db):
    _owner(db)
    staff = _page(qtbot, ops)
    assert staff.table.rowCount() == 1
    assert staff.role_combo(0).currentText() == "Owner"
    qtbot.mouseClick(staff.add_button, Qt.MouseButton.LeftButton)
    assert staff.table.rowCount() == 2
    # the new row's name is open for typing
    editors = staff.table.viewport().findChildren(QLineEdit)
    assert len(editors) == 1 and editors[0].isVisible()
    editor = editors[0]
    qtbot.keyClicks(editor, "Marek Nowak")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: staff.table.item(1, StaffColumn.NAME).text() == "Marek Nowak")
    combo = staff.role_combo(1)
    assert [combo.itemText(i) for i in range(combo.count())] == \
        ["Owner", "Manager", "Receptionist"]
    assert combo.currentData() == "receptionist"
    combo.setCurrentIndex(combo.findData("manager"))
    qtbot.mouseClick(staff.save_button, Qt.MouseButton.LeftButton)
    assert not staff.error.isVisible()
    assert staff.status.text() == "Saved."
    with db.sessions() as s:
        rows = list_staff(s)
    assert [(r.name, r.role, r.active) for r in rows] == [
        ("Ewa Owner", StaffRole.OWNER, True), ("Marek Nowak", StaffRole.MANAGER, True)]
    # reloaded from the database: the new person now has an id
    assert staff.table.item(1, StaffColumn.NAME).data(Qt.ItemDataRole.UserRole) == rows[1].id


def test_an_empty_name_shows_the_error_and_saves_nothing(qtbot, ops, db):
    _owner(db)
    staff = _page(qtbot, ops)
    staff.add_person()
    assert not staff.save()
    assert staff.error.isVisible()
    assert staff.error.text() != ""
    assert staff.table.currentRow() == 1
    assert staff.table.item(1, StaffColumn.NAME).background().color().name() == "#fee2e2"
    assert staff.table.rowCount() == 2  # the unsaved row stays for correcting
    assert _count(db) == 1
    # correcting it saves and clears the error
    staff.table.item(1, StaffColumn.NAME).setText("Jan")
    assert staff.save()
    assert not staff.error.isVisible()
    assert _count(db) == 2


def test_a_name_still_being_typed_is_saved(qtbot, ops, db):
    _owner(db)
    staff = _page(qtbot, ops)
    staff.add_person()
    (editor,) = staff.table.viewport().findChildren(QLineEdit)
    qtbot.keyClicks(editor, "Jan Typed")
    assert staff.save()
    with db.sessions() as s:
        assert "Jan Typed" in [r.name for r in list_staff(s)]


def test_deactivating_the_only_owner_shows_the_owner_error(qtbot, ops, db):
    owner = _owner(db)
    staff = _page(qtbot, ops)
    staff.table.item(0, StaffColumn.ACTIVE).setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(staff.save_button, Qt.MouseButton.LeftButton)
    assert staff.error.isVisible()
    with db.sessions() as s:
        assert s.get(Staff, owner).active is True
    # making the only owner a receptionist is refused the same way
    staff.table.item(0, StaffColumn.ACTIVE).setCheckState(Qt.CheckState.Checked)
    combo = staff.role_combo(0)
    combo.setCurrentIndex(combo.findData("receptionist"))
    assert not staff.save()
    assert staff.error.isVisible()
    with db.sessions() as s:
        assert s.get(Staff, owner).role == StaffRole.OWNER


def test_error_texts_come_from_the_codes(qtbot, ops, db, monkeypatch):
    """The label shows what messages.py makes of each code (the same path every form uses)."""
    seen = []
    real = messages.text_for

    def spy(code, values, fallback=""):
        seen.append(code)
        return real(code, values, fallback)

    monkeypatch.setattr(messages, "text_for", spy)
    _owner(db)
    staff = _page(qtbot, ops)
    staff.table.item(0, StaffColumn.NAME).setText("")
    staff.table.item(0, StaffColumn.ACTIVE).setCheckState(Qt.CheckState.Unchecked)
    assert not staff.save()
    assert seen == ["staff.name_required", "staff.owner_required"]
    assert len(staff.error.text().splitlines()) == 2


def test_reloads_when_staff_change_elsewhere(qtbot, ops, db):
    owner = _owner(db)
    staff = _page(qtbot, ops)
    ops.run(None, lambda s: save_staff(s, [StaffRow(None, "Added Elsewhere",
                                                    StaffRole.MANAGER, True)]),
            source=object())
    qtbot.waitUntil(lambda: [staff.table.item(r, StaffColumn.NAME).text()
                             for r in range(staff.table.rowCount())] ==
                    ["Added Elsewhere", "Ewa Owner"])  # after the event, once
    # its own save does not reload twice from the bus, and other kinds are ignored
    ops.bus.changed.emit(Changes(frozenset({Entity.CLIENT})))
    assert staff.table.item(1, StaffColumn.NAME).data(Qt.ItemDataRole.UserRole) == owner


def test_role_label_is_shared():
    assert role_label(StaffRole.OWNER) == "Owner"
    assert role_label(StaffRole.RECEPTIONIST) == "Receptionist"


def test_first_use_gives_an_owner_even_when_the_region_is_set(db, qapp):
    with db.session() as s:
        settings_service.put(s, "business.region", "PL")
    first_use(db, QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    with db.sessions() as s:
        rows = list_staff(s)
    assert [(r.name, r.role, r.active) for r in rows] == [("Owner", StaffRole.OWNER, True)]
    first_use(db, QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    assert _count(db) == 1


def test_a_refused_save_clears_the_earlier_saved(qtbot, ops, db):
    _owner(db)
    staff = _page(qtbot, ops)
    qtbot.mouseClick(staff.save_button, Qt.MouseButton.LeftButton)
    assert staff.status.text() == "Saved."
    # the only owner made inactive: refused
    item = staff.table.item(0, StaffColumn.ACTIVE)
    item.setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(staff.save_button, Qt.MouseButton.LeftButton)
    assert staff.error.isVisible()
    assert "Saved." not in staff.status.text()
    assert staff.status.text() == "Nothing was saved."
    with db.sessions() as s:
        assert [r.active for r in list_staff(s)] == [True]
