"""The same database on SQLite and on PostgreSQL gives the same answers (issue 17): the
client list (every sort both ways, search, filters, the rows shown), the card, Today, the
calendar and the Charts page's report. The data: the demo (pl_PL: non-ASCII names) after
a start of day, moved onto the server by migrate-to-postgres.

On SQLite the charts and the calendar read the figures its triggers keep
(app/services/chart_store.py, calendar_store.py); on the server they are computed from
the rows: each comparison here is of a kept SQLite figure with the server's own."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

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


def same(engines, read, what: str = ""):
    """``read(session)`` on both engines: the two results, which must not differ."""
    results = []
    for database in engines:
        with database.session() as s:
            results.append(read(s))
    assert differences(*results) == [], what
    return results[0]


def rules(s):
    return StatusRules.from_settings(s, TODAY)


# Few tests, each of many cases: the data is made once per test module and process (pytest
# -n spreads a module's tests over its workers, each making the module's fixtures again).


def test_the_client_list(engines):
    counts = same(engines, lambda s: [s.scalar(select(func.count()).select_from(t))
                                      for t in (Client, Task, PersonalDate)])
    assert all(counts)
    for column in ClientColumn:
        for descending in (False, True):
            query = ClientQuery(sort=column, descending=descending)
            what = f"{column.name} {'down' if descending else 'up'}"
            page = same(engines, lambda s, q=query: client_service.client_ids(
                s, q, rules(s), "PL", limit=40, offset=20), what)
            assert len(page) == 40, what
            every = same(engines, lambda s, q=query: client_service.client_ids(
                s, q, rules(s), "PL"), what)
            assert every[20:60] == page, what
            assert same(engines, lambda s, q=query: client_service.count_listed(
                s, q, rules(s), "PL"), what) == len(every) == 148
    rows = same(engines, lambda s: client_service.client_rows(s, list(range(1, 151)),
                                                              rules(s)))
    assert {r.status for r in rows.values()} == {st.value for st in ClientStatus}
    assert any(", " in r.tags for r in rows.values())
    assert sum(1 for r in rows.values() if r.deleted_at) == 2


def test_the_search_and_the_filters(engines):
    hits = {}
    for text in ("ska", "an", "ewa", "łow", "601", "+48 5", "zz-nobody"):
        query = ClientQuery(text=text)
        found = same(engines, lambda s, q=query: client_service.client_ids(
            s, q, rules(s), "PL"), text)
        same(engines, lambda s, q=query: client_service.client_ids(
            s, q, rules(s), "PL", limit=10), text)
        assert same(engines, lambda s, q=query: client_service.count_listed(
            s, q, rules(s), "PL", stop=lambda: False), text) == len(found)
        hits[text] = len(found)
    assert hits["zz-nobody"] == 0 and hits["an"] > 0 and hits["+48 5"] > 0, hits
    with engines[1].session() as s:  # a part of a name finds its client on the server
        cid, name = s.execute(select(Client.id, Client.name).where(
            Client.deleted_at.is_(None)).order_by(Client.id)).first()
        word = name.split()[-1][1:5]
        assert cid in client_service.client_ids(s, ClientQuery(text=word), rules(s), "PL")
    for query in (*(ClientQuery(status=st) for st in ClientStatus),
                  *(ClientQuery(segment=sg) for sg in Segment),
                  ClientQuery(tag_id=1), ClientQuery(tag_id=2, sort=ClientColumn.TAGS),
                  ClientQuery(trash=True), ClientQuery(text="a", status=ClientStatus.ACTIVE)):
        same(engines, lambda s, q=query: client_service.client_ids(s, q, rules(s), "PL"),
             repr(query))


def test_the_cards_and_today(engines):
    cards = same(engines, lambda s: [client_service.load_client(s, i)
                                     for i in range(1, 151, 7)])
    assert any(c.purchases for c in cards) and any(c.contacts for c in cards)
    queue = same(engines, lambda s: calls.today_queue(s, TODAY))
    assert len(queue) > 10
    same(engines, lambda s: calls.today_counts(s, TODAY))
    first = same(engines, lambda s: calls.today_first_page(s, TODAY, limit=15))
    assert first[0] and all(row in queue for row in first[0])
    same(engines, lambda s: calls.today_todos(s, TODAY))


def test_the_calendar_and_the_charts_kept_on_sqlite_equal_the_servers(engines):
    from app.services import calendar_store
    with engines[0].session() as s:  # SQLite reads the counts its triggers keep
        assert calendar_store.installed(s.connection())
    for month in ((2026, 10), (2026, 11), (2026, 12), (2027, 2)):
        summary = same(engines, lambda s, m=month: calendar.month_summary(s, *m), month)
        if month == (2026, 11):
            assert sum(d.calls for d in summary.values()) > 10
            assert sum(d.dates for d in summary.values()) > 0
    for day in (TODAY, TODAY + timedelta(days=1), date(2026, 11, 1), date(2026, 12, 24)):
        items = same(engines, lambda s, d=day: calendar.day_items(s, d), day)
        page, after = same(engines, lambda s, d=day: calendar.day_page(
            s, calendar.DayCursor(d), 7), day)
        assert page == items[:7]
        if day == TODAY:
            assert {i.what for i in items} >= {"call"} and len(items) > 7
    for by in metrics.By:
        report = same(engines, lambda s, b=by: metrics.report(
            s, date(2025, 11, 1), TODAY, b, TODAY), by)
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
