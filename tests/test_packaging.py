"""The packaged build's ingredients, checked without a build (issue 19): every file the
app reads at run time is matched by the spec's data list (packaging/bundle.py), every
module of app/ is a hidden import, the Qt filter keeps what the window needs, the
wheel's package list and data follow app/'s folders, and resources are found frozen."""

from __future__ import annotations

import ast
import configparser
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from setuptools import find_namespace_packages

import app
from app.services.demo import SUPPORTED_LOCALES
from app.ui import app as ui_app

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))
import bundle  # noqa: E402  (packaging/bundle.py: plain Python, no PyInstaller)


def _bundled() -> dict[str, set[str]]:
    """Folder inside the bundle -> the names of the files the spec puts there."""
    out: dict[str, set[str]] = {}
    for src, dest in bundle.data_files(ROOT):
        out.setdefault(dest, set()).add(Path(src).name)
    return out


def test_every_glob_of_the_data_list_matches_a_file():
    # in a checkout whose .qm files were not built this fails, as the spec itself does
    assert bundle.missing_globs(ROOT) == []


def test_every_translation_migration_and_name_day_table_is_bundled():
    bundled = _bundled()
    ts = sorted(p.stem for p in (ROOT / "resources" / "translations").glob("*.ts"))
    assert ts, "the .ts sources are there"
    assert {f"{stem}.qm" for stem in ts} <= bundled["resources/translations"]
    versions = {p.name for p in (ROOT / "app" / "migrations" / "versions").glob("*.py")}
    assert versions and versions <= bundled["app/migrations/versions"]
    assert "env.py" in bundled["app/migrations"]
    days = {p.name for p in (ROOT / "app" / "data" / "name_days").glob("*.json")}
    assert {"pl.json", "ru.json", "bg.json"} <= days <= bundled["app/data/name_days"]
    assert "clientcare-256.png" in bundled["resources/icons"]


def test_the_bundle_folders_are_where_the_app_looks():
    # app/sqlite_file.py and app/ui/app.py find them relative to their own modules,
    # which PyInstaller puts at the same places below sys._MEIPASS
    from app import sqlite_file
    from app.services import name_days
    assert sqlite_file.MIGRATIONS_DIR.relative_to(ROOT).as_posix() == "app/migrations"
    assert Path(name_days.__file__).parents[1].joinpath("data", "name_days").is_dir()
    assert ui_app.RESOURCES.relative_to(ROOT).as_posix() == "resources"


def test_every_module_of_app_is_a_hidden_import():
    modules = set(bundle.app_modules(ROOT))
    found = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
             for p in (ROOT / "app").rglob("*.py") if "versions" not in p.parts}
    assert modules == found
    assert {"app", "app.cli", "app.ui.smoke", "app.ui.about", "app.services.updates",
            "app.migrations.env"} <= modules
    assert not any(m.startswith("app.migrations.versions") for m in modules)


def test_the_qt_filter_keeps_the_window_s_plugins_and_languages():
    keep = bundle.keep_binary
    plugins = "PySide6/Qt/plugins"
    for name in ("platforms/libqxcb.so", "platforms/libqoffscreen.so",
                 "platforms/libqwayland.so", "platforms/qwindows.dll",
                 "imageformats/libqsvg.so", "iconengines/libqsvgicon.so",
                 "platformthemes/libqxdgdesktopportal.so", "xcbglintegrations/libqxcb-glx-integration.so"):
        assert keep(f"{plugins}/{name}"), name
    for name in ("platformthemes/libqgtk3.so", "platforms/libqvnc.so", "sqldrivers/libqsqlite.so",
                 "designer/libqwebengineview.so", "qmltooling/libqmldbg_debugger.so"):
        assert not keep(f"{plugins}/{name}"), name
    for lang in bundle.LANGUAGES:
        assert keep(f"PySide6/Qt/translations/qtbase_{lang}.qm")
    assert not keep("PySide6/Qt/translations/qtbase_de.qm")
    assert not keep("PySide6/Qt/translations/qt_zh_CN.qm")
    assert keep("resources/translations/clientcare_de.qm")  # ours are never filtered
    assert keep("scipy/special/_ufuncs.cpython-311-x86_64-linux-gnu.so")


def test_the_demo_s_locales_and_the_window_s_languages_are_bundled():
    assert set(SUPPORTED_LOCALES) <= set(bundle.FAKER_LOCALES)
    # a provider without the demo's locale falls back to its default_locale (bank:
    # en_GB): the packaged demo failed on it before it was listed
    import importlib
    import pkgutil

    import faker.providers
    fallbacks = set()
    for info in pkgutil.iter_modules(faker.providers.__path__):
        module = importlib.import_module(f"faker.providers.{info.name}")
        fallbacks.add(getattr(module, "default_locale", "") or "en_US")
    assert fallbacks <= set(bundle.FAKER_LOCALES), fallbacks
    languages = {p.stem.removeprefix("clientcare_")
                 for p in (ROOT / "resources" / "translations").glob("*.ts")}
    assert languages == set(bundle.LANGUAGES)


def test_the_spec_makes_a_window_program_and_a_console_program_in_one_folder():
    tree = ast.parse((ROOT / "packaging" / "clientcare.spec").read_text(encoding="utf-8"))
    exes = {}
    collect = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            kw = {k.arg: k.value for k in node.keywords}
            if node.func.id == "EXE":
                exes[ast.literal_eval(kw["name"])] = ast.literal_eval(kw["console"])
            elif node.func.id == "COLLECT":
                collect = node
    assert exes == {"clientcare": False, "clientcare-cli": True}
    assert collect is not None and [a.id for a in collect.args[:2]] == ["gui", "cli"]


def test_version_is_read_without_importing_the_app():
    assert bundle.version(ROOT) == app.__version__
    out = subprocess.run([sys.executable, str(ROOT / "packaging" / "bundle.py"), "version"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == app.__version__


def test_the_wheel_names_every_package_and_carries_the_resources():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    tool = meta["tool"]["setuptools"]
    found = set(find_namespace_packages(where=str(ROOT), include=["app*"]))
    found = {p for p in found if not p.startswith("app.resources")}
    assert set(tool["packages"]) == found | {"app.resources"}
    assert tool["package-dir"] == {"app.resources": "resources"}
    data = tool["package-data"]["app.resources"]
    assert "translations/*.qm" in data
    assert any((ROOT / "resources").glob(data[0]))


def test_resources_are_found_frozen_installed_and_in_the_checkout(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert ui_app._resources_dir() == tmp_path / "resources"
    monkeypatch.delattr(sys, "_MEIPASS")
    assert ui_app._resources_dir() == ROOT / "resources"
    # a wheel's install: resources/ is the package app.resources (pyproject.toml)
    installed = tmp_path / "site-packages" / "app"
    (installed / "resources" / "translations").mkdir(parents=True)
    (installed / "ui").mkdir()
    monkeypatch.setattr(ui_app, "__file__", str(installed / "ui" / "app.py"))
    assert ui_app._resources_dir() == installed / "resources"


def test_the_desktop_entry_starts_clientcare_with_its_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(ROOT / "packaging" / "clientcare.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert (d["Type"], d["Exec"], d["Icon"], d["Terminal"]) == (
        "Application", "clientcare", "clientcare", "false")
    assert d["Categories"].endswith(";")
    # the icon the entry names is installed by build_deb.sh from these files
    script = (ROOT / "packaging" / "build_deb.sh").read_text(encoding="utf-8")
    assert "hicolor" in script and "clientcare.desktop" in script


@pytest.mark.parametrize("script", ["build_deb.sh", "smoke.sh"])
def test_the_shell_scripts_parse(script):
    subprocess.run(["bash", "-n", str(ROOT / "packaging" / script)], check=True)


def test_the_icons_are_rendered_from_the_svg():
    from PySide6.QtGui import QImage
    for size in (16, 32, 48, 64, 128, 256, 512):
        image = QImage(str(ROOT / "resources" / "icons" / f"clientcare-{size}.png"))
        assert (image.width(), image.height()) == (size, size)
    assert (ROOT / "packaging" / "icons" / "clientcare.ico").stat().st_size > 0
    assert (ROOT / "packaging" / "icons" / "clientcare.icns").stat().st_size > 0
