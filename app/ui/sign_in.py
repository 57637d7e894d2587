"""Signing in (issue 17): the first owner of an office server, the sign-in dialog (a
person and a password, the lockout's wait said beside the field) and changing one's own
or, for the owner, somebody else's password. The checks are the services'
(app/services/auth.py); these dialogs only ask and show what was refused."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from app.db import Database
from app.errors import DomainError, ValidationError
from app.models import Staff
from app.services import auth
from app.services.access import Actor
from app.text import subst
from app.ui.labels import role_label
from app.ui.messages import error_text, field_error_text
from app.ui.widgets import ErrorLabel

log = logging.getLogger(__name__)
C = QCoreApplication


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class _Form(QDialog):
    """A small form whose OK runs ``attempt`` in its own transaction; a refusal is shown
    beside its field and the dialog stays open."""

    def __init__(self, db: Database, parent: QWidget | None, title: str, intro: str,
                 ok_text: str) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.errors: dict[str, ErrorLabel] = {}
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.general = ErrorLabel()
        lay = QVBoxLayout(self)
        lay.addWidget(intro_label)
        lay.addLayout(self.form)
        lay.addWidget(self.general)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def add_field(self, key: str, label: str, widget: QWidget) -> None:
        error = ErrorLabel()
        error.setObjectName(f"{key}Error")
        self.errors[key] = error
        box = QVBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(widget)
        box.addWidget(error)
        holder = QWidget()
        holder.setLayout(box)
        self.form.addRow(label, holder)

    def attempt(self, session) -> None:  # pragma: no cover - every form has its own
        raise NotImplementedError

    def _show(self, exc: DomainError) -> None:
        self._say(exc)
        self.adjustSize()  # a wrapped message gets the lines it needs

    def _say(self, exc: DomainError) -> None:
        for e in self.errors.values():
            e.set_error(None)
        self.general.set_error(None)
        if isinstance(exc, ValidationError):
            for fe in exc.errors:
                (self.errors.get(fe.field) or self.general).set_error(field_error_text(fe))
            return
        (self.errors.get(exc.field or "") or self.general).set_error(error_text(exc))

    def _ok(self) -> None:
        session = self.db.sessions()
        try:
            with session.begin():
                try:
                    self.attempt(session)
                except DomainError as exc:
                    # a wrong password is counted: commit the count, then say so
                    session.commit()
                    self._show(exc)
                    return
        finally:
            session.close()
        self.accept()


class FirstOwnerDialog(_Form):
    """The first start of an office server (or a file where logins are turned on with
    no owner password yet): the owner's name and password, twice."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, parent, self.tr("ClientCare — the owner"), self.tr(
            "Everyone signs in on this database. First, the owner: your name and a password "
            "of at least %n characters. You then add the staff and their passwords in "
            "Settings → Staff.", "", auth.MIN_PASSWORD), self.tr("Create the owner"))
        self.setObjectName("firstOwnerDialog")
        self.name = QLineEdit()
        self.name.setObjectName("ownerName")
        with db.sessions() as s:
            first = s.scalar(select(Staff.name).where(Staff.role == "owner",
                                                      Staff.active.is_(True))
                             .order_by(Staff.id).limit(1))
        self.name.setText(first or "")
        self.password = _password_field("ownerPassword")
        self.repeat = _password_field("ownerRepeat")
        self.add_field("name", self.tr("Name"), self.name)
        self.add_field("password", self.tr("Password"), self.password)
        self.add_field("repeat", self.tr("Password again"), self.repeat)
        self.actor: Actor | None = None

    def attempt(self, session) -> None:
        self.actor = auth.create_owner(session, self.name.text(), self.password.text(),
                                       self.repeat.text())


class SignInDialog(_Form):
    def __init__(self, db: Database, parent: QWidget | None = None,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        super().__init__(db, parent, self.tr("ClientCare — sign in"),
                         self.tr("Who is working at this desk?"), self.tr("Sign in"))
        self.setObjectName("signInDialog")
        self.clock = clock
        self.person = QComboBox()
        self.person.setObjectName("signInPerson")
        with db.sessions() as s:
            for p in auth.people_who_sign_in(s):
                self.person.addItem(subst(self.tr("%1 (%2)"), p.name, role_label(p.role)),
                                    p.staff_id)
        self.password = _password_field("signInPassword")
        self.add_field("person", self.tr("Name"), self.person)
        self.add_field("password", self.tr("Password"), self.password)
        self.password.setFocus()
        self.actor: Actor | None = None

    def attempt(self, session) -> None:
        try:
            self.actor = auth.sign_in(session, self.person.currentData(),
                                      self.password.text(), self.clock())
        finally:
            self.password.clear()


class PasswordDialog(_Form):
    """A new password for ``staff_id`` (one's own, or the owner's for somebody)."""

    def __init__(self, db: Database, staff_id: int, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(db, parent, self.tr("Password"), subst(self.tr(
            "A new password for %1, at least %2 characters."), name, str(auth.MIN_PASSWORD)),
            self.tr("Set the password"))
        self.setObjectName("passwordDialog")
        self.staff_id = staff_id
        self.password = _password_field("newPassword")
        self.repeat = _password_field("newRepeat")
        self.add_field("password", self.tr("Password"), self.password)
        self.add_field("repeat", self.tr("Password again"), self.repeat)

    def attempt(self, session) -> None:
        auth.set_password(session, self.staff_id, self.password.text(), self.repeat.text())


def sign_in_at_start(db: Database, parent: QWidget | None = None) -> bool:
    """Before the window shows: where logins are required, the first owner (once) and
    then the sign-in. False: the user cancelled (the window does not open)."""
    with db.sessions() as s:
        required = auth.logins_required(s)
        first = required and auth.needs_owner(s)
    if not required:
        return True
    if first:
        owner = FirstOwnerDialog(db, parent)
        if owner.exec() != QDialog.DialogCode.Accepted or owner.actor is None:
            return False
        db.sign_in(owner.actor)
        return True
    dialog = SignInDialog(db, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
        return False
    db.sign_in(dialog.actor)
    log.info("signed in: %s (%s)", dialog.actor.name, dialog.actor.role.value)
    return True
