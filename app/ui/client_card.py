"""The client card: every field of a client, with family, dates, purchases, memberships,
preferences and the contact history. Saved as one transaction with Ctrl+S."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app import palette
from app.changes import Concern, Entity
from app.enums import SOURCE_CHANNELS
from app.errors import DomainError, FieldError, ValidationError
from app.models.enums import Channel, ClientKind, DateKind, Segment
from app.services import card as card_service
from app.services import clients as client_service
from app.services import complaints as complaint_service
from app.services import history as history_service
from app.services import name_days, risk_store, schedule
from app.services import settings as settings_service
from app.services.clients import (
    ClientData,
    MembershipData,
    PersonalDateData,
    PurchaseData,
    RelativeData,
)
from app.text import subst
from app.ui import history_words, labels, risk_words, window_state
from app.ui.call_dialogs import correct_logged_call
from app.ui.card_dialogs import (
    FreezeDialog,
    MembershipDialog,
    PersonalDateDialog,
    PurchaseDialog,
    RelativeDialog,
)
from app.ui.complaint_dialog import open_complaint_dialog, status_label
from app.ui.data_dialogs import erase_client, export_client_data
from app.ui.formatting import (
    country_name,
    fmt_date,
    fmt_datetime,
    fmt_money,
    fmt_quantity,
    phone_display,
    pytime,
    qtime,
)
from app.ui.message_card import messages_panel_factory
from app.ui.messages import error_text, field_error_text
from app.ui.name_day_offer import NameDayOffer
from app.ui.ops import Ops, read_only_error, show_error
from app.ui.refresh import RefreshGate
from app.ui.widgets import (
    ClientPicker,
    CodedCombo,
    ErrorLabel,
    OptionalDate,
    enum_or_none,
    fit_placeholder,
    make_table,
)

#: where the card keeps its size (QSettings)
GEOMETRY_KEY = "clientCard"

@dataclass
class CardContext:
    """What the card needs besides the client, all plain values."""

    region: str = "PL"
    currency: str = "PLN"
    source_channels: list[str] = field(default_factory=lambda: list(SOURCE_CHANNELS))
    search_clients: Callable[[str], list[tuple[int, str]]] = lambda _text: []
    read_only: bool = False
    # the client's complaints, and opening one (None = a new one) over the card
    complaints: Callable[[], list] = lambda: []
    open_complaint: Callable[[QWidget, int | None], QDialog | None] | None = None
    # a person's rights: their data as a file, erasing it (None: not offered)
    export_data: Callable[[QWidget], bool] | None = None
    erase: Callable[[QWidget, str], bool] | None = None
    # correcting a logged call (contact id) -> the call as stored now, None if unchanged
    correct_contact: Callable[[QWidget, int], object | None] | None = None
    # the business's setting: a freeze moves a membership's end by the frozen days
    freeze_extends_end: bool = True
    # the client's kept churn-risk score (app/services/risk_store.py KeptRisk), if any
    risk: object | None = None
    # the client's messages under the history, with "send again" (app/ui/message_card.py)
    messages_panel: Callable[[QWidget], QWidget] | None = None
    # who changed what (app/services/history.py): load_history(limit, done, failed) reads
    # the latest ``limit`` changes off the GUI thread and hands done(ClientHistory) back
    # on it; load_contacts() the logged contacts (ContactRow), a short read as on opening
    load_history: Callable[[int, Callable, Callable], None] | None = None
    load_contacts: Callable[[], list] | None = None
    # the window's change bus (app/ui/ops.py): what is saved, here or on another desk,
    # refreshes the card's calls, complaints and history while it is open
    bus: object | None = None


def _country(region: str) -> str:
    """The business's country by name, in the user's language ("Polska")."""
    return country_name(region)


def _table(columns: list[str], name: str) -> QTableWidget:
    return make_table(columns, name, fit_columns=True)


def _item(text: str, align_right: bool = False) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    if align_right:
        it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return it


class CardTab(IntEnum):
    """The tabs of the client's card, in order."""

    DETAILS = 0
    FAMILY = 1
    PURCHASES = 2
    MEMBERSHIPS = 3
    NOTES = 4
    HISTORY = 5
    COMPLAINTS = 6
    CHANGES = 7


#: how many changes the card's history shows at first, and more at each "Show more"
HISTORY_PAGE = 50


class ContactColumn(IntEnum):
    """The columns of the card's table of logged contacts."""

    WHEN = 0
    CHANNEL = 1
    PURPOSE = 2
    OUTCOME = 3
    TONE = 4
    BY = 5
    NOTE = 6

class ComplaintColumn(IntEnum):
    """The columns of the card's complaints table; the first holds the complaint's id."""

    OPENED = 0
    CATEGORY = 1
    STATUS = 2
    FIRST_RESPONSE = 3


class ClientCardDialog(QDialog):
    """Edits a :class:`ClientData`; ``save(data)`` stores it: it returns the client's id
    when stored at once, or None when the save runs in the background (then the card
    waits, disabled and saying so, until :meth:`save_finished` or :meth:`save_failed` is
    called); a refusal is raised (DomainError, ValidationError per field) or handed to
    :meth:`save_failed`."""

    #: a background save ended: True when stored (the card then closes), False refused
    save_ended = Signal(bool)

    def __init__(self, parent: QWidget | None, data: ClientData,
                 save: Callable[[ClientData], int | None],
                 context: CardContext | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientCard")
        self.data = replace(data, relatives=list(data.relatives), dates=list(data.dates),
                            purchases=list(data.purchases), memberships=list(data.memberships))
        self._save = save
        self.ctx = context or CardContext()
        self.saved_id: int | None = None
        self._dirty = False
        self._saving = False  # a save under way (it may wait for the database executor)
        self._focus_before_save: QWidget | None = None
        self.setWindowTitle(self.tr("New client") if data.id is None else data.name)
        self.resize(900, 640)
        window_state.restore_geometry(GEOMETRY_KEY, self)

        self.header = QLabel()
        self.header.setObjectName("cardHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.risk_label = QLabel()
        self.risk_label.setObjectName("cardRisk")
        self.risk_label.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.insertTab(CardTab.DETAILS, self._details_tab(), self.tr("Details"))
        self.tabs.insertTab(CardTab.FAMILY, self._family_tab(), self.tr("Family and dates"))
        self.tabs.insertTab(CardTab.PURCHASES, self._purchases_tab(), self.tr("Purchases"))
        self.tabs.insertTab(CardTab.MEMBERSHIPS, self._memberships_tab(), self.tr("Memberships"))
        self.tabs.insertTab(CardTab.NOTES, self._notes_tab(), self.tr("Preferences and notes"))
        self.tabs.insertTab(CardTab.HISTORY, self._history_tab(), self.tr("Contact history"))
        self.tabs.insertTab(CardTab.COMPLAINTS, self._complaints_tab(), self.tr("Complaints"))
        self.tabs.insertTab(CardTab.CHANGES, self._changes_tab(), self.tr("Changes"))
        self.tabs.setTabToolTip(CardTab.CHANGES, self.tr("Who changed what on this card, "
                                                         "and when"))
        self.general_error = ErrorLabel()
        self.saving_label = QLabel(self.tr("Saving the card…"))
        self.saving_label.setObjectName("cardSaving")
        self.saving_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setToolTip(
            self.tr("Save (Ctrl+S)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("saveButton")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.more_button = QToolButton()
        self.more_button.setObjectName("cardMoreButton")
        self.more_button.setText(self.tr("Personal data"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more = QMenu(self.more_button)
        self.export_action = more.addAction(self.tr("Save all their data to a file…"),
                                            self._export_data)
        self.erase_action = more.addAction(self.tr("Erase their personal data…"), self._erase)
        self.more_button.setMenu(more)
        self.more_button.setVisible(data.id is not None and self.ctx.export_data is not None)
        self.erase_action.setEnabled(self.ctx.erase is not None and not self.ctx.read_only)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        lay = QVBoxLayout(self)
        lay.addWidget(self.header)
        lay.addWidget(self.risk_label)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.general_error)
        bottom = QHBoxLayout()
        bottom.addWidget(self.more_button)
        bottom.addStretch(1)
        bottom.addWidget(self.saving_label)
        bottom.addWidget(self.buttons)
        lay.addLayout(bottom)
        self._refresh_header()
        self._refresh_tables()
        if self.ctx.read_only:
            self._make_read_only()
        self._watch_changes()
        self._name_day_added: tuple[int, int] | None = None
        self.name.textChanged.connect(self._on_name_changed)
        self.kind.currentIndexChanged.connect(lambda _i: self._refresh_name_day_offer())
        self._refresh_name_day_offer()
        self.name.setFocus()
        self.gate = None
        if self.ctx.bus is not None and data.id is not None:
            self.gate = RefreshGate(self, self.ctx.bus, (Concern.CARD,), self._live_refresh)
        # the history is read when its tab is first shown, and again after a change
        self._history_stale = True
        self.tabs.currentChanged.connect(self._on_tab_changed)

    # ------------------------------------------------------------------ tabs
    def _err(self, key: str) -> ErrorLabel:
        lab = ErrorLabel()
        self.field_errors[key] = lab
        return lab

    def _details_tab(self) -> QWidget:
        d = self.data
        self.field_errors: dict[str, ErrorLabel] = {}
        w = QWidget()
        left = QFormLayout()
        self.kind = QComboBox()
        for k in ClientKind:
            self.kind.addItem(labels.client_kind(k), k)
        self.kind.setCurrentIndex(self.kind.findData(d.kind))
        left.addRow(self.tr("Kind"), self.kind)
        self.name = QLineEdit(d.name)
        self.name.setObjectName("nameEdit")
        self.name.setPlaceholderText(self.tr("First and last name, or the company"))
        left.addRow(self.tr("Name *"), self.name)
        left.addRow("", self._err("name"))
        # a first name with a name day in the business's calendar: added with one click
        self.name_day_offer = NameDayOffer(compact=True)  # the column has little room
        self.name_day_offer.day_chosen.connect(self.add_name_day)
        left.addRow("", self.name_day_offer)
        self._name_form = left
        self.external_ref = QLineEdit(d.external_ref)
        self.external_ref.setObjectName("externalRefEdit")
        self.external_ref.setPlaceholderText(self.tr("Loyalty card or patient number"))
        left.addRow(self.tr("Card number"), self.external_ref)
        left.addRow("", self._err("external_ref"))
        self.phone = QLineEdit(phone_display(d.phone, self.ctx.region) if d.phone
                               else d.phone_unchecked)
        self.phone.setObjectName("phoneEdit")
        left.addRow(self.tr("Phone"), self.phone)
        # an imported number that is not valid in the business's country: kept as the file
        # gave it until the user corrects it (saving a valid number ends the state)
        self.phone_check = QLabel(subst(self.tr(
            "⚠ Check this number: it is not a valid phone number of %1. Correct it, or "
            "leave it as it is to keep it."), _country(self.ctx.region)))
        self.phone_check.setObjectName("phoneCheckLabel")
        self.phone_check.setWordWrap(True)
        self.phone_check.setStyleSheet(f"color: {palette.WARNING};")
        self.phone_check.setVisible(bool(d.phone_unchecked) and not d.phone)
        left.addRow("", self.phone_check)
        self.phone.textEdited.connect(lambda text: self.phone_check.setVisible(
            bool(d.phone_unchecked) and " ".join(text.split()) == d.phone_unchecked))
        left.addRow("", self._err("phone"))
        self.email = QLineEdit(d.email)
        self.email.setObjectName("emailEdit")
        left.addRow(self.tr("E-mail"), self.email)
        left.addRow("", self._err("email"))
        self.tags = QLineEdit(", ".join(d.tags))
        self.tags.setObjectName("tagsEdit")
        self.tags.setPlaceholderText(self.tr("Comma-separated, e.g. VIP, kids"))
        left.addRow(self.tr("Tags"), self.tags)
        left.addRow("", self._err("tags"))
        self.segment_override = QComboBox()
        auto = labels.segment(d.segment) or self.tr("not yet computed")
        self.segment_override.addItem(subst(self.tr("Automatic (%1)"), auto), None)
        for s in Segment:
            self.segment_override.addItem(subst(self.tr("Always %1"), s.value), s)
        self.segment_override.setCurrentIndex(max(0, self.segment_override.findData(
            d.segment_override)))
        left.addRow(self.tr("A/B/C group"), self.segment_override)
        self.segment_reason = QLineEdit(d.segment_override_reason)
        self.segment_reason.setObjectName("segmentReasonEdit")
        self.segment_reason.setPlaceholderText(self.tr("Why this group, whatever the numbers say"))
        self.segment_reason.setEnabled(d.segment_override is not None)
        self.segment_override.currentIndexChanged.connect(
            lambda _i: self.segment_reason.setEnabled(
                self.segment_override.currentData() is not None))
        left.addRow(self.tr("Reason"), self.segment_reason)
        left.addRow("", self._err("segment_override_reason"))
        self.source = CodedCombo(self.ctx.source_channels, labels.source_channel)
        self.source.set_code(d.source_channel)
        left.addRow(self.tr("Came from"), self.source)
        self.referred_by = ClientPicker(self.ctx.search_clients)
        self.referred_by.setObjectName("referredByEdit")
        self.referred_by.setPlaceholderText(self.tr("Type a name to pick the client"))
        self.referred_by.set_client(d.referred_by_id, d.referred_by_name)
        left.addRow(self.tr("Referred by"), self.referred_by)
        left.addRow("", self._err("referred_by"))

        rules = QGroupBox(self.tr("Contact rules"))
        right = QFormLayout(rules)
        self.channel = QComboBox()
        self.channel.addItem(labels.channel(None), None)
        for c in Channel:
            self.channel.addItem(labels.channel(c), c)
        self.channel.setCurrentIndex(max(0, self.channel.findData(d.preferred_channel)))
        right.addRow(self.tr("Preferred channel"), self.channel)
        hours = QHBoxLayout()
        self.any_time = QCheckBox(self.tr("Any time"))
        self.hours_from = QTimeEdit()
        self.hours_to = QTimeEdit()
        for te, value, default in ((self.hours_from, d.contact_from, QTime(9, 0)),
                                   (self.hours_to, d.contact_to, QTime(18, 0))):
            te.setDisplayFormat("HH:mm")
            te.setTime(qtime(value) if value else default)
        self.any_time.setChecked(d.contact_from is None)
        hours.addWidget(self.any_time)
        hours.addWidget(self.hours_from)
        hours.addWidget(QLabel("–"))
        hours.addWidget(self.hours_to)
        self.any_time.toggled.connect(lambda on: (self.hours_from.setDisabled(on),
                                                  self.hours_to.setDisabled(on)))
        self.hours_from.setDisabled(self.any_time.isChecked())
        self.hours_to.setDisabled(self.any_time.isChecked())
        right.addRow(self.tr("Best hours"), hours)
        right.addRow("", self._err("contact_hours"))
        days = QHBoxLayout()
        self.day_checks: list[QCheckBox] = []
        loc = self.locale()
        for iso in range(1, 8):
            cb = QCheckBox(loc.dayName(iso, QLocale.FormatType.ShortFormat))
            cb.setChecked(str(iso) in d.contact_days)
            self.day_checks.append(cb)
            days.addWidget(cb)
        right.addRow(self.tr("Days (none = any)"), days)
        self.do_not_contact = QCheckBox(self.tr("Do not contact this client"))
        self.do_not_contact.setObjectName("doNotContactCheck")
        self.do_not_contact.setChecked(d.do_not_contact)
        right.addRow("", self.do_not_contact)
        self.consent = OptionalDate(self.tr("Agreed to marketing on"), d.marketing_consent_on)
        self.consent.setObjectName("consentDate")
        if d.marketing_consent and d.marketing_consent_on is None:
            self.consent.check.setChecked(True)  # ticked, the date left empty to be given
            self.consent.edit.setEnabled(True)
        right.addRow(self.tr("Consent"), self.consent)
        right.addRow("", self._err("marketing_consent_on"))

        for edit in (self.name, self.external_ref, self.tags, self.segment_reason,
                     self.referred_by):
            fit_placeholder(edit)  # the hints whole in every language (the card widens)
        lay = QHBoxLayout(w)
        left_box = QWidget()
        left_box.setLayout(left)
        lay.addWidget(left_box, 3, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(rules, 2, Qt.AlignmentFlag.AlignTop)
        return w

    def _buttons_row(self, prefix: str, add, edit, remove) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, slot, tip in ((self.tr("Add"), add, f"{prefix}Add"),
                                (self.tr("Edit"), edit, f"{prefix}Edit"),
                                (self.tr("Remove"), remove, f"{prefix}Remove")):
            b = QPushButton(text)
            b.setObjectName(tip)
            b.clicked.connect(slot)
            row.addWidget(b)
            self._editing_buttons.append(b)
        row.addStretch(1)
        return row

    def _family_tab(self) -> QWidget:
        self._editing_buttons: list[QPushButton] = []
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(QLabel(self.tr("<b>Family</b> — spouse, children, parents")))
        self.relatives_table = _table([self.tr("Name"), self.tr("Relation"), self.tr("Note")],
                                      "relativesTable")
        self.relatives_table.doubleClicked.connect(self.edit_relative)
        lay.addWidget(self.relatives_table, 1)
        lay.addLayout(self._buttons_row("relative", self.add_relative, self.edit_relative,
                                        self.remove_relative))
        lay.addWidget(QLabel(self.tr("<b>Personal dates</b> — birthdays, name days, "
                                     "anniversaries of the client and the family")))
        self.dates_name_day_offer = NameDayOffer()  # the same offer beside the dates
        self.dates_name_day_offer.day_chosen.connect(self.add_name_day)
        lay.addWidget(self.dates_name_day_offer)
        self.dates_table = _table([self.tr("Whose"), self.tr("Kind"), self.tr("Date"),
                                   self.tr("Gift reminder")], "datesTable")
        self.dates_table.doubleClicked.connect(self.edit_date)
        lay.addWidget(self.dates_table, 1)
        lay.addLayout(self._buttons_row("date", self.add_date, self.edit_date,
                                        self.remove_date))
        self.family_error = ErrorLabel()
        lay.addWidget(self.family_error)
        return w

    def _purchases_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.purchases_table = _table([self.tr("Date"), self.tr("Item or service"),
                                       self.tr("Quantity"), self.tr("Amount"), self.tr("Note")],
                                      "purchasesTable")
        self.purchases_table.doubleClicked.connect(self.edit_purchase)
        lay.addWidget(self.purchases_table, 1)
        self.purchases_total = QLabel()
        lay.addWidget(self.purchases_total)
        lay.addLayout(self._buttons_row("purchase", self.add_purchase, self.edit_purchase,
                                        self.remove_purchase))
        self.purchases_error = ErrorLabel()
        lay.addWidget(self.purchases_error)
        return w

    def _memberships_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.memberships_table = _table(
            [self.tr("Plan"), self.tr("Starts"), self.tr("Ends"), self.tr("Status"),
             self.tr("Frozen"), self.tr("Marks")], "membershipsTable")
        self.memberships_table.doubleClicked.connect(self.edit_membership)
        lay.addWidget(self.memberships_table, 1)
        row = self._buttons_row("membership", self.add_membership, self.edit_membership,
                                self.remove_membership)
        self.freeze_button = QPushButton(self.tr("Freeze…"))
        self.freeze_button.setObjectName("membershipFreeze")
        self.freeze_button.setToolTip(self.tr("Freeze the chosen membership for some days; "
                                              "its end and the renewal call move with it"))
        self.freeze_button.clicked.connect(self.freeze_membership)
        self._editing_buttons.append(self.freeze_button)
        row.insertWidget(row.count() - 1, self.freeze_button)
        lay.addLayout(row)
        self.memberships_error = ErrorLabel()
        lay.addWidget(self.memberships_error)
        return w

    def _notes_tab(self) -> QWidget:
        w = QWidget()
        lay = QFormLayout(w)
        self.preferences = QPlainTextEdit(self.data.preferences)
        self.preferences.setObjectName("preferencesEdit")
        self.preferences.setPlaceholderText(self.tr(
            "Tastes, favourite products, what they expect from us, what to avoid"))
        self.notes = QPlainTextEdit(self.data.notes)
        self.notes.setObjectName("notesEdit")
        lay.addRow(self.tr("Preferences"), self.preferences)
        lay.addRow(self.tr("Notes"), self.notes)
        return w

    def _history_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        t = _table([self.tr("When"), self.tr("Channel"), self.tr("Purpose"), self.tr("Outcome"),
                    self.tr("Tone"), self.tr("Logged by"), self.tr("Note")], "historyTable")
        self.history_table = t
        lay.addWidget(t, 1)
        self.no_contacts_label = QLabel(self.tr("No contact logged yet."))
        lay.addWidget(self.no_contacts_label)
        self._fill_contacts()
        self.correct_call_button = QPushButton(self.tr("Correct the call…"))
        self.correct_call_button.setObjectName("correctCallButton")
        self.correct_call_button.setToolTip(self.tr("Change the outcome, tone or note of the "
                                                    "selected call"))
        self.correct_call_button.setEnabled(bool(self.data.contacts)
                                            and self.ctx.correct_contact is not None
                                            and not self.ctx.read_only)
        self.correct_call_button.clicked.connect(self.correct_call)
        t.doubleClicked.connect(lambda _i: self.correct_call())
        lay.addWidget(self.correct_call_button, 0, Qt.AlignmentFlag.AlignLeft)
        if self.ctx.messages_panel is not None:
            self.messages_panel = self.ctx.messages_panel(w)
            lay.addWidget(self.messages_panel)
        return w

    def correct_call(self) -> None:
        """Correct the selected logged call; its row shows the call as stored."""
        r = self.history_table.currentRow()
        if (self.ctx.correct_contact is None or self.ctx.read_only
                or not 0 <= r < len(self.data.contacts) or self.data.contacts[r].id is None):
            return
        fixed = self.ctx.correct_contact(self, self.data.contacts[r].id)
        if fixed is None:
            return
        c = replace(self.data.contacts[r], outcome=str(fixed.outcome),
                    tone=str(fixed.tone) if fixed.tone else None, note=fixed.note)
        self.data.contacts[r] = c
        for col, text in ((ContactColumn.OUTCOME, labels.outcome(c.outcome)),
                          (ContactColumn.TONE, labels.tone(c.tone)), (ContactColumn.NOTE, c.note)):
            self.history_table.setItem(r, col, _item(text))

    def _fill_contacts(self) -> None:
        t, loc = self.history_table, self.locale()
        t.setRowCount(0)
        for c in self.data.contacts:
            r = t.rowCount()
            t.insertRow(r)
            for col, text in enumerate((fmt_datetime(c.at, loc), labels.channel(c.channel),
                                        labels.task_kind(c.purpose), labels.outcome(c.outcome),
                                        labels.tone(c.tone), c.by or "—", c.note)):
                t.setItem(r, col, _item(text))
            if not c.by:
                t.item(r, ContactColumn.BY).setToolTip(self.tr(
                    "Logged while nobody was signed in, or brought in by an import"))
        self.no_contacts_label.setVisible(not self.data.contacts)
        if hasattr(self, "correct_call_button"):
            self.correct_call_button.setEnabled(bool(self.data.contacts)
                                                and self.ctx.correct_contact is not None
                                                and not self.ctx.read_only)

    def _changes_tab(self) -> QWidget:
        """Who changed what on the card, newest first: the latest HISTORY_PAGE, and more
        on request."""
        w = QWidget()
        lay = QVBoxLayout(w)
        t = _table([self.tr("When"), self.tr("Who"), self.tr("What changed")], "changesTable")
        t.setWordWrap(True)
        self.changes_table = t
        lay.addWidget(t, 1)
        row = QHBoxLayout()
        self.changes_count = QLabel()
        self.changes_count.setObjectName("changesCount")
        self.changes_count.setWordWrap(True)
        self.more_changes_button = QPushButton(self.tr("Show more"))
        self.more_changes_button.setObjectName("moreChangesButton")
        self.more_changes_button.clicked.connect(
            lambda: self.load_history(self._history_limit + HISTORY_PAGE))
        self.more_changes_button.hide()
        row.addWidget(self.changes_count, 1)
        row.addWidget(self.more_changes_button)
        lay.addLayout(row)
        self._history_limit = HISTORY_PAGE
        self.history = None  # the ClientHistory shown, once read
        if self.data.id is None:
            self.changes_count.setText(self.tr("Save the new client first."))
        return w

    def _on_tab_changed(self, index: int) -> None:
        if index == CardTab.CHANGES and self._history_stale:
            self.load_history()

    def load_history(self, limit: int | None = None) -> None:
        """Read the latest changes again (off the GUI thread) and show them."""
        if self.ctx.load_history is None or self.data.id is None:
            return
        self._history_stale = False
        self._history_limit = limit or self._history_limit
        if self.history is None:
            self.changes_count.setText(self.tr("Reading the changes…"))
        self.ctx.load_history(self._history_limit, self.show_history, self._history_failed)

    def show_history(self, found: history_service.ClientHistory) -> None:
        self.history = found
        t, loc = self.changes_table, self.locale()
        t.setRowCount(0)
        for e in found.entries:
            r = t.rowCount()
            t.insertRow(r)
            t.setItem(r, 0, _item(fmt_datetime(e.at, loc)))
            who = _item(history_words.who(e.by))
            if not e.by:
                who.setForeground(self.palette().placeholderText())
            t.setItem(r, 1, who)
            what = history_words.what(e)
            it = _item(what)
            it.setToolTip(what)
            t.setItem(r, 2, it)
        if not found.entries:
            self.changes_count.setText(self.tr("No change recorded yet."))
        elif found.total > len(found.entries):
            self.changes_count.setText(subst(self.tr(
                "The latest %1 of %n change(s).", "", found.total),
                loc.toString(len(found.entries))))
        else:
            self.changes_count.setText(self.tr("%n change(s).", "", found.total))
        self.more_changes_button.setVisible(found.total > len(found.entries))

    def _history_failed(self, exc: DomainError) -> None:
        self.changes_count.setText(error_text(exc))

    def _live_refresh(self, changes) -> None:
        """Something was saved, here or on another desk: what of this client the card
        only shows (calls, complaints, history) is read again; what is typed stays."""
        cid = self.data.id
        if cid is None or not (changes.all_clients or cid in changes.client_ids
                               or changes.touches(Entity.STAFF)):
            return
        self._history_stale = True
        if self.tabs.currentIndex() == CardTab.CHANGES:
            self.load_history()
        if changes.touches(Entity.CONTACT, Entity.STAFF) and self.ctx.load_contacts:
            self.show_contacts(self.ctx.load_contacts())
        if changes.touches(Entity.COMPLAINT, Entity.STAFF):
            self._refresh_complaints()

    def show_contacts(self, contacts: list) -> None:
        """The client's logged contacts as stored now."""
        self.data.contacts = list(contacts)
        self._fill_contacts()

    def _complaints_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.complaints_table = _table([self.tr("Opened"), self.tr("Category"),
                                        self.tr("Status"), self.tr("First response")],
                                       "cardComplaintsTable")
        self.complaints_table.doubleClicked.connect(lambda _i: self.open_complaint())
        lay.addWidget(self.complaints_table, 1)
        row = QHBoxLayout()
        self.new_complaint_button = QPushButton(self.tr("New complaint…"))
        self.new_complaint_button.setObjectName("newComplaintButton")
        self.new_complaint_button.clicked.connect(lambda: self.open_complaint(new=True))
        open_button = QPushButton(self.tr("Open complaint"))
        open_button.clicked.connect(lambda: self.open_complaint())
        row.addWidget(self.new_complaint_button)
        row.addWidget(open_button)
        row.addStretch(1)
        lay.addLayout(row)
        enabled = self.data.id is not None and self.ctx.open_complaint is not None
        self.new_complaint_button.setEnabled(enabled and not self.ctx.read_only)
        open_button.setEnabled(enabled)
        if self.data.id is None:
            lay.addWidget(QLabel(self.tr("Save the new client first.")))
        self._refresh_complaints()
        return w

    def _refresh_complaints(self) -> None:
        t = self.complaints_table
        t.setRowCount(0)
        loc = self.locale()
        for r in self.ctx.complaints():
            n = t.rowCount()
            t.insertRow(n)
            first = _item(fmt_datetime(r.opened_at, loc))
            first.setData(Qt.ItemDataRole.UserRole, r.id)
            t.setItem(n, ComplaintColumn.OPENED, first)
            t.setItem(n, ComplaintColumn.CATEGORY, _item(r.category))
            t.setItem(n, ComplaintColumn.STATUS, _item(status_label(r.status)))
            t.setItem(n, ComplaintColumn.FIRST_RESPONSE, _item(self.tr("overdue") if r.response_overdue
                                  and r.first_response_hours is None else
                                  "" if r.first_response_hours is None else
                                  subst(self.tr("%1 h"), loc.toString(
                                      r.first_response_hours, "f", 1))))

    def open_complaint(self, new: bool = False) -> None:
        if self.ctx.open_complaint is None or self.data.id is None:
            return
        complaint_id = None
        if not new:
            row = self.complaints_table.currentRow()
            it = self.complaints_table.item(row, ComplaintColumn.OPENED) if row >= 0 else None
            if it is None:
                return
            complaint_id = it.data(Qt.ItemDataRole.UserRole)
        dlg = self.ctx.open_complaint(self, complaint_id)
        if dlg is not None:
            dlg.saved.connect(lambda _cid: self._refresh_complaints())

    # ------------------------------------------------------------------ header and tables
    def _refresh_header(self) -> None:
        d = self.data
        if d.id is None:
            self.header.setText(f"<h2>{self.tr('New client')}</h2>")
            return
        parts = []
        seg = d.segment_override or d.segment
        if seg:
            parts.append(subst(self.tr("Group %1"), seg))
        if d.created_at:
            parts.append(subst(self.tr("client since %1"),
                               fmt_date(d.created_at.date(), self.locale())))
        cutoff = date.today().toordinal() - 365
        value = sum((p.amount for p in d.purchases if p.purchased_on.toordinal() > cutoff),
                    Decimal("0"))
        parts.append(subst(self.tr("12-month value %1"),
                           fmt_money(value, self.ctx.currency, self.locale())))
        if d.do_not_contact:
            parts.append(f"<span style='color:{palette.ERROR}'>" + self.tr("do not contact") + "</span>")
        name = d.name.replace("&", "&amp;").replace("<", "&lt;")
        self.header.setText(f"<h2>{name}</h2>" + " · ".join(parts))
        self._refresh_risk()

    def _refresh_risk(self) -> None:
        """The kept risk score in words, or why there is none (the status then follows
        the gap rule)."""
        kept, loc = self.ctx.risk, self.locale()
        self.risk_label.setVisible(self.data.id is not None and bool(self.data.purchases))
        if kept is None:
            self.risk_label.setText(risk_words.no_score())
            self.risk_label.setToolTip("")
            return
        if not kept.fresh:
            self.risk_label.setText(risk_words.stale_score())
            self.risk_label.setToolTip("")
            return
        sentence = risk_words.explanation(kept.explanation.code, kept.explanation.values,
                                          self.ctx.currency, loc)
        self.risk_label.setText(subst(self.tr("Risk %1: %2"),
                                      risk_words.percent(kept.score, loc), sentence))
        self.risk_label.setToolTip(risk_words.model_line(
            kept.model, fmt_date(kept.as_of, loc), kept.horizon))

    def _people(self) -> list[tuple[str | None, str]]:
        return [(None, self.name.text().strip() or self.tr("the client"))] + [
            (r.key, subst(self.tr("%1, %2", "a relative in a list: the name, then who they are "
                                          "to the client (Anna Nowak, daughter)"),
                          r.name, labels.relation(r.relation).lower()))
            for r in self.data.relatives]

    def _membership_lines(self) -> None:
        """The purchases tab shows each priced membership as the sale it is (saving
        keeps the real line in step, see clients._sync_membership_sales)."""
        kept = [p for p in self.data.purchases if p.membership_id is None]
        by_id = {p.membership_id: p for p in self.data.purchases if p.membership_id}
        for i, m in enumerate(self.data.memberships):
            if not m.price:
                continue
            old = by_id.get(m.id) if m.id is not None else None
            day = min(m.starts_on, old.purchased_on if old else date.today())
            kept.append(PurchaseData(id=old.id if old else None, purchased_on=day,
                                     amount=m.price, item=m.plan, future_confirmed=True,
                                     membership_id=m.id if m.id is not None else -1 - i))
        self.data.purchases = kept

    def _refresh_tables(self) -> None:
        self._membership_lines()
        loc = self.locale()
        t = self.relatives_table
        t.setRowCount(0)
        for r in self.data.relatives:
            i = t.rowCount()
            t.insertRow(i)
            t.setItem(i, 0, _item(r.name))
            t.setItem(i, 1, _item(labels.relation(r.relation)))
            t.setItem(i, 2, _item(r.note.replace("\n", " ")))
        people = dict(self._people())
        t = self.dates_table
        t.setRowCount(0)
        for d in self.data.dates:
            i = t.rowCount()
            t.insertRow(i)
            kind = labels.date_kind(d.kind) + (f": {d.label}" if d.label else "")
            day = f"{d.day} {loc.monthName(d.month, QLocale.FormatType.LongFormat)}"
            if d.year:
                day += f" {d.year}"
            gift = (self.tr("default") if d.gift_reminder_days is None
                    else self.tr("%n day(s) before", "", d.gift_reminder_days))
            for col, text in enumerate((people.get(d.relative_key, ""), kind, day, gift)):
                t.setItem(i, col, _item(text))
        t = self.purchases_table
        t.setRowCount(0)
        self.data.purchases.sort(key=lambda p: p.purchased_on, reverse=True)
        for p in self.data.purchases:
            i = t.rowCount()
            t.insertRow(i)
            for col, (text, right) in enumerate((
                    (fmt_date(p.purchased_on, loc), False),
                    (labels.purchase_item(p.item, p.is_credit), False),
                    (fmt_quantity(p.quantity, loc), True),
                    (fmt_money(p.amount, self.ctx.currency, loc), True), (p.note, False))):
                t.setItem(i, col, _item(text, right))
        total = sum((p.amount for p in self.data.purchases), Decimal("0"))
        self.purchases_total.setText(subst(self.tr("%n purchase(s), total %1", "",
                                             len(self.data.purchases)),
                                           fmt_money(total, self.ctx.currency, loc)))
        t = self.memberships_table
        t.setRowCount(0)
        for m in self.data.memberships:
            i = t.rowCount()
            t.insertRow(i)
            frozen = (f"{fmt_date(m.frozen_from, loc)} – {fmt_date(m.frozen_until, loc)}"
                      if m.frozen_from else "")
            marks = ", ".join(x for x in (self.tr("promo") if m.promo else "",
                                          self.tr("discount") if m.discount else "",
                                          m.special_conditions) if x)
            end = schedule.extended_end(m.ends_on, m.frozen_from, m.frozen_until,
                                        self.ctx.freeze_extends_end)
            ends = fmt_date(end, loc)
            if end != m.ends_on:
                ends += self.tr(" (+%n day(s) frozen)", "", (end - m.ends_on).days)
            for col, text in enumerate((m.plan, fmt_date(m.starts_on, loc), ends,
                                        labels.membership_status(m.status), frozen, marks)):
                t.setItem(i, col, _item(text))

    # ------------------------------------------------------------------ list editing
    @staticmethod
    def _current(table: QTableWidget) -> int | None:
        row = table.currentRow()
        return row if row >= 0 else None

    def _changed(self) -> None:
        self._dirty = True
        self._refresh_tables()
        self._refresh_name_day_offer()

    # ------------------------------------------------------------------ name day offer
    def _on_name_changed(self, _text: str) -> None:
        self._name_day_added = None  # "added" was said of the name as it was
        self._refresh_name_day_offer()

    def _refresh_name_day_offer(self) -> None:
        """Offer the name day of the first name typed, in the calendar of the business's
        country, while the client is a person with no name day of their own yet."""
        has_own = any(d.kind == DateKind.NAME_DAY and d.relative_key is None
                      for d in self.data.dates)
        found = None
        if (not self.ctx.read_only and not has_own
                and self.kind.currentData() == ClientKind.PERSON):
            found = name_days.offered_name_day(self.name.text(), self.ctx.region)
        for offer in (self.name_day_offer, self.dates_name_day_offer):
            if found is not None:
                offer.offer(*found)
            elif (offer is self.name_day_offer and has_own
                  and self._name_day_added is not None):
                offer.added(*self._name_day_added)
            else:
                offer.withdraw()
        self._name_form.setRowVisible(self.name_day_offer, not self.name_day_offer.isHidden())
        # the buttons are made as the name is typed (last in the focus chain): Tab from
        # the name reaches the offer, and from the family's buttons the one beside the dates
        for before, offer, after in (
                (self.name, self.name_day_offer, self.external_ref),
                (self.findChild(QPushButton, "relativeRemove"), self.dates_name_day_offer,
                 self.dates_table)):
            for b in offer.buttons:
                QWidget.setTabOrder(before, b)
                before = b
            if offer.buttons:
                QWidget.setTabOrder(before, after)

    def _people_name_days(self) -> dict[str | None, tuple[tuple[int, int], ...]]:
        """The name days of the client (key None) and of each relative whose first
        name is in the business's calendar, for the personal date dialog to fill in."""
        named: list[tuple[str | None, str]] = [(r.key, r.name) for r in self.data.relatives]
        if self.kind.currentData() == ClientKind.PERSON:
            named.insert(0, (None, self.name.text()))
        out: dict[str | None, tuple[tuple[int, int], ...]] = {}
        for key, name in named:
            found = name_days.offered_name_day(name, self.ctx.region)
            if found is not None:
                out[key] = found[1]
        return out

    def add_name_day(self, month: int, day: int) -> None:
        """The offered name day becomes one of the client's personal dates (no year),
        saved with the card like a date added by hand; the schedule then plans it."""
        if self.ctx.read_only:
            return
        self.data.dates.append(PersonalDateData(kind=DateKind.NAME_DAY, month=month, day=day))
        self._name_day_added = (month, day)
        self._changed()

    def add_relative(self) -> None:
        r = RelativeDialog.ask(self, RelativeData())
        if r is not None:
            self.data.relatives.append(r)
            self._changed()

    def edit_relative(self) -> None:
        i = self._current(self.relatives_table)
        if i is None or self.ctx.read_only:
            return
        r = RelativeDialog.ask(self, self.data.relatives[i])
        if r is not None:
            self.data.relatives[i] = r
            self._changed()

    def remove_relative(self) -> None:
        i = self._current(self.relatives_table)
        if i is None:
            return
        key = self.data.relatives.pop(i).key
        self.data.dates = [d for d in self.data.dates if d.relative_key != key]
        self._changed()

    def add_date(self) -> None:
        d = PersonalDateDialog.ask(self, PersonalDateData(), self._people(),
                                   self._people_name_days())
        if d is not None:
            self.data.dates.append(d)
            self._changed()

    def edit_date(self) -> None:
        i = self._current(self.dates_table)
        if i is None or self.ctx.read_only:
            return
        d = PersonalDateDialog.ask(self, self.data.dates[i], self._people())
        if d is not None:
            self.data.dates[i] = d
            self._changed()

    def remove_date(self) -> None:
        i = self._current(self.dates_table)
        if i is not None:
            self.data.dates.pop(i)
            self._changed()

    def add_purchase(self) -> None:
        p = PurchaseDialog.ask(self, PurchaseData(purchased_on=date.today(),
                                                  amount=Decimal("0")))
        if p is not None:
            self.data.purchases.append(p)
            self._changed()

    def _is_membership_line(self, i: int) -> bool:
        p = self.data.purchases[i]
        if p.membership_id is None:
            return False
        self.purchases_error.set_error(field_error_text(FieldError(
            "purchases", "purchase.membership_line", "", {"plan": p.item})))
        return True

    def edit_purchase(self) -> None:
        i = self._current(self.purchases_table)
        if i is None or self.ctx.read_only or self._is_membership_line(i):
            return
        p = PurchaseDialog.ask(self, self.data.purchases[i])
        if p is not None:
            self.data.purchases[i] = p
            self._changed()

    def remove_purchase(self) -> None:
        i = self._current(self.purchases_table)
        if i is None or self._is_membership_line(i):
            return
        p = self.data.purchases[i]
        answer = QMessageBox.question(
            self, self.tr("Remove purchase"),
            subst(self.tr("Remove the purchase of %1 on %2? It is removed when you save the card."),
                  fmt_money(p.amount, self.ctx.currency, self.locale()),
                  fmt_date(p.purchased_on, self.locale())))
        if answer == QMessageBox.StandardButton.Yes:
            self.data.purchases.pop(i)
            self._changed()

    def add_membership(self) -> None:
        m = MembershipDialog.ask(self, MembershipData())
        if m is not None:
            self.data.memberships.append(m)
            self._changed()

    def edit_membership(self) -> None:
        i = self._current(self.memberships_table)
        if i is None or self.ctx.read_only:
            return
        m = MembershipDialog.ask(self, self.data.memberships[i])
        if m is not None:
            self.data.memberships[i] = m
            self._changed()

    def freeze_membership(self) -> None:
        i = self._current(self.memberships_table)
        if i is None and len(self.data.memberships) == 1:
            i = 0
        if i is None or self.ctx.read_only:
            self.memberships_error.set_error(self.tr("Choose the membership to freeze."))
            return
        m = FreezeDialog.ask(self, self.data.memberships[i])
        if m is not None:
            self.memberships_error.set_error(None)
            self.data.memberships[i] = m
            self._changed()

    def remove_membership(self) -> None:
        i = self._current(self.memberships_table)
        if i is not None:
            self.data.memberships.pop(i)
            self._changed()

    # ------------------------------------------------------------------ saving
    def _watch_changes(self) -> None:
        def mark(*_args) -> None:
            self._dirty = True
        for w in (self.name, self.external_ref, self.phone, self.email, self.tags):
            w.textEdited.connect(mark)
        for w in (self.preferences, self.notes):
            w.textChanged.connect(mark)
        for w in (self.kind, self.segment_override, self.channel, self.source):
            w.currentIndexChanged.connect(mark)
        for w in [self.do_not_contact, self.any_time, *self.day_checks]:
            w.toggled.connect(mark)
        self.consent.changed.connect(mark)
        self.referred_by.textEdited.connect(mark)

    def collect(self) -> ClientData:
        """The form's values as a ClientData (not yet validated)."""
        tags = [t for t in self.tags.text().split(",") if t.strip()]
        consent_on = self.consent.value()
        return replace(
            self.data, kind=ClientKind(self.kind.currentData()), name=self.name.text(),
            external_ref=self.external_ref.text(), phone=self.phone.text(),
            email=self.email.text(), tags=tags,
            segment_override=enum_or_none(Segment, self.segment_override.currentData()),
            segment_override_reason=self.segment_reason.text(),
            source_channel=self.source.code(),
            referred_by_id=self.referred_by.client_id(),
            preferred_channel=enum_or_none(Channel, self.channel.currentData()),
            contact_from=None if self.any_time.isChecked() else pytime(self.hours_from.time()),
            contact_to=None if self.any_time.isChecked() else pytime(self.hours_to.time()),
            contact_days="".join(str(i + 1) for i, cb in enumerate(self.day_checks)
                                 if cb.isChecked()),
            do_not_contact=self.do_not_contact.isChecked(),
            marketing_consent=self.consent.is_on(), marketing_consent_on=consent_on,
            preferences=self.preferences.toPlainText(), notes=self.notes.toPlainText())

    def show_errors(self, errors: list[FieldError]) -> None:
        for lab in [*self.field_errors.values(), self.family_error, self.purchases_error,
                    self.memberships_error, self.general_error]:
            lab.set_error(None)
        first_tab: CardTab | None = None
        for e in errors:
            text = field_error_text(e)
            if e.field in self.field_errors:
                self.field_errors[e.field].set_error(text)
                tab = CardTab.DETAILS
            elif e.field.startswith(("relatives", "dates")):
                self.family_error.set_error(text)
                tab = CardTab.FAMILY
            elif e.field.startswith("purchases"):
                self.purchases_error.set_error(text)
                tab = CardTab.PURCHASES
            elif e.field.startswith("memberships"):
                self.memberships_error.set_error(text)
                tab = CardTab.MEMBERSHIPS
            else:
                self.general_error.set_error(text)
                tab = None
            if first_tab is None and tab is not None:
                first_tab = tab
        if first_tab is not None:
            self.tabs.setCurrentIndex(first_tab)

    def save(self) -> None:
        if self._saving:  # one save at a time: the one under way closes the card
            return
        if self.ctx.read_only:
            self.reject()
            return
        if self.referred_by.is_unresolved():
            self.show_errors([FieldError("referred_by", "referral.missing", "pick a client")])
            return
        try:
            data = self.collect()
        except DomainError as exc:  # the consent date is not a date
            self.show_errors([FieldError("marketing_consent_on", exc.code, exc.message,
                                         dict(exc.values))])
            return
        self._saving = True
        try:
            client_service.validate_client(data, self.ctx.region)
            saved = self._save(data)
        except DomainError as exc:
            self._saving = False
            self._show_refusal(exc)
            return
        if saved is None:  # under way in the background: save_finished or save_failed
            self._wait_for_save()
            return
        self._saving = False
        self._stored(saved)

    @property
    def saving(self) -> bool:
        """A save is under way: the card waits for it, then closes (or shows why not)."""
        return self._saving

    def _wait_for_save(self) -> None:
        """Disabled while the save runs (nothing typed, clicked or closed meanwhile), and
        saying so; the window behind keeps painting and answering."""
        focus = QApplication.focusWidget()
        self._focus_before_save = focus if focus is not None and self.isAncestorOf(focus) \
            else None
        self.show_errors([])
        self.saving_label.show()
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.setEnabled(False)

    def _end_wait(self) -> None:
        self._saving = False
        self.saving_label.hide()
        self.unsetCursor()
        self.setEnabled(True)
        focus, self._focus_before_save = self._focus_before_save, None
        if focus is not None and isValid(focus) and focus.isEnabled():
            focus.setFocus()

    def save_finished(self, client_id: int) -> None:
        """The background save went through: the card closes, as after a direct save."""
        if not self._saving:
            return
        self._end_wait()
        self._stored(client_id)
        self.save_ended.emit(True)

    def save_failed(self, error: DomainError) -> None:
        """The background save was refused: the card is editable again, everything typed
        kept, the refusal beside its field."""
        if not self._saving:
            return
        self._end_wait()
        self._show_refusal(error)
        self.save_ended.emit(False)

    def _stored(self, client_id: int) -> None:
        self.saved_id = client_id
        self._dirty = False
        self.accept()

    def _show_refusal(self, exc: DomainError) -> None:
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
            return
        self.show_errors([])
        self.general_error.set_error(error_text(exc))

    def reject(self) -> None:
        """Cancel, Esc, the window's close button and quitting the app come here: typed,
        unsaved work asks Save / Discard / Cancel (Cancel, or a save that is refused,
        keeps the card open with everything typed). While a save is under way nothing
        closes the card: the save closes it when it went through."""
        if self._saving:
            return
        if self._dirty and not self.ctx.read_only:
            buttons = QMessageBox.StandardButton
            answer = QMessageBox.question(
                self, self.tr("Unsaved changes"),
                self.tr("Save the changes to this client?"),
                buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
            if answer == buttons.Save:
                self.save()  # closes the card when the save went through
                return
            if answer != buttons.Discard:
                return
        super().reject()

    def done(self, result: int) -> None:
        window_state.save_geometry(GEOMETRY_KEY, self)
        if self.gate is not None:  # closed: nothing of it is to be read again
            self.ctx.bus.changed.disconnect(self.gate.on_changed)
            self.gate.pending = None
            self.gate._timer.stop()
            self.gate = None
        super().done(result)

    def _export_data(self) -> None:
        if self.ctx.export_data is not None:
            self.ctx.export_data(self)

    def _erase(self) -> None:
        if self.ctx.erase is not None and self.ctx.erase(self, self.data.name):
            self._dirty = False  # nothing of this card is to be saved any more
            super().reject()

    def _make_read_only(self) -> None:
        for kind in (QLineEdit, QPlainTextEdit):  # one type per call: PySide 6.12
            for w in self.findChildren(kind):      # no longer takes a tuple
                w.setReadOnly(True)
        for kind in (QComboBox, QCheckBox, QTimeEdit):
            for w in self.findChildren(kind):
                w.setEnabled(False)
        for b in self._editing_buttons:
            b.setEnabled(False)
        for b in self.findChildren(QToolButton, "dateCalendarButton"):
            b.setEnabled(False)  # a calendar would change a date no one can save
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.setWindowTitle(subst(self.tr("%1 (in the Trash)"), self.data.name))


def card_context(ops: Ops, exclude: int | None = None, read_only: bool = False) -> CardContext:
    region, currency, freeze_extends, kept = ops.read(lambda s: (
        settings_service.get(s, "business.region"),
        settings_service.get(s, "business.currency"),
        settings_service.get(s, "membership.freeze_extends_end"),
        None if exclude is None else risk_store.kept(s, [exclude]).get(exclude)))
    def open_complaint(parent: QWidget, complaint_id: int | None) -> QDialog | None:
        return open_complaint_dialog(parent, ops, complaint_id=complaint_id,
                                     client_id=exclude, modal=True)

    def complaints() -> list:
        if exclude is None:
            return []

        return ops.read(lambda s: complaint_service.complaint_rows(
            s, now=datetime.now(), client_id=exclude))

    def export_data(parent: QWidget) -> bool:
        return exclude is not None and export_client_data(parent, ops, exclude)

    def erase(parent: QWidget, name: str) -> bool:
        return exclude is not None and erase_client(parent, ops, exclude, name)

    def correct_contact(parent: QWidget, contact_id: int):
        return correct_logged_call(parent, ops, contact_id)

    def load_history(limit: int, done, failed) -> None:
        """The latest ``limit`` changes, read on the database executor; ``done`` or
        ``failed`` reach the card on the GUI thread while it is still open."""
        if exclude is None:
            return
        card = getattr(done, "__self__", None)  # a card closed meanwhile hears nothing

        def alive() -> bool:
            return card is None or isValid(card)

        ops.submit(None, lambda s, _job: history_service.client_history(s, exclude, limit),
                   label=QCoreApplication.translate("ClientCardDialog", "Reading the changes…"),
                   write=False, on_done=lambda found: alive() and done(found),
                   on_error=lambda exc: alive() and failed(exc))

    def load_contacts() -> list:
        return [] if exclude is None else ops.read(
            lambda s: client_service.contact_rows(s, exclude))

    return CardContext(
        region=region, currency=currency, read_only=read_only,
        load_history=load_history, load_contacts=load_contacts, bus=ops.bus,
        correct_contact=correct_contact,
        search_clients=lambda text: ops.read(
            lambda s: client_service.client_choices(s, text, exclude=exclude)),
        complaints=complaints, open_complaint=open_complaint,
        export_data=export_data, erase=erase, freeze_extends_end=freeze_extends, risk=kept,
        messages_panel=messages_panel_factory(ops, exclude, read_only))


def save_on_executor(ops: Ops, card: ClientCardDialog, fn: Callable[[object], int]) -> None:
    """Run the write ``fn(session)`` in one transaction on the database executor; its
    changes are announced as :meth:`Ops.run` does, then the card hears the outcome on
    the GUI thread (:meth:`ClientCardDialog.save_finished` with the id, or
    :meth:`~ClientCardDialog.save_failed` with the refusal to show beside its fields). A
    database open read-only refuses before anything runs (raised)."""
    if ops.db.read_only:
        raise read_only_error()
    card_ref = weakref.ref(card)  # the job does not keep a closed card alive

    def done(result: int) -> None:
        c = card_ref()
        if c is not None and isValid(c):
            c.save_finished(result)

    def failed(exc: DomainError) -> None:
        c = card_ref()
        if c is not None and isValid(c):
            c.save_failed(exc)

    job = ops.submit(card, lambda s, _job: fn(s),
                     label=QCoreApplication.translate("ClientCardDialog", "Saving the card…"),
                     on_done=done, on_error=failed)
    if job is None:  # refused before it ran (read-only)
        raise read_only_error()


def open_client_card(parent: QWidget | None, ops: Ops, client_id: int | None,
                     read_only: bool = False,
                     on_saved: Callable[[int], None] | None = None) -> ClientCardDialog | None:
    """Open the card of a client (or a new one) as a window-modal dialog and return it;
    ``on_saved(id)`` runs after a successful save."""
    if client_id is None:
        data = ClientData()
    else:
        try:
            data = ops.read(lambda s: client_service.load_client(s, client_id))
        except DomainError as exc:
            show_error(parent, exc)
            return None
    ctx = card_context(ops, exclude=client_id, read_only=read_only)

    def save(d: ClientData) -> None:
        # saving regenerates the client's due contacts, 100-300 ms at 100,000 clients:
        # done on the database executor while the card waits, disabled; the GUI thread
        # goes back to its own event loop (no local one), and the job's outcome closes
        # the card or shows the refusal beside its field
        card = card_ref()
        assert card is not None  # only the card itself saves
        save_on_executor(ops, card, lambda s: card_service.save_card(s, d, ctx.region))

    dlg = ClientCardDialog(parent, data, save, ctx)
    card_ref = weakref.ref(dlg)  # not the card itself: no cycle keeps a closed card alive
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    ops.register_editor(dlg)  # quitting asks it to save or discard first
    if on_saved is not None:
        dlg.accepted.connect(lambda: dlg.saved_id is not None and on_saved(dlg.saved_id))
    dlg.open()
    return dlg
