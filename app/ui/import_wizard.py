"""The import wizard: clients or purchases from a CSV, XLSX or vCard file
(app/services/io/importer.py does the work; ``clientcare import`` shares it).

1. File and kind: which file, clients or purchases (a vCard file holds clients).
2. Columns: which column of the file goes into which field; preset from the mapping
   chosen last time for a file with the same headings, else guessed from the headings.
3. Preview: what would happen: rows rejected (row, column, reason), duplicates of
   existing clients (skip, merge or import as new, row by row), purchases of clients
   ClientCare does not know. Nothing is written until the user presses Import.
4. Done: a backup of the database is made, the mapping remembered and the rows written
   in one transaction (all or nothing); the last page says what was done.

Reading the file, checking it and importing it run on the database executor (a file of
10,000 rows takes seconds), behind a progress dialog that says how far it got; checking
and importing can be stopped, and a stopped import keeps nothing (app/services/imports.py
is the use case the command line runs too).
"""

from __future__ import annotations

import csv
import weakref
from datetime import date, datetime
from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app import palette
from app.errors import DomainError, FieldError, ValidationError
from app.services import imports
from app.services import settings as settings_service
from app.services.io import importer
from app.services.io.importer import (
    CLIENT_FIELDS,
    PURCHASE_FIELDS,
    FileConsent,
    Plan,
    RawTable,
    Report,
)
from app.text import subst
from app.ui import formatting, window_state
from app.ui.executor import Hold, Job, full_collections
from app.ui.formatting import fmt_date, fmt_date_entry
from app.ui.messages import error_text, field_error_text, text_for
from app.ui.ops import Ops
from app.ui.progress import show_progress
from app.ui.widgets import DateEntry, ErrorLabel, hint_label, make_table
from app.ui.worded_progress import WordedProgress

C = QCoreApplication

PAGE_FILE, PAGE_COLUMNS, PAGE_PREVIEW, PAGE_DONE = range(4)

#: the rows of the file the column page takes its examples from
SAMPLE_ROWS = 200

# what to do with a row that is already in ClientCare (apply_import's choices)
ACTIONS = ("skip", "merge", "new")


def field_names() -> dict[str, str]:
    """Every field a column may go into, in the user's language."""
    return {
        "name": C.translate("ImportWizard", "Name (whole)"),
        "first_name": C.translate("ImportWizard", "First name"),
        "last_name": C.translate("ImportWizard", "Last name"),
        "phone": C.translate("ImportWizard", "Phone"),
        "email": C.translate("ImportWizard", "E-mail"),
        "birthday": C.translate("ImportWizard", "Birthday"),
        "card_number": C.translate("ImportWizard", "Card number"),
        "notes": C.translate("ImportWizard", "Notes"),
        "source_channel": C.translate("ImportWizard", "Came from"),
        "tags": C.translate("ImportWizard", "Tags"),
        "marketing_consent": C.translate("ImportWizard", "Marketing consent"),
        "client_name": C.translate("ImportWizard", "Client's name"),
        "date": C.translate("ImportWizard", "Date of purchase"),
        "amount": C.translate("ImportWizard", "Amount"),
        "item": C.translate("ImportWizard", "Item or service"),
        "quantity": C.translate("ImportWizard", "Quantity"),
        "note": C.translate("ImportWizard", "Note"),
    }


def not_imported_text() -> str:
    return C.translate("ImportWizard", "— not imported —")


def action_names() -> dict[str, str]:
    return {"skip": C.translate("ImportWizard", "Skip"),
            "merge": C.translate("ImportWizard", "Merge into the existing client"),
            "new": C.translate("ImportWizard", "Import as a new client")}


def same_names() -> dict[str, str]:
    return {"phone": C.translate("ImportWizard", "phone"),
            "email": C.translate("ImportWizard", "e-mail"),
            "card": C.translate("ImportWizard", "card number")}


def encoding_name(encoding: str | None) -> str:
    unicode_text = C.translate("ImportWizard", "UTF-16 (Excel's “Unicode Text”)")
    return {"utf-8": C.translate("ImportWizard", "UTF-8"),
            "utf-8-sig": C.translate("ImportWizard", "UTF-8"),
            "utf-16": unicode_text, "utf-16-le": unicode_text, "utf-16-be": unicode_text,
            "cp1251": C.translate("ImportWizard", "Windows-1251 (Cyrillic)"),
            "cp1250": C.translate("ImportWizard", "Windows-1250 (Central European)"),
            "cp1252": C.translate("ImportWizard", "Windows-1252 (Western European)"),
            "koi8-r": C.translate("ImportWizard", "KOI8-R (Russian)"),
            "iso8859-2": C.translate("ImportWizard", "ISO-8859-2 (Central European)"),
            }.get(encoding or "", encoding or "")


def country_name(region: str) -> str:
    """"Россия (RU)": a country in the words the Settings page uses for it."""
    return f"{formatting.country_name(region)} ({region})"


def read_with_samples(path: Path, **options) -> tuple[RawTable, list[list]]:
    """On the executor: the file read (:func:`importer.read_table`) and its first
    :data:`SAMPLE_ROWS` rows, the column page's examples (so the GUI thread does not read
    the file again for them)."""
    table = importer.read_table(path, **options)
    return table, table.head(SAMPLE_ROWS)


def table_description(table: RawTable) -> str:
    """What was found in the file: "UTF-8, separated by ;" and how many rows."""
    if table.source == "xlsx":
        what = C.translate("ImportWizard", "Excel workbook, first sheet")
    elif table.source == "vcard":
        what = C.translate("ImportWizard", "vCard contacts")
    else:
        if table.delimiter == "\t":
            sep = C.translate("ImportWizard", "separated by tabs")
        else:
            sep = subst(C.translate("ImportWizard", "separated by %1"), table.delimiter or "")
        what = f"{encoding_name(table.encoding)}, {sep}"
    rows = ImportWizard.tr("%n row(s)", "", len(table.rows))
    return f"{what} · {rows}"


def cell_text(value) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return fmt_date(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def problem_text(p) -> str:
    """The sentence for a rejected row's problem, in the user's language."""
    return text_for(p.code, {**p.values, "value": p.value})


def summary_text(plan: Plan) -> str:
    """"12 rows ready, 2 rejected, 1 duplicate, ..." for the preview."""
    counts = plan.counts
    parts = [ImportWizard.tr("%n row(s) ready", "", plan.rows_ok),
             ImportWizard.tr("%n rejected", "", counts.rejected)]
    if plan.kind == "clients":
        parts.append(ImportWizard.tr("%n duplicate(s)", "", counts.duplicates))
    else:
        parts.append(ImportWizard.tr("%n purchase(s) of unknown clients", "",
                                 counts.unknown))
        parts.append(ImportWizard.tr("%n already imported", "",
                                 counts.already))
    if counts.unchecked:
        parts.append(ImportWizard.tr("%n phone number(s) to check", "",
                                 counts.unchecked))
    return ", ".join(parts)


def listed_text(plan: Plan) -> str:
    """Under the preview's tables, when a list is longer than what is shown: "Only the
    first 1,000 … are listed"; duplicates not listed are skipped."""
    limit = importer.PREVIEW_LIMIT
    counts = plan.counts
    lines = []
    if counts.problems > len(plan.problems):
        lines.append(subst(ImportWizard.tr(
            "The first %1 problems are listed; Save the report… saves all of them."),
            QLocale().toString(len(plan.problems))))
    if counts.duplicates > len(plan.duplicates):
        lines.append(ImportWizard.tr(
            "The first %1 duplicates are listed; the %n others are skipped.", "",
            counts.duplicates - limit).replace("%1", QLocale().toString(limit)))
    return "\n".join(lines)


def report_lines(report: Report, kind: str) -> list[str]:
    """The report of a finished import, one sentence a line."""
    lines = []
    if kind == "clients" or report.created:
        lines.append(ImportWizard.tr("%n new client(s) created.", "",
                                 report.created))
    if kind == "clients":
        lines.append(ImportWizard.tr("%n client(s) merged into existing ones.",
                                 "", report.merged))
        lines.append(ImportWizard.tr("%n duplicate(s) skipped.", "",
                                 report.skipped))
    else:
        lines.append(ImportWizard.tr("%n purchase(s) added.", "",
                                 report.purchases))
        if report.already_imported:
            lines.append(ImportWizard.tr("%n purchase(s) had been imported before and were left out.",
                "", report.already_imported))
        if report.unknown_skipped:
            lines.append(ImportWizard.tr("%n purchase(s) of unknown clients skipped.", "",
                report.unknown_skipped))
    lines.append(ImportWizard.tr("%n row(s) rejected.", "", report.rejected))
    if report.consented:
        lines.append(ImportWizard.tr("Marketing consent recorded for %n client(s), in the "
                                     "consent log with its source and date.", "",
                                     report.consented))
    if report.unchecked_phones:
        lines.append(ImportWizard.tr("%n phone number(s) to check: kept as the file gives them and "
            "marked ⚠ in the client list and on the card.", "", report.unchecked_phones))
    return lines


# --------------------------------------------------------------------------- pages

class FilePage(QWizardPage):
    """Which file, and whether it holds clients or purchases."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(C.translate("ImportWizard", "Choose the file"))
        self.setSubTitle(C.translate(
            "ImportWizard", "A CSV file (from Excel, LibreOffice or another program), an "
            "Excel workbook (XLSX) or contacts exported from a phone (vCard)."))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText(C.translate("ImportWizard", "The file to import"))
        self.choose_button = QPushButton(C.translate("ImportWizard", "Choose…"))
        self.choose_button.setObjectName("importChoose")
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)

        self.clients_radio = QRadioButton(C.translate("ImportWizard", "Clients"))
        self.clients_radio.setObjectName("importClients")
        self.purchases_radio = QRadioButton(C.translate("ImportWizard", "Purchases"))
        self.purchases_radio.setObjectName("importPurchases")
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.clients_radio)
        self.kind_group.addButton(self.purchases_radio)
        self.clients_radio.setChecked(True)
        kind_box = QGroupBox(C.translate("ImportWizard", "The file holds"))
        kind_lay = QVBoxLayout(kind_box)
        kind_lay.addWidget(self.clients_radio)
        kind_lay.addWidget(hint_label(C.translate(
            "ImportWizard", "One client a row: name, phone, e-mail, birthday, card number…")))
        kind_lay.addWidget(self.purchases_radio)
        kind_lay.addWidget(hint_label(C.translate(
            "ImportWizard", "One purchase a row: date, amount, and the client's card number, "
            "phone or e-mail, so each purchase finds its client.")))
        self.vcard_hint = hint_label(C.translate(
            "ImportWizard", "A vCard file holds contacts, so it is imported as clients."))
        self.vcard_hint.hide()
        kind_lay.addWidget(self.vcard_hint)

        self.error = ErrorLabel()
        self.error.setObjectName("importFileError")
        self._read: tuple[Path, RawTable] | None = None  # the file read, for Next
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(C.translate("ImportWizard", "File")))
        lay.addLayout(row)
        lay.addWidget(self.error)
        lay.addSpacing(12)
        lay.addWidget(kind_box)
        lay.addWidget(hint_label(C.translate(
            "ImportWizard", "Nothing is written until you press Import on the last step; "
            "a backup of the database is made just before.")))
        lay.addStretch(1)
        self.path_edit.textChanged.connect(self._on_path_edit_text_changed)

    def _on_choose_button_clicked(self) -> None:
        start = self.path_edit.text().strip() or window_state.last_folder("import")
        path, _ = QFileDialog.getOpenFileName(
            self, C.translate("ImportWizard", "Choose the file to import"), start,
            C.translate("ImportWizard", "Tables and contacts (*.csv *.txt *.xlsx *.vcf);;"
                                        "CSV table (*.csv *.txt);;Excel workbook (*.xlsx);;"
                                        "vCard contacts (*.vcf)"))
        if path:
            window_state.remember_folder("import", path)
            self.path_edit.setText(path)

    def _on_path_edit_text_changed(self, text: str) -> None:
        self.error.set_error(None)
        self.set_vcard(text.strip().lower().endswith(".vcf"))

    def set_vcard(self, vcard: bool) -> None:
        if vcard:
            self.clients_radio.setChecked(True)
        self.purchases_radio.setEnabled(not vcard)
        self.vcard_hint.setVisible(vcard)

    def kind(self) -> str:
        return "purchases" if self.purchases_radio.isChecked() else "clients"

    def validatePage(self) -> bool:
        """Next reads the file on the database executor; when it has been read, the
        wizard presses Next again and the table read is taken."""
        text = self.path_edit.text().strip()
        if not text:
            self.error.set_error(C.translate("ImportWizard", "Choose the file to import."))
            return False
        path = Path(text).expanduser()
        read, self._read = self._read, None
        if read is not None and read[0] == path:
            self.w.set_table(path, read[1], self.kind())
            return True
        if self.w.busy:
            return False
        region = self.w.region

        def done(read: tuple[RawTable, list[list]]) -> None:
            table, samples = read
            self.w.keep_samples(table, samples)
            if table.source == "vcard":
                self.set_vcard(True)
            if not table.rows:
                self.error.set_error(text_for("import.empty", {"path": str(path)}))
                return
            self.error.set_error(None)
            self._read = (path, table)
            self.w.next()

        self.w.run_job(C.translate("ImportWizard", "Reading the file…"),
                       lambda job: read_with_samples(path, region=region), done,
                       lambda exc: self.error.set_error(error_text(exc)))
        return False


class MappingColumn(IntEnum):
    """The columns of the table that maps the file's columns to fields."""

    HEADING = 0  # the column's heading in the file
    EXAMPLE_1 = 1  # three example values
    EXAMPLE_2 = 2
    EXAMPLE_3 = 3
    IMPORTED_AS = 4  # the field it is imported as (a choice)


class ProblemColumn(IntEnum):
    ROW = 0
    COLUMN = 1
    PROBLEM = 2
    VALUE = 3


class DuplicateColumn(IntEnum):
    ROW = 0
    IN_FILE = 1
    THERE = 2  # already there as
    SAME = 3  # what is the same
    ACTION = 4  # what to do (a choice)


class ColumnsPage(QWizardPage):
    """One row per column of the file: its heading, examples, and the field it fills."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(C.translate("ImportWizard", "Match the columns"))
        self.setSubTitle(C.translate(
            "ImportWizard", "Say which column goes into which field. A column left "
            "“not imported” is ignored; each field can be filled by one column."))
        self.file_info = QLabel()
        self.file_info.setObjectName("importFileInfo")
        self.file_info.setWordWrap(True)
        # how the file is read, when what was found is not right
        self.encoding = QComboBox()
        self.encoding.setObjectName("importEncoding")
        self.encoding_label = QLabel(C.translate("ImportWizard", "Encoding"))
        self.encoding_label.setBuddy(self.encoding)
        self.header_row = QSpinBox()
        self.header_row.setObjectName("importHeaderRow")
        self.header_row.setRange(1, importer.HEADER_SEARCH_ROWS * 100)
        self.header_row_label = QLabel(C.translate("ImportWizard", "Headings on row"))
        self.header_row_label.setBuddy(self.header_row)
        self.reread_error = ErrorLabel()
        self.reread_error.setObjectName("importRereadError")
        options = QHBoxLayout()
        options.addWidget(self.encoding_label)
        options.addWidget(self.encoding, 1)
        options.addSpacing(16)
        options.addWidget(self.header_row_label)
        options.addWidget(self.header_row)
        options.addStretch(1)
        self.encoding.activated.connect(lambda _i: self._on_read_option_changed())
        self.header_row.editingFinished.connect(self._on_read_option_changed)
        self.table = make_table([C.translate("ImportWizard", "Column in the file"),
                                 C.translate("ImportWizard", "Example 1"),
                                 C.translate("ImportWizard", "Example 2"),
                                 C.translate("ImportWizard", "Example 3"),
                                 C.translate("ImportWizard", "Imported as")],
                                "importColumns")
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        head = self.table.horizontalHeader()
        head.setStretchLastSection(False)
        for col in MappingColumn:
            if col != MappingColumn.IMPORTED_AS:
                head.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(MappingColumn.IMPORTED_AS, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(MappingColumn.IMPORTED_AS, 240)
        self.combos: list[QComboBox] = []
        self.error = ErrorLabel()
        self.error.setObjectName("importColumnsError")
        self.needs = hint_label()
        lay = QVBoxLayout(self)
        lay.addWidget(self.file_info)
        lay.addLayout(options)
        lay.addWidget(self.reread_error)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.needs)
        lay.addWidget(self.error)
        self._shown_for: tuple | None = None

    def show_read_options(self) -> None:
        """The encoding (a text file) and the heading row (not a vCard) as found or
        chosen."""
        table = self.w.table
        text_file = table.source in ("csv", "vcard")
        self.encoding.blockSignals(True)
        self.encoding.clear()
        self.encoding.addItem(subst(C.translate("ImportWizard", "Found: %1"),
                                    encoding_name(self.w.found_encoding)), None)
        for enc in importer.ENCODINGS:
            self.encoding.addItem(encoding_name(enc), enc)
        self.encoding.setCurrentIndex(max(0, self.encoding.findData(self.w.encoding))
                                      if self.w.encoding else 0)
        self.encoding.blockSignals(False)
        for widget in (self.encoding, self.encoding_label):
            widget.setVisible(text_file)
        self.header_row.blockSignals(True)
        self.header_row.setValue(table.header_row)
        self.header_row.blockSignals(False)
        for widget in (self.header_row, self.header_row_label):
            widget.setVisible(table.source != "vcard")

    def _on_read_option_changed(self) -> None:
        """Read the file again with the encoding and heading row the user chose."""
        encoding = self.encoding.currentData() if self.encoding.isVisible() else None
        header_row = self.header_row.value() if self.header_row.isVisible() else None
        if (encoding, header_row) == (self.w.encoding, self.w.table.header_row):
            return
        self.w.reread(encoding, header_row, self.reread_error, self.initializePage)

    def initializePage(self) -> None:
        w = self.w
        key = (w.path, w.kind, importer.signature(w.table.headers), w.table.header_row,
               w.encoding)
        self.file_info.setText(f"{w.path.name} — {table_description(w.table)}")
        self.show_read_options()
        self.needs.setText(
            C.translate("ImportWizard", "Clients need a name (whole, or first and last name).")
            if w.kind == "clients" else
            C.translate("ImportWizard", "Purchases need a date, an amount, and the client's "
                                        "card number, phone or e-mail."))
        self.error.set_error(None)
        if key == self._shown_for:
            return  # back and forth again: keep what the user chose
        self._shown_for = key
        remembered = w.ops.read(lambda s: importer.remembered_mapping(s, w.table, w.kind))
        mapping = remembered if remembered is not None else importer.guess_mapping(
            w.table.headers, w.kind)
        self.fill(w.table, w.kind, mapping)

    def fill(self, table: RawTable, kind: str, mapping: dict[int, str]) -> None:
        fields = CLIENT_FIELDS if kind == "clients" else PURCHASE_FIELDS
        names = field_names()
        self.table.setRowCount(0)
        self.combos = []
        self.table.setRowCount(len(table.headers))
        head = self.w.samples(table)  # the examples come from the first rows
        for i, heading in enumerate(table.headers):
            shown = heading or subst(C.translate("ImportWizard", "(column %1, no heading)"), i + 1)
            item = QTableWidgetItem(shown)
            item.setToolTip(shown)
            self.table.setItem(i, MappingColumn.HEADING, item)
            samples = []
            for row in head:
                text = cell_text(row[i]) if i < len(row) else ""
                if text:
                    samples.append(text)
                if len(samples) == 3:
                    break
            for j in range(3):
                text = samples[j] if j < len(samples) else ""
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                cell.setForeground(Qt.GlobalColor.darkGray)
                self.table.setItem(i, MappingColumn.EXAMPLE_1 + j, cell)
            combo = QComboBox()
            combo.setObjectName(f"importField{i}")
            combo.addItem(not_imported_text(), None)
            for f in fields:
                combo.addItem(names[f], f)
            chosen = mapping.get(i)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
            combo.currentIndexChanged.connect(
                lambda _index, column=i: self._on_combo_changed(column))
            self.combos.append(combo)
            self.table.setCellWidget(i, MappingColumn.IMPORTED_AS, combo)
        self.table.resizeRowsToContents()

    def _on_combo_changed(self, column: int) -> None:
        self.error.set_error(None)
        chosen = self.combos[column].currentData()
        if chosen is None:
            return
        for i, other in enumerate(self.combos):  # a field is filled by one column
            if i != column and other.currentData() == chosen:
                other.setCurrentIndex(0)

    def set_field(self, column: int, field: str | None) -> None:
        """Choose the field of a column, as the user does with its combo box."""
        combo = self.combos[column]
        combo.setCurrentIndex(combo.findData(field) if field else 0)

    def mapping(self) -> dict[int, str]:
        return {i: c.currentData() for i, c in enumerate(self.combos)
                if c.currentData() is not None}

    def validatePage(self) -> bool:
        chosen = set(self.mapping().values())
        if self.w.kind == "clients":
            if not chosen & {"name", "first_name", "last_name"}:
                self.error.set_error(C.translate(
                    "ImportWizard", "Choose the column with the client's name (or the "
                    "columns with the first and the last name)."))
                return False
        else:
            missing = [field_names()[f] for f in ("date", "amount") if f not in chosen]
            if missing:
                self.error.set_error(subst(C.translate(
                    "ImportWizard", "Choose the columns of the purchase's date and amount. "
                    "Missing: %1"), ", ".join(missing)))
                return False
        try:  # the rule the command line follows too, naming the columns the file has
            importer.check_key_column(self.w.table.headers, self.mapping(), self.w.kind)
        except DomainError as exc:
            self.error.set_error(error_text(exc))
            return False
        self.error.set_error(None)
        self.w.mapping = self.mapping()
        return True


def consent_question(count: int, consent: FileConsent) -> str:
    """The confirmation asked before a file is imported with consent for every client."""
    return subst(ImportWizard.tr(
        "%n client(s) of this file will be marked as agreeing to marketing messages, with "
        "the consent given on %1 and its source “%2” kept in the consent log. Import the "
        "file with this consent?", "", count), fmt_date_entry(consent.given_on),
        consent.source)


def ask_consent(parent: QWidget, count: int, consent: FileConsent) -> bool:
    """Ask before marking ``count`` clients as consenting (tests patch this)."""
    box = QMessageBox(QMessageBox.Icon.Question,
                      C.translate("ImportWizard", "Marketing consent for the whole file"),
                      consent_question(count, consent),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.Yes).setText(
        C.translate("ImportWizard", "Import with consent"))
    box.button(QMessageBox.StandardButton.No).setText(C.translate("ImportWizard", "Go back"))
    return box.exec() == QMessageBox.StandardButton.Yes


class ConsentBox(QGroupBox):
    """Marketing consent for every client of a file of clients: off until ticked; the
    source and the day it was given are checked beside their fields (not after today)."""

    def __init__(self) -> None:
        super().__init__(C.translate("ImportWizard", "Marketing consent"))
        self.setObjectName("importConsentBox")
        self.check = QCheckBox(C.translate(
            "ImportWizard", "Record marketing consent for every client of this file"))
        self.check.setObjectName("importConsent")
        self.source = QLineEdit()
        self.source.setObjectName("importConsentSource")
        self.source.setMaxLength(importer.MAX_CONSENT_SOURCE)
        self.source.setPlaceholderText(C.translate(
            "ImportWizard", "e.g. signed forms at the reception, the online shop's checkbox"))
        self.source_error = ErrorLabel()
        self.source_error.setObjectName("importConsentSourceError")
        self.date = DateEntry(optional=True, own_error=False, field="consent_on")
        self.date.setObjectName("importConsentDate")
        self.date_error = ErrorLabel()
        self.date_error.setObjectName("importConsentDateError")
        self.hint = hint_label()
        self.hint.setObjectName("importConsentHint")
        form = QFormLayout()
        form.addRow(C.translate("ImportWizard", "Where it comes from"), self.source)
        form.addRow("", self.source_error)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date)
        date_row.addStretch(1)
        form.addRow(C.translate("ImportWizard", "Given on"), date_row)
        form.addRow("", self.date_error)
        lay = QVBoxLayout(self)
        lay.addWidget(self.check)
        lay.addLayout(form)
        lay.addWidget(self.hint)
        self.check.toggled.connect(self._on_check_toggled)
        self.source.textEdited.connect(lambda _t: self.source_error.set_error(None))
        self.date.edited.connect(lambda: self.date_error.set_error(None))
        self._on_check_toggled(False)

    def show_for(self, headers: list[str], mapping: dict[int, str]) -> None:
        """Say which column of the file wins over the whole file's consent."""
        line = self.date.line  # an empty field shows its example whole ("напр. 31.01.2026 г.")
        line.setMinimumWidth(max(line.minimumWidth(), line.fontMetrics().horizontalAdvance(
            line.placeholderText()) + 16))
        column = next((headers[i] or f"#{i + 1}" for i, f in mapping.items()
                       if f == "marketing_consent" and i < len(headers)), None)
        if column is not None:
            text = subst(C.translate(
                "ImportWizard", "The file's column “%1” wins: a row that says yes or no "
                "there keeps its own answer; the rows left empty get this consent."), column)
        else:
            text = C.translate(
                "ImportWizard", "A consent column in the file would win: a row that says "
                "yes or no keeps its own answer.")
        self.hint.setText(text + " " + C.translate(
            "ImportWizard", "A client already in ClientCare who withdrew consent on or "
            "after that day stays withdrawn."))

    def _on_check_toggled(self, on: bool) -> None:
        for w in (self.source, self.date):
            w.setEnabled(on)
        if not on:
            self.source_error.set_error(None)
            self.date_error.set_error(None)

    def consent(self, today: date) -> FileConsent | None:
        """The consent asked for (None: not ticked); on a problem each field says why
        and :class:`DomainError` is raised."""
        if not self.check.isChecked():
            return None
        given, errors = None, {}
        try:
            given = self.date.value()
        except DomainError as exc:
            errors["consent_on"] = FieldError("consent_on", exc.code, exc.message, exc.values)
        try:
            got = importer.file_consent(given, self.source.text(), today)
        except ValidationError as exc:
            for e in exc.errors:
                errors.setdefault(e.field, e)
            got = None
        for name, label in (("consent_source", self.source_error),
                            ("consent_on", self.date_error)):
            label.set_error(field_error_text(errors[name]) if name in errors else None)
        if errors:
            raise ValidationError(list(errors.values()))
        return got


class PreviewPage(QWizardPage):
    """What the import would do; the user decides about duplicates and unknown clients."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(C.translate("ImportWizard", "Check before importing"))
        self.setSubTitle(C.translate(
            "ImportWizard", "Nothing has been written yet. Rejected rows are left out; "
            "fix them in the file and import it again later (rows already imported are "
            "not added twice)."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton,
                           C.translate("ImportWizard", "Import"))
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)

        self.problems_box = QGroupBox(C.translate("ImportWizard", "Rows that cannot be imported"))
        self.problems = make_table([C.translate("ImportWizard", "Row"),
                                    C.translate("ImportWizard", "Column"),
                                    C.translate("ImportWizard", "Problem"),
                                    C.translate("ImportWizard", "Value")], "importProblems")
        head = self.problems.horizontalHeader()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(ProblemColumn.ROW, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(ProblemColumn.COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(ProblemColumn.PROBLEM, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(ProblemColumn.VALUE, QHeaderView.ResizeMode.Interactive)
        self.problems.setColumnWidth(ProblemColumn.VALUE, 180)
        self.problems.setWordWrap(False)
        self.save_button = QPushButton(C.translate("ImportWizard", "Save the report…"))
        self.save_button.setObjectName("importSaveReport")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.save_error = ErrorLabel()
        pl = QVBoxLayout(self.problems_box)
        pl.addWidget(self.problems, 1)
        prow = QHBoxLayout()
        prow.addWidget(hint_label(C.translate(
            "ImportWizard", "Save the list to fix the rows in the file.")), 1)
        prow.addWidget(self.save_button)
        pl.addLayout(prow)
        pl.addWidget(self.save_error)

        self.duplicates_box = QGroupBox(C.translate("ImportWizard", "Already in ClientCare"))
        self.duplicates = make_table([C.translate("ImportWizard", "Row"),
                                      C.translate("ImportWizard", "In the file"),
                                      C.translate("ImportWizard", "Already there as"),
                                      C.translate("ImportWizard", "Same"),
                                      C.translate("ImportWizard", "What to do")],
                                     "importDuplicates")
        self.duplicates.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        head = self.duplicates.horizontalHeader()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(DuplicateColumn.ROW, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(DuplicateColumn.IN_FILE, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(DuplicateColumn.THERE, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(DuplicateColumn.SAME, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(DuplicateColumn.ACTION, QHeaderView.ResizeMode.Fixed)
        self.duplicates.setColumnWidth(DuplicateColumn.ACTION, 250)
        self.action_combos: dict[int, QComboBox] = {}
        dl = QVBoxLayout(self.duplicates_box)
        dl.addWidget(self.duplicates, 1)
        dl.addWidget(hint_label(C.translate(
            "ImportWizard", "Merge fills the existing client's empty fields (phone, e-mail, "
            "card number, birthday) and adds the notes; nothing already there is "
            "overwritten.")))

        self.phones_box = QGroupBox(C.translate("ImportWizard", "Phone numbers to check"))
        self.phones_box.setObjectName("importPhonesBox")
        self.phones = make_table([C.translate("ImportWizard", "Row"),
                                  C.translate("ImportWizard", "Column"),
                                  C.translate("ImportWizard", "Number as in the file")],
                                 "importPhones")
        head = self.phones.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.phones_hint = hint_label()
        self.phones_hint.setObjectName("importPhonesHint")
        self.country_hint = QLabel()
        self.country_hint.setObjectName("importCountryHint")
        self.country_hint.setWordWrap(True)
        self.country_hint.setStyleSheet(f"color: {palette.WARNING};")
        self.country_button = QPushButton()
        self.country_button.setObjectName("importCountryButton")
        self.country_button.clicked.connect(self._on_country_button_clicked)
        ph = QVBoxLayout(self.phones_box)
        ph.addWidget(self.phones, 1)
        ph.addWidget(self.phones_hint)
        crow = QHBoxLayout()
        crow.addWidget(self.country_hint, 1)
        crow.addWidget(self.country_button)
        ph.addLayout(crow)

        self.create_unknown = QCheckBox(C.translate(
            "ImportWizard", "Create clients who are not in ClientCare yet"))
        self.create_unknown.setObjectName("importCreateUnknown")
        self.unknown_hint = hint_label(C.translate(
            "ImportWizard", "Otherwise the purchases of clients ClientCare does not know "
            "are skipped."))
        self.error = ErrorLabel()
        self.error.setObjectName("importError")
        self.consent_box = ConsentBox()

        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.problems_box, 1)
        lay.addWidget(self.duplicates_box, 1)
        lay.addWidget(self.phones_box, 1)
        self.listed = hint_label()
        self.listed.setObjectName("importListed")
        lay.addWidget(self.listed)
        lay.addWidget(self.create_unknown)
        lay.addWidget(self.unknown_hint)
        lay.addWidget(self.consent_box)
        lay.addWidget(self.error)
        self.spacer = QWidget()
        lay.addWidget(self.spacer, 1)

    def initializePage(self) -> None:
        """Check every row on the database executor (reading only); Import can be
        pressed once the plan is there."""
        w = self.w
        self.error.set_error(None)
        self.save_error.set_error(None)
        w.plan = None
        self.show_plan(Plan(w.kind))
        self.summary.setText(C.translate("ImportWizard", "Checking the rows of the file…"))
        self.completeChanged.emit()
        table, mapping, kind, region = w.table, dict(w.mapping), w.kind, w.region
        phone_region, today = w.phone_region, w.today

        def work(s, job: Job) -> Plan:
            return importer.plan_import(s, table, mapping, kind, region,
                                        phone_region=phone_region, today=today,
                                        progress=WordedProgress(job))

        def done(plan: Plan) -> None:
            w.plan = plan
            self.show_plan(plan)
            self.completeChanged.emit()

        def failed(exc: DomainError) -> None:
            w.plan = Plan(w.kind)
            self.show_plan(w.plan)
            self.error.set_error(error_text(exc))
            self.completeChanged.emit()

        def stopped() -> None:
            self.summary.setText(C.translate(
                "ImportWizard", "Checking was stopped. Press Back and Next to check the "
                "file again."))

        w.run_job(C.translate("ImportWizard", "Checking the rows of the file…"), work,
                  done, failed, on_cancel=stopped, session=True)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.w.plan is not None and not self.w.busy

    def show_plan(self, plan: Plan) -> None:
        self.summary.setText(summary_text(plan))
        self.problems.setRowCount(len(plan.problems))
        for r, p in enumerate(plan.problems):
            problem = problem_text(p)
            for c, text in enumerate((str(p.row), self.w.column_text(p.column), problem,
                                      p.value)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.problems.setItem(r, c, item)
        self.problems_box.setVisible(bool(plan.problems))
        self.save_button.setEnabled(bool(plan.problems))

        actions = action_names()
        same = same_names()
        self.action_combos = {}
        self.duplicates.setRowCount(len(plan.duplicates))
        for r, d in enumerate(plan.duplicates):
            there = d.name if d.client_id is not None else subst(C.translate(
                "ImportWizard", "%1 (earlier in this file)"), d.name)
            for c, text in enumerate((str(d.row), d.in_file, there,
                                      same.get(d.by, d.by))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.duplicates.setItem(r, c, item)
            combo = QComboBox()
            combo.setObjectName(f"importAction{d.row}")
            for key in ACTIONS:
                if key == "merge" and d.client_id is None:
                    continue  # an earlier row of the file is not in ClientCare yet
                combo.addItem(actions[key], key)
            self.duplicates.setCellWidget(r, DuplicateColumn.ACTION, combo)
            self.action_combos[d.row] = combo
        self.duplicates_box.setVisible(bool(plan.duplicates))

        self.show_phones(plan)

        purchases = plan.kind == "purchases"
        self.create_unknown.setVisible(purchases)
        self.unknown_hint.setVisible(purchases)
        self.create_unknown.setEnabled(bool(plan.counts.unknown))
        self.consent_box.setVisible(not purchases)
        if self.w.table is not None:
            self.consent_box.show_for(self.w.table.headers, self.w.mapping)
        self.listed.setText(listed_text(plan))
        self.listed.setVisible(bool(self.listed.text()))
        self.spacer.setVisible(not plan.problems and not plan.duplicates
                               and self.phones_box.isHidden())

    def show_phones(self, plan: Plan) -> None:
        """The numbers kept to check, and the country most of them belong to."""
        w = self.w
        self.phones.setRowCount(len(plan.unchecked_phones))
        for r, p in enumerate(plan.unchecked_phones):
            for c, text in enumerate((str(p.row), w.column_text(p.column), p.value)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.phones.setItem(r, c, item)
        used = country_name(plan.phone_region or w.region)
        self.phones_hint.setText(subst(C.translate(
            "ImportWizard", "These clients are imported; their numbers are not valid phone "
            "numbers of %1, so each is kept as the file gives it and marked ⚠ “check this "
            "number” in the client list and on the card."), used))
        hint = plan.phone_hint
        self._country: str | None = None
        if hint is not None:
            self._country = hint.region
            self.country_hint.setText(subst(C.translate(
                "ImportWizard", "Most phones of this file (%1 of %2) are not numbers of %3, "
                "but they are numbers of %4."),
                hint.failed, hint.total, used, country_name(hint.region)))
            self.country_button.setText(subst(C.translate(
                "ImportWizard", "Read them as numbers of %1"), country_name(hint.region)))
        elif (plan.phone_region or w.region) != w.region:
            self._country = w.region
            self.country_hint.setText(subst(C.translate(
                "ImportWizard", "Phones without a country code are read as numbers of %1 "
                "for this file."), used))
            self.country_button.setText(subst(C.translate(
                "ImportWizard", "Read them as numbers of %1"), country_name(w.region)))
        self.country_hint.setVisible(self._country is not None)
        self.country_button.setVisible(self._country is not None)
        self.phones_box.setVisible(bool(plan.unchecked_phones) or self._country is not None)

    def _on_country_button_clicked(self) -> None:
        if self._country is not None and not self.w.busy:
            self.w.phone_region = self._country
            self.initializePage()

    def set_action(self, row: int, action: str) -> None:
        combo = self.action_combos[row]
        combo.setCurrentIndex(combo.findData(action))

    def choices(self) -> dict[int, str]:
        """Row -> "skip", "merge" or "new" for each duplicate."""
        return {row: combo.currentData() for row, combo in self.action_combos.items()}

    def _on_save_button_clicked(self) -> None:
        default = str(self.w.path.with_name(self.w.path.stem + "-rejected.csv"))
        path, _ = QFileDialog.getSaveFileName(
            self, C.translate("ImportWizard", "Save the report"), default,
            C.translate("ImportWizard", "CSV table (*.csv)"))
        if path:
            if not path.lower().endswith(".csv"):
                path += ".csv"
            self.save_report(Path(path))

    def save_report(self, path: Path) -> bool:
        """The rejected rows as a CSV table (opens in Excel: UTF-8 with a BOM, ";")."""
        plan = self.w.plan
        try:
            with path.open("w", encoding="utf-8-sig", newline="") as fh:
                out = csv.writer(fh, delimiter=";")
                out.writerow([C.translate("ImportWizard", "Row"),
                              C.translate("ImportWizard", "Column"),
                              C.translate("ImportWizard", "Problem"),
                              C.translate("ImportWizard", "Value")])
                for p in plan.all_problems() if plan else []:
                    out.writerow([p.row, self.w.column_text(p.column), problem_text(p),
                                  p.value])
                region = country_name(plan.phone_region) if plan else ""
                for p in plan.all_unchecked_phones() if plan else []:
                    out.writerow([p.row, self.w.column_text(p.column), text_for(p.code, {
                        "value": p.value, "region": region}), p.value])
        except OSError as exc:
            self.save_error.set_error(error_text(DomainError(
                "file.write", str(exc), path=str(path), detail=exc.strerror or str(exc))))
            return False
        self.save_error.set_error(None)
        return True

    def validatePage(self) -> bool:
        consent = None
        if self.consent_box.isVisibleTo(self):
            try:
                consent = self.consent_box.consent(self.w.today or date.today())
            except DomainError:
                return False  # each field says why
        return self.w.do_import(self.choices(), self.create_unknown.isChecked(), consent)


class DonePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(C.translate("ImportWizard", "Imported"))
        self.setSubTitle(C.translate("ImportWizard", "The import is finished. The clients "
                                                     "and purchases are in ClientCare now."))
        self.setFinalPage(True)
        self.text = QLabel()
        self.text.setObjectName("importReport")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup = hint_label()
        self.backup.setObjectName("importBackup")
        self.backup.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay = QVBoxLayout(self)
        lay.addWidget(self.text)
        lay.addSpacing(12)
        lay.addWidget(self.backup)
        lay.addStretch(1)

    def initializePage(self) -> None:
        w = self.w
        if w.report is not None:
            self.text.setText("\n".join(report_lines(w.report, w.kind)))
        if w.backup_path is not None:
            self.backup.setText(subst(C.translate(
                "ImportWizard", "A backup of the database was made just before: %1"),
                w.backup_path))


# --------------------------------------------------------------------------- letting go

#: items freed per turn of the event loop when the wizard lets go of a file's rows
RELEASE_STEP = 1000


class GradualRelease(QObject):
    """Frees large data a slice per turn of the event loop: at 10,000 rows a file and its
    plan are some 100,000 objects, and freeing them at once held the window (and every
    thread) for ~50 ms. Each list, set or dict held by one of ``things`` (a RawTable, a
    Plan: data only the wizard holds) is emptied ``RELEASE_STEP`` items a turn; then
    ``hold`` (full collections postponed while the data lived) is released."""

    _running: set[GradualRelease] = set()  # alive until done (the wizard may be gone)

    def __init__(self, *things: object, hold: Hold | None = None) -> None:
        super().__init__(QCoreApplication.instance())
        self._hold = hold
        self._queue: list = []
        for thing in things:
            if thing is None:
                continue
            for value in getattr(thing, "__dict__", {}).values():
                if isinstance(value, list | set | dict) and len(value) > RELEASE_STEP:
                    self._queue.append(value)
        del things
        self._timer = QTimer(self, interval=0)
        self._timer.timeout.connect(self._step)
        GradualRelease._running.add(self)
        self._timer.start()

    @property
    def done(self) -> bool:
        return not self._queue

    def _step(self) -> None:
        if self._queue:
            container = self._queue[-1]
            if isinstance(container, list):
                del container[-RELEASE_STEP:]
            else:
                for _ in range(min(RELEASE_STEP, len(container))):
                    container.popitem() if isinstance(container, dict) else container.pop()
            if not container:
                self._queue.pop()
        if not self._queue:
            self._timer.stop()
            if self._hold is not None:
                self._hold.release()
            GradualRelease._running.discard(self)
            self.deleteLater()


# --------------------------------------------------------------------------- the wizard

class ImportWizard(QWizard):
    """Import clients or purchases from a file. After an import, :attr:`report` holds
    what was done; the file's rows and the plan are let go (:meth:`let_go`)."""

    def __init__(self, parent: QWidget | None, ops: Ops, path: Path | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle(self.tr("Import"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.ops = ops
        self.today = today
        self.region: str = ops.read(lambda s: settings_service.get(s, "business.region"))
        self.path: Path | None = None
        self.table: RawTable | None = None
        self._samples: tuple[RawTable, list[list]] | None = None  # see samples()
        self.kind = "clients"
        self.mapping: dict[int, str] = {}
        self.plan: Plan | None = None
        self.report: Report | None = None
        self.backup_path: Path | None = None
        #: the work running on the database executor for this wizard (one at a time)
        self.job: Job | None = None
        #: how the file is read: the encoding the user chose (None: as found), and the
        #: country phones without a country code are numbers of, for this file
        self.encoding: str | None = None
        self.found_encoding: str | None = None
        self.phone_region: str = self.region
        self._collections: Hold | None = None  # full collections postponed meanwhile
        self.finished.connect(self._on_finished)

        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.preview_page = PreviewPage(self)
        self.done_page = DonePage(self)
        self.setPage(PAGE_FILE, self.file_page)
        self.setPage(PAGE_COLUMNS, self.columns_page)
        self.setPage(PAGE_PREVIEW, self.preview_page)
        self.setPage(PAGE_DONE, self.done_page)
        self.setStartId(PAGE_FILE)
        if path is not None:
            self.file_page.path_edit.setText(str(path))
        self.resize(900, 600)
        self.setMinimumSize(720, 480)

    def set_table(self, path: Path, table: RawTable, kind: str) -> None:
        if path != self.path:
            self.phone_region = self.region
        self.encoding, self.found_encoding = None, table.encoding  # read as found
        self.path = path
        self.table = table
        self._hold_collections()
        self.kind = "clients" if table.source == "vcard" else kind

    def keep_samples(self, table: RawTable, samples: list[list]) -> None:
        """The first rows of ``table``, read with it on the executor (:func:`read_with_samples`)."""
        self._samples = (table, samples)

    def samples(self, table: RawTable) -> list[list]:
        """The column page's examples: the first :data:`SAMPLE_ROWS` rows of ``table``,
        as read on the executor with the table (reading them here, from the file again,
        stalled the window some 80 ms at the column page)."""
        if self._samples is None or self._samples[0] is not table:
            self._samples = (table, table.head(SAMPLE_ROWS))
        return self._samples[1]

    @property
    def busy(self) -> bool:
        """Work of this wizard runs on the database executor."""
        return self.job is not None and not self.job.finished

    def column_text(self, column: str) -> str:
        """A problem's column: the file's heading as written, or, for a value that has no
        column of its own ("name" made of first and last name), the field's name in
        the user's language."""
        if self.table is not None and column in self.table.headers:
            return column
        return field_names().get(column, column)

    def run_job(self, label: str, work, on_done, on_error, *, on_cancel=None,
                session: bool = False, write: bool = False) -> Job | None:
        """``work`` on the database executor behind a progress dialog (Stop when it has
        ``on_cancel``): ``work(job)``, or ``work(session, job)`` with ``session`` (a
        transaction when ``write``, else a read-only Session). The callbacks run on
        the GUI thread."""
        mine: list[Job] = []

        def finished(callback):
            def call(*args) -> None:
                if self.job is not mine[0]:
                    return  # a newer job of the same step replaced this one
                self.job = None
                if callback is not None:
                    callback(*args)
            return call

        kwargs = dict(label=label, on_done=finished(on_done), on_error=finished(on_error),
                      on_cancel=finished(on_cancel), cancellable=on_cancel is not None)
        if session:
            job = self.ops.submit(self, work, write=write, source=self, **kwargs)
        else:
            job = self.ops.submit_task(self, work, **kwargs)
        self.job = job
        if job is not None:
            mine.append(job)
        show_progress(self, self.ops.executor, job)
        return job

    def reread(self, encoding: str | None, header_row: int | None, error: ErrorLabel,
               then) -> None:
        """Read the file again in ``encoding`` (None: as found) with the headings on
        ``header_row`` (on the executor); then ``then()``. On a refusal ``error`` says
        why and the table stays."""
        assert self.path is not None and self.table is not None
        if self.busy:
            return
        path, region = self.path, self.region

        def done(read: tuple[RawTable, list[list]]) -> None:
            table, samples = read
            error.set_error(None)
            self.encoding = encoding
            self.table = table
            self.keep_samples(table, samples)
            then()

        self.run_job(self.tr("Reading the file…"), lambda job: read_with_samples(
            path, encoding=encoding, header_row=header_row, region=region), done,
            lambda exc: error.set_error(error_text(exc)))

    def do_import(self, duplicates: dict[int, str], create_unknown: bool,
                  consent: FileConsent | None = None) -> bool:
        """Import pressed: the import (app/services/imports.py: back up, remember the
        mapping, write the plan, group the clients, plan the calls; one transaction)
        runs on the database executor with its progress; when it is done the wizard
        goes on to the report. On a problem, or when the user stops it, nothing is
        imported and the preview page says why. With ``consent`` for the whole file,
        how many clients it marks is counted first (on the executor) and the user is
        asked (:func:`ask_consent`)."""
        if self.report is not None:
            return True  # done: on to the report
        plan = self.plan
        if plan is None or self.table is None or self.busy:
            return False
        error = self.preview_page.error
        error.set_error(None)
        if consent is None:
            self._run_import(duplicates, create_unknown, None)
            return False

        def count(s, _job: Job) -> int:
            return importer.consent_count(s, plan, consent, duplicates=duplicates)

        def counted(n: int) -> None:
            if ask_consent(self, n, consent):
                self._run_import(duplicates, create_unknown, consent)

        self.run_job(self.tr("Counting the clients…"), count, counted,
                     lambda exc: error.set_error(error_text(exc)), session=True)
        return False

    def _run_import(self, duplicates: dict[int, str], create_unknown: bool,
                    consent: FileConsent | None) -> None:
        table, kind, mapping, plan = self.table, self.kind, dict(self.mapping), self.plan
        db_path, region, today = self.ops.db.path, self.region, self.today
        error = self.preview_page.error

        def work(s, job: Job) -> imports.ImportResult:
            return imports.import_plan(s, db_path, table, kind, mapping, plan, region,
                                       duplicates=duplicates, create_unknown=create_unknown,
                                       today=today, progress=WordedProgress(job),
                                       consent=consent)

        def done(result: imports.ImportResult) -> None:
            self.report = result.report
            self.backup_path = result.backup
            self.let_go()
            self.next()

        def stopped() -> None:
            error.set_error(self.tr("The import was stopped: nothing of it was kept, the "
                                    "clients and purchases are as they were before."))

        self.run_job(self.tr("Importing…"), work, done,
                     lambda exc: error.set_error(error_text(exc)), on_cancel=stopped,
                     session=True, write=True)

    def let_go(self) -> None:
        """Drop the file's rows and the plan (at 10,000 rows some 100,000 objects) once
        they are written or the wizard closes, freed by reference counting a slice per
        turn (:class:`GradualRelease`). Kept, they outlived the wizard: the change it
        announced names it as its source, and a hidden page holds that change until it
        is shown; meanwhile every full garbage collection walked them, and the one that
        freed them at last stalled the window (and every thread) for 150-200 ms in the
        middle of the next export."""
        hold, self._collections = self._collections, None
        if self.table is not None or self.plan is not None:
            GradualRelease(self.table, self.plan, hold=hold)
        elif hold is not None:
            hold.release()
        self.table = None
        self.plan = None
        self._samples = None

    def _hold_collections(self) -> None:
        """While the wizard holds a file's rows (and then its plan: at 10,000 rows some
        100,000 objects, alive as long as the user reads the preview), no automatic
        full collection walks them: each one held the window 60-105 ms between two
        steps of an import. Given back by :meth:`let_go` once they are freed, or when
        the wizard is deleted (nothing can keep them postponed for good)."""
        if self._collections is None:
            hold = self._collections = full_collections.hold()
            self.destroyed.connect(hold.release)  # its C++ side deleted
            weakref.finalize(self, hold.release)  # its Python side freed

    def _on_finished(self, _result: int) -> None:
        self.let_go()

    def reject(self) -> None:
        """Cancel (or Esc) while work runs: stop it if it may be stopped; the wizard
        closes only when nothing of it runs any more."""
        if self.busy:
            self.job.cancel()
            return
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, ops: Ops, path: Path | None = None) -> Report | None:
        """Run the wizard; the report of the import, or None when nothing was imported."""
        wizard = cls(parent, ops, path)
        try:
            wizard.exec()
            return wizard.report
        finally:
            wizard.let_go()
            wizard.deleteLater()


def run_import_wizard(parent: QWidget | None, ops: Ops) -> Report | None:
    """File ▸ Import…: returns the report, or None when nothing was imported."""
    return ImportWizard.ask(parent, ops)
