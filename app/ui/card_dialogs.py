"""Small dialogs the client card opens: a purchase, a membership, a relative, a date.

Each takes a parent and a plain data object and offers ``ask(parent, initial, ...)``
returning the edited copy, or None when cancelled. Nothing here touches the database:
the card saves everything in one transaction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError, FieldError, ValidationError
from app.models.enums import DateKind, MembershipStatus, Relation
from app.services.clients import (
    HAPPENED_DATES,
    MembershipData,
    PersonalDateData,
    PurchaseData,
    RelativeData,
    validate_membership,
    validate_purchase,
)
from app.services.validation import check_month_day, read_amount
from app.text import subst
from app.ui import labels
from app.ui.formatting import (
    fmt_date_entry,
    fmt_day_month,
    fmt_decimal,
    fmt_quantity,
    month_name,
)
from app.ui.messages import field_error_text
from app.ui.widgets import DateEntry, ErrorLabel, read_money


class _FormDialog(QDialog):
    """A form with an error label under each field and OK/Cancel."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.errors: dict[str, ErrorLabel] = {}
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.buttons)
        # wide enough for a message under a field in every language, on one or two lines
        self.setMinimumWidth(520)
        self.result_data = None

    def add_row(self, key: str, label: str, widget: QWidget) -> QWidget:
        err = ErrorLabel()
        self.errors[key] = err
        self.form.addRow(label, widget)
        self.form.addRow("", err)
        return widget

    def show_errors(self, errors: list[FieldError]) -> None:
        for lab in self.errors.values():
            lab.set_error(None)
        for e in errors:
            key = e.field.rsplit(".", 1)[-1]
            target = self.errors.get(key) or next(iter(self.errors.values()))
            target.set_error(field_error_text(e))
        self.layout().activate()
        self.adjustSize()  # grow to the messages' height, so none is cut off

    def build(self):  # returns data or raises ValidationError
        raise NotImplementedError

    def _on_buttons_accepted(self) -> None:
        try:
            self.result_data = self.build()
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        self.accept()


def _field_value(errors: list[FieldError], key: str, read, default=None):
    """``read()``, or ``default`` with the DomainError it raised added to ``errors``."""
    try:
        return read()
    except DomainError as exc:
        errors.append(FieldError(key, exc.code, exc.message, dict(exc.values)))
        return default


def _parse_quantity(edit: QLineEdit, loc: QLocale) -> Decimal:
    """The quantity typed, with either decimal separator ("1,5" in English is 1.5, not
    15); a text that reads two ways ("1,500") is shown back first, like an amount."""
    try:
        value, ambiguous = read_amount(edit.text(), loc.decimalPoint(), loc.groupSeparator(),
                                       field="quantity")
    except DomainError:
        raise ValidationError([FieldError("quantity", "quantity.positive",
                                          "not a quantity")]) from None
    if value <= 0 or value > Decimal("9999999") or value != value.quantize(Decimal("0.001")):
        raise ValidationError([FieldError("quantity", "quantity.positive", "not positive")])
    if ambiguous and edit.text() != edit.property("shown_back"):
        edit.setText(fmt_quantity(value, loc))
        edit.setProperty("shown_back", edit.text())  # seen: the next OK takes it
        raise ValidationError([FieldError("quantity", "amount.check", "check the reading",
                                          {"value": edit.text()})])
    return value.quantize(Decimal("0.001"))


class PurchaseDialog(_FormDialog):
    def __init__(self, parent: QWidget | None, initial: PurchaseData) -> None:
        super().__init__(parent, self.tr("Purchase") if initial.id is None
                         else self.tr("Edit purchase"))
        self.initial = initial
        loc = self.locale()
        self.date = self.add_row("purchased_on", self.tr("Date"), DateEntry(
            initial.purchased_on, own_error=False, field="purchased_on"))
        self.amount = self.add_row("amount", self.tr("Amount"), QLineEdit(
            fmt_decimal(initial.amount, loc) if initial.amount else ""))
        self.amount.setObjectName("amountEdit")
        self.amount.setPlaceholderText(fmt_decimal(Decimal("1234.50"), loc))
        self.item = self.add_row("item", self.tr("Item or service"), QLineEdit(initial.item))
        self.item.setObjectName("itemEdit")
        self.quantity = self.add_row("quantity", self.tr("Quantity"),
                                     QLineEdit(fmt_quantity(initial.quantity, loc)))
        self.quantity.setObjectName("quantityEdit")
        self.note = self.add_row("note", self.tr("Note"), QLineEdit(initial.note))
        self.amount.setFocus()

    def build(self) -> PurchaseData:
        errors: list[FieldError] = []
        loc = self.locale()
        purchased_on = _field_value(errors, "purchased_on", self.date.value)
        amount = _field_value(errors, "amount", lambda: read_money(
            self.amount, allow_negative=self.initial.is_credit), Decimal("0"))
        quantity = Decimal("1")
        try:
            quantity = _parse_quantity(self.quantity, loc)
        except ValidationError as exc:
            errors.extend(exc.errors)
        data = replace(self.initial, purchased_on=purchased_on, amount=amount,
                       item=self.item.text(), quantity=quantity, note=self.note.text())
        if errors:
            raise ValidationError(errors)
        if purchased_on > date.today() and purchased_on != self.initial.purchased_on:
            data.future_confirmed = self._confirm_future(purchased_on)
            if not data.future_confirmed:
                raise ValidationError([FieldError("purchased_on", "date.future_unconfirmed",
                                                  "not confirmed")])
        return validate_purchase(data)

    def _confirm_future(self, day: date) -> bool:
        answer = QMessageBox.question(
            self, self.tr("A purchase in the future"),
            subst(self.tr("This purchase is dated %1, after today. Save it with this date?"),
                  fmt_date_entry(day, self.locale())),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    @classmethod
    def ask(cls, parent: QWidget | None, initial: PurchaseData) -> PurchaseData | None:
        dlg = cls(parent, initial)
        try:
            return dlg.result_data if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()  # a hidden dialog per use would pile up under its parent


class MembershipDialog(_FormDialog):
    def __init__(self, parent: QWidget | None, initial: MembershipData) -> None:
        super().__init__(parent, self.tr("Membership"))
        self.initial = initial
        loc = self.locale()
        self.plan = self.add_row("plan", self.tr("Plan"), QLineEdit(initial.plan))
        self.plan.setObjectName("planEdit")
        self.starts = self.add_row("starts_on", self.tr("Starts"), DateEntry(
            initial.starts_on, own_error=False, field="starts_on"))
        self.ends = self.add_row("ends_on", self.tr("Ends"), DateEntry(
            initial.ends_on, own_error=False, field="ends_on"))
        self.status = QComboBox()
        for st in MembershipStatus:
            self.status.addItem(labels.membership_status(st), st)
        self.status.setCurrentIndex(self.status.findData(initial.status))
        self.add_row("status", self.tr("Status"), self.status)
        self.frozen_from = self.add_row("frozen", self.tr("Frozen from"), DateEntry(
            initial.frozen_from, optional=True, own_error=False, field="frozen"))
        self.frozen_until = self.add_row("frozen_until", self.tr("Frozen until"), DateEntry(
            initial.frozen_until, optional=True, own_error=False, field="frozen_until"))
        self.price = self.add_row("price", self.tr("Price"), QLineEdit(
            fmt_decimal(initial.price, loc) if initial.price is not None else ""))
        self.promo = QCheckBox(self.tr("Bought on a promotion"))
        self.promo.setChecked(initial.promo)
        self.discount = QCheckBox(self.tr("Has a discount"))
        self.discount.setChecked(initial.discount)
        self.form.addRow(self.tr("Marks"), self.promo)
        self.form.addRow("", self.discount)
        self.special = self.add_row("special_conditions", self.tr("Special conditions"),
                                    QLineEdit(initial.special_conditions))
        self.note = self.add_row("note", self.tr("Note"), QLineEdit(initial.note))

    def build(self) -> MembershipData:
        errors: list[FieldError] = []
        price = None
        if self.price.text().strip():
            price = _field_value(errors, "price", lambda: read_money(self.price, field="price"))
        starts = _field_value(errors, "starts_on", self.starts.value)
        ends = _field_value(errors, "ends_on", self.ends.value)
        frozen_from = _field_value(errors, "frozen", self.frozen_from.value)
        frozen_until = _field_value(errors, "frozen_until", self.frozen_until.value)
        if errors:  # a date that is not a date: say so before the rules between dates
            if not self.plan.text().strip():
                errors.append(FieldError("plan", "plan.required", "a plan name is required"))
            raise ValidationError(errors)
        data = replace(self.initial, plan=self.plan.text(), starts_on=starts, ends_on=ends,
                       status=MembershipStatus(self.status.currentData()),
                       frozen_from=frozen_from, frozen_until=frozen_until, price=price,
                       promo=self.promo.isChecked(), discount=self.discount.isChecked(),
                       special_conditions=self.special.text(), note=self.note.text())
        try:
            out = validate_membership(data)
        except ValidationError as exc:
            errors.extend(exc.errors)
        if errors:
            raise ValidationError(errors)
        return out

    @classmethod
    def ask(cls, parent: QWidget | None, initial: MembershipData) -> MembershipData | None:
        dlg = cls(parent, initial)
        try:
            return dlg.result_data if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()  # a hidden dialog per use would pile up under its parent


class RelativeDialog(_FormDialog):
    def __init__(self, parent: QWidget | None, initial: RelativeData) -> None:
        super().__init__(parent, self.tr("Family member"))
        self.initial = initial
        self.name = self.add_row("name", self.tr("Name"), QLineEdit(initial.name))
        self.name.setObjectName("relativeNameEdit")
        self.relation = QComboBox()
        for r in Relation:
            self.relation.addItem(labels.relation(r), r)
        self.relation.setCurrentIndex(self.relation.findData(initial.relation))
        self.add_row("relation", self.tr("Relation"), self.relation)
        self.note = QPlainTextEdit(initial.note)
        self.note.setFixedHeight(60)
        self.add_row("note", self.tr("Note (tastes, gift ideas)"), self.note)

    def build(self) -> RelativeData:
        name = " ".join(self.name.text().split())
        if not name:
            raise ValidationError([FieldError("name", "name.required", "name required")])
        return replace(self.initial, name=name, relation=Relation(self.relation.currentData()),
                       note=self.note.toPlainText())

    @classmethod
    def ask(cls, parent: QWidget | None, initial: RelativeData) -> RelativeData | None:
        dlg = cls(parent, initial)
        try:
            return dlg.result_data if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()  # a hidden dialog per use would pile up under its parent


class PersonalDateDialog(_FormDialog):
    """A yearly date of the client or of a relative; the year may be unknown.

    ``name_days`` (a person's key -> their name days in the business's calendar, the main
    one first) fills in the main day when "Name day" is chosen for that person, until
    the day or the month is set by hand; the calendar's days are shown under the kind."""

    def __init__(self, parent: QWidget | None, initial: PersonalDateData,
                 people: list[tuple[str | None, str]],
                 name_days: dict[str | None, tuple[tuple[int, int], ...]] | None = None
                 ) -> None:
        super().__init__(parent, self.tr("Personal date"))
        self.initial = initial
        self.name_days = dict(name_days or {})
        self._day_by_hand = False  # the day or month set by the user: not filled in
        self._filling = False
        self.whose = QComboBox()
        for key, name in people:
            self.whose.addItem(name, key)
        self.whose.setCurrentIndex(max(0, self.whose.findData(initial.relative_key)))
        self.add_row("whose", self.tr("Whose"), self.whose)
        self.kind = QComboBox()
        for k in DateKind:
            self.kind.addItem(labels.date_kind(k), k)
        self.kind.setCurrentIndex(self.kind.findData(initial.kind))
        self.add_row("kind", self.tr("Kind"), self.kind)
        self.calendar_hint = QLabel()
        self.calendar_hint.setObjectName("nameDayCalendarHint")
        self.calendar_hint.setWordWrap(True)
        self.form.addRow("", self.calendar_hint)
        self.label = self.add_row("label", self.tr("Label"), QLineEdit(initial.label))
        self.day = QSpinBox()
        self.day.setRange(1, 31)
        self.day.setValue(initial.day)
        self.day.setObjectName("daySpin")
        self.month = QComboBox()
        for m in range(1, 13):
            self.month.addItem(month_name(m, self.locale()), m)
        self.month.setCurrentIndex(initial.month - 1)
        self.month.setObjectName("monthCombo")
        self.year = QSpinBox()
        self.year.setRange(0, 2100)
        self.year.setSpecialValueText(self.tr("year unknown"))
        self.year.setValue(initial.year or 0)
        self.year.setObjectName("yearSpin")
        self.add_row("day", self.tr("Day"), self.day)
        self.add_row("month", self.tr("Month"), self.month)
        self.add_row("year", self.tr("Year"), self.year)
        self.gift = QSpinBox()
        self.gift.setRange(-1, 60)
        self.gift.setSpecialValueText(self.tr("business default"))
        self.gift.setValue(-1 if initial.gift_reminder_days is None else initial.gift_reminder_days)
        self.add_row("gift", self.tr("Gift reminder, days before"), self.gift)
        for signal in (self.day.valueChanged, self.month.currentIndexChanged):
            signal.connect(self._on_day_set)
        self.kind.currentIndexChanged.connect(lambda _i: self._fill_name_day())
        self.whose.currentIndexChanged.connect(lambda _i: self._fill_name_day())
        self._fill_name_day()

    def _on_day_set(self, *_args) -> None:
        if not self._filling:
            self._day_by_hand = True

    def _fill_name_day(self) -> None:
        """A name day of a person whose name is in the calendar: its main day filled in
        (unless the day was set by hand), and all its days said under the kind."""
        days = self.name_days.get(self.whose.currentData()) if (
            self.kind.currentData() == DateKind.NAME_DAY) else None
        self.form.setRowVisible(self.calendar_hint, bool(days))
        if not days:
            return
        loc = self.locale()
        self.calendar_hint.setText(subst(self.tr("In the calendar: %1"), ", ".join(
            fmt_day_month(m, d, loc) for m, d in days)))
        if self._day_by_hand:
            return
        self._filling = True
        try:
            self.month.setCurrentIndex(days[0][0] - 1)
            self.day.setValue(days[0][1])
        finally:
            self._filling = False

    def build(self) -> PersonalDateData:
        year = self.year.value() or None
        month = self.month.currentData()
        try:
            check_month_day(month, self.day.value(), year, field="day",
                            not_after=date.today() if DateKind(self.kind.currentData())
                            in HAPPENED_DATES else None)
        except DomainError as exc:
            key = "year" if exc.code in ("date.year_range", "date.year_future") else "day"
            raise ValidationError([FieldError(key, exc.code, exc.message,
                                              dict(exc.values))]) from None
        return replace(self.initial, relative_key=self.whose.currentData(),
                       kind=DateKind(self.kind.currentData()), label=self.label.text().strip(),
                       day=self.day.value(), month=month, year=year,
                       gift_reminder_days=None if self.gift.value() < 0 else self.gift.value())

    @classmethod
    def ask(cls, parent: QWidget | None, initial: PersonalDateData,
            people: list[tuple[str | None, str]],
            name_days: dict[str | None, tuple[tuple[int, int], ...]] | None = None
            ) -> PersonalDateData | None:
        dlg = cls(parent, initial, people, name_days)
        try:
            return dlg.result_data if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()  # a hidden dialog per use would pile up under its parent


class FreezeDialog(_FormDialog):
    """Freeze a membership from one day until another (both included): the end moves by
    the frozen days when the business's setting says so, and the renewal call with it."""

    def __init__(self, parent: QWidget | None, initial: MembershipData,
                 today: date | None = None) -> None:
        super().__init__(parent, self.tr("Freeze the membership"))
        self.initial = initial
        self.today = today or date.today()
        start = initial.frozen_from or max(self.today, initial.starts_on)
        self.frozen_from = self.add_row("frozen", self.tr("Frozen from"), DateEntry(
            start, own_error=False, field="frozen"))
        self.frozen_until = self.add_row("frozen_until", self.tr("Frozen until"), DateEntry(
            initial.frozen_until or start + timedelta(days=13), own_error=False,
            field="frozen_until"))
        self.frozen_from.setObjectName("freezeFrom")
        self.frozen_until.setObjectName("freezeUntil")

    def build(self) -> MembershipData:
        errors: list[FieldError] = []
        start = _field_value(errors, "frozen", self.frozen_from.value)
        until = _field_value(errors, "frozen_until", self.frozen_until.value)
        if errors:
            raise ValidationError(errors)
        if until < start:
            raise ValidationError([FieldError("frozen_until", "freeze.order", "order")])
        if start < self.initial.starts_on or start > self.initial.ends_on:
            raise ValidationError([FieldError("frozen", "freeze.outside", "outside")])
        status = self.initial.status
        if start <= self.today <= until:
            status = MembershipStatus.FROZEN
        elif status == MembershipStatus.FROZEN:
            status = MembershipStatus.ACTIVE  # the freeze is not today: it runs again
        return validate_membership(replace(self.initial, frozen_from=start,
                                           frozen_until=until, status=status))

    @classmethod
    def ask(cls, parent: QWidget | None, initial: MembershipData) -> MembershipData | None:
        dlg = cls(parent, initial)
        try:
            return dlg.result_data if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()  # a hidden dialog per use would pile up under its parent
