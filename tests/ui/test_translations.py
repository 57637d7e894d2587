"""The window speaks English, Polish, Russian and Bulgarian: the .ts sources build and load."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from app.ui.app import RESOURCES, install_translations

LANGS = ["en", "pl", "ru", "bg"]


@pytest.fixture(scope="module")
def qm_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("qm")
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    exe = str(lrelease) if lrelease.exists() else shutil.which("pyside6-lrelease")
    assert exe, "pyside6-lrelease comes with PySide6"
    for lang in LANGS:
        src = RESOURCES / "translations" / f"clientcare_{lang}.ts"
        subprocess.run([exe, "-silent", str(src), "-qm", str(out / f"clientcare_{lang}.qm")],
                       check=True)
    return out


@pytest.mark.parametrize(("lang", "expected"), [
    ("pl", "Nowy klient"), ("ru", "Новый клиент"), ("bg", "Нов клиент")])
def test_window_strings_are_translated(qapp, qm_dir, lang, expected):
    try:
        install_translations(qapp, lang, qm_dir)
        assert QCoreApplication.translate("ClientsPage", "New client") == expected
        text = QCoreApplication.translate("Messages", "Please enter a name.")
        assert text and text != "Please enter a name."
    finally:
        install_translations(qapp, "en_US", qm_dir)
        QLocale.setDefault(QLocale("en_US"))


def test_english_plurals(qapp, qm_dir):
    install_translations(qapp, "en_US", qm_dir)
    assert QCoreApplication.translate("ClientsPage", "%Ln client(s)", "", 1) == "1 client"
    assert QCoreApplication.translate("ClientsPage", "%Ln client(s)", "", 3) == "3 clients"


def test_every_ts_message_is_translated(qm_dir):
    for lang in ["pl", "ru", "bg"]:
        root = ET.parse(RESOURCES / "translations" / f"clientcare_{lang}.ts").getroot()
        unfinished = [m.findtext("source") for m in root.iter("message")
                      if m.find("translation").get("type") == "unfinished"]
        assert unfinished == [], f"{lang}: {unfinished[:5]}"


def test_ts_files_hold_every_string_of_the_code(tmp_path):
    """Run lupdate on a copy: a tr() string that is not yet in the .ts files (and so not
    translated) fails here. Fix: `make lupdate`, then translate the new messages."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    exe = str(lupdate) if lupdate.exists() else shutil.which("pyside6-lupdate")
    assert exe
    copy = tmp_path / "clientcare_pl.ts"
    shutil.copy(RESOURCES / "translations" / "clientcare_pl.ts", copy)
    sources = sorted(str(p) for p in (RESOURCES.parent / "app").rglob("*.py"))
    subprocess.run([exe, "-silent", *sources, "-ts", str(copy)], check=True)
    root = ET.parse(copy).getroot()
    missing = [m.findtext("source") for m in root.iter("message")
               if m.find("translation").get("type") == "unfinished"]
    assert missing == [], f"not yet in the .ts files: {missing[:10]}"


def test_a_language_clientcare_does_not_speak_gets_english_plurals(qapp, qm_dir):
    try:
        install_translations(qapp, "de_DE", qm_dir)
        assert QCoreApplication.translate("ClientsPage", "%Ln client(s)", "", 3) == "3 clients"
    finally:
        install_translations(qapp, "en_US", qm_dir)
        QLocale.setDefault(QLocale("en_US"))


def test_every_count_message_has_its_plural_forms():
    """A message with %n is translated by its plural forms ("1 klient", "3 klientów"):
    lupdate marks it so only for ``X.tr(text, "", n)``, not for a four-argument
    ``translate(context, text, "", n)``, which would leave Polish with one form."""
    root = ET.parse(RESOURCES / "translations" / "clientcare_pl.ts").getroot()
    singular = [m.findtext("source") for m in root.iter("message")
                if "%n" in (m.findtext("source") or "") and m.get("numerus") != "yes"]
    assert singular == []
