"""The one-key outcomes read the key's place on the keyboard, whatever the layout."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from app.ui.keyboard import _LAYOUTS, _ROWS, TEXT_TABLES, key_letter

OUTCOME_KEYS = "NMWRBDLC"


def test_latin_letters_are_taken_as_they_are():
    for letter in OUTCOME_KEYS:
        assert key_letter(ord(letter), letter.lower()) == letter
    assert key_letter(Qt.Key.Key_N, "n", platform="xcb", scan_code=58) == "N"  # Dvorak & co
    assert key_letter(Qt.Key.Key_Return, "\r") is None
    assert key_letter(0x0416, "ж") is None  # ЙЦУКЕН ";" is not a letter key


def test_cyrillic_letters_map_to_their_latin_places():
    jcuken = {"N": "т", "M": "ь", "W": "ц", "R": "к", "B": "и", "D": "в", "L": "д", "C": "с"}
    bds = {"N": "х", "M": "п", "W": "у", "R": "и", "B": "ф", "D": "а", "L": "в", "C": "ъ"}
    phonetic = {"N": "н", "M": "м", "W": "в", "R": "р", "B": "б", "D": "д", "L": "л", "C": "ц"}
    for layout, table in (("jcuken", jcuken), ("bds", bds), ("phonetic", phonetic)):
        for latin, local in table.items():
            assert key_letter(ord(local.upper()), local, layout=layout) == latin, (layout, local)
            assert key_letter(ord(local.upper()), local.upper(), layout=layout) == latin
    assert key_letter(0x0406, "і") == "S"  # Ukrainian і sits where Russian ы does
    assert all(len(t) >= 26 for t in TEXT_TABLES.values())


def test_the_physical_key_wins_over_the_typed_letter():
    # Bulgarian phonetic on X11: the N key types "н", which BDS would place on K
    assert key_letter(0x041D, "н", scan_code=57, platform="xcb", layout="bds") == "N"
    assert key_letter(0x041D, "н", scan_code=57, platform="wayland", layout="bds") == "N"
    assert key_letter(0x0422, "т", scan_code=0x31, platform="windows") == "N"  # set-1 scan code
    assert key_letter(0x0422, "т", virtual_key=0x2D, platform="cocoa") == "N"  # kVK_ANSI_N
    for letter, code in zip("WRBDLCM", (25, 27, 56, 40, 46, 54, 58), strict=True):
        assert key_letter(0x0411, "б", scan_code=code, platform="xcb") == letter
    # no native code (offscreen, synthetic events): the layout's letter decides
    assert key_letter(0x041D, "н", platform="offscreen", layout="phonetic") == "N"


@given(st.sampled_from(sorted(_LAYOUTS)), st.data())
def test_every_letter_key_of_a_layout_finds_its_latin_place(layout, data):
    row = data.draw(st.integers(0, 2))
    pos = data.draw(st.integers(0, len(_ROWS[row]) - 1))
    latin, local = _ROWS[row][pos], _LAYOUTS[layout][row][pos]
    shift = data.draw(st.booleans())
    text = local.upper() if shift else local
    expected = latin.upper() if latin.isalpha() else None
    if not local.isalpha():  # BDS types "," on the Q key: not a letter, not an outcome
        expected = "Q"
    assert key_letter(ord(local.upper()), text, layout=layout) == expected
