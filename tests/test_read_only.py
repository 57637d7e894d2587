"""Opening a database read-only (app/db.py: open_read_only): nothing in the file or its
folder changes, whatever the app does (issue 7, "Never replace good data").

Tests run as root, whom permission bits do not stop; so what is proved here is that the
read-only open itself writes nothing (SQLite's mode=ro), and the "is it writable" probe
is replaced where a read-only file or folder is simulated."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app import db as db_module
from app.db import open_database, open_read_only, write_error
from app.errors import DatabaseOpenError
from app.services import clients as client_service
from app.services import erasure


def _state(folder: Path) -> dict[str, str]:
    """Every file of the folder (recursively) and its hash."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def closed_file(tmp_path) -> Path:
    """A healthy database with two clients, closed (as it sits on a read-only stick)."""
    folder = tmp_path / "stick"
    path = folder / "shop.sqlite"
    db = open_database(path)
    with db.session() as s:
        for name in ("Anna Nowak", "Bartek Lis"):
            client_service.save_client(s, client_service.ClientData(name=name), region="PL")
    db.close()
    return path


def test_the_probe_names_a_read_only_file_or_folder(tmp_path, monkeypatch):
    path = tmp_path / "shop.sqlite"
    assert db_module.not_writable(path) is None  # no file yet: nothing to say
    path.write_bytes(b"x")
    assert db_module.not_writable(path) is None
    real = os.access
    monkeypatch.setattr(db_module.os, "access", lambda p, mode: Path(p) != path and real(p, mode))
    assert db_module.not_writable(path) == "file"
    monkeypatch.setattr(db_module.os, "access", lambda p, mode: Path(p) != tmp_path)
    assert db_module.not_writable(path) == "folder"


def test_read_only_reads_and_refuses_every_write_leaving_the_folder_as_it_was(closed_file):
    before = _state(closed_file.parent)
    db = open_read_only(closed_file, reason="folder")
    try:
        assert db.read_only and db.read_only_reason == "folder"
        with db.sessions() as s:
            names = s.execute(text("SELECT name FROM clients ORDER BY name")).scalars().all()
        assert names == ["Anna Nowak", "Bartek Lis"]
        with pytest.raises(OperationalError) as info, db.session() as s:
            client_service.save_client(s, client_service.ClientData(name="Celina"), region="PL")
        assert write_error(info.value).code == "db.read_only_write"
    finally:
        db.close()
    assert _state(closed_file.parent) == before  # no -wal, -shm, backup, token or journal


def test_an_older_schema_is_refused_read_only_not_updated(closed_file):
    con = sqlite3.connect(closed_file)
    con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.commit()
    con.close()
    before = _state(closed_file.parent)
    with pytest.raises(DatabaseOpenError) as info:
        open_read_only(closed_file)
    assert info.value.code == "db.older_read_only"
    assert _state(closed_file.parent) == before


def test_a_newer_schema_is_refused_read_only(closed_file):
    con = sqlite3.connect(closed_file)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    before = _state(closed_file.parent)
    with pytest.raises(DatabaseOpenError) as info:
        open_read_only(closed_file)
    assert info.value.code == "db.newer"
    assert _state(closed_file.parent) == before


def test_a_file_that_is_not_clientcare_is_refused_read_only(tmp_path):
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (t TEXT)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseOpenError) as info:
        open_read_only(other)
    assert info.value.code == "db.not_clientcare"


def test_a_person_owed_an_erasure_is_never_shown_read_only(closed_file):
    """The log beside the file says client 1 was erased at their request, but this file
    (a backup copied back by hand) still holds them: read-only cannot erase them again,
    so it refuses rather than show them."""
    erasure.write_log(closed_file, {1: date(2026, 11, 1)})
    before = _state(closed_file.parent)
    with pytest.raises(DatabaseOpenError) as info:
        open_read_only(closed_file)
    assert info.value.code == "db.erasure_owed_read_only"
    assert _state(closed_file.parent) == before


def test_a_wal_database_in_a_read_only_folder_opens_immutable(closed_file, monkeypatch):
    """In a read-only folder SQLite cannot create the -shm a WAL file needs ("unable to
    open"): with no -wal beside it every page is in the file, so it is read immutable."""
    real = sqlite3.connect
    tried: list[str] = []

    def connect(target, *a, **k):
        tried.append(str(target))
        if "mode=ro" in str(target) and "immutable" not in str(target):
            raise sqlite3.OperationalError("unable to open database file")
        return real(target, *a, **k)

    monkeypatch.setattr(db_module.sqlite3, "connect", connect)
    before = _state(closed_file.parent)
    db = open_read_only(closed_file, reason="folder")
    try:
        with db.sessions() as s:
            assert s.execute(text("SELECT count(*) FROM clients")).scalar() == 2
    finally:
        db.close()
    assert any("immutable=1" in t for t in tried)
    assert _state(closed_file.parent) == before


def test_with_a_wal_holding_pages_it_is_not_read_immutable(closed_file, monkeypatch):
    """A -wal with pages holds commits the file has not: immutable would show old data,
    so that case is refused as "cannot be opened"."""
    Path(f"{closed_file}-wal").write_bytes(b"\0" * 32)
    real = sqlite3.connect

    def connect(target, *a, **k):
        if "mode=ro" in str(target):
            raise sqlite3.OperationalError("unable to open database file")
        return real(target, *a, **k)

    monkeypatch.setattr(db_module.sqlite3, "connect", connect)
    with pytest.raises(DatabaseOpenError) as info:
        open_read_only(closed_file)
    assert info.value.code == "db.cannot_open"


def test_copy_to_another_folder_copies_and_leaves_the_original(closed_file, tmp_path):
    before = _state(closed_file.parent)
    target = tmp_path / "mine" / "shop.sqlite"
    target.parent.mkdir()
    db_module.copy_read_only(closed_file, target)
    assert _state(closed_file.parent) == before
    db = open_database(target)
    try:
        with db.sessions() as s:
            assert s.execute(text("SELECT count(*) FROM clients")).scalar() == 2
    finally:
        db.close()
    with pytest.raises(DatabaseOpenError) as info:  # never over an existing file
        db_module.copy_read_only(closed_file, target)
    assert info.value.code == "db.copy_exists"
