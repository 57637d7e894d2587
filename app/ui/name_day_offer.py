"""The card's offer of a client's name day: "Name day (Mikołaj): [Add 6 December]".

The card decides when to offer (app/services/name_days.py finds the day in the calendar
of the business's country); this widget only shows the offer, one button per day (at
most three), and says which day was chosen. Where room is short (under the name field)
it is compact: one button for the main day, the other days in its menu."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from app import palette
from app.text import subst
from app.ui.formatting import fmt_day_month

# the most days offered for one name (Maria has three in the Polish calendar)
MOST_DAYS = 3


class NameDayOffer(QWidget):
    """Hidden until :meth:`offer`; a click on a day emits ``day_chosen(month, day)``."""

    day_chosen = Signal(int, int)

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.compact = compact
        self.setObjectName("nameDayOffer")
        self.label = QLabel()
        self.label.setObjectName("nameDayOfferLabel")
        self._lay = QHBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.addWidget(self.label)
        self._lay.addStretch(1)
        self.buttons: list[QAbstractButton] = []
        #: a compact offer's other days, in its button's menu
        self.menu_actions: list = []
        self._shown: tuple[str, tuple[tuple[int, int], ...]] | None = None
        self._days_menu: QMenu | None = None
        self.hide()

    def offer(self, name: str, days: tuple[tuple[int, int], ...]) -> None:
        """Offer the days of ``name`` (the main one first), each as one button."""
        days = tuple(days[:MOST_DAYS])
        if self._shown == (name, days) and self.buttons:
            self.show()
            return
        self._clear_buttons()
        self._shown = (name, days)
        self.label.setStyleSheet("")
        self.label.setWordWrap(False)
        self._lay.setStretchFactor(self.label, 0)
        self.label.setText(subst(self.tr("Name day (%1):", "the client's name day as the "
                                         "calendar has it; %1 is the first name"), name))
        loc = self.locale()
        for i, (month, day) in enumerate(days):
            when = fmt_day_month(month, day, loc)
            text = subst(self.tr("Add %1", "add the name day on this day, e.g. "
                                 "'Add 6 December'"), when)
            if self.compact and i:
                self.menu_actions.append(self._menu().addAction(
                    text, lambda m=month, d=day: self.day_chosen.emit(m, d)))
                continue
            b = QToolButton() if self.compact else QPushButton()
            b.setText(text)
            b.setObjectName("nameDayAdd")
            b.setToolTip(subst(self.tr("Add the name day on %1 to the client's personal "
                                       "dates; it is saved with the card"), when))
            b.clicked.connect(lambda _checked=False, m=month, d=day: self.day_chosen.emit(m, d))
            self._lay.insertWidget(self._lay.count() - 1, b)
            self.buttons.append(b)
        if self.menu_actions:
            button = self.buttons[0]
            button.setMenu(self._menu())
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.show()

    def _menu(self) -> QMenu:
        if self._days_menu is None:
            self._days_menu = QMenu(self)
        return self._days_menu

    def added(self, month: int, day: int) -> None:
        """Say that the day was added (the buttons go)."""
        self._clear_buttons()
        self._shown = None
        self.label.setStyleSheet(f"color: {palette.SUCCESS};")
        self.label.setWordWrap(True)  # a long month name wraps rather than being cut
        self._lay.setStretchFactor(self.label, 1)  # across the row, not in a narrow strip
        self.label.setText(subst(self.tr("✓ Name day %1 added.", "to the client's personal "
                                         "dates, saved with the card"),
                                 fmt_day_month(month, day, self.locale())))
        self.show()

    def withdraw(self) -> None:
        """No offer (no known name, a company, or a name day already on the card)."""
        self._clear_buttons()
        self._shown = None
        self.label.clear()
        self.hide()

    def _clear_buttons(self) -> None:
        for b in self.buttons:
            self._lay.removeWidget(b)
            b.hide()
            b.deleteLater()
        self.buttons = []
        self.menu_actions = []
        if self._days_menu is not None:
            self._days_menu.deleteLater()
            self._days_menu = None
