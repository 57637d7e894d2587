"""Settings: the business (country for phone numbers and public holidays, currency),
the numbers of every rule (working days and compensation limits among them), and the
staff."""

from __future__ import annotations

from datetime import date
from enum import IntEnum

from PySide6.QtCore import QCollator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.countries import country_names
from app.errors import DomainError, ValidationError
from app.services import agenda
from app.services import rules as rules_service
from app.services import settings as settings_service
from app.ui.backup_settings import BackupSettings
from app.ui.messages import error_text
from app.ui.messages_settings import MessagesSettings
from app.ui.office_settings import OfficeSettings
from app.ui.ops import Changes, Concern, Job, Ops, show_error
from app.ui.progress import show_progress
from app.ui.refresh import RefreshGate
from app.ui.rules_settings import RulesSettings
from app.ui.staff_settings import StaffSettings
from app.ui.widgets import ErrorLabel

CURRENCIES = ["PLN", "EUR", "BGN", "RUB", "USD", "GBP", "CZK", "UAH"]


class SettingsTab(IntEnum):
    BUSINESS = 0
    RULES = 1
    STAFF = 2
    BACKUPS = 3
    MESSAGES = 4
    OFFICE = 5


class SettingsPage(QWidget):
    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.job: Job | None = None  # the last save, on the database executor
        box = QGroupBox(self.tr("The business"))
        form = QFormLayout(box)
        self.business_name = QLineEdit()
        self.region = QComboBox()
        self.region.setObjectName("regionCombo")
        # the names in the user's language, in that language's alphabetical order
        collator = QCollator(self.locale())
        names = country_names(self.locale().name())
        for code in sorted(names, key=lambda c: collator.sortKey(names[c])):
            self.region.addItem(f"{names[code]} ({code})", code)
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        form.addRow(self.tr("Name"), self.business_name)
        form.addRow(self.tr("Country (phone numbers, public holidays, name days)"), self.region)
        form.addRow(self.tr("Currency"), self.currency)
        self.error = ErrorLabel()
        form.addRow("", self.error)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        form.addRow("", self.save_button)
        note = QLabel(self.tr("Phone numbers typed without a country code are read as numbers "
                              "of this country."))
        note.setWordWrap(True)
        self.rules = RulesSettings(ops)
        self.staff = StaffSettings(ops)
        tabs = QTabWidget()
        business = QWidget()
        bl = QVBoxLayout(business)
        bl.addWidget(box)
        bl.addWidget(note)
        # the day-start notice (app/ui/day_notice.py): saved as soon as it is ticked
        self.day_notice = QCheckBox(self.tr("At the first start of a day, show a short "
                                            "notice of the day's calls and birthdays"))
        self.day_notice.setObjectName("dayNoticeCheck")
        self.day_notice.toggled.connect(self._on_day_notice_toggled)
        bl.addWidget(self.day_notice)
        bl.addStretch(1)
        tabs.insertTab(SettingsTab.BUSINESS, business, self.tr("Business"))
        tabs.insertTab(SettingsTab.RULES, self.rules, self.tr("Rules"))
        if ops.db.on_server:  # office mode: pg_dump, not copies of a file
            from app.ui.server_backup_settings import ServerBackupSettings

            self.backups = ServerBackupSettings(ops)
        else:
            self.backups = BackupSettings(ops)
        tabs.insertTab(SettingsTab.STAFF, self.staff, self.tr("Staff"))
        tabs.insertTab(SettingsTab.BACKUPS, self.backups, self.tr("Backups"))
        self.messages = MessagesSettings(ops)  # templates, e-mail, SMS (issue 18)
        tabs.insertTab(SettingsTab.MESSAGES, self.messages, self.tr("Messages"))
        self.office = OfficeSettings(ops)  # the server this PC opens (issue 17)
        tabs.insertTab(SettingsTab.OFFICE, self.office, self.tr("Office server"))
        self.tabs = tabs
        lay = QVBoxLayout(self)
        lay.addWidget(tabs)
        self.load()
        self.gate = RefreshGate(self, ops.bus, (Concern.SETTINGS,), self._refresh,
                                skip_own=True)

    def load(self) -> None:
        values = self.ops.read(settings_service.get_all)
        self.business_name.setText(values["business.name"])
        self.region.setCurrentIndex(max(0, self.region.findData(values["business.region"])))
        self.currency.setCurrentText(values["business.currency"])
        self.day_notice.blockSignals(True)
        self.day_notice.setChecked(bool(values[agenda.NOTICE_SETTING]))
        self.day_notice.blockSignals(False)

    def _on_day_notice_toggled(self, on: bool) -> None:
        self.ops.submit(self, lambda s, _job: agenda.set_day_notice(s, on),
                        label=self.tr("Saving the setting"), source=self)

    def save(self) -> bool:
        """Check the business's values, then save them and move the calls its country's
        public holidays close, on the database executor (a full regeneration: about
        1.5 s at 100,000 clients) behind a progress dialog. True when the save started."""
        name, region = self.business_name.text(), self.region.currentData()
        currency = self.currency.currentText()
        try:
            rules_service.check_business(name, region, currency)
        except ValidationError as exc:
            self.error.set_error(error_text(exc))
            return False
        self.error.set_error(None)
        today = date.today()
        self.job = self.ops.submit(
            self, lambda s, _job: rules_service.save_business(s, name, region, currency,
                                                              today),
            label=self.tr("Saving the business and rescheduling the calls"),
            on_done=self._on_saved, on_error=self._on_save_failed, source=self)
        if self.job is None:
            return False
        self.save_button.setEnabled(False)
        show_progress(self, self.ops.executor, self.job)
        return True

    def _on_saved(self, _stats) -> None:
        if isValid(self):
            self.save_button.setEnabled(True)
            self.currency.setCurrentText(self.currency.currentText().strip().upper())

    def _on_save_failed(self, exc: DomainError) -> None:
        if isValid(self):
            self.save_button.setEnabled(True)
            show_error(self, exc)

    def _refresh(self, _changes: Changes) -> None:
        self.load()
        self.messages.reload()
