"""The change record is filled by the Session that writes: nothing written goes
unannounced, whatever the path of the write (ORM, bulk statement, Core, text, raw DBAPI)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import delete, insert, select, text, update

from app.changes import (
    CASCADES_FROM_CLIENT,
    INTERNAL_SETTING_PREFIXES,
    SHOWS,
    TABLES,
    Changes,
    Concern,
    Entity,
    recording,
    scoped,
)
from app.models import Base, Client, Purchase, Setting, Task
from app.models.enums import Outcome, TaskKind, TaskStatus
from app.services import calls, schedule
from app.services import clients as client_service
from app.services import complaints as complaints_service
from app.services import settings as settings_service


def record(db, fn) -> Changes:
    with db.session() as s, recording(s) as recorder:
        fn(s)
        return recorder.changes()


def test_every_table_of_the_schema_has_its_entity():
    assert set(Base.metadata.tables) | {"alembic_version"} == set(TABLES)
    assert set(SHOWS) == set(Concern)


def test_an_orm_write_names_the_entity_and_the_client(db, make_client):
    cid = make_client("Anna Nowak")
    changes = record(db, lambda s: s.add(Purchase(client_id=cid, purchased_on=date(2026, 5, 1),
                                                  amount=Decimal("10.00"))))
    assert changes.entities == {Entity.PURCHASE}
    assert changes.client_ids == {cid} and not changes.all_clients
    assert changes.concerns(Concern.CHARTS, Concern.CLIENT_LIST)
    assert not changes.concerns(Concern.STAFF, Concern.SETTINGS)


def test_a_new_client_is_named_once_its_id_is_known(db):
    holder = {}

    def work(s):
        c = Client(name="Ewa Lis")
        s.add(c)
        s.flush()
        holder["id"] = c.id

    changes = record(db, work)
    assert Entity.CLIENT in changes.entities and changes.client_ids == {holder["id"]}


def test_a_bulk_update_says_some_rows_changed(db, make_client):
    make_client("Anna Nowak")
    changes = record(db, lambda s: s.execute(update(Client).values(notes="x")))
    assert changes.entities == {Entity.CLIENT} and changes.all_clients


def test_a_bulk_write_scoped_by_the_service_names_its_clients(db, make_client):
    cid = make_client("Anna Nowak")

    def work(s):
        with scoped(s, [cid]):
            s.execute(update(Client).where(Client.id == cid).values(notes="x"))
        s.execute(update(Client).where(Client.id == -1).values(notes="y"))  # no row: no write

    changes = record(db, work)
    assert changes.client_ids == {cid} and not changes.all_clients


@pytest.mark.sqlite_only("a raw DB-API write is seen by SQLite's change counter, which a server has not; the app writes through SQLAlchemy on a server")
def test_core_text_and_raw_writes_are_announced(db, make_client):
    cid = make_client("Anna Nowak")
    core = record(db, lambda s: s.execute(insert(Task.__table__).values(
        client_id=cid, kind=TaskKind.MANUAL.value, due_on=date(2026, 6, 1),
        status=TaskStatus.OPEN.value, created_at=datetime(2026, 5, 1),
        updated_at=datetime(2026, 5, 1))))
    assert Entity.TASK in core.entities
    txt = record(db, lambda s: s.execute(text("UPDATE tasks SET note = 'n'")))
    assert txt.entities == {Entity.TASK} and txt.all_clients

    def raw(s):
        s.connection().connection.dbapi_connection.execute("UPDATE clients SET notes = 'r'")

    everything = record(db, raw)  # a path no listener sees: everything is announced
    assert everything.entities == set(Entity) and everything.all_clients


def test_deleting_a_client_announces_what_the_schema_cascades(db, make_client):
    cid = make_client("Anna Nowak", purchases=[(date(2026, 5, 1), "10.00")])
    orm = record(db, lambda s: s.delete(s.get(Client, cid)))
    assert CASCADES_FROM_CLIENT <= orm.entities and cid in orm.client_ids
    cid2 = make_client("Ewa Lis")
    bulk = record(db, lambda s: s.execute(delete(Client).where(Client.id == cid2)))
    assert CASCADES_FROM_CLIENT <= bulk.entities


def test_bookkeeping_settings_concern_no_screen(db):
    changes = record(db, lambda s: s.add(Setting(key="internal.stats_as_of", value="x")))
    assert changes.entities == {Entity.INTERNAL} and changes.empty
    owner = record(db, lambda s: settings_service.put(s, "status.new_until_purchases", 4))
    assert owner.entities == {Entity.SETTINGS} and owner.concerns(Concern.SETTINGS)


def test_reading_announces_nothing(db, make_client):
    make_client("Anna Nowak")
    changes = record(db, lambda s: client_service.client_ids(
        s, client_service.ClientQuery(), client_service.StatusRules.from_settings(s), "PL"))
    assert changes.empty and not changes.entities


# -- the use cases: what each announces equals what it wrote ---------------------------

def test_saving_a_card_announces_the_client_and_its_schedule(db):
    data = client_service.ClientData(name="Anna Nowak", phone="601 234 567")
    data.purchases = [client_service.PurchaseData(purchased_on=date(2026, 5, 1),
                                                  amount=Decimal("80.00"))]
    holder = {}

    def work(s):
        holder["id"] = client_service.save_client(s, data, region="PL")
        schedule.regenerate(s, date(2026, 5, 2), client_ids=[holder["id"]])

    changes = record(db, work)
    assert {Entity.CLIENT, Entity.PURCHASE, Entity.TASK} <= changes.entities
    assert changes.client_ids == {holder["id"]} and not changes.all_clients


def test_logging_a_call_announces_the_contact_the_task_and_the_client(db, make_client):
    today = date(2026, 11, 23)
    cid = make_client("Anna Nowak", phone="601 234 567",
                      purchases=[(date(2026, 11, 20), "80.00")])
    with db.session() as s:
        schedule.regenerate(s, today)
    with db.sessions() as s:
        row = next(r for r in calls.today_queue(s, today) if r.client_id == cid)
    changes = record(db, lambda s: calls.log_call(s, calls.CallLog(
        client_id=cid, task_id=row.task_id, task_ids=row.task_ids, outcome="reached"),
        now=datetime(2026, 11, 23, 10, 0)))
    assert {Entity.CONTACT, Entity.TASK} <= changes.entities
    assert cid in changes.client_ids
    assert changes.concerns(Concern.QUEUE, Concern.CALENDAR, Concern.CHARTS)


# -- announced == written, checked against the file itself ------------------------------
# Each use case runs on a small demo business; the whole database is read before and
# after, and the tables and clients whose rows really changed must be announced (the
# record may not forget anything), while nothing unwritten is announced as written.

TODAY = date(2026, 11, 23)


def _snapshot(db) -> dict[str, dict[tuple, tuple]]:
    out = {}
    with db.engine.connect() as conn:
        for name, table in Base.metadata.tables.items():
            pk = [c.name for c in table.primary_key.columns]
            rows = {}
            for row in conn.execute(table.select()).mappings():
                rows[tuple(row[c] for c in pk)] = tuple(sorted(
                    (k, str(v)) for k, v in row.items() if k not in ("updated_at",)))
            out[name] = rows
    return out


def _written(before, after) -> tuple[set[Entity], set[int]]:
    entities, clients = set(), set()
    for name in before:
        b, a = before[name], after[name]
        changed = {k for k in b.keys() | a.keys() if b.get(k) != a.get(k)}
        if not changed:
            continue
        if name == "settings" and all(k[0].startswith(INTERNAL_SETTING_PREFIXES)
                                      for k in changed):
            entities.add(Entity.INTERNAL)  # bookkeeping (the values' span): no screen's
            continue
        entities.add(TABLES[name])
        for k in changed:
            row = dict(a.get(k) or b.get(k))
            cid = row.get("id") if name == "clients" else row.get("client_id")
            if cid not in (None, "None"):
                clients.add(int(cid))
    if any(k.startswith("internal.") for k in
           {k[0] for k in after["settings"].keys() ^ before["settings"].keys()}):
        entities.add(Entity.INTERNAL)
    return entities, clients


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    from app.db import open_database
    from app.services.demo import create_demo
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = open_database(path)
    with db.session() as s:
        create_demo(s, clients=40, locale="pl_PL", seed=7, today=TODAY)
        schedule.regenerate(s, TODAY)
    db.close()
    return path


@pytest.fixture
def demo_db(demo_file, tmp_path):
    import shutil

    from app.db import open_database
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, copy)
    db = open_database(copy)
    yield db
    db.close()


def _queue_row(db):
    with db.sessions() as s:
        return next(r for r in calls.today_queue(s, TODAY) if r.client_id and r.task_id)


def _some_client(db) -> int:
    with db.sessions() as s:
        return s.scalar(select(Client.id).where(Client.deleted_at.is_(None))
                        .order_by(Client.id).limit(1))


def _edit_card(s, cid):
    data = client_service.load_client(s, cid)
    data.notes = "changed in the test"
    data.purchases.append(client_service.PurchaseData(purchased_on=TODAY,
                                                      amount=Decimal("12.50")))
    client_service.save_client(s, data, region="PL")
    schedule.regenerate(s, TODAY, client_ids=[cid])


USE_CASES = {  # name -> fn(session, a client id, the queue's first row)
    "save a card": lambda s, cid, row: _edit_card(s, cid),
    "log a call": lambda s, cid, row: calls.log_call(s, calls.CallLog(
        client_id=row.client_id, task_id=row.task_id, task_ids=row.task_ids,
        outcome=Outcome.REACHED), now=datetime(2026, 11, 23, 10, 0)),
    "plan a to-do": lambda s, cid, row: calls.add_manual_task(s, cid, TODAY, "ring back",
                                                              today=TODAY),
    "move to the Trash": lambda s, cid, row: client_service.soft_delete(s, [cid]),
    "regenerate everyone": lambda s, cid, row: schedule.regenerate(s, date(2027, 1, 5)),
    "daily values": lambda s, cid, row: client_service.refresh_values(s, date(2027, 1, 5)),
    "open a complaint": lambda s, cid, row: complaints_service.open_complaint(
        s, cid, "cold coffee", now=datetime(2026, 11, 23, 9, 0)),
    "change a rule": lambda s, cid, row: settings_service.put(
        s, "status.new_until_purchases", 5),
}


@pytest.mark.parametrize("name", sorted(USE_CASES))
def test_announced_changes_equal_what_was_written(demo_db, name):
    cid, row = _some_client(demo_db), _queue_row(demo_db)
    before = _snapshot(demo_db)
    changes = record(demo_db, lambda s: USE_CASES[name](s, cid, row))
    entities, clients = _written(before, _snapshot(demo_db))
    assert entities, "the use case wrote nothing: the test would prove nothing"
    assert entities - {Entity.INTERNAL} <= changes.entities, "written but not announced"
    assert changes.all_clients or clients <= changes.client_ids, "a client left out"
    # nothing is announced that was not written (the cascade of a deleted client aside)
    assert changes.entities - entities <= {Entity.INTERNAL}, "announced but not written"
