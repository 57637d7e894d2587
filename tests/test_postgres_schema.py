"""The same Alembic migrations make the whole schema on PostgreSQL (issue 17): an empty
server database migrated to head has the models' tables, columns, types, indexes (the
partial ones too) and constraints, down to the first revision and up again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from app import sqlite_file
from app.models import Base
from app.server import server_engine


def _diff(conn) -> list:
    mc = MigrationContext.configure(conn, opts={
        "compare_type": True,
        "compare_server_default": False,
        "include_object": lambda obj, name, type_, *_: not (
            type_ == "table" and str(name).startswith(("chart_", "calendar_")))})
    return compare_metadata(mc, Base.metadata)


def _indexes(conn) -> dict[str, str]:
    return {name: sql for name, sql in conn.execute(text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"))}


@pytest.fixture(scope="module")
def engine(pg_url):
    eng = server_engine(pg_url)
    yield eng
    eng.dispose()


def test_migrations_on_an_empty_server_database_match_the_models(engine, pg_url):
    with engine.begin() as conn:
        command.upgrade(sqlite_file.alembic_config(conn), "head")
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == \
            sqlite_file.head_revision()
        assert _diff(conn) == []
        migrated = _indexes(conn)
    # the partial indexes are partial here too, as the models declare them
    assert "WHERE (meeting_at IS NOT NULL)" in migrated["ix_contacts_meeting_at"]
    assert "WHERE (import_key IS NOT NULL)" in migrated["ix_purchases_import_key"]
    assert "WHERE ((deleted_at IS NULL) AND (last_purchase_on IS NOT NULL))" in \
        migrated["ix_clients_gap_last"]
    assert "lower((email)::text)" in migrated["ix_clients_email_lower"]
    # the models' own DDL (create_all) gives the same indexes, word for word
    fresh = create_engine(pg_url)  # the same server: a schema of its own
    try:
        with fresh.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS models CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA models")
            conn.exec_driver_sql("SET search_path TO models")
            Base.metadata.create_all(conn)
            made = _indexes(conn)
            conn.exec_driver_sql("DROP SCHEMA models CASCADE")
    finally:
        fresh.dispose()
    migrated.pop("alembic_version_pkc")
    assert {k: v.replace(" models.", " public.") for k, v in made.items()} == migrated


def test_the_time_a_purchase_is_written_is_utc_microseconds(engine):
    with engine.begin() as conn:
        command.upgrade(sqlite_file.alembic_config(conn), "head")
        conn.exec_driver_sql("INSERT INTO clients (kind, name, sort_name, search_text) "
                             "VALUES ('person', 'A', 'a', 'a')")
        conn.exec_driver_sql("INSERT INTO purchases (client_id, purchased_on, amount) "
                             "VALUES (1, '2026-01-02', 5)")
        micros = conn.exec_driver_sql("SELECT created_at FROM purchases").scalar()
        now = conn.exec_driver_sql(
            "SELECT CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) AS BIGINT)").scalar()
        conn.exec_driver_sql("TRUNCATE clients, purchases RESTART IDENTITY CASCADE")
    assert micros % 1_000_000 == 0
    assert abs(micros // 1_000_000 - now) <= 1
    assert abs(datetime.fromtimestamp(micros // 1_000_000, UTC) - datetime.now(UTC)).total_seconds() < 60


def test_down_to_the_first_revision_and_up_again(engine):
    with engine.begin() as conn:
        command.upgrade(sqlite_file.alembic_config(conn), "head")
    with engine.begin() as conn:
        command.downgrade(sqlite_file.alembic_config(conn), "0001")
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0001"
        columns = {r[0] for r in conn.execute(text(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = 'purchases'"))}
        assert "updated_at" in columns and "membership_id" not in columns
    with engine.begin() as conn:
        command.upgrade(sqlite_file.alembic_config(conn), "head")
    with engine.connect() as conn:
        assert _diff(conn) == []
