"""Data out and a person's rights: export tables, one client's data as JSON, erasing a
client's personal data, and merging two clients (app/services/io/export.py).

Exports and erasures run as jobs on the one database executor with their progress (an
export behind a progress dialog with Stop, an erasure in its own dialog); a file is
written whole or not at all. Save dialogs open in the folder of the last export."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.models import Client
from app.models.enums import Channel, ClientKind, Direction, Outcome, TaskKind, Tone
from app.services import erasure
from app.services.io import export as export_service
from app.text import subst
from app.ui import labels as value_labels
from app.ui import window_state
from app.ui.executor import Job
from app.ui.messages import error_text
from app.ui.ops import Changes, Entity, Ops
from app.ui.progress import show_progress
from app.ui.widgets import hint_label
from app.ui.worded_progress import WordedProgress

log = logging.getLogger(__name__)

C = QCoreApplication


def table_names() -> dict[str, str]:
    return {"clients": C.translate("DataDialogs", "Clients"),
            "purchases": C.translate("DataDialogs", "Purchases"),
            "contacts": C.translate("DataDialogs", "Calls and contacts")}


def column_headers() -> dict[str, str]:
    """The headings of exported columns in the user's language."""
    return {
        "id": C.translate("DataDialogs", "Number"),
        "name": C.translate("DataDialogs", "Name"),
        "kind": C.translate("DataDialogs", "Person or company"),
        "card_number": C.translate("DataDialogs", "Card number"),
        "phone": C.translate("DataDialogs", "Phone"),
        "email": C.translate("DataDialogs", "E-mail"),
        "preferred_channel": C.translate("DataDialogs", "Preferred channel"),
        "do_not_contact": C.translate("DataDialogs", "Do not contact"),
        "marketing_consent": C.translate("DataDialogs", "Marketing consent"),
        "marketing_consent_on": C.translate("DataDialogs", "Consent given on"),
        "source_channel": C.translate("DataDialogs", "Came from"),
        "referred_by_id": C.translate("DataDialogs", "Referred by (number)"),
        "group": C.translate("DataDialogs", "Group"),
        "group_reason": C.translate("DataDialogs", "Why this group"),
        "tags": C.translate("DataDialogs", "Tags"),
        "first_purchase_on": C.translate("DataDialogs", "First purchase"),
        "last_purchase_on": C.translate("DataDialogs", "Last purchase"),
        "purchases": C.translate("DataDialogs", "Purchases"),
        "value_12m": C.translate("DataDialogs", "12-month value"),
        "preferences": C.translate("DataDialogs", "Preferences"),
        "notes": C.translate("DataDialogs", "Notes"),
        "created_at": C.translate("DataDialogs", "Client since"),
        "client_id": C.translate("DataDialogs", "Client number"),
        "client": C.translate("DataDialogs", "Client"),
        "date": C.translate("DataDialogs", "Date"),
        "item": C.translate("DataDialogs", "Item or service"),
        "quantity": C.translate("DataDialogs", "Quantity"),
        "amount": C.translate("DataDialogs", "Amount"),
        "refund": C.translate("DataDialogs", "Refund"),
        "complaint_id": C.translate("DataDialogs", "Complaint number"),
        "note": C.translate("DataDialogs", "Note"),
        "at": C.translate("DataDialogs", "When"),
        "channel": C.translate("DataDialogs", "Channel"),
        "direction": C.translate("DataDialogs", "Direction"),
        "purpose": C.translate("DataDialogs", "Purpose"),
        "outcome": C.translate("DataDialogs", "Outcome"),
        "tone": C.translate("DataDialogs", "Tone"),
        "minutes": C.translate("DataDialogs", "Minutes"),
        "decline_reason": C.translate("DataDialogs", "Why declined"),
    }


def direction_label(v: Direction) -> str:
    return {Direction.OUTBOUND: C.translate("DataDialogs", "Outgoing"),
            Direction.INBOUND: C.translate("DataDialogs", "Incoming")}[Direction(v)]


def value_label(key: str, value: Any) -> str:
    """A code or yes/no of an exported column in the user's words (the service's
    ``labels``): "person" is "Person", "in_person" "In person", True "Yes"."""
    if isinstance(value, bool):
        return C.translate("DataDialogs", "Yes") if value else C.translate("DataDialogs", "No")
    try:
        if key == "kind":
            return value_labels.client_kind(ClientKind(value))
        if key in ("preferred_channel", "channel"):
            return value_labels.channel(Channel(value))
        if key == "direction":
            return direction_label(Direction(value))
        if key == "purpose":
            return value_labels.task_kind(TaskKind(value))
        if key == "outcome":
            return value_labels.outcome(Outcome(value))
        if key == "tone":
            return value_labels.tone(Tone(value))
    except (ValueError, KeyError):  # a value this version has no word for: as stored
        pass
    return str(value)


# --------------------------------------------------------------------------- files

#: the QSettings key of the last export folder (app/ui/window_state.py keeps it)
FOLDER_KIND = "export"
FOLDER_KEY = f"folders/{FOLDER_KIND}"


def start_folder() -> Path:
    """Where a save dialog opens: the folder used last time, else the user's
    documents folder (never the program's folder)."""
    return Path(window_state.last_folder(FOLDER_KIND))


def ask_save_path(parent: QWidget | None, title: str, file_name: str,
                  filters: str) -> tuple[str, str]:
    """The save dialog of every export; the chosen folder is remembered."""
    path, chosen = QFileDialog.getSaveFileName(parent, title, str(start_folder() / file_name),
                                               filters)
    if path:
        window_state.remember_folder(FOLDER_KIND, Path(path).parent)
    return path, chosen


class DataDialogs(QObject):
    """The translation context of this module's plural messages: lupdate reads a plural
    from ``DataDialogs.tr(text, "", n)``, not from ``translate(context, text, "", n)``."""


class ExportDialog(QDialog):
    """Which table to export; the file (and so CSV or XLSX) is asked next."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export"))
        self.setMinimumWidth(440)  # the hint reads in two or three lines in every language
        self.what = QComboBox()
        self.what.setObjectName("exportWhat")
        for key, text in table_names().items():
            self.what.addItem(text, key)
        form = QFormLayout(self)
        form.addRow(self.tr("Export"), self.what)
        form.addRow(hint_label(self.tr(
            "A CSV file opens in any spreadsheet; an XLSX file in Excel or LibreOffice. "
            "Clients in the Trash and erased clients are left out.")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(440)

    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        dlg = cls(parent)
        try:
            return dlg.what.currentData() if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()


def export_to(parent: QWidget | None, ops: Ops, what: str, path: Path,
              on_done: Callable[[int], None] | None = None) -> Job | None:
    """Write the table on the database executor (reading only) behind a progress dialog
    with Stop; ``on_done(rows written)`` afterwards. A problem is shown, and a stop said;
    either way no file is written (an earlier one at ``path`` stays as it was)."""
    headers = column_headers()

    def work(s, job: Job) -> int:
        return export_service.export_table(s, what, path, headers, value_label,
                                progress=WordedProgress(job))

    def stopped() -> None:
        QMessageBox.information(parent, C.translate("DataDialogs", "Export"), C.translate(
            "DataDialogs", "The export was stopped; no file was written."))

    job = ops.submit(parent, work, label=C.translate("DataDialogs", "Exporting…"),
                     on_done=on_done, on_cancel=stopped, write=False, cancellable=True)
    show_progress(parent, ops.executor, job)
    return job


def export_tables(parent: QWidget | None, ops: Ops) -> Job | None:
    """File → Export: which table, which file, then the export as a job; it says how
    many rows were written when it is done."""
    what = ExportDialog.ask(parent)
    if what is None:
        return None
    default = f"{what}-{date.today().isoformat()}.xlsx"
    path, chosen = ask_save_path(
        parent, C.translate("DataDialogs", "Export"), default,
        C.translate("DataDialogs", "Excel workbook (*.xlsx);;CSV table (*.csv)"))
    if not path:
        return None
    if Path(path).suffix.lower() not in (".csv", ".xlsx"):
        path += ".csv" if "csv" in chosen.lower() else ".xlsx"
    def done(n: int) -> None:
        written = subst(DataDialogs.tr("%n row(s) written to %1.", "", n), path)
        QMessageBox.information(parent, C.translate("DataDialogs", "Export"), written)

    return export_to(parent, ops, what, Path(path), done)


def write_client_data(parent: QWidget | None, ops: Ops, client_id: int, path: Path,
                      on_done: Callable[[], None] | None = None) -> Job | None:
    """Everything stored about one client, as one JSON file (whole or not at all),
    written on the database executor; a problem is shown."""
    def work(s, job: Job) -> None:
        export_service.write_json(path, export_service.client_data(s, client_id))

    job = ops.submit(parent, work, label=C.translate("DataDialogs", "Writing the client's "
                                                               "data…"),
                     on_done=(lambda _none: on_done()) if on_done else None, write=False)
    show_progress(parent, ops.executor, job)
    return job


def export_client_data(parent: QWidget | None, ops: Ops, client_id: int) -> Job | None:
    """A person's request to see their data: everything, as one JSON file."""
    path, _ = ask_save_path(
        parent, C.translate("DataDialogs", "The client's data"),
        f"client-{client_id}-{date.today().isoformat()}.json",
        C.translate("DataDialogs", "JSON file (*.json)"))
    return write_client_data(parent, ops, client_id, Path(path)) if path else None


def erase_words() -> dict:
    """The erasure's steps in words (for its dialog and the status bar)."""
    def step(done: int, total: int | None) -> str:
        if total and 2 <= done < total:  # the next backup is being cleaned
            return subst(C.translate("EraseDialog", "Erasing from backup %1 of %2…"),
                         done - 1, total - 2)
        return C.translate("EraseDialog", "Erasing…")

    return {erasure.STAGE_ERASED: step, erasure.STAGE_COMPACTED: step,
            erasure.STAGE_BACKUP: step}


def start_erase(parent: QWidget | None, ops: Ops, client_id: int, backups: list[Path], *,
                on_done: Callable[[erasure.EraseReport], None],
                on_error: Callable[[DomainError], None]) -> Job:
    """The erasure as a job of the database executor: the erase itself, the WAL
    checkpoint and VACUUM of the file, then each backup chosen (app/services/erasure.py),
    its steps reported to the job (``job.done_steps`` of ``job.total``). On the GUI
    thread afterwards every page hears that this client changed in every table."""
    db = ops.db

    def work(job: Job) -> erasure.EraseReport:
        now = datetime.now().replace(microsecond=0)
        return erasure.erase_everywhere(db.sessions, db.path, client_id, now, backups,
                                        WordedProgress(job, erase_words()))

    def done(report: erasure.EraseReport) -> None:
        # erased in every table of this client (its backups too)
        ops.announce(Changes(frozenset(Entity), frozenset({client_id}), False, parent))
        on_done(report)

    return ops.submit_task(parent, work, label=C.translate("DataDialogs", "Erasing…"),
                           on_done=done, on_error=on_error)


class EraseDialog(QDialog):
    """A person's request to be erased: what goes and what stays, how many backups
    still hold them (and whether to clean those too), then the work with its progress."""

    def __init__(self, parent: QWidget | None, ops: Ops, client_id: int, name: str,
                 backups: list[Path]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Erase personal data"))
        self.setObjectName("eraseDialog")
        self.ops, self.client_id, self.backups = ops, client_id, backups
        self.report: erasure.EraseReport | None = None
        self.job: Job | None = None
        lay = QVBoxLayout(self)
        # two pages of one size, so the dialog never jumps: the question, then the work
        self.pages = QStackedWidget()
        question = QWidget()
        ask = QVBoxLayout(question)
        ask.setContentsMargins(0, 0, 0, 0)
        self.text = QLabel(subst(self.tr(
            "Erase everything that identifies %1: name, phone, e-mail, card number, family, "
            "dates, tags, notes and the words of calls, memberships and complaints? Where "
            "other clients' notes name this person, the name is replaced by “%2”."
        ), name, ops.read(erasure.mark_for)))
        self.text.setWordWrap(True)
        ask.addWidget(self.text)
        self.hint = hint_label(self.tr(
            "Their purchases stay without a name, so the figures stay true. This cannot be "
            "undone; restoring a backup later erases this person again."))
        ask.addWidget(self.hint)
        self.backups_label = QLabel(
            self.tr("%n backup(s) made earlier still hold this person's data.", "",
                    len(backups)) if backups else
            self.tr("No backup holds this person's data."))
        self.backups_label.setWordWrap(True)
        ask.addWidget(self.backups_label)
        self.clean_backups = QCheckBox(self.tr("Erase them from these backups too (now)"))
        self.clean_backups.setChecked(True)
        self.clean_backups.setVisible(bool(backups))
        ask.addWidget(self.clean_backups)
        ask.addStretch(1)
        work = QWidget()
        doing = QVBoxLayout(work)
        doing.setContentsMargins(0, 0, 0, 0)
        self.progress = QProgressBar()
        doing.addWidget(self.progress)
        self.status = QLabel()
        self.status.setWordWrap(True)
        doing.addWidget(self.status)
        doing.addStretch(1)
        self.pages.addWidget(question)
        self.pages.addWidget(work)
        self.work_page = work  # shown while the erasure runs
        lay.addWidget(self.pages)
        self.buttons = QDialogButtonBox()
        self.erase_button = QPushButton(self.tr("Erase"))
        self.erase_button.setObjectName("eraseButton")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setVisible(False)
        self.cancel_button.setDefault(True)  # the safe choice is the default one
        self.erase_button.setAutoDefault(False)
        self.erase_button.clicked.connect(self._start)
        self.cancel_button.clicked.connect(self.reject)
        self.close_button.clicked.connect(self.accept)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def _start(self) -> None:
        backups = self.backups if self.clean_backups.isChecked() else []
        self.erase_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.clean_backups.setEnabled(False)
        self.progress.setRange(0, 2 + len(backups))
        self.progress.setValue(0)
        self.pages.setCurrentWidget(self.work_page)
        self._say(self.tr("Erasing…"))
        self.ops.executor.job_progressed.connect(self._on_job_progressed)
        self.job = start_erase(self, self.ops, self.client_id, backups,
                               on_done=self._on_job_done, on_error=self._on_job_failed)

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def is_running(self) -> bool:
        return self.job is not None and not self.job.finished

    def _on_job_progressed(self, job: Job) -> None:
        if job is not self.job:
            return
        self.progress.setValue(job.done_steps)
        if job.text:
            self._say(job.text)

    def _disconnect(self) -> None:
        try:
            self.ops.executor.job_progressed.disconnect(self._on_job_progressed)
        except (RuntimeError, TypeError):
            pass  # not connected

    def _on_job_done(self, report: erasure.EraseReport) -> None:
        self._disconnect()
        self.progress.setValue(self.progress.maximum())
        self.report = report
        if report.compact_error is not None:
            lines = [error_text(report.compact_error)]
        elif report.on_server:
            lines = [self.tr("The personal data was erased from the office server's "
                             "database. Its backups made with pg_dump still hold it until "
                             "they are replaced by newer ones.")]
        elif not report.wal_empty:
            lines = [self.tr("The personal data was erased and the database file compacted; "
                             "its last changes leave the write-ahead log when ClientCare "
                             "closes.")]
        else:
            lines = [self.tr("The personal data was erased and the database file compacted.")]
        if report.backups_cleaned:
            lines.append(self.tr("Erased from %n backup(s).", "", len(report.backups_cleaned)))
        left = len(self.backups) - len(report.backups_cleaned)
        if left:
            lines.append(self.tr("%n backup(s) still hold this person; a restore of one "
                                 "erases them again.", "", left))
        for path, detail in report.backups_failed:
            lines.append(subst(self.tr("Not erased from %1: %2"), path.name, detail))
        self._say("\n".join(lines))
        self.erase_button.setVisible(False)
        self.cancel_button.setVisible(False)
        self.close_button.setVisible(True)
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    def _on_job_failed(self, exc: DomainError) -> None:
        self._disconnect()
        self._say(error_text(exc))
        self.cancel_button.setEnabled(True)

    def reject(self) -> None:
        if self.is_running():
            return  # the erase finishes first; closing now would hide its outcome
        if self.report is not None:
            self.accept()
            return
        super().reject()

    def closeEvent(self, event) -> None:
        if self.is_running():
            event.ignore()
            return
        super().closeEvent(event)


def erase_client(parent: QWidget | None, ops: Ops, client_id: int, name: str) -> bool:
    """Erase a person's data at their request, after a clear warning; True when erased."""
    if ops.refuse_read_only(parent):
        return False
    try:
        backups = ([] if ops.db.on_server
                   else erasure.backups_holding(ops.db.path, [client_id]))
    except OSError as exc:
        log.warning("cannot list backups: %s", exc)
        backups = []
    dlg = EraseDialog(parent, ops, client_id, name, backups)
    try:
        dlg.exec()
        return dlg.report is not None
    finally:
        dlg.deleteLater()


class MergeDialog(QDialog):
    """Two records of one person: which one to keep."""

    def __init__(self, parent: QWidget | None, a: tuple[int, str, str],
                 b: tuple[int, str, str]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Merge two clients"))
        self.setMinimumWidth(480)
        self.ids = (a[0], b[0])
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Keep which one?")))
        self.keep_a = QRadioButton(f"{a[1]} — {a[2]}")
        self.keep_b = QRadioButton(f"{b[1]} — {b[2]}")
        group = QButtonGroup(self)
        group.addButton(self.keep_a)
        group.addButton(self.keep_b)
        self.keep_a.setChecked(True)
        lay.addWidget(self.keep_a)
        lay.addWidget(self.keep_b)
        lay.addWidget(hint_label(self.tr(
            "Purchases, memberships, calls, family, dates, complaints and tasks of the "
            "other client move to the one you keep; its empty fields take the other's "
            "values, and the other record is removed.")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def choice(self) -> tuple[int, int]:
        a, b = self.ids
        return (a, b) if self.keep_a.isChecked() else (b, a)

    @classmethod
    def ask(cls, parent, a, b) -> tuple[int, int] | None:
        dlg = cls(parent, a, b)
        try:
            return dlg.choice() if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()


def merge_clients(parent: QWidget | None, ops: Ops, ids: list[int]) -> int | None:
    """Merge the two selected clients; returns the id kept."""
    def describe(s, cid: int) -> tuple[int, str, str]:
        c = s.get(Client, cid)
        details = ", ".join(p for p in (c.phone or "", c.email or "",
                                        DataDialogs.tr("%n purchase(s)", "",
                                                    c.purchase_count)) if p)
        return cid, c.name, details

    a, b = ops.read(lambda s: (describe(s, ids[0]), describe(s, ids[1])))
    choice = MergeDialog.ask(parent, a, b)
    if choice is None:
        return None
    keep, other = choice
    today = date.today()
    done = ops.run(parent, lambda s: (export_service.merge_clients(s, keep, other, today), keep)[1])
    return done
