"""The glossary (docs/glossary.md) kept by every translation: one word for a call, one for a
client and one for a complaint in each language.

Reads the .ts files as XML (no Qt) and the demo business's texts, and fails on a word the
glossary forbids. A forbidden word is allowed only where the English says the thing that
word legitimately names: Polish "telefon" is the phone (number, field, device), never the
call; "rozmowa"/"разговор" is a conversation, which the English then calls a talk."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.services import demo_texts

TRANSLATIONS = Path(__file__).resolve().parent.parent / "resources" / "translations"

#: English that makes a word legitimate: the phone itself, a talk, buying
PHONE = re.compile(r"\bphones?\b", re.IGNORECASE)
TALK = re.compile(r"\b(talk\w*|conversations?)\b", re.IGNORECASE)
BUY = re.compile(r"\bbuy\w*\b", re.IGNORECASE)
STOP = re.compile(r"\bstop\w*\b", re.IGNORECASE)
NEVER = re.compile(r"(?!)")

#: language -> [(forbidden word stem, English that allows it, what to use instead)]
FORBIDDEN = {
    "pl": [
        (r"telefon\w*", PHONE, "połączenie (a call) — telefon is the phone number only"),
        (r"rozm[oó]w\w*", TALK, "połączenie"),
        (r"klientk\w*", NEVER, "klient"),
        (r"nabywc\w*", NEVER, "klient"),
        (r"kupując\w*", BUY, "klient"),
        (r"skarg\w*", NEVER, "reklamacja"),
        (r"zażaleni\w*", NEVER, "reklamacja"),
        (r"zatrzym\w*", STOP, "utrzymany (a client kept) — zatrzymany reads 'detained'"),
    ],
    "ru": [
        (r"вызов\w*", NEVER, "звонок"),
        (r"обзвон\w*", NEVER, "звонки"),
        (r"разговор\w*", TALK, "звонок"),
        (r"покупател\w*", NEVER, "клиент"),
        (r"заказчик\w*", NEVER, "клиент"),
        (r"претензи\w*", NEVER, "жалоба"),
        (r"рекламаци\w*", NEVER, "жалоба"),
    ],
    "bg": [
        (r"разговор\w*", TALK, "обаждане"),
        (r"позвъняван\w*", NEVER, "обаждане"),
        (r"повикван\w*", NEVER, "обаждане"),
        (r"купувач\w*", NEVER, "клиент"),
        (r"клиентк\w*", NEVER, "клиент"),
        (r"жалб\w*", NEVER, "оплакване"),
        (r"задържан[аои]?\b", NEVER, "запазен (a client kept) — задържан reads 'detained'"),
        (r"рекламаци\w*", NEVER, "оплакване"),
    ],
}

#: a text about calls says it with the glossary's noun or with the verb "to call"
CALL_SOURCE = re.compile(r"\bcall(s|ed|ing)?\b|\bcall-back\b", re.IGNORECASE)
CALL_WORDS = {
    "pl": re.compile(r"połącz|dzwo[nń]", re.IGNORECASE),
    "ru": re.compile(r"звон", re.IGNORECASE),
    "bg": re.compile(r"обажд|обад", re.IGNORECASE),
}


def messages(lang: str) -> list[tuple[str, str, str]]:
    """(context, English source, translation text with every plural form) of a .ts file."""
    root = ET.parse(TRANSLATIONS / f"clientcare_{lang}.ts").getroot()
    found = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [n.text or "" for n in translation.iter("numerusform")]
            text = " | ".join(forms) if forms else (translation.text or "")
            found.append((name, message.findtext("source") or "", text))
    return found


def demo_pairs(lang: str) -> list[tuple[str, str, str]]:
    """(list name, English, the language's text) of every demo text, paired by position."""
    pairs = []
    for name, value in vars(demo_texts).items():
        if not (name.isupper() and isinstance(value, dict) and "en" in value and lang in value):
            continue
        english, local = value["en"], value[lang]
        if isinstance(english, str):
            english, local = [english], [local]
        pairs.extend((name, e, t) for e, t in zip(english, local, strict=True))
    return pairs


def violations(lang: str, pairs: list[tuple[str, str, str]]) -> list[str]:
    bad = []
    for where, source, text in pairs:
        for stem, allowed, instead in FORBIDDEN[lang]:
            for match in re.finditer(rf"\b{stem}", text, re.IGNORECASE):
                if not allowed.search(source):
                    bad.append(f"[{where}] {source!r}: “{match.group(0)}” in {text!r}; "
                               f"use {instead}")
    return bad


@pytest.mark.parametrize("lang", sorted(FORBIDDEN))
def test_translations_use_only_the_glossary_words(lang):
    assert messages(lang), "no messages read"
    assert violations(lang, messages(lang)) == []


@pytest.mark.parametrize("lang", sorted(FORBIDDEN))
def test_demo_texts_use_only_the_glossary_words(lang):
    assert demo_pairs(lang), "no demo texts read"
    assert violations(lang, demo_pairs(lang)) == []


@pytest.mark.parametrize("lang", sorted(CALL_WORDS))
def test_every_text_about_calls_says_call_with_the_glossary_word(lang):
    about_calls = [(c, s, t) for c, s, t in messages(lang) if CALL_SOURCE.search(s)]
    assert len(about_calls) > 40, "the texts about calls were not found"
    missing = [f"[{c}] {s!r} -> {t!r}" for c, s, t in about_calls
               if not CALL_WORDS[lang].search(t)]
    assert missing == []


def test_the_rules_forbid_the_wrong_words_and_not_the_phone_number():
    """Polish "Telefon" as the phone field and "numer telefonu" stay allowed; "telefon" for
    a call is caught; a conversation named in English may be a "rozmowa"."""
    ok = [("ClientTableModel", "Phone", "Telefon"),
          ("ImportWizard", "Phone numbers to check", "Numery telefonów do sprawdzenia"),
          ("Labels", "Phone book", "Książka telefoniczna"),
          ("CORRECTIVE_ACTIONS", "Talked with the specialist.", "Rozmowa ze specjalistą.")]
    assert violations("pl", ok) == []
    wrong = [("TodayPage", "%Ln call(s) to make", "%Ln telefon do wykonania"),
             ("TodayPage", "Log the call", "Zapis rozmowy")]
    assert len(violations("pl", wrong)) == 2
    assert violations("ru", [("Charts", "Calls", "Вызовы")]) != []
    assert violations("bg", [("Charts", "Call minutes", "Минути разговори")]) != []
    assert len(violations("pl", [("Charts", "Kept", "Klient zatrzymany"),
                                 ("ImportWizard", "The import was stopped.", "Import zatrzymany.")])) == 1
    assert violations("bg", [("Charts", "Cohort retention", "Задържане на клиентите")]) == []
    assert violations("bg", [("Charts", "Kept", "Клиентът е задържан")]) != []
    assert violations("bg", [("ComplaintDialog", "Save the changes to this complaint?",
                               "Да се запазят ли промените на тази жалба?")]) != []
