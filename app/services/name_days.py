"""Name days: the day a first name is celebrated in the business's calendar (no Qt).

The tables are the project's own data, one JSON file per calendar in
``app/data/name_days/`` (their README says where each comes from): Polish Catholic
imieniny, the Russian Orthodox Menologion given on civil-calendar days, the Bulgarian
Orthodox feasts. Which table applies is the business's country (the ``business.region``
setting), never the language the window speaks.

``lookup("Mikołaj", "pl")`` -> ``[(12, 6)]``: every day of the name, the one most
people of that name celebrate first; ``[]`` for a name the table does not know.
Looking up ignores case, accents and surrounding spaces; ``ё`` is ``е``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

__all__ = [
    "LANGUAGES", "NameDayTable", "first_name_candidates", "language_for_region",
    "lookup", "name_day_of", "name_key", "offered_name_day", "table",
]

#: the calendars there is a table for
LANGUAGES = ("pl", "ru", "bg")

#: the business's country -> its name-day calendar
_REGION_LANGUAGE = {"PL": "pl", "RU": "ru", "BG": "bg"}

#: letters that are no accented form of a Latin letter (NFKD leaves them whole)
_FOLD = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ß": "ss"})

_DAY = re.compile(r"^(\d\d)-(\d\d)$")

#: a Russian patronymic (Иванович, Сергеевна, Ильич, Кузьминична): the first name is
#: the word before it, whichever order the full name is written in
_PATRONYMIC = re.compile(r"(ович|евич|ич|овна|евна|ична|инична)$")


def name_key(name: str) -> str:
    """The form a name is looked up by: trimmed, case and accents folded ("Łukasz",
    " lukasz " and "ŁUKASZ" are one key; "Пётр" and "Петр" too)."""
    text = unicodedata.normalize("NFKD", name.strip().casefold().translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", text.translate(_FOLD))


@dataclass(frozen=True)
class NameDayTable:
    """One calendar's names, as its file gives them."""

    language: str
    calendar: str
    source: str
    #: a name as written in the file -> its days (month, day), the main one first
    names: dict[str, tuple[tuple[int, int], ...]]
    #: a diminutive or another spelling -> the name in ``names`` it shares the days of
    variants: dict[str, str]


def _day(text: str, name: str, language: str) -> tuple[int, int]:
    match = _DAY.match(text)
    if match is None:
        raise ValueError(f"name_days/{language}.json: {name}: {text!r} is not MM-DD")
    month, day = int(match.group(1)), int(match.group(2))
    date(2000, month, day)  # a real day of a (leap) year, or ValueError
    return month, day


@cache
def table(language: str) -> NameDayTable:
    """The table of a calendar (``LANGUAGES``), read once from the package's data."""
    if language not in LANGUAGES:
        raise KeyError(language)
    path = resources.files("app") / "data" / "name_days" / f"{language}.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    names = {name: tuple(_day(d, name, language) for d in days)
             for name, days in raw["names"].items()}
    for name, days in names.items():
        if not days or len(set(days)) != len(days):
            raise ValueError(f"name_days/{language}.json: {name}: no day, or one twice")
    return NameDayTable(language=raw["language"], calendar=raw["calendar"],
                        source=raw["source"], names=names, variants=dict(raw["variants"]))


@cache
def _index(language: str) -> dict[str, tuple[str, tuple[tuple[int, int], ...]]]:
    """name_key -> (the name as the table writes it, its days), variants included."""
    t = table(language)
    out: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    for name, days in t.names.items():
        out[name_key(name)] = (name, days)
    for variant, name in t.variants.items():
        out.setdefault(name_key(variant), (name, t.names[name]))
    return out


def language_for_region(region: str | None) -> str | None:
    """The name-day calendar of the business's country ("PL" -> "pl"), None where
    there is no table for it."""
    return _REGION_LANGUAGE.get((region or "").strip().upper())


def lookup(first_name: str, language: str | None) -> list[tuple[int, int]]:
    """Every (month, day) of ``first_name`` in the calendar ``language``, the main day
    first; [] for an unknown name or a calendar there is no table for."""
    found = name_day_of(first_name, language)
    return list(found[1]) if found else []


def name_day_of(first_name: str, language: str | None
                ) -> tuple[str, tuple[tuple[int, int], ...]] | None:
    """(the name as the calendar writes it, its days) for a first name or one of its
    known variants ("Kuba" -> ("Jakub", ((7, 25), (5, 3)))), None when unknown."""
    if language not in LANGUAGES:
        return None
    key = name_key(first_name)
    return _index(language).get(key) if key else None


def first_name_candidates(full_name: str) -> list[str]:
    """The words of a person's full name that may be the first name, most likely
    first: after a comma ("Nowak, Anna"), the word before a Russian patronymic
    ("Иванов Иван Иванович"), the first word, then the second (a name written
    surname first, "Kowalska Anna")."""
    head, comma, tail = full_name.partition(",")
    words = [w for w in re.split(r"\s+", (tail if comma else head).strip()) if w]
    out: list[str] = []
    if comma and words:
        out.append(words[0])
        words = [w for w in re.split(r"\s+", head.strip()) if w] + words[1:]
    for i, w in enumerate(words[1:], start=1):
        if _PATRONYMIC.search(w.casefold()) and len(w) > 4:
            out.append(words[i - 1])
            break
    out.extend(words[:2])
    seen: set[str] = set()
    expanded: list[str] = []
    for w in out:
        for form in (w, w.split("-")[0]):  # "Anna-Maria": Anna if the whole is unknown
            if form and form not in seen:
                seen.add(form)
                expanded.append(form)
    return expanded


def offered_name_day(full_name: str, region: str | None
                     ) -> tuple[str, tuple[tuple[int, int], ...]] | None:
    """The name day a person's card offers: (the name as the calendar writes it, its
    days) of the first word of ``full_name`` that is a known first name in the calendar
    of the business's country; None when no word is."""
    language = language_for_region(region)
    if language is None:
        return None
    for word in first_name_candidates(full_name):
        found = name_day_of(word, language)
        if found is not None:
            return found
    return None
