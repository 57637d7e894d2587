"""Settings → Rules: every number of DOMAIN.md's rules, each with its default, edited
with validation; saving brings the due contacts in line at once. The business's working
days (calls fall only on them, its country's public holidays excluded) and the
compensation each role may grant on the spot are rules too."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.config import SETTINGS
from app.errors import DomainError, FieldError, ValidationError
from app.services import rules as rules_service
from app.services import settings as settings_service
from app.services.schedule import RegenStats
from app.ui.formatting import fmt_decimal_short
from app.ui.messages import field_error_text
from app.ui.ops import Changes, Concern, Job, Ops, show_error
from app.ui.progress import show_progress
from app.ui.refresh import RefreshGate
from app.ui.widgets import ErrorLabel, hint_label, read_money

WORKING_DAYS = "business.working_days"


class WeekdaysEditor(QWidget):
    """Seven ticks, Monday first: the ISO weekdays the business works ("123456")."""

    def __init__(self, locale: QLocale, parent=None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[QCheckBox] = []
        for iso in range(1, 8):
            cb = QCheckBox(locale.dayName(iso, QLocale.FormatType.ShortFormat))
            cb.setObjectName(f"workingDay{iso}")
            self.boxes.append(cb)
            lay.addWidget(cb)
        lay.addStretch(1)

    def days(self) -> str:
        return "".join(str(i + 1) for i, cb in enumerate(self.boxes) if cb.isChecked())

    def set_days(self, days: str) -> None:
        for i, cb in enumerate(self.boxes):
            cb.setChecked(str(i + 1) in days)


def rule_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """(group title, [(setting key, label)]) in the order the page shows them."""
    return [
        (QCoreApplication.translate("RulesSettings", "Working days"), [
            (WORKING_DAYS, QCoreApplication.translate("RulesSettings", "Calls are made on")),
            ("note:", QCoreApplication.translate(
                "RulesSettings", "Calls and renewals never fall on a closed day nor on a "
                "public holiday of the business's country (Settings → Business); a call "
                "nobody answers moves to the next working day.")),
        ]),
        (QCoreApplication.translate("RulesSettings", "Follow-up after a purchase"), [
            ("rule.follow_up.enabled", QCoreApplication.translate("RulesSettings", "Make follow-up calls")),
            ("rule.follow_up.after_days", QCoreApplication.translate("RulesSettings", "Days after the purchase")),
            ("rule.follow_up.window_days", QCoreApplication.translate("RulesSettings", "Call no later than, days")),
            ("status.new_until_purchases",
             QCoreApplication.translate("RulesSettings", "A client is new until purchase number")),
            ("rule.follow_up.min_amount",
             QCoreApplication.translate("RulesSettings", "Also for other clients from this amount (0 = only new)")),
        ]),
        (QCoreApplication.translate("RulesSettings", "Memberships"), [
            ("rule.onboarding.enabled", QCoreApplication.translate("RulesSettings", "Onboarding check-in")),
            ("rule.onboarding.after_days", QCoreApplication.translate("RulesSettings", "Days after the start")),
            ("rule.renewal.enabled", QCoreApplication.translate("RulesSettings", "Renewal calls")),
            ("rule.renewal.before_days", QCoreApplication.translate("RulesSettings", "Days before the end")),
            ("membership.freeze_extends_end",
             QCoreApplication.translate("RulesSettings", "Frozen days extend the membership")),
        ]),
        (QCoreApplication.translate("RulesSettings", "Personal dates"), [
            ("rule.personal_date.enabled",
             QCoreApplication.translate("RulesSettings", "Congratulate on birthdays and name days")),
            ("rule.gift.before_days", QCoreApplication.translate("RulesSettings", "Gift reminder, days before")),
            ("rule.personal_date.horizon_days",
             QCoreApplication.translate("RulesSettings", "Show dates this many days ahead")),
        ]),
        (QCoreApplication.translate("RulesSettings", "Complaints"), [
            ("rule.complaint_callback.after_days",
             QCoreApplication.translate("RulesSettings", "Call back, days after the fix")),
            ("rule.complaint_review.after_days",
             QCoreApplication.translate("RulesSettings", "Team review, days after the fix")),
            ("complaint.first_response_hours",
             QCoreApplication.translate("RulesSettings", "First response within, hours")),
            ("complaint.limit.receptionist", QCoreApplication.translate(
                "RulesSettings", "A receptionist may grant on the spot, up to")),
            ("complaint.limit.manager", QCoreApplication.translate(
                "RulesSettings", "A manager may grant on the spot, up to")),
            ("note:", QCoreApplication.translate(
                "RulesSettings", "An owner may grant any compensation and approves more "
                "than the others' limits. Amounts are in the business's currency.")),
        ]),
        (QCoreApplication.translate("RulesSettings", "Clients who stop coming"), [
            ("rule.win_back.enabled", QCoreApplication.translate("RulesSettings", "Win-back calls")),
            ("status.gap_multiplier",
             QCoreApplication.translate("RulesSettings", "At risk when the gap is this many times the usual")),
            ("status.min_purchases_for_own_gap",
             QCoreApplication.translate("RulesSettings", "Purchases needed to know a client's usual gap")),
            ("status.default_gap_days",
             QCoreApplication.translate("RulesSettings", "Otherwise at risk after, days")),
            ("status.lapsed_after_days", QCoreApplication.translate("RulesSettings", "Lapsed after, days")),
            ("risk.horizon_days", QCoreApplication.translate(
                "RulesSettings", "Risk score: the chance of no purchase in the next, days")),
            ("risk.threshold_percent", QCoreApplication.translate(
                "RulesSettings", "At risk from a risk score of, percent")),
            ("note:", QCoreApplication.translate(
                "RulesSettings", "A client with a risk score is at risk from that score on; "
                "the gap rule above decides for a client without one yet (the scores are "
                "computed after the start of the day and after an import).")),
            ("rule.keep_in_touch.enabled",
             QCoreApplication.translate("RulesSettings", "Keep in touch with A clients")),
            ("rule.keep_in_touch.days",
             QCoreApplication.translate("RulesSettings", "Days without a pleasant contact")),
        ]),
        (QCoreApplication.translate("RulesSettings", "Touch, don't pester"), [
            ("contact.cap_count", QCoreApplication.translate("RulesSettings", "At most this many contacts")),
            ("contact.cap_days", QCoreApplication.translate("RulesSettings", "in this many days")),
            ("contact.max_attempts", QCoreApplication.translate("RulesSettings", "Tries when nobody answers")),
        ]),
        (QCoreApplication.translate("RulesSettings", "Groups and value"), [
            ("segment.a_revenue_share", QCoreApplication.translate("RulesSettings", "Group A: clients making this percent of revenue")),
            ("segment.b_revenue_share", QCoreApplication.translate("RulesSettings", "Group B: the next percent of revenue")),
            ("segment.a_min_purchases", QCoreApplication.translate("RulesSettings", "Group A: bought on at least this many days")),
            ("value.window_days", QCoreApplication.translate("RulesSettings", "Client value over, days")),
            ("rule.quarterly_review.enabled",
             QCoreApplication.translate("RulesSettings", "Quarterly A/B/C review reminder")),
        ]),
        (QCoreApplication.translate("RulesSettings", "Backups"), [
            ("backup.keep_daily",
             QCoreApplication.translate("RulesSettings", "Keep one automatic backup a day for days")),
            ("backup.keep_weekly",
             QCoreApplication.translate("RulesSettings", "Keep one automatic backup a week for weeks")),
        ]),
    ]


class RulesSettings(QWidget):
    saved = Signal()

    def __init__(self, ops: Ops, parent=None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.editors: dict[str, QWidget] = {}
        self.job: Job | None = None  # the last save, on the database executor
        self.errors: dict[str, ErrorLabel] = {}
        inner = QWidget()
        grid = QHBoxLayout(inner)
        columns = [QVBoxLayout()]
        for _i, (title, rows) in enumerate(rule_groups()):
            box = QGroupBox(title)
            form = QFormLayout(box)

            for key, label in rows:
                if key == "note:":
                    form.addRow(hint_label(label))  # the whole width: wraps less
                    continue
                editor = self._editor(key)
                self.editors[key] = editor
                err = ErrorLabel()
                self.errors[key] = err
                if isinstance(editor, QCheckBox):
                    editor.setText(label)
                    form.addRow("", editor)
                else:
                    form.addRow(label, editor)
                form.addRow("", err)
            # one column: the labels are long in Polish and Bulgarian
            columns[0].addWidget(box)
        for col in columns:
            col.addStretch(1)
            grid.addLayout(col, 1)
        grid.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        self.save_button = QPushButton(self.tr("Save the rules"))
        self.save_button.setObjectName("saveRulesButton")
        self.defaults_button = QPushButton(self.tr("Back to the defaults"))
        self.status = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.defaults_button)
        buttons.addWidget(self.status, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(scroll, 1)
        lay.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.defaults_button.clicked.connect(self.load_defaults)
        self.load()
        # after a restore (or a change made elsewhere) the editors show the stored
        # values, so Save never writes the old in-memory ones back
        self.gate = RefreshGate(self, ops.bus, (Concern.SETTINGS,), self._refresh,
                                skip_own=True)

    def _refresh(self, _changes: Changes) -> None:
        self.load()
        self.status.setText("")

    def _editor(self, key: str) -> QWidget:
        if key == WORKING_DAYS:
            return WeekdaysEditor(self.locale())
        d = SETTINGS[key]
        if d.kind is bool:
            return QCheckBox()
        if d.kind is int:
            w = QSpinBox()
            w.setRange(int(d.minimum or 0), int(d.maximum or 1_000_000))
            w.setMinimumWidth(90)
            w.setMaximumWidth(120)
            if key.endswith("_percent"):
                w.setSuffix(" %")
            return w
        w = QLineEdit()
        w.setMaximumWidth(120)
        return w

    def _set(self, key: str, value) -> None:
        w = self.editors[key]
        if isinstance(w, WeekdaysEditor):
            w.set_days(str(value))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value))
        else:
            w.setText(fmt_decimal_short(Decimal(value), self.locale()))

    def _get(self, key: str):
        w = self.editors[key]
        if isinstance(w, WeekdaysEditor):
            return w.days()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QSpinBox):
            return w.value()
        return read_money(w, field=key)

    def load(self) -> None:
        values = self.ops.read(settings_service.get_all)
        for key in self.editors:
            self._set(key, values[key])
        for e in self.errors.values():
            e.set_error(None)

    def load_defaults(self) -> None:
        for key in self.editors:
            self._set(key, SETTINGS[key].default)
        self.status.setText(self.tr("Defaults filled in; save to use them."))

    def save(self) -> bool:
        """Check the typed values (each beside its field) and, when they are right, save
        them and bring the due contacts in line on the database executor (about 1.5 s
        at 100,000 clients), the window waiting behind a progress dialog. True when the
        save started; the status line says how it ended."""
        self.status.clear()  # an earlier "Saved." must not stand beside a refusal
        for e in self.errors.values():
            e.set_error(None)
        values, errors = {}, []
        for key in self.editors:
            try:
                values[key] = self._get(key)  # the typed text, read in the user's locale
            except ValidationError as exc:
                errors.extend(exc.errors)
            except DomainError as exc:
                errors.append(FieldError(key, exc.code, exc.message, dict(exc.values)))
        try:
            rules_service.check_rules(values)
        except ValidationError as exc:
            errors.extend(exc.errors)
        if errors:
            for e in errors:
                self.errors[e.field].set_error(field_error_text(e))
            self.status.setText(self.tr("Nothing was saved: please correct the marked values."))
            return False
        today = date.today()
        self.job = self.ops.submit(
            self, lambda s, _job: rules_service.save_rules(s, values, today),
            label=self.tr("Saving the rules and rescheduling the calls"),
            on_done=self._on_saved, on_error=self._on_save_failed, source=self)
        if self.job is None:  # refused before it started (read-only)
            self.status.setText(self.tr("Nothing was saved."))
            return False
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        show_progress(self, self.ops.executor, self.job)
        return True

    def _on_saved(self, stats: RegenStats) -> None:
        if not isValid(self):
            return
        self.save_button.setEnabled(True)
        self.status.setText(" ".join((
            self.tr("Saved. %n new call(s) scheduled.", "", stats.created),
            self.tr("%n call(s) cancelled.", "", stats.cancelled))))
        risk = getattr(self.window(), "risk", None)
        if risk is not None:  # another horizon: the risk scores again
            risk.refresh(only_if_due=True)
        self.saved.emit()

    def _on_save_failed(self, exc: DomainError) -> None:
        if not isValid(self):
            return
        self.save_button.setEnabled(True)
        self.status.setText(self.tr("Nothing was saved."))
        show_error(self, exc)
