"""Which Latin letter key was pressed, whatever the keyboard layout.

The one-key outcomes of Today (N, M, W, R, B, D, L, C) must work for a receptionist who
types in Russian, Ukrainian or Bulgarian: there the key labelled N gives "т" (ЙЦУКЕН),
"х" (Bulgarian BDS) or "н" (Bulgarian phonetic). A key press is read, in this order:

1. a Latin letter as Qt reports it (English, Polish and any Latin layout: the user
   presses the letter they see);
2. the physical key, from the native scan code (X11/Wayland, Windows) or virtual key code
   (macOS), as on a US keyboard;
3. the typed Cyrillic letter, through the standard layout of the input language
   (ЙЦУКЕН for Russian and Ukrainian, BDS for Bulgarian).
"""

from __future__ import annotations

import string

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")

#: Cyrillic layouts: the letter each Latin key position types
_LAYOUTS = {
    "jcuken": ("йцукенгшщз", "фывапролд", "ячсмить"),
    "bds": (",уеишщксдз", "ьяаожгтнв", "юйъэфхп"),
    "phonetic": ("явертъуиоп", "асдфгхйкл", "зьцжбнм"),
}
_UKRAINIAN = {"і": "s", "ї": "]", "є": "'"}


def _table(layout: str) -> dict[str, str]:
    table = {}
    for latin, local in zip(_ROWS, _LAYOUTS[layout], strict=True):
        table.update(zip(local, latin, strict=True))
    if layout == "jcuken":
        table.update(_UKRAINIAN)
    return table


TEXT_TABLES = {name: _table(name) for name in _LAYOUTS}

#: X11/Wayland keycodes (evdev + 8) of the letter keys
_XKB = dict(zip(_ROWS[0], range(24, 34), strict=True)) | dict(
    zip(_ROWS[1], range(38, 47), strict=True)) | dict(zip(_ROWS[2], range(52, 59), strict=True))
#: Windows scan codes (set 1)
_WIN = dict(zip(_ROWS[0], range(0x10, 0x1A), strict=True)) | dict(
    zip(_ROWS[1], range(0x1E, 0x27), strict=True)) | dict(
    zip(_ROWS[2], range(0x2C, 0x33), strict=True))
#: macOS virtual key codes (kVK_ANSI_*)
_MAC = {"a": 0x00, "s": 0x01, "d": 0x02, "f": 0x03, "h": 0x04, "g": 0x05, "z": 0x06,
        "x": 0x07, "c": 0x08, "v": 0x09, "b": 0x0B, "q": 0x0C, "w": 0x0D, "e": 0x0E,
        "r": 0x0F, "y": 0x10, "t": 0x11, "o": 0x1F, "u": 0x20, "i": 0x22, "p": 0x23,
        "l": 0x25, "j": 0x26, "k": 0x28, "n": 0x2D, "m": 0x2E}
PHYSICAL = {"xcb": {v: k for k, v in _XKB.items()},
            "wayland": {v: k for k, v in _XKB.items()},
            "windows": {v: k for k, v in _WIN.items()},
            "cocoa": {v: k for k, v in _MAC.items()}}


def key_letter(key: int, text: str, scan_code: int = 0, virtual_key: int = 0,
               platform: str = "", layout: str = "jcuken") -> str | None:
    """The upper-case Latin letter of a key press, or None when it is not a letter key."""
    if Qt.Key.Key_A <= key <= Qt.Key.Key_Z:
        return chr(key)
    native = virtual_key if platform == "cocoa" else scan_code
    letter = PHYSICAL.get(platform, {}).get(native) if native else None
    if letter is None and text:
        letter = TEXT_TABLES.get(layout, TEXT_TABLES["jcuken"]).get(text[0].lower())
    if letter is None or letter not in string.ascii_lowercase:
        return None
    return letter.upper()


def input_layout() -> str:
    """The Cyrillic layout the input language most likely uses."""
    lang = QGuiApplication.inputMethod().locale().name().split("_")[0]
    return "bds" if lang == "bg" else "jcuken"


def event_letter(event: QKeyEvent) -> str | None:
    return key_letter(event.key(), event.text(), event.nativeScanCode(),
                      event.nativeVirtualKey(), QGuiApplication.platformName(),
                      input_layout())
