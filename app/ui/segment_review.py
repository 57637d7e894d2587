"""The quarterly A/B/C review: who moved between groups since the last review, what the
move rests on (12-month revenue, purchases, minutes of calls), and why (asked, kept)."""

from __future__ import annotations

from datetime import date
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import palette
from app.errors import DomainError, ValidationError
from app.services import segments as segment_service
from app.services import settings as settings_service
from app.services.segments import MoveAnswer, MoveReason
from app.text import subst
from app.ui.formatting import fmt_money
from app.ui.messages import field_error_text
from app.ui.ops import Changes, Concern, Entity, Ops, show_error
from app.ui.refresh import RefreshGate
from app.ui.widgets import ErrorLabel, enum_or_none

C = QCoreApplication


def reason_label(v: MoveReason) -> str:
    return {MoveReason.COMPETITOR_PRICES: C.translate("SegmentReview", "Competitor's prices"),
            MoveReason.DELIVERY: C.translate("SegmentReview", "Delivery trouble"),
            MoveReason.PERSONALITY: C.translate("SegmentReview", "Personality conflict"),
            MoveReason.OTHER: C.translate("SegmentReview", "Other")}[v]


def quarter_text(code: str) -> str:
    """"2026Q4" as the charts write a quarter in the user's language ("4 кв. 2026")."""
    year, _, q = code.partition("Q")
    if not (year.isdigit() and q.isdigit()):
        return code
    return subst(QCoreApplication.translate("Charts", "Q%1 %2"), q, year)


class ReviewColumn(IntEnum):
    CLIENT = 0
    WAS = 1
    NOW = 2
    VALUE = 3  # 12-month value
    PURCHASES = 4
    CALL_MINUTES = 5
    REASON = 6  # why did they move (a choice)
    DETAILS = 7


class SegmentReviewPage(QWidget):
    client_open_requested = Signal(int)
    COLUMNS = len(ReviewColumn)

    def __init__(self, ops: Ops, parent=None, today: date | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._today = today
        self.title = QLabel()
        self.title.setObjectName("reviewTitle")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setObjectName("reviewTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Client"), self.tr("Was"), self.tr("Now"), self.tr("12-month value"),
            self.tr("Purchases"), self.tr("Call minutes"), self.tr("Why did they move?"),
            self.tr("Details")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellDoubleClicked.connect(self._on_table_double_clicked)
        self.error = ErrorLabel()
        self.status = QLabel()
        self.status.setObjectName("reviewStatus")
        self.status.setStyleSheet(f"color: {palette.SUCCESS};")
        self.record_button = QPushButton()
        self.record_button.setObjectName("recordReviewButton")
        self.record_button.clicked.connect(self.record)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.record_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.intro)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.error)
        # the table hidden (no review yet, nobody moved): the words stay under the title,
        # the room left below them (else it was spread between title, words and button)
        lay.addStretch(0)
        lay.addLayout(row)
        self.reasons: dict[int, tuple[QComboBox, QLineEdit]] = {}
        # its own record reloads it; changes made elsewhere when it is shown
        self.gate = RefreshGate(self, ops.bus, (Concern.CLIENT_LIST,), self._refresh,
                                skip_own=True)
        self.reload()

    def today(self) -> date:
        return self._today or date.today()

    def reload(self) -> None:
        review, currency = self.ops.read(lambda s: (
            segment_service.review(s, self.today()), settings_service.get(s, "business.currency")))
        self.review = review
        loc = self.locale()
        self.title.setText("<h3>" + subst(self.tr("Quarterly A/B/C review: %1"),
                                          quarter_text(review.quarter)) + "</h3>")
        if review.last_quarter is None:
            clients = review.clients  # a plain name: what lupdate reads as the count
            self.intro.setText(self.tr(
                "No review is recorded yet. Record the groups of all %Ln client(s) as the "
                "starting point; at the next review this list shows who moved between A, "
                "B and C, and asks why.", "", clients))
            self.record_button.setText(self.tr("Record the groups"))
        else:
            self.intro.setText(subst(self.tr(
                "Clients whose group changed since the review of %1. Compare what they "
                "bring with the time they take, and say why each one moved."),
                quarter_text(review.last_quarter)))
            self.record_button.setText(self.tr("Record the review"))
        self.status.setText(self.tr("This quarter's review is recorded; recording again "
                                    "updates it.") if review.done else "")
        self.table.setRowCount(0)
        self.reasons.clear()
        for r in review.rows:
            n = self.table.rowCount()
            self.table.insertRow(n)
            name = QTableWidgetItem(r.name)
            name.setData(Qt.ItemDataRole.UserRole, r.client_id)
            if r.override_reason:
                name.setToolTip(subst(self.tr("Group set by the owner: %1"), r.override_reason))
            cells = [name, QTableWidgetItem(r.previous.value if r.previous else "—"),
                     QTableWidgetItem(r.segment.value),
                     QTableWidgetItem(fmt_money(r.value_12m, currency, loc)),
                     QTableWidgetItem(str(r.purchase_count)),
                     QTableWidgetItem(str(r.call_minutes))]
            for col, it in enumerate(cells):
                it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if col >= ReviewColumn.VALUE:  # the numbers
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                        | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(n, col, it)
            combo = QComboBox()
            combo.addItem(self.tr("— choose —"), None)
            for reason in MoveReason:
                combo.addItem(reason_label(reason), reason)
            combo.setCurrentIndex(max(0, combo.findData(r.reason_kind)))
            details = QLineEdit(r.reason)
            details.setPlaceholderText(self.tr("What happened, in a few words"))
            self.table.setCellWidget(n, ReviewColumn.REASON, combo)
            self.table.setCellWidget(n, ReviewColumn.DETAILS, details)
            self.reasons[r.client_id] = (combo, details)
        self.table.setVisible(bool(review.rows))
        if review.last_quarter is not None and not review.rows:
            self.intro.setText(self.intro.text() + " " + self.tr("Nobody moved."))

    def answers(self) -> list[MoveAnswer]:
        return [MoveAnswer(cid, enum_or_none(MoveReason, combo.currentData()), details.text())
                for cid, (combo, details) in self.reasons.items()]

    def record(self) -> None:
        answers = self.answers()
        try:
            n = self.ops.run(self, lambda s: segment_service.record_review(s, self.today(), answers),
                             source=self, raise_domain=True)
        except ValidationError as exc:
            self.error.set_error("\n".join(
                f"{self._name(e.field)}: {field_error_text(e)}" for e in exc.errors[:5]))
            return
        except DomainError as exc:
            show_error(self, exc)
            return
        self.error.set_error(None)
        self.reload()
        self.status.setText(subst(self.tr("Recorded the groups of %Ln client(s) for %1.", "",
                                          n), quarter_text(self.review.quarter)))

    def _name(self, field: str) -> str:
        cid = int(field.split(":")[1]) if ":" in field else None
        return next((r.name for r in self.review.rows if r.client_id == cid), field)

    def _on_table_double_clicked(self, row: int, _col: int) -> None:
        it = self.table.item(row, ReviewColumn.CLIENT)
        if it is not None:
            self.client_open_requested.emit(it.data(Qt.ItemDataRole.UserRole))

    def _refresh(self, changes: Changes) -> None:
        if changes.touches(Entity.CLIENT, Entity.PURCHASE, Entity.SEGMENT, Entity.CONTACT):
            self.reload()
