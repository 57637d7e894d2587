"""Crash safety: a process writing purchases is killed (SIGKILL) many times over; after
each kill the file opens, passes the full integrity check and holds every purchase whose
commit had returned (tests/crash_writer.py prints a key only after its commit)."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import integrity_check, open_database
from app.models import Purchase
from tests.conftest import depth

ROOT = Path(__file__).resolve().parents[1]
WRITER = ROOT / "tests" / "crash_writer.py"
KILLS = depth(8, 40)  # each kill lands at a random moment of the writer's commits


def _start(path: Path, tag: str) -> tuple[subprocess.Popen, list[str], threading.Thread,
                                          threading.Event]:
    proc = subprocess.Popen([sys.executable, str(WRITER), str(path), tag], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line == "ready\n":
                ready.set()
            elif line.endswith("\n"):  # a key cut off by the kill was never promised
                lines.append(line.rstrip("\n"))
        ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return proc, lines, reader, ready


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX only")
def test_sigkill_while_writing_purchases_loses_no_committed_purchase(tmp_path):
    path = tmp_path / "crash.sqlite"
    rng = random.Random(20260615)
    promised: set[str] = set()
    timings = []
    for run in range(KILLS):
        started = time.monotonic()
        proc, lines, reader, ready = _start(path, f"run{run}")
        assert ready.wait(30), "the writer did not start"
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.2, 1.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        reader.join(10)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
        proc.stderr.close()
        assert lines, f"run {run}: the writer committed nothing before the kill"
        promised.update(lines)

        # the file as the kill left it (with its -wal), then opened by the app
        assert integrity_check(path) == [], f"run {run}"
        database = open_database(path, create=False)
        try:
            with database.session() as s:
                stored = set(s.scalars(select(Purchase.import_key)))
                count = s.scalar(select(func.count()).select_from(Purchase))
        finally:
            database.close()
        assert integrity_check(path) == [], f"run {run}"
        missing = promised - stored
        assert not missing, f"run {run}: {len(missing)} committed purchase(s) lost, " \
                            f"e.g. {sorted(missing)[:3]}"
        assert count == len(stored)  # every row has its key; none written twice
        timings.append((time.monotonic() - started, len(lines)))
    assert len(promised) == sum(n for _, n in timings)
    print(f"\n{KILLS} kills, {len(promised)} purchases promised, "
          f"{sum(t for t, _ in timings):.1f} s")
