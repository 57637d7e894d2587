"""The WAL's checkpoints on a thread of their own (app/checkpointer.py): no commit of the
app checkpoints by itself, the thread copies a grown WAL into the file soon after, a
failed round is tried again, and closing the database ends the thread and leaves no WAL."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app import checkpointer as checkpointer_module
from app.db import open_database

pytestmark = pytest.mark.sqlite_only("the WAL checkpoints of the SQLite file")


def _wait(predicate, timeout_s: float = 15.0) -> bool:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _grow_wal(db, mib: int = 6) -> None:
    with db.session() as s:
        s.execute(text("CREATE TABLE IF NOT EXISTS ballast (b BLOB)"))
        s.execute(text("INSERT INTO ballast (b) VALUES (randomblob(:n))"),
                  [{"n": 64 * 1024}] * (mib * 16))


def test_the_app_never_checkpoints_inside_a_commit(db):
    with db.sessions() as s:
        assert s.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
    assert db.checkpointer is not None and db.checkpointer.alive


def test_a_grown_wal_is_checkpointed_beside_the_work(db):
    wal = Path(f"{db.path}-wal")
    _grow_wal(db)
    assert wal.stat().st_size > checkpointer_module.MIN_WAL_BYTES
    assert _wait(lambda: db.checkpointer.checkpoints >= 1)
    # the pages are in the file itself now: a reader that ignores the WAL sees them
    con = sqlite3.connect(f"{db.path.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        assert con.execute("SELECT count(*) FROM ballast").fetchone()[0] == 6 * 16
    finally:
        con.close()


def test_a_failed_round_is_tried_again(db, monkeypatch, caplog):
    real = db.checkpointer._connect
    calls: list[int] = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise sqlite3.OperationalError("database or disk is full")
        return real()

    monkeypatch.setattr(db.checkpointer, "_connect", flaky)
    _grow_wal(db)
    assert _wait(lambda: db.checkpointer.failures == 1)
    _grow_wal(db, 1)  # the next commit wakes it again
    assert _wait(lambda: db.checkpointer.checkpoints >= 1)
    assert "tried again later" in caplog.text


def test_closing_ends_the_thread_and_leaves_no_wal(tmp_path):
    db = open_database(tmp_path / "c.sqlite")
    _grow_wal(db)
    thread = db.checkpointer
    db.close()
    assert not thread.alive
    wal = Path(f"{tmp_path / 'c.sqlite'}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    again = open_database(tmp_path / "c.sqlite")
    try:
        with again.sessions() as s:
            assert s.execute(text("SELECT count(*) FROM ballast")).scalar() == 6 * 16
    finally:
        again.close()
