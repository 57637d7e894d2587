"""The Charts page's kept figures (app/services/chart_store.py) against the raw rows.

Random writes of every kind the app makes (purchases and refunds added by the ORM and by
Core batches as the importer writes them, edited, moved to another client or day, deleted;
calls logged, corrected, deleted; clients added, their channel and referrer changed,
their stats refreshed, erased, deleted), then: every figure the triggers kept equals the
same figure computed again from the rows (``rebuild``), and every series of the report
read from the figures equals the series computed from the raw rows (``from_rows=True``),
by month and by quarter, over ranges that cut periods in the middle."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select, text, update

from app.models import Client, Contact, Purchase
from app.models.enums import Direction, Outcome, Tone
from app.services import chart_store, erasure, metrics
from app.services.clients import refresh_client_stats
from app.services.metrics import By
from tests.conftest import depth, fresh_sqlite

TODAY = date(2026, 5, 20)
DAY0 = date(2025, 9, 1)
CHANNELS = [None, "", "Google", "Polecenie", "Ulotka"]
REASONS = [None, "", "price", "cena", "no time"]

days = st.integers(0, 330).map(lambda n: DAY0 + timedelta(days=n))
amounts = st.integers(-5000, 30000).map(lambda c: Decimal(c).scaleb(-2))
idx = st.integers(0, 10_000)

ops = st.one_of(
    st.tuples(st.just("client"), st.sampled_from(CHANNELS), st.booleans()),
    st.tuples(st.just("buy"), idx, days, amounts),
    st.tuples(st.just("refund"), idx, days, st.integers(1, 9000)),
    st.tuples(st.just("batch"), st.lists(st.tuples(idx, days, amounts, st.booleans()),
                                         min_size=1, max_size=6)),
    # purchases inserted in bulk with the row trigger set aside (the importer's path):
    # sub-batches, a client made inside; "fails": the batch raises after its writes and
    # is rolled back to a savepoint ("rollback") or kept as written ("keep"); the first
    # days refreshed before it or not (a cell buys and returns only with a first day)
    st.tuples(st.just("bulk"),
              st.lists(st.lists(st.tuples(idx, days, amounts, st.booleans()), min_size=1,
                                max_size=5), min_size=1, max_size=3),
              st.booleans(), st.sampled_from([None, "rollback", "keep"]), st.booleans()),
    st.tuples(st.just("edit"), idx, days, amounts, st.booleans()),
    st.tuples(st.just("move"), idx, idx),
    st.tuples(st.just("unbuy"), idx),
    st.tuples(st.just("call"), idx, days, st.integers(0, 23), st.sampled_from(list(Direction)),
              st.sampled_from(list(Outcome)), st.sampled_from([None, *Tone]),
              st.sampled_from(REASONS)),
    st.tuples(st.just("recall"), idx, days, st.sampled_from(list(Outcome)),
              st.sampled_from([None, *Tone])),
    st.tuples(st.just("uncall"), idx),
    st.tuples(st.just("channel"), idx, st.sampled_from(CHANNELS), idx),
    st.tuples(st.just("first"), idx, st.one_of(st.none(), days)),
    st.tuples(st.just("refresh"),),
    st.tuples(st.just("erase"), idx),
    st.tuples(st.just("drop"), idx),
)

RANGES = [
    (metrics.default_range(TODAY), By.MONTH),
    ((date(2025, 8, 1), date(2026, 9, 30)), By.MONTH),
    ((date(2025, 8, 1), date(2026, 9, 30)), By.QUARTER),
    ((date(2025, 10, 17), date(2026, 2, 11)), By.MONTH),
    ((date(2025, 10, 17), date(2026, 2, 11)), By.QUARTER),
    ((date(2026, 5, 1), TODAY), By.MONTH),
]


def _pick(session, model, i):
    ids = session.scalars(select(model.id).order_by(model.id)).all()
    return ids[i % len(ids)] if ids else None


def _apply(session, op) -> None:
    kind, *a = op
    cid = _pick(session, Client, a[0]) if a and isinstance(a[0], int) else None
    if kind == "client":
        channel, referred = a
        other = _pick(session, Client, 7) if referred else None
        session.add(Client(name="X", sort_name="x", source_channel=channel,
                           referred_by_id=other))
    elif kind in ("buy", "refund") and cid:
        day, value = a[1], a[2]
        credit = kind == "refund"
        amount = -Decimal(value).scaleb(-2) if credit else value
        session.add(Purchase(client_id=cid, purchased_on=day, amount=amount,
                             is_credit=credit))
    elif kind == "batch":
        rows = []
        for i, day, amount, credit in a[0]:
            c = _pick(session, Client, i)
            if c:
                rows.append({"client_id": c, "purchased_on": day,
                             "amount": -abs(amount) if credit else amount,
                             "is_credit": credit, "item": "", "quantity": Decimal(1),
                             "note": "", "created_at": datetime(2026, 1, 1)})
        if rows:
            session.execute(insert(Purchase.__table__), rows)
    elif kind == "bulk":
        _bulk(session, *a)
    elif kind == "edit":
        pid = _pick(session, Purchase, a[0])
        if pid:
            session.execute(update(Purchase).where(Purchase.id == pid).values(
                purchased_on=a[1], amount=a[2], is_credit=a[3]))
    elif kind == "move":
        pid, to = _pick(session, Purchase, a[0]), _pick(session, Client, a[1])
        if pid and to:
            session.execute(update(Purchase).where(Purchase.id == pid).values(client_id=to))
    elif kind == "unbuy":
        pid = _pick(session, Purchase, a[0])
        if pid:
            session.delete(session.get(Purchase, pid))
    elif kind == "call" and cid:
        _i, day, hour, direction, outcome, tone, reason = a
        session.add(Contact(client_id=cid, at=datetime.combine(day, datetime.min.time())
                            + timedelta(hours=hour, minutes=7), direction=direction,
                            outcome=outcome, tone=tone, decline_reason=reason,
                            duration_seconds=60))
    elif kind == "recall":
        k = _pick(session, Contact, a[0])
        if k:
            session.execute(update(Contact).where(Contact.id == k).values(
                at=datetime.combine(a[1], datetime.min.time()), outcome=a[2], tone=a[3]))
    elif kind == "uncall":
        k = _pick(session, Contact, a[0])
        if k:
            session.execute(delete(Contact).where(Contact.id == k))
    elif kind == "channel" and cid:
        session.execute(update(Client).where(Client.id == cid).values(
            source_channel=a[1], referred_by_id=_pick(session, Client, a[2])))
    elif kind == "first" and cid:  # a stale first day, as a crash between writes leaves it
        session.execute(update(Client).where(Client.id == cid).values(first_purchase_on=a[1]))
    elif kind == "refresh":
        refresh_client_stats(session, today=TODAY)
    elif kind == "erase" and cid:
        erasure.erase_client(session, cid, datetime(2026, 5, 1, 9))
    elif kind == "drop" and cid:
        session.execute(delete(Client).where(Client.id == cid))
    session.flush()


class Halfway(Exception):
    """A bulk write that fails after some of its rows."""


def _bulk(session, batches, new_client, fails, refreshed) -> None:
    if refreshed:
        refresh_client_stats(session, today=TODAY)
    nested = session.begin_nested() if fails == "rollback" else None
    conn = session.connection()  # (after the SAVEPOINT: it is emitted by this call)
    try:
        with chart_store.purchase_batch(conn) as charts:
            assert not _has_row_trigger(conn)  # set aside inside the batch
            if new_client:
                session.add(Client(name="Bulk", sort_name="bulk", source_channel="Ulotka"))
                session.flush()
            for batch in batches:
                rows = []
                for i, day, amount, credit in batch:
                    rows.append({"client_id": _pick(session, Client, i), "purchased_on": day,
                                 "amount": -abs(amount) if credit else amount,
                                 "is_credit": credit, "item": "", "quantity": Decimal(1),
                                 "note": ""})
                session.execute(insert(Purchase.__table__), rows)
                charts.wrote(rows)
            if fails:
                raise Halfway
    except Halfway:
        if nested is not None:
            nested.rollback()
    else:
        if nested is not None:
            nested.commit()
    assert _has_row_trigger(conn)


def _has_row_trigger(conn) -> bool:
    return conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                             "AND name = 'chart_purchase_insert'")).scalar() == 1


def _kept_equals_rebuilt(session) -> None:
    conn = session.connection()
    kept = chart_store.snapshot(conn)
    nested = session.begin_nested()
    chart_store.rebuild(conn)
    rebuilt = chart_store.snapshot(conn)
    nested.rollback()
    for table in chart_store.TABLES:
        assert kept[table] == rebuilt[table], table


def _series_equal(session, ranges=RANGES) -> None:
    for (start, end), by in ranges:
        want = metrics.report(session, start, end, by, TODAY, from_rows=True)
        got = metrics.report(session, start, end, by, TODAY)
        for name in want.__dataclass_fields__:
            assert getattr(got, name) == getattr(want, name), (name, start, end, by)


@settings(max_examples=depth(40, 200), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(st.lists(ops, min_size=1, max_size=40),
       st.lists(st.sampled_from(RANGES), min_size=2, max_size=2, unique=True))
def test_kept_figures_and_series_equal_the_raw_rows(tmp_path_factory, sqlite_template,
                                                    writes, ranges):
    # two of the ranges an example (a report costs ~50 ms): forty examples cover each
    db = fresh_sqlite(sqlite_template, tmp_path_factory.mktemp("charts"))
    try:
        with db.session() as s:
            for channel in ("Google", None, ""):
                s.add(Client(name="Seed", sort_name="seed", source_channel=channel))
            s.flush()
            for op in writes:
                _apply(s, op)
            _kept_equals_rebuilt(s)
            _series_equal(s, ranges)
            refresh_client_stats(s, today=TODAY)  # the app's first days, all exact
            _kept_equals_rebuilt(s)
            _series_equal(s, ranges)
    finally:
        db.close()


@pytest.mark.sqlite_only("the kept Charts figures are SQLite triggers; a server computes them from the rows")
def test_a_new_database_and_the_migration_fill_the_same_figures(db, make_client):
    make_client("A", purchases=[(date(2026, 1, 3), "10.50"), (date(2026, 2, 3), "4.25")])
    make_client("B", source_channel="Google", purchases=[(date(2026, 1, 9), "7")])
    with db.engine.begin() as conn:
        kept = chart_store.snapshot(conn)
        chart_store.drop(conn)
        assert not conn.execute(text(
            "SELECT name FROM sqlite_master WHERE name LIKE 'chart_%'")).all()
        chart_store.install(conn)
        assert chart_store.snapshot(conn) == kept
    with db.session() as s:
        share = metrics.repeat_share(s, date(2026, 1, 1), date(2026, 2, 28), By.MONTH)
    assert [(r.purchases, r.returning_purchases, r.revenue, r.returning_revenue)
            for r in share] == [(2, 0, Decimal("17.50"), 0), (1, 1, Decimal("4.25"),
                                                               Decimal("4.25"))]


def test_a_period_cut_by_the_range_with_rows_outside_reads_its_raw_rows(db, make_client):
    # the range ends on the 10th; a purchase on the 20th of that month must not count
    make_client("A", purchases=[(date(2026, 3, 5), "10"), (date(2026, 3, 20), "99")])
    with db.session() as s:
        share = metrics.repeat_share(s, date(2026, 3, 1), date(2026, 3, 10), By.MONTH)
        ret = metrics.returning_clients(s, date(2026, 3, 1), date(2026, 3, 10), By.MONTH)
    assert share[0].revenue == Decimal("10.00") and share[0].purchases == 1
    assert ret[0].clients == 1 and ret[0].returning == 0


# --------------------------------------------------------------------------- the importer

def _purchases_csv(tmp_path, rows):
    path = tmp_path / "sales.csv"
    path.write_text("Card;Customer;Date;Amount\n" + "".join(
        f"{card};{name};{day:%d.%m.%Y};{amount}\n" for card, name, day, amount in rows),
        encoding="utf-8")
    return path


def _sales(n: int) -> list[tuple]:
    """Purchases of three known clients (first days moved by some) and of new ones."""
    out = []
    for i in range(n):
        card = f"K-{i % 5}"
        out.append((card, f"Klient {i % 5}", DAY0 + timedelta(days=(i * 37) % 330),
                    f"{(i * 13) % 200 + 1},{i % 100:02d}"))
    return out


def _import(db, path, **options):
    from app.services.io.importer import apply_import, guess_mapping, plan_import, read_table
    table = read_table(path)
    with db.session() as s:
        plan = plan_import(s, table, guess_mapping(table.headers, "purchases"), "purchases",
                           "PL")
        return apply_import(s, plan, "PL", create_unknown=True, today=TODAY, **options)


def _checked(db) -> dict:
    with db.session() as s:
        _kept_equals_rebuilt(s)
        _series_equal(s)
        return chart_store.snapshot(s.connection())


@pytest.mark.sqlite_only("the kept Charts figures are SQLite triggers; a server computes them from the rows")
def test_an_import_of_purchases_keeps_every_figure_exact_without_the_row_trigger(
        db, make_client, tmp_path, monkeypatch):
    from app.services.io import importer
    monkeypatch.setattr(importer, "BATCH", 7)  # several batches
    for i in range(3):
        make_client(f"Klient {i}", external_ref=f"K-{i}", source_channel=CHANNELS[i + 1],
                    purchases=[(DAY0 + timedelta(days=40 * i), "12.50")])
    real = importer._Writer.insert
    present = []

    def insert(self, table, rows, ids):  # is the row trigger there as the lines go in?
        if table is importer._PURCHASE_ROWS:
            present.append(_has_row_trigger(self.session.connection()))
        real(self, table, rows, ids)

    monkeypatch.setattr(importer._Writer, "insert", insert)
    report = _import(db, _purchases_csv(tmp_path, _sales(40)))
    assert present == [False] * 6
    assert (report.purchases, report.created) == (40, 2)
    with db.session() as s:
        assert s.scalar(select(text("count(*)")).select_from(Purchase)) == 43
        assert _has_row_trigger(s.connection())
    _checked(db)
    # a write after the import goes through the row trigger again
    make_client("Late", source_channel="Ulotka", purchases=[(DAY0, "1.00")])
    _checked(db)


@pytest.mark.sqlite_only("the kept Charts figures are SQLite triggers; a server computes them from the rows")
def test_an_import_that_fails_halfway_keeps_nothing_and_the_figures_as_they_were(
        db, make_client, tmp_path, monkeypatch):
    from app.services.io import importer
    monkeypatch.setattr(importer, "BATCH", 5)
    for i in range(3):
        make_client(f"Klient {i}", external_ref=f"K-{i}",
                    purchases=[(DAY0 + timedelta(days=40 * i), "12.50")])
    before = _checked(db)
    real = importer._Writer.insert
    calls = []

    def insert(self, table, rows, ids):
        real(self, table, rows, ids)
        if table is importer._PURCHASE_ROWS:
            calls.append(len(rows))
            if len(calls) == 3:  # after some batches were written
                raise RuntimeError("the disk went away")

    monkeypatch.setattr(importer._Writer, "insert", insert)
    with pytest.raises(RuntimeError):
        _import(db, _purchases_csv(tmp_path, _sales(30)))
    assert len(calls) == 3
    with db.session() as s:
        assert s.scalar(select(text("count(*)")).select_from(Purchase)) == 3
        assert _has_row_trigger(s.connection())
        assert not s.execute(text("SELECT name FROM sqlite_temp_master")).all()
    assert _checked(db) == before


@pytest.mark.sqlite_only("the kept Charts figures are SQLite triggers; a server computes them from the rows")
def test_a_batch_into_other_months_of_a_quarter_keeps_every_figure(db, make_client):
    """Clients with first days and lines in some months; a batch adds lines in the other
    months of the same quarters, before the first day, on it, credits, a new cell and a
    cell already there: the quarter counts a client once."""
    a = make_client("A", source_channel="Google",
                    purchases=[(date(2025, 10, 5), "10"), (date(2025, 12, 1), "5")])
    b = make_client("B", purchases=[(date(2026, 2, 14), "7")])
    c = make_client("C", source_channel="Ulotka")
    before = _checked(db)
    with db.session() as s:
        with chart_store.purchase_batch(s.connection()) as charts:
            rows = [{"client_id": a, "purchased_on": date(2025, 11, 3), "amount": Decimal("4.10"),
                     "is_credit": False},
                    {"client_id": a, "purchased_on": date(2025, 10, 5), "amount": Decimal("1"),
                     "is_credit": False},
                    {"client_id": a, "purchased_on": date(2025, 9, 30), "amount": Decimal("2"),
                     "is_credit": False},
                    {"client_id": b, "purchased_on": date(2026, 3, 31), "amount": Decimal("-3"),
                     "is_credit": True},
                    {"client_id": b, "purchased_on": date(2026, 1, 2), "amount": Decimal("8.99"),
                     "is_credit": False},
                    {"client_id": c, "purchased_on": date(2026, 1, 2), "amount": Decimal("1.01"),
                     "is_credit": False}]
            s.execute(insert(Purchase.__table__), [
                {**r, "item": "", "quantity": Decimal(1), "note": ""} for r in rows])
            charts.wrote(rows)
    after = _checked(db)
    assert after != before
    with db.session() as s:
        refresh_client_stats(s, today=TODAY)
    _checked(db)


def _segment_rows(conn) -> dict[str, tuple[int, int]]:
    return {s: (n, c) for s, n, c in conn.exec_driver_sql(
        "SELECT segment, clients, cents FROM chart_segments WHERE clients <> 0")}


@pytest.mark.sqlite_only("the kept Charts figures are SQLite triggers")
def test_clients_with_no_revenue_move_in_and_out_of_their_groups_band(db, make_client):
    anna = make_client("Anna", purchases=[(date(2026, 3, 3), "10.50")])
    make_client("Bartek", purchases=[(date(2026, 3, 9), "7")])
    make_client("Celina")  # never bought
    with db.session() as s:
        refresh_client_stats(s, today=TODAY)
        s.execute(update(Client).where(Client.id == anna).values(segment_override="A",
                                                                 segment_override_reason="x"))
    with db.engine.connect() as conn:
        before = _segment_rows(conn)
    with db.session() as s:  # Anna's 12-month value falls to nothing: into A's band
        s.execute(update(Client).where(Client.id == anna).values(value_12m=0))
    with db.engine.connect() as conn:
        after = _segment_rows(conn)
    assert after["A:none"] == (1, 0) and "A" not in after
    assert before["A"] == (1, 1050)
    with db.session() as s:
        kept = metrics.segment_distribution(s)
        assert kept == metrics.segment_distribution(s, from_rows=True)
        _kept_equals_rebuilt(s)
    band = next(r for r in kept if r.segment == metrics.NO_PURCHASES)
    assert band.clients == 2  # Anna and Celina, whatever their groups


@pytest.mark.sqlite_only("migrates a SQLite file")
def test_migration_0018_puts_the_band_in_its_own_rows_and_back(tmp_path):
    import importlib

    from alembic import command
    from sqlalchemy import create_engine

    from app import db as db_module
    from app.db import open_database

    old_triggers = importlib.import_module("app.migrations.versions.0018_segment_band")._OLD
    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            command.upgrade(db_module.alembic_config(conn), "0017")
            # 0011 installs the kept figures as the code now makes them: as a file made
            # before 0018 has them
            for sql in old_triggers:
                conn.exec_driver_sql(sql)
            conn.exec_driver_sql(
                "INSERT INTO clients (name, sort_name, search_text, kind, segment, value_12m) "
                "VALUES ('A', 'a', '', 'person', 'A', 12.5), ('B', 'b', '', 'person', 'B', 0),"
                " ('C', 'c', '', 'person', 'C', 1), ('D', 'd', '', 'person', 'A', 0)")
            assert _segment_rows(conn) == {"A": (2, 1250), "B": (1, 0), "C": (1, 100)}
        with engine.begin() as conn:
            command.upgrade(db_module.alembic_config(conn), "0018")
            migrated = _segment_rows(conn)
            assert migrated == {"A": (1, 1250), "A:none": (1, 0), "B:none": (1, 0),
                                "C": (1, 100)}
            conn.exec_driver_sql("UPDATE clients SET value_12m = 3 WHERE name = 'B'")
            assert _segment_rows(conn)["B"] == (1, 300)  # the new triggers keep it
        with engine.begin() as conn:
            command.downgrade(db_module.alembic_config(conn), "0017")
            assert _segment_rows(conn) == {"A": (2, 1250), "B": (1, 300), "C": (1, 100)}
            conn.exec_driver_sql("UPDATE clients SET value_12m = 0 WHERE name = 'A'")
            assert _segment_rows(conn)["A"] == (2, 0)  # the old triggers again
    finally:
        engine.dispose()
    db = open_database(path)  # to the head again, as the app opens it
    try:
        with db.session() as s:
            _kept_equals_rebuilt(s)
            assert metrics.segment_distribution(s) == metrics.segment_distribution(
                s, from_rows=True)
    finally:
        db.close()
