"""How many SMS parts a text costs (3GPP TS 23.038).

A text written only in the GSM 7-bit default alphabet (with its extension table, whose
characters take two septets: ``^{}\\[~]|€`` and the form feed) fits 160 characters in one
message and 153 in each part of a longer one (the rest carries the header that joins
the parts). One character outside it (a Polish ą, any Cyrillic letter, an emoji) sends
the whole text as UCS-2: 70 characters alone, 67 per part, counted in UTF-16 units (an
emoji is two). Gateways may replace Polish letters by plain ones to stay in GSM-7; we
count the text as it is written, so the count is never lower than the bill.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7, UCS2 = "gsm7", "ucs2"
SINGLE = {GSM7: 160, UCS2: 70}
PART = {GSM7: 153, UCS2: 67}


@dataclass(frozen=True)
class SmsCount:
    encoding: str      # "gsm7" or "ucs2"
    characters: int    # as a person counts them (what the preview shows)
    units: int         # septets (GSM-7) or UTF-16 units (UCS-2)
    segments: int      # messages billed (0 for an empty text)

    @property
    def per_segment(self) -> int:
        return SINGLE[self.encoding] if self.segments <= 1 else PART[self.encoding]


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def count(text: str) -> SmsCount:
    if is_gsm7(text):
        enc = GSM7
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
    else:
        enc = UCS2
        units = len(text.encode("utf-16-le")) // 2
    if units == 0:
        parts = 0
    elif units <= SINGLE[enc]:
        parts = 1
    elif enc == GSM7:
        # an extension character's two septets are never split between two parts
        parts, room = 1, PART[enc]
        for ch in text:
            need = 2 if ch in GSM7_EXTENSION else 1
            if need > room:
                parts, room = parts + 1, PART[enc]
            room -= need
    else:
        # nor are the two halves of an emoji (a surrogate pair)
        parts, room = 1, PART[enc]
        for ch in text:
            need = 2 if ord(ch) > 0xFFFF else 1
            if need > room:
                parts, room = parts + 1, PART[enc]
            room -= need
    return SmsCount(enc, len(text), units, parts)
