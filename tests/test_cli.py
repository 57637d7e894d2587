"""The command line (main.py, app/cli.py): works without a display and without Qt."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_help_without_a_display():
    start = time.monotonic()
    done = run("--help", timeout=30)
    elapsed = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: clientcare")
    for word in ("--db", "--demo", "--lang", "--version", "demo"):
        assert word in done.stdout
    assert "PySide6" not in done.stderr
    assert elapsed < 10


def test_version_without_a_display():
    from app import __version__

    start = time.monotonic()
    done = run("--version", timeout=30)
    elapsed = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"ClientCare {__version__}"
    assert done.stdout.startswith("ClientCare 0.1")
    assert elapsed < 10


def test_demo_help():
    done = run("demo", "--help", timeout=30)
    assert done.returncode == 0, done.stderr
    for word in ("--clients", "--locale", "--seed", "--force"):
        assert word in done.stdout


def test_unknown_option_is_a_usage_error():
    done = run("--no-such-option", timeout=30)
    assert done.returncode == 2
    assert "usage:" in done.stderr


def _clients(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM clients").fetchone()[0]
    finally:
        con.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_demo_creates_a_database_and_refuses_to_overwrite_it(tmp_path):
    pytest.importorskip("app.services.demo")
    path = tmp_path / "demo" / "demo.sqlite"
    done = run("demo", str(path), "--clients", "20")
    assert done.returncode == 0, done.stderr
    assert path.is_file()
    assert _clients(path) == 20
    assert str(path) in done.stdout

    before = _digest(path)
    again = run("demo", str(path), "--clients", "5")
    assert again.returncode == 1
    assert "--force" in again.stderr
    assert _clients(path) == 20
    assert _digest(path) == before


def test_demo_refuses_a_file_that_is_not_a_database(tmp_path):
    pytest.importorskip("app.services.demo")
    path = tmp_path / "notes.sqlite"
    path.write_text("not a database\n")
    done = run("demo", str(path), "--clients", "3")
    assert done.returncode == 2
    assert done.stderr.startswith("clientcare: ")
    assert path.read_text() == "not a database\n"


def test_demo_needs_at_least_one_client(tmp_path):
    path = tmp_path / "demo.sqlite"
    done = run("demo", str(path), "--clients", "0", timeout=30)
    assert done.returncode == 2
    assert "--clients" in done.stderr
    assert not path.exists()
