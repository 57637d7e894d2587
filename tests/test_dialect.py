"""app/dialect.py: each piece compiles on SQLite to exactly the SQL the queries had before
it (the benchmarks' plans rest on that text) and on PostgreSQL to its own form; run on a
server by tests/test_engines_*.py."""

from __future__ import annotations

from datetime import date

from sqlalchemy import literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateTable

from app import dialect
from app.models import Client, Purchase, Tag, client_tags
from app.services.clients import tags_expr

LITE, PG = sqlite.dialect(), postgresql.dialect()


def sql(element, on) -> str:
    return str(element.compile(dialect=on))


def test_days_between():
    e = dialect.days_between(literal("2026-01-01"), Client.last_purchase_on) > 5
    assert sql(e, LITE) == "julianday(?) - julianday(clients.last_purchase_on) > ?"
    assert sql(e, PG) == ("(CAST(%(param_1)s::VARCHAR AS DATE) - "
                          "CAST(clients.last_purchase_on AS DATE)) > %(param_2)s::INTEGER")


def test_joined_text_and_its_order():
    assert "group_concat(tags.name, ?) AS group_concat_1" in sql(tags_expr(), LITE)
    assert "string_agg(CAST(tags.name AS TEXT), %(group_concat_2)s::VARCHAR " \
        "ORDER BY client_tags.tag_id)" in sql(tags_expr(), PG)
    plain = select(dialect.joined_text(Tag.name, ", ")).select_from(client_tags)
    assert "string_agg(CAST(tags.name AS TEXT), %(group_concat_2)s::VARCHAR)" in sql(plain, PG)


def test_unindexed_total_least():
    e = dialect.unindexed(Client.deleted_at).is_(None)
    assert sql(e, LITE) == "+clients.deleted_at IS NULL"
    assert sql(e, PG) == "clients.deleted_at IS NULL"
    assert sql(dialect.total(Client.purchase_count), LITE) == "total(clients.purchase_count)"
    assert sql(dialect.total(Client.purchase_count), PG) == \
        "coalesce(sum(clients.purchase_count), 0)"
    least = dialect.least_of(Client.last_purchase_on, literal(date(2026, 1, 1)))
    assert sql(least, LITE) == "min(clients.last_purchase_on, ?)"
    assert sql(least, PG) == "LEAST(clients.last_purchase_on, %(param_1)s::DATE)"


def test_is_distinct_from_is_sqlites_is_not():
    e = Client.next_due_on.is_distinct_from(Client.last_purchase_on)
    assert sql(e, LITE) == "clients.next_due_on IS NOT clients.last_purchase_on"
    assert sql(e, PG) == "clients.next_due_on IS DISTINCT FROM clients.last_purchase_on"


def test_the_purchase_times_default_on_each_engine():
    lite = sql(CreateTable(Purchase.__table__), LITE)
    assert "created_at BIGINT DEFAULT (CAST(strftime('%s', 'now') AS INTEGER) * 1000000) " \
        "NOT NULL" in lite
    assert "created_at BIGINT DEFAULT (CAST(EXTRACT(EPOCH FROM date_trunc('second', " \
        "CURRENT_TIMESTAMP)) AS BIGINT) * 1000000) NOT NULL" in sql(
            CreateTable(Purchase.__table__), PG)


def test_placeholders_and_names():
    class Bind:
        class dialect:  # noqa: N801 - the shape of an engine
            paramstyle = "qmark"
            name = "sqlite"

    text = "SELECT 1 FROM t WHERE a LIKE '%x' AND b = ?"
    assert dialect.placeholders(Bind, text) == text
    Bind.dialect.paramstyle, Bind.dialect.name = "format", "postgresql"
    assert dialect.placeholders(Bind, text) == "SELECT 1 FROM t WHERE a LIKE '%%x' AND b = %s"
    hinted = "SELECT 1 FROM tasks t WHERE +t.status IN ('o') AND (+t.due_on = ?) AND t.a + t.b > ?"
    assert dialect.hand_sql(LITE, hinted) == hinted
    assert dialect.hand_sql(Bind, hinted) == ("SELECT 1 FROM tasks t WHERE t.status IN ('o') "
                                              "AND (t.due_on = %s) AND t.a + t.b > %s")
    assert dialect.is_sqlite(LITE) and not dialect.is_sqlite(PG)
    assert dialect.today_sql(LITE) == "DATE('now', 'localtime')"
    assert dialect.today_sql(PG) == "CURRENT_DATE"
