"""The import wizard, driven as a user would: choose a file, match columns, look at the
preview, decide about duplicates and unknown clients, import (app/ui/import_wizard.py)."""

from __future__ import annotations

import csv
import gc
import threading
import weakref
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget, QWizard
from sqlalchemy import func, select

from app.changes import Concern
from app.errors import DomainError
from app.models import Client, Purchase
from app.services import clients as client_service
from app.services import imports
from app.services import settings as settings_service
from app.services.backups import list_backups
from app.services.clients import ClientColumn
from app.services.io.importer import RawTable
from app.ui import import_wizard
from app.ui.app import install_translations
from app.ui.client_card import CardContext, ClientCardDialog
from app.ui.client_model import ClientTableModel
from app.ui.executor import full_collections
from app.ui.import_wizard import (
    PAGE_COLUMNS,
    PAGE_DONE,
    PAGE_FILE,
    PAGE_PREVIEW,
    ImportWizard,
    MappingColumn,
)
from app.ui.refresh import RefreshGate

CLIENTS_CSV = (
    "Imię i nazwisko;Telefon;E-mail;Urodziny;Karta klubowa\n"
    "Anna Nowak;602 111 222;anna@example.com;12.03.1985;K-1\n"
    "Zofia W.;601 234 567;zofia@example.com;;\n"
    "Piotr Zieliński;603 333 444;piotr@;;K-3\n"
    "Marek Lis;604 444 555;;05.07;K-4\n"
)

PURCHASES_CSV = (
    "Karta;Data;Kwota;Towar;Klient\n"
    "K-1;01.05.2026;120,50;Krem;Anna Nowak\n"
    "K-9;02.05.2026;80,00;Maseczka;Ewa Nowa\n"
)


def plural(text: str, n: int) -> str:
    """A count as the wizard words it (English plurals come from the .qm, when loaded)."""
    return QCoreApplication.translate("ImportWizard", text, "", n)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def open_wizard(qtbot, ops, path: Path) -> ImportWizard:
    wizard = ImportWizard(None, ops, path=path)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def press_next(qtbot, wizard: ImportWizard) -> None:
    """Click Next, or Import on the page that writes."""
    for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.CommitButton):
        button = wizard.button(which)
        if button.isVisible() and button.isEnabled():
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            assert wizard.ops.wait()  # reading, checking or importing on the executor
            return
    raise AssertionError("neither Next nor Import can be pressed")


def shot(wizard: ImportWizard, n: int) -> None:
    wizard.grab().save(f"/tmp/import_wizard_{n}.png")


def table_rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() if table.item(r, c) else ""
             for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_importing_clients_with_a_bad_row_and_a_duplicate(qtbot, ops, db, make_client,
                                                          tmp_path):
    zofia = make_client("Zofia Wiśniewska", phone="601 234 567")
    path = write(tmp_path, "clients.csv", CLIENTS_CSV)
    wizard = open_wizard(qtbot, ops, path)
    page1 = wizard.file_page
    assert page1.clients_radio.isChecked()
    shot(wizard, 1)

    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_COLUMNS
    cols = wizard.columns_page
    assert "UTF-8, separated by ;" in cols.file_info.text()
    assert plural("%n row(s)", 4) in cols.file_info.text()
    # headings, examples and the guessed fields
    rows = table_rows(cols.table)
    assert rows[0][:4] == ["Imię i nazwisko", "Anna Nowak", "Zofia W.", "Piotr Zieliński"]
    assert rows[2][1:4] == ["anna@example.com", "zofia@example.com", "piotr@"]
    assert [c.currentData() for c in cols.combos] == ["name", "phone", "email", "birthday",
                                                      None]
    assert cols.combos[0].currentText() == "Name (whole)"
    assert cols.combos[4].currentText() == "— not imported —"
    # every field is offered, once
    assert [cols.combos[4].itemData(i) for i in range(cols.combos[4].count())][1:] == list(
        import_wizard.CLIENT_FIELDS)
    # the user says the last column is the card number
    cols.combos[4].setCurrentIndex(cols.combos[4].findData("card_number"))
    # a field may be chosen once: choosing "E-mail" for the phone column clears the other
    cols.set_field(1, "email")
    assert (cols.combos[1].currentData(), cols.combos[2].currentData()) == ("email", None)
    cols.set_field(2, "email")
    cols.set_field(1, "phone")
    # without a name column the page says so and stays
    cols.set_field(0, None)
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_COLUMNS
    assert cols.error.isVisibleTo(wizard) and "name" in cols.error.text()
    cols.set_field(0, "name")
    assert not cols.error.isVisibleTo(wizard)
    shot(wizard, 2)

    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_PREVIEW
    prev = wizard.preview_page
    assert prev.summary.text() == ", ".join([plural("%n row(s) ready", 3),
                                             plural("%n rejected", 1),
                                             plural("%n duplicate(s)", 1)])
    assert table_rows(prev.problems) == [
        ["4", "E-mail", "“piotr@” is not a valid e-mail address.", "piotr@"]]
    dup_rows = table_rows(prev.duplicates)
    assert dup_rows == [["3", "Zofia W.", "Zofia Wiśniewska", "phone", ""]]
    combo = prev.action_combos[3]
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Skip", "Merge into the existing client", "Import as a new client"]
    assert combo.currentData() == "skip"
    assert not prev.create_unknown.isVisibleTo(wizard)  # clients: no unknown clients
    combo.setCurrentIndex(combo.findData("merge"))
    # the rejected rows as a CSV file
    report_path = tmp_path / "rejected.csv"
    assert prev.save_report(report_path)
    with report_path.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh, delimiter=";")) == [
            ["Row", "Column", "Problem", "Value"],
            ["4", "E-mail", "“piotr@” is not a valid e-mail address.", "piotr@"]]
    shot(wizard, 3)
    with db.sessions() as s:  # nothing written before Import
        assert s.scalar(select(Client.id).where(Client.name == "Anna Nowak")) is None

    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "Import"
    assert wizard.plan is not None and len(wizard.plan.clients) == 3
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_DONE
    report = wizard.report
    assert (report.created, report.merged, report.skipped, report.rejected) == (2, 1, 0, 1)
    # written: the rows and the plan are let go at once (a hidden page's pending change
    # names the wizard as its source and would keep them alive until it is shown)
    assert wizard.plan is None and wizard.table is None
    assert wizard.done_page.text.text().splitlines() == [
        plural("%n new client(s) created.", 2),
        plural("%n client(s) merged into existing ones.", 1),
        plural("%n duplicate(s) skipped.", 0),
        plural("%n row(s) rejected.", 1)]
    shot(wizard, 4)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton),
                     Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()

    with db.sessions() as s:
        names = set(s.scalars(select(Client.name)))
        assert names == {"Zofia Wiśniewska", "Anna Nowak", "Marek Lis"}
        z = s.get(Client, zofia)
        assert (z.email, z.phone) == ("zofia@example.com", "+48601234567")
        anna = s.scalar(select(Client).where(Client.name == "Anna Nowak"))
        assert (anna.email, anna.external_ref) == ("anna@example.com", "K-1")
    backups = list_backups(db.path)
    assert [b.kind for b in backups] == ["import"]
    assert str(backups[0].path) in wizard.done_page.backup.text()

    # the user's mapping is offered again for a file with the same headings
    again = write(tmp_path, "more.csv", "Imię i nazwisko;Telefon;E-mail;Urodziny;"
                                        "Karta klubowa\nEwa Lis;605 555 666;;;K-5\n")
    second = open_wizard(qtbot, ops, again)
    press_next(qtbot, second)
    assert second.currentId() == PAGE_COLUMNS
    assert [c.currentData() for c in second.columns_page.combos] == [
        "name", "phone", "email", "birthday", "card_number"]


def test_skipping_a_duplicate_is_the_default(qtbot, ops, db, make_client, tmp_path):
    zofia = make_client("Zofia Wiśniewska", phone="601 234 567")
    wizard = open_wizard(qtbot, ops, write(tmp_path, "c.csv", CLIENTS_CSV))
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_DONE
    assert (wizard.report.created, wizard.report.skipped) == (2, 1)
    with db.sessions() as s:
        assert s.get(Client, zofia).email is None


def test_purchases_of_an_unknown_client(qtbot, ops, db, make_client, tmp_path):
    anna = make_client("Anna Nowak", external_ref="K-1")
    path = write(tmp_path, "purchases.csv", PURCHASES_CSV)

    wizard = open_wizard(qtbot, ops, path)
    wizard.file_page.purchases_radio.setChecked(True)
    press_next(qtbot, wizard)
    cols = wizard.columns_page
    assert [c.currentData() for c in cols.combos] == ["card_number", "date", "amount", "item",
                                                      "client_name"]
    cols.set_field(2, None)  # no amount: the page says so
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_COLUMNS
    assert "Amount" in cols.error.text()
    cols.set_field(2, "amount")
    press_next(qtbot, wizard)
    prev = wizard.preview_page
    assert prev.summary.text() == ", ".join([
        plural("%n row(s) ready", 2), plural("%n rejected", 0),
        plural("%n purchase(s) of unknown clients", 1), plural("%n already imported", 0)])
    assert prev.create_unknown.isVisibleTo(wizard) and not prev.create_unknown.isChecked()
    assert not prev.problems_box.isVisibleTo(wizard)
    shot(wizard, 5)
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_DONE
    r = wizard.report
    assert (r.purchases, r.unknown_skipped, r.created) == (1, 1, 0)
    with db.sessions() as s:
        assert [(p.client_id, p.amount) for p in s.scalars(select(Purchase))] == [
            (anna, Decimal("120.50"))]

    # the same file again, creating the unknown client: Anna's purchase is not doubled
    again = open_wizard(qtbot, ops, path)
    again.file_page.purchases_radio.setChecked(True)
    press_next(qtbot, again)
    press_next(qtbot, again)
    prev = again.preview_page
    assert prev.summary.text() == ", ".join([
        plural("%n row(s) ready", 1), plural("%n rejected", 0),
        plural("%n purchase(s) of unknown clients", 1), plural("%n already imported", 1)])
    prev.create_unknown.setChecked(True)
    press_next(qtbot, again)
    r = again.report
    assert (r.purchases, r.created, r.already_imported, r.unknown_skipped) == (1, 1, 1, 0)
    with db.sessions() as s:
        ewa = s.scalar(select(Client).where(Client.name == "Ewa Nowa"))
        assert ewa is not None and ewa.external_ref.casefold() == "k-9"
        assert s.scalar(select(Purchase.amount).where(Purchase.client_id == ewa.id)) == \
            Decimal("80.00")
        assert len(s.scalars(select(Purchase)).all()) == 2


def test_a_created_client_keeps_the_card_number_as_written(qtbot, ops, db, tmp_path):
    wizard = open_wizard(qtbot, ops, write(tmp_path, "p.csv", PURCHASES_CSV))
    wizard.file_page.purchases_radio.setChecked(True)
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    wizard.preview_page.create_unknown.setChecked(True)
    press_next(qtbot, wizard)
    with db.sessions() as s:
        assert set(s.scalars(select(Client.external_ref))) == {"K-1", "K-9"}


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("broken.xlsx", b"this is not a workbook", "is not an Excel workbook"),
    ("empty.csv", b"", "has no rows"),
])
def test_an_unreadable_file_is_explained_on_the_first_page(qtbot, ops, tmp_path, name,
                                                           content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    wizard = open_wizard(qtbot, ops, path)
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_FILE
    error = wizard.file_page.error
    assert error.isVisibleTo(wizard) and expected in error.text()
    assert str(path) in error.text()
    shot(wizard, 6 if name.endswith("xlsx") else 7)
    # choosing another file clears the message
    wizard.file_page.path_edit.setText(str(tmp_path / "missing.csv"))
    assert not error.isVisibleTo(wizard)
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_FILE and "does not exist" in error.text()


def test_a_vcard_file_holds_clients(qtbot, ops, db, tmp_path):
    path = tmp_path / "contacts.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ewa Lis\nTEL:605 555 666\n"
                    "EMAIL:ewa@example.com\nEND:VCARD\n", encoding="utf-8")
    wizard = open_wizard(qtbot, ops, path)
    assert wizard.file_page.clients_radio.isChecked()
    assert not wizard.file_page.purchases_radio.isEnabled()
    press_next(qtbot, wizard)
    assert "vCard" in wizard.columns_page.file_info.text()
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    assert wizard.report.created == 1
    with db.sessions() as s:
        assert s.scalar(select(Client.email).where(Client.name == "Ewa Lis")) == \
            "ewa@example.com"


def test_a_failed_import_writes_nothing(qtbot, ops, db, tmp_path, monkeypatch):
    def fail(db_path, kind, daily, weekly, now=None, progress=None):
        raise DomainError("backup.failed", "no space", path="/x/backup.sqlite",
                          detail="No space left on device")

    monkeypatch.setattr(imports.backups, "backup_and_rotate", fail)
    wizard = open_wizard(qtbot, ops, write(tmp_path, "c.csv", CLIENTS_CSV))
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_PREVIEW
    assert wizard.report is None
    assert "could not be written" in wizard.preview_page.error.text()
    with db.sessions() as s:
        assert s.scalars(select(Client)).all() == []


def test_run_import_wizard_returns_the_report(qtbot, ops, monkeypatch):
    monkeypatch.setattr(ImportWizard, "exec", lambda self: 0)
    assert import_wizard.run_import_wizard(None, ops) is None


# =========================================================================== issue [6]:
# an import that never loses a client over one field

RUSSIAN_CSV = ("ФИО;Телефон;Номер карты\n"
               + "".join(f"Иванова Анна {i};8 916 123-45-{i:02d};R-{i}\n" for i in range(6)))


def to_preview(qtbot, wizard) -> None:
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_COLUMNS
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_PREVIEW


def test_phones_of_another_country_are_kept_and_that_country_offered(qtbot, ops, db,
                                                                     tmp_path):
    path = tmp_path / "klienty.csv"
    path.write_bytes(RUSSIAN_CSV.encode("cp1251"))
    wizard = open_wizard(qtbot, ops, path)
    to_preview(qtbot, wizard)
    prev = wizard.preview_page
    assert plural("%n phone number(s) to check", 6) in prev.summary.text()
    assert prev.phones_box.isVisibleTo(wizard) and not prev.problems_box.isVisibleTo(wizard)
    assert table_rows(prev.phones)[0] == ["2", "Телефон", "8 916 123-45-00"]
    assert "Poland (PL)" in prev.phones_hint.text()
    assert "(6 of 6)" in prev.country_hint.text() and "Russia (RU)" in prev.country_hint.text()
    wizard.resize(1280, 720)
    shot(wizard, 10)
    qtbot.mouseClick(prev.country_button, Qt.MouseButton.LeftButton)
    assert ops.wait()  # the file is checked again, on the executor
    assert wizard.phone_region == "RU"
    assert wizard.plan.unchecked_phones == [] and wizard.plan.phone_region == "RU"
    assert "Russia (RU)" in prev.country_hint.text()  # read as Russian numbers for this file
    assert prev.country_button.text() == "Read them as numbers of Poland (PL)"
    shot(wizard, 11)
    press_next(qtbot, wizard)
    assert wizard.report.created == 6 and wizard.report.unchecked_phones == 0
    with db.sessions() as s:
        assert s.scalar(select(Client.phone).where(Client.external_ref == "R-2")) == \
            "+79161234502"
        assert settings_service.get(s, "business.region") == "PL"  # the business stays




def click_save(qtbot, card) -> None:
    qtbot.mouseClick(card.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def test_numbers_kept_to_check_are_marked_in_the_list_and_fixed_on_the_card(qtbot, ops, db,
                                                                             tmp_path):
    path = write(tmp_path, "c.csv", "Name;Phone\nAnna Nowak;+48 70 123 45\n"
                                    "Jan Lis;601 234 567\n")
    wizard = open_wizard(qtbot, ops, path)
    to_preview(qtbot, wizard)
    assert wizard.preview_page.country_button.isHidden()  # one number is no other country
    press_next(qtbot, wizard)
    assert plural("%n phone number(s) to check: kept as the file gives them and marked ⚠ in "
                  "the client list and on the card.", 1) in wizard.done_page.text.text()

    model = ClientTableModel(ops)
    model.reload()
    qtbot.waitUntil(lambda: not model.loading)  # the ids come from the executor
    shown = {model.index(r, ClientColumn.NAME).data(): model.index(r, ClientColumn.PHONE)
             for r in range(model.rowCount())}
    assert shown["Anna Nowak"].data() == "⚠ +48 70 123 45"
    assert "Check this number" in shown["Anna Nowak"].data(Qt.ItemDataRole.ToolTipRole)
    assert shown["Jan Lis"].data() == "601 234 567"
    assert shown["Jan Lis"].data(Qt.ItemDataRole.ToolTipRole) is None

    with db.sessions() as s:
        cid = s.scalar(select(Client.id).where(Client.name == "Anna Nowak"))
        data = client_service.load_client(s, cid)

    def save(d):
        with db.session() as s:
            return client_service.save_client(s, d, region="PL")

    card = ClientCardDialog(None, data, save, CardContext(region="PL"))
    qtbot.addWidget(card)
    card.show()
    assert card.phone.text() == "+48 70 123 45" and card.phone_check.isVisible()
    card.resize(1280, 720)
    card.grab().save("/tmp/import_card_check.png")
    card.phone.selectAll()
    qtbot.keyClicks(card.phone, "602 345 678")
    assert not card.phone_check.isVisible()
    click_save(qtbot, card)
    assert card.saved_id == cid
    with db.sessions() as s:
        c = s.get(Client, cid)
        assert (c.phone, c.phone_unchecked) == ("+48602345678", None)
    model.reload()
    qtbot.waitUntil(lambda: not model.loading)
    row = next(r for r in range(model.rowCount())
               if model.index(r, ClientColumn.NAME).data() == "Anna Nowak")
    assert model.index(row, ClientColumn.PHONE).data() == "602 345 678"


def test_the_card_saves_other_fields_and_keeps_the_number_to_check(qtbot, ops, db, tmp_path):
    with db.session() as s:
        cid = client_service.save_client(s, client_service.ClientData(name="Anna", phone="+48 70 123 45",
                                              phone_unchecked="+48 70 123 45"), region="PL")
        data = client_service.load_client(s, cid)

    def save(d):
        with db.session() as s:
            return client_service.save_client(s, d, region="PL")

    card = ClientCardDialog(None, data, save, CardContext(region="PL"))
    qtbot.addWidget(card)
    card.show()
    qtbot.keyClicks(card.email, "anna@example.com")
    click_save(qtbot, card)
    assert card.saved_id == cid
    with db.sessions() as s:
        c = s.get(Client, cid)
        assert (c.email, c.phone, c.phone_unchecked) == ("anna@example.com", None,
                                                         "+48 70 123 45")
    # another wrong number is refused beside the field
    card = ClientCardDialog(None, client_service.load_client(db.sessions().__enter__(), cid), save,
                            CardContext(region="PL"))
    qtbot.addWidget(card)
    card.show()
    card.phone.selectAll()
    qtbot.keyClicks(card.phone, "12")
    click_save(qtbot, card)
    assert card.saved_id is None and "not a valid phone number" in \
        card.field_errors["phone"].text()


def test_the_encoding_can_be_chosen(qtbot, ops, db, tmp_path):
    path = tmp_path / "english.csv"
    path.write_bytes("Name;Notes\r\nJosé Muñoz;ok\r\n".encode("cp1252"))
    wizard = open_wizard(qtbot, ops, path)
    press_next(qtbot, wizard)
    cols = wizard.columns_page
    # a Polish business reads it as Windows-1250 first: "Muńoz"
    assert cols.encoding.currentText() == "Found: Windows-1250 (Central European)"
    assert table_rows(cols.table)[0][1] == "José Muńoz"
    cols.encoding.setFocus()
    index = cols.encoding.findData("cp1252")
    cols.encoding.setCurrentIndex(index)
    cols.encoding.activated.emit(index)
    assert ops.wait()  # read again on the executor
    assert table_rows(cols.table)[0][1] == "José Muñoz"
    assert "Windows-1252" in cols.file_info.text()
    wizard.resize(1280, 720)
    shot(wizard, 12)
    # an encoding the file cannot be read in is explained, and the table stays
    index = cols.encoding.findData("utf-8")
    cols.encoding.setCurrentIndex(index)
    cols.encoding.activated.emit(index)
    assert ops.wait()  # read again on the executor
    assert "Row 2 has characters that are not in the encoding utf-8" in \
        cols.reread_error.text()
    assert table_rows(cols.table)[0][1] == "José Muñoz"
    index = cols.encoding.findData("cp1252")
    cols.encoding.setCurrentIndex(index)
    cols.encoding.activated.emit(index)
    assert ops.wait()  # read again on the executor
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    with db.sessions() as s:
        assert s.scalar(select(Client.name)) == "José Muñoz"


def test_the_heading_row_is_found_or_chosen(qtbot, ops, db, tmp_path):
    path = write(tmp_path, "title.csv", "Lista klientów\n\n;\nImię;Telefon\n"
                                        "Anna;601 234 567\n")
    wizard = open_wizard(qtbot, ops, path)
    press_next(qtbot, wizard)
    cols = wizard.columns_page
    assert cols.header_row.value() == 4
    assert [r[0] for r in table_rows(cols.table)] == ["Imię", "Telefon"]
    wizard.activateWindow()
    cols.header_row.setFocus()
    qtbot.waitUntil(cols.header_row.hasFocus)
    cols.header_row.lineEdit().selectAll()
    qtbot.keyClicks(cols.header_row.lineEdit(), "1")
    qtbot.keyClick(cols.header_row.lineEdit(), Qt.Key.Key_Tab)  # leaving the field
    assert ops.wait()  # read again on the executor
    cols.header_row.setFocus()
    assert [r[0] for r in table_rows(cols.table)] == ["Lista klientów"]
    cols.header_row.lineEdit().selectAll()
    qtbot.keyClicks(cols.header_row.lineEdit(), "2")
    qtbot.keyClick(cols.header_row.lineEdit(), Qt.Key.Key_Tab)  # leaving the field
    assert ops.wait()  # read again on the executor
    cols.header_row.setFocus()
    assert "Row 2 of the file is empty" in cols.reread_error.text()
    cols.header_row.lineEdit().selectAll()
    qtbot.keyClicks(cols.header_row.lineEdit(), "4")
    qtbot.keyClick(cols.header_row.lineEdit(), Qt.Key.Key_Tab)  # leaving the field
    assert ops.wait()  # read again on the executor
    cols.header_row.setFocus()
    assert not cols.reread_error.isVisibleTo(wizard)
    assert [c.currentData() for c in cols.combos] == ["first_name", "phone"]
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    with db.sessions() as s:
        assert s.scalar(select(Client.phone)) == "+48601234567"


def test_a_purchases_file_without_its_key_column_is_refused_naming_the_columns(
        qtbot, ops, db, tmp_path):
    wizard = open_wizard(qtbot, ops, write(tmp_path, "s.csv", "Kto;Data;Kwota\n"
                                                              "K-1;01.05.2026;10\n"))
    wizard.file_page.purchases_radio.setChecked(True)
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    cols = wizard.columns_page
    assert wizard.currentId() == PAGE_COLUMNS
    assert "The file has the columns: Kto, Data, Kwota." in cols.error.text()
    cols.set_field(0, "card_number")
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_PREVIEW


def test_a_clients_card_column_left_out_is_refused(qtbot, ops, tmp_path):
    wizard = open_wizard(qtbot, ops, write(tmp_path, "c.csv", "Name;Customer ID\nAnna;C-1\n"))
    press_next(qtbot, wizard)
    cols = wizard.columns_page
    assert [c.currentData() for c in cols.combos] == ["name", "card_number"]
    cols.set_field(1, None)
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_COLUMNS
    assert "“Customer ID” holds the clients' card numbers" in cols.error.text()


@pytest.mark.parametrize("lang, words", [
    ("pl", "Wiersz 2"), ("ru", "Строка 2"), ("bg", "Ред 2")])
def test_a_refused_file_is_explained_in_the_users_language(qtbot, ops, qapp, tmp_path, lang,
                                                           words):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"Name;Notes\nAnna;a\x00b\n")
    install_translations(qapp, lang)
    try:
        wizard = open_wizard(qtbot, ops, path)
        press_next(qtbot, wizard)
        text = wizard.file_page.error.text()
        wizard.resize(1280, 720)
        shot(wizard, f"13{lang}")
    finally:
        install_translations(qapp, "en_US")
    assert words in text
    for python in ("NUL", "line contains", "Error", "unquoted", "codec"):
        assert python not in text


# =========================================================================== issue [13]:
# the import runs on the one database executor, with progress and Stop

def big_clients_csv(tmp_path: Path, rows: int) -> Path:
    lines = ["Name;Phone;Card"] + [f"Client {i};60{i:07d};C-{i}" for i in range(rows)]
    return write(tmp_path, "big.csv", "\n".join(lines) + "\n")


def test_the_import_runs_off_the_gui_thread_and_reports_its_rows(qtbot, ops, db, tmp_path,
                                                                 monkeypatch):
    gui = threading.get_ident()
    threads: dict[str, int] = {}
    for name in ("read_table", "plan_import", "apply_import"):
        real = getattr(import_wizard.importer, name)

        def spy(*a, _real=real, _name=name, **k):
            threads[_name] = threading.get_ident()
            return _real(*a, **k)
        monkeypatch.setattr(import_wizard.importer, name, spy)
    monkeypatch.setattr(import_wizard.importer, "PROGRESS_BATCH", 10)
    said: list[str] = []  # every report, in the words the dialog shows

    class Recorded(import_wizard.WordedProgress):
        def report(self, done, total=None, text=None):
            super().report(done, total, text)
            said.append(self.job.text)
    monkeypatch.setattr(import_wizard, "WordedProgress", Recorded)
    shown = []
    ops.executor.job_progressed.connect(lambda job: shown.append(job.text))
    wizard = open_wizard(qtbot, ops, big_clients_csv(tmp_path, 60))
    to_preview(qtbot, wizard)
    assert wizard.plan is not None and wizard.plan.rows_ok == 60
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_DONE and wizard.report.created == 60
    assert set(threads) == {"read_table", "plan_import", "apply_import"}
    assert all(ident != gui for ident in threads.values())  # the executor's thread
    assert "Reading and checking the file: row 30 of 60…" in said
    assert "Reading and checking the file: row 60 of 60…" in said
    assert "Checking the copy…" in said  # the backup first
    assert said.index("Checking the copy…") < said.index("Importing: 0 of 60 row(s) written…")
    assert "Importing: 30 of 60 row(s) written…" in said
    assert "Importing: 60 of 60 row(s) written…" in said
    assert shown  # the progress reached the GUI thread (the dialog, the status bar)
    assert "Planning the calls of the imported clients…" in said
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Client)) == 60


def test_the_rows_and_the_plan_go_once_written_though_a_hidden_page_holds_the_change(
        qtbot, ops, db, tmp_path):
    """At 10,000 rows the file's rows and the plan are some 100,000 objects: once
    written they are freed at once by reference counting, even while a hidden page keeps
    the import's change (whose source is the wizard) until it is shown; before, they
    lived on, and the full collection that freed them stalled the window 150-200 ms."""
    hidden = QWidget()
    gate = RefreshGate(hidden, ops.bus, (Concern.CLIENT_LIST,), lambda changes: None)
    wizard = open_wizard(qtbot, ops, big_clients_csv(tmp_path, 40))
    to_preview(qtbot, wizard)
    plan, rows = weakref.ref(wizard.plan), weakref.ref(wizard.table)
    last_row = weakref.ref(wizard.plan.clients[-1])
    assert ops.wait() and full_collections.held  # no full collection walks them meanwhile
    gc.disable()  # reference counting alone
    try:
        press_next(qtbot, wizard)
        assert wizard.currentId() == PAGE_DONE and wizard.report.created == 40
        assert gate.stale and gate.pending.source is wizard  # the hidden page holds it
        assert plan() is None and rows() is None
        qtbot.waitUntil(lambda: last_row() is None)  # the rows, a slice per turn
    finally:
        gc.enable()
    assert ops.wait()
    qtbot.waitUntil(lambda: not full_collections.held)  # given back once they are gone
    hidden.deleteLater()


def test_a_wizard_closed_or_freed_with_a_file_read_gives_full_collections_back(
        qtbot, ops, tmp_path):
    wizard = open_wizard(qtbot, ops, big_clients_csv(tmp_path, 5))
    press_next(qtbot, wizard)  # the file is read
    assert wizard.table is not None and ops.wait() and full_collections.held
    wizard.reject()  # Cancel
    assert wizard.table is None
    qtbot.waitUntil(lambda: not full_collections.held)
    other = ImportWizard(None, ops)
    other.set_table(tmp_path / "x.csv", RawTable(headers=["Name"], rows=[["A"]]), "clients")
    assert full_collections.held
    other.deleteLater()  # deleted, never closed: given back too
    qtbot.waitUntil(lambda: not full_collections.held)


def test_large_data_is_let_go_a_slice_per_turn(qtbot, monkeypatch):
    monkeypatch.setattr(import_wizard, "RELEASE_STEP", 10)

    class Held:
        pass

    table = RawTable(headers=["Name"], rows=[[f"n{i}"] for i in range(25)])
    class Checked:  # what a plan may hold: a big set beside a small list
        def __init__(self) -> None:
            self.keys = {("phone", str(i)) for i in range(15)}
            self.clients = [Held() for _ in range(5)]  # small: freed with the plan

    plan = Checked()
    rows, keys = table.rows, plan.keys
    sizes = []  # after each turn: (rows, keys) left
    real_step = import_wizard.GradualRelease._step
    monkeypatch.setattr(import_wizard.GradualRelease, "_step", lambda self: (
        real_step(self), sizes.append((len(rows), len(keys))))[0])
    release = import_wizard.GradualRelease(table, plan)
    del table, plan
    assert (len(rows), len(keys)) == (25, 15)  # nothing freed before the loop turns
    qtbot.waitUntil(lambda: release.done)
    assert sizes == [(25, 5), (25, 0), (15, 0), (5, 0), (0, 0)]  # a slice a turn


def test_stop_during_the_import_keeps_nothing_and_says_so(qtbot, ops, db, make_client,
                                                          tmp_path, monkeypatch):
    anna = make_client("Anna", phone="601 234 567")
    monkeypatch.setattr(import_wizard.importer, "PROGRESS_BATCH", 10)
    wizard = open_wizard(qtbot, ops, big_clients_csv(tmp_path, 50))
    to_preview(qtbot, wizard)
    stopped = []

    class StopMidway(import_wizard.WordedProgress):  # Stop when 20 rows are written
        def report(self, done, total=None, text=None):
            super().report(done, total, text)
            if text == import_wizard.importer.STAGE_ROWS and done >= 20 and not stopped:
                stopped.append(self.job)
                self.job.cancel()
    monkeypatch.setattr(import_wizard, "WordedProgress", StopMidway)
    press_next(qtbot, wizard)
    assert stopped and stopped[0].cancellable
    assert wizard.currentId() == PAGE_PREVIEW and wizard.report is None
    assert "stopped: nothing of it was kept" in wizard.preview_page.error.text()
    with db.sessions() as s:  # rolled back: only Anna, as before
        assert s.scalars(select(Client.id)).all() == [anna]
        assert settings_service.get(s, "import.mappings") in (None, "", "{}")


def test_a_full_disk_during_the_import_is_said_and_loses_nothing(qtbot, ops, db, make_client,
                                                                 tmp_path, monkeypatch):
    from sqlalchemy.exc import OperationalError
    anna = make_client("Anna", phone="601 234 567")
    real = import_wizard.importer.apply_import

    def full(session, *a, **k):
        real(session, *a, **k)  # rows written in the transaction, then the disk is full
        raise OperationalError("COMMIT", {}, Exception("database or disk is full"))

    monkeypatch.setattr(import_wizard.importer, "apply_import", full)
    wizard = open_wizard(qtbot, ops, write(tmp_path, "c.csv", CLIENTS_CSV))
    to_preview(qtbot, wizard)
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_PREVIEW and wizard.report is None
    text = wizard.preview_page.error.text()
    assert "disk" in text.lower() and "OperationalError" not in text
    with db.sessions() as s:
        assert s.scalars(select(Client.id)).all() == [anna]


def test_the_check_of_a_big_file_runs_as_a_job_with_stop(qtbot, ops, tmp_path, monkeypatch):
    monkeypatch.setattr(import_wizard.importer, "PROGRESS_BATCH", 5)
    wizard = open_wizard(qtbot, ops, big_clients_csv(tmp_path, 40))
    press_next(qtbot, wizard)
    jobs = []
    ops.executor.job_started.connect(jobs.append)
    class StopAtOnce(import_wizard.WordedProgress):  # the user presses Stop at once
        def report(self, done, total=None, text=None):
            super().report(done, total, text)
            self.job.cancel()
    monkeypatch.setattr(import_wizard, "WordedProgress", StopAtOnce)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == PAGE_PREVIEW
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()  # checking
    assert ops.wait()
    assert jobs and jobs[0].cancellable and jobs[0].cancelled
    assert wizard.plan is None and "Checking was stopped" in wizard.preview_page.summary.text()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()


def test_the_import_folder_is_remembered(qtbot, ops, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    folder = tmp_path / "exports from the till"
    folder.mkdir()
    asked = []

    def open_dialog(parent, title, start, filters):
        asked.append(start)
        return str(folder / "clients.csv"), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_dialog)
    wizard = open_wizard(qtbot, ops, None)
    qtbot.mouseClick(wizard.file_page.choose_button, Qt.MouseButton.LeftButton)
    assert wizard.file_page.path_edit.text() == str(folder / "clients.csv")
    second = open_wizard(qtbot, ops, None)
    qtbot.mouseClick(second.file_page.choose_button, Qt.MouseButton.LeftButton)
    assert asked[1] == str(folder)


# =========================================================================== issue 14 [9]:
# a file of any size: the preview lists the first rows and says so

def test_a_long_preview_lists_the_first_rows_says_so_and_imports_them_all(
        qtbot, ops, db, make_client, tmp_path, monkeypatch, qapp):
    monkeypatch.setattr(import_wizard.importer, "PREVIEW_LIMIT", 3)
    for i in range(6):
        make_client(f"Old {i}", phone=f"60{i} 234 567")
    lines = ["Name;Phone;E-mail"]
    lines += [f"New {i};60{i} 234 567;" for i in range(6)]       # 6 duplicates
    lines += [f"Bad {i};;not an e-mail {i}" for i in range(5)]   # 5 rejected
    lines += [f"Fresh {i};;f{i}@mail.pl" for i in range(4)]      # 4 new
    wizard = open_wizard(qtbot, ops, write(tmp_path, "long.csv", "\n".join(lines) + "\n"))
    to_preview(qtbot, wizard)
    page = wizard.preview_page
    assert page.problems.rowCount() == 3 and page.duplicates.rowCount() == 3
    assert table_rows(page.duplicates)[0][:3] == ["2", "New 0", "Old 0"]
    assert "5 rejected" in page.summary.text() and "6 duplicate" in page.summary.text()
    listed = page.listed.text()
    assert "The first 3 problems are listed" in listed
    assert "The first 3 duplicates are listed; the 3 others are skipped." in listed
    saved = tmp_path / "rejected.csv"
    assert page.save_report(saved)
    with saved.open(encoding="utf-8-sig") as fh:
        assert [r[0] for r in csv.reader(fh, delimiter=";")][1:] == [
            str(n) for n in range(8, 13)]  # every rejected row, not only those shown
    wizard.resize(1280, 720)
    shot(wizard, "14-long-en")
    install_translations(qapp, "pl")
    try:
        page.show_plan(wizard.plan)
        assert "Pokazano pierwsze 3 duplikatów; pozostałe 3 duplikaty zostaną pominięte." in (
            page.listed.text())
        shot(wizard, "14-long-pl")
    finally:
        install_translations(qapp, "en_US")
    page.set_action(2, "merge")  # a listed duplicate merged; the others skipped
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_DONE
    assert (wizard.report.created, wizard.report.merged, wizard.report.skipped) == (4, 1, 5)
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Client)) == 10


def test_the_column_pages_examples_are_read_with_the_file_on_the_executor(
        qtbot, ops, tmp_path, monkeypatch):
    """The examples of the column page (the file's first rows) come with the table read
    on the executor: the GUI thread does not read the file again for them (some 80 ms
    at the column page of a 10,000-row file, profiled), nor after a re-read."""
    gui = threading.get_ident()
    heads: list[int] = []
    real = RawTable.head
    monkeypatch.setattr(RawTable, "head",
                        lambda self, n: heads.append(threading.get_ident()) or real(self, n))
    wizard = open_wizard(qtbot, ops, big_clients_csv(tmp_path, 300))
    press_next(qtbot, wizard)
    assert wizard.currentId() == PAGE_COLUMNS
    cols = wizard.columns_page
    assert cols.table.item(0, MappingColumn.EXAMPLE_1).text() == "Client 0"
    assert cols.table.item(1, MappingColumn.EXAMPLE_3).text() == "600000002"
    assert heads and gui not in heads  # read on the executor only
    wizard.activateWindow()
    cols.header_row.setFocus()  # the headings on another row: read again
    qtbot.waitUntil(cols.header_row.hasFocus)
    cols.header_row.lineEdit().selectAll()
    qtbot.keyClicks(cols.header_row.lineEdit(), "2")
    qtbot.keyClick(cols.header_row.lineEdit(), Qt.Key.Key_Tab)  # leaving the field
    assert wizard.ops.wait()
    assert cols.table.item(0, MappingColumn.HEADING).text() == "Client 0"
    assert cols.table.item(0, MappingColumn.EXAMPLE_1).text() == "Client 1"
    assert len(heads) == 2 and gui not in heads
