"""What the packaged ClientCare carries besides its Python code: the data files (as
globs relative to the repository, each with its folder inside the bundle), the modules
imported by name at run time, and what is left out.

Plain Python without PyInstaller, so that ``packaging/clientcare.spec`` builds from it
and ``tests/test_packaging.py`` checks it without a build: every file the app reads at
run time (the .qm translations, the migrations, the name days) must be matched here.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: (glob relative to the repository, folder inside the bundle). The app finds them
#: relative to its own modules: app/sqlite_file.py MIGRATIONS_DIR (app/migrations),
#: app/services/name_days.py (app/data/name_days), app/ui/app.py RESOURCES (resources/
#: at the top of the bundle, sys._MEIPASS).
DATA_GLOBS: tuple[tuple[str, str], ...] = (
    ("resources/translations/*.qm", "resources/translations"),
    ("resources/icons/*.png", "resources/icons"),
    ("resources/icons/*.svg", "resources/icons"),
    # alembic reads env.py and every version script as source files from the folder
    ("app/migrations/env.py", "app/migrations"),
    ("app/migrations/script.py.mako", "app/migrations"),
    ("app/migrations/versions/*.py", "app/migrations/versions"),
    ("alembic.ini", "."),
    ("app/data/name_days/*.json", "app/data/name_days"),
    ("app/data/name_days/README.md", "app/data/name_days"),
)

#: Faker's locales the demo uses (``clientcare demo --locale``), and the ones Faker falls
#: back to for a provider without them (its ``default_locale``: en_GB for bank, la for
#: lorem; tests/test_packaging.py checks every provider's); the others are left out
FAKER_LOCALES = ("en", "en_US", "pl_PL", "ru_RU", "bg_BG", "en_GB", "la")

#: the languages the window speaks: Babel's country names and Qt's own translations
#: (qtbase_xx.qm) are kept for these only
LANGUAGES = ("en", "pl", "ru", "bg")

#: what the app never imports at run time (test and developer tools, other GUI toolkits,
#: matplotlib's other backends)
EXCLUDES = (
    "tkinter", "_tkinter", "turtle", "idlelib",
    "pytest", "_pytest", "pytestqt", "hypothesis", "xdist", "pytest_timeout",
    "aiosmtpd", "pypdf", "ruff", "IPython", "jupyter_client", "notebook",
    "PyQt5", "PyQt6", "PySide2",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtQml",
    "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.Qt3DCore", "PySide6.QtMultimedia",
    "PySide6.QtCharts", "PySide6.QtDataVisualization", "PySide6.QtBluetooth",
    "PySide6.QtDesigner", "PySide6.QtUiTools", "PySide6.QtSql", "PySide6.QtTest",
    "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
    "matplotlib.backends.backend_tkagg", "matplotlib.backends.backend_tkcairo",
    "matplotlib.backends.backend_gtk3agg", "matplotlib.backends.backend_gtk4agg",
    "matplotlib.backends.backend_wxagg", "matplotlib.backends.backend_webagg",
    "matplotlib.backends.backend_nbagg", "matplotlib.backends.backend_macosx",
    "psycopg2", "sphinx", "docutils",
)

#: Qt plugin folders the window needs: platforms (xcb for a desktop, offscreen for CI,
#: wayland, windows, cocoa), the image formats and icon engines (the SVG icon), styles,
#: platform themes and input contexts (typing Cyrillic with an input method)
QT_PLUGIN_DIRS = ("platforms", "platformthemes", "platforminputcontexts", "imageformats",
                  "iconengines", "styles", "xcbglintegrations", "wayland-shell-integration",
                  "wayland-decoration-client", "wayland-graphics-integration-client")


#: plugins of those folders left out: the GTK theme (it would bring GTK, cairo and pango
#: of the build machine; Qt's own style and the desktop portal serve instead) and the
#: platforms of machines without a desktop (framebuffer, EGL full screen, VNC)
QT_PLUGIN_SKIP = ("libqgtk3.so", "libqeglfs.so", "libqlinuxfb.so", "libqvnc.so",
                  "libqminimalegl.so", "libqvkkhrdisplay.so")


def app_modules(root: Path = ROOT) -> list[str]:
    """Every module of the ``app`` package, found from its files (not by importing it:
    the build must take this checkout's modules, whatever is installed)."""
    out = []
    for path in sorted((root / "app").rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        parts = list(rel.parts)
        if "versions" in parts:  # migration scripts: alembic reads them as files
            continue
        if parts[-1] == "__init__":
            parts.pop()
        out.append(".".join(parts))
    return out


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source file, folder inside the bundle) for every file of :data:`DATA_GLOBS`."""
    out = []
    for pattern, dest in DATA_GLOBS:
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                out.append((str(path), dest))
    return out


def missing_globs(root: Path = ROOT) -> list[str]:
    """The globs that match nothing (a build would silently miss those files)."""
    return [pattern for pattern, _ in DATA_GLOBS
            if not any(p.is_file() for p in root.glob(pattern))]


def version(root: Path = ROOT) -> str:
    """``__version__`` of app/__init__.py, read without importing the app."""
    tree = ast.parse((root / "app" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets):
            return str(ast.literal_eval(node.value))
    raise ValueError("app/__init__.py has no __version__")


def keep_binary(dest: str) -> bool:
    """Whether a Qt file PyInstaller's hooks collected belongs in the build: Qt's
    translations only for :data:`LANGUAGES`, plugins only of :data:`QT_PLUGIN_DIRS`."""
    parts = Path(dest).as_posix().split("/")
    if "translations" in parts and parts[-1].endswith(".qm") and "PySide6" in parts:
        # qtbase_pl.qm, qt_ru.qm...: only the window's languages
        return parts[-1][:-3].rsplit("_", 1)[-1] in LANGUAGES
    if "plugins" in parts and "PySide6" in parts:
        i = parts.index("plugins")
        return (len(parts) > i + 1 and parts[i + 1] in QT_PLUGIN_DIRS
                and parts[-1] not in QT_PLUGIN_SKIP)
    return True


if __name__ == "__main__":  # `python packaging/bundle.py version`: for the shell scripts
    import sys

    if sys.argv[1:] == ["version"]:
        print(version())
    else:
        raise SystemExit("usage: python packaging/bundle.py version")
