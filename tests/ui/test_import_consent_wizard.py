"""The import wizard's marketing consent for a whole file (app/ui/import_wizard.py
``ConsentBox``, ``ask_consent``), driven as a user would: off by default, the source and
the day typed key by key, a day after today refused beside its field, a confirmation that
says how many clients and from which source, and what was saved."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWizard
from sqlalchemy import func, select

from app.models import Client, ConsentEvent
from app.services.io.importer import FileConsent
from app.ui import import_wizard
from app.ui.app import install_translations
from app.ui.import_wizard import PAGE_DONE, PAGE_PREVIEW, ImportWizard, consent_question

GIVEN = date.today() - timedelta(days=40)
CSV = ("Imię i nazwisko;Telefon;Zgoda\n"
       "Anna Nowak;602 111 222;\n"
       "Zofia Wiśniewska;601 234 567;nie\n"
       "Piotr Zieliński;603 333 444;\n")


@pytest.fixture
def asked(monkeypatch):
    """The confirmation, answered by the test: what it was asked, and the answer."""
    got = {"calls": [], "answer": True}

    def ask(parent, count, consent):
        got["calls"].append((count, consent, consent_question(count, consent)))
        return got["answer"]

    monkeypatch.setattr(import_wizard, "ask_consent", ask)
    return got


def to_preview(qtbot, ops, tmp_path: Path, text: str = CSV, kind: str = "clients"):
    path = tmp_path / "clients.csv"
    path.write_text(text, encoding="utf-8")
    wizard = ImportWizard(None, ops, path=path)
    qtbot.addWidget(wizard)
    wizard.resize(1280, 720)
    wizard.show()
    qtbot.waitExposed(wizard)
    if kind == "purchases":
        wizard.file_page.purchases_radio.setChecked(True)
    for _ in range(2):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton),
                         Qt.MouseButton.LeftButton)
        assert ops.wait()
    assert wizard.currentId() == PAGE_PREVIEW
    qtbot.waitUntil(lambda: wizard.plan is not None and not wizard.busy)
    return wizard


def press_import(qtbot, wizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton),
                     Qt.MouseButton.LeftButton)
    assert wizard.ops.wait()
    qtbot.waitUntil(lambda: not wizard.busy)
    assert wizard.ops.wait()


def type_into(qtbot, line, text: str) -> None:
    line.setFocus()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Tab)


def saved(db) -> tuple[int, list[tuple]]:
    with db.session() as s:
        clients = s.scalar(select(func.count()).select_from(Client))
        log = sorted((c.name, e.consent_on, e.note) for e, c in s.execute(
            select(ConsentEvent, Client).join(Client, Client.id == ConsentEvent.client_id)))
        return clients, log


def test_consent_for_the_whole_file_typed_checked_confirmed_and_saved(
        qtbot, ops, db, tmp_path, asked):
    wizard = to_preview(qtbot, ops, tmp_path)
    box = wizard.preview_page.consent_box
    assert box.isVisibleTo(wizard)
    assert not box.check.isChecked()  # explicit: off by default
    assert not box.source.isEnabled() and not box.date.isEnabled()
    assert "“Zgoda” wins" in box.hint.text()  # the file's own column is named
    wizard.grab().save("/tmp/import_consent_1.png")

    box.check.setFocus()
    qtbot.keyClick(box.check, Qt.Key.Key_Space)
    assert box.check.isChecked()
    assert box.source.isEnabled() and box.date.isEnabled()
    # nothing typed: both fields say what they need, nothing is imported
    press_import(qtbot, wizard)
    assert wizard.currentId() == PAGE_PREVIEW
    assert box.source_error.isVisibleTo(wizard)
    assert "where the consent comes from" in box.source_error.text()
    assert box.date_error.text() == "Give the date the client gave consent."
    # a day after today is refused beside the field
    type_into(qtbot, box.source, "papierowe zgody 2025")
    assert not box.source_error.isVisibleTo(wizard)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    type_into(qtbot, box.date.line, tomorrow)
    press_import(qtbot, wizard)
    assert wizard.currentId() == PAGE_PREVIEW
    assert box.date_error.text() == "Consent cannot be given after today."
    assert not box.source_error.isVisibleTo(wizard)
    assert asked["calls"] == [] and saved(db) == (0, [])
    wizard.grab().save("/tmp/import_consent_2.png")

    type_into(qtbot, box.date.line, GIVEN.isoformat())
    # the user answers "Go back" first: nothing happens
    asked["answer"] = False
    press_import(qtbot, wizard)
    assert wizard.currentId() == PAGE_PREVIEW and saved(db) == (0, [])
    count, consent, question = asked["calls"][-1]
    assert (count, consent) == (2, FileConsent(GIVEN, "papierowe zgody 2025"))
    assert question.startswith("2 client")
    assert "of this file will be marked as agreeing to marketing messages" in question
    assert "“papierowe zgody 2025”" in question
    assert f"{GIVEN.year}" in question  # the day in full, with its four-digit year

    asked["answer"] = True
    press_import(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_DONE)
    assert "Marketing consent recorded for 2 client" in wizard.done_page.text.text()
    assert saved(db) == (3, [("Anna Nowak", GIVEN, "papierowe zgody 2025"),
                             ("Piotr Zieliński", GIVEN, "papierowe zgody 2025")])
    with db.session() as s:
        zofia = s.scalars(select(Client).where(Client.name == "Zofia Wiśniewska")).one()
        assert not zofia.marketing_consent  # her row said no
        # and the groups are there at once
        assert None not in s.scalars(select(Client.segment)).all()


def test_without_the_tick_the_file_is_imported_without_consent(qtbot, ops, db, tmp_path,
                                                                asked):
    wizard = to_preview(qtbot, ops, tmp_path)
    box = wizard.preview_page.consent_box
    type_into(qtbot, box.source, "ignored")  # disabled: typing does nothing
    press_import(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_DONE)
    assert asked["calls"] == []
    assert saved(db) == (3, [])
    assert "Marketing consent" not in wizard.done_page.text.text()


def test_a_file_of_purchases_offers_no_consent(qtbot, ops, tmp_path):
    wizard = to_preview(qtbot, ops, tmp_path, "Telefon;Data;Kwota\n602 111 222;01.05.2026;"
                        "10,00\n", kind="purchases")
    assert not wizard.preview_page.consent_box.isVisibleTo(wizard)


def test_the_question_in_polish(qapp):
    install_translations(qapp, "pl")
    try:
        text = consent_question(5, FileConsent(date(2026, 3, 2), "formularze"))
        assert text.startswith("5 klientów z tego pliku") and "„formularze”" in text
        assert "2.03.2026" in text
        assert not text.startswith("5 clients")  # translated
        assert QCoreApplication.translate("ImportWizard", "Marketing consent") != \
            "Marketing consent"
    finally:
        install_translations(qapp, "en")
