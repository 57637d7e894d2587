"""The colours live in app/palette.py only, so the window and the charts cannot drift."""

import re
from pathlib import Path

from app import palette

APP = Path(__file__).resolve().parent.parent / "app"
HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def test_every_colour_of_the_palette_is_a_hex_colour():
    names = [n for n in dir(palette) if n.isupper()]
    assert len(names) > 20
    for name in names:
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", getattr(palette, name)), name


def test_no_colour_literal_outside_the_palette():
    found = [f"{p.relative_to(APP.parent)}:{n}: {line.strip()}"
             for p in sorted(APP.rglob("*.py")) if p.name != "palette.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if HEX.search(line)]
    assert not found, "\n".join(found)


def test_the_palette_needs_no_qt():
    assert "PySide6" not in (APP / "palette.py").read_text(encoding="utf-8")
