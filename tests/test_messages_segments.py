"""SMS parts counted before sending: GSM-7 160/153, UCS-2 70/67; Polish letters and
Cyrillic force UCS-2."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.services.messages.segments import GSM7, GSM7_BASIC, GSM7_EXTENSION, UCS2, count


def test_examples():
    assert count("").segments == 0
    assert count("a" * 160) == count("a" * 160).__class__(GSM7, 160, 160, 1)
    assert count("a" * 161).segments == 2
    assert count("a" * 306).segments == 2
    assert count("a" * 307).segments == 3
    assert count("ą").encoding == UCS2
    assert count("ż" * 70).segments == 1
    assert count("ż" * 71).segments == 2
    assert count("Я" * 134).segments == 2
    assert count("Я" * 135).segments == 3
    assert count("€" * 80).units == 160  # an extension character is two septets
    assert count("€" * 80).segments == 1
    assert count("€" * 81).segments == 2
    assert count("😀" * 35).units == 70  # an emoji is two UTF-16 units
    assert count("😀" * 35).segments == 1


def test_a_part_never_splits_an_extension_character():
    # 152 plain septets then "€": 154 septets do not fit one part of 153, and the
    # euro's two septets may not be split, so part two starts with it
    text = "a" * 152 + "€" + "a" * 152
    c = count(text)
    assert c.units == 306 and c.segments == 3


gsm_text = st.text(alphabet=sorted(GSM7_BASIC | GSM7_EXTENSION), max_size=800)
cyrillic = st.text(alphabet=st.characters(min_codepoint=0x410, max_codepoint=0x44F),
                   min_size=1, max_size=800)


@given(gsm_text)
def test_gsm_text_fits_its_parts(text):
    c = count(text)
    assert c.encoding == GSM7
    assert c.characters == len(text)
    if c.units <= 160:
        assert c.segments == (1 if text else 0)
    else:
        # at least the bare division, at most one part more per split character
        assert -(-c.units // 153) <= c.segments <= -(-c.units // 152)


@given(cyrillic, gsm_text)
def test_one_cyrillic_letter_makes_the_whole_text_ucs2(cyr, rest):
    c = count(rest + cyr)
    assert c.encoding == UCS2
    n = len(rest + cyr)
    assert c.segments == (1 if n <= 70 else -(-n // 67))


@given(st.text(max_size=400))
def test_more_text_never_costs_fewer_parts(text):
    assert count(text + "x").segments >= count(text).segments
    assert count(text).segments <= count(text + "ą").segments
