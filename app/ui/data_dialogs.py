"""Data out and a person's rights: export tables, one client's data as JSON, erasing a
client's personal data, and merging two clients (app/services/io/export.py)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel,
    QMessageBox, QRadioButton, QVBoxLayout, QWidget,
)

from app.errors import DomainError
from app.services.io import export as svc
from app.ui.ops import Ops, show_error
from app.ui.widgets import hint_label

C = QCoreApplication
ALL = {"client", "purchase", "membership", "tag", "task", "contact", "complaint", "segment"}


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

    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        dlg = cls(parent)
        try:
            return dlg.what.currentData() if dlg.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dlg.deleteLater()


def export_to(parent: QWidget | None, ops: Ops, what: str, path: Path) -> int | None:
    """Write the table; returns rows written, or None after showing the problem."""
    try:
        return ops.read(lambda s: svc.export_table(s, what, path, column_headers()))
    except DomainError as exc:
        show_error(parent, exc)
        return None


def export_tables(parent: QWidget | None, ops: Ops) -> int | None:
    what = ExportDialog.ask(parent)
    if what is None:
        return None
    default = f"{what}-{date.today().isoformat()}.xlsx"
    path, chosen = QFileDialog.getSaveFileName(
        parent, C.translate("DataDialogs", "Export"), default,
        C.translate("DataDialogs", "Excel workbook (*.xlsx);;CSV table (*.csv)"))
    if not path:
        return None
    if Path(path).suffix.lower() not in (".csv", ".xlsx"):
        path += ".csv" if "csv" in chosen.lower() else ".xlsx"
    n = export_to(parent, ops, what, Path(path))
    if n is not None:
        QMessageBox.information(parent, C.translate("DataDialogs", "Export"), C.translate(
            "DataDialogs", "%n row(s) written to %1.", "", n).replace("%1", path))
    return n


def write_client_data(parent: QWidget | None, ops: Ops, client_id: int, path: Path) -> bool:
    try:
        data = ops.read(lambda s: svc.client_data(s, client_id))
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    except DomainError as exc:
        show_error(parent, exc)
        return False
    except OSError as exc:
        show_error(parent, DomainError("file.write", str(exc), path=str(path),
                                       detail=exc.strerror or str(exc)))
        return False
    return True


def export_client_data(parent: QWidget | None, ops: Ops, client_id: int) -> bool:
    """A person's request to see their data: everything, as one JSON file."""
    path, _ = QFileDialog.getSaveFileName(
        parent, C.translate("DataDialogs", "The client's data"),
        f"client-{client_id}-{date.today().isoformat()}.json",
        C.translate("DataDialogs", "JSON file (*.json)"))
    return bool(path) and write_client_data(parent, ops, client_id, Path(path))


def erase_client(parent: QWidget | None, ops: Ops, client_id: int, name: str) -> bool:
    """Erase a person's data at their request, after a clear warning."""
    answer = QMessageBox.warning(
        parent, C.translate("DataDialogs", "Erase personal data"),
        C.translate("DataDialogs",
                    "Erase everything that identifies %1: name, phone, e-mail, family, "
                    "dates, notes and the words of calls and complaints?\n\nTheir purchases "
                    "stay without a name, so the figures stay true. This cannot be undone "
                    "(except by restoring a backup).").replace("%1", name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    if answer != QMessageBox.StandardButton.Yes:
        return False
    now = datetime.now().replace(microsecond=0)
    done = ops.run(parent, lambda s: (svc.erase_client(s, client_id, now), True)[1],
                   kinds=ALL, ids={client_id})
    return bool(done)


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
    from app.models import Client

    def describe(s, cid: int) -> tuple[int, str, str]:
        c = s.get(Client, cid)
        details = ", ".join(p for p in (c.phone or "", c.email or "",
                                        C.translate("DataDialogs", "%n purchase(s)", "",
                                                    c.purchase_count)) if p)
        return cid, c.name, details

    a, b = ops.read(lambda s: (describe(s, ids[0]), describe(s, ids[1])))
    choice = MergeDialog.ask(parent, a, b)
    if choice is None:
        return None
    keep, other = choice
    today = date.today()
    done = ops.run(parent, lambda s: (svc.merge_clients(s, keep, other, today), keep)[1],
                   kinds=ALL, ids={keep, other})
    return done
