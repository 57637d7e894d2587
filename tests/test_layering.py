"""The layers: services, the database and the command line never import Qt, so they run
(and are tested) on a machine without a screen. Only app/ui/ may use PySide6."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"

NON_UI_MODULES = [
    "app.services.clients", "app.services.settings", "app.services.validation",
    "app.services.name_days", "app.services.messages.sending",
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


# --------------------------------------------------------------------------- import cycles


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, package: str) -> list[str]:
    """Every module named by an import in ``tree``: at the top, inside functions and
    classes (a lazy import is an edge too); imports for type checkers only are not run."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.append(base)
            found.extend(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph(root: Path = APP) -> dict[str, set[str]]:
    """app module -> the app modules it imports (module-level and function-level)."""
    files = {_module_name(p, root.parent): p for p in root.rglob("*.py")
             if "__pycache__" not in p.parts}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for target in _imports(ast.parse(path.read_text(encoding="utf-8")), package):
            while target and target not in files:  # "from app.services import x"
                target = target.rpartition(".")[0]
            if target and target != name and target.startswith("app"):
                graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def test_no_import_cycle_among_app_modules():
    graph = import_graph()
    assert len(graph) >= 50 and "app.ui.main_window" in graph["app.ui.app"]
    assert find_cycle(graph) is None


def test_the_cycle_finder_sees_lazy_imports(tmp_path):
    # guards the test above: a circle closed by an import inside a function is found
    pkg = tmp_path / "app"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "db.py").write_text("def f():\n    from app.backups import copy\n")
    (pkg / "backups.py").write_text("from app import db\n")
    (pkg / "typed.py").write_text("from typing import TYPE_CHECKING\n"
                                  "if TYPE_CHECKING:\n    from app import db\n")
    graph = import_graph(pkg)
    assert graph["app.db"] == {"app.backups"} and graph["app.typed"] == set()
    assert find_cycle(graph) == ["app.backups", "app.db", "app.backups"]


def test_the_cli_and_the_window_share_use_cases_not_each_other():
    graph = import_graph()
    assert "app.cli" not in graph["app.ui.app"]
    assert not any(m.startswith("app.services") or m == "app.db"
                   for m in graph["app.sqlite_file"])
    assert "app.services.backups" not in graph["app.sqlite_file"]
    assert "app.db" not in graph["app.services.backups"]
