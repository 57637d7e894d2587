"""Signing in (issue 17), key by key: the first owner, the sign-in with its lockout said
beside the password, a Cyrillic password, the window of a receptionist (the pages and
entries the role may not use greyed with the reason), and Settings → Staff (a password
for somebody, logins turned on only once the owner has a password)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from app.enums import StaffRole
from app.models import Staff
from app.services import auth
from app.services.access import Actor
from app.ui.main_window import MainWindow, Page
from app.ui.sign_in import FirstOwnerDialog, PasswordDialog, SignInDialog, sign_in_at_start
from app.ui.staff_settings import StaffColumn
from tests.ui.keys import type_keys
from tests.ui.modal import answer_modal

T0 = datetime(2026, 12, 2, 9, 0)


def _person(db, name: str, role: StaffRole, password: str | None = None) -> int:
    with db.session() as s:
        person = Staff(name=name, role=role, active=True)
        s.add(person)
        s.flush()
        if password:
            auth.set_password(s, person.id, password)
        return person.id


def _ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def test_the_first_owner_is_made_with_a_password_typed_twice(qtbot, db):
    dlg = FirstOwnerDialog(db)
    qtbot.addWidget(dlg)
    dlg.show()
    type_keys(qtbot, dlg.name, "Małgorzata")
    type_keys(qtbot, dlg.password, "short")
    type_keys(qtbot, dlg.repeat, "short")
    _ok(qtbot, dlg)
    assert dlg.isVisible() and dlg.errors["password"].text() == "Use at least 8 characters."
    for field in (dlg.password, dlg.repeat):
        field.clear()
    type_keys(qtbot, dlg.password, "długie hasło")
    type_keys(qtbot, dlg.repeat, "długie hasłO")
    _ok(qtbot, dlg)
    assert dlg.errors["repeat"].text() == "The two passwords are not the same."
    assert dlg.errors["password"].isHidden()
    dlg.repeat.clear()
    type_keys(qtbot, dlg.repeat, "długie hasło")
    _ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.actor.name == "Małgorzata" and dlg.actor.role == StaffRole.OWNER
    with db.session() as s:  # the password as typed, Polish letters and all
        assert auth.sign_in(s, dlg.actor.staff_id, "długie hasło", T0) == dlg.actor


def test_signing_in_says_the_tries_left_then_the_wait(qtbot, db):
    pid = _person(db, "Анна Иванова", StaffRole.RECEPTIONIST, "пароль-секрет")
    _person(db, "Boss", StaffRole.OWNER, "owner password")
    now = [T0]
    dlg = SignInDialog(db, clock=lambda: now[0])
    qtbot.addWidget(dlg)
    dlg.show()
    names = [dlg.person.itemText(i) for i in range(dlg.person.count())]
    assert names == ["Boss (Owner)", "Анна Иванова (Receptionist)"]
    dlg.person.setCurrentIndex(1)
    for left in (4, 3, 2, 1):
        type_keys(qtbot, dlg.password, "неверный")
        _ok(qtbot, dlg)
        assert dlg.errors["password"].text() == \
            f"Wrong password. Tries left before signing in waits a while: {left}."
        assert dlg.password.text() == ""  # never left in the field
    type_keys(qtbot, dlg.password, "неверный")
    _ok(qtbot, dlg)
    assert dlg.errors["password"].text() == "Too many wrong passwords: try again in 30 s."
    type_keys(qtbot, dlg.password, "пароль-секрет")  # right, but still locked
    _ok(qtbot, dlg)
    assert "try again in" in dlg.errors["password"].text() and dlg.isVisible()
    now[0] = T0 + timedelta(seconds=31)
    type_keys(qtbot, dlg.password, "пароль-секрет")
    _ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.actor == Actor(pid, "Анна Иванова", StaffRole.RECEPTIONIST)


def test_no_sign_in_is_asked_where_logins_are_off(qtbot, db):
    _person(db, "Boss", StaffRole.OWNER, "owner password")
    assert sign_in_at_start(db) is True and db.actor is None


def test_with_logins_on_the_start_signs_in_first(qtbot, db):
    pid = _person(db, "Boss", StaffRole.OWNER, "owner password")
    with db.session() as s:
        auth.set_logins(s, True)

    def answer(dlg):
        type_keys(qtbot, dlg.password, "owner password")
        _ok(qtbot, dlg)

    seen = answer_modal(SignInDialog, answer)
    assert sign_in_at_start(db) is True
    assert seen == ["SignInDialog"]
    assert db.actor == Actor(pid, "Boss", StaffRole.OWNER)
    with db.sessions() as s:
        assert s.info["actor"] == db.actor


def test_cancelling_the_sign_in_opens_no_window(qtbot, db):
    _person(db, "Boss", StaffRole.OWNER, "owner password")
    with db.session() as s:
        auth.set_logins(s, True)
    seen = answer_modal(SignInDialog, lambda dlg: dlg.reject())
    assert sign_in_at_start(db) is False and seen == ["SignInDialog"] and db.actor is None


def test_a_receptionists_window_greys_what_the_role_may_not_use(qtbot, db, ops):
    pid = _person(db, "Desk", StaffRole.RECEPTIONIST, "desk password")
    db.sign_in(Actor(pid, "Desk", StaffRole.RECEPTIONIST))
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    signed = w.statusBar().findChild(type(w.risk_line), "signedIn")
    assert signed.text() == "Signed in: Desk (Receptionist)"
    for page in (Page.CHARTS, Page.SETTINGS):
        assert not w.nav.item(page).flags() & Qt.ItemFlag.ItemIsEnabled
    assert w.nav.item(Page.TODAY).flags() & Qt.ItemFlag.ItemIsEnabled
    assert not w._import_act.isEnabled() and not w._export_act.isEnabled()
    w.nav.setCurrentRow(Page.TODAY)
    w.nav.setCurrentRow(Page.CHARTS)  # what Ctrl+5 does
    assert w.pages.currentIndex() == Page.TODAY and w.nav.currentRow() == Page.TODAY
    assert w.statusBar().currentMessage() == "The charts are for managers and the owner."
    assert Page.CHARTS not in w.built_pages()
    assert w._password_act.isVisible()
    w.ops.wait(timeout_ms=30_000)


def test_a_manager_may_open_the_charts_not_the_settings(qtbot, db, ops):
    pid = _person(db, "Kierownik", StaffRole.MANAGER, "manager password")
    db.sign_in(Actor(pid, "Kierownik", StaffRole.MANAGER))
    w = MainWindow(ops)
    qtbot.addWidget(w)
    w.show()
    assert w.nav.item(Page.CHARTS).flags() & Qt.ItemFlag.ItemIsEnabled
    assert not w.nav.item(Page.SETTINGS).flags() & Qt.ItemFlag.ItemIsEnabled
    assert w._import_act.isEnabled() and w._export_act.isEnabled()
    w.ops.wait(timeout_ms=30_000)


def test_change_my_password_from_the_file_menu(qtbot, db, ops):
    pid = _person(db, "Desk", StaffRole.RECEPTIONIST, "desk password")
    db.sign_in(Actor(pid, "Desk", StaffRole.RECEPTIONIST))
    w = MainWindow(ops)
    qtbot.addWidget(w)

    def answer(dlg):
        type_keys(qtbot, dlg.password, "a new one!")
        type_keys(qtbot, dlg.repeat, "a new one!")
        _ok(qtbot, dlg)

    seen = answer_modal(PasswordDialog, answer)
    w._password_act.trigger()
    assert seen == ["PasswordDialog"]
    with db.session() as s:
        assert auth.sign_in(s, pid, "a new one!", T0).staff_id == pid
    w.ops.wait(timeout_ms=30_000)


@pytest.fixture
def staff_tab(qtbot, ops):
    from app.ui.settings_page import SettingsPage
    page = SettingsPage(ops)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentWidget(page.staff)
    return page.staff


def test_logins_turn_on_only_once_the_owner_has_a_password(qtbot, db, staff_tab):
    owner = _person(db, "Ewa Owner", StaffRole.OWNER)
    staff_tab.load()
    assert staff_tab.logins is not None and not staff_tab.logins.isChecked()
    staff_tab.logins.click()
    assert not staff_tab.logins.isChecked()
    assert staff_tab.error.text().startswith("Give the owner a password first")
    row = next(r for r in range(staff_tab.table.rowCount())
               if staff_tab.table.item(r, StaffColumn.NAME).text() == "Ewa Owner")
    assert staff_tab.table.item(row, StaffColumn.PASSWORD).text() == ""
    staff_tab.table.setCurrentCell(row, StaffColumn.NAME)

    def answer(dlg):
        type_keys(qtbot, dlg.password, "owner password")
        type_keys(qtbot, dlg.repeat, "owner password")
        _ok(qtbot, dlg)

    seen = answer_modal(PasswordDialog, answer)
    qtbot.mouseClick(staff_tab.password_button, Qt.MouseButton.LeftButton)
    assert seen == ["PasswordDialog"]
    row = next(r for r in range(staff_tab.table.rowCount())
               if staff_tab.table.item(r, StaffColumn.NAME).text() == "Ewa Owner")
    assert staff_tab.table.item(row, StaffColumn.PASSWORD).text() == "yes"
    staff_tab.logins.click()
    assert staff_tab.logins.isChecked() and staff_tab.error.isHidden()
    with db.sessions() as s:
        assert auth.logins_required(s)
        assert s.scalar(select(Staff.password_hash).where(Staff.id == owner)).startswith(
            "$argon2id$")
