"""Backups (app/services/backups.py): making them (atomically, while the database is
open), listing and rotating them, checking a file before a restore, and restoring."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.config import backup_dir_for
from app.db import open_database
from app.errors import DomainError
from app.models import Client
from app.services import backups as backup_service
from app.services import clients as client_service

pytestmark = pytest.mark.sqlite_only("the backups are copies of the SQLite file; a server's "
                                     "are pg_dump's (tests/ui/test_office_window.py)")

T0 = datetime(2026, 6, 15, 9, 5, 7)


# --------------------------------------------------------------------------- helpers


def _counts(path: Path) -> tuple[int, int]:
    """(clients, purchases) of a database file, read with plain sqlite3 (a read-write
    connection, so that the copies' WAL side files are removed again on close)."""
    con = sqlite3.connect(path)
    try:
        return (con.execute("SELECT count(*) FROM clients").fetchone()[0],
                con.execute("SELECT count(*) FROM purchases").fetchone()[0])
    finally:
        con.close()


def _names(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT name FROM clients ORDER BY id")]
    finally:
        con.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _folder(db_path: Path) -> list[str]:
    folder = backup_dir_for(db_path)
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _shop(make_client) -> None:
    """Two clients with three purchases between them."""
    make_client("Anna Nowak", purchases=[(date(2026, 1, 10), "100"), (date(2026, 6, 2), "50")])
    make_client("Bob Smith", purchases=[(date(2026, 6, 5), "200")])


def _big_file(path: Path, clients: int = 150) -> Path:
    """A closed ClientCare file of a few hundred pages."""
    database = open_database(path)
    try:
        with database.session() as s:
            for i in range(clients):
                client_service.save_client(s, client_service.ClientData(name=f"Client {i:04d}", notes="n" * 400),
                               region="PL")
    finally:
        database.close()
    return path


def _corrupt_middle(path: Path, pages: int = 6, seed: int = 7) -> None:
    """Overwrite whole pages in the middle of the file with random bytes (same size)."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    n = len(data) // page_size
    assert n > pages * 3, "the file is too small to damage its middle"
    first = n // 2 - pages // 2
    rng = random.Random(seed)
    for i in range(first, first + pages):
        data[i * page_size:(i + 1) * page_size] = rng.randbytes(page_size)
    path.write_bytes(bytes(data))


def _info(db_name: str, kind: str, made: datetime, folder: Path = Path("/nowhere")):
    stamp = made.strftime(backup_service.STAMP)
    return backup_service.BackupInfo(folder / f"{db_name}-{kind}-{stamp}.sqlite", kind, made, 1)


# --------------------------------------------------------------------------- make_backup


def test_make_backup_name_and_content(db, make_client):
    _shop(make_client)
    info = backup_service.make_backup(db.path, "manual", now=T0.replace(microsecond=123456))
    assert info.path == backup_dir_for(db.path) / "test-manual-20260615-090507-0001.sqlite"
    assert info.path.parent == db.path.parent / "backups"
    assert (info.kind, info.made_at) == ("manual", T0)
    assert not info.automatic
    assert info.path.is_file()
    assert info.size == info.path.stat().st_size > 0
    assert _counts(info.path) == _counts(db.path) == (2, 3)
    assert _names(info.path) == ["Anna Nowak", "Bob Smith"]
    assert not [n for n in _folder(db.path) if n.endswith(".partial")]
    # the copy is a whole ClientCare database the app can open
    copy = open_database(info.path, create=False)
    try:
        with copy.session() as s:
            assert client_service.count_clients(s) == 2
    finally:
        copy.close()


@pytest.mark.parametrize("kind", ["start", "exit", "import"])
def test_automatic_kinds(db, kind):
    info = backup_service.make_backup(db.path, kind, now=T0)
    assert info.automatic
    assert info.path.name == f"test-{kind}-20260615-090507-0001.sqlite"


def test_backup_of_an_open_wal_database_holds_the_last_commit(db, make_client):
    anna = make_client("Anna Nowak")
    with db.sessions() as s:
        assert s.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    with db.session() as s:
        client_service.add_purchase(s, anna, client_service.PurchaseData(purchased_on=date(2026, 6, 14),
                                                 amount=Decimal("42.00"),
                                                 note="just before the backup"))
    # the purchase is committed to the write-ahead log, not yet to the main file
    wal = Path(f"{db.path}-wal")
    assert wal.is_file() and wal.stat().st_size > 0
    # and the database stays open (a connection in the pool) while the copy is made
    with db.sessions() as s:
        s.execute(select(Client.id)).all()
        info = backup_service.make_backup(db.path, "start", now=T0)
    assert _counts(info.path) == (1, 1)
    con = sqlite3.connect(info.path)
    try:
        assert con.execute("SELECT note, amount FROM purchases").fetchall() == [
            ("just before the backup", 42)]
    finally:
        con.close()
    # the copy stands alone: no -wal of its own is needed to see the purchase
    assert not Path(f"{info.path}-wal").exists() or Path(f"{info.path}-wal").stat().st_size == 0


def test_two_backups_in_the_same_second_are_both_kept(db, make_client):
    make_client("Anna Nowak")
    first = backup_service.make_backup(db.path, "start", now=T0)
    make_client("Bob Smith")
    second = backup_service.make_backup(db.path, "start", now=T0)
    third = backup_service.make_backup(db.path, "start", now=T0)
    # each backup has its number: the order they were made in, whatever the clock says
    assert first.path.name == "test-start-20260615-090507-0001.sqlite"
    assert second.path.name == "test-start-20260615-090507-0002.sqlite"
    assert third.path.name == "test-start-20260615-090507-0003.sqlite"
    assert [b.order for b in backup_service.list_backups(db.path)] == [3, 2, 1]
    assert all(b.path.is_file() for b in (first, second, third))
    assert _counts(first.path) == (1, 0)
    assert _counts(second.path) == _counts(third.path) == (2, 0)
    listed = backup_service.list_backups(db.path)
    assert {b.path for b in listed} == {first.path, second.path, third.path}
    assert {(b.kind, b.made_at) for b in listed} == {("start", T0)}


def test_same_second_backups_are_listed_newest_first(db, make_client):
    """The ".1" backup was made after the plain one: it is the newer, and rotation must
    keep it rather than the older copy."""
    make_client("Anna Nowak")
    first = backup_service.make_backup(db.path, "start", now=T0)
    make_client("Bob Smith")
    second = backup_service.make_backup(db.path, "start", now=T0)
    assert [b.path for b in backup_service.list_backups(db.path)] == [second.path, first.path]
    backup_service.rotate(db.path, keep_daily=1, keep_weekly=0)
    assert [b.path for b in backup_service.list_backups(db.path)] == [second.path]
    assert _counts(second.path) == (2, 0)


# --------------------------------------------------------------------------- copy_database


def test_copy_database_is_atomic_and_whole(db, make_client, tmp_path):
    _shop(make_client)
    target = tmp_path / "out" / "deep" / "copy.sqlite"
    assert backup_service.copy_database(db.path, target) == target
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.sqlite"]
    assert _counts(target) == (2, 3)


def test_copy_database_into_a_folder_that_is_a_file_fails_cleanly(db, tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    target = blocker / "copy.sqlite"
    with pytest.raises(DomainError) as info:
        backup_service.copy_database(db.path, target)
    assert info.value.code == "backup.failed"
    assert blocker.read_text() == "not a folder"
    assert not list(tmp_path.rglob("*.partial"))


def test_copy_database_onto_a_folder_fails_and_leaves_no_partial(db, tmp_path):
    target = tmp_path / "out" / "copy.sqlite"
    target.mkdir(parents=True)  # the final rename cannot replace a folder
    with pytest.raises(DomainError) as info:
        backup_service.copy_database(db.path, target)
    assert info.value.code == "backup.failed"
    assert str(target) in str(info.value)
    assert target.is_dir()
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.sqlite"]


def test_copy_database_of_a_file_that_is_no_database_fails_and_leaves_nothing(tmp_path):
    source = tmp_path / "junk.sqlite"
    source.write_bytes(random.Random(1).randbytes(8192))
    target = tmp_path / "out" / "copy.sqlite"
    with pytest.raises(DomainError) as info:
        backup_service.copy_database(source, target)
    assert info.value.code == "backup.failed"
    assert list(target.parent.iterdir()) == []


def test_backup_of_a_missing_database_fails_and_creates_nothing(tmp_path):
    """sqlite3.connect would create an empty file at the database's path, and a backup of
    that empty file would look like a good one."""
    path = tmp_path / "missing.sqlite"
    with pytest.raises(DomainError) as info:
        backup_service.make_backup(path, "manual", now=T0)
    assert info.value.code == "backup.failed"
    assert not list(tmp_path.rglob("*.sqlite"))
    assert not path.exists()


# --------------------------------------------------------------------------- list_backups


def test_list_backups_newest_first_with_kinds_and_foreign_files_ignored(tmp_path):
    db_path = tmp_path / "test.sqlite"
    folder = backup_dir_for(db_path)
    folder.mkdir()
    ours = {
        "test-start-20260601-080000.sqlite": ("start", datetime(2026, 6, 1, 8, 0, 0)),
        "test-exit-20260601-180000.sqlite": ("exit", datetime(2026, 6, 1, 18, 0, 0)),
        "test-import-20260602-120000.sqlite": ("import", datetime(2026, 6, 2, 12, 0, 0)),
        "test-manual-20260603-101010.sqlite": ("manual", datetime(2026, 6, 3, 10, 10, 10)),
        "test-before-0003-20260604-000001.sqlite": ("before-0003",
                                                    datetime(2026, 6, 4, 0, 0, 1)),
        "test-before-restore-20260605-235959.sqlite": ("before-restore",
                                                       datetime(2026, 6, 5, 23, 59, 59)),
    }
    foreign = [
        "notes.txt",
        "test.sqlite",
        "other-start-20260610-080000.sqlite",  # another database's backup
        "test-start-20261301-080000.sqlite",  # no 13th month
        "test-start-20260610-0800.sqlite",  # a short stamp
        "test-start-20260610-080000.sqlite.partial",  # a copy cut short
        "test-start-20260601-080000.sqlite-wal",
        "test-start-20260601-080000.sqlite-shm",
        "test-Start-20260610-080000.sqlite",
        "test-start-20260610-080000.db",
    ]
    for name in [*ours, *foreign]:
        (folder / name).write_bytes(b"x" * 10)
    (folder / "test-manual-20260620-080000.sqlite").mkdir()  # a folder, not a backup
    got = backup_service.list_backups(db_path)
    assert [b.path.name for b in got] == [
        "test-before-restore-20260605-235959.sqlite",
        "test-before-0003-20260604-000001.sqlite",
        "test-manual-20260603-101010.sqlite",
        "test-import-20260602-120000.sqlite",
        "test-exit-20260601-180000.sqlite",
        "test-start-20260601-080000.sqlite",
    ]
    for b in got:
        assert (b.kind, b.made_at) == ours[b.path.name]
        assert b.path == folder / b.path.name
        assert b.size == 10
    assert [b.automatic for b in got] == [False, False, False, True, True, True]


def test_list_backups_without_a_folder(tmp_path):
    assert backup_service.list_backups(tmp_path / "test.sqlite") == []
    assert backup_service.rotate(tmp_path / "test.sqlite") == []
    assert backup_service.newest_good_backup(tmp_path / "test.sqlite") is None


def test_list_backups_ignores_the_backups_of_another_database_in_the_same_folder(tmp_path):
    """shop.sqlite and shop-old.sqlite share the backups folder; a backup of shop-old is
    not a backup of shop (its kind would read "old-start", and newest_good_backup would
    offer another database's data for a restore)."""
    db_path = tmp_path / "shop.sqlite"
    folder = backup_dir_for(db_path)
    folder.mkdir()
    (folder / "shop-start-20260601-080000.sqlite").write_bytes(b"x")
    (folder / "shop-old-start-20260610-080000.sqlite").write_bytes(b"x")
    assert [b.path.name for b in backup_service.list_backups(db_path)] == [
        "shop-start-20260601-080000.sqlite"]


# --------------------------------------------------------------------------- rotation

# 30 days, Monday 2026-03-02 .. Tuesday 2026-03-31, a "start" backup at 08:00 and an
# "exit" backup at 18:00 every day (60 automatic backups), plus one "import" on 03-10 at
# 12:00 and three the user keeps: manual 03-03, before-0003 03-04, before-restore 03-05.
# ISO weeks: W10 = 03-02..03-08, W11 = 03-09..03-15, W12 = 03-16..03-22,
#            W13 = 03-23..03-29, W14 = 03-30..04-05.
# keep_daily=7: the newest of each of the last 7 days  -> exit 03-25 .. exit 03-31 (7)
# keep_weekly=4: the newest of each of the last 4 weeks -> W14 exit 03-31 (already kept),
#   W13 exit 03-29 (already kept), W12 exit 03-22, W11 exit 03-15; W10 is too old.
# Survivors: 9 exits (03-15, 03-22, 03-25..03-31) + the 3 kept by hand; all 30 starts,
# the import and the other 21 exits go: 52 removed.

DAYS = [date(2026, 3, 2) + timedelta(days=i) for i in range(30)]
KEPT_BY_HAND = [("manual", datetime(2026, 3, 3, 9, 0, 0)),
                ("before-0003", datetime(2026, 3, 4, 9, 0, 0)),
                ("before-restore", datetime(2026, 3, 5, 9, 0, 0))]
SURVIVING_EXITS = [date(2026, 3, 15), date(2026, 3, 22),
                   *[date(2026, 3, d) for d in range(25, 32)]]


def _month_of_backups(folder: Path = Path("/nowhere")) -> list[backup_service.BackupInfo]:
    items = []
    for d in DAYS:
        items.append(_info("test", "start", datetime.combine(d, datetime.min.time())
                           .replace(hour=8), folder))
        items.append(_info("test", "exit", datetime.combine(d, datetime.min.time())
                           .replace(hour=18), folder))
    items.append(_info("test", "import", datetime(2026, 3, 10, 12, 0, 0), folder))
    items += [_info("test", kind, made, folder) for kind, made in KEPT_BY_HAND]
    return sorted(items, key=lambda b: b.made_at, reverse=True)


def _survivors(folder: Path = Path("/nowhere")) -> set[str]:
    exits = {_info("test", "exit", datetime.combine(d, datetime.min.time()).replace(hour=18),
                   folder).path.name for d in SURVIVING_EXITS}
    hand = {_info("test", kind, made, folder).path.name for kind, made in KEPT_BY_HAND}
    return exits | hand


def test_to_remove_keeps_7_days_and_4_weeks():
    backups = _month_of_backups()
    assert len(backups) == 64
    removed = backup_service.to_remove(backups, keep_daily=7, keep_weekly=4)
    assert len(removed) == 52
    kept = {b.path.name for b in backups} - {b.path.name for b in removed}
    assert kept == _survivors()
    assert len(kept) == 12
    assert not [b for b in removed if not b.automatic]
    assert "test-import-20260310-120000.sqlite" in {b.path.name for b in removed}
    # the order of the result follows the input: newest first
    assert removed == sorted(removed, key=lambda b: b.made_at, reverse=True)


def test_rotate_removes_exactly_those_files(tmp_path):
    db_path = tmp_path / "test.sqlite"
    folder = backup_dir_for(db_path)
    folder.mkdir()
    for b in _month_of_backups(folder):
        b.path.write_bytes(b"x")
    (folder / "notes.txt").write_text("mine")
    removed = backup_service.rotate(db_path, keep_daily=7, keep_weekly=4)
    assert len(removed) == 52
    assert set(_folder(db_path)) == _survivors(folder) | {"notes.txt"}
    assert not any(p.exists() for p in removed)
    # a second rotation finds nothing more to remove
    assert backup_service.rotate(db_path, keep_daily=7, keep_weekly=4) == []


def test_rotation_never_removes_backups_kept_by_hand_and_always_keeps_the_newest():
    backups = _month_of_backups()
    removed = backup_service.to_remove(backups, keep_daily=1, keep_weekly=0)
    kept = {b.path.name for b in backups} - {b.path.name for b in removed}
    newest = "test-exit-20260331-180000.sqlite"
    assert kept == {newest} | {_info("test", k, m).path.name for k, m in KEPT_BY_HAND}
    # only hand-kept backups and one old automatic one: the automatic one is the newest
    # of them all and stays, however old it is
    old = [_info("test", "start", datetime(2025, 1, 1, 8, 0, 0)),
           _info("test", "import", datetime(2024, 12, 1, 8, 0, 0))]
    hand = [_info("test", k, m) for k, m in KEPT_BY_HAND]
    everything = sorted([*old, *hand], key=lambda b: b.made_at, reverse=True)
    assert backup_service.to_remove(everything, keep_daily=1, keep_weekly=0) == [old[1]]
    assert backup_service.to_remove(hand, keep_daily=1, keep_weekly=0) == []
    assert backup_service.to_remove([], keep_daily=7, keep_weekly=4) == []


def test_rotation_keeps_the_newest_backup_of_each_day_not_the_first():
    # three backups a day for 10 days: keep_daily=3 keeps the 18:00 exit of the last 3
    items = []
    for i in range(10):
        d = datetime(2026, 5, 1 + i)
        items += [_info("test", "start", d.replace(hour=8)),
                  _info("test", "import", d.replace(hour=12)),
                  _info("test", "exit", d.replace(hour=18))]
    items.sort(key=lambda b: b.made_at, reverse=True)
    removed = backup_service.to_remove(items, keep_daily=3, keep_weekly=0)
    kept = sorted(b.made_at for b in items if b not in removed)
    # and the backup taken before the import on the newest day (its path was shown)
    assert kept == [datetime(2026, 5, 8, 18), datetime(2026, 5, 9, 18),
                    datetime(2026, 5, 10, 12), datetime(2026, 5, 10, 18)]


# --------------------------------------------------------------------------- check_backup


def test_check_backup_of_a_good_file(db, make_client):
    _shop(make_client)
    info = backup_service.make_backup(db.path, "manual", now=T0)
    assert backup_service.check_backup(info.path) == []


def test_check_backup_leaves_no_side_files(db, make_client):
    """Checking a backup only reads it: no -wal/-shm is left beside it in the folder
    (rotation deletes the .sqlite only, so such files would stay for ever)."""
    _shop(make_client)
    info = backup_service.make_backup(db.path, "manual", now=T0)
    before = _folder(db.path)
    assert backup_service.check_backup(info.path) == []
    assert _folder(db.path) == before == [info.path.name]


def test_check_backup_of_random_bytes(tmp_path):
    path = tmp_path / "random.sqlite"
    path.write_bytes(random.Random(3).randbytes(20000))
    assert backup_service.check_backup(path)
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    assert backup_service.check_backup(empty)
    assert backup_service.check_backup(tmp_path / "missing.sqlite")


def test_check_backup_of_another_programs_sqlite_file(tmp_path):
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT)")
    con.execute("INSERT INTO songs (title) VALUES ('la')")
    con.commit()
    con.close()
    problems = backup_service.check_backup(path)
    assert problems
    assert all(isinstance(p, str) and p for p in problems)


def test_check_backup_of_a_newer_clientcare_file(db, tmp_path):
    path = backup_service.copy_database(db.path, tmp_path / "newer.sqlite")
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    assert backup_service.check_backup(path) == ["not a ClientCare database of a known version"]


def test_check_backup_of_a_truncated_file(tmp_path):
    path = _big_file(tmp_path / "big.sqlite")
    assert backup_service.check_backup(path) == []
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    assert backup_service.check_backup(path)


def test_check_backup_of_a_file_damaged_in_the_middle(tmp_path):
    path = _big_file(tmp_path / "big.sqlite")
    size = path.stat().st_size
    _corrupt_middle(path)
    assert path.stat().st_size == size
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert backup_service.check_backup(path)


def test_newest_good_backup_skips_a_damaged_newer_one(db, make_client):
    make_client("Anna Nowak")
    older = backup_service.make_backup(db.path, "start", now=T0)
    for i in range(150):
        make_client(f"Client {i:04d}", notes="n" * 400)
    newer = backup_service.make_backup(db.path, "exit", now=T0 + timedelta(hours=8))
    assert backup_service.newest_good_backup(db.path) == backup_service.list_backups(db.path)[0]
    assert backup_service.newest_good_backup(db.path).path == newer.path
    _corrupt_middle(newer.path)
    good = backup_service.newest_good_backup(db.path)
    assert good is not None and good.path == older.path
    older.path.write_bytes(b"gone")
    assert backup_service.newest_good_backup(db.path) is None


# --------------------------------------------------------------------------- restore


def test_restore_puts_the_backup_back_and_keeps_the_replaced_file(tmp_path):
    path = tmp_path / "shop.sqlite"
    database = open_database(path)
    with database.session() as s:
        client_service.save_client(s, client_service.ClientData(name="Anna Nowak"), region="PL")
    backup = backup_service.make_backup(path, "manual", now=T0)
    with database.session() as s:
        client_service.save_client(s, client_service.ClientData(name="Bob Smith"), region="PL")
    database.close()
    assert _names(path) == ["Anna Nowak", "Bob Smith"]

    saved = backup_service.restore(path, backup.path, now=T0 + timedelta(minutes=5))
    assert saved is not None
    assert saved.kind == "before-restore"
    assert saved.path.name == "shop-before-restore-20260615-091007-0002.sqlite"
    assert _names(saved.path) == ["Anna Nowak", "Bob Smith"]  # the newer data is kept
    assert _names(path) == ["Anna Nowak"]
    assert _counts(path) == _counts(backup.path)
    assert not list(tmp_path.glob("shop.sqlite.damaged-*"))
    assert {b.kind for b in backup_service.list_backups(path)} == {"manual", "before-restore"}
    # the restored file is a healthy database the app opens and writes
    database = open_database(path, create=False)
    try:
        with database.session() as s:
            assert client_service.count_clients(s) == 1
            client_service.save_client(s, client_service.ClientData(name="Cara Lis"), region="PL")
    finally:
        database.close()
    assert _names(path) == ["Anna Nowak", "Cara Lis"]
    assert backup_service.check_backup(path) == []


def test_restore_moves_a_damaged_file_aside_with_its_journal(tmp_path):
    path = tmp_path / "shop.sqlite"
    _big_file(path, clients=150)
    backup = backup_service.make_backup(path, "manual", now=T0)
    database = open_database(path)
    with database.session() as s:
        client_service.save_client(s, client_service.ClientData(name="After the backup"), region="PL")
    database.close()
    _corrupt_middle(path)
    damaged = path.read_bytes()
    Path(f"{path}-wal").write_bytes(b"old wal")
    Path(f"{path}-shm").write_bytes(b"old shm")

    now = T0 + timedelta(days=1)
    assert backup_service.restore(path, backup.path, now=now) is None
    aside = tmp_path / "shop.sqlite.damaged-20260616-090507"
    assert aside.read_bytes() == damaged
    assert Path(f"{aside}-wal").read_bytes() == b"old wal"
    assert Path(f"{aside}-shm").is_file()  # an index of the -wal; SQLite may rewrite it
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").read_bytes() != b"old wal"
    assert [b.kind for b in backup_service.list_backups(path)] == ["manual"]  # no before-restore
    assert _counts(path) == _counts(backup.path) == (150, 0)
    assert backup_service.check_backup(path) == []
    database = open_database(path, create=False)
    database.close()


def test_restore_over_a_file_that_is_no_database_moves_it_aside(db, make_client, tmp_path):
    make_client("Anna Nowak")
    backup = backup_service.make_backup(db.path, "manual", now=T0)
    path = tmp_path / "other" / "shop.sqlite"
    path.parent.mkdir()
    path.write_bytes(b"my shopping list\n")
    assert backup_service.restore(path, backup.path, now=T0) is None
    assert (path.parent / "shop.sqlite.damaged-20260615-090507").read_bytes() == \
        b"my shopping list\n"
    assert _names(path) == ["Anna Nowak"]


@pytest.mark.parametrize("bad", ["random", "foreign", "damaged", "missing"])
def test_restore_of_an_unusable_backup_changes_nothing(tmp_path, bad):
    path = _big_file(tmp_path / "shop.sqlite", clients=150)
    backup = tmp_path / "bad.sqlite"
    if bad == "random":
        backup.write_bytes(random.Random(5).randbytes(16384))
    elif bad == "foreign":
        con = sqlite3.connect(backup)
        con.execute("CREATE TABLE songs (id INTEGER PRIMARY KEY)")
        con.commit()
        con.close()
    elif bad == "damaged":
        backup_service.copy_database(path, backup)
        _corrupt_middle(backup)
    before = _digest(path)

    def listing() -> list[str]:  # the live file's side (the bad backup's own aside)
        return sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("bad."))

    was = listing()
    with pytest.raises(DomainError) as info:
        backup_service.restore(path, backup, now=T0)
    assert info.value.code == "backup.unusable"
    assert _digest(path) == before
    assert listing() == was  # nothing made or moved
    assert backup_service.list_backups(path) == []


# --------------------------------------------------------------------------- backups you can count on


def test_a_copy_that_fails_the_full_integrity_check_is_not_kept(db, make_client):
    """A broken index passes quick_check but not integrity_check: such a copy is no
    backup; nothing is left under a backup's name."""
    make_client("Anna Nowak", purchases=[(date(2026, 1, d), "10") for d in range(1, 6)])
    db.close()
    con = sqlite3.connect(db.path)
    con.execute("PRAGMA writable_schema=ON")
    con.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX ix_purchases_date "
                "ON purchases (amount)' WHERE name = 'ix_purchases_date'")
    con.commit()
    con.close()
    with pytest.raises(DomainError) as info:
        backup_service.make_backup(db.path, "manual", now=T0)
    assert info.value.code == "backup.failed"
    assert "integrity" in str(info.value)
    assert backup_service.list_backups(db.path) == []
    assert not [n for n in _folder(db.path) if n.endswith(".partial")]


def _days_of_backups(db_path: Path, first: datetime, days: int, kind: str = "start"):
    """One backup a day (made as each is asked for, so a rotation may run between)."""
    for i in range(days):
        yield backup_service.make_backup(db_path, kind, now=first + timedelta(days=i))


@pytest.mark.parametrize("case", ["clock behind now", "clock was ahead, now right"])
def test_a_clock_wrong_for_weeks_does_not_wipe_the_new_backups(db, make_client, case):
    """Today 0 of 7 new backups survive a clock four weeks off, either way: backups dated
    four weeks back look old at once, and after a clock that ran four weeks ahead the
    right dates look older than the future ones."""
    make_client("Anna Nowak")
    real = datetime(2026, 6, 1, 9, 0, 0)
    off = -timedelta(weeks=4) if case == "clock behind now" else timedelta(weeks=4)
    earlier, later = (real - timedelta(days=28), real + off) if off < timedelta(0) else (
        real - timedelta(days=28) + off, real)
    for b in _days_of_backups(db.path, earlier, 28):  # four weeks, rotated as the app does
        backup_service.rotate(db.path, 7, 4)
        assert b.path.exists()  # the backup just made always stays
    new = []
    for b in _days_of_backups(db.path, later, 7):  # then a week of new backups
        backup_service.rotate(db.path, 7, 4)
        new.append(b)
    assert sum(b.path.exists() for b in new) == 7, "the new backups must survive"
    # and the app says the clock looks wrong
    assert backup_service.clock_looks_wrong(backup_service.list_backups(db.path), now=later + timedelta(days=6))


def test_the_clock_looks_right_when_dates_follow_the_order(db, make_client):
    make_client("Anna Nowak")
    now = datetime(2026, 6, 10, 9)
    list(_days_of_backups(db.path, now - timedelta(days=5), 5))
    assert not backup_service.clock_looks_wrong(backup_service.list_backups(db.path), now=now)
    assert backup_service.clock_looks_wrong(backup_service.list_backups(db.path), now=now - timedelta(days=10))


def test_rotation_never_deletes_the_newest_backup_nor_todays_import_backup(db, make_client):
    make_client("Anna Nowak")
    day = datetime(2026, 6, 15, 9)
    before_import = backup_service.make_backup(db.path, "import", now=day)
    exit_backup = backup_service.make_backup(db.path, "exit", now=day.replace(hour=18))
    backup_service.rotate(db.path, keep_daily=1, keep_weekly=0)
    assert before_import.path.exists() and exit_backup.path.exists()
    # the next day it is an ordinary automatic backup again
    backup_service.make_backup(db.path, "start", now=day + timedelta(days=1))
    backup_service.rotate(db.path, keep_daily=1, keep_weekly=0)
    assert not before_import.path.exists()
    # a newest backup of any kind stays, even a lone old one
    assert [b.kind for b in backup_service.list_backups(db.path)] == ["start"]


def test_shop_sqlite_and_shop_db_keep_separate_lists(tmp_path):
    a = open_database(tmp_path / "shop.sqlite")
    b = open_database(tmp_path / "shop.db")
    try:
        ba = backup_service.make_backup(a.path, "manual", now=T0)
        bb = backup_service.make_backup(b.path, "manual", now=T0)
    finally:
        a.close()
        b.close()
    assert ba.path != bb.path and ba.path.exists() and bb.path.exists()
    assert [x.path for x in backup_service.list_backups(a.path)] == [ba.path]
    assert [x.path for x in backup_service.list_backups(b.path)] == [bb.path]
    assert bb.path.name.startswith("shop.db-manual-")
    backup_service.rotate(a.path, 1, 0)
    backup_service.rotate(b.path, 1, 0)
    assert ba.path.exists() and bb.path.exists()


_KILL_DURING_COPY = """
import os, signal, sys
sys.path.insert(0, {root!r})
from pathlib import Path
from app.services import backups as backup_service

def copy_then_die(src, dst):
    src.backup(dst, pages=1, progress=lambda status, remaining, total:
               os.kill(os.getpid(), signal.SIGKILL) if total - remaining > 3 else None)
backup_service._copy_pages = copy_then_die
{action}
"""
ROOT = Path(__file__).resolve().parents[1]


def _run_killed(action: str) -> None:
    done = subprocess.run([sys.executable, "-c", _KILL_DURING_COPY.format(
        root=str(ROOT), action=action)], capture_output=True, text=True, timeout=60,
        check=False)
    assert done.returncode == -9, done.stderr


@pytest.mark.skipif(__import__("sys").platform == "win32", reason="SIGKILL is POSIX only")
def test_a_backup_killed_midway_leaves_no_partial_for_ever(tmp_path):
    path = _big_file(tmp_path / "shop.sqlite", clients=150)
    _run_killed(f"backup_service.make_backup(Path({str(path)!r}), 'manual')")
    left = [n for n in _folder(path) if n.endswith(".partial")]
    assert left, "the kill should have left the half copy"
    assert backup_service.list_backups(path) == []  # never listed as a backup
    other = backup_dir_for(path) / "notes.partial"  # not one of ours: stays
    other.write_text("mine")
    assert backup_service.clean_partials(path, older_than_s=0)
    assert _folder(path) == ["notes.partial"]


@pytest.mark.skipif(__import__("sys").platform == "win32", reason="SIGKILL is POSIX only")
def test_a_restore_killed_midway_leaves_the_old_file_intact(tmp_path):
    path = tmp_path / "shop.sqlite"
    database = open_database(path)
    with database.session() as s:
        for i in range(150):
            client_service.save_client(s, client_service.ClientData(name=f"Old {i:03d}", notes="n" * 400), region="PL")
    backup = backup_service.make_backup(path, "manual", now=T0)
    with database.session() as s:
        client_service.save_client(s, client_service.ClientData(name="Newer work"), region="PL")
    database.close()
    names = _names(path)
    _run_killed(f"backup_service.restore(Path({str(path)!r}), Path({str(backup.path)!r}))")
    assert _names(path) == names  # the old file, whole, with the newer work
    assert backup_service.check_backup(path, full=True) == []
    assert not Path(f"{path}-journal").exists()
    assert Path(str(path) + backup_service.RESTORE_PARTIAL).exists()
    backup_service.clean_partials(path, older_than_s=0)
    assert not Path(str(path) + backup_service.RESTORE_PARTIAL).exists()
    # and the restore, run again to its end, works
    backup_service.restore(path, backup.path)
    assert len(_names(path)) == 150


def test_a_restore_that_fails_before_the_rename_changes_nothing(tmp_path, monkeypatch):
    path = _big_file(tmp_path / "shop.sqlite", clients=20)
    other = _big_file(tmp_path / "other.sqlite", clients=3)
    backup = backup_service.make_backup(other, "manual", now=T0)
    before = _names(path)

    def fail():
        raise OSError("disk unplugged")

    real_replace = backup_service.os.replace

    def replace(a, b):  # the before-restore backup is written; the final rename fails
        return fail() if Path(b) == path else real_replace(a, b)

    monkeypatch.setattr(backup_service.os, "replace", replace)
    with pytest.raises(DomainError) as info:
        backup_service.restore(path, backup.path, now=T0)
    assert info.value.code == "backup.restore_failed"
    monkeypatch.undo()
    assert _names(path) == before
    assert not Path(str(path) + backup_service.RESTORE_PARTIAL).exists()


def _record_syncs(monkeypatch) -> list[tuple[str, str]]:
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def replace(a, b):
        events.append(("rename", str(b)))
        return real_replace(a, b)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return events


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_backup_and_restore_sync_the_file_then_the_folder_after_the_rename(
        db, make_client, monkeypatch):
    make_client("Anna Nowak")
    events = _record_syncs(monkeypatch)
    info = backup_service.make_backup(db.path, "manual", now=T0)
    folder = str(info.path.parent)
    assert events == [("fsync", str(info.path) + ".partial"), ("rename", str(info.path)),
                      ("fsync", folder)]
    db.close()
    events.clear()
    backup_service.restore(db.path, info.path, now=T0 + timedelta(minutes=1))
    tmp = str(db.path) + backup_service.RESTORE_PARTIAL
    assert events[0] == ("fsync", tmp)  # the restored copy is on the disk first
    assert events[-2:] == [("rename", str(db.path)), ("fsync", str(db.path.parent))]


def test_an_unchanged_database_is_not_backed_up_again(db, make_client):
    make_client("Anna Nowak")
    first = backup_service.routine_backup(db, "start", now=T0)
    assert first is not None
    assert backup_service.routine_backup(db, "exit", now=T0 + timedelta(hours=8)) is None
    assert backup_service.routine_backup(db, "start", now=T0 + timedelta(days=1)) is None
    # a backup by hand or before an import is always made
    assert backup_service.routine_backup(db, "manual", now=T0 + timedelta(days=1)) is not None
    make_client("Bob Smith")
    assert backup_service.routine_backup(db, "exit", now=T0 + timedelta(days=1, hours=8)) is not None


def test_delete_a_backup_only_of_this_database(db, make_client, tmp_path):
    make_client("Anna Nowak")
    info = backup_service.make_backup(db.path, "manual", now=T0)
    stranger = tmp_path / "mine.sqlite"
    stranger.write_bytes(b"x")
    with pytest.raises(DomainError) as err:
        backup_service.delete_backup(db.path, stranger)
    assert err.value.code == "backup.not_found" and stranger.exists()
    backup_service.delete_backup(db.path, info.path)
    assert not info.path.exists() and backup_service.list_backups(db.path) == []
