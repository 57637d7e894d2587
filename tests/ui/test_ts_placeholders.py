"""What the code puts into a message (``%1`` … ``%9``, the count ``%n`` / ``%Ln``) is
in its every translation ([11]): a lost ``%1`` shows a sentence without its name, a
lost ``%n`` a plural without its number; ``%Ln`` written as ``%n`` loses the digit
grouping of the user's language ("1 200" becomes "1200")."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET

import pytest

from app.ui.app import RESOURCES

#: how many plural forms each language's .ts has (Qt's rules for the language)
FORMS = {"en": 2, "pl": 3, "ru": 3, "bg": 2}
_ARG = re.compile(r"%(\d)")
_COUNT = re.compile(r"%L?n")


def placeholders(text: str) -> tuple[set[str], list[str]]:
    """The numbered arguments of ``text`` (each once) and its count markers in order."""
    return {f"%{d}" for d in _ARG.findall(text)}, _COUNT.findall(text)


def messages(lang: str):
    root = ET.parse(RESOURCES / "translations" / f"clientcare_{lang}.ts").getroot()
    for context in root.iter("context"):
        name = context.findtext("name")
        for m in context.iter("message"):
            yield name, m


def lost_placeholders(lang: str) -> list[str]:
    wrong = []
    for context, m in messages(lang):
        source = m.findtext("source") or ""
        args, counts = placeholders(source)
        tr = m.find("translation")
        forms = ([f.text or "" for f in tr.iter("numerusform")] if m.get("numerus") == "yes"
                 else [tr.text or ""])
        for form in forms:
            if not form and lang == "en":  # English shows the source itself
                continue
            got_args, got_counts = placeholders(form)
            if got_args != args or sorted(set(got_counts)) != sorted(set(counts)) \
                    or (counts and not got_counts):
                wrong.append(f"{context}: {source!r} -> {form!r}")
    return wrong


@pytest.mark.parametrize("lang", ["ru", "pl", "bg", "en"])
def test_every_placeholder_of_a_source_is_in_its_translation(lang):
    wrong = lost_placeholders(lang)
    assert wrong == [], f"{lang}: {len(wrong)} translations lose a placeholder:\n" + \
        "\n".join(wrong[:20])


@pytest.mark.parametrize("lang", ["ru", "pl", "bg", "en"])
def test_every_count_message_has_each_plural_form_of_the_language(lang):
    wrong = [f"{ctx}: {m.findtext('source')!r}" for ctx, m in messages(lang)
             if m.get("numerus") == "yes"
             and len([f for f in m.find("translation").iter("numerusform")
                      if f.text]) != FORMS[lang]]
    assert wrong == [], f"{lang}: " + "\n".join(wrong[:20])


def test_the_check_itself_finds_a_lost_or_changed_placeholder(tmp_path, monkeypatch):
    """The check is not blind: a .ts with a lost ``%2`` and a ``%Ln`` written ``%n`` fails."""
    ts = tmp_path / "translations"
    ts.mkdir()
    (ts / "clientcare_ru.ts").write_text(
        '<?xml version="1.0" encoding="utf-8"?><TS version="2.1" language="ru"><context>'
        "<name>X</name>"
        "<message><source>%1 of %2</source><translation>%1 из</translation></message>"
        '<message numerus="yes"><source>%Ln client(s)</source><translation>'
        "<numerusform>%Ln клиент</numerusform><numerusform>%n клиента</numerusform>"
        "<numerusform>%Ln клиентов</numerusform></translation></message>"
        "<message><source>Done: %1</source><translation>Готово: %1</translation></message>"
        "</context></TS>", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "RESOURCES", tmp_path)
    wrong = lost_placeholders("ru")
    assert len(wrong) == 2
    assert "%1 of %2" in wrong[0] and "%n клиента" in wrong[1]
