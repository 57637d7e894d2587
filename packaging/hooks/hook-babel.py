"""Babel for the packaged ClientCare: CLDR data (app/countries.py, country names) for
the window's languages only, with root and the global data (~1 MB instead of ~35 MB).
Replaces PyInstaller's own hook."""

from pathlib import Path

import bundle  # packaging/bundle.py, on sys.path from the spec
from PyInstaller.utils.hooks import collect_data_files


def _wanted(src: str) -> bool:
    path = Path(src)
    if path.parent.name != "locale-data":
        return True  # global.dat and the rest of babel's own data
    stem = path.stem
    return stem == "root" or stem.split("_", 1)[0] in bundle.LANGUAGES


datas = [entry for entry in collect_data_files("babel") if _wanted(entry[0])]
hiddenimports = ["babel.dates", "babel.numbers"]
