"""The GUI benchmark (bench/bench_gui.py) runs end to end at a small size: every action
it drives gives a figure and did what it should (checked in the database by the
benchmark). Its speed targets are judged at 100,000 clients, not here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: every row the benchmark must report (the start of each action's name)
EXPECTED = [
    "start-up, bare QMainWindow",
    "start-up to the painted client list",
    "start-up, the window code alone",
    "start-up, background start finished",
    "first start of the day",
    "idle, 1 s",
    *[f"switch to {page} ({when})" for when in ("first visit", "after the changes")
      for page in ("Today", "Calendar", "Complaints", "Charts", "Settings", "Clients")],
    "log a call (N on Today)",
    "open a card",
    "save a card",
    "sort a column",
    "import 200 rows",
    "export the clients",
    "integrity check",
    "restore a backup",
    "close the window",
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """The benchmark's 500-client database, built once for both tests."""
    return tmp_path_factory.mktemp("bench-cache")


def test_every_action_of_the_gui_benchmark_gives_a_figure(tmp_path, cache):
    out = tmp_path / "bench.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_gui.py"), "--clients", "500",
         "--import-rows", "200", "--repeat", "1", "--quiet-ms", "150",
         "--action-timeout", "40", "--cache", str(cache), "--json", str(out)],
        capture_output=True, text=True, timeout=150, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = json.loads(out.read_text(encoding="utf-8"))["actions"]
    names = [r["name"] for r in rows]
    for expected in EXPECTED:
        found = [r for r in rows if r["name"].startswith(expected)]
        assert len(found) == 1, f"{expected!r} not reported once in {names}"
        row = found[0]
        assert row["ok"], f"{row['name']}: {row['notes']}"
        assert isinstance(row["total_ms"], float) and row["total_ms"] >= 0, row
        if not row["name"].startswith(("start-up, bare", "start-up to the",
                                       "start-up, the window code")):
            assert isinstance(row["stall_ms"], float) and row["stall_ms"] >= 0, row
        assert row["ratio"] is not None, row
    assert len(rows) == len(EXPECTED), names
    assert "| log a call (N on Today)" in done.stdout  # the Markdown table is printed


def test_the_benchmark_runs_chosen_actions_and_profiles_their_stalls(tmp_path, cache):
    out = tmp_path / "bench.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_gui.py"), "--clients", "500",
         "--quiet-ms", "150", "--action-timeout", "40", "--cache", str(cache),
         "--only", "sort,export", "--profile-stalls", "1", "--json", str(out)],
        capture_output=True, text=True, timeout=150, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    names = [r["name"] for r in result["actions"]]
    assert names == ["idle, 1 s (noise floor)", "sort a column (12-month value)",
                     "export the clients (CSV)", "close the window"]  # no start-up
    assert all(r["ok"] for r in result["actions"]), result["actions"]
    # a 1 ms threshold: every hiccup is a stall, each with its samples and collections
    assert result["stalls"] and {"label", "ms", "collections", "stacks"} <= set(
        result["stalls"][0])
    assert "what ran during them (bench/stall_profiler.py)" in done.stdout
    assert "[GUI]" in done.stdout


def test_the_benchmark_refuses_an_unknown_action(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_gui.py"), "--only",
                           "charts,nonsense"], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path)
    assert done.returncode == 2 and "unknown nonsense" in done.stderr
