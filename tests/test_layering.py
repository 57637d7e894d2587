"""The layers: services, the database and the command line never import Qt, so they run
(and are tested) on a machine without a screen. Only app/ui/ may use PySide6."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"

NON_UI_MODULES = [
    "app.services.clients", "app.services.settings", "app.services.validation",
    "app.db", "app.models", "app.cli",
]

_PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps({
    "qt": sorted(m for m in sys.modules if m.startswith("PySide6") or m == "shiboken6"),
    "loaded": sorted(m for m in sys.argv[1:] if m in sys.modules),
}))
"""


def _import_in_fresh_interpreter(modules: list[str]) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    done = subprocess.run([sys.executable, "-c", _PROBE, *modules], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_non_ui_modules_do_not_import_qt():
    result = _import_in_fresh_interpreter(NON_UI_MODULES)
    assert result["loaded"] == sorted(NON_UI_MODULES)  # the probe really imported them
    assert result["qt"] == []


def test_the_probe_would_notice_qt():
    # guards the test above: importing a UI module must show up as PySide6 modules
    result = _import_in_fresh_interpreter(["PySide6.QtCore"])
    assert "PySide6.QtCore" in result["qt"]


def test_no_source_outside_app_ui_mentions_pyside6():
    ui = APP / "ui"
    scanned, offenders = 0, []
    for path in APP.rglob("*"):
        if not path.is_file() or ui in path.parents or "__pycache__" in path.parts:
            continue
        scanned += 1
        if b"PySide6" in path.read_bytes():
            offenders.append(str(path.relative_to(ROOT)))
    assert scanned >= 10  # the scan really looked at the services, models and migrations
    assert offenders == []


def test_ui_does_use_pyside6():
    # the scan above is meaningful only if the UI package is where Qt lives
    assert any("PySide6" in p.read_text(encoding="utf-8")
               for p in (APP / "ui").glob("*.py"))
