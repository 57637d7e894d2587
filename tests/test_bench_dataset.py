"""The benchmark generator (bench/dataset.py) on a small size: the file opens in the app,
passes the full integrity check, every value is stored exactly as the ORM would store it,
and the derived state equals what the app's own refresh computes."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.dialects import sqlite as sqlite_dialect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import dataset  # noqa: E402

from app.db import open_database  # noqa: E402
from app.models import Base, Client, Task  # noqa: E402
from app.services import calls, schedule  # noqa: E402
from app.services import clients as client_service  # noqa: E402
from app.services.validation import nfc, normalize_phone, phone_digits  # noqa: E402
from app.sqlite_file import head_revision, integrity_check  # noqa: E402

CLIENTS = 300


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dataset.BuildReport]:
    path = tmp_path_factory.mktemp("bench") / "bench.sqlite"
    report = dataset.build(path, CLIENTS, log=lambda _s: None)
    return path, report


def _copy(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.sqlite"
    with sqlite3.connect(path) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def test_the_file_opens_in_the_app_and_passes_the_integrity_check(built):
    path, _report = built
    assert integrity_check(path) == []
    db = open_database(path)  # with its quick check, as the window opens it
    try:
        with db.sessions() as s:
            live = s.scalar(select(func.count()).select_from(Client)
                            .where(Client.deleted_at.is_(None)))
            assert client_service.count_clients(s) == live and 0.9 * CLIENTS <= live <= CLIENTS
            rules = client_service.StatusRules.from_settings(s, dataset.TODAY)
            ids = client_service.client_ids(s, client_service.ClientQuery(text="a"), rules,
                                            "PL")
            assert ids, "search finds the generated clients"
            assert calls.today_queue(s, dataset.TODAY) is not None
    finally:
        db.close()
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] \
            == head_revision()
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        # the schema is the app's: every index of the models is there again
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    for table in Base.metadata.tables.values():
        for index in table.indexes:
            assert index.name in names, index.name


def test_the_proportions_of_the_data(built):
    _path, report = built
    rows = report.rows
    assert rows["clients"] == CLIENTS
    assert 8 * CLIENTS <= rows["purchases"] <= 12 * CLIENTS  # 10 each on average
    assert 1.5 * CLIENTS <= rows["contacts"] <= 2.5 * CLIENTS  # 2,000,000 at a million
    assert 0.3 * CLIENTS <= rows["memberships"] <= 0.7 * CLIENTS  # 500,000 at a million
    assert 5 <= rows["complaints"] <= 35  # 50,000 at a million
    assert rows["complaint_checks"] == 8 * rows["complaints"]
    for table in ("relatives", "personal_dates", "client_tags", "consent_events", "tasks"):
        assert rows[table] > 0, table
    with sqlite3.connect(built[0]) as con:
        span = con.execute("SELECT MIN(purchased_on), MAX(purchased_on) FROM purchases"
                           ).fetchone()
        assert span[0] >= dataset.FIRST_DAY.isoformat() and span[1] <= dataset.TODAY.isoformat()
        assert span[0] < (dataset.FIRST_DAY.replace(year=dataset.FIRST_DAY.year + 1)).isoformat()
        # many one-off buyers, a few with many purchases
        counts = [r[0] for r in con.execute("SELECT purchase_count FROM clients")]
        assert sum(1 for c in counts if c == 1) > CLIENTS * 0.25
        assert max(counts) >= 40
        statuses = {r[0] for r in con.execute("SELECT DISTINCT status FROM memberships")}
        assert {"active", "renewed", "expired"} <= statuses
        assert con.execute("SELECT COUNT(*) FROM complaints WHERE lesson != ''").fetchone()[0]
        assert con.execute("SELECT COUNT(*) FROM purchases WHERE membership_id IS NOT NULL"
                           ).fetchone()[0] == rows["memberships"]
        assert con.execute("SELECT COUNT(DISTINCT outcome) FROM contacts").fetchone()[0] >= 6
        assert con.execute("SELECT COUNT(DISTINCT source_channel) FROM clients"
                           ).fetchone()[0] >= 5


#: written by the app's own SQL refresh (a SUM of REALs), not by the generator
_WRITTEN_BY_THE_APP = {("clients", "value_12m")}


def test_every_value_is_stored_as_the_orm_stores_it(built):
    """Each stored value read back through its column type and bound again is the same:
    dates, date-times, times, Numeric, booleans and enums exactly as SQLAlchemy writes
    them."""
    dialect = sqlite_dialect.dialect()
    con = sqlite3.connect(built[0])
    try:
        for table in Base.metadata.sorted_tables:
            cols = list(table.columns)
            names = ", ".join(f'"{c.name}"' for c in cols)
            rows = con.execute(f'SELECT {names} FROM "{table.name}"').fetchall()
            procs = [(c.type.result_processor(dialect, None), c.type.bind_processor(dialect))
                     for c in cols]
            for row in rows:
                for c, raw, (rp, bp) in zip(cols, row, procs, strict=True):
                    if raw is None or (table.name, c.name) in _WRITTEN_BY_THE_APP:
                        continue
                    value = rp(raw) if rp else raw
                    again = bp(value) if bp else value
                    assert again == raw, (table.name, c.name, raw, again)
                    if isinstance(raw, str):
                        assert raw == nfc(raw), (table.name, c.name, raw)
    finally:
        con.close()


def test_the_derived_text_columns_come_from_the_services(built):
    con = sqlite3.connect(built[0])
    try:
        rows = con.execute("SELECT name, sort_name, search_text, email, external_ref, notes, "
                           "preferences, phone, phone_digits FROM clients").fetchall()
    finally:
        con.close()
    for name, sort_name, search, email, ref, notes, prefs, phone, digits in rows:
        assert sort_name == name.casefold()
        assert search == client_service.search_text_for(name, email, ref, notes, prefs)
        assert digits == phone_digits(phone)
        if phone:
            assert normalize_phone(phone, "PL") == phone  # a valid number, in E.164


def _derived(path: Path) -> tuple[list, list]:
    db = open_database(path, check=False)
    try:
        with db.sessions() as s:
            c = Client
            clients = s.execute(select(
                c.id, c.first_purchase_on, c.last_purchase_on, c.purchase_count,
                c.usual_gap_days, c.value_12m, c.next_due_on, c.segment).order_by(c.id)).all()
            tasks = s.execute(select(
                Task.source_key, Task.client_id, Task.kind, Task.due_on, Task.window_end,
                Task.rule_due_on, Task.status, Task.priority, Task.reason)
                .order_by(Task.source_key)).all()
        return clients, tasks
    finally:
        db.close()


def test_the_derived_state_equals_the_apps_own_refresh(built, tmp_path):
    path = built[0]
    before = _derived(path)
    copy = _copy(path, tmp_path)
    db = open_database(copy)
    try:
        with db.session() as s:
            client_service.refresh_client_stats(s, today=dataset.TODAY)
            stats = schedule.regenerate(s, dataset.TODAY)
    finally:
        db.close()
    assert stats.created == 0
    after = _derived(copy)
    assert after[0] == before[0]
    assert after[1] == before[1]
    assert any(row[7] == "A" for row in before[0]) and any(row[6] for row in before[0])


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with sqlite3.connect(path) as con:
        for table in ("clients", "purchases", "contacts", "memberships", "complaints",
                      "personal_dates", "relatives"):
            cur = con.execute(f"SELECT * FROM {table} ORDER BY id")
            # updated_at: the app's refresh stamps it with the clock (its onupdate)
            keep = [i for i, d in enumerate(cur.description) if d[0] != "updated_at"]
            for row in cur:
                h.update(repr([row[i] for i in keep]).encode())
    return h.hexdigest()


def test_the_same_seed_builds_the_same_data_and_the_name_says_what_it_is(built, tmp_path):
    again = tmp_path / "again.sqlite"
    dataset.build(again, CLIENTS, log=lambda _s: None)
    assert _digest(again) == _digest(built[0])
    other = tmp_path / "other.sqlite"
    dataset.build(other, CLIENTS, seed=6, log=lambda _s: None)
    assert _digest(other) != _digest(built[0])
    name = dataset.dataset_name(CLIENTS)
    assert str(CLIENTS) in name and f"s{dataset.DEFAULT_SEED}" in name
    assert f"g{dataset.GENERATOR_VERSION}" in name and head_revision() in name


def test_cached_database_builds_once(tmp_path, monkeypatch):
    built_paths = []
    real = dataset.build

    def counting(path, *a, **kw):
        built_paths.append(path)
        return real(path, *a, **kw)

    monkeypatch.setattr(dataset, "build", counting)
    first = dataset.cached_database(50, cache=tmp_path, log=lambda _s: None)
    second = dataset.cached_database(50, cache=tmp_path, log=lambda _s: None)
    assert first == second and first.exists() and len(built_paths) == 1
    assert first.name == dataset.dataset_name(50)
    assert not list(tmp_path.glob("building-*"))
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_by_date_stores_the_same_rows_in_date_order(built, tmp_path):
    path = tmp_path / "bydate.sqlite"
    dataset.build(path, CLIENTS, by_date=True, log=lambda _s: None)
    assert integrity_check(path) == []
    cols = {"purchases": "client_id, purchased_on, amount, item, quantity, staff_id, "
                         "is_credit, complaint_id, membership_id, import_key",
            "contacts": "client_id, at, channel, direction, purpose, outcome, tone, "
                        "duration_seconds, decline_reason, meeting_at, call_back_on"}
    order = {"purchases": "purchased_on", "contacts": "at"}
    for table, names in cols.items():
        with sqlite3.connect(path) as a, sqlite3.connect(built[0]) as b:
            mine = a.execute(f"SELECT {names} FROM {table} ORDER BY id").fetchall()
            theirs = b.execute(f"SELECT {names} FROM {table}").fetchall()
            dates = [r[0] for r in a.execute(f"SELECT {order[table]} FROM {table} "
                                             "ORDER BY id")]
        assert sorted(mine, key=repr) == sorted(theirs, key=repr)
        assert dates == sorted(dates) and mine != theirs
    assert dataset.dataset_name(CLIENTS, by_date=True).endswith("-bydate.sqlite")
    db = open_database(path)
    try:
        with db.session() as s:
            assert schedule.regenerate(s, dataset.TODAY).created == 0
    finally:
        db.close()


def test_a_cached_file_of_an_older_schema_is_migrated_not_rebuilt(tmp_path, monkeypatch):
    """A new migration must not cost an hour of building at a million: the file of the
    same rows at the newest older schema is copied and migrated, and the others (another
    size, the by-date order, a newer or unknown schema) are left alone."""
    order = dataset.schema_order()
    head = head_revision()
    older = [r for r, _ in sorted(order.items(), key=lambda kv: kv[1]) if r != head]
    stem = f"bench-300c-10p-pl_PL-s5-g{dataset.GENERATOR_VERSION}"
    for rev in older[-3:]:
        (tmp_path / f"{stem}-{rev}.sqlite").write_bytes(b"")
    (tmp_path / f"{stem}-{older[-1]}-bydate.sqlite").write_bytes(b"")
    (tmp_path / f"bench-301c-10p-pl_PL-s5-g{dataset.GENERATOR_VERSION}-{older[-1]}.sqlite"
     ).write_bytes(b"")
    (tmp_path / f"{stem}-9999.sqlite").write_bytes(b"")
    name = dataset.dataset_name(300)
    assert dataset._older_schema(tmp_path, name) == tmp_path / f"{stem}-{older[-1]}.sqlite"
    by_date = dataset.dataset_name(300, by_date=True)
    assert dataset._older_schema(tmp_path, by_date) == \
        tmp_path / f"{stem}-{older[-1]}-bydate.sqlite"
    assert dataset._older_schema(tmp_path, dataset.dataset_name(302)) is None


def test_upgrade_schema_brings_an_older_file_to_the_head(tmp_path):
    """A file made by the migrations up to the revision before the head (as an older
    app made it) is brought to the head by upgrade_schema."""
    from sqlalchemy import create_engine

    from app.sqlite_file import alembic_command, alembic_config, revisions

    path = tmp_path / "old.sqlite"
    before = revisions()[head_revision()]
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        alembic_command().upgrade(alembic_config(conn), before)
    engine.dispose()
    dataset.upgrade_schema(path)
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == \
        head_revision()
    con.close()
