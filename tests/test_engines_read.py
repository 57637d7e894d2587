"""The same database on SQLite and on PostgreSQL gives the same answers (issue 17): the
client list (every sort both ways, search, filters, the rows shown), the card, Today, the
calendar and the Charts page's report. The data: the demo (pl_PL: non-ASCII names) after
a start of day, moved onto the server by migrate-to-postgres.

On SQLite the charts and the calendar read the figures its triggers keep
(app/services/chart_store.py, calendar_store.py); on the server they are computed from
the rows: each comparison here is of a kept SQLite figure with the server's own."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from sqlalchemy import func, select

from app.client_list import ClientColumn, ClientQuery, StatusRules
from app.db import open_database
from app.models import Client, PersonalDate, Task
from app.models.enums import ClientStatus, Segment
from app.services import calendar, calls, metrics, startup
from app.services import clients as client_service
from app.services.demo_file import create_demo_file
from app.services.to_server import migrate_to_server
from tests.conftest import empty_pg
from tests.engines import differences

TODAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def engines(tmp_path_factory, pg_url, pg_database):
    """(SQLite database, PostgreSQL database) holding the same rows."""
    folder = tmp_path_factory.mktemp("engines")
    made = folder / "demo.sqlite"
    create_demo_file(made, clients=150, locale="pl_PL", seed=11)
    lite = open_database(made)
    with lite.session() as s:
        startup.start_of_day(s, TODAY)
        client_service.soft_delete(s, [3, 4])  # the Trash has clients with tasks and dates
    lite.close()
    empty_pg(pg_database)
    migrate_to_server(made, pg_url)
    shutil.copy(made, folder / "read.sqlite")
    lite = open_database(folder / "read.sqlite")
    yield lite, pg_database
    lite.close()


def same(engines, read):
    """``read(session)`` on both engines: the two results, which must not differ."""
    results = []
    for database in engines:
        with database.session() as s:
            results.append(read(s))
    assert differences(*results) == []
    return results[0]


def rules(s):
    return StatusRules.from_settings(s, TODAY)


def test_the_data_is_there_on_both(engines):
    counts = same(engines, lambda s: [s.scalar(select(func.count()).select_from(t))
                                      for t in (Client, Task, PersonalDate)])
    assert all(counts)
    with engines[1].session() as s:
        assert s.scalar(select(func.count()).where(Client.deleted_at.is_not(None))) == 2


@pytest.mark.parametrize("column", list(ClientColumn))
@pytest.mark.parametrize("descending", [False, True])
def test_the_client_list_in_every_order(engines, column, descending):
    query = ClientQuery(sort=column, descending=descending)
    page = same(engines, lambda s: client_service.client_ids(s, query, rules(s), "PL",
                                                             limit=40, offset=20))
    assert len(page) == 40
    every = same(engines, lambda s: client_service.client_ids(s, query, rules(s), "PL"))
    assert every[20:60] == page
    assert same(engines, lambda s: client_service.count_listed(s, query, rules(s), "PL")) \
        == len(every) == 148


@pytest.mark.parametrize("text", ["ska", "an", "ewa", "łow", "601", "+48 5", "zz-nobody"])
def test_the_search(engines, text):
    query = ClientQuery(text=text)
    found = same(engines, lambda s: client_service.client_ids(s, query, rules(s), "PL"))
    same(engines, lambda s: client_service.client_ids(s, query, rules(s), "PL", limit=10))
    assert same(engines, lambda s: client_service.count_listed(
        s, query, rules(s), "PL", stop=lambda: False)) == len(found)
    if text == "zz-nobody":
        assert found == []


def test_the_search_finds_someone_on_the_server(engines):
    with engines[1].session() as s:
        name = s.scalar(select(Client.name).where(Client.deleted_at.is_(None))
                        .order_by(Client.id))
        word = name.split()[-1][1:5]
        found = client_service.client_ids(s, ClientQuery(text=word), rules(s), "PL")
        first = s.scalar(select(Client.id).where(Client.name == name))
    assert first in found


@pytest.mark.parametrize("query", [
    *(ClientQuery(status=st) for st in ClientStatus),
    *(ClientQuery(segment=sg) for sg in Segment),
    ClientQuery(tag_id=1), ClientQuery(tag_id=2, sort=ClientColumn.TAGS),
    ClientQuery(trash=True), ClientQuery(text="a", status=ClientStatus.ACTIVE),
], ids=lambda q: f"{q.status}-{q.segment}-{q.tag_id}-{q.trash}-{q.text}")
def test_the_filters(engines, query):
    same(engines, lambda s: client_service.client_ids(s, query, rules(s), "PL"))


def test_every_status_and_group_occurs(engines):
    rows = same(engines, lambda s: client_service.client_rows(s, list(range(1, 151)),
                                                              rules(s)))
    assert {r.status for r in rows.values()} == {st.value for st in ClientStatus}
    assert any(r.tags for r in rows.values()) and any(", " in r.tags for r in rows.values())
    assert any(r.deleted_at for r in rows.values())


def test_the_cards(engines):
    cards = same(engines, lambda s: [client_service.load_client(s, i) for i in range(1, 151, 7)])
    assert any(c.purchases for c in cards) and any(c.contacts for c in cards)


def test_today(engines):
    queue = same(engines, lambda s: calls.today_queue(s, TODAY))
    assert len(queue) > 10
    same(engines, lambda s: calls.today_counts(s, TODAY))
    first = same(engines, lambda s: calls.today_first_page(s, TODAY, limit=15))
    assert first[0] and all(row in queue for row in first[0])
    same(engines, lambda s: calls.today_todos(s, TODAY))


@pytest.mark.parametrize("month", [(2026, 10), (2026, 11), (2026, 12), (2027, 2)])
def test_the_calendar_counts_kept_on_sqlite_equal_the_servers(engines, month):
    with engines[0].session() as s:  # SQLite reads the kept counts
        from app.services import calendar_store
        assert calendar_store.installed(s.connection())
    summary = same(engines, lambda s: calendar.month_summary(s, *month))
    if month == (2026, 11):
        assert sum(d.calls for d in summary.values()) > 10
        assert sum(d.dates for d in summary.values()) > 0


@pytest.mark.parametrize("by", list(metrics.By))
def test_the_charts_kept_on_sqlite_equal_the_servers(engines, by):
    report = same(engines, lambda s: metrics.report(s, date(2025, 11, 1), TODAY, by, TODAY))
    assert report.dashboard.clients_buying > 0
    # and the server's figures equal SQLite's own computation from the rows
    with engines[0].session() as s:
        rows = metrics.report(s, date(2025, 11, 1), TODAY, by, TODAY, from_rows=True)
    assert differences(rows, report) == []
    same(engines, lambda s: metrics.dashboard(s, TODAY))


def test_the_churn_risk_kept_on_both_is_the_same(engines):
    """Last in the module: it writes the kept scores (the list's statuses then follow
    them) on both engines."""
    from app.models import ClientRisk
    from app.services import risk_store
    runs = same(engines, lambda s: risk_store.refresh_risk(s, TODAY))
    assert runs.clients > 50
    kept = same(engines, lambda s: [tuple(r) for r in s.execute(
        select(*ClientRisk.__table__.columns).order_by(ClientRisk.client_id))])
    assert len(kept) == runs.clients
    query = ClientQuery(sort=ClientColumn.RISK, descending=True)
    same(engines, lambda s: client_service.client_ids(s, query, rules(s), "PL", limit=30))
    same(engines, lambda s: calls.today_queue(s, TODAY))
