"""The card's offer of a client's name day: "Name day (Mikołaj): [Add 6 December]".

The card decides when to offer (app/services/name_days.py finds the day in the calendar
of the business's country); this widget only shows the offer, one button per day (at
most three), and says which day was chosen."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app import palette
from app.text import subst
from app.ui.formatting import fmt_day_month

# the most days offered for one name (Maria has three in the Polish calendar)
MOST_DAYS = 3


class NameDayOffer(QWidget):
    """Hidden until :meth:`offer`; a click on a day emits ``day_chosen(month, day)``."""

    day_chosen = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nameDayOffer")
        self.label = QLabel()
        self.label.setObjectName("nameDayOfferLabel")
        self._lay = QHBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.addWidget(self.label)
        self._lay.addStretch(1)
        self.buttons: list[QPushButton] = []
        self._shown: tuple[str, tuple[tuple[int, int], ...]] | None = None
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
        self.label.setText(subst(self.tr("Name day (%1):", "the client's name day as the "
                                         "calendar has it; %1 is the first name"), name))
        loc = self.locale()
        for month, day in days:
            when = fmt_day_month(month, day, loc)
            b = QPushButton(subst(self.tr("Add %1", "add the name day on this day, e.g. "
                                          "'Add 6 December'"), when))
            b.setObjectName("nameDayAdd")
            b.setToolTip(subst(self.tr("Add the name day on %1 to the client's personal "
                                       "dates; it is saved with the card"), when))
            b.clicked.connect(lambda _checked=False, m=month, d=day: self.day_chosen.emit(m, d))
            self._lay.insertWidget(self._lay.count() - 1, b)
            self.buttons.append(b)
        self.show()

    def added(self, month: int, day: int) -> None:
        """Say that the day was added (the buttons go)."""
        self._clear_buttons()
        self._shown = None
        self.label.setStyleSheet(f"color: {palette.SUCCESS};")
        self.label.setText(subst(self.tr("Name day %1 added to the personal dates."),
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
