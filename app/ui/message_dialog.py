"""Sending messages from the window: one message with its preview (Today's S key, the
client's card), a batch for the selected rows of Today with a confirmation that says
how many go, to whom and how many are refused and why, and sending a failed one again.

The text is rendered from its template with the client's data on the GUI thread (one
client: a few small queries); the sending itself, which waits on the network, runs on
the database executor with progress (app/services/messages/sending.py writes before
and after, never during, the network call), so the window never freezes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app import palette
from app.errors import DomainError
from app.models import Client
from app.models.enums import Channel
from app.services.messages import segments, sending, templates
from app.services.messages.sending import BatchResult, Draft, MessageRequest
from app.text import subst
from app.ui import labels
from app.ui.messages import error_text
from app.ui.ops import Changes, Entity, Ops, show_error
from app.ui.progress import show_progress
from app.ui.widgets import ErrorLabel

C = QCoreApplication


def kind_label(kind: str) -> str:
    return {
        "follow_up": C.translate("Messages", "Follow-up after a purchase"),
        "renewal": C.translate("Messages", "Renewal reminder"),
        "birthday": C.translate("Messages", "Birthday greeting"),
        "name_day": C.translate("Messages", "Name-day greeting"),
        "win_back": C.translate("Messages", "Win-back"),
        "complaint_callback": C.translate("Messages", "After a complaint"),
        "free": C.translate("Messages", "Free message"),
    }.get(kind, kind)


def language_label(lang: str) -> str:
    """A template's language in the user's language ("Polish", "polski", "польский")."""
    return {
        "en": C.translate("Messages", "English"),
        "pl": C.translate("Messages", "Polish"),
        "ru": C.translate("Messages", "Russian"),
        "bg": C.translate("Messages", "Bulgarian"),
    }.get(lang, lang)


def sms_count_text(count: segments.SmsCount) -> str:
    # Class.tr: lupdate reads a plural only there (the class is defined below)
    return (MessageDialog.tr("%Ln character(s)", "", count.characters) + ", "
            + MessageDialog.tr("%Ln message(s)", "", count.segments))


def status_label(status: str) -> str:
    return {
        "sent": C.translate("Messages", "sent"),
        "failed": C.translate("Messages", "not sent"),
        "pending": C.translate("Messages", "not known whether sent"),
        "dismissed": C.translate("Messages", "not sent, let go"),
    }.get(status, status)


def announce_sent(ops: Ops, client_ids) -> None:
    """Tell every page: contacts were logged, tasks closed, messages written."""
    ops.announce(Changes(frozenset({Entity.CONTACT, Entity.TASK}), frozenset(client_ids)))


def _fill_combo(combo: QComboBox, items) -> None:
    for text, data in items:
        combo.addItem(text, data)


class MessageDialog(QDialog):
    """One message to one client: channel, language, kind; the editable preview; the
    SMS count; why it may not go; Send."""

    sent = Signal(object)  # the BatchResult

    def __init__(self, parent: QWidget | None, ops: Ops, client_id: int,
                 task_ids: tuple[int, ...] = (), *,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        super().__init__(parent)
        self.setObjectName("messageDialog")
        self.setWindowTitle(self.tr("Send a message"))
        self.ops, self.client_id, self.task_ids, self.clock = ops, client_id, task_ids, clock
        self.draft: Draft | None = None
        self.result: BatchResult | None = None
        self.failed_id: int | None = None  # a message that failed here: "Try again"
        self._outside_ok = False
        self._filling = False
        self.ready = ops.read(sending.channels_ready)
        first = ops.read(lambda s: sending.prepare(s, MessageRequest(client_id, Channel.EMAIL,
                                                                     task_ids), clock()))
        self.kind_default = first.kind
        self.channel = QComboBox()
        self.channel.setObjectName("messageChannel")
        _fill_combo(self.channel, [(labels.channel(Channel.EMAIL), Channel.EMAIL),
                                   (labels.channel(Channel.SMS), Channel.SMS)])
        default = ops.read(lambda s: sending.default_channel(s.get(Client, client_id),
                                                             self.ready))
        self.channel.setCurrentIndex(self.channel.findData(default))
        self.language = QComboBox()
        self.language.setObjectName("messageLanguage")
        _fill_combo(self.language, [(language_label(lang), lang)
                                    for lang in templates.LANGUAGES])
        self.language.setCurrentIndex(self.language.findData(first.language))
        self.kind = QComboBox()
        self.kind.setObjectName("messageKind")
        _fill_combo(self.kind, [(kind_label(k), k) for k in templates.KINDS])
        self.kind.setCurrentIndex(self.kind.findData(first.kind))
        self.to = QLabel()
        self.to.setObjectName("messageTo")
        self.subject = QLineEdit()
        self.subject.setObjectName("messageSubject")
        self.body = QPlainTextEdit()
        self.body.setObjectName("messageBody")
        self.body.setMinimumSize(460, 200)
        self.count = QLabel()
        self.count.setObjectName("smsCount")
        self.count.setStyleSheet(f"color: {palette.SECONDARY_TEXT};")
        self.refusal = ErrorLabel()
        self.refusal.setObjectName("messageRefusal")
        form = QFormLayout()
        form.addRow(self.tr("Client"), QLabel(first.client_name))
        form.addRow(self.tr("Send by"), self.channel)
        form.addRow(self.tr("To"), self.to)
        form.addRow(self.tr("Message"), self.kind)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Subject"), self.subject)
        self.subject_label = form.labelForField(self.subject)
        form.addRow(self.tr("Text"), self.body)
        form.addRow("", self.count)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("sendMessageButton")
        self.send_button.setDefault(True)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.send_button.clicked.connect(self.send)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.refusal)
        lay.addWidget(buttons)
        for combo in (self.channel, self.language, self.kind):
            combo.currentIndexChanged.connect(self.render)
        self.body.textChanged.connect(self._on_text_edited)
        self.subject.textEdited.connect(self._on_text_edited)
        self.render()

    # ------------------------------------------------------------------ preview
    def request(self, edited: bool) -> MessageRequest:
        return MessageRequest(
            self.client_id, self.channel.currentData(), self.task_ids,
            language=self.language.currentData(), kind=self.kind.currentData(),
            subject=self.subject.text() if edited else None,
            body=self.body.toPlainText() if edited else None,
            staff_id=self.ops.staff_id, outside_hours_ok=self._outside_ok)

    def render(self) -> None:
        """The template of the chosen kind, language and channel with the client's data
        (what the person typed is replaced)."""
        req = self.request(edited=False)
        try:
            draft = self.ops.read(lambda s: sending.prepare(s, req, self.clock(), self.ready))
        except DomainError as exc:
            self.refusal.set_error(error_text(exc))
            self.send_button.setEnabled(False)
            return
        self._filling = True
        self.subject.setText(draft.subject)
        self.body.setPlainText(draft.body)
        self._filling = False
        self._show(draft)

    def _on_text_edited(self, *_a) -> None:
        if self._filling or self.draft is None:
            return
        req = self.request(edited=True)
        try:
            draft = self.ops.read(lambda s: sending.prepare(s, req, self.clock(), self.ready))
        except DomainError as exc:
            self.refusal.set_error(error_text(exc))
            return
        self._show(draft)

    def _show(self, draft: Draft) -> None:
        self.draft = draft
        email = draft.channel == Channel.EMAIL
        self.subject.setVisible(email)
        if self.subject_label is not None:
            self.subject_label.setVisible(email)
        self.to.setText(draft.to_address or self.tr("(no address)"))
        self.count.setText(sms_count_text(draft.sms) if draft.sms else "")
        self.count.setVisible(draft.sms is not None)
        why = draft.refusal
        if why is not None and why.code == "message.outside_hours":
            self.refusal.set_error(error_text(why) + " " + self.tr(
                "Send asks you to confirm."))
            self.send_button.setEnabled(True)
            return
        self.refusal.set_error(error_text(why) if why is not None else None)
        self.send_button.setEnabled(why is None)

    # ------------------------------------------------------------------ sending
    def send(self) -> None:
        if self.failed_id is not None:
            self._retry()
            return
        draft = self.draft
        if draft is None:
            return
        if draft.refusal is not None and draft.refusal.code == "message.outside_hours":
            answer = QMessageBox.question(
                self, self.tr("Outside the client's hours"),
                error_text(draft.refusal) + "\n\n" + self.tr("Send the SMS now anyway?"))
            if answer != QMessageBox.StandardButton.Yes:
                return
            self._outside_ok = True
            self._on_text_edited()
            draft = self.draft
        if draft is None or draft.refusal is not None:
            return
        req = self.request(edited=True)
        db, clock = self.ops.db, self.clock
        self._run(lambda _job: sending.send(db, [req], clock=clock),
                  self.tr("Sending the message"))

    def _retry(self) -> None:
        db, clock, mid, ok = self.ops.db, self.clock, self.failed_id, self._outside_ok

        def work(_job):
            outcome = sending.retry(db, mid, clock=clock, outside_hours_ok=ok)
            return BatchResult([outcome])

        self._run(work, self.tr("Sending the message again"))

    def _run(self, work, label: str) -> None:
        if self.ops.refuse_read_only(self):
            return
        self.send_button.setEnabled(False)
        job = self.ops.submit_task(self, work, label=label, on_done=self._done,
                                   on_error=self._failed)
        show_progress(self, self.ops.executor, job)

    def _done(self, result: BatchResult) -> None:
        announce_sent(self.ops, result.client_ids)
        if not isValid(self):
            return
        self.result = result
        outcome = result.outcomes[0]
        if outcome.sent:
            self.sent.emit(result)
            self.accept()
            return
        self.send_button.setEnabled(True)
        if outcome.refused:
            self.refusal.set_error(error_text(outcome.error))
            return
        self.failed_id = outcome.message_id
        self.send_button.setText(self.tr("Try again"))
        self.refusal.set_error(error_text(outcome.error) + "\n" + self.tr(
            "The message is kept as not sent: try again now, or later from the client's "
            "card."))

    def _failed(self, exc: DomainError) -> None:
        if isValid(self):
            self.send_button.setEnabled(True)
            self.refusal.set_error(error_text(exc))


def refusal_lines(refused: list[tuple[str, DomainError]]) -> list[str]:
    """"Anna Nowak: no marketing consent…", one line per refused message."""
    return [subst(C.translate("Messages", "%1: %2"), name or "?", error_text(err))
            for name, err in refused]


class BatchDialog(QDialog):
    """The confirmation of a batch: how many go and by which channel, to whom, and
    which are refused and why. The drafts were prepared on the executor."""

    def __init__(self, parent: QWidget | None, drafts: list[Draft]) -> None:
        super().__init__(parent)
        self.setObjectName("messageBatchDialog")
        self.setWindowTitle(self.tr("Send messages"))
        self.drafts = drafts
        go = [d for d in drafts if d.refusal is None]
        refused = [d for d in drafts if d.refusal is not None]
        emails = sum(1 for d in go if d.channel == Channel.EMAIL)
        sms = [d for d in go if d.channel == Channel.SMS]
        parts = sum(d.sms.segments for d in sms if d.sms)
        lines = [self.tr("Send %n message(s):", "", len(go))]
        if emails:
            lines.append("• " + self.tr("%n by e-mail", "", emails))
        if sms:
            lines.append("• " + self.tr("%n by SMS", "", len(sms)) + " ("
                         + self.tr("%n SMS part(s) in all", "", parts) + ")")
        names = ", ".join(d.client_name for d in go[:12])
        if len(go) > 12:
            names += " " + self.tr("and %n more", "", len(go) - 12)
        if go:
            lines.append(subst(self.tr("To: %1"), names))
        self.summary = QLabel("\n".join(lines))
        self.summary.setObjectName("batchSummary")
        self.summary.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        self.refused = QLabel()
        self.refused.setObjectName("batchRefused")
        self.refused.setWordWrap(True)
        if refused:
            text = self.tr("%n will not be sent:", "", len(refused)) + "\n" + "\n".join(
                "• " + line for line in refusal_lines([(d.client_name, d.refusal)
                                                       for d in refused[:15]]))
            if len(refused) > 15:
                text += "\n" + self.tr("and %n more", "", len(refused) - 15)
            self.refused.setText(text)
            self.refused.setStyleSheet(f"color: {palette.ERROR};")
        lay.addWidget(self.refused)
        self.refused.setVisible(bool(refused))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = QPushButton(self.tr("Send %n", "", len(go)))
        self.send_button.setObjectName("sendBatchButton")
        self.send_button.setEnabled(bool(go))
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.setMinimumWidth(480)

    def requests(self) -> list[MessageRequest]:
        return [d.request for d in self.drafts if d.refusal is None]


def send_batch(parent: QWidget, ops: Ops, rows: list[tuple[int, tuple[int, ...]]], *,
               clock: Callable[[], datetime] = datetime.now,
               on_done: Callable[[BatchResult], None] | None = None,
               confirm: Callable[[BatchDialog], bool] | None = None) -> None:
    """Prepare a message for each (client, tasks) on the executor, ask with
    :class:`BatchDialog`, then send them on the executor with progress (stoppable
    between two messages); ``on_done`` hears the result. ``confirm``: how the dialog is
    asked (tests answer it themselves); by default it is shown modal."""
    if ops.refuse_read_only(parent):
        return
    staff = ops.staff_id

    def prepare(s, _job):
        now = clock()
        ready = sending.channels_ready(s)
        return [sending.prepare(s, r, now, ready)
                for r in sending.row_requests(s, rows, staff)]

    def ask(drafts: list[Draft]) -> None:
        if not isValid(parent):
            return
        dlg = BatchDialog(parent, drafts)
        ok = confirm(dlg) if confirm is not None else dlg.exec() == QDialog.DialogCode.Accepted
        if not ok:
            return
        reqs, db = dlg.requests(), ops.db

        def work(job):
            return sending.send(db, reqs, clock=clock,
                                report=lambda done, total: job.report(done, total),
                                check=job.check)

        def done(result: BatchResult) -> None:
            announce_sent(ops, result.client_ids)
            if on_done is not None:
                on_done(result)

        job = ops.submit_task(parent, work, label=C.translate("Messages", "Sending messages"),
                              on_done=done, cancellable=True)
        show_progress(parent, ops.executor, job)

    ops.submit(parent, prepare, label=C.translate("Messages", "Preparing the messages"),
               write=False, on_done=ask)


def result_text(result: BatchResult) -> str:
    """"3 messages sent; 1 not sent (kept: send it again from the card)"."""
    text = MessageDialog.tr("%n message(s) sent.", "", len(result.sent))
    if result.failed:
        text += " " + MessageDialog.tr("%n not sent: kept on the client's card to send "
                                       "again.", "", len(result.failed))
    if result.refused:
        text += " " + MessageDialog.tr("%n refused.", "", len(result.refused))
    return text


def open_message_dialog(parent: QWidget, ops: Ops, client_id: int,
                        task_ids: tuple[int, ...] = (), *,
                        clock: Callable[[], datetime] = datetime.now,
                        on_sent: Callable[[BatchResult], None] | None = None
                        ) -> MessageDialog | None:
    if ops.refuse_read_only(parent):
        return None
    try:
        dlg = MessageDialog(parent, ops, client_id, task_ids, clock=clock)
    except DomainError as exc:
        show_error(parent, exc)
        return None
    if on_sent is not None:
        dlg.sent.connect(on_sent)
    dlg.open()
    return dlg
