"""Opening the database (app/db.py): creation, checks that refuse a wrong file without
touching it, migrations, backups and pragmas."""

from __future__ import annotations

import os
import sqlite3
import warnings
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.exc import IntegrityError, SAWarning

from app import db as db_module
from app import sqlite_file
from app.config import backup_dir_for
from app.errors import DatabaseOpenError
from app.models import Base, Client, Purchase
from app.services import clients as client_service


def _revision(path: Path) -> str | None:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def _client_names(database: db_module.Database) -> list[str]:
    with database.session() as s:
        return list(s.scalars(select(Client.name).order_by(Client.id)))


def _open_error(path: Path, **kw) -> DatabaseOpenError:
    with pytest.raises(DatabaseOpenError) as info:
        db_module.open_database(path, **kw)
    return info.value


def _make_db(path: Path, clients: int = 0) -> None:
    database = db_module.open_database(path)
    try:
        with database.session() as s:
            for i in range(clients):
                client_service.save_client(s, client_service.ClientData(name=f"Client {i:04d}", notes="x" * 300),
                               region="PL")
    finally:
        database.close()


def _metadata_diff(connection) -> list:
    # the search index is an FTS5 table and its shadow tables (app/models/search_index.py),
    # not models: test_search_index.py checks it is the same in new and migrated files;
    # and the Charts page's and the calendar's kept figures are tables of triggers, not of
    # the models
    def not_search_index(name, type_, parent_names) -> bool:
        return not (type_ == "table" and name.startswith("client_search"))
    mc = MigrationContext.configure(connection, opts={
        "compare_type": True,
        "include_name": not_search_index,
        "include_object": lambda obj, name, type_, *_: not (
            type_ == "table" and str(name).startswith(("chart_", "calendar_")))})
    with warnings.catch_warnings():
        # SQLAlchemy does not reflect SQLite's expression indexes (lower(email), for the
        # import's look-ups): it says so; test_expression_indexes_are_in_every_file checks them
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based",
                                SAWarning)
        return compare_metadata(mc, Base.metadata)


# --------------------------------------------------------------------------- new and existing


def test_new_file_is_created_at_head(tmp_path):
    path = tmp_path / "new.sqlite"
    database = db_module.open_database(path)
    try:
        assert path.is_file()
        assert database.path == path.resolve()
        assert database.backup_made is None
        with database.session() as s:
            assert client_service.count_clients(s) == 0
    finally:
        database.close()
    assert _revision(path) == db_module.head_revision()
    assert db_module.head_revision() in db_module.known_revisions()


def test_new_file_has_every_table_of_the_models(tmp_path):
    path = tmp_path / "new.sqlite"
    db_module.open_database(path).close()
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert set(Base.metadata.tables) <= set(inspect(conn).get_table_names())
            assert _metadata_diff(conn) == []
    finally:
        engine.dispose()


def test_missing_parent_folder_is_created(tmp_path):
    path = tmp_path / "a" / "b" / "c" / "data.sqlite"
    database = db_module.open_database(path)
    database.close()
    assert path.is_file()
    assert _revision(path) == db_module.head_revision()


def test_create_false_refuses_a_missing_file(tmp_path):
    path = tmp_path / "missing.sqlite"
    assert _open_error(path, create=False).code == "db.missing"
    assert not path.exists()


def test_reopen_keeps_data(tmp_path):
    path = tmp_path / "data.sqlite"
    _make_db(path, clients=3)
    database = db_module.open_database(path)
    try:
        assert database.backup_made is None
        assert _client_names(database) == ["Client 0000", "Client 0001", "Client 0002"]
    finally:
        database.close()
    assert _revision(path) == db_module.head_revision()
    assert not backup_dir_for(path).exists()


def test_an_empty_file_is_treated_as_new(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    database = db_module.open_database(path)
    database.close()
    assert _revision(path) == db_module.head_revision()


# --------------------------------------------------------------------------- refused files


def test_text_file_is_not_a_database_and_is_left_alone(tmp_path):
    path = tmp_path / "notes.sqlite"
    content = b"Dear diary,\nthis is not a database.\n" * 50
    path.write_bytes(content)
    err = _open_error(path)
    assert err.code == "db.not_database"
    assert err.values["path"] == str(path.resolve())
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def _foreign_sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE foo (x INTEGER)")
    con.execute("INSERT INTO foo VALUES (42)")
    con.commit()
    con.close()


def test_sqlite_file_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    _foreign_sqlite(path)
    assert _open_error(path).code == "db.not_clientcare"
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT x FROM foo").fetchall() == [(42,)]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()
    assert tables == {"foo"}  # no ClientCare table was created in it


def test_sqlite_file_of_another_program_is_left_byte_for_byte(tmp_path):
    path = tmp_path / "other.sqlite"
    _foreign_sqlite(path)
    before = path.read_bytes()
    assert _open_error(path).code == "db.not_clientcare"
    assert path.read_bytes() == before


def test_file_of_a_newer_clientcare_is_refused_unchanged(tmp_path):
    path = tmp_path / "future.sqlite"
    _make_db(path, clients=2)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    before = path.read_bytes()
    err = _open_error(path)
    assert err.code == "db.newer"
    assert err.values["revision"] == "9999_future"
    assert path.read_bytes() == before
    assert _revision(path) == "9999_future"
    assert not backup_dir_for(path).exists()


def test_damaged_file_is_refused_unchanged(tmp_path):
    path = tmp_path / "damaged.sqlite"
    _make_db(path, clients=150)
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    assert len(data) > 8 * page_size  # enough pages for the damage to hit tables
    # keep page 1 (header and schema) intact, overwrite everything after it
    for i in range(page_size, len(data)):
        data[i] = (i * 131 + 7) % 251
    path.write_bytes(bytes(data))
    assert db_module.quick_check(path) != []
    err = _open_error(path)
    assert err.code == "db.damaged"
    assert path.read_bytes() == bytes(data)


def test_folder_is_refused(tmp_path):
    folder = tmp_path / "folder.sqlite"
    folder.mkdir()
    err = _open_error(folder)
    assert err.code == "db.is_folder"
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_read_only_folder(tmp_path):
    """A database in a folder nobody may write: a clear refusal, no file made. Root
    ignores permission bits, so as root the folder is /sys, which is read-only for
    everyone."""
    if os.geteuid() == 0:
        folder = Path("/sys")
        assert not os.access(folder / "clientcare-test.sqlite", os.F_OK)
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o555)
    target = folder / "clientcare-test.sqlite"
    try:
        err = _open_error(target)
        assert err.code in {"db.read_only", "db.no_permission", "db.cannot_open"}
        assert not target.exists()
    finally:
        if folder != Path("/sys"):
            folder.chmod(0o755)


# --------------------------------------------------------------------------- migrations


def test_migrations_on_an_empty_file_match_the_models(tmp_path):
    path = tmp_path / "migrated.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            command.upgrade(db_module.alembic_config(conn), "head")
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == \
                db_module.head_revision()
            assert _metadata_diff(conn) == []
    finally:
        engine.dispose()


def test_upgrade_from_the_first_revision_keeps_data(tmp_path):
    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            command.upgrade(db_module.alembic_config(conn), "0001")
            conn.exec_driver_sql(
                "INSERT INTO clients (kind, name, sort_name, search_text, phone, phone_digits) "
                "VALUES ('person', 'Old Client', 'old client', 'old client', "
                "'+48601234567', '48601234567')")
    finally:
        engine.dispose()
    assert _revision(path) == "0001"
    head = db_module.head_revision()

    database = db_module.open_database(path)
    try:
        assert _client_names(database) == ["Old Client"]
        with database.session() as s:
            cid = s.scalar(select(Client.id))
            data = client_service.load_client(s, cid)
            assert data.phone == "+48601234567"
            assert data.version == 1
            # the migrated file works with the current services
            data.notes = "after the upgrade"
            client_service.save_client(s, data, region="PL")
        with database.session() as s:
            assert s.scalar(select(func.count()).select_from(Client)) == 1
        backups = sorted(backup_dir_for(path).glob("*.sqlite")) \
            if backup_dir_for(path).exists() else []
        if head == "0001":
            assert database.backup_made is None
            assert backups == []
        else:
            assert database.backup_made is not None
            assert [b.resolve() for b in backups] == [database.backup_made.resolve()]
            assert database.backup_made.parent.resolve() == backup_dir_for(path).resolve()
            # the backup is the file as it was: old revision, same row
            assert _revision(database.backup_made) == "0001"
            con = sqlite3.connect(database.backup_made)
            try:
                assert con.execute("SELECT name FROM clients").fetchall() == [("Old Client",)]
            finally:
                con.close()
    finally:
        database.close()
    assert _revision(path) == head
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert _metadata_diff(conn) == []
    finally:
        engine.dispose()
    # opening again: nothing more to migrate, no new backup
    again = db_module.open_database(path)
    again.close()
    assert again.backup_made is None


# --------------------------------------------------------------------------- pragmas and checks


@pytest.mark.sqlite_only("SQLite's pragmas")
def test_session_connection_pragmas(db):
    with db.session() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_foreign_keys_are_enforced(db):
    with pytest.raises(IntegrityError), db.session() as s:
        s.add(Purchase(client_id=424242, purchased_on=date(2026, 1, 1), amount=Decimal("1")))
        s.flush()


def test_checks_on_a_healthy_file(tmp_path):
    path = tmp_path / "ok.sqlite"
    _make_db(path, clients=20)
    assert db_module.quick_check(path) == []
    assert db_module.integrity_check(path) == []


def test_checks_on_a_file_that_is_no_database(tmp_path):
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"x" * 4096)
    assert db_module.quick_check(path) != []
    assert db_module.integrity_check(path) != []


@pytest.mark.sqlite_only("a copy of the SQLite file (a server's backups are pg_dump's)")
def test_backup_to_copies_a_live_database(tmp_path, db):
    with db.session() as s:
        client_service.save_client(s, client_service.ClientData(name="Anna"), region="PL")
    target = db_module.backup_to(db.path, tmp_path / "copies" / "copy.sqlite")
    assert target.is_file()
    assert db_module.integrity_check(target) == []
    copy = db_module.open_database(target)
    try:
        assert _client_names(copy) == ["Anna"]
    finally:
        copy.close()


# --------------------------------------------------------------------------- never "damaged" by mistake


def _hold_exclusive(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=0)
    con.execute("PRAGMA locking_mode=EXCLUSIVE")
    con.execute("BEGIN EXCLUSIVE")
    con.execute("CREATE TABLE IF NOT EXISTS other_program (x)")
    return con


def test_a_locked_healthy_file_is_locked_not_damaged(tmp_path, monkeypatch):
    path = tmp_path / "shop.sqlite"
    _make_db(path, clients=3)
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 100)
    holder = _hold_exclusive(path)
    try:
        assert _open_error(path).code == "db.locked"
        with pytest.raises(DatabaseOpenError) as info:
            db_module.integrity_check(path)
        assert info.value.code == "db.locked"
        with pytest.raises(DatabaseOpenError) as info:
            db_module.inspect_read_only(path)
        assert info.value.code == "db.locked"
    finally:
        holder.rollback()
        holder.close()
    assert db_module.integrity_check(path) == []


@pytest.mark.parametrize(("message", "code"), [
    ("unable to open database file", "db.cannot_open"),
    ("attempt to write a readonly database", "db.read_only"),
    ("database is locked", "db.locked"),
    ("disk I/O error", "db.io"),
])
def test_a_file_that_cannot_be_read_now_is_not_damaged(tmp_path, monkeypatch, message, code):
    path = tmp_path / "shop.sqlite"
    _make_db(path)
    before = path.read_bytes()
    real = sqlite3.connect

    def connect(target, *a, **k):
        if str(target).startswith("file:"):
            raise sqlite3.OperationalError(message)
        return real(target, *a, **k)

    monkeypatch.setattr(db_module.sqlite3, "connect", connect)
    assert _open_error(path).code == code
    monkeypatch.setattr(db_module.sqlite3, "connect", real)
    assert path.read_bytes() == before


def test_only_real_damage_is_damage():
    assert db_module.classify(sqlite3.DatabaseError("database disk image is malformed")) == "damaged"
    assert db_module.classify(sqlite3.DatabaseError("file is not a database")) == "damaged"
    for text, kind in (("database is locked", "locked"), ("database table is locked", "locked"),
                       ("attempt to write a readonly database", "read_only"),
                       ("unable to open database file", "cannot_open"),
                       ("database or disk is full", "disk_full")):
        assert db_module.classify(sqlite3.OperationalError(text)) == kind


def test_write_errors_become_the_translated_messages():
    assert db_module.write_error(sqlite3.OperationalError("database is locked")).code == \
        "db.locked_write"
    assert db_module.write_error(sqlite3.OperationalError("attempt to write a readonly "
                                                    "database")).code == "db.read_only_write"
    assert db_module.write_error(sqlite3.OperationalError("database or disk is full")).code == \
        "db.disk_full"


# --------------------------------------------------------------------------- durability and changes


@pytest.mark.sqlite_only("the SQLite file's durability")
def test_commits_are_durable_on_power_loss(db):
    with db.session() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


@pytest.mark.sqlite_only("the change token of the SQLite file (its start-of-day watch); a server's start looks at everything")
def test_every_change_writes_a_new_change_token_and_a_read_does_not(db):
    assert db_module.change_token(db.path) is None or isinstance(db_module.change_token(db.path), int)
    with db.session() as s:
        client_service.save_client(s, client_service.ClientData(name="Anna"), region="PL")
    first = db_module.change_token(db.path)
    assert first
    with db.session() as s:  # reading only
        assert s.scalar(select(func.count()).select_from(Client)) == 1
    assert db_module.change_token(db.path) == first
    with db.session() as s:
        client_service.save_client(s, client_service.ClientData(name="Bartek"), region="PL")
    assert db_module.change_token(db.path) not in (None, first)
    with db.engine.begin() as conn:  # a bulk statement outside the ORM counts too
        conn.exec_driver_sql("UPDATE clients SET notes = 'x'")
    assert db_module.change_token(db.path) not in (None, first)


def test_inspect_read_only_refuses_what_open_refuses(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"hello" * 100)
    with pytest.raises(DatabaseOpenError) as info:
        db_module.inspect_read_only(junk)
    assert info.value.code == "db.not_database"
    with pytest.raises(DatabaseOpenError) as info:
        db_module.inspect_read_only(tmp_path / "missing.sqlite")
    assert info.value.code == "db.missing"
    assert not (tmp_path / "missing.sqlite").exists()


def _hot_journal(path: Path) -> bytes:
    """The file as a writer killed mid-transaction leaves it: a DELETE-journal database
    with a hot journal (the copy is taken while the transaction is open)."""
    live = path.with_name("live.sqlite")
    _make_db(live, clients=30)
    con = sqlite3.connect(live, isolation_level=None)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("PRAGMA cache_size=2")
    con.execute("BEGIN")
    con.execute("UPDATE clients SET notes = hex(randomblob(400))")
    path.write_bytes(live.read_bytes())
    Path(f"{path}-journal").write_bytes(Path(f"{live}-journal").read_bytes())
    con.execute("ROLLBACK")
    con.close()
    return path.read_bytes()


def test_a_file_left_mid_save_is_recovered_at_open_not_called_damaged(tmp_path):
    path = tmp_path / "shop.sqlite"
    _hot_journal(path)
    assert Path(f"{path}-journal").exists()
    database = db_module.open_database(path, create=False)
    try:
        assert len(_client_names(database)) == 30  # the last committed state
    finally:
        database.close()
    assert db_module.integrity_check(path) == []


def test_check_refuses_a_file_left_mid_save_and_changes_nothing(tmp_path):
    path = tmp_path / "shop.sqlite"
    before = _hot_journal(path)
    journal = Path(f"{path}-journal").read_bytes()
    with pytest.raises(DatabaseOpenError) as info:
        db_module.integrity_check(path)
    assert info.value.code == "db.needs_recovery"
    assert path.read_bytes() == before
    assert Path(f"{path}-journal").read_bytes() == journal


def test_the_revisions_read_without_alembic_are_alembics_own():
    """Opening reads the head revision from the scripts' lines (alembic is imported only
    to create or migrate a file); it must say what alembic itself says."""
    from alembic.script import ScriptDirectory
    scripts = ScriptDirectory.from_config(sqlite_file.alembic_config())
    assert sqlite_file.head_revision() == scripts.get_current_head()
    assert sqlite_file.known_revisions() == {s.revision for s in scripts.walk_revisions()}
    assert sqlite_file.revisions() == {s.revision: s.down_revision
                                       for s in scripts.walk_revisions()}


def test_opening_an_up_to_date_file_imports_no_alembic(tmp_path):
    import subprocess
    import sys
    path = tmp_path / "shop.sqlite"
    db_module.open_database(path).close()
    probe = ("import sys; from app.db import open_database; "
             f"open_database({str(path)!r}).close(); "
             "print(any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
