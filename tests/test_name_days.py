"""The name-day tables and their look-up (app/services/name_days.py, no Qt)."""

from __future__ import annotations

import fnmatch
import json
import tomllib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services import name_days
from app.services.name_days import (
    first_name_candidates,
    language_for_region,
    lookup,
    name_key,
    offered_name_day,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "app" / "data" / "name_days"

#: how many names (variants not counted) each table covers at least
LEAST = {"pl": 150, "ru": 115, "bg": 100}


def _raw(language: str) -> dict:
    return json.loads((DATA / f"{language}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", name_days.LANGUAGES)
def test_each_table_loads_says_its_source_and_covers_the_common_names(language):
    t = name_days.table(language)
    assert t.language == language
    assert t.calendar and len(t.source) > 80  # the calendar it was written from
    assert len(t.names) >= LEAST[language]
    raw = _raw(language)
    assert len(raw["names"]) == len(t.names)  # no key of the file given twice
    assert raw["notes"]


@pytest.mark.parametrize("language", name_days.LANGUAGES)
def test_every_day_is_a_real_calendar_day_given_once(language):
    for name, days in _raw(language)["names"].items():
        assert days, name
        assert len(set(days)) == len(days), name
        for text in days:
            month, day = (int(x) for x in text.split("-"))
            assert text == f"{month:02d}-{day:02d}"
            date(2000, month, day)  # 30 February or 31 April raise; 29 February would do


@pytest.mark.parametrize("language", name_days.LANGUAGES)
def test_no_two_entries_fold_to_one_key_and_every_variant_leads_to_a_name(language):
    raw = _raw(language)
    keys = [name_key(n) for n in raw["names"]] + [name_key(v) for v in raw["variants"]]
    assert len(keys) == len(set(keys))
    for variant, name in raw["variants"].items():
        assert name in raw["names"], variant
        assert variant not in raw["names"]


def test_a_broken_day_in_a_table_is_refused_when_read():
    with pytest.raises(ValueError):
        name_days._day("02-30", "Anna", "pl")
    with pytest.raises(ValueError):
        name_days._day("2-3", "Anna", "pl")


def test_lookup_ignores_case_accents_spaces_and_yo():
    assert lookup("Łukasz", "pl") == [(10, 18)]
    assert lookup("  łukasz ", "pl") == [(10, 18)]
    assert lookup("LUKASZ", "pl") == [(10, 18)]
    assert lookup("Jozef", "pl") == [(3, 19), (5, 1)]
    assert lookup("Пётр", "ru") == [(7, 12)]
    assert lookup("петр", "ru") == [(7, 12)]
    assert lookup("Семен", "ru") == lookup("Семён", "ru") == [(2, 16)]
    assert lookup("ГЕОРГИ", "bg") == [(5, 6)]


def test_several_days_come_main_day_first():
    assert lookup("Maria", "pl") == [(8, 15), (9, 12), (9, 8)]
    assert lookup("Иван", "ru") == [(7, 7), (1, 20), (10, 9)]
    assert lookup("Николай", "ru") == [(12, 19), (5, 22)]
    assert lookup("Иван", "bg") == [(1, 7), (10, 19)]


def test_the_calendars_differ_where_the_churches_do():
    assert lookup("Mikołaj", "pl") == [(12, 6)]
    assert lookup("Николай", "bg") == [(12, 6)]  # the Bulgarian church: civil calendar
    assert lookup("Николай", "ru")[0] == (12, 19)  # the Russian one: Julian, 13 days on
    assert lookup("Андрей", "ru") == [(12, 13)]
    assert lookup("Андрей", "bg") == [(11, 30)]
    assert lookup("Георги", "bg") == [(5, 6)]  # Гергьовден stays on 6 May
    assert lookup("Екатерина", "bg") == [(11, 24)]
    assert lookup("Екатерина", "ru") == [(12, 7)]


def test_variants_share_the_days_of_their_name():
    assert lookup("Kuba", "pl") == lookup("Jakub", "pl") == [(7, 25), (5, 3)]
    assert lookup("Kasia", "pl") == lookup("Katarzyna", "pl")
    assert lookup("Егор", "ru") == lookup("Юрий", "ru") == lookup("Георгий", "ru")
    assert lookup("Артём", "ru") == lookup("артем", "ru") == [(11, 2)]
    assert lookup("Гошо", "bg") == lookup("Жоро", "bg") == [(5, 6)]
    assert name_days.name_day_of("Kuba", "pl") == ("Jakub", ((7, 25), (5, 3)))
    # a form shared by a man's and a woman's name with different days has none
    assert lookup("Саша", "ru") == []
    assert lookup("Женя", "ru") == []


def test_an_unknown_name_or_calendar_has_no_day():
    assert lookup("Brajan", "pl") == []
    assert lookup("", "pl") == []
    assert lookup("   ", "ru") == []
    assert lookup("Anna", "en") == []
    assert lookup("Anna", None) == []
    assert lookup("Anna", "ru") == []  # a Latin-letter name in a Cyrillic table
    assert lookup("Jan", "bg") == []


def test_the_business_country_picks_the_calendar():
    assert language_for_region("PL") == "pl"
    assert language_for_region("ru") == "ru"
    assert language_for_region(" BG ") == "bg"
    assert language_for_region("US") is None
    assert language_for_region("") is None
    assert language_for_region(None) is None


def test_the_first_name_is_found_in_the_ways_full_names_are_written():
    assert first_name_candidates("Anna Nowak")[0] == "Anna"
    assert first_name_candidates("Nowak, Anna")[0] == "Anna"
    assert first_name_candidates("Иванов Иван Иванович")[0] == "Иван"
    assert first_name_candidates("Мария Петровна Сидорова")[0] == "Мария"
    assert offered_name_day("Kowalska Anna", "PL") == ("Anna", ((7, 26),))
    assert offered_name_day("Иванова Мария Петровна", "RU") == ("Мария", ((8, 4), (4, 14)))
    assert offered_name_day("Гошо Петров", "BG") == ("Георги", ((5, 6),))
    assert offered_name_day("Anna-Maria Nowak", "PL") == ("Anna", ((7, 26),))
    assert offered_name_day("Jan Kowalski", "US") is None  # no calendar for the country
    assert offered_name_day("Brajan Kowalski", "PL") is None
    assert offered_name_day("", "PL") is None


def test_the_tables_are_installed_with_the_package():
    """An installed or packaged app has them: each file matches a package-data pattern
    of the ``app`` package, and the module reads them through importlib.resources."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["app"]
    files = sorted(DATA.iterdir())
    assert {f.name for f in files} >= {"pl.json", "ru.json", "bg.json", "README.md"}
    for f in files:
        rel = f.relative_to(ROOT / "app").as_posix()
        assert any(fnmatch.fnmatch(rel, p) for p in patterns), rel


@pytest.mark.parametrize("language", name_days.LANGUAGES)
@given(data=st.data())
def test_every_name_and_variant_is_found_however_it_is_typed(language, data):
    raw = _raw(language)
    name = data.draw(st.sampled_from(sorted([*raw["names"], *raw["variants"]])))
    main = raw["variants"].get(name, name)
    typed = data.draw(st.sampled_from([name, name.upper(), name.lower(), f"  {name}\t",
                                       name.capitalize()]))
    assert lookup(typed, language) == [
        tuple(int(x) for x in d.split("-")) for d in raw["names"][main]]
    surname = data.draw(st.sampled_from(["Nowak", "Иванова", "Петров"]))
    assert offered_name_day(f"{typed} {surname}", language.upper())[0] == main
