"""The use cases the window and the command line share: first use, the start of a day,
saving a card, the demo file. Each one's announced changes are what it wrote."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from app.changes import Concern, Entity, recording
from app.db import open_database
from app.errors import ValidationError
from app.models import Client, Setting, Staff, Task
from app.models.enums import StaffRole, TaskKind
from app.services import card, startup
from app.services import clients as client_service
from app.services import settings as settings_service
from app.services.demo_file import DEMO_BUSINESS, create_demo_file

DAY = date(2026, 11, 20)


def _facts(**kw) -> startup.LocaleFacts:
    return startup.LocaleFacts(owner_name=kw.pop("owner_name", "Właściciel"), **kw)


def test_first_use_gives_an_owner_and_takes_the_country_of_the_locale(db):
    with db.session() as s, recording(s) as recorder:
        startup.first_use(s, _facts(region="bg", currency="eur"))
        changes = recorder.changes()
    with db.sessions() as s:
        assert [(p.name, p.role) for p in s.scalars(select(Staff))] == [
            ("Właściciel", StaffRole.OWNER)]
        assert settings_service.get(s, "business.region") == "BG"
        assert settings_service.get(s, "business.currency") == "EUR"
    assert changes.entities == {Entity.STAFF, Entity.SETTINGS}
    assert changes.concerns(Concern.STAFF, Concern.SETTINGS)


def test_first_use_is_idempotent_and_keeps_what_the_owner_set(db):
    with db.session() as s:
        startup.first_use(s, _facts(region="PL", currency="PLN"))
    with db.session() as s, recording(s) as recorder:
        startup.first_use(s, _facts(owner_name="Owner", region="US", currency="USD"))
        assert recorder.changes().empty  # nothing written the second time
    with db.sessions() as s:
        assert s.query(Staff).count() == 1
        assert settings_service.get(s, "business.region") == "PL"


@pytest.mark.parametrize("facts", [
    {"region": "BG", "currency": "EUR", "stand_in": True},  # LANG=C: says nothing
    {"region": "", "currency": ""},  # a locale without a country
    {"region": "XX", "currency": "XXX"},  # no country phone numbers know
])
def test_first_use_leaves_the_defaults_when_the_locale_says_nothing(db, facts):
    with db.session() as s:
        startup.first_use(s, _facts(**facts))
    with db.sessions() as s:
        assert s.get(Setting, "business.region") is None  # still the default
        assert settings_service.get(s, "business.region") == "PL"
        assert s.query(Staff).count() == 1


def test_a_currency_that_is_no_iso_code_is_not_taken(db):
    with db.session() as s:
        startup.first_use(s, _facts(region="DE", currency="€"))
    with db.sessions() as s:
        assert settings_service.get(s, "business.region") == "DE"
        assert s.get(Setting, "business.currency") is None


def test_the_start_of_day_moves_the_values_once_a_day(db, make_client, monkeypatch):
    cid = make_client("Anna Nowak", purchases=[(date(2026, 1, 10), "120.00")])
    moved: list[date] = []
    real = client_service.refresh_values
    monkeypatch.setattr(startup.client_service, "refresh_values",
                        lambda s, today=None, **kw: (moved.append(today),
                                                     real(s, today, **kw))[1])
    with db.session() as s:
        first = startup.start_of_day(s, DAY)
    with db.session() as s:
        second = startup.start_of_day(s, DAY)
    with db.session() as s:
        startup.start_of_day(s, date(2026, 11, 21))
    assert first.values_moved and not second.values_moved
    assert moved == [DAY, date(2026, 11, 21)]
    with db.sessions() as s:
        assert settings_service.get(s, startup.STATS_AS_OF) == "2026-11-21"
        assert s.get(Client, cid).value_12m == Decimal("120.00")


def test_the_start_of_day_announces_the_tasks_it_wrote(db, make_client):
    cid = make_client("Bogna Lis")
    with db.session() as s:
        data = client_service.load_client(s, cid)
        data.dates = [client_service.PersonalDateData(kind="birthday", month=DAY.month, day=DAY.day)]
        client_service.save_client(s, data, region="PL")
        s.execute(Task.__table__.delete())  # as if the schedule had never run
    with db.session() as s, recording(s) as recorder:
        result = startup.start_of_day(s, DAY)
        changes = recorder.changes()
    assert result.schedule.created >= 1
    assert Entity.TASK in changes.entities and changes.concerns(Concern.QUEUE)
    assert cid in changes.client_ids or changes.all_clients
    with db.sessions() as s:
        assert TaskKind.PERSONAL_DATE in s.scalars(select(Task.kind).where(Task.client_id == cid)).all()


def test_saving_a_card_stores_the_client_and_regenerates_their_schedule(db, make_client):
    other = make_client("Celina Wrona")
    data = client_service.ClientData(name="Dorota Sowa", phone="601 234 567")
    data.dates = [client_service.PersonalDateData(kind="birthday", month=DAY.month, day=DAY.day)]
    with db.session() as s, recording(s) as recorder:
        cid = card.save_card(s, data, "PL", DAY)
        changes = recorder.changes()
    assert changes.client_ids == {cid} and not changes.all_clients  # only that client
    assert {Entity.CLIENT, Entity.TASK} <= changes.entities
    with db.sessions() as s:
        assert s.get(Client, cid).phone == "+48601234567"
        assert set(s.scalars(select(Task.client_id).where(
            Task.client_id.in_([cid, other])))) == {cid}  # the other client was left alone


def test_a_refused_card_stores_nothing(db):
    with pytest.raises(ValidationError), db.session() as s:
        card.save_card(s, client_service.ClientData(name="", phone="12"), "PL", DAY)
    with db.sessions() as s:
        assert s.query(Client).count() == 0 and s.query(Task).count() == 0


def test_the_demo_file_is_made_once_and_kept(tmp_path):
    path = tmp_path / "demo.sqlite"
    summary = create_demo_file(path, clients=12, locale="pl_PL", seed=7)
    assert summary is not None and summary.clients == 12
    assert create_demo_file(path, clients=12) is None  # kept as it is
    db = open_database(path)
    try:
        with db.sessions() as s:
            assert s.query(Client).count() == 12
            assert (settings_service.get(s, "business.region"),
                    settings_service.get(s, "business.currency")) == DEMO_BUSINESS["pl_PL"]
    finally:
        db.close()
    assert create_demo_file(path, clients=3, force=True).clients == 3


# --------------------------------------------------------------------------- what changed


def _birthday_in(days: int) -> tuple[int, int]:
    d = date.fromordinal(DAY.toordinal() + days)
    return d.month, d.day


@pytest.mark.sqlite_only("the start's watch of what changed is SQLite triggers; on a server every start looks at everything")
def test_a_second_start_the_same_day_with_nothing_written_does_nothing(db, make_client):
    make_client("Anna Nowak", purchases=[(date(2026, 1, 10), "120.00")])
    with db.session() as s:
        first = startup.start_of_day(s, DAY)
    with db.session() as s:
        second = startup.start_of_day(s, DAY)
    assert first.quiet_since is None  # the first start of the file looks at everything
    assert second.quiet_since == DAY and not second.values_moved
    assert (second.schedule.created, second.schedule.moved, second.schedule.cancelled) \
        == (0, 0, 0)


@pytest.mark.sqlite_only("the start's watch of what changed is SQLite triggers; on a server every start looks at everything")
def test_a_write_by_another_program_is_noticed_by_the_next_start(db, make_client, tmp_path):
    """The watch is in the file (triggers), so a plain sqlite3 script's write counts too."""
    import sqlite3

    cid = make_client("Bogna Lis")
    with db.session() as s:
        startup.start_of_day(s, DAY)
    month, day = _birthday_in(5)
    con = sqlite3.connect(tmp_path / "test.sqlite")
    con.execute("INSERT INTO personal_dates (client_id, kind, label, month, day) "
                "VALUES (?, 'birthday', '', ?, ?)", (cid, month, day))
    con.commit()
    con.close()
    with db.session() as s:
        again = startup.start_of_day(s, DAY)
        assert again.quiet_since == DAY  # known what was written: that client in full
        kinds = {t.kind for t in s.scalars(select(Task).where(Task.client_id == cid))}
    assert again.schedule.created == 2 and kinds == {TaskKind.PERSONAL_DATE, TaskKind.GIFT}


@pytest.mark.sqlite_only("the start's watch of what changed is SQLite triggers; on a server every start looks at everything")
def test_a_changed_setting_or_a_lost_trigger_makes_the_next_start_look_at_everything(
        db, make_client):
    make_client("Celina Kos")
    with db.session() as s:
        startup.start_of_day(s, DAY)
    with db.session() as s:
        settings_service.put(s, "contact.cap_count", 2)
    with db.session() as s:
        assert startup.start_of_day(s, DAY).quiet_since is None
    with db.session() as s:
        s.execute(text("DROP TRIGGER sod_watch_purchases_insert"))  # as a table rebuild does
    with db.session() as s:
        assert startup.start_of_day(s, DAY).quiet_since is None
    with db.session() as s:  # and the watch is whole again
        assert startup.start_of_day(s, DAY).quiet_since == DAY


@pytest.mark.sqlite_only("the start's watch of what changed is SQLite triggers; on a server every start looks at everything")
def test_the_values_of_a_new_day_are_recomputed_only_where_the_window_moved(db, make_client):
    leaving = make_client("Dorota Wilk", purchases=[(date(2025, 11, 21), "50.00")])
    staying = make_client("Ewa Sowa", purchases=[(date(2026, 6, 1), "80.00")])
    with db.session() as s:
        startup.start_of_day(s, DAY)  # the file's first start: every value
    with db.session() as s:
        assert s.get(Client, leaving).value_12m == Decimal("50.00")
        nxt = startup.start_of_day(s, date(2026, 11, 21))  # 2025-11-21 leaves the window
        assert nxt.values_recomputed == 1
        assert s.get(Client, leaving).value_12m == Decimal("0.00")
        assert s.get(Client, staying).value_12m == Decimal("80.00")
