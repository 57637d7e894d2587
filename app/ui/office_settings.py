"""Settings → Office server: which PostgreSQL server this PC opens at its start (issue
17). The owner types the server's name, port, database, user and password, tests the
connection (the result beside the button), then uses the server on this PC, or goes
back to this PC's own file. The test, the keyring and the choice's file are worked on
the database executor; the choice takes effect at the next start."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app import palette
from app.errors import DomainError, ValidationError
from app.office_choice import DEFAULT_PORT, ServerChoice
from app.services import office
from app.text import subst
from app.ui.messages import error_text, field_error_text
from app.ui.ops import Ops
from app.ui.widgets import ErrorLabel

FIELDS = ("host", "port", "database", "user")


def _status(label: QLabel, text: str, ok: bool) -> None:
    label.setText(text)
    label.setStyleSheet(f"color: {palette.SUCCESS if ok else palette.ERROR};")


class _FitsItsWidth:
    """A wrapped label as high as its text at the width it has: in a row of a form, a
    plain wrapped QLabel asks for the height of its text at a narrow width (two or
    three lines for one)."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self.width() > hint.width():
            hint.setHeight(self.heightForWidth(self.width()))
        return hint

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.updateGeometry()


class WrappedLine(_FitsItsWidth, QLabel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)


class WrappedError(_FitsItsWidth, ErrorLabel):
    """An :class:`~app.ui.widgets.ErrorLabel` that fits its width."""


class OfficeSettings(QWidget):
    """Settings → Office server."""

    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("officeSettings")
        self.ops = ops
        #: (the choice, the password as typed) of the last test that passed: saving
        #: needs exactly these values
        self.passed: tuple[ServerChoice, str] | None = None
        self.report: office.ConnectionReport | None = None
        self.remembered: ServerChoice | None = None
        #: the values the keyring keeps a password for (None: none kept, or not asked)
        self.kept_for: ServerChoice | None = None
        self.job = None  # the last test, save or forget on the executor

        self.current = QLabel()
        self.current.setObjectName("officeCurrent")
        self.current.setWordWrap(True)
        self.next_start = QLabel()
        self.next_start.setObjectName("officeNextStart")
        self.next_start.setWordWrap(True)
        now = QGroupBox(self.tr("This PC"))
        now_lay = QVBoxLayout(now)
        now_lay.addWidget(self.current)
        now_lay.addWidget(self.next_start)

        self.host = QLineEdit()
        self.host.setObjectName("officeHost")
        self.host.setPlaceholderText(self.tr("the server's name or IP address, such as "
                                             "192.168.1.10"))
        self.port = QSpinBox()
        self.port.setObjectName("officePort")
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setGroupSeparatorShown(False)
        self.port.setMaximumWidth(120)
        self.database = QLineEdit()
        self.database.setObjectName("officeDatabase")
        self.database.setPlaceholderText(self.tr("such as clientcare"))
        self.user = QLineEdit()
        self.user.setObjectName("officeUser")
        self.password = QLineEdit()
        self.password.setObjectName("officePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors = {f: WrappedError() for f in FIELDS}
        for name, label in self.errors.items():
            label.setObjectName(f"office{name.capitalize()}Error")
        self.test_button = QPushButton(self.tr("Test the connection"))
        self.test_button.setObjectName("officeTestButton")
        self.status = WrappedLine()
        self.status.setObjectName("officeStatus")
        self.use_button = QPushButton(self.tr("Use this server on this PC"))
        self.use_button.setObjectName("officeUseButton")
        self.own_button = QPushButton(self.tr("Use this PC's own file"))
        self.own_button.setObjectName("officeOwnFileButton")
        self.use_error = WrappedError()
        self.use_error.setObjectName("officeUseError")
        self.saved = WrappedLine()
        self.saved.setObjectName("officeSaved")

        box = QGroupBox(self.tr("Office server"))
        form = QFormLayout(box)
        form.addRow(self.tr("Server"), self.host)
        form.addRow("", self.errors["host"])
        form.addRow(self.tr("Port"), self.port)
        form.addRow("", self.errors["port"])
        form.addRow(self.tr("Database"), self.database)
        form.addRow("", self.errors["database"])
        form.addRow(self.tr("User"), self.user)
        form.addRow("", self.errors["user"])
        form.addRow(self.tr("Password"), self.password)
        test = QHBoxLayout()
        test.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        test.addWidget(self.status, 1)
        form.addRow("", test)
        use = QHBoxLayout()
        use.addWidget(self.use_button)
        use.addWidget(self.own_button)
        use.addStretch(1)
        form.addRow("", use)
        form.addRow("", self.use_error)
        form.addRow("", self.saved)
        note = QLabel(self.tr(
            "Every PC of the office opens the same database on the server. Test the "
            "connection first; the choice takes effect at the next start of ClientCare. "
            "The password is kept in this PC's system keyring, never in a file or in the "
            "database. If the server is down at a start, ClientCare offers this PC's own "
            "file."))
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {palette.SECONDARY_TEXT};")
        lay = QVBoxLayout(self)
        lay.addWidget(now)
        lay.addWidget(box)
        lay.addWidget(note)
        lay.addStretch(1)

        for edit in (self.host, self.database, self.user, self.password):
            edit.textEdited.connect(self._changed)
        self.port.valueChanged.connect(self._changed)
        self.test_button.clicked.connect(lambda: self.test())  # not the "checked" flag
        self.use_button.clicked.connect(lambda: self.use())
        self.own_button.clicked.connect(lambda: self.use_own_file())
        self.load()

    # -- what is shown
    def load(self) -> None:
        """The window's database, the remembered choice (its values in the fields), and
        whether its password is kept."""
        db = self.ops.db
        if db.on_server:
            from sqlalchemy.engine import make_url  # the window's URL was parsed at open

            url = make_url(db.url or "")
            self.current.setText(subst(self.tr(
                "This window works on the office server “%1”, port %2, database “%3”, "
                "as the user “%4”."), url.host or "localhost", url.port or DEFAULT_PORT,
                url.database or "", url.username or ""))
            here = ServerChoice(url.host or "localhost", url.port or DEFAULT_PORT,
                                url.database or "", url.username or "")
        else:
            self.current.setText(subst(self.tr("This window works on this PC's own file "
                                               "“%1”."), db.path))
            here = None
        try:
            self.remembered = office.load_choice()
        except DomainError as exc:
            self.remembered = None
            _status(self.next_start, error_text(exc), False)
        else:
            self._show_next_start()
        shown = self.remembered or here
        if shown is not None:
            self.host.setText(shown.host)
            self.port.setValue(shown.port)
            self.database.setText(shown.database)
            self.user.setText(shown.user)
        self.own_button.setEnabled(self.remembered is not None)
        self._ask_kept_password()

    def _show_next_start(self) -> None:
        c = self.remembered
        if c is None:
            text = self.tr("At its next start, ClientCare on this PC opens this PC's own "
                           "file.")
        else:
            text = subst(self.tr("At its next start, ClientCare on this PC opens the office "
                                 "server “%1”, port %2, database “%3”, as the user “%4”."),
                         c.host, c.port, c.database, c.user)
        self.next_start.setText(text)
        self.next_start.setStyleSheet("")

    def _ask_kept_password(self) -> None:
        """Whether the keyring keeps a password for the values shown (on the executor:
        a keyring may take its time)."""
        self.kept_for = None
        self._show_kept()
        try:
            choice = self._choice()
        except ValidationError:
            return

        def done(kept: str | None) -> None:
            if isValid(self):
                self.kept_for = choice if kept else None
                self._show_kept()

        self.ops.submit_task(self, lambda _job: office.kept_password(choice),
                             label=self.tr("Reading the system keyring"),
                             on_done=done, on_error=lambda _exc: None)

    def _show_kept(self) -> None:
        """The empty password field says the password is kept while the values are those
        it is kept for (the test then uses it)."""
        try:
            same = self.kept_for is not None and self._choice() == self.kept_for
        except ValidationError:
            same = False
        self.password.setPlaceholderText(self.tr("kept in the system keyring") if same
                                         else "")

    def _changed(self, *_a) -> None:
        """A value changed: the test before says nothing about it."""
        self.passed = None
        self.status.setText("")
        self.use_error.set_error(None)
        self.saved.setText("")
        self._show_kept()

    # -- the values
    def _choice(self) -> ServerChoice:
        return office.check_choice(self.host.text(), self.port.value(),
                                   self.database.text(), self.user.text())

    def _checked(self) -> ServerChoice | None:
        """The values, or None with each wrong one said beside its field."""
        for label in self.errors.values():
            label.set_error(None)
        try:
            return self._choice()
        except ValidationError as exc:
            for e in exc.errors:
                self.errors.get(e.field, self.errors["host"]).set_error(field_error_text(e))
            return None

    # -- the actions
    def test(self) -> bool:
        """Try the values typed on the executor; the result beside the button. True when
        the test started."""
        choice = self._checked()
        if choice is None:
            return False
        typed = self.password.text()
        self.passed = None
        self.use_error.set_error(None)
        self.saved.setText("")
        self.status.setText(self.tr("Connecting…"))
        self.status.setStyleSheet(f"color: {palette.SECONDARY_TEXT};")
        self.test_button.setEnabled(False)

        def work(_job) -> office.ConnectionReport:
            password = typed or office.kept_password(choice)
            return office.test_connection(choice, password)

        def done(report: office.ConnectionReport) -> None:
            if not isValid(self):
                return
            self.test_button.setEnabled(True)
            self.report = report
            self.passed = (choice, typed)
            _status(self.status, self.report_text(report), True)

        def failed(exc: DomainError) -> None:
            if not isValid(self):
                return
            self.test_button.setEnabled(True)
            self.report = None
            _status(self.status, error_text(exc), False)

        self.job = self.ops.submit_task(self, work, label=self.tr("Testing the connection"),
                                        on_done=done, on_error=failed)
        return True

    def report_text(self, report: office.ConnectionReport) -> str:
        version = report.version.split()[0] if report.version else "?"
        if report.state == office.EMPTY:
            what = self.tr("The database is empty: ClientCare sets it up at the first start "
                           "on it.")
        elif report.state == office.OLDER:
            what = self.tr("The database was saved by an older ClientCare: it is updated at "
                           "the first start on it.")
        else:
            what = self.tr("The database is ready for this ClientCare.")
        return subst(self.tr("Connected to PostgreSQL %1."), version) + " " + what

    def use(self) -> bool:
        """Keep the values (after a test of exactly them that passed) for the next
        start. True when the save started."""
        choice = self._checked()
        if choice is None:
            return False
        typed = self.password.text()
        if self.passed != (choice, typed):
            self.use_error.set_error(self.tr(
                "Test the connection first: this PC uses the server only after a test of "
                "these values that passes."))
            return False
        self.use_error.set_error(None)
        actor = self.ops.db.actor

        def work(_job) -> ServerChoice:
            return office.remember(choice, typed or None, actor=actor)

        def done(saved: ServerChoice) -> None:
            if not isValid(self):
                return
            self.remembered = saved
            self.password.clear()
            if typed:
                self.kept_for = saved
            self._show_kept()
            self.passed = (saved, "")
            self.own_button.setEnabled(True)
            self._show_next_start()
            _status(self.saved, self.tr("Saved. ClientCare on this PC opens this server from "
                                        "its next start."), True)

        def failed(exc: DomainError) -> None:
            if isValid(self):
                _status(self.saved, error_text(exc), False)

        self.job = self.ops.submit_task(self, work, label=self.tr("Saving the office server"),
                                        on_done=done, on_error=failed)
        return True

    def use_own_file(self) -> bool:
        """Forget the server chosen for this PC, and its password. True when started."""
        actor = self.ops.db.actor
        self.use_error.set_error(None)

        def work(_job) -> ServerChoice | None:
            return office.forget(actor=actor)

        def done(_forgotten) -> None:
            if not isValid(self):
                return
            self.remembered = None
            self.password.clear()
            self.kept_for = None
            self._show_kept()
            self.passed = None
            self.own_button.setEnabled(False)
            self._show_next_start()
            _status(self.saved, self.tr("Forgotten. ClientCare on this PC opens its own file "
                                        "from its next start."), True)

        def failed(exc: DomainError) -> None:
            if isValid(self):
                _status(self.saved, error_text(exc), False)

        self.job = self.ops.submit_task(self, work, label=self.tr("Forgetting the office "
                                                                  "server"),
                                        on_done=done, on_error=failed)
        return True
