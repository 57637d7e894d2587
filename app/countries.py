"""Country names in the user's language, for the business's country in Settings.

Qt names a territory only in English (``QLocale.territoryToString``) or in its own
language (``nativeTerritoryName``): "Poland" or "Polska", never "Польша" for a Russian
user. The names come from the Unicode CLDR through Babel, for every region the phone
numbers know; the order is the UI's (``QCollator`` in app/ui), not the one here."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from babel import Locale, UnknownLocaleError


@lru_cache(maxsize=8)
def country_names(language: str) -> dict[str, str]:
    """Region code -> its name in ``language`` ("pl", "ru_RU", "bg-BG"...); a language
    CLDR does not know gives the English names, a region it does not name its code."""
    try:
        names = Locale.parse(language.replace("-", "_")).territories
    except (UnknownLocaleError, ValueError):
        names = Locale("en").territories
    return {code: names.get(code, code) for code in phonenumbers.SUPPORTED_REGIONS}
