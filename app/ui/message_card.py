"""The client card's messages: every message sent or tried, with its text, channel and
result; a failed one is marked and sent again (or let go) from here; a new message is
written from here too. A sent message is also in the contact history above (a logged
contact "left a message")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app import palette
from app.errors import DomainError
from app.services.messages import sending
from app.services.messages.sending import MessageRow
from app.ui import labels
from app.ui.formatting import fmt_datetime
from app.ui.message_dialog import announce_sent, open_message_dialog, status_label
from app.ui.messages import text_for
from app.ui.ops import Ops, show_error
from app.ui.progress import show_progress
from app.ui.widgets import make_table


class MessagesPanel(QWidget):
    def __init__(self, ops: Ops, client_id: int, parent: QWidget | None = None, *,
                 read_only: bool = False,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        super().__init__(parent)
        self.setObjectName("messagesPanel")
        self.ops, self.client_id, self.clock = ops, client_id, clock
        self.rows: list[MessageRow] = []
        self.title = QLabel(self.tr("Messages"))
        #: the list, made with the first message (a client without one shows a line)
        self.table: QTableWidget | None = None
        self.empty = QLabel(self.tr("No message sent yet."))
        self.write_button = QPushButton(self.tr("Write a message…"))
        self.write_button.setObjectName("writeMessageButton")
        self.retry_button = QPushButton(self.tr("Send again"))
        self.retry_button.setObjectName("retryMessageButton")
        self.dismiss_button = QPushButton(self.tr("Let it go"))
        self.dismiss_button.setObjectName("dismissMessageButton")
        self.dismiss_button.setToolTip(self.tr("Stop showing this message as not sent"))
        for b in (self.write_button, self.retry_button, self.dismiss_button):
            b.setEnabled(not read_only)
        self.read_only = read_only
        buttons = QHBoxLayout()
        for b in (self.write_button, self.retry_button, self.dismiss_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.empty)
        lay.addLayout(buttons)
        self._lay = lay
        self.write_button.clicked.connect(self.write)
        self.retry_button.clicked.connect(self.retry)
        self.dismiss_button.clicked.connect(self.dismiss)
        self.load()

    def _make_table(self) -> QTableWidget:
        t = make_table([self.tr("When"), self.tr("Channel"), self.tr("To"),
                        self.tr("Result"), self.tr("Text")], "messagesTable")
        t.setMaximumHeight(170)
        # when, channel, address in full; the result and the text share the rest, cut
        # with "…" (whole in their tooltips): no sideways scrolling in the card
        header = t.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        for col in (3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        t.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        t.setWordWrap(False)
        t.currentCellChanged.connect(lambda *_a: self._update_buttons())
        self._lay.insertWidget(self._lay.indexOf(self.empty), t)
        return t

    def load(self) -> None:
        self.rows = self.ops.read(lambda s: sending.client_messages(s, self.client_id))
        self.empty.setVisible(not self.rows)
        if not self.rows and self.table is None:
            self._update_buttons()
            return
        if self.table is None:
            self.table = self._make_table()
        t = self.table
        t.setRowCount(0)
        loc = self.locale()
        for m in self.rows:
            r = t.rowCount()
            t.insertRow(r)
            result = status_label(m.status)
            if m.error_code:
                values = m.error_values
                result += " — " + text_for(m.error_code, values,
                                           str(values.get("detail", m.error_code)))
            text = m.subject or m.body
            for col, value in enumerate((fmt_datetime(m.sent_at or m.created_at, loc),
                                         labels.channel(m.channel), m.to_address, result,
                                         " ".join(text.split()))):
                item = QTableWidgetItem(value)
                item.setToolTip(m.body if col == 4 else value)  # the whole text
                if m.needs_attention:
                    item.setForeground(QBrush(QColor(palette.ERROR)))
                t.setItem(r, col, item)
        self.title.setText(self.tr("Messages") + (
            " — " + self.tr("%n not sent", "", sum(m.needs_attention for m in self.rows))
            if any(m.needs_attention for m in self.rows) else ""))
        first_failed = next((i for i, m in enumerate(self.rows) if m.needs_attention), None)
        if first_failed is not None:
            t.setCurrentCell(first_failed, 0)
        self._update_buttons()

    def selected(self) -> MessageRow | None:
        r = self.table.currentRow() if self.table is not None else -1
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def _update_buttons(self) -> None:
        m = self.selected()
        failed = m is not None and m.needs_attention and not self.read_only
        self.retry_button.setEnabled(failed)
        self.dismiss_button.setEnabled(failed)

    def write(self) -> None:
        dlg = open_message_dialog(self, self.ops, self.client_id, clock=self.clock,
                                  on_sent=lambda _r: isValid(self) and self.load())
        if dlg is not None:
            dlg.finished.connect(lambda _r: isValid(self) and self.load())

    def retry(self) -> None:
        m = self.selected()
        if m is None or not m.needs_attention or self.ops.refuse_read_only(self):
            return
        db, clock, mid = self.ops.db, self.clock, m.id
        self.retry_button.setEnabled(False)

        def done(outcome) -> None:
            announce_sent(self.ops, [outcome.client_id])
            if not isValid(self):
                return
            self.load()
            if outcome.error is not None:
                show_error(self, outcome.error)

        def failed(exc: DomainError) -> None:
            if isValid(self):
                self._update_buttons()
                show_error(self, exc)

        job = self.ops.submit_task(self, lambda _job: sending.retry(db, mid, clock=clock),
                                   label=self.tr("Sending the message again"),
                                   on_done=done, on_error=failed)
        show_progress(self, self.ops.executor, job)

    def dismiss(self) -> None:
        m = self.selected()
        if m is None or not m.needs_attention:
            return
        self.ops.run(self, lambda s: sending.dismiss(s, m.id), source=self)
        self.load()


def messages_panel_factory(ops: Ops, client_id: int | None, read_only: bool = False
                           ) -> Callable[[QWidget], QWidget] | None:
    """What the card calls to put the panel in its history tab (None: a new client)."""
    if client_id is None:
        return None
    return lambda parent: MessagesPanel(ops, client_id, parent, read_only=read_only)
