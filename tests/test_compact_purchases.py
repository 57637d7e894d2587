"""Migration 0013 (purchases in fewer bytes) and its integer times.

- ``EpochMicros``: every naive datetime comes back exactly as written, in the order of
  the times; the SQL conversions of the migration agree with it exactly.
- The upgrade of a file written at 0012 keeps every row's values, keeps every trigger
  (each still fires after it), and the downgrade gives the 0012 rows back."""

from __future__ import annotations

import importlib
import sqlite3
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.orm import Session

from app import db as db_module
from app.db import open_database
from app.models import Client, Purchase
from app.models.types import from_micros, to_micros
from app.services import chart_store, segments, startup
from tests.conftest import depth

MIGRATION = __import__("importlib").import_module(
    "app.migrations.versions.0013_compact_purchases")
PROPERTY = settings(max_examples=depth(100, 600), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

any_time = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59))
#: what strftime('%s') reads exactly: 1970 and after (a shop's purchases)
epoch_time = st.datetimes(min_value=datetime(1970, 1, 1),
                          max_value=datetime(9999, 12, 31, 23, 59))


@PROPERTY
@given(any_time, any_time)
def test_micros_round_trip_exactly_and_keep_the_order(a, b):
    assert from_micros(to_micros(a)) == a
    assert (to_micros(a) < to_micros(b)) == (a < b)


def test_a_zone_is_left_out_as_the_text_datetime_left_it_out():
    aware = datetime(2026, 3, 1, 10, 30, 5, 7, tzinfo=UTC)
    assert from_micros(to_micros(aware)) == datetime(2026, 3, 1, 10, 30, 5, 7)


@PROPERTY
@given(st.lists(any_time, min_size=1, max_size=20))
def test_the_column_stores_and_returns_every_datetime_exactly(db, make_client, times):
    cid = make_client("A")
    with db.session() as s:
        ids = [s.execute(insert(Purchase).values(
            client_id=cid, purchased_on=date(2026, 1, 1), amount=Decimal("1.00"),
            created_at=t)).inserted_primary_key[0] for t in times]
        s.flush()
        s.expire_all()
        got = [s.get(Purchase, i).created_at for i in ids]
        marks = ",".join(map(str, ids))
        stored = {"integer"} if db.path is None else set(s.execute(text(  # a server: BIGINT
            f"SELECT typeof(created_at) FROM purchases WHERE id IN ({marks})")).scalars())
        s.rollback()
    assert got == times
    assert stored == {"integer"}


def test_the_default_is_the_moment_of_the_write_in_utc_as_before(db, make_client):
    cid = make_client("A")
    before = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    with db.session() as s:
        p = Purchase(client_id=cid, purchased_on=date(2026, 1, 1), amount=Decimal(1))
        s.add(p)
        s.flush()
        s.refresh(p)
        after = datetime.now(UTC).replace(tzinfo=None)
        assert before <= p.created_at <= after
        now = s.execute(text("SELECT CURRENT_TIMESTAMP")).scalar()  # SQLite: text
        now = datetime.fromisoformat(now) if isinstance(now, str) else now
        if now.tzinfo is not None:  # a server's: with its zone
            now = now.astimezone(UTC).replace(tzinfo=None)
        assert abs(now - p.created_at) < timedelta(seconds=5)


@pytest.mark.sqlite_only("a script's text in the integer column: SQLite's type affinity")
def test_a_text_time_written_by_a_script_reads_as_its_time(db, make_client):
    cid = make_client("A")
    with db.session() as s:
        s.execute(text("INSERT INTO purchases (client_id, purchased_on, amount, created_at) "
                       "VALUES (:c, '2026-01-01', 1, '2026-01-02 03:04:05.000006')"), {"c": cid})
        got = s.scalars(select(Purchase.created_at).where(Purchase.client_id == cid)).one()
    assert got == datetime(2026, 1, 2, 3, 4, 5, 6)


def _sql_value(sql: str, value):
    con = sqlite3.connect(":memory:")
    try:
        return con.execute(f"SELECT {sql} FROM (SELECT ? AS created_at)", (value,)).fetchone()[0]
    finally:
        con.close()


@PROPERTY
@given(epoch_time)
def test_the_migrations_sql_converts_both_texts_exactly(t):
    sqlalchemy_text = t.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's DATETIME
    assert _sql_value(MIGRATION.TEXT_TO_MICROS, sqlalchemy_text) == to_micros(t)
    whole = t.replace(microsecond=0)
    current_timestamp = whole.strftime("%Y-%m-%d %H:%M:%S")  # CURRENT_TIMESTAMP's
    assert _sql_value(MIGRATION.TEXT_TO_MICROS, current_timestamp) == to_micros(whole)


@PROPERTY
@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)))
def test_the_downgrades_sql_gives_back_the_text_exactly(t):
    assert _sql_value(MIGRATION.MICROS_TO_TEXT, to_micros(t)) == \
        t.strftime("%Y-%m-%d %H:%M:%S.%f")


# --------------------------------------------------------------------------- the migration

ROWS_0012 = (
    "INSERT INTO clients (id, kind, name, sort_name, search_text, source_channel, "
    "first_purchase_on) VALUES (1, 'person', 'Anna Kowalska', 'kowalska anna', "
    "'anna kowalska', 'Google', '2025-01-05'), (2, 'person', 'Jan Nowak', 'nowak jan', "
    "'jan nowak', NULL, '2025-03-01'), (3, 'company', 'Firma', 'firma', 'firma', '', NULL)",
    "INSERT INTO purchases (id, client_id, purchased_on, amount, item, quantity, note, "
    "is_credit, import_key, created_at, updated_at) VALUES "
    "(1, 1, '2025-01-05', 10.5, 'Strzyżenie', 1, '', 0, NULL, "
    "'2025-01-05 12:00:00.000000', '2025-01-06 09:00:00.000000'),"
    "(2, 1, '2025-02-07', 99.99, 'Farbowanie', 2.5, 'n', 0, 1234567890123, "
    "'2025-02-07 13:14:15.123456', '2025-02-07 13:14:15.123456'),"
    "(3, 1, '2025-02-09', -20, 'Zwrot', 1, '', 1, -9223372036854775808, "
    "'2025-02-09 08:00:00', '2025-02-09 08:00:00'),"
    "(4, 2, '2025-03-01', 1234.5, 'Masaż', 1, '', 0, 9223372036854775807, "
    "'2026-11-30 23:59:59.999999', '2026-12-01 00:00:00.000000'),"
    "(5, 2, '2025-07-01', 5, '', 1, '', 0, NULL, '1999-12-31 23:59:59.5', "
    "'1999-12-31 23:59:59.5')",
)


def _rows(path) -> dict[str, list[tuple]]:
    """Every row of every table, as values: the purchases' times as datetimes, their
    ``updated_at`` left out (dropped by 0013)."""
    con = sqlite3.connect(path)
    try:
        out = {}
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                    "AND name NOT LIKE 'sqlite_%' AND name <> "
                                    "'alembic_version' AND sql NOT LIKE 'CREATE VIRTUAL%'"):
            # by name: a file migrated from 0001 has the purchases' columns in another
            # order than a new one (0013 writes them in the models' order)
            cols = sorted(r[1] for r in con.execute(f"PRAGMA table_info({table})")
                          if not (table == "purchases" and r[1] == "updated_at"))
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            if table == "purchases":
                at = cols.index("created_at")
                rows = [tuple(_time(v) if i == at else v for i, v in enumerate(r))
                        for r in rows]
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def _time(v):
    return datetime.fromisoformat(v) if isinstance(v, str) else from_micros(v)


def _triggers(path) -> dict[str, str]:
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    finally:
        con.close()


def _file_at_0012(path):
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            command.upgrade(db_module.alembic_config(conn), "0012")
        with Session(engine) as s, s.begin():
            for sql in ROWS_0012:
                s.execute(text(sql))
            chart_store.rebuild(s.connection())
            # the A/B/C figures as they were before 0018 (rebuild makes today's)
            for sql in importlib.import_module(
                    "app.migrations.versions.0018_segment_band")._OLD:
                s.execute(text(sql))
            # the start of day's watch triggers, as a start of day leaves them
            startup._install_watch(s)
            segments._install_abc_watch(s)
    finally:
        engine.dispose()


def test_the_upgrade_keeps_every_value_and_trigger_and_the_downgrade_gives_them_back(
        tmp_path):
    path = tmp_path / "old.sqlite"
    _file_at_0012(path)
    before, triggers = _rows(path), _triggers(path)
    assert any(t.startswith("sod_watch_purchases") for t in triggers)
    assert any(t.startswith("sod_abc_purchases") for t in triggers)

    database = open_database(path)  # the app's own upgrade (a backup first)
    database.close()
    after = _rows(path)
    # 0015 adds its own tables; 0018 keeps the clients with no revenue (all three here)
    # in their group's row of their own
    assert after.pop("chart_segments") == [(0, 3, "-:none")]
    assert before["chart_segments"] == [(0, 3, "-")]
    assert {table: after[table] for table in before if table != "chart_segments"} == {
        table: rows for table, rows in before.items() if table != "chart_segments"}
    now = _triggers(path)
    segment_triggers = {t for t in triggers if t.startswith("chart_segment_")}
    assert segment_triggers == {t for t in now if t.startswith("chart_segment_")}
    assert all(now[t] != triggers[t] for t in segment_triggers)  # 0018's new bodies
    assert {t: b for t, b in triggers.items() if t not in segment_triggers}.items() <= \
        now.items()  # kept (0015 adds its own)
    con = sqlite3.connect(path)
    try:
        assert {t for (t,) in con.execute("SELECT DISTINCT typeof(created_at) "
                                          "FROM purchases")} == {"integer"}
        assert [c[1] for c in con.execute("PRAGMA table_info(purchases)")] == [
            c.name for c in Purchase.__table__.columns]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        con.close()

    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            command.downgrade(db_module.alembic_config(conn), "0012")
    finally:
        engine.dispose()
    assert _rows(path) == before
    assert _triggers(path) == triggers
    con = sqlite3.connect(path)
    try:
        # updated_at, not kept by 0013, comes back as created_at
        assert con.execute("SELECT created_at, updated_at FROM purchases WHERE id = 1"
                           ).fetchone() == ("2025-01-05 12:00:00.000000",) * 2
        index = con.execute("SELECT sql FROM sqlite_master WHERE name = "
                            "'sqlite_autoindex_purchases_1'").fetchone()
        assert index is not None  # the UNIQUE of import_key again
    finally:
        con.close()


def test_every_trigger_still_fires_after_the_upgrade(tmp_path):
    path = tmp_path / "old.sqlite"
    _file_at_0012(path)
    database = open_database(path)
    try:
        with database.session() as s:
            # the start of day's and the regrouping's watches write only once armed
            s.execute(text("INSERT INTO settings (key, value) VALUES "
                           f"('{startup.QUIET_SINCE}', '\"x\"'), "
                           f"('{segments.ABC_STATE}', '\"x\"')"))
            s.execute(text(f"DELETE FROM {startup.WRITTEN}"))
            s.execute(text(f"DELETE FROM {segments.ABC_WAS}"))
            s.add(Purchase(client_id=2, purchased_on=date(2025, 8, 1), amount=Decimal("7")))
            s.flush()
            # chart_purchase_insert: the kept figures follow the new line
            conn = s.connection()
            kept = chart_store.snapshot(conn)
            nested = s.begin_nested()
            chart_store.rebuild(conn)
            assert chart_store.snapshot(conn) == kept
            nested.rollback()
            assert (2, 202508) in {(r[0], r[1]) for r in kept["chart_client_months"]}
            # sod_watch_purchases_insert and sod_abc_purchases_insert
            assert s.scalars(text(f"SELECT client_id FROM {startup.WRITTEN}")).all() == [2]
            assert s.scalars(text(f"SELECT client_id FROM {segments.ABC_WAS}")).all() == [2]
            # update and delete of a purchase
            s.execute(text(f"DELETE FROM {startup.WRITTEN}"))
            s.execute(text("UPDATE purchases SET client_id = 3 WHERE id = 5"))
            assert set(s.scalars(text(f"SELECT client_id FROM {startup.WRITTEN}"))) == {2, 3}
            cells = {r[:2] for r in chart_store.snapshot(conn)["chart_client_months"]}
            assert (3, 202507) in cells and (2, 202507) not in cells
            s.execute(text("DELETE FROM purchases WHERE id = 1"))
            assert (1, 202501) not in {
                r[:2] for r in chart_store.snapshot(conn)["chart_client_months"]}
            # the search index (triggers on clients, untouched by the rebuild)
            s.add(Client(name="Zofia Wrzos", sort_name="wrzos zofia",
                         search_text="zofia wrzos"))
            s.flush()
            zofia = s.scalar(select(Client.id).where(Client.name == "Zofia Wrzos"))
            assert s.execute(text("SELECT rowid FROM client_search WHERE client_search "
                                  "MATCH '\"wrz\"'")).scalars().all() == [zofia]
    finally:
        database.close()
