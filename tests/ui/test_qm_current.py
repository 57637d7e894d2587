"""The window loads resources/translations/*.qm, built by ``make`` from the .ts sources
(the .qm are not kept in git): a .qm older than its .ts would show last week's words.
lrelease writes the same bytes for the same source, so a fresh build compares byte for
byte. After editing a .ts: ``make translations`` (or run pyside6-lrelease)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.ui.app import RESOURCES

LANGS = ["en", "pl", "ru", "bg"]


def lrelease(source: Path, target: Path) -> bytes:
    exe = Path(sys.executable).with_name("pyside6-lrelease")
    found = str(exe) if exe.exists() else shutil.which("pyside6-lrelease")
    assert found, "pyside6-lrelease comes with PySide6"
    subprocess.run([found, "-silent", str(source), "-qm", str(target)], check=True)
    return target.read_bytes()


@pytest.mark.parametrize("lang", LANGS)
def test_the_qm_file_is_the_build_of_the_current_ts(lang, tmp_path):
    source = RESOURCES / "translations" / f"clientcare_{lang}.ts"
    shipped = source.with_suffix(".qm")
    assert shipped.exists(), f"{shipped.name} is not built: run `make translations`"
    fresh = lrelease(source, tmp_path / shipped.name)
    assert shipped.read_bytes() == fresh, \
        f"{shipped.name} is older than {source.name}: run `make translations`"


def test_a_changed_translation_gives_other_bytes(tmp_path):
    """The comparison can tell: one translation changed in a copy of the .ts builds
    another .qm, and the same source twice the same one."""
    source = RESOURCES / "translations" / "clientcare_pl.ts"
    text = source.read_text(encoding="utf-8")
    assert "<translation>Nowy klient</translation>" in text
    changed = tmp_path / "changed.ts"
    changed.write_text(text.replace("<translation>Nowy klient</translation>",
                                    "<translation>Nowa klientka</translation>", 1),
                       encoding="utf-8")
    once = lrelease(source, tmp_path / "a.qm")
    assert lrelease(source, tmp_path / "b.qm") == once
    assert lrelease(changed, tmp_path / "c.qm") != once
