"""The complaint dialog: walk staff through a complaint, as DOMAIN.md "Complaint recovery"
describes: listen, the checklist, apologise and ask, compensate and fix, resolve and
close, and the review with its lesson.

One dialog per complaint (opening it again raises the open one). It is not modal, so the
receptionist can look at the client's card or the queue while the client talks. Save keeps
the dialog open; Resolve and Close save first. Every step goes through
:func:`app.services.complaints.save_complaint`, which records only what changed, so a tick
keeps its first who-and-when.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import palette
from app.errors import DomainError, FieldError, ValidationError
from app.models.enums import (
    Channel,
    CheckState,
    CompensationKind,
    ComplaintStatus,
    Fault,
    Severity,
    StaffRole,
    TaskKind,
)
from app.services import complaints as complaint_service
from app.services import settings as settings_service
from app.services import staff as staff_service
from app.text import subst
from app.ui import labels, window_state
from app.ui.formatting import fmt_date, fmt_datetime, fmt_decimal, fmt_money, parse_money
from app.ui.messages import error_text, field_error_text
from app.ui.ops import Ops, show_error
from app.ui.widgets import ErrorLabel, enum_or_none, hint_label, read_money

C = QCoreApplication



def check_item_text(item: int) -> str:
    """DOMAIN.md's eight needs of an upset client."""
    return {
        1: C.translate("Complaint", "To be heard and taken seriously"),
        2: C.translate("Complaint", "To see that we understand the problem and why they are upset"),
        3: C.translate("Complaint", "Compensation or restitution"),
        4: C.translate("Complaint", "A sense of speed: the problem handled quickly"),
        5: C.translate("Complaint", "No further inconvenience"),
        6: C.translate("Complaint", "To be treated with respect"),
        7: C.translate("Complaint", "Someone accountable for the problem"),
        8: C.translate("Complaint", "A guarantee that it will not happen again"),
    }[item]


def review_question(key: str) -> str:
    """DOMAIN.md's seven review questions."""
    return {
        "review_main_complaint": C.translate("Complaint", "What was the main complaint?"),
        "review_presentation": C.translate(
            "Complaint", "How did the client present the problem? Whose fault was it? "
            "What angered them most? Why were they upset?"),
        "review_our_view": C.translate(
            "Complaint", "How do you see the problem? Was the client at fault in any way?"),
        "review_helped": C.translate("Complaint",
                                     "What did you say that improved the situation?"),
        "review_hurt": C.translate("Complaint",
                                   "What did you say that seemed to make it worse?"),
        "review_care_shown": C.translate("Complaint",
                                         "How did you show you cared about the client?"),
        "review_differently": C.translate("Complaint", "What would you do differently?"),
    }[key]


def missing_text(code: str) -> str:
    return {
        "apology": C.translate("Complaint", "the apology, given to the client"),
        "client_request": C.translate("Complaint", "what the client asked for"),
        "compensation_or_action": C.translate(
            "Complaint", "a compensation or a corrective action"),
        "checklist": C.translate(
            "Complaint", "every checklist item ticked or marked not applicable"),
        "callback": C.translate(
            "Complaint", "the call-back to the client after the fix (or, to close without "
            "it, the reason below)"),
    }.get(code, code)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def status_label(v: ComplaintStatus | str) -> str:
    return {
        ComplaintStatus.OPEN: C.translate("Complaint", "Open"),
        ComplaintStatus.IN_PROGRESS: C.translate("Complaint", "In progress"),
        ComplaintStatus.RESOLVED: C.translate("Complaint", "Resolved"),
        ComplaintStatus.CLOSED_KEPT: C.translate("Complaint", "Closed, client kept"),
        ComplaintStatus.CLOSED_LOST: C.translate("Complaint", "Closed, client lost"),
    }[ComplaintStatus(v)]


def severity_label(v: Severity | str) -> str:
    return {Severity.LOW: C.translate("Complaint", "Low"),
            Severity.MEDIUM: C.translate("Complaint", "Medium"),
            Severity.HIGH: C.translate("Complaint", "High")}[Severity(v)]


def fault_label(v: Fault) -> str:
    return {Fault.US: C.translate("Complaint", "Us"),
            Fault.CLIENT: C.translate("Complaint", "The client"),
            Fault.THIRD_PARTY: C.translate("Complaint", "A third party"),
            Fault.UNCLEAR: C.translate("Complaint", "Unclear")}[v]


def compensation_label(v: CompensationKind) -> str:
    return {CompensationKind.NONE: C.translate("Complaint", "None"),
            CompensationKind.REFUND: C.translate("Complaint", "Refund"),
            CompensationKind.DISCOUNT: C.translate("Complaint", "Discount"),
            CompensationKind.FREE_SERVICE: C.translate("Complaint", "Free service"),
            CompensationKind.REPLACEMENT: C.translate("Complaint", "Replacement"),
            CompensationKind.GIFT: C.translate("Complaint", "Gift")}[v]


def check_state_label(v: CheckState) -> str:
    return {CheckState.OPEN: C.translate("Complaint", "Not yet"),
            CheckState.DONE: C.translate("Complaint", "Done"),
            CheckState.NOT_APPLICABLE: C.translate("Complaint", "Not applicable")}[v]


def default_categories() -> list[str]:
    return [C.translate("Complaint", "Product quality"),
            C.translate("Complaint", "Service quality"),
            C.translate("Complaint", "Waiting time"),
            C.translate("Complaint", "Prices and billing"),
            C.translate("Complaint", "Staff attitude"),
            C.translate("Complaint", "Delivery"),
            C.translate("Complaint", "Other")]


def _text_edit(text: str, name: str, height: int = 70) -> QPlainTextEdit:
    w = QPlainTextEdit(text)
    w.setObjectName(name)
    w.setTabChangesFocus(True)
    w.setMinimumHeight(height)
    return w


# one window per complaint of a database: (id of the Database, complaint id) -> dialog
#: where the complaint window keeps its size (QSettings)
GEOMETRY_KEY = "complaintDialog"
STAKES_WIDTH = 250  # "What is at stake", beside the steps

_OPEN_DIALOGS: dict[tuple[int, int], ComplaintDialog] = {}


def _register(dlg: ComplaintDialog, complaint_id: int) -> None:
    key = (id(dlg.ops.db), complaint_id)
    _OPEN_DIALOGS[key] = dlg
    dlg.destroyed.connect(lambda *_a: _OPEN_DIALOGS.pop(key, None))


def _registered(ops: Ops, complaint_id: int) -> ComplaintDialog | None:
    dlg = _OPEN_DIALOGS.get((id(ops.db), complaint_id))
    if dlg is not None and not shiboken6.isValid(dlg):
        _OPEN_DIALOGS.pop((id(ops.db), complaint_id), None)
        return None
    return dlg


class Step(IntEnum):
    """The tabs of the complaint window: the steps of handling a complaint, in order."""

    LISTEN = 0
    NEEDS = 1
    APOLOGY = 2
    COMPENSATION = 3
    CLOSE = 4
    REVIEW = 5

class ComplaintDialog(QDialog):
    saved = Signal(int)  # complaint id

    def __init__(self, parent: QWidget | None, ops: Ops, view: complaint_service.ComplaintView,
                 clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintDialog")
        self.ops = ops
        self.clock = clock or (lambda: datetime.now().replace(second=0, microsecond=0))
        self.view = view
        self.resize(1060, 660)
        self._placed = window_state.restore_geometry(GEOMETRY_KEY, self)
        self.field_errors: dict[str, ErrorLabel] = {}
        self._staff, self._limits, self._currency = ops.read(self._read_context)

        self.header = QLabel()
        self.header.setObjectName("complaintHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.staff = QComboBox()
        self.staff.setObjectName("staffCombo")
        for row in self._staff:
            self.staff.addItem(row.name, row.id)
        current = getattr(ops, "staff_id", None)
        actor = getattr(ops.db, "actor", None)
        if actor is not None:  # signed in: what is done here is done by them
            current = actor.staff_id
            if self.staff.findData(current) < 0:
                self.staff.addItem(actor.name, current)
            self.staff.setEnabled(False)
            self.staff.setToolTip(self.tr("You are signed in: every step you take here is "
                                          "recorded in your name."))
        if current is not None and self.staff.findData(current) >= 0:
            self.staff.setCurrentIndex(self.staff.findData(current))
        self.staff.currentIndexChanged.connect(self._on_staff_changed)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(QLabel(self.tr("Who is handling it")))
        top.addWidget(self.staff)

        self.tabs = QTabWidget()
        self.tabs.insertTab(Step.LISTEN, self._listen_tab(), self.tr("1. Listen"))
        self.tabs.insertTab(Step.NEEDS, self._checklist_tab(), self.tr("2. Needs"))
        self.tabs.insertTab(Step.APOLOGY, self._apology_tab(), self.tr("3. Apologise, ask"))
        self.tabs.insertTab(Step.COMPENSATION, self._compensation_tab(),
                            self.tr("4. Compensate, fix"))
        self.tabs.insertTab(Step.CLOSE, self._close_tab(), self.tr("5. Resolve, close"))
        self.tabs.insertTab(Step.REVIEW, self._review_tab(), self.tr("6. Review, lesson"))
        # all six steps always in view: a title that does not fit ends in "…" (never
        # behind scroll arrows), its tooltip has it whole
        bar = self.tabs.tabBar()
        bar.setUsesScrollButtons(False)
        bar.setElideMode(Qt.TextElideMode.ElideRight)
        for step in Step:
            self.tabs.setTabToolTip(step, self.tabs.tabText(step))
        self.stakes = QLabel()
        self.stakes.setObjectName("stakesLabel")
        self.stakes.setTextFormat(Qt.TextFormat.RichText)
        self.stakes.setWordWrap(True)
        stakes_box = QGroupBox(self.tr("What is at stake"))
        sl = QVBoxLayout(stakes_box)
        sl.addWidget(self.stakes)
        sl.addStretch(1)
        stakes_box.setFixedWidth(STAKES_WIDTH)
        body = QHBoxLayout()
        body.addWidget(self.tabs, 1)
        body.addWidget(stakes_box)

        self.general_error = ErrorLabel()
        self.notice = QLabel()
        self.notice.setObjectName("complaintNotice")
        self.notice.setStyleSheet(f"color: {palette.SUCCESS};")
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveComplaintButton")
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.close_window_button = QPushButton(self.tr("Close window"))
        self.close_window_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.close_window_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        bottom = QHBoxLayout()
        bottom.addWidget(self.notice, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_window_button)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(body, 1)
        lay.addWidget(self.general_error)
        lay.addLayout(bottom)
        if not self._placed:  # first opened: wide enough for the six titles whole, if
            self._fit_width()  # the screen has room (a 1280-pixel one has, in ru/pl/bg)
        self.show_view(view)

    def _fit_width(self) -> None:
        margins = self.layout().contentsMargins()
        wanted = (self.tabs.tabBar().sizeHint().width() + STAKES_WIDTH + 40
                  + margins.left() + margins.right())
        screen = self.screen().availableGeometry().width() if self.screen() else wanted
        self.resize(min(max(self.width(), wanted), screen - 40), self.height())

    # ------------------------------------------------------------------ context
    def _read_context(self, s):
        staff = staff_service.list_staff(s, active_only=True)
        limits = {r: complaint_service.role_limit(s, r) for r in StaffRole}
        self._follow_up_days = (settings_service.get(s, "rule.complaint_callback.after_days"),
                                settings_service.get(s, "rule.complaint_review.after_days"))
        self._value_days = settings_service.get(s, "value.window_days")
        return staff, limits, settings_service.get(s, "business.currency")

    def _err(self, key: str) -> ErrorLabel:
        lab = ErrorLabel()
        self.field_errors[key] = lab
        return lab

    def _staff_role(self, staff_id: int | None) -> StaffRole | None:
        return next((r.role for r in self._staff if r.id == staff_id), None)

    # ------------------------------------------------------------------ tabs
    def _listen_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.words = _text_edit("", "clientWords", 110)
        self.words.setPlaceholderText(self.tr("What the client said, in their own words"))
        self.channel = QComboBox()
        for ch in Channel:
            self.channel.addItem(labels.channel(ch), ch)
        self.category = QComboBox()
        self.category.setObjectName("categoryCombo")
        self.category.setEditable(True)
        self.severity = QComboBox()
        for sv in Severity:
            self.severity.addItem(severity_label(sv), sv)
        self.fault = QComboBox()
        for f in Fault:
            self.fault.addItem(fault_label(f), f)
        form.addRow(self.tr("The client's words"), self.words)
        form.addRow(self.tr("Channel"), self.channel)
        form.addRow(self.tr("Category"), self.category)
        form.addRow("", self._err("category"))
        form.addRow(self.tr("Severity"), self.severity)
        form.addRow(self.tr("Who was at fault"), self.fault)
        tip = hint_label(self.tr("Let the client finish. Do not argue or explain yet: "
                             "write down what they say and why it upset them."))
        form.addRow("", tip)
        return w

    def _checklist_tab(self) -> QWidget:
        w = QWidget()
        grid = QGridLayout(w)
        self.check_states: dict[int, QComboBox] = {}
        self.check_who: dict[int, QLabel] = {}
        for i in range(1, complaint_service.CHECK_ITEMS + 1):
            text = QLabel(f"{i}. {check_item_text(i)}")
            text.setWordWrap(True)
            combo = QComboBox()
            combo.setObjectName(f"check{i}")
            for st in CheckState:
                combo.addItem(check_state_label(st), st)
            who = QLabel()
            who.setStyleSheet(f"color: {palette.SECONDARY_TEXT};")
            grid.addWidget(text, i - 1, 0)
            grid.addWidget(combo, i - 1, 1)
            grid.addWidget(who, i - 1, 2)
            self.check_states[i] = combo
            self.check_who[i] = who
        grid.addWidget(self._err("checklist"), complaint_service.CHECK_ITEMS, 0, 1, 3)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 2)
        grid.setRowStretch(complaint_service.CHECK_ITEMS + 1, 1)
        return w

    def _apology_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.apology = _text_edit("", "apologyEdit", 90)
        self.apology_given = QCheckBox(self.tr("The apology was given to the client"))
        self.apology_given.setObjectName("apologyGiven")
        self.apology_when = QLabel()
        suggest = QPushButton(self.tr("Suggested wording"))
        suggest.setAutoDefault(False)
        suggest.clicked.connect(lambda: self.apology.setPlainText(self.suggested_apology()))
        note = hint_label(self.tr("An apology is regret that the client's experience was "
                              "unpleasant, not an admission of guilt. It costs nothing."))
        row = QHBoxLayout()
        row.addWidget(self.apology_given)
        row.addWidget(self.apology_when, 1)
        row.addWidget(suggest)
        self.request = _text_edit("", "requestEdit", 90)
        self.request.setPlaceholderText(self.tr("In the client's own words"))
        form.addRow(self.tr("Apology"), self.apology)
        form.addRow("", row)
        form.addRow("", note)
        form.addRow("", self._err("apology"))
        form.addRow(self.tr("“What would put it right for you?”"), self.request)
        form.addRow("", self._err("client_request"))
        return w

    def _compensation_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.comp_kind = QComboBox()
        self.comp_kind.setObjectName("compensationKind")
        for k in CompensationKind:
            self.comp_kind.addItem(compensation_label(k), k)
        self.comp_value = QLineEdit()
        self.comp_value.setObjectName("compensationValue")
        self.limit_note = QLabel()
        self.limit_note.setObjectName("limitNote")
        self.limit_note.setWordWrap(True)
        self.approver = QComboBox()
        self.approver.setObjectName("approverCombo")
        self.approver.addItem(self.tr("nobody"), None)
        for r in self._staff:
            if r.role == StaffRole.OWNER:
                self.approver.addItem(r.name, r.id)
        self.accountable = QComboBox()
        self.accountable.setObjectName("accountableCombo")
        self.accountable.addItem(self.tr("nobody yet"), None)
        for r in self._staff:
            self.accountable.addItem(r.name, r.id)
        self.action = _text_edit("", "correctiveAction", 90)
        self.action.setPlaceholderText(self.tr("What changes so that it will not happen again"))
        form.addRow(self.tr("Compensation"), self.comp_kind)
        form.addRow(self.tr("Value"), self.comp_value)
        form.addRow("", self._err("compensation_value"))
        form.addRow("", self.limit_note)
        form.addRow(self.tr("Approved by the owner"), self.approver)
        form.addRow("", self._err("staff"))
        form.addRow(self.tr("Accountable"), self.accountable)
        form.addRow(self.tr("Corrective action"), self.action)
        note = hint_label(self.tr("A refund is entered among the client's purchases as a credit, "
                              "so revenue and the client's 12-month value stay true."))
        form.addRow("", note)
        self.comp_kind.currentIndexChanged.connect(self._update_limit)
        self.comp_value.textChanged.connect(self._update_limit)
        return w

    def _close_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.progress = QLabel()
        self.progress.setObjectName("progressLabel")
        self.progress.setWordWrap(True)
        self.progress.setTextFormat(Qt.TextFormat.RichText)
        self.resolve_button = QPushButton(self.tr("The fix is done: mark resolved"))
        self.resolve_button.setObjectName("resolveButton")
        self.resolve_button.setAutoDefault(False)
        self.resolve_button.clicked.connect(self.resolve)
        resolve_note = hint_label(" ".join((
            self.tr("Marking it resolved plans the call-back to the client after %n "
                    "day(s).", "", self._follow_up_days[0]),
            self.tr("The team review follows after %n day(s).", "",
                    self._follow_up_days[1]))))
        box = QGroupBox(self.tr("Close the complaint"))
        form = QFormLayout(box)
        self.satisfied = QCheckBox(self.tr("The client is satisfied"))
        self.satisfied.setObjectName("satisfiedCheck")
        self.rating = QComboBox()
        self.rating.setObjectName("ratingCombo")
        self.rating.addItem(self.tr("not given"), None)
        for n in range(1, 6):
            self.rating.addItem(str(n), n)
        self.kept = QRadioButton(self.tr("We kept the client"))
        self.kept.setObjectName("keptRadio")
        self.lost = QRadioButton(self.tr("We lost the client"))
        self.lost.setObjectName("lostRadio")
        group = QButtonGroup(box)
        group.addButton(self.kept)
        group.addButton(self.lost)
        self.kept.setChecked(True)
        kept_row = QHBoxLayout()
        kept_row.addWidget(self.kept)
        kept_row.addWidget(self.lost)
        kept_row.addStretch(1)
        self.close_button = QPushButton(self.tr("Close the complaint"))
        self.close_button.setObjectName("closeComplaintButton")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close_complaint)
        self.close_error = ErrorLabel()
        self.close_error.setObjectName("closeError")
        self.close_error.setTextFormat(Qt.TextFormat.RichText)
        self.close_reason = QLineEdit()
        self.close_reason.setObjectName("closeReason")
        self.close_reason.setMaxLength(500)
        self.close_reason.setPlaceholderText(self.tr(
            "Only when closing before the call-back: why"))
        form.addRow("", self.satisfied)
        form.addRow(self.tr("Rating (1–5)"), self.rating)
        form.addRow("", kept_row)
        form.addRow(self.tr("Closed without the call-back because"), self.close_reason)
        form.addRow("", self._err("close_reason"))
        close_row = QHBoxLayout()
        close_row.addWidget(self.close_button)
        close_row.addStretch(1)
        form.addRow("", close_row)
        form.addRow("", self.close_error)
        lay.addWidget(self.progress)
        lay.addWidget(self.resolve_button, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(resolve_note)
        lay.addWidget(box)
        lay.addStretch(1)
        return w

    def _review_tab(self) -> QWidget:
        inner = QWidget()
        form = QVBoxLayout(inner)
        intro = hint_label(self.tr("After a day or two, when feelings have cooled, answer these "
                               "with the team. The lesson is what everyone can read later. "
                               "The review task is done when all seven answers and the "
                               "lesson are saved."))
        form.addWidget(intro)
        self.review_edits: dict[str, QPlainTextEdit] = {}
        for n, key in enumerate(complaint_service.REVIEW_FIELDS, start=1):
            edit = _text_edit("", key, 52)
            edit.setMaximumHeight(64)
            label = QLabel(f"{n}. {review_question(key)}")
            label.setWordWrap(True)
            form.addWidget(label)
            form.addWidget(edit)
            self.review_edits[key] = edit
        self.lesson = _text_edit("", "lessonEdit", 70)
        self.lesson.setMaximumHeight(90)
        self.lesson.setPlaceholderText(self.tr("What went wrong, how it was put right, "
                                               "what we do from now on"))
        form.addWidget(QLabel("<b>" + self.tr("The lesson for the team") + "</b>"))
        form.addWidget(self.lesson)
        form.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    # ------------------------------------------------------------------ showing
    def suggested_apology(self) -> str:
        return self.tr("I am sorry that your experience with us was unpleasant. Thank you "
                       "for telling us; we want to put it right. What would put it right "
                       "for you?")

    def show_view(self, v: complaint_service.ComplaintView) -> None:
        self.view = v
        e = v.edits
        loc = self.locale()
        self.setWindowTitle(subst(self.tr("Complaint — %1"), v.client_name))
        self.words.setPlainText(e.client_words)
        self.channel.setCurrentIndex(max(0, self.channel.findData(e.channel)))
        used = self.ops.read(complaint_service.categories)
        self.category.clear()
        for cat in dict.fromkeys(default_categories() + used):
            self.category.addItem(cat)
        self.category.setCurrentText(e.category)
        self.severity.setCurrentIndex(max(0, self.severity.findData(e.severity)))
        self.fault.setCurrentIndex(max(0, self.fault.findData(e.fault)))
        for cv in v.checks:
            combo = self.check_states[cv.item]
            combo.setCurrentIndex(combo.findData(cv.state))
            self.check_who[cv.item].setText(
                subst(self.tr("%1, %2"),
                      cv.by_name or "—", fmt_datetime(cv.at, loc)) if cv.at else "")
        self.apology.setPlainText(e.apology or self.suggested_apology())
        self.apology_given.setChecked(e.apology_given)
        given_by = v.done_by.get("apology_given_at")
        when = subst(self.tr("given %1"), fmt_datetime(v.apology_given_at, loc)) \
            if v.apology_given_at else ""
        if when and given_by:  # a line of its own: the row does not widen the dialog
            when += "\n" + subst(self.tr("by %1", "who gave the apology"), given_by)
        self.apology_when.setText(when)
        self.request.setPlainText(e.client_request)
        self.comp_kind.setCurrentIndex(max(0, self.comp_kind.findData(e.compensation_kind)))
        self.comp_value.setText(fmt_decimal(e.compensation_value, loc)
                                if e.compensation_value else "")
        self.approver.setCurrentIndex(max(0, self.approver.findData(e.approved_by_id)))
        self.accountable.setCurrentIndex(max(0, self.accountable.findData(
            e.accountable_staff_id)))
        self.action.setPlainText(e.corrective_action)
        for key, edit in self.review_edits.items():
            edit.setPlainText((e.review or {}).get(key, ""))
        self.lesson.setPlainText(e.lesson)
        if v.satisfied is not None:
            self.satisfied.setChecked(v.satisfied)
        if v.rating is not None:
            self.rating.setCurrentIndex(self.rating.findData(v.rating))
        self.close_reason.setText(v.close_reason)
        self.lost.setChecked(v.status == ComplaintStatus.CLOSED_LOST)
        self.kept.setChecked(v.status != ComplaintStatus.CLOSED_LOST)
        self._baseline = self.collect_or_none()
        self._refresh_header()
        self._refresh_stakes()
        self._update_limit()
        self._set_closed(v.status in complaint_service.CLOSED)

    def _refresh_header(self) -> None:
        v, loc = self.view, self.locale()
        name = v.client_name.replace("&", "&amp;").replace("<", "&lt;")
        parts = [status_label(v.status)]
        by = v.done_by  # who did each step, where somebody signed in did it
        if v.opened_at:
            parts.append(subst(self.tr("opened %1 by %2"), fmt_datetime(v.opened_at, loc),
                               _esc(by["created"])) if by.get("created") else
                         subst(self.tr("opened %1"), fmt_datetime(v.opened_at, loc)))
        if v.first_response_at:
            parts.append(subst(self.tr("first response %1"),
                               fmt_datetime(v.first_response_at, loc)))
        if v.resolved_at:
            parts.append(subst(self.tr("resolved %1 by %2"), fmt_datetime(v.resolved_at, loc),
                               _esc(by["resolved_at"])) if by.get("resolved_at") else
                         subst(self.tr("resolved %1"), fmt_datetime(v.resolved_at, loc)))
        if v.closed_at:
            parts.append(subst(self.tr("closed %1 by %2"), fmt_datetime(v.closed_at, loc),
                               _esc(by["closed_at"])) if by.get("closed_at") else
                         subst(self.tr("closed %1"), fmt_datetime(v.closed_at, loc)))
        title = self.tr("New complaint") if v.id is None else self.tr("Complaint")
        self.header.setText(f"<h2>{title}: {name}</h2>" + " · ".join(parts))
        steps = [
            (bool(v.edits.apology_given), self.tr("apology given")),
            (bool(v.edits.client_request), self.tr("the client's request recorded")),
            (v.edits.compensation_kind != CompensationKind.NONE
             or bool(v.edits.corrective_action), self.tr("compensation or corrective action")),
            (all(c.state != CheckState.OPEN for c in v.checks), self.tr("checklist complete")),
            (v.resolved_at is not None, self.tr("resolved: call-back planned")),
            (v.callback_done, self.tr("call-back made")),
            (v.review_task_done, self.tr("review and lesson recorded")),
        ]
        self.progress.setText("<br>".join(("✔ " if done else "○ ") + text
                                          for done, text in steps))
        self.resolve_button.setEnabled(v.id is not None and v.resolved_at is None
                                       and v.status not in complaint_service.CLOSED)

    def _client_since(self, since: date, today: date) -> str:
        """"Client since 13.10.2025 (13 months)": whole months under two years, whole
        years from then, each in its language's plural form."""
        months = (today.year - since.year) * 12 + today.month - since.month - (
            today.day < since.day)
        shown = fmt_date(since, self.locale())
        if months < 1:
            return subst(self.tr("Client since %1"), shown)
        if months < 24:
            return subst(self.tr("Client since %1 (%n month(s))", "", months), shown)
        years = months // 12
        return subst(self.tr("Client since %1 (%n year(s))", "", years), shown)

    def _refresh_stakes(self) -> None:
        st = self.ops.read(lambda s: complaint_service.stakes(s, self.view.client_id,
                                                self.clock().date()))
        loc = self.locale()
        lines = [
            subst(self.tr("12-month value: <b>%1</b>"),
                  fmt_money(st.value_12m, self._currency, loc)),
            subst(self.tr("Group: <b>%1</b>"), st.segment or "—"),
            subst(self.tr("Purchases: <b>%1</b>"), st.purchase_count),
        ]
        if st.client_since:
            lines.append(self._client_since(st.client_since, self.clock().date()))
        if st.referred:
            names = ", ".join(n.replace("&", "&amp;").replace("<", "&lt;")
                              for n in st.referred[:8])
            more = len(st.referred) - 8
            lines.append(subst(self.tr("Referred %n client(s): %1", "", len(st.referred)),
                               names + (f" +{more}" if more > 0 else "")))
        else:
            lines.append(self.tr("Referred nobody yet."))
        lines.append(f"<span style='color:{palette.SECONDARY_TEXT}'>" + self.tr(
            "An unhappy client tells about 22 people; a happy one tells 2.") + "</span>")
        self.stakes.setText("<br><br>".join(lines))

    def _update_limit(self) -> None:
        role = self._staff_role(self.staff.currentData())
        kind = enum_or_none(CompensationKind, self.comp_kind.currentData())
        self.comp_value.setEnabled(kind != CompensationKind.NONE)
        limit = self._limits.get(role) if role else None
        if role is None:
            self.limit_note.setText(self.tr("Choose who is handling the complaint."))
        elif limit is None:
            self.limit_note.setText(self.tr("The owner may grant any amount."))
        else:
            self.limit_note.setText(subst(self.tr("You may grant up to %1; more needs the owner's "
                                            "approval."),
                                          fmt_money(limit, self._currency, self.locale())))
        try:
            value = parse_money(self.comp_value.text(), self.locale(),
                                field="compensation_value") \
                if self.comp_value.text().strip() else Decimal("0")
        except DomainError:
            value = Decimal("0")
        self.approver.setEnabled(limit is not None and value > limit
                                 or self.approver.currentData() is not None)

    def _set_closed(self, closed: bool) -> None:
        """A closed complaint only takes its review and lesson."""
        for step in Step:
            if step == Step.REVIEW:
                continue
            page = self.tabs.widget(step)
            for kind in (QPlainTextEdit, QLineEdit):
                for w in page.findChildren(kind):
                    w.setReadOnly(closed)
            for kind in (QComboBox, QCheckBox, QRadioButton, QPushButton):
                for w in page.findChildren(kind):
                    if w is not self.resolve_button:
                        w.setEnabled(not closed)
        if closed:
            self.resolve_button.setEnabled(False)
        else:
            self._update_limit()
            self.comp_value.setEnabled(
                self.comp_kind.currentData() != CompensationKind.NONE)

    def _on_staff_changed(self) -> None:
        self.ops.staff_id = self.staff.currentData()
        self._update_limit()

    # ------------------------------------------------------------------ collecting
    def collect(self) -> complaint_service.ComplaintEdits:
        kind = CompensationKind(self.comp_kind.currentData())
        text = self.comp_value.text().strip()
        value = Decimal("0.00") if kind == CompensationKind.NONE or not text else \
            read_money(self.comp_value, field="compensation_value")
        if kind != CompensationKind.NONE and not text:
            raise ValidationError([FieldError("compensation_value", "amount.required",
                                              "an amount is required")])
        return complaint_service.ComplaintEdits(
            client_words=self.words.toPlainText(),
            channel=Channel(self.channel.currentData()),
            category=self.category.currentText().strip(),
            severity=Severity(self.severity.currentData()),
            fault=Fault(self.fault.currentData()),
            apology=self.apology.toPlainText().strip(),
            apology_given=self.apology_given.isChecked(),
            client_request=self.request.toPlainText().strip(),
            checks={i: CheckState(c.currentData()) for i, c in self.check_states.items()},
            compensation_kind=kind, compensation_value=value,
            approved_by_id=self.approver.currentData(),
            accountable_staff_id=self.accountable.currentData(),
            corrective_action=self.action.toPlainText().strip(),
            review={k: e.toPlainText().strip() for k, e in self.review_edits.items()},
            lesson=self.lesson.toPlainText().strip(),
            expected_version=self.view.version)

    def collect_or_none(self) -> complaint_service.ComplaintEdits | None:
        try:
            return self.collect()
        except DomainError:
            return None

    def is_dirty(self) -> bool:
        now = self.collect_or_none()
        return now is None or now != self._baseline

    # ------------------------------------------------------------------ actions
    def show_errors(self, errors: list[FieldError]) -> None:
        for lab in self.field_errors.values():
            lab.set_error(None)
        self.general_error.set_error(None)
        tabs = {"category": Step.LISTEN, "checklist": Step.NEEDS, "apology": Step.APOLOGY,
                "client_request": Step.APOLOGY, "compensation_value": Step.COMPENSATION,
                "staff": Step.COMPENSATION, "close_reason": Step.CLOSE}
        first = None
        for e in errors:
            lab = self.field_errors.get(e.field or "")
            if lab is not None:
                lab.set_error(field_error_text(e))
                first = tabs.get(e.field or "") if first is None else first
            else:
                self.general_error.set_error(field_error_text(e))
        if first is not None:
            self.tabs.setCurrentIndex(first)

    def _save(self, then: Callable | None = None) -> int | None:
        """Save the form (and run ``then(session, id)`` in the same transaction); on a
        refusal show it beside its field and keep everything typed."""
        self.notice.clear()  # an earlier "Saved." must not stand beside a refusal
        try:
            edits = self.collect()
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return None
        except DomainError as exc:
            self.show_errors([FieldError(exc.field or "", exc.code, exc.message,
                                         exc.values)])
            return None
        staff_id = self.staff.currentData()
        now = self.clock()
        v = self.view

        def work(s):
            cid = complaint_service.save_complaint(s, v.client_id, v.id, edits, staff_id=staff_id, now=now)
            if then is not None:
                then(s, cid)
            return cid

        try:
            try:
                cid = self.ops.run(self, work, source=self,
                                   raise_domain=True)
            except DomainError as exc:
                if exc.code != "compensation.refund_over_paid" or \
                        not self._confirm_refund(exc):
                    raise
                edits.refund_over_paid = True
                cid = self.ops.run(self, work, source=self,
                                   raise_domain=True)
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return None
        except DomainError as exc:
            self.show_errors([FieldError(exc.field or "", exc.code, exc.message,
                                         exc.values)])
            return None
        assert cid is not None
        self.show_errors([])
        if v.id is None:
            _register(self, cid)
        self.show_view(self.ops.read(lambda s: complaint_service.load_complaint(s, cid)))
        self.saved.emit(cid)
        return cid

    def _confirm_refund(self, exc: DomainError) -> bool:
        """A refund above what the client paid in the period: most likely a slip."""
        loc = self.locale()
        value = fmt_money(exc.values.get("value"), self._currency, loc)
        paid = fmt_money(exc.values.get("paid"), self._currency, loc)
        answer = QMessageBox.question(
            self, self.tr("Refund more than was paid?"),
            subst(self.tr("The refund of %1 is more than the client paid in the last %n "
                          "day(s) (%2). Refund %1 all the same?", "", self._value_days),
                  value, paid),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            return True
        self.show_errors([FieldError("compensation_value", exc.code, exc.message,
                                     exc.values)])
        return False

    def save(self) -> None:
        if self._save() is not None:
            self.notice.setText(self.tr("Saved."))

    def resolve(self) -> None:
        now = self.clock()
        planned: list = []

        def then(s, cid: int) -> None:
            planned.extend(t.due_on for t in complaint_service.resolve(s, cid, now)
                           if t.kind == TaskKind.COMPLAINT_CALLBACK)

        if self._save(then) is not None:
            self.notice.setText(subst(self.tr("Resolved. The call-back is planned for %1."),
                                      fmt_date(planned[0], self.locale()) if planned else "—"))

    def close_complaint(self) -> None:
        self.close_error.set_error(None)
        # read before saving: saving shows the stored complaint again
        kept, satisfied = self.kept.isChecked(), self.satisfied.isChecked()
        rating = self.rating.currentData()
        reason = self.close_reason.text()
        cid = self._save()
        if cid is None:
            return
        self.notice.clear()  # the complaint is saved, but closing may still be refused
        self.close_reason.setText(reason)
        now = self.clock()
        try:
            self.ops.run(self, lambda s: complaint_service.close(s, cid, kept=kept, satisfied=satisfied,
                                                   rating=rating, now=now, reason=reason),
                         source=self,
                         raise_domain=True)
        except ValidationError as exc:
            self.tabs.setCurrentIndex(Step.CLOSE)
            missing = [e.field for e in exc.errors if e.code.startswith("complaint.missing.")]
            if missing:
                items = "".join(f"<li>{missing_text(m)}</li>" for m in missing)
                self.close_error.set_error(
                    self.tr("The complaint cannot be closed yet. Still missing:")
                    + f"<ul>{items}</ul>" + self.tr("What you typed is saved."))
            else:
                self.close_error.set_error(error_text(exc))
            return
        except DomainError as exc:
            self.close_error.set_error(error_text(exc))
            return
        self.show_view(self.ops.read(lambda s: complaint_service.load_complaint(s, cid)))
        self.notice.setText(self.tr("The complaint is closed."))

    def reject(self) -> None:
        """Close window, Esc, the window's close button and quitting the app come here:
        typed, unsaved work asks Save / Discard / Cancel (Cancel, or a save that is
        refused, keeps the window open with everything typed)."""
        if self.is_dirty():
            buttons = QMessageBox.StandardButton
            answer = QMessageBox.question(
                self, self.tr("Unsaved changes"),
                self.tr("Save the changes to this complaint?"),
                buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
            if answer == buttons.Save:
                if self._save() is None:
                    return  # refused: the message stands beside its field
            elif answer != buttons.Discard:
                return
        super().reject()

    def done(self, result: int) -> None:
        window_state.save_geometry(GEOMETRY_KEY, self)
        if self.view.id is not None and _registered(self.ops, self.view.id) is self:
            del _OPEN_DIALOGS[(id(self.ops.db), self.view.id)]
        super().done(result)


def open_complaint_dialog(parent: QWidget | None, ops: Ops, *, complaint_id: int | None = None,
                          client_id: int | None = None,
                          clock: Callable[[], datetime] | None = None,
                          modal: bool = False) -> ComplaintDialog | None:
    """Open a complaint (or a new one for ``client_id``); one window per complaint.
    ``modal`` when opened over a modal client card: the card cannot close under it."""
    dlg = _registered(ops, complaint_id) if complaint_id is not None else None
    if dlg is not None:
        dlg.show()
        dlg.raise_()
        dlg.activateWindow()
        return dlg
    try:
        if complaint_id is not None:
            view = ops.read(lambda s: complaint_service.load_complaint(s, complaint_id))
        else:
            assert client_id is not None
            view = ops.read(lambda s: complaint_service.new_complaint_view(s, client_id))
    except DomainError as exc:
        show_error(parent, exc)
        return None
    dlg = ComplaintDialog(parent, ops, view, clock)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    ops.register_editor(dlg)  # quitting asks it to save or discard first
    if complaint_id is not None:
        _register(dlg, complaint_id)
    if modal:
        dlg.setWindowModality(Qt.WindowModality.ApplicationModal)
    dlg.show()
    return dlg
