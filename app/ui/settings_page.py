"""Settings: the business (country for phone numbers and public holidays, currency),
the numbers of every rule (working days and compensation limits among them), and the
staff."""

from __future__ import annotations

from enum import IntEnum

import phonenumbers
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
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

from app.services import schedule
from app.services import settings as settings_service
from app.ui.backup_settings import BackupSettings
from app.ui.ops import Changes, Ops
from app.ui.rules_settings import RulesSettings
from app.ui.staff_settings import StaffSettings
from app.ui.widgets import ErrorLabel

CURRENCIES = ["PLN", "EUR", "BGN", "RUB", "USD", "GBP", "CZK", "UAH"]


class SettingsTab(IntEnum):
    BUSINESS = 0
    RULES = 1
    STAFF = 2
    BACKUPS = 3

class SettingsPage(QWidget):
    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.ops = ops
        box = QGroupBox(self.tr("The business"))
        form = QFormLayout(box)
        self.business_name = QLineEdit()
        self.region = QComboBox()
        self.region.setObjectName("regionCombo")
        names = []
        for code in sorted(phonenumbers.SUPPORTED_REGIONS):
            country = QLocale.codeToTerritory(code)
            name = QLocale.territoryToString(country) if country != QLocale.Country.AnyCountry \
                else code
            names.append((f"{name} ({code})", code))
        for label, code in sorted(names):
            self.region.addItem(label, code)
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        form.addRow(self.tr("Name"), self.business_name)
        form.addRow(self.tr("Country (phone numbers, public holidays)"), self.region)
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
        bl.addStretch(1)
        tabs.insertTab(SettingsTab.BUSINESS, business, self.tr("Business"))
        tabs.insertTab(SettingsTab.RULES, self.rules, self.tr("Rules"))
        self.backups = BackupSettings(ops)
        tabs.insertTab(SettingsTab.STAFF, self.staff, self.tr("Staff"))
        tabs.insertTab(SettingsTab.BACKUPS, self.backups, self.tr("Backups"))
        self.tabs = tabs
        lay = QVBoxLayout(self)
        lay.addWidget(tabs)
        self.load()
        ops.bus.changed.connect(self._on_bus_changed)

    def load(self) -> None:
        values = self.ops.read(settings_service.get_all)
        self.business_name.setText(values["business.name"])
        self.region.setCurrentIndex(max(0, self.region.findData(values["business.region"])))
        self.currency.setCurrentText(values["business.currency"])

    def save(self) -> None:
        currency = self.currency.currentText().strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            self.error.set_error(self.tr("A currency is a three-letter code such as PLN or EUR."))
            return
        self.error.set_error(None)

        def work(s):
            settings_service.put(s, "business.name", self.business_name.text().strip())
            settings_service.put(s, "business.region", self.region.currentData())
            settings_service.put(s, "business.currency", currency)
            schedule.regenerate(s)  # the country's public holidays are closed days

        self.ops.run(self, work, source=self)

    def _on_bus_changed(self, changes: Changes) -> None:
        if changes.touches("settings") and changes.source is not self:
            self.load()
