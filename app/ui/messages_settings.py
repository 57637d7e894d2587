"""Settings → Messages: the templates (each kind in each language, for e-mail and SMS;
the placeholder check beside the field as you type and when saving; a preview with a
chosen client), the mail server (with "send a test message") and the SMS gateway (with
"send a test SMS"). Passwords and tokens go to the system keyring, never the database;
every network call and keyring write runs on the database executor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app import palette
from app.errors import DomainError, ValidationError
from app.models.enums import Channel
from app.services import clients as client_service
from app.services import settings as settings_service
from app.services.messages import config, secrets, segments, sending, templates
from app.services.messages.email import send_mail
from app.services.messages.sms import gateway_for
from app.services.messages.templates import TemplateData
from app.services.validation import normalize_phone
from app.text import subst
from app.ui import labels
from app.ui.message_dialog import kind_label, language_label, sms_count_text
from app.ui.messages import error_text, field_error_text
from app.ui.ops import Ops
from app.ui.progress import show_progress
from app.ui.widgets import ClientPicker, ErrorLabel


def _status(label: QLabel, text: str, ok: bool) -> None:
    label.setText(text)
    label.setStyleSheet(f"color: {palette.SUCCESS if ok else palette.ERROR};")


class TemplatesTab(QWidget):
    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.language = QComboBox()
        self.language.setObjectName("templateLanguage")
        for lang in templates.LANGUAGES:
            self.language.addItem(language_label(lang), lang)
        self.list = QListWidget()
        self.list.setObjectName("templateList")
        self.list.setFixedWidth(330)
        # a long kind in Bulgarian is cut with "…" (its whole name in the tooltip)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.subject = QLineEdit()
        self.subject.setObjectName("templateSubject")
        self.subject_error = ErrorLabel()
        self.subject_error.setObjectName("templateSubjectError")
        self.body = QPlainTextEdit()
        self.body.setObjectName("templateBody")
        self.body_error = ErrorLabel()
        self.body_error.setObjectName("templateBodyError")
        self.count = QLabel()
        self.count.setObjectName("templateCount")
        self.placeholders = QLineEdit(" ".join("{" + p + "}" for p in templates.PLACEHOLDERS))
        self.placeholders.setReadOnly(True)
        self.placeholders.setObjectName("templatePlaceholders")
        self.save_button = QPushButton(self.tr("Save the template"))
        self.save_button.setObjectName("saveTemplateButton")
        self.reset_button = QPushButton(self.tr("Back to ClientCare's text"))
        self.reset_button.setObjectName("resetTemplateButton")
        self.saved = QLabel()
        self.saved.setObjectName("templateSaved")
        self.preview_client = ClientPicker(lambda text: ops.read(
            lambda s: client_service.client_choices(s, text)))
        self.preview_client.setObjectName("previewClient")
        self.preview_client.setPlaceholderText(self.tr("Type a client's name"))
        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.setObjectName("previewButton")
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("templatePreview")
        self.preview.setReadOnly(True)
        self.preview.setMaximumHeight(120)
        self.preview_error = ErrorLabel()
        self.preview_error.setObjectName("previewError")

        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Subject"), self.subject)
        self.subject_label = form.labelForField(self.subject)
        form.addRow("", self.subject_error)
        form.addRow(self.tr("Text"), self.body)
        form.addRow("", self.body_error)
        form.addRow("", self.count)
        form.addRow(self.tr("Placeholders"), self.placeholders)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.reset_button)
        row.addWidget(self.saved, 1)
        form.addRow("", row)
        prev = QHBoxLayout()
        prev.addWidget(self.preview_client, 1)
        prev.addWidget(self.preview_button)
        form.addRow(self.tr("Preview with"), prev)
        form.addRow("", self.preview)
        form.addRow("", self.preview_error)
        lay = QHBoxLayout(self)
        lay.addWidget(self.list)
        lay.addLayout(form, 1)

        # the business's language first: its clients' messages
        lang = ops.read(templates.business_language)
        self.language.setCurrentIndex(max(0, self.language.findData(lang)))
        self.language.currentIndexChanged.connect(self.load)
        self.list.currentRowChanged.connect(self._show_current)
        self.subject.textEdited.connect(self.check)
        self.body.textChanged.connect(self.check)
        self.save_button.clicked.connect(lambda: self.save())  # not the "checked" flag
        self.reset_button.clicked.connect(self.reset)
        self.preview_button.clicked.connect(self.show_preview)
        self._templates: list[templates.Template] = []
        self.load()

    def current(self) -> templates.Template | None:
        r = self.list.currentRow()
        return self._templates[r] if 0 <= r < len(self._templates) else None

    def load(self) -> None:
        lang = self.language.currentData()
        row = max(0, self.list.currentRow())
        self._templates = self.ops.read(lambda s: templates.list_templates(s, lang))
        self.list.blockSignals(True)
        self.list.clear()
        for t in self._templates:
            text = f"{kind_label(t.kind)} — {labels.channel(t.channel)}"
            if t.edited:
                text += " " + self.tr("(edited)")
            QListWidgetItem(text, self.list).setToolTip(text)
        self.list.blockSignals(False)
        self.list.setCurrentRow(min(row, len(self._templates) - 1))
        self._show_current()

    def _show_current(self, *_a) -> None:
        t = self.current()
        if t is None:
            return
        email = t.channel == Channel.EMAIL
        self.subject.setVisible(email)
        if self.subject_label is not None:
            self.subject_label.setVisible(email)
        self.subject.setText(t.subject)
        self.body.blockSignals(True)
        self.body.setPlainText(t.body)
        self.body.blockSignals(False)
        self.reset_button.setEnabled(t.edited)
        self.saved.setText("")
        self.preview.setPlainText("")
        self.preview_error.set_error(None)
        self.check()

    def data(self) -> TemplateData | None:
        t = self.current()
        if t is None:
            return None
        return TemplateData(t.kind, t.language, t.channel, self.subject.text(),
                            self.body.toPlainText())

    def check(self, *_a) -> bool:
        """The placeholder check beside each field, as the person types (a pure
        function: no database)."""
        d = self.data()
        if d is None:
            return False
        self.subject_error.set_error(None)
        self.body_error.set_error(None)
        if d.channel == Channel.SMS:
            self.count.setText(sms_count_text(segments.count(d.body)) + " " + self.tr(
                "(before the placeholders are filled in)"))
        else:
            self.count.setText("")
        try:
            templates.check_template(d)
        except ValidationError as exc:
            self._place(exc)
            return False
        return True

    def _place(self, exc: ValidationError) -> None:
        for e in exc.errors:
            (self.subject_error if e.field == "subject" else self.body_error).set_error(
                field_error_text(e))

    def save(self) -> None:
        d = self.data()
        if d is None:
            return
        try:
            self.ops.run(self, lambda s: templates.save_template(s, d), raise_domain=True,
                         source=self)
        except ValidationError as exc:
            self._place(exc)
            return
        except DomainError as exc:
            self.body_error.set_error(error_text(exc))
            return
        self.load()
        self.saved.setText(self.tr("Saved."))

    def reset(self) -> None:
        t = self.current()
        if t is None:
            return
        self.ops.run(self, lambda s: templates.reset_template(s, t.kind, t.language,
                                                              t.channel), source=self)
        self.load()

    def show_preview(self) -> None:
        d = self.data()
        cid = self.preview_client.client_id()
        if d is None:
            return
        if cid is None:
            self.preview_error.set_error(self.tr("Choose a client from the suggestions."))
            return
        try:
            out = self.ops.read(lambda s: sending.preview_template(s, cid, d))
        except ValidationError as exc:
            self._place(exc)
            return
        except DomainError as exc:
            self.preview.setPlainText("")
            self.preview_error.set_error(error_text(exc))
            return
        self.preview_error.set_error(None)
        text = (out.subject + "\n\n" + out.body) if d.channel == Channel.EMAIL else out.body
        if d.channel == Channel.SMS:
            text += "\n\n— " + sms_count_text(segments.count(out.body))
        self.preview.setPlainText(text)


class EmailTab(QWidget):
    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.host = QLineEdit()
        self.host.setObjectName("smtpHost")
        self.port = QSpinBox()
        self.port.setObjectName("smtpPort")
        self.port.setRange(1, 65535)
        self.security = QComboBox()
        self.security.setObjectName("smtpSecurity")
        self.security.addItem(self.tr("STARTTLS (usually port 587)"), "starttls")
        self.security.addItem(self.tr("TLS (usually port 465)"), "tls")
        self.security.addItem(self.tr("None (a relay inside the office)"), "none")
        self.user = QLineEdit()
        self.user.setObjectName("smtpUser")
        self.password = QLineEdit()
        self.password.setObjectName("smtpPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("kept in the system keyring"))
        self.from_address = QLineEdit()
        self.from_address.setObjectName("smtpFrom")
        self.from_name = QLineEdit()
        self.from_name.setObjectName("smtpFromName")
        self.errors = {f: ErrorLabel() for f in ("host", "port", "security", "from_address")}
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveSmtpButton")
        self.test_to = QLineEdit()
        self.test_to.setObjectName("smtpTestTo")
        self.test_button = QPushButton(self.tr("Send a test message"))
        self.test_button.setObjectName("smtpTestButton")
        self.status = QLabel()
        self.status.setObjectName("smtpStatus")
        self.status.setWordWrap(True)
        box = QGroupBox(self.tr("Your mail server (SMTP)"))
        form = QFormLayout(box)
        form.addRow(self.tr("Server"), self.host)
        form.addRow("", self.errors["host"])
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Connection"), self.security)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Sender's address"), self.from_address)
        form.addRow("", self.errors["from_address"])
        form.addRow(self.tr("Sender's name"), self.from_name)
        form.addRow("", self.save_button)
        test = QHBoxLayout()
        test.addWidget(self.test_to, 1)
        test.addWidget(self.test_button)
        form.addRow(self.tr("Test message to"), test)
        form.addRow("", self.status)
        note = QLabel(self.tr(
            "Gmail and Google Workspace need an app password (with 2-step verification). "
            "Microsoft 365 ends password login for sending at the end of 2026: use another "
            "provider or an SMTP relay. A mailbox at a local provider works with its own "
            "password. The README says more."))
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {palette.SECONDARY_TEXT};")
        lay = QVBoxLayout(self)
        lay.addWidget(box)
        lay.addWidget(note)
        lay.addStretch(1)
        self.security.currentIndexChanged.connect(self._default_port)
        self.save_button.clicked.connect(lambda: self.save())  # not the "checked" flag
        self.test_button.clicked.connect(self.send_test)
        self.load()

    def _default_port(self, *_a) -> None:
        if self.port.value() in config.DEFAULT_PORT.values():
            self.port.setValue(config.DEFAULT_PORT[self.security.currentData()])

    def load(self) -> None:
        s = self.ops.read(config.load_email)
        self.host.setText(s.host)
        self.security.blockSignals(True)
        self.security.setCurrentIndex(max(0, self.security.findData(s.security)))
        self.security.blockSignals(False)
        self.port.setValue(s.port)
        self.user.setText(s.user)
        self.from_address.setText(s.from_address)
        self.from_name.setText(s.from_name)

    def settings(self) -> config.EmailSettings:
        return config.EmailSettings(
            host=self.host.text(), port=self.port.value(),
            security=self.security.currentData(), user=self.user.text(),
            from_address=self.from_address.text(), from_name=self.from_name.text())

    def save(self, then=None) -> None:
        s, password = self.settings(), self.password.text()
        for label in self.errors.values():
            label.set_error(None)
        try:
            config.check_email(s)
        except ValidationError as exc:
            for e in exc.errors:
                self.errors.get(e.field, self.errors["host"]).set_error(field_error_text(e))
            return

        def work(session, _job):
            saved = config.save_email(session, s)
            if password:
                secrets.set_secret(secrets.SMTP_SERVICE, saved.account, password)
            return saved

        def done(_saved) -> None:
            if not isValid(self):
                return
            self.password.clear()
            _status(self.status, self.tr("Saved. The password is in the system keyring."),
                    True)
            if then is not None:
                then()

        def failed(exc: DomainError) -> None:
            if isValid(self):
                _status(self.status, error_text(exc), False)

        job = self.ops.submit(self, work, label=self.tr("Saving the mail server"),
                              on_done=done, on_error=failed, source=self)
        show_progress(self, self.ops.executor, job)

    def send_test(self) -> None:
        to = self.test_to.text().strip() or self.from_address.text().strip()
        subject = self.tr("ClientCare: a test message")
        body = self.tr("This is a test message from ClientCare: the mail server is set up "
                       "right.")

        def run() -> None:
            s = self.settings()

            def work(_job):
                return send_mail(s, to, subject, body)

            def done(_sent) -> None:
                if isValid(self):
                    _status(self.status, subst(self.tr("A test message went to %1."), to),
                            True)

            def failed(exc: DomainError) -> None:
                if isValid(self):
                    _status(self.status, error_text(exc), False)

            job = self.ops.submit_task(self, work, label=self.tr("Sending a test message"),
                                       on_done=done, on_error=failed)
            show_progress(self, self.ops.executor, job)

        self.save(then=run)  # what is typed is what is tried


class SmsTab(QWidget):
    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.provider = QComboBox()
        self.provider.setObjectName("smsProvider")
        self.provider.addItem(self.tr("SMSAPI — Poland"), config.SMSAPI_PL)
        self.provider.addItem(self.tr("SMSAPI — Bulgaria"), config.SMSAPI_BG)
        self.provider.addItem(self.tr("Twilio — international"), config.TWILIO)
        self.sender = QLineEdit()
        self.sender.setObjectName("smsSender")
        self.account = QLineEdit()
        self.account.setObjectName("smsAccount")
        self.token = QLineEdit()
        self.token.setObjectName("smsToken")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("kept in the system keyring"))
        self.base_url = QLineEdit()
        self.base_url.setObjectName("smsBaseUrl")
        self.base_url.setPlaceholderText(self.tr("empty: the gateway's own address"))
        self.errors = {f: ErrorLabel() for f in ("provider", "sender", "account", "base_url")}
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveSmsButton")
        self.test_to = QLineEdit()
        self.test_to.setObjectName("smsTestTo")
        self.test_button = QPushButton(self.tr("Send a test SMS"))
        self.test_button.setObjectName("smsTestButton")
        self.status = QLabel()
        self.status.setObjectName("smsStatus")
        self.status.setWordWrap(True)
        box = QGroupBox(self.tr("SMS gateway"))
        form = QFormLayout(box)
        form.addRow(self.tr("Gateway"), self.provider)
        form.addRow(self.tr("Sender name or number"), self.sender)
        form.addRow("", self.errors["sender"])
        form.addRow(self.tr("Account SID"), self.account)
        self.account_label = form.labelForField(self.account)
        form.addRow("", self.errors["account"])
        form.addRow(self.tr("Token"), self.token)
        form.addRow(self.tr("Address"), self.base_url)
        form.addRow("", self.errors["base_url"])
        form.addRow("", self.save_button)
        test = QHBoxLayout()
        test.addWidget(self.test_to, 1)
        test.addWidget(self.test_button)
        form.addRow(self.tr("Test SMS to"), test)
        form.addRow("", self.status)
        note = QLabel(self.tr(
            "SMSAPI: make a token in its panel (API settings → OAuth tokens) with the SMS "
            "permission. Twilio: the Account SID and Auth Token of its console, and a number "
            "bought there as the sender."))
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {palette.SECONDARY_TEXT};")
        lay = QVBoxLayout(self)
        lay.addWidget(box)
        lay.addWidget(note)
        lay.addStretch(1)
        self.provider.currentIndexChanged.connect(self._update)
        self.save_button.clicked.connect(lambda: self.save())  # not the "checked" flag
        self.test_button.clicked.connect(self.send_test)
        self.load()

    def _update(self, *_a) -> None:
        twilio = self.provider.currentData() == config.TWILIO
        self.account.setVisible(twilio)
        if self.account_label is not None:
            self.account_label.setVisible(twilio)

    def load(self) -> None:
        s = self.ops.read(config.load_sms)
        self.provider.setCurrentIndex(max(0, self.provider.findData(s.provider)))
        self.sender.setText(s.sender)
        self.account.setText(s.account)
        self.base_url.setText(s.base_url)
        self._update()

    def settings(self) -> config.SmsSettings:
        return config.SmsSettings(provider=self.provider.currentData(),
                                  base_url=self.base_url.text(), sender=self.sender.text(),
                                  account=self.account.text())

    def save(self, then=None) -> None:
        s, token = self.settings(), self.token.text()
        for label in self.errors.values():
            label.set_error(None)

        def work(session, _job):
            saved = config.save_sms(session, s)
            if token:
                secrets.set_secret(secrets.SMS_SERVICE, saved.keyring_account, token)
            return saved

        def done(_saved) -> None:
            if not isValid(self):
                return
            self.token.clear()
            _status(self.status, self.tr("Saved. The token is in the system keyring."), True)
            if then is not None:
                then()

        def failed(exc: DomainError) -> None:
            if not isValid(self):
                return
            if isinstance(exc, ValidationError):
                for e in exc.errors:
                    self.errors.get(e.field, self.errors["provider"]).set_error(
                        field_error_text(e))
                return
            _status(self.status, error_text(exc), False)

        job = self.ops.submit(self, work, label=self.tr("Saving the SMS gateway"),
                              on_done=done, on_error=failed, source=self)
        show_progress(self, self.ops.executor, job)

    def send_test(self) -> None:
        to = self.test_to.text().strip()
        text = self.tr("A test SMS from ClientCare: the gateway is set up right.")
        region = self.ops.read(lambda s: settings_service.get(s, "business.region"))
        try:
            number = normalize_phone(to, region) if to else None
        except DomainError as exc:
            _status(self.status, error_text(exc), False)
            return
        if not number:
            _status(self.status, self.tr("Type the number to send the test SMS to."), False)
            return

        def run() -> None:
            s = self.settings()

            def work(_job):
                return gateway_for(s).send(number, text)

            def done(_gid) -> None:
                if isValid(self):
                    _status(self.status, subst(self.tr("A test SMS went to %1."), number), True)

            def failed(exc: DomainError) -> None:
                if isValid(self):
                    _status(self.status, error_text(exc), False)

            job = self.ops.submit_task(self, work, label=self.tr("Sending a test SMS"),
                                       on_done=done, on_error=failed)
            show_progress(self, self.ops.executor, job)

        self.save(then=run)


class MessagesSettings(QTabWidget):
    """Settings → Messages."""

    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("messagesSettings")
        self.templates = TemplatesTab(ops)
        self.email = EmailTab(ops)
        self.sms = SmsTab(ops)
        self.addTab(self.templates, self.tr("Templates"))
        self.addTab(self.email, self.tr("E-mail"))
        self.addTab(self.sms, self.tr("SMS"))
        self.setDocumentMode(True)
        self.setTabPosition(QTabWidget.TabPosition.North)
        self.setUsesScrollButtons(False)
        self.setElideMode(Qt.TextElideMode.ElideNone)

    def reload(self) -> None:
        self.templates.load()
        self.email.load()
        self.sms.load()
