"""The change record is filled by the Session that writes: nothing written goes
unannounced, whatever the path of the write (ORM, bulk statement, Core, text, raw DBAPI)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, insert, text, update

from app.changes import (
    CASCADES_FROM_CLIENT,
    SHOWS,
    TABLES,
    Changes,
    Concern,
    Entity,
    recording,
    scope,
)
from app.models import Base, Client, Purchase, Setting, Task
from app.models.enums import TaskKind, TaskStatus
from app.services import calls, schedule
from app.services import clients as client_service
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
        s.execute(update(Client).where(Client.id == cid).values(notes="x"))
        scope(s, [cid])

    changes = record(db, work)
    assert changes.client_ids == {cid} and not changes.all_clients


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
